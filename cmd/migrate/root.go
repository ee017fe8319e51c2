package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/migratehq/migrate/config"
	"github.com/migratehq/migrate/internal/dbopen"
	"github.com/migratehq/migrate/migrate"
	"github.com/migratehq/migrate/versions"
)

// Exit codes (DESIGN.md).
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
	exitDrift = 3
)

// app holds what every command shares: streams, global flags, and the
// lazily loaded config.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer

	configPath string
	envName    string
	url        string
	dir        string // --dir: the versions folder, overriding the config's
	json       bool
	verbose    bool

	cfg *config.Config
	out *output

	dialectWarning sync.Once // the fallback-URL warning (checkURLDialect)
}

// Main runs the CLI and returns the process exit code.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr}
	root := a.newRootCmd()
	a.json = jsonRequested(args) // parsing the flags may fail before --json is read
	root.SetArgs(relativeArgs(args))
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	if strings.HasPrefix(err.Error(), "unknown command ") {
		// cobra's own error for a mistyped command: bad usage.
		err = usageErrorf("%v\nRun 'migrate --help' for the commands.", err)
	}
	code := exitCode(err)
	if a.out == nil {
		a.out = newOutput(a)
	}
	a.out.error(err)
	return code
}

func (a *app) newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "migrate",
		Short: "Schema migrations for PostgreSQL and SQLite, in the spirit of Alembic",
		Long: `migrate keeps a graph of SQL revision files (Up and Down sections) and
applies them to PostgreSQL or SQLite inside transactions, under a lock.

Configuration comes from migrate.toml in the working directory (or --config);
without one, DATABASE_URL and the folder versions/ serve.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			a.out = newOutput(a)
			if cmd.Flags().Changed("dir") && strings.TrimSpace(a.dir) == "" {
				return usageErrorf("--dir is empty: name the folder of revision files (migrate --dir db/migrations upgrade head)")
			}
			return nil
		},
	}
	root.CompletionOptions.DisableDefaultCmd = true // ours is in completion.go
	setVersionFlag(root)
	pf := root.PersistentFlags()
	pf.StringVar(&a.configPath, "config", "", "config file (default ./migrate.toml)")
	pf.StringVarP(&a.envName, "env", "e", "", "environment of migrate.toml (default $MIGRATE_ENV, then default_env)")
	pf.StringVar(&a.dir, "dir", "", "folder of revision files, overriding versions of migrate.toml (relative to the working directory)")
	pf.StringVar(&a.url, "url", "", "database URL, overriding the environment's (relative SQLite paths are relative to the working directory)")
	pf.BoolVar(&a.json, "json", false, "print machine-readable JSON (one object per event or result)")
	pf.BoolVarP(&a.verbose, "verbose", "v", false, "more detail")
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return usageErrorf("%v\nRun '%s --help' for usage.", err, cmd.CommandPath())
	})
	root.AddCommand(
		a.newInitCmd(),
		a.newRevisionCmd(),
		a.newUpgradeCmd(),
		a.newDowngradeCmd(),
		a.newCurrentCmd(),
		a.newHistoryCmd(),
		a.newHeadsCmd(),
		a.newBranchesCmd(),
		a.newShowCmd(),
		a.newStampCmd(),
		a.newMergeCmd(),
		a.newCheckCmd(),
		a.newDiffCmd(),
		a.newLintCmd(),
	)
	for _, c := range extraCommands {
		root.AddCommand(c(a))
	}
	a.addCompletions(root)
	addExamples(root)
	return root
}

// relativeArgs moves relative targets such as "-1" behind "--", so that
// `migrate downgrade -1 --sql` parses "-1" as an argument, not a flag.
func relativeArgs(args []string) []string {
	var plain, rel []string
	for i, a := range args {
		if a == "--" {
			plain = append(plain, args[i+1:]...)
			break
		}
		if len(a) > 1 && a[0] == '-' && allDigits(a[1:]) {
			rel = append(rel, a)
			continue
		}
		plain = append(plain, a)
	}
	if len(rel) == 0 {
		return args
	}
	return append(append(plain, "--"), rel...)
}

func allDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// extraCommands are commands defined in their own files that register
// themselves here (one line each), keeping this list the single place
// where the command tree is assembled.
var extraCommands []func(*app) *cobra.Command

// usageError is bad usage or bad input: exit 2.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usageErrorf(format string, args ...any) error {
	return &usageError{fmt.Errorf(format, args...)}
}

func inputError(err error) error {
	if err == nil {
		return nil
	}
	return &usageError{err}
}

// driftError is a finding of `migrate check`: exit 3.
type driftError struct{ msg string }

func (e *driftError) Error() string { return e.msg }

// exitCode maps an error to the process exit code, in one place.
func exitCode(err error) int {
	var ue *usageError
	var de *driftError
	var ce *config.Error
	var urlErr *config.URLError
	var pe *migrate.PlanError
	var se *migrate.StateError
	var pErr *versions.ParseError
	switch {
	case errors.As(err, &de):
		return exitDrift
	case errors.As(err, &ue), errors.As(err, &ce), errors.As(err, &urlErr),
		errors.As(err, &pe), errors.As(err, &se), errors.As(err, &pErr):
		return exitUsage
	}
	return exitFail
}

// config loads migrate.toml (or the defaults) once.
func (a *app) config() (*config.Config, error) {
	if a.cfg != nil {
		return a.cfg, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	path := a.configPath
	if path == "" {
		if v := os.Getenv("MIGRATE_CONFIG"); v != "" {
			path = v
		}
	}
	if path == "" {
		p, err := config.Find(wd)
		switch {
		case errors.Is(err, config.ErrNotFound):
			return a.setConfig(config.Default(wd))
		case err != nil:
			return nil, err
		}
		path = a.rel(p) // "migrate.toml" in messages, as the docs show it
	}
	c, err := config.Load(path)
	if err != nil {
		return nil, err
	}
	return a.setConfig(c)
}

// setConfig applies --dir to c and keeps it for the other calls.
func (a *app) setConfig(c *config.Config) (*config.Config, error) {
	if err := a.overrideDir(c); err != nil {
		return nil, err
	}
	a.cfg = c
	return c, nil
}

// overrideDir makes --dir the one versions folder. The folder was named
// on the command line, so, unlike the config's paths, it may lie outside
// the project; the config's other paths are checked here as graph would.
func (a *app) overrideDir(c *config.Config) error {
	if a.dir == "" {
		return nil
	}
	if err := c.CheckPaths(); err != nil {
		return err
	}
	abs, err := filepath.Abs(a.dir)
	if err != nil {
		return err
	}
	c.Versions = []string{abs}
	return nil
}

// dbURL returns the database URL: --url, else the environment's.
func (a *app) dbURL() (config.URL, error) {
	if a.url != "" {
		wd, err := os.Getwd()
		if err != nil {
			return config.URL{}, err
		}
		u, err := config.ParseURL(a.url, wd)
		if err != nil {
			return u, err
		}
		if c, cerr := a.config(); cerr == nil {
			err = a.checkURLDialect(c, u)
		}
		return u, err
	}
	c, err := a.config()
	if err != nil {
		return config.URL{}, err
	}
	env, err := c.Environment(a.envName)
	if err != nil {
		return config.URL{}, err
	}
	if env.URL == "" {
		where := fmt.Sprintf("[env.%s] url in %s", env.Name, c.Path)
		if c.Path == "" {
			where = "DATABASE_URL (there is no migrate.toml here; run 'migrate init' to write one)"
		}
		return config.URL{}, &config.URLError{Msg: "not configured; set " + where + ", or pass --url"}
	}
	u, err := c.DatabaseURL(env)
	if err != nil {
		return u, err
	}
	return u, a.checkURLDialect(c, u)
}

// open connects to the database. With create false a missing SQLite file
// is reported (wrapping dbopen.ErrNoFile) rather than created.
func (a *app) open(ctx context.Context, create bool) (*sql.DB, config.URL, error) {
	u, err := a.dbURL()
	if err != nil {
		return nil, u, err
	}
	db, err := dbopen.Open(ctx, u, create)
	return db, u, err
}

// newSQLiteFile tells whether the database is a SQLite file that does not
// exist yet, in a folder that does (see planFresh; opening reports a
// missing folder).
func (a *app) newSQLiteFile() bool {
	u, err := a.dbURL()
	if err != nil || u.Dialect != config.SQLite || u.Path == ":memory:" {
		return false
	}
	if st, err := os.Stat(filepath.Dir(u.Path)); err != nil || !st.IsDir() {
		return false
	}
	_, err = os.Stat(u.Path)
	return errors.Is(err, os.ErrNotExist)
}

// planFresh keeps a write command from creating a SQLite file that does
// not exist yet when it would write nothing: a bad target, a dry run, a
// plan with nothing to do. It runs the command first as a dry run against
// an empty in-memory database (what the new file would be) and, when that
// is the whole answer, replays its output and returns done with the
// command's error. Otherwise the caller creates the file and runs for
// real (and plans again there: another run may have created it meanwhile).
//
// migrate never deletes a database file: another process (a concurrent
// run, or anything else) may have it open, and removing it under them
// loses their work. So the file must not be created unless it will be
// written, and a run that fails after creating it leaves it in place.
func (a *app) planFresh(ctx context.Context, gf func() (*versions.Graph, error), dryRun bool, run func(*migrate.Migrator) error, opts ...migrate.Option) (done bool, err error) {
	mem, err := dbopen.Open(ctx, config.URL{Dialect: config.SQLite, Driver: "sqlite", DSN: ":memory:", Path: ":memory:"}, true)
	if err != nil {
		return false, err
	}
	defer mem.Close()
	var events []migrate.Event
	nothing := false
	opts = append(opts[:len(opts):len(opts)], migrate.WithDryRun(true), migrate.WithLogger(func(e migrate.Event) {
		events = append(events, e)
		nothing = nothing || e.Kind == migrate.EventNothing
	}))
	m, err := a.migratorDeferred(mem, config.SQLite, gf, opts...)
	if err != nil {
		return true, err
	}
	err = run(m)
	if err == nil && !dryRun && !nothing {
		return false, nil
	}
	for _, e := range events {
		a.out.event(e)
	}
	return true, err
}

// revisions loads the revision files and builds the graph.
func (a *app) graph() (*versions.Graph, error) {
	c, err := a.config()
	if err != nil {
		return nil, err
	}
	// The folders must stay inside the project, links resolved (Load
	// checked a config file's paths already; the defaults are checked
	// here).
	if a.dir == "" { // --dir's folder was checked by overrideDir
		if err := c.CheckPaths(); err != nil {
			return nil, err
		}
	}
	var dirs []string
	for _, d := range c.Versions {
		st, err := os.Stat(d)
		switch {
		case err == nil && !st.IsDir() && a.dir != "":
			return nil, inputError(fmt.Errorf("--dir %s is not a folder", a.dir))
		case err == nil && !st.IsDir():
			return nil, inputError(fmt.Errorf("versions folder %s is not a folder (set versions in %s)", a.rel(d), a.configName()))
		case err != nil && a.dir != "":
			return nil, inputError(fmt.Errorf("--dir %s: no such folder", a.dir))
		case err != nil:
			return nil, inputError(fmt.Errorf("versions folder %s does not exist (run 'migrate init', or set versions in %s)", a.rel(d), a.configName()))
		}
		// Paths in messages are relative to the working directory when
		// the folder is below it.
		dirs = append(dirs, a.rel(d))
	}
	revs, err := versions.LoadDir(dirs...)
	if err != nil {
		return nil, inputError(withImportHint(err)) // another tool's files: import.go
	}
	if err := checkNotAlembic(revs, dirs); err != nil { // import.go
		return nil, err
	}
	g, err := versions.NewGraph(revs)
	if err != nil {
		return nil, inputError(err)
	}
	return g, nil
}

func (a *app) configName() string {
	if a.cfg != nil && a.cfg.Path != "" {
		return a.cfg.Path
	}
	return config.FileName
}

// rel shows a path relative to the working directory when it is below it.
func (a *app) rel(p string) string {
	wd, err := os.Getwd()
	if err != nil {
		return p
	}
	if r, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(r, "..") {
		return r
	}
	return p
}

// graphAsync starts loading the revision graph in the background, so
// that reading the files overlaps with connecting to the database; the
// returned function waits for it.
func (a *app) graphAsync() func() (*versions.Graph, error) {
	if _, err := a.config(); err != nil {
		return func() (*versions.Graph, error) { return nil, err }
	}
	done := make(chan struct{})
	var g *versions.Graph
	var err error
	go func() {
		defer close(done)
		g, err = a.graph()
	}()
	return func() (*versions.Graph, error) { <-done; return g, err }
}

// migrator builds a runner for db (nil for offline SQL) with the config's
// settings and the command's overrides.
func (a *app) migrator(db *sql.DB, d config.Dialect, g *versions.Graph, opts ...migrate.Option) (*migrate.Migrator, error) {
	return a.migratorDeferred(db, d, func() (*versions.Graph, error) { return g, nil }, opts...)
}

// migratorDeferred is migrator with a graph that may still be loading.
func (a *app) migratorDeferred(db *sql.DB, d config.Dialect, g func() (*versions.Graph, error), opts ...migrate.Option) (*migrate.Migrator, error) {
	c, err := a.config()
	if err != nil {
		return nil, err
	}
	base := []migrate.Option{
		migrate.WithVersionTable(c.VersionTable),
		migrate.WithTransaction(migrate.TxMode(c.Transaction)),
		migrate.WithLockTimeout(c.LockTimeout),
		migrate.WithLogger(a.out.event),
		migrate.WithStatementEvents(a.out.live()),
	}
	if d == config.Postgres {
		base = append(base, migrate.WithVersionSchema(c.VersionSchema))
	}
	m, err := migrate.NewDeferred(db, migrate.Dialect(d), g, append(base, opts...)...)
	if err != nil {
		return nil, inputError(err)
	}
	return m, nil
}

func since(t time.Time) string { return fmtDuration(time.Since(t)) }

func fmtDuration(d time.Duration) string {
	switch {
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000)
	case d < 10*time.Second:
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}
