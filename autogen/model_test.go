package autogen_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/migratehq/migrate/autogen"
	"github.com/migratehq/migrate/config"
	"github.com/migratehq/migrate/internal/dbopen"
	"github.com/migratehq/migrate/internal/testdb"
	"github.com/migratehq/migrate/introspect"
	"github.com/migratehq/migrate/schema"
)

func devConn(t *testing.T, rawURL string) *sql.Conn {
	t.Helper()
	u, err := config.ParseURL(rawURL, "/")
	if err != nil {
		t.Fatal(err)
	}
	db, err := dbopen.Open(context.Background(), u, true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

func pgPosition(err error) int {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return int(pe.Position)
	}
	return 0
}

func TestDevLoad(t *testing.T) {
	model := "-- the model\nCREATE TABLE users (\n    id integer PRIMARY KEY,\n    email text NOT NULL\n);\nCREATE INDEX users_email_idx ON users (email);\n"
	bad := "CREATE TABLE a (id integer);\n\nCREATE INDEX b_idx\n    ON nosuch (x);\n"
	cases := []struct {
		name, dialect, url string
	}{
		{"sqlite", schema.SQLite, "sqlite://:memory:"},
	}
	if testdb.Reachable() == nil {
		cases = append(cases, struct{ name, dialect, url string }{"postgres", schema.Postgres, testdb.Postgres(t)})
	} else {
		testdb.RequirePostgres(t)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			dev := &autogen.Dev{Conn: devConn(t, tc.url), Dialect: tc.dialect, Position: pgPosition}
			s, err := dev.Load(ctx, []autogen.Chunk{{File: "schema.sql", Line: 1, SQL: model}})
			if err != nil {
				t.Fatal(err)
			}
			users := s.Table("public", "users")
			if tc.dialect == schema.SQLite {
				users = s.Table("", "users")
			}
			if users == nil || users.Column("email") == nil || len(users.Indexes) != 1 {
				t.Fatalf("model read back: %+v", s.Tables)
			}
			if tc.dialect == schema.Postgres {
				// The dev database is left as it was.
				var n int
				if err := dev.Conn.QueryRowContext(ctx, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").Scan(&n); err != nil || n != 0 {
					t.Fatalf("dev database keeps %d tables (%v)", n, err)
				}
			}
			if tc.dialect == schema.Postgres {
				bad = "CREATE TABLE a (id integer);\n\nCREATE TABLE b (\n    x nosuchtype\n);\n"
			}
			_, err = dev.Load(ctx, []autogen.Chunk{{File: "bad.sql", Line: 1, SQL: bad}})
			var me *autogen.ModelError
			want := 4 // PostgreSQL points at the type
			if tc.dialect == schema.SQLite {
				want = 3 // SQLite gives no position: the statement's line
			}
			if !errors.As(err, &me) || me.File != "bad.sql" || me.Line != want || !strings.Contains(err.Error(), "nosuch") {
				t.Fatalf("bad model: %v (line %d, want %d)", err, me.Line, want)
			}
		})
	}
}

func TestCache(t *testing.T) {
	c := autogen.Cache{Dir: filepath.Join(t.TempDir(), "cache")}
	chunks := []autogen.Chunk{{File: "a.sql", SQL: "CREATE TABLE t (id int);"}}
	k1 := c.Key("postgres", 150020, introspect.Options{}, chunks)
	if c.Get(k1) != nil {
		t.Fatal("empty cache hit")
	}
	s := &schema.Schema{Dialect: "postgres", ServerVersion: 150020, Tables: []*schema.Table{{Schema: "public", Name: "t", Columns: []*schema.Column{{Name: "id", Type: "integer"}}}}}
	c.Put(k1, s)
	got := c.Get(k1)
	if got == nil || got.Table("public", "t") == nil || got.Table("public", "t").Column("id").Type != "integer" {
		t.Fatalf("cache round trip: %+v", got)
	}
	// Any change of text, dialect or server version is another key.
	for _, k := range []string{
		c.Key("postgres", 150021, introspect.Options{}, chunks),
		c.Key("sqlite", 150020, introspect.Options{}, chunks),
		c.Key("postgres", 150020, introspect.Options{}, []autogen.Chunk{{File: "a.sql", SQL: "CREATE TABLE t (id bigint);"}}),
	} {
		if k == k1 {
			t.Fatal("cache key ignores a change")
		}
	}
	// A corrupt entry is a miss.
	os.WriteFile(filepath.Join(c.Dir, k1+".json"), []byte("{"), 0o644)
	if c.Get(k1) != nil {
		t.Fatal("corrupt entry used")
	}
	if (autogen.Cache{}).Get(k1) != nil || strings.Contains(k1, "/") {
		t.Fatal("disabled cache")
	}
}
