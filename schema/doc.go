// Package schema is the dialect-neutral model of a database schema: what
// [github.com/migratehq/migrate/introspect] reads from a live database, what
// the model loaders produce from the user's metadata, and what autogenerate
// diffs and renders.
//
// The model holds structured fields wherever a diff needs them (columns,
// nullability, defaults, identity, foreign-key columns and actions, index
// parts) and keeps the database's own text wherever that text is the normal
// form (check expressions, view queries, function and trigger definitions,
// pg_get_constraintdef / pg_get_indexdef output, SQLite's stored CREATE
// statements), so a renderer can reproduce an object exactly.
//
// Objects are grouped by kind in flat lists; every object carries the name
// of the schema (PostgreSQL namespace) it lives in. SQLite objects have an
// empty Schema (the main database). Expression and type texts are those the
// database prints; the PostgreSQL introspector reads them with search_path
// set to pg_catalog, so every name outside pg_catalog is schema-qualified.
//
// The package is a leaf: it imports only the standard library.
package schema
