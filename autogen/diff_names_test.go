package autogen

import (
	"maps"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestTempNameFitsAndAvoidsTakenNames(t *testing.T) {
	n := &namer{pg: true, taken: map[string]bool{}}
	keys := func(name string) []string { return []string{n.relKey("public", name)} }
	n.taken[n.relKey("public", "_migrate_tmp_ix")] = true

	if got := n.temp("ix", keys); got != "_migrate_tmp_ix_2" {
		t.Errorf("taken temporary name: got %q, want _migrate_tmp_ix_2", got)
	}
	if got := n.temp("ix", keys); got != "_migrate_tmp_ix_3" {
		t.Errorf("a second temporary for the same name: got %q, want _migrate_tmp_ix_3", got)
	}
	long := strings.Repeat("x", 63)
	a, b := n.temp(long, keys), n.temp(long[:62]+"y", keys)
	if len(a) > pgMaxIdent || len(b) > pgMaxIdent {
		t.Errorf("temporary names longer than %d bytes: %q (%d), %q (%d)", pgMaxIdent, a, len(a), b, len(b))
	}
	if a == b {
		t.Errorf("two long names share the temporary name %q", a)
	}
	if c := n.temp(strings.Repeat("é", 31), keys); !utf8.ValidString(c) || len(c) > pgMaxIdent {
		t.Errorf("a shortened temporary name cuts a character or is too long: %q", c)
	}
}

func TestOrderMovesChainAndCycle(t *testing.T) {
	n := &namer{pg: true, taken: map[string]bool{}}
	mv := func(from, to string) *nameMove { return &nameMove{kind: moveIndex, nsp: "public", from: from, to: to} }
	got := n.orderMoves([]*nameMove{mv("a", "b"), mv("b", "c"), mv("p", "q"), mv("q", "p")})
	var steps []string
	for _, m := range got {
		steps = append(steps, m.from+">"+m.to)
	}
	want := "b>c a>b p>_migrate_tmp_p q>p _migrate_tmp_p>q"
	if s := strings.Join(steps, " "); s != want {
		t.Errorf("order: got %s, want %s", s, want)
	}
}

func TestApplicableRenames(t *testing.T) {
	set := func(names ...string) func(string) bool {
		return func(s string) bool {
			for _, n := range names {
				if n == s {
					return true
				}
			}
			return false
		}
	}
	never := func([][2]string) bool { return false }
	for _, tc := range []struct {
		name     string
		hints    map[string]string // new -> old
		cur, tgt []string
		want     map[string]string // old -> new
	}{
		{"chain", map[string]string{"y": "x", "z": "y"}, []string{"x", "y"}, []string{"y", "z"}, map[string]string{"x": "y", "y": "z"}},
		{"chain done", map[string]string{"y": "x", "z": "y"}, []string{"y", "z"}, []string{"y", "z"}, map[string]string{}},
		{"new name still used", map[string]string{"y": "x"}, []string{"x", "y"}, []string{"y"}, map[string]string{}},
		{"old name still wanted", map[string]string{"y": "x"}, []string{"x"}, []string{"x", "y"}, map[string]string{}},
		{"one old, two new", map[string]string{"y": "x", "z": "x"}, []string{"x"}, []string{"y", "z"}, map[string]string{}},
		{"swap that does not fit", map[string]string{"a": "b", "b": "a"}, []string{"a", "b"}, []string{"a", "b"}, map[string]string{}},
	} {
		got := applicableRenames(tc.hints, set(tc.cur...), set(tc.tgt...), never, compareStrings)
		if !maps.Equal(got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}
