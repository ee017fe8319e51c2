package versions

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// The example graph of alembic-semantics.md: linear a→b→c, branch point c
// with children da and db, merge e=(db,da), labelled second root
// fa(other)→fb→fc, and fc depends_on da.
var alias = map[string]string{
	"a": "aaaa00000001", "b": "bbbb00000002", "c": "cccc00000003",
	"da": "dddd0000000a", "db": "dddd0000000b", "e": "eeee00000005",
	"fa": "ffff0000000a", "fb": "ffff0000000b", "fc": "ffff0000000c",
}

var short = func() map[string]string {
	m := map[string]string{}
	for k, v := range alias {
		m[v] = k
	}
	return m
}()

// revSpec describes a test revision by short name; build turns specs into
// revisions through Render and Parse, so the graph tests also exercise the
// file format.
type revSpec struct {
	name, parents, labels, deps string
	irreversible                bool
}

func build(t testing.TB, specs ...revSpec) []*Revision {
	t.Helper()
	var revs []*Revision
	for i, s := range specs {
		r := &Revision{
			ID: full(s.name), Parents: fulls(s.parents), BranchLabels: split(s.labels), DependsOn: fulls(s.deps),
			Message: "rev " + s.name, Transactional: true, Irreversible: s.irreversible,
			Up: "SELECT 1;\n", Down: "SELECT 2;\n",
		}
		path := fmt.Sprintf("versions/2026010100%02d00_%s_rev.sql", i, r.ID)
		p, err := Parse(path, Render(r))
		if err != nil {
			t.Fatal(err)
		}
		revs = append(revs, p)
	}
	return revs
}

func full(s string) string {
	if id, ok := alias[s]; ok {
		return id
	}
	return s
}

func split(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

func fulls(s string) []string {
	out := split(s)
	for i := range out {
		out[i] = full(out[i])
	}
	return out
}

func shorts(ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		if s, ok := short[id]; ok {
			out[i] = s
		} else {
			out[i] = id
		}
	}
	return out
}

func exampleSpecs() []revSpec {
	return []revSpec{
		{name: "a"}, {name: "b", parents: "a"}, {name: "c", parents: "b"},
		{name: "da", parents: "c"}, {name: "db", parents: "c"}, {name: "e", parents: "db,da"},
		{name: "fa", labels: "other"}, {name: "fb", parents: "fa"}, {name: "fc", parents: "fb", deps: "da"},
	}
}

func exampleGraph(t testing.TB) *Graph {
	t.Helper()
	g, err := NewGraph(build(t, exampleSpecs()...))
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestGraphQueries(t *testing.T) {
	g := exampleGraph(t)
	eq := func(what string, got []string, want string) {
		t.Helper()
		if w := split(want); !reflect.DeepEqual(shorts(got), w) && !(len(got) == 0 && len(w) == 0) {
			t.Errorf("%s = %v, want %v", what, shorts(got), w)
		}
	}
	var order []string
	for _, r := range g.Revisions() {
		order = append(order, r.ID)
	}
	eq("Revisions", order, "a,b,c,da,db,e,fa,fb,fc")
	eq("Heads", g.Heads(), "e,fc")
	eq("RealHeads", g.RealHeads(), "e,fc")
	eq("Bases", g.Bases(), "a,fa")
	eq("Ancestors(fc)", g.Ancestors(full("fc")), "a,b,c,da,fa,fb,fc")
	eq("Ancestors(e, nope)", g.Ancestors(full("e"), "nope"), "a,b,c,da,db,e")
	eq("Descendants(da)", g.Descendants(full("da")), "da,e,fc")
	eq("Descendants(c)", g.Descendants(full("c")), "c,da,db,e,fc")
	eq("Children(c)", g.Children(full("c")), "da,db")
	eq("Dependents(da)", g.Dependents(full("da")), "fc")
	eq("Dependencies(fc)", g.Dependencies(full("fc")), "da")
	eq("Labels(fb)", g.Labels(full("fb")), "other")
	eq("Labels(a)", g.Labels(full("a")), "")
	if !g.IsBranchPoint(full("c")) || g.IsBranchPoint(full("b")) {
		t.Error("IsBranchPoint")
	}
	if !g.IsMerge(full("e")) || g.IsMerge(full("c")) || g.IsMerge("nope") {
		t.Error("IsMerge")
	}
	if !g.IsHead(full("fc")) || g.IsHead(full("da")) {
		t.Error("IsHead")
	}
	if g.Get(full("e")) == nil || g.Get("eeee") != nil || g.Len() != 9 {
		t.Error("Get/Len")
	}
	if got := g.Get(full("e")).Parents; !reflect.DeepEqual(shorts(got), []string{"db", "da"}) {
		t.Errorf("merge parents keep their order: %v", got)
	}
}

func TestLabelPropagation(t *testing.T) {
	// x1 → x2 → bp, bp → l1(lab) → l2, bp → o1; m = (l2, o1) → m2.
	// lab applies to l1, l2 and their descendants m, m2; going down it
	// stops at bp, a branch point, so bp, x2 and x1 do not get it.
	g, err := NewGraph(build(t,
		revSpec{name: "x1"}, revSpec{name: "x2", parents: "x1"}, revSpec{name: "bp", parents: "x2"},
		revSpec{name: "l1", parents: "bp", labels: "lab"}, revSpec{name: "l2", parents: "l1"},
		revSpec{name: "o1", parents: "bp"}, revSpec{name: "m", parents: "l2,o1"}, revSpec{name: "m2", parents: "m"},
		// A label on a linear chain applies down to the base.
		revSpec{name: "y1"}, revSpec{name: "y2", parents: "y1"}, revSpec{name: "y3", parents: "y2", labels: "why,also"},
	))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"x1": "", "x2": "", "bp": "", "l1": "lab", "l2": "lab", "o1": "", "m": "lab", "m2": "lab",
		"y1": "also,why", "y2": "also,why", "y3": "also,why",
	}
	for id, w := range want {
		if got := strings.Join(g.Labels(id), ","); got != w {
			t.Errorf("Labels(%s) = %q, want %q", id, got, w)
		}
	}
}

func TestEffectiveHead(t *testing.T) {
	// lib is a head by revises, but app depends on it: not a real head.
	g, err := NewGraph(build(t, revSpec{name: "lib0"}, revSpec{name: "app0"}, revSpec{name: "app1", parents: "app0", deps: "lib0"}))
	if err != nil {
		t.Fatal(err)
	}
	if got := g.Heads(); !reflect.DeepEqual(got, []string{"lib0", "app1"}) {
		t.Errorf("Heads = %v", got)
	}
	if got := g.RealHeads(); !reflect.DeepEqual(got, []string{"app1"}) {
		t.Errorf("RealHeads = %v", got)
	}
	if _, err := g.Resolve("head"); !errors.Is(err, ErrMultipleHeads) {
		t.Errorf("head: %v (Alembic's head counts effective heads)", err)
	}
	if got, err := g.Resolve("heads"); err != nil || !reflect.DeepEqual(got, []string{"app1"}) {
		t.Errorf("heads = %v, %v", got, err)
	}
}

func TestTopologicalTies(t *testing.T) {
	// Independent revisions come in file-name order whatever the input order;
	// a revision waits for its dependency even if its file sorts first.
	revs := build(t, revSpec{name: "r1"}, revSpec{name: "r2", deps: "r3"}, revSpec{name: "r3"}, revSpec{name: "r4"})
	revs[0], revs[3] = revs[3], revs[0]
	g, err := NewGraph(revs)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range g.Revisions() {
		got = append(got, r.ID)
	}
	if want := []string{"r1", "r3", "r2", "r4"}; !reflect.DeepEqual(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
	probs := g.CheckFileOrder()
	if len(probs) != 1 || !strings.Contains(probs[0], "_r2_rev.sql sorts before") || !strings.Contains(probs[0], "_r3_rev.sql, which it depends on") {
		t.Errorf("CheckFileOrder = %q", probs)
	}
}

func TestCheckFileOrder(t *testing.T) {
	if p := exampleGraph(t).CheckFileOrder(); len(p) != 0 {
		t.Errorf("example graph: %q", p)
	}
	revs := build(t, revSpec{name: "p1"}, revSpec{name: "p2"})
	revs[0].Parents = []string{"p2"} // p1's file sorts before its parent's
	g, err := NewGraph(revs)
	if err != nil {
		t.Fatal(err)
	}
	p := g.CheckFileOrder()
	if len(p) != 1 || !strings.Contains(p[0], revs[0].Path+" sorts before "+revs[1].Path+", which it revises") {
		t.Errorf("CheckFileOrder = %q", p)
	}
}

func TestNewGraphErrors(t *testing.T) {
	tests := []struct {
		name  string
		specs []revSpec
		edit  func([]*Revision)
		want  []string
	}{
		{"duplicate id", []revSpec{{name: "a1"}, {name: "a2"}}, func(r []*Revision) { r[1].ID = "a1" },
			[]string{"duplicate revision id a1: defined in versions/20260101000000_a1_rev.sql and in versions/20260101000100_a2_rev.sql"}},
		{"unknown parent", []revSpec{{name: "a1"}, {name: "a2", parents: "zz99"}}, nil,
			[]string{"versions/20260101000100_a2_rev.sql: revision a2 revises zz99, but no revision file defines zz99"}},
		{"parent by prefix", []revSpec{{name: "a1234567"}, {name: "a2", parents: "a123"}}, nil,
			[]string{"revises a123, but no revision file defines a123 (did you mean a1234567? revises needs the full id)"}},
		{"unknown dependency", []revSpec{{name: "a1", deps: "nolabel"}}, nil,
			[]string{`versions/20260101000000_a1_rev.sql: revision a1 depends on "nolabel": no revision or branch label "nolabel"`}},
		{"ambiguous dependency", []revSpec{{name: "abcd01"}, {name: "abcd02"}, {name: "x", deps: "abcd"}}, nil,
			[]string{`revision x depends on "abcd": "abcd" is ambiguous: it starts 2 revision ids: abcd01 (versions/20260101000000_abcd01_rev.sql), abcd02 (versions/20260101000100_abcd02_rev.sql)`}},
		{"self revises", []revSpec{{name: "a1"}}, func(r []*Revision) { r[0].Parents = []string{"a1"} },
			[]string{"versions/20260101000000_a1_rev.sql: revision a1 revises itself"}},
		{"self depends", []revSpec{{name: "a1", labels: "me"}}, func(r []*Revision) { r[0].DependsOn = []string{"me"} },
			[]string{"versions/20260101000000_a1_rev.sql: revision a1 depends on itself"}},
		{"cycle", []revSpec{{name: "c1", parents: "c3"}, {name: "c2", parents: "c1"}, {name: "c3", parents: "c2"}, {name: "ok"}}, nil,
			[]string{"cycle in the revision graph: c1 (versions/20260101000000_c1_rev.sql) revises c3 (versions/20260101000200_c3_rev.sql) revises c2 (versions/20260101000100_c2_rev.sql) revises c1"}},
		{"dependency cycle", []revSpec{{name: "d1", deps: "d2"}, {name: "d2", parents: "d1"}}, nil,
			[]string{"cycle in the revision graph: d1 (versions/20260101000000_d1_rev.sql) depends on d2 (versions/20260101000100_d2_rev.sql) revises d1"}},
		{"label reused", []revSpec{{name: "l1", labels: "lab"}, {name: "l2", labels: "lab"}}, nil,
			[]string{`versions/20260101000100_l2_rev.sql: branch label "lab" is already used by revision l1 (versions/20260101000000_l1_rev.sql)`}},
		{"label is an id", []revSpec{{name: "l1"}, {name: "l2", labels: "l1"}}, nil,
			[]string{`versions/20260101000100_l2_rev.sql: branch label "l1" is also the id of revision l1 (versions/20260101000000_l1_rev.sql)`}},
		{"bad id built by hand", []revSpec{{name: "a1"}}, func(r []*Revision) { r[0].ID = "a-1" },
			[]string{`character(s) '-' not allowed in revision id "a-1"`}},
		{"several problems", []revSpec{{name: "a1", parents: "x9"}, {name: "a2", deps: "y9"}}, nil,
			[]string{"revision a1 revises x9", `revision a2 depends on "y9"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			revs := build(t, tt.specs...)
			if tt.edit != nil {
				tt.edit(revs)
			}
			_, err := NewGraph(revs)
			var ge *GraphError
			if !errors.As(err, &ge) {
				t.Fatalf("want *GraphError, got %v", err)
			}
			if len(ge.Problems) != len(tt.want) {
				t.Fatalf("problems %q, want %d", ge.Problems, len(tt.want))
			}
			for i, w := range tt.want {
				if !strings.Contains(ge.Problems[i], w) {
					t.Errorf("problem %d:\n got %s\nwant …%s…", i, ge.Problems[i], w)
				}
			}
		})
	}
}

func TestResolve(t *testing.T) {
	g := exampleGraph(t)
	tests := []struct {
		target string
		want   string // short names, comma-separated
		err    string // substring of the error
	}{
		{"heads", "e,fc", ""},
		{"base", "", ""},
		{"aaaa00000001", "a", ""},
		{"aaaa", "a", ""},
		{"eeee0", "e", ""},
		{"other", "fa", ""},
		{"other@head", "fc", ""},
		{"other@heads", "fc", ""},
		{"other@base", "", ""},
		{"other@ffff0000000b", "fb", ""},
		{"other@ffff0000000b+1", "fc", ""},
		{"cccc@head", "e", ""},
		{"ffff0000000a@head", "fc", ""},
		{"aaaa@head", "e", ""},
		{"dddd0000000a@head", "e", ""},
		{"aaaa00000001+2", "c", ""},
		{"aaaa+1", "b", ""},
		{"dddd0000000a+1", "e", ""},
		{"cccc-2", "a", ""},
		{"aaaa-1", "", ""},
		{"other@head-1", "fb", ""},
		{"other@head-2", "fa", ""},
		{"other@head-3", "", ""},
		{"other@base+1", "fa", ""},
		{"other@base+3", "fc", ""},
		{"head", "", "there are 2 heads: eeee00000005 (versions/20260101000500_eeee00000005_rev.sql), ffff0000000c (versions/20260101000800_ffff0000000c_rev.sql); use \"heads\" for all of them, or name one: \"eeee00000005\" or \"other@head\""},
		{"head-1", "", "there are 2 heads"},
		{"dddd", "", `"dddd" is ambiguous: it starts 2 revision ids: dddd0000000a (versions/20260101000300_dddd0000000a_rev.sql), dddd0000000b (versions/20260101000400_dddd0000000b_rev.sql)`},
		{"zzzz", "", `no revision or branch label "zzzz"`},
		{"aaa", "", `no revision or branch label "aaa" (a partial revision id needs at least 4 characters)`},
		{"nolabel@head", "", `"nolabel" before '@' is neither a branch label nor a revision`},
		{"other@aaaa00000001", "", "revision aaaa00000001 (versions/20260101000000_aaaa00000001_rev.sql) is not on branch other"},
		{"cccc00000003+1", "", "ambiguous walk after 0 step(s): cccc00000003 (versions/20260101000200_cccc00000003_rev.sql) is a branch point with children dddd0000000a, dddd0000000b; name the revision instead: \"dddd0000000a\" or \"dddd0000000b\""},
		{"eeee00000005-1", "", "is a merge point of dddd0000000b and dddd0000000a, so there is no single way down; name the parent instead: \"dddd0000000b\" or \"dddd0000000a\""},
		{"ffff0000000c+1", "", "walks past the top: only 0 step(s) up are possible from ffff0000000c"},
		{"ffff0000000a+3", "", "walks past the top: only 2 step(s) up are possible from ffff0000000a (ending at head ffff0000000c)"},
		{"aaaa-2", "", "walks past base: only 1 step(s) down are possible from aaaa00000001"},
		{"other@head-4", "", "walks past base: only 3 step(s) down are possible from ffff0000000c"},
		{"base+1", "", "ambiguous walk: there are 2 bases (aaaa00000001, ffff0000000a); name one, or restrict the walk to a branch with label@base+1"},
		{"base-1", "", "cannot walk down from base"},
		{"heads-1", "", "heads-1 is not a target"},
		{"+1", "", "relative to the applied revisions"},
		{"other@-1", "", "relative to the applied revisions"},
		{"", "", "empty target"},
		{"@head", "", "nothing before '@'"},
		{"other@", "", "nothing after '@'"},
		{"aaaa+", "", `"+" is not a relative step`},
		{"aaaa+x", "", `"+x" is not a relative step`},
		{"aaaa+-1", "", `"+-1" is not a relative step`},
		{"aaaa+0", "", "at least 1"},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			got, err := g.Resolve(tt.target)
			if tt.err != "" {
				var te *TargetError
				if !errors.As(err, &te) || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error = %v\nwant …%s…", err, tt.err)
				}
				if !strings.HasPrefix(err.Error(), fmt.Sprintf("target %q: ", tt.target)) {
					t.Errorf("error does not name the target: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if g, w := strings.Join(shorts(got), ","), tt.want; g != w {
				t.Errorf("got %q, want %q", g, w)
			}
		})
	}
	_, err := g.Resolve("head")
	if !errors.Is(err, ErrMultipleHeads) {
		t.Errorf("head: %v does not wrap ErrMultipleHeads", err)
	}
	_, err = g.Resolve("dddd")
	if errors.Is(err, ErrMultipleHeads) {
		t.Error("an ambiguous prefix is not ErrMultipleHeads")
	}
}
