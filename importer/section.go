package importer

import (
	"fmt"
	"strings"

	"github.com/migratehq/migrate/sqlsplit"
)

// srcLine is one line of a section body with its line in the source file.
type srcLine struct {
	n    int
	text string
}

// section is the body of an up or down section being converted. It keeps
// the source line of every body line, so that notes and errors about a
// statement name the line of the source file it came from.
type section struct {
	file  string // source file, relative to the source folder
	lines []srcLine
}

func (s *section) add(n int, text string) { s.lines = append(s.lines, srcLine{n, text}) }

// text returns the body, each line ending in a newline.
func (s *section) text() string {
	var b strings.Builder
	for _, l := range s.lines {
		b.WriteString(l.text)
		b.WriteByte('\n')
	}
	return b.String()
}

// src returns the source line of body line n (1-based).
func (s *section) src(n int) int {
	if n >= 1 && n <= len(s.lines) {
		return s.lines[n-1].n
	}
	if len(s.lines) > 0 {
		return s.lines[len(s.lines)-1].n
	}
	return 0
}

// trim drops the blank lines at both ends.
func (s *section) trim() {
	for len(s.lines) > 0 && strings.TrimSpace(s.lines[0].text) == "" {
		s.lines = s.lines[1:]
	}
	for len(s.lines) > 0 && strings.TrimSpace(s.lines[len(s.lines)-1].text) == "" {
		s.lines = s.lines[:len(s.lines)-1]
	}
}

// body returns the text to store in the revision: the trimmed lines,
// followed by a blank line when there are any (it sets the down marker
// apart from the statements in the rendered file).
func (s *section) body() string {
	s.trim()
	if len(s.lines) == 0 {
		return ""
	}
	return s.text() + "\n"
}

// lexing is a section as one dialect's lexer splits it.
type lexing struct {
	stmts []sqlsplit.Statement // lines are body lines (see src)
	d     sqlsplit.Dialect
}

// lex splits the section with the dialect d, or, when d is "", with
// each of the PostgreSQL and SQLite lexers that can read it (in that
// order). It fails, naming the source line, only when none can.
func (s *section) lex(d string) ([]lexing, error) {
	text := s.text()
	dialects := []sqlsplit.Dialect{sqlsplit.Postgres, sqlsplit.SQLite}
	if d == "sqlite" {
		dialects = dialects[1:]
	} else if d == "postgres" {
		dialects = dialects[:1]
	}
	var out []lexing
	var first error
	for _, dl := range dialects {
		stmts, err := sqlsplit.Split(text, dl)
		if err != nil {
			if first == nil {
				first = err
			}
			continue
		}
		out = append(out, lexing{stmts, dl})
	}
	if len(out) > 0 {
		return out, nil
	}
	if e, ok := first.(*sqlsplit.Error); ok {
		return nil, fmt.Errorf("%s:%d: %s", s.file, s.src(e.Line), e.Msg)
	}
	return nil, fmt.Errorf("%s: %v", s.file, first)
}

// agreed returns the statements of ls[0] for which keep holds, and that
// every other lexing also finds at the same offset with keep holding: a
// SQLite trigger's END, which the PostgreSQL lexer takes for a statement
// of its own, is not taken for a COMMIT when the dialect is not known.
func agreed(ls []lexing, keep func(sql string, d sqlsplit.Dialect) bool) []sqlsplit.Statement {
	var out []sqlsplit.Statement
	for _, st := range ls[0].stmts {
		if !keep(st.SQL, ls[0].d) {
			continue
		}
		all := true
		for _, l := range ls[1:] {
			found := false
			for _, o := range l.stmts {
				if o.Offset == st.Offset && keep(o.SQL, l.d) {
					found = true
					break
				}
			}
			all = all && found
		}
		if all {
			out = append(out, st)
		}
	}
	return out
}

// lineSpan returns the body lines (1-based, inclusive) stmt covers, and
// whether they hold nothing else but whitespace and the statement's
// terminating semicolon.
func (s *section) lineSpan(stmt sqlsplit.Statement) (first, last int, alone bool) {
	text := s.text()
	first = stmt.Line
	last = first + strings.Count(stmt.SQL, "\n")
	start := strings.LastIndexByte(text[:stmt.Offset], '\n') + 1
	end := stmt.Offset + len(stmt.SQL)
	lineEnd := len(text)
	if i := strings.IndexByte(text[end:], '\n'); i >= 0 {
		lineEnd = end + i
	}
	before := strings.TrimSpace(text[start:stmt.Offset])
	after := strings.TrimSpace(text[end:lineEnd])
	after = strings.TrimSpace(strings.TrimPrefix(after, ";"))
	return first, last, before == "" && after == ""
}

// drop removes body lines first..last (1-based, inclusive).
func (s *section) drop(first, last int) {
	s.lines = append(s.lines[:first-1], s.lines[last:]...)
}

// firstLine returns the first source line of the statement's text, for
// messages.
func firstLine(sql string) string {
	l, _, _ := strings.Cut(sql, "\n")
	l = strings.TrimSpace(l)
	if len(l) > 60 {
		l = l[:57] + "..."
	}
	return l
}
