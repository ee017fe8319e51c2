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
//   - the value of every key that ends in "password" once percent-decoded,
//     in any case (password, sslpassword, PGPASSWORD, pass%77ord — pgx
//     decodes a URL query's keys) followed by "=": in a URL query up to
//     the next "&key=", in a libpq key=value string up to the next
//     unescaped space (a backslash escapes one), and a quoted value ('…'
//     with backslash escapes, or "…") to its closing quote, spaces
//     included;
//   - the password of a URL: everything between the first ':' after
//     scheme:// and the last '@' of the URL, so that a password holding an
//     unescaped '/', '?', '#', '@' or ':' (which makes the URL malformed)
//     is hidden whole. A string that starts with scheme:// is one URL up
//     to the end of its line; a URL quoted inside a message ends at the
//     next space, unless it holds no '@' and is not a plain URL, when it
//     runs to the end of the line (a password with a space in it);
//   - a URL without '@' (the '@' after its password forgotten): if the
//     port of an authority (after the first ':' of a host, in a list of
//     hosts too) is not all digits, it may be a password, and everything
//     from that ':' to the end of the authority ('/', '?', '#', or in a
//     message a quote) is hidden: postgres://u:xxxxx/db;
//   - a mistyped scheme (no "://": postgres:/…, postgres:…, postgres//…):
//     text with an '@' and no "://" before its last '@' is hidden from
//     its first ':' to that '@' (postgres:xxxxx@h/db). A string that
//     starts with such a URL (a scheme then ':' or '/', its first word not
//     a label such as "Error:" or "migrate.toml:4:") is one URL up to the
//     end of its line, and without an '@' the rule above applies to what
//     follows the scheme, its ':' and any '/'; in a message the rule
//     applies to each space-separated word.
//
// Over-redacting is preferred to showing a secret: a URL whose query
// holds an '@' (postgres://h:5432/db?user=a@b) shows as
// postgres://h:xxxxx@b, since nothing tells it apart from a password
// holding "5432/db?user=a".
func Redact(s string) string {
	if !strings.ContainsAny(s, ":=@") {
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

// keySpans finds the values of keys ending in "password" once
// percent-decoded, in any case: pgx decodes a URL query's keys, so
// pass%77ord= and %70assword= are password= to it.
func keySpans(s string) []span {
	var out []span
	for eq := 0; eq < len(s); eq++ {
		if s[eq] != '=' {
			continue
		}
		end := eq // the key's end, before any spaces
		for end > 0 && (s[end-1] == ' ' || s[end-1] == '\t') {
			end--
		}
		start := end // the key's first character: password, sslpassword, PGPASSWORD, pass%77ord
		for start > 0 && (isKeyChar(s[start-1]) || s[start-1] == '%' || s[start-1] == '.' || s[start-1] == '-') {
			start--
		}
		if start == end || !isPasswordKey(s[start:end]) {
			continue
		}
		j := eq + 1
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
			eq = vend - 1
		}
	}
	return out
}

// isPasswordKey reports whether the key k, percent-decoded (a malformed
// escape is kept as written), ends in "password" in any case.
func isPasswordKey(k string) bool {
	return strings.HasSuffix(strings.ToLower(strings.TrimRight(decodeKey(k), " \t")), "password")
}

// decodeKey percent-decodes k leniently: a '%' that does not start a %XX
// escape stays as written.
func decodeKey(k string) string {
	if !strings.Contains(k, "%") {
		return k
	}
	var b strings.Builder
	for i := 0; i < len(k); i++ {
		if k[i] == '%' && i+2 < len(k) && isHex(k[i+1]) && isHex(k[i+2]) {
			b.WriteByte(unhex(k[i+1])<<4 | unhex(k[i+2]))
			i += 2
			continue
		}
		b.WriteByte(k[i])
	}
	return b.String()
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
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
// space or line end (outside a URL query a backslash escapes the next
// character, a space too, as in libpq), and, in a URL query, to the
// next "&key=".
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
		if c == '\\' && !inQuery {
			k++ // libpq: a backslash escapes the next character, a space too
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

// userinfoSpans finds the passwords of URLs in s, well-formed or not:
// see Redact for the rules.
func userinfoSpans(s string) []span {
	out := schemeSpans(s)
	if urlLike(s) && !startsURL(s) {
		out = append(out, noSlashesSpans(s)...)
		return out
	}
	// In a message: every word holding an '@' with no "://" before it.
	for i := 0; i < len(s); {
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		j := i
		for j < len(s) && !isSpace(s[j]) {
			j++
		}
		if sp, ok := atSpan(s[i:j], false); ok {
			out = append(out, span{i + sp[0], i + sp[1]})
		}
		i = j
	}
	return out
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func firstLine(s string) string {
	s = strings.TrimLeft(s, " \t\r\n")
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// urlLike reports whether s is a URL, possibly mistyped: it starts with a
// scheme followed by ':' or '/' (postgres:/…, postgres//…), in a first
// word that is not a label ("Error:", "migrate.toml:4:").
func urlLike(s string) bool {
	s = strings.TrimLeft(s, " \t\r\n")
	i := 0
	for i < len(s) && isSchemeChar(s[i]) {
		i++
	}
	if i == 0 || i == len(s) || s[i] != ':' && s[i] != '/' {
		return false
	}
	w := s
	if k := strings.IndexAny(s, " \t\r\n"); k >= 0 {
		w = s[:k]
	}
	return !isLabel(w)
}

// isLabel reports whether w is a message's label: a name, then any
// ":<digits>" (a line number), then ':'.
func isLabel(w string) bool {
	w, ok := strings.CutSuffix(w, ":")
	if !ok {
		return false
	}
	name, nums, _ := strings.Cut(w, ":")
	for _, n := range strings.Split(nums, ":") {
		if nums != "" && (n == "" || !allDigits(n)) {
			return false
		}
	}
	return name != ""
}

// atSpan applies the rule for text holding an '@' but no "://" before
// its last '@' (unless anyURL): the password runs from the first ':' to
// that '@'.
func atSpan(t string, anyURL bool) (span, bool) {
	at := strings.LastIndexByte(t, '@')
	if at < 0 || !anyURL && strings.Contains(t[:at], "://") {
		return span{}, false
	}
	colon := strings.IndexByte(t[:at], ':')
	if colon < 0 || colon+1 == at || t[colon+1:at] == mask {
		return span{}, false
	}
	return span{colon + 1, at}, true
}

// noSlashesSpans redacts s, a URL whose scheme is not followed by "://"
// (postgres:/u:pw@h, postgres:u:pw@h, postgres//u:pw@h): its first line
// is one URL.
func noSlashesSpans(s string) []span {
	off := len(s) - len(strings.TrimLeft(s, " \t\r\n"))
	line := firstLine(s)
	if sp, ok := atSpan(line, true); ok {
		return []span{{off + sp[0], off + sp[1]}}
	}
	if strings.Contains(line, "@") {
		return nil
	}
	// No '@': the authority follows the scheme, its ':' and any '/'.
	i := 0
	for i < len(line) && isSchemeChar(line[i]) {
		i++
	}
	if i < len(line) && line[i] == ':' {
		i++
	}
	for i < len(line) && line[i] == '/' {
		i++
	}
	auth := line[i:]
	if k := strings.IndexAny(auth, "/?#"); k >= 0 {
		auth = auth[:k]
	}
	if sp, ok := portSpan(auth); ok {
		return []span{{off + i + sp[0], off + i + sp[1]}}
	}
	return nil
}

// portSpan applies the rule for an authority without '@' (host:port, or
// a list of them): if a port is not all digits it may be a password (the
// '@' after it missing), and everything from that port's ':' to the end
// of the authority is one.
func portSpan(auth string) (span, bool) {
	pos := 0
	for _, el := range strings.Split(auth, ",") {
		hp := el
		skip := 0
		if strings.HasPrefix(hp, "[") {
			if k := strings.IndexByte(hp, ']'); k >= 0 {
				skip = k + 1
			}
		}
		if c := strings.IndexByte(hp[skip:], ':'); c >= 0 {
			port := hp[skip+c+1:]
			if !allDigits(port) && port != mask {
				return span{pos + skip + c + 1, len(auth)}, true
			}
		}
		pos += len(el) + 1
	}
	return span{}, false
}

// schemeSpans finds the password of every scheme://user:password@ in s,
// and the non-numeric port of every scheme://host:port without '@'.
func schemeSpans(s string) []span {
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
		word := line
		if w := strings.IndexAny(line, " \t\r"); w >= 0 {
			word = line[:w]
		}
		if !isolated {
			cand = word
			if !strings.Contains(word, "@") && !plainURL(s[schemeStart:start]+word) {
				cand = line // a password with a space in it
			}
		}
		at := strings.LastIndexByte(cand, '@')
		if at < 0 {
			// No '@': a port that is not a number may be a password. In
			// a message the URL's word ends at a quote, and punctuation
			// after it is not part of it.
			auth, stop := cand, "/?#"
			if !isolated {
				auth, stop = word, "/?#\"'`"
			}
			if k := strings.IndexAny(auth, stop); k >= 0 {
				auth = auth[:k]
			}
			if !isolated {
				auth = strings.TrimRight(auth, ":;,.)")
			}
			if sp, ok := portSpan(auth); ok {
				out = append(out, span{start + sp[0], start + sp[1]})
			}
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
