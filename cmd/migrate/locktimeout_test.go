package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/migratehq/migrate/config"
	"github.com/migratehq/migrate/internal/dbopen"
	"github.com/migratehq/migrate/internal/testdb"
)

// TestCLILockTimeout runs the real binary against a table that a session
// idle in a transaction holds: each retry is printed with the file, the
// line and the blocking pid; the run exits 1 naming that session (pid,
// state, query); the database is as it was; with --json the retries are
// lock_retry events. When the session ends, the same command succeeds.
func TestCLILockTimeout(t *testing.T) {
	testdb.RequirePostgres(t)
	bin, err := exec.LookPath("migrate")
	if err != nil {
		t.Fatalf("the test binary as migrate is not on PATH: %v", err)
	}
	url := testdb.Postgres(t)
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		p := filepath.Join(dir, name)
		must(t, os.MkdirAll(filepath.Dir(p), 0o755))
		must(t, os.WriteFile(p, []byte(text), 0o644))
	}
	write("migrate.toml", fmt.Sprintf("versions = \"versions\"\n\n[env.development]\nurl = %q\npg_lock_timeout = \"200ms\"\npg_lock_retries = 2\npg_lock_retry_delay = \"20ms\"\n", url))
	write("versions/001_a.sql", "-- migrate:revision a001\n-- migrate:revises\n\n-- migrate:up\nCREATE TABLE accounts (id integer);\n\n-- migrate:down\nDROP TABLE accounts;\n")
	write("versions/002_b.sql", "-- migrate:revision b002\n-- migrate:revises a001\n\n-- migrate:up\nCREATE TABLE t2 (id integer);\nALTER TABLE accounts ADD COLUMN note text;\n\n-- migrate:down\nDROP TABLE t2;\nALTER TABLE accounts DROP COLUMN note;\n")
	run := func(args ...string) (stdout, stderr string, code int) {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "MIGRATE_ENV=", "DATABASE_URL=", "GORACE=atexit_sleep_ms=0")
		var o, e strings.Builder
		cmd.Stdout, cmd.Stderr = &o, &e
		err := cmd.Run()
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return o.String(), e.String(), code
	}
	if _, e, code := run("upgrade", "a001"); code != 0 {
		t.Fatalf("upgrade a001: exit %d\n%s", code, e)
	}
	u, err := config.ParseURL(url, dir)
	must(t, err)
	db, err := dbopen.Open(context.Background(), u, false)
	must(t, err)
	defer db.Close()
	tx, err := db.Begin()
	must(t, err)
	defer tx.Rollback()
	var pid int
	var rows int
	must(t, tx.QueryRow("SELECT pg_backend_pid(), count(*) FROM accounts").Scan(&pid, &rows))

	_, stderr, code := run("upgrade", "head")
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s", code, stderr)
	}
	p := regexp.QuoteMeta
	for _, re := range []string{
		`(?m)^Retry: versions/002_b.sql:6: lock timeout \(200ms\) waiting for a lock on accounts, held by pid ` + fmt.Sprint(pid) + ` \(idle in transaction for [0-9.]+m?s\); the run's transaction was rolled back, and the run starts again; retry 1/2 in \d+ms$`,
		`(?m)^Retry: .*; retry 2/2 in \d+ms$`,
		`(?m)^Error: ` + p(`versions/002_b.sql:6: ERROR: canceling statement due to lock timeout (SQLSTATE 55P03)`) + `$`,
		`(?m)^gave up after 3 attempt\(s\), each waiting lock_timeout \(200ms\) for a lock on accounts$`,
		`(?m)^  pid ` + fmt.Sprint(pid) + ` \(idle in transaction for [^)]*application "migrate"[^)]*\): SELECT pg_backend_pid\(\), count\(\*\) FROM accounts$`,
		`(?m)^nothing was changed: the transaction was rolled back$`,
	} {
		if !regexp.MustCompile(re).MatchString(stderr) {
			t.Errorf("stderr does not match %s:\n%s", re, stderr)
		}
	}
	var n int
	must(t, db.QueryRow("SELECT count(*) FROM pg_tables WHERE tablename = 't2'").Scan(&n))
	if n != 0 {
		t.Errorf("t2 exists: the database changed")
	}

	stdout, _, code := run("--json", "upgrade", "head")
	if code != 1 {
		t.Fatalf("--json: exit %d", code)
	}
	var retries int
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
		var ev map[string]any
		must(t, json.Unmarshal([]byte(line), &ev))
		switch ev["event"] {
		case "lock_retry":
			retries++
			if ev["pid"] != float64(pid) || ev["revision"] != "b002" || ev["count"] != float64(retries) || !blockedBy(ev, pid) {
				t.Errorf("lock_retry event %v", ev)
			}
		case "error":
			if ev["file"] != "versions/002_b.sql" || ev["line"] != float64(6) || ev["exit"] != float64(1) || !blockedBy(ev, pid) ||
				ev["timeout"] != "lock_timeout" || ev["timeout_ms"] != float64(200) || ev["attempts"] != float64(3) || ev["waited_on"] != "a lock on accounts" {
				t.Errorf("error event %v", ev)
			}
		}
	}
	if retries != 2 {
		t.Errorf("%d lock_retry events, want 2:\n%s", retries, stdout)
	}

	must(t, tx.Commit())
	if _, e, code := run("upgrade", "head"); code != 0 || strings.Contains(e, "Retry") {
		t.Fatalf("after the session ended: exit %d\n%s", code, e)
	}
}

// blockedBy tells whether a JSON event lists exactly the blocking session
// pid, idle in a transaction, with its query.
func blockedBy(ev map[string]any, pid int) bool {
	bs, ok := ev["blockers"].([]any)
	if !ok || len(bs) != 1 {
		return false
	}
	b, ok := bs[0].(map[string]any)
	return ok && b["pid"] == float64(pid) && b["state"] == "idle in transaction" &&
		b["query"] == "SELECT pg_backend_pid(), count(*) FROM accounts" && b["xact_age_ms"].(float64) > 0
}
