package versions

import (
	"strings"
	"testing"
)

// TestRange checks history ranges, relative bounds included, against
// Alembic. Every "alembic" value was observed by running "alembic history
// -r..." (Alembic 1.8.1, python3-alembic) on the graph of twoBranches;
// the code involved (revision.py: get_revisions for "-N",
// _collect_upgrade_revisions for "+N") is unchanged in 1.19.2. Alembic
// lists the same revisions newest first; Range returns them in
// topological order.
func TestRange(t *testing.T) {
	g := twoBranches(t)
	tests := []struct {
		rng     string
		current string
		want    string
		err     string
	}{
		// +N as TO: N steps up from FROM (from base when FROM is open).
		{rng: "aa01:+1", want: "aa01,bb02"},
		{rng: ":+2", want: "aa01,bb02"},
		{rng: "bb02:c2branch@+1", want: "bb02,c202"},
		{rng: ":c2branch@+3", want: "aa01,bb02,c202"},
		// current: the database's heads (alembic, on an empty database: aa01).
		{rng: "current:+1", want: "aa01"},
		{rng: "current:+1", current: "c101", want: "c101,d101"},
		// -N as FROM: N steps below each head.
		{rng: "-2:c101", want: "bb02,c101"},
		{rng: "-2:d202", want: "bb02,c202,d202"},
		{rng: "-1:", want: "c101,d101,c202,d202"},
		{rng: "-3:", want: "aa01,bb02,c101,d101,c202,d202"},
		// label@-N: below the branch's heads, and up to them only.
		{rng: "c1branch@-1:d101", want: "c101,d101"},
		{rng: "c1branch@-2:", want: "bb02,c101,d101"},
		// Walking -N exactly off a base starts from it, as downgrade -N
		// may reach base (alembic: "Requested range c1branch@-4:heads
		// does not refer to ancestor/descendant revisions along the same
		// branch"); walking past it is an error.
		{rng: "c1branch@-4:", want: "aa01,bb02,c101,d101"},
		{rng: "-5:", err: `target "-5": walks past base: only 4 step(s) down are possible from d101`},
		// alembic: "Ambiguous walk".
		{rng: "aa01:+2", err: `target "+2": ambiguous walk after 1 step(s): bb02 (versions/20260101000100_bb02_rev.sql) is a branch point with children c101, c202`},
		// alembic: "Relative revision -1 didn't produce 1 migrations".
		{rng: "c101:-1", err: `target "-1": -N counts down from the heads, so it belongs before the colon: -r -1:`},
		// alembic: "Can't locate revision identified by '+1'".
		{rng: "+1:d101", err: `target "+1": +N counts up from FROM, so it belongs after the colon: -r FROM:+1`},
		{rng: "heads:+1", err: `target "+1": +N walks up from one revision, but FROM names 2: d101, d202; name one of them as FROM`},
		// alembic stops at the head (c101, d101); migrate's walks never
		// stop short.
		{rng: "c101:+3", err: "walks past the top: only 1 step(s) up are possible from c101"},
		// alembic: "does not refer to ancestor/descendant revisions along
		// the same branch"; migrate lists what lies between.
		{rng: "-1:d101", want: "c101,d101"},

		// Absolute bounds.
		{rng: "bb02:", want: "bb02,c101,d101,c202,d202"},
		{rng: ":bb02", want: "aa01,bb02"},
		{rng: "c1branch@base:", want: "c101,d101"},
		{rng: "base:heads", want: "aa01,bb02,c101,d101,c202,d202"},
		{rng: ":base", want: ""},
		{rng: ":current", want: ""},
		{rng: "d101:c202", want: ""},
		{rng: "nope@base:", err: `target "nope@base": no revision carries the branch label "nope"`},
	}
	for _, tt := range tests {
		t.Run(tt.rng+" at "+tt.current, func(t *testing.T) {
			from, to, _ := strings.Cut(tt.rng, ":")
			got, err := g.Range(from, to, split(tt.current))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error = %v\nwant …%s…", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s := strings.Join(got, ","); s != tt.want {
				t.Errorf("got %q, want %q", s, tt.want)
			}
		})
	}
}
