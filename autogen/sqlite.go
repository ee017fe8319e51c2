package autogen

import (
	"fmt"
	"strings"

	"github.com/migratehq/migrate/schema"
)

// The SQLite dialect writes each table as one CREATE TABLE holding all its
// constraints (SQLite cannot add keys, checks or foreign keys later), then
// indexes, views and triggers. Foreign keys may point forward: SQLite only
// resolves them when rows change, so circular references need no ALTER.
//
// Identifiers are written bare when they are plain ASCII words that are not
// SQLite keywords, and in double quotes otherwise (sqliteQuote). Column
// types, defaults, and the expressions of checks, generated columns and
// indexes are written as the model holds them (for an introspected schema:
// as they were declared). Views and triggers are written from their stored
// statement (View.SQL, Trigger.Definition), which SQLite keeps verbatim;
// a view without one is built from Name and Definition.
//
// Table layout, in the order SQLite documents it: columns, each with a
// single-column primary key inline (PRIMARY KEY [AUTOINCREMENT]), NOT NULL,
// DEFAULT, COLLATE and GENERATED ALWAYS AS; then table constraints: a
// multi-column (or ordered, or collated) PRIMARY KEY, UNIQUE, CHECK and
// FOREIGN KEY, each with its CONSTRAINT name when it has one; then
// WITHOUT ROWID and STRICT.

type sqliteDialect struct{}

var _ dialect = sqliteDialect{}

func newSQLiteDialect() dialect { return sqliteDialect{} }

func (sqliteDialect) prelude(*schema.Schema) []string { return nil }

func (sqliteDialect) createObject(o any) ([]string, error) {
	return nil, fmt.Errorf("autogen: SQLite has no %T objects", o)
}

func (sqliteDialect) createKeys(*schema.Table) ([]string, error)        { return nil, nil }
func (sqliteDialect) createForeignKeys(*schema.Table) ([]string, error) { return nil, nil }
func (sqliteDialect) finish(*schema.Schema) ([]string, error)           { return nil, nil }

func (sqliteDialect) createTable(t *schema.Table) ([]string, error) {
	if t.Virtual {
		if t.SQL == "" {
			return nil, fmt.Errorf("autogen: virtual table %s has no CREATE VIRTUAL TABLE statement", t.Name)
		}
		return []string{endStatement(t.SQL)}, nil
	}
	if len(t.Columns) == 0 {
		return nil, fmt.Errorf("autogen: table %s has no columns", t.Name)
	}
	var b strings.Builder
	b.WriteString("CREATE TABLE ")
	b.WriteString(sqliteQuote(t.Name))
	b.WriteString(" (")
	sep := "\n  "
	// A single-column key is written inline, unless it has a direction or
	// a collation: "x INTEGER PRIMARY KEY DESC" inline is not a rowid
	// alias while PRIMARY KEY (x DESC) is, so a DESC key goes inline only
	// when it must not alias the rowid.
	inlinePK, inlineDesc := "", false
	if pk := t.PrimaryKey; pk != nil && len(pk.Columns) == 1 {
		switch p := pk.Parts; {
		case p == nil:
			inlinePK = pk.Columns[0]
		case pk.NotRowIDAlias && len(p) == 1 && p[0].Collation == "":
			inlinePK, inlineDesc = pk.Columns[0], p[0].Desc
		}
	}
	for _, c := range t.Columns {
		b.WriteString(sep)
		sep = ",\n  "
		b.WriteString(sqliteQuote(c.Name))
		if c.Type != "" {
			b.WriteString(" ")
			b.WriteString(c.Type)
		}
		if c.Name == inlinePK {
			pk := t.PrimaryKey
			b.WriteString(" " + constraintName(pk.Name) + "PRIMARY KEY")
			if inlineDesc {
				b.WriteString(" DESC")
			}
			writeConflict(&b, pk.OnConflict)
			if c.AutoIncrement {
				b.WriteString(" AUTOINCREMENT")
			}
		}
		writeColumnConstraints(&b, c)
	}
	if pk := t.PrimaryKey; pk != nil && inlinePK == "" {
		b.WriteString(sep)
		b.WriteString(constraintName(pk.Name))
		b.WriteString("PRIMARY KEY (")
		b.WriteString(sqliteKeyColumns(pk))
		if len(pk.Columns) == 1 {
			if c := t.Column(pk.Columns[0]); c != nil && c.AutoIncrement {
				b.WriteString(" AUTOINCREMENT")
			}
		}
		b.WriteString(")")
		writeConflict(&b, pk.OnConflict)
	}
	for _, u := range t.Uniques {
		b.WriteString(sep)
		b.WriteString(constraintName(u.Name))
		b.WriteString("UNIQUE (")
		b.WriteString(sqliteKeyColumns(u))
		b.WriteString(")")
		writeConflict(&b, u.OnConflict)
	}
	for _, c := range t.Checks {
		b.WriteString(sep)
		b.WriteString(constraintName(c.Name))
		b.WriteString("CHECK (")
		b.WriteString(c.Expr)
		b.WriteString(")")
	}
	for _, fk := range t.ForeignKeys {
		b.WriteString(sep)
		b.WriteString(constraintName(fk.Name))
		b.WriteString("FOREIGN KEY (")
		b.WriteString(sqliteQuoteList(fk.Columns))
		b.WriteString(") REFERENCES ")
		b.WriteString(sqliteQuote(fk.RefTable))
		if len(fk.RefColumns) > 0 {
			b.WriteString(" (")
			b.WriteString(sqliteQuoteList(fk.RefColumns))
			b.WriteString(")")
		}
		if fk.OnDelete != "" && fk.OnDelete != schema.NoAction {
			b.WriteString(" ON DELETE " + fk.OnDelete)
		}
		if fk.OnUpdate != "" && fk.OnUpdate != schema.NoAction {
			b.WriteString(" ON UPDATE " + fk.OnUpdate)
		}
		if fk.Match != "" {
			b.WriteString(" MATCH " + fk.Match)
		}
		switch {
		case fk.Deferrable && fk.InitiallyDeferred:
			b.WriteString(" DEFERRABLE INITIALLY DEFERRED")
		case fk.Deferrable:
			b.WriteString(" DEFERRABLE INITIALLY IMMEDIATE")
		}
	}
	b.WriteString("\n)")
	var opts []string
	if t.WithoutRowID {
		opts = append(opts, "WITHOUT ROWID")
	}
	if t.Strict {
		opts = append(opts, "STRICT")
	}
	if len(opts) > 0 {
		b.WriteString(" ")
		b.WriteString(strings.Join(opts, ", "))
	}
	return []string{b.String()}, nil
}

// writeColumnConstraints writes what follows a column's type and primary
// key: NOT NULL, DEFAULT, COLLATE and GENERATED ALWAYS AS. ALTER TABLE ADD
// COLUMN uses it too.
func writeColumnConstraints(b *strings.Builder, c *schema.Column) {
	if c.NotNull {
		b.WriteString(" NOT NULL")
		writeConflict(b, c.OnConflict)
	}
	if c.Default != "" {
		b.WriteString(" DEFAULT ")
		b.WriteString(sqliteDefault(c.Default))
	}
	if c.Collation != "" {
		b.WriteString(" COLLATE ")
		b.WriteString(sqliteQuote(c.Collation))
	}
	if g := c.Generated; g != nil {
		b.WriteString(" GENERATED ALWAYS AS (")
		b.WriteString(g.Expr)
		b.WriteString(")")
		if g.Stored {
			b.WriteString(" STORED")
		} else {
			b.WriteString(" VIRTUAL")
		}
	}
}

// constraintName returns "CONSTRAINT name " for a named constraint, "" otherwise.
func constraintName(name string) string {
	if name == "" {
		return ""
	}
	return "CONSTRAINT " + sqliteQuote(name) + " "
}

func writeConflict(b *strings.Builder, algo string) {
	if algo != "" {
		b.WriteString(" ON CONFLICT ")
		b.WriteString(algo)
	}
}

// sqliteKeyColumns writes a key's column list, with directions and
// collations when the key has Parts.
func sqliteKeyColumns(k *schema.Key) string {
	if k.Parts == nil {
		return sqliteQuoteList(k.Columns)
	}
	parts := make([]string, len(k.Parts))
	for i, p := range k.Parts {
		parts[i] = sqliteIndexPart(p)
	}
	return strings.Join(parts, ", ")
}

func sqliteIndexPart(p *schema.IndexPart) string {
	s := p.Expr
	if p.Column != "" {
		s = sqliteQuote(p.Column)
	}
	if p.Collation != "" {
		s += " COLLATE " + sqliteQuote(p.Collation)
	}
	if p.Desc {
		s += " DESC"
	}
	return s
}

func sqliteQuoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = sqliteQuote(n)
	}
	return strings.Join(q, ", ")
}

func (sqliteDialect) createView(v *schema.View) ([]string, error) {
	if v.SQL != "" {
		return []string{endStatement(v.SQL)}, nil
	}
	if v.Definition == "" {
		return nil, fmt.Errorf("autogen: view %s has no definition", v.Name)
	}
	return []string{"CREATE VIEW " + sqliteQuote(v.Name) + " AS " + v.Definition}, nil
}

func (sqliteDialect) createIndex(owner schema.TableRef, i *schema.Index) ([]string, error) {
	if len(i.Parts) == 0 {
		return nil, fmt.Errorf("autogen: index %s on %s has no columns", i.Name, owner.Name)
	}
	var b strings.Builder
	b.WriteString("CREATE ")
	if i.Unique {
		b.WriteString("UNIQUE ")
	}
	b.WriteString("INDEX ")
	b.WriteString(sqliteQuote(i.Name))
	b.WriteString(" ON ")
	b.WriteString(sqliteQuote(owner.Name))
	b.WriteString(" (")
	for n, p := range i.Parts {
		if n > 0 {
			b.WriteString(", ")
		}
		b.WriteString(sqliteIndexPart(p))
	}
	b.WriteString(")")
	if i.Where != "" {
		b.WriteString(" WHERE ")
		b.WriteString(i.Where)
	}
	return []string{b.String()}, nil
}

func (sqliteDialect) createTrigger(tr *schema.Trigger) ([]string, error) {
	if tr.Definition == "" {
		return nil, fmt.Errorf("autogen: trigger %s has no definition", tr.Name)
	}
	return []string{endStatement(tr.Definition)}, nil
}

// endStatement makes a stored statement safe to follow with ";": SQLite
// keeps a trailing "-- comment" in sqlite_schema.sql, which would swallow
// the semicolon, so a statement whose last line may hold one gets a
// newline.
func endStatement(s string) string {
	last := s[strings.LastIndexByte(s, '\n')+1:]
	if strings.Contains(last, "--") {
		return s + "\n"
	}
	return s
}

// sqliteDefault returns a default as SQLite accepts it after DEFAULT: a
// literal, a signed number, a bare word (CURRENT_TIMESTAMP, NULL, TRUE) or
// a parenthesised expression are written as they are; any other expression
// is put in parentheses.
func sqliteDefault(d string) string {
	d = strings.TrimSpace(d)
	if d == "" {
		return d
	}
	if isSQLiteLiteral(d) {
		return d
	}
	if d[0] == '(' && closingParen(d) == len(d)-1 {
		return d
	}
	return "(" + d + ")"
}

// isSQLiteLiteral reports whether d is one literal token: a quoted string
// or identifier, a blob, a signed or unsigned number, or a bare word.
func isSQLiteLiteral(d string) bool {
	s := d
	if s[0] == '+' || s[0] == '-' {
		s = strings.TrimLeft(s[1:], " ")
		if s == "" {
			return false
		}
		return isNumber(s)
	}
	switch s[0] {
	case '\'', '"', '`':
		return closingQuote(s, s[0]) == len(s)-1
	case '[':
		return strings.IndexByte(s, ']') == len(s)-1
	}
	if (s[0] == 'x' || s[0] == 'X') && len(s) > 1 && s[1] == '\'' {
		return closingQuote(s[1:], '\'') == len(s)-2
	}
	return isNumber(s) || isBareWord(s)
}

func isNumber(s string) bool {
	digits, dot, exp := 0, false, false
	if len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		for _, c := range s[2:] {
			if !strings.ContainsRune("0123456789abcdefABCDEF_", c) {
				return false
			}
		}
		return true
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9' || c == '_':
			digits++
		case c == '.' && !dot && !exp:
			dot = true
		case (c == 'e' || c == 'E') && !exp && digits > 0:
			exp = true
			if i+1 < len(s) && (s[i+1] == '+' || s[i+1] == '-') {
				i++
			}
		default:
			return false
		}
	}
	return digits > 0
}

func isBareWord(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && (c >= '0' && c <= '9' || c == '$')) {
			return false
		}
	}
	return true
}

// closingQuote returns the index of the quote that closes the quoted token
// starting at s[0] == q, or -1.
func closingQuote(s string, q byte) int {
	for i := 1; i < len(s); i++ {
		if s[i] == q {
			if i+1 < len(s) && s[i+1] == q {
				i++
				continue
			}
			return i
		}
	}
	return -1
}

// closingParen returns the index of the parenthesis that closes s[0] ==
// '(', skipping quoted text and comments, or -1.
func closingParen(s string) int {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return i
			}
		case '\'', '"', '`':
			j := closingQuote(s[i:], c)
			if j < 0 {
				return -1
			}
			i += j
		case '[':
			j := strings.IndexByte(s[i:], ']')
			if j < 0 {
				return -1
			}
			i += j
		case '-':
			if i+1 < len(s) && s[i+1] == '-' {
				j := strings.IndexByte(s[i:], '\n')
				if j < 0 {
					return -1
				}
				i += j
			}
		case '/':
			if i+1 < len(s) && s[i+1] == '*' {
				j := strings.Index(s[i+2:], "*/")
				if j < 0 {
					return -1
				}
				i += j + 3
			}
		}
	}
	return -1
}

// sqliteQuote returns name bare when it is a plain ASCII identifier that is
// not an SQLite keyword, and in double quotes (with " doubled) otherwise.
func sqliteQuote(name string) string {
	if name != "" && isBareWord(name) && !strings.ContainsRune(name, '$') && !sqliteKeywords[strings.ToUpper(name)] {
		return name
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// sqliteKeywords are SQLite's keywords (https://sqlite.org/lang_keywords.html).
var sqliteKeywords = func() map[string]bool {
	m := map[string]bool{}
	for _, k := range strings.Fields(`ABORT ACTION ADD AFTER ALL ALTER ALWAYS ANALYZE AND AS ASC
		ATTACH AUTOINCREMENT BEFORE BEGIN BETWEEN BY CASCADE CASE CAST CHECK COLLATE COLUMN
		COMMIT CONFLICT CONSTRAINT CREATE CROSS CURRENT CURRENT_DATE CURRENT_TIME
		CURRENT_TIMESTAMP DATABASE DEFAULT DEFERRABLE DEFERRED DELETE DESC DETACH DISTINCT DO
		DROP EACH ELSE END ESCAPE EXCEPT EXCLUDE EXCLUSIVE EXISTS EXPLAIN FAIL FILTER FIRST
		FOLLOWING FOR FOREIGN FROM FULL GENERATED GLOB GROUP GROUPS HAVING IF IGNORE IMMEDIATE
		IN INDEX INDEXED INITIALLY INNER INSERT INSTEAD INTERSECT INTO IS ISNULL JOIN KEY LAST
		LEFT LIKE LIMIT MATCH MATERIALIZED NATURAL NO NOT NOTHING NOTNULL NULL NULLS OF OFFSET
		ON OR ORDER OTHERS OUTER OVER PARTITION PLAN PRAGMA PRECEDING PRIMARY QUERY RAISE RANGE
		RECURSIVE REFERENCES REGEXP REINDEX RELEASE RENAME REPLACE RESTRICT RETURNING RIGHT
		ROLLBACK ROW ROWS SAVEPOINT SELECT SET TABLE TEMP TEMPORARY THEN TIES TO TRANSACTION
		TRIGGER UNBOUNDED UNION UNIQUE UPDATE USING VACUUM VALUES VIEW VIRTUAL WHEN WHERE
		WINDOW WITH WITHOUT`) {
		m[k] = true
	}
	return m
}()
