package importer

import (
	"fmt"
	"strings"

	"github.com/migratehq/migrate/versions"
)

// Adoption is what adopting a database records: the converted revisions
// that stand for what the other tool applied.
type Adoption struct {
	// Applied are the migrate revision ids of the applied source
	// migrations, in the source's apply order.
	Applied []string
	// Targets are the heads of Applied: stamping them on an empty
	// version table records exactly Applied (PlanAdoption checks that
	// Applied holds every ancestor of its members).
	Targets []string
	// Pending are the converted revisions not applied yet, in order:
	// what 'migrate upgrade head' will run.
	Pending []string
	// NotConverted are applied source migrations that were not
	// converted (a goose .go migration): applied, and with nothing for
	// migrate to record.
	NotConverted []Skipped
	// NotRun are source migrations that were not converted and that the
	// database has not applied, above every applied version: migrate
	// will never run them, so 'migrate upgrade head' does not bring the
	// database to where the other tool would (one below an applied
	// version is refused as a gap).
	NotRun []Skipped
}

// PlanAdoption maps what the other tool's table records (a, from
// [ReadApplied]) onto the converted revisions of r. It refuses
// ([*RefusedError]) an applied version that no converted file and no
// skipped one has, and an applied set with a gap — a migration not
// applied below one that is (goose's out-of-order -allow-missing,
// dbmate, atlas): migrate would never run it, since its revisions revise
// the one before.
func PlanAdoption(r *Result, a *Applied) (*Adoption, error) {
	g, err := versions.NewGraph(r.Revisions)
	if err != nil {
		return nil, fmt.Errorf("import: the converted revisions: %w", err)
	}
	ix := newVersionIndex(r)
	ad := &Adoption{}
	set := map[string]bool{}
	for _, v := range a.Versions {
		id, ok := ix.lookup(v)
		if !ok {
			if s, skipped := ix.skipped(v); skipped {
				ad.NotConverted = append(ad.NotConverted, s)
				continue
			}
			return nil, refusef("%s records %s version %s as applied, but no migration in the source folder has that version: "+
				"was its file removed or renamed? Put it back (or undo it in the database and delete its row), then import again", a.Table, a.Format, v)
		}
		set[id] = true
	}
	if a.UpTo != "" {
		if err := ix.markUpTo(a, set); err != nil {
			return nil, err
		}
	}
	if a.Heads {
		for _, id := range g.Ancestors(keys(set)...) {
			set[id] = true
		}
	}
	if err := checkNoGap(g, r, ix, a, set); err != nil {
		return nil, err
	}
	if ad.NotRun, err = notRun(r, ix, a, set, ad.NotConverted); err != nil {
		return nil, err
	}
	for _, rev := range r.Revisions {
		if set[rev.ID] {
			ad.Applied = append(ad.Applied, rev.ID)
		} else {
			ad.Pending = append(ad.Pending, rev.ID)
		}
	}
	ad.Targets = headsOf(g, ad.Applied, set)
	return ad, nil
}

// checkNoGap refuses an applied set that lacks an ancestor of one of its
// members, naming the first such pair in source order.
func checkNoGap(g *versions.Graph, r *Result, ix *versionIndex, a *Applied, set map[string]bool) error {
	for _, rev := range r.Revisions {
		if !set[rev.ID] {
			continue
		}
		for _, anc := range g.Ancestors(rev.ID) {
			if set[anc] {
				continue
			}
			return refusef("%s records %s version %s (%s) as applied but not the earlier version %s (%s): "+
				"migrate's revisions each revise the one before, so it would never run %s. "+
				"Apply it with %s first (or remove its file if it is not wanted), then import again",
				a.Table, a.Format, ix.source[rev.ID], rev.Path, ix.source[anc], g.Get(anc).Path, ix.source[anc], a.Format)
		}
	}
	return nil
}

// notRun returns the skipped migrations of r that the database has not
// applied (not in applied), and refuses a gap that a skipped migration
// makes: one not applied below an applied converted version, or one
// applied above a converted version that is not (goose -allow-missing).
// Versions compare as numbers (goose, the one tool with skipped
// migrations).
func notRun(r *Result, ix *versionIndex, a *Applied, set map[string]bool, applied []Skipped) ([]Skipped, error) {
	done := map[string]bool{}
	for _, s := range applied {
		done[s.File] = true
	}
	var out []Skipped
	for _, s := range r.Skipped {
		for _, rev := range r.Revisions {
			v := ix.source[rev.ID]
			switch {
			case !done[s.File] && set[rev.ID] && versionLess(s.Version, v):
				return nil, refusef("%s records %s version %s (%s) as applied but not the earlier version %s (%s), "+
					"which was not converted: migrate will never run it. "+
					"Apply it with %s first (or rewrite it as a %s SQL migration of the same version), then import again",
					a.Table, a.Format, v, rev.Path, s.Version, s.File, a.Format, a.Format)
			case done[s.File] && !set[rev.ID] && versionLess(v, s.Version):
				return nil, refusef("%s records %s version %s (%s) as applied but not the earlier version %s (%s): "+
					"migrate's revisions each revise the one before, so it would never run %s. "+
					"Apply it with %s first (or remove its file if it is not wanted), then import again",
					a.Table, a.Format, s.Version, s.File, v, rev.Path, v, a.Format)
			}
		}
		if !done[s.File] {
			out = append(out, s)
		}
	}
	return out, nil
}

// versionLess compares two numeric versions as numbers (other text as
// text).
func versionLess(x, y string) bool {
	x, y = normVersion(x), normVersion(y)
	if len(x) != len(y) && strings.Trim(x+y, "0123456789") == "" {
		return len(x) < len(y)
	}
	return x < y
}

// headsOf returns the members of applied (in its order) that no other
// member revises or depends on.
func headsOf(g *versions.Graph, applied []string, set map[string]bool) []string {
	var heads []string
	for _, id := range applied {
		head := true
		for _, d := range g.Descendants(id) {
			if d != id && set[d] {
				head = false
				break
			}
		}
		if head {
			heads = append(heads, id)
		}
	}
	return heads
}

// versionIndex finds the converted revision of a source version, the
// text the other tool's table holds: exactly, or for numbers also
// without leading zeros (goose and golang-migrate keep integers; file
// names may pad them).
type versionIndex struct {
	ids    map[string]string // source version (exact and normalised) -> migrate id
	source map[string]string // migrate id -> source version
	pos    map[string]int    // migrate id -> index in r.Revisions
	skip   map[string]Skipped
	r      *Result
}

func newVersionIndex(r *Result) *versionIndex {
	ix := &versionIndex{ids: map[string]string{}, source: map[string]string{}, pos: map[string]int{}, skip: map[string]Skipped{}, r: r}
	for v, id := range r.Versions {
		ix.ids[v] = id
		ix.ids[normVersion(v)] = id
		ix.source[id] = v
	}
	for i, rev := range r.Revisions {
		ix.pos[rev.ID] = i
	}
	for _, s := range r.Skipped {
		ix.skip[s.Version] = s
		ix.skip[normVersion(s.Version)] = s
	}
	return ix
}

func (ix *versionIndex) lookup(v string) (string, bool) {
	if id, ok := ix.ids[v]; ok {
		return id, true
	}
	id, ok := ix.ids[normVersion(v)]
	return id, ok
}

func (ix *versionIndex) skipped(v string) (Skipped, bool) {
	if s, ok := ix.skip[v]; ok && v != "" {
		return s, true
	}
	s, ok := ix.skip[normVersion(v)]
	return s, ok && v != ""
}

// markUpTo adds a.UpTo and every revision before it in the source's order.
func (ix *versionIndex) markUpTo(a *Applied, set map[string]bool) error {
	id, ok := ix.lookup(a.UpTo)
	if !ok {
		return refusef("%s is at %s version %s, but no migration in the source folder has that version: "+
			"was its file removed or renamed? Put it back, then import again", a.Table, a.Format, a.UpTo)
	}
	for _, rev := range ix.r.Revisions[:ix.pos[id]+1] {
		set[rev.ID] = true
	}
	return nil
}

// normVersion drops the leading zeros of a number ("0003" -> "3");
// other text is returned as is.
func normVersion(v string) string {
	if v == "" || strings.Trim(v, "0123456789") != "" {
		return v
	}
	if t := strings.TrimLeft(v, "0"); t != "" {
		return t
	}
	return "0"
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
