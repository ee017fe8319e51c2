package versions

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/migratehq/migrate/sqlsplit"
)

// FuzzParse checks, for any file: no panic; an error is a *ParseError with
// the file and a line inside it; for a file that parses, Parse(Render(r))
// gives r back (but for the body line numbers) and Render is stable; sqlc
// would cut the file exactly at our down marker (or nowhere when there is
// none); splitting the sections does not panic.
func FuzzParse(f *testing.F) {
	f.Add([]byte(sample))
	f.Add([]byte("-- migrate:revision abc\n-- migrate:up\nSELECT 1;"))
	f.Add([]byte("\ufeff-- migrate:revision abc\r\n-- migrate:revises a, b\r\n-- migrate:up\r\n-- migrate:down\r\n"))
	f.Add([]byte("-- migrate:revision abc\n-- migrate:down_revision x\n-- migrate:up\n"))
	f.Add([]byte("-- migrate:revision abc\n-- migrate:up\n-- MIGRATE:DOWN\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Parse("v/f.sql", data)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error is %T, not *ParseError: %v", err, err)
			}
			if pe.File != "v/f.sql" || pe.Line < 1 || pe.Line > 1+strings.Count(string(data), "\n") {
				t.Fatalf("error position %s:%d outside the file", pe.File, pe.Line)
			}
			return
		}
		if bytes.IndexByte(data, 0) >= 0 || !utf8.Valid(data) {
			t.Fatalf("Parse accepted a file with a NUL byte or invalid UTF-8: %q", data)
		}
		for _, v := range append([]string{r.ID, r.Message, r.Created}, r.Parents...) {
			if strings.IndexFunc(v, isControl) >= 0 {
				t.Fatalf("a header value holds a control character: %q", v)
			}
		}
		checkSQLCCut(t, string(data), r)

		out := Render(r)
		r2, err := Parse("v/f.sql", out)
		if err != nil {
			t.Fatalf("Parse(Render(r)): %v\n%q", err, out)
		}
		if !sameRevision(r, r2) {
			t.Fatalf("round trip changed the revision:\n%#v\n%#v", r, r2)
		}
		if out2 := Render(r2); string(out2) != string(out) {
			t.Fatalf("Render is not stable:\n%q\n%q", out, out2)
		}
		checkSQLCCut(t, string(out), r2)

		for _, d := range []sqlsplit.Dialect{sqlsplit.Postgres, sqlsplit.SQLite} {
			if stmts, err := r.UpStatements(d); err == nil {
				for _, s := range stmts {
					if s.Line < r.UpLine {
						t.Fatalf("up statement line %d before the section at %d", s.Line, r.UpLine)
					}
				}
			} else if pe := (*ParseError)(nil); !errors.As(err, &pe) || pe.Line < r.UpLine {
				t.Fatalf("up split error %v", err)
			}
			_, _ = r.DownStatements(d)
		}
	})
}

// checkSQLCCut verifies that sqlc keeps exactly the header and the up
// section of a file that Parse accepted.
func checkSQLCCut(t *testing.T, file string, r *Revision) {
	t.Helper()
	want := 0
	if !r.Irreversible {
		want = r.DownLine - 1
	}
	if cut := sqlcCutLine(file); cut != want {
		t.Fatalf("sqlc stops at line %d, our down marker is at line %d:\n%q", cut, want, file)
	}
}

// FuzzTxControl checks the load-time rule against transaction control in
// a transactional revision, for any up section S:
//
//   - an error about transaction control names a line where, in every
//     dialect whose lexer reads S, a top-level statement starts whose
//     first words are transaction control (no BEGIN of a function body,
//     no END of a trigger);
//   - such a revision marked -- migrate:transaction false is accepted;
//   - when S is accepted and some dialect's lexer reads it, "BEGIN;"
//     before it and "COMMIT;" after it are both rejected, at their lines.
func FuzzTxControl(f *testing.F) {
	for _, s := range []string{
		"BEGIN;\nCREATE TABLE a (x int);\nCOMMIT;",
		"SAVEPOINT a; ROLLBACK TO SAVEPOINT a; RELEASE a;",
		"DO $$ BEGIN PERFORM 1; END $$;",
		"CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END;",
		"CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE b SET x = 1; END;",
		"SELECT E'\\'';\nEND;",
		"SELECT [a'b];\nstart transaction;",
		"PREPARE TRANSACTION 'x'; COMMIT PREPARED 'x'; ROLLBACK PREPARED 'x'; PREPARE p AS SELECT 1;",
		"/* a /* b */ c */ ABORT;",
	} {
		f.Add(s)
	}
	const hdr = "-- migrate:revision abc\n-- migrate:up\n"
	const hdrNoTx = "-- migrate:revision abc\n-- migrate:transaction false\n-- migrate:up\n"
	isTxErr := func(err error) bool {
		var pe *ParseError
		return errors.As(err, &pe) && strings.Contains(pe.Msg, "-- migrate:transaction false")
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := Parse("v/f.sql", []byte(hdr+s))
		if err == nil && r.Up != s {
			return // S holds markers of its own
		}
		if err != nil && !isTxErr(err) {
			return // not a revision body for other reasons
		}
		var lexed []sqlsplit.Dialect
		for _, d := range []sqlsplit.Dialect{sqlsplit.Postgres, sqlsplit.SQLite} {
			if _, err := sqlsplit.Split(s, d); err == nil {
				lexed = append(lexed, d)
			}
		}
		if err != nil {
			pe := err.(*ParseError)
			if len(lexed) == 0 {
				t.Fatalf("transaction control reported in text no lexer reads: %v", err)
			}
			for _, d := range lexed {
				stmts, _ := sqlsplit.Split(s, d)
				ok := false
				for _, st := range stmts {
					if st.Line+2 == pe.Line && txControlKind(sqlsplit.LeadingWords(st.SQL, d, 3)) != "" {
						ok = true
					}
				}
				if !ok {
					t.Fatalf("%v: no top-level transaction control at that line for %s", err, d)
				}
			}
			if _, err := Parse("v/f.sql", []byte(hdrNoTx+s)); err != nil {
				t.Fatalf("rejected with -- migrate:transaction false: %v", err)
			}
			return
		}
		if len(lexed) == 0 {
			return
		}
		_, err = Parse("v/f.sql", []byte(hdr+"BEGIN;\n"+s))
		if pe := (*ParseError)(nil); !isTxErr(err) || !errors.As(err, &pe) || pe.Line != 3 {
			t.Fatalf("BEGIN before an accepted body: %v", err)
		}
		tail := s + "\n;\nCOMMIT;\n"
		_, err = Parse("v/f.sql", []byte(hdr+tail))
		if pe := (*ParseError)(nil); !isTxErr(err) || !errors.As(err, &pe) || pe.Line != 3+strings.Count(s, "\n")+2 {
			t.Fatalf("COMMIT after an accepted body: %v", err)
		}
	})
}
