package sqlsplit

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func sqls(stmts []Statement) []string {
	out := make([]string, len(stmts))
	for i, s := range stmts {
		out[i] = s.SQL
	}
	return out
}

func TestSplit(t *testing.T) {
	tests := []struct {
		name string
		d    Dialect
		src  string
		want []string
	}{
		{"empty", Postgres, "", nil},
		{"only comments", Postgres, "-- a\n/* b */\n;;\n-- c", nil},
		{"two statements", Postgres, "SELECT 1;\nSELECT 2;\n", []string{"SELECT 1", "SELECT 2"}},
		{"missing final semicolon", Postgres, "SELECT 1;\nSELECT 2\n", []string{"SELECT 1", "SELECT 2"}},
		{"leading and trailing comments dropped", Postgres,
			"-- head\nSELECT 1 /* in */ + 2 -- tail\n;\n/* x */ SELECT 3 /* y */",
			[]string{"SELECT 1 /* in */ + 2", "SELECT 3"}},
		{"semicolon in string", Postgres, "SELECT 'a;b';SELECT 'it''s;';", []string{"SELECT 'a;b'", "SELECT 'it''s;'"}},
		{"semicolon in identifier", Postgres, `CREATE TABLE "a;""b" (x int); SELECT 1`, []string{`CREATE TABLE "a;""b" (x int)`, "SELECT 1"}},
		{"semicolon in line comment", Postgres, "SELECT 1 -- no; split\n+ 1; SELECT 2", []string{"SELECT 1 -- no; split\n+ 1", "SELECT 2"}},
		{"nested comment pg", Postgres, "SELECT /* a /* b; */ c; */ 1; SELECT 2", []string{"SELECT /* a /* b; */ c; */ 1", "SELECT 2"}},
		{"flat comment sqlite", SQLite, "SELECT /* a /* b */ 1; SELECT 2", []string{"SELECT /* a /* b */ 1", "SELECT 2"}},
		{"E string", Postgres, `SELECT E'it\'s; fine', e'\\'; SELECT 2`, []string{`SELECT E'it\'s; fine', e'\\'`, "SELECT 2"}},
		{"backslash in plain string", Postgres, `SELECT 'a\'; SELECT 2`, []string{`SELECT 'a\'`, "SELECT 2"}},
		{"E inside a word is not a prefix", Postgres, `SELECT namE'x'; SELECT 2`, []string{`SELECT namE'x'`, "SELECT 2"}},
		{"sqlite has no E strings", SQLite, `SELECT E'a\'; SELECT 2`, []string{`SELECT E'a\'`, "SELECT 2"}},
		{"dollar quote", Postgres,
			"CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\nSELECT 2;",
			[]string{"CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql", "SELECT 2"}},
		{"tagged dollar quote", Postgres,
			"DO $body$ BEGIN PERFORM 'x$$;'; END $body$; SELECT 2",
			[]string{"DO $body$ BEGIN PERFORM 'x$$;'; END $body$", "SELECT 2"}},
		{"parameters are not tags", Postgres, "SELECT $1, $2; SELECT 3", []string{"SELECT $1, $2", "SELECT 3"}},
		{"dollar inside identifier", Postgres, "SELECT a$b$ FROM t; SELECT 2", []string{"SELECT a$b$ FROM t", "SELECT 2"}},
		{"sqlite brackets and backticks", SQLite, "SELECT [a;b], `c;``d` FROM t; SELECT 2", []string{"SELECT [a;b], `c;``d` FROM t", "SELECT 2"}},
		{"pg brackets are subscripts", Postgres, "SELECT a[1]; SELECT 2", []string{"SELECT a[1]", "SELECT 2"}},
		{"sqlite trigger", SQLite,
			"CREATE TRIGGER t AFTER INSERT ON x BEGIN\n  UPDATE y SET n = n + 1;\n  DELETE FROM z;\nEND;\nSELECT 1;",
			[]string{"CREATE TRIGGER t AFTER INSERT ON x BEGIN\n  UPDATE y SET n = n + 1;\n  DELETE FROM z;\nEND", "SELECT 1"}},
		{"sqlite temp trigger with case", SQLite,
			"create temp trigger if not exists t before update on x when new.a > 0 begin select case when new.a then 1 end; select raise(abort, 'no;'); end; select 1",
			[]string{"create temp trigger if not exists t before update on x when new.a > 0 begin select case when new.a then 1 end; select raise(abort, 'no;'); end", "select 1"}},
		{"sqlite trigger at eof without semicolon", SQLite, "CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; END",
			[]string{"CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; END"}},
		{"sqlite begin transaction is plain", SQLite, "BEGIN; SELECT 1; END;", []string{"BEGIN", "SELECT 1", "END"}},
		{"pg begin atomic", Postgres,
			"CREATE OR REPLACE FUNCTION f(a int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT CASE WHEN a > 0 THEN 1 ELSE 0 END;\n  SELECT 2;\nEND;\nSELECT 3;",
			[]string{"CREATE OR REPLACE FUNCTION f(a int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT CASE WHEN a > 0 THEN 1 ELSE 0 END;\n  SELECT 2;\nEND", "SELECT 3"}},
		{"pg procedure begin atomic", Postgres,
			"CREATE PROCEDURE p() BEGIN ATOMIC INSERT INTO t VALUES (1); END; SELECT 1",
			[]string{"CREATE PROCEDURE p() BEGIN ATOMIC INSERT INTO t VALUES (1); END", "SELECT 1"}},
		{"pg transaction begin is plain", Postgres, "BEGIN; SELECT 1; END;", []string{"BEGIN", "SELECT 1", "END"}},
		{"pg semicolon in parentheses", Postgres,
			"CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2)); SELECT 1",
			[]string{"CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2))", "SELECT 1"}},
		{"pg extra close paren", Postgres, "SELECT 1); SELECT 2", []string{"SELECT 1)", "SELECT 2"}},
		{"crlf", Postgres, "SELECT 1;\r\nSELECT 2;\r\n", []string{"SELECT 1", "SELECT 2"}},
		{"unicode", Postgres, "INSERT INTO t VALUES ('ünï;cøde'); SELECT 'ß'", []string{"INSERT INTO t VALUES ('ünï;cøde')", "SELECT 'ß'"}},
		{"semicolons only", SQLite, ";;;", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Split(tt.src, tt.d)
			if err != nil {
				t.Fatalf("Split: %v", err)
			}
			if g := sqls(got); len(g)+len(tt.want) > 0 && !reflect.DeepEqual(g, tt.want) {
				t.Errorf("got  %q\nwant %q", g, tt.want)
			}
			checkInvariants(t, tt.src, tt.d, got)
		})
	}
}

func TestSplitPositions(t *testing.T) {
	src := "-- header\n\n  SELECT 1;\n/* c\n */ SELECT\n 2; SELECT 3"
	got, err := Split(src, Postgres)
	if err != nil {
		t.Fatal(err)
	}
	want := []Statement{
		{SQL: "SELECT 1", Line: 3, Offset: 13},
		{SQL: "SELECT\n 2", Line: 5, Offset: 32},
		{SQL: "SELECT 3", Line: 6, Offset: 43},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func TestSplitErrors(t *testing.T) {
	tests := []struct {
		name string
		d    Dialect
		src  string
		line int
		msg  string
	}{
		{"unterminated string", Postgres, "SELECT 1;\nSELECT 'abc;\n", 2, "unterminated quoted string"},
		{"unterminated identifier", Postgres, "SELECT \"abc", 1, "unterminated quoted identifier"},
		{"unterminated E string", Postgres, "\n\nSELECT E'abc\\'", 3, "unterminated E'...' string"},
		{"unterminated dollar", Postgres, "SELECT 1;\n\nDO $fn$ BEGIN END $f$;", 3, "unterminated dollar-quoted string $fn$"},
		{"unterminated comment", Postgres, "SELECT 1; /* /* */", 1, "unterminated /* comment"},
		{"unterminated comment sqlite", SQLite, "SELECT 1;\n/* x", 2, "unterminated /* comment"},
		{"unterminated bracket", SQLite, "SELECT [a", 1, "unterminated [bracketed] identifier"},
		{"unterminated backtick", SQLite, "SELECT `a", 1, "unterminated `quoted` identifier"},
		{"psql meta-command", Postgres, "SELECT 1;\n\\connect other\nSELECT 2;", 2, `psql meta-command "\\connect" is not SQL`},
		{"indented meta-command", SQLite, "SELECT 1;\n  \\i file.sql", 2, `psql meta-command "\\i" is not SQL`},
		{"stray backslash", Postgres, "SELECT 1 \\ 2", 1, "unexpected '\\' outside a quoted string"},
		{"trigger without end", SQLite, "SELECT 1;\nCREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1;\nSELECT 2;", 2, "CREATE TRIGGER body is not closed by END"},
		{"begin atomic without end", Postgres, "CREATE FUNCTION f() RETURNS int BEGIN ATOMIC SELECT 1;", 1, "BEGIN block in CREATE FUNCTION/PROCEDURE is not closed by END"},
		{"unclosed paren", Postgres, "SELECT 1;\nSELECT (1,\n2;\nSELECT 3", 2, "unclosed '('"},
		// SQLite stops reading a statement at a NUL: what follows it would
		// be skipped, so a NUL anywhere is an error, in both dialects.
		{"NUL before a statement", SQLite, "CREATE TABLE a (x);\n\x00CREATE TABLE b (x);", 2, "NUL byte (0x00) at column 1"},
		{"NUL in a string", Postgres, "SELECT 1;\nSELECT 'é\x00';", 2, "NUL byte (0x00) at column 10"},
		{"NUL in a comment", Postgres, "SELECT 1; -- \x00\n", 1, "NUL byte"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Split(tt.src, tt.d)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("want *Error, got %v", err)
			}
			if e.Line != tt.line || !strings.Contains(e.Msg, tt.msg) {
				t.Errorf("got line %d %q, want line %d containing %q", e.Line, e.Msg, tt.line, tt.msg)
			}
			if !strings.HasPrefix(e.Error(), fmt.Sprintf("line %d: ", tt.line)) {
				t.Errorf("Error() = %q", e.Error())
			}
		})
	}
}

func TestLineAt(t *testing.T) {
	// PostgreSQL counts characters: "é" and "€" are one position each.
	s := Statement{SQL: "SELECT 'é€',\n  x\n  FROM t", Line: 10}
	tests := []struct{ pos, want int }{
		{0, 10}, {1, 10}, {12, 10}, {13, 10}, {14, 11}, {16, 11}, {17, 11}, {18, 12}, {25, 12}, {999, 12},
	}
	for _, tt := range tests {
		if got := s.LineAt(tt.pos); got != tt.want {
			t.Errorf("LineAt(%d) = %d, want %d", tt.pos, got, tt.want)
		}
	}
	// Check against the character index computed the slow way.
	r := []rune(s.SQL)
	for pos := 1; pos <= len(r); pos++ {
		want := s.Line + strings.Count(string(r[:pos-1]), "\n")
		if got := s.LineAt(pos); got != want {
			t.Errorf("LineAt(%d) = %d, want %d", pos, got, want)
		}
	}
}

func TestNormalize(t *testing.T) {
	same := [][]string{
		{"SELECT 1;", "  SELECT   1 ;  ", "select 1;"}, // the last differs: case matters
		{"CREATE TABLE t (a int);\n", "-- comment\nCREATE TABLE t (a int); -- trailing\n", "CREATE /* x */ TABLE\r\n\tt (a int);"},
		{"SELECT 'a  b';", "SELECT  'a  b' ;"},
		{"SELECT $$ a -- b $$;", "SELECT $$ a -- b $$ /* c */;"},
		{"SELECT [a  b], `c  d`;", "SELECT\n[a  b],\n`c  d`;"},
		{"SELECT E'\\'  x';", "SELECT E'\\'  x' ;"},
	}
	for _, group := range same {
		first := Normalize(group[0])
		for _, s := range group[1:] {
			want := s != "select 1;"
			if got := Normalize(s) == first; got != want {
				t.Errorf("Normalize(%q)=%q vs Normalize(%q)=%q: equal=%v, want %v", group[0], first, s, Normalize(s), got, want)
			}
		}
	}
	differ := [][2]string{
		{"SELECT 'a b';", "SELECT 'a  b';"},
		{"SELECT $$a b$$;", "SELECT $$a  b$$;"},
		{`SELECT "a b";`, `SELECT "a  b";`},
		{"SELECT 1;", "SELECT 2;"},
		{"SELECT 1", "SELECT 1;"},
		{"SELECT a b", "SELECT ab"},
		{"SELECT E 'x'", "SELECT E'x'"},
		{"SELECT 'a' 'b'", "SELECT 'a''b'"},
		{"SELECT 1 - -1", "SELECT 1 --1"},
		{"SELECT a < = b", "SELECT a <= b"},
	}
	for _, p := range differ {
		if Normalize(p[0]) == Normalize(p[1]) {
			t.Errorf("Normalize(%q) == Normalize(%q) = %q", p[0], p[1], Normalize(p[0]))
		}
	}
	if got, want := Normalize("  a /* x */ b\n--y\n  c  ( d ) - -1 -/**/- 2 ;"), "a b c(d)- -1- -2;"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	// Never fails on broken input.
	for _, s := range []string{"'abc", "/* x", "$$ x", "E'\\", "[a", "`a"} {
		_ = Normalize(s)
	}
}

// checkInvariants verifies what FuzzSplit verifies.
func checkInvariants(t *testing.T, src string, d Dialect, stmts []Statement) {
	t.Helper()
	prevEnd := 0
	for i, s := range stmts {
		if s.SQL == "" {
			t.Fatalf("statement %d is empty", i)
		}
		if s.Offset < prevEnd {
			t.Fatalf("statement %d at %d overlaps the previous one ending at %d", i, s.Offset, prevEnd)
		}
		if s.Offset+len(s.SQL) > len(src) || src[s.Offset:s.Offset+len(s.SQL)] != s.SQL {
			t.Fatalf("statement %d %q is not the input at offset %d", i, s.SQL, s.Offset)
		}
		if want := 1 + strings.Count(src[:s.Offset], "\n"); s.Line != want {
			t.Fatalf("statement %d line %d, want %d", i, s.Line, want)
		}
		// SQL whitespace is ASCII: PostgreSQL and SQLite read U+0085 or
		// U+00A0 as identifier characters.
		if strings.Trim(s.SQL, " \t\n\r\f\v") != s.SQL {
			t.Fatalf("statement %d %q is not trimmed", i, s.SQL)
		}
		prevEnd = s.Offset + len(s.SQL)
	}
	var b strings.Builder
	for _, s := range stmts {
		b.WriteString(s.SQL)
		b.WriteString(";\n")
	}
	again, err := Split(b.String(), d)
	if err != nil {
		t.Fatalf("re-splitting the joined statements: %v\njoined: %q", err, b.String())
	}
	if g, w := sqls(again), sqls(stmts); !reflect.DeepEqual(g, w) {
		t.Fatalf("re-split differs:\n got %q\nwant %q", g, w)
	}
}
