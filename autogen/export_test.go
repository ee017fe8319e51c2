package autogen

import (
	"context"
	"database/sql"
)

// DefaultValue exposes defaultValue to the scenario harness (package
// autogen_test): two defaults of a column compare equal by value when
// their keys do.
func DefaultValue(dialect, typ, expr string) (string, bool) { return defaultValue(dialect, typ, expr) }

// FailCreateDatabase makes the throwaway dev database's CREATE DATABASE
// report an error after it is done (as a cancelled context can), and
// tells the statement it ran. The returned func restores it.
func FailCreateDatabase(ran func(query string)) (restore func()) {
	orig := execCreateDatabase
	execCreateDatabase = func(ctx context.Context, live *sql.DB, query string) error {
		if err := orig(ctx, live, query); err != nil {
			return err
		}
		ran(query)
		return context.Canceled
	}
	return func() { execCreateDatabase = orig }
}
