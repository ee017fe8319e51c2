package autogen

import (
	"cmp"
	"slices"
	"strings"

	"github.com/migratehq/migrate/introspect"
	"github.com/migratehq/migrate/schema"
)

// Column filters: [models] exclude = ["address.street"] leaves a column
// alone — on a table that is on both sides, the column and whatever
// names it (introspect.SplitTable) are compared as the database has
// them, so they are neither added, dropped nor altered; a table migrate
// creates is created without them. The model's side is stripped of
// them, and the database's copied back in: on SQLite a table rebuild
// then carries the column and its data over, and an index on it is
// recreated as it was.

// columnFilter returns what leaves a column out: an exclude pattern
// matching it, or include patterns none of which matches its table as
// an object nor the column itself. nil when no pattern can match a
// column (none has a dot).
func columnFilter(include, exclude []string) introspect.ColumnFilter {
	hasDot := func(p string) bool { return strings.Contains(p, ".") }
	if !slices.ContainsFunc(include, hasDot) && !slices.ContainsFunc(exclude, hasDot) {
		return nil
	}
	return func(sch, table, col string) bool {
		if introspect.MatchColumn(exclude, sch, table, col) {
			return true
		}
		return len(include) > 0 && !introspect.MatchObject(include, sch, table) &&
			!introspect.MatchColumn(include, sch, table, col)
	}
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

// withLiveColumns returns target (stripped) with, on each table that
// cur has too (by name, or by a rename hint: new name → old), the
// columns out leaves out and what names them as cur has them, and cur's
// sequences that they own. Tables on one side only are left as they
// are: a table is dropped whole, or created without the left-out
// columns. target is not changed.
func withLiveColumns(cur, target *schema.Schema, out introspect.ColumnFilter, renames map[schema.TableRef]schema.TableRef) *schema.Schema {
	curTables := map[schema.TableRef]*schema.Table{}
	for _, t := range cur.Tables {
		curTables[tref(t.Schema, t.Name)] = t
	}
	res := *target
	res.Tables = slices.Clone(target.Tables)
	paired := map[schema.TableRef]bool{}
	for i, t := range res.Tables {
		c := curTables[tref(t.Schema, t.Name)]
		if old, ok := renames[tref(t.Schema, t.Name)]; ok && c == nil {
			c = curTables[old]
		}
		if c == nil {
			continue
		}
		paired[tref(c.Schema, c.Name)] = true
		if _, gone := introspect.SplitTable(c, cur.Dialect, out); gone != nil {
			res.Tables[i] = mergeTable(t, c, gone)
		}
	}
	res.Sequences = slices.Clone(target.Sequences)
	for _, q := range cur.Sequences {
		if ownedByOut(q, out) && paired[tref(q.OwnedBy.Schema, q.OwnedBy.Table)] && target.Sequence(q.Schema, q.Name) == nil {
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
