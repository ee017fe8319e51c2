package autogen

import (
	"slices"
	"strings"

	"github.com/migratehq/migrate/schema"
)

// This file compares the objects that are not tables: schemas,
// extensions, collations, text search configurations, enums, domains,
// composite and range types, sequences, functions, views and triggers.

// seqPair is a sequence on both sides.
type seqPair struct{ cur, tgt *schema.Sequence }

// matchSequences pairs the implicit sequences of serial columns by their
// owner (through the renames), then the other sequences by name: a
// serial column of a renamed table keeps its sequence, which is renamed
// to the name the model gives it, even when that name is another's now
// (two tables swapped).
func (d *differ) matchSequences() (pairs []seqPair, created, dropped []*schema.Sequence) {
	used := map[*schema.Sequence]bool{}
	var rest []*schema.Sequence
	for _, q := range d.cur.Sequences {
		if q.FromExtension != "" {
			continue
		}
		if t := d.ownedMatch(q, used); t != nil {
			used[t] = true
			pairs = append(pairs, seqPair{q, t})
			if t.Name != q.Name {
				d.seqRenames[tref(q.Schema, q.Name)] = t.Name
			}
			continue
		}
		rest = append(rest, q)
	}
	tgtBy := map[schema.TableRef]*schema.Sequence{}
	for _, q := range d.tgt.Sequences {
		if q.FromExtension == "" && !used[q] {
			tgtBy[tref(q.Schema, q.Name)] = q
		}
	}
	for _, q := range rest {
		if t := tgtBy[tref(q.Schema, q.Name)]; t != nil {
			pairs = append(pairs, seqPair{q, t})
			used[t] = true
		} else {
			dropped = append(dropped, q)
		}
	}
	for _, t := range d.tgt.Sequences {
		if t.FromExtension == "" && !used[t] {
			created = append(created, t)
		}
	}
	return pairs, created, dropped
}

// ownedMatch is the target sequence in q's schema owned by q's owner
// (named as in the target), if any and not used.
func (d *differ) ownedMatch(q *schema.Sequence, used map[*schema.Sequence]bool) *schema.Sequence {
	owner := d.mapOwner(q.OwnedBy)
	if owner == nil {
		return nil
	}
	for _, t := range d.tgt.Sequences {
		if !used[t] && t.FromExtension == "" && t.Schema == q.Schema && t.OwnedBy != nil && *t.OwnedBy == *owner {
			return t
		}
	}
	return nil
}

// mapOwner is a sequence owner's column named as in the target.
func (d *differ) mapOwner(o *schema.ColumnRef) *schema.ColumnRef {
	if o == nil {
		return nil
	}
	r := d.newRef(tref(o.Schema, o.Table))
	return &schema.ColumnRef{Schema: r.Schema, Table: r.Name, Column: mapName(o.Column, d.colRenames[r])}
}

func sameOwner(a, b *schema.ColumnRef) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// emitSequences: renames with the tables; an owner released before the
// tables change and set after; options altered with the types;
// sequences created with the types and dropped last.
func (d *differ) emitSequences(pairs []seqPair, created, dropped []*schema.Sequence) (creates, drops []Change) {
	withOwner := func(q *schema.Sequence, name string, o *schema.ColumnRef) *schema.Sequence {
		c := *q
		c.Name = name
		c.OwnedBy = o
		return &c
	}
	for _, p := range pairs {
		c, t := p.cur, p.tgt
		if c.Name != t.Name {
			d.add(phRename, &RenameSequence{Schema: c.Schema, From: c.Name, To: t.Name})
		}
		owner := d.mapOwner(c.OwnedBy)
		ownerChanges := !sameOwner(owner, t.OwnedBy)
		if ownerChanges && c.OwnedBy != nil {
			d.add(phDropForeignKeys, &AlterSequence{From: c, To: withOwner(c, c.Name, nil)})
			owner = nil
		}
		if c.SequenceOptions != t.SequenceOptions {
			creates = append(creates, &AlterSequence{From: withOwner(c, t.Name, owner), To: withOwner(t, t.Name, owner)})
		}
		if c.Comment != t.Comment {
			creates = append(creates, &SetComment{Object: t, From: c.Comment, To: t.Comment})
		}
		if ownerChanges && t.OwnedBy != nil {
			d.add(phAddForeignKeys, &AlterSequence{From: withOwner(t, t.Name, nil), To: t})
		}
	}
	for _, t := range created {
		if t.OwnedBy == nil {
			creates = append(creates, &CreateObject{Object: t})
			continue
		}
		bare := withOwner(t, t.Name, nil)
		creates = append(creates, &CreateObject{Object: bare})
		d.add(phAddForeignKeys, &AlterSequence{From: bare, To: t})
	}
	for _, c := range dropped {
		if c.OwnedBy == nil {
			drops = append(drops, &DropObject{Object: c})
			continue
		}
		bare := withOwner(c, c.Name, nil)
		d.add(phDropForeignKeys, &AlterSequence{From: c, To: bare})
		drops = append(drops, &DropObject{Object: bare})
	}
	return creates, drops
}

// diffEnums adds the enum value additions (first of all) and returns the
// rebuilds; new and dropped enums are ordered with the other types.
func (d *differ) diffEnums() (rebuilds []Change) {
	for _, t := range d.tgt.Enums {
		if t.FromExtension != "" {
			continue
		}
		c := d.cur.Enum(t.Schema, t.Name)
		if c == nil || c.FromExtension != "" {
			continue
		}
		switch {
		case slices.Equal(c.Values, t.Values):
		case isSubsequence(c.Values, t.Values):
			d.add(phAddEnumValues, enumAdditions(c, t)...)
		default:
			rb := &RebuildEnum{From: c, To: t}
			d.enumRebuilds[pgQualify(c.Schema, c.Name)] = rb
			rebuilds = append(rebuilds, rb)
			d.blockEnumUsers(c)
		}
	}
	return rebuilds
}

// isSubsequence reports whether every value of a is in b, in the same
// order, and b has no value twice.
func isSubsequence(a, b []string) bool {
	seen := map[string]bool{}
	for _, v := range b {
		if seen[v] {
			return false
		}
		seen[v] = true
	}
	i := 0
	for _, v := range b {
		if i < len(a) && a[i] == v {
			i++
		}
	}
	return i == len(a)
}

// enumAdditions returns one AddEnumValue per value of t not in c, in
// t's order, each placed after its predecessor (or before the first
// existing value, or at the end when it is last); each carries the enum
// as it is once the value is added.
func enumAdditions(c, t *schema.Enum) []Change {
	have := map[string]bool{}
	for _, v := range c.Values {
		have[v] = true
	}
	cur := slices.Clone(c.Values)
	var out []Change
	for i, v := range t.Values {
		if have[v] {
			continue
		}
		a := &AddEnumValue{Value: v}
		switch {
		case i == len(t.Values)-1:
			cur = append(cur, v)
		case i > 0:
			a.After = t.Values[i-1]
			at := slices.Index(cur, a.After)
			cur = slices.Insert(cur, at+1, v)
		default:
			a.Before = cur[0]
			cur = slices.Insert(cur, 0, v)
		}
		have[v] = true
		e := *t
		e.Values = slices.Clone(cur)
		a.Enum = &e
		out = append(out, a)
	}
	return out
}

// blockEnumUsers marks the tables with a column of the enum (or an array
// of it): their views are dropped and created around the rebuild.
func (d *differ) blockEnumUsers(e *schema.Enum) {
	name := pgQualify(e.Schema, e.Name)
	for ref, t := range d.curTables {
		for _, c := range t.Columns {
			if strings.TrimSuffix(c.Type, "[]") == name {
				d.blocking[ref] = true
			}
		}
	}
}

// typeNode is a type or a function in the dependency order.
type typeNode struct {
	obj     any
	changed bool
}

// diffTypes compares enums, domains, composite and range types and
// functions: creates and replaces (types, then functions that need no
// table) go with the types, those of functions that need a table or
// view with the views, drops in reverse order at the end.
func (d *differ) diffTypes(viewCreates *[]node) (creates, drops []Change) {
	// Target side, in dependency order.
	relations := map[string]bool{}
	for _, t := range d.tgt.Tables {
		relations[key(t.Schema, t.Name)] = true
	}
	for _, v := range d.tgt.Views {
		relations[key(v.Schema, v.Name)] = true
	}
	late := lateFunctions(d.tgt, relations)
	var nodes []node
	for _, e := range d.tgt.Enums {
		if e.FromExtension == "" {
			nodes = append(nodes, node{kind: schema.ObjectType, schema: e.Schema, name: e.Name, obj: e})
		}
	}
	for _, x := range d.tgt.Domains {
		if x.FromExtension == "" {
			nodes = append(nodes, node{kind: schema.ObjectType, schema: x.Schema, name: x.Name, obj: x, deps: x.DependsOn})
		}
	}
	for _, x := range d.tgt.Types {
		if x.FromExtension == "" {
			nodes = append(nodes, node{kind: schema.ObjectType, schema: x.Schema, name: x.Name, obj: x, deps: x.DependsOn})
		}
	}
	for _, f := range d.tgt.Functions {
		if f.FromExtension != "" {
			continue
		}
		n := node{kind: schema.ObjectFunction, schema: f.Schema, name: f.Name, obj: f, deps: f.DependsOn}
		if late[f] {
			*viewCreates = append(*viewCreates, n)
		} else {
			nodes = append(nodes, n)
		}
	}
	for _, n := range topoSort(nodes) {
		creates = append(creates, d.typeChanges(n.obj)...)
	}

	// Current side: what is gone, in reverse dependency order.
	var curNodes []node
	for _, e := range d.cur.Enums {
		if e.FromExtension == "" && d.tgt.Enum(e.Schema, e.Name) == nil {
			curNodes = append(curNodes, node{kind: schema.ObjectType, schema: e.Schema, name: e.Name, obj: e})
		}
	}
	for _, x := range d.cur.Domains {
		if x.FromExtension == "" {
			curNodes = append(curNodes, node{kind: schema.ObjectType, schema: x.Schema, name: x.Name, obj: x, deps: x.DependsOn})
		}
	}
	for _, x := range d.cur.Types {
		if x.FromExtension == "" {
			curNodes = append(curNodes, node{kind: schema.ObjectType, schema: x.Schema, name: x.Name, obj: x, deps: x.DependsOn})
		}
	}
	for _, f := range d.cur.Functions {
		if f.FromExtension == "" {
			curNodes = append(curNodes, node{kind: schema.ObjectFunction, schema: f.Schema, name: f.Name, obj: f, deps: f.DependsOn})
		}
	}
	sorted := topoSort(curNodes)
	slices.Reverse(sorted)
	for _, n := range sorted {
		if !d.inTarget(n.obj) {
			drops = append(drops, &DropObject{Object: n.obj})
		}
	}
	return creates, drops
}

// inTarget reports whether a current enum, domain, type or function
// exists in the target (same kind, schema, name; functions also args).
func (d *differ) inTarget(o any) bool {
	switch o := o.(type) {
	case *schema.Enum:
		t := d.tgt.Enum(o.Schema, o.Name)
		return t != nil && t.FromExtension == ""
	case *schema.Domain:
		t := d.tgt.Domain(o.Schema, o.Name)
		return t != nil && t.FromExtension == ""
	case *schema.Type:
		t := findType(d.tgt, o.Schema, o.Name)
		return t != nil && t.FromExtension == "" && t.Kind == o.Kind
	case *schema.Function:
		t := findFunction(d.tgt, o)
		return t != nil && t.FromExtension == ""
	}
	return false
}

func findType(s *schema.Schema, nsp, name string) *schema.Type {
	for _, t := range s.Types {
		if t.Schema == nsp && t.Name == name {
			return t
		}
	}
	return nil
}

func findFunction(s *schema.Schema, f *schema.Function) *schema.Function {
	for _, g := range s.FunctionsNamed(f.Schema, f.Name) {
		if g.Args == f.Args {
			return g
		}
	}
	return nil
}

// typeChanges compares one target enum, domain, type or function with
// the current side: created, replaced, or its comment set.
func (d *differ) typeChanges(o any) []Change {
	switch t := o.(type) {
	case *schema.Enum:
		c := d.cur.Enum(t.Schema, t.Name)
		if c == nil || c.FromExtension != "" {
			return []Change{&CreateObject{Object: t}}
		}
		return commentChange(t, c.Comment, t.Comment)
	case *schema.Domain:
		c := d.cur.Domain(t.Schema, t.Name)
		if c == nil || c.FromExtension != "" {
			return []Change{&CreateObject{Object: t}}
		}
		if !sameDomain(c, t) {
			return []Change{&ReplaceObject{From: c, To: t}}
		}
		return commentChange(t, c.Comment, t.Comment)
	case *schema.Type:
		c := findType(d.cur, t.Schema, t.Name)
		if c == nil || c.FromExtension != "" {
			return []Change{&CreateObject{Object: t}}
		}
		if c.Kind != t.Kind {
			// Drop (with the other drops, last) cannot come after a
			// create of the same name: replace.
			return []Change{&ReplaceObject{From: c, To: t}}
		}
		if !sameType(c, t) {
			return []Change{&ReplaceObject{From: c, To: t}}
		}
		return commentChange(t, c.Comment, t.Comment)
	case *schema.Function:
		c := findFunction(d.cur, t)
		if c == nil || c.FromExtension != "" {
			return []Change{&CreateObject{Object: t}}
		}
		if c.Kind != t.Kind || !sameText(c.Definition, t.Definition) {
			return []Change{&ReplaceObject{From: c, To: t}}
		}
		return commentChange(t, c.Comment, t.Comment)
	}
	return nil
}

func commentChange(o any, from, to string) []Change {
	if from == to {
		return nil
	}
	return []Change{&SetComment{Object: o, From: from, To: to}}
}

func sameDomain(c, t *schema.Domain) bool {
	return c.Type == t.Type && c.NotNull == t.NotNull && sameText(c.Default, t.Default) && c.Collation == t.Collation &&
		slices.EqualFunc(c.Checks, t.Checks, func(a, b *schema.Check) bool {
			return a.Name == b.Name && sameText(a.Expr, b.Expr) && a.NotValid == b.NotValid && a.Comment == b.Comment
		})
}

func sameType(c, t *schema.Type) bool {
	return c.Kind == t.Kind && sameText(c.Definition, t.Definition) &&
		slices.EqualFunc(c.Attributes, t.Attributes, func(a, b *schema.Column) bool {
			return a.Name == b.Name && a.Type == b.Type && a.Collation == b.Collation && a.Comment == b.Comment
		})
}

// diffEarly compares schemas, extensions, collations and text search
// configurations: creates first, drops last.
func (d *differ) diffEarly() (creates, drops []Change) {
	// Schemas.
	for _, t := range d.tgt.Schemas {
		if t.FromExtension != "" {
			continue
		}
		c := d.cur.Namespace(t.Name)
		switch {
		case c == nil:
			creates = append(creates, &CreateObject{Object: t})
		case c.FromExtension == "":
			creates = append(creates, commentChange(t, c.Comment, t.Comment)...)
		}
	}
	var nsDrops []Change
	for _, c := range d.cur.Schemas {
		if c.FromExtension == "" && d.tgt.Namespace(c.Name) == nil {
			nsDrops = append(nsDrops, &DropObject{Object: c})
		}
	}

	// Extensions, required ones first.
	var exts []node
	for _, e := range d.tgt.Extensions {
		n := node{name: e.Name, obj: e}
		for _, r := range e.Requires {
			n.deps = append(n.deps, &schema.ObjectRef{Name: r})
		}
		exts = append(exts, n)
	}
	for _, n := range topoSort(exts) {
		t := n.obj.(*schema.Extension)
		c := d.cur.Extension(t.Name)
		switch {
		case c == nil:
			creates = append(creates, &CreateObject{Object: t})
		case c.Schema != t.Schema:
			creates = append(creates, &ReplaceObject{From: c, To: t})
			creates = append(creates, commentChange(t, c.Comment, t.Comment)...)
		default:
			creates = append(creates, commentChange(t, c.Comment, t.Comment)...)
		}
	}
	var curExts []node
	for _, e := range d.cur.Extensions {
		n := node{name: e.Name, obj: e}
		for _, r := range e.Requires {
			n.deps = append(n.deps, &schema.ObjectRef{Name: r})
		}
		curExts = append(curExts, n)
	}
	sorted := topoSort(curExts)
	slices.Reverse(sorted)
	var extDrops []Change
	for _, n := range sorted {
		if e := n.obj.(*schema.Extension); d.tgt.Extension(e.Name) == nil {
			extDrops = append(extDrops, &DropObject{Object: e})
		}
	}

	// Collations and text search configurations.
	var objDrops []Change
	for _, t := range d.tgt.Collations {
		if t.FromExtension != "" {
			continue
		}
		c := findCollation(d.cur, t.Schema, t.Name)
		switch {
		case c == nil:
			creates = append(creates, &CreateObject{Object: t})
		case c.Provider != t.Provider || c.Locale != t.Locale || c.LcCollate != t.LcCollate || c.LcCtype != t.LcCtype ||
			c.Deterministic != t.Deterministic:
			creates = append(creates, &ReplaceObject{From: c, To: t})
		default:
			creates = append(creates, commentChange(t, c.Comment, t.Comment)...)
		}
	}
	for _, c := range d.cur.Collations {
		if c.FromExtension == "" && findCollation(d.tgt, c.Schema, c.Name) == nil {
			objDrops = append(objDrops, &DropObject{Object: c})
		}
	}
	for _, t := range d.tgt.TextSearchConfigs {
		if t.FromExtension != "" {
			continue
		}
		c := findTSConfig(d.cur, t.Schema, t.Name)
		switch {
		case c == nil:
			creates = append(creates, &CreateObject{Object: t})
		case c.Parser != t.Parser || !slices.EqualFunc(c.Mappings, t.Mappings, func(a, b *schema.TextSearchMapping) bool {
			return a.TokenType == b.TokenType && slices.Equal(a.Dictionaries, b.Dictionaries)
		}):
			creates = append(creates, &ReplaceObject{From: c, To: t})
		default:
			creates = append(creates, commentChange(t, c.Comment, t.Comment)...)
		}
	}
	for _, c := range d.cur.TextSearchConfigs {
		if c.FromExtension == "" && findTSConfig(d.tgt, c.Schema, c.Name) == nil {
			objDrops = append(objDrops, &DropObject{Object: c})
		}
	}
	return creates, slices.Concat(objDrops, extDrops, nsDrops)
}

func findCollation(s *schema.Schema, nsp, name string) *schema.Collation {
	for _, c := range s.Collations {
		if c.Schema == nsp && c.Name == name {
			return c
		}
	}
	return nil
}

func findTSConfig(s *schema.Schema, nsp, name string) *schema.TextSearchConfig {
	for _, c := range s.TextSearchConfigs {
		if c.Schema == nsp && c.Name == name {
			return c
		}
	}
	return nil
}
