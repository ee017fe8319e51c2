package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/migratehq/migrate/config"
	"github.com/migratehq/migrate/importer"
	"github.com/migratehq/migrate/internal/dbopen"
	"github.com/migratehq/migrate/migrate"
	"github.com/migratehq/migrate/versions"
)

func init() { extraCommands = append(extraCommands, (*app).newImportCmd) }

// importOpts are the flags of import.
type importOpts struct {
	into        string
	dryRun      bool
	adopt       bool
	fromTable   string
	alembicUp   string
	alembicDown string
	alembicPy   string
}

func (a *app) newImportCmd() *cobra.Command {
	var o importOpts
	cmd := &cobra.Command{
		Use:   "import FORMAT SRC",
		Short: "Convert another tool's migrations into revisions, and adopt its database",
		Long: `import converts the migration folder SRC of another tool into revision
files, written into --into (default: the project's versions folder), one
revision per migration, each revising the one before. FORMAT is one of
` + formatList() + `. Every line the conversion drops or rewrites is
printed as file:line: note, and every migration it cannot convert as
skipped.

With --url URL (or --adopt, for the environment's database), import also
adopts that database: it reads the other tool's version table and records
the revisions that stand for the migrations it applied in migrate's
version table, without running them, in one transaction. The other
tool's table is left in place (diff, check, inspect and autogenerate
leave it out). A golang-migrate row marked dirty, an applied version no
file has, an applied migration above one that is not, and a migrate
version table that already has rows are refused before any file is
written. Afterwards 'migrate upgrade head' runs only what the other tool
had not.`,
		Example: `  migrate import goose db/migrations                  # into versions/
  migrate import golang-migrate migrations --into versions --dry-run
  migrate import dbmate db/migrations --url postgres://localhost/app   # and adopt the database
  migrate import goose db/migrations --adopt -e production
  migrate import alembic alembic_sql/ --alembic-up up.sql --alembic-down down.sql`,
		Args:              exactArgs(2),
		ValidArgsFunction: completeImport,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runImport(cmd.Context(), args[0], args[1], o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.into, "into", "", "folder to write the revisions into (default: the project's versions folder)")
	f.BoolVar(&o.dryRun, "dry-run", false, "print what would be written and stamped; write nothing")
	f.BoolVar(&o.adopt, "adopt", false, "adopt the environment's database (implied by --url)")
	f.StringVar(&o.fromTable, "from-table", "", "the other tool's version table, when not its default (name or schema.name)")
	f.StringVar(&o.alembicUp, "alembic-up", "", "alembic: the output of 'alembic upgrade base:heads --sql' (default SRC/upgrade.sql)")
	f.StringVar(&o.alembicDown, "alembic-down", "", "alembic: the output of 'alembic downgrade heads:base --sql' (default SRC/downgrade.sql)")
	f.StringVar(&o.alembicPy, "alembic-scripts", "", "alembic: the project's versions folder of .py scripts, for messages, branch labels and depends_on (default SRC/versions when it exists)")
	return cmd
}

// completeImport completes the format, then a folder.
func completeImport(cmd *cobra.Command, args []string, typed string) ([]string, cobra.ShellCompDirective) {
	switch len(args) {
	case 0:
		var out []string
		for _, f := range importer.Formats {
			if strings.HasPrefix(string(f), typed) {
				out = append(out, string(f))
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	case 1:
		return nil, cobra.ShellCompDirectiveFilterDirs
	}
	return nil, cobra.ShellCompDirectiveNoFileComp
}

func formatList() string {
	names := make([]string, len(importer.Formats))
	for i, f := range importer.Formats {
		names[i] = string(f)
	}
	return strings.Join(names, ", ")
}

// parseFormat names a known format or is a usage error listing them.
func parseFormat(s string) (importer.Format, error) {
	for _, f := range importer.Formats {
		if string(f) == s {
			return f, nil
		}
	}
	return "", usageErrorf("unknown format %q; import reads %s", s, formatList())
}

// importRun is one import: what was converted, and the database to adopt.
type importRun struct {
	format  importer.Format
	src     string
	into    string
	res     *importer.Result
	written []string
	// Set when adopting.
	db       *sql.DB
	url      config.URL
	applied  *importer.Applied
	adoption *importer.Adoption
}

func (a *app) runImport(ctx context.Context, format, src string, o importOpts) error {
	f, err := parseFormat(format)
	if err != nil {
		return err
	}
	if st, err := os.Stat(src); err != nil || !st.IsDir() {
		return usageErrorf("import %s: source folder %s does not exist", f, src)
	}
	run := &importRun{format: f, src: src}
	if run.into, err = a.importInto(o.into); err != nil {
		return err
	}
	adopting := o.adopt || a.url != ""
	opts := importer.Options{AlembicUp: o.alembicUp, AlembicDown: o.alembicDown, AlembicScripts: o.alembicPy}
	if u, err := a.dbURL(); err == nil {
		opts.Dialect = string(u.Dialect)
	}
	if run.res, err = importer.Convert(f, src, opts); err != nil {
		return inputError(err)
	}
	if adopting {
		if err := a.checkIntoVersions(run.into); err != nil {
			return err
		}
		if err := a.planAdoption(ctx, run, o.fromTable); err != nil {
			return err
		}
		defer run.db.Close()
	}
	if o.dryRun {
		a.reportImport(run, true)
		return nil
	}
	if run.written, err = importer.Write(run.res, run.into); err != nil {
		return inputError(err)
	}
	if adopting {
		if err := a.adopt(ctx, run); err != nil {
			return err
		}
	}
	a.reportImport(run, false)
	return nil
}

// importInto is the folder to write into: --into, else the project's
// (first) versions folder, shown relative to the working directory.
func (a *app) importInto(into string) (string, error) {
	if into != "" {
		return into, nil
	}
	c, err := a.config()
	if err != nil {
		return "", err
	}
	return a.rel(c.Versions[0]), nil
}

// checkIntoVersions refuses to adopt into a folder that is not one the
// project loads: the stamped revisions would be unknown to it.
func (a *app) checkIntoVersions(into string) error {
	c, err := a.config()
	if err != nil {
		return err
	}
	abs, err := filepath.Abs(into)
	if err != nil {
		return err
	}
	for _, d := range c.Versions {
		if d, err := filepath.Abs(d); err == nil && d == abs {
			return nil
		}
	}
	return usageErrorf("--into %s is not a versions folder of this project (%s), so the database could not be adopted: "+
		"import into the versions folder (the default), or name this one with --dir", into, a.configName())
}

// planAdoption reads the other tool's table and plans the stamp, and
// checks that migrate's version table is empty: everything that can
// refuse the adoption happens before a file is written.
func (a *app) planAdoption(ctx context.Context, run *importRun, table string) error {
	db, u, err := a.open(ctx, false)
	if errors.Is(err, dbopen.ErrNoFile) {
		return inputError(err)
	}
	if err != nil {
		return err
	}
	run.db, run.url = db, u
	fail := func(err error) error {
		db.Close()
		var re *importer.RefusedError
		if errors.As(err, &re) {
			return inputError(err)
		}
		return err
	}
	if run.applied, err = importer.ReadApplied(ctx, db, string(u.Dialect), run.format, table); err != nil {
		return fail(err)
	}
	if run.adoption, err = importer.PlanAdoption(run.res, run.applied); err != nil {
		return fail(err)
	}
	if err := a.checkNotMigrates(ctx, run); err != nil {
		return fail(err)
	}
	return nil
}

// checkNotMigrates refuses a database whose version table has rows
// (Migrator.Adopt checks again, under the lock, as it stamps).
func (a *app) checkNotMigrates(ctx context.Context, run *importRun) error {
	g, err := versions.NewGraph(run.res.Revisions)
	if err != nil {
		return err
	}
	m, err := a.migrator(run.db, run.url.Dialect, g)
	if err != nil {
		return err
	}
	st, err := m.State(ctx)
	if err != nil {
		return err
	}
	if len(st.Applied) > 0 {
		c, err := a.config()
		if err != nil {
			return err
		}
		return inputError(&migrate.NotEmptyError{Table: versionTableName(c, run.url), Rows: st.IDs()})
	}
	return nil
}

// versionTableName names migrate's version table as messages show it.
func versionTableName(c *config.Config, u config.URL) string {
	if c.VersionSchema != "" && u.Dialect == config.Postgres {
		return fmt.Sprintf("%q.%q", c.VersionSchema, c.VersionTable)
	}
	return fmt.Sprintf("%q", c.VersionTable)
}

// adopt stamps the applied revisions against the project's revisions,
// which now include the files just written.
func (a *app) adopt(ctx context.Context, run *importRun) error {
	ad := run.adoption
	if len(ad.Targets) == 0 {
		return nil
	}
	g, err := a.graph()
	if err != nil {
		return err
	}
	for _, id := range ad.Targets {
		if g.Get(id) == nil { // checkIntoVersions made sure; a file removed meanwhile
			return inputError(fmt.Errorf("revision %s, written into %s, is not among the project's revisions now; the database was not adopted", id, run.into))
		}
	}
	m, err := a.migrator(run.db, run.url.Dialect, g, migrate.WithLogger(a.adoptEvent))
	if err != nil {
		return err
	}
	_, err = m.Adopt(ctx, ad.Targets)
	return err
}

// adoptEvent passes on what the stamping run has to say while it works
// (waiting for the lock, a retry), in text only: the summary says what
// was stamped, and --json writes one object.
func (a *app) adoptEvent(e migrate.Event) {
	switch e.Kind {
	case migrate.EventStamp, migrate.EventPlan, migrate.EventDone, migrate.EventNothing:
		return
	}
	if !a.json {
		a.out.event(e)
	}
}

// reportImport prints the notes, the skipped migrations, and what was
// (or would be) written and stamped: text on stderr, or one JSON object.
func (a *app) reportImport(run *importRun, dryRun bool) {
	if a.json {
		a.out.jsonLine(importJSON(run, dryRun))
		return
	}
	r := run.res
	for _, n := range r.Notes {
		a.out.info("%s:%d: %s", filepath.Join(run.src, n.File), n.Line, n.Msg)
	}
	for _, s := range r.Skipped {
		a.out.info("Skipped %s (version %s): %s", filepath.Join(run.src, s.File), s.Version, s.Reason)
	}
	if dryRun {
		for _, rev := range r.Revisions {
			a.out.info("Would write %s", filepath.Join(run.into, rev.Path))
		}
	} else {
		for _, w := range run.written {
			a.out.info("Wrote %s", w)
		}
		a.out.info("Converted %d %s migration(s) from %s into %s (%d file(s) written, %d note(s), %d skipped).",
			len(r.Revisions), run.format, run.src, run.into, len(run.written), len(r.Notes), len(r.Skipped))
	}
	if run.adoption != nil {
		a.reportAdoption(run, dryRun)
	}
}

func (a *app) reportAdoption(run *importRun, dryRun bool) {
	ad := run.adoption
	for _, s := range ad.NotConverted {
		a.out.info("Note: %s version %s (%s) is applied but was not converted (%s); nothing is recorded for it.", run.format, s.Version, s.File, s.Reason)
	}
	verb, left := "Stamped", "left in place"
	if dryRun {
		verb, left = "Would stamp", "would be left in place"
	}
	last := "nothing"
	if n := len(ad.Applied); n > 0 {
		last = "up to " + strings.Join(ad.Targets, ", ")
	}
	a.out.info("%s %d revision(s) as applied (%s), as %s records; %s %s. %d revision(s) pending: run 'migrate upgrade head'.",
		verb, len(ad.Applied), last, run.applied.Table, run.applied.Table, left, len(ad.Pending))
}

// importJSON is the one result object of --json.
func importJSON(run *importRun, dryRun bool) map[string]any {
	r := run.res
	notes := make([]map[string]any, len(r.Notes))
	for i, n := range r.Notes {
		notes[i] = map[string]any{"file": filepath.Join(run.src, n.File), "line": n.Line, "message": n.Msg}
	}
	skipped := make([]map[string]any, len(r.Skipped))
	for i, s := range r.Skipped {
		skipped[i] = map[string]any{"file": filepath.Join(run.src, s.File), "version": s.Version, "reason": s.Reason}
	}
	revs := make([]map[string]any, len(r.Revisions))
	for i, rev := range r.Revisions {
		revs[i] = map[string]any{"revision": rev.ID, "file": filepath.Join(run.into, rev.Path)}
	}
	out := map[string]any{
		"event": "import", "format": run.format, "source": run.src, "into": run.into, "dry_run": dryRun,
		"revisions": revs, "written": nonNil(run.written), "notes": notes, "skipped": skipped,
	}
	if ad := run.adoption; ad != nil {
		out["adopt"] = map[string]any{
			"table": run.applied.Table, "applied": nonNil(ad.Applied), "heads": nonNil(ad.Targets), "pending": nonNil(ad.Pending),
		}
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// withImportHint adds to the errors of loading the versions folders a
// hint for each folder whose unparsable files are another tool's
// migrations (importer.Detect): which tool, and the import command that
// converts the folder. Other errors are returned as they are.
func withImportHint(err error) error {
	var hints []string
	seen := map[string]bool{}
	for _, pe := range parseErrors(err) {
		dir := filepath.Dir(pe.File)
		if seen[dir] {
			continue
		}
		f, ok := detectFile(pe.File)
		if !ok {
			continue
		}
		seen[dir] = true
		hints = append(hints, fmt.Sprintf("%s: this is %s migration, not a migrate revision; convert the folder with: migrate import %s %s --into new_versions",
			pe.File, formatArticle(f), f, dir))
	}
	if len(hints) == 0 {
		return err
	}
	return &hintedError{err: err, hint: strings.Join(hints, "\n")}
}

// detectFile tells which tool's migration the file is; a plain SQL file
// in a folder with an atlas.sum is atlas's.
func detectFile(path string) (importer.Format, bool) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", false
	}
	if f, ok := importer.Detect(path, data); ok {
		return f, true
	}
	sum := filepath.Join(filepath.Dir(path), importer.AtlasSumFile)
	if data, err := os.ReadFile(sum); err == nil {
		return importer.Detect(sum, data)
	}
	return "", false
}

func formatArticle(f importer.Format) string {
	if f == importer.Atlas || f == importer.Alembic {
		return "an " + string(f)
	}
	return "a " + string(f)
}

// parseErrors collects the *versions.ParseError of err and of the errors
// it wraps or joins.
func parseErrors(err error) []*versions.ParseError {
	if pe, ok := err.(*versions.ParseError); ok {
		return []*versions.ParseError{pe}
	}
	switch u := err.(type) {
	case interface{ Unwrap() []error }:
		var out []*versions.ParseError
		for _, e := range u.Unwrap() {
			out = append(out, parseErrors(e)...)
		}
		return out
	case interface{ Unwrap() error }:
		return parseErrors(u.Unwrap())
	}
	return nil
}

// hintedError is an error with a hint line after its message.
type hintedError struct {
	err  error
	hint string
}

func (e *hintedError) Error() string { return e.err.Error() + "\n" + e.hint }
func (e *hintedError) Unwrap() error { return e.err }
