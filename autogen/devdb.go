package autogen

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/migratehq/migrate/config"
	"github.com/migratehq/migrate/internal/dbopen"
	"github.com/migratehq/migrate/schema"
)

// DevProvider returns the dev session opener for Input.Dev: SQLite in
// memory; PostgreSQL devURL when set (it must be empty: the model is loaded
// there inside a transaction that is rolled back), or else a throwaway
// database created on the live server (TEMPLATE template0) and always
// dropped afterwards. baseDir resolves a relative SQLite dev URL; hint
// says how to set a dev URL, for the error when the throwaway database
// cannot be created.
func DevProvider(u config.URL, live *sql.DB, devURL, baseDir, hint string) func(ctx context.Context) (*Dev, func(), error) {
	return func(ctx context.Context) (*Dev, func(), error) {
		switch u.Dialect {
		case config.SQLite:
			mem, _ := config.ParseURL("sqlite://:memory:", "")
			return openDev(ctx, mem, schema.SQLite, nil)
		case config.Postgres:
			if devURL != "" {
				du, err := config.ParseURL(devURL, baseDir)
				if err != nil {
					return nil, nil, fmt.Errorf("dev_url: %w", err)
				}
				dev, cleanup, err := openDev(ctx, du, schema.Postgres, nil)
				if err != nil {
					return nil, cleanup, err
				}
				if n, err := userObjects(ctx, dev.Conn); err != nil {
					return nil, cleanup, err
				} else if n > 0 {
					return nil, cleanup, fmt.Errorf("dev_url %s is not empty (%d tables, views or sequences): the models are loaded there, so it must be an empty database", du, n)
				}
				return dev, cleanup, nil
			}
			name := "migrate_dev_" + randomHex(6)
			if _, err := live.ExecContext(ctx, "CREATE DATABASE "+name+" TEMPLATE template0"); err != nil {
				return nil, nil, fmt.Errorf("cannot create a throwaway database to normalise the models in (%v); %s to an empty database migrate may use", config.Redact(err.Error()), hint)
			}
			drop := func() {
				_, _ = live.ExecContext(context.WithoutCancel(ctx), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
			}
			du := u
			du.DSN = withDatabase(u.DSN, name)
			dev, cleanup, err := openDev(ctx, du, schema.Postgres, drop)
			if err != nil {
				return nil, cleanup, err
			}
			dev.Disposable = true
			// Each statement commits on its own there: do not wait for the
			// WAL flush of every commit (the database is thrown away).
			if _, err := dev.Conn.ExecContext(ctx, "SET synchronous_commit = off"); err != nil {
				return nil, cleanup, fmt.Errorf("dev database: %w", err)
			}
			return dev, cleanup, nil
		}
		return nil, nil, fmt.Errorf("autogenerate: unsupported dialect %q", u.Dialect)
	}
}

// openDev opens one connection; after runs (after closing) in cleanup.
func openDev(ctx context.Context, u config.URL, dialect string, after func()) (*Dev, func(), error) {
	db, err := dbopen.Open(ctx, u, true)
	if err != nil {
		if after != nil {
			after()
		}
		return nil, nil, fmt.Errorf("dev database: %w", err)
	}
	if u.Path == ":memory:" {
		db.SetMaxOpenConns(1)
	}
	conn, err := db.Conn(ctx)
	cleanup := func() {
		if conn != nil {
			conn.Close()
		}
		db.Close()
		if after != nil {
			after()
		}
	}
	if err != nil {
		return nil, cleanup, fmt.Errorf("dev database: %w", err)
	}
	return &Dev{Conn: conn, Dialect: dialect, Position: pgPosition}, cleanup, nil
}

func pgPosition(err error) int {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return int(pe.Position)
	}
	return 0
}

// userObjects counts the relations in a PostgreSQL database outside the
// system schemas and extensions.
func userObjects(ctx context.Context, conn *sql.Conn) (int, error) {
	var n int
	err := conn.QueryRowContext(ctx, `SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')`).Scan(&n)
	return n, err
}

// withDatabase replaces the database name of a postgres:// DSN.
func withDatabase(dsn, name string) string {
	p, err := url.Parse(dsn)
	if err != nil {
		return dsn
	}
	p.Path = "/" + name
	return p.String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}
