// Package vtname names the tables migrate keeps beside its version table,
// in one place for the runner (which creates them) and the introspector
// (which leaves them out of every schema it reads), and the version
// tables of other migration tools, which are left out too.
package vtname

import (
	"fmt"
	"hash/fnv"
)

// Foreign are the version tables other migration tools keep under their
// default names: goose's, golang-migrate's and dbmate's (both
// schema_migrations), atlas's and alembic's. diff, check, inspect and
// autogenerate leave them out (unless the models define a table of that
// name), so that no one is offered a DROP of another tool's bookkeeping
// while moving to migrate.
var Foreign = []string{"goose_db_version", "schema_migrations", "atlas_schema_revisions", "alembic_version"}

// ProgressSuffix ends the name of the in-progress marks table.
const ProgressSuffix = "_progress"

// maxIdent is PostgreSQL's identifier limit in bytes (NAMEDATALEN - 1);
// a longer name would be cut silently, and two long version table names
// could then share one progress table.
const maxIdent = 63

// Progress returns the name of the table that holds the in-progress marks
// of the version table called table: table + "_progress", or, when that
// is longer than 63 bytes, the first 45 bytes of table, "_", eight hex
// digits of a hash of the whole name, and "_progress" (63 bytes).
func Progress(table string) string {
	if len(table)+len(ProgressSuffix) <= maxIdent {
		return table + ProgressSuffix
	}
	h := fnv.New32a()
	h.Write([]byte(table))
	keep := maxIdent - len(ProgressSuffix) - 9
	return fmt.Sprintf("%s_%08x%s", table[:keep], h.Sum32(), ProgressSuffix)
}
