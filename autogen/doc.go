// Package autogen turns schemas into SQL: today the renderer that writes a
// whole [schema.Schema] as CREATE statements in dependency order
// ([RenderSchema], used by `migrate inspect`); later the differ that
// autogenerates revisions, which shares the per-dialect renderers.
//
// Dialect knowledge sits behind the small dialect interface, one file per
// dialect (postgres.go, sqlite.go), chosen by the one switch in dialectFor.
package autogen
