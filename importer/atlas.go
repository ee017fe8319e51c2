package importer

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// AtlasSumFile is the integrity file of an Atlas migration folder.
const AtlasSumFile = "atlas.sum"

// atlasEntry is one line of atlas.sum: a file and its chained hash.
type atlasEntry struct{ name, hash string }

// atlasDirective matches an Atlas directive as Atlas reads it on the
// first line of a file: printable ASCII, "atlas:", a name, arguments.
var atlasDirective = regexp.MustCompile(`^([ -~]*)atlas:(\w+)(?: +(.+))*`)

// atlasSumIgnored reports whether a file opts out of the sum: its first
// line is an "atlas:sum ignore" directive.
func atlasSumIgnored(content []byte) bool {
	m := atlasDirective.FindSubmatch(content)
	return m != nil && string(m[2]) == "sum" && string(m[3]) == "ignore"
}

// atlasHashes computes the entries of atlas.sum for the files (in name
// order): one hash chain runs over every file's name and content, and
// each file's entry is the chain's SHA-256 after it, in base64. A file
// that opts out with "atlas:sum ignore" adds its name to the chain but
// neither its content nor an entry.
func atlasHashes(names []string, contents [][]byte) []atlasEntry {
	h := sha256.New()
	var out []atlasEntry
	for i, name := range names {
		h.Write([]byte(name))
		if atlasSumIgnored(contents[i]) {
			continue
		}
		h.Write(contents[i])
		out = append(out, atlasEntry{name, base64.StdEncoding.EncodeToString(h.Sum(nil))})
	}
	return out
}

// atlasTotal is the sum of the whole folder, atlas.sum's first line:
// SHA-256 over each entry's name and hash, in base64.
func atlasTotal(entries []atlasEntry) string {
	h := sha256.New()
	for _, e := range entries {
		h.Write([]byte(e.name))
		h.Write([]byte(e.hash))
	}
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}

// AtlasSum returns the text of atlas.sum for the .sql files of dir, as
// Atlas writes it (atlas migrate hash).
func AtlasSum(dir string) ([]byte, error) {
	names, contents, err := atlasFiles(dir)
	if err != nil {
		return nil, err
	}
	entries := atlasHashes(names, contents)
	var b strings.Builder
	fmt.Fprintf(&b, "h1:%s\n", atlasTotal(entries))
	for _, e := range entries {
		fmt.Fprintf(&b, "%s h1:%s\n", e.name, e.hash)
	}
	return []byte(b.String()), nil
}

// atlasFiles reads the .sql files of dir in name order.
func atlasFiles(dir string) ([]string, [][]byte, error) {
	all, err := readDir(dir)
	if err != nil {
		return nil, nil, err
	}
	var names []string
	var contents [][]byte
	for _, n := range all {
		if !strings.HasSuffix(n, ".sql") {
			continue
		}
		data, err := readFile(dir, n)
		if err != nil {
			return nil, nil, err
		}
		names = append(names, n)
		contents = append(contents, data)
	}
	return names, contents, nil
}

// parseAtlasSum reads atlas.sum and checks its first line against its
// entries.
func parseAtlasSum(data []byte) (total string, entries []atlasEntry, err error) {
	ls := lines(data)
	if len(ls) == 0 || !strings.HasPrefix(ls[0], "h1:") {
		return "", nil, fmt.Errorf("%s:1: expected h1:<sum of the folder>", AtlasSumFile)
	}
	total = strings.TrimPrefix(ls[0], "h1:")
	for i, l := range ls[1:] {
		name, hash, ok := strings.Cut(l, "h1:")
		if !ok {
			return "", nil, fmt.Errorf("%s:%d: expected \"FILE h1:HASH\", found %q", AtlasSumFile, i+2, l)
		}
		entries = append(entries, atlasEntry{strings.TrimSpace(name), hash})
	}
	if atlasTotal(entries) != total {
		return "", nil, fmt.Errorf("%s:1: the folder sum does not match the file's own lines: atlas.sum was edited by hand", AtlasSumFile)
	}
	return total, entries, nil
}

// verifyAtlasSum checks the folder's files against atlas.sum, naming the
// first file that was added, edited or removed since the sum was written.
func verifyAtlasSum(dir string, names []string, contents [][]byte) error {
	data, err := os.ReadFile(filepath.Join(dir, AtlasSumFile))
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s: no %s: an Atlas migration folder has one (atlas migrate hash writes it)", dir, AtlasSumFile)
	}
	if err != nil {
		return err
	}
	_, want, err := parseAtlasSum(data)
	if err != nil {
		return err
	}
	got := atlasHashes(names, contents)
	const fix = "the files differ from what atlas.sum recorded; if the change is intended, run atlas migrate hash before importing"
	for i, w := range want {
		switch {
		case i >= len(got) || !containsEntry(got, w.name):
			return fmt.Errorf("%s:%d: %s is missing from the folder: %s", AtlasSumFile, i+2, w.name, fix)
		case got[i].name != w.name:
			return fmt.Errorf("%s:%d: %s is not in atlas.sum (added): %s", AtlasSumFile, i+2, got[i].name, fix)
		case got[i].hash != w.hash:
			return fmt.Errorf("%s:%d: %s was edited: %s", AtlasSumFile, i+2, w.name, fix)
		}
	}
	if len(got) > len(want) {
		return fmt.Errorf("%s: %s is not in atlas.sum (added): %s", AtlasSumFile, got[len(want)].name, fix)
	}
	return nil
}

func containsEntry(es []atlasEntry, name string) bool {
	for _, e := range es {
		if e.name == name {
			return true
		}
	}
	return false
}

// convertAtlas reads an Atlas migration folder: VERSION_name.sql files
// applied in name order, after checking atlas.sum. Atlas migrations have
// no down part: the revisions are irreversible.
func (c *conv) convertAtlas(src string) error {
	names, contents, err := atlasFiles(src)
	if err != nil {
		return err
	}
	if err := verifyAtlasSum(src, names, contents); err != nil {
		return err
	}
	var drafts []*draft
	for i, name := range names {
		base := strings.TrimSuffix(name, ".sql")
		version, desc, _ := strings.Cut(base, "_")
		d := &draft{file: name, version: version, id: version, name: name, message: describe(desc)}
		if err := c.parseAtlas(d, contents[i]); err != nil {
			return err
		}
		drafts = append(drafts, d)
	}
	return c.finish(drafts, true)
}

// parseAtlas fills d's up section from an Atlas file and reads its file
// directives: as Atlas reads them, the comment lines at the top of the
// file, when a blank line (or the end of the file) follows them.
func (c *conv) parseAtlas(d *draft, data []byte) error {
	up := &section{file: d.file}
	ls := c.srcLines(d.file, data)
	k := 0
	for k < len(ls) && (strings.HasPrefix(ls[k], "--") || strings.HasPrefix(ls[k], "#")) {
		k++
	}
	if k == len(ls) || strings.TrimSpace(ls[k]) == "" {
		for i := range k {
			if err := c.atlasDirective(d, i+1, strings.TrimSpace(ls[i])); err != nil {
				return err
			}
		}
	}
	for i, line := range ls {
		up.add(i+1, line)
	}
	d.up = up
	return nil
}

// atlasDirective reads one file directive line.
func (c *conv) atlasDirective(d *draft, n int, line string) error {
	m := atlasDirective.FindStringSubmatch(line)
	if m == nil {
		return nil
	}
	switch name, arg := m[2], strings.TrimSpace(m[3]); name {
	case "txmode":
		switch arg {
		case "none":
			d.noTx = true
			c.note(d.file, n, "%q became -- migrate:transaction false", line)
		case "file":
		default:
			return fmt.Errorf("%s:%d: atlas:txmode %q: a file directive takes none or file", d.file, n, arg)
		}
	case "delimiter":
		return fmt.Errorf("%s:%d: atlas:delimiter: statements end with %q here, not with ';'; migrate's lexer splits on ';': rewrite the file with ';' before importing", d.file, n, arg)
	case "checkpoint":
		return fmt.Errorf("%s:%d: atlas:checkpoint: a checkpoint file restates the schema and is applied only to an empty database; migrate would apply it after the files before it. Import a folder without checkpoints", d.file, n)
	}
	return nil
}
