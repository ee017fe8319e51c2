package importer

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/migratehq/migrate/versions"
)

// conv holds the state of one conversion.
type conv struct {
	res     *Result
	dialect string // "postgres", "sqlite" or "" (guess per section)
}

func (c *conv) note(file string, line int, format string, args ...any) {
	c.res.Notes = append(c.res.Notes, Note{File: file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// draft is a revision being converted.
type draft struct {
	file     string // the source file (of the up section), relative to the source folder
	version  string // the source tool's identifier, as the Versions key
	id       string
	name     string // the file name to write
	message  string
	parents  []string // nil: the previous draft (a linear history)
	labels   []string // branch labels
	depends  []string // depends_on
	noTx     bool     // runs outside a transaction
	up, down *section // down nil: irreversible
}

// finish turns the drafts, in apply order, into c.res.Revisions: it
// settles each one's transaction mode, chains linear histories, renders
// the files and parses them back, so that every converted file is known
// to load. It checks that the file names sort in apply order.
func (c *conv) finish(drafts []*draft, linear bool) error {
	c.res.Versions = make(map[string]string, len(drafts))
	ids := make(map[string]string, len(drafts))
	prev := ""
	for i, d := range drafts {
		if first, ok := ids[d.id]; ok {
			return fmt.Errorf("%s: revision id %q is also the id of %s", d.file, d.id, first)
		}
		ids[d.id] = d.file
		if i > 0 && d.name <= drafts[i-1].name {
			return fmt.Errorf("%s: the file name %q would sort before %q, which is applied earlier; rename the source files so that their names sort in apply order", d.file, d.name, drafts[i-1].name)
		}
		if linear && prev != "" {
			d.parents = []string{prev}
		}
		prev = d.id
		r, err := c.revision(d)
		if err != nil {
			return err
		}
		c.res.Revisions = append(c.res.Revisions, r)
		c.res.Versions[d.version] = d.id
	}
	sort.SliceStable(c.res.Notes, func(i, j int) bool {
		a, b := c.res.Notes[i], c.res.Notes[j]
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Line < b.Line
	})
	return nil
}

// revision renders d and parses it back.
func (c *conv) revision(d *draft) (*versions.Revision, error) {
	if err := versions.CheckID(d.id); err != nil {
		return nil, fmt.Errorf("%s: %v", d.file, err)
	}
	if err := c.settleTx(d); err != nil {
		return nil, err
	}
	r := &versions.Revision{
		ID:            d.id,
		Parents:       d.parents,
		BranchLabels:  d.labels,
		DependsOn:     d.depends,
		Message:       d.message,
		Transactional: !d.noTx,
		Up:            d.up.body(),
		Irreversible:  d.down == nil,
	}
	if d.down != nil {
		r.Down = d.down.body()
	}
	parsed, err := versions.Parse(d.name, versions.Render(r))
	if err != nil {
		return nil, fmt.Errorf("%s: converted to %s, which does not load: %w", d.file, d.name, err)
	}
	return parsed, nil
}

// describe turns the description part of a file name into a message:
// "create_users_table" becomes "create users table".
func describe(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(s, "_", " "))
}

// readDir returns the names of the regular files directly in dir, sorted.
func readDir(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	return names, nil
}

// lines splits a file into lines without their line endings (LF or
// CRLF), dropping a leading byte order mark.
func lines(data []byte) []string {
	s := strings.TrimPrefix(string(data), "\ufeff")
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	out := strings.Split(s, "\n")
	for i, l := range out {
		out[i] = strings.TrimSuffix(l, "\r")
	}
	return out
}

// padVersions returns each decimal version zero-padded to the width of
// the longest one as written, so that the padded texts sort as the
// numbers do.
func padVersions(written []string) []string {
	width := 0
	for _, w := range written {
		width = max(width, len(w))
	}
	out := make([]string, len(written))
	for i, w := range written {
		out[i] = strings.Repeat("0", width-len(w)) + w
	}
	return out
}

// numberedName is the file name of a revision whose id is a padded
// version: "<id>_<slug>.sql", or "<id>.sql" without a message.
func numberedName(id, message string) string {
	if slug := versions.Slug(message); slug != "" {
		return id + "_" + slug + ".sql"
	}
	return id + ".sql"
}

// readFile reads name in dir.
func readFile(dir, name string) ([]byte, error) {
	return os.ReadFile(filepath.Join(dir, name))
}
