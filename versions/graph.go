package versions

import (
	"container/heap"
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"
)

// Graph is the revision graph: revisions linked to their parents (the
// revises header) and to their dependencies (depends_on). It is
// immutable and safe for concurrent use.
type Graph struct {
	nodes  []*node          // topological order
	byID   map[string]*node // revision id -> node
	labels map[string]*node // declared branch label -> the revision declaring it
	ids    []string         // sorted ids, for prefix lookup

	heads, realHeads, bases []*node
}

type node struct {
	rev *Revision
	idx int // position in topological order
	key int // position in file-name order

	parents    []*node // revises, in the order written
	deps       []*node // resolved depends_on (not repeating a parent)
	children   []*node // revisions that revise this one
	dependents []*node // revisions that depend on this one
	labels     []string
}

// MinPrefix is the shortest partial revision id that names a revision.
const MinPrefix = 4

// NewGraph links revisions into a graph. It reports, as a [*GraphError]
// naming the files: duplicate ids, illegal ids and labels, a parent that
// is not a revision, a dependency that is neither a revision, a unique id
// prefix nor a branch label, a revision that revises or depends on itself,
// cycles, and a branch label declared twice or equal to a revision id.
func NewGraph(revs []*Revision) (*Graph, error) {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	sorted := make([]*Revision, 0, len(revs))
	for _, r := range revs {
		if r != nil {
			sorted = append(sorted, r)
		}
	}
	sort.SliceStable(sorted, func(i, j int) bool { return fileLess(sorted[i], sorted[j]) })

	g := &Graph{byID: make(map[string]*node, len(sorted)), labels: make(map[string]*node)}
	all := make([]*node, 0, len(sorted))
	for _, r := range sorted {
		if err := CheckID(r.ID); err != nil {
			add("%s: %v", fileOf(r), err)
			continue
		}
		if prev, dup := g.byID[r.ID]; dup {
			add("duplicate revision id %s: defined in %s and in %s", r.ID, fileOf(prev.rev), fileOf(r))
			continue
		}
		nd := &node{rev: r, key: len(all)}
		g.byID[r.ID] = nd
		all = append(all, nd)
	}
	g.ids = make([]string, 0, len(all))
	for _, nd := range all {
		g.ids = append(g.ids, nd.rev.ID)
	}
	sort.Strings(g.ids)

	for _, nd := range all {
		for _, l := range nd.rev.BranchLabels {
			if err := checkName(l, "branch label"); err != nil {
				add("%s: %v", fileOf(nd.rev), err)
				continue
			}
			if other, ok := g.byID[l]; ok {
				add("%s: branch label %q is also the id of revision %s", fileOf(nd.rev), l, where(other.rev))
				continue
			}
			if prev, ok := g.labels[l]; ok && prev != nd {
				add("%s: branch label %q is already used by revision %s", fileOf(nd.rev), l, where(prev.rev))
				continue
			}
			g.labels[l] = nd
		}
	}

	for _, nd := range all {
		r := nd.rev
		for _, p := range r.Parents {
			if p == r.ID {
				add("%s: revision %s revises itself", fileOf(r), r.ID)
				continue
			}
			pn := g.byID[p]
			if pn == nil {
				msg := fmt.Sprintf("%s: revision %s revises %s, but no revision file defines %s", fileOf(r), r.ID, p, p)
				if m := g.prefixMatches(p); len(m) == 1 {
					msg += fmt.Sprintf(" (did you mean %s? revises needs the full id)", m[0])
				}
				add("%s", msg)
				continue
			}
			if !slices.Contains(nd.parents, pn) {
				nd.parents = append(nd.parents, pn)
				pn.children = append(pn.children, nd)
			}
		}
		for _, d := range r.DependsOn {
			dn, err := g.lookup(d)
			if err != nil {
				add("%s: revision %s depends on %q: %v", fileOf(r), r.ID, d, err)
				continue
			}
			if dn == nd {
				add("%s: revision %s depends on itself", fileOf(r), r.ID)
				continue
			}
			if !slices.Contains(nd.parents, dn) && !slices.Contains(nd.deps, dn) {
				nd.deps = append(nd.deps, dn)
				dn.dependents = append(dn.dependents, nd)
			}
		}
	}
	if len(problems) > 0 {
		return nil, &GraphError{Problems: problems}
	}

	g.nodes = topoSort(all)
	if len(g.nodes) < len(all) {
		return nil, &GraphError{Problems: []string{cycleMessage(all)}}
	}
	for i, nd := range g.nodes {
		nd.idx = i
		if len(nd.children) == 0 {
			g.heads = append(g.heads, nd)
			if len(nd.dependents) == 0 {
				g.realHeads = append(g.realHeads, nd)
			}
		}
		if len(nd.parents) == 0 {
			g.bases = append(g.bases, nd)
		}
	}
	g.propagateLabels()
	return g, nil
}

// fileLess orders revisions by file name, then path, then id.
func fileLess(a, b *Revision) bool {
	na, nb := path.Base(a.Path), path.Base(b.Path)
	if na != nb {
		return na < nb
	}
	if a.Path != b.Path {
		return a.Path < b.Path
	}
	return a.ID < b.ID
}

// topoSort orders nodes so that every node comes after its parents and
// dependencies, taking among the ready nodes the one whose file sorts
// first. Nodes on a cycle (and after one) are left out.
func topoSort(all []*node) []*node {
	indeg := make([]int, len(all))
	var ready keyHeap
	for _, nd := range all {
		indeg[nd.key] = len(nd.parents) + len(nd.deps)
		if indeg[nd.key] == 0 {
			ready = append(ready, nd.key)
		}
	}
	heap.Init(&ready)
	out := make([]*node, 0, len(all))
	release := func(succ []*node) {
		for _, s := range succ {
			if indeg[s.key]--; indeg[s.key] == 0 {
				heap.Push(&ready, s.key)
			}
		}
	}
	for ready.Len() > 0 {
		nd := all[heap.Pop(&ready).(int)]
		out = append(out, nd)
		release(nd.children)
		release(nd.dependents)
	}
	return out
}

type keyHeap []int

func (h keyHeap) Len() int           { return len(h) }
func (h keyHeap) Less(i, j int) bool { return h[i] < h[j] }
func (h keyHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *keyHeap) Push(x any)        { *h = append(*h, x.(int)) }
func (h *keyHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// cycleMessage finds one cycle among the nodes that topoSort cannot
// order and describes it, naming each revision's file.
func cycleMessage(all []*node) string {
	sorted := topoSort(all)
	done := make([]bool, len(all))
	for _, nd := range sorted {
		done[nd.key] = true
	}
	var start *node
	for _, nd := range all {
		if !done[nd.key] {
			start = nd
			break
		}
	}
	// Every node left over has a predecessor that is left over too; walk
	// predecessors until one repeats.
	pos := map[*node]int{}
	var path []*node
	var edge []string // edge[i]: how path[i] refers to path[i+1]
	for cur := start; ; {
		if at, seen := pos[cur]; seen {
			path, edge = path[at:], edge[at:]
			break
		}
		pos[cur] = len(path)
		path = append(path, cur)
		next, how := (*node)(nil), ""
		for _, p := range cur.parents {
			if !done[p.key] {
				next, how = p, "revises"
				break
			}
		}
		if next == nil {
			for _, d := range cur.deps {
				if !done[d.key] {
					next, how = d, "depends on"
					break
				}
			}
		}
		edge = append(edge, how)
		cur = next
	}
	var b strings.Builder
	b.WriteString("cycle in the revision graph: ")
	for i, nd := range path {
		fmt.Fprintf(&b, "%s %s ", where(nd.rev), edge[i])
	}
	b.WriteString(path[0].rev.ID)
	return b.String()
}

// propagateLabels gives each revision its branch labels: a declared label
// applies to the declaring revision and all its descendants (revises
// edges), and to its ancestors down to, not including, the first branch
// point or merge point.
func (g *Graph) propagateLabels() {
	sets := make([]map[string]bool, len(g.nodes))
	addTo := func(nd *node, ls []string) {
		if sets[nd.idx] == nil {
			sets[nd.idx] = map[string]bool{}
		}
		for _, l := range ls {
			sets[nd.idx][l] = true
		}
	}
	for _, nd := range g.nodes {
		ls := nd.rev.BranchLabels
		if len(ls) == 0 {
			continue
		}
		for _, d := range g.closure([]*node{nd}, false, false) {
			addTo(d, ls)
		}
		for p := nd; len(p.children) < 2 && len(p.parents) < 2; p = p.parents[0] {
			addTo(p, ls)
			if len(p.parents) == 0 {
				break
			}
		}
	}
	for i, s := range sets {
		if s == nil {
			continue
		}
		ls := make([]string, 0, len(s))
		for l := range s {
			ls = append(ls, l)
		}
		sort.Strings(ls)
		g.nodes[i].labels = ls
	}
}

// closure returns the given nodes and their ancestors (up=false: their
// descendants) in topological order, following revises edges and, with
// deps, depends_on edges too.
func (g *Graph) closure(start []*node, up, deps bool) []*node {
	mark := g.mark(start, up, deps)
	var out []*node
	for i, m := range mark {
		if m {
			out = append(out, g.nodes[i])
		}
	}
	return out
}

// mark is closure as a bitmap indexed by topological position.
func (g *Graph) mark(start []*node, up, deps bool) []bool {
	mark := make([]bool, len(g.nodes))
	stack := make([]*node, 0, len(start))
	for _, nd := range start {
		if !mark[nd.idx] {
			mark[nd.idx] = true
			stack = append(stack, nd)
		}
	}
	push := func(ns []*node) {
		for _, n := range ns {
			if !mark[n.idx] {
				mark[n.idx] = true
				stack = append(stack, n)
			}
		}
	}
	for len(stack) > 0 {
		nd := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if up {
			push(nd.parents)
			if deps {
				push(nd.deps)
			}
		} else {
			push(nd.children)
			if deps {
				push(nd.dependents)
			}
		}
	}
	return mark
}

// lineage marks the revisions sharing lineage with nd: nd, its ancestors
// and its descendants along revises edges (Alembic's rule for label@...
// and rev@head).
func (g *Graph) lineage(nd *node) []bool {
	m := g.mark([]*node{nd}, true, false)
	for i, d := range g.mark([]*node{nd}, false, false) {
		m[i] = m[i] || d
	}
	return m
}

// lookup finds a revision by full id, branch label (the revision declaring
// it) or unique id prefix of at least MinPrefix characters.
func (g *Graph) lookup(s string) (*node, error) {
	if nd := g.byID[s]; nd != nil {
		return nd, nil
	}
	if nd := g.labels[s]; nd != nil {
		return nd, nil
	}
	return g.lookupPrefix(s)
}

// lookupRev is lookup without branch labels.
func (g *Graph) lookupRev(s string) (*node, error) {
	if nd := g.byID[s]; nd != nil {
		return nd, nil
	}
	return g.lookupPrefix(s)
}

func (g *Graph) lookupPrefix(s string) (*node, error) {
	m := g.prefixMatches(s)
	switch {
	case len(m) == 0:
		return nil, fmt.Errorf("no revision or branch label %q", s)
	case len(s) < MinPrefix:
		return nil, fmt.Errorf("no revision or branch label %q (a partial revision id needs at least %d characters)", s, MinPrefix)
	case len(m) > 1:
		names := make([]string, len(m))
		for i, id := range m {
			names[i] = where(g.byID[id].rev)
		}
		return nil, fmt.Errorf("%q is ambiguous: it starts %d revision ids: %s", s, len(m), strings.Join(names, ", "))
	}
	return g.byID[m[0]], nil
}

func (g *Graph) prefixMatches(s string) []string {
	if s == "" {
		return nil
	}
	i := sort.SearchStrings(g.ids, s)
	var m []string
	for ; i < len(g.ids) && strings.HasPrefix(g.ids[i], s); i++ {
		m = append(m, g.ids[i])
	}
	return m
}

func ids(ns []*node) []string {
	out := make([]string, len(ns))
	for i, nd := range ns {
		out[i] = nd.rev.ID
	}
	return out
}

func (g *Graph) nodesOf(list []string) []*node {
	out := make([]*node, 0, len(list))
	for _, id := range list {
		if nd := g.byID[id]; nd != nil {
			out = append(out, nd)
		}
	}
	return out
}

// Len returns the number of revisions.
func (g *Graph) Len() int { return len(g.nodes) }

// Get returns the revision with the full id, or nil.
func (g *Graph) Get(id string) *Revision {
	if nd := g.byID[id]; nd != nil {
		return nd.rev
	}
	return nil
}

// Revisions returns every revision in topological order: each after its
// parents and dependencies, ties broken by file name. The revisions are
// the graph's own: do not modify them.
func (g *Graph) Revisions() []*Revision {
	out := make([]*Revision, len(g.nodes))
	for i, nd := range g.nodes {
		out[i] = nd.rev
	}
	return out
}

// Heads returns the revisions that no revision revises (depends_on is
// ignored, so a revision only depended on is still a head: Alembic's
// "effective head"), in topological order.
func (g *Graph) Heads() []string { return ids(g.heads) }

// RealHeads returns the revisions that no revision revises or depends on
// (what the target "heads" means), in topological order.
func (g *Graph) RealHeads() []string { return ids(g.realHeads) }

// Bases returns the revisions that revise nothing, in topological order.
func (g *Graph) Bases() []string { return ids(g.bases) }

// IsBranchPoint reports whether two or more revisions revise id.
func (g *Graph) IsBranchPoint(id string) bool {
	nd := g.byID[id]
	return nd != nil && len(nd.children) > 1
}

// IsMerge reports whether id revises two or more revisions.
func (g *Graph) IsMerge(id string) bool {
	nd := g.byID[id]
	return nd != nil && len(nd.parents) > 1
}

// IsHead reports whether no revision revises id.
func (g *Graph) IsHead(id string) bool {
	nd := g.byID[id]
	return nd != nil && len(nd.children) == 0
}

// Children returns the revisions that revise id, in topological order.
func (g *Graph) Children(id string) []string {
	return g.rel(id, func(nd *node) []*node { return nd.children })
}

// Dependents returns the revisions that depend on id, in topological order.
func (g *Graph) Dependents(id string) []string {
	return g.rel(id, func(nd *node) []*node { return nd.dependents })
}

// Dependencies returns the full ids of the revisions id depends on (its
// depends_on entries resolved; an entry that is also a parent is left
// out), in the order written.
func (g *Graph) Dependencies(id string) []string {
	nd := g.byID[id]
	if nd == nil {
		return nil
	}
	return ids(nd.deps)
}

func (g *Graph) rel(id string, f func(*node) []*node) []string {
	nd := g.byID[id]
	if nd == nil {
		return nil
	}
	ns := slices.Clone(f(nd))
	sort.Slice(ns, func(i, j int) bool { return ns[i].idx < ns[j].idx })
	return ids(ns)
}

// Labels returns the branch labels that apply to id, sorted: those it
// declares, those of its ancestors that declare one, and those of its
// descendants down to the first branch or merge point.
func (g *Graph) Labels(id string) []string {
	if nd := g.byID[id]; nd != nil {
		return slices.Clone(nd.labels)
	}
	return nil
}

// Ancestors returns the given revisions and all their ancestors, following
// revises and depends_on, in topological order. Unknown ids are ignored.
func (g *Graph) Ancestors(ids ...string) []string {
	return idsOf(g.closure(g.nodesOf(ids), true, true))
}

// Descendants returns the given revisions and all their descendants:
// revisions that revise them or depend on them, transitively, in
// topological order. Unknown ids are ignored.
func (g *Graph) Descendants(ids ...string) []string {
	return idsOf(g.closure(g.nodesOf(ids), false, true))
}

func idsOf(ns []*node) []string { return ids(ns) }

// CheckFileOrder reports every revision whose file name sorts before the
// file of a revision it revises or depends on. sqlc (and anything else
// that reads a versions folder in plain name order) would apply such a
// child before its parent. Each problem names both files.
func (g *Graph) CheckFileOrder() []string {
	var problems []string
	for _, nd := range g.nodes {
		check := func(p *node, how string) {
			if nd.rev.Path == "" || p.rev.Path == "" {
				return
			}
			if path.Base(nd.rev.Path) < path.Base(p.rev.Path) {
				problems = append(problems, fmt.Sprintf(
					"%s sorts before %s, which it %s: tools that read files in name order (sqlc) would apply %s first; rename %s so that it sorts after",
					nd.rev.Path, p.rev.Path, how, nd.rev.ID, nd.rev.Path))
			}
		}
		for _, p := range nd.parents {
			check(p, "revises")
		}
		for _, d := range nd.deps {
			check(d, "depends on")
		}
	}
	return problems
}
