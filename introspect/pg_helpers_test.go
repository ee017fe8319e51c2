package introspect_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"os/exec"
	"regexp"
	"slices"
	"strings"
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

// pgPsql loads a file with psql on one connection, as the corpus README says.
func pgPsql(t testing.TB, url, file string) {
	t.Helper()
	out, err := exec.Command("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-f", file).CombinedOutput()
	if err != nil {
		t.Fatalf("psql -f %s: %v\n%s", file, err, out)
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

var restrictLine = regexp.MustCompile(`(?m)^\\(un)?restrict .*\n?`)

// pgDumpBlocks dumps the schema of url and splits it into the entries
// pg_dump writes (each starts at a "-- Name:" header), sorted, so two
// dumps compare up to ordering.
func pgDumpBlocks(t testing.TB, url string) []string {
	t.Helper()
	out, err := exec.Command("pg_dump", "--schema-only", "--no-owner", "--no-privileges", "-d", url).Output()
	if err != nil {
		t.Fatalf("pg_dump: %v", err)
	}
	text := restrictLine.ReplaceAllString(string(out), "")
	var blocks []string
	for _, b := range regexp.MustCompile(`(?m)^-- Name: `).Split(text, -1)[1:] {
		blocks = append(blocks, "-- Name: "+strings.TrimSpace(strings.TrimRight(b, "-\n ")))
	}
	slices.Sort(blocks)
	return blocks
}

// blockDiff returns the blocks only in a and only in b.
func blockDiff(a, b []string) (onlyA, onlyB []string) {
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j == len(b) || i < len(a) && a[i] < b[j]:
			onlyA = append(onlyA, a[i])
			i++
		case i == len(a) || b[j] < a[i]:
			onlyB = append(onlyB, b[j])
			j++
		default:
			i++
			j++
		}
	}
	return
}
