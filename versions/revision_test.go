package versions

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/migratehq/migrate/sqlsplit"
)

const sample = `-- migrate:revision 3f9a1c2b7d10
-- migrate:revises 1a2b3c4d5e6f, 2b3c4d5e6f70
-- migrate:branch_labels billing, invoices
-- migrate:depends_on 77aa00bb11cc
-- an ordinary comment

-- migrate:message Add users table
-- migrate:created 2026-11-22 01:10:00+00:00
-- migrate:transaction false

-- migrate:up
CREATE TABLE users (
  id bigint PRIMARY KEY,
  name text DEFAULT 'a;b'
);
CREATE INDEX users_name ON users (name);

-- migrate:down
DROP TABLE users;
`

func TestParse(t *testing.T) {
	r, err := Parse("versions/x.sql", []byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	want := &Revision{
		ID:            "3f9a1c2b7d10",
		Parents:       []string{"1a2b3c4d5e6f", "2b3c4d5e6f70"},
		BranchLabels:  []string{"billing", "invoices"},
		DependsOn:     []string{"77aa00bb11cc"},
		Message:       "Add users table",
		Created:       "2026-11-22 01:10:00+00:00",
		Transactional: false,
		Up:            "CREATE TABLE users (\n  id bigint PRIMARY KEY,\n  name text DEFAULT 'a;b'\n);\nCREATE INDEX users_name ON users (name);\n\n",
		Down:          "DROP TABLE users;\n",
		UpLine:        12,
		DownLine:      19,
		Path:          "versions/x.sql",
	}
	want.Checksum = Checksum(want.Up, want.Down)
	if !reflect.DeepEqual(r, want) {
		t.Errorf("got  %#v\nwant %#v", r, want)
	}

	up, err := r.UpStatements(sqlsplit.Postgres)
	if err != nil {
		t.Fatal(err)
	}
	if len(up) != 2 || up[0].Line != 12 || up[1].Line != 16 || up[1].SQL != "CREATE INDEX users_name ON users (name)" {
		t.Errorf("up statements: %+v", up)
	}
	// A PostgreSQL error position inside the first statement maps to the file line.
	if got := up[0].LineAt(strings.Index(up[0].SQL, "DEFAULT") + 1); got != 14 {
		t.Errorf("LineAt = %d, want 14", got)
	}
	down, err := r.DownStatements(sqlsplit.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	if len(down) != 1 || down[0].Line != 19 || down[0].SQL != "DROP TABLE users" {
		t.Errorf("down statements: %+v", down)
	}
}

func TestParseMinimal(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want Revision
	}{
		{"base without down", "-- migrate:revision abc\n-- migrate:revises\n-- migrate:up\nSELECT 1;",
			Revision{ID: "abc", Transactional: true, Up: "SELECT 1;", UpLine: 4, Irreversible: true}},
		{"empty down", "-- migrate:revision abc\n-- migrate:up\nSELECT 1;\n-- migrate:down\n",
			Revision{ID: "abc", Transactional: true, Up: "SELECT 1;\n", UpLine: 3, DownLine: 5}},
		{"crlf, bom, trailing spaces on markers", "\ufeff-- migrate:revision abc\r\n-- migrate:message  hi there \r\n-- migrate:up  \r\nSELECT 1;\r\n-- migrate:down\t\r\nSELECT 2;\r\n",
			Revision{ID: "abc", Message: "hi there", Transactional: true, Up: "SELECT 1;\r\n", Down: "SELECT 2;\r\n", UpLine: 4, DownLine: 6}},
		{"empty sections", "-- migrate:revision abc\n-- migrate:up\n-- migrate:down",
			Revision{ID: "abc", Transactional: true, UpLine: 3, DownLine: 4}},
		{"transaction true", "-- migrate:revision abc\n-- migrate:transaction true\n-- migrate:up\n",
			Revision{ID: "abc", Transactional: true, UpLine: 4, Irreversible: true}},
		{"markers inside the body are line-based like sqlc", "-- migrate:revision abc\n-- migrate:up\nSELECT $$\n-- migrate:down\n$$;\n",
			Revision{ID: "abc", Transactional: true, Up: "SELECT $$\n", Down: "$$;\n", UpLine: 3, DownLine: 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Parse("f.sql", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			tt.want.Path = "f.sql"
			tt.want.Checksum = Checksum(tt.want.Up, tt.want.Down)
			if !reflect.DeepEqual(*r, tt.want) {
				t.Errorf("got  %#v\nwant %#v", *r, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	const hdr = "-- migrate:revision abc\n"
	tests := []struct {
		name string
		src  string
		line int
		msg  string
	}{
		{"empty file", "", 1, "missing -- migrate:revision"},
		{"missing revision", "-- migrate:message x\n\n-- migrate:up\nSELECT 1;\n", 3, "missing -- migrate:revision"},
		{"missing up", hdr + "-- migrate:message x\n", 2, "no -- migrate:up line"},
		{"missing up and revision", "-- hello\n", 1, "missing -- migrate:revision"},
		{"unknown key", hdr + "-- migrate:parent x\n-- migrate:up\n", 2, `unknown header key "parent"`},
		{"key case matters", hdr + "-- migrate:Message x\n-- migrate:up\n", 2, `unknown header key "Message"`},
		{"duplicate key", hdr + "-- migrate:message a\n\n-- migrate:message b\n-- migrate:up\n", 4, `duplicate header key "message" (first at line 2)`},
		{"duplicate revision", hdr + "-- migrate:revision abd\n-- migrate:up\n", 2, `duplicate header key "revision" (first at line 1)`},
		{"down before up", hdr + "-- migrate:down\nDROP TABLE t;\n-- migrate:up\n", 2, "-- migrate:down before -- migrate:up"},
		{"header key starting with down", hdr + "-- migrate:down_revision x\n-- migrate:up\n", 2, "sqlc reads any line starting with"},
		{"downgrade marker in body", hdr + "-- migrate:up\nSELECT 1;\n-- migrate:downgrade\n", 4, "sqlc reads any line starting with"},
		{"second up", hdr + "-- migrate:up\n\n-- migrate:up\n", 4, "second -- migrate:up (the first is at line 2)"},
		{"second down", hdr + "-- migrate:up\n-- migrate:down\n-- migrate:down\n", 4, "second -- migrate:down (the first is at line 3)"},
		{"up after down", hdr + "-- migrate:up\n-- migrate:down\n-- migrate:up\n", 4, "-- migrate:up after -- migrate:down (line 3)"},
		{"header key in up section", hdr + "-- migrate:up\n-- migrate:message late\n", 3, "in the up section"},
		{"unknown marker in down section", hdr + "-- migrate:up\n-- migrate:down\n-- migrate:foo\n", 4, "in the down section"},
		{"text after up marker", hdr + "-- migrate:up transaction:false\n", 2, `unexpected text "transaction:false" after -- migrate:up`},
		{"text after down marker", hdr + "-- migrate:up\n-- migrate:down now\n", 3, `unexpected text "now" after -- migrate:down`},
		{"upper-case down in up section", hdr + "-- migrate:up\nSELECT 1;\n-- MIGRATE:DOWN\nDROP TABLE t;\n", 4, "sqlc treats this line as the start of a down section"},
		{"goose marker in up section", hdr + "-- migrate:up\n-- +goose Down\n", 3, "sqlc treats this line"},
		{"tern marker in header", hdr + "---- create above / drop below ----\n-- migrate:up\n", 2, "sqlc treats this line"},
		{"dotted capital I folds to i for sqlc", hdr + "-- migrate:up\n-- mİgrate:down\n", 3, "sqlc treats this line"},
		{"indented marker", hdr + "-- migrate:up\nSELECT 1;\n  -- migrate:down\n", 4, "looks like a marker but is not one"},
		{"no space marker", hdr + "--migrate:up\n", 2, "looks like a marker but is not one"},
		{"capitalised marker in down", hdr + "-- migrate:up\n-- migrate:down\n-- Migrate:Up\n", 4, "looks like a marker"},
		{"sql before up", hdr + "CREATE TABLE t (a int);\n-- migrate:up\n", 2, "unexpected text before -- migrate:up"},
		{"block comment before up", hdr + "/* license */\n-- migrate:up\n", 2, "unexpected text before -- migrate:up"},
		{"bad transaction", hdr + "-- migrate:transaction no\n-- migrate:up\n", 2, "must be true or false"},
		{"bad id chars", "-- migrate:revision ab-c@d\n-- migrate:up\n", 1, `character(s) '-', '@' not allowed in revision id "ab-c@d"`},
		{"empty id", "-- migrate:revision\n-- migrate:up\n", 1, "needs an id"},
		{"long id", "-- migrate:revision " + strings.Repeat("a", 33) + "\n-- migrate:up\n", 1, "the limit is 32"},
		{"reserved id", "-- migrate:revision head\n-- migrate:up\n", 1, "reserved word"},
		{"bad parent", hdr + "-- migrate:revises a:b\n-- migrate:up\n", 2, `character(s) ':' not allowed in revision id "a:b"`},
		{"empty parent entry", hdr + "-- migrate:revises a,,b\n-- migrate:up\n", 2, "has an empty entry"},
		{"duplicate parent", hdr + "-- migrate:revises a, a\n-- migrate:up\n", 2, `lists "a" twice`},
		{"bad label", hdr + "-- migrate:branch_labels bill+ing\n-- migrate:up\n", 2, `character(s) '+' not allowed in branch label`},
		{"lint ignore without reason", hdr + "-- migrate:lint ignore=PG101\n-- migrate:up\n", 2, "-- migrate:lint ignore=PG101 needs a reason"},
		{"lint ignore blank reason", hdr + "-- migrate:lint ignore=PG101 \t \n-- migrate:up\n", 2, "needs a reason"},
		{"lint without ignore=", hdr + "-- migrate:lint PG101 small table\n-- migrate:up\n", 2, "expected ignore=CODE"},
		{"lint bad code", hdr + "-- migrate:lint ignore=PG1,PG2 reason\n-- migrate:up\n", 2, "a lint code is letters"},
		{"bad dependency", hdr + "-- migrate:depends_on x y\n-- migrate:up\n", 2, `character(s) ' ' not allowed in dependency "x y"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("v/f.sql", []byte(tt.src))
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("want *ParseError, got %v", err)
			}
			if pe.File != "v/f.sql" || pe.Line != tt.line || !strings.Contains(pe.Msg, tt.msg) {
				t.Errorf("got %s\nwant v/f.sql:%d: ...%s...", pe, tt.line, tt.msg)
			}
			if !strings.HasPrefix(err.Error(), "v/f.sql:") {
				t.Errorf("Error() = %q, want file:line prefix", err)
			}
		})
	}
}

func TestStatementErrors(t *testing.T) {
	src := "-- migrate:revision abc\n\n-- migrate:up\nSELECT 1;\nSELECT 'oops;\n-- migrate:down\nSELECT 1;\n\nSELECT $$x;\n"
	r, err := Parse("v/f.sql", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.UpStatements(sqlsplit.Postgres)
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line != 5 || pe.File != "v/f.sql" || !strings.Contains(pe.Msg, "up section: unterminated quoted string") {
		t.Errorf("up: got %v", err)
	}
	_, err = r.DownStatements(sqlsplit.Postgres)
	if !errors.As(err, &pe) || pe.Line != 9 || !strings.Contains(pe.Msg, "down section: unterminated dollar-quoted string $$") {
		t.Errorf("down: got %v", err)
	}

	irr, err := Parse("v/g.sql", []byte("-- migrate:revision abc\n-- migrate:up\n"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = irr.DownStatements(sqlsplit.Postgres)
	var ie *IrreversibleError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "v/g.sql") {
		t.Errorf("irreversible: got %v", err)
	}
}

// sameRevision compares what Render must preserve (all but the lines).
func sameRevision(a, b *Revision) bool {
	x, y := *a, *b
	x.UpLine, x.DownLine, y.UpLine, y.DownLine = 0, 0, 0, 0
	x.LintIgnores, y.LintIgnores = noLines(x.LintIgnores), noLines(y.LintIgnores)
	return reflect.DeepEqual(x, y)
}

func noLines(igs []LintIgnore) []LintIgnore {
	var out []LintIgnore
	for _, ig := range igs {
		ig.Line = 0
		out = append(out, ig)
	}
	return out
}

func TestParseLintIgnore(t *testing.T) {
	src := "-- migrate:revision abc\n-- migrate:lint ignore=PG101 users has 40 rows\n-- migrate:lint ignore=PG141\tcolumn unused since v2\n-- migrate:up\nSELECT 1;\n"
	r, err := Parse("v/f.sql", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := []LintIgnore{{"PG101", "users has 40 rows", 2}, {"PG141", "column unused since v2", 3}}
	if !reflect.DeepEqual(r.LintIgnores, want) {
		t.Errorf("LintIgnores = %+v, want %+v", r.LintIgnores, want)
	}
	if out := string(Render(r)); !strings.Contains(out, "-- migrate:lint ignore=PG101 users has 40 rows\n-- migrate:lint ignore=PG141 column unused since v2\n") {
		t.Errorf("Render lost the lint lines:\n%s", out)
	}
}

func TestRenderRoundTrip(t *testing.T) {
	srcs := []string{
		sample,
		"-- migrate:revision abc\n-- migrate:lint ignore=PG101 tiny table\n-- migrate:up\nSELECT 1;",
		"-- migrate:revision abc\n-- migrate:up\nSELECT 1;",
		"-- migrate:revision abc\n-- migrate:up\n-- migrate:down\n",
		"-- migrate:revision abc\r\n-- migrate:up\r\nSELECT 1;\r\n-- migrate:down\r\nSELECT 2;",
	}
	for _, src := range srcs {
		r, err := Parse("f.sql", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		out := Render(r)
		r2, err := Parse("f.sql", out)
		if err != nil {
			t.Fatalf("re-parse: %v\n%s", err, out)
		}
		if !sameRevision(r, r2) {
			t.Errorf("round trip changed the revision:\n%#v\n%#v", r, r2)
		}
		if out2 := Render(r2); string(out2) != string(out) {
			t.Errorf("Render is not stable:\n%s\n---\n%s", out, out2)
		}
	}
}

func TestRenderNew(t *testing.T) {
	r := &Revision{
		ID: "3f9a1c2b7d10", Parents: []string{"1a2b3c4d5e6f"}, Message: "Add users\ntable",
		Created: "2026-11-22 01:10:00+00:00", Transactional: true,
		Up: "CREATE TABLE users (id int);", Down: "DROP TABLE users;\n",
	}
	want := `-- migrate:revision 3f9a1c2b7d10
-- migrate:revises 1a2b3c4d5e6f
-- migrate:message Add users table
-- migrate:created 2026-11-22 01:10:00+00:00

-- migrate:up
CREATE TABLE users (id int);
-- migrate:down
DROP TABLE users;
`
	if got := string(Render(r)); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	r = &Revision{ID: "abc", Irreversible: true, Up: "SELECT 1;\n", Down: "ignored"}
	want = "-- migrate:revision abc\n-- migrate:revises\n-- migrate:message\n-- migrate:transaction false\n\n-- migrate:up\nSELECT 1;\n"
	if got := string(Render(r)); got != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
}

func TestNewRevision(t *testing.T) {
	r := NewRevision("3f9a1c2b7d10", []string{"1a2b3c4d5e6f"}, "Add users", time.Date(2026, 11, 22, 2, 10, 0, 0, time.FixedZone("CET", 3600)))
	r.Up = "CREATE TABLE users (id int);\n\n"
	want := "-- migrate:revision 3f9a1c2b7d10\n-- migrate:revises 1a2b3c4d5e6f\n-- migrate:message Add users\n-- migrate:created 2026-11-22 01:10:00+00:00\n\n-- migrate:up\nCREATE TABLE users (id int);\n\n-- migrate:down\n"
	if got := string(Render(r)); got != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
}

// sqlcCutLine applies sqlc's RemoveRollbackStatements rule (written here
// independently of the parser): the 1-based line of the first line that,
// lower-cased, starts with a down marker, or 0.
func sqlcCutLine(file string) int {
	for i, line := range strings.Split(file, "\n") {
		l := strings.ToLower(line)
		if strings.HasPrefix(l, "-- +goose down") || strings.HasPrefix(l, "-- +migrate down") ||
			strings.HasPrefix(l, "---- create above / drop below ----") || strings.HasPrefix(l, "-- migrate:down") {
			return i + 1
		}
	}
	return 0
}

// sqlcUp is what sqlc keeps of a file: the lines before the cut.
func sqlcUp(file string) string {
	lines := strings.Split(file, "\n")
	if cut := sqlcCutLine(file); cut > 0 {
		lines = lines[:cut-1]
	}
	return strings.Join(lines, "\n")
}

func TestSQLCCompatibility(t *testing.T) {
	r, err := Parse("f.sql", []byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	file := string(Render(r))
	seen := sqlcUp(file)
	// sqlc sees the header and the whole up section, and nothing of the down section.
	for _, want := range []string{"-- migrate:revision 3f9a1c2b7d10", "-- migrate:revises 1a2b3c4d5e6f", "-- migrate:depends_on", "-- migrate:transaction false", "-- migrate:up\n" + r.Up} {
		if !strings.Contains(seen+"\n", want) {
			t.Errorf("sqlc would not see %q in:\n%s", want, seen)
		}
	}
	if strings.Contains(seen, "DROP TABLE") {
		t.Errorf("sqlc would see the down section:\n%s", seen)
	}
	// What sqlc keeps is exactly what migrate applies.
	if got := seen[strings.Index(seen, "-- migrate:up\n")+len("-- migrate:up\n"):] + "\n"; got != r.Up {
		t.Errorf("sqlc up = %q, migrate up = %q", got, r.Up)
	}
	// No header key starts with "down".
	for _, k := range knownKeys {
		if strings.HasPrefix(k, "down") {
			t.Errorf("header key %q starts with down", k)
		}
	}
}
