// Package migrate is the revision runner and the Go library entry point.
//
// A [Migrator] plans a walk over a [versions.Graph] against the applied set
// kept in the version table, then applies it inside transactions (one for
// the whole command by default), under a lock, recording one row per
// applied revision with its checksum. It never prints: progress is sent as
// [Event] values to the [Logger] given with [WithLogger].
//
// Applying embedded revisions at application start-up:
//
//	//go:embed versions/*.sql
//	var files embed.FS
//
//	graph, err := versions.LoadGraph(files, "versions")
//	...
//	m, err := migrate.New(db, migrate.SQLite, graph)
//	...
//	_, err = m.Upgrade(ctx, "head")
//
// Offline SQL (upgrade --sql) needs no database: [Migrator.UpgradeSQL] and
// [Migrator.DowngradeSQL] on a Migrator made with a nil *sql.DB.
package migrate
