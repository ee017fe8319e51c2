package autogen

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/migratehq/migrate/internal/pgexec"
	"github.com/migratehq/migrate/introspect"
	"github.com/migratehq/migrate/schema"
	"github.com/migratehq/migrate/sqlsplit"
)

// Input is what [Generate] compares: a live database and model metadata.
type Input struct {
	Dialect string  // schema.Postgres or schema.SQLite
	Live    *sql.DB // the database at head
	Source  Source
	// Dev opens a dev session to normalise the model in; it is called only
	// when the cache has no entry for the model. cleanup is always called.
	Dev   func(ctx context.Context) (dev *Dev, cleanup func(), err error)
	Cache Cache
	// VersionTable ("name" or "schema.name") is never compared.
	VersionTable string
	// Include and Exclude are globs over "name" and "schema.name" of the
	// objects the models own, and over "table.column" and
	// "schema.table.column" of their columns ([models] include /
	// exclude; introspect.MatchObject and MatchColumn). An empty Include
	// means everything. A column left out is compared as the database
	// has it: neither added, dropped nor altered, and so are the indexes
	// and constraints that name it (filterColumns).
	Include, Exclude []string
	// Render are the rendering options ([models] sqlite_version).
	Render RenderOptions
	// Progress, when set, follows the loads into the dev database: what
	// is being loaded ("Loading models into the dev database"), and
	// how many of its total statements have run (0 first, total last).
	Progress func(what string, done, total int)
	// Plan is how [RevisionTexts] writes the changes: [PlanOnline] or
	// [PlanSimple] ("" is simple). It changes neither the comparison nor
	// Output.Up and Output.Down.
	Plan string
}

// progress is in.Progress for one load, or nil.
func (in Input) progress(what string) func(done, total int) {
	if in.Progress == nil {
		return nil
	}
	return func(done, total int) { in.Progress(what, done, total) }
}

// Output is the comparison and the migration that closes it.
type Output struct {
	Current, Target *schema.Schema
	Changes         []Change
	Up, Down        []Statement
	// CacheHit tells that the normalised model came from the cache.
	CacheHit bool
	// HintWarnings are the rename hints that match nothing in the
	// database ([UnmatchedHints]), "file:line: …", and the column
	// patterns that name a table only by its old name (filterColumns).
	HintWarnings []string
	// Render are the options Up and Down were rendered with, for
	// [RevisionTexts].
	Render RenderOptions
	// Plan is Input.Plan.
	Plan string
}

// Generate normalises the model (through the cache or a dev database),
// reads the live schema, and returns the changes with their Up and Down
// SQL. No changes: empty lists.
func Generate(ctx context.Context, in Input) (*Output, error) {
	chunks, err := in.Source.DDL(in.Dialect)
	if err != nil {
		return nil, err
	}
	// Before anything runs, and also when the cache will answer: a model
	// that would act outside the dev database is refused the same way.
	if err := CheckModel(in.Dialect, chunks); err != nil {
		return nil, err
	}
	facts, err := modelFactsFor(in.Dialect)
	if err != nil {
		return nil, err
	}
	hints, sites, err := ParseHintsAt(chunks, facts.split, facts.defaultSchema)
	if err != nil {
		return nil, err
	}
	if r, ok := in.Source.(Renamer); ok {
		more, err := r.Renames(in.Dialect)
		if err != nil {
			return nil, err
		}
		hints = mergeRenames(hints, more)
	}
	version, err := serverVersion(ctx, in.Live, in.Dialect)
	if err != nil {
		return nil, fmt.Errorf("reading the server version: %w", err)
	}
	opts := introspect.Options{Exclude: in.Exclude, VersionTable: in.VersionTable, KeepColumns: true}
	out := &Output{Render: in.Render, Plan: in.Plan}
	var cleanups []func()
	key := in.Cache.Key(in.Dialect, version, opts, chunks)
	// The dev session is opened only when the cache lacks what is needed,
	// and once — or once per load when it is a disposable database.
	var dev *Dev
	devSession := func() (*Dev, error) {
		if dev != nil && !dev.Disposable {
			return dev, nil
		}
		d, cleanup, err := in.Dev(ctx)
		if cleanup != nil {
			cleanups = append(cleanups, cleanup)
		}
		if err != nil {
			return nil, err
		}
		d.Opts = opts
		dev = d
		return dev, nil
	}
	defer func() {
		for _, c := range cleanups {
			c()
		}
	}()
	if t := in.Cache.Get(key); t != nil {
		out.Target, out.CacheHit = t, true
	} else {
		d, err := devSession()
		if err != nil {
			return nil, err
		}
		d.Progress = in.progress("Loading models into the dev database")
		if out.Target, err = d.Load(ctx, chunks); err != nil {
			return nil, err
		}
		in.Cache.Put(key, out.Target)
	}
	liveOpts := opts
	liveOpts.OtherVersionTables = otherVersionTables(out.Target)
	if facts.schemas {
		// The model's schemas that exist here (the others are to be created).
		want := []string{facts.defaultSchema}
		for _, n := range out.Target.Schemas {
			want = append(want, n.Name)
		}
		if liveOpts.Schemas, err = introspect.ExistingSchemas(ctx, in.Live, want); err != nil {
			return nil, fmt.Errorf("reading schemas: %w", err)
		}
	}
	if out.Current, err = introspect.Inspect(ctx, in.Live, in.Dialect, liveOpts); err != nil {
		return nil, err
	}
	if err := filterInclude(out.Current, in.Include); err != nil {
		return nil, err
	}
	if err := filterInclude(out.Target, in.Include); err != nil {
		return nil, err
	}
	if err := filterRenamedTables(out.Current, out.Target, in.Include, in.Exclude, hints.TableRenames); err != nil {
		return nil, err
	}
	// model is the target without the columns left out; out.Target has
	// them back as the database has them.
	model := out.Target
	var filterWarnings []string
	if cols := columnFilter(in.Include, in.Exclude); cols != nil {
		out.Target, filterWarnings = filterColumns(out.Current, model, cols, &hints)
	}
	if out.Changes, err = Diff(out.Current, out.Target, hints); err != nil {
		return nil, err
	}
	if facts.reload && comparesTexts(out.Changes) {
		// PostgreSQL does not always print the same text for an object
		// created from the text it printed; compare again with the model
		// also loaded from its own rendering (DiffOptions.Reloaded), so
		// that such objects do not show as changed. Needed only when a
		// change compares the texts of an object on both sides: a false
		// difference of texts shows up as such a change.
		reloadKey := key + "-reloaded"
		reloaded := in.Cache.Get(reloadKey)
		if reloaded == nil {
			stmts, err := RenderSchema(model)
			if err != nil {
				return nil, fmt.Errorf("rendering the model: %w", err)
			}
			d, err := devSession()
			if err != nil {
				return nil, err
			}
			rendered := Chunk{File: "(the model as migrate renders it)", Line: 1, SQL: strings.Join(stmts, ";\n") + ";\n"}
			d.Progress = in.progress("Reloading the model from its rendering")
			if reloaded, err = d.Load(ctx, []Chunk{rendered}); err != nil {
				return nil, fmt.Errorf("reloading the model from its rendering: %w", err)
			}
			in.Cache.Put(reloadKey, reloaded)
		}
		hints.Reloaded = reloaded
		if out.Changes, err = Diff(out.Current, out.Target, hints); err != nil {
			return nil, err
		}
	}
	out.HintWarnings = append(UnmatchedHints(out.Current, out.Target, hints, sites), filterWarnings...)
	if len(out.Changes) == 0 {
		return out, nil
	}
	if out.Up, err = RenderChangesWith(in.Dialect, out.Current, out.Target, out.Changes, in.Render); err != nil {
		return nil, err
	}
	if out.Down, err = RenderChangesWith(in.Dialect, out.Target, out.Current, Reverse(out.Changes), in.Render); err != nil {
		return nil, err
	}
	return out, nil
}

// otherVersionTables are the other migration tools' version tables
// (introspect.DefaultOtherVersionTables) that the model does not define:
// left out of the live schema, so that no change drops them.
func otherVersionTables(model *schema.Schema) []string {
	var out []string
	for _, name := range introspect.DefaultOtherVersionTables() {
		if !slices.ContainsFunc(model.Tables, func(t *schema.Table) bool { return t.Name == name }) {
			out = append(out, name)
		}
	}
	return out
}

// serverVersion is the number the cache key carries: PostgreSQL's
// server_version_num, SQLite's version as 3040001.
func serverVersion(ctx context.Context, db *sql.DB, dialect string) (int, error) {
	var v string
	switch dialect {
	case schema.Postgres:
		if err := db.QueryRowContext(ctx, "SELECT current_setting('server_version_num')").Scan(&v); err != nil {
			return 0, err
		}
		return strconv.Atoi(v)
	case schema.SQLite:
		if err := db.QueryRowContext(ctx, "SELECT sqlite_version()").Scan(&v); err != nil {
			return 0, err
		}
		n := 0
		for _, p := range strings.SplitN(v, ".", 3) {
			d, _ := strconv.Atoi(p)
			n = n*1000 + d
		}
		return n, nil
	}
	return 0, fmt.Errorf("unknown dialect %q", dialect)
}

// filterInclude keeps the objects whose "name" or "schema.name" matches
// one of the globs (all of them when include is empty), and the tables
// some of whose columns one matches (introspect.MatchColumnTable; the
// other columns are left out by columnFilter).
func filterInclude(s *schema.Schema, include []string) error {
	if len(include) == 0 {
		return nil
	}
	if err := introspect.CheckPatterns("[models] include", include); err != nil {
		return err
	}
	match := func(sch, name string) bool { return introspect.MatchObject(include, sch, name) }
	s.Tables = keep(s.Tables, func(t *schema.Table) bool {
		return match(t.Schema, t.Name) || introspect.MatchColumnTable(include, t.Schema, t.Name)
	})
	s.Views = keep(s.Views, func(v *schema.View) bool { return match(v.Schema, v.Name) })
	s.Sequences = keep(s.Sequences, func(q *schema.Sequence) bool { return match(q.Schema, q.Name) })
	s.Functions = keep(s.Functions, func(f *schema.Function) bool { return match(f.Schema, f.Name) })
	s.Enums = keep(s.Enums, func(e *schema.Enum) bool { return match(e.Schema, e.Name) })
	s.Domains = keep(s.Domains, func(d *schema.Domain) bool { return match(d.Schema, d.Name) })
	s.Types = keep(s.Types, func(t *schema.Type) bool { return match(t.Schema, t.Name) })
	tables := map[[2]string]bool{}
	for _, t := range s.Tables {
		tables[[2]string{t.Schema, t.Name}] = true
	}
	for _, v := range s.Views {
		tables[[2]string{v.Schema, v.Name}] = true
	}
	s.Triggers = keep(s.Triggers, func(tr *schema.Trigger) bool { return tables[[2]string{tr.Schema, tr.Table}] })
	return nil
}

func keep[T any](in []T, ok func(T) bool) []T {
	out := in[:0]
	for _, x := range in {
		if ok(x) {
			out = append(out, x)
		}
	}
	return out
}

// comparesTexts tells whether any change stems from comparing the
// deparsed texts (definitions, expressions, defaults) of an object that
// exists on both sides — the only kind of change DiffOptions.Reloaded can
// take back. Creating, dropping or renaming objects, and adding, dropping
// or renaming columns, do not.
func comparesTexts(changes []Change) bool {
	for _, c := range changes {
		switch c := c.(type) {
		case *CreateObject, *DropObject, *RenameTable, *AddEnumValue:
		case *ModifyTable:
			for _, tc := range c.Changes {
				switch tc.(type) {
				case *AddColumn, *DropColumn, *RenameColumn, *SetTableComment:
				default:
					return true
				}
			}
		default:
			return true
		}
	}
	return false
}

// modelFacts is what loading and comparing models needs to know of a
// dialect; modelFactsFor is the one switch on the dialect name here.
type modelFacts struct {
	split         sqlsplit.Dialect
	defaultSchema string // qualifies unqualified names in the model
	// schemas: the model may make schemas of its own, which are listed
	// and read on both sides.
	schemas bool
	// rollbackLoad: a dev database that is not disposable (a dev_url)
	// takes the model inside a transaction that is rolled back
	// (transactional DDL).
	rollbackLoad bool
	// reload: the server's deparsed text is not always a fixed point, so
	// the model is also loaded from its own rendering when needed
	// (DiffOptions.Reloaded).
	reload bool
	// exec runs one model statement on the dev session.
	exec func(ctx context.Context, conn *sql.Conn, query string) error
	// fileSettings are the session settings put back between model
	// files, so that what one file sets does not change how the next
	// is read: pg_dump's preamble sets all of these, search_path to ''
	// (after which an unqualified name has no schema to go to).
	fileSettings []string
}

// pgDumpSettings are the settings pg_dump's preamble sets.
var pgDumpSettings = []string{
	"statement_timeout", "lock_timeout", "idle_in_transaction_session_timeout",
	"client_encoding", "standard_conforming_strings", "search_path",
	"check_function_bodies", "xmloption", "client_min_messages", "row_security",
	"default_tablespace", "default_table_access_method",
}

func modelFactsFor(dialect string) (modelFacts, error) {
	switch dialect {
	case schema.Postgres:
		return modelFacts{split: sqlsplit.Postgres, defaultSchema: "public", schemas: true, rollbackLoad: true, reload: true, exec: pgexec.One, fileSettings: pgDumpSettings}, nil
	case schema.SQLite:
		return modelFacts{split: sqlsplit.SQLite, rollbackLoad: true, exec: sqliteExecOne}, nil
	}
	return modelFacts{}, fmt.Errorf("autogen: unknown dialect %q", dialect)
}
