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

// sqlTokens splits text into identifiers, string literals and the rest.
// It knows quoted strings (a doubled quote inside), E-strings, "…" identifiers and
// $tag$…$tag$ bodies, which are kept whole.
func sqlTokens(text string) []sqlToken {
	var out []sqlToken
	i := 0
	other := func(j int) {
		if j > i {
			if n := len(out); n > 0 && !out[n-1].ident && out[n-1].text != "" && !isQuoteStart(out[n-1].text) {
				out[n-1].text += text[i:j]
			} else {
				out = append(out, sqlToken{text: text[i:j]})
			}
		}
		i = j
	}
	for i < len(text) {
		c := text[i]
		switch {
		case c == '\'':
			j := i + 1
			for j < len(text) {
				if text[j] == '\'' {
					if j+1 < len(text) && text[j+1] == '\'' {
						j += 2
						continue
					}
					j++
					break
				}
				if text[j] == '\\' && i > 0 && (text[i-1] == 'E' || text[i-1] == 'e') {
					j++
				}
				j++
			}
			out = append(out, sqlToken{text: text[i:min(j, len(text))]})
			i = min(j, len(text))
		case c == '"':
			j := i + 1
			var name strings.Builder
			for j < len(text) {
				if text[j] == '"' {
					if j+1 < len(text) && text[j+1] == '"' {
						name.WriteByte('"')
						j += 2
						continue
					}
					j++
					break
				}
				name.WriteByte(text[j])
				j++
			}
			out = append(out, sqlToken{text: text[i:min(j, len(text))], ident: true, quoted: true, name: name.String()})
			i = min(j, len(text))
		case c == '$':
			// $tag$ ... $tag$ (or a parameter $1, kept as text).
			j := i + 1
			for j < len(text) && (isIdentChar(text[j]) && !(text[j] >= '0' && text[j] <= '9' && j == i+1)) {
				j++
			}
			if j < len(text) && text[j] == '$' {
				tag := text[i : j+1]
				end := strings.Index(text[j+1:], tag)
				stop := len(text)
				if end >= 0 {
					stop = j + 1 + end + len(tag)
				}
				out = append(out, sqlToken{text: text[i:stop]})
				i = stop
			} else {
				other(j)
			}
		case isIdentStart(c):
			j := i + 1
			for j < len(text) && isIdentChar(text[j]) {
				j++
			}
			out = append(out, sqlToken{text: text[i:j], ident: true, name: text[i:j]})
			i = j
		default:
			j := i + 1
			for j < len(text) && !isIdentStart(text[j]) && text[j] != '\'' && text[j] != '"' && text[j] != '$' {
				j++
			}
			other(j)
		}
	}
	return out
}

func isQuoteStart(s string) bool { return s != "" && (s[0] == '\'' || s[0] == '$') }

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
