package introspect

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/migratehq/migrate/schema"
	"github.com/migratehq/migrate/sqlsplit"
)

// Filter patterns ([Options.Exclude], autogen's [models] include and
// exclude) are path.Match globs. A pattern matches:
//
//   - an object (table, view, sequence, function, enum, domain, type)
//     when it matches its "name" or its "schema.name";
//   - a column when it has a dot, the part after its last dot matches
//     the column's name, and the part before it matches the table's
//     "name" or "schema.name": "address.street", "public.address.street",
//     "*.search_vector".
//
// So a pattern with one dot, "a.b", matches both table b of schema a and
// column b of table a; a pattern without a dot never matches a column.

// CheckPatterns reports the first pattern that is not a valid glob;
// what names the setting in the message.
func CheckPatterns(what string, patterns []string) error {
	for _, p := range patterns {
		if _, err := path.Match(p, ""); err != nil {
			return fmt.Errorf("%s: bad pattern %q: %w", what, p, err)
		}
	}
	return nil
}

// MatchObject tells whether one of the patterns matches the object
// (sch, name) as "name" or "schema.name".
func MatchObject(patterns []string, sch, name string) bool {
	for _, p := range patterns {
		if globMatch(p, name) || globMatch(p, sch+"."+name) {
			return true
		}
	}
	return false
}

// MatchColumn tells whether one of the patterns matches column of
// table (sch, table) as "table.column" or "schema.table.column".
func MatchColumn(patterns []string, sch, table, column string) bool {
	for _, p := range patterns {
		if tp, cp, ok := splitColumnPattern(p); ok && globMatch(cp, column) && (globMatch(tp, table) || globMatch(tp, sch+"."+table)) {
			return true
		}
	}
	return false
}

// MatchColumnTable tells whether one of the patterns matches columns of
// table (sch, table): its part before the last dot matches the table.
func MatchColumnTable(patterns []string, sch, table string) bool {
	for _, p := range patterns {
		if tp, _, ok := splitColumnPattern(p); ok && (globMatch(tp, table) || globMatch(tp, sch+"."+table)) {
			return true
		}
	}
	return false
}

func splitColumnPattern(p string) (table, column string, ok bool) {
	i := strings.LastIndexByte(p, '.')
	if i <= 0 || i == len(p)-1 {
		return "", "", false
	}
	return p[:i], p[i+1:], true
}

func globMatch(p, s string) bool {
	ok, _ := path.Match(p, s)
	return ok
}

// ColumnFilter tells whether column of table (sch, table) is left out.
type ColumnFilter func(sch, table, column string) bool

// SplitTable separates from t the columns out leaves out and what
// names one of them: the primary key, unique keys, foreign keys (by
// their own columns, or by the referenced ones when out leaves those out
// of the referenced table), checks, exclusion constraints, indexes and
// extended statistics. An expression names a column when one of its
// words or quoted identifiers is the column's name. kept is t without
// them; gone holds them alone (with t's schema and name). t is not
// changed; when nothing is left out, kept is t and gone is nil.
func SplitTable(t *schema.Table, dialect string, out ColumnFilter) (kept, gone *schema.Table) {
	u := columnUse{t: t, out: out, dialect: dialect, cols: map[string]bool{}}
	for _, c := range t.Columns {
		if out(t.Schema, t.Name, c.Name) {
			u.cols[u.key(c.Name)] = true
		}
	}
	k, g := *t, &schema.Table{Schema: t.Schema, Name: t.Name}
	k.Columns, g.Columns = split(t.Columns, func(c *schema.Column) bool { return u.cols[u.key(c.Name)] })
	if t.PrimaryKey != nil && u.usesKey(t.PrimaryKey) {
		k.PrimaryKey, g.PrimaryKey = nil, t.PrimaryKey
	}
	k.Uniques, g.Uniques = split(t.Uniques, u.usesKey)
	k.ForeignKeys, g.ForeignKeys = split(t.ForeignKeys, u.foreignKey)
	k.Checks, g.Checks = split(t.Checks, func(c *schema.Check) bool { return u.text(c.Expr) })
	k.Exclusions, g.Exclusions = split(t.Exclusions, func(x *schema.Exclusion) bool { return u.text(x.Definition) })
	k.Indexes, g.Indexes = split(t.Indexes, u.index)
	k.Statistics, g.Statistics = split(t.Statistics, func(s *schema.Statistics) bool { return u.text(s.Definition) })
	// CLUSTER ON and REPLICA IDENTITY USING INDEX go with their index.
	if goneIndex(g, t.ClusterOn) {
		k.ClusterOn, g.ClusterOn = "", t.ClusterOn
	}
	if goneIndex(g, t.ReplicaIdentityIndex) {
		k.ReplicaIdentity, k.ReplicaIdentityIndex = "", ""
		g.ReplicaIdentity, g.ReplicaIdentityIndex = t.ReplicaIdentity, t.ReplicaIdentityIndex
	}
	if len(g.Columns)+len(g.Uniques)+len(g.ForeignKeys)+len(g.Checks)+len(g.Exclusions)+len(g.Indexes)+len(g.Statistics) == 0 && g.PrimaryKey == nil {
		return t, nil
	}
	return &k, g
}

// goneIndex tells whether name is an index or a key of g.
func goneIndex(g *schema.Table, name string) bool {
	if name == "" {
		return false
	}
	if g.PrimaryKey != nil && g.PrimaryKey.Name == name {
		return true
	}
	return slices.ContainsFunc(g.Indexes, func(x *schema.Index) bool { return x.Name == name }) ||
		slices.ContainsFunc(g.Uniques, func(k *schema.Key) bool { return k.Name == name }) ||
		slices.ContainsFunc(g.Exclusions, func(x *schema.Exclusion) bool { return x.Name == name })
}

// split returns the elements of in that out rejects and those it
// accepts, in order, as new slices (nil when empty).
func split[T any](in []T, out func(T) bool) (kept, gone []T) {
	for _, x := range in {
		if out(x) {
			gone = append(gone, x)
		} else {
			kept = append(kept, x)
		}
	}
	return kept, gone
}

// columnUse tells what names a left-out column of t.
type columnUse struct {
	t       *schema.Table
	out     ColumnFilter
	dialect string
	cols    map[string]bool // left-out columns of t, by key
}

// key is how a column name compares: SQLite's names ignore case.
func (u columnUse) key(name string) string {
	if u.dialect == schema.SQLite {
		return strings.ToLower(name)
	}
	return name
}

func (u columnUse) names(names []string) bool {
	return slices.ContainsFunc(names, func(n string) bool { return u.cols[u.key(n)] })
}

func (u columnUse) usesKey(k *schema.Key) bool {
	return u.names(k.Columns) || u.names(k.Include)
}

func (u columnUse) foreignKey(fk *schema.ForeignKey) bool {
	if u.names(fk.Columns) {
		return true
	}
	refSchema := fk.RefSchema
	if refSchema == "" {
		refSchema = u.t.Schema
	}
	return slices.ContainsFunc(fk.RefColumns, func(c string) bool { return u.out(refSchema, fk.RefTable, c) })
}

func (u columnUse) index(x *schema.Index) bool {
	if u.names(x.Include) || u.text(x.Where) {
		return true
	}
	return slices.ContainsFunc(x.Parts, func(p *schema.IndexPart) bool {
		return u.cols[u.key(p.Column)] || u.text(p.Expr)
	})
}

// text tells whether an expression or definition names a left-out
// column; one that does not lex is taken to.
func (u columnUse) text(s string) bool {
	if s == "" || len(u.cols) == 0 {
		return false
	}
	d := sqlsplit.Postgres
	if u.dialect == schema.SQLite {
		d = sqlsplit.SQLite
	}
	toks, err := sqlsplit.Tokens(s, d)
	if err != nil {
		return true
	}
	for _, t := range toks {
		if (t.Kind == sqlsplit.Word || t.Kind == sqlsplit.QuotedIdent) && u.cols[u.key(t.Name())] {
			return true
		}
	}
	return false
}
