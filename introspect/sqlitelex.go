package introspect

import (
	"strings"
)

// This file holds a tokenizer for the SQL text SQLite stores in
// sqlite_schema.sql. SQLite keeps the CREATE statements exactly as they were
// written (comments, brackets, odd spacing included), and some facts live
// nowhere else: CHECK constraints, constraint names, COLLATE clauses of
// columns, generated-column expressions, AUTOINCREMENT, DEFERRABLE, the WHERE
// of a partial index and the expressions of an expression index. The
// tokenizer follows SQLite's own lexical rules (tokenize.c) closely enough
// that quoted text, comments and nested parentheses never confuse the
// parsers built on it.

// sqlTokKind is the lexical class of a token.
type sqlTokKind int

const (
	tokEOF      sqlTokKind = iota
	tokWord                // a bare word: keyword or unquoted identifier
	tokQuoted              // "ident", [ident] or `ident`
	tokString              // 'text'
	tokBlob                // x'0A1B'
	tokNumber              // 12, 1.5e3, 0x1F, .5
	tokVariable            // ?, ?1, :name, @name, $name
	tokPunct               // operators and punctuation: ( ) , ; . || <= …
	tokIllegal             // a character SQLite would reject; kept so text survives
)

// sqlToken is one token of SQLite SQL text. Start and End are byte offsets
// into the source, so the exact original text of any run of tokens can be
// sliced out with the comments and spacing between them.
type sqlToken struct {
	Kind  sqlTokKind
	Text  string // the raw source text of the token
	Start int
	End   int
}

// is reports whether t is the bare keyword kw (case-insensitive). Quoted
// identifiers never match a keyword.
func (t sqlToken) is(kw string) bool {
	return t.Kind == tokWord && strings.EqualFold(t.Text, kw)
}

// isPunct reports whether t is the punctuation p.
func (t sqlToken) isPunct(p string) bool {
	return t.Kind == tokPunct && t.Text == p
}

// isName reports whether t can stand where SQLite expects a name: a bare
// word, a quoted identifier, or a string literal (SQLite accepts 'name' as an
// identifier in most places).
func (t sqlToken) isName() bool {
	return t.Kind == tokWord || t.Kind == tokQuoted || t.Kind == tokString
}

// value is the identifier or string a token denotes: quotes removed and
// doubled quote characters undone. Other tokens return their raw text.
func (t sqlToken) value() string {
	return unquoteSQLite(t.Text)
}

// unquoteSQLite removes SQLite quoting from s (double quotes, single
// quotes, backquotes, each escaped by doubling, or square brackets).
// Unquoted text is returned unchanged.
func unquoteSQLite(s string) string {
	if len(s) < 2 {
		return s
	}
	switch q := s[0]; q {
	case '"', '\'', '`':
		if s[len(s)-1] != q {
			return s
		}
		inner := s[1 : len(s)-1]
		return strings.ReplaceAll(inner, string([]byte{q, q}), string(q))
	case '[':
		if s[len(s)-1] != ']' {
			return s
		}
		return s[1 : len(s)-1]
	}
	return s
}

// tokenizeSQLite splits src into tokens, dropping whitespace and comments.
// It never fails: an unterminated quote or comment runs to the end of the
// input, as it does in SQLite's tokenizer, and a stray byte becomes a
// tokIllegal token.
func tokenizeSQLite(src string) []sqlToken {
	toks := make([]sqlToken, 0, len(src)/5+4) // about one token per 5 bytes of DDL
	lx := sqlLexer{src: src}
	for {
		t := lx.next()
		if t.Kind == tokEOF {
			return toks
		}
		toks = append(toks, t)
	}
}

type sqlLexer struct {
	src string
	pos int
}

func isIDStart(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80
}

func isIDChar(c byte) bool {
	return isIDStart(c) || isDigit(c) || c == '$'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isHex(c byte) bool {
	return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// skip moves past whitespace and comments.
func (lx *sqlLexer) skip() {
	s := lx.src
	for lx.pos < len(s) {
		c := s[lx.pos]
		switch {
		case isSpace(c):
			lx.pos++
		case c == '-' && lx.pos+1 < len(s) && s[lx.pos+1] == '-':
			nl := strings.IndexByte(s[lx.pos:], '\n')
			if nl < 0 {
				lx.pos = len(s)
			} else {
				lx.pos += nl + 1
			}
		case c == '/' && lx.pos+1 < len(s) && s[lx.pos+1] == '*':
			end := strings.Index(s[lx.pos+2:], "*/")
			if end < 0 {
				lx.pos = len(s)
			} else {
				lx.pos += 2 + end + 2
			}
		default:
			return
		}
	}
}

func (lx *sqlLexer) next() sqlToken {
	lx.skip()
	s := lx.src
	start := lx.pos
	if start >= len(s) {
		return sqlToken{Kind: tokEOF, Start: start, End: start}
	}
	tok := func(k sqlTokKind, end int) sqlToken {
		lx.pos = end
		return sqlToken{Kind: k, Text: s[start:end], Start: start, End: end}
	}
	c := s[start]
	switch {
	case (c == 'x' || c == 'X') && start+1 < len(s) && s[start+1] == '\'':
		end := lx.quoted(start+1, '\'')
		return tok(tokBlob, end)
	case isIDStart(c):
		end := start + 1
		for end < len(s) && isIDChar(s[end]) {
			end++
		}
		return tok(tokWord, end)
	case c == '\'':
		return tok(tokString, lx.quoted(start, '\''))
	case c == '"' || c == '`':
		return tok(tokQuoted, lx.quoted(start, c))
	case c == '[':
		end := strings.IndexByte(s[start:], ']')
		if end < 0 {
			return tok(tokQuoted, len(s))
		}
		return tok(tokQuoted, start+end+1)
	case isDigit(c) || (c == '.' && start+1 < len(s) && isDigit(s[start+1])):
		return tok(tokNumber, lx.number(start))
	case c == '?':
		end := start + 1
		for end < len(s) && isDigit(s[end]) {
			end++
		}
		return tok(tokVariable, end)
	case c == ':' || c == '@' || c == '$' || c == '#':
		end := start + 1
		for end < len(s) && isIDChar(s[end]) {
			end++
		}
		if end == start+1 {
			return tok(tokIllegal, end)
		}
		return tok(tokVariable, end)
	}
	// Punctuation: longest match first.
	if strings.HasPrefix(s[start:], "->>") {
		return tok(tokPunct, start+3)
	}
	for _, p := range [...]string{"||", "<=", ">=", "==", "!=", "<>", "<<", ">>", "->"} {
		if strings.HasPrefix(s[start:], p) {
			return tok(tokPunct, start+len(p))
		}
	}
	if strings.IndexByte("(),;.+-*/%<>=&|~", c) >= 0 {
		return tok(tokPunct, start+1)
	}
	return tok(tokIllegal, start+1)
}

// quoted returns the end offset of a quoted token starting at start with the
// quote character q; a doubled q is an escaped quote.
func (lx *sqlLexer) quoted(start int, q byte) int {
	s := lx.src
	i := start + 1
	for i < len(s) {
		if s[i] == q {
			if i+1 < len(s) && s[i+1] == q {
				i += 2
				continue
			}
			return i + 1
		}
		i++
	}
	return len(s)
}

// number returns the end offset of a numeric literal starting at start.
func (lx *sqlLexer) number(start int) int {
	s := lx.src
	i := start
	if s[i] == '0' && i+2 < len(s) && (s[i+1] == 'x' || s[i+1] == 'X') && isHex(s[i+2]) {
		i += 2
		for i < len(s) && (isHex(s[i]) || s[i] == '_') {
			i++
		}
		return i
	}
	digits := func() {
		for i < len(s) && (isDigit(s[i]) || s[i] == '_') {
			i++
		}
	}
	digits()
	if i < len(s) && s[i] == '.' {
		i++
		digits()
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if j < len(s) && isDigit(s[j]) {
			i = j
			digits()
		}
	}
	return i
}
