package autogen

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	_ "modernc.org/sqlite"

	"github.com/migratehq/migrate/internal/schematest"
	"github.com/migratehq/migrate/internal/testdb"
	"github.com/migratehq/migrate/introspect"
	"github.com/migratehq/migrate/migrate"
	"github.com/migratehq/migrate/schema"
	"github.com/migratehq/migrate/sqlsplit"
	"github.com/migratehq/migrate/versions"
)

var updateSQLite = flag.Bool("update-sqlite", false, "rewrite the golden up.sql and down.sql of testdata/diff/sqlite")

// The SQLite change scenarios live in testdata/diff/sqlite/NAME/:
//
//	before.sql   the schema of the database
//	data.sql     rows for it (every table gets some)
//	after.sql    the model (with its -- migrate:renamed_from hints)
//	up.sql       golden: the rendered Up
//	down.sql     golden: the rendered Down
//
// Each one: before.sql and data.sql go into a database file; Diff against
// after.sql; Up and Down are rendered and compared with the golden files
// (go test -run TestSQLiteScenarios ./autogen -update-sqlite rewrites
// them); Up runs through the migrate runner, on a connection whose URL
// switches foreign keys on, as an application's would. Then the schema
// must be after.sql's (SQLite's pragmas, normalised view and trigger text,
// checks, collations, generated columns, index statements), Diff against
// the model must be empty, every row of every table kept must still be
// there (same rowid, same values in the columns both sides have: children
// of a rebuilt parent included), sqlite_sequence must keep its counters,
// PRAGMA foreign_key_check and integrity_check must pass. Down must then
// bring back before.sql's schema, with the rows of the columns Up kept.
func TestSQLiteScenarios(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join("testdata", "diff", "sqlite", "*"))
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) == 0 {
		t.Fatal("no SQLite scenarios")
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			t.Parallel()
			sc := sqliteScenario{
				before: sqliteReadFile(t, filepath.Join(dir, "before.sql")),
				after:  sqliteReadFile(t, filepath.Join(dir, "after.sql")),
				data:   sqliteReadFile(t, filepath.Join(dir, "data.sql")),
				golden: dir,
			}
			sc.run(t)
		})
	}
}

// sqliteScenario is one round trip; golden is the folder of up.sql and
// down.sql, or "" to skip that comparison.
type sqliteScenario struct {
	before, after, data string
	golden              string
	// keep are tables the data must fill (all when nil).
	keep func(table string) bool
	// sqliteVersion is the oldest SQLite the revision must run on
	// (RenderOptions.SQLiteVersion; 0: the default).
	sqliteVersion int
}

func sqliteReadFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func (sc sqliteScenario) run(t *testing.T) (up, down []Statement) {
	ctx := context.Background()
	path := testdb.SQLitePath(t)
	sqliteExec(t, path, sc.before+"\n;\n"+sc.data)
	initial := sqliteSnapshotOf(t, path)
	for _, tb := range initial.tables {
		if len(initial.rows[tb]) == 0 && (sc.keep == nil || sc.keep(tb)) {
			t.Fatalf("the data leaves table %s empty", tb)
		}
	}
	current := sqliteInspect(t, path)
	wantBefore := sqliteFingerprint(t, path)

	afterPath := filepath.Join(t.TempDir(), "after.db")
	sqliteExec(t, afterPath, sc.after)
	target := sqliteInspect(t, afterPath)
	wantAfter := sqliteFingerprint(t, afterPath)

	opts, err := ParseHints([]Chunk{{File: "after.sql", Line: 1, SQL: sc.after}}, sqlsplit.SQLite, "")
	if err != nil {
		t.Fatal(err)
	}
	changes, err := Diff(current, target, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) == 0 {
		t.Fatal("Diff finds no change")
	}
	ro := RenderOptions{SQLiteVersion: sc.sqliteVersion}
	if up, err = RenderChangesWith(schema.SQLite, current, target, changes, ro); err != nil {
		t.Fatalf("rendering Up: %v", err)
	}
	if down, err = RenderChangesWith(schema.SQLite, target, current, Reverse(changes), ro); err != nil {
		t.Fatalf("rendering Down: %v", err)
	}
	upText, downText := sqliteBody(up), sqliteBody(down)
	if sc.golden != "" {
		sqliteGolden(t, filepath.Join(sc.golden, "up.sql"), upText)
		sqliteGolden(t, filepath.Join(sc.golden, "down.sql"), downText)
	}

	m := sqliteMigrator(t, path, upText, downText)
	if _, err := m.Upgrade(ctx, "head"); err != nil {
		t.Fatalf("upgrade: %v\n%s", err, upText)
	}
	if got := sqliteFingerprint(t, path); got != wantAfter {
		t.Errorf("after Up, the schema is not after.sql's:\n%s", schematest.LineDiff(wantAfter, got))
	}
	if again, err := Diff(sqliteInspect(t, path, "migrate_version", "migrate_version_progress"), target, opts); err != nil || len(again) > 0 {
		t.Errorf("after Up, Diff against the model is not empty: %v%s", err, sqliteDescribe(again))
	}
	ren := sqliteRenamesOf(opts)
	afterUp := sqliteSnapshotOf(t, path)
	sqliteSameRows(t, "after Up", initial, afterUp, ren.table, ren.column)
	sqliteIntegrity(t, path)

	if _, err := m.Downgrade(ctx, "base"); err != nil {
		t.Fatalf("downgrade: %v\n%s", err, downText)
	}
	if got := sqliteFingerprint(t, path); got != wantBefore {
		t.Errorf("after Down, the schema is not before.sql's:\n%s", schematest.LineDiff(wantBefore, got))
	}
	if again, err := Diff(sqliteInspect(t, path, "migrate_version", "migrate_version_progress"), current, DiffOptions{}); err != nil || len(again) > 0 {
		t.Errorf("after Down, Diff against before.sql is not empty: %v%s", err, sqliteDescribe(again))
	}
	// Down brings back the rows in the columns that Up kept (as stored
	// values: a generated column is computed again).
	kept := func(table, col string) string {
		nt, nc := ren.table(table), ren.column(table, col)
		tt := target.Table("", nt)
		if tt == nil || tt.Column(nc) == nil || tt.Column(nc).Generated != nil {
			return ""
		}
		return col
	}
	sqliteSameRows(t, "after Down", initial, sqliteSnapshotOf(t, path), func(s string) string { return s }, kept)
	sqliteIntegrity(t, path)
	return up, down
}

func sqliteDescribe(cs []Change) string {
	var b strings.Builder
	for _, c := range cs {
		fmt.Fprintf(&b, "\n  %T %+v", c, c)
	}
	return b.String()
}

// sqliteBody writes statements as a revision body.
func sqliteBody(stmts []Statement) string {
	var b strings.Builder
	for i, s := range stmts {
		if i > 0 {
			b.WriteString("\n")
		}
		if s.Warning != "" {
			b.WriteString("-- WARNING: " + s.Warning + "\n")
		}
		b.WriteString(s.SQL + ";\n")
	}
	return b.String()
}

func sqliteGolden(t *testing.T, path, got string) {
	t.Helper()
	if *updateSQLite {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -run TestSQLiteScenarios ./autogen -update-sqlite writes it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs (go test -run TestSQLiteScenarios ./autogen -update-sqlite rewrites it):\n%s", path, schematest.LineDiff(string(want), got))
	}
}

func sqliteOpen(t *testing.T, path, params string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+params)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func sqliteExec(t *testing.T, path, text string) {
	t.Helper()
	db := sqliteOpen(t, path, "")
	db.SetMaxOpenConns(1)
	stmts, err := sqlsplit.Split(text, sqlsplit.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range stmts {
		if _, err := db.Exec(s.SQL); err != nil {
			t.Fatalf("%v\n  in: %s", err, s.SQL)
		}
	}
	db.Close()
}

// sqliteInspect reads the schema of the database at path, without the
// tables named in without.
func sqliteInspect(t *testing.T, path string, without ...string) *schema.Schema {
	t.Helper()
	db := sqliteOpen(t, path, "")
	defer db.Close()
	s, err := introspect.Inspect(context.Background(), db, schema.SQLite, introspect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Tables = slices.DeleteFunc(s.Tables, func(tb *schema.Table) bool { return slices.Contains(without, tb.Name) })
	return s
}

// sqliteMigrator returns a runner over one revision on the database at
// path, opened with foreign keys on.
func sqliteMigrator(t *testing.T, path, up, down string) *migrate.Migrator {
	t.Helper()
	text := "-- migrate:revision aaaa00000001\n-- migrate:revises\n-- migrate:message scenario\n\n-- migrate:up\n" +
		up + "\n-- migrate:down\n" + down
	revs, err := versions.Load(fstest.MapFS{"v/001_aaaa00000001.sql": {Data: []byte(text)}}, "v")
	if err != nil {
		t.Fatal(err)
	}
	g, err := versions.NewGraph(revs)
	if err != nil {
		t.Fatal(err)
	}
	m, err := migrate.New(sqliteOpen(t, path, "?_pragma=foreign_keys(1)"), migrate.SQLite, g)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func sqliteQuery(t *testing.T, db *sql.DB, q string, args ...any) [][]string {
	t.Helper()
	rows, err := db.Query(q, args...)
	if err != nil {
		t.Fatalf("%v\n  in: %s", err, q)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]string
	for rows.Next() {
		v := make([]sql.NullString, len(cols))
		p := make([]any, len(cols))
		for i := range v {
			p[i] = &v[i]
		}
		if err := rows.Scan(p...); err != nil {
			t.Fatal(err)
		}
		r := make([]string, len(cols))
		for i, x := range v {
			r[i] = "NULL"
			if x.Valid {
				r[i] = x.String
			}
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// sqliteFingerprint describes a schema as SQLite's pragmas report it
// (schematest.SQLitePragmaSnapshot), plus what only the statements hold:
// checks, column collations, generated expressions, AUTOINCREMENT and the
// statements of indexes, normalised.
func sqliteFingerprint(t *testing.T, path string) string {
	t.Helper()
	db := sqliteOpen(t, path, "")
	defer db.Close()
	// SQLite writes a renamed table quoted into views and triggers.
	lines := []string{schematest.SQLitePragmaSnapshot(t, db, "migrate_version", "migrate_version_progress")}
	s, err := introspect.Inspect(context.Background(), db, schema.SQLite, introspect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range s.Tables {
		if tb.Name == "migrate_version" || tb.Name == "migrate_version_progress" {
			continue
		}
		for _, c := range tb.Checks {
			lines = append(lines, fmt.Sprintf("check %s %s %s", tb.Name, c.Name, schematest.NormaliseSQL(c.Expr)))
		}
		for _, c := range tb.Columns {
			line := fmt.Sprintf("column %s.%s collate=%s autoincrement=%v on_conflict=%s", tb.Name, c.Name, c.Collation, c.AutoIncrement, c.OnConflict)
			if c.Generated != nil {
				line += fmt.Sprintf(" generated=%s stored=%v", schematest.NormaliseSQL(c.Generated.Expr), c.Generated.Stored)
			}
			lines = append(lines, line)
		}
		for _, k := range append([]*schema.Key{tb.PrimaryKey}, tb.Uniques...) {
			if k != nil {
				lines = append(lines, fmt.Sprintf("key %s %s %v conflict=%s", tb.Name, k.Name, k.Columns, k.OnConflict))
			}
		}
		for _, fk := range tb.ForeignKeys {
			lines = append(lines, fmt.Sprintf("foreign key %s %s %v %s %v match=%s deferrable=%v/%v", tb.Name, fk.Name, fk.Columns, fk.RefTable, fk.RefColumns, fk.Match, fk.Deferrable, fk.InitiallyDeferred))
		}
		for _, i := range tb.Indexes {
			line := fmt.Sprintf("index %s on %s unique=%v where=%s", i.Name, tb.Name, i.Unique, schematest.NormaliseSQL(i.Where))
			for _, p := range i.Parts {
				line += fmt.Sprintf(" (%s%s desc=%v collate=%s)", p.Column, schematest.NormaliseSQL(p.Expr), p.Desc, p.Collation)
			}
			lines = append(lines, line)
		}
	}
	slices.Sort(lines[1:])
	return unquoteBareNames(strings.Join(lines, "\n"))
}

// sqliteSnapshot is every row of every table, as text.
type sqliteSnapshot struct {
	tables   []string
	columns  map[string][]string // stored and generated columns, by table
	rowid    map[string]bool     // the table has a rowid no column hides
	rows     map[string][]map[string]string
	sequence map[string]string
}

func sqliteSnapshotOf(t *testing.T, path string) *sqliteSnapshot {
	t.Helper()
	db := sqliteOpen(t, path, "")
	defer db.Close()
	s := &sqliteSnapshot{columns: map[string][]string{}, rowid: map[string]bool{}, rows: map[string][]map[string]string{}, sequence: map[string]string{}}
	for _, tb := range sqliteQuery(t, db, `SELECT name, wr FROM pragma_table_list
		WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' AND name NOT IN ('migrate_version', 'migrate_version_progress') ORDER BY name`) {
		name := tb[0]
		s.tables = append(s.tables, name)
		var cols, exprs []string
		for _, c := range sqliteQuery(t, db, `SELECT name FROM pragma_table_xinfo(?) WHERE hidden IN (0, 2, 3) ORDER BY cid`, name) {
			cols = append(cols, c[0])
			// A value as text, numbers in one format: a type change
			// converts '9.5' to 9.5 and 10 to 10.0, and keeps the value.
			exprs = append(exprs, fmt.Sprintf(`CASE typeof(%[1]s) WHEN 'null' THEN 'NULL'
				WHEN 'integer' THEN 'v:' || printf('%%.15g', %[1]s) WHEN 'real' THEN 'v:' || printf('%%.15g', %[1]s)
				WHEN 'blob' THEN 'x:' || hex(%[1]s) ELSE 'v:' || %[1]s END`, sqliteQuote(c[0])))
		}
		s.columns[name] = cols
		if tb[1] == "0" && rowIDName(cols) == "rowid" {
			s.rowid[name] = true
			cols = append(cols, "rowid")
			exprs = append(exprs, "rowid")
		}
		for _, r := range sqliteQuery(t, db, "SELECT "+strings.Join(exprs, ", ")+" FROM "+sqliteQuote(name)) {
			row := map[string]string{}
			for i, c := range cols {
				row[foldName(c)] = r[i]
			}
			s.rows[name] = append(s.rows[name], row)
		}
	}
	if len(sqliteQuery(t, db, `SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_sequence'`)) > 0 {
		for _, r := range sqliteQuery(t, db, `SELECT name, seq FROM sqlite_sequence`) {
			s.sequence[foldName(r[0])] = r[1]
		}
	}
	return s
}

// sqliteRenames are the renames of a scenario's hints: folded old table
// name → new name; folded "old table.old column" → new column name.
type sqliteRenames struct {
	tables  map[string]string
	columns map[string]string
}

func sqliteRenamesOf(o DiffOptions) sqliteRenames {
	m := sqliteRenames{tables: map[string]string{}, columns: map[string]string{}}
	for to, from := range o.TableRenames {
		m.tables[foldName(from.Name)] = to.Name
	}
	for to, from := range o.ColumnRenames {
		old := to.Table
		for o, n := range m.tables {
			if sqliteSameName(n, to.Table) {
				old = o
			}
		}
		m.columns[foldName(old+"."+from)] = to.Column
	}
	return m
}

func (m sqliteRenames) table(name string) string {
	if n, ok := m.tables[foldName(name)]; ok {
		return n
	}
	return name
}

func (m sqliteRenames) column(table, col string) string {
	if n, ok := m.columns[foldName(table+"."+col)]; ok {
		return n
	}
	return col
}

// sqliteSameRows checks that every table of a that b still has (as
// table(name)) holds the same rows: same count, same values in the
// columns of a that b has (as column(table, col), "" for none), same
// rowids where both sides have them; and that AUTOINCREMENT counters
// kept their value.
func sqliteSameRows(t *testing.T, step string, a, b *sqliteSnapshot, table func(string) string, column func(table, col string) string) {
	t.Helper()
	for _, tb := range a.tables {
		nt := table(tb)
		if !slices.ContainsFunc(b.tables, func(n string) bool { return sqliteSameName(n, nt) }) {
			continue
		}
		var pairs [][2]string
		for _, c := range a.columns[tb] {
			if nc := column(tb, c); nc != "" && containsName(b.columns[nt], nc) {
				pairs = append(pairs, [2]string{foldName(c), foldName(nc)})
			}
		}
		if a.rowid[tb] && b.rowid[nt] {
			pairs = append(pairs, [2]string{"rowid", "rowid"})
		}
		ra, rb := a.rows[tb], b.rows[nt]
		if len(ra) != len(rb) {
			t.Errorf("%s: table %s has %d rows, %s had %d", step, nt, len(rb), tb, len(ra))
			continue
		}
		key := func(r map[string]string, side int) string {
			var parts []string
			for _, p := range pairs {
				parts = append(parts, p[0]+"="+r[p[side]])
			}
			return strings.Join(parts, " ")
		}
		var ka, kb []string
		for i := range ra {
			ka = append(ka, key(ra[i], 0))
			kb = append(kb, key(rb[i], 1))
		}
		slices.Sort(ka)
		slices.Sort(kb)
		if !slices.Equal(ka, kb) {
			t.Errorf("%s: the rows of %s changed:\nwere %q\nnow  %q", step, nt, ka, kb)
		}
	}
	for name, seq := range a.sequence {
		if got, ok := b.sequence[foldName(table(name))]; ok && got != seq {
			t.Errorf("%s: sqlite_sequence of %s is %s, was %s", step, table(name), got, seq)
		}
	}
}

func sqliteIntegrity(t *testing.T, path string) {
	t.Helper()
	db := sqliteOpen(t, path, "")
	defer db.Close()
	if v := sqliteQuery(t, db, "PRAGMA foreign_key_check"); len(v) > 0 {
		t.Errorf("foreign_key_check: %v", v)
	}
	if v := sqliteQuery(t, db, "PRAGMA integrity_check"); len(v) != 1 || v[0][0] != "ok" {
		t.Errorf("integrity_check: %v", v)
	}
}

// TestSQLiteRealworldRebuild rebuilds parents of many tables in real
// schemas loaded with their data: sakila's film (children, AFTER INSERT
// and AFTER UPDATE triggers that rewrite last_update, views) and
// language (film's parent), chinook's Artist (AUTOINCREMENT, a deleted
// last row) and Employee (a self-reference). Every row of every table
// must survive, both ways.
func TestSQLiteRealworldRebuild(t *testing.T) {
	rw := testdb.Realworld(t)
	for _, tc := range []struct {
		name, dir string
		edits     [][2]string // model = schema.sql with these replacements
		data      string      // more rows
		filled    []string    // tables the data must fill
	}{
		{
			name: "sakila", dir: "sakila-sqlite",
			edits: [][2]string{
				{"  length SMALLINT DEFAULT NULL,\n", "  length INTEGER DEFAULT NULL CHECK (length > 0),\n  rating_score INTEGER NOT NULL DEFAULT 0,\n"},
				{"  rental_rate DECIMAL(4,2) DEFAULT 4.99 NOT NULL,\n", "  rental_rate TEXT DEFAULT '4.99' NOT NULL,\n"},
				{"  name CHAR(20) NOT NULL,\n  last_update TIMESTAMP NOT NULL,\n  PRIMARY KEY (language_id)", "  name VARCHAR(20) NOT NULL,\n  last_update TIMESTAMP NOT NULL,\n  PRIMARY KEY (language_id)"},
			},
			filled: []string{"film", "language", "film_actor", "film_category", "inventory", "rental", "payment"},
		},
		{
			name: "chinook", dir: "chinook-sqlite-autoincrement",
			edits: [][2]string{
				{"    [ArtistId] INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,\n    [Name] NVARCHAR(120)\n", "    [ArtistId] INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,\n    [Name] NVARCHAR(120) NOT NULL DEFAULT ''\n"},
				{"    [Title] NVARCHAR(30),\n    [ReportsTo] INTEGER,", "    [Title] TEXT COLLATE NOCASE,\n    [ReportsTo] INTEGER,"},
			},
			data:   "DELETE FROM [Artist] WHERE [ArtistId] = (SELECT max([ArtistId]) FROM [Artist] WHERE [ArtistId] NOT IN (SELECT [ArtistId] FROM [Album]));",
			filled: []string{"Artist", "Album", "Track", "Employee", "Customer", "Invoice", "InvoiceLine"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			before := sqliteReadFile(t, filepath.Join(rw, tc.dir, "schema.sql"))
			after := before
			for _, e := range tc.edits {
				if !strings.Contains(after, e[0]) {
					t.Fatalf("schema.sql has no %q", e[0])
				}
				after = strings.Replace(after, e[0], e[1], 1)
			}
			sc := sqliteScenario{
				before: before, after: after,
				data: sqliteReadFile(t, filepath.Join(rw, tc.dir, "data.sql")) + "\n" + tc.data,
				keep: func(table string) bool { return containsName(tc.filled, table) },
			}
			up, _ := sc.run(t)
			if os.Getenv("SQLITE_PRINT") != "" {
				t.Log(sqliteBody(up))
			}
			if !slices.ContainsFunc(up, func(s Statement) bool { return strings.HasPrefix(s.SQL, "ALTER TABLE "+sqliteTempPrefix) }) {
				t.Errorf("no rebuild in Up:\n%s", sqliteBody(up))
			}
		})
	}
}

// TestSQLiteRebuildGuard runs a rebuild of a parent whose child has ON
// DELETE CASCADE the way another tool might: in a transaction on a
// connection with foreign keys on. The guard must stop it before DROP
// TABLE deletes the children, with a message that says why.
func TestSQLiteRebuildGuard(t *testing.T) {
	path := testdb.SQLitePath(t)
	sqliteExec(t, path, `
CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id) ON DELETE CASCADE);
INSERT INTO parent VALUES (1, 'a'), (2, 'b');
INSERT INTO child VALUES (1, 1), (2, 2);`)
	afterPath := filepath.Join(t.TempDir(), "after.db")
	sqliteExec(t, afterPath, `
CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '');
CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id) ON DELETE CASCADE);`)
	current, target := sqliteInspect(t, path), sqliteInspect(t, afterPath)
	changes, err := Diff(current, target, DiffOptions{})
	if err != nil {
		t.Fatal(err)
	}
	up, err := RenderChanges(schema.SQLite, current, target, changes)
	if err != nil {
		t.Fatal(err)
	}
	db := sqliteOpen(t, path, "?_pragma=foreign_keys(1)")
	db.SetMaxOpenConns(1)
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	var failed error
	for _, s := range up {
		if _, err := tx.Exec(s.SQL); err != nil {
			failed = err
			break
		}
	}
	tx.Rollback()
	if failed == nil || !strings.Contains(failed.Error(), "PRAGMA foreign_keys must be OFF to rebuild parent (children: child)") {
		t.Fatalf("with foreign keys on, the rebuild ran or failed otherwise: %v\n%s", failed, sqliteBody(up))
	}
	var n int
	if err := db.QueryRow("SELECT count(*) FROM child").Scan(&n); err != nil || n != 2 {
		t.Fatalf("child rows: %d, %v", n, err)
	}
}

func TestSQLiteMentions(t *testing.T) {
	got := sqliteMentions(`SELECT "Order".id, [my col], ` + "`b`" + `, x'00', 'film' AS s, -- users
		/* posts */ f.title_2 FROM "a""b" JOIN film AS f WHERE n > 1.5e3 OR x = 'x' OR X'ff' = y`)
	var names []string
	for n := range got {
		names = append(names, n)
	}
	slices.Sort(names)
	want := []string{`a"b`, "as", "b", "f", "film", "from", "id", "join", "my col", "n", "or", "order", "s", "select", "title_2", "where", "x", "y"}
	if !slices.Equal(names, want) {
		t.Errorf("sqliteMentions = %q, want %q", names, want)
	}
}

func TestSQLiteErrorObject(t *testing.T) {
	for msg, want := range map[string][2]string{
		"SQL logic error: error in view v1: no such column: zz (1)":                    {"view", "v1"},
		"SQL logic error: error in trigger tr after rename: no such table: main.p (1)": {"trigger", "tr"},
		"SQL logic error: error in index di after drop column: no such column: a (1)":  {"", ""},
		"no such table: x": {"", ""},
	} {
		if typ, name := sqliteErrorObject(msg); typ != want[0] || name != want[1] {
			t.Errorf("sqliteErrorObject(%q) = %q, %q; want %q", msg, typ, name, want)
		}
	}
}

// TestSQLiteOpaqueView: a view that names a table the schema leaves out
// (an exclude glob, say) fails on the scratch copy; a rebuild of a table
// it uses must still drop and recreate it, as it is in the database.
func TestSQLiteOpaqueView(t *testing.T) {
	path := testdb.SQLitePath(t)
	sqliteExec(t, path, `
CREATE TABLE kept (id INTEGER PRIMARY KEY, v TEXT);
CREATE TABLE excluded (id INTEGER PRIMARY KEY);
CREATE VIEW both_tables AS SELECT k.v FROM kept AS k JOIN excluded AS e USING (id);
INSERT INTO kept VALUES (1, 'x');
INSERT INTO excluded VALUES (1);`)
	current := sqliteInspect(t, path, "excluded")
	afterPath := filepath.Join(t.TempDir(), "after.db")
	sqliteExec(t, afterPath, `
CREATE TABLE kept (id INTEGER PRIMARY KEY, v TEXT NOT NULL DEFAULT '');
CREATE VIEW both_tables AS SELECT k.v FROM kept AS k JOIN excluded AS e USING (id);`)
	target := sqliteInspect(t, afterPath)
	changes, err := Diff(current, target, DiffOptions{})
	if err != nil {
		t.Fatal(err)
	}
	up, err := RenderChanges(schema.SQLite, current, target, changes)
	if err != nil {
		t.Fatal(err)
	}
	text := sqliteBody(up)
	if !strings.Contains(text, "DROP VIEW both_tables") || !strings.Contains(text, "CREATE VIEW both_tables") {
		t.Fatalf("the view is not carried through the rebuild:\n%s", text)
	}
	m := sqliteMigrator(t, path, text, "SELECT 1;")
	if _, err := m.Upgrade(context.Background(), "head"); err != nil {
		t.Fatalf("upgrade: %v\n%s", err, text)
	}
	db := sqliteOpen(t, path, "")
	var v string
	if err := db.QueryRow("SELECT v FROM both_tables").Scan(&v); err != nil || v != "x" {
		t.Fatalf("view: %q, %v", v, err)
	}
}

// TestSQLiteAlterConstraints: with sqlite_version 3.53, NOT NULL and
// named check changes are ALTER TABLE statements, no rebuild; by default
// (3.35) they are rebuilds (the goldens of the same scenarios).
func TestSQLiteAlterConstraints(t *testing.T) {
	for _, tc := range []struct {
		name string
		want []string // in Up or Down
	}{
		{"not_null", []string{"ALTER TABLE people ALTER COLUMN name SET NOT NULL", "ALTER TABLE people ALTER COLUMN nickname DROP NOT NULL"}},
		{"foreign_key", []string{"ALTER TABLE authors ADD CHECK (length(name) > 0)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join("testdata", "diff", "sqlite", tc.name)
			up, down := sqliteScenario{
				before:        sqliteReadFile(t, filepath.Join(dir, "before.sql")),
				after:         sqliteReadFile(t, filepath.Join(dir, "after.sql")),
				data:          sqliteReadFile(t, filepath.Join(dir, "data.sql")),
				sqliteVersion: sqliteAlterConstraints,
			}.run(t)
			text := sqliteBody(slices.Concat(up, down))
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("no %q with sqlite_version 3.53:\n%s", w, text)
				}
			}
			golden := sqliteReadFile(t, filepath.Join(dir, "up.sql")) + sqliteReadFile(t, filepath.Join(dir, "down.sql"))
			if forms := sqliteNewAlterForms(golden); len(forms) > 0 {
				t.Errorf("the default (3.35) goldens hold forms of SQLite 3.53: %q", forms)
			}
		})
	}
}

// sqliteNewAlterForms returns the statements of text that only SQLite
// 3.53 and later accept.
func sqliteNewAlterForms(text string) []string {
	var out []string
	for _, st := range strings.Split(text, ";\n") {
		if strings.Contains(st, " ALTER COLUMN ") || strings.Contains(st, " ADD CHECK") ||
			strings.Contains(st, " DROP CONSTRAINT") || strings.Contains(st, " ADD CONSTRAINT") {
			out = append(out, strings.TrimSpace(st))
		}
	}
	return out
}

// TestSQLiteRefusedAlter: a DROP COLUMN that SQLite refuses (a view still
// uses the column when it runs) becomes a rebuild, which carries the view
// through; the view's own change comes after.
func TestSQLiteRefusedAlter(t *testing.T) {
	path := testdb.SQLitePath(t)
	sqliteExec(t, path, `
CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT);
CREATE VIEW v AS SELECT id, b FROM t;
INSERT INTO t VALUES (1, 'a1', 'b1'), (2, 'a2', NULL);`)
	afterPath := filepath.Join(t.TempDir(), "after.db")
	sqliteExec(t, afterPath, `
CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);
CREATE VIEW v AS SELECT id, a FROM t;`)
	current, target := sqliteInspect(t, path), sqliteInspect(t, afterPath)
	changes := []Change{
		&ModifyTable{From: current.Table("", "t"), To: target.Table("", "t"), Changes: []TableChange{&DropColumn{Column: current.Table("", "t").Column("b")}}},
		&ReplaceObject{From: current.Views[0], To: target.Views[0]},
	}
	up, err := RenderChanges(schema.SQLite, current, target, changes)
	if err != nil {
		t.Fatal(err)
	}
	text := sqliteBody(up)
	if !strings.Contains(text, "-- rebuild t: SQLite refuses the ALTER TABLE: error in view v after drop column: no such column: b") {
		t.Errorf("no rebuild, or another reason:\n%s", text)
	}
	m := sqliteMigrator(t, path, text, "SELECT 1;")
	if _, err := m.Upgrade(context.Background(), "head"); err != nil {
		t.Fatalf("upgrade: %v\n%s", err, text)
	}
	if got, want := sqliteFingerprint(t, path), sqliteFingerprint(t, afterPath); got != want {
		t.Errorf("schema:\n%s", schematest.LineDiff(want, got))
	}
	db := sqliteOpen(t, path, "")
	if rows := sqliteQuery(t, db, "SELECT id, a FROM v ORDER BY id"); len(rows) != 2 || rows[1][1] != "a2" {
		t.Errorf("rows: %v", rows)
	}
}

// TestSQLiteStrictBeforeVersion: a STRICT table created for an
// sqlite_version before 3.37 is rendered as modelled, with a warning; the
// renderer refuses a version before 3.35.
func TestSQLiteStrictBeforeVersion(t *testing.T) {
	tbl := &schema.Table{Name: "kv", Strict: true, Columns: []*schema.Column{{Name: "k", Type: "TEXT"}}}
	after := &schema.Schema{Dialect: schema.SQLite, Tables: []*schema.Table{tbl}}
	changes := []Change{&CreateObject{Object: tbl}}
	for v, want := range map[int]string{
		0:       "creates STRICT table kv, which SQLite before 3.37 refuses ([models] sqlite_version is 3.35.0)",
		3036002: "creates STRICT table kv, which SQLite before 3.37 refuses ([models] sqlite_version is 3.36.2)",
		3037000: "",
	} {
		up, err := RenderChangesWith(schema.SQLite, nil, after, changes, RenderOptions{SQLiteVersion: v})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(up[0].SQL, "STRICT") || up[0].Warning != want {
			t.Errorf("version %d: %q with warning %q, want %q", v, up[0].SQL, up[0].Warning, want)
		}
	}
	_, err := RenderChangesWith(schema.SQLite, nil, after, changes, RenderOptions{SQLiteVersion: 3034000})
	if err == nil || !strings.Contains(err.Error(), "SQLite 3.34.0 is too old") {
		t.Errorf("version 3.34: error %v", err)
	}
}
