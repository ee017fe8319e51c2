package autogen

import (
	"fmt"
	"strings"

	"github.com/migratehq/migrate/schema"
)

// Warnings shared by the change renderers: what every dialect says about
// a step that can lose data or fail on existing rows. A renderer attaches
// them to the statement that does the step (Statement.Warning); dialect
// specific ones (a PostgreSQL type narrowing) live with the dialect.

// qualifiedName writes schema.name for messages ("name" alone when the
// schema is empty, as on SQLite).
func qualifiedName(nsp, name string) string {
	if nsp == "" {
		return name
	}
	return nsp + "." + name
}

// dropTableWarning is the warning of dropping table t.
func dropTableWarning(t *schema.Table) string {
	return fmt.Sprintf("drops table %s and its rows", qualifiedName(t.Schema, t.Name))
}

// tableChangeWarning is the dialect-neutral warning of one step of a
// ModifyTable on table (schema.name for messages), or "".
func tableChangeWarning(table string, tc TableChange) string {
	switch c := tc.(type) {
	case *DropColumn:
		return fmt.Sprintf("drops column %s.%s and its data", table, c.Column.Name)
	case *AddColumn:
		col := c.Column
		if col.NotNull && col.Default == "" && col.Identity == nil && col.Generated == nil && !col.AutoIncrement {
			return fmt.Sprintf("adds NOT NULL column %s.%s without a default: fails if the table has rows", table, col.Name)
		}
	case *AlterColumn:
		if !c.From.NotNull && c.To.NotNull {
			return fmt.Sprintf("sets NOT NULL on %s.%s: fails if a row holds NULL", table, c.To.Name)
		}
	}
	return ""
}

// joinWarnings joins non-empty warnings with "; ".
func joinWarnings(ws ...string) string {
	var out []string
	for _, w := range ws {
		if w != "" {
			out = append(out, w)
		}
	}
	return strings.Join(out, "; ")
}
