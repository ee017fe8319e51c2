package autogen

import (
	"slices"

	"github.com/migratehq/migrate/schema"
)

// A name can move from an old object to a new one: a new table's index
// takes the name of one on a table being dropped, an index moves to
// another table under the same name, a rename takes the name of an index
// being dropped. Tables are dropped last and a table's own steps run
// with it, so the old holder would still have the name when the new one
// takes it. The drops of such names are therefore taken out and done
// early, in a phase of their own (phFreeNames, after the foreign keys are
// dropped and before anything is renamed or created): a ModifyTable on
// the old table, under its current name, dropping what holds the names.
// The holder is then gone before the new object exists, so no later
// statement can mean the new one by the old name; the Down, reversed,
// drops the new object before it brings the old one back.

// nameTakers returns, for every relation name (as a namer key) that a
// step of the tables takes, who takes it: the tableDiff whose own
// ModifyTable adds it (an index or key added where the old one is also
// dropped needs nothing), or nil for anything else (a table created, a
// rename).
func (d *differ) nameTakers(n *namer, pairs []*tableDiff, created []*schema.Table) map[string][]*tableDiff {
	out := map[string][]*tableDiff{}
	take := func(key string, td *tableDiff) { out[key] = append(out[key], td) }
	for _, t := range created {
		take(n.relKey(t.Schema, t.Name), nil)
		for _, i := range t.Indexes {
			take(n.relKey(t.Schema, i.Name), nil)
		}
		if n.pg {
			for _, name := range indexedConstraintNames(t) {
				take(n.relKey(t.Schema, name), nil)
			}
		}
	}
	for _, td := range pairs {
		nsp := td.newRef.Schema
		for _, tc := range td.addCons {
			if name, ok := relationName(tc, n.pg); ok {
				take(n.relKey(nsp, name), td)
			}
		}
		for _, tc := range td.renames {
			switch r := tc.(type) {
			case *RenameIndex:
				take(n.relKey(nsp, r.To), nil)
			case *RenameConstraint:
				if n.pg && indexedConstraint(td.cur, r.From) {
					take(n.relKey(nsp, r.To), nil)
				}
				if n.pg { // renamed before the table's own drops
					take(n.tableKey("con", td.newRef, r.To), nil)
				}
			}
		}
	}
	for from, to := range d.renamedTo {
		if from.Name != to.Name || from.Schema != to.Schema {
			take(n.relKey(to.Schema, to.Name), nil)
		}
	}
	for from, to := range d.seqRenames {
		take(n.relKey(from.Schema, to), nil)
	}
	return out
}

// relationName is the relation name an addition or drop of an index or
// key creates or frees (keys only on PostgreSQL, where they have an
// index of their name).
func relationName(tc TableChange, pg bool) (string, bool) {
	switch c := tc.(type) {
	case *AddIndex:
		return c.Index.Name, true
	case *DropIndex:
		return c.Index.Name, true
	case *AddPrimaryKey:
		return c.Key.Name, pg
	case *DropPrimaryKey:
		return c.Key.Name, pg
	case *AddUnique:
		return c.Key.Name, pg
	case *DropUnique:
		return c.Key.Name, pg
	case *AddExclusion:
		return c.Exclusion.Name, pg
	case *DropExclusion:
		return c.Exclusion.Name, pg
	}
	return "", false
}

func indexedConstraintNames(t *schema.Table) []string {
	var out []string
	if t.PrimaryKey != nil && t.PrimaryKey.Name != "" {
		out = append(out, t.PrimaryKey.Name)
	}
	for _, k := range t.Uniques {
		out = append(out, k.Name)
	}
	for _, x := range t.Exclusions {
		out = append(out, x.Name)
	}
	return out
}

// takenElsewhere reports whether a name (key) is taken by anything but
// an addition in td's own ModifyTable.
func takenElsewhere(takers map[string][]*tableDiff, key string, td *tableDiff) bool {
	return slices.ContainsFunc(takers[key], func(x *tableDiff) bool { return x == nil || x != td })
}

// setAsideFreed moves the drops of td that free a name another step
// takes from td.dropCons to td.freed: a relation name, or on PostgreSQL
// a constraint name a rename of the table takes (renames come before
// the table's own drops).
func (d *differ) setAsideFreed(n *namer, takers map[string][]*tableDiff, td *tableDiff) {
	var keep []TableChange
	for _, tc := range td.dropCons {
		name, isRel := relationName(tc, n.pg)
		taken := isRel && takenElsewhere(takers, n.relKey(td.oldRef.Schema, name), td)
		if c, isCheck := tc.(*DropCheck); isCheck {
			name = c.Check.Name
		}
		if n.pg && name != "" {
			taken = taken || takenElsewhere(takers, n.tableKey("con", td.newRef, name), td)
		}
		if taken {
			td.freed = append(td.freed, tc)
		} else {
			keep = append(keep, tc)
		}
	}
	td.dropCons = keep
}

// freeTableNames emits, in phFreeNames, the drops that free the names
// of table t (as it is at that point) that others take: those of steps
// (a kept table's), or its own indexes and keys (tableGone: t is
// dropped later). It returns t without them.
func (d *differ) freeTableNames(n *namer, takers map[string][]*tableDiff, t *schema.Table, steps []TableChange, tableGone bool) *schema.Table {
	if tableGone {
		steps = d.droppedTableFrees(n, takers, t)
	}
	if len(steps) == 0 {
		return t
	}
	var names []string
	for _, tc := range steps {
		if name, ok := relationName(tc, true); ok {
			names = append(names, name)
		}
	}
	var pre []TableChange
	if tableGone && slices.Contains(names, t.ClusterOn) || t.ReplicaIdentity == "INDEX" && slices.Contains(names, t.ReplicaIdentityIndex) {
		// What names a freed index lets go of it first (for a kept
		// table, its own steps do that).
		mid := *t
		if slices.Contains(names, t.ClusterOn) {
			mid.ClusterOn = ""
		}
		if slices.Contains(names, t.ReplicaIdentityIndex) {
			mid.ReplicaIdentity, mid.ReplicaIdentityIndex = "", ""
		}
		pre = append(pre, &SetTableOptions{From: t, To: &mid})
	}
	if n.pg && slices.ContainsFunc(steps, func(tc TableChange) bool {
		switch tc.(type) {
		case *DropPrimaryKey, *DropUnique:
			return true
		}
		return false
	}) {
		// A foreign key of the table to itself may use the key.
		for _, fk := range t.ForeignKeys {
			if fk.RefTable == t.Name && (fk.RefSchema == t.Schema || fk.RefSchema == "") {
				pre = append(pre, &DropForeignKey{ForeignKey: fk})
			}
		}
	}
	steps = append(pre, steps...)
	to := tableWithout(t, steps)
	d.add(phFreeNames, &ModifyTable{From: t, To: to, Changes: steps})
	return to
}

// droppedTableFrees are the drops of the indexes and keys of a table
// being dropped whose names another step takes.
func (d *differ) droppedTableFrees(n *namer, takers map[string][]*tableDiff, t *schema.Table) []TableChange {
	taken := func(name, parent string) bool {
		return !attached(t, parent) && len(takers[n.relKey(t.Schema, name)]) > 0
	}
	var steps []TableChange
	if n.pg {
		if k := t.PrimaryKey; k != nil && taken(k.Name, k.Parent) {
			steps = append(steps, &DropPrimaryKey{Key: k})
		}
		for _, k := range t.Uniques {
			if taken(k.Name, k.Parent) {
				steps = append(steps, &DropUnique{Key: k})
			}
		}
		for _, x := range t.Exclusions {
			if taken(x.Name, x.Parent) {
				steps = append(steps, &DropExclusion{Exclusion: x})
			}
		}
	}
	for _, i := range t.Indexes {
		if taken(i.Name, i.Parent) {
			steps = append(steps, &DropIndex{Index: i})
		}
	}
	return steps
}

// tableWithout is t after the drops and option changes of steps.
func tableWithout(t *schema.Table, steps []TableChange) *schema.Table {
	c := *t
	for _, tc := range steps {
		switch s := tc.(type) {
		case *SetTableOptions:
			c.ClusterOn, c.ReplicaIdentity, c.ReplicaIdentityIndex = s.To.ClusterOn, s.To.ReplicaIdentity, s.To.ReplicaIdentityIndex
		case *DropPrimaryKey:
			c.PrimaryKey = nil
		case *DropUnique:
			c.Uniques = without(c.Uniques, []*schema.Key{s.Key})
		case *DropExclusion:
			c.Exclusions = without(c.Exclusions, []*schema.Exclusion{s.Exclusion})
		case *DropIndex:
			c.Indexes = without(c.Indexes, []*schema.Index{s.Index})
		case *DropForeignKey:
			c.ForeignKeys = without(c.ForeignKeys, []*schema.ForeignKey{s.ForeignKey})
		}
	}
	return &c
}
