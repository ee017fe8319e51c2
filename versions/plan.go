package versions

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Direction says whether a step runs a revision's up or down section.
type Direction int

const (
	Up Direction = iota
	Down
)

func (d Direction) String() string {
	if d == Down {
		return "down"
	}
	return "up"
}

// Step is one revision to run, in one direction.
type Step struct {
	Revision  *Revision
	Direction Direction
}

// appliedSet marks the applied revisions, or reports the ones that no
// file defines.
func (g *Graph) appliedSet(applied []string) ([]bool, error) {
	if unknown := g.Unknown(applied); len(unknown) > 0 {
		return nil, &UnknownAppliedError{IDs: unknown}
	}
	a := make([]bool, len(g.nodes))
	for _, id := range applied {
		a[g.byID[id].idx] = true
	}
	return a, nil
}

// Unknown returns the applied ids that no revision defines, in the order
// given, without repeats.
func (g *Graph) Unknown(applied []string) []string {
	var out []string
	for _, id := range applied {
		if g.byID[id] == nil && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// CurrentHeads returns the applied revisions that are not an ancestor
// (through revises or depends_on) of another applied revision: what
// Alembic's version table would hold, where a revision applied only as
// another's dependency is implied by it. In a consistent applied set these
// are the applied revisions with no applied child or dependent; with gaps
// (b missing from a→b→c) the ancestor a is not a head. They come in
// topological order, followed by unknown ids, sorted.
func (g *Graph) CurrentHeads(applied []string) []string {
	a := make([]bool, len(g.nodes))
	var unknown []string
	for _, id := range applied {
		if nd := g.byID[id]; nd != nil {
			a[nd.idx] = true
		} else if !slices.Contains(unknown, id) {
			unknown = append(unknown, id)
		}
	}
	sort.Strings(unknown)
	return append(ids(g.currentHeads(a)), unknown...)
}

func (g *Graph) currentHeads(a []bool) []*node {
	var below []*node // what the applied revisions need
	for i, nd := range g.nodes {
		if a[i] {
			below = append(below, nd.parents...)
			below = append(below, nd.deps...)
		}
	}
	needed := g.mark(below, true, true)
	var out []*node
	for i, nd := range g.nodes {
		if a[i] && !needed[i] {
			out = append(out, nd)
		}
	}
	return out
}

// PlanUpgrade returns the steps that bring the applied revisions up to
// target: every ancestor of the target (following revises and
// depends_on) that is not applied, in topological order. A target that
// is already applied gives an empty plan. Besides every form [Graph.Resolve]
// accepts, target may be relative to the applied revisions: +N walks N
// steps up from the single current head (from base when nothing is
// applied), and label@+N does so on one branch: from the current head on
// that branch, or, when none is, from the newest applied revision on the
// branch's line (label@+1 with only another branch applied starts at
// their branch point, as in Alembic). Ambiguities (several
// current heads, a branch point on the way, several heads for "head") and
// walks past the top are [*TargetError]s naming the choices; applied ids
// with no file are an [*UnknownAppliedError].
func (g *Graph) PlanUpgrade(applied []string, target string) ([]Step, error) {
	return g.planUpgrade(applied, target, "upgrade")
}

// planUpgrade is PlanUpgrade; verb ("upgrade" or "stamp") is the command
// that errors suggest.
func (g *Graph) planUpgrade(applied []string, target, verb string) ([]Step, error) {
	a, err := g.appliedSet(applied)
	if err != nil {
		return nil, err
	}
	sp, err := parseSpec(target)
	if err != nil {
		return nil, err
	}
	var targets []*node
	if sp.sym == "" {
		if sp.rel < 0 {
			return nil, &TargetError{Target: target, Msg: fmt.Sprintf("upgrade cannot move down; use \"downgrade %s\"", target)}
		}
		var line []bool
		if sp.hasAt {
			if _, line, err = g.branch(sp); err != nil {
				return nil, err
			}
		}
		heads := filter(g.currentHeads(a), line)
		if len(heads) == 0 && sp.hasAt {
			// No current head is on the branch (c2@+1 with only c1
			// applied): start from where the branch's applied part ends.
			heads = g.appliedTips(a, line)
		}
		if len(heads) > 1 {
			return nil, &TargetError{Target: target, Msg: fmt.Sprintf(
				"ambiguous: there are %d current heads (%s); pick a branch: %s, or give an explicit revision",
				len(heads), names(heads), branchPicks(heads, verb, sp.rel))}
		}
		var start *node
		if len(heads) == 1 {
			start = heads[0]
		}
		end, _, err := g.walk(sp, start, sp.rel, line, verb)
		if err != nil {
			return nil, err
		}
		targets = []*node{end}
	} else {
		if targets, _, err = g.resolve(sp, verb); err != nil {
			return nil, err
		}
	}
	var steps []Step
	for i, need := range g.mark(targets, true, true) {
		if need && !a[i] {
			steps = append(steps, Step{Revision: g.nodes[i].rev, Direction: Up})
		}
	}
	return steps, nil
}

// appliedTips returns the applied revisions on line that no applied
// revision on line revises: where the branch's applied part ends.
func (g *Graph) appliedTips(a, line []bool) []*node {
	var tips []*node
	for i, nd := range g.nodes {
		if !a[i] || !line[i] {
			continue
		}
		tip := true
		for _, c := range nd.children {
			if a[c.idx] && line[c.idx] {
				tip = false
				break
			}
		}
		if tip {
			tips = append(tips, nd)
		}
	}
	return tips
}

// PlanDowngrade returns the steps that take the applied revisions down to
// target, in reverse topological order:
//
//   - a revision (or any form Resolve accepts): remove the applied
//     revisions that revise it, and what descends from those (through
//     revises or depends_on), keeping it and everything it needs. A
//     revision that merely depends on the target stays, as in Alembic.
//     The target must be applied, or be an ancestor of an applied
//     revision; a current head gives an empty plan.
//   - label@rev, rev2@rev (also label@base+N, label@head-N): as rev, but
//     only along the named branch: of the revisions that revise rev, only
//     the one on the branch's line goes (Alembic's rule), so
//     "c1@bb02" reverts branch c1 down to its branch point bb02 and
//     leaves bb02's other branches alone.
//   - base: remove every applied revision.
//   - label@base: remove the applied revisions of the label's branch and
//     those depending on them, keeping what the branch depended on.
//   - -N: walk N steps down from the single current head (label@-N or
//     rev@-N: the one current head on that branch) and remove the
//     revisions walked (and their applied dependents), leaving other
//     branches alone; reaching base exactly is allowed.
//
// Walking down through a merge point, several current heads, and walks
// past base are [*TargetError]s naming the choices. A step through a
// revision without a down section is an [*IrreversibleError] naming the
// file.
func (g *Graph) PlanDowngrade(applied []string, target string) ([]Step, error) {
	return g.planDowngrade(applied, target, "downgrade")
}

// planDowngrade is PlanDowngrade; verb ("downgrade" or "stamp") is the
// command that errors suggest.
func (g *Graph) planDowngrade(applied []string, target, verb string) ([]Step, error) {
	a, err := g.appliedSet(applied)
	if err != nil {
		return nil, err
	}
	sp, err := parseSpec(target)
	if err != nil {
		return nil, err
	}
	var remove []bool
	switch {
	case sp.sym == "":
		if sp.rel > 0 {
			return nil, &TargetError{Target: target, Msg: fmt.Sprintf("downgrade cannot move up; use \"upgrade %s\"", target)}
		}
		var line []bool
		if sp.hasAt {
			if _, line, err = g.branch(sp); err != nil {
				return nil, err
			}
		}
		heads := filter(g.currentHeads(a), line)
		switch {
		case len(heads) == 0 && sp.hasAt:
			return nil, &TargetError{Target: target, Msg: fmt.Sprintf("no applied revision is on branch %s", sp.branch)}
		case len(heads) == 0:
			return nil, &TargetError{Target: target, Msg: "nothing is applied"}
		case len(heads) > 1:
			return nil, &TargetError{Target: target, Msg: fmt.Sprintf(
				"ambiguous: there are %d current heads (%s); pick a branch: %s, or name the revision to downgrade to",
				len(heads), names(heads), branchPicks(heads, verb, sp.rel))}
		}
		// Remove the path walked (and what depends on it), not the other
		// branches that may grow from the revision the walk ends on.
		_, left, err := g.walk(sp, heads[0], sp.rel, nil, verb)
		if err != nil {
			return nil, err
		}
		remove = g.mark([]*node{left}, false, true)
	case sp.sym == "base" && sp.rel == 0 && sp.hasAt:
		lab := g.labels[sp.branch]
		if lab == nil {
			return nil, &TargetError{Target: target, Msg: fmt.Sprintf("%q is not a branch label; label@base removes one labelled branch (use \"base\" to remove everything)", sp.branch)}
		}
		var onBranch []*node
		for _, nd := range g.nodes {
			if slices.Contains(nd.labels, sp.branch) {
				onBranch = append(onBranch, nd)
			}
		}
		remove = g.mark(onBranch, false, true)
	case sp.sym == "base" && sp.rel == 0:
		remove = make([]bool, len(g.nodes))
		for i := range remove {
			remove[i] = true
		}
	default:
		targets, below, err := g.resolve(sp, verb)
		if err != nil {
			return nil, err
		}
		switch {
		case below != nil:
			remove = g.mark([]*node{below}, false, true)
		case len(targets) == 0:
			remove = make([]bool, len(g.nodes))
			for i := range remove {
				remove[i] = true
			}
		default:
			needed := g.mark(g.currentHeads(a), true, true)
			for _, t := range targets {
				if !needed[t.idx] {
					cur := names(g.currentHeads(a))
					if cur == "" {
						cur = "none"
					}
					return nil, &TargetError{Target: target, Msg: fmt.Sprintf(
						"revision %s is not applied, so it is not a valid downgrade target (current heads: %s)", where(t.rev), cur)}
				}
			}
			var line []bool
			if sp.hasAt {
				_, line, _ = g.branch(sp) // resolve succeeded, so branch does
			}
			remove = g.downgradeTo(targets, line)
		}
	}

	var steps []Step
	var irreversible []error
	for i := len(g.nodes) - 1; i >= 0; i-- {
		if remove[i] && a[i] {
			r := g.nodes[i].rev
			if r.Irreversible {
				irreversible = append(irreversible, &IrreversibleError{Revision: r})
			}
			steps = append(steps, Step{Revision: r, Direction: Down})
		}
	}
	if len(irreversible) > 0 {
		return nil, errors.Join(irreversible...)
	}
	return steps, nil
}

// PlanStamp returns the steps that stamp moves the version table by to
// reach target, without running any SQL: down for "base", "label@base",
// -N and label@-N (N steps down from the current head, as downgrade
// walks), and for a revision that is applied with applied descendants;
// up otherwise, +N and label@+N included (as upgrade walks). Relative
// targets count from the applied revisions, as for upgrade and
// downgrade (Alembic counts stamp's -N from the heads of the files:
// that is "head-N" here). Errors are those of [Graph.PlanUpgrade] and
// [Graph.PlanDowngrade], suggesting stamp commands.
func (g *Graph) PlanStamp(applied []string, target string) ([]Step, error) {
	sp, err := parseSpec(target)
	if err != nil {
		return nil, err
	}
	switch {
	case sp.sym == "base" && sp.rel == 0,
		sp.sym == "" && sp.rel < 0,
		sp.sym != "" && g.behind(applied, target):
		return g.planDowngrade(applied, target, "stamp")
	}
	return g.planUpgrade(applied, target, "stamp")
}

// behind reports whether target names applied revisions that have
// applied descendants: stamping it means going down.
func (g *Graph) behind(applied []string, target string) bool {
	ids, err := g.Resolve(target)
	if err != nil || len(ids) == 0 {
		return false
	}
	set := make(map[string]bool, len(applied))
	for _, id := range applied {
		set[id] = true
	}
	for _, id := range ids {
		if !set[id] {
			return false
		}
	}
	for _, d := range g.Descendants(ids...) {
		if set[d] && !slices.Contains(ids, d) {
			return true
		}
	}
	return false
}

// downgradeTo marks what downgrading to targets removes: the revisions
// that revise a target (restricted to line, the branch a label@rev or
// rev@rev target names, when not nil) and everything descending from
// them through revises or depends_on, less what the targets need. A
// revision that only depends on a target stays: it needs the target
// applied, not the newest on its branch.
func (g *Graph) downgradeTo(targets []*node, line []bool) []bool {
	var roots []*node
	for _, t := range targets {
		roots = append(roots, filter(t.children, line)...)
	}
	desc := g.mark(roots, false, true)
	keep := g.mark(targets, true, true)
	for i := range desc {
		desc[i] = desc[i] && !keep[i]
	}
	return desc
}

func names(ns []*node) string {
	s := make([]string, len(ns))
	for i, nd := range ns {
		s[i] = where(nd.rev)
	}
	return strings.Join(s, ", ")
}

// branchPicks proposes, per head, the branch-restricted relative target:
// label@±N for a labelled head, rev@±N otherwise.
func branchPicks(heads []*node, verb string, rel int) string {
	picks := make([]string, len(heads))
	for i, h := range heads {
		name := h.rev.ID
		if l := ownLabel(h, heads); l != "" {
			name = l
		}
		picks[i] = strconv.Quote(fmt.Sprintf("%s %s@%+d", verb, name, rel))
	}
	return orList(picks)
}
