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
