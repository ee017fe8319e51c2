package autogen

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"

	"github.com/migratehq/migrate/schema"
)

func TestSQLiteQuote(t *testing.T) {
	for in, want := range map[string]string{
		"users":        "users",
		"Album_2":      "Album_2",
		"select":       `"select"`,
		"Order":        `"Order"`,
		"order items":  `"order items"`,
		`a"b`:          `"a""b"`,
		"1st":          `"1st"`,
		"été":          `"été"`,
		"a$b":          `"a$b"`,
		"rowid":        "rowid",
		"":             `""`,
		"CURRENT_TIME": `"CURRENT_TIME"`,
	} {
		if got := sqliteQuote(in); got != want {
			t.Errorf("sqliteQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestSQLiteDefault(t *testing.T) {
	for in, want := range map[string]string{
		"0":                    "0",
		"-1":                   "-1",
		"+1.5e3":               "+1.5e3",
		"'a'":                  "'a'",
		"'it''s'":              "'it''s'",
		"'a' || 'b'":           "('a' || 'b')",
		"x'00ff'":              "x'00ff'",
		"CURRENT_TIMESTAMP":    "CURRENT_TIMESTAMP",
		"NULL":                 "NULL",
		"(datetime('now'))":    "(datetime('now'))",
		"datetime('now')":      "(datetime('now'))",
		"(1) + (2)":            "((1) + (2))",
		"('(' || ')')":         "('(' || ')')",
		"1 + 2":                "(1 + 2)",
		`"quoted"`:             `"quoted"`,
		"strftime('%s','now')": "(strftime('%s','now'))",
	} {
		if got := sqliteDefault(in); got != want {
			t.Errorf("sqliteDefault(%q) = %s, want %s", in, got, want)
		}
	}
}

// TestSQLiteRenderModel renders a model written by hand (as a model loader
// would produce it, with no stored SQL) and checks the DDL text and that
// SQLite accepts it.
func TestSQLiteRenderModel(t *testing.T) {
	s := &schema.Schema{
		Dialect: schema.SQLite,
		Tables: []*schema.Table{
			{
				Name: "order",
				Columns: []*schema.Column{
					{Name: "id", Type: "INTEGER", AutoIncrement: true},
					{Name: "user_id", Type: "INTEGER", NotNull: true},
					{Name: "created", Type: "TEXT", NotNull: true, Default: "datetime('now')"},
					{Name: "note", Type: "TEXT", Collation: "NOCASE"},
					{Name: "total", Type: "REAL", Generated: &schema.Generated{Expr: "1.0 * user_id", Stored: true}},
				},
				PrimaryKey:  &schema.Key{Columns: []string{"id"}},
				ForeignKeys: []*schema.ForeignKey{{Name: "fk_user", Columns: []string{"user_id"}, RefTable: "users", RefColumns: []string{"id"}, OnDelete: schema.Cascade, Deferrable: true, InitiallyDeferred: true}},
				Checks:      []*schema.Check{{Name: "note len", Expr: "length(note) < 100"}},
				Indexes: []*schema.Index{
					{Name: "order_note", Parts: []*schema.IndexPart{{Expr: "lower(note)", Desc: true}}, Where: "note IS NOT NULL"},
				},
			},
			{
				Name:         "users",
				Columns:      []*schema.Column{{Name: "id", Type: "INTEGER", NotNull: true}, {Name: "email", Type: "TEXT", NotNull: true}},
				PrimaryKey:   &schema.Key{Columns: []string{"id"}, Parts: []*schema.IndexPart{{Column: "id", Desc: true}}},
				Uniques:      []*schema.Key{{Name: "users_email", Columns: []string{"email"}, OnConflict: "REPLACE"}},
				Strict:       true,
				WithoutRowID: true,
			},
		},
		Views: []*schema.View{
			{Name: "a_view", Definition: "SELECT * FROM b_view", DependsOn: []*schema.ObjectRef{{Kind: schema.ObjectView, Name: "b_view"}}},
			{Name: "b_view", Definition: `SELECT id FROM "order"`, DependsOn: []*schema.ObjectRef{{Kind: schema.ObjectTable, Name: "order"}}},
		},
		Triggers: []*schema.Trigger{{Name: "t", Table: "users", Definition: "CREATE TRIGGER t AFTER INSERT ON users BEGIN SELECT 1; END -- done"}},
	}
	stmts, err := RenderSchema(s)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`CREATE TABLE users (
  id INTEGER NOT NULL,
  email TEXT NOT NULL,
  PRIMARY KEY (id DESC),
  CONSTRAINT users_email UNIQUE (email) ON CONFLICT REPLACE
) WITHOUT ROWID, STRICT`,
		`CREATE TABLE "order" (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id INTEGER NOT NULL,
  created TEXT NOT NULL DEFAULT (datetime('now')),
  note TEXT COLLATE NOCASE,
  total REAL GENERATED ALWAYS AS (1.0 * user_id) STORED,
  CONSTRAINT "note len" CHECK (length(note) < 100),
  CONSTRAINT fk_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED
)`,
		`CREATE VIEW b_view AS SELECT id FROM "order"`,
		`CREATE VIEW a_view AS SELECT * FROM b_view`,
		`CREATE INDEX order_note ON "order" (lower(note) DESC) WHERE note IS NOT NULL`,
		"CREATE TRIGGER t AFTER INSERT ON users BEGIN SELECT 1; END -- done\n",
	}
	if strings.Join(stmts, ";\n") != strings.Join(want, ";\n") {
		t.Errorf("rendered:\n%s\n\nwant:\n%s", strings.Join(stmts, ";\n"), strings.Join(want, ";\n"))
	}

	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "r.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(strings.Join(stmts, ";\n") + ";"); err != nil {
		t.Fatalf("SQLite rejects the rendered DDL: %v", err)
	}
}

func TestSQLiteRenderErrors(t *testing.T) {
	for name, s := range map[string]*schema.Schema{
		"no columns": {Dialect: schema.SQLite, Tables: []*schema.Table{{Name: "t"}}},
		"enum":       {Dialect: schema.SQLite, Enums: []*schema.Enum{{Name: "e", Values: []string{"a"}}}},
		"empty index": {Dialect: schema.SQLite, Tables: []*schema.Table{{Name: "t",
			Columns: []*schema.Column{{Name: "a"}}, Indexes: []*schema.Index{{Name: "i"}}}}},
	} {
		if _, err := RenderSchema(s); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
