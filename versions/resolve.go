package versions

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// spec is a parsed target: [branch@]sym[±N].
type spec struct {
	text   string
	branch string // before '@'; "" without one
	hasAt  bool
	sym    string // "head", "heads", "base", an id, prefix or label, or "" (relative to the current state)
	rel    int    // signed step count, 0 if none
}

func parseSpec(s string) (spec, error) {
	sp := spec{text: s}
	bad := func(msg string) (spec, error) { return sp, &TargetError{Target: s, Msg: msg} }
	if strings.TrimSpace(s) == "" {
		return bad("empty target; use head, heads, base, a revision id or a relative step such as -1")
	}
	rest := s
	if at := strings.IndexByte(s, '@'); at >= 0 {
		sp.branch, sp.hasAt, rest = s[:at], true, s[at+1:]
		if sp.branch == "" {
			return bad("nothing before '@'; write label@head, label@base, label@+1 or rev@head")
		}
	}
	if i := strings.IndexAny(rest, "+-"); i >= 0 {
		digits := rest[i+1:]
		n, err := strconv.Atoi(digits)
		if err != nil || digits == "" || digits[0] == '+' || digits[0] == '-' {
			return bad(fmt.Sprintf("%q is not a relative step: write +N or -N with N a number", rest[i:]))
		}
		if n == 0 {
			return bad("a relative step must be at least 1")
		}
		if rest[i] == '-' {
			n = -n
		}
		sp.sym, sp.rel = rest[:i], n
	} else {
		sp.sym = rest
		if sp.sym == "" {
			return bad("nothing after '@'; write label@head, label@base or label@<revision>")
		}
	}
	return sp, nil
}

// Resolve turns a target into revision ids, in topological order:
//
//	head              the single head (an error wrapping ErrMultipleHeads if there are several)
//	heads             every real head (see RealHeads)
//	base              the empty set
//	<id>              a full id, a unique prefix of at least 4 characters, or a branch label
//	                  (the revision that declares it)
//	label@head        the head on the label's branch; label@heads: all of them
//	label@base        the empty set (downgrade treats it specially)
//	label@<rev>       rev, which must be on the label's branch
//	<rev>@head        the head sharing lineage with rev
//	<rev>+N, <rev>-N  N steps up (children) or down (parents) from rev; also label@<rev>±N
//	head-N, label@head-N, base+N, label@base+N
//
// Targets relative to the applied revisions (+N, -N, label@+N, label@-N)
// need the applied set: use them with [Graph.PlanUpgrade] and
// [Graph.PlanDowngrade]. Errors are [*TargetError]s that name the choices
// when a target is ambiguous.
func (g *Graph) Resolve(target string) ([]string, error) {
	sp, err := parseSpec(target)
	if err != nil {
		return nil, err
	}
	ns, _, err := g.resolve(sp, "")
	if err != nil {
		return nil, err
	}
	return ids(ns), nil
}

// resolve resolves a spec that does not depend on the applied state.
// below is set when a relative walk went down past a base: the target is
// "base" and below is the base revision the walk left, so that "a-1"
// means "below a" rather than "below every base".
func (g *Graph) resolve(sp spec, verb string) (ns []*node, below *node, err error) {
	fail := func(format string, args ...any) ([]*node, *node, error) {
		return nil, nil, &TargetError{Target: sp.text, Msg: fmt.Sprintf(format, args...)}
	}
	var line []bool
	var anchor *node
	if sp.hasAt {
		anchor, line, err = g.branch(sp)
		if err != nil {
			return nil, nil, err
		}
	}
	if sp.rel != 0 {
		if sp.sym == "" {
			return fail("%s is relative to the applied revisions; it is only meaningful for upgrade, downgrade and stamp", sp.text)
		}
		var start *node
		switch sp.sym {
		case "heads":
			return fail("heads%+d is not a target; use head%+d, or label@head%+d for one branch", sp.rel, sp.rel, sp.rel)
		case "base":
			if sp.rel < 0 {
				return fail("cannot walk down from base")
			}
		case "head":
			hs, err := g.headsFor(sp, line)
			if err != nil {
				return nil, nil, err
			}
			if len(hs) == 0 {
				return fail("there are no revisions")
			}
			start = hs[0]
		default:
			start, err = g.member(sp, anchor, line)
			if err != nil {
				return nil, nil, err
			}
		}
		end, left, err := g.walk(sp, start, sp.rel, line, verb)
		if err != nil {
			return nil, nil, err
		}
		if end == nil {
			return nil, left, nil
		}
		return []*node{end}, nil, nil
	}
	switch sp.sym {
	case "head":
		hs, err := g.headsFor(sp, line)
		return hs, nil, err
	case "heads":
		if !sp.hasAt {
			return g.realHeads, nil, nil
		}
		return filter(g.heads, line), nil, nil
	case "base":
		return nil, nil, nil
	}
	if sp.hasAt {
		nd, err := g.member(sp, anchor, line)
		if err != nil {
			return nil, nil, err
		}
		return []*node{nd}, nil, nil
	}
	nd, err := g.lookup(sp.sym)
	if err != nil {
		return fail("%v", err)
	}
	return []*node{nd}, nil, nil
}

// branch resolves the part before '@': a branch label, else a revision.
// It returns the anchor revision and the revisions sharing its lineage.
func (g *Graph) branch(sp spec) (*node, []bool, error) {
	if nd := g.labels[sp.branch]; nd != nil {
		return nd, g.lineage(nd), nil
	}
	nd, err := g.lookupRev(sp.branch)
	if err != nil {
		return nil, nil, &TargetError{Target: sp.text, Msg: fmt.Sprintf("%q before '@' is neither a branch label nor a revision: %v", sp.branch, err)}
	}
	return nd, g.lineage(nd), nil
}

// member resolves sp.sym as a revision, which must share lineage with the
// branch when the spec has one.
func (g *Graph) member(sp spec, anchor *node, line []bool) (*node, error) {
	var nd *node
	var err error
	if sp.hasAt {
		nd, err = g.lookupRev(sp.sym)
	} else {
		nd, err = g.lookup(sp.sym)
	}
	if err != nil {
		return nil, &TargetError{Target: sp.text, Msg: err.Error()}
	}
	if line != nil && !line[nd.idx] {
		return nil, &TargetError{Target: sp.text, Msg: fmt.Sprintf("revision %s is not on branch %s (it is neither an ancestor nor a descendant of %s)", where(nd.rev), sp.branch, anchor.rev.ID)}
	}
	return nd, nil
}

// headsFor resolves "head" (or branch@head): exactly one head, or an error
// wrapping ErrMultipleHeads that names the heads and how to choose.
func (g *Graph) headsFor(sp spec, line []bool) ([]*node, error) {
	hs := g.heads
	if line != nil {
		hs = filter(hs, line)
	}
	if len(hs) <= 1 {
		return hs, nil
	}
	return nil, g.multipleHeads(sp.text, hs)
}

func (g *Graph) multipleHeads(target string, hs []*node) error {
	names := make([]string, len(hs))
	var picks []string
	for i, h := range hs {
		names[i] = where(h.rev)
		if l := ownLabel(h, hs); l != "" {
			picks = append(picks, l+"@head")
		} else {
			picks = append(picks, h.rev.ID)
		}
	}
	return &TargetError{
		Target: target,
		Msg: fmt.Sprintf("there are %d heads: %s; use \"heads\" for all of them, or name one: %s (or merge them with \"migrate merge heads\")",
			len(hs), strings.Join(names, ", "), quoteAll(picks)),
		Err: ErrMultipleHeads,
	}
}

// ownLabel returns the first branch label of head h that no other of
// heads carries ("" when there is none): a pick that names h alone.
// Heads that only share an inherited label are named by their ids.
func ownLabel(h *node, heads []*node) string {
	for _, l := range h.labels {
		shared := false
		for _, o := range heads {
			if o != h && slices.Contains(o.labels, l) {
				shared = true
				break
			}
		}
		if !shared {
			return l
		}
	}
	return ""
}

func filter(ns []*node, line []bool) []*node {
	if line == nil {
		return ns
	}
	var out []*node
	for _, nd := range ns {
		if line[nd.idx] {
			out = append(out, nd)
		}
	}
	return out
}

// walk moves steps along revises edges from start (nil: below the bases):
// up through children, down through parents. Going up, line (if not nil)
// restricts the candidates to a branch. Going down, stepping off a base
// reaches "base" (end nil), once, and left is the revision the last step
// down left (so a relative downgrade removes left and what descends from
// it). verb ("upgrade"/"downgrade"/"") shapes the suggestions in errors.
func (g *Graph) walk(sp spec, start *node, steps int, line []bool, verb string) (end, left *node, err error) {
	fail := func(format string, args ...any) (*node, *node, error) {
		return nil, nil, &TargetError{Target: sp.text, Msg: fmt.Sprintf(format, args...)}
	}
	suggest := func(ns []*node) string {
		q := make([]string, len(ns))
		for i, n := range ns {
			if verb != "" {
				q[i] = strconv.Quote(verb + " " + n.rev.ID)
			} else {
				q[i] = strconv.Quote(n.rev.ID)
			}
		}
		return orList(q)
	}
	from := "base"
	if start != nil {
		from = start.rev.ID
	}
	n := steps
	if n < 0 {
		n = -n
	}
	cur := start
	for k := 0; k < n; k++ {
		if steps > 0 {
			cands := g.bases
			if cur != nil {
				cands = cur.children
			}
			cands = filter(cands, line)
			switch {
			case len(cands) == 1:
				cur = cands[0]
				continue
			case len(cands) == 0 && cur == nil:
				return fail("there are no revisions to walk up to")
			case len(cands) == 0:
				return fail("walks past the top: only %d step(s) up are possible from %s (ending at head %s)", k, from, cur.rev.ID)
			case cur == nil:
				return fail("ambiguous walk: there are %d bases (%s); name one, or restrict the walk to a branch with label@base%+d", len(cands), strings.Join(ids(cands), ", "), steps)
			default:
				return fail("ambiguous walk after %d step(s): %s is a branch point with children %s; name the revision instead: %s, or restrict the walk to a branch with label@...%+d",
					k, where(cur.rev), strings.Join(ids(cands), ", "), suggest(cands), steps)
			}
		}
		if cur == nil {
			return fail("walks past base: only %d step(s) down are possible from %s", k, from)
		}
		switch len(cur.parents) {
		case 0:
			left, cur = cur, nil
		case 1:
			left, cur = cur, cur.parents[0]
		default:
			return fail("ambiguous walk after %d step(s): %s is a merge point of %s, so there is no single way down; name the parent instead: %s",
				k, where(cur.rev), strings.Join(ids(cur.parents), " and "), suggest(cur.parents))
		}
	}
	return cur, left, nil
}

// Range returns the revisions of a history range FROM:TO, in topological
// order: those that are, or descend from, a FROM revision and are, or
// lead to, a TO revision (revises and depends_on). An empty side, and
// "base" as FROM, leave that side open. Besides the targets Resolve
// takes, each side accepts "current" (the ids in current: the
// database's current heads) and "head" for every head; FROM accepts
// label@base, the first revisions of the label's branch. Two relative
// forms, as in Alembic's history:
//
//	-N, label@-N  as FROM: the revision N steps below each head (each
//	              head on the label's branch); walking off a base there
//	              starts from that base. An open TO then means the heads
//	              walked from, so label@-N: stays on the branch
//	+N, label@+N  as TO: the revision N steps above FROM (above base when
//	              FROM is open), which must name one revision
//
// A relative form on the other side is an error saying where it belongs.
// Errors are [*TargetError]s naming the side.
func (g *Graph) Range(from, to string, current []string) ([]string, error) {
	lower, tops, err := g.rangeFrom(from, current)
	if err != nil {
		return nil, err
	}
	upper := tops
	if to != "" {
		if upper, err = g.rangeTo(to, current, lower); err != nil {
			return nil, err
		}
	}
	keep := make([]bool, len(g.nodes))
	for i := range keep {
		keep[i] = true
	}
	if lower != nil {
		and(keep, g.mark(g.nodesOf(lower), false, true))
	}
	if upper != nil {
		and(keep, g.mark(g.nodesOf(upper), true, true))
	}
	var out []string
	for i, k := range keep {
		if k {
			out = append(out, g.nodes[i].rev.ID)
		}
	}
	return out, nil
}

func and(a, b []bool) {
	for i := range a {
		a[i] = a[i] && b[i]
	}
}

// rangeFrom resolves a range's FROM side: nil when it is open, else the
// revisions the range starts at (possibly only unknown ids: then nothing
// descends from them). For -N it also returns the heads walked from.
func (g *Graph) rangeFrom(from string, current []string) (lower, tops []string, err error) {
	switch from {
	case "", "base":
		return nil, nil, nil
	case "current":
		if len(current) == 0 {
			return nil, nil, nil // an empty database: from base
		}
		return current, nil, nil
	case "head", "heads":
		return g.Heads(), nil, nil
	}
	sp, err := parseSpec(from)
	if err != nil {
		return nil, nil, err
	}
	fail := func(format string, args ...any) ([]string, []string, error) {
		return nil, nil, &TargetError{Target: from, Msg: fmt.Sprintf(format, args...)}
	}
	switch {
	case sp.hasAt && sp.sym == "base" && sp.rel == 0:
		var first []string
		for _, nd := range g.nodes {
			if slices.Contains(nd.labels, sp.branch) {
				first = append(first, nd.rev.ID)
			}
		}
		if len(first) == 0 {
			return fail("no revision carries the branch label %q", sp.branch)
		}
		return first, nil, nil
	case sp.sym == "" && sp.rel > 0:
		return fail("+N counts up from FROM, so it belongs after the colon: -r FROM:%s", from)
	case sp.sym == "" && sp.rel < 0:
		return g.belowHeads(sp)
	}
	ns, below, err := g.resolve(sp, "")
	switch {
	case err != nil:
		return nil, nil, err
	case below != nil:
		return []string{below.rev.ID}, nil, nil
	case len(ns) == 0:
		return nil, nil, nil
	}
	return ids(ns), nil, nil
}

// belowHeads resolves -N (label@-N): the revision N steps below each head
// (each head on the label's branch), or the base a walk steps off; and
// the heads walked from.
func (g *Graph) belowHeads(sp spec) (lower, tops []string, err error) {
	heads := g.realHeads
	if sp.hasAt {
		_, line, err := g.branch(sp)
		if err != nil {
			return nil, nil, err
		}
		heads = filter(g.heads, line)
	}
	for _, h := range heads {
		end, left, err := g.walk(sp, h, sp.rel, nil, "")
		if err != nil {
			return nil, nil, err
		}
		if end == nil {
			end = left
		}
		if !slices.Contains(lower, end.rev.ID) {
			lower = append(lower, end.rev.ID)
		}
	}
	return lower, ids(heads), nil
}

// rangeTo resolves a range's TO side: nil when it is open, else the
// revisions the range ends at. lower is the resolved FROM side, which
// +N walks up from.
func (g *Graph) rangeTo(to string, current, lower []string) ([]string, error) {
	switch to {
	case "":
		return nil, nil
	case "current":
		return append([]string{}, current...), nil // empty: nothing leads to base
	case "head", "heads":
		return g.Heads(), nil
	}
	sp, err := parseSpec(to)
	if err != nil {
		return nil, err
	}
	fail := func(format string, args ...any) ([]string, error) {
		return nil, &TargetError{Target: to, Msg: fmt.Sprintf(format, args...)}
	}
	switch {
	case sp.sym == "" && sp.rel < 0:
		return fail("-N counts down from the heads, so it belongs before the colon: -r %s:", to)
	case sp.sym == "" && sp.rel > 0:
		var line []bool
		if sp.hasAt {
			if _, line, err = g.branch(sp); err != nil {
				return nil, err
			}
		}
		var start *node
		switch ns := g.nodesOf(lower); {
		case len(lower) == 0:
		case len(ns) == 1 && len(lower) == 1:
			start = ns[0]
		default:
			return fail("+N walks up from one revision, but FROM names %d: %s; name one of them as FROM", len(lower), strings.Join(lower, ", "))
		}
		end, _, err := g.walk(sp, start, sp.rel, line, "")
		if err != nil {
			return nil, err
		}
		return []string{end.rev.ID}, nil
	}
	ns, _, err := g.resolve(sp, "")
	if err != nil {
		return nil, err
	}
	return ids(ns), nil // empty (base and below): nothing leads to it
}
