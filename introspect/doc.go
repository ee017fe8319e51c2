// Package introspect reads the schema of a live PostgreSQL or SQLite
// database into a [schema.Schema].
//
// It sends a constant number of set-based catalog queries whatever the
// number of tables (see [Inspect]); there is no per-table query. One file
// per dialect holds that dialect's queries (postgres.go, sqlite.go), chosen
// by the one switch in [Inspect].
package introspect
