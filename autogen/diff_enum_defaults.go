package autogen

import (
	"strings"

	"github.com/migratehq/migrate/schema"
)

// A column of an enum that is rebuilt is converted to the new type by the
// rebuild, which drops the column's default before the conversion and sets
// one after it. When the model changes that default, the old one cannot
// simply be put back: it may name a value the new type lacks (the value
// removed was the default), and on the way down the new default may name a
// value the old type lacks. So the default change goes with the rebuild
// (RebuildEnum.Defaults), which sets the target's default, and is left out
// of the column's AlterColumn.

// enumDefaultFollows returns from (the current column cc as it reads after
// the renames) with the default of tc when both have the type of an enum
// being rebuilt and their defaults differ, and records the change on the
// rebuild. Otherwise it returns from unchanged.
func (d *differ) enumDefaultFollows(td *tableDiff, cc, from, tc *schema.Column) *schema.Column {
	if from.Type != tc.Type || sameDefault(schema.Postgres, from, tc) || tc.Generated != nil || from.Generated != nil {
		return from
	}
	rb := d.enumRebuilds[strings.TrimSuffix(from.Type, "[]")]
	if rb == nil {
		return from
	}
	rb.Defaults = append(rb.Defaults, EnumColumnDefault{
		Column: schema.ColumnRef{Schema: td.newRef.Schema, Table: td.newRef.Name, Column: cc.Name},
		From:   cc.Default,
		To:     tc.Default,
	})
	out := *from
	out.Default = tc.Default
	return &out
}
