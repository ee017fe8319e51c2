package introspect_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/migratehq/migrate/autogen"
	"github.com/migratehq/migrate/internal/testdb"
	"github.com/migratehq/migrate/introspect"
	"github.com/migratehq/migrate/schema"
)

// pgFresh creates a fresh database and opens it.
func pgFresh(t testing.TB) (string, *sql.DB) {
	t.Helper()
	url := testdb.Postgres(t)
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return url, db
}

// pgExec runs a script (several statements) in one simple-protocol call.
func pgExec(t testing.TB, db *sql.DB, script string) {
	t.Helper()
	if _, err := db.Exec(script); err != nil {
		t.Fatalf("exec: %v\n%s", err, script)
	}
}

// pgUserSchemas lists the schemas of the database that are not system ones.
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

func pgInspect(t testing.TB, db introspect.Querier, schemas ...string) *schema.Schema {
	t.Helper()
	s, err := introspect.Inspect(context.Background(), db, schema.Postgres, introspect.Options{Schemas: schemas})
	if err != nil {
		t.Fatalf("inspect: %v", err)
	}
	return s
}

// pgApply renders s and runs the statements one by one on db.
func pgApply(t testing.TB, db *sql.DB, s *schema.Schema) []string {
	t.Helper()
	stmts, err := autogen.RenderSchema(s)
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, st := range stmts {
		if _, err := conn.ExecContext(context.Background(), st); err != nil {
			t.Fatalf("applying rendered statement: %v\n%s", err, st)
		}
	}
	return stmts
}

// pgJSON is the model as indented JSON, for comparisons and messages.
func pgJSON(t testing.TB, s *schema.Schema) string {
	t.Helper()
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
