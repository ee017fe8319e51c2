package autogen

import "github.com/migratehq/migrate/schema"

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
//   - the referenced key is dropped or changed (Up could not drop it
//     under the foreign key either).
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
	if td := d.tables[d.newRef(ref)]; td != nil {
		for _, cols := range td.droppedKeys {
			if sameSet(cols, mapNames(fk.RefColumns, cm)) {
				return true
			}
		}
	}
	return false
}
