package migrate_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"

	"github.com/migratehq/migrate/internal/testdb"
	"github.com/migratehq/migrate/migrate"
)

func marks(t testing.TB, m *migrate.Migrator) []migrate.Progress {
	t.Helper()
	st, err := m.State(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return st.InProgress
}

func count(t testing.TB, db *sql.DB, q string) int {
	t.Helper()
	var n int
	if err := db.QueryRow(q).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// TestInterruptedDowngradeLeavesMark: a downgrade outside a transaction
// that stops half-way (here a failing statement; a killed process leaves
// the same, see testdata/script/progress_kill.txtar) leaves an
// in-progress mark naming the revision, direction, file and statement.
// Until it is resolved every run refuses, and Resolve records what a
// person found.
func TestInterruptedDowngradeLeavesMark(t *testing.T) {
	files := linear()
	// Down of c: the first statement drops tc, the second fails.
	files["003_cccc00000003.sql"] = rev("cccc00000003", "bbbb00000002", "CREATE TABLE tc (id integer PRIMARY KEY);", "DROP TABLE tc;\nDROP TABLE nosuch;")
	for _, tg := range targets(t) {
		t.Run(tg.name, func(t *testing.T) {
			ctx := context.Background()
			db := tg.open(t)
			g := graphOf(t, files)
			m := newM(t, db, tg.dialect, g, migrate.WithTransaction(migrate.TxNone))
			if _, err := m.Upgrade(ctx, "head"); err != nil {
				t.Fatal(err)
			}
			if n := len(marks(t, m)); n != 0 {
				t.Fatalf("%d marks after a good run", n)
			}
			_, err := m.Downgrade(ctx, "base")
			var re *migrate.RunError
			if !errors.As(err, &re) || re.InProgress == nil {
				t.Fatalf("err = %v, want a RunError with a mark", err)
			}
			want := migrate.Progress{Revision: "cccc00000003", Direction: "downgrade", File: "versions/003_cccc00000003.sql",
				Checksum: g.Get("cccc00000003").Checksum, Statement: 2, Statements: 2, Line: 10}
			if p := *re.InProgress; p != want {
				t.Errorf("RunError.InProgress = %+v, want %+v", p, want)
			}
			for _, s := range []string{"revision cccc00000003 did not finish: statement 1 of 2 took effect, statement 2 (versions/003_cccc00000003.sql:10)", "its version row was not removed", "migrate resolve cccc00000003 --applied"} {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error lacks %q:\n%v", s, err)
				}
			}
			if strings.Contains(err.Error(), "nothing was changed") {
				t.Errorf("error claims nothing changed:\n%v", err)
			}
			// The database: tc is gone, c's row is still there, and the mark says so.
			st, err := m.State(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(st.InProgress) != 1 {
				t.Fatalf("State.InProgress = %+v", st.InProgress)
			}
			p := st.InProgress[0]
			p.StartedAt, p.UpdatedAt = "", ""
			if p != want {
				t.Errorf("State.InProgress[0] = %+v, want %+v", p, want)
			}
			if got := strings.Join(st.Heads, ","); got != "cccc00000003" {
				t.Errorf("heads = %s", got)
			}
			// Every run refuses, naming the mark: exit 2 in the CLI.
			for name, run := range map[string]func() error{
				"upgrade":   func() error { _, err := m.Upgrade(ctx, "head"); return err },
				"downgrade": func() error { _, err := m.Downgrade(ctx, "base"); return err },
				"stamp":     func() error { _, err := m.Stamp(ctx, []string{"bbbb"}, false); return err },
				"stamp --purge": func() error {
					_, err := newM(t, db, tg.dialect, g).Stamp(ctx, []string{"base"}, true)
					return err
				},
			} {
				err := run()
				var se *migrate.StateError
				if !errors.As(err, &se) || len(se.InProgress) != 1 || !strings.Contains(err.Error(), "revision cccc00000003 is marked in progress: its downgrade (versions/003_cccc00000003.sql) started outside a transaction and was not recorded as finished") || !strings.Contains(err.Error(), "the version table still records it as applied") {
					t.Errorf("%s with a mark: err = %v", name, err)
				}
			}
			if len(marks(t, m)) != 1 || heads(t, m) != "cccc00000003" {
				t.Fatal("a refused run changed the state")
			}
			// Resolve: a wrong revision, a dry run, then the real thing.
			if _, err := m.Resolve(ctx, "bbbb00000002", migrate.ResolveReverted); !isPlanError(err) || !strings.Contains(err.Error(), "cccc00000003 (downgrade, versions/003_cccc00000003.sql:10)") {
				t.Errorf("resolve of an unmarked revision: %v", err)
			}
			var events []migrate.Event
			log := migrate.WithLogger(func(e migrate.Event) { events = append(events, e) })
			if _, err := newM(t, db, tg.dialect, g, log, migrate.WithDryRun(true)).Resolve(ctx, "cccc", migrate.ResolveReverted); err != nil {
				t.Fatal(err)
			}
			if len(marks(t, m)) != 1 || heads(t, m) != "cccc00000003" {
				t.Fatal("a dry-run resolve changed the state")
			}
			if _, err := newM(t, db, tg.dialect, g, log).Resolve(ctx, "cccc", migrate.ResolveReverted); err != nil {
				t.Fatal(err)
			}
			var msgs []string
			for _, e := range events {
				if e.Kind == migrate.EventResolved {
					msgs = append(msgs, e.Message)
				}
			}
			if len(msgs) != 2 || !strings.HasPrefix(msgs[0], "would resolve revision cccc00000003 (its downgrade was interrupted at versions/003_cccc00000003.sql:10) as reverted: remove its version row") ||
				!strings.HasPrefix(msgs[1], "resolved revision cccc00000003 (its downgrade was interrupted at versions/003_cccc00000003.sql:10) as reverted: its version row is removed") {
				t.Errorf("resolve events: %q", msgs)
			}
			if len(marks(t, m)) != 0 || heads(t, m) != "bbbb00000002" {
				t.Fatalf("after resolve --reverted: marks %v heads %s", marks(t, m), heads(t, m))
			}
			if _, err := m.Resolve(ctx, "cccc", migrate.ResolveReverted); !isPlanError(err) || !strings.Contains(err.Error(), "no revision is marked in progress") {
				t.Errorf("second resolve: %v", err)
			}
			// The runs work again, and a good run outside a transaction
			// leaves no mark behind.
			if _, err := m.Upgrade(ctx, "head"); err != nil {
				t.Fatal(err)
			}
			if n := count(t, db, "SELECT count(*) FROM migrate_version_progress"); n != 0 || heads(t, m) != "cccc00000003" {
				t.Fatalf("after upgrade: %d marks, heads %s", n, heads(t, m))
			}
		})
	}
}

func isPlanError(err error) bool {
	var pe *migrate.PlanError
	return errors.As(err, &pe)
}

// TestInterruptedUpgradeResolveApplied: a transaction-false revision
// that fails half-way in the default mode; the person finishes it by
// hand and resolves it as applied: its row carries the checksum of the
// file as it ran.
func TestInterruptedUpgradeResolveApplied(t *testing.T) {
	files := linear()
	files["004_dddd00000004.sql"] = rev("dddd00000004", "cccc00000003", "CREATE TABLE td (id integer);\nINSERT INTO nosuch VALUES (1);\nCREATE TABLE te (id integer);", "DROP TABLE te;\nDROP TABLE td;", "-- migrate:transaction false")
	for _, tg := range targets(t) {
		t.Run(tg.name, func(t *testing.T) {
			ctx := context.Background()
			db := tg.open(t)
			g := graphOf(t, files)
			m := newM(t, db, tg.dialect, g)
			_, err := m.Upgrade(ctx, "head")
			var re *migrate.RunError
			if !errors.As(err, &re) || re.InProgress == nil || re.InProgress.Statement != 2 || re.InProgress.Line != 8 || stepIDs(re.Committed) != "aaaa00000001,bbbb00000002,cccc00000003" {
				t.Fatalf("err = %v (%+v)", err, re)
			}
			if !strings.Contains(err.Error(), "its version row was not written") {
				t.Errorf("error: %v", err)
			}
			mk := marks(t, m)
			if len(mk) != 1 || mk[0].Direction != "upgrade" || mk[0].Statements != 3 {
				t.Fatalf("marks = %+v", mk)
			}
			if !strings.Contains(mk[0].Describe(), "statement 1 of 3 took effect, statement 2 (versions/004_dddd00000004.sql:8) had started") ||
				!strings.Contains(mk[0].Describe(), "the version table does not record it as applied") {
				t.Errorf("Describe: %s", mk[0].Describe())
			}
			// Finished by hand.
			if _, err := db.Exec("CREATE TABLE te (id integer)"); err != nil {
				t.Fatal(err)
			}
			if _, err := m.Resolve(ctx, "dddd00000004", migrate.ResolveApplied); err != nil {
				t.Fatal(err)
			}
			st, err := m.State(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(st.InProgress) != 0 || strings.Join(st.Heads, ",") != "dddd00000004" || len(st.Edited) != 0 {
				t.Fatalf("after resolve --applied: %+v", st)
			}
			if _, err := m.Downgrade(ctx, "base"); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestOldDatabaseWithoutMarksTable: a database last written by a version
// of migrate without marks reads as having none, and the next run
// creates the table.
func TestOldDatabaseWithoutMarksTable(t *testing.T) {
	for _, tg := range targets(t) {
		t.Run(tg.name, func(t *testing.T) {
			ctx := context.Background()
			db := tg.open(t)
			g := graphOf(t, linear())
			m := newM(t, db, tg.dialect, g)
			if _, err := m.Upgrade(ctx, "bbbb"); err != nil {
				t.Fatal(err)
			}
			if _, err := db.Exec("DROP TABLE migrate_version_progress"); err != nil {
				t.Fatal(err)
			}
			st, err := m.State(ctx)
			if err != nil || len(st.InProgress) != 0 || strings.Join(st.Heads, ",") != "bbbb00000002" {
				t.Fatalf("state of an old database: %+v, %v", st, err)
			}
			if _, err := m.Upgrade(ctx, "head"); err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(tables(t, db, tg.dialect), ","); got != "migrate_version,migrate_version_progress,ta,tb,tc" {
				t.Fatalf("tables = %s", got)
			}
		})
	}
}

// TestMarksTableNaming: the marks table follows the version table's
// schema, and a long version table name still gives a name PostgreSQL
// keeps whole (63 bytes).
func TestMarksTableNaming(t *testing.T) {
	db := pgTarget(t).openURL(t)
	ctx := context.Background()
	long := strings.Repeat("v", 60)
	files := linear()
	files["003_cccc00000003.sql"] = rev("cccc00000003", "bbbb00000002", "CREATE TABLE tc (id integer);\nINSERT INTO nosuch VALUES (1);", "DROP TABLE tc;")
	m := newM(t, db, migrate.Postgres, graphOf(t, files), migrate.WithVersionSchema("meta"), migrate.WithVersionTable(long), migrate.WithTransaction(migrate.TxNone))
	if _, err := m.Upgrade(ctx, "head"); err == nil {
		t.Fatal("upgrade succeeded")
	}
	var name string
	if err := db.QueryRow("SELECT tablename FROM pg_tables WHERE schemaname = 'meta' AND tablename LIKE '%progress'").Scan(&name); err != nil {
		t.Fatal(err)
	}
	if len(name) != 63 || !strings.HasPrefix(name, strings.Repeat("v", 45)+"_") {
		t.Errorf("marks table %q (%d bytes)", name, len(name))
	}
	if mk := marks(t, m); len(mk) != 1 || mk[0].Revision != "cccc00000003" {
		t.Fatalf("marks = %+v", mk)
	}
}

// TestSQLiteForeignKeyOutsideTransaction: in --tx none, a revision that
// leaves a dangling reference is not recorded (the check runs before the
// version row is written, in one transaction with it), the error says so,
// and the revision stays marked, past its last statement.
func TestSQLiteForeignKeyOutsideTransaction(t *testing.T) {
	db := target{url: "sqlite:///" + testdb.SQLitePath(t)}.openURL(t)
	ctx := context.Background()
	files := map[string]string{
		"001_aaaa00000001.sql": rev("aaaa00000001", "", "CREATE TABLE parent (id integer PRIMARY KEY);\nCREATE TABLE child (id integer PRIMARY KEY, parent_id integer REFERENCES parent (id));", "DROP TABLE child;\nDROP TABLE parent;"),
		"002_bbbb00000002.sql": rev("bbbb00000002", "aaaa00000001", "INSERT INTO child VALUES (1, 99);", "DELETE FROM child;"),
	}
	m := newM(t, db, migrate.SQLite, graphOf(t, files), migrate.WithTransaction(migrate.TxNone))
	_, err := m.Upgrade(ctx, "head")
	var fe *migrate.ForeignKeyError
	var re *migrate.RunError
	if !errors.As(err, &fe) || !errors.As(err, &re) {
		t.Fatalf("err = %v", err)
	}
	if h := heads(t, m); h != "aaaa00000001" {
		t.Errorf("heads = %s: the version row of bbbb was written", h)
	}
	if !strings.Contains(err.Error(), "all 1 of its statements took effect, but it was not recorded as finished; its version row was not written") {
		t.Errorf("error does not say what happened:\n%v", err)
	}
	if mk := marks(t, m); len(mk) != 1 || mk[0].Statement != 2 || mk[0].Line != 0 {
		t.Errorf("marks = %+v", mk)
	}
}

// TestFailedDowngradeReportsReverted: a downgrade that fails after some
// revisions were reverted and committed says so, instead of calling them
// applied.
func TestFailedDowngradeReportsReverted(t *testing.T) {
	files := linear()
	files["002_bbbb00000002.sql"] = rev("bbbb00000002", "aaaa00000001", "CREATE TABLE tb (id integer PRIMARY KEY);", "DROP TABLE nosuch;")
	for _, tg := range targets(t) {
		t.Run(tg.name, func(t *testing.T) {
			ctx := context.Background()
			db := tg.open(t)
			m := newM(t, db, tg.dialect, graphOf(t, files), migrate.WithTransaction(migrate.TxRevision))
			if _, err := m.Upgrade(ctx, "head"); err != nil {
				t.Fatal(err)
			}
			_, err := m.Downgrade(ctx, "base")
			if err == nil {
				t.Fatal("downgrade succeeded")
			}
			msg := err.Error()
			if !strings.Contains(msg, "\nthe failing transaction was rolled back\n1 revision(s) reverted and committed before the failure remain reverted: cccc00000003") || strings.Contains(msg, "remain applied") {
				t.Errorf("error:\n%s", msg)
			}
			if h := heads(t, m); h != "bbbb00000002" {
				t.Errorf("heads = %s", h)
			}
		})
	}
}

// newDB opens another fresh database of tg's kind.
func newDB(t *testing.T, tg target) *sql.DB {
	t.Helper()
	u := "sqlite:///" + testdb.SQLitePath(t)
	if tg.dialect == migrate.Postgres {
		u = testdb.Postgres(t)
	}
	return target{url: u}.openURL(t)
}

// pgTarget is the PostgreSQL target alone.
func pgTarget(t *testing.T) target {
	t.Helper()
	testdb.RequirePostgres(t)
	return target{name: "postgres", dialect: migrate.Postgres, url: testdb.Postgres(t)}
}

func (tg target) openURL(t testing.TB) *sql.DB { return openDB(t, tg.url) }

// TestOfflineSQLMarks: offline SQL writes the same marks around a
// revision outside a transaction as the online runner, and the script,
// run as it is, leaves the database recorded at head with no mark.
func TestOfflineSQLMarks(t *testing.T) {
	files := linear()
	files["004_dddd00000004.sql"] = rev("dddd00000004", "cccc00000003", "CREATE INDEX tc_id_idx ON tc (id);\nCREATE TABLE td (id integer);", "DROP TABLE td;\nDROP INDEX tc_id_idx;", "-- migrate:transaction false")
	for _, tg := range targets(t) {
		t.Run(tg.name, func(t *testing.T) {
			g := graphOf(t, files)
			var b strings.Builder
			if err := newM(t, nil, tg.dialect, g).UpgradeSQL(&b, "", "head"); err != nil {
				t.Fatal(err)
			}
			script := b.String()
			want := []string{
				`INSERT INTO "migrate_version_progress" (revision, direction, checksum, file, statement, statements, line) VALUES ('dddd00000004', 'upgrade', '` + g.Get("dddd00000004").Checksum + `', 'versions/004_dddd00000004.sql', 1, 2, 7);`,
				`UPDATE "migrate_version_progress" SET statement = 2, line = 8, updated_at = `,
			}
			if tg.dialect == migrate.Postgres {
				want = append(want, "WITH done AS (DELETE FROM \"migrate_version_progress\" WHERE revision = 'dddd00000004')\nINSERT INTO \"migrate_version\" (revision, checksum, applied_at, execution_ms) VALUES ('dddd00000004', ")
			} else {
				want = append(want, "BEGIN IMMEDIATE;\nINSERT INTO \"migrate_version\" (revision, checksum, applied_at, execution_ms) VALUES ('dddd00000004', '"+g.Get("dddd00000004").Checksum+"', strftime('%Y-%m-%d %H:%M:%f', 'now'), 0);\nDELETE FROM \"migrate_version_progress\" WHERE revision = 'dddd00000004';\nCOMMIT;")
			}
			for _, w := range want {
				if !strings.Contains(script, w) {
					t.Errorf("script lacks %q:\n%s", w, script)
				}
			}
			db := tg.open(t)
			if _, err := db.Exec(script); err != nil {
				t.Fatal(err)
			}
			m := newM(t, db, tg.dialect, g)
			if h := heads(t, m); h != "dddd00000004" || len(marks(t, m)) != 0 {
				t.Errorf("after the script: heads %s, marks %v", h, marks(t, m))
			}
		})
	}
}
