package autogen

import "testing"

func TestRenameIdents(t *testing.T) {
	m := map[string]string{"old": "new", "Mixed": "Other"}
	for in, want := range map[string]string{
		`old > 0`:                       `new > 0`,
		`t.OLD+"old" -- old stays`:      `t.new+new -- old stays`,
		`'old' || E'o\'old' || $$old$$`: `'old' || E'o\'old' || $$old$$`,
		`/* old */ "Mixed" = $1`:        `/* old */ "Other" = $1`,
		`1old + old1`:                   `1old + old1`,
		`'unterminated old`:             `'unterminated old`,
	} {
		if got := renameIdents(in, m); got != want {
			t.Errorf("renameIdents(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRenameQualified(t *testing.T) {
	for in, want := range map[string]string{
		`SELECT * FROM public.old JOIN other.old ON true`: `SELECT * FROM public.new JOIN other.old ON true`,
		`SELECT 'public.old' /* public.old */`:            `SELECT 'public.old' /* public.old */`,
	} {
		if got := renameQualified(in, "public", "old", "new"); got != want {
			t.Errorf("renameQualified(%q) = %q, want %q", in, got, want)
		}
	}
}
