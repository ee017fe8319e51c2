package sqlsplit

import "strings"

// Normalize returns src with comments removed and whitespace reduced to
// what separates tokens; the text of quoted strings, quoted identifiers
// and dollar-quoted bodies is kept byte for byte. A run of whitespace and
// comments between two tokens becomes one space when the tokens would
// otherwise run together (two words or quoted items, as in "DROP TABLE" or
// "E 'x'", or two operator characters, as in "- -"), and disappears
// otherwise ("f (x)" becomes "f(x)", "1 ;" becomes "1;"); leading and
// trailing whitespace is dropped. CRLF line endings become LF first,
// inside quotes too.
//
// Normalize lexes by the union of both dialects' rules (quoted strings,
// E-strings, double-quoted, backtick and bracket identifiers, $tag$
// bodies, nested block comments), so it needs no [Dialect], and it never fails: an
// unterminated quote runs to the end of the input, an unterminated
// comment is dropped. Two texts that differ only in comments and
// whitespace outside quotes normalise to the same string; it is the
// basis of revision checksums.
func Normalize(src string) string {
	return string(AppendNormalized(make([]byte, 0, len(src)), src))
}

// AppendNormalized appends [Normalize](src) to dst and returns the
// extended buffer.
func AppendNormalized(dst []byte, src string) []byte {
	if strings.Contains(src, "\r\n") {
		src = strings.ReplaceAll(src, "\r\n", "\n")
	}
	start := len(dst)
	n := len(src)
	gap := false // whitespace or a comment since the last token
	for i := 0; i < n; {
		c := src[i]
		switch c {
		case ' ', '\t', '\n', '\r', '\f', '\v':
			gap = true
			i++
			continue
		case '-':
			if i+1 < n && src[i+1] == '-' {
				i = skipLineComment(src, i)
				gap = true
				continue
			}
		case '/':
			if i+1 < n && src[i+1] == '*' {
				end, ok := skipBlockComment(src, i, true)
				if !ok {
					end = n
				}
				i = end
				gap = true
				continue
			}
		}
		end := normToken(src, i)
		if gap && len(dst) > start && joins(dst[len(dst)-1], c) {
			dst = append(dst, ' ')
		}
		gap = false
		dst = append(dst, src[i:end]...)
		i = end
	}
	return dst
}

// normToken returns the end of the token at i under the union rules; an
// unterminated quote ends at the end of src.
func normToken(src string, i int) int {
	n := len(src)
	ok := true
	end := 0
	switch c := src[i]; {
	case c == '\'' || c == '"' || c == '`':
		end, ok = skipQuoted(src, i, c)
	case c == '[':
		j := strings.IndexByte(src[i+1:], ']')
		ok = j >= 0
		end = i + 2 + j
	case c == '$':
		tag := dollarTag(src, i)
		if tag == "" {
			return i + 1
		}
		j := strings.Index(src[i+len(tag):], tag)
		ok = j >= 0
		end = i + len(tag) + j + len(tag)
	case isWordStart(c):
		j := i + 1
		for j < n && isWordChar(src[j]) {
			j++
		}
		if j == i+1 && (c == 'E' || c == 'e') && j < n && src[j] == '\'' {
			end, ok = skipEscapeString(src, j)
			break
		}
		return j
	default:
		return i + 1
	}
	if !ok {
		return n
	}
	return end
}

// joins reports whether two tokens, the first ending in a and the second
// starting with b, need a space between them to stay two tokens.
func joins(a, b byte) bool {
	wordy := func(c byte) bool { return isWordChar(c) || c == '\'' || c == '"' || c == '`' || c == '[' || c == ']' }
	op := func(c byte) bool { return strings.IndexByte("+-*/<>=~!@#%^&|?:.", c) >= 0 }
	return wordy(a) && wordy(b) || op(a) && op(b)
}
