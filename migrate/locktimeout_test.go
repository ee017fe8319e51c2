package migrate_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/migratehq/migrate/internal/testdb"
	"github.com/migratehq/migrate/migrate"
	"github.com/migratehq/migrate/versions"
)

// accountsGraph: a1 creates accounts; a2 creates t2 and then alters
// accounts (the statement a session holding a lock on accounts blocks),
// with extra header lines.
func accountsGraph(t testing.TB, a2extra ...string) *versions.Graph {
	return graphOf(t, map[string]string{
		"001_a1.sql": rev("acct00000001", "", "CREATE TABLE accounts (id integer PRIMARY KEY);\nINSERT INTO accounts VALUES (1);", "DROP TABLE accounts;"),
		"002_a2.sql": rev("acct00000002", "acct00000001", "CREATE TABLE t2 (id integer);\nALTER TABLE accounts ADD COLUMN note text;", "DROP TABLE t2;\nALTER TABLE accounts DROP COLUMN note;", a2extra...),
	})
}

// blocker is a session idle in a transaction that read accounts: it
// holds an ACCESS SHARE lock that every ALTER TABLE accounts waits for.
type blocker struct {
	tx  *sql.Tx
	pid int
}

func holdAccounts(t testing.TB, db *sql.DB) *blocker {
	t.Helper()
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	b := &blocker{tx: tx}
	if err := tx.QueryRow("SELECT pg_backend_pid() FROM accounts WHERE id = 1").Scan(&b.pid); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tx.Rollback() })
	return b
}

// events collects a run's events (the logger may be called from the
// run's goroutine only, but tests read them from theirs).
type events struct {
	mu   sync.Mutex
	list []migrate.Event
	on   func(migrate.Event)
}

func (e *events) log(ev migrate.Event) {
	e.mu.Lock()
	e.list = append(e.list, ev)
	e.mu.Unlock()
	if e.on != nil {
		e.on(ev)
	}
}

func (e *events) of(kind migrate.EventKind) []migrate.Event {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []migrate.Event
	for _, ev := range e.list {
		if ev.Kind == kind {
			out = append(out, ev)
		}
	}
	return out
}

func quick(ev *events) []migrate.Option {
	return []migrate.Option{
		migrate.WithPGLockTimeout(300 * time.Millisecond),
		migrate.WithLockRetries(2, 30*time.Millisecond),
		migrate.WithLogger(ev.log),
	}
}

// TestLockTimeoutRetriesThenFails: a session idle in a transaction holds
// a lock that a2's ALTER TABLE needs. In each mode the statement gives
// up after lock_timeout, is retried twice (each retry announced with the
// file, line and blocking pid), then the run fails naming the blocking
// session — pid, state, age, query — and the database is as it was
// (mode none: the statement before the blocked one committed, and the
// revision is marked in progress at the blocked one).
func TestLockTimeoutRetriesThenFails(t *testing.T) {
	testdb.RequirePostgres(t)
	for _, mode := range []migrate.TxMode{migrate.TxAll, migrate.TxRevision, migrate.TxNone} {
		t.Run(string(mode), func(t *testing.T) {
			ctx := context.Background()
			db := openDB(t, testdb.Postgres(t))
			g := accountsGraph(t)
			if _, err := newM(t, db, migrate.Postgres, g).Upgrade(ctx, "acct00000001"); err != nil {
				t.Fatal(err)
			}
			b := holdAccounts(t, db)
			var ev events
			m := newM(t, db, migrate.Postgres, g, append(quick(&ev), migrate.WithTransaction(mode))...)
			start := time.Now()
			_, err := m.Upgrade(ctx, "head")
			took := time.Since(start)
			var te *migrate.TimeoutError
			if !errors.As(err, &te) {
				t.Fatalf("err = %v, want a TimeoutError", err)
			}
			retries := ev.of(migrate.EventLockRetry)
			if len(retries) != 2 || te.Attempts != 3 {
				t.Fatalf("%d retry events, %d attempts; want 2 and 3; err:\n%v", len(retries), te.Attempts, err)
			}
			if took < 900*time.Millisecond {
				t.Errorf("three attempts of 300ms took %v", took)
			}
			for i, r := range retries {
				for _, want := range []string{"versions/002_a2.sql:7: lock timeout (300ms) waiting for a lock on accounts, held by pid ", "(idle in transaction for ", "retry " + string(rune('1'+i)) + "/2 in "} {
					if !strings.Contains(r.Message, want) {
						t.Errorf("retry %d: %q lacks %q", i+1, r.Message, want)
					}
				}
				if r.PID != b.pid || r.Count != i+1 || r.Revision != "acct00000002" {
					t.Errorf("retry %d: %+v, want pid %d", i+1, r, b.pid)
				}
			}
			if len(te.Blockers) != 1 || te.Blockers[0].PID != b.pid || te.Blockers[0].State != "idle in transaction" ||
				te.Blockers[0].Query != "SELECT pg_backend_pid() FROM accounts WHERE id = 1" || te.Blockers[0].XactAge < 600*time.Millisecond {
				t.Errorf("blockers = %+v, want pid %d idle in transaction", te.Blockers, b.pid)
			}
			msg := err.Error()
			for _, want := range []string{
				"versions/002_a2.sql:7: ERROR: canceling statement due to lock timeout (SQLSTATE 55P03)",
				"gave up after 3 attempt(s), each waiting lock_timeout (300ms) for a lock on accounts",
				"blocked by:\n  pid ",
				"(idle in transaction for ",
				"): SELECT pg_backend_pid() FROM accounts WHERE id = 1",
				"SELECT pg_terminate_backend(",
			} {
				if !strings.Contains(msg, want) {
					t.Errorf("error lacks %q:\n%s", want, msg)
				}
			}
			var re *migrate.RunError
			if !errors.As(err, &re) {
				t.Fatalf("err is no RunError: %v", err)
			}
			var se *migrate.StatementError
			if !errors.As(err, &se) || se.Line != 7 {
				t.Errorf("StatementError = %+v", se)
			}
			if err := b.tx.Commit(); err != nil {
				t.Fatal(err)
			}
			got := strings.Join(tables(t, db, migrate.Postgres), ",")
			switch mode {
			case migrate.TxNone:
				// t2 committed; the mark names the ALTER, statement 2.
				if got != "accounts,migrate_version,migrate_version_progress,t2" {
					t.Errorf("tables = %s", got)
				}
				if re.InProgress == nil || re.InProgress.Statement != 2 || re.InProgress.Line != 7 {
					t.Errorf("InProgress = %+v, want statement 2 at line 7", re.InProgress)
				}
				// The blocked statement had no effect, and the error says
				// so to the end.
				for _, want := range []string{
					"statement 1 of 2 took effect, statement 2 (versions/002_a2.sql:7) was cancelled while it waited for its lock and had no effect",
					"either run statement 2 by hand (from versions/002_a2.sql:7) and record 'migrate resolve acct00000002 --applied', or undo statement 1 by hand",
				} {
					if !strings.Contains(msg, want) {
						t.Errorf("error lacks %q:\n%s", want, msg)
					}
				}
				if strings.Contains(msg, "may or may not") {
					t.Errorf("error says the statement may have taken effect:\n%s", msg)
				}
			default:
				if got != "accounts,migrate_version,migrate_version_progress" {
					t.Errorf("tables = %s: the database changed", got)
				}
				if !strings.Contains(msg, "nothing was changed: the transaction was rolled back") || re.InProgress != nil || len(re.Committed) != 0 {
					t.Errorf("error does not say nothing changed:\n%s", msg)
				}
				if n := count(t, db, "SELECT count(*) FROM migrate_version_progress"); n != 0 {
					t.Errorf("%d marks", n)
				}
			}
			if h := heads(t, m); h != "acct00000001" {
				t.Errorf("heads = %s", h)
			}
			if n := count(t, db, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'accounts' AND column_name = 'note'"); n != 0 {
				t.Errorf("accounts.note exists")
			}
		})
	}
}

// TestLockRetrySucceeds: the blocking session ends during the pause
// before the first retry; the retry runs the transaction (mode none: the
// statement) again and the run succeeds, with a2 applied once.
func TestLockRetrySucceeds(t *testing.T) {
	testdb.RequirePostgres(t)
	for _, mode := range []migrate.TxMode{migrate.TxAll, migrate.TxRevision, migrate.TxNone} {
		t.Run(string(mode), func(t *testing.T) {
			ctx := context.Background()
			db := openDB(t, testdb.Postgres(t))
			g := accountsGraph(t)
			if _, err := newM(t, db, migrate.Postgres, g).Upgrade(ctx, "acct00000001"); err != nil {
				t.Fatal(err)
			}
			b := holdAccounts(t, db)
			var ev events
			var marks []int
			ev.on = func(e migrate.Event) {
				if e.Kind == migrate.EventLockRetry {
					marks = append(marks, count(t, db, "SELECT count(*) FROM migrate_version_progress WHERE statement = 2"))
					if err := b.tx.Commit(); err != nil {
						t.Error(err)
					}
				}
			}
			m := newM(t, db, migrate.Postgres, g, append(quick(&ev), migrate.WithTransaction(mode))...)
			res, err := m.Upgrade(ctx, "head")
			if err != nil {
				t.Fatal(err)
			}
			if n := len(ev.of(migrate.EventLockRetry)); n != 1 {
				t.Errorf("%d retries, want 1", n)
			}
			if got := stepIDs(res.Steps); got != "acct00000002" {
				t.Errorf("steps = %s", got)
			}
			if revs := ev.of(migrate.EventRevision); len(revs) == 0 || revs[len(revs)-1].Revision != "acct00000002" {
				t.Errorf("revision events = %+v", revs)
			}
			// Outside a transaction, the mark stayed at the blocked
			// statement during the pause; in one there is none.
			want := 0
			if mode == migrate.TxNone {
				want = 1
			}
			if len(marks) != 1 || marks[0] != want {
				t.Errorf("marks at statement 2 during the pause = %v, want [%d]", marks, want)
			}
			if n := count(t, db, "SELECT count(*) FROM migrate_version_progress"); n != 0 {
				t.Errorf("%d marks after success", n)
			}
			if h := heads(t, m); h != "acct00000002" {
				t.Errorf("heads = %s", h)
			}
			if n := count(t, db, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'accounts' AND column_name = 'note'"); n != 1 {
				t.Errorf("accounts.note missing")
			}
		})
	}
}

// TestLockTimeoutOff: lock_timeout 0 (the option, or the revision's
// header over a short config value) leaves the session's own setting —
// here none — so the statement waits for the blocking session to end,
// and nothing is retried.
func TestLockTimeoutOff(t *testing.T) {
	testdb.RequirePostgres(t)
	for _, c := range []struct {
		name   string
		header []string
		opt    migrate.Option
	}{
		{"option", nil, migrate.WithPGLockTimeout(0)},
		{"header", []string{"-- migrate:lock_timeout 0"}, migrate.WithPGLockTimeout(50 * time.Millisecond)},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			db := openDB(t, testdb.Postgres(t))
			g := accountsGraph(t, c.header...)
			if _, err := newM(t, db, migrate.Postgres, g).Upgrade(ctx, "acct00000001"); err != nil {
				t.Fatal(err)
			}
			b := holdAccounts(t, db)
			go func() {
				time.Sleep(time.Second)
				_ = b.tx.Commit()
			}()
			var ev events
			start := time.Now()
			if _, err := newM(t, db, migrate.Postgres, g, migrate.WithLogger(ev.log), c.opt).Upgrade(ctx, "head"); err != nil {
				t.Fatal(err)
			}
			if d := time.Since(start); d < 900*time.Millisecond {
				t.Errorf("the run took %v: it did not wait for the blocker", d)
			}
			if n := len(ev.of(migrate.EventLockRetry)); n != 0 {
				t.Errorf("%d retries", n)
			}
		})
	}
}

// TestTimeoutsInForce: each statement runs under the config's values,
// the header's when it has one, or the session's own for 0 — in every
// mode, inside and outside transactions — and the run leaves the
// session's settings as it found them (here from the URL: 42s and 41s).
func TestTimeoutsInForce(t *testing.T) {
	testdb.RequirePostgres(t)
	see := func(id string) string {
		return "INSERT INTO seen VALUES ('" + id + "', current_setting('lock_timeout'), current_setting('statement_timeout'));"
	}
	files := map[string]string{
		"001.sql": rev("tt01", "", "CREATE TABLE seen (rev text, lock text, stmt text);\n"+see("tt01"), "DROP TABLE seen;"),
		"002.sql": rev("tt02", "tt01", see("tt02"), "", "-- migrate:lock_timeout 7s"),
		"003.sql": rev("tt03", "tt02", see("tt03"), "", "-- migrate:transaction false", "-- migrate:statement_timeout 9s"),
		"004.sql": rev("tt04", "tt03", see("tt04"), "", "-- migrate:lock_timeout 0"),
		"005.sql": rev("tt05", "tt04", see("tt05"), "", "-- migrate:transaction false"),
		"006.sql": rev("tt06", "tt05", "SET lock_timeout = '1min';\n"+see("tt06"), ""),
		"007.sql": rev("tt07", "tt06", see("tt07"), ""),
	}
	want := "tt01 1500ms 2500ms|tt02 7s 2500ms|tt03 1500ms 9s|tt04 42s 2500ms|tt05 1500ms 2500ms|tt06 1min 2500ms|tt07 1500ms 2500ms"
	for _, mode := range []migrate.TxMode{migrate.TxAll, migrate.TxRevision, migrate.TxNone} {
		t.Run(string(mode), func(t *testing.T) {
			ctx := context.Background()
			u := withOption(t, withOption(t, testdb.Postgres(t), "lock_timeout=42s"), "statement_timeout=41s")
			db := openDB(t, u)
			db.SetMaxOpenConns(1) // the run's connection is the one checked after
			m := newM(t, db, migrate.Postgres, graphOf(t, files), migrate.WithTransaction(mode),
				migrate.WithPGLockTimeout(1500*time.Millisecond), migrate.WithPGStatementTimeout(2500*time.Millisecond))
			if _, err := m.Upgrade(ctx, "head"); err != nil {
				t.Fatal(err)
			}
			rows, err := db.Query("SELECT rev || ' ' || lock || ' ' || stmt FROM seen ORDER BY rev")
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for rows.Next() {
				var s string
				if err := rows.Scan(&s); err != nil {
					t.Fatal(err)
				}
				got = append(got, s)
			}
			rows.Close()
			if g := strings.Join(got, "|"); g != want {
				t.Errorf("settings seen:\n%s\nwant\n%s", g, want)
			}
			var lock, stmt string
			if err := db.QueryRow("SELECT current_setting('lock_timeout'), current_setting('statement_timeout')").Scan(&lock, &stmt); err != nil {
				t.Fatal(err)
			}
			if lock != "42s" || stmt != "41s" {
				t.Errorf("after the run the session has lock_timeout %s, statement_timeout %s; want 42s and 41s", lock, stmt)
			}
		})
	}
}

// TestStatementTimeout: a statement that runs longer than
// statement_timeout is cancelled, not retried, and reported as such; the
// transaction is rolled back.
func TestStatementTimeout(t *testing.T) {
	testdb.RequirePostgres(t)
	ctx := context.Background()
	db := openDB(t, testdb.Postgres(t))
	g := graphOf(t, map[string]string{
		"001.sql": rev("st01", "", "CREATE TABLE t1 (id integer);\nSELECT pg_sleep(2);", "DROP TABLE t1;"),
	})
	var ev events
	m := newM(t, db, migrate.Postgres, g, migrate.WithLogger(ev.log), migrate.WithPGStatementTimeout(200*time.Millisecond))
	_, err := m.Upgrade(ctx, "head")
	var te *migrate.TimeoutError
	if !errors.As(err, &te) || te.Setting != "statement_timeout" || te.Timeout != 200*time.Millisecond {
		t.Fatalf("err = %v, want a statement_timeout TimeoutError", err)
	}
	for _, want := range []string{
		"versions/001.sql:7: ERROR: canceling statement due to statement timeout (SQLSTATE 57014)",
		"the statement ran longer than statement_timeout (200ms) and was cancelled; it is not retried",
		"nothing was changed: the transaction was rolled back",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if n := len(ev.of(migrate.EventLockRetry)); n != 0 {
		t.Errorf("%d retries", n)
	}
	// Nothing at all: the version table was created in that transaction.
	if got := strings.Join(tables(t, db, migrate.Postgres), ","); got != "" {
		t.Errorf("tables = %s", got)
	}
}

// TestStatementTimeoutDuringLockWait: a statement_timeout shorter than
// lock_timeout cancels a statement that waits for a lock; the error says
// it waited for a lock all along, and names the blocking session.
func TestStatementTimeoutDuringLockWait(t *testing.T) {
	testdb.RequirePostgres(t)
	ctx := context.Background()
	db := openDB(t, testdb.Postgres(t))
	g := accountsGraph(t)
	if _, err := newM(t, db, migrate.Postgres, g).Upgrade(ctx, "acct00000001"); err != nil {
		t.Fatal(err)
	}
	b := holdAccounts(t, db)
	var ev events
	m := newM(t, db, migrate.Postgres, g, migrate.WithLogger(ev.log),
		migrate.WithPGLockTimeout(3*time.Second), migrate.WithPGStatementTimeout(400*time.Millisecond))
	_, err := m.Upgrade(ctx, "head")
	var te *migrate.TimeoutError
	if !errors.As(err, &te) || te.Setting != "statement_timeout" || !te.LockWait || te.LockTimeout != 3*time.Second {
		t.Fatalf("err = %v, want a statement_timeout TimeoutError during a lock wait", err)
	}
	if len(te.Blockers) != 1 || te.Blockers[0].PID != b.pid || te.WaitedOn != "a lock on accounts" {
		t.Errorf("blockers %+v, waited on %q; want pid %d, a lock on accounts", te.Blockers, te.WaitedOn, b.pid)
	}
	for _, want := range []string{
		"statement_timeout (400ms) cancelled the statement while it still waited for a lock on accounts (before lock_timeout (3s) ran out)",
		"blocked by:\n  pid ",
		"set statement_timeout above lock_timeout",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if strings.Contains(err.Error(), "ran longer than statement_timeout") {
		t.Errorf("error says the statement ran too long:\n%v", err)
	}
}

// TestLockTimeoutNoEffectResolve: the only statement of a revision outside
// a transaction times out on its lock: the error says nothing of the
// revision took effect, and that resolve --reverted records it.
func TestLockTimeoutNoEffectResolve(t *testing.T) {
	testdb.RequirePostgres(t)
	ctx := context.Background()
	db := openDB(t, testdb.Postgres(t))
	g := graphOf(t, map[string]string{
		"001_a1.sql": rev("acct00000001", "", "CREATE TABLE accounts (id integer PRIMARY KEY);\nINSERT INTO accounts VALUES (1);", "DROP TABLE accounts;"),
		"002_a2.sql": rev("acct00000002", "acct00000001", "ALTER TABLE accounts ADD COLUMN note text;", "ALTER TABLE accounts DROP COLUMN note;", "-- migrate:transaction false"),
	})
	if _, err := newM(t, db, migrate.Postgres, g).Upgrade(ctx, "acct00000001"); err != nil {
		t.Fatal(err)
	}
	holdAccounts(t, db)
	var ev events
	_, err := newM(t, db, migrate.Postgres, g, migrate.WithLogger(ev.log), migrate.WithPGLockTimeout(200*time.Millisecond), migrate.WithLockRetries(0, 0)).Upgrade(ctx, "head")
	var re *migrate.RunError
	if !errors.As(err, &re) || re.InProgress == nil {
		t.Fatalf("err = %v", err)
	}
	want := "revision acct00000002 did not finish: none of its statements took effect: statement 1 (versions/002_a2.sql:7) was cancelled while it waited for its lock and had no effect; its version row was not written, and it is marked in progress: nothing of its upgrade is in effect, so 'migrate resolve acct00000002 --reverted' records that"
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error lacks %q:\n%v", want, err)
	}
}

// TestLockTimeoutConcurrentlyNotRetried: outside a transaction, a
// CONCURRENTLY statement that timed out is not run again (a cancelled
// CREATE INDEX CONCURRENTLY can leave an invalid index); the error says
// why, and the revision stays marked in progress at it.
func TestLockTimeoutConcurrentlyNotRetried(t *testing.T) {
	testdb.RequirePostgres(t)
	ctx := context.Background()
	db := openDB(t, testdb.Postgres(t))
	g := graphOf(t, map[string]string{
		"001_a1.sql": rev("acct00000001", "", "CREATE TABLE accounts (id integer PRIMARY KEY);\nINSERT INTO accounts VALUES (1);", "DROP TABLE accounts;"),
		"002_a2.sql": rev("acct00000002", "acct00000001", "CREATE INDEX CONCURRENTLY accounts_id ON accounts (id);", "DROP INDEX accounts_id;", "-- migrate:transaction false"),
	})
	if _, err := newM(t, db, migrate.Postgres, g).Upgrade(ctx, "acct00000001"); err != nil {
		t.Fatal(err)
	}
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec("LOCK TABLE accounts"); err != nil {
		t.Fatal(err)
	}
	var ev events
	_, err = newM(t, db, migrate.Postgres, g, quick(&ev)...).Upgrade(ctx, "head")
	var te *migrate.TimeoutError
	var re *migrate.RunError
	if !errors.As(err, &te) || !errors.As(err, &re) {
		t.Fatalf("err = %v", err)
	}
	if n := len(ev.of(migrate.EventLockRetry)); n != 0 || te.Attempts != 1 {
		t.Errorf("%d retries, %d attempts", n, te.Attempts)
	}
	if !strings.Contains(err.Error(), "not retried: a CONCURRENTLY command cancelled part-way can leave an invalid index behind") {
		t.Errorf("error does not say why:\n%v", err)
	}
	if re.InProgress == nil || re.InProgress.Revision != "acct00000002" || re.InProgress.Statement != 1 {
		t.Errorf("InProgress = %+v", re.InProgress)
	}
}
