package importer

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/migratehq/migrate/versions"
)

// The fuzz targets check that the per-format readers never panic and
// that whatever they accept renders to a file that loads with the same
// sections. Seeds: the fixtures, and testdata/fuzz/<target>.

func addFixtures(f *testing.F, dir string) {
	names, err := readDir(dir)
	if err != nil {
		f.Fatal(err)
	}
	for _, n := range names {
		data, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

// fuzzOne converts one file with parse and checks the result.
func fuzzOne(t *testing.T, name string, data []byte, parse func(c *conv, d *draft, data []byte) error) {
	c := &conv{res: &Result{}}
	d := &draft{file: name, version: "1", id: "v1", name: "1_x.sql"}
	if err := parse(c, d, data); err != nil {
		return
	}
	if err := c.finish([]*draft{d}, true); err != nil {
		return
	}
	checkRoundTrip(t, c.res)
}

func checkRoundTrip(t *testing.T, r *Result) {
	for _, rev := range r.Revisions {
		back, err := versions.Parse(rev.Path, versions.Render(rev))
		if err != nil {
			t.Fatalf("accepted, but the rendered file does not load: %v", err)
		}
		if back.Up != rev.Up || back.Down != rev.Down || back.Transactional != rev.Transactional {
			t.Fatalf("render/parse changed the revision: %+v vs %+v", back, rev)
		}
	}
}

func FuzzGoose(f *testing.F) {
	addFixtures(f, "testdata/goose")
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzOne(t, "1_x.sql", data, (*conv).parseGoose)
	})
}

func FuzzDbmate(f *testing.F) {
	addFixtures(f, "testdata/dbmate")
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzOne(t, "1_x.sql", data, (*conv).parseDbmate)
	})
}

func FuzzAtlasFile(f *testing.F) {
	addFixtures(f, "testdata/atlas")
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzOne(t, "1_x.sql", data, (*conv).parseAtlas)
		_, _, _ = parseAtlasSum(data)
		atlasSumIgnored(data)
	})
}

func FuzzAlembic(f *testing.F) {
	up, err := os.ReadFile("testdata/alembic/upgrade.sql")
	if err != nil {
		f.Fatal(err)
	}
	down, err := os.ReadFile("testdata/alembic/downgrade.sql")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(up, down)
	f.Fuzz(func(t *testing.T, up, down []byte) {
		c := &conv{res: &Result{}}
		ups, table, err := c.alembicStepsOf("upgrade.sql", up, "upgrade", "")
		if err != nil {
			return
		}
		downs, _, err := c.alembicStepsOf("downgrade.sql", down, "downgrade", table)
		if err != nil {
			return
		}
		if err := c.alembicDrafts(ups, downs, nil, "downgrade.sql"); err != nil {
			return
		}
		checkRoundTrip(t, c.res)
	})
}

func FuzzDetect(f *testing.F) {
	f.Add("x.up.sql", []byte("-- +goose Up\n"))
	f.Add("atlas.sum", []byte("h1:x\n"))
	f.Fuzz(func(t *testing.T, path string, data []byte) {
		Detect(path, data)
	})
}
