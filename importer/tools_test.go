package importer

import (
	"bytes"
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/migratehq/migrate/internal/testdb"
	"github.com/migratehq/migrate/migrate"
)

// These tests run the source tools themselves, where they are installed,
// to check the fixtures (and the version numbers the importer maps)
// against what the tools do. Each skips, with the reason, without its tool.

// findTool returns the path of a tool on PATH or in $HOME/go/bin (where
// go install puts it) for which ok holds, or skips the test.
func findTool(t *testing.T, name, install string, ok func(path string) bool) string {
	t.Helper()
	cands := []string{filepath.Join(os.Getenv("HOME"), "go", "bin", name)}
	if p, err := exec.LookPath(name); err == nil {
		cands = append([]string{p}, cands...)
	}
	for _, p := range cands {
		if _, err := os.Stat(p); err == nil && ok(p) {
			return p
		}
	}
	t.Skipf("SKIPPING: %s is not installed (%s)", name, install)
	return ""
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", filepath.Base(name), strings.Join(args, " "), err, out)
	}
	return string(out)
}

// appliedVersions queries one column of versions from the tool's table.
func appliedVersions(t *testing.T, url, query string) []string {
	t.Helper()
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

// checkVersions fails unless every version the tool recorded is a key
// of r.Versions, and every key was recorded.
func checkVersions(t *testing.T, r *Result, recorded []string) {
	t.Helper()
	seen := map[string]bool{}
	for _, v := range recorded {
		seen[v] = true
		if _, ok := r.Versions[v]; !ok {
			t.Errorf("the tool recorded version %q, which Result.Versions does not map", v)
		}
	}
	for k := range r.Versions {
		if !seen[k] {
			t.Errorf("Result.Versions maps %q, which the tool did not record", k)
		}
	}
}

func TestGooseTool(t *testing.T) {
	goose := findTool(t, "goose", "go install github.com/pressly/goose/v3/cmd/goose@latest", func(p string) bool {
		out, err := exec.Command(p, "-version").CombinedOutput()
		return err == nil && strings.Contains(string(out), "goose version")
	})
	r, dir := convertInto(t, Goose, "testdata/goose", Options{})
	viaMigrate, viaGoose := testdb.Postgres(t), testdb.Postgres(t)
	applyMigrate(t, migrate.Postgres, "pgx", viaMigrate, dir)
	run(t, goose, "-dir", "testdata/goose", "postgres", viaGoose, "up")
	samePg(t, "goose up", viaMigrate, viaGoose)
	checkVersions(t, r, appliedVersions(t, viaGoose, "SELECT version_id::text FROM goose_db_version WHERE version_id > 0 AND is_applied"))
	run(t, goose, "-dir", "testdata/goose", "postgres", viaGoose, "reset")
	if left := pgSchema(t, viaGoose); len(left) > 0 {
		t.Errorf("goose reset left %d entries: the fixture's downs are incomplete", len(left))
	}
}

func TestGolangMigrateTool(t *testing.T) {
	tool := findTool(t, "migrate", "go install -tags 'postgres sqlite3' github.com/golang-migrate/migrate/v4/cmd/migrate@latest", func(p string) bool {
		out, _ := exec.Command(p, "-help").CombinedOutput()
		return bytes.Contains(out, []byte("-source")) && bytes.Contains(out, []byte("-database"))
	})
	r, dir := convertInto(t, GolangMigrate, "testdata/golang-migrate", Options{})
	viaMigrate, viaTool := testdb.Postgres(t), testdb.Postgres(t)
	applyMigrate(t, migrate.Postgres, "pgx", viaMigrate, dir)
	run(t, tool, "-path", "testdata/golang-migrate", "-database", viaTool, "up")
	samePg(t, "golang-migrate up", viaMigrate, viaTool)
	// golang-migrate keeps only the latest version; every version up to
	// it is applied.
	latest := appliedVersions(t, viaTool, "SELECT version::text FROM schema_migrations WHERE NOT dirty")
	if len(latest) != 1 || latest[0] != "4" {
		t.Fatalf("schema_migrations holds %q, want version 4", latest)
	}
	checkVersions(t, r, []string{"1", "2", "3", "4"})
	run(t, tool, "-path", "testdata/golang-migrate", "-database", viaTool, "down", "-all")
	left := pgSchema(t, viaTool)
	for _, b := range left {
		// 000004 has no down file: its table comment is on a table
		// that is gone, so nothing of the fixture is left.
		t.Errorf("golang-migrate down -all left: %s", b)
	}
}

// TestAlembicTool regenerates the offline SQL with Alembic and compares
// it with the committed fixtures.
func TestAlembicTool(t *testing.T) {
	python := "/usr/bin/python3"
	if out, err := exec.Command(python, "-m", "alembic", "--version").CombinedOutput(); err != nil {
		t.Skipf("SKIPPING: Alembic is not installed (apt-get install -y python3-alembic): %v %s", err, out)
	}
	tmp := t.TempDir()
	project := filepath.Join(tmp, "project")
	if err := os.MkdirAll(filepath.Join(project, "versions"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, sub := range []string{"", "versions"} {
		names, err := readDir(filepath.Join("testdata/alembic/project", sub))
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range names {
			data, err := os.ReadFile(filepath.Join("testdata/alembic/project", sub, n))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(project, sub, n), data, 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
	cmd := exec.Command("sh", filepath.Join(project, "gen.sh"))
	cmd.Env = append(os.Environ(), "PYTHON="+python)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gen.sh: %v\n%s", err, out)
	}
	for _, f := range []string{"upgrade.sql", "downgrade.sql"} {
		if got, want := readText(t, filepath.Join(tmp, f)), readText(t, filepath.Join("testdata/alembic", f)); got != want {
			t.Errorf("%s: Alembic now writes something else than the fixture (regenerate with testdata/alembic/project/gen.sh and review)", f)
		}
	}
}
