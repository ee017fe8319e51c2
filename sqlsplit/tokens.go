package sqlsplit

import "strings"

// TokenKind classifies a [Token].
type TokenKind int

const (
	// Word is a bare word: a keyword, an unquoted identifier or a number.
	Word TokenKind = iota
	// QuotedIdent is a quoted identifier: "x", and on SQLite `x` or [x].
	QuotedIdent
	// String is a string constant: 'x', and on PostgreSQL E'x' or a
	// dollar-quoted $tag$...$tag$ body.
	String
	// Punct is any other single character ('(', ',', ';', '.', one
	// character of an operator, the '$' of a $1 parameter ...).
	Punct
)

// Token is one lexical token of a statement.
type Token struct {
	Kind TokenKind
	// Text is the token as written, quotes included.
	Text string
	// Offset is the byte offset of Text in the lexed text.
	Offset int
}

// Is reports whether t is the bare word w, ignoring case.
func (t Token) Is(w string) bool { return t.Kind == Word && strings.EqualFold(t.Text, w) }

// Name returns the identifier t stands for: a bare word folded to lower
// case (PostgreSQL's folding; SQLite compares names without case), a
// quoted identifier without its quotes (a doubled quote standing for
// one). Other tokens give their text.
func (t Token) Name() string {
	switch t.Kind {
	case Word:
		return strings.ToLower(t.Text)
	case QuotedIdent:
		if len(t.Text) < 2 {
			return t.Text
		}
		q := t.Text[:1]
		inner := t.Text[1 : len(t.Text)-1]
		if q == "[" {
			return inner
		}
		return strings.ReplaceAll(inner, q+q, q)
	}
	return t.Text
}

// Tokens lexes sql — typically one [Statement.SQL] — by the rules [Split]
// follows for d, and returns its tokens; whitespace and comments are left
// out. An unterminated quote, comment or body, or a psql meta-command, is
// an [*Error].
func Tokens(sql string, d Dialect) ([]Token, error) {
	return LeadingTokens(sql, d, -1)
}

// LeadingTokens is [Tokens] stopping after the first max tokens (all of
// them when max < 0): what a statement's first keywords say is read
// without lexing the rest.
func LeadingTokens(sql string, d Dialect, max int) ([]Token, error) {
	sp := splitter{src: sql, d: d, start: -1}
	var out []Token
	n := len(sql)
	for i := 0; i < n && len(out) != max; {
		c := sql[i]
		switch c {
		case ' ', '\t', '\n', '\r', '\f', '\v':
			i++
			continue
		case '-':
			if i+1 < n && sql[i+1] == '-' {
				i = skipLineComment(sql, i)
				continue
			}
		case '/':
			if i+1 < n && sql[i+1] == '*' {
				end, ok := skipBlockComment(sql, i, d == Postgres)
				if !ok {
					return out, sp.errAt(i, "unterminated /* comment")
				}
				i = end
				continue
			}
		}
		end, word, err := sp.token(i)
		if err != nil {
			return out, err
		}
		kind := Punct
		switch {
		case word != "":
			kind = Word
		case c == '"' || c == '`' && d == SQLite || c == '[' && d == SQLite:
			kind = QuotedIdent
		case end-i > 1:
			kind = String // '...', E'...', $tag$...$tag$
		}
		out = append(out, Token{Kind: kind, Text: sql[i:end], Offset: i})
		i = end
	}
	return out, nil
}
