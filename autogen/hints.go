package autogen

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/migratehq/migrate/schema"
	"github.com/migratehq/migrate/sqlsplit"
)

// HintMarker starts a rename hint in model SQL:
//
//	CREATE TABLE people (            -- migrate:renamed_from users
//	    id integer PRIMARY KEY,
//	    full_name text NOT NULL      -- migrate:renamed_from name
//	);
//
// A hint beside code belongs to the last definition that ends on its
// line: a column, or the table when its closing parenthesis is on that
// line (a table written on one line). On a line where no definition ends
// (CREATE TABLE people ( …), it belongs to the table begun there, or to
// the column whose definition goes on over the next lines. A hint on a
// line of its own belongs to the table or column whose definition begins
// on the next line.
const HintMarker = "-- migrate:renamed_from"

// HintSites tells where each rename hint of a [DiffOptions] was written
// ("file:line"), by the same keys as its TableRenames and ColumnRenames.
type HintSites struct {
	Tables  map[schema.TableRef]string
	Columns map[schema.ColumnRef]string
}

// ParseHints reads the rename hints of model chunks. defaultSchema
// qualifies unqualified table names ("public" on PostgreSQL, "" on
// SQLite). Hints that are not beside a CREATE TABLE or a column
// definition are errors naming the file and line.
func ParseHints(chunks []Chunk, d sqlsplit.Dialect, defaultSchema string) (DiffOptions, error) {
	opts, _, err := ParseHintsAt(chunks, d, defaultSchema)
	return opts, err
}

// ParseHintsAt is [ParseHints], also returning where each hint is.
func ParseHintsAt(chunks []Chunk, d sqlsplit.Dialect, defaultSchema string) (DiffOptions, HintSites, error) {
	opts := DiffOptions{TableRenames: map[schema.TableRef]schema.TableRef{}, ColumnRenames: map[schema.ColumnRef]string{}}
	sites := HintSites{Tables: map[schema.TableRef]string{}, Columns: map[schema.ColumnRef]string{}}
	for _, c := range chunks {
		if !strings.Contains(c.SQL, hintWord) {
			continue
		}
		if err := parseChunkHints(c, d, defaultSchema, &opts, &sites); err != nil {
			return opts, sites, err
		}
	}
	return opts, sites, nil
}

// hintLine is one line of a chunk that holds a hint.
type hintLine struct {
	line int    // 1-based, in the chunk
	name string // the old name, unquoted
	own  bool   // the hint is alone on its line (no code before it)
}

func parseChunkHints(c Chunk, d sqlsplit.Dialect, defaultSchema string, opts *DiffOptions, sites *HintSites) error {
	// PostgreSQL folds unquoted names to lower case; SQLite keeps them.
	fold := d == sqlsplit.Postgres
	unquoteIdent := func(s string) string { return unquote(s, fold) }
	stmts, err := sqlsplit.Split(c.SQL, d)
	if err != nil {
		return fmt.Errorf("%s: %w", c.File, err)
	}
	var tables []*tableLayout
	for _, st := range stmts {
		if t := layoutCreateTable(st, d, defaultSchema, unquoteIdent); t != nil {
			tables = append(tables, t)
		}
	}
	hints, err := findHints(c, unquoteIdent)
	if err != nil {
		return err
	}
	at := func(line int) string { return fmt.Sprintf("%s:%d", c.File, c.Line-1+line) }
	fail := func(line int, msg string) error { return &HintError{File: c.File, Line: c.Line - 1 + line, Msg: msg} }
	for i, h := range hints {
		line := h.line
		if h.own {
			// For the definition that begins on the next line of code.
			next := nextCodeLine(c.SQL, line)
			if next == 0 || i+1 < len(hints) && hints[i+1].own && hints[i+1].line < next {
				return fail(line, "rename hint not followed by a table or column")
			}
			line = next
		}
		t := tableAt(tables, line)
		if t == nil {
			return fail(h.line, "rename hint outside a CREATE TABLE statement (indexes and constraints are matched by their definition: a renamed one needs no hint)")
		}
		target, e := t.hintTarget(line, h.own)
		switch {
		case target == hintTable:
			old := schema.TableRef{Schema: t.table.Schema, Name: h.name}
			if i := strings.IndexByte(h.name, '.'); i >= 0 {
				old = schema.TableRef{Schema: h.name[:i], Name: h.name[i+1:]}
			}
			opts.TableRenames[t.table] = old
			sites.Tables[t.table] = at(h.line)
		case target == hintColumn:
			col := firstIdent(e.code, unquoteIdent)
			if col == "" || isConstraintWord(col) {
				return fail(h.line, "rename hint beside a table constraint, not a column definition (constraints are matched by their definition: a renamed one needs no hint)")
			}
			ref := schema.ColumnRef{Schema: t.table.Schema, Table: t.table.Name, Column: col}
			opts.ColumnRenames[ref] = h.name
			sites.Columns[ref] = at(h.line)
		default:
			return fail(h.line, "rename hint not beside a table or column definition")
		}
	}
	return nil
}

// hintWord is the word of a hint; written other than in HintMarker (a
// /* … */ comment, no space after --) it is an error, not ignored.
const hintWord = "migrate:renamed_from"

// findHints reads the hints of a chunk, in line order.
func findHints(c Chunk, unquoteIdent func(string) string) ([]hintLine, error) {
	var out []hintLine
	for i, text := range strings.Split(c.SQL, "\n") {
		if w := strings.Index(text, hintWord); w >= 0 && !strings.HasSuffix(text[:w], "-- ") {
			return nil, &HintError{File: c.File, Line: c.Line + i, Msg: "a rename hint is a -- comment: write " + HintMarker + " NAME (a /* */ comment, or none, is not read)"}
		}
		k := strings.Index(text, HintMarker)
		if k < 0 {
			continue
		}
		name := strings.TrimSpace(text[k+len(HintMarker):])
		if name == "" || strings.ContainsAny(name, " \t") {
			return nil, &HintError{File: c.File, Line: c.Line + i, Msg: "expected one name after " + HintMarker}
		}
		code := strings.TrimSpace(text[:k])
		out = append(out, hintLine{line: i + 1, name: unquoteIdent(name), own: code == "" || strings.HasPrefix(code, "--")})
	}
	return out, nil
}

// nextCodeLine returns the first line after line that holds something
// other than whitespace and "--" comments, or 0.
func nextCodeLine(sql string, line int) int {
	lines := strings.Split(sql, "\n")
	for i := line; i < len(lines); i++ {
		code := strings.TrimSpace(lines[i])
		if code != "" && !strings.HasPrefix(code, "--") {
			return i + 1
		}
	}
	return 0
}

func tableAt(tables []*tableLayout, line int) *tableLayout {
	for _, t := range tables {
		if t.first <= line && line <= t.last {
			return t
		}
	}
	return nil
}

// HintError is a misplaced or malformed rename hint.
type HintError struct {
	File string
	Line int
	Msg  string
}

func (e *HintError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// UnmatchedHints returns a warning for each rename hint of opts that
// renames nothing although it should, in the order the hints are written
// (by sites; hints without a site last):
//
//   - it matches nothing: the database has neither its old name nor its
//     new one (a misspelt name?), so the object is created as new;
//   - it cannot be done: the database has both names (and the new one is
//     not renamed away by another hint), or two hints rename the same
//     object, or the model keeps the old name too — the old object would
//     be dropped with its data;
//   - it is one of a swap of two alike objects (columns of the same type,
//     nullability and default; tables whose columns read alike), which
//     reads the same before and after it is done, so it is not done.
//
// A hint whose new name exists and old name does not was applied already
// and is left alone, as is a hint for an object target does not have
// (left out by [models] include/exclude). Each warning starts with the
// hint's "file:line" when sites knows it.
func UnmatchedHints(current, target *schema.Schema, opts DiffOptions, sites HintSites) []string {
	d := newDiffer(current, target, opts)
	var out []siteWarning
	for newRef, oldRef := range opts.TableRenames {
		if w := d.tableHintWarning(newRef, oldRef, opts.TableRenames); w != "" {
			out = append(out, siteWarning{sites.Tables[newRef], w})
		}
	}
	for ref, oldCol := range opts.ColumnRenames {
		if w := d.columnHintWarning(ref, oldCol, opts.ColumnRenames); w != "" {
			out = append(out, siteWarning{sites.Columns[ref], w})
		}
	}
	return sortSiteWarnings(out)
}

// tableHintWarning is the warning of table hint newRef renamed_from
// oldRef, or "".
func (d *differ) tableHintWarning(newRef, oldRef schema.TableRef, hints map[schema.TableRef]schema.TableRef) string {
	if newRef == oldRef || d.tgtTables[newRef] == nil || d.renamedTo[oldRef] == newRef {
		return ""
	}
	hasOld, hasNew := d.curTables[oldRef] != nil, d.curTables[newRef] != nil
	oldName, newName := qualifiedName(oldRef.Schema, oldRef.Name), qualifiedName(newRef.Schema, newRef.Name)
	switch {
	case !hasOld && !hasNew:
		return fmt.Sprintf("rename hint matches nothing: the database has neither table %s (the old name) nor %s (the new one)", oldName, newName)
	case !hasOld:
		return "" // applied already
	case inCycle(hints, newRef):
		alike, done := swapState(cyclePairs(hints, newRef), func(c, t schema.TableRef) (int, bool) {
			ct, tt := d.curTables[c], d.tgtTables[t]
			if ct == nil || tt == nil {
				return 0, false
			}
			return columnLikeness(ct, tt), true
		})
		if done || !alike {
			return ""
		}
		return fmt.Sprintf("rename hint renamed_from %s on %s is part of a swap of tables that read alike (the same columns by name and type): a swap reads the same done and not done, so it is not done; write the renames by hand (through a temporary name) and then drop the hints", oldName, newName)
	}
	oldKept := d.tgtTables[oldRef] != nil
	return fmt.Sprintf("rename hint renamed_from %s on %s cannot be done: %s%s; drop the hint, or drop or rename the other table first",
		oldName, newName, hintConflict(hasNew, oldKept, claimedTwice(hints, newRef), "table", oldName, newName), lost(oldKept, "table "+oldName, "rows"))
}

// columnHintWarning is the warning of column hint ref renamed_from
// oldCol, or "".
func (d *differ) columnHintWarning(ref schema.ColumnRef, oldCol string, hints map[schema.ColumnRef]string) string {
	newRef := tref(ref.Schema, ref.Table)
	tt := d.tgtTables[newRef]
	if ref.Column == oldCol || tt == nil || tt.Column(ref.Column) == nil || d.colRenames[newRef][oldCol] == ref.Column {
		return ""
	}
	table := qualifiedName(ref.Schema, ref.Table)
	ct := d.curTables[d.oldRef(newRef)]
	if ct == nil {
		return fmt.Sprintf("rename hint matches nothing: the database has no table %s, so no column %s to rename to %s", table, oldCol, ref.Column)
	}
	hasOld, hasNew := ct.Column(oldCol) != nil, ct.Column(ref.Column) != nil
	switch {
	case !hasOld && !hasNew:
		return fmt.Sprintf("rename hint matches nothing: table %s has neither column %s (the old name) nor %s (the new one)", table, oldCol, ref.Column)
	case !hasOld:
		return ""
	}
	tableHints := map[string]string{}
	for r, o := range hints {
		if tref(r.Schema, r.Table) == newRef {
			tableHints[r.Column] = o
		}
	}
	if inCycle(tableHints, ref.Column) {
		alike, done := swapState(cyclePairs(tableHints, ref.Column), func(c, t string) (int, bool) {
			cc, tc := ct.Column(c), tt.Column(t)
			if cc == nil || tc == nil {
				return 0, false
			}
			return likeness(cc, tc), true
		})
		if done || !alike {
			return ""
		}
		return fmt.Sprintf("rename hint renamed_from %s on column %s of %s is part of a swap of columns that read alike (same type, nullability and default): a swap reads the same done and not done, so it is not done; write the renames by hand (through a temporary name) and then drop the hints", oldCol, ref.Column, table)
	}
	oldKept := tt.Column(oldCol) != nil
	return fmt.Sprintf("rename hint renamed_from %s on column %s of %s cannot be done: %s%s; drop the hint, or drop or rename the other column first",
		oldCol, ref.Column, table, hintConflict(hasNew, oldKept, claimedTwice(tableHints, ref.Column), "column", oldCol, ref.Column), lost(oldKept, "column "+oldCol, "data"))
}

// lost says what is lost when a hint is not done: the old object, unless
// the model keeps it.
func lost(kept bool, what, data string) string {
	if kept {
		return ""
	}
	return fmt.Sprintf(", so %s would be dropped with its %s", what, data)
}

// hintConflict says why a hint whose old name exists was not applied.
func hintConflict(hasNew, oldInModel, twice bool, kind, oldName, newName string) string {
	switch {
	case hasNew:
		return fmt.Sprintf("the database has both %s %s and %s", kind, oldName, newName)
	case oldInModel:
		return fmt.Sprintf("the model has %s %s too", kind, oldName)
	case twice:
		return fmt.Sprintf("another hint renames %s %s as well", kind, oldName)
	}
	return fmt.Sprintf("%s %s is not free", kind, newName)
}

// inCycle reports whether the hints (new -> old) lead from nw back to it.
func inCycle[K comparable](hints map[K]K, nw K) bool {
	seen := map[K]bool{}
	for x := nw; !seen[x]; {
		seen[x] = true
		old, ok := hints[x]
		if !ok {
			return false
		}
		if old == nw {
			return true
		}
		x = old
	}
	return false
}

// cyclePairs returns the cycle of hints (new -> old) through nw as old
// -> new pairs.
func cyclePairs[K comparable](hints map[K]K, nw K) [][2]K {
	var out [][2]K
	for x := nw; ; {
		old := hints[x]
		out = append(out, [2]K{old, x})
		if old == nw {
			return out
		}
		x = old
	}
}

// swapState tells, for a swap (old -> new pairs) that was not done,
// whether its objects read alike either way (alike) or match the model
// better as they are (done: the swap was applied already). like scores
// a current object against a target one; ok false when one is missing
// (the swap is not done for another reason: neither).
func swapState[K comparable](pairs [][2]K, like func(cur, tgt K) (int, bool)) (alike, done bool) {
	renamed, same := 0, 0
	for _, p := range pairs {
		r, ok1 := like(p[0], p[1])
		s, ok2 := like(p[1], p[1])
		if !ok1 || !ok2 {
			return false, false
		}
		renamed, same = renamed+r, same+s
	}
	return renamed == same, renamed < same
}

// claimedTwice reports whether another hint names the same old name as
// the hint of nw.
func claimedTwice[K comparable](hints map[K]K, nw K) bool {
	for k, o := range hints {
		if k != nw && o == hints[nw] {
			return true
		}
	}
	return false
}

// siteWarning is a warning and the "file:line" of its hint.
type siteWarning struct{ site, msg string }

// sortSiteWarnings orders warnings by file, then line (as a number), the
// ones without a site last, and prefixes each with its site.
func sortSiteWarnings(ws []siteWarning) []string {
	pos := func(site string) (string, int) {
		i := strings.LastIndexByte(site, ':')
		if i < 0 {
			return site, 0
		}
		n, _ := strconv.Atoi(site[i+1:])
		return site[:i], n
	}
	slices.SortFunc(ws, func(a, b siteWarning) int {
		if (a.site == "") != (b.site == "") {
			return cmp.Compare(b.site, a.site)
		}
		af, al := pos(a.site)
		bf, bl := pos(b.site)
		return cmp.Or(cmp.Compare(af, bf), cmp.Compare(al, bl), cmp.Compare(a.msg, b.msg))
	})
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.msg
		if w.site != "" {
			out[i] = w.site + ": " + w.msg
		}
	}
	return out
}

// createTableName recognises CREATE [UNLOGGED|TEMP] TABLE [IF NOT EXISTS]
// name, and returns how many words it read.
func createTableName(sql, defaultSchema string, unquoteIdent func(string) string) (schema.TableRef, int, bool) {
	words := identWords(sql, 8)
	i := 0
	if i < len(words) && strings.EqualFold(words[i], "create") {
		i++
	} else {
		return schema.TableRef{}, 0, false
	}
	for i < len(words) && (strings.EqualFold(words[i], "unlogged") || strings.EqualFold(words[i], "temp") || strings.EqualFold(words[i], "temporary")) {
		i++
	}
	if i >= len(words) || !strings.EqualFold(words[i], "table") {
		return schema.TableRef{}, 0, false
	}
	i++
	if i+2 < len(words) && strings.EqualFold(words[i], "if") && strings.EqualFold(words[i+1], "not") && strings.EqualFold(words[i+2], "exists") {
		i += 3
	}
	if i >= len(words) {
		return schema.TableRef{}, 0, false
	}
	name := words[i]
	if j := strings.IndexByte(name, '.'); j >= 0 {
		return schema.TableRef{Schema: unquoteIdent(name[:j]), Name: unquoteIdent(name[j+1:])}, i + 1, true
	}
	return schema.TableRef{Schema: defaultSchema, Name: unquoteIdent(name)}, i + 1, true
}

// identWords returns up to n leading words of sql (identifiers, possibly
// quoted — "…", […], `…` — and dot-qualified), stopping at the first '('.
func identWords(sql string, n int) []string {
	var out []string
	s := strings.TrimSpace(sql)
	for len(out) < n && s != "" {
		if s[0] == '(' {
			break
		}
		end := 0
		for end < len(s) {
			c := s[end]
			if c == '"' || c == '`' || c == '[' {
				closer := c
				if c == '[' {
					closer = ']'
				}
				k := strings.IndexByte(s[end+1:], closer)
				if k < 0 {
					end = len(s)
					break
				}
				end += k + 2
				continue
			}
			if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '(' {
				break
			}
			end++
		}
		out = append(out, s[:end])
		s = strings.TrimSpace(s[end:])
	}
	return out
}

func firstIdent(code string, unquoteIdent func(string) string) string {
	w := identWords(code, 1)
	if len(w) == 0 {
		return ""
	}
	return unquoteIdent(strings.TrimRight(w[0], ","))
}

func isConstraintWord(w string) bool {
	switch strings.ToLower(w) {
	case "constraint", "primary", "unique", "foreign", "check", "exclude", "like", ")":
		return true
	}
	return false
}

func unquote(s string, fold bool) string {
	if len(s) >= 2 && (s[0] == '"' && s[len(s)-1] == '"' || s[0] == '[' && s[len(s)-1] == ']' || s[0] == '`' && s[len(s)-1] == '`') {
		return strings.ReplaceAll(s[1:len(s)-1], `""`, `"`)
	}
	if fold {
		return strings.ToLower(s)
	}
	return s
}
