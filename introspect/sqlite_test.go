package introspect_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	_ "modernc.org/sqlite"

	"github.com/migratehq/migrate/autogen"
	"github.com/migratehq/migrate/internal/schematest"
	"github.com/migratehq/migrate/internal/testdb"
	"github.com/migratehq/migrate/introspect"
	"github.com/migratehq/migrate/schema"
)

// openSQLite opens a SQLite file (created if missing) on one connection.
func openSQLite(t testing.TB, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}

func freshSQLite(t testing.TB) *sql.DB {
	t.Helper()
	var path string
	if tt, ok := t.(*testing.T); ok {
		path = testdb.SQLitePath(tt)
	} else {
		path = filepath.Join(t.TempDir(), "test.db")
	}
	return openSQLite(t, path)
}

func execSQL(t testing.TB, db *sql.DB, script string) {
	t.Helper()
	if _, err := db.Exec(script); err != nil {
		t.Fatalf("exec: %v\n%s", err, script)
	}
}

func inspectSQLite(t testing.TB, db introspect.Querier) *schema.Schema {
	t.Helper()
	s, err := introspect.Inspect(context.Background(), db, schema.SQLite, introspect.Options{})
	if err != nil {
		t.Fatalf("inspect: %v", err)
	}
	return s
}

// render renders s and returns the statements as one script.
func render(t testing.TB, s *schema.Schema) []string {
	t.Helper()
	stmts, err := autogen.RenderSchema(s)
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	return stmts
}

func apply(t testing.TB, db *sql.DB, stmts []string) {
	t.Helper()
	for _, st := range stmts {
		if _, err := db.Exec(st); err != nil {
			t.Fatalf("applying rendered DDL: %v\n%s", err, st)
		}
	}
}

// comparable returns a copy of s without the texts that differ between a
// schema loaded from a user's file and one loaded from rendered DDL (the
// stored CREATE TABLE / CREATE INDEX statements).
func comparable(s *schema.Schema) *schema.Schema {
	b, _ := json.Marshal(s)
	var c schema.Schema
	_ = json.Unmarshal(b, &c)
	c.ServerVersion = 0
	for _, t := range c.Tables {
		if !t.Virtual {
			t.SQL = ""
		}
		for _, i := range t.Indexes {
			i.Definition = ""
		}
	}
	return &c
}

func modelJSON(s *schema.Schema) string {
	b, _ := json.MarshalIndent(comparable(s), "", "  ")
	return string(b)
}

// roundTrip inspects db, renders, applies to a fresh database, inspects
// that, and checks both the models and the pragma snapshots agree. It
// returns the first model and the rendered statements.
func roundTrip(t *testing.T, db *sql.DB) (*schema.Schema, []string) {
	t.Helper()
	s1 := inspectSQLite(t, db)
	stmts := render(t, s1)
	db2 := freshSQLite(t)
	apply(t, db2, stmts)
	s2 := inspectSQLite(t, db2)
	if a, b := modelJSON(s1), modelJSON(s2); a != b {
		t.Errorf("model changed in the round trip:\n%s", schematest.LineDiff(a, b))
	}
	if a, b := schematest.SQLitePragmaSnapshot(t, db), schematest.SQLitePragmaSnapshot(t, db2); a != b {
		t.Errorf("pragma snapshot changed in the round trip:\n%s\nDDL:\n%s", schematest.LineDiff(a, b), strings.Join(stmts, ";\n"))
	}
	return s1, stmts
}

// TestSQLiteRealworld round-trips every SQLite schema of the shared corpus:
// schema.sql (then data.sql) → Inspect → RenderSchema → a fresh database →
// same pragmas, same views and triggers, same model.
func TestSQLiteRealworld(t *testing.T) {
	rw := testdb.Realworld(t)
	entries, err := filepath.Glob(filepath.Join(rw, "*-sqlite*"))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) == 0 {
		t.Fatalf("no *-sqlite entries in %s", rw)
	}
	for _, dir := range entries {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			db := freshSQLite(t)
			schemaSQL, err := os.ReadFile(filepath.Join(dir, "schema.sql"))
			if err != nil {
				t.Fatal(err)
			}
			execSQL(t, db, string(schemaSQL))
			empty := inspectSQLite(t, db)
			if data, err := os.ReadFile(filepath.Join(dir, "data.sql")); err == nil {
				execSQL(t, db, string(data))
			}
			s, stmts := roundTrip(t, db)
			if a, b := modelJSON(empty), modelJSON(s); a != b {
				t.Errorf("the model depends on the data:\n%s", schematest.LineDiff(a, b))
			}
			for _, st := range stmts {
				if strings.Contains(strings.ToLower(st), "sqlite_sequence") {
					t.Errorf("rendered DDL mentions sqlite_sequence: %s", st)
				}
			}
			if len(s.Tables) == 0 {
				t.Fatal("no tables read")
			}
		})
	}
}

// countingQuerier counts the queries sent through it.
type countingQuerier struct {
	db *sql.DB
	n  atomic.Int64
}

func (c *countingQuerier) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	c.n.Add(1)
	return c.db.QueryContext(ctx, query, args...)
}

// genW1 writes the benchmark schema: n tables shaped like
// ../shared/bench/gen_w1.py's, in SQLite types: 10 columns, a foreign key
// to the previous table, a named check, a unique and a two-column index.
func genW1(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		tn := fmt.Sprintf("t_%05d", i)
		fk := "\n  prev_id INTEGER,"
		if i > 1 {
			fk = fmt.Sprintf("\n  prev_id INTEGER REFERENCES t_%05d (id) ON DELETE CASCADE,", i-1)
		}
		fmt.Fprintf(&b, `CREATE TABLE %[1]s (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  code VARCHAR(255) NOT NULL,
  qty INTEGER NOT NULL DEFAULT 0,
  active BOOLEAN NOT NULL DEFAULT 1,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  price NUMERIC(10,2),
  attrs JSON,
  note TEXT,%[2]s
  CONSTRAINT %[1]s_qty_check CHECK (qty >= 0)
);
CREATE UNIQUE INDEX %[1]s_code_key ON %[1]s (code);
CREATE INDEX %[1]s_active_created_idx ON %[1]s (active, created_at);
`, tn, fk)
	}
	return b.String()
}

// TestSQLiteConstantQueries checks that the number of queries does not grow
// with the number of tables.
func TestSQLiteConstantQueries(t *testing.T) {
	count := func(n int) int64 {
		db := freshSQLite(t)
		var extra strings.Builder
		for i := 1; i <= n; i += 5 {
			fmt.Fprintf(&extra, "CREATE VIEW v_%05d AS SELECT id, name FROM t_%05d;\n", i, i)
			fmt.Fprintf(&extra, "CREATE TRIGGER tr_%05d AFTER INSERT ON t_%05d BEGIN SELECT 1; END;\n", i, i)
		}
		execSQL(t, db, "BEGIN;"+genW1(n)+extra.String()+"COMMIT;")
		cq := &countingQuerier{db: db}
		s := inspectSQLite(t, cq)
		if len(s.Tables) != n {
			t.Fatalf("read %d tables, want %d", len(s.Tables), n)
		}
		return cq.n.Load()
	}
	small, large := count(10), count(1000)
	if small != large {
		t.Errorf("%d queries for 10 tables, %d for 1,000", small, large)
	}
	t.Logf("%d queries", small)
}

func TestSQLiteW1RoundTrip(t *testing.T) {
	db := freshSQLite(t)
	execSQL(t, db, genW1(20))
	s, _ := roundTrip(t, db)
	tb := s.Table("", "t_00002")
	if tb == nil || len(tb.Columns) != 10 || len(tb.Indexes) != 2 || len(tb.Checks) != 1 || len(tb.ForeignKeys) != 1 {
		t.Fatalf("t_00002 read as %+v", tb)
	}
}

func BenchmarkInspectSQLite(b *testing.B) {
	for _, n := range []int{100, 1000, 3000} {
		b.Run(fmt.Sprintf("tables=%d", n), func(b *testing.B) {
			db := openSQLite(b, filepath.Join(b.TempDir(), "bench.db"))
			execSQL(b, db, "BEGIN;"+genW1(n)+"COMMIT;")
			ctx := context.Background()
			b.ResetTimer()
			for b.Loop() {
				if _, err := introspect.Inspect(ctx, db, schema.SQLite, introspect.Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// sqliteCase is one unit test: the schema to create, what the model must
// hold, and the round trip.
type sqliteCase struct {
	name  string
	ddl   string
	check func(t *testing.T, s *schema.Schema)
}

func TestSQLiteObjects(t *testing.T) {
	for _, tc := range sqliteCases {
		t.Run(tc.name, func(t *testing.T) {
			db := freshSQLite(t)
			execSQL(t, db, tc.ddl)
			s, stmts := roundTrip(t, db)
			if tc.check != nil {
				tc.check(t, s)
			}
			if t.Failed() {
				t.Logf("rendered:\n%s", strings.Join(stmts, ";\n"))
			}
		})
	}
}

func mustTable(t *testing.T, s *schema.Schema, name string) *schema.Table {
	t.Helper()
	tb := s.Table("", name)
	if tb == nil {
		t.Fatalf("table %s not read", name)
	}
	return tb
}

func mustColumn(t *testing.T, tb *schema.Table, name string) *schema.Column {
	t.Helper()
	c := tb.Column(name)
	if c == nil {
		t.Fatalf("column %s.%s not read", tb.Name, name)
	}
	return c
}

func equal[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		gj, _ := json.Marshal(got)
		wj, _ := json.Marshal(want)
		t.Errorf("%s:\n got %s\nwant %s", what, gj, wj)
	}
}

var sqliteCases = []sqliteCase{
	{
		name: "without rowid",
		ddl:  `CREATE TABLE kv (k TEXT PRIMARY KEY, v BLOB) WITHOUT ROWID;`,
		check: func(t *testing.T, s *schema.Schema) {
			tb := mustTable(t, s, "kv")
			equal(t, "without rowid", tb.WithoutRowID, true)
			equal(t, "pk", tb.PrimaryKey, &schema.Key{Columns: []string{"k"}})
		},
	},
	{
		name: "strict",
		ddl: `CREATE TABLE s (id INTEGER PRIMARY KEY, n INT NOT NULL, r REAL, t TEXT, b BLOB, a ANY) STRICT;
		      CREATE TABLE sw (k INTEGER, v TEXT, PRIMARY KEY (k)) STRICT, WITHOUT ROWID;`,
		check: func(t *testing.T, s *schema.Schema) {
			st := mustTable(t, s, "s")
			equal(t, "strict", st.Strict, true)
			equal(t, "types", []string{st.Columns[1].Type, st.Columns[5].Type}, []string{"INT", "ANY"})
			sw := mustTable(t, s, "sw")
			equal(t, "strict + without rowid", []bool{sw.Strict, sw.WithoutRowID}, []bool{true, true})
		},
	},
	{
		name: "generated columns",
		ddl: `CREATE TABLE g (
			a INT,
			b INT GENERATED ALWAYS AS (a * 2) VIRTUAL,
			c TEXT AS (upper('x, (' || a)) STORED,
			d AS (a + 1)
		);`,
		check: func(t *testing.T, s *schema.Schema) {
			tb := mustTable(t, s, "g")
			equal(t, "b", mustColumn(t, tb, "b").Generated, &schema.Generated{Expr: "a * 2"})
			equal(t, "c", mustColumn(t, tb, "c").Generated, &schema.Generated{Expr: "upper('x, (' || a)", Stored: true})
			equal(t, "d", mustColumn(t, tb, "d"), &schema.Column{Name: "d", Generated: &schema.Generated{Expr: "a + 1"}})
		},
	},
	{
		name: "partial and expression indexes",
		ddl: `CREATE TABLE p (id INTEGER PRIMARY KEY, name TEXT, a INT, b INT);
		      CREATE INDEX p_expr ON p (lower(name) COLLATE NOCASE DESC, a, (a + b));
		      CREATE UNIQUE INDEX p_partial ON p (name) WHERE a > 0 AND name <> 'x, WHERE )';
		      CREATE INDEX "p both" ON p (abs(a)) WHERE b IS NOT NULL;`,
		check: func(t *testing.T, s *schema.Schema) {
			tb := mustTable(t, s, "p")
			x := tb.Index("p_expr")
			if x == nil {
				t.Fatal("p_expr not read")
			}
			equal(t, "expression parts", x.Parts, []*schema.IndexPart{
				{Expr: "lower(name)", Collation: "NOCASE", Desc: true},
				{Column: "a"},
				{Expr: "(a + b)"},
			})
			pi := tb.Index("p_partial")
			equal(t, "partial", []any{pi.Unique, pi.Where}, []any{true, "a > 0 AND name <> 'x, WHERE )'"})
			equal(t, "both", tb.Index("p both").Where, "b IS NOT NULL")
			equal(t, "index count", len(tb.Indexes), 3)
		},
	},
	{
		name: "collations",
		ddl: `CREATE TABLE c (
			a TEXT COLLATE NOCASE,
			b TEXT COLLATE RTRIM NOT NULL,
			c TEXT,
			UNIQUE (c COLLATE NOCASE DESC, a)
		);
		CREATE INDEX c_b ON c (b COLLATE BINARY, c DESC);`,
		check: func(t *testing.T, s *schema.Schema) {
			tb := mustTable(t, s, "c")
			equal(t, "a", mustColumn(t, tb, "a").Collation, "NOCASE")
			equal(t, "b", mustColumn(t, tb, "b").Collation, "RTRIM")
			equal(t, "unique", tb.Uniques, []*schema.Key{{
				Columns: []string{"c", "a"},
				Parts:   []*schema.IndexPart{{Column: "c", Collation: "NOCASE", Desc: true}, {Column: "a"}},
			}})
			equal(t, "index", tb.Index("c_b").Parts, []*schema.IndexPart{{Column: "b", Collation: "BINARY"}, {Column: "c", Desc: true}})
		},
	},
	{
		name: "foreign keys",
		ddl: `CREATE TABLE parent (id INTEGER PRIMARY KEY, a INT, b INT, UNIQUE (a, b));
		      CREATE TABLE child (
			id INTEGER PRIMARY KEY,
			p INT REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED,
			q INT CONSTRAINT fk_q REFERENCES parent ON DELETE SET NULL,
			a INT, b INT,
			CONSTRAINT fk_ab FOREIGN KEY (a, b) REFERENCES parent (a, b) ON DELETE CASCADE ON UPDATE SET DEFAULT MATCH FULL DEFERRABLE INITIALLY IMMEDIATE,
			FOREIGN KEY (b) REFERENCES later (x) ON UPDATE RESTRICT NOT DEFERRABLE
		      );
		      CREATE TABLE later (x INTEGER PRIMARY KEY, me INT REFERENCES later (x));`,
		check: func(t *testing.T, s *schema.Schema) {
			tb := mustTable(t, s, "child")
			// Sorted by name (Inspect sorts); unnamed ones in declaration order.
			equal(t, "fks", tb.ForeignKeys, []*schema.ForeignKey{
				{Columns: []string{"p"}, RefTable: "parent", RefColumns: []string{"id"}, Deferrable: true, InitiallyDeferred: true},
				{Columns: []string{"b"}, RefTable: "later", RefColumns: []string{"x"}, OnUpdate: schema.Restrict},
				{Name: "fk_ab", Columns: []string{"a", "b"}, RefTable: "parent", RefColumns: []string{"a", "b"},
					OnDelete: schema.Cascade, OnUpdate: schema.SetDefault, Match: "FULL", Deferrable: true},
				{Name: "fk_q", Columns: []string{"q"}, RefTable: "parent", OnDelete: schema.SetNull},
			})
		},
	},
	{
		name: "checks",
		ddl: `CREATE TABLE k (
			a TEXT CHECK (a IN ('x,y', 'CHECK (', ')')),
			b INT CONSTRAINT "b positive" CHECK ((b > 0) AND (b < (10 + length('),(')))),
			c INT,
			CONSTRAINT c_vs_b CHECK (c > b OR c IS NULL) -- trailing, comment
			, CHECK (/* inner comment */ c <> 'CONSTRAINT x CHECK (')
		);`,
		check: func(t *testing.T, s *schema.Schema) {
			tb := mustTable(t, s, "k")
			equal(t, "checks", tb.Checks, []*schema.Check{
				{Expr: "a IN ('x,y', 'CHECK (', ')')"},
				{Expr: "/* inner comment */ c <> 'CONSTRAINT x CHECK ('"},
				{Name: "b positive", Expr: "(b > 0) AND (b < (10 + length('),(')))"},
				{Name: "c_vs_b", Expr: "c > b OR c IS NULL"},
			})
		},
	},
	{
		name: "quoted identifiers",
		ddl: `CREATE TABLE "order items" (
			"select" INTEGER PRIMARY KEY,
			[from] TEXT NOT NULL,
			` + "`group by`" + ` TEXT DEFAULT 'a "b"',
			"a""b" INT,
			"1st" INT,
			UNIQUE ([from], "a""b")
		);
		CREATE INDEX "idx on ""order items""" ON "order items" ("group by", "1st");
		CREATE TABLE "table" ("key" INT REFERENCES "order items" ("select"), "check" TEXT CHECK ("check" <> 'where'));
		CREATE VIEW "the view" AS SELECT "select", [from] FROM "order items";`,
		check: func(t *testing.T, s *schema.Schema) {
			tb := mustTable(t, s, "order items")
			var names []string
			for _, c := range tb.Columns {
				names = append(names, c.Name)
			}
			equal(t, "columns", names, []string{"select", "from", "group by", `a"b`, "1st"})
			equal(t, "unique", tb.Uniques[0].Columns, []string{"from", `a"b`})
			if tb.Index(`idx on "order items"`) == nil {
				t.Error("quoted index name not read")
			}
			equal(t, "fk", mustTable(t, s, "table").ForeignKeys[0].RefTable, "order items")
			if s.View("", "the view") == nil {
				t.Error("view not read")
			}
		},
	},
	{
		name: "constraint names and conflict clauses",
		ddl: `CREATE TABLE n (
			id INTEGER CONSTRAINT n_pk PRIMARY KEY ON CONFLICT REPLACE,
			code TEXT CONSTRAINT n_code_nn NOT NULL ON CONFLICT IGNORE CONSTRAINT n_code_key UNIQUE ON CONFLICT FAIL,
			x INT CONSTRAINT dangling
		);`,
		check: func(t *testing.T, s *schema.Schema) {
			tb := mustTable(t, s, "n")
			equal(t, "pk", tb.PrimaryKey, &schema.Key{Name: "n_pk", Columns: []string{"id"}, OnConflict: "REPLACE"})
			equal(t, "not null", mustColumn(t, tb, "code"), &schema.Column{Name: "code", Type: "TEXT", NotNull: true, OnConflict: "IGNORE"})
			equal(t, "unique", tb.Uniques, []*schema.Key{{Name: "n_code_key", Columns: []string{"code"}, OnConflict: "FAIL"}})
		},
	},
	{
		name: "column-level and table-level constraints read alike",
		ddl: `CREATE TABLE ref (id INTEGER PRIMARY KEY);
		      CREATE TABLE col_level (
			id INTEGER PRIMARY KEY,
			u TEXT UNIQUE,
			r INT REFERENCES ref (id) ON DELETE CASCADE,
			v INT CHECK (v > 0)
		      );
		      CREATE TABLE table_level (
			id INTEGER, u TEXT, r INT, v INT,
			PRIMARY KEY (id), UNIQUE (u),
			FOREIGN KEY (r) REFERENCES ref (id) ON DELETE CASCADE,
			CHECK (v > 0)
		      );`,
		check: func(t *testing.T, s *schema.Schema) {
			a, b := *mustTable(t, s, "col_level"), *mustTable(t, s, "table_level")
			a.Name, a.SQL, b.Name, b.SQL = "", "", "", ""
			equal(t, "column-level vs table-level", a, b)
		},
	},
	{
		name: "autoincrement and primary key order",
		ddl: `CREATE TABLE ai (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT);
		      CREATE TABLE ai2 (id INTEGER NOT NULL, PRIMARY KEY (id AUTOINCREMENT));
		      CREATE TABLE pkdesc (id INTEGER, PRIMARY KEY (id DESC));
		      CREATE TABLE quirk (id INTEGER PRIMARY KEY DESC, v TEXT);
		      CREATE TABLE intkey (id INT PRIMARY KEY, v TEXT);
		      CREATE TABLE comp (a TEXT, b INT, PRIMARY KEY (a COLLATE NOCASE, b DESC));
		      INSERT INTO ai (v) VALUES ('x');`,
		check: func(t *testing.T, s *schema.Schema) {
			equal(t, "ai", mustColumn(t, mustTable(t, s, "ai"), "id").AutoIncrement, true)
			equal(t, "ai2", mustColumn(t, mustTable(t, s, "ai2"), "id").AutoIncrement, true)
			if s.Table("", "sqlite_sequence") != nil {
				t.Error("sqlite_sequence read as a table")
			}
			equal(t, "pkdesc", mustTable(t, s, "pkdesc").PrimaryKey, &schema.Key{Columns: []string{"id"},
				Parts: []*schema.IndexPart{{Column: "id", Desc: true}}})
			equal(t, "quirk", mustTable(t, s, "quirk").PrimaryKey, &schema.Key{Columns: []string{"id"},
				Parts: []*schema.IndexPart{{Column: "id", Desc: true}}, NotRowIDAlias: true})
			equal(t, "int is not integer", mustTable(t, s, "intkey").PrimaryKey, &schema.Key{Columns: []string{"id"}})
			equal(t, "comp", mustTable(t, s, "comp").PrimaryKey.Parts,
				[]*schema.IndexPart{{Column: "a", Collation: "NOCASE"}, {Column: "b", Desc: true}})
		},
	},
	{
		name: "defaults",
		ddl: `CREATE TABLE d (
			a TEXT DEFAULT 'it''s, (x)',
			b INT DEFAULT -1,
			c REAL DEFAULT +1.5e3,
			e TEXT DEFAULT CURRENT_TIMESTAMP,
			f TEXT DEFAULT (datetime('now', 'localtime')),
			g BLOB DEFAULT x'00ff',
			h INT DEFAULT NULL,
			i BOOLEAN DEFAULT TRUE
		);`,
		check: func(t *testing.T, s *schema.Schema) {
			tb := mustTable(t, s, "d")
			var got []string
			for _, c := range tb.Columns {
				got = append(got, c.Default)
			}
			equal(t, "defaults", got, []string{"'it''s, (x)'", "-1", "+1.5e3", "CURRENT_TIMESTAMP",
				"datetime('now', 'localtime')", "x'00ff'", "NULL", "TRUE"})
		},
	},
	{
		name: "views in dependency order",
		ddl: `CREATE TABLE base (id INTEGER PRIMARY KEY, v TEXT);
		      CREATE VIEW zz_first AS SELECT id, v FROM base WHERE id > 0;
		      CREATE VIEW aa_second (n, w) AS SELECT id, upper(v) FROM zz_first -- uses the first
		      ;`,
		check: func(t *testing.T, s *schema.Schema) {
			v := s.View("", "aa_second")
			equal(t, "depends on", v.DependsOn, []*schema.ObjectRef{{Kind: schema.ObjectView, Name: "zz_first"}})
			equal(t, "definition", v.Definition, "SELECT id, upper(v) FROM zz_first")
			equal(t, "columns", v.Columns, []*schema.Column{{Name: "n", Type: "INTEGER"}, {Name: "w", Type: ""}})
		},
	},
	{
		name: "triggers",
		ddl: `CREATE TABLE log (msg TEXT);
		      CREATE TABLE item (id INTEGER PRIMARY KEY, qty INT);
		      CREATE VIEW item_v AS SELECT * FROM item;
		      CREATE TRIGGER item_ai AFTER INSERT ON item WHEN new.qty > 0
		      BEGIN
			INSERT INTO log VALUES ('inserted; id=' || new.id);
			UPDATE item SET qty = qty WHERE id = new.id;
		      END;
		      CREATE TRIGGER "item v ins" INSTEAD OF INSERT ON item_v BEGIN INSERT INTO item VALUES (new.id, new.qty); END;
		      CREATE TRIGGER item_bu BEFORE UPDATE OF qty ON item BEGIN SELECT RAISE(ABORT, 'no; way') WHERE new.qty < 0; END;`,
		check: func(t *testing.T, s *schema.Schema) {
			equal(t, "triggers on item", len(s.TriggersOn("", "item")), 2)
			equal(t, "trigger on view", len(s.TriggersOn("", "item_v")), 1)
		},
	},
	{
		name: "a repeated UNIQUE lends its ON CONFLICT",
		ddl:  `CREATE TABLE oc (a TEXT PRIMARY KEY, b INT UNIQUE, UNIQUE (a) ON CONFLICT FAIL, UNIQUE (b) ON CONFLICT IGNORE);`,
		check: func(t *testing.T, s *schema.Schema) {
			tb := mustTable(t, s, "oc")
			equal(t, "pk", tb.PrimaryKey.OnConflict, "FAIL")
			equal(t, "unique", tb.Uniques, []*schema.Key{{Columns: []string{"b"}, OnConflict: "IGNORE"}})
		},
	},
	{
		name: "duplicate unique constraints and comments",
		ddl: `CREATE TABLE dup ( -- a comment (with parens
			a INT /* block, comment */ NOT NULL,
			b INT,
			UNIQUE (a, b),
			UNIQUE (a, b)
		);`,
		check: func(t *testing.T, s *schema.Schema) {
			equal(t, "uniques", len(mustTable(t, s, "dup").Uniques), 1)
		},
	},
	{
		name: "internal tables are left out",
		ddl: `CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT);
		      CREATE INDEX a_v ON a (v);
		      INSERT INTO a (v) VALUES ('x'), ('y');
		      ANALYZE;`,
		check: func(t *testing.T, s *schema.Schema) {
			for _, tb := range s.Tables {
				if strings.HasPrefix(tb.Name, "sqlite_") {
					t.Errorf("internal table %s read", tb.Name)
				}
			}
		},
	},
	{
		name: "virtual table",
		ddl:  `CREATE VIRTUAL TABLE docs USING fts5 (title, body);`,
		check: func(t *testing.T, s *schema.Schema) {
			equal(t, "tables", len(s.Tables), 1)
			equal(t, "virtual", s.Tables[0].Virtual, true)
		},
	},
}

func TestSQLiteBrokenView(t *testing.T) {
	db := freshSQLite(t)
	execSQL(t, db, `CREATE TABLE gone (a INT); CREATE VIEW v AS SELECT a FROM gone; DROP TABLE gone;
		CREATE TABLE kept (b INT); CREATE VIEW w AS SELECT b FROM kept;`)
	s, _ := roundTrip(t, db)
	if len(s.Views) != 2 || s.View("", "v").Definition != "SELECT a FROM gone" {
		t.Errorf("views: %+v", s.Views)
	}
	if s.View("", "w").Columns != nil {
		t.Error("view columns kept although one view cannot be resolved")
	}
}

func TestSQLiteVersionTableLeftOut(t *testing.T) {
	db := freshSQLite(t)
	execSQL(t, db, `CREATE TABLE migrate_version (revision TEXT PRIMARY KEY); CREATE TABLE migrate_version_progress (revision TEXT PRIMARY KEY); CREATE TABLE users (id INTEGER PRIMARY KEY);`)
	s, err := introspect.Inspect(context.Background(), db, schema.SQLite, introspect.Options{VersionTable: "migrate_version"})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Tables) != 1 || s.Tables[0].Name != "users" {
		t.Errorf("tables: %+v", s.Tables)
	}
}

func TestSQLiteEmptyDatabase(t *testing.T) {
	db := freshSQLite(t)
	s := inspectSQLite(t, db)
	if len(s.Tables)+len(s.Views)+len(s.Triggers) != 0 {
		t.Errorf("empty database read as %+v", s)
	}
	if s.ServerVersion < 3037000 {
		t.Errorf("server version %d", s.ServerVersion)
	}
}

func TestSQLiteNonASCIICase(t *testing.T) {
	db := freshSQLite(t)
	execSQL(t, db, `CREATE TABLE u ("É" TEXT COLLATE NOCASE, "é" INT CHECK ("é" > 0), "Ab" INT, UNIQUE ("ab"));`)
	s, _ := roundTrip(t, db)
	tb := mustTable(t, s, "u")
	equal(t, "É", mustColumn(t, tb, "É").Collation, "NOCASE")
	equal(t, "é", mustColumn(t, tb, "é").Collation, "")
	equal(t, "unique", tb.Uniques[0].Columns, []string{"Ab"})
}

func TestSQLiteNotADatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "junk.db")
	if err := os.WriteFile(path, []byte(strings.Repeat("this is not a database\n", 400)), 0o644); err != nil {
		t.Fatal(err)
	}
	db := openSQLite(t, path)
	_, err := introspect.Inspect(context.Background(), db, schema.SQLite, introspect.Options{})
	if err == nil || !strings.Contains(err.Error(), "not a database") {
		t.Errorf("err = %v, want one saying the file is not a database", err)
	}
}

// TestSQLiteRandomRoundTrip builds random schemas from every feature the
// introspector reads (each constraint randomly at column or table level,
// named or not, with awkward identifiers and expressions) and round-trips
// each one.
func TestSQLiteRandomRoundTrip(t *testing.T) {
	seeds := 150
	if testing.Short() {
		seeds = 20
	}
	for seed := 1; seed <= seeds; seed++ {
		ddl := randomSQLiteSchema(rand.New(rand.NewPCG(uint64(seed), 7)))
		t.Run(fmt.Sprint("seed=", seed), func(t *testing.T) {
			db := freshSQLite(t)
			if _, err := db.Exec(ddl); err != nil {
				if strings.Contains(err.Error(), "conflicting ON CONFLICT clauses") {
					t.Skip("the generator gave one key two ON CONFLICT clauses")
				}
				t.Fatalf("generator wrote invalid SQL: %v\n%s", err, ddl)
			}
			roundTrip(t, db)
			if t.Failed() {
				t.Logf("schema:\n%s", ddl)
			}
		})
	}
}

func randomSQLiteSchema(r *rand.Rand) string {
	pick := func(xs ...string) string { return xs[r.IntN(len(xs))] }
	chance := func(p float64) bool { return r.Float64() < p }
	quote := func(n string) string {
		switch r.IntN(4) {
		case 0:
			return `"` + strings.ReplaceAll(n, `"`, `""`) + `"`
		case 1:
			if !strings.ContainsAny(n, "]") {
				return "[" + n + "]"
			}
		case 2:
			if !strings.ContainsAny(n, "`") {
				return "`" + n + "`"
			}
		}
		if isPlain(n) {
			return n
		}
		return `"` + strings.ReplaceAll(n, `"`, `""`) + `"`
	}
	name := func(prefix string, i int) string {
		return pick(prefix, prefix+" x", "select", "Order", `q"t`, "É", "from where") + fmt.Sprint("_", prefix, i)
	}
	cname := func() string {
		return pick("", "CONSTRAINT "+quote(fmt.Sprintf("k%d %s", r.IntN(1e6), pick("a", "CHECK", "b,c")))+" ")
	}
	exprPool := []string{"%s IS NOT NULL", "length(%s) < 100", "%s <> 'a,b)' AND (%s IS NULL OR 1 = 1)", "%s IN ('CHECK (', ')', 'x''y')", "(%s) OR (NOT (0))"}
	nTables := 1 + r.IntN(6)
	type tinfo struct {
		name string
		cols []string
	}
	var tables []tinfo
	for i := range nTables {
		tables = append(tables, tinfo{name: name("t", i)})
	}
	var b strings.Builder
	for ti := range tables {
		tb := &tables[ti]
		strict, withoutRowID := chance(0.25), chance(0.25)
		types := []string{"INTEGER", "INT", "TEXT", "VARCHAR(20)", "NUMERIC(10, 2)", "BLOB", "REAL", "", "DOUBLE PRECISION", "BLOB SUB_TYPE TEXT"}
		if strict {
			types = []string{"INTEGER", "INT", "TEXT", "BLOB", "REAL", "ANY"}
		}
		nCols := 1 + r.IntN(6)
		var defs, tcons []string
		pkMode := r.IntN(5) // 0 none, 1 inline, 2 table single, 3 table composite, 4 inline DESC quirk
		if withoutRowID && pkMode == 0 {
			pkMode = 2
		}
		var pkCols []string
		for ci := range nCols {
			cn := name("c", ci)
			tb.cols = append(tb.cols, cn)
			typ := types[r.IntN(len(types))]
			def := quote(cn)
			if typ != "" {
				def += " " + typ
			}
			generated := ci > 0 && chance(0.15)
			switch {
			case ci == 0 && (pkMode == 1 || pkMode == 4):
				if pkMode == 4 && !withoutRowID {
					def = quote(cn) + " INTEGER " + cname() + "PRIMARY KEY DESC"
				} else {
					def += " " + cname() + "PRIMARY KEY" + pick("", " ASC", " ON CONFLICT REPLACE")
					if typ == "INTEGER" && !withoutRowID && chance(0.5) {
						def += " AUTOINCREMENT"
					}
				}
				pkCols = []string{cn}
			case ci == 0 && pkMode == 2:
				pkCols = []string{cn}
			case ci <= 1 && pkMode == 3:
				pkCols = append(pkCols, cn)
			}
			if generated && !slices.Contains(pkCols, cn) {
				def += fmt.Sprintf(" %sAS (%s || ',') %s", pick("", "GENERATED ALWAYS "), quote(tb.cols[0]), pick("", "VIRTUAL", "STORED"))
			} else if chance(0.3) {
				def += " DEFAULT " + pick("0", "-1", "'a, b'", "NULL", "CURRENT_TIMESTAMP", "(1 + 2)", "x'00'", "1.5")
			}
			if chance(0.3) || (withoutRowID && slices.Contains(pkCols, cn)) {
				def += " " + cname() + "NOT NULL" + pick("", " ON CONFLICT IGNORE")
			}
			if chance(0.2) {
				def += " COLLATE " + pick("NOCASE", "RTRIM", "BINARY")
			}
			if chance(0.15) && !generated {
				def += " " + cname() + "UNIQUE"
			}
			if chance(0.2) {
				e := exprPool[r.IntN(len(exprPool))]
				def += " " + cname() + "CHECK (" + strings.ReplaceAll(e, "%s", quote(cn)) + ")"
			}
			if chance(0.15) && !generated {
				ref := tables[r.IntN(len(tables))]
				def += fmt.Sprintf(" %sREFERENCES %s%s%s", cname(), quote(ref.name),
					pick("", " ON DELETE CASCADE", " ON UPDATE SET NULL ON DELETE RESTRICT"),
					pick("", " DEFERRABLE INITIALLY DEFERRED", " NOT DEFERRABLE", " MATCH FULL"))
			}
			defs = append(defs, def)
		}
		if pkMode == 3 && len(pkCols) == 1 {
			pkMode = 2
		}
		if pkMode == 2 || pkMode == 3 {
			var parts []string
			for _, c := range pkCols {
				parts = append(parts, quote(c)+pick("", " DESC", " COLLATE NOCASE", " ASC"))
			}
			tcons = append(tcons, cname()+"PRIMARY KEY ("+strings.Join(parts, ", ")+")")
		}
		if chance(0.4) {
			c := tb.cols[r.IntN(len(tb.cols))]
			tcons = append(tcons, cname()+"UNIQUE ("+quote(c)+pick("", " DESC", " COLLATE NOCASE")+")"+pick("", " ON CONFLICT FAIL"))
		}
		if chance(0.4) {
			e := exprPool[r.IntN(len(exprPool))]
			tcons = append(tcons, cname()+"CHECK ("+strings.ReplaceAll(e, "%s", quote(tb.cols[0]))+")")
		}
		if chance(0.4) {
			ref := tables[r.IntN(len(tables))]
			tcons = append(tcons, fmt.Sprintf("%sFOREIGN KEY (%s) REFERENCES %s (%s)%s%s", cname(),
				quote(tb.cols[0]), quote(ref.name), quote("id"), pick("", " ON DELETE SET DEFAULT"), pick("", " DEFERRABLE", " DEFERRABLE INITIALLY DEFERRED")))
		}
		var opts []string
		if withoutRowID {
			opts = append(opts, "WITHOUT ROWID")
		}
		if strict {
			opts = append(opts, "STRICT")
		}
		fmt.Fprintf(&b, "CREATE TABLE %s (\n  %s\n)%s;\n", quote(tb.name), strings.Join(append(defs, tcons...), ",\n  "),
			strings.TrimSuffix(" "+strings.Join(opts, ", "), " "))
		for ii := range r.IntN(3) {
			var parts []string
			for range 1 + r.IntN(2) {
				c := quote(tb.cols[r.IntN(len(tb.cols))])
				parts = append(parts, pick(c, "lower("+c+")", "("+c+" || 'x')", c+" COLLATE NOCASE")+pick("", " DESC", " ASC"))
			}
			where := pick("", " WHERE "+quote(tb.cols[0])+" IS NOT NULL", " WHERE "+quote(tb.cols[0])+" <> ')'")
			fmt.Fprintf(&b, "CREATE %sINDEX %s ON %s (%s)%s;\n", pick("", "UNIQUE "), quote(fmt.Sprintf("ix %d %d", ti, ii)),
				quote(tb.name), strings.Join(parts, ", "), where)
		}
		if chance(0.3) {
			fmt.Fprintf(&b, "CREATE TRIGGER %s AFTER INSERT ON %s BEGIN SELECT 1; SELECT ';'; END;\n", quote(fmt.Sprintf("tr %d", ti)), quote(tb.name))
		}
	}
	if chance(0.5) {
		t0 := tables[0]
		fmt.Fprintf(&b, "CREATE VIEW %s AS SELECT %s FROM %s;\n", quote("v_b"), quote(t0.cols[0]), quote(t0.name))
		fmt.Fprintf(&b, "CREATE VIEW %s AS SELECT * FROM %s -- on v_b\n;\n", quote("v_a"), quote("v_b"))
	}
	return b.String()
}

func isPlain(n string) bool {
	for i := 0; i < len(n); i++ {
		c := n[i]
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return n != "" && !slices.Contains([]string{"SELECT", "ORDER", "FROM", "WHERE"}, strings.ToUpper(n))
}
