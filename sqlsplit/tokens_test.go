package sqlsplit

import (
	"strings"
	"testing"
)

func TestTokens(t *testing.T) {
	for _, tc := range []struct {
		src  string
		d    Dialect
		want string // kind:text, space-separated
	}{
		{"CREATE /* x */ TABLE \"My T\" (id int) -- c", Postgres, `w:CREATE w:TABLE q:"My T" p:( w:id w:int p:)`},
		{"SELECT E'a\\'b', $t$ x; $t$, $1", Postgres, `w:SELECT s:E'a\'b' p:, s:$t$ x; $t$ p:, p:$ w:1`},
		{"SELECT [a b], `c`, 'd''e' FROM x.y", SQLite, "w:SELECT q:[a b] p:, q:`c` p:, s:'d''e' w:FROM w:x p:. w:y"},
	} {
		toks, err := Tokens(tc.src, tc.d)
		if err != nil {
			t.Fatalf("%q: %v", tc.src, err)
		}
		var got []string
		for _, tk := range toks {
			got = append(got, map[TokenKind]string{Word: "w", QuotedIdent: "q", String: "s", Punct: "p"}[tk.Kind]+":"+tk.Text)
			if tc.src[tk.Offset:tk.Offset+len(tk.Text)] != tk.Text {
				t.Errorf("%q: token %q not at offset %d", tc.src, tk.Text, tk.Offset)
			}
		}
		if g := strings.Join(got, " "); g != tc.want {
			t.Errorf("%q:\n got %s\nwant %s", tc.src, g, tc.want)
		}
	}
	for name, want := range map[Token]string{
		{Kind: Word, Text: "Role"}:          "role",
		{Kind: QuotedIdent, Text: `"A""b"`}: `A"b`,
		{Kind: QuotedIdent, Text: "[x y]"}:  "x y",
		{Kind: QuotedIdent, Text: "`a``b`"}: "a`b",
		{Kind: String, Text: "'x'"}:         "'x'",
	} {
		if got := name.Name(); got != want {
			t.Errorf("%+v.Name() = %q, want %q", name, got, want)
		}
	}
	if toks, err := LeadingTokens("CREATE TABLE t (x text DEFAULT 'unterminated", Postgres, 3); err != nil || len(toks) != 3 || toks[2].Text != "t" {
		t.Errorf("LeadingTokens: %v, %v", toks, err)
	}
	if _, err := Tokens("SELECT 'open", Postgres); err == nil {
		t.Error("unterminated string: no error")
	}
}
