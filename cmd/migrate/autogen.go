package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/migratehq/migrate/autogen"
	"github.com/migratehq/migrate/config"
	"github.com/migratehq/migrate/internal/dbopen"
	"github.com/migratehq/migrate/migrate"
	"github.com/migratehq/migrate/schema/gomodel"
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
	if len(c.Models.SQL) == 0 && len(c.Models.Go) == 0 {
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
	if len(c.Models.Go) == 0 {
		return files, nil
	}
	goModels := autogen.GoModels{Tags: c.Models.Tags}
	for _, p := range c.Models.Go {
		goModels.Dirs = append(goModels.Dirs, a.rel(p))
	}
	if len(files) == 0 {
		return goModels, nil
	}
	// The Go models first: views, functions and triggers in SQL files may
	// then use their tables.
	return autogen.Sources{goModels, files}, nil
}

// loadProgress follows autogenerate's loads into the dev database on a
// terminal (nil elsewhere: nothing to draw).
func (a *app) loadProgress() func(what string, done, total int) {
	if !a.out.live() {
		return nil
	}
	return a.out.loadProgress
}

// autogenerate compares the models with the database, which must be at
// head. It returns the graph too, for writing the revision. A rename hint
// that matches nothing is a warning on stderr.
func (a *app) autogenerate(ctx context.Context) (*versions.Graph, *autogen.Output, error) {
	g, out, err := a.compareModels(ctx)
	if err != nil {
		return nil, nil, err
	}
	for _, w := range out.HintWarnings {
		a.out.warn("", 0, "%s", w)
	}
	return g, out, nil
}

// compareModels is autogenerate without the warnings (check lists them
// as findings).
func (a *app) compareModels(ctx context.Context) (*versions.Graph, *autogen.Output, error) {
	src, err := a.source()
	if err != nil {
		return nil, nil, err
	}
	c, _ := a.config()
	// A dev_url of the other dialect is said before anything is opened
	// (a SQLite one for a PostgreSQL database would otherwise be created
	// as a file and fail on the first PostgreSQL query).
	if u, err := a.dbURL(); err == nil {
		if env, err := a.environment(); err == nil {
			if _, err := autogen.ParseDevURL(u, env.DevURL, a.cfgDir()); err != nil {
				return nil, nil, inputError(err)
			}
		}
	}
	g, st, err := a.state(ctx)
	if err != nil {
		return nil, nil, err
	}
	if err := atHead(g, st); err != nil {
		return nil, nil, err
	}
	db, u, err := a.openRead(ctx)
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
		Dev:          autogen.DevProvider(u, db, env.DevURL, a.cfgDir(), devHint(env.Name, a.configName())),
		Cache:        autogen.DefaultCache(),
		VersionTable: vt,
		Include:      c.Models.Include,
		Exclude:      c.Models.Exclude,
		Render:       autogen.RenderOptions{SQLiteVersion: c.Models.SQLiteVersion},
		Progress:     a.loadProgress(),
		Plan:         c.Models.Plan,
	})
	if err != nil {
		var me *autogen.ModelError
		var he *autogen.HintError
		var ge gomodel.ErrorList
		var de *autogen.DevURLError
		if errors.As(err, &me) || errors.As(err, &he) || errors.As(err, &ge) || errors.As(err, &de) {
			return nil, nil, inputError(err)
		}
		return nil, nil, err
	}
	return g, out, nil
}

// openRead opens the database for commands that only read it: a SQLite
// file that does not exist is an empty database, an in-memory one, and no
// file is created (migrate creates a file only when it will write to it).
// u is the configured URL either way.
func (a *app) openRead(ctx context.Context) (*sql.DB, config.URL, error) {
	db, u, err := a.open(ctx, false)
	if !errors.Is(err, dbopen.ErrNoFile) {
		return db, u, err
	}
	mem := u
	_, query, _ := strings.Cut(u.DSN, "?")
	mem.DSN, mem.Path = ":memory:?"+query, ":memory:"
	db, err = dbopen.Open(ctx, mem, true)
	return db, u, err
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

func (a *app) cfgDir() string {
	if c, err := a.config(); err == nil {
		return c.Dir
	}
	return "."
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

// devHint says where a dev database URL goes.
func devHint(envName, configName string) string {
	if envName == "" {
		return "set dev_url in an [env.NAME] section of " + configName
	}
	return fmt.Sprintf("set dev_url in [env.%s] of %s", envName, configName)
}
