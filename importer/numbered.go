package importer

import (
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/migratehq/migrate/versions"
)

// numbered is a source migration whose version is a number (goose,
// golang-migrate): they apply in numeric order.
type numbered struct {
	num     uint64
	written string // the version as written in the file name
	file    string
	desc    string
}

// sortNumbered sorts ms by version and rejects two files of one version.
func sortNumbered(ms []numbered) error {
	sort.Slice(ms, func(i, j int) bool { return ms[i].num < ms[j].num })
	for i := 1; i < len(ms); i++ {
		if ms[i].num == ms[i-1].num {
			return fmt.Errorf("%s and %s have the same version %d", ms[i-1].file, ms[i].file, ms[i].num)
		}
	}
	return nil
}

// idsFor gives each migration of ms (sorted) its revision id and file
// name. A version that an earlier import already wrote into the target
// folder (a revision of Options.Existing whose id is that version,
// zero-padded or not) keeps that revision's id and file name, so that
// importing again after the source folder grew renames nothing. Other
// versions get their version zero-padded to the widest version as
// written, so that the ids, and the file names that start with them,
// sort in apply order (finish checks that they still do after the
// reused names).
func (c *conv) idsFor(ms []numbered) (ids, names []string, reused []bool) {
	written := make([]string, len(ms))
	for i, m := range ms {
		written[i] = m.written
	}
	ids = padVersions(written)
	names = make([]string, len(ms))
	reused = make([]bool, len(ms))
	for i, m := range ms {
		if r, ok := c.existing[strconv.FormatUint(m.num, 10)]; ok {
			ids[i], names[i], reused[i] = r.ID, path.Base(filepath.ToSlash(r.Path)), true
			continue
		}
		names[i] = numberedName(ids[i], describe(m.desc))
	}
	return ids, names, reused
}

// numberedExisting indexes the revisions of revs whose id is a decimal
// number by that number without leading zeros: the revisions an earlier
// import of a goose or golang-migrate folder wrote.
func numberedExisting(revs []*versions.Revision) map[string]*versions.Revision {
	out := map[string]*versions.Revision{}
	for _, r := range revs {
		if r.ID != "" && strings.Trim(r.ID, "0123456789") == "" {
			out[normVersion(r.ID)] = r
		}
	}
	return out
}

// parseVersion reads a decimal version; zero and overflow are errors.
func parseVersion(file, s string) (uint64, error) {
	n, err := strconv.ParseUint(s, 10, 63)
	if err != nil || n == 0 {
		return 0, fmt.Errorf("%s: version %q is not a number from 1 to %d", file, s, uint64(1<<63-1))
	}
	return n, nil
}

var versionPrefix = regexp.MustCompile(`^([0-9]+)_(.*)$`)
