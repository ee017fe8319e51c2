package autogen

import (
	"context"
	"database/sql"
	"fmt"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"github.com/migratehq/migrate/internal/testdb"
	"github.com/migratehq/migrate/introspect"
	"github.com/migratehq/migrate/schema"
)

// defaultPair is two defaults of a column of one type, and whether they
// give the column the same value.
type defaultPair struct {
	typ, a, b string
	same      bool
}

// pgDefaultPairs are written as a model would write them; PostgreSQL
// prints them in its own words before they are compared.
var pgDefaultPairs = []defaultPair{
	{"double precision", "5.2", "'5.2'", true},
	{"double precision", "5.2", "'5.20'", true},
	{"double precision", "5.2", "5.2::float8", true},
	{"double precision", "-5.2", "'-5.2'", true},
	{"double precision", "1e3", "1000", true},
	{"double precision", "'1e3'", "1000", true},
	{"double precision", "'NaN'", "'nan'", true},
	{"double precision", "'NaN'", "'NaN'::numeric", true},
	{"double precision", "'Infinity'", "'inf'", true},
	{"double precision", "'-Infinity'", "'Infinity'", false},
	{"double precision", "'NaN'", "0", false},
	{"double precision", "5.2", "5.3", false},
	{"double precision", "5.2", "'5.2'::real", false},
	{"double precision", "5.2", "random()", false},
	{"double precision", "0", "'-0'", true},
	{"real", "5.2", "'5.2'", true},
	{"real", "5.2", "5.20000001", true},
	{"real", "5.2", "5.2000001", false},
	{"real", "5.2", "5.21", false},
	{"numeric", "5.2", "'5.2'", true},
	{"numeric", "5.20", "5.2", true},
	{"numeric", "'1e3'", "1000", true},
	{"numeric", "'NaN'", "'nan'", true},
	{"numeric", "5.2", "5.21", false},
	{"numeric", "5.2", "'5.2'::double precision", false},
	{"numeric(10,2)", "5.2", "'5.20'", true},
	{"numeric(10,2)", "5.2", "5.2::numeric(10,1)", true},
	{"numeric(10,2)", "5.25", "5.25::numeric(10,1)", false},
	{"integer", "5", "'5'", true},
	{"integer", "-5", "'-5'", true},
	{"integer", "5", "5.0", true},
	{"integer", "5", "6", false},
	{"integer", "6", "5.5", false},
	{"bigint", "5", "'5'", true},
	{"bigint", "10000000000", "'10000000000'", true},
	{"smallint", "5", "'5'", true},
	{"boolean", "true", "'yes'", true},
	{"boolean", "true", "false", false},
	{"text", "'x'", "'x'::varchar", true},
	{"text", "'x'", "'y'", false},
	{"character varying(5)", "'x'", "'x'::text", true},
	{"text", "'x'", "lower('x')", false},
	{"timestamp with time zone", "now()", "'2020-01-01'", false},
	{"date", "'2020-01-01'", "'2020-01-02'", false},
}

// TestSameDefaultPostgres creates one column per default on PostgreSQL,
// compares the printed defaults with sameDefault, and checks the answer
// against the values the server gives a row.
func TestSameDefaultPostgres(t *testing.T) {
	db, err := sql.Open("pgx", testdb.Postgres(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	checkSameDefault(t, db, schema.Postgres, pgDefaultPairs,
		func(i int, p defaultPair) string { return fmt.Sprintf("a%d IS NOT DISTINCT FROM b%d", i, i) })
}

// sqliteDefaultPairs are as written; SQLite keeps a default's text.
var sqliteDefaultPairs = []defaultPair{
	{"REAL", "5.2", "'5.2'", true},
	{"REAL", "5.2", "(5.2)", true},
	{"REAL", "-5.2", "'-5.2'", true},
	{"REAL", "1e3", "1000", true},
	{"REAL", "'1e3'", "1000", true},
	{"REAL", "5.2", "5.3", false},
	{"FLOAT", "5.2", "'5.2'", true},
	{"DOUBLE", "5", "5.0", true},
	{"NUMERIC", "5.2", "'5.2'", true},
	{"NUMERIC", "5", "'5.0'", true},
	{"NUMERIC", "5", "5.5", false},
	{"DECIMAL(10,2)", "5.20", "'5.2'", true},
	{"INTEGER", "5", "'5'", true},
	{"INTEGER", "1", "TRUE", true},
	{"INTEGER", "5", "'x'", false},
	{"TEXT", "'5.2'", "'5.2'", true},
	{"TEXT", "5.2", "'5.2'", false}, // not compared by value: text follows the number's spelling
	{"BLOB", "5", "'5'", false},
	{"", "5", "5.0", false},
	{"REAL", "5.2", "(random())", false},
}

// TestSameDefaultSQLite is TestSameDefaultPostgres on SQLite: the same
// value and the same storage class.
func TestSameDefaultSQLite(t *testing.T) {
	db, err := sql.Open("sqlite", "file:"+testdb.SQLitePath(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	checkSameDefault(t, db, schema.SQLite, sqliteDefaultPairs,
		func(i int, p defaultPair) string {
			return fmt.Sprintf("a%d IS b%d AND typeof(a%d) = typeof(b%d)", i, i, i, i)
		})
}

// checkSameDefault puts each pair of defaults on two columns (a<i>,
// b<i>) of one table, inspects it, and checks that sameDefault gives
// the expected answer, and that the server agrees: a row inserted with
// the defaults holds equal values in both columns exactly when
// sameDefault says so (a volatile default is only checked as text).
func checkSameDefault(t *testing.T, db *sql.DB, dialect string, pairs []defaultPair, equal func(int, defaultPair) string) {
	t.Helper()
	ctx := context.Background()
	ddl := "CREATE TABLE d (id integer"
	for i, p := range pairs {
		ddl += fmt.Sprintf(",\n a%d %s DEFAULT %s, b%d %s DEFAULT %s", i, p.typ, p.a, i, p.typ, p.b)
	}
	if _, err := db.ExecContext(ctx, ddl+")"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, "INSERT INTO d (id) VALUES (1)"); err != nil {
		t.Fatal(err)
	}
	s, err := introspect.Inspect(ctx, db, dialect, introspect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tbl := s.Table(s.Tables[0].Schema, "d")
	for i, p := range pairs {
		a, b := tbl.Column(fmt.Sprintf("a%d", i)), tbl.Column(fmt.Sprintf("b%d", i))
		got := sameDefault(dialect, a, b)
		if got != p.same {
			t.Errorf("%s: sameDefault(%s, %s) printed %q and %q = %v, want %v", p.typ, p.a, p.b, a.Default, b.Default, got, p.same)
		}
		var server bool
		if err := db.QueryRowContext(ctx, "SELECT "+equal(i, p)+" FROM d").Scan(&server); err != nil {
			t.Fatal(err)
		}
		if got && !server {
			t.Errorf("%s: %s and %s taken as the same default, but the server stores different values", p.typ, p.a, p.b)
		}
	}
}

// TestDefaultValueNotConstant: what is not a constant has no value.
func TestDefaultValueNotConstant(t *testing.T) {
	for _, tc := range []struct{ dialect, typ, expr string }{
		{schema.Postgres, "double precision", "random()"},
		{schema.Postgres, "integer", "(+ 5)"},
		{schema.Postgres, "boolean", "(1)::boolean"},
		{schema.Postgres, "integer", "nextval('s'::regclass)"},
		{schema.Postgres, "numeric", "'1e99999999'::numeric"},
		{schema.Postgres, "numeric", "'0x10'::numeric"},
		{schema.Postgres, "text", "'a'::text || 'b'::text"},
		{schema.Postgres, "public.mood", "'ok'::public.mood"},
		{schema.SQLite, "INTEGER", "0x10"},
		{schema.SQLite, "REAL", "CURRENT_TIMESTAMP"},
		{schema.SQLite, "REAL", "1 + 1"},
		{schema.SQLite, "TEXT", "5"},
		{"mysql", "int", "5"},
	} {
		if k, ok := defaultValue(tc.dialect, tc.typ, tc.expr); ok {
			t.Errorf("defaultValue(%s, %s, %s) = %q, want not a constant", tc.dialect, tc.typ, tc.expr, k)
		}
	}
}
