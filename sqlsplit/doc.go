// Package sqlsplit cuts SQL text into statements with a real lexer, so
// that a revision file's Up and Down sections can be sent to the database
// one statement at a time and an error can name the line it came from.
//
// [Split] knows, per [Dialect]:
//
//   - single-quoted strings, a doubled quote standing for one; PostgreSQL
//     E'...' strings with backslash escapes;
//   - double-quoted identifiers; SQLite [bracket] and `backtick` identifiers;
//   - -- line comments and /* block comments */ (nested on PostgreSQL);
//   - PostgreSQL dollar quoting, $$...$$ and $tag$...$tag$ ($1 is a
//     parameter, not a tag);
//   - bodies whose semicolons do not end the statement: SQLite
//     CREATE TRIGGER ... BEGIN ...; END, PostgreSQL CREATE FUNCTION or
//     PROCEDURE ... BEGIN ATOMIC ...; END, and (PostgreSQL, as psql does)
//     semicolons inside parentheses, such as a CREATE RULE action list.
//
// A statement's text runs from its first token to its last: comments
// before it and after it are not part of it, comments inside it are.
// Statements holding nothing but comments are dropped, and the last
// statement needs no semicolon. A line starting with a backslash is a psql
// meta-command and is an error rather than being sent to the server.
//
// [Statement.LineAt] maps the character position that PostgreSQL reports
// in an error back to a line of the input, and [Normalize] gives the
// comment- and whitespace-insensitive form that revision checksums hash.
//
// The package is a leaf: it imports only the standard library.
package sqlsplit
