package main

import (
	"errors"

	"github.com/migratehq/migrate/migrate"
)

// timeoutFields adds to a JSON error object what a lock or statement
// timeout knows beyond its message: the setting and its value, the
// attempts, what the statement waited for and the blocking sessions.
func timeoutFields(obj map[string]any, err error) {
	var te *migrate.TimeoutError
	if !errors.As(err, &te) {
		return
	}
	obj["timeout"] = te.Setting
	obj["timeout_ms"] = te.Timeout.Milliseconds()
	obj["attempts"] = te.Attempts
	if te.LockWait {
		obj["lock_wait"] = true
	}
	if te.WaitedOn != "" {
		obj["waited_on"] = te.WaitedOn
	}
	if len(te.Blockers) > 0 {
		obj["blockers"] = te.Blockers
	}
}
