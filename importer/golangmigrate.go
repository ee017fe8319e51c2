package importer

import (
	"fmt"
	"regexp"
	"strconv"
)

// golangMigrateName is golang-migrate's file name: version, title,
// direction, extension.
var golangMigrateName = regexp.MustCompile(`^([0-9]+)_(.*)\.(down|up)\.(.*)$`)

// convertGolangMigrate reads a golang-migrate folder: N_title.up.sql and
// N_title.down.sql pairs, applied in numeric order. A version without a
// down file migrates down as a no-op, as golang-migrate does.
func (c *conv) convertGolangMigrate(src string) error {
	names, err := readDir(src)
	if err != nil {
		return err
	}
	type pair struct{ up, down string }
	pairs := map[uint64]*pair{}
	var ms []numbered
	for _, name := range names {
		m := golangMigrateName.FindStringSubmatch(name)
		if m == nil || m[4] != "sql" {
			continue
		}
		n, err := parseVersion(name, m[1])
		if err != nil {
			return err
		}
		p := pairs[n]
		if p == nil {
			p = &pair{}
			pairs[n] = p
		}
		slot := &p.up
		if m[3] == "down" {
			slot = &p.down
		}
		if *slot != "" {
			return fmt.Errorf("%s and %s are both the %s migration of version %d", *slot, name, m[3], n)
		}
		*slot = name
		if m[3] == "up" {
			ms = append(ms, numbered{num: n, written: m[1], file: name, desc: m[2]})
		}
	}
	for n, p := range pairs {
		if p.up == "" {
			return fmt.Errorf("%s: no up migration for version %d", p.down, n)
		}
	}
	if err := sortNumbered(ms); err != nil {
		return err
	}
	ids := idsFor(ms)
	drafts := make([]*draft, 0, len(ms))
	for i, m := range ms {
		d := &draft{file: m.file, version: strconv.FormatUint(m.num, 10), id: ids[i], message: describe(m.desc)}
		d.name = numberedName(d.id, d.message)
		if d.up, err = wholeFile(src, m.file); err != nil {
			return err
		}
		if down := pairs[m.num].down; down != "" {
			if d.down, err = wholeFile(src, down); err != nil {
				return err
			}
		} else {
			d.down = &section{file: m.file}
			c.note(m.file, 1, "no down file: the down section is empty (golang-migrate runs nothing to migrate down)")
		}
		drafts = append(drafts, d)
	}
	return c.finish(drafts, true)
}

// wholeFile reads a file as one section.
func wholeFile(dir, name string) (*section, error) {
	data, err := readFile(dir, name)
	if err != nil {
		return nil, err
	}
	s := &section{file: name}
	for i, l := range lines(data) {
		s.add(i+1, l)
	}
	return s, nil
}
