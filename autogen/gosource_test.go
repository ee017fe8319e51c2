package autogen_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/migratehq/migrate/autogen"
	"github.com/migratehq/migrate/config"
	"github.com/migratehq/migrate/internal/testdb"
	"github.com/migratehq/migrate/schema"
	"github.com/migratehq/migrate/schema/gomodel"
)

// goModelsDB opens a fresh live database of the dialect, with its URL.
// SQLite runs without foreign_keys, as the runner does for a revision
// (table rebuilds), and the test checks foreign_key_check itself.
func goModelsDB(t *testing.T, dialect string) (*sql.DB, config.URL) {
	t.Helper()
	raw := ""
	switch dialect {
	case schema.SQLite:
		raw = "sqlite:///" + testdb.SQLitePath(t)
	case schema.Postgres:
		raw = testdb.Postgres(t)
	}
	u, err := config.ParseURL(raw, "")
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open(u.Driver, u.DSN)
	if err != nil {
		t.Fatal(err)
	}
	if dialect == schema.SQLite {
		db.SetMaxOpenConns(1)
		if _, err := db.Exec("PRAGMA foreign_keys = OFF"); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { db.Close() })
	return db, u
}

func generateGo(t *testing.T, db *sql.DB, u config.URL, dirs ...string) *autogen.Output {
	t.Helper()
	out, err := autogen.Generate(context.Background(), autogen.Input{
		Dialect: string(u.Dialect),
		Live:    db,
		Source:  autogen.GoModels{Dirs: dirs},
		Dev:     autogen.DevProvider(u, db, "", "", "set dev_url"),
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// copyModels copies the .go files of a testdata models package into dir,
// replacing what was there.
func copyModels(t *testing.T, from, dir string) {
	t.Helper()
	old, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	for _, f := range old {
		os.Remove(f)
	}
	files, err := filepath.Glob(filepath.Join(from, "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no models in %s: %v", from, err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestGoModelsLoop is the whole autogenerate loop from Go structs:
// testdata/gomodels/shop (a dozen tables, every relation kind, enums,
// composite keys and indexes) is generated and applied, a second run
// finds nothing; shop_v2 changes every tag and directive kind, and is
// generated, applied (a third run finds nothing), reverted with Down (the
// v1 models then find nothing) and applied again. gormshop does the same
// in GORM mode with a change of each gorm tag kind.
func TestGoModelsLoop(t *testing.T) {
	for _, pkg := range []struct {
		name      string
		minTables int
		mention   []string // in v2's Up
		forbid    []string // not in v2's Up (renames, not drop + add)
	}{
		{"shop", 12, []string{"activity_logs", "full_name", "webhooks", "project_watchers", "deleted_at"}, []string{"DROP TABLE audit_logs", "DROP COLUMN name"}},
		{"gormshop", 5, []string{"user_projects", "country", "alias", "meta_version", "idx_users_birthday"}, []string{"DROP COLUMN nickname"}},
	} {
		for _, dialect := range []string{schema.SQLite, schema.Postgres} {
			t.Run(pkg.name+"/"+dialect, func(t *testing.T) {
				t.Setenv("MIGRATE_NO_CACHE", "1")
				ctx := context.Background()
				db, u := goModelsDB(t, dialect)
				dir := t.TempDir()
				v1 := filepath.Join("..", "testdata", "gomodels", pkg.name)
				v2 := v1 + "_v2"
				copyModels(t, v1, dir)

				out := generateGo(t, db, u, dir)
				if len(out.Up) == 0 {
					t.Fatal("the first autogenerate found nothing to create")
				}
				if n := len(out.Target.Tables); n < pkg.minTables {
					t.Fatalf("the model has %d tables, want at least %d", n, pkg.minTables)
				}
				applyStatements(t, ctx, db, out.Up, "v1 up")
				checkForeignKeys(t, db, dialect)
				if again := generateGo(t, db, u, dir); len(again.Changes) != 0 {
					t.Fatalf("second autogenerate on v1 found changes:\n%s", FormatStatements(again.Up))
				}

				copyModels(t, v2, dir)
				out2 := generateGo(t, db, u, dir)
				up := FormatStatements(out2.Up)
				for _, want := range pkg.mention {
					if !strings.Contains(up, want) {
						t.Errorf("v2 up does not mention %s:\n%s", want, up)
					}
				}
				for _, bad := range pkg.forbid {
					if strings.Contains(up, bad) {
						t.Errorf("a renamed_from hint was not used (%s):\n%s", bad, up)
					}
				}
				applyStatements(t, ctx, db, out2.Up, "v2 up")
				checkForeignKeys(t, db, dialect)
				if again := generateGo(t, db, u, dir); len(again.Changes) != 0 {
					t.Fatalf("autogenerate after v2 up found changes:\n%s", FormatStatements(again.Up))
				}

				applyStatements(t, ctx, db, out2.Down, "v2 down")
				checkForeignKeys(t, db, dialect)
				copyModels(t, v1, dir)
				if again := generateGo(t, db, u, dir); len(again.Changes) != 0 {
					t.Fatalf("after Down, v1 models found changes:\n%s", FormatStatements(again.Up))
				}
				applyStatements(t, ctx, db, out2.Up, "v2 up again")
				copyModels(t, v2, dir)
				if again := generateGo(t, db, u, dir); len(again.Changes) != 0 {
					t.Fatalf("autogenerate after v2 up (again) found changes:\n%s", FormatStatements(again.Up))
				}
			})
		}
	}
}

func checkForeignKeys(t *testing.T, db *sql.DB, dialect string) {
	t.Helper()
	if dialect != schema.SQLite {
		return
	}
	rows, err := db.Query("PRAGMA foreign_key_check")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	if rows.Next() {
		t.Fatal("foreign_key_check reports violations")
	}
}

// TestGoModelsErrors: problems in the models are a gomodel.ErrorList
// with file:line: messages, before any database is touched.
func TestGoModelsErrors(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "m.go"), []byte(`package m

//migrate:table things
type Thing struct {
	ID   int64 `+"`migrate:\"pk,bogus\"`"+`
	Ch   chan int
}
`), 0o644)
	_, err := autogen.GoModels{Dirs: []string{dir}}.DDL(schema.Postgres)
	var el gomodel.ErrorList
	if !errors.As(err, &el) || len(el) != 2 {
		t.Fatalf("want 2 errors, got %v", err)
	}
	for _, e := range el {
		if !strings.HasPrefix(e.Error(), filepath.Join(dir, "m.go")+":") {
			t.Errorf("error without file:line: %v", e)
		}
	}
}

// TestGoModelsDevError: a statement the dev database refuses names the Go
// file of the struct it was made from, and a line in it.
func TestGoModelsDevError(t *testing.T) {
	t.Setenv("MIGRATE_NO_CACHE", "1")
	db, u := goModelsDB(t, schema.Postgres)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.go"), []byte("package m\n\n//migrate:table fine\ntype Fine struct{ ID int64 }\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "b.go"), []byte("package m\n\n// Odd has a type the database does not know.\n//\n//migrate:table odd\ntype Odd struct {\n\tID int64\n\tX  string `migrate:\"type=notatype\"`\n}\n"), 0o644)
	_, err := autogen.Generate(context.Background(), autogen.Input{
		Dialect: schema.Postgres, Live: db, Source: autogen.GoModels{Dirs: []string{dir}},
		Dev: autogen.DevProvider(u, db, "", "", "set dev_url"),
	})
	var me *autogen.ModelError
	// The struct starts on line 6; PostgreSQL's error position moves the
	// line on by the statement's line of the failing column.
	if !errors.As(err, &me) || me.File != filepath.Join(dir, "b.go") || me.Line < 6 || me.Line > 9 {
		t.Fatalf("want a ModelError in b.go's struct Odd (lines 6-9), got %v", err)
	}
}

// TestSources: Go models and SQL files together (a view over a struct's
// table), with the rename hints of both.
func TestSources(t *testing.T) {
	dir := t.TempDir()
	sqlPath := filepath.Join(dir, "views.sql")
	os.WriteFile(sqlPath, []byte("CREATE TABLE people ( -- migrate:renamed_from persons\n  id integer PRIMARY KEY\n);\nCREATE VIEW user_names AS SELECT full_name FROM users;\n"), 0o644)
	goDir := filepath.Join(dir, "models")
	os.Mkdir(goDir, 0o755)
	os.WriteFile(filepath.Join(goDir, "m.go"), []byte("package m\n\n//migrate:table users\ntype User struct {\n\tID int64\n\tFullName string `migrate:\"renamed_from=name\"`\n}\n"), 0o644)
	src := autogen.Sources{autogen.GoModels{Dirs: []string{goDir}}, autogen.SQLFiles{sqlPath}}
	chunks, err := src.DDL(schema.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	if len(chunks) < 2 || !strings.Contains(chunks[0].SQL, "CREATE TABLE users") || chunks[len(chunks)-1].File != sqlPath {
		t.Fatalf("chunks: %+v", chunks)
	}
	// The view loads after the table in a dev database.
	db, u := goModelsDB(t, schema.SQLite)
	t.Setenv("MIGRATE_NO_CACHE", "1")
	out, err := autogen.Generate(context.Background(), autogen.Input{Dialect: schema.SQLite, Live: db, Source: src, Dev: autogen.DevProvider(u, db, "", "", "")})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Target.Views) != 1 || len(out.Target.Tables) != 2 {
		t.Errorf("target: %d tables, %d views", len(out.Target.Tables), len(out.Target.Views))
	}
	r, err := src.Renames(schema.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	if r.ColumnRenames[schema.ColumnRef{Table: "users", Column: "full_name"}] != "name" {
		t.Errorf("renames: %+v", r)
	}
}
