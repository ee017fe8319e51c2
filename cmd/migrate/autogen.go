package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/migratehq/migrate/autogen"
	"github.com/migratehq/migrate/config"
	"github.com/migratehq/migrate/internal/dbopen"
	"github.com/migratehq/migrate/migrate"
	"github.com/migratehq/migrate/schema"
	"github.com/migratehq/migrate/versions"
)

// modelsConfigured tells whether [models] names a model source.
func (a *app) modelsConfigured() bool {
	c, err := a.config()
	return err == nil && (len(c.Models.SQL) > 0 || len(c.Models.Go) > 0)
}

// source builds the model source of [models].
func (a *app) source() (autogen.Source, error) {
	c, err := a.config()
	if err != nil {
		return nil, err
	}
	if len(c.Models.Go) > 0 {
		return nil, usageErrorf("[models] go: Go struct models are not supported yet; use [models] sql")
	}
	if len(c.Models.SQL) == 0 {
		where := c.Path
		if where == "" {
			where = config.FileName
		}
		return nil, usageErrorf("no model metadata: set [models] sql = [\"schema.sql\"] in %s", where)
	}
	var files autogen.SQLFiles
	for _, p := range c.Models.SQL {
		files = append(files, a.rel(p))
	}
	return files, nil
}

// autogenerate compares the models with the database, which must be at
// head. It returns the graph too, for writing the revision.
func (a *app) autogenerate(ctx context.Context) (*versions.Graph, *autogen.Output, error) {
	src, err := a.source()
	if err != nil {
		return nil, nil, err
	}
	c, _ := a.config()
	g, st, err := a.state(ctx)
	if err != nil {
		return nil, nil, err
	}
	if err := atHead(g, st); err != nil {
		return nil, nil, err
	}
	db, u, err := a.open(ctx, true)
	if err != nil {
		return nil, nil, err
	}
	defer db.Close()
	env, err := a.environment()
	if err != nil {
		return nil, nil, err
	}
	vt := c.VersionTable
	if c.VersionSchema != "" {
		vt = c.VersionSchema + "." + vt
	}
	out, err := autogen.Generate(ctx, autogen.Input{
		Dialect:      string(u.Dialect),
		Live:         db,
		Source:       src,
		Dev:          a.devProvider(u, db, env),
		Cache:        autogen.DefaultCache(),
		VersionTable: vt,
		Include:      c.Models.Include,
		Exclude:      c.Models.Exclude,
	})
	if err != nil {
		var me *autogen.ModelError
		var he *autogen.HintError
		if errors.As(err, &me) || errors.As(err, &he) {
			return nil, nil, inputError(err)
		}
		return nil, nil, err
	}
	return g, out, nil
}

// environment returns the chosen environment ("" URL when --url is used
// without a config).
func (a *app) environment() (*config.Env, error) {
	c, err := a.config()
	if err != nil {
		return nil, err
	}
	if a.url != "" {
		if e, err := c.Environment(a.envName); err == nil {
			return e, nil
		}
		return &config.Env{}, nil
	}
	return c.Environment(a.envName)
}

// atHead checks that the database is at the graph's heads: autogenerate
// compares against the schema the revisions produce.
func atHead(g *versions.Graph, st *migrate.State) error {
	if len(st.Unknown) > 0 {
		return usageErrorf("the database has applied revisions that no file defines: %s", strings.Join(st.Unknown, ", "))
	}
	applied := setOf(st.IDs())
	var pending []string
	for _, r := range g.Revisions() {
		if !applied[r.ID] {
			pending = append(pending, r.ID)
		}
	}
	if len(pending) > 0 {
		return usageErrorf("the database is not up to date: %d revision(s) not applied (%s); run 'migrate upgrade heads' first", len(pending), abbrev(pending, 5))
	}
	return nil
}

// devProvider opens the dev session where the models are normalised:
// SQLite in memory; PostgreSQL dev_url, or a throwaway database created
// on the live server and dropped afterwards.
func (a *app) devProvider(u config.URL, live *sql.DB, env *config.Env) func(ctx context.Context) (*autogen.Dev, func(), error) {
	return func(ctx context.Context) (*autogen.Dev, func(), error) {
		switch u.Dialect {
		case config.SQLite:
			mem, _ := config.ParseURL("sqlite://:memory:", "")
			return openDev(ctx, mem, schema.SQLite, nil)
		case config.Postgres:
			if env.DevURL != "" {
				du, err := config.ParseURL(env.DevURL, a.cfgDir())
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
					return nil, cleanup, usageErrorf("dev_url %s is not empty (%d tables, views or sequences): the models are loaded there, so it must be an empty database", du, n)
				}
				return dev, cleanup, nil
			}
			name := "migrate_dev_" + versions.NewID()
			if _, err := live.ExecContext(ctx, "CREATE DATABASE "+name+" TEMPLATE template0"); err != nil {
				return nil, nil, fmt.Errorf("cannot create a throwaway database to normalise the models in (%v); set dev_url in [env.%s] to an empty database migrate may use", config.Redact(err.Error()), env.Name)
			}
			drop := func() {
				_, _ = live.ExecContext(context.WithoutCancel(ctx), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
			}
			du := u
			du.DSN = withDatabase(u.DSN, name)
			dev, cleanup, err := openDev(ctx, du, schema.Postgres, drop)
			return dev, cleanup, err
		}
		return nil, nil, fmt.Errorf("autogenerate: unsupported dialect %q", u.Dialect)
	}
}

func (a *app) cfgDir() string {
	if c, err := a.config(); err == nil {
		return c.Dir
	}
	return "."
}

// openDev opens one connection; after runs (after closing) in cleanup.
func openDev(ctx context.Context, u config.URL, dialect string, after func()) (*autogen.Dev, func(), error) {
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
	return &autogen.Dev{Conn: conn, Dialect: dialect, Position: pgPosition}, cleanup, nil
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

// sqlText renders statements as revision file text: each statement ends
// with ";", destructive ones are preceded by their WARNING.
func sqlText(stmts []autogen.Statement) string {
	var b strings.Builder
	for i, s := range stmts {
		if i > 0 {
			b.WriteString("\n")
		}
		if s.Warning != "" {
			b.WriteString("-- WARNING: " + oneLine(s.Warning) + "\n")
		}
		b.WriteString(s.SQL + ";\n")
	}
	return b.String()
}

// warnings lists the statements' warnings, once each.
func warnings(stmts []autogen.Statement) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range stmts {
		if s.Warning != "" && !seen[s.Warning] {
			seen[s.Warning] = true
			out = append(out, s.Warning)
		}
	}
	sort.Strings(out)
	return out
}

// splitNoTx separates the statements that must run (and commit) before
// the others, outside a transaction.
func splitNoTx(stmts []autogen.Statement) (noTx, rest []autogen.Statement) {
	for _, s := range stmts {
		if s.NoTx {
			noTx = append(noTx, s)
		} else {
			rest = append(rest, s)
		}
	}
	return noTx, rest
}
