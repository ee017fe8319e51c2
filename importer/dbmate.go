package importer

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

var (
	// dbmateName is dbmate's file name: a version of digits, then
	// anything ("_name", "-name", or nothing), as dbmate reads it.
	dbmateName = regexp.MustCompile(`^([0-9]+)(.*)\.sql$`)
	// dbmateMarker is a dbmate section marker with its options.
	dbmateMarker = regexp.MustCompile(`^--\s*migrate:(up|down)(\s.*)?$`)
)

// convertDbmate reads a dbmate folder: VERSION_name.sql files (any text,
// or none, may follow the version's digits) with
// -- migrate:up and -- migrate:down sections, applied in the order of
// their versions (compared as text, as dbmate does). The file names are
// kept.
func (c *conv) convertDbmate(src string) error {
	names, err := readDir(src)
	if err != nil {
		return err
	}
	var drafts []*draft
	for _, name := range names {
		m := dbmateName.FindStringSubmatch(name)
		if m == nil {
			continue
		}
		data, err := readFile(src, name)
		if err != nil {
			return err
		}
		d := &draft{file: name, version: m[1], id: m[1], name: name, message: describe(strings.TrimLeft(m[2], "_-"))}
		if err := c.parseDbmate(d, data); err != nil {
			return err
		}
		drafts = append(drafts, d)
	}
	sort.SliceStable(drafts, func(i, j int) bool { return drafts[i].version < drafts[j].version })
	for i := 1; i < len(drafts); i++ {
		if drafts[i].version == drafts[i-1].version {
			return fmt.Errorf("%s and %s have the same version %s", drafts[i-1].file, drafts[i].file, drafts[i].version)
		}
	}
	return c.finish(drafts, true)
}

// parseDbmate fills d's sections from a dbmate file. Options after a
// marker are space-separated key:value pairs; transaction:false on
// either marker runs the revision outside a transaction.
func (c *conv) parseDbmate(d *draft, data []byte) error {
	var up, down, cur *section
	var lead []srcLine // comments before -- migrate:up
	for i, line := range c.srcLines(d.file, data) {
		n := i + 1
		m := dbmateMarker.FindStringSubmatch(line)
		if m == nil {
			if cur == nil {
				if t := strings.TrimSpace(line); t != "" && !strings.HasPrefix(t, "--") {
					return fmt.Errorf("%s:%d: SQL before -- migrate:up", d.file, n)
				}
				lead = append(lead, srcLine{n, line})
				continue
			}
			cur.add(n, line)
			continue
		}
		switch {
		case m[1] == "up" && up == nil && down == nil:
			up = &section{file: d.file, lines: lead}
			cur = up
		case m[1] == "down" && up != nil && down == nil:
			down = &section{file: d.file}
			cur = down
		default:
			return fmt.Errorf("%s:%d: unexpected %q (dbmate files hold one -- migrate:up, then at most one -- migrate:down)", d.file, n, strings.TrimSpace(line))
		}
		if err := c.dbmateOptions(d, n, m[2]); err != nil {
			return err
		}
	}
	if up == nil {
		return fmt.Errorf("%s: no -- migrate:up marker", d.file)
	}
	if down == nil {
		down = &section{file: d.file}
		c.note(d.file, 1, "no -- migrate:down: the down section is empty (dbmate runs nothing to roll back)")
	}
	d.up, d.down = up, down
	return nil
}

// dbmateOptions reads the options after a marker on line n.
func (c *conv) dbmateOptions(d *draft, n int, opts string) error {
	for _, opt := range strings.Fields(opts) {
		switch opt {
		case "transaction:false":
			d.noTx = true
			c.note(d.file, n, "transaction:false became -- migrate:transaction false")
		case "transaction:true":
		default:
			return fmt.Errorf("%s:%d: unknown dbmate option %q (known: transaction:false, transaction:true)", d.file, n, opt)
		}
	}
	return nil
}
