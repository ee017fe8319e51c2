package lint

import (
	"strings"

	"github.com/migratehq/migrate/sqlsplit"
)

// toks is a run of a statement's tokens (from sqlsplit.Tokens), with the
// helpers the rules read statements with.
type toks []sqlsplit.Token

// at reports whether the tokens from i on are the bare words ws.
func (t toks) at(i int, ws ...string) bool {
	if i < 0 || i+len(ws) > len(t) {
		return false
	}
	for k, w := range ws {
		if !t[i+k].Is(w) {
			return false
		}
	}
	return true
}

// skip returns i past the words ws when they are there, else i.
func (t toks) skip(i int, ws ...string) int {
	if t.at(i, ws...) {
		return i + len(ws)
	}
	return i
}

// punct reports whether token i is the punctuation p.
func (t toks) punct(i int, p string) bool {
	return i >= 0 && i < len(t) && t[i].Kind == sqlsplit.Punct && t[i].Text == p
}

// name reads a name, possibly schema-qualified, at i. It returns the key
// tables are known by (see key) and the index after the name.
func (t toks) name(i int) (string, int, bool) {
	if !t.ident(i) {
		return "", i, false
	}
	if t.punct(i+1, ".") && t.ident(i+2) {
		return key(t[i].Name(), t[i+2].Name()), i + 3, true
	}
	return key("", t[i].Name()), i + 1, true
}

// ident reports whether token i can be a name.
func (t toks) ident(i int) bool {
	return i >= 0 && i < len(t) && (t[i].Kind == sqlsplit.Word || t[i].Kind == sqlsplit.QuotedIdent)
}

// key is how a table is known to the linter: "schema.name", or the bare
// name for an unqualified name and for the public schema.
func key(schema, name string) string {
	if schema == "" || schema == "public" {
		return name
	}
	return schema + "." + name
}

// close returns the index of the ')' that closes the '(' at i, or
// len(t) when it is not closed.
func (t toks) close(i int) int {
	depth := 0
	for j := i; j < len(t); j++ {
		switch {
		case t.punct(j, "("), t.punct(j, "["):
			depth++
		case t.punct(j, ")"), t.punct(j, "]"):
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return len(t)
}

// split cuts t at its top-level commas.
func (t toks) split() []toks {
	var out []toks
	depth, start := 0, 0
	for j := range t {
		switch {
		case t.punct(j, "("), t.punct(j, "["):
			depth++
		case t.punct(j, ")"), t.punct(j, "]"):
			depth--
		case depth == 0 && t.punct(j, ","):
			out = append(out, t[start:j])
			start = j + 1
		}
	}
	return append(out, t[start:])
}

// find returns the index of the first top-level occurrence of the words
// ws, or -1.
func (t toks) find(ws ...string) int {
	depth := 0
	for j := range t {
		switch {
		case t.punct(j, "("), t.punct(j, "["):
			depth++
		case t.punct(j, ")"), t.punct(j, "]"):
			depth--
		case depth == 0 && t.at(j, ws...):
			return j
		}
	}
	return -1
}

// has reports whether the words ws occur at the top level.
func (t toks) has(ws ...string) bool { return t.find(ws...) >= 0 }

// inner returns the tokens inside the parentheses at i, without any
// further parentheses wrapped around the whole ("((a))" gives "a").
func (t toks) inner(i int) toks {
	if !t.punct(i, "(") {
		return nil
	}
	in := t[i+1 : t.close(i)]
	for len(in) >= 2 && in.punct(0, "(") && in.close(0) == len(in)-1 {
		in = in[1 : len(in)-1]
	}
	return in
}

// text joins the tokens' text with single spaces, as a short rendering
// of a piece of a statement for messages.
func (t toks) text() string {
	var b strings.Builder
	for i, tok := range t {
		if i > 0 && !t.punct(i, ",") && !t.punct(i, ")") && !t.punct(i-1, "(") && !t.punct(i, "(") && !t.punct(i, ".") && !t.punct(i-1, ".") {
			b.WriteByte(' ')
		}
		b.WriteString(tok.Text)
	}
	return b.String()
}
