package autogen

import (
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/migratehq/migrate/schema"
)

// Column defaults are compared by their text first (up to layout). Two
// texts can still name the same value: PostgreSQL prints a model's
// "DEFAULT '5.2'" on a double precision column as '5.2'::double
// precision, and a live "DEFAULT 5.2" as 5.2 (a numeric constant the
// column converts). When the column has the same type on both sides and
// both defaults are constants, they are compared by the value the column
// gets from them: the constant, through the casts it is written with,
// converted to the column's kind of type (integer, numeric, real, double
// precision, boolean, text on PostgreSQL; the column's affinity on
// SQLite). Same-value constants are equal (5.20 and 5.2 on numeric, 1e3
// and 1000); anything else, a function call (random(), now()) or an
// operator, is compared as text only, so a real change is never hidden.
// A conversion whose result the differ cannot be sure of (a float to
// numeric, a fraction to an integer) counts as not a constant.

// sameDefault reports whether columns c and t have the same default.
func sameDefault(dialect string, c, t *schema.Column) bool {
	if sameText(c.Default, t.Default) {
		return true
	}
	if c.Type != t.Type {
		return false
	}
	a, ok1 := defaultValue(dialect, c.Type, c.Default)
	b, ok2 := defaultValue(dialect, t.Type, t.Default)
	return ok1 && ok2 && a == b
}

// defaultValue returns a key naming the value the constant default expr
// gives a column of type typ (two defaults with the same key give the
// same value), or false when expr is not a constant it knows.
func defaultValue(dialect, typ, expr string) (string, bool) {
	switch dialect {
	case schema.Postgres:
		return pgDefaultValue(typ, expr)
	case schema.SQLite:
		return sqliteDefaultValue(typ, expr)
	}
	return "", false
}

// pgValue is a constant as PostgreSQL evaluates it.
type pgValue struct {
	kind    pgKind
	str     string   // pgUnknown, pgText
	num     *big.Rat // pgInt, pgNumeric (nil for a special value)
	special string   // pgNumeric: NaN, Infinity, -Infinity
	f       float64  // pgFloat4, pgFloat8
	b       bool     // pgBool
}

type pgKind int

const (
	pgUnknown pgKind = iota // a quoted literal not cast yet
	pgInt
	pgNumeric
	pgFloat4
	pgFloat8
	pgBool
	pgText
)

// pgDefaultValue evaluates a default as pg_get_expr prints a constant:
// a number ("5.2"), possibly in parentheses, a quoted literal, true or
// false, each followed by any number of casts ("'5.2'::double
// precision", "(5.2)::real", "5.2::numeric(10,2)"), then converted to
// the column's type.
func pgDefaultValue(typ, expr string) (string, bool) {
	v, rest, ok := pgOperand(strings.TrimSpace(expr))
	for ok && strings.HasPrefix(rest, "::") {
		name := rest[2:]
		rest = ""
		if i := strings.Index(name, "::"); i >= 0 {
			name, rest = name[:i], name[i:]
		}
		v, ok = pgCast(v, name, false)
	}
	if !ok || strings.TrimSpace(rest) != "" {
		return "", false
	}
	if v, ok = pgCast(v, typ, true); !ok {
		return "", false
	}
	return v.key(), true
}

// pgOperand reads the constant that starts s and returns the rest.
func pgOperand(s string) (pgValue, string, bool) {
	switch {
	case s == "":
		return pgValue{}, "", false
	case s[0] == '\'':
		text, n, ok := readQuoted(s)
		return pgValue{kind: pgUnknown, str: text}, s[n:], ok
	case s[0] == '(':
		end := strings.IndexByte(s, ')')
		if end < 0 {
			return pgValue{}, "", false
		}
		r, ok := parseDecimal(strings.TrimSpace(s[1:end]))
		return pgValue{kind: pgNumeric, num: r}, s[end+1:], ok
	case s[0] >= '0' && s[0] <= '9' || s[0] == '.':
		n := 0
		for n < len(s) && (isDigit(s[n]) || s[n] == '.' || s[n] == 'e' || s[n] == 'E' ||
			(s[n] == '+' || s[n] == '-') && n > 0 && (s[n-1] == 'e' || s[n-1] == 'E')) {
			n++
		}
		r, ok := parseDecimal(s[:n])
		return pgValue{kind: pgNumeric, num: r}, s[n:], ok
	}
	for _, w := range []string{"true", "false"} {
		if len(s) >= len(w) && strings.EqualFold(s[:len(w)], w) && (len(s) == len(w) || !isIdentChar(s[len(w)])) {
			return pgValue{kind: pgBool, b: w == "true"}, s[len(w):], true
		}
	}
	return pgValue{}, "", false
}

// pgCast converts v to the type name typ (a cast in the expression, or
// the column's type when column is set: a column's length or scale
// limit does not change which constants are equal).
func pgCast(v pgValue, typ string, column bool) (pgValue, bool) {
	kind, scale, ok := pgTypeKind(typ, column)
	if !ok {
		return v, false
	}
	if v.kind == pgUnknown || v.kind == pgText && kind != pgText {
		return pgParse(v.str, kind, scale)
	}
	switch kind {
	case pgInt:
		if (v.kind == pgInt || v.kind == pgNumeric) && v.num != nil && v.num.IsInt() {
			return pgValue{kind: pgInt, num: v.num}, true
		}
	case pgNumeric:
		if v.kind == pgInt || v.kind == pgNumeric {
			return roundScale(pgValue{kind: pgNumeric, num: v.num, special: v.special}, scale), true
		}
	case pgFloat4, pgFloat8:
		return v.toFloat(kind)
	case pgBool:
		return v, v.kind == pgBool
	case pgText:
		return v, v.kind == pgText
	}
	return v, false
}

// pgTypeKind classifies a type name. A numeric's scale comes with it (-1:
// none); other typmods (a varchar's length) are only taken for a
// column's type.
func pgTypeKind(typ string, column bool) (pgKind, int, bool) {
	t := strings.ToLower(strings.TrimSpace(typ))
	base, mod, hasMod := strings.Cut(t, "(")
	base = strings.TrimSpace(base)
	switch base {
	case "smallint", "integer", "bigint", "int", "int2", "int4", "int8":
		return pgInt, -1, !hasMod
	case "numeric", "decimal":
		if !hasMod {
			return pgNumeric, -1, true
		}
		if column {
			return pgNumeric, -1, true
		}
		_, s, two := strings.Cut(strings.TrimSuffix(mod, ")"), ",")
		if !two {
			return pgNumeric, 0, true
		}
		n, err := strconv.Atoi(strings.TrimSpace(s))
		return pgNumeric, n, err == nil && n >= 0
	case "real", "float4":
		return pgFloat4, -1, !hasMod
	case "double precision", "float8", "float":
		return pgFloat8, -1, !hasMod
	case "boolean", "bool":
		return pgBool, -1, !hasMod
	case "text", "character varying", "varchar", "bpchar", "character", "char":
		return pgText, -1, !hasMod || column
	}
	return 0, 0, false
}

// pgParse reads a literal as the input function of kind does.
func pgParse(s string, kind pgKind, scale int) (pgValue, bool) {
	if kind == pgText {
		return pgValue{kind: pgText, str: s}, true
	}
	t := strings.TrimSpace(s)
	switch kind {
	case pgInt:
		n, err := strconv.ParseInt(t, 10, 64)
		return pgValue{kind: pgInt, num: new(big.Rat).SetInt64(n)}, err == nil
	case pgNumeric:
		switch strings.ToLower(t) {
		case "nan":
			return pgValue{kind: pgNumeric, special: "NaN"}, true
		case "infinity", "inf", "+infinity", "+inf":
			return pgValue{kind: pgNumeric, special: "Infinity"}, true
		case "-infinity", "-inf":
			return pgValue{kind: pgNumeric, special: "-Infinity"}, true
		}
		r, ok := parseDecimal(t)
		return roundScale(pgValue{kind: pgNumeric, num: r}, scale), ok
	case pgFloat4, pgFloat8:
		if f, ok := floatSpecial(t); ok {
			return newFloat(kind, f), true
		}
		r, ok := parseDecimal(t)
		if !ok {
			return pgValue{}, false
		}
		return ratFloat(kind, r), true
	case pgBool:
		b, ok := pgBoolInput(t)
		return pgValue{kind: pgBool, b: b}, ok
	}
	return pgValue{}, false
}

// toFloat converts v to a float type (an exact number is rounded once,
// to the float's precision).
func (v pgValue) toFloat(kind pgKind) (pgValue, bool) {
	switch v.kind {
	case pgFloat4, pgFloat8:
		return newFloat(kind, v.f), true
	case pgInt, pgNumeric:
		switch v.special {
		case "NaN":
			return newFloat(kind, math.NaN()), true
		case "Infinity":
			return newFloat(kind, math.Inf(1)), true
		case "-Infinity":
			return newFloat(kind, math.Inf(-1)), true
		}
		return ratFloat(kind, v.num), true
	}
	return v, false
}

// ratFloat is r rounded to the float type kind.
func ratFloat(kind pgKind, r *big.Rat) pgValue {
	if kind == pgFloat4 {
		f, _ := r.Float32()
		return pgValue{kind: kind, f: float64(f)}
	}
	f, _ := r.Float64()
	return pgValue{kind: kind, f: f}
}

func newFloat(kind pgKind, f float64) pgValue {
	if kind == pgFloat4 {
		f = float64(float32(f))
	}
	return pgValue{kind: kind, f: f}
}

// key names the value (see defaultValue).
func (v pgValue) key() string {
	switch v.kind {
	case pgInt, pgNumeric:
		if v.special != "" {
			return "numeric:" + v.special
		}
		return "numeric:" + v.num.RatString()
	case pgFloat4, pgFloat8:
		return "float:" + floatKey(v.f)
	case pgBool:
		return "bool:" + strconv.FormatBool(v.b)
	}
	return "text:" + v.str
}

// floatKey writes a float so that the values PostgreSQL's = takes as
// equal (NaN and NaN, -0 and 0) write the same.
func floatKey(f float64) string {
	if f == 0 {
		f = 0
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// roundScale rounds a numeric to scale decimal places (half away from
// zero, as PostgreSQL does); scale -1 leaves it.
func roundScale(v pgValue, scale int) pgValue {
	if scale < 0 || v.num == nil {
		return v
	}
	p := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale)), nil)
	x := new(big.Rat).Mul(v.num, new(big.Rat).SetInt(p))
	num, den := new(big.Int).Set(x.Num()), x.Denom()
	q, r := new(big.Int).QuoRem(num, den, new(big.Int))
	if new(big.Int).Mul(new(big.Int).Abs(r), big.NewInt(2)).Cmp(den) >= 0 {
		q.Add(q, big.NewInt(int64(num.Sign())))
	}
	return pgValue{kind: v.kind, num: new(big.Rat).SetFrac(q, p)}
}

// pgBoolInput reads a boolean as PostgreSQL's boolin does.
func pgBoolInput(s string) (bool, bool) {
	t := strings.ToLower(s)
	if t == "" {
		return false, false
	}
	prefixOf := func(word string, minLen int) bool { return len(t) >= minLen && strings.HasPrefix(word, t) }
	switch {
	case prefixOf("true", 1), prefixOf("yes", 1), prefixOf("on", 2), t == "1":
		return true, true
	case prefixOf("false", 1), prefixOf("no", 1), prefixOf("off", 2), t == "0":
		return false, true
	}
	return false, false
}

// floatSpecial reads the special values of float input.
func floatSpecial(s string) (float64, bool) {
	switch strings.ToLower(s) {
	case "nan", "+nan", "-nan":
		return math.NaN(), true
	case "infinity", "inf", "+infinity", "+inf":
		return math.Inf(1), true
	case "-infinity", "-inf":
		return math.Inf(-1), true
	}
	return 0, false
}

// parseDecimal reads an optionally signed decimal number with an
// optional exponent ("5.2", "-1e3", ".5"), exactly.
func parseDecimal(s string) (*big.Rat, bool) {
	body := strings.TrimLeft(s, "+-")
	if len(s)-len(body) > 1 {
		return nil, false
	}
	mant, exp, hasExp := strings.Cut(strings.ToLower(body), "e")
	intPart, frac, _ := strings.Cut(mant, ".")
	if intPart+frac == "" || !allDigits(intPart) || !allDigits(frac) {
		return nil, false
	}
	if hasExp {
		e := strings.TrimLeft(exp, "+-")
		if len(exp)-len(e) > 1 || e == "" || !allDigits(e) || len(e) > 4 {
			return nil, false
		}
	}
	r, ok := new(big.Rat).SetString(s)
	return r, ok
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// readQuoted reads the quoted literal that starts s (a doubled quote is
// one quote) and returns its text and length.
func readQuoted(s string) (string, int, bool) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		if s[i] != '\'' {
			b.WriteByte(s[i])
			continue
		}
		if i+1 < len(s) && s[i+1] == '\'' {
			b.WriteByte('\'')
			i++
			continue
		}
		return b.String(), i + 1, true
	}
	return "", 0, false
}

// sqliteDefaultValue evaluates a SQLite default as written (the column's
// dflt_value): a signed number, a quoted string, TRUE or FALSE, possibly
// in parentheses, stored as the column's affinity stores it.
func sqliteDefaultValue(typ, expr string) (string, bool) {
	s := strings.TrimSpace(expr)
	for len(s) > 1 && s[0] == '(' && closingParen(s) == len(s)-1 {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	var v sqliteValue
	switch {
	case s == "":
		return "", false
	case s[0] == '\'':
		text, n, ok := readQuoted(s)
		if !ok || n != len(s) {
			return "", false
		}
		v = sqliteValue{class: "text", str: text}
	case strings.EqualFold(s, "true"):
		v = sqliteValue{class: "integer", num: big.NewRat(1, 1)}
	case strings.EqualFold(s, "false"):
		v = sqliteValue{class: "integer", num: new(big.Rat)}
	default:
		var ok bool
		if v, ok = sqliteNumber(s); !ok {
			return "", false
		}
	}
	return v.stored(sqliteAffinity(typ, false))
}

// sqliteValue is a value with its storage class.
type sqliteValue struct {
	class string // integer, real, text
	num   *big.Rat
	str   string
}

// sqliteNumber reads a numeric literal (an integer that fits 64 bits is
// an integer, any other number a real), with an optional sign.
func sqliteNumber(s string) (sqliteValue, bool) {
	sign, body := "", s
	if s != "" && (s[0] == '+' || s[0] == '-') {
		sign, body = s[:1], strings.TrimSpace(s[1:])
	}
	r, ok := parseDecimal(sign + body)
	if !ok {
		return sqliteValue{}, false
	}
	if allDigits(body) {
		if _, err := strconv.ParseInt(sign+body, 10, 64); err == nil {
			return sqliteValue{class: "integer", num: r}, true
		}
	}
	f, _ := r.Float64()
	return sqliteValue{class: "real", num: new(big.Rat).SetFloat64(f)}, !math.IsInf(f, 0)
}

// stored returns the key of v once stored in a column of affinity aff
// (https://sqlite.org/datatype3.html#type_affinity).
func (v sqliteValue) stored(aff string) (string, bool) {
	switch aff {
	case "INTEGER", "NUMERIC", "REAL":
		if v.class == "text" {
			n, ok := sqliteNumber(strings.TrimSpace(v.str))
			if !ok {
				return "text:" + v.str, true
			}
			v = n
		}
		if aff == "REAL" {
			f, _ := v.num.Float64()
			return "real:" + floatKey(f), true
		}
		if v.num.IsInt() && v.num.Num().IsInt64() {
			return "integer:" + v.num.RatString(), true
		}
		f, _ := v.num.Float64()
		return "real:" + floatKey(f), true
	case "TEXT":
		if v.class == "text" {
			return "text:" + v.str, true
		}
	case "BLOB":
		if v.class == "text" {
			return "text:" + v.str, true
		}
		if v.class == "integer" {
			return "integer:" + v.num.RatString(), true
		}
		f, _ := v.num.Float64()
		return "real:" + floatKey(f), true
	}
	return "", false
}
