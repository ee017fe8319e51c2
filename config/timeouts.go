package config

import (
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/migratehq/migrate/versions"
)

// Defaults of the PostgreSQL statement timeouts (as the runner's).
const (
	DefaultPGLockTimeout    = 3 * time.Second
	DefaultPGLockRetries    = 3
	DefaultPGLockRetryDelay = time.Second
)

// Timeouts are the PostgreSQL settings revision statements run under
// (see docs/running.md): pg_lock_timeout, pg_statement_timeout,
// pg_lock_retries and pg_lock_retry_delay, at the top level of the file
// and in an [env.NAME] section, which overrides it. A zero timeout leaves
// the session's own setting.
type Timeouts struct {
	LockTimeout      time.Duration
	StatementTimeout time.Duration
	LockRetries      int
	LockRetryDelay   time.Duration
	// Set names the keys the file set, for the warning that they have no
	// effect on SQLite.
	Set []string
}

// timeoutsFormat are the keys as written, nil when absent.
type timeoutsFormat struct {
	LockTimeout      *durationText `toml:"pg_lock_timeout"`
	StatementTimeout *durationText `toml:"pg_statement_timeout"`
	LockRetries      *int          `toml:"pg_lock_retries"`
	LockRetryDelay   *durationText `toml:"pg_lock_retry_delay"`
}

// durationText is a duration key as written. It takes any TOML value, so
// that a number (5, not "5s") gets a message saying how to write it
// rather than TOML's type error.
type durationText struct {
	text  string
	other any // the value, when it is not a string
}

// UnmarshalTOML keeps the value; apply checks it.
func (d *durationText) UnmarshalTOML(v any) error {
	if s, ok := v.(string); ok {
		d.text = s
	} else {
		d.other = v
	}
	return nil
}

func defaultTimeouts() Timeouts {
	return Timeouts{LockTimeout: DefaultPGLockTimeout, LockRetries: DefaultPGLockRetries, LockRetryDelay: DefaultPGLockRetryDelay}
}

// apply sets the keys f holds over t; table is the key's table (nil at
// the top level), for the line of an error.
func (f timeoutsFormat) apply(t *Timeouts, path string, data []byte, table ...string) error {
	bad := func(key, msg string) error {
		k := append(toml.Key(append([]string{}, table...)), key)
		return &Error{File: path, Line: keyLine(data, k), Msg: fmt.Sprintf("%s: %s", key, msg)}
	}
	for _, d := range []struct {
		key string
		v   *durationText
		to  *time.Duration
	}{
		{"pg_lock_timeout", f.LockTimeout, &t.LockTimeout},
		{"pg_statement_timeout", f.StatementTimeout, &t.StatementTimeout},
		{"pg_lock_retry_delay", f.LockRetryDelay, &t.LockRetryDelay},
	} {
		if d.v == nil {
			continue
		}
		if d.v.other != nil {
			return bad(d.key, fmt.Sprintf("%v is not a duration: write it as a quoted string with a unit, such as \"5s\" or \"500ms\" (\"0\" turns it off)", d.v.other))
		}
		v, err := versions.ParseTimeout(d.v.text)
		if err != nil {
			return bad(d.key, err.Error())
		}
		*d.to = v
		t.set(d.key)
	}
	if f.LockRetries != nil {
		if *f.LockRetries < 0 || *f.LockRetries > 100 {
			return bad("pg_lock_retries", fmt.Sprintf("%d: expected 0 (no retry) to 100", *f.LockRetries))
		}
		t.LockRetries = *f.LockRetries
		t.set("pg_lock_retries")
	}
	return nil
}

// set notes that key was set.
func (t *Timeouts) set(key string) {
	if !slices.Contains(t.Set, key) {
		t.Set = append(t.Set, key)
	}
}

// TimeoutsFor returns the timeouts of the named environment (name ""
// means MIGRATE_ENV, then default_env): its keys over the top-level
// ones. An environment the file does not define has the top-level ones.
func (c *Config) TimeoutsFor(name string) Timeouts {
	if name == "" {
		name = os.Getenv("MIGRATE_ENV")
	}
	if name == "" {
		name = c.DefaultEnv
	}
	if e, ok := c.Envs[name]; ok && e.timeouts != nil {
		return *e.timeouts
	}
	return c.Timeouts
}
