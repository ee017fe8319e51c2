package autogen

import (
	"fmt"

	"github.com/migratehq/migrate/schema"
)

// DiffOptions tune [Diff].
type DiffOptions struct {
	// TableRenames are renames from model hints ("-- migrate:renamed_from
	// old" beside a table): new name -> old name.
	TableRenames map[schema.TableRef]schema.TableRef
	// ColumnRenames are column renames from hints: {schema, table (new
	// name), column (new name)} -> old column name.
	ColumnRenames map[schema.ColumnRef]string
}

// Diff returns the changes that turn current into target, in an order
// that applies: creates in dependency order, drops in reverse, cycles of
// foreign keys broken by adding foreign keys after their tables. Objects
// owned by an extension are never changed; the caller has filtered the
// version table and the include/exclude globs out of both sides. No
// difference is an empty list.
func Diff(current, target *schema.Schema, opts DiffOptions) ([]Change, error) {
	if current.Dialect != target.Dialect {
		return nil, fmt.Errorf("autogen: cannot diff a %s schema against a %s one", current.Dialect, target.Dialect)
	}
	return nil, fmt.Errorf("autogen: Diff is not written yet")
}
