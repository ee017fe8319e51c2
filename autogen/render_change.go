package autogen

import (
	"fmt"

	"github.com/migratehq/migrate/schema"
)

// Statement is one rendered statement of a migration.
type Statement struct {
	// SQL is the statement, without a trailing semicolon.
	SQL string
	// Warning is "" or why the statement may lose data or fail on
	// existing rows ("drops column public.users.email"); the revision
	// file marks it "-- WARNING: ..." and the terminal lists it.
	Warning string
	// NoTx marks a statement that must run outside a transaction, and
	// be committed before later statements run (PostgreSQL: ALTER TYPE
	// ... ADD VALUE, whose value cannot be used in the transaction that
	// added it). CREATE INDEX CONCURRENTLY is never generated.
	NoTx bool
}

// A changeDialect renders the changes [Diff] computes as one database
// system's statements. It is made for one rendering, with the whole
// schemas before and after the changes: a renderer may look objects up
// (SQLite rebuilds need every index, trigger and view of a table;
// PostgreSQL needs the columns that use an enum it rebuilds).
//
// Each dialect lives in its own file (postgres_change.go,
// sqlite_change.go) and is chosen by the one switch in changeDialectFor.
type changeDialect interface {
	// render returns the statements of changes, in order. A dialect may
	// add statements before or after (session settings, checks) and may
	// merge neighbouring changes (a SQLite rebuild covers every change
	// of a table).
	render(changes []Change) ([]Statement, error)
}

// changeDialectFor is the one switch on the dialect name for rendering
// changes.
func changeDialectFor(name string, before, after *schema.Schema) (changeDialect, error) {
	switch name {
	case schema.Postgres:
		return newPostgresChanges(before, after), nil
	case schema.SQLite:
		return newSQLiteChanges(before, after), nil
	default:
		return nil, fmt.Errorf("autogen: unknown dialect %q", name)
	}
}

// RenderChanges renders changes for a dialect ("postgres" or "sqlite"),
// given the whole schemas before and after them. The Down of a revision
// is RenderChanges(dialect, after, before, Reverse(changes)).
func RenderChanges(dialect string, before, after *schema.Schema, changes []Change) ([]Statement, error) {
	if before == nil {
		before = &schema.Schema{Dialect: dialect}
	}
	if after == nil {
		after = &schema.Schema{Dialect: dialect}
	}
	d, err := changeDialectFor(dialect, before, after)
	if err != nil {
		return nil, err
	}
	return d.render(changes)
}

// diffCaps are what the differ must know of a dialect to order changes;
// they come from the same one switch on the dialect name.
type diffCaps struct {
	// lateForeignKeys: foreign keys must reference tables that exist
	// when they are created (PostgreSQL), so a cycle of foreign keys is
	// broken by adding some after the tables, and key drops and adds
	// are ordered around the foreign keys that use them. SQLite resolves
	// foreign keys only when rows change: they stay inside CREATE TABLE.
	lateForeignKeys bool
	// replaceViews: a view whose columns are only appended to is
	// replaced in place (CREATE OR REPLACE VIEW); otherwise every view
	// change is a drop and a create.
	replaceViews bool
	// viewsAroundTables: a view on a table whose columns are dropped,
	// renamed or retyped, or which is renamed, is dropped before the
	// table changes and created again after (PostgreSQL refuses the
	// change otherwise). SQLite's renderer rebuilds the views of the
	// tables it rebuilds itself.
	viewsAroundTables bool
	// bareQuotedNames: a double-quoted identifier in a view or trigger
	// definition is the same as the bare one when it needs no quotes
	// (SQLite writes the new name of a table quoted into the views and
	// triggers its ALTER TABLE RENAME rewrites).
	bareQuotedNames bool
}

func capsFor(name string) diffCaps {
	switch name {
	case schema.Postgres:
		return diffCaps{lateForeignKeys: true, replaceViews: true, viewsAroundTables: true}
	case schema.SQLite:
		return diffCaps{bareQuotedNames: true}
	default:
		return diffCaps{}
	}
}
