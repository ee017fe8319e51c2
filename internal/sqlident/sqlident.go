// Package sqlident quotes SQL identifiers, one quoter per dialect. It is
// a leaf package: it imports nothing from this module.
package sqlident

import "strings"

// QuotePostgres returns name as PostgreSQL needs to read it back as the
// same identifier: bare when it is a lower-case regular identifier that
// is not a keyword outside the unreserved category, double-quoted
// otherwise. This is the rule of the server's own quote_ident().
func QuotePostgres(name string) string {
	if isLowerRegular(name) && !pgKeywords[name] {
		return name
	}
	return Force(name)
}

// Force always double-quotes name, doubling any embedded quote. Both
// dialects accept it; migrate uses it for its version table.
func Force(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// isLowerRegular reports whether s is a non-empty ASCII lower-case
// identifier: a letter or underscore, then letters, digits, _ or $.
func isLowerRegular(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c == '_' || i > 0 && (c >= '0' && c <= '9' || c == '$')) {
			return false
		}
	}
	return true
}

// pgKeywords are PostgreSQL 15's keywords whose catcode in
// pg_get_keywords() is not 'U' (unreserved): reserved, type/function
// names and column names. TestPostgresKeywordsMatchServer checks this
// table against the server in use.
var pgKeywords = wordSet(`
all analyse analyze and any array as asc asymmetric authorization between 
bigint binary bit boolean both case cast char character check coalesce 
collate collation column concurrently constraint create cross 
current_catalog current_date current_role current_schema current_time 
current_timestamp current_user dec decimal default deferrable desc distinct 
do else end except exists extract false fetch float for foreign freeze from 
full grant greatest group grouping having ilike in initially inner inout 
int integer intersect interval into is isnull join lateral leading least 
left like limit localtime localtimestamp national natural nchar none 
normalize not notnull null nullif numeric offset on only or order out outer 
overlaps overlay placing position precision primary real references 
returning right row select session_user setof similar smallint some 
substring symmetric table tablesample then time timestamp to trailing treat 
trim true union unique user using values varchar variadic verbose when 
where window with xmlattributes xmlconcat xmlelement xmlexists xmlforest 
xmlnamespaces xmlparse xmlpi xmlroot xmlserialize xmltable
`)

func wordSet(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}
