package introspect

import (
	"reflect"
	"strings"
	"testing"
)

func tokTexts(src string) []string {
	var out []string
	for _, t := range tokenizeSQLite(src) {
		out = append(out, t.Text)
	}
	return out
}

func TestTokenizeSQLite(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"words and punct", "CREATE TABLE t(a INT, b)", []string{"CREATE", "TABLE", "t", "(", "a", "INT", ",", "b", ")"}},
		{"quotes of every kind", `"a b" [c d] ` + "`e``f`" + ` 'g''h'`, []string{`"a b"`, `[c d]`, "`e``f`", `'g''h'`}},
		{"comments dropped", "a -- x, y )\n b /* ( , */ c", []string{"a", "b", "c"}},
		{"comment markers inside strings", `'-- not' "/* not */"`, []string{`'-- not'`, `"/* not */"`}},
		{"numbers", "1 1.5 .5 1e10 1.5E-3 0x1F 1_000", []string{"1", "1.5", ".5", "1e10", "1.5E-3", "0x1F", "1_000"}},
		{"blob", "x'0aFF' X'00'", []string{"x'0aFF'", "X'00'"}},
		{"operators", "a||b<=c>=d==e!=f<>g->h->>i", []string{"a", "||", "b", "<=", "c", ">=", "d", "==", "e", "!=", "f", "<>", "g", "->", "h", "->>", "i"}},
		{"variables", "? ?1 :a @b $c", []string{"?", "?1", ":a", "@b", "$c"}},
		{"unterminated quote runs to end", "a 'bc", []string{"a", "'bc"}},
		{"unterminated comment", "a /* b", []string{"a"}},
		{"identifier with dollar and unicode", "a$b été", []string{"a$b", "été"}},
		{"bracket has no escape", "[a]]", []string{"[a]", "]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tokTexts(tt.src); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("tokenize(%q) = %q, want %q", tt.src, got, tt.want)
			}
		})
	}
}

func TestUnquoteSQLite(t *testing.T) {
	for in, want := range map[string]string{
		`"a""b"`: `a"b`,
		`'a''b'`: `a'b`,
		"`a``b`": "a`b",
		`[a b]`:  `a b`,
		`plain`:  `plain`,
		`"`:      `"`,
		`"abc`:   `"abc`,
	} {
		if got := unquoteSQLite(in); got != want {
			t.Errorf("unquote(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseCreateTable(t *testing.T) {
	src := `CREATE TABLE IF NOT EXISTS main."my table" (
	  -- a comment with , and (
	  [id] INTEGER CONSTRAINT pk PRIMARY KEY DESC ON CONFLICT REPLACE AUTOINCREMENT,
	  "select" NVARCHAR ( 10 , 2 ) NOT NULL COLLATE NOCASE DEFAULT 'a,b)',
	  n INT DEFAULT -1 CHECK (n > 0 AND (n < 10 OR n = ')')) UNIQUE ON CONFLICT IGNORE,
	  g GENERATED ALWAYS AS (n * 2) STORED,
	  h AS (lower("select")),
	  p REFERENCES parent ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
	  CONSTRAINT u1 UNIQUE (n COLLATE BINARY DESC, "select")
	  CONSTRAINT "c 1" CHECK (g <> 'CHECK (')
	  ,FOREIGN KEY (n, p) REFERENCES [other t] (a, b) ON UPDATE CASCADE MATCH SIMPLE NOT DEFERRABLE,
	  CONSTRAINT lonely
	) WITHOUT ROWID, STRICT`
	got, err := parseCreateTable(src)
	if err != nil {
		t.Fatal(err)
	}
	want := &ddlTable{
		Name: "my table",
		Columns: []ddlColumn{
			{Name: "id", Type: "INTEGER", Constraints: []ddlConstraint{
				{Name: "pk", Kind: consPrimaryKey, Order: "DESC", Conflict: "REPLACE", Autoincrement: true},
			}},
			{Name: "select", Type: "NVARCHAR ( 10 , 2 )", Constraints: []ddlConstraint{
				{Kind: consNotNull},
				{Kind: consCollate, Collation: "NOCASE"},
				{Kind: consDefault, Expr: "'a,b)'"},
			}},
			{Name: "n", Type: "INT", Constraints: []ddlConstraint{
				{Kind: consDefault, Expr: "-1"},
				{Kind: consCheck, Expr: "n > 0 AND (n < 10 OR n = ')')"},
				{Kind: consUnique, Conflict: "IGNORE"},
			}},
			{Name: "g", Constraints: []ddlConstraint{{Kind: consGenerated, Expr: "n * 2", Stored: true}}},
			{Name: "h", Constraints: []ddlConstraint{{Kind: consGenerated, Expr: `lower("select")`}}},
			{Name: "p", Constraints: []ddlConstraint{{Kind: consForeignKey, FK: &ddlForeignKey{
				Columns: []string{"p"}, RefTable: "parent", OnDelete: "SET NULL", Deferrable: true, InitiallyDeferred: true,
			}}}},
		},
		Constraints: []ddlConstraint{
			{Name: "u1", Kind: consUnique, Columns: []ddlIndexedColumn{{Name: "n", Collation: "BINARY", Desc: true}, {Name: "select"}}},
			{Name: "c 1", Kind: consCheck, Expr: "g <> 'CHECK ('"},
			{Kind: consForeignKey, FK: &ddlForeignKey{
				Columns: []string{"n", "p"}, RefTable: "other t", RefColumns: []string{"a", "b"}, OnUpdate: "CASCADE", Match: "SIMPLE",
			}},
		},
		WithoutRowID: true,
		Strict:       true,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func TestParseCreateTableTableLevelAutoincrement(t *testing.T) {
	got, err := parseCreateTable("CREATE TABLE t(id INTEGER, PRIMARY KEY(id AUTOINCREMENT))")
	if err != nil {
		t.Fatal(err)
	}
	if c := got.Constraints[0]; !c.Autoincrement || c.Columns[0].Name != "id" {
		t.Errorf("got %+v", c)
	}
}

func TestParseCreateVirtualTable(t *testing.T) {
	got, err := parseCreateTable("CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize = 'porter')")
	if err != nil {
		t.Fatal(err)
	}
	if !got.Virtual || got.Module != "fts5" || got.ModuleArgs != "title, body, tokenize = 'porter'" {
		t.Errorf("got %+v", got)
	}
}

func TestParseCreateTableErrors(t *testing.T) {
	for _, src := range []string{
		"CREATE TABLE t(",
		"CREATE TABLE t(a INT CHECK (a > 0)",
		"CREATE TABLE t(a) WITH ROWID",
		"CREATE TABLE t(a REFERENCES p ON DELETE EXPLODE)",
		"CREATE INDEX i ON t(a)",
	} {
		if _, err := parseCreateTable(src); err == nil {
			t.Errorf("parseCreateTable(%q): no error", src)
		}
	}
}

func TestParseCreateIndex(t *testing.T) {
	got, err := parseCreateIndex(`CREATE UNIQUE INDEX "ix 1" ON [t] (lower(name) COLLATE NOCASE DESC, b, (a + b) ASC) WHERE a IS NOT NULL AND b > ','`)
	if err != nil {
		t.Fatal(err)
	}
	want := &ddlIndex{
		Name: "ix 1", Table: "t", Unique: true,
		Columns: []ddlIndexedColumn{
			{Expr: "lower(name)", Collation: "NOCASE", Desc: true},
			{Name: "b"},
			{Expr: "(a + b)"},
		},
		Where: "a IS NOT NULL AND b > ','",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func TestParseCreateViewAndTrigger(t *testing.T) {
	v, err := parseCreateView("CREATE VIEW v (a, \"b c\") AS SELECT 1, 2;")
	if err != nil {
		t.Fatal(err)
	}
	if v.Name != "v" || !reflect.DeepEqual(v.Columns, []string{"a", "b c"}) || v.Select != "SELECT 1, 2" {
		t.Errorf("view: %+v", v)
	}
	tr, err := parseCreateTrigger("CREATE TRIGGER IF NOT EXISTS \"tr\" INSTEAD OF UPDATE OF a, b ON [v] BEGIN SELECT 1; END")
	if err != nil {
		t.Fatal(err)
	}
	if tr.Name != "tr" || tr.Table != "v" {
		t.Errorf("trigger: %+v", tr)
	}
}

// FuzzTokenizeSQLite checks the tokenizer's invariants on any input: it
// terminates, tokens are ordered and non-overlapping, each token's text is
// its span of the input, and only whitespace and comments lie between them.
func FuzzTokenizeSQLite(f *testing.F) {
	for _, s := range []string{
		"CREATE TABLE t(a INT CHECK (a > ')'), \"b\"\"c\" [d] `e`)",
		"/* x */ -- y\n 'a''b' x'00' 1.5e-3 ->> || ?1 :a",
		"'unterminated", "/* unterminated", "[unterminated", "\"", "x'",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		prev := 0
		for _, tok := range tokenizeSQLite(src) {
			if tok.Start < prev || tok.End <= tok.Start || tok.End > len(src) {
				t.Fatalf("bad span %d..%d after %d in %q", tok.Start, tok.End, prev, src)
			}
			if src[tok.Start:tok.End] != tok.Text {
				t.Fatalf("token text %q is not its span", tok.Text)
			}
			gap := src[prev:tok.Start]
			if rest := stripSpaceAndComments(gap); rest != "" {
				t.Fatalf("non-blank text %q dropped between tokens in %q", rest, src)
			}
			prev = tok.End
		}
		if rest := stripSpaceAndComments(src[prev:]); rest != "" {
			t.Fatalf("trailing text %q dropped in %q", rest, src)
		}
		// The parsers must never panic, whatever the input.
		_, _ = parseCreateTable(src)
		_, _ = parseCreateIndex(src)
		_, _ = parseCreateView(src)
		_, _ = parseCreateTrigger(src)
	})
}

func stripSpaceAndComments(s string) string {
	for {
		s = strings.TrimLeft(s, " \t\n\r\f\v")
		switch {
		case strings.HasPrefix(s, "--"):
			if i := strings.IndexByte(s, '\n'); i >= 0 {
				s = s[i+1:]
			} else {
				s = ""
			}
		case strings.HasPrefix(s, "/*"):
			if i := strings.Index(s[2:], "*/"); i >= 0 {
				s = s[2+i+2:]
			} else {
				s = ""
			}
		default:
			return s
		}
	}
}
