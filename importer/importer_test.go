package importer

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"github.com/migratehq/migrate/internal/schematest"
	"github.com/migratehq/migrate/internal/testdb"
	"github.com/migratehq/migrate/migrate"
	"github.com/migratehq/migrate/versions"
)

var update = flag.Bool("update", false, "rewrite the golden files and testdata/atlas/atlas.sum")

// convertInto converts src, writes the result into a new folder and
// checks that importing again changes nothing. It returns the result
// and the folder.
func convertInto(t *testing.T, f Format, src string, opts Options) (*Result, string) {
	t.Helper()
	r, err := Convert(f, src, opts)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	written, err := Write(r, dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(written) != len(r.Revisions) {
		t.Fatalf("wrote %d files for %d revisions", len(written), len(r.Revisions))
	}
	again, err := Convert(f, src, opts)
	if err != nil {
		t.Fatal(err)
	}
	if w, err := Write(again, dir); err != nil || len(w) != 0 {
		t.Fatalf("importing twice: wrote %q, err %v; want nothing written", w, err)
	}
	return r, dir
}

// golden compares the converted files, versions, notes and skipped
// migrations with testdata/golden/NAME.txt (-update rewrites it).
func golden(t *testing.T, r *Result, name string) {
	t.Helper()
	var b strings.Builder
	for _, rev := range r.Revisions {
		fmt.Fprintf(&b, "=== %s\n%s", rev.Path, versions.Render(rev))
	}
	b.WriteString("=== versions\n")
	keys := make([]string, 0, len(r.Versions))
	for k := range r.Versions {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "%s -> %s\n", k, r.Versions[k])
	}
	b.WriteString("=== notes\n")
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "%s\n", n)
	}
	if len(r.Skipped) > 0 {
		b.WriteString("=== skipped\n")
		for _, s := range r.Skipped {
			fmt.Fprintf(&b, "%s (version %s): %s\n", s.File, s.Version, s.Reason)
		}
	}
	path := filepath.Join("testdata", "golden", name+".txt")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to write it)", err)
	}
	if got := b.String(); got != string(want) {
		t.Errorf("conversion differs from %s (run with -update and review the diff):\n%s", path, schematest.LineDiff(string(want), got))
	}
}

// applyMigrate upgrades the database at url to heads with the revisions
// of dir, and returns the migrator.
func applyMigrate(t *testing.T, d migrate.Dialect, driver, url, dir string) *migrate.Migrator {
	t.Helper()
	db, err := sql.Open(driver, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	g, err := versions.LoadGraph(os.DirFS(dir), ".")
	if err != nil {
		t.Fatal(err)
	}
	m, err := migrate.New(db, d, g)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Upgrade(context.Background(), "heads"); err != nil {
		t.Fatal(err)
	}
	return m
}

// bookkeeping matches the pg_dump entries of the tools' version tables.
var bookkeeping = regexp.MustCompile(`migrate_version|alembic_version|goose_db_version|schema_migrations|atlas_schema_revisions`)

// pgSchema is the pg_dump of url without the version tables.
func pgSchema(t *testing.T, url string) []string {
	t.Helper()
	var out []string
	for _, b := range schematest.PgDumpBlocks(t, url) {
		if !bookkeeping.MatchString(b) {
			out = append(out, b)
		}
	}
	return out
}

// samePg fails unless the two databases have the same schema.
func samePg(t *testing.T, what string, a, b string) {
	t.Helper()
	onlyA, onlyB := schematest.BlockDiff(pgSchema(t, a), pgSchema(t, b))
	if len(onlyA) > 0 || len(onlyB) > 0 {
		t.Errorf("%s: schemas differ\nonly after migrate:\n%s\nonly after the source:\n%s",
			what, strings.Join(onlyA, "\n\n"), strings.Join(onlyB, "\n\n"))
	}
}

// checkPostgres applies the converted folder with migrate and the source
// with source (in the source tool's order), compares the two schemas,
// then downgrades to base and checks that nothing is left.
func checkPostgres(t *testing.T, dir string, source func(t *testing.T, url string)) {
	t.Helper()
	viaMigrate, viaSource := testdb.Postgres(t), testdb.Postgres(t)
	m := applyMigrate(t, migrate.Postgres, "pgx", viaMigrate, dir)
	source(t, viaSource)
	samePg(t, "upgrade", viaMigrate, viaSource)
	if _, err := m.Downgrade(context.Background(), "base"); err != nil {
		t.Fatal(err)
	}
	if left := pgSchema(t, viaMigrate); len(left) > 0 {
		t.Errorf("after downgrade base, left:\n%s", strings.Join(left, "\n\n"))
	}
}

// psqlText runs SQL text with psql, statement by statement outside any
// transaction (as psql does by default).
func psqlText(t *testing.T, url, name, text string) {
	t.Helper()
	f := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(f, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	schematest.Psql(t, url, f)
}

// between returns the lines of text after the first line matching from
// and before the first later line matching to (to the end when none).
func between(text string, from, to *regexp.Regexp) string {
	var out []string
	in := false
	for _, l := range strings.Split(text, "\n") {
		switch {
		case !in && from.MatchString(l):
			in = true
		case in && to != nil && to.MatchString(l):
			return strings.Join(out, "\n") + "\n"
		case in:
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n") + "\n"
}

// sourceFiles lists the files of dir matching re, in name order.
func sourceFiles(t *testing.T, dir string, re *regexp.Regexp) []string {
	t.Helper()
	names, err := readDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, n := range names {
		if re.MatchString(n) {
			out = append(out, n)
		}
	}
	return out
}

func readText(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func ids(r *Result) []string {
	var out []string
	for _, rev := range r.Revisions {
		out = append(out, rev.ID)
	}
	return out
}

var (
	gooseUp   = regexp.MustCompile(`(?i)^-- \+goose up`)
	gooseDown = regexp.MustCompile(`(?i)^-- \+goose down`)
)

func TestGoose(t *testing.T) {
	r, dir := convertInto(t, Goose, "testdata/goose", Options{})
	golden(t, r, "goose")
	want := []string{"00000000000001", "00000000000002", "00000000000003", "20240315093000"}
	if got := ids(r); !slices.Equal(got, want) {
		t.Errorf("ids %q, want %q (versions zero-padded to the widest)", got, want)
	}
	checkPostgres(t, dir, func(t *testing.T, url string) {
		for _, n := range sourceFiles(t, "testdata/goose", regexp.MustCompile(`\.sql$`)) {
			psqlText(t, url, n, between(readText(t, filepath.Join("testdata/goose", n)), gooseUp, gooseDown))
		}
	})
}

func TestGooseGoMigrationSkipped(t *testing.T) {
	r, _ := convertInto(t, Goose, "testdata/goose-go", Options{})
	golden(t, r, "goose-go")
	if len(r.Skipped) != 1 || r.Skipped[0].Version != "2" || r.Skipped[0].File != "00002_backfill_things.go" {
		t.Fatalf("skipped %+v, want the Go migration of version 2", r.Skipped)
	}
	// The revision after the gap revises the one before it.
	if p := r.Revisions[1].Parents; !slices.Equal(p, []string{"00001"}) {
		t.Errorf("00003 revises %q, want 00001", p)
	}
}

func TestGolangMigrate(t *testing.T) {
	r, dir := convertInto(t, GolangMigrate, "testdata/golang-migrate", Options{})
	golden(t, r, "golang-migrate")
	tx := map[string]bool{}
	for _, rev := range r.Revisions {
		tx[rev.ID] = rev.Transactional
	}
	if !tx["000001"] || tx["000002"] || !tx["000003"] {
		t.Errorf("transactional %v: want 000001 (BEGIN/COMMIT dropped) and 000003 in a transaction, 000002 (CONCURRENTLY) outside", tx)
	}
	checkPostgres(t, dir, func(t *testing.T, url string) {
		for _, n := range sourceFiles(t, "testdata/golang-migrate", regexp.MustCompile(`\.up\.sql$`)) {
			schematest.Psql(t, url, filepath.Join("testdata/golang-migrate", n))
		}
	})
}

func TestAtlas(t *testing.T) {
	sumPath := filepath.Join("testdata", "atlas", AtlasSumFile)
	if *update {
		sum, err := AtlasSum("testdata/atlas")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(sumPath, sum, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r, dir := convertInto(t, Atlas, "testdata/atlas", Options{})
	golden(t, r, "atlas")
	for _, rev := range r.Revisions {
		if !rev.Irreversible {
			t.Errorf("%s: an Atlas migration has no down part; want an irreversible revision", rev.Path)
		}
	}
	viaMigrate, viaSource := testdb.Postgres(t), testdb.Postgres(t)
	m := applyMigrate(t, migrate.Postgres, "pgx", viaMigrate, dir)
	for _, n := range sourceFiles(t, "testdata/atlas", regexp.MustCompile(`\.sql$`)) {
		schematest.Psql(t, viaSource, filepath.Join("testdata/atlas", n))
	}
	samePg(t, "upgrade", viaMigrate, viaSource)
	_, err := m.Downgrade(context.Background(), "base")
	if err == nil || !strings.Contains(err.Error(), "20240103000000_author_books_view.sql") {
		t.Errorf("downgrade base: %v; want the error naming the irreversible head's file", err)
	}
}

func TestAtlasSumMismatch(t *testing.T) {
	for _, tc := range []struct {
		name, want string
		change     func(dir string) error
	}{
		{"edited", "atlas.sum:3: 20240102000000_books_title_idx.sql was edited", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "20240102000000_books_title_idx.sql"), []byte("-- atlas:txmode none\n\nCREATE INDEX x ON books (title);\n"), 0o644)
		}},
		{"added", "20240101500000_extra.sql is not in atlas.sum (added)", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "20240101500000_extra.sql"), []byte("SELECT 1;\n"), 0o644)
		}},
		{"added at the end", "20240109000000_extra.sql is not in atlas.sum (added)", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "20240109000000_extra.sql"), []byte("SELECT 1;\n"), 0o644)
		}},
		{"removed", "atlas.sum:4: 20240103000000_author_books_view.sql is missing", func(dir string) error {
			return os.Remove(filepath.Join(dir, "20240103000000_author_books_view.sql"))
		}},
		{"sum edited", "atlas.sum:1: the folder sum does not match", func(dir string) error {
			p := filepath.Join(dir, AtlasSumFile)
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(p, []byte(strings.Replace(string(data), "h1:", "h1:A", 2)), 0o644)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := copyDir(t, "testdata/atlas")
			if err := tc.change(dir); err != nil {
				t.Fatal(err)
			}
			_, err := Convert(Atlas, dir, Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

// TestAtlasSumAlgorithm pins the hash chain on a folder whose atlas.sum
// was computed apart from this package (sha256 and base64 by hand, in
// Python): each entry hashes the names and contents of all files up to
// it, a file with "atlas:sum ignore" on its first line adds only its
// name, and the first line hashes the entries.
func TestAtlasSumAlgorithm(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"1_a.sql": "CREATE TABLE a (id int);\n",
		"2_b.sql": "-- atlas:sum ignore\nSELECT 1;\n",
		"3_c.sql": "CREATE TABLE c (id int);\n",
	}
	for n, c := range files {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := AtlasSum(dir)
	if err != nil {
		t.Fatal(err)
	}
	const want = "h1:Ebf4d/xIQpsSPcF21A6fgt3FXNx5SqhpshDyxMk4oFM=\n1_a.sql h1:e72Wd39UNYY4sGrVkNYkCs4GRrWBQ0ASXh73rS+WpU4=\n3_c.sql h1:tBXYpVqhlwRkjXyoEs61XsD/I1zEZxDPqntN+lPwgps=\n"
	if string(got) != want {
		t.Errorf("AtlasSum:\n%s\nwant\n%s", got, want)
	}
}

func copyDir(t *testing.T, src string) string {
	t.Helper()
	dir := t.TempDir()
	names, err := readDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		data, err := os.ReadFile(filepath.Join(src, n))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, n), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

var alembicOpts = Options{AlembicScripts: "testdata/alembic/project/versions"}

func TestAlembic(t *testing.T) {
	r, dir := convertInto(t, Alembic, "testdata/alembic", alembicOpts)
	golden(t, r, "alembic")
	g, err := versions.LoadGraph(os.DirFS(dir), ".")
	if err != nil {
		t.Fatal(err)
	}
	if merge := g.Get("4d5e6f7a8b9c"); merge == nil || len(merge.Parents) != 2 {
		t.Errorf("the merge revision: %+v, want two parents", merge)
	}
	if audit := g.Get("3c4d5e6f7a8b"); audit == nil || !slices.Equal(audit.BranchLabels, []string{"audit"}) {
		t.Errorf("the audit branch revision: %+v, want branch label audit", audit)
	}
	checkPostgres(t, dir, func(t *testing.T, url string) {
		schematest.Psql(t, url, "testdata/alembic/upgrade.sql")
	})
}

// TestAlembicIDsKept: a team's ids stay, so the value in alembic_version
// names the same revision.
func TestAlembicIDsKept(t *testing.T) {
	r, err := Convert(Alembic, "testdata/alembic", alembicOpts)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range r.Versions {
		if k != v {
			t.Errorf("alembic revision %s became %s; the ids are kept", k, v)
		}
	}
}

var (
	dbmateUp   = regexp.MustCompile(`^-- migrate:up`)
	dbmateDown = regexp.MustCompile(`^-- migrate:down`)
)

func TestDbmateSQLite(t *testing.T) {
	r, dir := convertInto(t, Dbmate, "testdata/dbmate", Options{Dialect: "sqlite"})
	golden(t, r, "dbmate")
	viaMigrate := testdb.SQLitePath(t)
	m := applyMigrate(t, migrate.SQLite, "sqlite", viaMigrate, dir)
	src, err := sql.Open("sqlite", testdb.SQLitePath(t))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	for _, n := range sourceFiles(t, "testdata/dbmate", regexp.MustCompile(`\.sql$`)) {
		up := between(readText(t, filepath.Join("testdata/dbmate", n)), dbmateUp, dbmateDown)
		if _, err := src.Exec(up); err != nil {
			t.Fatalf("%s: %v", n, err)
		}
	}
	mdb, err := sql.Open("sqlite", viaMigrate)
	if err != nil {
		t.Fatal(err)
	}
	defer mdb.Close()
	got := schematest.SQLitePragmaSnapshot(t, mdb, "migrate_version", "migrate_version_progress")
	want := schematest.SQLitePragmaSnapshot(t, src)
	if got != want {
		t.Errorf("schemas differ:\n%s", schematest.LineDiff(want, got))
	}
	if _, err := m.Downgrade(context.Background(), "base"); err != nil {
		t.Fatal(err)
	}
	// 20240104000000_tags.sql has no down section: dbmate, and so the
	// converted revision, leaves its table in place.
	for _, l := range strings.Split(strings.TrimSpace(schematest.SQLitePragmaSnapshot(t, mdb, "migrate_version", "migrate_version_progress")), "\n") {
		if !strings.Contains(l, "tags") {
			t.Errorf("after downgrade base, left: %s", l)
		}
	}
}

func TestWriteRefusesOverwrite(t *testing.T) {
	r, err := Convert(GolangMigrate, "testdata/golang-migrate", Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	p := filepath.Join(dir, r.Revisions[0].Path)
	if err := os.WriteFile(p, []byte("-- migrate:revision x\n\n-- migrate:up\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	w, err := Write(r, dir)
	if err == nil || !strings.Contains(err.Error(), p) || len(w) != 0 {
		t.Fatalf("Write over a different file: wrote %q, err %v; want an error naming %s and nothing written", w, err, p)
	}
}
