package migrate_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/migratehq/migrate/config"
	"github.com/migratehq/migrate/internal/dbopen"
	"github.com/migratehq/migrate/internal/testdb"
	"github.com/migratehq/migrate/migrate"
	"github.com/migratehq/migrate/versions"
)

// rev renders a revision file.
func rev(id, parents, up, down string, extra ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "-- migrate:revision %s\n-- migrate:revises %s\n-- migrate:message rev %s\n", id, parents, id)
	for _, e := range extra {
		b.WriteString(e + "\n")
	}
	fmt.Fprintf(&b, "\n-- migrate:up\n%s\n\n-- migrate:down\n%s\n", up, down)
	return b.String()
}

func graphOf(t testing.TB, files map[string]string) *versions.Graph {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, text := range files {
		fsys["versions/"+name] = &fstest.MapFile{Data: []byte(text)}
	}
	revs, err := versions.Load(fsys, "versions")
	if err != nil {
		t.Fatal(err)
	}
	g, err := versions.NewGraph(revs)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// linear is a→b→c creating tables ta, tb, tc.
func linear() map[string]string {
	return map[string]string{
		"001_aaaa00000001.sql": rev("aaaa00000001", "", "CREATE TABLE ta (id integer PRIMARY KEY);", "DROP TABLE ta;"),
		"002_bbbb00000002.sql": rev("bbbb00000002", "aaaa00000001", "CREATE TABLE tb (id integer PRIMARY KEY, a integer REFERENCES ta (id));", "DROP TABLE tb;"),
		"003_cccc00000003.sql": rev("cccc00000003", "bbbb00000002", "CREATE TABLE tc (id integer PRIMARY KEY);\nINSERT INTO tc (id) VALUES (1);", "DROP TABLE tc;"),
	}
}

// target is one database under test.
type target struct {
	name    string
	dialect migrate.Dialect
	url     string
	open    func(t testing.TB) *sql.DB
}

func targets(t *testing.T) []target {
	sqlitePath := testdb.SQLitePath(t)
	ts := []target{{
		name: "sqlite", dialect: migrate.SQLite, url: "sqlite:///" + sqlitePath,
	}}
	if err := testdb.Reachable(); err == nil {
		ts = append(ts, target{name: "postgres", dialect: migrate.Postgres, url: testdb.Postgres(t)})
	} else {
		testdb.RequirePostgres(t) // fails under CI=true
		t.Logf("SKIPPING the PostgreSQL half: %v", err)
	}
	for i := range ts {
		u := ts[i].url
		ts[i].open = func(t testing.TB) *sql.DB { return openDB(t, u) }
	}
	return ts
}

func newM(t testing.TB, db *sql.DB, d migrate.Dialect, g *versions.Graph, opts ...migrate.Option) *migrate.Migrator {
	t.Helper()
	m, err := migrate.New(db, d, g, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func tables(t testing.TB, db *sql.DB, d migrate.Dialect) []string {
	t.Helper()
	q := "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
	if d == migrate.Postgres {
		q = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
	}
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// stepIDs joins the revisions of steps.
func stepIDs(steps []migrate.StepResult) string {
	var ids []string
	for _, s := range steps {
		ids = append(ids, s.Revision)
	}
	return strings.Join(ids, ",")
}

func heads(t testing.TB, m *migrate.Migrator) string {
	t.Helper()
	st, err := m.State(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(st.Heads, ",")
}

func TestUpgradeDowngradeRoundTrip(t *testing.T) {
	for _, tg := range targets(t) {
		t.Run(tg.name, func(t *testing.T) {
			ctx := context.Background()
			db := tg.open(t)
			g := graphOf(t, linear())
			var events []migrate.Event
			m := newM(t, db, tg.dialect, g, migrate.WithLogger(func(e migrate.Event) { events = append(events, e) }))
			if h := heads(t, m); h != "" {
				t.Fatalf("fresh database heads = %q", h)
			}
			res, err := m.Upgrade(ctx, "bbbb")
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Steps) != 2 || heads(t, m) != "bbbb00000002" {
				t.Fatalf("upgrade bbbb: steps %v heads %s", res.Steps, heads(t, m))
			}
			// Already there: a no-op, not an error.
			if res, err := m.Upgrade(ctx, "aaaa00000001"); err != nil || len(res.Steps) != 0 {
				t.Fatalf("upgrade to an applied revision: %v %v", res, err)
			}
			if _, err := m.Upgrade(ctx, "head"); err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(tables(t, db, tg.dialect), ","); got != "migrate_version,migrate_version_progress,ta,tb,tc" {
				t.Fatalf("tables after upgrade head = %s", got)
			}
			st, _ := m.State(ctx)
			if len(st.Applied) != 3 || st.Applied[0].Checksum == "" {
				t.Fatalf("version rows = %+v", st.Applied)
			}
			if _, err := m.Downgrade(ctx, "-1"); err != nil {
				t.Fatal(err)
			}
			if heads(t, m) != "bbbb00000002" {
				t.Fatalf("after downgrade -1 heads = %s", heads(t, m))
			}
			if _, err := m.Downgrade(ctx, "base"); err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(tables(t, db, tg.dialect), ","); got != "migrate_version,migrate_version_progress" {
				t.Fatalf("tables after downgrade base = %s", got)
			}
			var revEvents int
			for _, e := range events {
				if e.Kind == migrate.EventRevision {
					revEvents++
					if e.File == "" || e.Direction == "" {
						t.Errorf("event lacks file or direction: %+v", e)
					}
				}
			}
			if revEvents != 6 {
				t.Errorf("revision events = %d, want 6", revEvents)
			}
		})
	}
}

func TestFailureLeavesDatabaseUnchanged(t *testing.T) {
	files := linear()
	files["004_dddd00000004.sql"] = rev("dddd00000004", "cccc00000003", "CREATE TABLE td (id integer);\nINSERT INTO nosuch VALUES (1);", "DROP TABLE td;")
	for _, tg := range targets(t) {
		t.Run(tg.name, func(t *testing.T) {
			ctx := context.Background()
			db := tg.open(t)
			g := graphOf(t, files)
			m := newM(t, db, tg.dialect, g)
			_, err := m.Upgrade(ctx, "head")
			var se *migrate.StatementError
			if !errors.As(err, &se) {
				t.Fatalf("error %v (%T) is not a StatementError", err, err)
			}
			if se.File != "versions/004_dddd00000004.sql" || se.Line != 7 || se.Revision != "dddd00000004" {
				t.Errorf("statement error = %+v, want file versions/004_dddd00000004.sql line 7", se)
			}
			if !strings.Contains(err.Error(), "nothing was changed") {
				t.Errorf("error does not say nothing changed: %v", err)
			}
			// TxAll: not even the version table exists.
			if got := tables(t, db, tg.dialect); len(got) != 0 {
				t.Fatalf("tables after failed upgrade = %v, want none", got)
			}
			// TxRevision: the three good revisions stay.
			m = newM(t, db, tg.dialect, g, migrate.WithTransaction(migrate.TxRevision))
			_, err = m.Upgrade(ctx, "head")
			var re *migrate.RunError
			if !errors.As(err, &re) || len(re.Committed) != 3 {
				t.Fatalf("revision mode error = %v", err)
			}
			if h := heads(t, m); h != "cccc00000003" {
				t.Fatalf("heads after failed revision-mode upgrade = %s", h)
			}
			if got := strings.Join(tables(t, db, tg.dialect), ","); got != "migrate_version,migrate_version_progress,ta,tb,tc" {
				t.Fatalf("tables = %s", got)
			}
		})
	}
}

func TestChecksumEdited(t *testing.T) {
	for _, tg := range targets(t) {
		t.Run(tg.name, func(t *testing.T) {
			ctx := context.Background()
			db := tg.open(t)
			files := linear()
			m := newM(t, db, tg.dialect, graphOf(t, files))
			if _, err := m.Upgrade(ctx, "bbbb"); err != nil {
				t.Fatal(err)
			}
			// A comment-only edit is not an edit.
			files["001_aaaa00000001.sql"] = strings.Replace(files["001_aaaa00000001.sql"], "CREATE TABLE ta", "-- the first table\nCREATE TABLE ta", 1)
			m = newM(t, db, tg.dialect, graphOf(t, files))
			if _, err := m.Upgrade(ctx, "bbbb"); err != nil {
				t.Fatalf("comment-only edit refused: %v", err)
			}
			files["001_aaaa00000001.sql"] = strings.Replace(files["001_aaaa00000001.sql"], "id integer PRIMARY KEY", "id bigint PRIMARY KEY", 1)
			m = newM(t, db, tg.dialect, graphOf(t, files))
			_, err := m.Upgrade(ctx, "head")
			var se *migrate.StateError
			if !errors.As(err, &se) || len(se.Edited) != 1 || !strings.Contains(err.Error(), "versions/001_aaaa00000001.sql") {
				t.Fatalf("edited file: err = %v", err)
			}
			if h := heads(t, m); h != "bbbb00000002" {
				t.Fatalf("refused upgrade changed heads: %s", h)
			}
			m = newM(t, db, tg.dialect, graphOf(t, files), migrate.WithAcceptEdited(true))
			if _, err := m.Upgrade(ctx, "head"); err != nil {
				t.Fatal(err)
			}
			st, _ := m.State(ctx)
			if len(st.Edited) != 0 {
				t.Fatalf("accepted checksum not recorded: %+v", st.Edited)
			}
		})
	}
}

func TestStamp(t *testing.T) {
	for _, tg := range targets(t) {
		t.Run(tg.name, func(t *testing.T) {
			ctx := context.Background()
			db := tg.open(t)
			m := newM(t, db, tg.dialect, graphOf(t, linear()))
			if _, err := m.Stamp(ctx, []string{"head"}, false); err != nil {
				t.Fatal(err)
			}
			if h := heads(t, m); h != "cccc00000003" {
				t.Fatalf("stamp head: heads = %s", h)
			}
			if got := strings.Join(tables(t, db, tg.dialect), ","); got != "migrate_version,migrate_version_progress" {
				t.Fatalf("stamp ran SQL: tables = %s", got)
			}
			if _, err := m.Stamp(ctx, []string{"aaaa"}, false); err != nil {
				t.Fatal(err)
			}
			if h := heads(t, m); h != "aaaa00000001" {
				t.Fatalf("stamp aaaa: heads = %s", h)
			}
			if _, err := m.Stamp(ctx, []string{"bbbb"}, true); err != nil {
				t.Fatal(err)
			}
			st, _ := m.State(ctx)
			if len(st.Applied) != 2 || heads(t, m) != "bbbb00000002" {
				t.Fatalf("stamp --purge bbbb: %+v", st.Applied)
			}
			if _, err := m.Stamp(ctx, []string{"base"}, false); err != nil {
				t.Fatal(err)
			}
			if h := heads(t, m); h != "" {
				t.Fatalf("stamp base: heads = %s", h)
			}
		})
	}
}

func TestNonTransactionalRevision(t *testing.T) {
	files := linear()
	files["004_dddd00000004.sql"] = rev("dddd00000004", "cccc00000003", "CREATE INDEX tc_id_idx ON tc (id);", "DROP INDEX tc_id_idx;", "-- migrate:transaction false")
	files["005_eeee00000005.sql"] = rev("eeee00000005", "dddd00000004", "CREATE TABLE te (id integer);\nINSERT INTO nosuch VALUES (1);", "DROP TABLE te;")
	for _, tg := range targets(t) {
		t.Run(tg.name, func(t *testing.T) {
			if tg.dialect == migrate.Postgres {
				files["004_dddd00000004.sql"] = strings.Replace(files["004_dddd00000004.sql"], "CREATE INDEX", "CREATE INDEX CONCURRENTLY", 1)
			}
			ctx := context.Background()
			db := tg.open(t)
			var events []migrate.Event
			m := newM(t, db, tg.dialect, graphOf(t, files), migrate.WithLogger(func(e migrate.Event) { events = append(events, e) }))
			_, err := m.Upgrade(ctx, "head")
			var re *migrate.RunError
			if !errors.As(err, &re) {
				t.Fatalf("err = %v", err)
			}
			// a, b, c were committed before d ran outside a transaction; d
			// is applied; e failed and rolled back.
			if got := stepIDs(re.Committed); got != "aaaa00000001,bbbb00000002,cccc00000003,dddd00000004" {
				t.Fatalf("committed = %s", got)
			}
			if h := heads(t, m); h != "dddd00000004" {
				t.Fatalf("heads = %s", h)
			}
			var sawCommit, sawNoTx bool
			for _, e := range events {
				sawCommit = sawCommit || e.Kind == migrate.EventCommit
				sawNoTx = sawNoTx || e.Kind == migrate.EventNoTx
			}
			if !sawCommit || !sawNoTx {
				t.Errorf("events lack commit/no_tx notes: %+v", events)
			}
			if _, err := m.Downgrade(ctx, "base"); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestOfflineSQL(t *testing.T) {
	files := linear()
	files["004_dddd00000004.sql"] = rev("dddd00000004", "cccc00000003", "CREATE INDEX CONCURRENTLY tc_id_idx ON tc (id);", "DROP INDEX CONCURRENTLY tc_id_idx;", "-- migrate:transaction false")
	m := newM(t, nil, migrate.Postgres, graphOf(t, files))
	var b strings.Builder
	if err := m.UpgradeSQL(&b, "", "head"); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"BEGIN;\n\nCREATE TABLE IF NOT EXISTS \"migrate_version\"",
		"-- Running upgrade  -> aaaa00000001, rev aaaa00000001 (versions/001_aaaa00000001.sql)\nCREATE TABLE ta (id integer PRIMARY KEY);\n\n-- Running upgrade aaaa00000001 -> bbbb00000002",
		// a, b, c are recorded in one statement before the commit that precedes d
		"-- Record the revisions of this transaction\nINSERT INTO \"migrate_version\" (revision, checksum, applied_at, execution_ms) VALUES\n    ('aaaa00000001', '",
		"INSERT INTO \"migrate_version\" (revision, checksum, applied_at, execution_ms) VALUES ('dddd00000004', '",
		"', clock_timestamp(), 0);", // the time the INSERT runs, not the transaction's start
		"INSERT INTO tc (id) VALUES (1);",
		"COMMIT;\n\n-- Running upgrade cccc00000003 -> dddd00000004",
		"CREATE INDEX CONCURRENTLY tc_id_idx ON tc (id);",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("offline SQL lacks %q:\n%s", want, out)
		}
	}
	if strings.Count(out, "BEGIN;") != 1 || strings.Count(out, "COMMIT;") != 1 {
		t.Errorf("want exactly one BEGIN and one COMMIT (d runs alone, last):\n%s", out)
	}
	b.Reset()
	if err := m.DowngradeSQL(&b, "cccc", "aaaa"); err != nil {
		t.Fatal(err)
	}
	out = b.String()
	if !strings.Contains(out, "DROP TABLE tb;\n\n-- Record the revisions of this transaction\nDELETE FROM \"migrate_version\" WHERE revision IN ('cccc00000003', 'bbbb00000002');\n\nCOMMIT;") || strings.Contains(out, "DROP TABLE ta") {
		t.Errorf("downgrade SQL:\n%s", out)
	}
	if err := m.DowngradeSQL(&b, "", "base"); err == nil {
		t.Error("downgrade SQL without a FROM accepted")
	}
}

// TestOfflineSQLNoEmptyTransaction: starting at a revision that runs
// outside a transaction, or with nothing to do, prints no empty
// BEGIN/COMMIT pair.
func TestOfflineSQLNoEmptyTransaction(t *testing.T) {
	files := linear()
	files["004_dddd00000004.sql"] = rev("dddd00000004", "cccc00000003", "CREATE INDEX CONCURRENTLY tc_id_idx ON tc (id);", "DROP INDEX CONCURRENTLY tc_id_idx;", "-- migrate:transaction false")
	m := newM(t, nil, migrate.Postgres, graphOf(t, files))
	var b strings.Builder
	if err := m.UpgradeSQL(&b, "cccc", "head"); err != nil {
		t.Fatal(err)
	}
	if out := b.String(); strings.Contains(out, "BEGIN") || strings.Contains(out, "COMMIT") || !strings.Contains(out, "CREATE INDEX CONCURRENTLY") {
		t.Errorf("upgrade cccc:head (d runs alone) has transaction statements:\n%s", out)
	}
	b.Reset()
	if err := m.UpgradeSQL(&b, "dddd", "bbbb"); err != nil {
		t.Fatal(err)
	}
	if out := b.String(); strings.Contains(out, "BEGIN") || strings.Contains(out, "COMMIT") || !strings.Contains(out, "-- nothing to do") {
		t.Errorf("upgrade dddd:bbbb (nothing to do):\n%s", out)
	}
}

// TestEventsReportOnlyWhatHappened: a plan error or a dry run reports no
// rollback (nothing ran), and a non-transactional first revision reports
// no "committing 0 earlier revision(s)".
func TestEventsReportOnlyWhatHappened(t *testing.T) {
	for _, tg := range targets(t) {
		t.Run(tg.name, func(t *testing.T) {
			files := linear()
			files["001_aaaa00000001.sql"] = rev("aaaa00000001", "", "CREATE TABLE ta (id integer PRIMARY KEY);", "DROP TABLE ta;", "-- migrate:transaction false")
			ctx := context.Background()
			db := tg.open(t)
			var events []migrate.Event
			log := migrate.WithLogger(func(e migrate.Event) { events = append(events, e) })
			kinds := func() string {
				var k []string
				for _, e := range events {
					k = append(k, string(e.Kind))
				}
				events = nil
				return strings.Join(k, ",")
			}
			m := newM(t, db, tg.dialect, graphOf(t, files), log)
			if _, err := m.Upgrade(ctx, "zzzz"); err == nil {
				t.Fatal("unknown target accepted")
			}
			if k := kinds(); strings.Contains(k, "rolled_back") {
				t.Errorf("plan error events: %s", k)
			}
			dry := newM(t, db, tg.dialect, graphOf(t, files), log, migrate.WithDryRun(true))
			if _, err := dry.Upgrade(ctx, "head"); err != nil {
				t.Fatal(err)
			}
			if k := kinds(); strings.Contains(k, "rolled_back") {
				t.Errorf("dry run events: %s", k)
			}
			if _, err := m.Upgrade(ctx, "head"); err != nil {
				t.Fatal(err)
			}
			if k := kinds(); strings.Contains(k, "commit") || !strings.Contains(k, "no_tx") {
				t.Errorf("upgrade with a non-transactional first revision: %s", k)
			}
		})
	}
}

func TestPostgresErrorLine(t *testing.T) {
	testdb.RequirePostgres(t)
	u := testdb.Postgres(t)
	pu, _ := config.ParseURL(u, "/")
	db, err := dbopen.Open(context.Background(), pu, true)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	files := map[string]string{
		"001_aaaa00000001.sql": rev("aaaa00000001", "", "CREATE TABLE ta (\n    id integer,\n    name txet\n);", "DROP TABLE ta;"),
	}
	m := newM(t, db, migrate.Postgres, graphOf(t, files))
	_, err = m.Upgrade(context.Background(), "head")
	var se *migrate.StatementError
	if !errors.As(err, &se) {
		t.Fatalf("err = %v", err)
	}
	// The header is 3 lines, a blank, the marker: CREATE is line 6, "txet" line 8.
	if se.Line != 8 || !strings.Contains(err.Error(), `type "txet" does not exist`) {
		t.Fatalf("line = %d, err = %v", se.Line, err)
	}
}

func TestPostgresLock(t *testing.T) {
	testdb.RequirePostgres(t)
	u := testdb.Postgres(t)
	pu, _ := config.ParseURL(u, "/")
	files := map[string]string{}
	parent := ""
	for i := 1; i <= 20; i++ {
		id := fmt.Sprintf("r%011d", i)
		files[id+".sql"] = rev(id, parent, fmt.Sprintf("CREATE TABLE t%d (id integer);\nSELECT pg_sleep(0.01);", i), fmt.Sprintf("DROP TABLE t%d;", i))
		parent = id
	}
	g := graphOf(t, files)
	// Eight runners at once: all succeed, every revision runs once.
	var wg sync.WaitGroup
	errs := make([]error, 8)
	counts := make([]int, 8)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			db, err := dbopen.Open(context.Background(), pu, true)
			if err != nil {
				errs[i] = err
				return
			}
			defer db.Close()
			m, err := migrate.New(db, migrate.Postgres, g)
			if err != nil {
				errs[i] = err
				return
			}
			res, err := m.Upgrade(context.Background(), "head")
			errs[i] = err
			if res != nil {
				counts[i] = len(res.Steps)
			}
		}(i)
	}
	wg.Wait()
	total := 0
	for i, err := range errs {
		if err != nil {
			t.Errorf("runner %d: %v", i, err)
		}
		total += counts[i]
	}
	if total != 20 {
		t.Fatalf("revisions applied in total = %d, want 20 (counts %v)", total, counts)
	}
	// A held lock: the wait times out with the holder's pid.
	db, err := dbopen.Open(context.Background(), pu, true)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var pid int
	if err := conn.QueryRowContext(context.Background(), "SELECT pg_backend_pid()").Scan(&pid); err != nil {
		t.Fatal(err)
	}
	key := migrate.LockKeyForTest("", "migrate_version")
	if _, err := conn.ExecContext(context.Background(), "SELECT pg_advisory_lock($1)", key); err != nil {
		t.Fatal(err)
	}
	var waited []migrate.Event
	m := newM(t, db, migrate.Postgres, g, migrate.WithLockTimeout(300*time.Millisecond), migrate.WithLogger(func(e migrate.Event) { waited = append(waited, e) }))
	start := time.Now()
	_, err = m.Upgrade(context.Background(), "head")
	var le *migrate.LockTimeoutError
	if !errors.As(err, &le) || !strings.Contains(err.Error(), fmt.Sprintf("pid %d", pid)) {
		t.Fatalf("err = %v, want a lock timeout naming pid %d", err, pid)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("lock wait took %v", d)
	}
	if len(waited) == 0 || waited[0].Kind != migrate.EventLockWait || waited[0].PID != pid {
		t.Errorf("events = %+v, want a lock_wait naming pid %d", waited, pid)
	}
}

// A rebuild of a parent table in SQLite keeps the children's rows even
// though their foreign keys cascade: the runner switches enforcement off
// and checks integrity before committing.
// TestSQLiteConcurrentRuns: SQLite's lock lasts one transaction, so in
// revision mode runs interleave; each checks the version table at the
// start of its transactions and plans again when another run moved it.
// Eight runners at once: all succeed, every revision runs once.
func TestSQLiteConcurrentRuns(t *testing.T) {
	for _, mode := range []migrate.TxMode{migrate.TxAll, migrate.TxRevision} {
		t.Run(string(mode), func(t *testing.T) {
			pu, err := config.ParseURL("sqlite:///"+testdb.SQLitePath(t), "/")
			if err != nil {
				t.Fatal(err)
			}
			files := map[string]string{}
			parent := ""
			for i := 1; i <= 20; i++ {
				id := fmt.Sprintf("r%011d", i)
				// A second run of a revision would fail on its CREATE TABLE;
				// the rows make each revision take a moment, so runs overlap.
				files[id+".sql"] = rev(id, parent, fmt.Sprintf("CREATE TABLE t%d (id integer);\nINSERT INTO t%d WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 20000) SELECT x FROM c;", i, i), fmt.Sprintf("DROP TABLE t%d;", i))
				parent = id
			}
			g := graphOf(t, files)
			var wg sync.WaitGroup
			errs := make([]error, 8)
			counts := make([]int, 8)
			for i := range 8 {
				wg.Go(func() {
					db, err := dbopen.Open(context.Background(), pu, true)
					if err != nil {
						errs[i] = err
						return
					}
					defer db.Close()
					m, err := migrate.New(db, migrate.SQLite, g, migrate.WithTransaction(mode))
					if err != nil {
						errs[i] = err
						return
					}
					res, err := m.Upgrade(context.Background(), "head")
					errs[i] = err
					if res != nil {
						counts[i] = len(res.Steps)
					}
				})
			}
			wg.Wait()
			total := 0
			for i, err := range errs {
				if err != nil {
					t.Errorf("runner %d: %v", i, err)
				}
				total += counts[i]
			}
			if total != 20 {
				t.Fatalf("revisions applied in total = %d, want 20 (counts %v)", total, counts)
			}
		})
	}
}

// TestSQLiteReplan: another run works while this one is between
// transactions (here: right before a transaction-false revision); this
// run notices, plans again from the new state, and runs nothing twice.
// With a relative target it stops instead, saying why.
func TestSQLiteReplan(t *testing.T) {
	files := map[string]string{}
	parent := ""
	for i := 1; i <= 4; i++ {
		id := fmt.Sprintf("r%011d", i)
		var extra []string
		if i == 3 {
			extra = append(extra, "-- migrate:transaction false")
		}
		files[id+".sql"] = rev(id, parent, fmt.Sprintf("CREATE TABLE t%d (id integer);", i), fmt.Sprintf("DROP TABLE t%d;", i), extra...)
		parent = id
	}
	for _, target := range []string{"head", "+4"} {
		t.Run(target, func(t *testing.T) {
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
			g := graphOf(t, files)
			other := newM(t, open(), migrate.SQLite, g)
			var otherSteps int
			var kinds []string
			hook := migrate.WithLogger(func(e migrate.Event) {
				kinds = append(kinds, string(e.Kind))
				if e.Kind == migrate.EventNoTx && otherSteps == 0 {
					res, err := other.Upgrade(context.Background(), "head")
					if err != nil {
						t.Errorf("other run: %v", err)
						return
					}
					otherSteps = len(res.Steps)
				}
			})
			m := newM(t, open(), migrate.SQLite, g, hook)
			res, err := m.Upgrade(context.Background(), target)
			if otherSteps != 2 {
				t.Fatalf("other run applied %d revisions, want 2 (r3, r4)", otherSteps)
			}
			if target == "+4" {
				var re *migrate.RunError
				if !errors.As(err, &re) || !strings.Contains(err.Error(), "a relative target cannot be planned again") {
					t.Fatalf("relative target: err = %v", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("err = %v (events %v)", err, kinds)
			}
			if len(res.Steps) != 2 || !slices.Contains(kinds, "replan") {
				t.Errorf("steps = %v, events %v; want r1, r2 and a replan", res.Steps, kinds)
			}
			if h := heads(t, m); h != "r00000000004" {
				t.Errorf("heads = %s", h)
			}
		})
	}
}

func TestSQLiteRebuildKeepsChildren(t *testing.T) {
	path := testdb.SQLitePath(t)
	pu, _ := config.ParseURL("sqlite:///"+path, "/")
	db, err := dbopen.Open(context.Background(), pu, true)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	files := map[string]string{
		"001_aaaa00000001.sql": rev("aaaa00000001", "", `CREATE TABLE parent (id integer PRIMARY KEY, name text);
CREATE TABLE child (id integer PRIMARY KEY, parent_id integer REFERENCES parent (id) ON DELETE CASCADE);
INSERT INTO parent VALUES (1, 'a'), (2, 'b');
INSERT INTO child VALUES (10, 1), (20, 2);`, "DROP TABLE child;\nDROP TABLE parent;"),
		"002_bbbb00000002.sql": rev("bbbb00000002", "aaaa00000001", `CREATE TABLE parent_new (id integer PRIMARY KEY, name text NOT NULL DEFAULT '');
INSERT INTO parent_new (id, name) SELECT id, coalesce(name, '') FROM parent;
DROP TABLE parent;
ALTER TABLE parent_new RENAME TO parent;`, "SELECT 1;"),
		"003_cccc00000003.sql": rev("cccc00000003", "bbbb00000002", `INSERT INTO child VALUES (30, 99);`, "DELETE FROM child WHERE id = 30;"),
	}
	m := newM(t, db, migrate.SQLite, graphOf(t, files))
	if _, err := m.Upgrade(context.Background(), "bbbb"); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.QueryRow("SELECT count(*) FROM child").Scan(&n); err != nil || n != 2 {
		t.Fatalf("children after the parent's rebuild = %d, %v; want 2", n, err)
	}
	// A dangling reference is caught before commit.
	_, err = m.Upgrade(context.Background(), "head")
	var fe *migrate.ForeignKeyError
	if !errors.As(err, &fe) {
		t.Fatalf("err = %v, want a ForeignKeyError", err)
	}
	if h := heads(t, m); h != "bbbb00000002" {
		t.Fatalf("heads = %s", h)
	}
	var fk int
	conn, _ := db.Conn(context.Background())
	defer conn.Close()
	conn.QueryRowContext(context.Background(), "PRAGMA foreign_keys").Scan(&fk)
	if fk != 1 {
		t.Errorf("foreign_keys left off on the connection")
	}
}
