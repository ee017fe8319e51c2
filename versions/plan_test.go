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
