package autogen

import (
	"fmt"
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
// A hint on its own line applies to the table or column defined on the
// next line.
const HintMarker = "-- migrate:renamed_from"

// ParseHints reads the rename hints of model chunks. defaultSchema
// qualifies unqualified table names ("public" on PostgreSQL, "" on
// SQLite). Hints that are not beside a CREATE TABLE or a column
// definition are errors naming the file and line.
func ParseHints(chunks []Chunk, d sqlsplit.Dialect, defaultSchema string) (DiffOptions, error) {
	opts := DiffOptions{TableRenames: map[schema.TableRef]schema.TableRef{}, ColumnRenames: map[schema.ColumnRef]string{}}
	for _, c := range chunks {
		if !strings.Contains(c.SQL, HintMarker) {
			continue
		}
		if err := parseChunkHints(c, d, defaultSchema, &opts); err != nil {
			return opts, err
		}
	}
	return opts, nil
}

func parseChunkHints(c Chunk, d sqlsplit.Dialect, defaultSchema string, opts *DiffOptions) error {
	// PostgreSQL folds unquoted names to lower case; SQLite keeps them.
	fold := d == sqlsplit.Postgres
	unquoteIdent := func(s string) string { return unquote(s, fold) }
	stmts, err := sqlsplit.Split(c.SQL, d)
	if err != nil {
		return fmt.Errorf("%s: %w", c.File, err)
	}
	lines := strings.Split(c.SQL, "\n")
	// Which CREATE TABLE covers each line, and the table's name.
	type span struct {
		first, last int // 1-based lines
		table       schema.TableRef
	}
	var spans []span
	for _, st := range stmts {
		name, ok := createTableName(st.SQL, defaultSchema, unquoteIdent)
		if !ok {
			continue
		}
		spans = append(spans, span{first: st.Line, last: st.Line + strings.Count(st.SQL, "\n"), table: name})
	}
	pending := "" // a hint on its own line, for the next definition
	pendingLine := 0
	for i, text := range lines {
		line := i + 1
		code, hint := text, ""
		if k := strings.Index(text, HintMarker); k >= 0 {
			code = text[:k]
			hint = strings.TrimSpace(text[k+len(HintMarker):])
			if hint == "" || strings.ContainsAny(hint, " \t") {
				return &HintError{File: c.File, Line: c.Line - 1 + line, Msg: "expected one name after " + HintMarker}
			}
			hint = unquoteIdent(hint)
		}
		code = strings.TrimSpace(code)
		if code == "" || strings.HasPrefix(code, "--") {
			if hint != "" {
				if pending != "" {
					return &HintError{File: c.File, Line: c.Line - 1 + pendingLine, Msg: "rename hint not followed by a table or column"}
				}
				pending, pendingLine = hint, line
			}
			continue
		}
		if hint == "" && pending != "" {
			hint, pending = pending, ""
		}
		if hint == "" {
			continue
		}
		var sp *span
		for j := range spans {
			if spans[j].first <= line && line <= spans[j].last {
				sp = &spans[j]
			}
		}
		switch {
		case sp == nil:
			return &HintError{File: c.File, Line: c.Line - 1 + line, Msg: "rename hint outside a CREATE TABLE statement"}
		case line == sp.first:
			old := schema.TableRef{Schema: sp.table.Schema, Name: hint}
			if i := strings.IndexByte(hint, '.'); i >= 0 {
				old = schema.TableRef{Schema: hint[:i], Name: hint[i+1:]}
			}
			opts.TableRenames[sp.table] = old
		default:
			col := firstIdent(code, unquoteIdent)
			if col == "" || isConstraintWord(col) {
				return &HintError{File: c.File, Line: c.Line - 1 + line, Msg: "rename hint not beside a column definition"}
			}
			opts.ColumnRenames[schema.ColumnRef{Schema: sp.table.Schema, Table: sp.table.Name, Column: col}] = hint
		}
	}
	if pending != "" {
		return &HintError{File: c.File, Line: c.Line - 1 + pendingLine, Msg: "rename hint not followed by a table or column"}
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

// createTableName recognises CREATE [UNLOGGED|TEMP] TABLE [IF NOT EXISTS] name.
func createTableName(sql, defaultSchema string, unquoteIdent func(string) string) (schema.TableRef, bool) {
	words := identWords(sql, 8)
	i := 0
	if i < len(words) && strings.EqualFold(words[i], "create") {
		i++
	} else {
		return schema.TableRef{}, false
	}
	for i < len(words) && (strings.EqualFold(words[i], "unlogged") || strings.EqualFold(words[i], "temp") || strings.EqualFold(words[i], "temporary")) {
		i++
	}
	if i >= len(words) || !strings.EqualFold(words[i], "table") {
		return schema.TableRef{}, false
	}
	i++
	if i+2 < len(words) && strings.EqualFold(words[i], "if") && strings.EqualFold(words[i+1], "not") && strings.EqualFold(words[i+2], "exists") {
		i += 3
	}
	if i >= len(words) {
		return schema.TableRef{}, false
	}
	name := words[i]
	if j := strings.IndexByte(name, '.'); j >= 0 {
		return schema.TableRef{Schema: unquoteIdent(name[:j]), Name: unquoteIdent(name[j+1:])}, true
	}
	return schema.TableRef{Schema: defaultSchema, Name: unquoteIdent(name)}, true
}

// identWords returns up to n leading words of sql (identifiers, possibly
// quoted and dot-qualified), stopping at the first '('.
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
			if c == '"' {
				k := strings.IndexByte(s[end+1:], '"')
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
