package lint

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/migratehq/migrate/sqlsplit"
)

// pgType is a column type as far as the type-change rule needs it.
type pgType struct {
	name  string // canonical name: varchar, numeric, text, integer …
	mods  []int  // modifiers: varchar(20) is [20], numeric(10,2) is [10 2]
	array bool
}

// typeAliases map the spellings of a type to one name.
var typeAliases = map[string]string{
	"character varying": "varchar", "char varying": "varchar",
	"character": "bpchar", "char": "bpchar",
	"int": "integer", "int4": "integer",
	"int8": "bigint", "int2": "smallint",
	"decimal":     "numeric",
	"bit varying": "varbit",
	"bool":        "boolean",
	"float8":      "double precision", "float4": "real",
	"timestamp without time zone": "timestamp", "timestamp with time zone": "timestamptz",
	"time without time zone": "time", "time with time zone": "timetz",
	"serial4": "serial", "serial8": "bigserial", "serial2": "smallserial",
}

// parseType reads a type from its tokens (a column definition's type,
// or format_type's output lexed). It stops at nothing: the caller passes
// the type's tokens only.
func parseType(t toks) pgType {
	var words []string
	var ty pgType
	for i := 0; i < len(t); i++ {
		switch {
		case t.at(i, "array"):
			ty.array = true
		case t.ident(i) && t.punct(i+1, "."):
			i++ // a schema: pg_catalog.text is text
		case t.ident(i):
			words = append(words, t[i].Name())
		case t.punct(i, "("):
			end := t.close(i)
			for _, m := range t[i+1 : end].split() {
				if len(m) == 1 {
					if n, err := strconv.Atoi(m[0].Text); err == nil {
						ty.mods = append(ty.mods, n)
					}
				}
			}
			i = end
		case t.punct(i, "["):
			ty.array = true
			i = t.close(i)
		}
	}
	ty.name = strings.Join(words, " ")
	if a, ok := typeAliases[ty.name]; ok {
		ty.name = a
	}
	return ty
}

// parseTypeText parses a type written as text, such as PostgreSQL's
// format_type output ("character varying(20)").
func parseTypeText(s string) pgType {
	ts, err := sqlsplit.Tokens(s, sqlsplit.Postgres)
	if err != nil {
		return pgType{name: s}
	}
	return parseType(ts)
}

func (ty pgType) String() string {
	s := ty.name
	if len(ty.mods) > 0 {
		var ms []string
		for _, m := range ty.mods {
			ms = append(ms, strconv.Itoa(m))
		}
		s += "(" + strings.Join(ms, ",") + ")"
	}
	if ty.array {
		s += "[]"
	}
	return s
}

func (ty pgType) equal(o pgType) bool { return ty.String() == o.String() }

// noRewrite reports whether changing a column from one type to the other
// (with no USING) keeps the table as it is: the same type, or a change
// PostgreSQL documents as binary-coercible with no check to make —
// widening or removing a varchar length, varchar to text, raising a
// numeric's precision at the same scale or removing it, widening a bit
// varying, cidr to inet.
func noRewrite(from, to pgType) bool {
	if from.equal(to) {
		return true
	}
	if from.array || to.array {
		return false
	}
	switch {
	case from.name == "varchar" && to.name == "text",
		from.name == "text" && to.name == "varchar" && len(to.mods) == 0,
		from.name == "cidr" && to.name == "inet":
		return true
	case from.name == "varchar" && to.name == "varchar",
		from.name == "varbit" && to.name == "varbit":
		return len(to.mods) == 0 || len(from.mods) == 1 && len(to.mods) == 1 && to.mods[0] >= from.mods[0]
	case from.name == "numeric" && to.name == "numeric":
		return len(to.mods) == 0 || len(from.mods) > 0 && to.mods[0] >= from.mods[0] && scale(from) == scale(to)
	}
	return false
}

// scale is a numeric type's scale (0 when not written).
func scale(ty pgType) int {
	if len(ty.mods) > 1 {
		return ty.mods[1]
	}
	return 0
}

// describeChange says why a type change rewrites, for a finding.
func describeChange(col string, from pgType, known bool, to pgType, using bool) string {
	switch {
	case using:
		return fmt.Sprintf("ALTER COLUMN %s TYPE %s USING … rewrites the table and its indexes", col, to)
	case !known:
		return fmt.Sprintf("ALTER COLUMN %s TYPE %s rewrites the table and its indexes unless the old type (not known here) is binary-coercible to it, such as a narrower varchar", col, to)
	}
	return fmt.Sprintf("ALTER COLUMN %s TYPE %s from %s rewrites the table and its indexes", col, to, from)
}
