package autogen

import (
	"cmp"
	"slices"
	"strings"

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

// A name can also move between kinds of relation: PostgreSQL's tables,
// sequences, views, materialized views, indexes and composite types share
// one namespace per schema (pg_class, and pg_type for a table's row type,
// enums and domains); SQLite's tables, views, indexes and triggers share
// one for the database. When what holds a name that another object takes
// is a whole table or sequence being dropped, that drop is done in
// phFreeNames too (earlyTableDrops, earlySequenceDrops): views are
// dropped before that phase anyway.

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
	d.otherTakers(n, take)
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
		case *DropCheck:
			c.Checks = without(c.Checks, []*schema.Check{s.Check})
		case *DropIndex:
			c.Indexes = without(c.Indexes, []*schema.Index{s.Index})
		case *DropForeignKey:
			c.ForeignKeys = without(c.ForeignKeys, []*schema.ForeignKey{s.ForeignKey})
		}
	}
	return &c
}

// otherTakers takes the relation names of the objects the target creates
// that are neither tables nor their indexes and keys: sequences, views
// (and a materialized view's indexes), on PostgreSQL enums, domains and
// composite types, on SQLite triggers.
func (d *differ) otherTakers(n *namer, take func(string, *tableDiff)) {
	for _, q := range d.tgt.Sequences {
		if d.cur.Sequence(q.Schema, q.Name) == nil {
			take(n.relKey(q.Schema, q.Name), nil)
		}
	}
	for _, v := range d.tgt.Views {
		if d.cur.View(v.Schema, v.Name) == nil {
			take(n.relKey(v.Schema, v.Name), nil)
		}
		for _, i := range v.Indexes {
			take(n.relKey(v.Schema, i.Name), nil)
		}
	}
	if n.pg {
		for _, e := range d.tgt.Enums {
			if d.cur.Enum(e.Schema, e.Name) == nil {
				take(n.relKey(e.Schema, e.Name), nil)
			}
		}
		for _, x := range d.tgt.Domains {
			if d.cur.Domain(x.Schema, x.Name) == nil {
				take(n.relKey(x.Schema, x.Name), nil)
			}
		}
		for _, x := range d.tgt.Types {
			if !slices.ContainsFunc(d.cur.Types, func(c *schema.Type) bool { return c.Schema == x.Schema && c.Name == x.Name }) {
				take(n.relKey(x.Schema, x.Name), nil)
			}
		}
		return
	}
	for _, tr := range d.tgt.Triggers {
		if !slices.ContainsFunc(d.cur.Triggers, func(c *schema.Trigger) bool { return sqliteSameName(c.Name, tr.Name) }) {
			take(n.relKey("", tr.Name), nil)
		}
	}
}

// earlyTableDrops returns the dropped tables (order: dependents first)
// to drop in phFreeNames: those whose own name another object takes,
// with the partitions and children of such a table, and on SQLite the
// dropped tables whose foreign keys reference it. A table a kept table
// still references on SQLite (where its foreign keys go with a rebuild,
// later) stays where it is.
func (d *differ) earlyTableDrops(order []*schema.Table, gone, rebuilt map[schema.TableRef]bool) map[schema.TableRef]bool {
	early := map[schema.TableRef]bool{}
	for _, t := range order {
		ref := tref(t.Schema, t.Name)
		if !rebuilt[ref] && len(d.takers[d.names.relKey(t.Schema, t.Name)]) > 0 && !d.keptReferrer(ref, gone) {
			early[ref] = true
		}
	}
	// Dependents come first in order: walk it backwards so that a
	// dependent of a dependent follows.
	for i := len(order) - 1; i >= 0; i-- {
		t := order[i]
		ref := tref(t.Schema, t.Name)
		if early[ref] || rebuilt[ref] {
			continue
		}
		for _, dep := range d.tableDeps(t) {
			if early[dep] {
				early[ref] = true
			}
		}
	}
	return early
}

// tableDeps are the tables t needs gone after it: its parents, and on
// SQLite the tables its foreign keys reference.
func (d *differ) tableDeps(t *schema.Table) []schema.TableRef {
	var out []schema.TableRef
	if p := t.PartitionOf; p != nil {
		out = append(out, tref(p.Schema, p.Table))
	}
	for _, p := range t.Inherits {
		out = append(out, tref(p.Schema, p.Name))
	}
	if !d.caps.lateForeignKeys {
		for _, fk := range t.ForeignKeys {
			out = append(out, tref(cmp.Or(fk.RefSchema, t.Schema), fk.RefTable))
		}
	}
	return out
}

// keptReferrer reports whether, on SQLite, a table not dropped has a
// foreign key to ref.
func (d *differ) keptReferrer(ref schema.TableRef, gone map[schema.TableRef]bool) bool {
	if d.caps.lateForeignKeys {
		return false
	}
	for r, t := range d.curTables {
		if gone[r] {
			continue
		}
		for _, fk := range t.ForeignKeys {
			if sqliteSameName(fk.RefTable, ref.Name) {
				return true
			}
		}
	}
	return false
}

// earlySequenceDrops moves to phFreeNames the drops of sequences whose
// name another object takes, unless a column default of the database
// names the sequence (it goes when the column's default changes, later).
func (d *differ) earlySequenceDrops(drops []Change) (late []Change) {
	for _, c := range drops {
		q := c.(*DropObject).Object.(*schema.Sequence)
		if len(d.takers[d.names.relKey(q.Schema, q.Name)]) > 0 && !d.defaultNames(q.Name) {
			d.add(phFreeNames, c)
		} else {
			late = append(late, c)
		}
	}
	return late
}

// defaultNames reports whether a column default of the database has name
// in its text.
func (d *differ) defaultNames(name string) bool {
	for _, t := range d.curTables {
		for _, c := range t.Columns {
			if strings.Contains(c.Default, name) {
				return true
			}
		}
	}
	return false
}

// earlyTypeDrops moves to phFreeNames the drops of enums, domains and
// composite types whose name another object takes (a table's row type is
// a type of the table's name), unless something of the database may
// still use the type then: a column, a domain, a composite type's
// attribute or a function's signature naming it.
func (d *differ) earlyTypeDrops(drops []Change) (late []Change) {
	if d.cur.Dialect != schema.Postgres {
		return drops
	}
	for _, c := range drops {
		nsp, name, ok := typeName(c)
		if ok && len(d.takers[d.names.relKey(nsp, name)]) > 0 && !d.typeUsed(nsp, name) {
			d.add(phFreeNames, c)
		} else {
			late = append(late, c)
		}
	}
	return late
}

// typeName is the name of the enum, domain or composite type a
// DropObject drops.
func typeName(c Change) (nsp, name string, ok bool) {
	drop, isDrop := c.(*DropObject)
	if !isDrop {
		return "", "", false
	}
	switch o := drop.Object.(type) {
	case *schema.Enum:
		return o.Schema, o.Name, true
	case *schema.Domain:
		return o.Schema, o.Name, true
	case *schema.Type:
		return o.Schema, o.Name, true
	}
	return "", "", false
}

// typeUsed reports whether a column, domain, composite type attribute or
// function signature of the database may name type nsp.name.
func (d *differ) typeUsed(nsp, name string) bool {
	q := pgQualify(nsp, name)
	names := func(text string) bool { return strings.Contains(text, q) || strings.Contains(text, name) }
	for _, t := range d.cur.Tables {
		for _, c := range t.Columns {
			if names(c.Type) {
				return true
			}
		}
	}
	for _, x := range d.cur.Domains {
		if names(x.Type) {
			return true
		}
	}
	for _, x := range d.cur.Types {
		for _, a := range x.Attributes {
			if names(a.Type) {
				return true
			}
		}
	}
	for _, f := range d.cur.Functions {
		if names(f.Args) || names(f.Result) {
			return true
		}
	}
	return false
}
