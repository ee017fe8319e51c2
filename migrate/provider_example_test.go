package migrate_test

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"log"
	"log/slog"
	"os"
	"testing/fstest"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"github.com/migratehq/migrate/migrate"
)

// revisionFiles stands in for an embed.FS holding versions/*.sql.
var revisionFiles = fstest.MapFS{
	"versions/001_a1.sql": {Data: []byte(`-- migrate:revision aaaa00000001
-- migrate:revises
-- migrate:message create users
-- migrate:up
CREATE TABLE users (id integer PRIMARY KEY, email text NOT NULL);
-- migrate:down
DROP TABLE users;
`)},
	"versions/002_b2.sql": {Data: []byte(`-- migrate:revision bbbb00000002
-- migrate:revises aaaa00000001
-- migrate:message add users.name
-- migrate:up
ALTER TABLE users ADD COLUMN name text;
-- migrate:down
ALTER TABLE users DROP COLUMN name;
`)},
}

// One call from a dialect, a *sql.DB and an fs.FS, as goose's Provider;
// Status and HasPending say where the database stands. Here on SQLite
// (modernc.org/sqlite, pure Go), logging to a *slog.Logger.
func ExampleNewFromFS() {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		log.Fatal(err)
	}
	db.SetMaxOpenConns(1) // one in-memory database
	defer db.Close()

	versions, err := fs.Sub(revisionFiles, "versions") // with embed.FS too
	if err != nil {
		log.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey || a.Key == "duration" || a.Key == "file" {
				return slog.Attr{} // left out to keep the output stable
			}
			return a
		},
	}))
	m, err := migrate.NewFromFS(migrate.SQLite, db, versions, migrate.WithSlog(logger))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	if _, err := m.Upgrade(ctx, "+1"); err != nil {
		log.Fatal(err)
	}
	status, err := m.Status(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range status {
		fmt.Println(s.ID, s.State, s.Revision.Message)
	}
	pending, err := m.HasPending(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("pending:", pending)
	// Output:
	// level=INFO msg="migrate revision" direction=upgrade revision=aaaa00000001 message="create users"
	// level=INFO msg="migrate done" count=1
	// aaaa00000001 applied create users
	// bbbb00000002 pending add users.name
	// pending: true
}

//go:embed testdata/provider/*.sql
var embedded embed.FS

// With pgx: a pgxpool.Pool the application already has, shared through
// database/sql by stdlib.OpenDBFromPool. The revisions come from an
// embed.FS.
func ExampleNewFromFS_pgx() {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatal(err)
	}
	defer pool.Close()
	db := stdlib.OpenDBFromPool(pool)
	defer db.Close()

	revisions, err := fs.Sub(embedded, "testdata/provider")
	if err != nil {
		log.Fatal(err)
	}
	m, err := migrate.NewFromFS(migrate.Postgres, db, revisions, migrate.WithSlog(slog.Default()))
	if err != nil {
		log.Fatal(err)
	}
	if _, err := m.Upgrade(ctx, "head"); err != nil {
		log.Fatal(err)
	}
}

// With database/sql and the pgx driver registered under "pgx".
func ExampleNewFromFS_databaseSQL() {
	db, err := sql.Open("pgx", os.Getenv("DATABASE_URL")) // import _ "github.com/jackc/pgx/v5/stdlib"
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	revisions, err := fs.Sub(embedded, "testdata/provider")
	if err != nil {
		log.Fatal(err)
	}
	m, err := migrate.NewFromFS(migrate.Postgres, db, revisions)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	if pending, err := m.HasPending(ctx); err != nil || !pending {
		return
	}
	if _, err := m.Upgrade(ctx, "head"); err != nil {
		log.Fatal(err)
	}
}
