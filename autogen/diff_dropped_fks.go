package autogen

import (
	"slices"

	"github.com/migratehq/migrate/schema"
)

// cutFromDropped reports whether a foreign key of a dropped table is
// dropped as a step of its own, before the renames, rather than with
// its table (PostgreSQL). Down creates the dropped tables again before
// it undoes the renames and column changes of the kept ones, and adds
// the foreign keys cut here only at its end; so a key is cut when, at
// the point where Down would create it, what it references is not yet
// as it was:
//
//   - the referenced table is dropped too (any order then applies);
//   - the referenced table is renamed;
//   - one of the referenced columns is renamed;
//   - the referenced key is dropped or changed, or a referenced column
//     retyped (Up could not do either under the foreign key: "cannot
//     drop constraint", "foreign key constraint cannot be
//     implemented").
//
// own names the dropped table (a reference to itself is never cut);
// gone holds every dropped table, by current name.
func (d *differ) cutFromDropped(fk *schema.ForeignKey, own schema.TableRef, gone map[schema.TableRef]bool) bool {
	ref := tref(fk.RefSchema, fk.RefTable)
	if ref == own {
		return false
	}
	if gone[ref] {
		return true
	}
	if _, renamed := d.renamedTo[ref]; renamed {
		return true
	}
	cm := d.colRenames[d.newRef(ref)]
	for _, c := range fk.RefColumns {
		if mapName(c, cm) != c {
			return true
		}
	}
	td := d.tables[d.newRef(ref)]
	if td == nil {
		return false
	}
	cols := mapNames(fk.RefColumns, cm)
	for _, k := range td.droppedKeys {
		if sameSet(k, cols) {
			return true
		}
	}
	return retypes(td, cols)
}

// retypes reports whether one of the columns (target names) of a kept
// table gets another type.
func retypes(td *tableDiff, cols []string) bool {
	for _, tc := range td.alterCols {
		if a := tc.(*AlterColumn); a.From.Type != a.To.Type && slices.Contains(cols, a.To.Name) {
			return true
		}
	}
	return false
}
