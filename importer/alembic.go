package importer

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/migratehq/migrate/sqlsplit"
)

// alembicMarker is the comment Alembic writes before each step of its
// offline SQL: "-- Running upgrade a, b -> c" or "-- Running downgrade
// c -> a, b" (an empty side is the base).
var alembicMarker = regexp.MustCompile(`^-- Running (upgrade|downgrade) (.*)->(.*)$`)

// alembicStep is one "-- Running" block of an offline SQL file.
type alembicStep struct {
	from, to []string
	message  string // after the target id, when the output carries one
	line     int    // of the marker
	body     *section
}

// alembicVersionTable is the version table Alembic's offline SQL keeps
// up to date, unless the script creates another.
const alembicVersionTable = "alembic_version"

// convertAlembic reads Alembic's offline SQL for the whole history
// (upgrade base:heads, downgrade heads:base) and cuts it into one
// revision per "-- Running upgrade" step, keeping Alembic's ids, parents
// and the order of the upgrade.
func (c *conv) convertAlembic(src string, opts Options) error {
	upPath, downPath := opts.AlembicUp, opts.AlembicDown
	if upPath == "" {
		upPath = filepath.Join(src, "upgrade.sql")
	}
	if downPath == "" {
		downPath = filepath.Join(src, "downgrade.sql")
	}
	ups, table, err := c.alembicSteps(upPath, "upgrade", "")
	if err != nil {
		return err
	}
	downs, _, err := c.alembicSteps(downPath, "downgrade", table)
	if err != nil {
		return err
	}
	scripts, err := alembicScriptsFor(src, opts.AlembicScripts)
	if err != nil {
		return err
	}
	return c.alembicDrafts(ups, downs, scripts, filepath.Base(downPath))
}

// alembicDrafts pairs each upgrade step with the downgrade step of the
// same revision and converts the pairs, in the upgrade's order.
func (c *conv) alembicDrafts(ups, downs []*alembicStep, scripts map[string]*alembicScript, downFile string) error {
	downOf := map[string]*alembicStep{}
	for _, s := range downs {
		if len(s.from) != 1 {
			return fmt.Errorf("%s:%d: a downgrade step should leave one revision, not %q", s.body.file, s.line, strings.Join(s.from, ", "))
		}
		if prev := downOf[s.from[0]]; prev != nil {
			return fmt.Errorf("%s:%d: revision %s is downgraded twice (first at line %d)", s.body.file, s.line, s.from[0], prev.line)
		}
		downOf[s.from[0]] = s
	}
	width := max(4, len(fmt.Sprint(len(ups))))
	var drafts []*draft
	for i, s := range ups {
		if len(s.to) != 1 {
			return fmt.Errorf("%s:%d: an upgrade step should reach one revision, not %q", s.body.file, s.line, strings.Join(s.to, ", "))
		}
		id := s.to[0]
		d := &draft{file: s.body.file, version: id, id: id, message: s.message, parents: s.from, up: s.body}
		if sc := scripts[id]; sc != nil {
			if d.message == "" {
				d.message = sc.message
			}
			d.labels, d.depends = sc.labels, sc.dependsOn
		}
		d.name = fmt.Sprintf("%0*d_%s", width, i+1, numberedName(id, d.message))
		down, ok := downOf[id]
		if !ok {
			return fmt.Errorf("%s:%d: revision %s has no \"-- Running downgrade %s -> …\" step in %s; give the output of alembic downgrade heads:base --sql", s.body.file, s.line, id, id, downFile)
		}
		if strings.Join(down.to, ",") != strings.Join(s.from, ",") {
			return fmt.Errorf("%s:%d: revision %s revises %q in the upgrade, but downgrades to %q (%s:%d): the two files are not of the same history", s.body.file, s.line, id, strings.Join(s.from, ", "), strings.Join(down.to, ", "), down.body.file, down.line)
		}
		d.down = down.body
		delete(downOf, id)
		drafts = append(drafts, d)
	}
	for _, s := range downs { // in file order, for a stable error
		if downOf[s.from[0]] != nil {
			return fmt.Errorf("%s:%d: revision %s is downgraded but never upgraded", s.body.file, s.line, s.from[0])
		}
	}
	return c.finish(drafts, false)
}

// alembicScriptsFor reads the scripts of dir, or of src/versions when dir
// is "" and that folder exists; none otherwise.
func alembicScriptsFor(src, dir string) (map[string]*alembicScript, error) {
	if dir == "" {
		dir = filepath.Join(src, "versions")
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			return nil, nil
		}
	}
	return readAlembicScripts(dir)
}

// alembicSteps reads an offline SQL file into its steps, dropping
// Alembic's bookkeeping: the version table's DDL and DML and the
// BEGIN/COMMIT around the run, each reported as a note. table names the
// version table; "" finds it in the CREATE TABLE before the first step
// (alembic_version when there is none). It returns the table used.
func (c *conv) alembicSteps(path, dir, table string) ([]*alembicStep, string, error) {
	data, err := readFile("", path)
	if err != nil {
		return nil, "", err
	}
	return c.alembicStepsOf(filepath.Base(path), data, dir, table)
}

// alembicStepsOf is alembicSteps on the content of file.
func (c *conv) alembicStepsOf(file string, data []byte, dir, table string) ([]*alembicStep, string, error) {
	pre := &section{file: file}
	cur := pre
	var steps []*alembicStep
	for i, line := range c.srcLines(file, data) {
		m := alembicMarker.FindStringSubmatch(strings.TrimRight(line, " "))
		if m == nil {
			cur.add(i+1, line)
			continue
		}
		if m[1] != dir {
			return nil, "", fmt.Errorf("%s:%d: a %s step in the %s file", file, i+1, m[1], dir)
		}
		s := &alembicStep{from: idList(m[2]), line: i + 1, body: &section{file: file}}
		s.to = idList(m[3])
		if dir == "upgrade" && len(s.to) == 1 {
			s.to[0], s.message, _ = strings.Cut(strings.TrimSpace(m[3]), ", ")
		}
		steps = append(steps, s)
		cur = s.body
	}
	if len(steps) == 0 {
		return nil, "", fmt.Errorf("%s: no \"-- Running %s\" line: expected the output of alembic %s --sql", file, dir, dir)
	}
	table, err := c.alembicPreamble(pre, table)
	if err != nil {
		return nil, "", err
	}
	for _, s := range steps {
		if err := c.dropBookkeeping(s.body, table); err != nil {
			return nil, "", err
		}
	}
	return steps, table, nil
}

// idList splits "a, b" into ids; "" is the base, no ids.
func idList(s string) []string {
	var ids []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			ids = append(ids, f)
		}
	}
	return ids
}

// alembicPreamble checks what comes before the first step (BEGIN and the
// CREATE TABLE of the version table, nothing else), reports it dropped,
// and returns the version table's name: table when given, else the one
// the preamble creates, else alembic_version.
func (c *conv) alembicPreamble(pre *section, table string) (string, error) {
	ls, err := pre.lex(c.dialect)
	if err != nil {
		return "", err
	}
	stmts, d := ls[0].stmts, ls[0].d
	for _, st := range stmts {
		if table != "" {
			break
		}
		if w := sqlsplit.LeadingWords(st.SQL, d, 2); len(w) == 2 && strings.EqualFold(w[0], "create") && strings.EqualFold(w[1], "table") && strings.Contains(st.SQL, "version_num") {
			table = tableOf(st.SQL, d)
		}
	}
	if table == "" {
		table = alembicVersionTable
	}
	for _, st := range stmts {
		if txKind(st.SQL, d) == "" && tableOf(st.SQL, d) != table {
			return "", fmt.Errorf("%s:%d: %q comes before the first -- Running line; only Alembic's own BEGIN and version table belong there", pre.file, pre.src(st.Line), firstLine(st.SQL))
		}
		c.note(pre.file, pre.src(st.Line), "dropped %q: Alembic's own bookkeeping", firstLine(st.SQL))
	}
	return table, nil
}

// dropBookkeeping removes from s the statements on the version table and
// the top-level BEGIN/COMMIT Alembic wraps the run in.
func (c *conv) dropBookkeeping(s *section, table string) error {
	ls, err := s.lex(c.dialect)
	if err != nil {
		return err
	}
	drop := agreed(ls, func(sql string, d sqlsplit.Dialect) bool {
		kind := txKind(sql, d)
		return kind == "begin" || kind == "commit" || tableOf(sql, d) == table
	})
	for k := len(drop) - 1; k >= 0; k-- {
		st := drop[k]
		first, last, alone := s.lineSpan(st)
		if !alone {
			return fmt.Errorf("%s:%d: %q shares its line with other SQL; expected Alembic's offline output as it wrote it", s.file, s.src(st.Line), firstLine(st.SQL))
		}
		c.note(s.file, s.src(first), "dropped %q: Alembic's own bookkeeping", firstLine(st.SQL))
		s.drop(first, last)
	}
	return nil
}

// tableOf returns the table a statement on one table writes or defines,
// lower-cased and unquoted ("schema.name" when qualified): INSERT INTO t,
// UPDATE t, DELETE FROM t, CREATE TABLE t, DROP TABLE t; "" otherwise.
func tableOf(sql string, d sqlsplit.Dialect) string {
	toks, err := sqlsplit.LeadingTokens(sql, d, 8)
	if err != nil || len(toks) < 2 {
		return ""
	}
	i := 0
	switch {
	case toks[0].Is("insert") && toks[1].Is("into"), toks[0].Is("delete") && toks[1].Is("from"),
		toks[0].Is("create") && toks[1].Is("table"), toks[0].Is("drop") && toks[1].Is("table"):
		i = 2
	case toks[0].Is("update"):
		i = 1
	default:
		return ""
	}
	if i+1 < len(toks) && toks[i].Is("if") {
		return "" // IF [NOT] EXISTS: not Alembic's form
	}
	var name []string
	for ; i < len(toks); i += 2 {
		name = append(name, strings.ToLower(toks[i].Name()))
		if i+1 >= len(toks) || toks[i+1].Text != "." {
			break
		}
	}
	return strings.Join(name, ".")
}
