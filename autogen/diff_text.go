package autogen

import (
	"strings"

	"github.com/migratehq/migrate/sqlsplit"
)

// This file holds the text helpers of the differ: expressions and
// definitions are compared in a normal form (comments and layout
// outside quotes removed: sqlsplit.Normalize), and when a rename hint
// applies, the current side's names are rewritten to the target's before
// comparing, so that a renamed column does not make every check and index
// that uses it look changed. A rewrite that misses (an unusual spelling)
// only costs a drop and an add of the object: it never hides a change.

// sameText reports whether two expressions or definitions are the same
// up to comments and whitespace outside quotes.
func sameText(a, b string) bool {
	if a == b {
		return true
	}
	return sqlsplit.Normalize(a) == sqlsplit.Normalize(b)
}

// sqlToken is one token of an expression: an identifier (bare or
// double-quoted; name is the identifier itself), a string literal, or
// any other run of characters.
type sqlToken struct {
	text   string
	ident  bool
	quoted bool
	name   string
}

// sqlTokens splits text into identifiers, string literals and the rest,
// by the PostgreSQL rules of sqlsplit's lexer: the tokens joined give
// text back byte for byte. Whitespace, comments and punctuation between
// identifiers and literals make up the "rest" runs, so a name inside a
// comment is never taken for a reference. Text that does not lex (an
// unterminated quote) is one run with no identifiers: nothing in it is
// rewritten.
func sqlTokens(text string) []sqlToken {
	toks, err := sqlsplit.Tokens(text, sqlsplit.Postgres)
	if err != nil {
		return []sqlToken{{text: text}}
	}
	var out []sqlToken
	rest := 0 // start of the pending run of other text
	flush := func(end int) {
		if end > rest {
			out = append(out, sqlToken{text: text[rest:end]})
		}
	}
	for _, t := range toks {
		if t.Kind == sqlsplit.Punct || t.Kind == sqlsplit.Word && isDigit(t.Text[0]) {
			continue // stays in the run of other text
		}
		flush(t.Offset)
		out = append(out, lexedToken(t))
		rest = t.Offset + len(t.Text)
	}
	flush(len(text))
	return out
}

// lexedToken turns a word, quoted identifier or string into a sqlToken.
func lexedToken(t sqlsplit.Token) sqlToken {
	switch t.Kind {
	case sqlsplit.Word:
		return sqlToken{text: t.Text, ident: true, name: t.Text}
	case sqlsplit.QuotedIdent:
		return sqlToken{text: t.Text, ident: true, quoted: true, name: t.Name()}
	}
	return sqlToken{text: t.Text}
}

func isIdentStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

func isIdentChar(c byte) bool { return isIdentStart(c) || c >= '0' && c <= '9' || c == '$' }

// renameIdents rewrites the identifiers of text named in m (old name ->
// new name; bare identifiers match case-insensitively): column
// references, qualified (t.col) or not.
func renameIdents(text string, m map[string]string) string {
	if len(m) == 0 || text == "" {
		return text
	}
	toks := sqlTokens(text)
	changed := false
	for i, t := range toks {
		if !t.ident {
			continue
		}
		newName, ok := m[t.name]
		if !ok && !t.quoted {
			for k, v := range m {
				if strings.EqualFold(k, t.name) {
					newName, ok = v, true
					break
				}
			}
		}
		if ok {
			toks[i].text = pgIdent(newName)
			changed = true
		}
	}
	if !changed {
		return text
	}
	return joinTokens(toks)
}

// renameQualified rewrites each "schema.old" in text to "schema.new"
// (and a bare "old" when schema is ""): a relation renamed.
func renameQualified(text, nsp, oldName, newName string) string {
	if text == "" || oldName == newName {
		return text
	}
	toks := sqlTokens(text)
	changed := false
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if !t.ident {
			continue
		}
		if nsp == "" {
			if t.name == oldName {
				toks[i].text = pgIdent(newName)
				changed = true
			}
			continue
		}
		if t.name == nsp && i+2 < len(toks) && toks[i+1].text == "." && toks[i+2].ident && toks[i+2].name == oldName {
			toks[i+2].text = pgIdent(newName)
			changed = true
			i += 2
		}
	}
	if !changed {
		return text
	}
	return joinTokens(toks)
}

func joinTokens(toks []sqlToken) string {
	var b strings.Builder
	for _, t := range toks {
		b.WriteString(t.text)
	}
	return b.String()
}
