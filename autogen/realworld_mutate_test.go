package autogen_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/migratehq/migrate/autogen"
	"github.com/migratehq/migrate/internal/schematest"
	"github.com/migratehq/migrate/internal/testdb"
	"github.com/migratehq/migrate/introspect"
	"github.com/migratehq/migrate/migrate"
	"github.com/migratehq/migrate/schema"
	"github.com/migratehq/migrate/sqlsplit"
	"github.com/migratehq/migrate/versions"
)

// knownIssues are the mutations that expose an autogenerate bug routed
// to another change, by key: "entry/mutation" or "*/mutation" leaves a
// mutation out of one entry or all; "mutation/condition" leaves out the
// places the mutator checks that condition for. The test logs each one
// it leaves out; MIGRATE_RWMUT_KNOWN=1 puts them all back, to reproduce.
var knownIssues = map[string]string{}

// TestRealworldMutateRoundTrip: every PostgreSQL and SQLite schema of
// ../shared/realworld is revision A; a seeded mutator (realworld_mutator_test.go)
// makes revision B from it with the changes a real revision makes. On
// one database holding A and its rows:
//
//  1. Up of Diff(A, B) (renames from -- migrate:renamed_from hints in
//     B's SQL) → the schema is B's and a second Diff is empty;
//  2. from that database holding B, Up of Diff(B, A) (hints in A's
//     SQL) → A's;
//  3. Down of 2 → B's; Down of 1 → A's.
//
// After every step the rows of every table on both sides are the same
// (count and values of the columns both sides have, renames followed);
// on SQLite the steps run through the migrate runner and the database
// passes foreign_key_check and integrity_check.
//
// MIGRATE_RWMUT_SEED picks another seed; MIGRATE_RWMUT_ONLY (mutation
// names, comma-separated) makes only those.
func TestRealworldMutateRoundTrip(t *testing.T) {
	rw := testdb.Realworld(t)
	seed := uint64(1)
	if s := os.Getenv("MIGRATE_RWMUT_SEED"); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("MIGRATE_RWMUT_SEED: %v", err)
		}
		seed = n
	}
	t.Logf("seed %d (MIGRATE_RWMUT_SEED=%d repeats it)", seed, seed)
	var dirs []string
	for _, pat := range []string{"*-postgres*", "*-sqlite*"} {
		d, err := filepath.Glob(filepath.Join(rw, pat))
		if err != nil {
			t.Fatal(err)
		}
		dirs = append(dirs, d...)
	}
	for _, dir := range dirs {
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if testing.Short() && name == "musicbrainz-postgres" {
				t.Skip("large schema (-short)")
			}
			start := time.Now()
			var env *rwEnv
			if strings.Contains(name, "-sqlite") {
				env = rwSQLite(t, dir)
			} else {
				env = rwPostgres(t, dir)
			}
			t.Logf("A loaded in %s", time.Since(start).Round(time.Millisecond))
			rwRoundTrip(t, env, name, seed)
		})
	}
}

// rwEnv is a database holding A with its rows, for one dialect.
type rwEnv struct {
	dialect       string
	split         sqlsplit.Dialect
	defaultSchema string
	db            *sql.DB
	// model is what A was loaded from; a is A as inspected from db.
	model, a *schema.Schema
	// inspect reads db's schema.
	inspect func() *schema.Schema
	// load renders a model into a fresh database and inspects it.
	load func(*schema.Schema) *schema.Schema
	// upgrade applies a revision; downgrade reverts the last one.
	upgrade   func(step string, up, down []autogen.Statement)
	downgrade func(step string)
}

// rwPostgres: the model is schema.sql loaded by psql; A's database is
// the model rendered by migrate (so that B, rendered too, is written the
// same way where it does not differ: PostgreSQL does not reprint every
// object as it was written, see PgDumpNonFixedPoints) and data.sql.
func rwPostgres(t *testing.T, dir string) *rwEnv {
	modelURL := testdb.Postgres(t)
	schematest.Psql(t, modelURL, filepath.Join(dir, "schema.sql"))
	modelDB := openPG(t, modelURL)
	schemas := pgUserSchemas(t, modelDB)
	model := inspectSchemas(t, modelDB, schemas)
	modelDB.Close()

	load := func(s *schema.Schema) (string, *sql.DB) {
		url := testdb.Postgres(t)
		db := openPG(t, url)
		db.SetMaxOpenConns(1) // one session: the statements share its settings
		stmts, err := autogen.RenderSchema(s)
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range stmts {
			if _, err := db.Exec(st); err != nil {
				t.Fatalf("loading a model: %v\n%s", err, st)
			}
		}
		return url, db
	}
	url, db := load(model)
	if data := filepath.Join(dir, "data.sql"); fileExists(data) {
		schematest.Psql(t, url, data, "-1")
	}
	env := &rwEnv{dialect: schema.Postgres, split: sqlsplit.Postgres, defaultSchema: "public", db: db, model: model}
	env.inspect = func() *schema.Schema { return inspectSchemas(t, db, schemas) }
	env.a = env.inspect()
	env.load = func(s *schema.Schema) *schema.Schema {
		_, bdb := load(s)
		defer bdb.Close()
		return inspectSchemas(t, bdb, schemas)
	}
	var downs [][]autogen.Statement
	env.upgrade = func(step string, up, down []autogen.Statement) {
		applyStatements(t, context.Background(), db, up, step)
		downs = append(downs, down)
	}
	env.downgrade = func(step string) {
		applyStatements(t, context.Background(), db, downs[len(downs)-1], step)
		downs = downs[:len(downs)-1]
	}
	return env
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// rwSQLite: A is schema.sql and data.sql in a file; revisions run
// through the migrate runner on a connection with foreign keys on, as an
// application's would.
func rwSQLite(t *testing.T, dir string) *rwEnv {
	path := testdb.SQLitePath(t)
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=foreign_keys(1)&_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	for _, f := range []string{"schema.sql", "data.sql"} {
		if text, err := os.ReadFile(filepath.Join(dir, f)); err == nil {
			execScript(t, db, sqlsplit.SQLite, string(text))
		}
	}
	inspect := func(db *sql.DB) *schema.Schema {
		s, err := introspect.Inspect(context.Background(), db, schema.SQLite, introspect.Options{VersionTable: "migrate_version"})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	env := &rwEnv{dialect: schema.SQLite, split: sqlsplit.SQLite, db: db}
	env.inspect = func() *schema.Schema { return inspect(db) }
	env.a = env.inspect()
	env.model = env.a
	env.load = func(s *schema.Schema) *schema.Schema {
		d, _ := scenarioDialects(schema.SQLite)
		bdb := d.open(t)
		stmts, err := autogen.RenderSchema(s)
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range stmts {
			if _, err := bdb.Exec(st); err != nil {
				t.Fatalf("loading a model: %v\n%s", err, st)
			}
		}
		return inspect(bdb)
	}
	var files []string // revision files, oldest first
	runner := func() *migrate.Migrator {
		fsys := fstest.MapFS{}
		for i, text := range files {
			fsys[fmt.Sprintf("v/%03d_rwmut%07d.sql", i+1, i+1)] = &fstest.MapFile{Data: []byte(text)}
		}
		revs, err := versions.Load(fsys, "v")
		if err != nil {
			t.Fatal(err)
		}
		g, err := versions.NewGraph(revs)
		if err != nil {
			t.Fatal(err)
		}
		m, err := migrate.New(db, migrate.SQLite, g)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	env.upgrade = func(step string, up, down []autogen.Statement) {
		n := len(files) + 1
		revises := ""
		if n > 1 {
			revises = fmt.Sprintf(" rwmut%07d", n-1)
		}
		files = append(files, fmt.Sprintf("-- migrate:revision rwmut%07d\n-- migrate:revises%s\n-- migrate:message %s\n\n-- migrate:up\n%s\n-- migrate:down\n%s",
			n, revises, step, FormatStatements(up), FormatStatements(down)))
		if _, err := runner().Upgrade(context.Background(), "head"); err != nil {
			t.Fatalf("%s: %v\n%s", step, err, FormatStatements(up))
		}
		rwSQLiteIntegrity(t, db, step)
	}
	env.downgrade = func(step string) {
		target := "base"
		if len(files) > 1 {
			target = fmt.Sprintf("rwmut%07d", len(files)-1)
		}
		if _, err := runner().Downgrade(context.Background(), target); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		files = files[:len(files)-1]
		rwSQLiteIntegrity(t, db, step)
	}
	return env
}

func rwSQLiteIntegrity(t *testing.T, db *sql.DB, step string) {
	t.Helper()
	for _, q := range []string{"PRAGMA foreign_key_check", "PRAGMA integrity_check"} {
		var out []string
		rows, err := db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			v := make([]any, len(cols))
			p := make([]any, len(cols))
			for i := range v {
				p[i] = &v[i]
			}
			if err := rows.Scan(p...); err != nil {
				t.Fatal(err)
			}
			out = append(out, fmt.Sprint(v...))
		}
		rows.Close()
		if len(out) > 0 && !(len(out) == 1 && out[0] == "ok") {
			t.Errorf("%s: %s: %v", step, q, out)
		}
	}
}

// rwRoundTrip runs the four steps of TestRealworldMutateRoundTrip.
func rwRoundTrip(t *testing.T, env *rwEnv, name string, seed uint64) {
	only := os.Getenv("MIGRATE_RWMUT_ONLY")
	mut := newRWMutator(t, env.model, env.db, seed)
	logged := map[string]bool{}
	mut.avoid = func(issue string) bool {
		if os.Getenv("MIGRATE_RWMUT_KNOWN") != "" {
			return false
		}
		if !logged[issue] {
			logged[issue] = true
			t.Logf("left out, known issue %s: %s", issue, knownIssues[issue])
		}
		return true
	}
	done, skipped := mut.mutate(func(m string) bool {
		if only != "" && !slices.Contains(strings.Split(only, ","), m) {
			return true
		}
		why, ok := knownIssues[name+"/"+m]
		if !ok {
			why, ok = knownIssues["*/"+m]
		}
		if ok && os.Getenv("MIGRATE_RWMUT_KNOWN") == "" {
			t.Logf("left out, known issue: %s: %s", m, why)
			return true
		}
		return false
	})
	t.Logf("%d mutations:\n  %s", len(done), strings.Join(done, "\n  "))
	t.Logf("not made: %s", strings.Join(skipped, ", "))
	if only == "" && len(done) < 12 {
		t.Errorf("only %d mutations apply; the test means a broad revision", len(done))
	}
	start := time.Now()
	b := env.load(mut.b)
	t.Logf("B loaded in %s", time.Since(start).Round(time.Millisecond))
	start = time.Now()
	defer func() { t.Logf("four steps in %s", time.Since(start).Round(time.Millisecond)) }()
	a := env.a
	ab := rwHints(t, env, mut.b, mut.tableRenames, mut.colRenames)
	revTables, revCols := rwReverseRenames(mut.tableRenames, mut.colRenames)
	ba := rwHints(t, env, env.model, revTables, revCols)

	pairs := rwPairs(a, b, mut.tableRenames, mut.colRenames)
	want := map[int]string{}
	for i, p := range pairs {
		want[i] = rwDigest(t, env, p.a, p.aCols)
	}
	t.Logf("rows compared after each step: %d tables on both sides", len(pairs))
	rows := func(step string, onB bool) {
		for i, p := range pairs {
			tb, cols := p.a, p.aCols
			if onB {
				tb, cols = p.b, p.bCols
			}
			if got := rwDigest(t, env, tb, cols); got != want[i] {
				t.Errorf("%s: the rows of %s changed: %s, were %s", step, tb.Name, got, want[i])
			}
		}
	}

	// 1. A → B.
	up1, down1 := rwRender(t, env, a, b, ab, "A→B")
	env.upgrade("A→B Up", up1, down1)
	gotB := env.inspect()
	rwSame(t, "after A→B Up", gotB, b, ab)
	rows("after A→B Up", true)

	// 2. B → A, from the database holding B.
	up2, down2 := rwRender(t, env, gotB, a, ba, "B→A")
	env.upgrade("B→A Up", up2, down2)
	rwSame(t, "after B→A Up", env.inspect(), a, ba)
	rows("after B→A Up", false)

	// 3. Down, both.
	env.downgrade("B→A Down")
	rwSame(t, "after B→A Down", env.inspect(), b, ab)
	rows("after B→A Down", true)
	env.downgrade("A→B Down")
	rwSame(t, "after A→B Down", env.inspect(), a, autogen.DiffOptions{})
	rows("after A→B Down", false)
	if t.Failed() {
		t.Logf("A→B Up:\n%s\nA→B Down:\n%s\nB→A Up:\n%s\nB→A Down:\n%s",
			truncate(FormatStatements(up1), 20000), truncate(FormatStatements(down1), 20000),
			truncate(FormatStatements(up2), 20000), truncate(FormatStatements(down2), 20000))
	}
}

// rwRender diffs from → to and renders Up and Down.
func rwRender(t *testing.T, env *rwEnv, from, to *schema.Schema, opts autogen.DiffOptions, what string) (up, down []autogen.Statement) {
	t.Helper()
	changes, err := autogen.Diff(from, to, opts)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if len(changes) == 0 {
		t.Fatalf("%s: Diff finds no change", what)
	}
	if up, err = autogen.RenderChanges(env.dialect, from, to, changes); err != nil {
		t.Fatalf("%s: rendering Up: %v", what, err)
	}
	if down, err = autogen.RenderChanges(env.dialect, to, from, autogen.Reverse(changes)); err != nil {
		t.Fatalf("%s: rendering Down: %v", what, err)
	}
	return up, down
}

// rwSame checks that the database's schema is want's and that a second
// Diff is empty.
func rwSame(t *testing.T, step string, got, want *schema.Schema, opts autogen.DiffOptions) {
	t.Helper()
	if msg := SameModel(got, want); msg != "" {
		t.Errorf("%s, the schema differs:\n%s", step, msg)
	}
	if again, err := autogen.Diff(got, want, opts); err != nil || len(again) > 0 {
		t.Errorf("%s, a second Diff is not empty: %v%s", step, err, truncate(describeChanges(again), 3000))
	}
}

// rwHints writes the target model as SQL (RenderSchema) with
// "-- migrate:renamed_from" hints beside the renamed tables and columns,
// and reads the rename options back with ParseHints, as autogenerate
// reads a model file.
func rwHints(t *testing.T, env *rwEnv, target *schema.Schema, tables map[schema.TableRef]schema.TableRef, cols map[schema.ColumnRef]string) autogen.DiffOptions {
	t.Helper()
	if len(tables) == 0 && len(cols) == 0 {
		return autogen.DiffOptions{}
	}
	stmts, err := autogen.RenderSchema(target)
	if err != nil {
		t.Fatal(err)
	}
	for i, st := range stmts {
		ref, ok := rwCreateTable(st, env.defaultSchema)
		if !ok {
			continue
		}
		lines := strings.Split(st, "\n")
		if old, ok := tables[ref]; ok {
			lines[0] += " " + autogen.HintMarker + " " + rwHintName(old.Name, env.dialect)
		}
		for j := 1; j < len(lines); j++ {
			first := strings.Fields(lines[j])
			if len(first) == 0 {
				continue
			}
			col := strings.Trim(strings.TrimRight(first[0], ","), `"`)
			if old, ok := cols[schema.ColumnRef{Schema: ref.Schema, Table: ref.Name, Column: col}]; ok {
				lines[j] += " " + autogen.HintMarker + " " + rwHintName(old, env.dialect)
			}
		}
		stmts[i] = strings.Join(lines, "\n")
	}
	text := strings.Join(stmts, ";\n\n") + ";\n"
	opts, err := autogen.ParseHints([]autogen.Chunk{{File: "model.sql", Line: 1, SQL: text}}, env.split, env.defaultSchema)
	if err != nil {
		t.Fatalf("%v\n%s", err, truncate(text, 5000))
	}
	for n, o := range tables {
		if opts.TableRenames[n] != o {
			t.Fatalf("the hints give table renames %v, want %v", opts.TableRenames, tables)
		}
	}
	for n, o := range cols {
		if opts.ColumnRenames[n] != o {
			t.Fatalf("the hints give column renames %v, want %v", opts.ColumnRenames, cols)
		}
	}
	return opts
}

// rwCreateTable reads the table name of a rendered CREATE TABLE.
func rwCreateTable(st, defaultSchema string) (schema.TableRef, bool) {
	first, _, _ := strings.Cut(st, "\n")
	rest, ok := strings.CutPrefix(first, "CREATE TABLE ")
	if !ok {
		return schema.TableRef{}, false
	}
	name, _, _ := strings.Cut(rest, " (")
	var parts []string
	for p := range strings.SplitSeq(name, ".") {
		parts = append(parts, strings.ReplaceAll(strings.Trim(p, `"`), `""`, `"`))
	}
	if len(parts) == 2 {
		return schema.TableRef{Schema: parts[0], Name: parts[1]}, true
	}
	return schema.TableRef{Schema: defaultSchema, Name: parts[0]}, true
}

// rwHintName writes a name in a hint: bare when the dialect reads it
// back unchanged, quoted otherwise.
func rwHintName(name, dialect string) string {
	bare := name != "" && strings.IndexFunc(name, func(r rune) bool {
		return !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	}) < 0
	if dialect == schema.Postgres && strings.ToLower(name) != name {
		bare = false
	}
	if bare {
		return name
	}
	return qi(name)
}

// rwReverseRenames turns renames A → B (new name → old) into B → A.
func rwReverseRenames(tables map[schema.TableRef]schema.TableRef, cols map[schema.ColumnRef]string) (map[schema.TableRef]schema.TableRef, map[schema.ColumnRef]string) {
	rt := map[schema.TableRef]schema.TableRef{}
	for n, o := range tables {
		rt[o] = n
	}
	rc := map[schema.ColumnRef]string{}
	for n, o := range cols {
		oldTable := n.Table
		if ot, ok := tables[schema.TableRef{Schema: n.Schema, Name: n.Table}]; ok {
			oldTable = ot.Name
		}
		rc[schema.ColumnRef{Schema: n.Schema, Table: oldTable, Column: o}] = n.Column
	}
	return rt, rc
}

// rwPair is a table on both sides, with the columns on both sides.
type rwPair struct {
	a, b         schema.TableRef
	aCols, bCols []string
}

func rwPairs(a, b *schema.Schema, tables map[schema.TableRef]schema.TableRef, cols map[schema.ColumnRef]string) []rwPair {
	newName := map[schema.TableRef]schema.TableRef{}
	for n, o := range tables {
		newName[o] = n
	}
	var out []rwPair
	for _, ta := range a.Tables {
		if ta.FromExtension != "" || ta.Virtual || ta.PartitionBy != "" {
			continue
		}
		p := rwPair{a: schema.TableRef{Schema: ta.Schema, Name: ta.Name}}
		p.b = p.a
		if n, ok := newName[p.a]; ok {
			p.b = n
		}
		tb := b.Table(p.b.Schema, p.b.Name)
		if tb == nil {
			continue
		}
		for _, c := range ta.Columns {
			nc := c.Name
			for k, o := range cols {
				if k.Schema == p.b.Schema && k.Table == p.b.Name && o == c.Name {
					nc = k.Column
				}
			}
			if tb.Column(nc) != nil {
				p.aCols, p.bCols = append(p.aCols, c.Name), append(p.bCols, nc)
			}
		}
		out = append(out, p)
	}
	return out
}

// rwDigest is the row count of a table and a hash of its rows (the
// values of cols as text, sorted).
func rwDigest(t *testing.T, env *rwEnv, tb schema.TableRef, cols []string) string {
	t.Helper()
	name := qi(tb.Name)
	if tb.Schema != "" {
		name = qi(tb.Schema) + "." + name
	}
	var q string
	if env.dialect == schema.Postgres {
		row := "''"
		if len(cols) > 0 {
			quoted := make([]string, len(cols))
			for i, c := range cols {
				quoted[i] = qi(c)
			}
			row = "ROW(" + strings.Join(quoted, ", ") + ")::text"
		}
		q = fmt.Sprintf(`SELECT count(*), coalesce(string_agg(md5(r), '' ORDER BY r), '') FROM (SELECT %s AS r FROM ONLY %s) s`, row, name)
	} else {
		row := "''"
		if len(cols) > 0 {
			quoted := make([]string, len(cols))
			for i, c := range cols {
				quoted[i] = "quote(" + qi(c) + ")"
			}
			row = strings.Join(quoted, " || ',' || ")
		}
		q = fmt.Sprintf(`SELECT count(*), coalesce(group_concat(r, char(10)), '') FROM (SELECT %s AS r FROM %s ORDER BY 1)`, row, name)
	}
	var n int
	var text string
	if err := env.db.QueryRow(q).Scan(&n, &text); err != nil {
		t.Fatalf("%v\n%s", err, q)
	}
	sum := sha256.Sum256([]byte(text))
	return fmt.Sprintf("%d rows, %s", n, hex.EncodeToString(sum[:6]))
}
