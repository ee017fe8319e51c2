package autogen

import (
	"strings"

	"github.com/migratehq/migrate/schema"
	"github.com/migratehq/migrate/sqlsplit"
)

// Where the definitions of a CREATE TABLE statement are, line by line, so
// that a rename hint can be given to the definition beside it.

// tableLayout is one CREATE TABLE statement; lines are 1-based in the
// chunk.
type tableLayout struct {
	table       schema.TableRef
	first, last int // the statement's first and last lines
	open, close int // the lines of the parentheses around the definitions (0: none)
	elems       []tableElem
}

// tableElem is one column definition or table constraint.
type tableElem struct {
	first, last int    // lines of its first and last characters (the comma after it left out)
	code        string // its text, comments left out
}

// hintTargetKind is what a hint belongs to.
type hintTargetKind int

const (
	hintNone hintTargetKind = iota
	hintTable
	hintColumn // a column, or a table constraint (an error)
)

// hintTarget returns what a hint belongs to. own: the hint was on a line
// of its own, and line is the next line of code; otherwise the hint is
// beside code on line.
func (t *tableLayout) hintTarget(line int, own bool) (hintTargetKind, tableElem) {
	if own {
		if line == t.first {
			return hintTable, tableElem{}
		}
		for _, e := range t.elems {
			if e.first == line {
				return hintColumn, e
			}
		}
		return hintNone, tableElem{}
	}
	// The last definition that ends on the line: the table itself when
	// its closing parenthesis is there, else a column.
	if t.open == 0 || line == t.close {
		return hintTable, tableElem{}
	}
	for i := len(t.elems) - 1; i >= 0; i-- {
		if t.elems[i].last == line {
			return hintColumn, t.elems[i]
		}
	}
	// None ends there: a column that goes on over the next lines, or
	// the table (the CREATE TABLE line, or what follows the definitions).
	for _, e := range t.elems {
		if e.first <= line && line <= e.last {
			return hintColumn, e
		}
	}
	return hintTable, tableElem{}
}

// layoutCreateTable returns the layout of a CREATE TABLE statement, or
// nil for another statement.
func layoutCreateTable(st sqlsplit.Statement, d sqlsplit.Dialect, defaultSchema string, unquoteIdent func(string) string) *tableLayout {
	name, words, ok := createTableName(st.SQL, defaultSchema, unquoteIdent)
	if !ok {
		return nil
	}
	t := &tableLayout{table: name, first: st.Line, last: st.Line + strings.Count(st.SQL, "\n")}
	depth := 0
	var cur *tableElem
	var code strings.Builder
	endElem := func() {
		if cur != nil {
			cur.code = strings.TrimSpace(code.String())
			t.elems = append(t.elems, *cur)
		}
		cur = nil
		code.Reset()
	}
	line := st.Line
	for _, tok := range sqlTokensWithComments(st.SQL, d) {
		tokLine := line
		line += strings.Count(tok.text, "\n")
		switch {
		case tok.comment:
			if cur != nil {
				code.WriteByte(' ')
			}
			continue
		case tok.text == "(" && depth == 0:
			depth++
			if t.open == 0 && len(identWords(st.SQL[:tok.start], words+1)) == words {
				t.open = tokLine
			}
			continue
		case tok.text == "(":
			depth++
		case tok.text == ")":
			depth--
			if depth == 0 {
				if t.open != 0 && t.close == 0 {
					endElem()
					t.close = tokLine
				}
				continue
			}
		case tok.text == "," && depth == 1:
			endElem()
			continue
		}
		if depth < 1 || t.open == 0 || t.close != 0 {
			continue
		}
		if strings.TrimSpace(tok.text) == "" {
			code.WriteString(tok.text)
			continue
		}
		if cur == nil {
			cur = &tableElem{first: tokLine}
		}
		cur.last = line
		code.WriteString(tok.text)
	}
	return t
}

// hintToken is a piece of a statement: a comment, a quoted string or
// identifier, a run of spaces, or one other character.
type hintToken struct {
	text    string
	start   int // byte offset in the statement
	comment bool
}

// sqlTokensWithComments cuts sql into hintTokens. It knows '…' strings
// (E'…' with backslash escapes on PostgreSQL), "…" identifiers, -- and
// /* */ comments (nested on PostgreSQL), $tag$ bodies on PostgreSQL, and
// `…` and […] identifiers on SQLite.
func sqlTokensWithComments(sql string, d sqlsplit.Dialect) []hintToken {
	var out []hintToken
	pg := d == sqlsplit.Postgres
	for i := 0; i < len(sql); {
		j, comment := tokenEnd(sql, i, pg), false
		switch {
		case strings.HasPrefix(sql[i:], "--"), strings.HasPrefix(sql[i:], "/*"):
			comment = true
		}
		out = append(out, hintToken{text: sql[i:j], start: i, comment: comment})
		i = j
	}
	return out
}

// tokenEnd returns the end of the token that starts at i.
func tokenEnd(s string, i int, pg bool) int {
	closing := func(from int, quote byte) int {
		for k := from; k < len(s); k++ {
			if s[k] == quote {
				if k+1 < len(s) && s[k+1] == quote && quote != ']' {
					k++
					continue
				}
				return k + 1
			}
		}
		return len(s)
	}
	switch c := s[i]; {
	case strings.HasPrefix(s[i:], "--"):
		if k := strings.IndexByte(s[i:], '\n'); k >= 0 {
			return i + k
		}
		return len(s)
	case strings.HasPrefix(s[i:], "/*"):
		return commentEnd(s, i, pg)
	case c == '\'' && pg && i > 0 && (s[i-1] == 'E' || s[i-1] == 'e') && (i < 2 || !isIdentChar(s[i-2])):
		for k := i + 1; k < len(s); k++ {
			switch {
			case s[k] == '\\':
				k++
			case s[k] == '\'' && k+1 < len(s) && s[k+1] == '\'':
				k++
			case s[k] == '\'':
				return k + 1
			}
		}
		return len(s)
	case c == '\'' || c == '"':
		return closing(i+1, c)
	case !pg && c == '`':
		return closing(i+1, '`')
	case !pg && c == '[':
		return closing(i+1, ']')
	case pg && c == '$' && (i == 0 || !isIdentChar(s[i-1])):
		k := i + 1
		for k < len(s) && isIdentChar(s[k]) && s[k] != '$' {
			k++
		}
		if k < len(s) && s[k] == '$' && (k == i+1 || !isDigit(s[i+1])) {
			tag := s[i : k+1]
			if e := strings.Index(s[k+1:], tag); e >= 0 {
				return k + 1 + e + len(tag)
			}
			return len(s)
		}
	case c == ' ' || c == '\t' || c == '\r' || c == '\n':
		k := i
		for k < len(s) && (s[k] == ' ' || s[k] == '\t' || s[k] == '\r' || s[k] == '\n') {
			k++
		}
		return k
	}
	return i + 1
}

// commentEnd returns the end of the /* comment that starts at i
// (PostgreSQL nests them).
func commentEnd(s string, i int, nested bool) int {
	depth := 0
	for k := i; k+1 < len(s); k++ {
		switch {
		case s[k] == '/' && s[k+1] == '*' && (nested || depth == 0):
			depth++
			k++
		case s[k] == '*' && s[k+1] == '/':
			depth--
			k++
			if depth == 0 {
				return k + 1
			}
		}
	}
	return len(s)
}
