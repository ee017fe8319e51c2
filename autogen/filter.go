package autogen

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/migratehq/migrate/introspect"
	"github.com/migratehq/migrate/schema"
)

// Column filters: [models] exclude = ["address.street"] leaves a column
// alone — on a table that is on both sides, the column and whatever
// names it (introspect.SplitTable) are compared as the database has
// them, so they are neither added, dropped nor altered; a table migrate
// creates is created without it. The model's side is stripped of them,
// and the database's copied back in: on SQLite a table rebuild then
// carries the column and its data over, and an index on it is recreated
// as it was.
//
// A table has several names when it is renamed: its name in the model,
// its name in the database, and the old name of its rename hint (which
// the model keeps once the rename is done). A pattern names the table by
// any of them, the same on both sides, so that the column of a renamed
// table is left out whichever name the pattern uses, and only the
// database's own table of the pair gives the column back: a column never
// moves to another table. A pattern that names a table only by a name
// other than its name in the model gets a warning: once the hint is
// removed that name matches nothing, and the column would be dropped.

// columnPatterns are the include and exclude patterns as they apply to
// columns.
type columnPatterns struct{ include, exclude []string }

// columnFilter returns the column patterns, or nil when none can match
// a column (no pattern has a dot).
func columnFilter(include, exclude []string) *columnPatterns {
	hasDot := func(p string) bool { return strings.Contains(p, ".") }
	if !slices.ContainsFunc(include, hasDot) && !slices.ContainsFunc(exclude, hasDot) {
		return nil
	}
	return &columnPatterns{include: include, exclude: exclude}
}

// leftOut tells whether column col of the table known by names is left
// out: an exclude pattern matches it under one of the names, or include
// patterns are set and none matches it (as a table or as this column)
// under any of them.
func (p *columnPatterns) leftOut(names []schema.TableRef, col string) bool {
	for _, n := range names {
		if introspect.MatchColumn(p.exclude, n.Schema, n.Name, col) {
			return true
		}
	}
	if len(p.include) == 0 {
		return false
	}
	for _, n := range names {
		if introspect.MatchObject(p.include, n.Schema, n.Name) || introspect.MatchColumn(p.include, n.Schema, n.Name, col) {
			return false
		}
	}
	return true
}

// excludedAs returns the exclude pattern that matches column col of
// table n, or "".
func (p *columnPatterns) excludedAs(n schema.TableRef, col string) string {
	for _, pat := range p.exclude {
		if introspect.MatchColumn([]string{pat}, n.Schema, n.Name, col) {
			return pat
		}
	}
	return ""
}

// tableNames are the names of each table on one side: its own first,
// then those of the table it is paired with and its rename hint's.
type tableNames map[schema.TableRef][]schema.TableRef

func (m tableNames) of(ref schema.TableRef) []schema.TableRef {
	if n := m[ref]; n != nil {
		return n
	}
	return []schema.TableRef{ref}
}

// filter is the column filter of one side.
func (m tableNames) filter(p *columnPatterns) introspect.ColumnFilter {
	return func(sch, table, col string) bool { return p.leftOut(m.of(tref(sch, table)), col) }
}

// appendName appends ref to names unless it is there already.
func appendName(names []schema.TableRef, refs ...schema.TableRef) []schema.TableRef {
	for _, r := range refs {
		if r.Name != "" && !slices.Contains(names, r) {
			names = append(names, r)
		}
	}
	return names
}

// filterColumns leaves out of model (changed in place) the columns the
// patterns leave out, and returns the target to compare with cur: model
// with, on each table paired with one of cur (by name, or by a rename
// hint that applies: opts.TableRenames, resolved here once and kept in
// opts for Diff), the left-out columns and what names them as that table
// of cur has them, and the sequences they own. It also returns a warning
// for each column an exclude pattern leaves out only under a name other
// than the table's name in the model.
func filterColumns(cur, model *schema.Schema, p *columnPatterns, opts *DiffOptions) (*schema.Schema, []string) {
	pairs := newDiffer(cur, model, DiffOptions{TableRenames: opts.TableRenames}).renamedTo
	opts.tablePairs = pairs
	newToOld := map[schema.TableRef]schema.TableRef{}
	for o, n := range pairs {
		newToOld[n] = o
	}
	live, tgt := tableNames{}, tableNames{}
	paired := map[schema.TableRef]*schema.Table{} // model name -> cur table
	for _, t := range model.Tables {
		ref := tref(t.Schema, t.Name)
		names := []schema.TableRef{ref}
		c := cur.Table(ref.Schema, ref.Name)
		if old, ok := newToOld[ref]; ok {
			c = cur.Table(old.Schema, old.Name)
		} else if _, renamedAway := pairs[ref]; renamedAway {
			c = nil
		}
		if c != nil {
			names = appendName(names, tref(c.Schema, c.Name))
			paired[ref] = c
		}
		names = appendName(names, opts.TableRenames[ref])
		tgt[ref] = names
		if c != nil {
			live[tref(c.Schema, c.Name)] = appendName([]schema.TableRef{tref(c.Schema, c.Name)}, names...)
		}
	}
	warnings := aliasWarnings(cur, model, p, tgt, paired)
	stripColumns(model, tgt.filter(p))
	return withLiveColumns(cur, model, live.filter(p), paired), warnings
}

// aliasWarnings warns of each column of a model table, or of the table
// of cur paired with it, that an exclude pattern leaves out only under
// another name of the table.
func aliasWarnings(cur, model *schema.Schema, p *columnPatterns, names tableNames, paired map[schema.TableRef]*schema.Table) []string {
	var out []string
	for _, t := range model.Tables {
		ref := tref(t.Schema, t.Name)
		ns := names.of(ref)
		if len(ns) < 2 {
			continue
		}
		cols := slices.Clone(t.Columns)
		if c := paired[ref]; c != nil {
			cols = append(cols, c.Columns...)
		}
		seen := map[string]bool{}
		for _, col := range cols {
			if seen[col.Name] || p.excludedAs(ref, col.Name) != "" {
				continue
			}
			seen[col.Name] = true
			for _, alias := range ns[1:] {
				if pat := p.excludedAs(alias, col.Name); pat != "" {
					out = append(out, fmt.Sprintf("[models] exclude pattern %q leaves out column %s of table %s by the table's other name %s (its name in the database, or its rename hint's): name the table as the model does (%s.%s), since that name stops matching once the rename is done and its hint removed, and the column would then be dropped",
						pat, col.Name, qualifiedName(ref.Schema, ref.Name), qualifiedName(alias.Schema, alias.Name), ref.Name, col.Name))
					break
				}
			}
		}
	}
	return out
}

// stripColumns removes from s the columns out leaves out, what names
// them, and the sequences they own.
func stripColumns(s *schema.Schema, out introspect.ColumnFilter) {
	for i, t := range s.Tables {
		s.Tables[i], _ = introspect.SplitTable(t, s.Dialect, out)
	}
	s.Sequences = keep(s.Sequences, func(q *schema.Sequence) bool { return !ownedByOut(q, out) })
}

func ownedByOut(q *schema.Sequence, out introspect.ColumnFilter) bool {
	o := q.OwnedBy
	return o != nil && out(o.Schema, o.Table, o.Column)
}

// withLiveColumns returns target (stripped) with, on each table paired
// with a table of cur (paired: target name -> cur table), the columns
// out leaves out and what names them as that table has them, and cur's
// sequences that they own. Tables on one side only are left as they
// are: a table is dropped whole, or created without the left-out
// columns. target is not changed.
func withLiveColumns(cur, target *schema.Schema, out introspect.ColumnFilter, paired map[schema.TableRef]*schema.Table) *schema.Schema {
	res := *target
	res.Tables = slices.Clone(target.Tables)
	isPaired := map[schema.TableRef]bool{}
	for i, t := range res.Tables {
		c := paired[tref(t.Schema, t.Name)]
		if c == nil {
			continue
		}
		isPaired[tref(c.Schema, c.Name)] = true
		if _, gone := introspect.SplitTable(c, cur.Dialect, out); gone != nil {
			res.Tables[i] = mergeTable(t, c, gone)
		}
	}
	res.Sequences = slices.Clone(target.Sequences)
	for _, q := range cur.Sequences {
		if ownedByOut(q, out) && isPaired[tref(q.OwnedBy.Schema, q.OwnedBy.Table)] && target.Sequence(q.Schema, q.Name) == nil {
			res.Sequences = append(res.Sequences, q)
		}
	}
	slices.SortFunc(res.Sequences, func(a, b *schema.Sequence) int {
		return cmp.Or(cmp.Compare(a.Schema, b.Schema), cmp.Compare(a.Name, b.Name))
	})
	return &res
}

// mergeTable returns t with gone — what cur (t's table in the database)
// holds of the left-out columns — added: the columns where cur has
// them, replacing any of the same name.
func mergeTable(t, cur, gone *schema.Table) *schema.Table {
	m := *t
	// The model's CREATE TABLE (SQLite's stored statement) lacks the
	// columns added back: the SQLite renderer must not load it.
	if !t.Virtual {
		m.SQL = ""
	}
	m.Columns = mergeColumns(t.Columns, cur.Columns, gone.Columns)
	if gone.PrimaryKey != nil {
		m.PrimaryKey = gone.PrimaryKey
	}
	m.Uniques = append(slices.Clone(t.Uniques), gone.Uniques...)
	m.ForeignKeys = append(slices.Clone(t.ForeignKeys), gone.ForeignKeys...)
	m.Checks = append(slices.Clone(t.Checks), gone.Checks...)
	m.Exclusions = append(slices.Clone(t.Exclusions), gone.Exclusions...)
	m.Indexes = append(slices.Clone(t.Indexes), gone.Indexes...)
	m.Statistics = append(slices.Clone(t.Statistics), gone.Statistics...)
	if gone.ClusterOn != "" {
		m.ClusterOn = gone.ClusterOn
	}
	if gone.ReplicaIdentityIndex != "" {
		m.ReplicaIdentity, m.ReplicaIdentityIndex = gone.ReplicaIdentity, gone.ReplicaIdentityIndex
	}
	m.Sort()
	return &m
}

// mergeColumns puts each column of add after the column that precedes
// it in cur and is in cols (first when none), in place of a column of
// the same name.
func mergeColumns(cols, cur, add []*schema.Column) []*schema.Column {
	isAdded := func(name string) bool {
		return slices.ContainsFunc(add, func(c *schema.Column) bool { return c.Name == name })
	}
	out := slices.DeleteFunc(slices.Clone(cols), func(c *schema.Column) bool { return isAdded(c.Name) })
	for _, a := range add {
		at := 0
		for j := slices.IndexFunc(cur, func(c *schema.Column) bool { return c.Name == a.Name }) - 1; j >= 0; j-- {
			if k := slices.IndexFunc(out, func(c *schema.Column) bool { return c.Name == cur[j].Name }); k >= 0 {
				at = k + 1
				break
			}
		}
		out = slices.Insert(out, at, a)
	}
	return out
}

// tableOut tells whether the include and exclude patterns leave table
// ref out as a table (include: neither it nor some of its columns
// matched).
func tableOut(include, exclude []string, ref schema.TableRef) bool {
	if introspect.MatchObject(exclude, ref.Schema, ref.Name) {
		return true
	}
	return len(include) > 0 && !introspect.MatchObject(include, ref.Schema, ref.Name) && !introspect.MatchColumnTable(include, ref.Schema, ref.Name)
}

// filterRenamedTables applies the table patterns through the rename
// hints (new name -> old name). Each side was filtered by its own names,
// so with exclude = ["c"] and "c renamed_from b" the database kept b and
// the model had no table for it: b would have been dropped with its
// rows. Now, when the new name of a hint whose rename is still to do
// (the database has the old name, not the new one) is left out, the old
// table is left out of the database's side too: left alone, as an
// excluded table is. In a chain (the model's table of the old name is
// itself renamed from a third), leaving one link out cannot be done
// safely: an error names the tables. (The other way round, an old name
// left out, the model's table comes out as new, with the warning of a
// hint that matches nothing: nothing is dropped.)
func filterRenamedTables(cur, tgt *schema.Schema, include, exclude []string, hints map[schema.TableRef]schema.TableRef) error {
	if len(include) == 0 && len(exclude) == 0 {
		return nil
	}
	gone := map[schema.TableRef]bool{}
	for nw, old := range hints {
		if nw == old || cur.Table(nw.Schema, nw.Name) != nil || cur.Table(old.Schema, old.Name) == nil || !tableOut(include, exclude, nw) {
			continue // no rename, done already (or not possible), or not left out
		}
		if prev, ok := hints[old]; ok && prev != old && tgt.Table(old.Schema, old.Name) != nil {
			return fmt.Errorf("[models] include/exclude leave out table %s, to which a rename hint renames %s, while the model's table %s is renamed from %s: a chain of renames cannot go through a table left out; leave out all of its tables or none",
				qualifiedName(nw.Schema, nw.Name), qualifiedName(old.Schema, old.Name), qualifiedName(old.Schema, old.Name), qualifiedName(prev.Schema, prev.Name))
		}
		gone[old] = true
	}
	cur.Tables = keep(cur.Tables, func(t *schema.Table) bool { return !gone[tref(t.Schema, t.Name)] })
	cur.Triggers = keep(cur.Triggers, func(tr *schema.Trigger) bool { return !gone[tref(tr.Schema, tr.Table)] })
	return nil
}
