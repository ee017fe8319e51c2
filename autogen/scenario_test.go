package autogen_test

// The golden scenarios of the differ and the change renderers, run as
// round trips on real databases. Each testdata/diff/*.txtar holds
//
//	dialect: postgres | sqlite        (in the comment; default postgres)
//	-- before.sql --   the current schema
//	-- after.sql --    the model (with its -- migrate:renamed_from hints)
//	-- data.sql --     (optional) rows inserted into the current database
//	-- up.sql --       golden Up, as rendered
//	-- down.sql --     golden Down
//
// The harness loads before.sql into one fresh database and after.sql
// into another, inspects both, diffs them, renders Up and Down and
// compares them with the goldens (go test -run TestScenarios -update
// rewrites them). Then, on the first database: data.sql; Up applied →
// its schema equals the second's (sameModel) and diffs empty against it;
// Down applied → equal to before; the row counts of every table survive
// both ways. Diff(after, after) and Diff(before, before) are empty.
//
// The dialect switch is scenarioDialects: a dialect gives a fresh
// database and the way to run a script on it. A scenario whose dialect
// has no renderer yet fails like any other.

import (
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/rogpeppe/go-internal/txtar"
	_ "modernc.org/sqlite"

	"github.com/migratehq/migrate/autogen"
	"github.com/migratehq/migrate/internal/testdb"
	"github.com/migratehq/migrate/introspect"
	"github.com/migratehq/migrate/schema"
	"github.com/migratehq/migrate/sqlsplit"
)

var update = flag.Bool("update", false, "rewrite the golden up.sql and down.sql of testdata/diff")

// scenarioDialect is what the harness needs of a database system.
type scenarioDialect struct {
	split sqlsplit.Dialect
	// open returns a fresh, empty database (removed when the test ends).
	open func(t testing.TB) *sql.DB
	// defaultSchema names unqualified tables in hints ("" on SQLite).
	defaultSchema string
	// only is what counts the rows of a table without its inheritance
	// children ("ONLY " on PostgreSQL).
	only string
}

// scenarioDialects is the one switch on the dialect of a scenario.
func scenarioDialects(name string) (scenarioDialect, bool) {
	switch name {
	case schema.Postgres:
		return scenarioDialect{split: sqlsplit.Postgres, defaultSchema: "public", only: "ONLY ", open: func(t testing.TB) *sql.DB {
			db, err := sql.Open("pgx", testdb.Postgres(t))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		}}, true
	case schema.SQLite:
		return scenarioDialect{split: sqlsplit.SQLite, open: func(t testing.TB) *sql.DB {
			db, err := sql.Open("sqlite", "file:"+testdb.SQLitePath(t)+"?_pragma=foreign_keys(1)&_pragma=busy_timeout(5000)")
			if err != nil {
				t.Fatal(err)
			}
			db.SetMaxOpenConns(1)
			t.Cleanup(func() { db.Close() })
			return db
		}}, true
	}
	return scenarioDialect{}, false
}

// Scenario is one parsed txtar file.
type Scenario struct {
	Name, Dialect                 string
	Before, After, Data, Up, Down string
	path                          string
	archive                       *txtar.Archive
}

func loadScenarios(t *testing.T) []*Scenario {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "diff", "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	var out []*Scenario
	for _, p := range paths {
		a, err := txtar.ParseFile(p)
		if err != nil {
			t.Fatal(err)
		}
		sc := &Scenario{Name: strings.TrimSuffix(filepath.Base(p), ".txtar"), Dialect: schema.Postgres, path: p, archive: a}
		for _, line := range strings.Split(string(a.Comment), "\n") {
			if v, ok := strings.CutPrefix(strings.TrimSpace(line), "dialect:"); ok {
				sc.Dialect = strings.TrimSpace(v)
			}
		}
		for _, f := range a.Files {
			switch f.Name {
			case "before.sql":
				sc.Before = string(f.Data)
			case "after.sql":
				sc.After = string(f.Data)
			case "data.sql":
				sc.Data = string(f.Data)
			case "up.sql":
				sc.Up = string(f.Data)
			case "down.sql":
				sc.Down = string(f.Data)
			}
		}
		out = append(out, sc)
	}
	return out
}

func TestScenarios(t *testing.T) {
	for _, sc := range loadScenarios(t) {
		t.Run(sc.Dialect+"/"+sc.Name, func(t *testing.T) {
			t.Parallel()
			runScenario(t, sc)
		})
	}
}

// runScenario runs one scenario as described at the top of the file.
func runScenario(t *testing.T, sc *Scenario) {
	d, ok := scenarioDialects(sc.Dialect)
	if !ok {
		t.Fatalf("unknown dialect %q", sc.Dialect)
	}
	ctx := context.Background()
	db1, db2 := d.open(t), d.open(t)
	execScript(t, db1, d.split, sc.Before)
	execScript(t, db2, d.split, sc.After)
	before := inspectDB(t, db1, sc.Dialect)
	after := inspectDB(t, db2, sc.Dialect)

	opts, err := autogen.ParseHints([]autogen.Chunk{{File: "after.sql", Line: 1, SQL: sc.After}}, d.split, d.defaultSchema)
	if err != nil {
		t.Fatal(err)
	}
	changes, err := autogen.Diff(before, after, opts)
	if err != nil {
		t.Fatal(err)
	}
	up, err := autogen.RenderChanges(sc.Dialect, before, after, changes)
	if err != nil {
		t.Fatalf("rendering Up: %v", err)
	}
	down, err := autogen.RenderChanges(sc.Dialect, after, before, autogen.Reverse(changes))
	if err != nil {
		t.Fatalf("rendering Down: %v", err)
	}
	upText, downText := FormatStatements(up), FormatStatements(down)
	if *update {
		sc.writeGoldens(t, upText, downText)
	} else {
		if upText != sc.Up {
			t.Errorf("Up differs from up.sql (go test -run TestScenarios -update rewrites it)\n--- got:\n%s--- want:\n%s", upText, sc.Up)
		}
		if downText != sc.Down {
			t.Errorf("Down differs from down.sql (go test -run TestScenarios -update rewrites it)\n--- got:\n%s--- want:\n%s", downText, sc.Down)
		}
	}

	// Idempotence on either side alone.
	for _, s := range []*schema.Schema{before, after} {
		if again, err := autogen.Diff(s, s, opts); err != nil || len(again) > 0 {
			t.Errorf("Diff of a schema with itself: %v, %s", err, describeChanges(again))
		}
	}

	// Round trip on db1, with rows.
	if sc.Data != "" {
		execScript(t, db1, d.split, sc.Data)
	}
	rowsBefore := rowCounts(t, db1, sc.Dialect, before)
	applyStatements(t, ctx, db1, up, "Up")
	gotAfter := inspectDB(t, db1, sc.Dialect)
	if msg := SameModel(gotAfter, after); msg != "" {
		t.Errorf("after Up, the schema differs from after.sql's:\n%s", msg)
	}
	if again, err := autogen.Diff(gotAfter, after, opts); err != nil || len(again) > 0 {
		t.Errorf("after Up, Diff against the model is not empty: %v %s", err, describeChanges(again))
	}
	rowsAfter := rowCounts(t, db1, sc.Dialect, gotAfter)
	// The tables on both sides keep their rows, both ways.
	survivors := map[schema.TableRef]schema.TableRef{} // before name -> after name
	for table, n := range rowsBefore {
		newName := table
		for nw, old := range opts.TableRenames {
			if old == table {
				newName = nw
			}
		}
		m, ok := rowsAfter[newName]
		if !ok {
			continue
		}
		survivors[table] = newName
		if m != n {
			t.Errorf("after Up, %s has %d rows, %d before", newName.Name, m, n)
		}
	}
	applyStatements(t, ctx, db1, down, "Down")
	gotBefore := inspectDB(t, db1, sc.Dialect)
	if msg := SameModel(gotBefore, before); msg != "" {
		t.Errorf("after Down, the schema differs from before.sql's:\n%s", msg)
	}
	if again, err := autogen.Diff(gotBefore, before, autogen.DiffOptions{}); err != nil || len(again) > 0 {
		t.Errorf("after Down, Diff against before is not empty: %v %s", err, describeChanges(again))
	}
	rowsDown := rowCounts(t, db1, sc.Dialect, gotBefore)
	for table := range survivors {
		if n, m := rowsDown[table], rowsBefore[table]; n != m {
			t.Errorf("after Down, %s has %d rows, %d before", table.Name, n, m)
		}
	}
}

func (sc *Scenario) writeGoldens(t *testing.T, up, down string) {
	a := sc.archive
	set := func(name, text string) {
		for i := range a.Files {
			if a.Files[i].Name == name {
				a.Files[i].Data = []byte(text)
				return
			}
		}
		a.Files = append(a.Files, txtar.File{Name: name, Data: []byte(text)})
	}
	set("up.sql", up)
	set("down.sql", down)
	if err := os.WriteFile(sc.path, txtar.Format(a), 0o644); err != nil {
		t.Fatal(err)
	}
}

// FormatStatements writes statements as a revision file body does: each
// ends with ";" and a blank line, a warning as a "-- WARNING:" line
// before it, a statement that must run outside a transaction marked
// "-- migrate:no-transaction". No statements: "-- (nothing)".
func FormatStatements(stmts []autogen.Statement) string {
	if len(stmts) == 0 {
		return "-- (nothing)\n"
	}
	var b strings.Builder
	for i, s := range stmts {
		if i > 0 {
			b.WriteString("\n")
		}
		if s.Warning != "" {
			b.WriteString("-- WARNING: " + s.Warning + "\n")
		}
		if s.NoTx {
			b.WriteString("-- migrate:no-transaction\n")
		}
		b.WriteString(s.SQL + ";\n")
	}
	return b.String()
}

func execScript(t testing.TB, db *sql.DB, d sqlsplit.Dialect, script string) {
	t.Helper()
	stmts, err := sqlsplit.Split(script, d)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range stmts {
		if _, err := db.Exec(st.SQL); err != nil {
			t.Fatalf("%v\n%s", err, st.SQL)
		}
	}
}

// applyStatements runs rendered statements: those marked NoTx each on
// its own, committed, the others in one transaction (as a revision file
// split by the CLI would run).
func applyStatements(t testing.TB, ctx context.Context, db *sql.DB, stmts []autogen.Statement, what string) {
	t.Helper()
	applyBatched(t, ctx, db, stmts, what, 0)
}

// applyBatched is applyStatements committing every batch statements (0:
// one transaction), for schemas whose objects would take more locks
// than one transaction may hold on a shared server.
func applyBatched(t testing.TB, ctx context.Context, db *sql.DB, stmts []autogen.Statement, what string, batch int) {
	t.Helper()
	n := 0
	var tx *sql.Tx
	commit := func() {
		if tx != nil {
			if err := tx.Commit(); err != nil {
				t.Fatalf("%s: commit: %v", what, err)
			}
			tx = nil
		}
	}
	for _, s := range stmts {
		if s.NoTx {
			commit()
			if _, err := db.ExecContext(ctx, s.SQL); err != nil {
				t.Fatalf("%s: %v\n%s", what, err, s.SQL)
			}
			continue
		}
		if tx != nil && batch > 0 && n >= batch {
			commit()
			n = 0
		}
		if tx == nil {
			var err error
			if tx, err = db.BeginTx(ctx, nil); err != nil {
				t.Fatal(err)
			}
		}
		n++
		if _, err := tx.ExecContext(ctx, s.SQL); err != nil {
			tx.Rollback()
			t.Fatalf("%s: %v\n%s", what, err, s.SQL)
		}
	}
	commit()
}

func inspectDB(t testing.TB, db *sql.DB, dialect string) *schema.Schema {
	t.Helper()
	var opts introspect.Options
	if dialect == schema.Postgres {
		opts.Schemas = pgUserSchemas(t, db)
	}
	s, err := introspect.Inspect(context.Background(), db, dialect, opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// pgUserSchemas are the schemas of the database that are not the
// system's.
func pgUserSchemas(t testing.TB, db *sql.DB) []string {
	t.Helper()
	rows, err := db.Query(`SELECT nspname FROM pg_namespace
		WHERE nspname NOT LIKE 'pg\_%' AND nspname <> 'information_schema' ORDER BY 1`)
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

// rowCounts counts the rows of every ordinary table of s.
func rowCounts(t testing.TB, db *sql.DB, dialect string, s *schema.Schema) map[schema.TableRef]int {
	d, _ := scenarioDialects(dialect)
	t.Helper()
	out := map[schema.TableRef]int{}
	for _, tb := range s.Tables {
		if tb.FromExtension != "" || tb.Virtual || tb.PartitionBy != "" {
			continue
		}
		name := `"` + strings.ReplaceAll(tb.Name, `"`, `""`) + `"`
		if tb.Schema != "" {
			name = `"` + strings.ReplaceAll(tb.Schema, `"`, `""`) + `".` + name
		}
		var n int
		if err := db.QueryRow("SELECT count(*) FROM " + d.only + name).Scan(&n); err != nil {
			t.Fatalf("counting rows of %s: %v", name, err)
		}
		out[schema.TableRef{Schema: tb.Schema, Name: tb.Name}] = n
	}
	return out
}

// SameModel compares two inspected schemas and returns "" when they are
// equal up to what legitimately differs between two databases built
// differently for the same model:
//   - the server version;
//   - the order of columns (ALTER TABLE ADD COLUMN appends: a column the
//     model declares between two others ends up last);
//   - whether a column an inheritance child has from a parent is also
//     declared locally (a column added so that INHERIT can run stays
//     local; PostgreSQL has no statement to change it);
//   - the order of DependsOn lists;
//   - the text of a constant column default, compared by its value
//     (autogen.DefaultValue: '5.2'::double precision and 5.2 are one);
//   - SQLite's stored statements (Table.SQL, Index.Definition, View.SQL,
//     Trigger.Definition) up to layout: a rebuilt table is written by
//     migrate, not by the user; its structure is compared field by field.
//
// Otherwise it returns the first lines where their JSON differs.
func SameModel(got, want *schema.Schema) string {
	a, b := normalModel(got), normalModel(want)
	if a == b {
		return ""
	}
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	var out []string
	for i := 0; i < max(len(al), len(bl)) && len(out) < 40; i++ {
		x, y := "", ""
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			out = append(out, fmt.Sprintf("line %d:\n  got:  %s\n  want: %s", i+1, x, y))
		}
	}
	return strings.Join(out, "\n")
}

func normalModel(s *schema.Schema) string {
	var c schema.Schema
	raw, _ := json.Marshal(s)
	_ = json.Unmarshal(raw, &c)
	c.ServerVersion = 0
	sqlite := c.Dialect == schema.SQLite
	for _, t := range c.Tables {
		slices.SortFunc(t.Columns, func(a, b *schema.Column) int { return strings.Compare(a.Name, b.Name) })
		for _, col := range t.Columns {
			if len(t.Inherits) > 0 {
				col.Inherited = false
			}
			if k, ok := autogen.DefaultValue(c.Dialect, col.Type, col.Default); ok {
				col.Default = k
			}
		}
		if sqlite {
			t.SQL = ""
			if t.Virtual {
				t.SQL = sqlsplit.Normalize(s.Table(t.Schema, t.Name).SQL)
			}
			for _, i := range t.Indexes {
				i.Definition = ""
			}
		}
	}
	for _, v := range c.Views {
		sortRefs(v.DependsOn)
		if sqlite {
			v.SQL = sqlsplit.Normalize(v.SQL)
			v.Definition = sqlsplit.Normalize(v.Definition)
		}
	}
	for _, f := range c.Functions {
		sortRefs(f.DependsOn)
	}
	for _, d := range c.Domains {
		sortRefs(d.DependsOn)
	}
	for _, ty := range c.Types {
		sortRefs(ty.DependsOn)
	}
	for _, tr := range c.Triggers {
		if sqlite {
			tr.Definition = sqlsplit.Normalize(tr.Definition)
		}
	}
	out, _ := json.MarshalIndent(&c, "", " ")
	return string(out)
}

func sortRefs(refs []*schema.ObjectRef) {
	slices.SortFunc(refs, func(a, b *schema.ObjectRef) int {
		return strings.Compare(a.Kind+"\x00"+a.Schema+"\x00"+a.Name, b.Kind+"\x00"+b.Schema+"\x00"+b.Name)
	})
}

// describeChanges prints changes for a failure message.
func describeChanges(cs []autogen.Change) string {
	var b strings.Builder
	for _, c := range cs {
		j, _ := json.Marshal(c)
		fmt.Fprintf(&b, "\n  %T %s", c, j)
	}
	return b.String()
}
