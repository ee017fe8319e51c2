package importer

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDetect(t *testing.T) {
	for _, tc := range []struct {
		path, content string
		want          Format
	}{
		{"db/migrations/00001_init.sql", "-- +goose Up\nCREATE TABLE t (id int);\n", Goose},
		{"x.sql", "-- +goose StatementBegin\n-- +GOOSE UP\n", Goose},
		{"migrations/000001_init.up.sql", "CREATE TABLE t (id int);\n", GolangMigrate},
		{"migrations/000001_init.down.sql", "DROP TABLE t;\n", GolangMigrate},
		{"db/migrations/20240101000000_init.sql", "-- migrate:up\nCREATE TABLE t (id int);\n-- migrate:down\n", Dbmate},
		{"db/migrations/20240101000000_init.sql", "-- migrate:up transaction:false\nSELECT 1;\n", Dbmate},
		{"migrations/atlas.sum", "h1:abc=\n1_a.sql h1:def=\n", Atlas},
		{"alembic/versions/1f2e_init.py", "\"\"\"init\"\"\"\nrevision = '1f2e'\ndown_revision = None\n", Alembic},
		{"alembic/versions/3c4d_b.py", "revision: str = \"3c4d\"\ndown_revision: Union[str, None] = \"1f2e\"\n", Alembic},
		{"app/settings.py", "revision = 3\n", ""},
		// migrate's own files and unrelated files are not detected.
		{"versions/20261122011000_3f9a_add.sql", "-- migrate:revision 3f9a1c2b7d10\n-- migrate:revises\n\n-- migrate:up\nSELECT 1;\n", ""},
		{"versions/notes.sql", "SELECT 1;\n", ""},
		{"versions/atlas.sum", "not a sum\n", ""},
		{"versions/up.sql", "-- migrate: up is a comment\n", ""},
	} {
		got, ok := Detect(tc.path, []byte(tc.content))
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("Detect(%q) = %q, %v; want %q", tc.path, got, ok, tc.want)
		}
	}
}

func TestParseFormat(t *testing.T) {
	for _, f := range Formats {
		if got, err := ParseFormat(string(f)); err != nil || got != f {
			t.Errorf("ParseFormat(%q) = %q, %v", f, got, err)
		}
	}
	_, err := ParseFormat("flyway")
	if err == nil || !strings.Contains(err.Error(), "goose, golang-migrate, dbmate, atlas, alembic") {
		t.Errorf("ParseFormat(flyway): %v; want the known formats listed", err)
	}
}

// convertFiles writes files into a new folder and converts it.
func convertFiles(t *testing.T, f Format, files map[string]string) (*Result, error) {
	t.Helper()
	dir := t.TempDir()
	for n, c := range files {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return Convert(f, dir, Options{})
}

func TestTransactionControlKept(t *testing.T) {
	// A COMMIT in the middle, then a second BEGIN: the file manages its own transactions, so
	// the revision keeps them and runs outside migrate's.
	r, err := convertFiles(t, GolangMigrate, map[string]string{
		"1_two_steps.up.sql": "BEGIN;\nCREATE TABLE a (id int);\nCOMMIT;\nBEGIN;\nCREATE TABLE b (id int);\nCOMMIT;\n",
	})
	if err != nil {
		t.Fatal(err)
	}
	rev := r.Revisions[0]
	if rev.Transactional || !strings.Contains(rev.Up, "COMMIT;\nBEGIN;") {
		t.Errorf("transactional %v, up %q: want the statements kept, outside a transaction", rev.Transactional, rev.Up)
	}
	if !hasNote(r, "1_two_steps.up.sql:1:", `"BEGIN" controls the transaction and is kept`) {
		t.Errorf("notes %v: want the kept BEGIN reported at line 1", r.Notes)
	}
}

func TestBeginSharingItsLineIsKept(t *testing.T) {
	r, err := convertFiles(t, GolangMigrate, map[string]string{
		"1_one_line.up.sql": "BEGIN; CREATE TABLE a (id int); COMMIT;\n",
	})
	if err != nil {
		t.Fatal(err)
	}
	if r.Revisions[0].Transactional {
		t.Errorf("a BEGIN on a line with other SQL was not dropped, so the revision must run outside a transaction")
	}
}

func hasNote(r *Result, prefix, text string) bool {
	for _, n := range r.Notes {
		if s := n.String(); strings.HasPrefix(s, prefix) && strings.Contains(s, text) {
			return true
		}
	}
	return false
}

func TestConvertErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		f     Format
		files map[string]string
		want  string
	}{
		{"goose envsub", Goose, map[string]string{"1_a.sql": "-- +goose Up\n-- +goose ENVSUB ON\nSELECT '${X}';\n"},
			"1_a.sql:2: -- +goose ENVSUB ON substitutes"},
		{"goose no up", Goose, map[string]string{"1_a.sql": "SELECT 1;\n"}, "1_a.sql:1: SQL before -- +goose Up"},
		{"goose unclosed block", Goose, map[string]string{"1_a.sql": "-- +goose Up\n-- +goose StatementBegin\nSELECT 1;\n"},
			"1_a.sql:2: -- +goose StatementBegin without StatementEnd"},
		{"goose block of two statements", Goose, map[string]string{"1_a.sql": "-- +goose Up\n-- +goose StatementBegin\nSELECT 1;\nSELECT 2;\n-- +goose StatementEnd\n"},
			"1_a.sql:2: the StatementBegin block holds 2 statements for migrate's lexer (the second at line 4)"},
		{"goose duplicate version", Goose, map[string]string{"1_a.sql": "-- +goose Up\n", "01_b.sql": "-- +goose Up\n"},
			"have the same version 1"},
		{"goose unknown annotation", Goose, map[string]string{"1_a.sql": "-- +goose Up\n-- +goose Sideways\n"},
			"1_a.sql:2: unknown goose annotation"},
		{"golang-migrate down only", GolangMigrate, map[string]string{"1_a.down.sql": "SELECT 1;\n"}, "1_a.down.sql: no up migration for version 1"},
		{"dbmate content before up", Dbmate, map[string]string{"20240101000000_a.sql": "SELECT 1;\n-- migrate:up\n"}, "20240101000000_a.sql:1: SQL before -- migrate:up"},
		{"dbmate unknown option", Dbmate, map[string]string{"20240101000000_a.sql": "-- migrate:up nolock:true\n"}, "20240101000000_a.sql:1: unknown dbmate option \"nolock:true\""},
		{"atlas without sum", Atlas, map[string]string{"1_a.sql": "SELECT 1;\n"}, "no atlas.sum"},
		{"unterminated quote", GolangMigrate, map[string]string{"1_a.up.sql": "SELECT 1;\n\nSELECT 'x;\n"}, "1_a.up.sql:3:"},
		{"empty folder", Goose, map[string]string{"README.md": "x"}, "holds no goose migration"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := convertFiles(t, tc.f, tc.files)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func TestAtlasDelimiterRefused(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "1_a.sql"), []byte("-- atlas:delimiter \\n\\n\n\nSELECT 1\n\nSELECT 2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sum, err := AtlasSum(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, AtlasSumFile), sum, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Convert(Atlas, dir, Options{})
	if err == nil || !strings.Contains(err.Error(), "1_a.sql:1: atlas:delimiter") {
		t.Fatalf("got %v, want the delimiter directive refused with its line", err)
	}
}

func TestGolangMigrateUnpaddedVersionsSortNumerically(t *testing.T) {
	r, err := convertFiles(t, GolangMigrate, map[string]string{
		"2_b.up.sql": "CREATE TABLE b (id int);\n", "10_c.up.sql": "CREATE TABLE c (id int);\n", "1_a.up.sql": "CREATE TABLE a (id int);\n",
	})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, rev := range r.Revisions {
		names = append(names, rev.Path)
	}
	if got, want := strings.Join(names, " "), "01_a.sql 02_b.sql 10_c.sql"; got != want {
		t.Errorf("files %s, want %s", got, want)
	}
	if r.Versions["10"] != "10" || r.Versions["1"] != "01" {
		t.Errorf("versions %v", r.Versions)
	}
}

func TestAlembicStatementBeforeFirstStep(t *testing.T) {
	dir := t.TempDir()
	up := "BEGIN;\n\nCREATE TABLE stray (id int);\n\n-- Running upgrade  -> aaaa\n\nSELECT 1;\n\nCOMMIT;\n"
	down := "-- Running downgrade aaaa -> \n\nSELECT 1;\n"
	for name, text := range map[string]string{"upgrade.sql": up, "downgrade.sql": down} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, err := Convert(Alembic, dir, Options{})
	if err == nil || !strings.Contains(err.Error(), "upgrade.sql:3: \"CREATE TABLE stray (id int)\" comes before the first -- Running line") {
		t.Fatalf("got %v", err)
	}
}

// TestAlembicAutocommitBlockAndVersionTable: a version table of another
// name is recognised and dropped, and an autocommit_block's COMMIT/BEGIN
// pair is dropped while its CONCURRENTLY statement takes the revision
// out of the transaction.
func TestAlembicAutocommitBlockAndVersionTable(t *testing.T) {
	dir := t.TempDir()
	up := `BEGIN;

CREATE TABLE app.schema_versions (
    version_num VARCHAR(32) NOT NULL
);

-- Running upgrade  -> aaaa

CREATE TABLE t (a int);

INSERT INTO app.schema_versions (version_num) VALUES ('aaaa');

-- Running upgrade aaaa -> bbbb

COMMIT;

CREATE INDEX CONCURRENTLY t_a ON t (a);

BEGIN;

UPDATE app.schema_versions SET version_num='bbbb' WHERE app.schema_versions.version_num = 'aaaa';

COMMIT;
`
	down := `BEGIN;

-- Running downgrade bbbb -> aaaa

DROP INDEX t_a;

UPDATE app.schema_versions SET version_num='aaaa' WHERE app.schema_versions.version_num = 'bbbb';

-- Running downgrade aaaa -> 

DROP TABLE t;

DELETE FROM app.schema_versions WHERE app.schema_versions.version_num = 'aaaa';

DROP TABLE app.schema_versions;

COMMIT;
`
	for name, text := range map[string]string{"upgrade.sql": up, "downgrade.sql": down} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r, err := Convert(Alembic, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	a, b := r.Revisions[0], r.Revisions[1]
	if a.Up != "CREATE TABLE t (a int);\n\n" || a.Down != "DROP TABLE t;\n\n" || !a.Transactional {
		t.Errorf("aaaa: up %q down %q tx %v", a.Up, a.Down, a.Transactional)
	}
	if b.Up != "CREATE INDEX CONCURRENTLY t_a ON t (a);\n\n" || b.Transactional {
		t.Errorf("bbbb: up %q tx %v; want the index alone, outside a transaction", b.Up, b.Transactional)
	}
	if !hasNote(r, "upgrade.sql:3:", "dropped \"CREATE TABLE app.schema_versions (\"") {
		t.Errorf("notes %v", r.Notes)
	}
}

// TestSQLiteTriggerWithoutDialect: with no dialect given, a SQLite
// trigger's END (a statement of its own to the PostgreSQL lexer) is not
// taken for transaction control, and a goose block holding a trigger is
// one statement.
func TestSQLiteTriggerWithoutDialect(t *testing.T) {
	withDialect, err := Convert(Goose, "testdata/goose-sqlite", Options{Dialect: "sqlite"})
	if err != nil {
		t.Fatal(err)
	}
	guessed, err := Convert(Goose, "testdata/goose-sqlite", Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i, rev := range guessed.Revisions {
		if want := withDialect.Revisions[i]; rev.Up != want.Up || rev.Transactional != want.Transactional {
			t.Errorf("%s: guessing the dialect gives another revision:\n%+v\nwant\n%+v", rev.Path, rev, want)
		}
	}
	r, err := convertFiles(t, GolangMigrate, map[string]string{
		"1_trigger.up.sql": "BEGIN;\nCREATE TABLE t (a int, n int);\nCREATE TRIGGER t_n AFTER UPDATE ON t\nBEGIN\n  UPDATE t SET n = n + 1;\nEND;\nCOMMIT;\n",
	})
	if err != nil {
		t.Fatal(err)
	}
	rev := r.Revisions[0]
	if !rev.Transactional || strings.Contains(rev.Up, "COMMIT") || !strings.Contains(rev.Up, "END;\n") {
		t.Errorf("tx %v, up %q: want BEGIN/COMMIT dropped, the trigger's END kept", rev.Transactional, rev.Up)
	}
}

// TestDbmateNamesWithoutUnderscore: dbmate reads any file whose name
// starts with digits and ends in .sql; so does the importer.
func TestDbmateNamesWithoutUnderscore(t *testing.T) {
	body := "-- migrate:up\nCREATE TABLE %s (id int);\n-- migrate:down\nDROP TABLE %[1]s;\n"
	r, err := convertFiles(t, Dbmate, map[string]string{
		"20240101100000_first.sql":       fmt.Sprintf(body, "a"),
		"20240103100000-dashed-name.sql": fmt.Sprintf(body, "b"),
		"20240104100000.sql":             fmt.Sprintf(body, "c"),
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, rev := range r.Revisions {
		got = append(got, rev.Path+"="+rev.ID+"/"+rev.Message)
	}
	want := "20240101100000_first.sql=20240101100000/first 20240103100000-dashed-name.sql=20240103100000/dashed-name 20240104100000.sql=20240104100000/"
	if strings.Join(got, " ") != want {
		t.Errorf("got %s\nwant %s", strings.Join(got, " "), want)
	}
	if r.Versions["20240103100000"] != "20240103100000" {
		t.Errorf("versions %v", r.Versions)
	}
}

// TestAlembicDowngradeInPieces: with two heads, Alembic refuses
// "downgrade heads:base --sql"; docs/import.md has the downgrade output
// written per head into one file. The import reads it.
func TestAlembicDowngradeInPieces(t *testing.T) {
	dir := t.TempDir()
	up := "BEGIN;\n\nCREATE TABLE alembic_version (\n    version_num VARCHAR(32) NOT NULL, \n    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n);\n\n" +
		"-- Running upgrade  -> b1b1\n\nCREATE TABLE b (id int);\n\nINSERT INTO alembic_version (version_num) VALUES ('b1b1') RETURNING alembic_version.version_num;\n\n" +
		"-- Running upgrade b1b1 -> x1x1\n\nCREATE TABLE x (id int);\n\nUPDATE alembic_version SET version_num='x1x1' WHERE alembic_version.version_num = 'b1b1';\n\n" +
		"-- Running upgrade b1b1 -> d1d1\n\nCREATE TABLE d (id int);\n\nINSERT INTO alembic_version (version_num) VALUES ('d1d1') RETURNING alembic_version.version_num;\n\nCOMMIT;\n\n"
	// (alembic downgrade x1x1:b1b1 --sql; alembic downgrade d1d1:base --sql)
	down := "BEGIN;\n\n-- Running downgrade x1x1 -> b1b1\n\nDROP TABLE x;\n\nUPDATE alembic_version SET version_num='b1b1' WHERE alembic_version.version_num = 'x1x1';\n\nCOMMIT;\n\n" +
		"BEGIN;\n\n-- Running downgrade d1d1 -> b1b1\n\nDROP TABLE d;\n\nUPDATE alembic_version SET version_num='b1b1' WHERE alembic_version.version_num = 'd1d1';\n\n" +
		"-- Running downgrade b1b1 -> \n\nDROP TABLE b;\n\nDELETE FROM alembic_version WHERE alembic_version.version_num = 'b1b1';\n\nDROP TABLE alembic_version;\n\nCOMMIT;\n\n"
	for name, text := range map[string]string{"upgrade.sql": up, "downgrade.sql": down} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r, err := Convert(Alembic, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, rev := range r.Revisions {
		got = append(got, rev.ID+":"+strings.TrimSpace(rev.Down))
	}
	if want := "b1b1:DROP TABLE b; x1x1:DROP TABLE x; d1d1:DROP TABLE d;"; strings.Join(got, " ") != want {
		t.Errorf("got %s, want %s", strings.Join(got, " "), want)
	}
}

// TestRewritesNoted: a stripped byte order mark, CRLF line endings made
// LF, and a COMMIT kept in a revision that VACUUM takes out of the
// transaction are each reported.
func TestRewritesNoted(t *testing.T) {
	r, err := convertFiles(t, Goose, map[string]string{
		"00001_a.sql": "\ufeff-- +goose Up\r\nCREATE TABLE a (id int);\r\n-- +goose Down\r\nDROP TABLE a;\r\n",
	})
	if err != nil {
		t.Fatal(err)
	}
	if !hasNote(r, "00001_a.sql:1:", "dropped the byte order mark") || !hasNote(r, "00001_a.sql:1:", "CRLF line endings became LF") {
		t.Errorf("notes %v", r.Notes)
	}
	r, err = convertFiles(t, GolangMigrate, map[string]string{
		"1_b.up.sql": "CREATE TABLE b (x int);\nCOMMIT;\nVACUUM;\n",
	})
	if err != nil {
		t.Fatal(err)
	}
	if !hasNote(r, "1_b.up.sql:2:", `"COMMIT" controls the transaction and is kept as it is`) {
		t.Errorf("notes %v", r.Notes)
	}
}
