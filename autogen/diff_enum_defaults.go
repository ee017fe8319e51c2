package autogen

import (
	"fmt"
	"maps"
	"slices"
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
// of the column's AlterColumn. A column that is dropped, or that leaves
// the enum for another type, loses its default in the rebuild; the later
// ALTER (or, on the way down, the rebuild) does the rest.

// enumDefaultFollows returns from (the current column cc as it reads after
// the renames) with the default it has once the rebuild of its enum is
// done, and records the change on the rebuild; tc is the target column,
// nil when the column is dropped. A column whose type is not an enum
// being rebuilt, or whose default stays, is returned unchanged.
func (d *differ) enumDefaultFollows(td *tableDiff, cc, from, tc *schema.Column) *schema.Column {
	rb := d.enumRebuilds[strings.TrimSuffix(from.Type, "[]")]
	if rb == nil || from.Generated != nil {
		return from
	}
	to := ""
	if tc != nil && tc.Type == from.Type && tc.Generated == nil {
		to = tc.Default
	}
	if from.Default == "" && to == "" || from.Default != "" && to != "" && sameDefault(schema.Postgres, from, &schema.Column{Type: from.Type, Default: to}) {
		return from
	}
	rb.Defaults = append(rb.Defaults, EnumColumnDefault{
		Column: schema.ColumnRef{Schema: td.newRef.Schema, Table: td.newRef.Name, Column: cc.Name},
		From:   cc.Default,
		To:     to,
	})
	out := *from
	out.Default = to
	return &out
}

// A check, index or exclusion constraint whose definition names an enum
// being rebuilt is dropped by the rebuild before the conversion and
// created again after it with the same text. When the model changes it,
// that text may name a value the new type lacks (a removed value), and on
// the way down the model's text may name one the old type lacks. So the
// drop of such a changed one is done before the rebuild (in phFreeNames,
// as td.freed), and the model's definition is added after it, with the
// table's other steps; one the model keeps as it is stays with the
// rebuild, and one that does not name the type is not moved.

// setAsideEnumUsers moves from td.dropCons to td.freed the drops of
// checks, indexes and exclusion constraints whose current definition
// names an enum being rebuilt.
func (d *differ) setAsideEnumUsers(td *tableDiff) {
	if len(d.enumRebuilds) == 0 {
		return
	}
	var keep []TableChange
	for _, tc := range td.dropCons {
		if d.namesRebuiltEnum(constraintText(tc)) {
			td.freed = append(td.freed, tc)
		} else {
			keep = append(keep, tc)
		}
	}
	td.dropCons = keep
}

// constraintText is the definition of a dropped check, index or
// exclusion constraint, or "".
func constraintText(tc TableChange) string {
	switch c := tc.(type) {
	case *DropCheck:
		return c.Check.Expr
	case *DropIndex:
		return c.Index.Definition
	case *DropExclusion:
		return c.Exclusion.Definition
	}
	return ""
}

// namesRebuiltEnum reports whether text names an enum being rebuilt (as
// PostgreSQL prints it, schema-qualified).
func (d *differ) namesRebuiltEnum(text string) bool {
	if text == "" {
		return false
	}
	for name := range d.enumRebuilds {
		if strings.Contains(text, name) {
			return true
		}
	}
	return false
}

// checkRemovedValues refuses a rebuild that removes a value the target
// still uses: a column default, check or index of the target that names
// a removed value. A model cannot (the value is not in its type), so such
// a use is one the model leaves alone — a column left out by [models]
// include/exclude, compared as the database has it — and the rebuild
// would put it back on the new type and fail.
func (d *differ) checkRemovedValues() error {
	names := slices.Sorted(maps.Keys(d.enumRebuilds))
	for _, name := range names {
		rb := d.enumRebuilds[name]
		for _, v := range rb.From.Values {
			if slices.Contains(rb.To.Values, v) {
				continue
			}
			lit := pgLiteral(v) + "::" + name
			for _, t := range d.tgt.Tables {
				if what := usesText(t, lit); what != "" {
					return fmt.Errorf("autogen: enum %s loses value %s, but %s of table %s still names it: a column left out by [models] include/exclude keeps what the database has; change it in the database first (or stop leaving the column out), then generate the revision",
						name, pgLiteral(v), what, qualifiedName(t.Schema, t.Name))
				}
			}
		}
	}
	return nil
}

// usesText names the first column default, check or index of t whose
// text holds lit, or "".
func usesText(t *schema.Table, lit string) string {
	for _, c := range t.Columns {
		if strings.Contains(c.Default, lit) {
			return fmt.Sprintf("the default of column %s (%s)", c.Name, c.Default)
		}
	}
	for _, c := range t.Checks {
		if strings.Contains(c.Expr, lit) {
			return "check " + c.Name
		}
	}
	for _, i := range t.Indexes {
		if strings.Contains(i.Definition, lit) {
			return "index " + i.Name
		}
	}
	return ""
}
