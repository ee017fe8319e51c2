package autogen_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/migratehq/migrate/autogen"
	"github.com/migratehq/migrate/schema"
)

// TestOtherVersionTablesLeftOut: a database that goose (and alembic)
// migrated holds their version tables; a model without them proposes
// nothing — no DROP of another tool's bookkeeping (nor of goose's serial
// sequence on PostgreSQL). A model that defines a table of that name
// gets it compared like any other.
func TestOtherVersionTablesLeftOut(t *testing.T) {
	for _, dialect := range []string{schema.SQLite, schema.Postgres} {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			db, u := goModelsDB(t, dialect)
			goose := "CREATE TABLE goose_db_version (id INTEGER PRIMARY KEY AUTOINCREMENT, version_id INTEGER NOT NULL, is_applied INTEGER NOT NULL, tstamp TIMESTAMP DEFAULT (datetime('now')))"
			if dialect == schema.Postgres {
				goose = "CREATE TABLE goose_db_version (id serial NOT NULL, version_id bigint NOT NULL, is_applied boolean NOT NULL, tstamp timestamp NULL default now(), PRIMARY KEY(id))"
			}
			mustExec(t, db, goose,
				"CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))",
				"CREATE TABLE person (id integer PRIMARY KEY, name text)")
			model := filepath.Join(t.TempDir(), "schema.sql")
			gen := func(text string) *autogen.Output {
				t.Helper()
				writeFile(t, model, text)
				out, err := autogen.Generate(ctx, autogen.Input{Dialect: dialect, Live: db, Source: autogen.SQLFiles{model},
					Dev: autogen.DevProvider(u, db, "", "", "set dev_url"), VersionTable: "migrate_version"})
				if err != nil {
					t.Fatal(err)
				}
				return out
			}
			if out := gen("CREATE TABLE person (id integer PRIMARY KEY, name text);\n"); len(out.Changes) > 0 {
				t.Fatalf("proposed %d change(s): %v", len(out.Changes), out.Up)
			}
			out := gen("CREATE TABLE person (id integer PRIMARY KEY, name text);\nCREATE TABLE alembic_version (version_num VARCHAR(64) NOT NULL PRIMARY KEY);\n")
			if len(out.Changes) == 0 {
				t.Fatal("a model defining alembic_version: no change proposed for the wider column")
			}
			for _, s := range out.Up {
				if strings.Contains(s.SQL, "goose_db_version") {
					t.Errorf("goose_db_version touched: %s", s.SQL)
				}
			}
		})
	}
}
