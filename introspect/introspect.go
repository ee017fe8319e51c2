package introspect

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/migratehq/migrate/internal/vtname"
	"github.com/migratehq/migrate/schema"
)

// Querier is what the introspector needs of a database handle: it is
// satisfied by *sql.DB, *sql.Conn and *sql.Tx (and by a test's wrapper that
// counts queries).
//
// The PostgreSQL introspector changes search_path for the duration of the
// inspection (and restores it), so a Querier must be one session: a
// *sql.Conn, a *sql.Tx, or a *sql.DB, which Inspect pins to one connection.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Options tune [Inspect].
type Options struct {
	// Schemas are the PostgreSQL schemas to read; default ["public"].
	// A name that does not exist is an error; "*" ([AllSchemas]) stands
	// for every schema that is neither a system schema nor an
	// extension's (one query more). SQLite ignores it.
	Schemas []string
	// Exclude are path.Match patterns of objects to leave out, matched
	// against both "name" and "schema.name" of tables, views, sequences,
	// functions, enums, domains and types, and of columns, matched
	// against "table.column" and "schema.table.column" (see
	// [MatchColumn]). Triggers and indexes of an excluded table go with
	// it; the indexes, keys, foreign keys, checks, exclusion constraints
	// and extended statistics that name an excluded column ([SplitTable])
	// go with the column, and so does a sequence it owns.
	Exclude []string
	// KeepColumns: Exclude leaves out objects only, and every column is
	// read (autogen, which compares excluded columns as they are in the
	// database, applies the column patterns itself).
	KeepColumns bool
	// VersionTable is the migration version table ("name" or
	// "schema.name"), which is always left out, with the table of
	// in-progress marks the runner keeps beside it (name_progress).
	// Empty means none.
	VersionTable string
	// OtherVersionTables are table names, matched in every schema read,
	// of other migration tools' version tables to leave out, with their
	// triggers and owned sequences ([DefaultOtherVersionTables] lists
	// the usual ones).
	OtherVersionTables []string
}

// DefaultOtherVersionTables returns the default names of other migration
// tools' version tables: goose_db_version, schema_migrations
// (golang-migrate, dbmate), atlas_schema_revisions, alembic_version.
func DefaultOtherVersionTables() []string { return slices.Clone(vtname.Foreign) }

// inspector reads one dialect's schema. Each implementation lives in the
// dialect's file and must send a number of queries that does not depend
// on the size of the schema.
type inspector interface {
	inspect(ctx context.Context, db Querier, opts Options) (*schema.Schema, error)
}

// Inspect reads the schema of db. dialect is "postgres" or "sqlite"
// ([schema.Postgres], [schema.SQLite]). The result is sorted
// ([schema.Schema.Sort]); the version table and excluded objects are left
// out, and objects owned by an extension carry FromExtension.
func Inspect(ctx context.Context, db Querier, dialect string, opts Options) (*schema.Schema, error) {
	var in inspector
	switch dialect {
	case schema.Postgres:
		in = &postgresInspector{}
	case schema.SQLite:
		in = newSQLiteInspector()
	default:
		return nil, fmt.Errorf("introspect: unknown dialect %q (want %q or %q)", dialect, schema.Postgres, schema.SQLite)
	}
	if err := CheckPatterns("introspect: exclude", opts.Exclude); err != nil {
		return nil, err
	}
	s, err := in.inspect(ctx, db, opts)
	if err != nil {
		return nil, err
	}
	filter(s, opts)
	s.Sort()
	return s, nil
}

// filter removes the version table and the excluded objects.
func filter(s *schema.Schema, opts Options) {
	if len(opts.Exclude) == 0 && opts.VersionTable == "" && len(opts.OtherVersionTables) == 0 {
		return
	}
	vSchema, vName := "", opts.VersionTable
	if i := strings.LastIndexByte(vName, '.'); i >= 0 {
		vSchema, vName = vName[:i], vName[i+1:]
	}
	skip := func(sch, name string) bool { return MatchObject(opts.Exclude, sch, name) }
	gone := map[[2]string]bool{}
	s.Tables = keep(s.Tables, func(t *schema.Table) bool {
		drop := skip(t.Schema, t.Name) || (vName != "" && (t.Name == vName || t.Name == vtname.Progress(vName)) && (vSchema == "" || vSchema == t.Schema)) ||
			slices.Contains(opts.OtherVersionTables, t.Name)
		if drop {
			gone[[2]string{t.Schema, t.Name}] = true
		}
		return !drop
	})
	s.Views = keep(s.Views, func(v *schema.View) bool {
		drop := skip(v.Schema, v.Name)
		if drop {
			gone[[2]string{v.Schema, v.Name}] = true
		}
		return !drop
	})
	s.Triggers = keep(s.Triggers, func(t *schema.Trigger) bool { return !gone[[2]string{t.Schema, t.Table}] })
	colOut := func(sch, table, col string) bool { return false }
	if !opts.KeepColumns && len(opts.Exclude) > 0 {
		colOut = func(sch, table, col string) bool { return MatchColumn(opts.Exclude, sch, table, col) }
		for i, t := range s.Tables {
			s.Tables[i], _ = SplitTable(t, s.Dialect, colOut)
		}
	}
	s.Sequences = keep(s.Sequences, func(q *schema.Sequence) bool {
		if o := q.OwnedBy; o != nil && (gone[[2]string{o.Schema, o.Table}] || colOut(o.Schema, o.Table, o.Column)) {
			return false
		}
		return !skip(q.Schema, q.Name)
	})
	s.Functions = keep(s.Functions, func(f *schema.Function) bool { return !skip(f.Schema, f.Name) })
	s.Enums = keep(s.Enums, func(e *schema.Enum) bool { return !skip(e.Schema, e.Name) })
	s.Domains = keep(s.Domains, func(d *schema.Domain) bool { return !skip(d.Schema, d.Name) })
	s.Types = keep(s.Types, func(t *schema.Type) bool { return !skip(t.Schema, t.Name) })
}

func keep[T any](s []T, ok func(T) bool) []T {
	out := s[:0]
	for _, x := range s {
		if ok(x) {
			out = append(out, x)
		}
	}
	clear(s[len(out):])
	return out
}
