package autogen_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/migratehq/migrate/autogen"
	"github.com/migratehq/migrate/internal/schematest"
	"github.com/migratehq/migrate/internal/testdb"
	"github.com/migratehq/migrate/schema"
)

// TestPgDumpModel: the output of 'pg_dump --schema-only' of a realworld
// schema is a model as it is — its \restrict and \unrestrict lines, its
// SET and set_config preamble (search_path emptied). Autogenerate
// from it against an empty database, upgrade, and the diff is empty. A
// second model file after the dump, with unqualified names, loads with
// the session's own search_path, not the dump's empty one.
func TestPgDumpModel(t *testing.T) {
	pgDump, err := exec.LookPath("pg_dump")
	if err != nil {
		t.Skip("pg_dump is not installed")
	}
	rw := testdb.Realworld(t)
	for _, name := range []string{"pagila-postgres", "chinook-postgres-identity"} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			srcURL := testdb.Postgres(t)
			schematest.Psql(t, srcURL, filepath.Join(rw, name, "schema.sql"))
			out, err := exec.Command(pgDump, "--schema-only", "--dbname", srcURL).Output()
			if err != nil {
				t.Fatalf("pg_dump: %v", err)
			}
			dump := withRestrict(string(out))
			dir := t.TempDir()
			dumpFile, extraFile := filepath.Join(dir, "dump.sql"), filepath.Join(dir, "extra.sql")
			writeFile(t, dumpFile, dump)
			writeFile(t, extraFile, "CREATE TABLE pgdump_extra (id int PRIMARY KEY);\n")
			models := autogen.SQLFiles{dumpFile, extraFile}

			db, u := goModelsDB(t, schema.Postgres)
			db.SetMaxOpenConns(1)
			in := autogen.Input{Dialect: schema.Postgres, Live: db, Source: models,
				Dev: autogen.DevProvider(u, db, "", "", "set dev_url")}
			first, err := autogen.Generate(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			if len(first.Up) == 0 || first.Target.Table("public", "pgdump_extra") == nil {
				t.Fatalf("the model is empty or lacks the second file's table: %d statements", len(first.Up))
			}
			applyBatched(t, ctx, db, first.Up, "Up", 0)
			again, err := autogen.Generate(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			if len(again.Changes) > 0 {
				t.Errorf("after Up, the diff is not empty:\n%s", FormatStatements(again.Up))
			}
		})
	}
}

var restrictLine = regexp.MustCompile(`(?m)^\\restrict [A-Za-z0-9]+$`)

// withRestrict returns pg_dump's output with the \restrict and
// \unrestrict lines that pg_dump 15.14, 16.10, 17.6 and later write,
// added as they write them when this pg_dump is older.
func withRestrict(dump string) string {
	if restrictLine.MatchString(dump) {
		return dump
	}
	const key = "k7Jq2XbV9mWc4RtY8pLs3NdF6hGz1QaE5uTo0iKyMvBn2CwDxS"
	head, rest, _ := strings.Cut(dump, "\n\n")
	return head + "\n\n\\restrict " + key + "\n\n" + rest + "\n\\unrestrict " + key + "\n\n"
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
