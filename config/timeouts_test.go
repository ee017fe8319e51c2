package config

import (
	"strings"
	"testing"
	"time"
)

// TestTimeouts: the pg_ keys at the top level and per environment, the
// environment's over the top level's, the defaults, and bad values as
// errors naming the line.
func TestTimeouts(t *testing.T) {
	src := `pg_lock_timeout = "10s"
pg_lock_retries = 5

[env.development]
url = "sqlite:///a.db"

[env.production]
url = "postgres://h/db"
pg_lock_timeout = "0"
pg_statement_timeout = "1m"
pg_lock_retry_delay = "250ms"
`
	c, err := Parse("migrate.toml", t.TempDir(), []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	top := Timeouts{LockTimeout: 10 * time.Second, LockRetries: 5, LockRetryDelay: time.Second, Set: []string{"pg_lock_timeout", "pg_lock_retries"}}
	if got := c.TimeoutsFor("development"); !equalTimeouts(got, top) {
		t.Errorf("development = %+v, want %+v", got, top)
	}
	prod := Timeouts{LockTimeout: 0, StatementTimeout: time.Minute, LockRetries: 5, LockRetryDelay: 250 * time.Millisecond,
		Set: []string{"pg_lock_timeout", "pg_lock_retries", "pg_statement_timeout", "pg_lock_retry_delay"}}
	if got := c.TimeoutsFor("production"); !equalTimeouts(got, prod) {
		t.Errorf("production = %+v, want %+v", got, prod)
	}
	t.Setenv("MIGRATE_ENV", "production")
	if got := c.TimeoutsFor(""); got.StatementTimeout != time.Minute {
		t.Errorf("MIGRATE_ENV=production: %+v", got)
	}
	if got := c.TimeoutsFor("nosuch"); !equalTimeouts(got, top) {
		t.Errorf("unknown environment = %+v, want the top level", got)
	}

	def := Default(t.TempDir()).TimeoutsFor("")
	if want := (Timeouts{LockTimeout: 3 * time.Second, LockRetries: 3, LockRetryDelay: time.Second}); !equalTimeouts(def, want) {
		t.Errorf("defaults = %+v, want %+v", def, want)
	}

	for _, c := range []struct{ src, want string }{
		{"pg_lock_timeout = \"5\"\n", `migrate.toml:1: pg_lock_timeout: "5" is not a duration`},
		{"pg_lock_timeout = 5\n", `migrate.toml:1: pg_lock_timeout: 5 is not a duration: write it as a quoted string with a unit, such as "5s"`},
		{"\n[env.p]\nurl = \"x\"\npg_statement_timeout = 1.5\n", `migrate.toml:4: pg_statement_timeout: 1.5 is not a duration: write it as a quoted string`},
		{"[env.p]\npg_lock_retry_delay = [1]\n", `migrate.toml:2: pg_lock_retry_delay: [1] is not a duration`},
		{"pg_statement_timeout = \"-1s\"\n", `migrate.toml:1: pg_statement_timeout: "-1s" is negative`},
		{"\n[env.p]\nurl = \"x\"\npg_lock_retries = -1\n", `migrate.toml:4: pg_lock_retries: -1: expected 0 (no retry) to 100`},
		{"[env.p]\npg_lock_retry_delay = \"1us\"\n", `migrate.toml:2: pg_lock_retry_delay: "1us" is under a millisecond`},
		{"[env.p]\npg_lock_timout = \"1s\"\n", `migrate.toml:2: unknown key "env.p.pg_lock_timout"; known keys in [env.NAME]: url, dev_url, pg_lock_timeout, pg_statement_timeout, pg_lock_retries, pg_lock_retry_delay`},
	} {
		_, err := Parse("migrate.toml", t.TempDir(), []byte(c.src))
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%q: err = %v, want %s", c.src, err, c.want)
		}
	}
}

func equalTimeouts(a, b Timeouts) bool {
	return a.LockTimeout == b.LockTimeout && a.StatementTimeout == b.StatementTimeout && a.LockRetries == b.LockRetries &&
		a.LockRetryDelay == b.LockRetryDelay && strings.Join(a.Set, ",") == strings.Join(b.Set, ",")
}
