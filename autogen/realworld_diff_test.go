package autogen_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/migratehq/migrate/autogen"
	"github.com/migratehq/migrate/internal/schematest"
	"github.com/migratehq/migrate/internal/testdb"
	"github.com/migratehq/migrate/introspect"
	"github.com/migratehq/migrate/schema"
)

// TestRealworldDiffFromEmpty: for every PostgreSQL schema of
// ../shared/realworld, the model is that schema loaded by psql; from an
// empty database, Diff and render Up, apply it → the database equals
// the model (SameModel) and a second Diff is empty; Down → the database
// is empty again.
func TestRealworldDiffFromEmpty(t *testing.T) {
	rw := testdb.Realworld(t)
	dirs, err := filepath.Glob(filepath.Join(rw, "*-postgres*"))
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range dirs {
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if testing.Short() && name == "musicbrainz-postgres" {
				t.Skip("large schema (-short)")
			}
			ctx := context.Background()
			modelURL := testdb.Postgres(t)
			schematest.Psql(t, modelURL, filepath.Join(dir, "schema.sql"))
			modelDB := openPG(t, modelURL)
			schemas := pgUserSchemas(t, modelDB)
			model := inspectSchemas(t, modelDB, schemas)

			// The model as reloaded from its own rendering: what
			// PostgreSQL prints for it once more (DiffOptions.Reloaded).
			reloadedURL := testdb.Postgres(t)
			reloadedDB := openPG(t, reloadedURL)
			stmts, err := autogen.RenderSchema(model)
			if err != nil {
				t.Fatal(err)
			}
			for _, st := range stmts {
				if _, err := reloadedDB.Exec(st); err != nil {
					t.Fatalf("reloading the model: %v\n%s", err, st)
				}
			}
			opts := autogen.DiffOptions{Reloaded: inspectSchemas(t, reloadedDB, schemas)}

			dbURL := testdb.Postgres(t)
			db := openPG(t, dbURL)
			db.SetMaxOpenConns(1) // one session: the batches share its settings
			empty := inspectSchemas(t, db, []string{"public"})
			changes, err := autogen.Diff(empty, model, autogen.DiffOptions{})
			if err != nil {
				t.Fatal(err)
			}
			up, err := autogen.RenderChanges(schema.Postgres, empty, model, changes)
			if err != nil {
				t.Fatal(err)
			}
			down, err := autogen.RenderChanges(schema.Postgres, model, empty, autogen.Reverse(changes))
			if err != nil {
				t.Fatal(err)
			}
			if os.Getenv("MIGRATE_DUMP_UP") != "" {
				os.WriteFile(filepath.Join(os.TempDir(), name+".up.sql"), []byte(FormatStatements(up)), 0o644)
			}
			applyBatched(t, ctx, db, up, "Up", 500)
			got := inspectSchemas(t, db, schemas)
			if msg := SameModel(got, opts.Reloaded); msg != "" {
				t.Errorf("after Up, the schema differs from the model (reloaded):\n%s", msg)
			}
			if again, err := autogen.Diff(got, model, opts); err != nil || len(again) > 0 {
				t.Errorf("after Up, a second Diff is not empty: %v%s", err, truncate(describeChanges(again), 3000))
			}
			// pg_dump of the migrated database equals that of the
			// schema loaded directly, up to ordering and pg_dump's own
			// non-fixed points.
			onlyGot, onlyWant := schematest.BlockDiff(schematest.PgDumpBlocks(t, dbURL), schematest.PgDumpBlocks(t, modelURL))
			skip := func(b string) bool {
				for _, p := range schematest.PgDumpNonFixedPoints[name] {
					if strings.HasPrefix(b, p) {
						return true
					}
				}
				return false
			}
			for _, b := range onlyGot {
				if !skip(b) {
					t.Errorf("pg_dump entry only in the migrated database:\n%s", truncate(b, 1500))
				}
			}
			for _, b := range onlyWant {
				if !skip(b) {
					t.Errorf("pg_dump entry only in the model database:\n%s", truncate(b, 1500))
				}
			}
			applyBatched(t, ctx, db, down, "Down", 500)
			if left := inspectSchemas(t, db, pgUserSchemas(t, db)); len(left.Tables)+len(left.Views)+len(left.Functions)+
				len(left.Sequences)+len(left.Enums)+len(left.Domains)+len(left.Types)+len(left.Extensions) > 1 ||
				len(left.Schemas) != 1 {
				t.Errorf("after Down, the database is not empty: %d schemas, %d tables, %d views, %d functions, %d extensions",
					len(left.Schemas), len(left.Tables), len(left.Views), len(left.Functions), len(left.Extensions))
			}
		})
	}
}

func openPG(t testing.TB, url string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func inspectSchemas(t testing.TB, db *sql.DB, schemas []string) *schema.Schema {
	t.Helper()
	s, err := introspect.Inspect(context.Background(), db, schema.Postgres, introspect.Options{Schemas: schemas})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + " …(truncated)"
}

// TestRealworldSQLiteStructure: on SQLite the differ compares structure,
// not the stored statements. Each ../shared/realworld SQLite schema,
// loaded as written and loaded from migrate's own rendering of it (other
// layout, quoting and constraint placement), diffs empty both ways.
func TestRealworldSQLiteStructure(t *testing.T) {
	rw := testdb.Realworld(t)
	dirs, err := filepath.Glob(filepath.Join(rw, "*-sqlite*"))
	if err != nil {
		t.Fatal(err)
	}
	d, _ := scenarioDialects(schema.SQLite)
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join(dir, "schema.sql"))
			if err != nil {
				t.Fatal(err)
			}
			a := d.open(t)
			execScript(t, a, d.split, string(src))
			sa := inspectDB(t, a, schema.SQLite)
			stmts, err := autogen.RenderSchema(sa)
			if err != nil {
				t.Fatal(err)
			}
			b := d.open(t)
			for _, st := range stmts {
				if _, err := b.Exec(st); err != nil {
					t.Fatalf("%v\n%s", err, st)
				}
			}
			sb := inspectDB(t, b, schema.SQLite)
			for _, pair := range [][2]*schema.Schema{{sa, sb}, {sb, sa}} {
				cs, err := autogen.Diff(pair[0], pair[1], autogen.DiffOptions{})
				if err != nil || len(cs) > 0 {
					t.Errorf("Diff not empty: %v%s", err, truncate(describeChanges(cs), 3000))
				}
			}
		})
	}
}
