package introspect_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/migratehq/migrate/internal/schematest"
	"github.com/migratehq/migrate/internal/testdb"
)

// TestPostgresRealworld is the round trip of every PostgreSQL schema of
// the corpus: load schema.sql, inspect, render, apply the rendering to a
// fresh database; both databases must dump the same (up to ordering).
func TestPostgresRealworld(t *testing.T) {
	rw := testdb.Realworld(t)
	entries, err := filepath.Glob(filepath.Join(rw, "*-postgres*"))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) == 0 {
		t.Fatalf("no PostgreSQL entries in %s", rw)
	}
	for _, dir := range entries {
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srcURL, src := pgFresh(t)
			schematest.Psql(t, srcURL, filepath.Join(dir, "schema.sql"))
			s := pgInspect(t, src, pgUserSchemas(t, src)...)
			dstURL, dst := pgFresh(t)
			pgApply(t, dst, s)
			want := schematest.PgDumpBlocks(t, srcURL)
			got := schematest.PgDumpBlocks(t, dstURL)
			onlySrc, onlyDst := schematest.BlockDiff(want, got)
			if known := schematest.PgDumpNonFixedPoints[name]; len(onlyDst) > 0 && len(known) > 0 {
				onlySrc, onlyDst = schematest.AllowPgDumpOwnRoundTrip(t, srcURL, known, onlySrc, onlyDst)
			}
			if len(onlySrc)+len(onlyDst) > 0 {
				t.Errorf("dumps differ: %d entries only in the source, %d only in the round trip\n--- source:\n%s\n+++ round trip:\n%s",
					len(onlySrc), len(onlyDst), strings.Join(schematest.First(onlySrc, 8), "\n\n"), strings.Join(schematest.First(onlyDst, 8), "\n\n"))
			}
		})
	}
}
