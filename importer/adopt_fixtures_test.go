package importer

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/migratehq/migrate/migrate"
	"github.com/migratehq/migrate/sqlsplit"
	"github.com/migratehq/migrate/versions"
)

// TestAdoptFixtures adopts, for each tool, a database (PostgreSQL; SQLite
// for dbmate, whose fixture is written for it) that
// the tool's own SQL brought to a middle version of its fixture folder
// (the first half of its migrations run statement by statement, and its
// version table written as the tool writes it). The adoption records
// exactly that half; upgrade head then runs the rest (a revision run
// twice would fail on its CREATE) and leaves nothing pending.
func TestAdoptFixtures(t *testing.T) {
	cases := []struct {
		f       Format
		src     string
		opts    Options
		dialect string
	}{
		{Goose, "testdata/goose", Options{}, "postgres"},
		{GolangMigrate, "testdata/golang-migrate", Options{}, "postgres"},
		{Dbmate, "testdata/dbmate", Options{Dialect: "sqlite"}, "sqlite"},
		{Atlas, "testdata/atlas", Options{}, "postgres"},
		{Alembic, "testdata/alembic", alembicOpts, "postgres"},
	}
	for _, tc := range cases {
		t.Run(string(tc.f), func(t *testing.T) {
			ctx := context.Background()
			r, err := Convert(tc.f, tc.src, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			g, err := versions.NewGraph(r.Revisions)
			if err != nil {
				t.Fatal(err)
			}
			n := len(r.Revisions) / 2
			if n == 0 {
				t.Fatalf("%d revisions: too few for a middle version", len(r.Revisions))
			}
			db := openDB(t, tc.dialect)
			split := sqlsplit.Postgres
			if tc.dialect == "sqlite" {
				split = sqlsplit.SQLite
			}
			for _, rev := range r.Revisions[:n] {
				stmts, err := rev.UpStatements(split)
				if err != nil {
					t.Fatal(err)
				}
				for _, s := range stmts {
					execAll(t, db, s.SQL)
				}
			}
			createToolTable(t, db, tc.dialect, tc.f)
			execAll(t, db, toolRows(r, g, tc.f, n)...)

			a, err := ReadApplied(ctx, db, tc.dialect, tc.f, "")
			if err != nil {
				t.Fatal(err)
			}
			ad, err := PlanAdoption(r, a)
			if err != nil {
				t.Fatal(err)
			}
			if len(ad.Applied) != n {
				t.Fatalf("adoption applies %v, want the first %d", ad.Applied, n)
			}
			m, err := migrate.New(db, migrate.Dialect(tc.dialect), g)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := m.Adopt(ctx, ad.Targets); err != nil {
				t.Fatal(err)
			}
			res, err := m.Upgrade(ctx, "head")
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Steps) != len(r.Revisions)-n {
				t.Errorf("upgrade ran %d revision(s), want %d", len(res.Steps), len(r.Revisions)-n)
			}
			if pending, err := m.HasPending(ctx); err != nil || pending {
				t.Errorf("pending after upgrade: %v, %v", pending, err)
			}
		})
	}
}

// toolRows writes the version table rows of tool f after the first n
// revisions of r ran, as the tool writes them.
func toolRows(r *Result, g *versions.Graph, f Format, n int) []string {
	source := map[string]string{}
	for v, id := range r.Versions {
		source[id] = v
	}
	var applied []string
	for _, rev := range r.Revisions[:n] {
		applied = append(applied, source[rev.ID])
	}
	var rows []string
	switch f {
	case Goose:
		rows = append(rows, "INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, true)")
		for _, v := range applied {
			rows = append(rows, fmt.Sprintf("INSERT INTO goose_db_version (version_id, is_applied) VALUES (%s, true)", v))
		}
	case GolangMigrate:
		rows = append(rows, fmt.Sprintf("INSERT INTO schema_migrations (version, dirty) VALUES (%s, false)", applied[n-1]))
	case Dbmate:
		for _, v := range applied {
			rows = append(rows, fmt.Sprintf("INSERT INTO schema_migrations (version) VALUES ('%s')", v))
		}
	case Atlas:
		for _, v := range applied {
			rows = append(rows, strings.Replace(atlasRow(v, 2, 1, 1, ""), "%s", DefaultTable(Atlas, "postgres"), 1))
		}
	case Alembic:
		// alembic_version holds the heads of what ran.
		ran := map[string]bool{}
		var ids []string
		for _, rev := range r.Revisions[:n] {
			ran[rev.ID] = true
			ids = append(ids, rev.ID)
		}
		for _, id := range headsOf(g, ids, ran) {
			rows = append(rows, fmt.Sprintf("INSERT INTO alembic_version (version_num) VALUES ('%s')", source[id]))
		}
	}
	return rows
}
