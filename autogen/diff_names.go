package autogen

import (
	"fmt"
	"hash/fnv"
	"slices"
	"unicode/utf8"

	"github.com/migratehq/migrate/schema"
)

// This file orders renames so that no step takes a name another still
// holds, and breaks cycles of renames (a swap) with a temporary name.
//
// A name lives in a namespace ("space"); a rename frees its old name and
// takes its new one in each of its spaces:
//
//   - rel: the relations of a schema. PostgreSQL: tables, views,
//     sequences, indexes and the indexes behind primary keys, unique and
//     exclusion constraints (pg_class), and the types (pg_type, which a
//     table's row type shares). SQLite: tables, views and indexes of the
//     whole database, by case-folded name.
//   - con: the constraints of one table.
//   - col: the columns of one table.
//
// The rule: a rename that takes a name comes after the rename that frees
// it. When every remaining rename waits for another (a cycle), the first
// one goes to a temporary name first and from there to its new name
// once that is free. The temporary name is "_migrate_tmp_" and the old
// name (shortened, with a hash, past PostgreSQL's 63 bytes), numbered
// when it is taken by anything in either schema.

// moveKind is what a nameMove renames.
type moveKind int

const (
	moveTable moveKind = iota
	moveSequence
	moveIndex
	moveConstraint
	moveColumn
)

// nameMove is one rename to order.
type nameMove struct {
	kind moveKind
	// td is the table the rename is on (moveIndex, moveConstraint,
	// moveColumn), or the table renamed (moveTable; nil when the table
	// has no tableDiff, being rebuilt).
	td *tableDiff
	// fromRef and toRef are a table's names (moveTable).
	fromRef, toRef schema.TableRef
	// nsp is the schema of a sequence's or an index's name.
	nsp      string
	from, to string
	// indexed: a constraint backed by an index of the same name
	// (PostgreSQL primary key, unique, exclusion).
	indexed bool
}

// tempPrefix starts a temporary name that breaks a cycle of renames.
const tempPrefix = "_migrate_tmp_"

// pgMaxIdent is PostgreSQL's longest identifier, in bytes.
const pgMaxIdent = 63

// namer knows the names of both schemas, for the keys of the spaces and
// for temporary names that collide with nothing.
type namer struct {
	pg    bool
	taken map[string]bool // keys of every name of both schemas, and temporaries used
}

func (n *namer) fold(name string) string {
	if n.pg {
		return name
	}
	return foldName(name)
}

func (n *namer) relKey(nsp, name string) string {
	if !n.pg {
		nsp = ""
	}
	return "rel\x00" + nsp + "\x00" + n.fold(name)
}

func (n *namer) tableKey(space string, t schema.TableRef, name string) string {
	return space + "\x00" + t.Schema + "\x00" + n.fold(t.Name) + "\x00" + n.fold(name)
}

// frees and takes are the keys of the names a move gives up and takes.
func (n *namer) frees(m *nameMove) []string { return n.keys(m, m.from, m.fromRef) }
func (n *namer) takes(m *nameMove) []string { return n.keys(m, m.to, m.toRef) }

func (n *namer) keys(m *nameMove, name string, ref schema.TableRef) []string {
	switch m.kind {
	case moveTable:
		return []string{n.relKey(ref.Schema, ref.Name)}
	case moveSequence, moveIndex:
		return []string{n.relKey(m.nsp, name)}
	case moveConstraint:
		keys := []string{n.tableKey("con", m.td.newRef, name)}
		if m.indexed && n.pg {
			keys = append(keys, n.relKey(m.nsp, name))
		}
		return keys
	case moveColumn:
		return []string{n.tableKey("col", m.td.newRef, name)}
	}
	return nil
}

// orderMoves returns moves in an order where none takes a name that a
// later one frees, splitting the first move of a cycle in two through a
// temporary name. Moves are otherwise kept in their order.
//
// Each split frees a name of a cycle, so there are at most as many as
// moves; should more be needed (a table moved to another schema whose
// new name is one of its own indexes' names, which waits for the table
// too), the rest keep their order.
func (n *namer) orderMoves(moves []*nameMove) []*nameMove {
	rest := slices.Clone(moves)
	var out []*nameMove
	splits := 0
	for len(rest) > 0 {
		i := slices.IndexFunc(rest, func(m *nameMove) bool { return !n.waits(m, rest) })
		if i < 0 && splits >= len(moves) {
			return append(out, rest...)
		}
		if i < 0 {
			splits++
			first, second := n.viaTemp(rest[0])
			out = append(out, first)
			rest[0] = second
			continue
		}
		out = append(out, rest[i])
		rest = slices.Delete(rest, i, i+1)
	}
	return out
}

// waits reports whether m must wait for another of rest: one that frees
// a name m takes, or (for a step on a table moved to another schema) the
// table's own move.
func (n *namer) waits(m *nameMove, rest []*nameMove) bool {
	takes := n.takes(m)
	for _, r := range rest {
		if r == m {
			continue
		}
		if r.kind == moveTable && m.kind != moveTable && r.td != nil && r.td == m.td && r.fromRef.Schema != r.toRef.Schema {
			return true
		}
		for _, k := range n.frees(r) {
			if slices.Contains(takes, k) {
				return true
			}
		}
	}
	return false
}

// viaTemp splits m into a move to a temporary name and one from it.
func (n *namer) viaTemp(m *nameMove) (first, second *nameMove) {
	f, s := *m, *m
	switch m.kind {
	case moveTable:
		tmp := n.temp(m.fromRef.Name, func(name string) []string { return []string{n.relKey(m.fromRef.Schema, name)} })
		f.toRef = schema.TableRef{Schema: m.fromRef.Schema, Name: tmp}
		s.fromRef = f.toRef
	default:
		tmp := n.temp(m.from, func(name string) []string {
			x := *m
			x.from = name
			return n.frees(&x)
		})
		f.to, s.from = tmp, tmp
	}
	return &f, &s
}

// temp returns a temporary name for old that none of its keys (as
// keysOf gives them) holds in either schema, and records it as taken.
func (n *namer) temp(old string, keysOf func(string) []string) string {
	base := tempPrefix + old
	if len(base) > pgMaxIdent-4 {
		h := fnv.New32a()
		h.Write([]byte(old))
		cut := pgMaxIdent - 4 - 9
		for cut > 0 && !utf8.RuneStart(base[cut]) {
			cut--
		}
		base = fmt.Sprintf("%s_%08x", base[:cut], h.Sum32())
	}
	name := uniqueName(base, func(s string) bool {
		return slices.ContainsFunc(keysOf(s), func(k string) bool { return n.taken[k] })
	})
	for _, k := range keysOf(name) {
		n.taken[k] = true
	}
	return name
}

// newNamer collects the names of both schemas, as keys.
func (d *differ) newNamer() *namer {
	n := &namer{pg: d.cur.Dialect == schema.Postgres, taken: map[string]bool{}}
	for _, s := range []*schema.Schema{d.cur, d.tgt} {
		n.collect(s, func(t *schema.Table) schema.TableRef {
			if s == d.cur {
				return d.newRef(tref(t.Schema, t.Name))
			}
			return tref(t.Schema, t.Name)
		})
	}
	return n
}

// collect records the names of s; target names a table as in the target.
func (n *namer) collect(s *schema.Schema, target func(*schema.Table) schema.TableRef) {
	rel := func(nsp, name string) { n.taken[n.relKey(nsp, name)] = true }
	for _, t := range s.Tables {
		rel(t.Schema, t.Name)
		ref := target(t)
		for _, c := range t.Columns {
			n.taken[n.tableKey("col", ref, c.Name)] = true
		}
		for _, name := range constraintNames(t) {
			n.taken[n.tableKey("con", ref, name)] = true
			rel(t.Schema, name)
		}
		for _, i := range t.Indexes {
			rel(t.Schema, i.Name)
		}
	}
	for _, v := range s.Views {
		rel(v.Schema, v.Name)
		for _, i := range v.Indexes {
			rel(v.Schema, i.Name)
		}
	}
	for _, q := range s.Sequences {
		rel(q.Schema, q.Name)
	}
	for _, e := range s.Enums {
		rel(e.Schema, e.Name)
	}
	for _, x := range s.Domains {
		rel(x.Schema, x.Name)
	}
	for _, x := range s.Types {
		rel(x.Schema, x.Name)
	}
	for _, tr := range s.Triggers {
		if !n.pg {
			rel("", tr.Name)
		}
	}
}

// constraintNames are the names of a table's constraints.
func constraintNames(t *schema.Table) []string {
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
	for _, c := range t.Checks {
		out = append(out, c.Name)
	}
	for _, f := range t.ForeignKeys {
		out = append(out, f.Name)
	}
	return slices.DeleteFunc(out, func(s string) bool { return s == "" })
}

// renameIn returns a copy of t with its index or constraint from named
// to (the other items shared).
func renameIn(t *schema.Table, from, to string) *schema.Table {
	c := *t
	if k := t.PrimaryKey; k != nil && k.Name == from {
		x := *k
		x.Name = to
		c.PrimaryKey = &x
	}
	c.Uniques = renameItems(t.Uniques, from, to, func(k *schema.Key) *string { return &k.Name })
	c.Exclusions = renameItems(t.Exclusions, from, to, func(x *schema.Exclusion) *string { return &x.Name })
	c.Checks = renameItems(t.Checks, from, to, func(x *schema.Check) *string { return &x.Name })
	c.ForeignKeys = renameItems(t.ForeignKeys, from, to, func(x *schema.ForeignKey) *string { return &x.Name })
	c.Indexes = renameItems(t.Indexes, from, to, func(x *schema.Index) *string { return &x.Name })
	if c.ClusterOn == from {
		c.ClusterOn = to
	}
	if c.ReplicaIdentityIndex == from {
		c.ReplicaIdentityIndex = to
	}
	return &c
}

// renameItems returns items with the one named from copied and named to.
func renameItems[T any](items []*T, from, to string, name func(*T) *string) []*T {
	i := slices.IndexFunc(items, func(x *T) bool { return *name(x) == from })
	if i < 0 {
		return items
	}
	out := slices.Clone(items)
	x := *items[i]
	*name(&x) = to
	out[i] = &x
	return out
}

// orderTableRenames orders the column renames of a table and the
// constraint renames that stay inside its ModifyTable (SQLite's, which
// rebuild the table), through temporary names where they cycle.
func (d *differ) orderTableRenames(n *namer, td *tableDiff) {
	var cols []*nameMove
	for _, tc := range td.renameCols {
		rc := tc.(*RenameColumn)
		cols = append(cols, &nameMove{kind: moveColumn, td: td, from: rc.From, to: rc.To})
	}
	td.renameCols = nil
	for _, m := range n.orderMoves(cols) {
		td.renameCols = append(td.renameCols, &RenameColumn{From: m.from, To: m.to})
	}
	var cons []*nameMove
	for _, tc := range td.renames {
		rc := tc.(*RenameConstraint)
		cons = append(cons, &nameMove{kind: moveConstraint, td: td, from: rc.From, to: rc.To})
	}
	td.renames = nil
	for _, m := range n.orderMoves(cons) {
		td.renames = append(td.renames, &RenameConstraint{From: m.from, To: m.to})
	}
}

// orderRenamePhase orders the renames of relation names: tables and
// sequences (in the phase already) and the index and constraint renames
// the tables set aside (relMoves), as one list, and writes each index or
// constraint rename as a ModifyTable on the table as named at that point.
func (d *differ) orderRenamePhase(n *namer) {
	var moves []*nameMove
	byOld := map[schema.TableRef]*tableDiff{}
	for _, td := range d.tables {
		byOld[td.oldRef] = td
	}
	for _, c := range d.phase[phRename] {
		switch c := c.(type) {
		case *RenameTable:
			moves = append(moves, &nameMove{kind: moveTable, td: byOld[c.From], fromRef: c.From, toRef: c.To})
		case *RenameSequence:
			moves = append(moves, &nameMove{kind: moveSequence, nsp: c.Schema, from: c.From, to: c.To})
		}
	}
	moves = append(moves, d.relMoves...)
	state := map[*tableDiff]*schema.Table{}
	var out []Change
	for _, m := range n.orderMoves(moves) {
		switch m.kind {
		case moveTable:
			out = append(out, &RenameTable{From: m.fromRef, To: m.toRef})
			if t := state[m.td]; t != nil {
				c := *t
				c.Schema, c.Name = m.toRef.Schema, m.toRef.Name
				state[m.td] = &c
			} else if m.td != nil {
				c := *m.td.renameBase
				c.Schema, c.Name = m.toRef.Schema, m.toRef.Name
				state[m.td] = &c
			}
		case moveSequence:
			out = append(out, &RenameSequence{Schema: m.nsp, From: m.from, To: m.to})
		default:
			from := state[m.td]
			if from == nil {
				from = m.td.renameBase
			}
			to := renameIn(from, m.from, m.to)
			var step TableChange = &RenameConstraint{From: m.from, To: m.to}
			if m.kind == moveIndex {
				step = &RenameIndex{From: m.from, To: m.to}
			}
			out = append(out, &ModifyTable{From: from, To: to, Changes: []TableChange{step}})
			state[m.td] = to
		}
	}
	d.phase[phRename] = out
}

// relationRename reports whether a rename of a table's index or
// constraint is ordered with the relation names (moved out of the
// table's ModifyTable into the rename phase): every index rename, and on
// PostgreSQL every constraint rename (a key's name is its index's).
func (d *differ) relationRename(tc TableChange) bool {
	switch tc.(type) {
	case *RenameIndex:
		return true
	case *RenameConstraint:
		return d.cur.Dialect == schema.Postgres
	}
	return false
}

// indexedConstraint reports whether t has a primary key, unique or
// exclusion constraint named name (one with an index of that name).
func indexedConstraint(t *schema.Table, name string) bool {
	if t.PrimaryKey != nil && t.PrimaryKey.Name == name {
		return true
	}
	return slices.ContainsFunc(t.Uniques, func(k *schema.Key) bool { return k.Name == name }) ||
		slices.ContainsFunc(t.Exclusions, func(x *schema.Exclusion) bool { return x.Name == name })
}
