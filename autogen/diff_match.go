package autogen

import (
	"slices"

	"github.com/migratehq/migrate/schema"
)

// matched is the outcome of pairing two lists of named items.
type matched[T any] struct {
	// same pairs items of equal definitions (current, target); their
	// names may differ (a rename) and so may their comments.
	same [][2]T
	// changed pairs items of the same name whose definitions differ.
	changed [][2]T
	dropped []T // only in current
	added   []T // only in target
}

// matchItems pairs the items of cur and tgt: first those of the same
// name and the same definition, then those of the same definition
// (renamed), then those of the same name (changed); the rest are dropped
// or added. An empty name never matches by name. The order of tgt is
// kept, then that of cur.
func matchItems[T any](cur, tgt []T, name func(T) string, same func(c, t T) bool) matched[T] {
	var m matched[T]
	usedC := make([]bool, len(cur))
	usedT := make([]bool, len(tgt))
	byName := map[string]int{}
	for i, c := range cur {
		if n := name(c); n != "" {
			if _, dup := byName[n]; !dup {
				byName[n] = i
			}
		}
	}
	for j, t := range tgt {
		n := name(t)
		if n == "" {
			continue
		}
		if i, ok := byName[n]; ok && !usedC[i] && same(cur[i], t) {
			usedC[i], usedT[j] = true, true
			m.same = append(m.same, [2]T{cur[i], t})
		}
	}
	for j, t := range tgt {
		if usedT[j] {
			continue
		}
		for i, c := range cur {
			if !usedC[i] && same(c, t) {
				usedC[i], usedT[j] = true, true
				m.same = append(m.same, [2]T{c, t})
				break
			}
		}
	}
	for j, t := range tgt {
		n := name(t)
		if usedT[j] || n == "" {
			continue
		}
		if i, ok := byName[n]; ok && !usedC[i] {
			usedC[i], usedT[j] = true, true
			m.changed = append(m.changed, [2]T{cur[i], t})
		}
	}
	for j, t := range tgt {
		if !usedT[j] {
			m.added = append(m.added, t)
		}
	}
	for i, c := range cur {
		if !usedC[i] {
			m.dropped = append(m.dropped, c)
		}
	}
	return m
}

// mapNames returns names with each renamed through m.
func mapNames(names []string, m map[string]string) []string {
	if len(m) == 0 {
		return names
	}
	out := make([]string, len(names))
	for i, n := range names {
		if r, ok := m[n]; ok {
			n = r
		}
		out[i] = n
	}
	return out
}

func mapName(n string, m map[string]string) string {
	if r, ok := m[n]; ok {
		return r
	}
	return n
}

func sameStrings(a, b []string) bool { return slices.Equal(a, b) }

// sameSet reports whether a and b hold the same strings, in any order.
func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}

// samePart compares index keys; c is on the current side, whose column
// names are mapped through cm.
func samePart(c, t *schema.IndexPart, cm map[string]string) bool {
	return mapName(c.Column, cm) == t.Column && sameText(renameIdents(c.Expr, cm), t.Expr) &&
		c.Desc == t.Desc && c.Nulls == t.Nulls && c.OpClass == t.OpClass && c.Collation == t.Collation
}

func sameParts(c, t []*schema.IndexPart, cm map[string]string) bool {
	if len(c) != len(t) {
		return false
	}
	for i := range c {
		if !samePart(c[i], t[i], cm) {
			return false
		}
	}
	return true
}

// sameKey compares primary keys or unique constraints, names and
// comments aside.
func sameKey(c, t *schema.Key, cm map[string]string) bool {
	return sameStrings(mapNames(c.Columns, cm), t.Columns) && sameStrings(mapNames(c.Include, cm), t.Include) &&
		c.NullsNotDistinct == t.NullsNotDistinct && c.Deferrable == t.Deferrable &&
		c.InitiallyDeferred == t.InitiallyDeferred && sameParts(c.Parts, t.Parts, cm) &&
		c.OnConflict == t.OnConflict && c.NotRowIDAlias == t.NotRowIDAlias &&
		sameText(renameIdents(c.Definition, cm), t.Definition)
}

func sameIndex(c, t *schema.Index, cm map[string]string) bool {
	return c.Unique == t.Unique && c.Method == t.Method && sameParts(c.Parts, t.Parts, cm) &&
		sameStrings(mapNames(c.Include, cm), t.Include) && c.NullsNotDistinct == t.NullsNotDistinct &&
		sameText(renameIdents(c.Where, cm), t.Where) && sameSet(c.Options, t.Options)
}

func sameCheck(c, t *schema.Check, cm map[string]string) bool {
	return sameText(renameIdents(c.Expr, cm), t.Expr) && c.NoInherit == t.NoInherit && c.NotValid == t.NotValid
}

func sameExclusion(c, t *schema.Exclusion, cm map[string]string) bool {
	return sameText(renameIdents(c.Definition, cm), t.Definition) && c.Deferrable == t.Deferrable &&
		c.InitiallyDeferred == t.InitiallyDeferred
}

func fkAction(a string) string {
	if a == schema.NoAction {
		return ""
	}
	return a
}
