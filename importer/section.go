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

// split cuts the section into statements with the dialect d, or, when
// d is "", with the PostgreSQL lexer and, failing that, the SQLite one.
// Statement lines are body lines (see src).
func (s *section) split(d string) ([]sqlsplit.Statement, sqlsplit.Dialect, error) {
	text := s.text()
	dialects := []sqlsplit.Dialect{sqlsplit.Postgres, sqlsplit.SQLite}
	if d == "sqlite" {
		dialects = dialects[1:]
	} else if d == "postgres" {
		dialects = dialects[:1]
	}
	var first error
	for _, dl := range dialects {
		stmts, err := sqlsplit.Split(text, dl)
		if err == nil {
			return stmts, dl, nil
		}
		if first == nil {
			first = err
		}
	}
	if e, ok := first.(*sqlsplit.Error); ok {
		return nil, 0, fmt.Errorf("%s:%d: %s", s.file, s.src(e.Line), e.Msg)
	}
	return nil, 0, fmt.Errorf("%s: %v", s.file, first)
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
