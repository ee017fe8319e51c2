package versions

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func stepNames(steps []Step) string {
	var s []string
	for _, st := range steps {
		s = append(s, short[st.Revision.ID])
	}
	return strings.Join(s, ",")
}

const everything = "a,b,c,da,db,e,fa,fb,fc"

func TestPlanUpgrade(t *testing.T) {
	g := exampleGraph(t)
	tests := []struct {
		applied, target string
		want            string
		err             string
	}{
		{"", "heads", everything, ""},
		{"", "other@head", "a,b,c,da,fa,fb,fc", ""}, // fc depends on da
		{"", "eeee", "a,b,c,da,db,e", ""},
		{"", "dddd0000000b", "a,b,c,db", ""},
		{"", "cccc+1", "", "branch point"},
		{"", "aaaa+2", "a,b,c", ""},
		{"", "other@+1", "fa", ""},
		{"", "other@+3", "a,b,c,da,fa,fb,fc", ""},
		{"", "other@+4", "", "walks past the top: only 3 step(s) up are possible from base (ending at head ffff0000000c)"},
		{"", "base", "", ""},
		{"a,b,c", "heads", "da,db,e,fa,fb,fc", ""},
		{"a", "+2", "b,c", ""},
		{"a,b", "+1", "c", ""},
		{"a,b,c,da", "+1", "db,e", ""}, // e also needs db
		{"a,b,c,da,db,e,fa,fb,fc", "heads", "", ""},
		{"a,b,c", "bbbb", "", ""}, // already applied: nothing to do
		{"a,b,c,da,db", "eeee00000005", "e", ""},
		{"a,b,c,da,db", "dddd0000000a@+1", "e", ""},
		{"a,b,c,da", "heads", "db,e,fa,fb,fc", ""},
		{"fa", "other@+1", "fb", ""},
		{"fa,fb", "other@+1", "a,b,c,da,fc", ""},
		{"", "head", "", "there are 2 heads"},
		{"", "+1", "", "ambiguous walk: there are 2 bases (aaaa00000001, ffff0000000a)"},
		{"a,b,c", "+1", "", "ambiguous walk after 0 step(s): cccc00000003 (versions/20260101000200_cccc00000003_rev.sql) is a branch point with children dddd0000000a, dddd0000000b; name the revision instead: \"upgrade dddd0000000a\" or \"upgrade dddd0000000b\""},
		{"a,b,c,da,db", "+1", "", "there are 2 current heads (dddd0000000a (versions/20260101000300_dddd0000000a_rev.sql), dddd0000000b (versions/20260101000400_dddd0000000b_rev.sql)); pick a branch: \"upgrade dddd0000000a@+1\" or \"upgrade dddd0000000b@+1\""},
		{"a,fa", "+1", "", "there are 2 current heads"},
		{"a,b,c,da,db,e", "+1", "", "walks past the top: only 0 step(s) up are possible from eeee00000005"},
		{"fa", "ffff0000000c+1", "", "walks past the top"},
		{"", "-1", "", "upgrade cannot move down; use \"downgrade -1\""},
		{"", "nope", "", `no revision or branch label "nope"`},
		{"zzzz9999,a", "heads", "", "applied revision(s) that no file defines: zzzz9999"},
	}
	for _, tt := range tests {
		t.Run(tt.applied+"→"+tt.target, func(t *testing.T) {
			steps, err := g.PlanUpgrade(fulls(tt.applied), tt.target)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error = %v\nwant …%s…", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := stepNames(steps); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			for _, s := range steps {
				if s.Direction != Up {
					t.Errorf("step %s is %v", s.Revision.ID, s.Direction)
				}
			}
		})
	}
}

func TestPlanDowngrade(t *testing.T) {
	g := exampleGraph(t)
	tests := []struct {
		applied, target string
		want            string
		err             string
	}{
		{everything, "base", "fc,fb,fa,e,db,da,c,b,a", ""},
		{everything, "cccc", "fc,e,db,da", ""},              // dependents are pulled in
		{"a,b,c,da,db,e", "dddd0000000b", "e", ""},          // the other side of the merge stays
		{everything, "other@base", "fc,fb,fa", ""},          // keeps da, which fc depended on
		{"a,b,c,da,fa,fb,fc", "other@base", "fc,fb,fa", ""}, // table held only fc
		{"a,b,c", "-1", "c", ""},
		{"a,b,c", "-3", "c,b,a", ""},
		{"a,b,c", "aaaa", "c,b", ""},
		{"a,b,c", "cccc", "", ""}, // the current head: nothing to do
		{"a,b,c", "cccc-1", "c", ""},
		{"a,b,c", "base+1", "", "ambiguous walk: there are 2 bases"},
		{"a,b,c", "aaaa-1", "c,b,a", ""}, // below a = base of that chain
		{"a,b,c,da,fa,fb,fc", "-1", "fc", ""},
		{"a,b,c,da,fa,fb,fc", "-2", "fc,fb", ""},
		{"a,b,c,da,fa,fb,fc", "-3", "fc,fb,fa", ""}, // to base along the walked chain only
		{"a,b,c,da,db", "dddd0000000b@-1", "db", ""},
		{"a,b,c,da,db", "cccc", "db,da", ""},
		{"fa,fb", "other@-1", "fb", ""},
		{"a,b,c,da,fa,fb,fc", "other@head-1", "fc", ""},
		{everything, "heads", "", ""},
		{"a,b,c", "-4", "", "walks past base: only 3 step(s) down are possible from cccc00000003"},
		{"a,b,c,da,db,e", "-1", "", "ambiguous walk after 0 step(s): eeee00000005 (versions/20260101000500_eeee00000005_rev.sql) is a merge point of dddd0000000b and dddd0000000a, so there is no single way down; name the parent instead: \"downgrade dddd0000000b\" or \"downgrade dddd0000000a\""},
		{"a,b,c,da,db", "-1", "", "there are 2 current heads (dddd0000000a (versions/20260101000300_dddd0000000a_rev.sql), dddd0000000b (versions/20260101000400_dddd0000000b_rev.sql)); pick a branch: \"downgrade dddd0000000a@-1\" or \"downgrade dddd0000000b@-1\", or name the revision to downgrade to"},
		{"a,b,c,da,db,e,fa", "-1", "", "pick a branch: \"downgrade eeee00000005@-1\" or \"downgrade other@-1\""},
		{"", "-1", "", "nothing is applied"},
		{"a,b", "other@-1", "", "no applied revision is on branch other"},
		{"a,b,c", "dddd0000000a", "", "revision dddd0000000a (versions/20260101000300_dddd0000000a_rev.sql) is not applied, so it is not a valid downgrade target (current heads: cccc00000003 (versions/20260101000200_cccc00000003_rev.sql))"},
		{"", "aaaa", "", "current heads: none"},
		{"a,b,c", "head", "", "there are 2 heads"},
		{"a,b,c", "+1", "", "downgrade cannot move up; use \"upgrade +1\""},
		{"a,b,c", "aaaa@base", "", `"aaaa" is not a branch label`},
		{"zzzz9999", "base", "", "applied revision(s) that no file defines: zzzz9999"},
	}
	for _, tt := range tests {
		t.Run(tt.applied+"→"+tt.target, func(t *testing.T) {
			steps, err := g.PlanDowngrade(fulls(tt.applied), tt.target)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error = %v\nwant …%s…", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := stepNames(steps); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			for _, s := range steps {
				if s.Direction != Down {
					t.Errorf("step %s is %v", s.Revision.ID, s.Direction)
				}
			}
		})
	}
}

func TestPlanIrreversible(t *testing.T) {
	specs := exampleSpecs()
	specs[1].irreversible = true // b
	specs[7].irreversible = true // fb
	g, err := NewGraph(build(t, specs...))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.PlanDowngrade(fulls("a,b,c"), "bbbb"); err != nil {
		t.Errorf("downgrade to b itself does not run b's down: %v", err)
	}
	_, err = g.PlanDowngrade(fulls("a,b,c"), "aaaa")
	var ie *IrreversibleError
	if !errors.As(err, &ie) || ie.Revision.ID != full("b") || !strings.Contains(err.Error(), "versions/20260101000100_bbbb00000002_rev.sql: revision bbbb00000002 has no -- migrate:down section") {
		t.Errorf("got %v", err)
	}
	_, err = g.PlanDowngrade(fulls(everything), "base")
	if err == nil || !strings.Contains(err.Error(), "bbbb00000002_rev.sql") || !strings.Contains(err.Error(), "ffff0000000b_rev.sql") {
		t.Errorf("every irreversible revision is named: %v", err)
	}
}

func TestCurrentHeads(t *testing.T) {
	g := exampleGraph(t)
	tests := map[string]string{
		"":                  "",
		"a,b,c":             "c",
		"a,b,c,da,db":       "da,db",
		"a,b,c,da,fa,fb,fc": "fc", // da is implied by fc, as in Alembic's table
		everything:          "e,fc",
		"a,c":               "c", // a gap does not make a a head
		"fa,a":              "a,fa",
		"zz99,a,yy88,zz99":  "a,yy88,zz99",
	}
	for applied, want := range tests {
		if got := strings.Join(shorts(g.CurrentHeads(fulls(applied))), ","); got != want {
			t.Errorf("CurrentHeads(%s) = %q, want %q", applied, got, want)
		}
	}
	if got := g.Unknown([]string{"zz99", full("a"), "yy88", "zz99"}); !reflect.DeepEqual(got, []string{"zz99", "yy88"}) {
		t.Errorf("Unknown = %v", got)
	}
}

// TestPlanRoundTrip upgrades to every target from every reachable applied
// set, then downgrades back, and checks that the plans are consistent:
// upgrade plans only add, in an order where each revision comes after
// what it needs; downgrade to base removes exactly what is applied.
func TestPlanRoundTrip(t *testing.T) {
	g := exampleGraph(t)
	all := g.Revisions()
	var targets []string
	for _, r := range all {
		targets = append(targets, r.ID)
	}
	targets = append(targets, "heads", "other@head", "base")
	for _, from := range targets {
		s1, err := g.PlanUpgrade(nil, from)
		if err != nil {
			t.Fatal(err)
		}
		applied := apply(t, g, nil, s1)
		for _, to := range targets {
			s2, err := g.PlanUpgrade(applied, to)
			if err != nil {
				t.Fatalf("%s → %s: %v", from, to, err)
			}
			now := apply(t, g, applied, s2)
			down, err := g.PlanDowngrade(now, "base")
			if err != nil {
				t.Fatal(err)
			}
			if left := apply(t, g, now, down); len(left) != 0 {
				t.Fatalf("%s → %s → base leaves %v", from, to, left)
			}
		}
	}
}

// apply simulates steps on an applied set, checking that each upgrade
// finds its parents and dependencies applied and each downgrade finds no
// applied child or dependent.
func apply(t *testing.T, g *Graph, applied []string, steps []Step) []string {
	t.Helper()
	set := map[string]bool{}
	for _, id := range applied {
		set[id] = true
	}
	for _, s := range steps {
		id := s.Revision.ID
		if s.Direction == Up {
			if set[id] {
				t.Fatalf("upgrade of applied %s", id)
			}
			for _, p := range append(g.Get(id).Parents, g.Dependencies(id)...) {
				if !set[p] {
					t.Fatalf("upgrade of %s before %s", id, p)
				}
			}
			set[id] = true
			continue
		}
		if !set[id] {
			t.Fatalf("downgrade of unapplied %s", id)
		}
		for _, c := range append(g.Children(id), g.Dependents(id)...) {
			if set[c] {
				t.Fatalf("downgrade of %s while %s is applied", id, c)
			}
		}
		delete(set, id)
	}
	var out []string
	for _, r := range g.Revisions() {
		if set[r.ID] {
			out = append(out, r.ID)
		}
	}
	return out
}

func TestEmptyGraph(t *testing.T) {
	g, err := NewGraph(nil)
	if err != nil {
		t.Fatal(err)
	}
	if ids, err := g.Resolve("head"); err != nil || len(ids) != 0 {
		t.Errorf("head = %v, %v", ids, err)
	}
	for _, target := range []string{"head", "heads", "base"} {
		if steps, err := g.PlanUpgrade(nil, target); err != nil || len(steps) != 0 {
			t.Errorf("upgrade %s = %v, %v", target, steps, err)
		}
	}
	if steps, err := g.PlanDowngrade(nil, "base"); err != nil || len(steps) != 0 {
		t.Errorf("downgrade base = %v, %v", steps, err)
	}
	if _, err := g.PlanUpgrade(nil, "+1"); err == nil || !strings.Contains(err.Error(), "no revisions") {
		t.Errorf("upgrade +1: %v", err)
	}
	if _, err := g.PlanDowngrade(nil, "-1"); err == nil || !strings.Contains(err.Error(), "nothing is applied") {
		t.Errorf("downgrade -1: %v", err)
	}
	if len(g.CurrentHeads(nil)) != 0 || len(g.Heads()) != 0 || len(g.CheckFileOrder()) != 0 {
		t.Error("empty graph has heads")
	}
}

func TestPlanStamp(t *testing.T) {
	g := exampleGraph(t)
	tests := []struct {
		applied, target string
		want            string // steps, prefixed + (up) or - (down)
		err             string
	}{
		{"a,b,c", "-1", "-c", ""},
		{"a,b,c", "-2", "-c,-b", ""},
		{"a,b,c", "-3", "-c,-b,-a", ""},
		{"a,b", "+1", "+c", ""},
		{"", "+1", "", `ambiguous walk: there are 2 bases`},
		{"", "-1", "", `target "-1": nothing is applied`},
		{"a,b,c", "-4", "", "walks past base"},
		{"a,b,c", "aaaa", "-c,-b", ""},
		{"a,b,c", "bbbb-1", "-c,-b", ""},
		{"fa,fb,fc,a,b,c,da", "ffff0000000c-1", "-fc", ""},
		{"fa", "other@head-1", "+fb", ""},
		{"a", "cccc", "+b,+c", ""},
		{"a,b,c", "base", "-c,-b,-a", ""},
		{"a,b,c,fa,fb", "other@base", "-fb,-fa", ""},
		{"a,b,c,da,fa,fb,fc", "other@-1", "-fc", ""},
		{"a,b,c,da,db", "-1", "", `pick a branch: "stamp dddd0000000a@-1" or "stamp dddd0000000b@-1"`},
		{"a,b,c", "+1", "", `name the revision instead: "stamp dddd0000000a" or "stamp dddd0000000b"`},
		{"a,b,c,da,db,e", "+1", "", "walks past the top"},
	}
	for _, tt := range tests {
		t.Run(tt.applied+"→"+tt.target, func(t *testing.T) {
			steps, err := g.PlanStamp(fulls(tt.applied), tt.target)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error = %v\nwant …%s…", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range steps {
				sign := "+"
				if s.Direction == Down {
					sign = "-"
				}
				got = append(got, sign+short[s.Revision.ID])
			}
			if g := strings.Join(got, ","); g != tt.want {
				t.Errorf("got %q, want %q", g, tt.want)
			}
		})
	}
}

// twoBranches is the graph of issue 9: aa01 → bb02, then two labelled
// branches from the branch point bb02: c101 (c1branch) → d101 and c202
// (c2branch) → d202.
func twoBranches(t *testing.T) *Graph {
	t.Helper()
	g, err := NewGraph(build(t,
		revSpec{name: "aa01"}, revSpec{name: "bb02", parents: "aa01"},
		revSpec{name: "c101", parents: "bb02", labels: "c1branch"}, revSpec{name: "d101", parents: "c101"},
		revSpec{name: "c202", parents: "bb02", labels: "c2branch"}, revSpec{name: "d202", parents: "c202"},
	))
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// dependsOnly is aa01 → c1xx → e1xx, with c2xx (on aa01) depending on
// c1xx and f2xx (on aa01) depending on e1xx.
func dependsOnly(t *testing.T) *Graph {
	t.Helper()
	g, err := NewGraph(build(t,
		revSpec{name: "aa01"}, revSpec{name: "c1xx", parents: "aa01"}, revSpec{name: "e1xx", parents: "c1xx"},
		revSpec{name: "c2xx", parents: "aa01", deps: "c1xx"}, revSpec{name: "f2xx", parents: "aa01", deps: "e1xx"},
	))
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// signed lists steps as +id (up) or -id (down).
func signed(steps []Step) string {
	var s []string
	for _, st := range steps {
		sign := "+"
		if st.Direction == Down {
			sign = "-"
		}
		s = append(s, sign+st.Revision.ID)
	}
	return strings.Join(s, ",")
}

// TestPlanBranchParity checks targets that act on one branch of a branch
// point, and downgrades past a revision that others only depend on,
// against Alembic. Every "alembic" value was observed by running
// Alembic 1.8.1 (python3-alembic, SQLite) on the same graphs; the code
// involved (revision.py: _collect_downgrade_revisions,
// _parse_upgrade_target; base.py: _stamp_revs) is unchanged in 1.19.2.
// Where migrate departs on purpose, the comment says why (see
// docs/revisions.md).
func TestPlanBranchParity(t *testing.T) {
	const all = "aa01,bb02,c101,d101,c202,d202"
	two, dep := twoBranches(t), dependsOnly(t)
	tests := []struct {
		g               *Graph
		plan            string // upgrade, downgrade or stamp
		applied, target string
		want            string
	}{
		// Issue 9, item 9: label@rev and rev@rev revert one branch.
		// alembic: d101, c101 reverted; d202 stays.
		{two, "downgrade", all, "c1branch@bb02", "-d101,-c101"},
		{two, "downgrade", all, "d101@bb02", "-d101,-c101"},
		// alembic: d202, c202 reverted; d101 stays.
		{two, "downgrade", all, "c2branch@bb02", "-d202,-c202"},
		{two, "downgrade", all, "c202@bb02", "-d202,-c202"},
		{two, "downgrade", all, "c2branch@base+2", "-d202,-c202"},
		// alembic: d101 reverted.
		{two, "downgrade", all, "c1branch@head-1", "-d101"},
		{two, "downgrade", all, "c1branch@-1", "-d101"},
		// alembic: both branches and bb02 go (bb02 is below the branch point).
		{two, "downgrade", all, "c1branch@aa01", "-d202,-c202,-d101,-c101,-bb02"},
		// Without a branch, the branch point keeps neither branch.
		{two, "downgrade", all, "bb02", "-d202,-c202,-d101,-c101"},
		// alembic reverts everything here (label@base reads as base when
		// the label's branch does not start at a root); migrate reverts
		// the labelled branch, as the name says.
		{two, "downgrade", "aa01,bb02,c101,d101,c202", "c1branch@base", "-d101,-c101"},

		// Item 10: label@+N with no current head on the branch starts
		// where the branch's applied part ends. alembic: applies c202.
		{two, "upgrade", "aa01,bb02,c101", "c2branch@+1", "+c202"},
		{two, "upgrade", "aa01,bb02,c101", "c2branch@+2", "+c202,+d202"},
		{two, "upgrade", "aa01,bb02,c101,d101", "c2branch@+2", "+c202,+d202"},
		{two, "upgrade", "aa01,bb02,c101", "c1branch@+1", "+d101"},
		// alembic: bb02, then bb02 and c202.
		{two, "upgrade", "aa01", "c2branch@+1", "+bb02"},
		{two, "upgrade", "aa01", "c2branch@+2", "+bb02,+c202"},
		// alembic: aa01.
		{two, "upgrade", "", "c2branch@+1", "+aa01"},

		// Item 11: stamp label@base. alembic: leaves the row c202.
		{two, "stamp", "aa01,bb02,c101,d101,c202", "c1branch@base", "-d101,-c101"},
		// alembic's stamp collapses both heads into bb02 here; migrate's
		// stamp moves the version table as downgrade would.
		{two, "stamp", all, "c1branch@bb02", "-d101,-c101"},

		// Item 12: a revision that only depends on the target stays.
		// alembic: f2xx and e1xx reverted; c2xx stays.
		{dep, "downgrade", "aa01,c1xx,e1xx,c2xx,f2xx", "c1xx", "-f2xx,-e1xx"},
		{dep, "downgrade", "aa01,c1xx,e1xx,c2xx", "c1xx", "-e1xx"},
		// alembic: everything above aa01 reverted.
		{dep, "downgrade", "aa01,c1xx,e1xx,c2xx,f2xx", "aa01", "-f2xx,-c2xx,-e1xx,-c1xx"},
		// alembic's stamp collapses f2xx and c2xx into c1xx, reverting
		// c2xx too; migrate's stamp moves as downgrade would.
		{dep, "stamp", "aa01,c1xx,e1xx,c2xx,f2xx", "c1xx", "-f2xx,-e1xx"},
		// alembic errors ("not a valid downgrade target"): c1xx is
		// applied, only not a head; migrate has nothing to do.
		{dep, "downgrade", "aa01,c1xx,c2xx", "c1xx", ""},
	}
	for _, tt := range tests {
		t.Run(tt.plan+" "+tt.target+" from "+tt.applied, func(t *testing.T) {
			plan := map[string]func([]string, string) ([]Step, error){
				"upgrade": tt.g.PlanUpgrade, "downgrade": tt.g.PlanDowngrade, "stamp": tt.g.PlanStamp,
			}[tt.plan]
			steps, err := plan(split(tt.applied), tt.target)
			if err != nil {
				t.Fatal(err)
			}
			if got := signed(steps); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
