// Package autogen turns schemas into SQL:
//
//   - [RenderSchema] writes a whole [schema.Schema] as CREATE statements in
//     dependency order (used by `migrate inspect`);
//   - [Diff] compares two schemas (the live one and the normalised model)
//     and returns the [Change]s that turn one into the other, in an order
//     that applies; each change knows its inverse ([Reverse]), so Down is
//     the Up list reversed and inverted;
//   - [RenderChanges] writes changes as one dialect's [Statement]s, with
//     warnings and the statements that must run outside a transaction;
//     [Parts] splits them into the revisions autogenerate writes;
//   - [Generate] runs the whole comparison for the CLI: model sources, the
//     dev database, the cache of normalised models.
//
// Dialect knowledge sits behind two small interfaces, one file per dialect
// and concern (postgres.go / sqlite.go for whole schemas,
// postgres_change*.go / sqlite_change.go for changes), chosen by the one
// switch in dialectFor and changeDialectFor.
package autogen
