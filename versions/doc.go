// Package versions owns revision files and the revision graph. It is pure:
// no database, only [sqlsplit] and the standard library.
//
// # Revision files
//
// A revision is one SQL file, named by the file_template (default
// {date}_{rev}_{slug}.sql, see [FileName]), with a header of
// "-- migrate:key value" lines and two sections:
//
//	-- migrate:revision 3f9a1c2b7d10
//	-- migrate:revises 1a2b3c4d5e6f
//	-- migrate:branch_labels billing
//	-- migrate:depends_on 77aa00bb11cc
//	-- migrate:message Add users table
//	-- migrate:created 2026-11-22 01:10:00+00:00
//	-- migrate:transaction false
//
//	-- migrate:up
//	CREATE TABLE users (id bigint PRIMARY KEY);
//
//	-- migrate:down
//	DROP TABLE users;
//
// The header comes before "-- migrate:up"; blank lines and other "--"
// comments may sit among its lines. revision is required; revises is empty
// for a base and "a, b" for a merge; branch_labels and depends_on (full
// ids, unique prefixes or branch labels) are comma-separated lists;
// transaction false runs the revision outside a transaction. Unknown and
// duplicate keys are errors. The down section is optional: without one the
// revision is irreversible, and downgrading through it is an error naming
// the file; an empty down section means there is nothing to undo.
//
// The markers are dbmate's, so sqlc can read a versions folder as its
// schema. sqlc keeps each file up to the first line that, lower-cased,
// starts with "-- migrate:down" (or another tool's down marker). Parse
// therefore accepts markers only at column 0 in lower case, rejects any
// line before the down marker that sqlc would cut at (a header key
// starting with "down", "-- MIGRATE:DOWN", "-- +goose Down" ...), and
// rejects misspelt or indented markers. Every error is a [*ParseError]
// carrying the file and line.
//
// [NewRevision] starts a new file and [Render] writes it; [Parse] reads one,
// [Load] reads a folder of an fs.FS (embed.FS, fstest.MapFS) and [LoadDir]
// a folder on disk, the fast path the CLI takes.
//
// # Checksums
//
// [Checksum] hashes the Up and Down sections after [sqlsplit.Normalize]:
// line endings, comments and whitespace outside quotes do not count;
// every token and all quoted text does. The runner stores it when a
// revision is applied and reports a later edit.
//
// # The graph
//
// [NewGraph] links revisions by revises (parents) and depends_on
// (dependencies) and validates the whole set, naming files in every
// problem. [Graph] answers heads, bases, branch points, merges, labels,
// ancestors and descendants; [Graph.Resolve] turns targets (head, heads,
// base, ids and prefixes, labels, label@head, rev+N, head-N ...) into
// revisions; [Graph.PlanUpgrade] and [Graph.PlanDowngrade] turn a target
// and the set of applied revisions (the version table holds one row per
// applied revision) into ordered [Step]s. The semantics follow Alembic's;
// where Alembic crashes or guesses, these return errors that name the
// choices. [Graph.CheckFileOrder] verifies that file names sort in an
// apply order, as sqlc needs.
package versions
