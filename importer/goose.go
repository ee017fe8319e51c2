package importer

import (
	"fmt"
	"strconv"
	"strings"
)

// convertGoose reads a goose folder: NNN_name.sql files with -- +goose
// annotations, applied in the numeric order of their versions. Go
// migrations (NNN_name.go) are listed in Skipped.
func (c *conv) convertGoose(src string) error {
	names, err := readDir(src)
	if err != nil {
		return err
	}
	var ms []numbered
	for _, name := range names {
		base, ext, ok := cutExt(name, ".sql", ".go")
		if !ok || strings.HasSuffix(name, "_test.go") {
			continue
		}
		m := versionPrefix.FindStringSubmatch(base)
		if m == nil {
			if ext == ".sql" {
				return fmt.Errorf("%s: a goose migration's name starts with its version number and '_'", name)
			}
			continue // a Go file of the package, not a migration
		}
		n, err := parseVersion(name, m[1])
		if err != nil {
			return err
		}
		ms = append(ms, numbered{num: n, written: m[1], file: name, desc: m[2]})
	}
	if err := sortNumbered(ms); err != nil {
		return err
	}
	ids := idsFor(ms)
	var drafts []*draft
	for i, m := range ms {
		version := strconv.FormatUint(m.num, 10)
		if strings.HasSuffix(m.file, ".go") {
			c.res.Skipped = append(c.res.Skipped, Skipped{File: m.file, Version: version,
				Reason: "a Go migration: rewrite it in SQL as a revision, or cover its version with migrate stamp"})
			continue
		}
		data, err := readFile(src, m.file)
		if err != nil {
			return err
		}
		d := &draft{file: m.file, version: version, id: ids[i], message: describe(m.desc)}
		d.name = numberedName(d.id, d.message)
		if err := c.parseGoose(d, data); err != nil {
			return err
		}
		drafts = append(drafts, d)
	}
	return c.finish(drafts, true)
}

// cutExt returns name without the first of exts it ends with.
func cutExt(name string, exts ...string) (base, ext string, ok bool) {
	for _, e := range exts {
		if b, found := strings.CutSuffix(name, e); found {
			return b, e, true
		}
	}
	return name, "", false
}

// gooseAnnotation returns the annotation of a goose annotation line
// (lower case, spaces kept, "" when the line is not one), as goose reads
// it: a line that starts with "--" and holds "+goose".
func gooseAnnotation(line string) (string, bool) {
	t := strings.TrimSpace(line)
	if !strings.HasPrefix(t, "--") || !strings.Contains(line, "+goose") {
		return "", false
	}
	cmd := strings.ReplaceAll(t, "--", "")
	cmd = strings.Replace(cmd, "+goose", "", 1)
	return strings.ToLower(strings.TrimSpace(cmd)), true
}

// parseGoose fills d's sections from a goose SQL file.
func (c *conv) parseGoose(d *draft, data []byte) error {
	const (
		before = iota
		inUp
		inDown
	)
	state, blockAt, block := before, 0, 0
	up := &section{file: d.file}
	var down *section
	cur := up
	for i, line := range lines(data) {
		n := i + 1
		ann, ok := gooseAnnotation(line)
		if !ok {
			if state == before && strings.TrimSpace(line) != "" && !strings.HasPrefix(strings.TrimSpace(line), "--") {
				return fmt.Errorf("%s:%d: SQL before -- +goose Up", d.file, n)
			}
			cur.add(n, line)
			continue
		}
		if line != strings.TrimLeft(line, " \t") {
			return fmt.Errorf("%s:%d: goose annotation %q is indented; goose rejects it", d.file, n, strings.TrimSpace(line))
		}
		switch ann {
		case "up":
			if state != before {
				return fmt.Errorf("%s:%d: second -- +goose Up", d.file, n)
			}
			state = inUp
		case "down":
			if state != inUp || blockAt > 0 {
				return fmt.Errorf("%s:%d: -- +goose Down must follow -- +goose Up, outside a StatementBegin block", d.file, n)
			}
			state, down = inDown, &section{file: d.file}
			cur = down
		case "statementbegin":
			if state == before || blockAt > 0 {
				return fmt.Errorf("%s:%d: -- +goose StatementBegin outside a section or inside another block", d.file, n)
			}
			blockAt, block = n, len(cur.lines)
			c.note(d.file, n, "dropped %q: migrate's lexer finds where the statement ends", strings.TrimSpace(line))
		case "statementend":
			if blockAt == 0 {
				return fmt.Errorf("%s:%d: -- +goose StatementEnd without StatementBegin", d.file, n)
			}
			if err := c.checkBlock(cur, block, blockAt); err != nil {
				return err
			}
			blockAt = 0
			c.note(d.file, n, "dropped %q: migrate's lexer finds where the statement ends", strings.TrimSpace(line))
		case "no transaction":
			d.noTx = true
			c.note(d.file, n, "%q became -- migrate:transaction false", strings.TrimSpace(line))
		case "envsub on":
			return fmt.Errorf("%s:%d: -- +goose ENVSUB ON substitutes environment variables when goose runs; migrate does not: write the values into the file before importing", d.file, n)
		case "envsub off":
			c.note(d.file, n, "dropped %q", strings.TrimSpace(line))
		default:
			return fmt.Errorf("%s:%d: unknown goose annotation %q", d.file, n, strings.TrimSpace(line))
		}
	}
	switch {
	case state == before:
		return fmt.Errorf("%s: no -- +goose Up annotation", d.file)
	case blockAt > 0:
		return fmt.Errorf("%s:%d: -- +goose StatementBegin without StatementEnd", d.file, blockAt)
	case down == nil:
		down = &section{file: d.file}
		c.note(d.file, 1, "no -- +goose Down: the down section is empty (goose runs nothing to migrate down)")
	}
	d.up, d.down = up, down
	return nil
}

// checkBlock checks that the lines of s from index from on (a goose
// StatementBegin … StatementEnd block) are one statement for migrate's
// lexer, as they are one for goose.
func (c *conv) checkBlock(s *section, from, beginLine int) error {
	blk := &section{file: s.file, lines: s.lines[from:]}
	ls, err := blk.lex(c.dialect)
	if err != nil {
		return err
	}
	for _, l := range ls {
		if len(l.stmts) <= 1 {
			return nil
		}
	}
	stmts := ls[0].stmts
	return fmt.Errorf("%s:%d: the StatementBegin block holds %d statements for migrate's lexer (the second at line %d); goose sends it as one: make it one statement, or split it into blocks", s.file, beginLine, len(stmts), blk.src(stmts[1].Line))
}
