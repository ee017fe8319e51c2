package versions

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func file(id, parents string) *fstest.MapFile {
	return &fstest.MapFile{Data: fmt.Appendf(nil, "-- migrate:revision %s\n-- migrate:revises %s\n-- migrate:up\nSELECT 1;\n-- migrate:down\n", id, parents)}
}

func TestLoad(t *testing.T) {
	fsys := fstest.MapFS{
		"versions/20260102_b.sql":       file("b", "a"),
		"versions/20260101_a.sql":       file("a", ""),
		"versions/.20260103_hidden.sql": file("h", ""),
		"versions/notes.txt":            {Data: []byte("not a revision")},
		"versions/sub/20260104_s.sql":   file("s", ""),
		"versions/dir.sql/x.sql":        file("x", ""),
		"versions/UPPER.SQL":            file("u", ""),
		"more/20260101_c.sql":           file("c", "a"),
	}
	revs, err := Load(fsys, "versions", "more")
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, r := range revs {
		paths = append(paths, r.Path)
	}
	want := []string{"versions/20260101_a.sql", "more/20260101_c.sql", "versions/20260102_b.sql"}
	if !reflect.DeepEqual(paths, want) {
		t.Errorf("paths %q, want %q", paths, want)
	}
	if _, err := NewGraph(revs); err != nil {
		t.Error(err)
	}

	g, err := LoadGraph(fsys, "versions", "more")
	if err != nil || g.Len() != 3 || strings.Join(g.Heads(), ",") != "c,b" {
		t.Errorf("LoadGraph: %v, %v", g, err)
	}
	if _, err := LoadGraph(fstest.MapFS{"v/1.sql": file("x", "missing")}, "v"); err == nil || !strings.Contains(err.Error(), "v/1.sql: revision x revises missing") {
		t.Errorf("LoadGraph error: %v", err)
	}

	// Without dirs, the root of the FS; Path is then the bare name.
	revs, err = Load(fstest.MapFS{"x.sql": file("x", "")})
	if err != nil || len(revs) != 1 || revs[0].Path != "x.sql" {
		t.Errorf("Load() = %v, %v", revs, err)
	}
	revs, err = Load(fstest.MapFS{"v/.keep": {}}, "v")
	if err != nil || len(revs) != 0 {
		t.Errorf("empty folder: %v, %v", revs, err)
	}
}

func TestLoadErrors(t *testing.T) {
	_, err := Load(fstest.MapFS{}, "nowhere")
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "nowhere") {
		t.Errorf("missing folder: %v", err)
	}
	fsys := fstest.MapFS{
		"v/1_ok.sql":   file("ok", ""),
		"v/2_bad.sql":  {Data: []byte("-- migrate:revision bad\n-- migrate:nope\n-- migrate:up\n")},
		"v/3_bad2.sql": {Data: []byte("-- migrate:revision bad2\n")},
	}
	_, err = Load(fsys, "v")
	var pe *ParseError
	if !errors.As(err, &pe) || pe.File != "v/2_bad.sql" || pe.Line != 2 {
		t.Errorf("first error: %v", err)
	}
	if !strings.Contains(err.Error(), "v/2_bad.sql:2: ") || !strings.Contains(err.Error(), "\nv/3_bad2.sql:1: ") {
		t.Errorf("every file's error, in order: %v", err)
	}
}

// writeRevisions writes n small linear revision files into dir.
func writeRevisions(tb testing.TB, dir string, n int) {
	tb.Helper()
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	parent := ""
	for i := range n {
		id := fmt.Sprintf("%012x", 0xa00000000000+i*7919)
		r := &Revision{
			ID: id, Message: fmt.Sprintf("step %d", i), Created: start.Add(time.Duration(i) * time.Minute).Format("2006-01-02 15:04:05-07:00"),
			Transactional: true,
			Up:            fmt.Sprintf("CREATE TABLE t%d (\n  id bigint PRIMARY KEY,\n  name text NOT NULL DEFAULT ''\n);\n\n", i),
			Down:          fmt.Sprintf("DROP TABLE t%d;\n", i),
		}
		if parent != "" {
			r.Parents = []string{parent}
		}
		parent = id
		name, err := FileName(DefaultFileTemplate, id, Slug(r.Message), start.Add(time.Duration(i)*time.Minute))
		if err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), Render(r), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
}

func TestLoadDir(t *testing.T) {
	dir := t.TempDir()
	writeRevisions(t, dir, 50)
	revs, err := Load(os.DirFS(dir), ".")
	if err != nil {
		t.Fatal(err)
	}
	g, err := NewGraph(revs)
	if err != nil {
		t.Fatal(err)
	}
	if g.Len() != 50 || len(g.Heads()) != 1 || len(g.CheckFileOrder()) != 0 {
		t.Errorf("len %d heads %v order %v", g.Len(), g.Heads(), g.CheckFileOrder())
	}
	steps, err := g.PlanUpgrade(nil, "head")
	if err != nil || len(steps) != 50 {
		t.Errorf("plan: %d steps, %v", len(steps), err)
	}
}

func TestLoadDirMatchesLoad(t *testing.T) {
	dir := t.TempDir()
	writeRevisions(t, dir, 30)
	if err := os.WriteFile(filepath.Join(dir, ".hidden.sql"), []byte("junk"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "sub.sql"), 0o755); err != nil {
		t.Fatal(err)
	}
	a, err := Load(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	b, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != 30 || len(b) != 30 {
		t.Fatalf("loaded %d and %d", len(a), len(b))
	}
	for i := range a {
		if b[i].Path != filepath.Join(dir, a[i].Path) {
			t.Errorf("path %q vs %q", b[i].Path, a[i].Path)
		}
		b[i].Path = a[i].Path
		if !reflect.DeepEqual(a[i], b[i]) {
			t.Errorf("revision %d differs:\n%#v\n%#v", i, a[i], b[i])
		}
	}

	if _, err := LoadDir(filepath.Join(dir, "nowhere")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing folder: %v", err)
	}
	bad := filepath.Join(dir, "zz_bad.sql")
	if err := os.WriteFile(bad, []byte("-- migrate:up\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var pe *ParseError
	if _, err := LoadDir(dir); !errors.As(err, &pe) || pe.File != bad || pe.Line != 1 {
		t.Errorf("parse error: %v", err)
	}
}

func TestOSReader(t *testing.T) {
	dir := t.TempDir()
	r := newOSReader([]string{dir, filepath.Join(dir, "missing")})
	defer r.close()
	var buf []byte // reused, as each Load worker does
	for _, size := range []int{0, 1, 4095, 4096, 4097, 100_000, 3} {
		data := make([]byte, size)
		for i := range data {
			data[i] = byte('a' + i%26)
		}
		name := filepath.Join(dir, fmt.Sprint(size))
		if err := os.WriteFile(name, data, 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := r.read(revFile{path: name, name: filepath.Base(name), dir: 0}, buf)
		if err != nil || string(got) != string(data) {
			t.Errorf("size %d: got %d bytes, %v", size, len(got), err)
		}
		buf = got
	}
	if _, err := r.read(revFile{path: filepath.Join(dir, "missing"), name: "missing"}, nil); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	// A folder that could not be opened falls back to the path.
	got, err := r.read(revFile{path: filepath.Join(dir, "3"), name: "nope", dir: 1}, nil)
	if err != nil || string(got) != "abc" {
		t.Errorf("fallback: %q, %v", got, err)
	}
}

// BenchmarkLoad1000 loads 1,000 small revision files from a folder on disk
// and builds their graph: the fixed cost of every command.
func BenchmarkLoad1000(b *testing.B) {
	dir := b.TempDir()
	writeRevisions(b, dir, 1000)
	fsys := os.DirFS(dir)
	for b.Loop() {
		revs, err := Load(fsys, ".")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := NewGraph(revs); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadDir1000 is BenchmarkLoad1000 through LoadDir, the path the
// CLI takes.
func BenchmarkLoadDir1000(b *testing.B) {
	dir := b.TempDir()
	writeRevisions(b, dir, 1000)
	for b.Loop() {
		revs, err := LoadDir(dir)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := NewGraph(revs); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPlan1000 plans an upgrade to head from nothing over 1,000 revisions.
func BenchmarkPlan1000(b *testing.B) {
	dir := b.TempDir()
	writeRevisions(b, dir, 1000)
	revs, err := Load(os.DirFS(dir), ".")
	if err != nil {
		b.Fatal(err)
	}
	g, err := NewGraph(revs)
	if err != nil {
		b.Fatal(err)
	}
	applied := g.Ancestors(g.Heads()...)[:500]
	for b.Loop() {
		if _, err := g.PlanUpgrade(applied, "head"); err != nil {
			b.Fatal(err)
		}
		_ = g.CurrentHeads(applied)
	}
}
