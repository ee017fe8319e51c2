package sqlsplit

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Dialect selects the lexical rules of one database.
type Dialect int

const (
	// Postgres lexes PostgreSQL: E'' strings, dollar quoting, nested
	// block comments, parentheses and BEGIN ATOMIC bodies.
	Postgres Dialect = iota
	// SQLite lexes SQLite: [bracket] and `backtick` identifiers and
	// CREATE TRIGGER ... BEGIN ... END bodies.
	SQLite
)

// String returns "postgres" or "sqlite".
func (d Dialect) String() string {
	switch d {
	case Postgres:
		return "postgres"
	case SQLite:
		return "sqlite"
	}
	return fmt.Sprintf("Dialect(%d)", int(d))
}

// Statement is one statement found by [Split].
type Statement struct {
	// SQL is the statement from its first token to its last token:
	// without leading or trailing comments and whitespace, and without
	// the terminating ';'. Comments inside the statement are kept.
	SQL string
	// Line is the 1-based line of the input on which SQL starts.
	Line int
	// Offset is the byte offset of SQL in the input.
	Offset int
}

// LineAt returns the input line holding the pos'th character of s.SQL,
// pos being 1-based and counted in characters (Unicode code points), as
// PostgreSQL counts the Position of an error within the statement text it
// was sent. A pos before the start maps to s.Line, one past the end to the
// statement's last line.
func (s Statement) LineAt(pos int) int {
	line := s.Line
	if pos <= 1 {
		return line
	}
	n := 1
	for i := 0; i < len(s.SQL); {
		if n >= pos {
			break
		}
		c := s.SQL[i]
		if c < utf8.RuneSelf {
			if c == '\n' {
				line++
			}
			i++
		} else {
			_, size := utf8.DecodeRuneInString(s.SQL[i:])
			i += size
		}
		n++
	}
	return line
}

// Error is a lexical error: an unterminated quote, comment or block, or
// text that is not SQL (a psql backslash command).
type Error struct {
	Line int // 1-based line in the input where the offending construct starts
	Msg  string
}

func (e *Error) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// statement modes: how the current statement decides where it ends.
const (
	modeDetect  = iota // still reading the first words (CREATE [OR REPLACE] ...)
	modePlain          // ends at the first ';' (outside parentheses on PostgreSQL)
	modeTrigger        // SQLite CREATE TRIGGER: ends at "; END ;"
	modeFunc           // PostgreSQL CREATE FUNCTION/PROCEDURE: BEGIN ... END blocks
)

// Split cuts src into statements at top-level semicolons, following the
// lexical rules of d. A semicolon inside a quoted string or identifier, a
// comment, a dollar-quoted body, a SQLite trigger body (CREATE TRIGGER ...
// BEGIN ... END), a PostgreSQL BEGIN ATOMIC ... END function body or
// (PostgreSQL) parentheses does not end a statement. Statements holding
// only comments and whitespace are dropped; the last statement needs no
// ';'. Unterminated constructs, psql backslash commands and NUL bytes
// (anywhere: a database reading C strings would stop at one) are an
// [*Error].
func Split(src string, d Dialect) ([]Statement, error) {
	sp := splitter{src: src, d: d, start: -1}
	if i := strings.IndexByte(src, 0); i >= 0 {
		// A NUL ends a C string: SQLite stops reading a statement there
		// and runs what came before, so the rest would be skipped.
		return nil, sp.errAt(i, "NUL byte (0x00) at column %d: SQL text cannot hold one (the database would stop reading the statement there)", column(src, i))
	}
	if err := sp.run(); err != nil {
		return nil, err
	}
	return sp.out, nil
}

type splitter struct {
	src string
	d   Dialect
	out []Statement

	start   int // offset of the current statement's first token, -1 if none
	lastEnd int // end offset of the current statement's last token

	// line bookkeeping: line number of byte offset linePos
	linePos, line int

	mode       int
	det        int // words matched so far while mode == modeDetect
	parens     int // PostgreSQL parenthesis depth
	parenStart int // offset of the outermost open parenthesis
	begins     int // PostgreSQL BEGIN/CASE ... END depth inside a function
	segTokens  int // SQLite trigger: tokens since the last ';'
	segEnd     bool
}

// lineOf returns the 1-based line of offset off. Offsets asked for must not
// decrease between calls (errors may ask for any offset).
func (sp *splitter) lineOf(off int) int {
	if off < sp.linePos {
		return 1 + strings.Count(sp.src[:off], "\n")
	}
	sp.line += strings.Count(sp.src[sp.linePos:off], "\n")
	sp.linePos = off
	return sp.line + 1
}

// column returns the 1-based column, in characters, of offset off.
func column(src string, off int) int {
	start := strings.LastIndexByte(src[:off], '\n') + 1
	return 1 + utf8.RuneCountInString(src[start:off])
}

func (sp *splitter) errAt(off int, format string, args ...any) error {
	return &Error{Line: 1 + strings.Count(sp.src[:off], "\n"), Msg: fmt.Sprintf(format, args...)}
}

func (sp *splitter) begin(off int) {
	sp.start = off
	sp.mode = modeDetect
	sp.det = 0
	sp.parens = 0
	sp.begins = 0
	sp.segTokens = 0
	sp.segEnd = false
}

func (sp *splitter) emit() {
	sp.out = append(sp.out, Statement{
		SQL:    sp.src[sp.start:sp.lastEnd],
		Line:   sp.lineOf(sp.start),
		Offset: sp.start,
	})
	sp.start = -1
}

func (sp *splitter) run() error {
	src := sp.src
	n := len(src)
	i := 0
	for i < n {
		c := src[i]
		switch c {
		case ' ', '\t', '\n', '\r', '\f', '\v':
			i++
			continue
		case '-':
			if i+1 < n && src[i+1] == '-' {
				i = skipLineComment(src, i)
				continue
			}
		case '/':
			if i+1 < n && src[i+1] == '*' {
				end, ok := skipBlockComment(src, i, sp.d == Postgres)
				if !ok {
					return sp.errAt(i, "unterminated /* comment")
				}
				i = end
				continue
			}
		}

		// A token starts at i.
		if sp.start < 0 {
			if c == ';' {
				i++ // empty statement
				continue
			}
			sp.begin(i)
		}
		if c == ';' && sp.endsHere() {
			sp.emit()
			i++
			continue
		}

		end, word, err := sp.token(i)
		if err != nil {
			return err
		}
		sp.track(i, c, word)
		sp.lastEnd = end
		i = end
	}
	if sp.start >= 0 {
		if err := sp.checkComplete(); err != nil {
			return err
		}
		sp.emit()
	}
	return nil
}

// endsHere reports whether a ';' ends the current statement.
func (sp *splitter) endsHere() bool {
	switch sp.mode {
	case modeTrigger:
		return sp.segTokens == 1 && sp.segEnd
	case modeFunc:
		return sp.parens == 0 && sp.begins == 0
	}
	return sp.parens == 0
}

// checkComplete reports an error if the statement open at the end of the
// input cannot be complete.
func (sp *splitter) checkComplete() error {
	switch {
	case sp.parens > 0:
		return sp.errAt(sp.parenStart, "unclosed '(' (the statement starting at line %d never closes it)", sp.lineOf(sp.start))
	case sp.mode == modeTrigger && !(sp.segTokens == 1 && sp.segEnd):
		return sp.errAt(sp.start, "CREATE TRIGGER body is not closed by END")
	case sp.mode == modeFunc && sp.begins > 0:
		return sp.errAt(sp.start, "BEGIN block in CREATE FUNCTION/PROCEDURE is not closed by END")
	}
	return nil
}

// token scans the token starting at i (not whitespace, not a comment) and
// returns its end. word is the token text if the token is a bare word.
func (sp *splitter) token(i int) (end int, word string, err error) {
	src := sp.src
	n := len(src)
	c := src[i]
	switch {
	case c == '\'':
		end, ok := skipQuoted(src, i, '\'')
		if !ok {
			return 0, "", sp.errAt(i, "unterminated quoted string")
		}
		return end, "", nil
	case c == '"':
		end, ok := skipQuoted(src, i, '"')
		if !ok {
			return 0, "", sp.errAt(i, "unterminated quoted identifier")
		}
		return end, "", nil
	case c == '`' && sp.d == SQLite:
		end, ok := skipQuoted(src, i, '`')
		if !ok {
			return 0, "", sp.errAt(i, "unterminated `quoted` identifier")
		}
		return end, "", nil
	case c == '[' && sp.d == SQLite:
		j := strings.IndexByte(src[i+1:], ']')
		if j < 0 {
			return 0, "", sp.errAt(i, "unterminated [bracketed] identifier")
		}
		return i + 2 + j, "", nil
	case c == '$' && sp.d == Postgres:
		if tag := dollarTag(src, i); tag != "" {
			j := strings.Index(src[i+len(tag):], tag)
			if j < 0 {
				return 0, "", sp.errAt(i, "unterminated dollar-quoted string %s", tag)
			}
			return i + len(tag) + j + len(tag), "", nil
		}
		return i + 1, "", nil
	case c == '\\':
		return 0, "", sp.backslash(i)
	case isWordStart(c):
		j := i + 1
		for j < n && isWordChar(src[j]) {
			j++
		}
		if sp.d == Postgres && j == i+1 && (c == 'E' || c == 'e') && j < n && src[j] == '\'' {
			end, ok := skipEscapeString(src, j)
			if !ok {
				return 0, "", sp.errAt(i, "unterminated E'...' string")
			}
			return end, "", nil
		}
		return j, src[i:j], nil
	}
	return i + 1, "", nil
}

// backslash builds the error for a '\' outside quotes: a psql
// meta-command when it starts a line, a stray character otherwise.
func (sp *splitter) backslash(i int) error {
	src := sp.src
	j := i
	for j > 0 && (src[j-1] == ' ' || src[j-1] == '\t') {
		j--
	}
	if j == 0 || src[j-1] == '\n' {
		k := i + 1
		for k < len(src) && isWordChar(src[k]) {
			k++
		}
		return sp.errAt(i, "psql meta-command %q is not SQL; remove the line (migrate sends statements to the server, not to psql)", src[i:k])
	}
	return sp.errAt(i, "unexpected '\\' outside a quoted string")
}

// track updates the statement's end-detection state with the token
// starting at off.
func (sp *splitter) track(off int, c byte, word string) {
	switch sp.mode {
	case modeDetect:
		sp.detect(word)
	case modeTrigger:
		if c == ';' {
			sp.segTokens, sp.segEnd = 0, false
			return
		}
		sp.segEnd = sp.segTokens == 0 && strings.EqualFold(word, "end")
		sp.segTokens++
		return
	}
	if sp.d != Postgres {
		return
	}
	switch c {
	case '(':
		if sp.parens == 0 {
			sp.parenStart = off
		}
		sp.parens++
		return
	case ')':
		if sp.parens > 0 {
			sp.parens--
		}
		return
	}
	if sp.mode == modeFunc && sp.parens == 0 && word != "" {
		switch {
		case strings.EqualFold(word, "begin"):
			sp.begins++
		case strings.EqualFold(word, "case"):
			if sp.begins > 0 {
				sp.begins++
			}
		case strings.EqualFold(word, "end"):
			if sp.begins > 0 {
				sp.begins--
			}
		}
	}
}

// detect matches the first words of a statement against
// CREATE [TEMP|TEMPORARY] TRIGGER (SQLite) and
// CREATE [OR REPLACE] FUNCTION|PROCEDURE (PostgreSQL).
func (sp *splitter) detect(word string) {
	if word == "" {
		sp.mode = modePlain
		return
	}
	is := func(s string) bool { return strings.EqualFold(word, s) }
	switch sp.det {
	case 0:
		if is("create") {
			sp.det = 1
			return
		}
	case 1:
		switch {
		case sp.d == SQLite && (is("temp") || is("temporary")):
			sp.det = 2
			return
		case sp.d == SQLite && is("trigger"):
			sp.mode = modeTrigger
			sp.segTokens = 1 // the statement's first segment is not "END"
			return
		case sp.d == Postgres && is("or"):
			sp.det = 2
			return
		case sp.d == Postgres && (is("function") || is("procedure")):
			sp.mode = modeFunc
			return
		}
	case 2:
		switch {
		case sp.d == SQLite && is("trigger"):
			sp.mode = modeTrigger
			sp.segTokens = 1
			return
		case sp.d == Postgres && is("replace"):
			sp.det = 3
			return
		}
	case 3:
		if is("function") || is("procedure") {
			sp.mode = modeFunc
			return
		}
	}
	sp.mode = modePlain
}

func isWordStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= '0' && c <= '9' || c >= 0x80
}

func isWordChar(c byte) bool { return isWordStart(c) || c == '$' }

// skipLineComment returns the offset just past the "--" comment at i
// (the newline is left to the caller).
func skipLineComment(src string, i int) int {
	j := strings.IndexByte(src[i:], '\n')
	if j < 0 {
		return len(src)
	}
	return i + j
}

// skipBlockComment returns the offset just past the /* comment at i;
// PostgreSQL comments nest.
func skipBlockComment(src string, i int, nest bool) (int, bool) {
	if !nest {
		j := strings.Index(src[i+2:], "*/")
		if j < 0 {
			return 0, false
		}
		return i + 2 + j + 2, true
	}
	depth := 1
	for k := i + 2; k+1 < len(src); {
		switch {
		case src[k] == '*' && src[k+1] == '/':
			depth--
			k += 2
			if depth == 0 {
				return k, true
			}
		case src[k] == '/' && src[k+1] == '*':
			depth++
			k += 2
		default:
			k++
		}
	}
	return 0, false
}

// skipQuoted returns the offset just past the string quoted by q that
// starts at i; a doubled quote stands for itself.
func skipQuoted(src string, i int, q byte) (int, bool) {
	k := i + 1
	for {
		j := strings.IndexByte(src[k:], q)
		if j < 0 {
			return 0, false
		}
		k += j + 1
		if k < len(src) && src[k] == q {
			k++
			continue
		}
		return k, true
	}
}

// skipEscapeString returns the offset just past the PostgreSQL E-string
// whose opening quote is at i: a backslash escapes the next byte, and a
// doubled quote stands for a quote.
func skipEscapeString(src string, i int) (int, bool) {
	k := i + 1
	for {
		j := strings.IndexAny(src[k:], `\'`)
		if j < 0 {
			return 0, false
		}
		k += j
		if src[k] == '\\' {
			k += 2
			if k > len(src) {
				return 0, false
			}
			continue
		}
		k++
		if k < len(src) && src[k] == '\'' {
			k++
			continue
		}
		return k, true
	}
}

// dollarTag returns the PostgreSQL dollar-quote opening tag ($$ or $tag$)
// at i, or "" if the '$' at i does not open one ($1 is a parameter).
func dollarTag(src string, i int) string {
	j := i + 1
	if j < len(src) && src[j] == '$' {
		return "$$"
	}
	if j >= len(src) || !isTagStart(src[j]) {
		return ""
	}
	for j++; j < len(src) && isTagChar(src[j]); j++ {
	}
	if j < len(src) && src[j] == '$' {
		return src[i : j+1]
	}
	return ""
}

func isTagStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= 0x80
}

func isTagChar(c byte) bool { return isTagStart(c) || c >= '0' && c <= '9' }
