// Package lint examines the PostgreSQL statements of revisions for
// hazards to a database in use: statements that hold a lock that blocks
// the application for as long as they scan or rewrite a table, statements
// PostgreSQL refuses inside the transaction the revision runs in, and
// changes the code still running does not expect (a dropped or renamed
// column or table).
//
// [Lint] reads each revision's up section with the statement lexer of
// package sqlsplit, in run order, keeping track of the schema: a table
// created earlier in the same run is not "existing", so nothing done to
// it is a hazard. Which tables exist before the run comes from the
// database's catalog ([ReadCatalog]) when there is one, and otherwise
// from the revisions that run before the linted ones ([Options.Before]),
// every other table counting as existing.
//
// Every [Rule] has a stable code (PG101 …), the lock it takes, whether it
// scans or rewrites the table, and the safe alternative. A revision
// accepts a finding with the header line
//
//	-- migrate:lint ignore=PG101 the table holds 40 rows
//
// whose reason is required and is reported with the finding. SQLite has
// no rules: Lint says so in [Result.NoRules] rather than guess.
package lint
