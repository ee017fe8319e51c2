package autogen

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/migratehq/migrate/config"
	"github.com/migratehq/migrate/internal/dbopen"
	"github.com/migratehq/migrate/schema"
)

// DevProvider returns the dev session opener for Input.Dev: SQLite in
// memory, or devURL when set (an existing, empty SQLite file: the model
// is loaded there inside a transaction that is rolled back); PostgreSQL
// devURL when set (an empty database, likewise), or else a throwaway
// database created on the live server (TEMPLATE template0) and always
// dropped afterwards. baseDir resolves a relative SQLite dev URL; hint
// says how to set a dev URL, for the error when the throwaway database
// cannot be created.
//
// The sessions are sandboxed (see sandbox_postgres.go and
// sandbox_sqlite.go): on PostgreSQL the model is loaded by a throwaway
// role that has no rights outside the dev database, so the connecting
// user (or the dev_url's) needs CREATEROLE; SQLite gets the engine's
// limits. A devURL of the other dialect is a *DevURLError, before
// anything is opened.
func DevProvider(u config.URL, live *sql.DB, devURL, baseDir, hint string) func(ctx context.Context) (*Dev, func(), error) {
	return func(ctx context.Context) (*Dev, func(), error) {
		du, err := ParseDevURL(u, devURL, baseDir)
		if err != nil {
			return nil, nil, err
		}
		switch u.Dialect {
		case config.SQLite:
			return devSQLite(ctx, du)
		case config.Postgres:
			if du != nil {
				return devPostgresURL(ctx, *du)
			}
			return devPostgresThrowaway(ctx, u, live, hint)
		}
		return nil, nil, fmt.Errorf("autogenerate: unsupported dialect %q", u.Dialect)
	}
}

// DevURLError is a dev_url that cannot serve the database: malformed, of
// the other dialect, or a SQLite file that does not exist.
type DevURLError struct {
	URL string // redacted
	Msg string
}

func (e *DevURLError) Error() string {
	if e.URL == "" {
		return "dev_url: " + e.Msg
	}
	return fmt.Sprintf("dev_url %s %s", e.URL, e.Msg)
}

// ParseDevURL parses devURL (nil when empty) and checks that it is of
// u's dialect; it opens nothing.
func ParseDevURL(u config.URL, devURL, baseDir string) (*config.URL, error) {
	if devURL == "" {
		return nil, nil
	}
	du, err := config.ParseURL(devURL, baseDir)
	if err != nil {
		return nil, &DevURLError{Msg: err.Error()}
	}
	if du.Dialect != u.Dialect {
		want := "postgres://…"
		if u.Dialect == config.SQLite {
			want = "sqlite:///dev.db, or no dev_url for an in-memory one"
		}
		return nil, &DevURLError{URL: du.String(), Msg: fmt.Sprintf("is a %s URL, but the database is %s: the models are normalised in an empty database of the same kind (%s)", du.Dialect, u.Dialect, want)}
	}
	return &du, nil
}

// devSQLite opens an in-memory database, or du (which must exist and be
// empty), with the sandbox's limits.
func devSQLite(ctx context.Context, du *config.URL) (*Dev, func(), error) {
	disposable := du == nil
	if du == nil {
		mem, _ := config.ParseURL("sqlite://:memory:", "")
		du = &mem
	}
	su := *du
	su.DSN = defensiveDSN(su.DSN)
	db, err := dbopen.Open(ctx, su, false)
	if err != nil {
		if errors.Is(err, dbopen.ErrNoFile) {
			return nil, nil, &DevURLError{URL: du.String(), Msg: "does not exist: create an empty SQLite database there, or leave dev_url unset (an in-memory database is used)"}
		}
		return nil, nil, fmt.Errorf("dev database: %w", err)
	}
	db.SetMaxOpenConns(1)
	conn, err := db.Conn(ctx)
	cleanup := func() {
		if conn != nil {
			conn.Close()
		}
		db.Close()
	}
	if err != nil {
		return nil, cleanup, fmt.Errorf("dev database: %w", err)
	}
	dev := &Dev{Conn: conn, Dialect: schema.SQLite, Disposable: disposable}
	if err := sandboxSQLite(conn, &dev.modelRunning); err != nil {
		return nil, cleanup, err
	}
	if !disposable {
		if n, err := sqliteUserObjects(ctx, conn); err != nil {
			return nil, cleanup, fmt.Errorf("dev database: %w", err)
		} else if n > 0 {
			return nil, cleanup, fmt.Errorf("dev_url %s is not empty (%d tables, views, indexes or triggers): the models are loaded there, so it must be an empty database", du, n)
		}
	}
	return dev, cleanup, nil
}

// undoList collects cleanups, run in reverse order.
type undoList []func()

func (u *undoList) add(f func()) { *u = append(*u, f) }

func (u *undoList) run() {
	for i := len(*u) - 1; i >= 0; i-- {
		(*u)[i]()
	}
}

// execCreateDatabase runs a CREATE DATABASE statement on live. A variable
// so that a test can make it fail after the database was created, as a
// cancelled context can.
var execCreateDatabase = func(ctx context.Context, live *sql.DB, query string) error {
	_, err := live.ExecContext(ctx, query)
	return err
}

// devPostgresThrowaway creates the sandbox role and a throwaway database
// owned by it, and logs in there as the role.
func devPostgresThrowaway(ctx context.Context, u config.URL, live *sql.DB, hint string) (*Dev, func(), error) {
	suffix := randomHex(6)
	sb, err := createSandboxRole(ctx, live, suffix)
	if err != nil {
		return nil, nil, err
	}
	var undo undoList
	undo.add(func() { sb.drop(ctx, live) })
	name := "migrate_dev_" + suffix
	// The drop is set up before the create: a CREATE DATABASE the client
	// sees fail (its context cancelled: Ctrl-C, a timeout) may have been
	// done on the server all the same, and the database, with its role,
	// would be left behind.
	undo.add(func() {
		_, _ = live.ExecContext(context.WithoutCancel(ctx), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	if err := execCreateDatabase(ctx, live, "CREATE DATABASE "+name+" OWNER "+sb.role+" TEMPLATE template0"); err != nil {
		return nil, undo.run, fmt.Errorf("cannot create a throwaway database to normalise the models in (%v); %s to an empty database migrate may use", config.Redact(err.Error()), hint)
	}
	db, conn, err := sb.login(ctx, u, name)
	if err != nil {
		return nil, undo.run, err
	}
	undo.add(func() { conn.Close(); db.Close() })
	dev := &Dev{Conn: conn, Dialect: schema.Postgres, Position: pgPosition, Disposable: true, Role: sb.role, sandbox: sb}
	// The connecting user's session there, opened only for a statement
	// of the adminExtensions list.
	var adminDB *sql.DB
	var adminConn *sql.Conn
	undo.add(func() {
		if adminConn != nil {
			adminConn.Close()
		}
		if adminDB != nil {
			adminDB.Close()
		}
	})
	dev.admin = func(ctx context.Context) (*sql.Conn, error) {
		if adminConn != nil {
			return adminConn, nil
		}
		au := u
		au.DSN = withDatabase(u.DSN, name)
		db, err := dbopen.Open(ctx, au, false)
		if err != nil {
			return nil, fmt.Errorf("dev database: %w", err)
		}
		adminDB = db
		c, err := db.Conn(ctx)
		if err != nil {
			return nil, fmt.Errorf("dev database: %w", err)
		}
		adminConn = c
		return c, nil
	}
	// Each statement commits on its own there: do not wait for the WAL
	// flush of every commit (the database is thrown away).
	if _, err := conn.ExecContext(ctx, "SET synchronous_commit = off"); err != nil {
		return nil, undo.run, fmt.Errorf("dev database: %w", err)
	}
	return dev, undo.run, nil
}

// devPostgresURL checks that du is empty, lets a sandbox role create
// objects there and logs in as it (the load is rolled back).
func devPostgresURL(ctx context.Context, du config.URL) (*Dev, func(), error) {
	adminDB, err := dbopen.Open(ctx, du, true)
	if err != nil {
		return nil, nil, fmt.Errorf("dev database: %w", err)
	}
	var undo undoList
	undo.add(func() { adminDB.Close() })
	adminConn, err := adminDB.Conn(ctx)
	if err != nil {
		return nil, undo.run, fmt.Errorf("dev database: %w", err)
	}
	undo.add(func() { adminConn.Close() })
	if n, err := userObjects(ctx, adminConn); err != nil {
		return nil, undo.run, err
	} else if n > 0 {
		return nil, undo.run, fmt.Errorf("dev_url %s is not empty (%d tables, views or sequences): the models are loaded there, so it must be an empty database", du, n)
	}
	if n, err := userFunctions(ctx, adminConn); err != nil {
		return nil, undo.run, err
	} else if n > 0 {
		return nil, undo.run, fmt.Errorf("dev_url %s is not empty (%d functions or procedures): the models are loaded there, so it must be an empty database", du, n)
	}
	sb, err := createSandboxRole(ctx, adminConn, randomHex(6))
	if err != nil {
		return nil, undo.run, err
	}
	undo.add(func() { sb.dropOwned(ctx, adminConn) })
	var dbname string
	if err := adminConn.QueryRowContext(ctx, "SELECT current_database()").Scan(&dbname); err != nil {
		return nil, undo.run, fmt.Errorf("dev database: %w", err)
	}
	for _, grant := range []string{
		"GRANT CONNECT, CREATE, TEMPORARY ON DATABASE " + pgx.Identifier{dbname}.Sanitize() + " TO " + sb.role,
		"GRANT USAGE, CREATE ON SCHEMA public TO " + sb.role,
	} {
		if _, err := adminConn.ExecContext(ctx, grant); err != nil {
			return nil, undo.run, fmt.Errorf("dev_url %s: the models are loaded by a throwaway role, which %s cannot let create objects there (%v): the dev_url user must own the database and its schema public, or be a superuser", du, sb.user, err)
		}
	}
	db, conn, err := sb.login(ctx, du, "")
	if err != nil {
		return nil, undo.run, err
	}
	undo.add(func() { conn.Close(); db.Close() })
	return &Dev{Conn: conn, Dialect: schema.Postgres, Position: pgPosition, Role: sb.role, sandbox: sb}, undo.run, nil
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

// userFunctions counts the functions and procedures of a PostgreSQL
// database outside the system schemas and extensions: a dev database
// holding one (a SECURITY DEFINER one, say) is not empty.
func userFunctions(ctx context.Context, conn *sql.Conn) (int, error) {
	var n int
	err := conn.QueryRowContext(ctx, `SELECT count(*) FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')`).Scan(&n)
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
