package autogen

import (
	"slices"

	"github.com/migratehq/migrate/schema"
)

// Which rename hints apply. A hint "new renamed_from old" applies while
// the current side has old and the target has new, and neither name
// stays where it is: new is free in the current side or renamed away by
// another applying hint, and old is gone from the target or the new name
// of another. So a chain (a -> b, b -> c) applies as a whole, and a hint
// whose rename is done (the current side has new; old is gone) is
// ignored, so a model keeps its hints.
//
// A cycle of hints (a swap, a -> b and b -> a) reads the same before and
// after it is done: names alone cannot tell. It applies when the objects
// match the model better renamed than by name (columns: type,
// nullability, default; tables: columns of the same name and type), so
// that once done it is not done again; when both read alike it is
// ignored.

// applicableRenames returns the hints (new -> old) that apply, as old ->
// new. inCur and inTgt say whether a name exists on either side; fits
// decides whether a cycle (old -> new pairs) applies; cmp orders names.
func applicableRenames[K comparable](hints map[K]K, inCur, inTgt func(K) bool, fits func(pairs [][2]K) bool, cmp func(a, b K) int) map[K]K {
	cand := map[K]K{} // new -> old
	claims := map[K]int{}
	for nw, old := range hints {
		if nw != old && inCur(old) && inTgt(nw) {
			cand[nw] = old
			claims[old]++
		}
	}
	for nw, old := range cand {
		if claims[old] > 1 { // two new names for one old: ambiguous
			delete(cand, nw)
		}
	}
	for changed := true; changed; {
		changed = false
		byOld := map[K]K{}
		for nw, old := range cand {
			byOld[old] = nw
		}
		for nw, old := range cand {
			_, movesAway := byOld[nw]
			_, movesIn := cand[old]
			if inCur(nw) && !movesAway || inTgt(old) && !movesIn {
				delete(cand, nw)
				changed = true
			}
		}
	}
	out := map[K]K{}
	for nw, old := range cand {
		out[old] = nw
	}
	for _, cycle := range renameCycles(out, cmp) {
		if !fits(cycle) {
			for _, p := range cycle {
				delete(out, p[0])
			}
		}
	}
	return out
}

// renameCycles returns the cycles of renames (old -> new), each as its
// old -> new pairs, in a stable order.
func renameCycles[K comparable](renames map[K]K, cmp func(a, b K) int) [][][2]K {
	var olds []K
	for o := range renames {
		olds = append(olds, o)
	}
	slices.SortFunc(olds, cmp)
	seen := map[K]bool{}
	var out [][][2]K
	for _, start := range olds {
		if seen[start] {
			continue
		}
		var pairs [][2]K
		cur := start
		for {
			nw, ok := renames[cur]
			if !ok || seen[cur] {
				break
			}
			seen[cur] = true
			pairs = append(pairs, [2]K{cur, nw})
			cur = nw
		}
		if cur == start && len(pairs) > 0 {
			out = append(out, pairs)
		}
	}
	return out
}

// resolveTableHints fills renamedTo and renamedFrom from the table hints.
func (d *differ) resolveTableHints(hints map[schema.TableRef]schema.TableRef) {
	inCur := func(r schema.TableRef) bool { return d.curTables[r] != nil }
	inTgt := func(r schema.TableRef) bool { return d.tgtTables[r] != nil }
	fits := func(pairs [][2]schema.TableRef) bool {
		renamed, same := 0, 0
		for _, p := range pairs {
			renamed += columnLikeness(d.curTables[p[0]], d.tgtTables[p[1]])
			same += columnLikeness(d.curTables[p[1]], d.tgtTables[p[1]])
		}
		return renamed > same
	}
	for old, nw := range applicableRenames(hints, inCur, inTgt, fits, compareRef) {
		d.renamedTo[old] = nw
		d.renamedFrom[nw] = old
	}
}

// resolveColumnHints fills colRenames from the column hints, table by
// table (after the table renames).
func (d *differ) resolveColumnHints(hints map[schema.ColumnRef]string) {
	byTable := map[schema.TableRef]map[string]string{}
	for ref, old := range hints {
		t := tref(ref.Schema, ref.Table)
		if byTable[t] == nil {
			byTable[t] = map[string]string{}
		}
		byTable[t][ref.Column] = old
	}
	for newRef, h := range byTable {
		tt := d.tgtTables[newRef]
		ct := d.curTables[d.oldRef(newRef)]
		if tt == nil || ct == nil {
			continue
		}
		inCur := func(c string) bool { return ct.Column(c) != nil }
		inTgt := func(c string) bool { return tt.Column(c) != nil }
		fits := func(pairs [][2]string) bool {
			renamed, same := 0, 0
			for _, p := range pairs {
				renamed += likeness(ct.Column(p[0]), tt.Column(p[1]))
				same += likeness(ct.Column(p[1]), tt.Column(p[1]))
			}
			return renamed > same
		}
		m := applicableRenames(h, inCur, inTgt, fits, compareStrings)
		if len(m) > 0 {
			d.colRenames[newRef] = m
		}
	}
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// likeness counts what two columns share: type, nullability, default.
func likeness(c, t *schema.Column) int {
	n := 0
	if c.Type == t.Type {
		n++
	}
	if c.NotNull == t.NotNull {
		n++
	}
	if sameText(c.Default, t.Default) {
		n++
	}
	return n
}

// columnLikeness counts the columns of t that c has too, by name and
// type.
func columnLikeness(c, t *schema.Table) int {
	n := 0
	for _, tc := range t.Columns {
		if cc := c.Column(tc.Name); cc != nil && cc.Type == tc.Type {
			n++
		}
	}
	return n
}
