package autogen_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/migratehq/migrate/autogen"
	"github.com/migratehq/migrate/schema"
)

// TestColumnExclude: [models] exclude = ["address.street", …] leaves the
// column alone on both dialects — a model without it does not drop it,
// one with another type does not alter it, one with a column the
// database lacks does not add it — and with it the index and the check
// that name it. A change elsewhere in the table (on SQLite a rebuild)
// carries the column, its data and its index over.
func TestColumnExclude(t *testing.T) {
	for _, dialect := range []string{schema.SQLite, schema.Postgres} {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			db, u := goModelsDB(t, dialect)
			mustExec(t, db, `CREATE TABLE address (id integer PRIMARY KEY, city text, street text, owner integer,
				CONSTRAINT street_named CHECK (street <> ''))`,
				`CREATE INDEX address_street_idx ON address (street)`,
				`CREATE TABLE person (id integer PRIMARY KEY, name text)`,
				`INSERT INTO address VALUES (1, 'Paris', 'rue de Rivoli', 7)`)
			dir := t.TempDir()
			model := filepath.Join(dir, "schema.sql")
			gen := func(text string, include, exclude []string) *autogen.Output {
				t.Helper()
				writeFile(t, model, text)
				out, err := autogen.Generate(ctx, autogen.Input{Dialect: dialect, Live: db, Source: autogen.SQLFiles{model},
					Dev: autogen.DevProvider(u, db, "", "", "set dev_url"), Include: include, Exclude: exclude})
				if err != nil {
					t.Fatal(err)
				}
				return out
			}
			exclude := []string{"address.street", "*.zip"}
			const person = "CREATE TABLE person (id integer PRIMARY KEY, name text);\n"
			for name, text := range map[string]string{
				"column missing": "CREATE TABLE address (id integer PRIMARY KEY, city text, owner integer);\n" + person,
				"other type, other index, column the database lacks": `CREATE TABLE address (id integer PRIMARY KEY, city text, street integer, owner integer, zip text);
					CREATE INDEX address_street_idx ON address (street DESC);
					CREATE INDEX address_zip_idx ON address (zip);` + person,
			} {
				if out := gen(text, nil, exclude); len(out.Changes) > 0 {
					t.Errorf("%s: changes:\n%s", name, FormatStatements(out.Up))
				}
			}
			// Without the pattern, the column is dropped.
			if out := gen("CREATE TABLE address (id integer PRIMARY KEY, city text, owner integer);\n"+person, nil, nil); !strings.Contains(FormatStatements(out.Up), "street") {
				t.Errorf("without exclude, street is not dropped:\n%s", FormatStatements(out.Up))
			}
			// Include by column: the table's other columns are left alone.
			if out := gen("CREATE TABLE address (id integer PRIMARY KEY, city text);\n"+person, []string{"person", "address.id", "address.city"}, nil); len(out.Changes) > 0 {
				t.Errorf("include by column: changes:\n%s", FormatStatements(out.Up))
			}

			// A change to city: on SQLite a table rebuild.
			out := gen("CREATE TABLE address (id integer PRIMARY KEY, city text NOT NULL, owner integer);\n"+person, nil, exclude)
			up := FormatStatements(out.Up)
			if len(out.Changes) != 1 || !strings.Contains(up, "city") {
				t.Fatalf("want one change of city, got:\n%s", up)
			}
			applyStatements(t, ctx, db, out.Up, "Up")
			var street string
			if err := db.QueryRow("SELECT street FROM address WHERE id = 1").Scan(&street); err != nil || street != "rue de Rivoli" {
				t.Errorf("street after Up = %q, %v\n%s", street, err, up)
			}
			if _, err := db.Exec("INSERT INTO address (id, city, street) VALUES (2, 'x', '')"); err == nil {
				t.Errorf("the check on street is gone:\n%s", up)
			}
			if !hasIndex(t, db, dialect, "address_street_idx") {
				t.Errorf("address_street_idx is gone:\n%s", up)
			}
			if out := gen("CREATE TABLE address (id integer PRIMARY KEY, city text NOT NULL, owner integer);\n"+person, nil, exclude); len(out.Changes) > 0 {
				t.Errorf("after Up: changes:\n%s", FormatStatements(out.Up))
			}
			// Down puts city back, and still leaves street alone.
			applyStatements(t, ctx, db, out.Down, "Down")
			if err := db.QueryRow("SELECT street FROM address WHERE id = 1").Scan(&street); err != nil || street != "rue de Rivoli" {
				t.Errorf("street after Down = %q, %v", street, err)
			}
		})
	}
}

func mustExec(t *testing.T, db *sql.DB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%v\n%s", err, s)
		}
	}
}

func hasIndex(t *testing.T, db *sql.DB, dialect, name string) bool {
	t.Helper()
	q := "SELECT count(*) FROM pg_indexes WHERE indexname = $1"
	if dialect == schema.SQLite {
		q = "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = ?"
	}
	var n int
	if err := db.QueryRow(q, name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n == 1
}

// TestColumnExcludeRenames: a column pattern names a table by any of its
// names (in the model, in the database, its rename hint's old one), the
// same on both sides, and the column comes back from the database's own
// table of the pair. In a chain of renames (a→b, b→c, c→d) with exclude
// "b.secret", the data stays with old b (now c): no column is added to
// new b, none dropped from c; afterwards the kept hints keep the column
// left out, with a warning that the pattern names the old table.
func TestColumnExcludeRenames(t *testing.T) {
	for _, dialect := range []string{schema.SQLite, schema.Postgres} {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			for name, tc := range map[string]struct {
				model, secretOn string
				withC           bool // the database has a table c
			}{
				"chain of three": {`CREATE TABLE b ( -- migrate:renamed_from a
	id integer PRIMARY KEY, name text);
CREATE TABLE c ( -- migrate:renamed_from b
	id integer PRIMARY KEY, title text);
CREATE TABLE d ( -- migrate:renamed_from c
	id integer PRIMARY KEY, note integer);
`, "c", true},
				"chain of two": {`CREATE TABLE b ( -- migrate:renamed_from a
	id integer PRIMARY KEY, name text);
CREATE TABLE c ( -- migrate:renamed_from b
	id integer PRIMARY KEY, title text);
`, "c", false},
				"one rename": {`CREATE TABLE a (id integer PRIMARY KEY, name text);
CREATE TABLE c ( -- migrate:renamed_from b
	id integer PRIMARY KEY, title text);
`, "c", false},
			} {
				t.Run(strings.ReplaceAll(name, " ", "_"), func(t *testing.T) {
					db, u := goModelsDB(t, dialect)
					mustExec(t, db, `CREATE TABLE a (id integer PRIMARY KEY, name text)`,
						`CREATE TABLE b (id integer PRIMARY KEY, title text, secret text)`,
						`INSERT INTO b VALUES (1, 'B', 's')`)
					if tc.withC {
						mustExec(t, db, `CREATE TABLE c (id integer PRIMARY KEY, note integer)`)
					}
					model := filepath.Join(t.TempDir(), "schema.sql")
					writeFile(t, model, tc.model)
					gen := func() *autogen.Output {
						t.Helper()
						out, err := autogen.Generate(ctx, autogen.Input{Dialect: dialect, Live: db, Source: autogen.SQLFiles{model},
							Dev: autogen.DevProvider(u, db, "", "", "set dev_url"), Exclude: []string{"b.secret"}})
						if err != nil {
							t.Fatal(err)
						}
						return out
					}
					out := gen()
					up := FormatStatements(out.Up)
					if strings.Contains(up, "secret") {
						t.Errorf("the Up touches secret:\n%s", up)
					}
					applyStatements(t, ctx, db, out.Up, "Up")
					var secret string
					if err := db.QueryRow("SELECT secret FROM " + tc.secretOn + " WHERE id = 1").Scan(&secret); err != nil || secret != "s" {
						t.Errorf("secret on %s after Up = %q, %v\n%s", tc.secretOn, secret, err, up)
					}
					again := gen()
					if len(again.Changes) > 0 {
						t.Errorf("after Up: changes:\n%s", FormatStatements(again.Up))
					}
					if !slices.ContainsFunc(again.HintWarnings, func(w string) bool {
						return strings.Contains(w, `"b.secret"`) && strings.Contains(w, "(c.secret)")
					}) {
						t.Errorf("no warning that b.secret names the old table: %q", again.HintWarnings)
					}
					applyStatements(t, ctx, db, out.Down, "Down")
					if err := db.QueryRow("SELECT secret FROM b WHERE id = 1").Scan(&secret); err != nil || secret != "s" {
						t.Errorf("secret on b after Down = %q, %v", secret, err)
					}
				})
			}
		})
	}
}

// TestExcludedEnumDefault: removing from an enum the value that is the
// default of a column left out is refused while generating, naming the
// column and the value (the rebuild would put the default back on the
// new type and fail).
func TestExcludedEnumDefault(t *testing.T) {
	ctx := context.Background()
	db, u := goModelsDB(t, schema.Postgres)
	mustExec(t, db, `CREATE TYPE status AS ENUM ('pending', 'done')`,
		`CREATE TABLE orders (id integer PRIMARY KEY, st status NOT NULL DEFAULT 'pending')`)
	model := filepath.Join(t.TempDir(), "schema.sql")
	writeFile(t, model, `CREATE TYPE status AS ENUM ('done');
CREATE TABLE orders (id integer PRIMARY KEY, st status NOT NULL DEFAULT 'done');
`)
	_, err := autogen.Generate(ctx, autogen.Input{Dialect: schema.Postgres, Live: db, Source: autogen.SQLFiles{model},
		Dev: autogen.DevProvider(u, db, "", "", "set dev_url"), Exclude: []string{"orders.st"}})
	if err == nil || !strings.Contains(err.Error(), "loses value 'pending'") || !strings.Contains(err.Error(), "column st") || !strings.Contains(err.Error(), "table public.orders") {
		t.Fatalf("err = %v, want a refusal naming orders.st and 'pending'", err)
	}
}

// TestTableExcludeRename: a table pattern that leaves out the model's
// new name of a table leaves its old table in the database alone (it was
// dropped with its rows); in a chain through it, generating is refused.
func TestTableExcludeRename(t *testing.T) {
	for _, dialect := range []string{schema.SQLite, schema.Postgres} {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			db, u := goModelsDB(t, dialect)
			mustExec(t, db, `CREATE TABLE a (id integer PRIMARY KEY)`, `CREATE TABLE b (id integer PRIMARY KEY, title text)`,
				`INSERT INTO b VALUES (1, 'keep')`)
			model := filepath.Join(t.TempDir(), "schema.sql")
			gen := func(text string, include, exclude []string) (*autogen.Output, error) {
				writeFile(t, model, text)
				return autogen.Generate(ctx, autogen.Input{Dialect: dialect, Live: db, Source: autogen.SQLFiles{model},
					Dev: autogen.DevProvider(u, db, "", "", "set dev_url"), Include: include, Exclude: exclude})
			}
			const renamed = "CREATE TABLE a (id integer PRIMARY KEY);\nCREATE TABLE c ( -- migrate:renamed_from b\n  id integer PRIMARY KEY, title text);\n"
			for name, f := range map[string][2][]string{"exclude": {nil, {"c"}}, "include": {{"a", "b"}, nil}} {
				out, err := gen(renamed, f[0], f[1])
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if len(out.Changes) > 0 {
					t.Errorf("%s: changes:\n%s", name, FormatStatements(out.Up))
				}
			}
			_, err := gen("CREATE TABLE b ( -- migrate:renamed_from a\n  id integer PRIMARY KEY);\nCREATE TABLE c ( -- migrate:renamed_from b\n  id integer PRIMARY KEY, title text);\n", nil, []string{"c"})
			if err == nil || !strings.Contains(err.Error(), "chain of renames cannot go through a table left out") {
				t.Errorf("chain: err = %v", err)
			}
		})
	}
}
