package importer

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
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

// idsFor gives each migration of ms (sorted) its revision id: its
// version zero-padded to the widest version as written, so that the ids,
// and the file names that start with them, sort in apply order.
func idsFor(ms []numbered) []string {
	written := make([]string, len(ms))
	for i, m := range ms {
		written[i] = m.written
	}
	return padVersions(written)
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
