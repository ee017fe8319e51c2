package sqlsplit

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzSplit checks, for any input: no panic; an error is an *Error whose
// line lies in the input; statements are in order, do not overlap, are
// the input at their Offset and Line, are trimmed and non-empty; and
// re-splitting "s1;\ns2;\n..." gives the same statements; LeadingWords
// of each statement are bare words, the first where the statement starts.
func FuzzSplit(f *testing.F) {
	seeds := []string{
		"SELECT 1; SELECT 2",
		"SELECT 'a;''b'; SELECT E'\\';'; SELECT \"x;\"\"y\"",
		"DO $fn$ BEGIN RAISE NOTICE '$$;'; END $fn$; SELECT $1",
		"/* a /* b */ ; */ SELECT 1 -- c ;\n;",
		"CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT CASE WHEN 1 THEN 2 END; END; SELECT [a;b], `c;d`",
		"CREATE FUNCTION f() RETURNS int BEGIN ATOMIC SELECT 1; END; SELECT (1;2)",
		"\\connect db\nSELECT 1",
		"SELECT 1 $$",
	}
	for _, s := range seeds {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, src string, sqlite bool) {
		d := Postgres
		if sqlite {
			d = SQLite
		}
		_ = Normalize(src)
		stmts, err := Split(src, d)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error is %T, not *Error: %v", err, err)
			}
			if e.Line < 1 || e.Line > 1+strings.Count(src, "\n") {
				t.Fatalf("error line %d outside the input: %v", e.Line, err)
			}
			return
		}
		checkInvariants(t, src, d, stmts)
		for _, s := range stmts {
			words := LeadingWords(s.SQL, d, 3)
			if len(words) > 0 && !strings.HasPrefix(s.SQL, words[0]) {
				t.Fatalf("LeadingWords(%q)[0] = %q: not where the statement starts", s.SQL, words[0])
			}
			for _, w := range words {
				if w == "" || !isWordStart(w[0]) || !strings.Contains(s.SQL, w) {
					t.Fatalf("LeadingWords(%q) = %q", s.SQL, words)
				}
			}
			if got := s.LineAt(len(s.SQL) + 1); got != s.Line+strings.Count(s.SQL, "\n") {
				t.Fatalf("LineAt(end) = %d, want %d", got, s.Line+strings.Count(s.SQL, "\n"))
			}
		}
	})
}

// realWorld returns the schema and data files of ../shared/realworld, or
// skips the test when the shared folder is not there.
func realWorld(tb testing.TB) []string {
	files, _ := filepath.Glob("../../shared/realworld/*/*.sql")
	if len(files) == 0 {
		tb.Skip("../shared/realworld not found (it sits beside the project root)")
	}
	return files
}

func dialectOf(path string) Dialect {
	if strings.Contains(filepath.Base(filepath.Dir(path)), "sqlite") {
		return SQLite
	}
	return Postgres
}

// TestRealWorld splits real public schemas and data dumps: pg_dump output
// (functions, DO blocks, COPY-free INSERTs) and SQLite schemas with
// triggers.
func TestRealWorld(t *testing.T) {
	for _, path := range realWorld(t) {
		t.Run(filepath.Base(filepath.Dir(path))+"/"+filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			src := string(data)
			d := dialectOf(path)
			stmts, err := Split(src, d)
			if err != nil {
				t.Fatalf("Split: %v", err)
			}
			if len(stmts) == 0 {
				t.Fatal("no statements")
			}
			checkInvariants(t, src, d, stmts)
			for _, s := range stmts {
				up := strings.ToUpper(s.SQL)
				if strings.HasPrefix(up, "CREATE TRIGGER") && d == SQLite && !strings.HasSuffix(up, "END") {
					t.Errorf("line %d: trigger cut short: %q", s.Line, s.SQL)
				}
			}
		})
	}
}

// BenchmarkSplit1MB splits about 1 MB of real schemas (or synthetic
// statements when the shared folder is absent).
func BenchmarkSplit1MB(b *testing.B) {
	var sb strings.Builder
	files, _ := filepath.Glob("../../shared/realworld/*-postgres/schema.sql")
	for sb.Len() < 1<<20 {
		if len(files) == 0 {
			sb.WriteString("CREATE TABLE t (id int PRIMARY KEY, name text DEFAULT 'x;y'); -- comment\n" +
				"CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN NEW.x := 1; RETURN NEW; END $$ LANGUAGE plpgsql;\n")
			continue
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				b.Fatal(err)
			}
			sb.Write(data)
			sb.WriteString("\n")
		}
	}
	src := sb.String()
	b.SetBytes(int64(len(src)))
	b.ResetTimer()
	for b.Loop() {
		if _, err := Split(src, Postgres); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNormalize1MB(b *testing.B) {
	src := strings.Repeat("CREATE TABLE t (\n  id int PRIMARY KEY, -- key\n  name text DEFAULT 'x;y'\n);\n", 1<<20/80)
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		_ = Normalize(src)
	}
}

// FuzzTokens checks, for any input and both dialects: no panic; an error
// is an *Error; tokens are non-empty, in order, do not overlap and are the
// input at their Offset; a Word is word characters only, a QuotedIdent
// starts with a quote, a Punct is one character; and what lies between
// two tokens is only whitespace and comments (it normalises to nothing),
// so the lexer and Normalize agree on where quotes and comments are.
func FuzzTokens(f *testing.F) {
	for _, s := range []string{
		"SELECT 'a''b', E'\\'', \"x\"\"y\", $t$ $$ $t$, $1 FROM t -- c\n/* a /* b */ */",
		"SELECT [a b], `c``d`, x'00' /* c */ FROM \"t\"",
		"SELECT 1.5e3, a$b, 1old, é",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, src string, sqlite bool) {
		d := Postgres
		if sqlite {
			d = SQLite
		}
		toks, err := Tokens(src, d)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error is %T, not *Error: %v", err, err)
			}
		}
		prev := 0
		for _, tk := range toks {
			checkToken(t, src, d, prev, tk)
			prev = tk.Offset + len(tk.Text)
		}
		if err == nil && Normalize(src[prev:]) != "" {
			t.Fatalf("after the last token: %q is not whitespace or comments", src[prev:])
		}
	})
}

// checkToken checks one token of FuzzTokens, prev being where the
// previous one ended.
func checkToken(t *testing.T, src string, d Dialect, prev int, tk Token) {
	t.Helper()
	if tk.Text == "" || tk.Offset < prev || src[tk.Offset:tk.Offset+len(tk.Text)] != tk.Text {
		t.Fatalf("token %+v is empty, overlaps or is not the input at its offset", tk)
	}
	if gap := src[prev:tk.Offset]; Normalize(gap) != "" {
		t.Fatalf("before %+v: %q is not whitespace or comments", tk, gap)
	}
	switch tk.Kind {
	case Word:
		for i := 0; i < len(tk.Text); i++ {
			if !isWordChar(tk.Text[i]) {
				t.Fatalf("word %q has a non-word byte", tk.Text)
			}
		}
	case QuotedIdent:
		if !strings.ContainsRune("\"`[", rune(tk.Text[0])) {
			t.Fatalf("quoted identifier %q starts with no quote", tk.Text)
		}
	case Punct:
		if len(tk.Text) != 1 {
			t.Fatalf("punctuation %q is not one character", tk.Text)
		}
	}
}
