package migrate_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/migratehq/migrate/config"
	"github.com/migratehq/migrate/internal/dbopen"
	"github.com/migratehq/migrate/internal/testdb"
	"github.com/migratehq/migrate/migrate"
	"github.com/migratehq/migrate/versions"
)

// w2 is the W2 workload of perf-anchors.md: revision i creates a table
// (odd i) or adds a column to the previous one (even i).
func w2(b testing.TB, n int) *versions.Graph {
	files := map[string]string{}
	parent := ""
	for i := 1; i <= n; i++ {
		id := fmt.Sprintf("%05da1b2c3d", i)
		t := i
		if i%2 == 0 {
			t = i - 1
		}
		up := fmt.Sprintf("CREATE TABLE r_%05d (id integer PRIMARY KEY, name text NOT NULL);", t)
		down := fmt.Sprintf("DROP TABLE r_%05d;", t)
		if i%2 == 0 {
			up = fmt.Sprintf("ALTER TABLE r_%05d ADD COLUMN c_%05d integer;", t, i)
			down = fmt.Sprintf("ALTER TABLE r_%05d DROP COLUMN c_%05d;", t, i)
		}
		files[fmt.Sprintf("%05d_%s_step.sql", i, id)] = rev(id, parent, up, down)
		parent = id
	}
	return graphOf(b, files)
}

func benchUpDown(b *testing.B, d migrate.Dialect, newURL func() string) {
	g := w2(b, 1000)
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		u, _ := config.ParseURL(newURL(), "/")
		db, err := dbopen.Open(ctx, u, true)
		if err != nil {
			b.Fatal(err)
		}
		m, _ := migrate.New(db, d, g)
		b.StartTimer()
		if _, err := m.Upgrade(ctx, "head"); err != nil {
			b.Fatal(err)
		}
		if _, err := m.Downgrade(ctx, "base"); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
}

// BenchmarkUpDown1000SQLite applies and reverts the 1,000 W2 revisions.
// Whole-process figures against sqlite3/psql: bench/w2/run.sh.
func BenchmarkUpDown1000SQLite(b *testing.B) {
	benchUpDown(b, migrate.SQLite, func() string { return "sqlite:///" + testdb.SQLitePath(b) })
}

func BenchmarkUpDown1000Postgres(b *testing.B) {
	benchUpDown(b, migrate.Postgres, func() string { return testdb.Postgres(b) })
}

func BenchmarkState1000SQLite(b *testing.B) {
	g := w2(b, 1000)
	ctx := context.Background()
	u, _ := config.ParseURL("sqlite:///"+testdb.SQLitePath(b), "/")
	db, err := dbopen.Open(ctx, u, true)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	m, _ := migrate.New(db, migrate.SQLite, g)
	if _, err := m.Upgrade(ctx, "head"); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := m.State(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
