package autogen

import (
	"slices"

	"github.com/migratehq/migrate/schema"
)

// viewStatus says what becomes of a view.
type viewStatus int

const (
	viewSame     viewStatus = iota
	viewComment             // only its comment changed
	viewReplace             // replaced in place (CREATE OR REPLACE, or index and column comment changes)
	viewRecreate            // dropped and created again
	viewGone                // dropped
	viewNew                 // created
)

// diffViews compares views and materialized views. Drops (dependents
// first) go before the tables change, creates and replaces (with the
// functions that need a relation, in dependency order) after; it
// returns the views dropped and created again (their triggers must be
// too).
func (d *differ) diffViews(lateFuncs []node) (recreated map[schema.TableRef]bool, creates []Change) {
	status := map[schema.TableRef]viewStatus{}
	curBy := map[schema.TableRef]*schema.View{}
	for _, v := range d.cur.Views {
		if v.FromExtension == "" {
			curBy[tref(v.Schema, v.Name)] = v
		}
	}
	for _, t := range d.tgt.Views {
		if t.FromExtension != "" {
			continue
		}
		ref := tref(t.Schema, t.Name)
		c := curBy[ref]
		if c == nil {
			status[ref] = viewNew
			continue
		}
		status[ref] = d.compareView(c, t)
		if status[ref] != viewRecreate && d.rowidRewritten(c.Definition) {
			status[ref] = viewRecreate
		}
	}
	for ref := range curBy {
		if _, ok := status[ref]; !ok {
			status[ref] = viewGone
		}
	}

	// A view on a view that is dropped, or on a table whose change it
	// would not survive, is dropped and created again.
	for changed := true; changed; {
		changed = false
		for ref, c := range curBy {
			st := status[ref]
			if st == viewGone || st == viewRecreate {
				continue
			}
			for _, dep := range c.DependsOn {
				r := tref(dep.Schema, dep.Name)
				ds, isView := status[r]
				blocked := isView && (ds == viewGone || ds == viewRecreate) ||
					d.caps.viewsAroundTables && (d.blocking[r] || d.rebuilt[d.newRef(r)])
				if blocked {
					status[ref] = viewRecreate
					changed = true
					break
				}
			}
		}
	}

	// Drops, dependents first.
	var curNodes []node
	for _, v := range d.cur.Views {
		if v.FromExtension == "" {
			curNodes = append(curNodes, node{kind: schema.ObjectView, schema: v.Schema, name: v.Name, obj: v, deps: v.DependsOn})
		}
	}
	sorted := topoSort(curNodes)
	slices.Reverse(sorted)
	recreated = map[schema.TableRef]bool{}
	for _, n := range sorted {
		ref := tref(n.schema, n.name)
		switch status[ref] {
		case viewGone:
			d.add(phDropViews, &DropObject{Object: n.obj})
		case viewRecreate:
			d.add(phDropViews, &DropObject{Object: n.obj})
			recreated[ref] = true
		}
	}

	// Creates and replaces, with the functions that need a relation.
	nodes := slices.Clone(lateFuncs)
	for _, v := range d.tgt.Views {
		if v.FromExtension == "" {
			nodes = append(nodes, node{kind: schema.ObjectView, schema: v.Schema, name: v.Name, obj: v, deps: v.DependsOn})
		}
	}
	for _, n := range topoSort(nodes) {
		switch o := n.obj.(type) {
		case *schema.View:
			ref := tref(o.Schema, o.Name)
			c := curBy[ref]
			switch status[ref] {
			case viewNew, viewRecreate:
				creates = append(creates, &CreateObject{Object: o})
			case viewReplace:
				creates = append(creates, &ReplaceObject{From: c, To: o})
			case viewComment:
				creates = append(creates, &SetComment{Object: o, From: c.Comment, To: o.Comment})
			}
		default:
			creates = append(creates, d.typeChanges(o)...)
		}
	}
	return recreated, creates
}

// compareView says what a view present on both sides needs.
func (d *differ) compareView(c, t *schema.View) viewStatus {
	def := d.renameTablesIn(c.Definition)
	sameDef := c.Materialized == t.Materialized && d.sameDefinition(def, t.Definition) && c.CheckOption == t.CheckOption &&
		sameSet(c.Options, t.Options) && sameViewColumns(c.Columns, t.Columns, len(t.Columns))
	commentsSame := slices.EqualFunc(c.Columns, t.Columns, func(a, b *schema.Column) bool { return a.Comment == b.Comment })
	indexesSame := true
	if c.Materialized || t.Materialized {
		m := matchItems(c.Indexes, t.Indexes, func(i *schema.Index) string { return i.Name },
			func(a, b *schema.Index) bool { return sameIndex(a, b, nil) })
		indexesSame = len(m.changed)+len(m.dropped)+len(m.added) == 0
		for _, p := range m.same {
			indexesSame = indexesSame && p[0].Name == p[1].Name && p[0].Comment == p[1].Comment
		}
	}
	switch {
	case sameDef && commentsSame && indexesSame:
		if c.Comment != t.Comment {
			return viewComment
		}
		return viewSame
	case sameDef:
		return viewReplace
	case d.caps.replaceViews && !c.Materialized && !t.Materialized && len(c.Columns) <= len(t.Columns) &&
		sameViewColumns(c.Columns, t.Columns, len(c.Columns)) &&
		(len(c.Columns) == len(t.Columns) || !d.viewHasDependents(c)):
		// CREATE OR REPLACE VIEW keeps the columns it has and may only
		// append new ones. The reverse removes them, which only a drop
		// and a create can do: with nothing that depends on the view.
		return viewReplace
	}
	return viewRecreate
}

// viewHasDependents reports whether a view (on either side) or a
// trigger depends on view v.
func (d *differ) viewHasDependents(v *schema.View) bool {
	for _, s := range []*schema.Schema{d.cur, d.tgt} {
		for _, w := range s.Views {
			for _, dep := range w.DependsOn {
				if dep.Schema == v.Schema && dep.Name == v.Name {
					return true
				}
			}
		}
		if len(s.TriggersOn(v.Schema, v.Name)) > 0 {
			return true
		}
	}
	return false
}

// sameViewColumns compares the first n output columns by name and type.
func sameViewColumns(c, t []*schema.Column, n int) bool {
	if len(c) < n || len(t) < n || len(c) != len(t) && n == len(t) {
		return false
	}
	for i := 0; i < n; i++ {
		if c[i].Name != t[i].Name || c[i].Type != t[i].Type {
			return false
		}
	}
	return true
}

// sameDefinition compares the definitions of views or triggers: up to
// layout, and on SQLite up to the quotes around names that need none.
func (d *differ) sameDefinition(a, b string) bool {
	if sameText(a, b) {
		return true
	}
	return d.caps.bareQuotedNames && sameText(unquoteBareNames(a), unquoteBareNames(b))
}

// unquoteBareNames writes the double-quoted identifiers of text that are
// plain words and no SQLite keyword without their quotes.
func unquoteBareNames(text string) string {
	toks := sqlTokens(text)
	for i, t := range toks {
		if t.quoted && sqliteQuote(t.name) == t.name {
			toks[i].text = t.name
		}
	}
	return joinTokens(toks)
}

// renameTablesIn rewrites the names of renamed tables in a definition.
func (d *differ) renameTablesIn(text string) string {
	for o, n := range d.renamedTo {
		text = renameQualified(text, o.Schema, o.Name, n.Name)
	}
	return text
}

// diffTriggers compares triggers: a changed one is dropped before the
// tables and views change and created after them, as is one on a view
// or table that is dropped and created again, or one whose text a
// rename of a rowid alias would rewrite (diff_rowid.go).
func (d *differ) diffTriggers(recreated map[schema.TableRef]bool) {
	type tkey struct{ schema, table, name string }
	tgtBy := map[tkey]*schema.Trigger{}
	for _, t := range d.tgt.Triggers {
		if t.FromExtension == "" {
			tgtBy[tkey{t.Schema, t.Table, t.Name}] = t
		}
	}
	matched := map[*schema.Trigger]bool{}
	for _, c := range d.cur.Triggers {
		if c.FromExtension != "" {
			continue
		}
		owner := d.newRef(tref(c.Schema, c.Table))
		t := tgtBy[tkey{owner.Schema, owner.Name, c.Name}]
		if t == nil {
			d.add(phDropTriggers, &DropObject{Object: c})
			continue
		}
		matched[t] = true
		def := c.Definition
		if owner.Name != c.Table {
			def = renameQualified(def, c.Schema, c.Table, owner.Name)
		}
		same := c.Constraint == t.Constraint && c.Enabled == t.Enabled && d.sameDefinition(def, t.Definition) &&
			!recreated[owner] && !d.rebuilt[owner] && !d.rowidRewritten(c.Definition)
		if !same {
			d.add(phDropTriggers, &DropObject{Object: c})
			d.add(phCreateTriggers, &CreateObject{Object: t})
			continue
		}
		if c.Comment != t.Comment {
			d.add(phCreateTriggers, &SetComment{Object: t, From: c.Comment, To: t.Comment})
		}
	}
	for _, t := range d.tgt.Triggers {
		if t.FromExtension == "" && !matched[t] {
			d.add(phCreateTriggers, &CreateObject{Object: t})
		}
	}
}
