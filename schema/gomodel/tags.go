package gomodel

import (
	"fmt"
	"go/ast"
	"regexp"
	"strings"
)

// tagItem is one key[=value] of a migrate tag, or one KEY[:value] of a
// gorm tag.
type tagItem struct {
	key, value string
	hasValue   bool
}

// migrateKeys are the keys of the migrate tag and whether they take a
// value: "flag" (none), "value" (required) or "optional".
var migrateKeys = map[string]string{
	"pk":           "flag",
	"type":         "value",
	"null":         "flag",
	"notnull":      "flag",
	"unique":       "optional",
	"index":        "optional",
	"default":      "value",
	"references":   "value",
	"ondelete":     "value",
	"onupdate":     "value",
	"check":        "value",
	"identity":     "optional",
	"comment":      "value",
	"renamed_from": "value",
	"collate":      "value",
	"many2many":    "value",
}

// splitTop splits s at sep where it is outside parentheses and quotes.
func splitTop(s string, sep byte) []string {
	var out []string
	depth, start := 0, 0
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '(' || c == '[':
			depth++
		case c == ')' || c == ']':
			depth--
		case c == '\\' && i+1 < len(s) && s[i+1] == sep:
			i++
		case c == sep && depth == 0:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// parseMigrateTag parses `migrate:"pk,type=varchar(100),default='x'"`.
// A comment value may be quoted with single quotes to hold commas.
func parseMigrateTag(tag string) ([]tagItem, []string) {
	var items []tagItem
	var errs []string
	if strings.TrimSpace(tag) == "" {
		return nil, nil
	}
	for _, part := range splitTop(tag, ',') {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		it := tagItem{key: part}
		if i := strings.IndexByte(part, '='); i >= 0 {
			it = tagItem{key: strings.TrimSpace(part[:i]), value: strings.TrimSpace(part[i+1:]), hasValue: true}
		}
		it.key = strings.ToLower(it.key)
		switch migrateKeys[it.key] {
		case "":
			errs = append(errs, fmt.Sprintf("unknown migrate tag key %q", it.key))
			continue
		case "flag":
			if it.hasValue {
				errs = append(errs, fmt.Sprintf("migrate tag key %q takes no value", it.key))
				continue
			}
		case "value":
			if it.value == "" {
				errs = append(errs, fmt.Sprintf("migrate tag key %q needs a value (%s=...)", it.key, it.key))
				continue
			}
		case "optional":
			if it.hasValue && it.value == "" {
				errs = append(errs, fmt.Sprintf("migrate tag key %q has an empty value", it.key))
				continue
			}
		}
		if it.key == "comment" && len(it.value) >= 2 && it.value[0] == '\'' && it.value[len(it.value)-1] == '\'' {
			it.value = strings.ReplaceAll(it.value[1:len(it.value)-1], "''", "'")
		}
		items = append(items, it)
	}
	return items, errs
}

// gormKeys are the gorm tag keys understood (upper case, as GORM
// compares them). Keys that only change GORM's runtime behaviour are
// accepted and ignored.
var gormKeys = map[string]bool{
	"COLUMN": true, "TYPE": true, "SIZE": true, "PRECISION": true, "SCALE": true, "NOT NULL": true, "NOTNULL": true,
	"DEFAULT": true, "UNIQUE": true, "UNIQUEINDEX": true, "INDEX": true, "PRIMARYKEY": true, "PRIMARY_KEY": true,
	"AUTOINCREMENT": true, "AUTOINCREMENTINCREMENT": true, "FOREIGNKEY": true, "REFERENCES": true, "CONSTRAINT": true,
	"CHECK": true, "COMMENT": true, "EMBEDDED": true, "EMBEDDEDPREFIX": true, "MANY2MANY": true,
	"JOINFOREIGNKEY": true, "JOINREFERENCES": true, "POLYMORPHIC": true, "POLYMORPHICVALUE": true,
	"SERIALIZER": true, "AUTOCREATETIME": true, "AUTOUPDATETIME": true, "->": true, "<-": true, "-": true,
	"READONLY": true, "PERMISSIONS": true, "NULL": true,
}

// parseGormTag parses a gorm tag as GORM's ParseTagSetting does: items
// separated by ";" ("\;" escapes), KEY:value with the key in upper case.
func parseGormTag(tag string) ([]tagItem, []string) {
	var items []tagItem
	var errs []string
	names := strings.Split(tag, ";")
	for i := 0; i < len(names); i++ {
		j := i
		if len(names[j]) > 0 {
			for names[j][len(names[j])-1] == '\\' {
				i++
				names[j] = names[j][0:len(names[j])-1] + ";" + names[i]
				names[i] = ""
			}
		}
		values := strings.Split(names[j], ":")
		k := strings.TrimSpace(strings.ToUpper(values[0]))
		if k == "" {
			continue
		}
		it := tagItem{key: k}
		if len(values) >= 2 {
			it.value, it.hasValue = strings.Join(values[1:], ":"), true
		}
		if strings.HasPrefix(k, "-") && k != "-" && k != "->" {
			k = "-"
			it.key = "-"
		}
		if !gormKeys[k] {
			errs = append(errs, fmt.Sprintf("unknown gorm tag key %q", values[0]))
			continue
		}
		items = append(items, it)
	}
	return items, errs
}

// gormSettings parses "a,b:c,d" (GORM's ParseTagSetting with ","), keys in
// upper case, in order.
func gormSettings(s string) []tagItem {
	var out []tagItem
	for _, p := range strings.Split(s, ",") {
		kv := strings.SplitN(p, ":", 2)
		it := tagItem{key: strings.ToUpper(strings.TrimSpace(kv[0]))}
		if len(kv) == 2 {
			it.value, it.hasValue = kv[1], true
		}
		if it.key != "" {
			out = append(out, it)
		}
	}
	return out
}

// directive is a //migrate:NAME args comment line.
type directive struct {
	name, args string
	pos        ast.Node
}

var directiveRe = regexp.MustCompile(`^//\s?migrate:([a-z_]+)\b\s*(.*)$`)

func directives(cg *ast.CommentGroup) []directive {
	if cg == nil {
		return nil
	}
	var out []directive
	for _, c := range cg.List {
		if m := directiveRe.FindStringSubmatch(c.Text); m != nil {
			out = append(out, directive{name: m[1], args: strings.TrimSpace(m[2]), pos: c})
		}
	}
	return out
}

// refAction normalises ondelete/onupdate values: cascade, restrict, set
// null, set default, no action (any case, "_" or " ").
func refAction(v string) (string, bool) {
	s := strings.ToUpper(strings.Join(strings.Fields(strings.ReplaceAll(v, "_", " ")), " "))
	switch s {
	case "CASCADE", "RESTRICT", "SET NULL", "SET DEFAULT", "NO ACTION":
		return s, true
	}
	return "", false
}

var referenceRe = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?)\s*(?:\(\s*([A-Za-z_][A-Za-z0-9_]*(?:\s*,\s*[A-Za-z_][A-Za-z0-9_]*)*)\s*\))?$`)

// parseReference parses table, table(col) or schema.table(col, col).
func parseReference(v string) (table string, cols []string, ok bool) {
	m := referenceRe.FindStringSubmatch(strings.TrimSpace(v))
	if m == nil {
		return "", nil, false
	}
	if m[2] != "" {
		for _, c := range strings.Split(m[2], ",") {
			cols = append(cols, strings.TrimSpace(c))
		}
	}
	return m[1], cols, true
}

var identRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_$]*$`)

// indexDirective is a parsed //migrate:index line:
//
//	//migrate:index [unique] NAME [using METHOD] (PART, ...) [where PREDICATE]
type indexDirective struct {
	unique bool
	name   string
	method string
	parts  []string
	where  string
}

func parseIndexDirective(s string) (*indexDirective, error) {
	d := &indexDirective{}
	rest := strings.TrimSpace(s)
	word := func() string {
		i := strings.IndexAny(rest, " \t(")
		if i < 0 {
			i = len(rest)
		}
		w := rest[:i]
		rest = strings.TrimSpace(rest[i:])
		return w
	}
	if w := word(); strings.EqualFold(w, "unique") {
		d.unique = true
		d.name = word()
	} else {
		d.name = w
	}
	if !identRe.MatchString(d.name) {
		return nil, fmt.Errorf("//migrate:index: expected [unique] NAME [using METHOD] (COLUMNS) [where PREDICATE]")
	}
	if len(rest) > 6 && strings.EqualFold(rest[:6], "using ") {
		rest = rest[6:]
		d.method = strings.ToLower(word())
	}
	if !strings.HasPrefix(rest, "(") {
		return nil, fmt.Errorf("//migrate:index %s: expected a parenthesised list of columns or expressions", d.name)
	}
	end := closing(rest)
	if end < 0 {
		return nil, fmt.Errorf("//migrate:index %s: unbalanced parentheses", d.name)
	}
	for _, p := range splitTop(rest[1:end], ',') {
		if p = strings.TrimSpace(p); p == "" {
			return nil, fmt.Errorf("//migrate:index %s: empty column", d.name)
		}
		d.parts = append(d.parts, p)
	}
	rest = strings.TrimSpace(rest[end+1:])
	if rest != "" {
		if len(rest) < 6 || !strings.EqualFold(rest[:6], "where ") {
			return nil, fmt.Errorf("//migrate:index %s: unexpected %q after the columns (want: where PREDICATE)", d.name, rest)
		}
		d.where = strings.TrimSpace(rest[6:])
	}
	return d, nil
}

// closing returns the index of the parenthesis closing s[0], or -1.
func closing(s string) int {
	depth := 0
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '(':
			depth++
		case c == ')':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// parseCheckDirective parses //migrate:check [NAME] (EXPR).
func parseCheckDirective(s string) (name, expr string, err error) {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "(") {
		i := strings.IndexAny(s, " \t(")
		if i < 0 {
			return "", "", fmt.Errorf("//migrate:check: expected [NAME] (EXPRESSION)")
		}
		name, s = s[:i], strings.TrimSpace(s[i:])
		if !identRe.MatchString(name) {
			return "", "", fmt.Errorf("//migrate:check: bad constraint name %q", name)
		}
	}
	if !strings.HasPrefix(s, "(") || closing(s) != len(s)-1 {
		return "", "", fmt.Errorf("//migrate:check: expected [NAME] (EXPRESSION)")
	}
	return name, strings.TrimSpace(s[1 : len(s)-1]), nil
}
