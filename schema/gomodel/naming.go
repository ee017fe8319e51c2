package gomodel

import (
	"crypto/sha1"
	"encoding/hex"
	"regexp"
	"strings"
	"unicode/utf8"
)

// commonInitialisms are the words GORM (and golint) keep together when
// turning a Go name into snake_case: UserID → user_id, HTTPURL → http_url.
var commonInitialisms = []string{"API", "ASCII", "CPU", "CSS", "DNS", "EOF", "GUID", "HTML", "HTTP", "HTTPS", "ID", "IP", "JSON", "LHS", "QPS", "RAM", "RHS", "RPC", "SLA", "SMTP", "SSH", "TLS", "TTL", "UID", "UI", "UUID", "URI", "URL", "UTF8", "VM", "XML", "XSRF", "XSS"}

var initialismReplacer = func() *strings.Replacer {
	var pairs []string
	for _, w := range commonInitialisms {
		pairs = append(pairs, w, w[:1]+strings.ToLower(w[1:]))
	}
	return strings.NewReplacer(pairs...)
}()

// SnakeCase is a Go name in snake_case, as GORM's naming strategy writes
// it: UserID → user_id, CreatedAt → created_at, APIKey → api_key.
func SnakeCase(name string) string {
	if name == "" {
		return ""
	}
	value := initialismReplacer.Replace(name)
	var buf strings.Builder
	var lastCase, nextCase, nextNumber bool
	curCase := value[0] <= 'Z' && value[0] >= 'A'
	for i, v := range value[:len(value)-1] {
		nextCase = value[i+1] <= 'Z' && value[i+1] >= 'A'
		nextNumber = value[i+1] >= '0' && value[i+1] <= '9'
		if curCase {
			if lastCase && (nextCase || nextNumber) {
				buf.WriteRune(v + 32)
			} else {
				if i > 0 && value[i-1] != '_' && value[i+1] != '_' {
					buf.WriteByte('_')
				}
				buf.WriteRune(v + 32)
			}
		} else {
			buf.WriteRune(v)
		}
		lastCase = curCase
		curCase = nextCase
	}
	if curCase {
		if !lastCase && len(value) > 1 {
			buf.WriteByte('_')
		}
		buf.WriteByte(value[len(value)-1] + 32)
	} else {
		buf.WriteByte(value[len(value)-1])
	}
	return buf.String()
}

// Plural is the English plural GORM gives a table name (the rules of
// github.com/jinzhu/inflection, for lower-case words).
func Plural(word string) string {
	for _, u := range uncountables {
		if strings.EqualFold(word, u) {
			return word
		}
	}
	for _, ir := range irregulars {
		if strings.HasSuffix(word, ir[0]) {
			return strings.TrimSuffix(word, ir[0]) + ir[1]
		}
	}
	for i := len(pluralRules) - 1; i >= 0; i-- {
		r := pluralRules[i]
		if r.re.MatchString(word) {
			return r.re.ReplaceAllString(word, r.repl)
		}
	}
	return word
}

var uncountables = []string{"equipment", "information", "rice", "money", "species", "series", "fish", "sheep", "jeans", "police"}

var irregulars = [][2]string{{"person", "people"}, {"man", "men"}, {"child", "children"}, {"sex", "sexes"}, {"move", "moves"}, {"mombie", "mombies"}}

type rule struct {
	re   *regexp.Regexp
	repl string
}

var pluralRules = func() []rule {
	var out []rule
	for _, r := range [][2]string{
		{"([a-z])$", "${1}s"},
		{"s$", "s"},
		{"^(ax|test)is$", "${1}es"},
		{"(octop|vir)us$", "${1}i"},
		{"(octop|vir)i$", "${1}i"},
		{"(alias|status)$", "${1}es"},
		{"(bu)s$", "${1}ses"},
		{"(buffal|tomat)o$", "${1}oes"},
		{"([ti])um$", "${1}a"},
		{"([ti])a$", "${1}a"},
		{"sis$", "ses"},
		{"(?:([^f])fe|([lr])f)$", "${1}${2}ves"},
		{"(hive)$", "${1}s"},
		{"([^aeiouy]|qu)y$", "${1}ies"},
		{"(x|ch|ss|sh)$", "${1}es"},
		{"(matr|vert|ind)(?:ix|ex)$", "${1}ices"},
		{"^(m|l)ouse$", "${1}ice"},
		{"^(m|l)ice$", "${1}ice"},
		{"^(ox)$", "${1}en"},
		{"^(oxen)$", "${1}"},
		{"(quiz)$", "${1}zes"},
	} {
		out = append(out, rule{regexp.MustCompile(r[0]), r[1]})
	}
	return out
}()

// gormName is GORM's formatName: prefix_table_name, "." replaced, and
// names longer than 64 characters shortened with a hash.
func gormName(prefix, table, name string) string {
	s := strings.ReplaceAll(prefix+"_"+table+"_"+name, ".", "_")
	if utf8.RuneCountInString(s) > 64 {
		h := sha1.Sum([]byte(s))
		s = s[:56] + hex.EncodeToString(h[:])[:8]
	}
	return s
}
