package migrate_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/migratehq/migrate/config"
	"github.com/migratehq/migrate/internal/dbopen"
	"github.com/migratehq/migrate/internal/testdb"
	"github.com/migratehq/migrate/migrate"
	"github.com/migratehq/migrate/versions"
)

// sideEffects is five revisions r1…r5, each inserting its own id into
// the table side with one statement (so that even in --tx none a
// revision either took effect or did not). r3's statement reads the
// table gate: it blocks while the test holds a lock on gate.
func sideEffects(t testing.TB) *versions.Graph {
	files := map[string]string{}
	parent := ""
	for i := 1; i <= 5; i++ {
		id := fmt.Sprintf("r%011d", i)
		up := fmt.Sprintf("INSERT INTO side VALUES ('%s');", id)
		if i == 3 {
			up = fmt.Sprintf("INSERT INTO side SELECT '%s' FROM (SELECT count(*) FROM gate) g;", id)
		}
		files[id+".sql"] = rev(id, parent, up, fmt.Sprintf("DELETE FROM side WHERE rev = '%s';", id))
		parent = id
	}
	return graphOf(t, files)
}

// openDB opens the database at URL u (either dialect),
// closed when the test ends.
func openDB(t testing.TB, u string) *sql.DB {
	t.Helper()
	pu, err := config.ParseURL(u, "/")
	if err != nil {
		t.Fatal(err)
	}
	db, err := dbopen.Open(context.Background(), pu, true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// waitFor polls query until its boolean result is true (10 s at most).
func waitFor(t testing.TB, db *sql.DB, what, query string, args ...any) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var ok bool
		err := db.QueryRow(query, args...).Scan(&ok)
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s: not true after 10 s (last error %v)", what, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// countSide checks that every revision took effect exactly once and is
// recorded once.
func countSide(t testing.TB, db *sql.DB) {
	t.Helper()
	rows, err := db.Query("SELECT rev, count(*) FROM side GROUP BY rev ORDER BY rev")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var rev string
		var n int
		if err := rows.Scan(&rev, &n); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%s×%d", rev, n))
	}
	want := "r00000000001×1 r00000000002×1 r00000000003×1 r00000000004×1 r00000000005×1"
	if s := strings.Join(got, " "); s != want {
		t.Errorf("side effects = %s\nwant           %s", s, want)
	}
	var n int
	if err := db.QueryRow("SELECT count(*) FROM migrate_version").Scan(&n); err != nil || n != 5 {
		t.Errorf("version rows = %d (%v), want 5", n, err)
	}
}

const advisoryLocks = `FROM pg_locks WHERE locktype = 'advisory'
   AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`

// TestPostgresLockLost: the backend holding the migration lock is
// terminated while its run is in the middle of revision r3 and a second
// run waits for the lock. The first run must not go on without its lock:
// it fails, saying the lock was lost and what it committed; the second
// takes over, and every revision takes effect exactly once.
func TestPostgresLockLost(t *testing.T) {
	testdb.RequirePostgres(t)
	for _, mode := range []migrate.TxMode{migrate.TxNone, migrate.TxRevision, migrate.TxAll} {
		t.Run(string(mode), func(t *testing.T) {
			ctx := context.Background()
			u := testdb.Postgres(t)
			admin := openDB(t, u)
			if _, err := admin.Exec("CREATE TABLE side (rev text NOT NULL); CREATE TABLE gate (id integer)"); err != nil {
				t.Fatal(err)
			}
			// Hold gate: r3 blocks on it.
			gate, err := admin.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer gate.Rollback()
			if _, err := gate.Exec("LOCK TABLE gate IN ACCESS EXCLUSIVE MODE"); err != nil {
				t.Fatal(err)
			}
			g := sideEffects(t)
			var wg sync.WaitGroup
			var firstErr, secondErr error
			var secondSteps int
			wg.Go(func() {
				m := newM(t, openDB(t, u), migrate.Postgres, g, migrate.WithTransaction(mode))
				_, firstErr = m.Upgrade(ctx, "head")
			})
			waitFor(t, admin, "the first run to block in r3",
				`SELECT count(*) = 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO side SELECT%'`)
			wg.Go(func() {
				m := newM(t, openDB(t, u), migrate.Postgres, g, migrate.WithTransaction(mode))
				res, err := m.Upgrade(ctx, "head")
				secondErr = err
				if res != nil {
					secondSteps = len(res.Steps)
				}
			})
			waitFor(t, admin, "the second run to wait for the migration lock", "SELECT count(*) = 1 "+advisoryLocks+" AND NOT granted")
			var killed bool
			if err := admin.QueryRow("SELECT pg_terminate_backend(pid) " + advisoryLocks + " AND granted").Scan(&killed); err != nil || !killed {
				t.Fatalf("terminating the lock's backend: %v %v", killed, err)
			}
			// Give a run that wrongly went on the time to do harm: the
			// second run takes the lock, and r3 waits for gate in both.
			waitFor(t, admin, "the second run to take the lock", "SELECT count(*) = 1 "+advisoryLocks+" AND granted")
			time.Sleep(100 * time.Millisecond)
			gate.Rollback()
			wg.Wait()

			var lost *migrate.LockLostError
			var re *migrate.RunError
			if !errors.As(firstErr, &lost) || !errors.As(firstErr, &re) {
				t.Fatalf("first run: err = %v (%T), want a RunError holding a LockLostError", firstErr, firstErr)
			}
			msg := firstErr.Error()
			t.Logf("first run:\n%s", msg)
			for _, want := range []string{"the connection to the server was lost", "migration lock", "terminating connection due to administrator command"} {
				if !strings.Contains(msg, want) {
					t.Errorf("first run's message lacks %q:\n%s", want, msg)
				}
			}
			wantCommitted := "r00000000001,r00000000002"
			if mode == migrate.TxAll {
				wantCommitted = ""
				if !strings.Contains(msg, "nothing was changed") {
					t.Errorf("first run's message does not say nothing was changed:\n%s", msg)
				}
			}
			if got := committedIDs(re); got != wantCommitted {
				t.Errorf("first run committed %q, want %q", got, wantCommitted)
			}
			if mode == migrate.TxNone {
				// r3 ran outside a transaction: it stays marked, and the
				// second run refuses to guess (r3's insert never ran: it
				// was blocked when its session ended). Resolved, a third
				// run does the rest.
				if re.InProgress == nil || re.InProgress.Revision != "r00000000003" {
					t.Errorf("first run: in progress %+v, want r3", re.InProgress)
				}
				var se *migrate.StateError
				if !errors.As(secondErr, &se) || !strings.Contains(secondErr.Error(), "r00000000003 is marked in progress") {
					t.Fatalf("second run: err = %v, want a refusal naming r3's mark", secondErr)
				}
				m := newM(t, openDB(t, u), migrate.Postgres, g, migrate.WithTransaction(mode))
				if _, err := m.Resolve(ctx, "r00000000003", migrate.ResolveReverted); err != nil {
					t.Fatal(err)
				}
				res, err := m.Upgrade(ctx, "head")
				if err != nil {
					t.Fatal(err)
				}
				secondErr, secondSteps = nil, len(res.Steps)
			}
			if secondErr != nil {
				t.Errorf("second run: %v", secondErr)
			}
			if want := 5 - len(re.Committed); secondSteps != want {
				t.Errorf("second run applied %d revisions, want %d", secondSteps, want)
			}
			countSide(t, admin)
		})
	}
}

// withOption adds a server setting to a PostgreSQL URL's options.
func withOption(t testing.TB, u, setting string) string {
	p, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	q := p.Query()
	q.Set("options", strings.TrimSpace(q.Get("options")+" -c "+setting))
	// Spaces as %20: pgx reads a '+' in options literally.
	p.RawQuery = strings.ReplaceAll(q.Encode(), "+", "%20")
	return p.String()
}

// TestPostgresIdleSessionTimeout: idle_session_timeout set in the URL.
// A run whose statements keep its session busy keeps its lock (a second
// run waits, then finds nothing to do); a run whose session sits idle
// past the timeout (here: a logger that dawdles) loses its connection and
// with it the lock, and fails saying so, while the second run does the
// work once.
func TestPostgresIdleSessionTimeout(t *testing.T) {
	testdb.RequirePostgres(t)
	ctx := context.Background()

	t.Run("busy", func(t *testing.T) {
		u := testdb.Postgres(t)
		admin := openDB(t, u)
		if _, err := admin.Exec("CREATE TABLE side (rev text NOT NULL); CREATE TABLE gate (id integer)"); err != nil {
			t.Fatal(err)
		}
		files := map[string]string{}
		parent := ""
		for i := 1; i <= 5; i++ {
			id := fmt.Sprintf("r%011d", i)
			files[id+".sql"] = rev(id, parent, fmt.Sprintf("SELECT pg_sleep(0.3);\nINSERT INTO side VALUES ('%s');", id), "SELECT 1;")
			parent = id
		}
		g := graphOf(t, files)
		var wg sync.WaitGroup
		var firstErr error
		wg.Go(func() {
			m := newM(t, openDB(t, withOption(t, u, "idle_session_timeout=200")), migrate.Postgres, g, migrate.WithTransaction(migrate.TxNone))
			_, firstErr = m.Upgrade(ctx, "head")
		})
		waitFor(t, admin, "the first run to take the lock", "SELECT count(*) = 1 "+advisoryLocks+" AND granted")
		var waited bool
		m := newM(t, openDB(t, u), migrate.Postgres, g, migrate.WithLogger(func(e migrate.Event) { waited = waited || e.Kind == migrate.EventLockWait }))
		res, err := m.Upgrade(ctx, "head")
		wg.Wait()
		if firstErr != nil {
			t.Fatalf("first run: %v", firstErr)
		}
		if err != nil || len(res.Steps) != 0 || !waited {
			t.Fatalf("second run: err %v, waited %v, steps %v; want a wait, then nothing to do", err, waited, res)
		}
		countSide(t, admin)
	})

	t.Run("idle", func(t *testing.T) {
		u := testdb.Postgres(t)
		admin := openDB(t, u)
		if _, err := admin.Exec("CREATE TABLE side (rev text NOT NULL); CREATE TABLE gate (id integer)"); err != nil {
			t.Fatal(err)
		}
		g := sideEffects(t)
		secondDone := make(chan error, 1)
		var secondSteps int
		second := func() {
			m := newM(t, openDB(t, u), migrate.Postgres, g, migrate.WithTransaction(migrate.TxNone))
			res, err := m.Upgrade(ctx, "head")
			if res != nil {
				secondSteps = len(res.Steps)
			}
			secondDone <- err
		}
		// The first run dawdles after r2 (its session idle, outside a
		// transaction) until the server has ended the session and the
		// second run has done the whole work.
		var once sync.Once
		first := newM(t, openDB(t, withOption(t, u, "idle_session_timeout=200")), migrate.Postgres, g,
			migrate.WithTransaction(migrate.TxNone),
			migrate.WithLogger(func(e migrate.Event) {
				if e.Kind == migrate.EventRevision && e.Revision == "r00000000002" {
					once.Do(func() {
						go second()
						select {
						case err := <-secondDone:
							secondDone <- err
						case <-time.After(5 * time.Second):
						}
					})
				}
			}))
		_, err := first.Upgrade(ctx, "head")
		var lost *migrate.LockLostError
		var re *migrate.RunError
		if !errors.As(err, &lost) || !errors.As(err, &re) {
			t.Fatalf("first run: err = %v (%T), want a RunError holding a LockLostError", err, err)
		}
		t.Logf("first run:\n%v", err)
		if !strings.Contains(err.Error(), "idle-session timeout") || !strings.Contains(err.Error(), "migration lock") {
			t.Errorf("first run's message does not name the idle-session timeout and the lock:\n%v", err)
		}
		if got := committedIDs(re); got != "r00000000001,r00000000002" {
			t.Errorf("first run committed %q", got)
		}
		if err := <-secondDone; err != nil {
			t.Fatalf("second run: %v", err)
		}
		if secondSteps != 3 {
			t.Errorf("second run applied %d revisions, want 3", secondSteps)
		}
		countSide(t, admin)
	})
}

// TestPostgresLockRelease: the lock never outlives the run, even when
// the run's context is cancelled, and a connection that might still hold
// it never goes back to the pool.
func TestPostgresLockRelease(t *testing.T) {
	testdb.RequirePostgres(t)
	u := testdb.Postgres(t)
	admin := openDB(t, u)
	noLock := "SELECT count(*) = 0 " + advisoryLocks
	files := map[string]string{
		"r1.sql": rev("r00000000001", "", "CREATE TABLE t1 (id integer);", "DROP TABLE t1;"),
		"r2.sql": rev("r00000000002", "r00000000001", "SELECT pg_sleep(30);", "SELECT 1;"),
	}
	g := graphOf(t, files)
	db := openDB(t, u)

	// A successful run: its connection goes back to the pool unlocked.
	m := newM(t, db, migrate.Postgres, g)
	if _, err := m.Upgrade(context.Background(), "r00000000001"); err != nil {
		t.Fatal(err)
	}
	var ok bool
	if err := admin.QueryRow(noLock).Scan(&ok); err != nil || !ok {
		t.Fatalf("an advisory lock is still held after the run (%v)", err)
	}
	if db.Stats().Idle == 0 {
		t.Errorf("the run's connection did not go back to the pool")
	}

	// A cancelled run: released at once all the same.
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := m.Upgrade(ctx, "head")
		done <- err
	}()
	waitFor(t, admin, "r2 to run", `SELECT count(*) = 1 FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'SELECT pg_sleep(30)%'`)
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled run: err = %v", err)
	}
	waitFor(t, admin, "the lock to be released", noLock)
	other := newM(t, openDB(t, u), migrate.Postgres, g, migrate.WithLockTimeout(0))
	if _, err := other.Upgrade(context.Background(), "r00000000001"); err != nil {
		t.Fatalf("a run after the cancelled one: %v", err)
	}

	// A revision that drops every advisory lock of its session: the run
	// says it went on unprotected, and its connection is not pooled.
	files["r2.sql"] = rev("r00000000002", "r00000000001", "SELECT pg_advisory_unlock_all();", "SELECT 1;")
	var warned string
	m = newM(t, openDB(t, u), migrate.Postgres, graphOf(t, files), migrate.WithLogger(func(e migrate.Event) {
		if e.Kind == migrate.EventWarning {
			warned = e.Message
		}
	}))
	if _, err := m.Upgrade(context.Background(), "head"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(warned, "no longer held") {
		t.Errorf("warning = %q, want one saying the lock was no longer held", warned)
	}
}

// TestSQLiteLockTimeout: another connection holds the database's write
// lock for longer than lock_timeout; the run gives up saying so.
func TestSQLiteLockTimeout(t *testing.T) {
	pu, err := config.ParseURL("sqlite:///"+testdb.SQLitePath(t), "/")
	if err != nil {
		t.Fatal(err)
	}
	open := func() *sql.DB {
		db, err := dbopen.Open(context.Background(), pu, true)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	holder, err := open().Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	if _, err := holder.ExecContext(context.Background(), "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	defer holder.ExecContext(context.Background(), "ROLLBACK")
	for _, mode := range []migrate.TxMode{migrate.TxAll, migrate.TxNone} {
		m := newM(t, open(), migrate.SQLite, graphOf(t, linear()), migrate.WithTransaction(mode), migrate.WithLockTimeout(300*time.Millisecond))
		start := time.Now()
		_, err := m.Upgrade(context.Background(), "head")
		var le *migrate.LockTimeoutError
		if !errors.As(err, &le) || le.Timeout != 300*time.Millisecond {
			t.Fatalf("%s: err = %v (%T), want a LockTimeoutError after 300ms", mode, err, err)
		}
		want := "timed out after 300ms (lock_timeout) waiting for the write lock of the SQLite database, held by another migrate run or another connection"
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%s: message\n%v\nlacks %q", mode, err, want)
		}
		if d := time.Since(start); d < 300*time.Millisecond || d > 5*time.Second {
			t.Errorf("%s: gave up after %v", mode, d)
		}
	}
}

// TestPostgresLostDuringCommit: the connection is lost while COMMIT is
// under way (a deferred trigger terminates the session at commit time).
// Whether a COMMIT whose answer never came took effect cannot be known
// from this side: the error says so, naming the revisions, instead of
// claiming that nothing changed.
func TestPostgresLostDuringCommit(t *testing.T) {
	testdb.RequirePostgres(t)
	u := testdb.Postgres(t)
	files := map[string]string{
		"r1.sql": rev("r00000000001", "", `CREATE TABLE t1 (id integer);
CREATE FUNCTION kill_me() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_terminate_backend(pg_backend_pid());
    RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER t1_kill AFTER INSERT ON t1 DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION kill_me();`, "DROP TABLE t1;"),
		"r2.sql": rev("r00000000002", "r00000000001", "INSERT INTO t1 VALUES (1);", "DELETE FROM t1;"),
	}
	m := newM(t, openDB(t, u), migrate.Postgres, graphOf(t, files))
	_, err := m.Upgrade(context.Background(), "head")
	t.Logf("run:\n%v", err)
	var lost *migrate.LockLostError
	if !errors.As(err, &lost) || strings.Join(lost.InDoubt, ",") != "r00000000001,r00000000002" {
		t.Fatalf("err = %v, want a LockLostError with r1, r2 in doubt", err)
	}
	msg := err.Error()
	if !strings.Contains(msg, "while committing") || !strings.Contains(msg, "the commit of r00000000001, r00000000002 was under way: whether it took effect is unknown") {
		t.Errorf("message does not say the commit is in doubt:\n%s", msg)
	}
	if strings.Contains(msg, "nothing was changed") {
		t.Errorf("message claims nothing changed:\n%s", msg)
	}
}

// TestPostgresConnNeverReconnects pins down what the lock's design
// relies on (lock.go): once the server ends the session of a *sql.Conn
// (pgx stdlib), every later statement on it fails; none runs on a new
// session behind our back.
func TestPostgresConnNeverReconnects(t *testing.T) {
	testdb.RequirePostgres(t)
	u := testdb.Postgres(t)
	admin := openDB(t, u)
	conn, err := openDB(t, u).Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var pid int
	if err := conn.QueryRowContext(context.Background(), "SELECT pg_backend_pid()").Scan(&pid); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec("SELECT pg_terminate_backend($1)", pid); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		var got int
		err := conn.QueryRowContext(context.Background(), "SELECT pg_backend_pid()").Scan(&got)
		if err == nil {
			t.Fatalf("statement %d after the session ended ran on backend %d (was %d)", i+1, got, pid)
		}
	}
}

// committedIDs lists the revisions a RunError reports as committed.
func committedIDs(re *migrate.RunError) string {
	ids := make([]string, len(re.Committed))
	for i, s := range re.Committed {
		ids[i] = s.Revision
	}
	return strings.Join(ids, ",")
}
