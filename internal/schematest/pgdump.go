// Package schematest holds the schema comparisons the tests share: pg_dump
// entries compared up to ordering (with the entries pg_dump itself does
// not reproduce), loading a file with psql, and the SQLite snapshot of
// what the pragmas report.
package schematest

import (
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/migratehq/migrate/internal/testdb"
)

// Psql loads a file with psql on one connection, as the corpus README
// says (../shared/realworld/README.md, "search_path"); args go before -f
// (e.g. "-1" to load it in one transaction).
func Psql(t testing.TB, url, file string, args ...string) {
	t.Helper()
	argv := append([]string{"-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url}, args...)
	out, err := exec.Command("psql", append(argv, "-f", file)...).CombinedOutput()
	if err != nil {
		t.Fatalf("psql -f %s: %v\n%s", file, err, out)
	}
}

var restrictLine = regexp.MustCompile(`(?m)^\\(un)?restrict .*\n?`)

// PgDumpBlocks dumps the schema of url (pg_dump --schema-only --no-owner
// --no-privileges, without the \restrict lines whose key changes every
// run) and splits it into the entries pg_dump writes (each starts at a
// "-- Name:" header), sorted, so two dumps compare up to ordering.
func PgDumpBlocks(t testing.TB, url string) []string {
	t.Helper()
	out, err := exec.Command("pg_dump", "--schema-only", "--no-owner", "--no-privileges", "-d", url).Output()
	if err != nil {
		msg := ""
		if ee, ok := err.(*exec.ExitError); ok {
			msg = string(ee.Stderr)
		}
		t.Fatalf("pg_dump: %v\n%s", err, msg)
	}
	text := restrictLine.ReplaceAllString(string(out), "")
	var blocks []string
	for _, b := range regexp.MustCompile(`(?m)^-- Name: `).Split(text, -1)[1:] {
		blocks = append(blocks, "-- Name: "+strings.TrimSpace(strings.TrimRight(b, "-\n ")))
	}
	slices.Sort(blocks)
	return blocks
}

// BlockDiff returns the blocks only in a and only in b (both sorted).
func BlockDiff(a, b []string) (onlyA, onlyB []string) {
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j == len(b) || i < len(a) && a[i] < b[j]:
			onlyA = append(onlyA, a[i])
			i++
		case i == len(a) || b[j] < a[i]:
			onlyB = append(onlyB, b[j])
			j++
		default:
			i++
			j++
		}
	}
	return
}

// PgDumpNonFixedPoints are, per corpus entry, the entries (by the start of
// their pg_dump header) that pg_dump itself does not reproduce: reloading
// its own dump changes them (../shared/realworld/README.md, "pg_dump is
// not always a fixed point"). Recreating them from the server's deparsed
// text changes them the same way.
var PgDumpNonFixedPoints = map[string][]string{
	"musicbrainz-postgres": {
		"-- Name: editor_collection_type; Type: TABLE; Schema: musicbrainz;", // CHECK allowed_collection_entity_type
		"-- Name: series_type; Type: TABLE; Schema: musicbrainz;",            // CHECK allowed_series_entity_type
		"-- Name: release_event; Type: VIEW; Schema: musicbrainz;",           // NULL::integer AS int4
	},
}

// AllowPgDumpOwnRoundTrip drops from the differences the known
// non-fixed-point entries whose text on the b side is exactly what
// pg_dump's own dump → reload → dump of srcURL gives (and their
// counterparts on the a side).
func AllowPgDumpOwnRoundTrip(t testing.TB, srcURL string, known, onlySrc, onlyDst []string) ([]string, []string) {
	t.Helper()
	dump := filepath.Join(t.TempDir(), "dump.sql")
	out, err := exec.Command("pg_dump", "--schema-only", "--no-owner", "--no-privileges", "-d", srcURL, "-f", dump).CombinedOutput()
	if err != nil {
		t.Fatalf("pg_dump: %v\n%s", err, out)
	}
	againURL := testdb.Postgres(t)
	Psql(t, againURL, dump)
	own := map[string]bool{}
	for _, b := range PgDumpBlocks(t, againURL) {
		own[b] = true
	}
	isKnown := func(b string) bool {
		for _, k := range known {
			if strings.HasPrefix(b, k) {
				return true
			}
		}
		return false
	}
	var keptDst []string
	accepted := map[string]bool{}
	for _, b := range onlyDst {
		if isKnown(b) && own[b] {
			accepted[header(b)] = true
			continue
		}
		keptDst = append(keptDst, b)
	}
	var keptSrc []string
	for _, b := range onlySrc {
		if !accepted[header(b)] {
			keptSrc = append(keptSrc, b)
		}
	}
	return keptSrc, keptDst
}

func header(b string) string {
	if i := strings.IndexByte(b, '\n'); i >= 0 {
		return b[:i]
	}
	return b
}

// First returns at most the first n elements of s.
func First(s []string, n int) []string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
