package config

import (
	"net/url"
	"sort"
	"strings"
)

// mask replaces every password Redact finds.
const mask = "xxxxx"

// Redact returns s with every password replaced by "xxxxx". s may be a
// database URL or any message that quotes one, well-formed or not:
//
//   - the value of every key ending in "password" (password, sslpassword,
//     PGPASSWORD …) followed by "=": in a URL query up to the next
//     "&key=", in a libpq key=value string up to the next space, and a
//     quoted value ('…' with backslash escapes, or "…") to its closing
//     quote, spaces included;
//   - the password of a URL: everything between the first ':' after
//     scheme:// and the last '@' of the URL, so that a password holding an
//     unescaped '/', '?', '#', '@' or ':' (which makes the URL malformed)
//     is hidden whole. A string that starts with scheme:// is one URL up
//     to the end of its line; a URL quoted inside a message ends at the
//     next space, unless it holds no '@' and is not a plain URL, when it
//     runs to the end of the line (a password with a space in it).
//
// Over-redacting is preferred to showing a secret: a URL whose query
// holds an '@' (postgres://h:5432/db?user=a@b) shows as
// postgres://h:xxxxx@b, since nothing tells it apart from a password
// holding "5432/db?user=a".
func Redact(s string) string {
	if !strings.Contains(s, "://") && !containsFold(s, "password") {
		return s
	}
	spans := append(keySpans(s), userinfoSpans(s)...)
	if len(spans) == 0 {
		return s
	}
	// Mask the union of the spans, each run once: a password that holds
	// "password=", or a query password that a malformed URL's user
	// information swallows, is covered by one or the other.
	sort.Slice(spans, func(i, j int) bool { return spans[i][0] < spans[j][0] })
	var b strings.Builder
	done := 0
	for i := 0; i < len(spans); {
		start, end := spans[i][0], spans[i][1]
		for i++; i < len(spans) && spans[i][0] <= end; i++ {
			end = max(end, spans[i][1])
		}
		b.WriteString(s[done:start])
		b.WriteString(mask)
		done = end
	}
	b.WriteString(s[done:])
	return b.String()
}

// span is a byte range [start, end) of a password.
type span [2]int

// containsFold reports whether s contains the lower-case ASCII word w in
// any case.
func containsFold(s, w string) bool {
	for i := 0; i+len(w) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(w)], w) {
			return true
		}
	}
	return false
}

// keySpans finds the values of keys ending in "password".
func keySpans(s string) []span {
	var out []span
	for i := 0; i+len("password") <= len(s); i++ {
		if !strings.EqualFold(s[i:i+len("password")], "password") {
			continue
		}
		end := i + len("password")
		if end < len(s) && isKeyChar(s[end]) {
			continue // passwordless=…, password_encryption=…
		}
		start := i // the key's first character: password, sslpassword, PGPASSWORD
		for start > 0 && isKeyChar(s[start-1]) {
			start--
		}
		j := end
		for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
			j++
		}
		if j >= len(s) || s[j] != '=' {
			continue
		}
		j++
		for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
			j++
		}
		if redacted(s[j:]) {
			continue
		}
		inQuery := start > 0 && (s[start-1] == '?' || s[start-1] == '&')
		vend := valueEnd(s, j, inQuery)
		if inQuery && startsURL(s) && vend < len(s) && s[vend] != '&' {
			// A string that is a URL has no spaces: one in a query
			// password is part of it, up to the next "&key=".
			vend = j
			for vend < len(s) && s[vend] != '\n' && !(s[vend] == '&' && startsParam(s[vend+1:])) {
				vend++
			}
		}
		if vend > j {
			out = append(out, span{j, vend})
			i = vend - 1
		}
	}
	return out
}

// redacted reports whether the value at the start of s is the mask
// itself, ending where a quoted or punctuated message goes on ("…", `…`,
// "url: …"): a message that quotes an already redacted URL keeps its
// punctuation when it is redacted again.
func redacted(s string) bool {
	if !strings.HasPrefix(s, mask) {
		return false
	}
	s = s[len(mask):]
	return s == "" || strings.IndexByte(" \t\r\n\"'`:;,)&", s[0]) >= 0
}

func isKeyChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// valueEnd returns the end of the value starting at j: a quoted value
// runs to its closing quote (a backslash escapes the next character; an
// unclosed quote runs to the end of the line); a bare one to the next
// space or line end, and, in a URL query, to the next "&key=".
func valueEnd(s string, j int, inQuery bool) int {
	if j < len(s) && (s[j] == '\'' || s[j] == '"') {
		q := s[j]
		for k := j + 1; k < len(s); k++ {
			switch s[k] {
			case '\\':
				k++
			case q:
				return k + 1
			case '\n':
				return k
			}
		}
		return len(s)
	}
	k := j
	for k < len(s) {
		c := s[k]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
			break
		}
		if c == '&' && inQuery && startsParam(s[k+1:]) {
			break
		}
		k++
	}
	return k
}

// startsParam reports whether s starts with "key=", a URL query parameter.
func startsParam(s string) bool {
	i := 0
	for i < len(s) && (isKeyChar(s[i]) || s[i] == '.' || s[i] == '-' || s[i] == '%') {
		i++
	}
	return i > 0 && i < len(s) && s[i] == '='
}

// userinfoSpans finds the password of every scheme://user:password@ in s.
func userinfoSpans(s string) []span {
	var out []span
	for from := 0; ; {
		k := strings.Index(s[from:], "://")
		if k < 0 {
			return out
		}
		i := from + k // the "://"
		start := i + 3
		from = start
		lineEnd := strings.IndexByte(s[start:], '\n')
		if lineEnd < 0 {
			lineEnd = len(s)
		} else {
			lineEnd += start
		}
		line := s[start:lineEnd]
		schemeStart := i
		for schemeStart > 0 && isSchemeChar(s[schemeStart-1]) {
			schemeStart--
		}
		isolated := strings.TrimLeft(s[:schemeStart], " \t\r\n") == "" && schemeStart < i
		cand := line
		if !isolated {
			word := line
			if w := strings.IndexAny(line, " \t\r"); w >= 0 {
				word = line[:w]
			}
			cand = word
			if !strings.Contains(word, "@") && !plainURL(s[schemeStart:start]+word) {
				cand = line // a password with a space in it
			}
		}
		at := strings.LastIndexByte(cand, '@')
		if at < 0 {
			continue
		}
		colon := strings.IndexByte(cand[:at], ':')
		if colon < 0 || cand[colon+1:at] == mask || colon+1 == at {
			continue
		}
		out = append(out, span{start + colon + 1, start + at})
		from = start + at + 1
	}
}

// startsURL reports whether s starts with scheme://.
func startsURL(s string) bool {
	s = strings.TrimLeft(s, " \t\r\n")
	i := strings.Index(s, "://")
	if i <= 0 {
		return false
	}
	for j := 0; j < i; j++ {
		if !isSchemeChar(s[j]) {
			return false
		}
	}
	return true
}

func isSchemeChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'
}

// plainURL reports whether u (scheme://…, one word) is a URL without
// user information: it parses, has no '@', and its port (if any) is a
// number, so nothing in it can be a stranded password.
func plainURL(u string) bool {
	if strings.Contains(u, "@") {
		return false
	}
	p, err := url.Parse(u)
	if err != nil || p.Opaque != "" {
		return false
	}
	port := p.Port()
	return port == "" || allDigits(port)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
