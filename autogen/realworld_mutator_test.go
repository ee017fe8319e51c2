package autogen_test

// The mutator of TestRealworldMutateRoundTrip: from the inspected model
// of a real-world schema (revision A) it builds revision B, a copy with
// the changes a real revision makes, chosen by a seeded random source
// among the objects where each change is valid against the rows the
// database holds (NOT NULL only where no NULLs are, UNIQUE only where
// the values are unique …). Renames are recorded for the hints.

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/migratehq/migrate/schema"
)

// rwMutation is one kind of change; apply makes it on m.b and describes
// it, or reports that the schema offers no place for it.
type rwMutation struct {
	name     string
	dialects []string // nil: every dialect
	apply    func(m *rwMutator) (string, bool)
}

// rwMutations in the order they are tried: the exclusive ones (drops and
// renames of tables) first, so the others avoid the tables they claim.
var rwMutations = []rwMutation{
	{name: "drop_table", apply: (*rwMutator).dropTable},
	{name: "rename_table", apply: (*rwMutator).renameTable},
	{name: "rename_column", apply: (*rwMutator).renameColumn},
	{name: "rename_key_column", apply: (*rwMutator).renameKeyColumn},
	{name: "add_table", apply: (*rwMutator).addTable},
	{name: "add_column", apply: (*rwMutator).addColumn},
	{name: "add_column_not_null_default", apply: (*rwMutator).addColumnNotNullDefault},
	{name: "drop_column", apply: (*rwMutator).dropColumn},
	{name: "widen_type", apply: (*rwMutator).widenType},
	{name: "widen_type_under_view", apply: (*rwMutator).widenTypeUnderView},
	{name: "set_not_null", apply: (*rwMutator).setNotNull},
	{name: "drop_not_null", apply: (*rwMutator).dropNotNull},
	{name: "change_default", apply: (*rwMutator).changeDefault},
	{name: "add_default", apply: (*rwMutator).addDefault},
	{name: "drop_default", apply: (*rwMutator).dropDefault},
	{name: "add_index", apply: (*rwMutator).addIndex},
	{name: "drop_index", apply: (*rwMutator).dropIndex},
	{name: "rename_index", apply: (*rwMutator).renameIndex},
	{name: "add_unique", apply: (*rwMutator).addUnique},
	{name: "drop_unique", apply: (*rwMutator).dropUnique},
	{name: "add_check", apply: (*rwMutator).addCheck},
	{name: "drop_check", apply: (*rwMutator).dropCheck},
	{name: "add_foreign_key", apply: (*rwMutator).addForeignKey},
	{name: "drop_foreign_key", apply: (*rwMutator).dropForeignKey},
	{name: "add_enum_value", dialects: []string{schema.Postgres}, apply: (*rwMutator).addEnumValue},
	{name: "change_view", apply: (*rwMutator).changeView},
}

// rwMutator builds B from A.
type rwMutator struct {
	t       testing.TB
	dialect string
	b       *schema.Schema // the copy being mutated
	rng     *rand.Rand
	db      *sql.DB // holds A with its rows
	rows    map[schema.TableRef]int
	// claimed tables are renamed, dropped or added: no other change
	// touches them. used columns have had a change already.
	claimed map[schema.TableRef]bool
	used    map[schema.ColumnRef]bool
	// Renames made, new name -> old name, as DiffOptions holds them.
	tableRenames map[schema.TableRef]schema.TableRef
	colRenames   map[schema.ColumnRef]string
	// avoid reports whether a known issue (knownIssues) is to be
	// left out.
	avoid func(issue string) bool
	// code are the words of the objects that name tables and columns in
	// SQL the mutator does not rewrite: views, functions, rules,
	// policies, statistics, domain checks.
	code words
	// views are the words of the views alone.
	views words
	// triggers are the words of the triggers on each table.
	triggers map[schema.TableRef]words
}

func newRWMutator(t testing.TB, a *schema.Schema, db *sql.DB, seed uint64) *rwMutator {
	m := &rwMutator{
		t: t, dialect: a.Dialect, b: copySchema(t, a), db: db,
		rng:          rand.New(rand.NewPCG(seed, 0x6d7574)),
		claimed:      map[schema.TableRef]bool{},
		used:         map[schema.ColumnRef]bool{},
		tableRenames: map[schema.TableRef]schema.TableRef{},
		colRenames:   map[schema.ColumnRef]string{},
	}
	m.rows = rowCounts(t, db, a.Dialect, a)
	var code []string
	for _, v := range a.Views {
		code = append(code, v.Definition, v.SQL)
	}
	m.views = wordsOf(strings.Join(code, "\n"))
	for _, f := range a.Functions {
		code = append(code, f.Definition)
	}
	m.triggers = map[schema.TableRef]words{}
	for _, tr := range a.Triggers {
		owner := schema.TableRef{Schema: tr.Schema, Name: tr.Table}
		m.triggers[owner] = wordsOf(strings.Join([]string{m.triggers[owner].text, tr.Definition}, "\n"))
	}
	for _, d := range a.Domains {
		for _, c := range d.Checks {
			code = append(code, c.Expr)
		}
	}
	for _, tb := range a.Tables {
		for _, r := range tb.Rules {
			code = append(code, r.Definition)
		}
		for _, p := range tb.Policies {
			code = append(code, p.Using, p.WithCheck)
		}
		for _, s := range tb.Statistics {
			code = append(code, s.Definition)
		}
	}
	m.code = wordsOf(strings.Join(code, "\n"))
	return m
}

func copySchema(t testing.TB, s *schema.Schema) *schema.Schema {
	raw, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var c schema.Schema
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	return &c
}

// mutate applies every mutation it can (but those in skip) and returns
// what it did, one line each.
func (m *rwMutator) mutate(skip func(name string) bool) (done, skipped []string) {
	for _, mu := range rwMutations {
		if mu.dialects != nil && !slices.Contains(mu.dialects, m.dialect) {
			continue
		}
		if skip(mu.name) {
			skipped = append(skipped, mu.name)
			continue
		}
		if what, ok := mu.apply(m); ok {
			done = append(done, mu.name+": "+what)
		} else {
			skipped = append(skipped, mu.name+" (nowhere to apply)")
		}
	}
	m.b.Sort()
	return done, skipped
}

// mentioned reports whether the code of views, functions, triggers …
// names word (case-insensitively, as a whole word).
func (m *rwMutator) mentioned(word string) bool {
	return m.mentionedBeside(word, schema.TableRef{Name: "\x00"})
}

// mentionedBeside is mentioned without the triggers on table owner.
func (m *rwMutator) mentionedBeside(word string, owner schema.TableRef) bool {
	if m.code.has(word) {
		return true
	}
	for t, w := range m.triggers {
		if t != owner && w.has(word) {
			return true
		}
	}
	return false
}

// words are the words of a text, lower-cased, for whole-word lookups.
type words struct {
	text string
	set  map[string]bool
}

var wordRE = regexp.MustCompile(`[a-z0-9_$]+`)

func wordsOf(text string) words {
	w := words{text: text, set: map[string]bool{}}
	for _, x := range wordRE.FindAllString(strings.ToLower(text), -1) {
		w.set[x] = true
	}
	return w
}

// has reports whether the text names word: every word of word's own
// (a name such as "Order Details" has two) is in it.
func (w words) has(word string) bool {
	parts := wordRE.FindAllString(strings.ToLower(word), -1)
	for _, p := range parts {
		if !w.set[p] {
			return false
		}
	}
	return len(parts) > 0
}

// ref and cref name tables and columns.
func ref(t *schema.Table) schema.TableRef { return schema.TableRef{Schema: t.Schema, Name: t.Name} }

func cref(t *schema.Table, c string) schema.ColumnRef {
	return schema.ColumnRef{Schema: t.Schema, Table: t.Name, Column: c}
}

// plain reports whether t is an ordinary table no other change claimed:
// not a partition, partitioned table, inheritance parent or child,
// virtual table, or extension member.
func (m *rwMutator) plain(t *schema.Table) bool {
	if t.FromExtension != "" || t.PartitionOf != nil || t.PartitionBy != "" || len(t.Inherits) > 0 || t.Virtual || m.claimed[ref(t)] {
		return false
	}
	for _, o := range m.b.Tables {
		for _, p := range o.Inherits {
			if p.Schema == t.Schema && p.Name == t.Name {
				return false
			}
		}
	}
	return true
}

// pick returns one of the candidates at random, preferring those whose
// table holds rows (the changes that matter to data are tried on data).
// A check, run on the shuffled candidates in turn, may refuse one.
func pick[T any](m *rwMutator, cands []T, table func(T) *schema.Table, ok func(T) bool) (T, bool) {
	var full, empty []T
	for _, c := range cands {
		if m.rows[ref(table(c))] > 0 {
			full = append(full, c)
		} else {
			empty = append(empty, c)
		}
	}
	for _, group := range [][]T{full, empty} {
		m.rng.Shuffle(len(group), func(i, j int) { group[i], group[j] = group[j], group[i] })
		for i, c := range group {
			if i >= 25 {
				break // enough queries
			}
			if ok == nil || ok(c) {
				return c, true
			}
		}
	}
	var zero T
	return zero, false
}

// colCand is a column of a table.
type colCand struct {
	t *schema.Table
	c *schema.Column
}

func colTable(c colCand) *schema.Table { return c.t }

// columns lists the unused columns of plain tables that pass keep.
func (m *rwMutator) columns(keep func(t *schema.Table, c *schema.Column) bool) []colCand {
	var out []colCand
	for _, t := range m.b.Tables {
		if !m.plain(t) {
			continue
		}
		for _, c := range t.Columns {
			if !m.used[cref(t, c.Name)] && c.Generated == nil && c.Identity == nil && !c.Inherited && keep(t, c) {
				out = append(out, colCand{t, c})
			}
		}
	}
	return out
}

// plainTables lists the plain tables that pass keep.
func (m *rwMutator) plainTables(keep func(t *schema.Table) bool) []*schema.Table {
	var out []*schema.Table
	for _, t := range m.b.Tables {
		if m.plain(t) && (keep == nil || keep(t)) {
			out = append(out, t)
		}
	}
	return out
}

func self(t *schema.Table) *schema.Table { return t }

// Type classes of the columns the mutator writes values for.

func (m *rwMutator) isInt(typ string) bool {
	if m.dialect == schema.SQLite {
		return strings.Contains(strings.ToUpper(typ), "INT")
	}
	return typ == "integer" || typ == "bigint" || typ == "smallint"
}

func (m *rwMutator) isText(typ string) bool {
	if m.dialect == schema.SQLite {
		u := strings.ToUpper(typ)
		return strings.Contains(u, "CHAR") || strings.Contains(u, "TEXT") || strings.Contains(u, "CLOB")
	}
	return typ == "text" || strings.HasPrefix(typ, "character varying")
}

// orderable: the types a btree index, UNIQUE and DEFAULT are written for.
func (m *rwMutator) orderable(typ string) bool {
	if m.isInt(typ) || m.isText(typ) {
		return true
	}
	if m.dialect == schema.SQLite {
		return true
	}
	return strings.HasPrefix(typ, "numeric") || typ == "date" || strings.HasPrefix(typ, "timestamp") || typ == "boolean"
}

// inKeys reports whether column c of t is part of a key, index, foreign
// key (either end), check, or owned sequence, or named by code.
func (m *rwMutator) inKeys(t *schema.Table, c string) bool {
	if t.PrimaryKey != nil && slices.Contains(t.PrimaryKey.Columns, c) {
		return true
	}
	for _, k := range t.Uniques {
		if slices.Contains(k.Columns, c) || slices.Contains(k.Include, c) {
			return true
		}
	}
	for _, fk := range t.ForeignKeys {
		if slices.Contains(fk.Columns, c) {
			return true
		}
	}
	for _, o := range m.b.Tables {
		for _, fk := range o.ForeignKeys {
			if fk.RefTable == t.Name && (fk.RefSchema == t.Schema || fk.RefSchema == "") && slices.Contains(fk.RefColumns, c) {
				return true
			}
		}
	}
	low := strings.ToLower(c)
	for _, i := range t.Indexes {
		if strings.Contains(strings.ToLower(i.Definition+i.Where), low) || slices.Contains(i.Include, c) {
			return true
		}
		for _, p := range i.Parts {
			if p.Column == c || strings.Contains(strings.ToLower(p.Expr), low) {
				return true
			}
		}
	}
	for _, ck := range t.Checks {
		if strings.Contains(strings.ToLower(ck.Expr), low) {
			return true
		}
	}
	for _, x := range t.Exclusions {
		if strings.Contains(strings.ToLower(x.Definition), low) {
			return true
		}
	}
	for _, o := range t.Columns {
		if o.Generated != nil && strings.Contains(strings.ToLower(o.Generated.Expr), low) {
			return true
		}
	}
	for _, s := range m.b.Sequences {
		if s.OwnedBy != nil && s.OwnedBy.Schema == t.Schema && s.OwnedBy.Table == t.Name && s.OwnedBy.Column == c {
			return true
		}
	}
	return m.mentioned(c)
}

// referenced reports whether a foreign key of another table points at t.
func (m *rwMutator) referenced(t *schema.Table) bool {
	for _, o := range m.b.Tables {
		if o == t {
			continue
		}
		for _, fk := range o.ForeignKeys {
			if fk.RefTable == t.Name && (fk.RefSchema == t.Schema || fk.RefSchema == "") {
				return true
			}
		}
	}
	return false
}

// Queries on the rows of A.

func (m *rwMutator) qualified(t *schema.Table) string {
	if t.Schema == "" {
		return qi(t.Name)
	}
	return qi(t.Schema) + "." + qi(t.Name)
}

func (m *rwMutator) queryInt(q string) (int64, bool) {
	var v sql.NullInt64
	if err := m.db.QueryRow(q).Scan(&v); err != nil {
		m.t.Fatalf("%v\n%s", err, q)
	}
	return v.Int64, v.Valid
}

func (m *rwMutator) nulls(t *schema.Table, c string) int64 {
	n, _ := m.queryInt(fmt.Sprintf("SELECT count(*) FROM %s WHERE %s IS NULL", m.qualified(t), qi(c)))
	return n
}

func (m *rwMutator) unique(t *schema.Table, c string) bool {
	n, _ := m.queryInt(fmt.Sprintf("SELECT count(%[2]s) - count(DISTINCT %[2]s) FROM %[1]s", m.qualified(t), qi(c)))
	return n == 0
}

// qi quotes an identifier (the same in both dialects).
func qi(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

// newName makes a name of at most 63 bytes (PostgreSQL's limit) from
// prefix and base, unused by any table, index or constraint of B.
func (m *rwMutator) newName(prefix, base string) string {
	base = strings.ToLower(regexp.MustCompile(`[^A-Za-z0-9_]+`).ReplaceAllString(base, "_"))
	name := prefix + base
	if len(name) > 60 {
		name = name[:60]
	}
	for i := 2; m.nameTaken(name); i++ {
		name = fmt.Sprintf("%s%d", strings.TrimRight(name[:min(len(name), 58)], "0123456789"), i)
	}
	return name
}

func (m *rwMutator) nameTaken(n string) bool {
	for _, t := range m.b.Tables {
		if strings.EqualFold(t.Name, n) {
			return true
		}
		for _, i := range t.Indexes {
			if strings.EqualFold(i.Name, n) {
				return true
			}
		}
		for _, k := range append(slices.Clone(t.Uniques), t.PrimaryKey) {
			if k != nil && strings.EqualFold(k.Name, n) {
				return true
			}
		}
		for _, f := range t.ForeignKeys {
			if strings.EqualFold(f.Name, n) {
				return true
			}
		}
		for _, c := range t.Checks {
			if strings.EqualFold(c.Name, n) {
				return true
			}
		}
	}
	for _, v := range m.b.Views {
		if strings.EqualFold(v.Name, n) {
			return true
		}
	}
	return false
}

func (m *rwMutator) typeText() string {
	if m.dialect == schema.SQLite {
		return "TEXT"
	}
	return "text"
}

func (m *rwMutator) typeInt() string {
	if m.dialect == schema.SQLite {
		return "INTEGER"
	}
	return "integer"
}

// --- tables ---

// dropTable drops a table no other table references and no code names,
// with its triggers and owned sequences.
func (m *rwMutator) dropTable() (string, bool) {
	t, ok := pick(m, m.plainTables(func(t *schema.Table) bool {
		return !m.referenced(t) && !m.mentionedBeside(t.Name, ref(t))
	}), self, nil)
	if !ok {
		return "", false
	}
	m.b.Tables = slices.DeleteFunc(m.b.Tables, func(o *schema.Table) bool { return o == t })
	m.b.Triggers = slices.DeleteFunc(m.b.Triggers, func(tr *schema.Trigger) bool { return tr.Schema == t.Schema && tr.Table == t.Name })
	m.b.Sequences = slices.DeleteFunc(m.b.Sequences, func(s *schema.Sequence) bool {
		return s.OwnedBy != nil && s.OwnedBy.Schema == t.Schema && s.OwnedBy.Table == t.Name
	})
	m.claimed[ref(t)] = true
	return fmt.Sprintf("%s (%d rows)", m.qualified(t), m.rows[ref(t)]), true
}

// renameTable renames a table that no code names but its own triggers
// (PostgreSQL; on SQLite a table without triggers); foreign keys, index
// statements, triggers and owned sequences follow.
func (m *rwMutator) renameTable() (string, bool) {
	t, ok := pick(m, m.plainTables(func(t *schema.Table) bool {
		return !m.mentionedBeside(t.Name, ref(t)) && m.triggersFollow(t, "")
	}), self, nil)
	if !ok {
		return "", false
	}
	old := ref(t)
	newName := m.newName("rw_renamed_", t.Name)
	m.triggersFollow(t, newName)
	t.Name = newName
	for _, i := range t.Indexes {
		i.Definition = replaceIndexTable(i.Definition, qi(t.Schema)+"."+qi(newName))
	}
	for _, o := range m.b.Tables {
		for _, fk := range o.ForeignKeys {
			if fk.RefTable == old.Name && (fk.RefSchema == old.Schema || fk.RefSchema == "") {
				fk.RefTable, fk.Definition = newName, ""
			}
		}
	}
	for _, s := range m.b.Sequences {
		if s.OwnedBy != nil && s.OwnedBy.Schema == old.Schema && s.OwnedBy.Table == old.Name {
			s.OwnedBy.Table = newName
		}
	}
	m.tableRenames[ref(t)] = old
	m.claimed[ref(t)] = true
	return fmt.Sprintf("%s -> %s (%d rows)", old.Name, newName, m.rows[old]), true
}

// triggersFollow reports whether the triggers on t can follow a rename
// of t (PostgreSQL: pg_get_triggerdef's "ON table" is the only place that
// names it), and renames them there when newName is set.
func (m *rwMutator) triggersFollow(t *schema.Table, newName string) bool {
	trs := m.b.TriggersOn(t.Schema, t.Name)
	if len(trs) > 0 && m.dialect != schema.Postgres {
		return false // SQLite keeps a trigger's text, its body may name the table
	}
	for _, tr := range trs {
		def := ""
		for _, form := range []string{t.Schema + "." + t.Name, t.Schema + "." + qi(t.Name), qi(t.Schema) + "." + qi(t.Name)} {
			if on := " ON " + form + " "; strings.Count(tr.Definition, on) == 1 {
				def = strings.Replace(tr.Definition, on, " ON "+qi(t.Schema)+"."+qi(newName)+" ", 1)
			}
		}
		if def == "" || wordsOf(def).has(t.Name) {
			return false // the WHEN clause or the arguments name it too
		}
		if newName != "" {
			tr.Definition, tr.Table = def, newName
		}
	}
	return true
}

// replaceIndexTable rewrites the table of a CREATE INDEX statement as
// pg_get_indexdef prints it ("... ON [ONLY] table USING method ...").
func replaceIndexTable(def, table string) string {
	i := strings.Index(def, " ON ")
	if i < 0 {
		return def
	}
	start := i + len(" ON ")
	if strings.HasPrefix(def[start:], "ONLY ") {
		start += len("ONLY ")
	}
	end := strings.Index(def[start:], " USING ")
	if end < 0 {
		return def
	}
	return def[:start] + table + def[start+end:]
}

// addTable adds a table with a foreign key to a table with a
// single-column integer key.
func (m *rwMutator) addTable() (string, bool) {
	nsp := "public"
	if m.dialect == schema.SQLite {
		nsp = ""
	} else if m.b.Namespace("public") == nil && len(m.b.Tables) > 0 {
		nsp = m.b.Tables[0].Schema
	}
	nt := &schema.Table{Schema: nsp, Name: m.newName("rw_new_", "table")}
	nt.Columns = []*schema.Column{
		{Name: "id", Type: m.typeInt(), NotNull: true},
		{Name: "label", Type: m.typeText(), NotNull: true, Default: "'none'"},
	}
	nt.PrimaryKey = &schema.Key{Name: m.newName("rw_new_", "table_pkey"), Columns: []string{"id"}}
	what := m.qualified(nt)
	if p, ok := m.intKeyed(); ok {
		nt.Columns = append(nt.Columns, &schema.Column{Name: "parent_id", Type: p.Column(p.PrimaryKey.Columns[0]).Type})
		nt.ForeignKeys = []*schema.ForeignKey{{Name: m.newName("rw_new_", "table_parent_fkey"), Columns: []string{"parent_id"},
			RefSchema: p.Schema, RefTable: p.Name, RefColumns: []string{p.PrimaryKey.Columns[0]}}}
		what += " referencing " + m.qualified(p)
	}
	m.b.Tables = append(m.b.Tables, nt)
	m.claimed[ref(nt)] = true
	return what, true
}

// intKeyed picks a table with a single-column integer primary key.
func (m *rwMutator) intKeyed() (*schema.Table, bool) {
	return pick(m, m.plainTables(func(t *schema.Table) bool {
		pk := t.PrimaryKey
		return pk != nil && len(pk.Columns) == 1 && m.isInt(t.Column(pk.Columns[0]).Type)
	}), self, nil)
}

// --- columns ---

func (m *rwMutator) renameColumn() (string, bool) {
	c, ok := pick(m, m.columns(func(t *schema.Table, c *schema.Column) bool {
		return !m.inKeys(t, c.Name)
	}), colTable, nil)
	if !ok {
		return "", false
	}
	old := c.c.Name
	c.c.Name = m.columnName(c.t, "rw_renamed_"+strings.ToLower(old))
	m.colRenames[cref(c.t, c.c.Name)] = old
	m.used[cref(c.t, c.c.Name)] = true
	return fmt.Sprintf("%s.%s -> %s", m.qualified(c.t), old, c.c.Name), true
}

// renameKeyColumn renames a column of a primary key or a foreign key
// (either end): the keys, foreign keys, SQLite indexes and the owned
// sequence follow. A column named in text the mutator does not rewrite
// (checks, PostgreSQL index statements, code) is left alone.
func (m *rwMutator) renameKeyColumn() (string, bool) {
	c, ok := pick(m, m.columns(func(t *schema.Table, c *schema.Column) bool {
		return m.isKeyColumn(t, c.Name) && !m.inText(t, c.Name)
	}), colTable, nil)
	if !ok {
		return "", false
	}
	t, old := c.t, c.c.Name
	name := m.columnName(t, "rw_renamed_"+strings.ToLower(old))
	rename := func(cols []string) {
		for i, x := range cols {
			if x == old {
				cols[i] = name
			}
		}
	}
	for _, k := range append(slices.Clone(t.Uniques), t.PrimaryKey) {
		if k != nil && slices.Contains(k.Columns, old) {
			rename(k.Columns)
			for _, p := range k.Parts {
				if p.Column == old {
					p.Column = name
				}
			}
			k.Definition = ""
		}
	}
	for _, fk := range t.ForeignKeys {
		if slices.Contains(fk.Columns, old) {
			rename(fk.Columns)
			fk.Definition = ""
		}
	}
	for _, o := range m.b.Tables {
		for _, fk := range o.ForeignKeys {
			if fk.RefTable == t.Name && (fk.RefSchema == t.Schema || fk.RefSchema == "") && slices.Contains(fk.RefColumns, old) {
				rename(fk.RefColumns)
				fk.Definition = ""
			}
		}
	}
	for _, i := range t.Indexes { // SQLite only: inText keeps PostgreSQL's out
		for _, p := range i.Parts {
			if p.Column == old {
				p.Column = name
			}
		}
	}
	for _, q := range m.b.Sequences {
		if o := q.OwnedBy; o != nil && o.Schema == t.Schema && o.Table == t.Name && o.Column == old {
			o.Column = name
		}
	}
	c.c.Name = name
	m.colRenames[cref(t, name)] = old
	m.used[cref(t, name)] = true
	return fmt.Sprintf("%s.%s -> %s", m.qualified(t), old, name), true
}

// isKeyColumn reports whether c is in t's primary key, in one of its
// foreign keys, or referenced by another table's.
func (m *rwMutator) isKeyColumn(t *schema.Table, c string) bool {
	if t.PrimaryKey != nil && slices.Contains(t.PrimaryKey.Columns, c) {
		return true
	}
	for _, fk := range t.ForeignKeys {
		if slices.Contains(fk.Columns, c) {
			return true
		}
	}
	for _, o := range m.b.Tables {
		for _, fk := range o.ForeignKeys {
			if fk.RefTable == t.Name && (fk.RefSchema == t.Schema || fk.RefSchema == "") && slices.Contains(fk.RefColumns, c) {
				return true
			}
		}
	}
	return false
}

// inText reports whether column c of t is named in text the mutator
// does not rewrite: checks, exclusions, generated columns, expression
// or partial index parts, PostgreSQL index statements, code; or is in a
// key with INCLUDE columns (PostgreSQL).
func (m *rwMutator) inText(t *schema.Table, c string) bool {
	low := strings.ToLower(c)
	w := func(s string) bool { return wordsOf(s).has(low) }
	for _, i := range t.Indexes {
		if m.dialect == schema.Postgres && w(i.Definition) || w(i.Where) || slices.Contains(i.Include, c) {
			return true
		}
		for _, p := range i.Parts {
			if w(p.Expr) {
				return true
			}
		}
	}
	for _, k := range append(slices.Clone(t.Uniques), t.PrimaryKey) {
		if k != nil && len(k.Include) > 0 {
			return true
		}
	}
	for _, ck := range t.Checks {
		if w(ck.Expr) {
			return true
		}
	}
	for _, x := range t.Exclusions {
		if w(x.Definition) {
			return true
		}
	}
	for _, o := range t.Columns {
		if o.Generated != nil && w(o.Generated.Expr) {
			return true
		}
	}
	for _, o := range m.b.Tables { // partitions and children name it in their own statements
		if o.PartitionOf != nil && o.PartitionOf.Table == t.Name || len(o.Inherits) > 0 {
			return true
		}
	}
	return m.mentioned(c)
}

func (m *rwMutator) columnName(t *schema.Table, name string) string {
	if len(name) > 60 {
		name = name[:60]
	}
	for i := 2; t.Column(name) != nil; i++ {
		name = fmt.Sprintf("%s%d", name[:min(len(name), 58)], i)
	}
	return name
}

func (m *rwMutator) addColumn() (string, bool) {
	t, ok := pick(m, m.plainTables(nil), self, nil)
	if !ok {
		return "", false
	}
	name := m.columnName(t, "rw_note")
	t.Columns = append(t.Columns, &schema.Column{Name: name, Type: m.typeText()})
	m.used[cref(t, name)] = true
	return m.qualified(t) + "." + name, true
}

func (m *rwMutator) addColumnNotNullDefault() (string, bool) {
	t, ok := pick(m, m.plainTables(nil), self, nil)
	if !ok {
		return "", false
	}
	name := m.columnName(t, "rw_flag")
	t.Columns = append(t.Columns, &schema.Column{Name: name, Type: m.typeInt(), NotNull: true, Default: "0"})
	m.used[cref(t, name)] = true
	return m.qualified(t) + "." + name + " NOT NULL DEFAULT 0", true
}

// dropColumn drops a column nothing else uses that Down can add back
// (nullable, or with a default).
func (m *rwMutator) dropColumn() (string, bool) {
	c, ok := pick(m, m.columns(func(t *schema.Table, c *schema.Column) bool {
		return (!c.NotNull || c.Default != "") && !c.AutoIncrement && !m.inKeys(t, c.Name)
	}), colTable, nil)
	if !ok {
		return "", false
	}
	c.t.Columns = slices.DeleteFunc(c.t.Columns, func(o *schema.Column) bool { return o == c.c })
	m.used[cref(c.t, c.c.Name)] = true
	return m.qualified(c.t) + "." + c.c.Name, true
}

var (
	pgVarchar = regexp.MustCompile(`^character varying\((\d+)\)$`)
	pgNumeric = regexp.MustCompile(`^numeric\((\d+),(\d+)\)$`)
	sqlLength = regexp.MustCompile(`^(?i)(\w+)\s*\((\d+)\)$`)
	sqlNum    = regexp.MustCompile(`^(?i)(NUMERIC|DECIMAL)\s*\((\d+)\s*,\s*(\d+)\)$`)
)

// widened is a wider type holding every value of typ as the same text.
func (m *rwMutator) widened(typ string) (string, bool) {
	if m.dialect == schema.SQLite {
		if g := sqlNum.FindStringSubmatch(typ); g != nil {
			p, _ := strconv.Atoi(g[2])
			return fmt.Sprintf("%s(%d,%s)", g[1], p+2, g[3]), true
		}
		if g := sqlLength.FindStringSubmatch(typ); g != nil {
			n, _ := strconv.Atoi(g[2])
			return fmt.Sprintf("%s(%d)", g[1], 2*n), true
		}
		return "", false
	}
	switch typ {
	case "smallint":
		return "integer", true
	case "integer":
		return "bigint", true
	}
	if g := pgVarchar.FindStringSubmatch(typ); g != nil {
		n, _ := strconv.Atoi(g[1])
		return fmt.Sprintf("character varying(%d)", 2*n), true
	}
	if g := pgNumeric.FindStringSubmatch(typ); g != nil {
		p, _ := strconv.Atoi(g[1])
		return fmt.Sprintf("numeric(%d,%s)", p+2, g[2]), true
	}
	return "", false
}

// widenType widens the type of a column no code names (a view on it
// would change its own column types).
func (m *rwMutator) widenType() (string, bool) {
	c, ok := pick(m, m.columns(func(t *schema.Table, c *schema.Column) bool {
		_, ok := m.widened(c.Type)
		return ok && !c.AutoIncrement && !m.mentioned(c.Name) && !(m.dialect == schema.SQLite && t.PrimaryKey != nil && slices.Contains(t.PrimaryKey.Columns, c.Name))
	}), colTable, nil)
	if !ok {
		return "", false
	}
	old := c.c.Type
	c.c.Type, _ = m.widened(old)
	m.used[cref(c.t, c.c.Name)] = true
	return fmt.Sprintf("%s.%s %s -> %s", m.qualified(c.t), c.c.Name, old, c.c.Type), true
}

// widenTypeUnderView widens the type of a column that a view selects
// (the view is dropped before and created after, and its own column's
// type follows).
func (m *rwMutator) widenTypeUnderView() (string, bool) {
	c, ok := pick(m, m.columns(func(t *schema.Table, c *schema.Column) bool {
		_, ok := m.widened(c.Type)
		return ok && !c.AutoIncrement && m.views.has(c.Name) && m.views.has(t.Name) &&
			!(m.dialect == schema.SQLite && t.PrimaryKey != nil && slices.Contains(t.PrimaryKey.Columns, c.Name))
	}), colTable, nil)
	if !ok {
		return "", false
	}
	old := c.c.Type
	c.c.Type, _ = m.widened(old)
	m.used[cref(c.t, c.c.Name)] = true
	return fmt.Sprintf("%s.%s %s -> %s", m.qualified(c.t), c.c.Name, old, c.c.Type), true
}

func (m *rwMutator) setNotNull() (string, bool) {
	c, ok := pick(m, m.columns(func(t *schema.Table, c *schema.Column) bool { return !c.NotNull }), colTable,
		func(c colCand) bool { return m.nulls(c.t, c.c.Name) == 0 })
	if !ok {
		return "", false
	}
	c.c.NotNull = true
	m.used[cref(c.t, c.c.Name)] = true
	return fmt.Sprintf("%s.%s (%d rows)", m.qualified(c.t), c.c.Name, m.rows[ref(c.t)]), true
}

func (m *rwMutator) dropNotNull() (string, bool) {
	c, ok := pick(m, m.columns(func(t *schema.Table, c *schema.Column) bool {
		return c.NotNull && !(t.PrimaryKey != nil && slices.Contains(t.PrimaryKey.Columns, c.Name))
	}), colTable, nil)
	if !ok {
		return "", false
	}
	c.c.NotNull = false
	m.used[cref(c.t, c.c.Name)] = true
	return m.qualified(c.t) + "." + c.c.Name, true
}

// changeDefault changes a number default to another number.
func (m *rwMutator) changeDefault() (string, bool) {
	c, ok := pick(m, m.columns(func(t *schema.Table, c *schema.Column) bool {
		_, err := strconv.ParseFloat(c.Default, 64)
		return c.Default != "" && err == nil
	}), colTable, nil)
	if !ok {
		return "", false
	}
	old := c.c.Default
	f, _ := strconv.ParseFloat(old, 64)
	c.c.Default = strconv.FormatFloat(f+1, 'f', -1, 64)
	if strings.Contains(old, ".") && !strings.Contains(c.c.Default, ".") {
		c.c.Default += ".0"
	}
	m.used[cref(c.t, c.c.Name)] = true
	return fmt.Sprintf("%s.%s %s -> %s", m.qualified(c.t), c.c.Name, old, c.c.Default), true
}

func (m *rwMutator) addDefault() (string, bool) {
	c, ok := pick(m, m.columns(func(t *schema.Table, c *schema.Column) bool {
		return c.Default == "" && !c.AutoIncrement && (m.isInt(c.Type) || m.isText(c.Type)) &&
			!(t.PrimaryKey != nil && slices.Contains(t.PrimaryKey.Columns, c.Name))
	}), colTable, nil)
	if !ok {
		return "", false
	}
	c.c.Default = "7"
	if m.isText(c.c.Type) {
		c.c.Default = "'rw'"
	}
	m.used[cref(c.t, c.c.Name)] = true
	return fmt.Sprintf("%s.%s DEFAULT %s", m.qualified(c.t), c.c.Name, c.c.Default), true
}

func (m *rwMutator) dropDefault() (string, bool) {
	c, ok := pick(m, m.columns(func(t *schema.Table, c *schema.Column) bool {
		return c.Default != "" && !strings.Contains(c.Default, "nextval(")
	}), colTable, nil)
	if !ok {
		return "", false
	}
	old := c.c.Default
	c.c.Default = ""
	m.used[cref(c.t, c.c.Name)] = true
	return fmt.Sprintf("%s.%s (was %s)", m.qualified(c.t), c.c.Name, old), true
}

// --- indexes and constraints ---

func (m *rwMutator) addIndex() (string, bool) {
	c, ok := pick(m, m.columns(func(t *schema.Table, c *schema.Column) bool {
		if !m.orderable(c.Type) || t.PrimaryKey != nil && t.PrimaryKey.Columns[0] == c.Name {
			return false
		}
		for _, i := range t.Indexes {
			if len(i.Parts) > 0 && i.Parts[0].Column == c.Name {
				return false
			}
		}
		return true
	}), colTable, nil)
	if !ok {
		return "", false
	}
	name := m.newName("rw_ix_", c.t.Name+"_"+c.c.Name)
	ix := &schema.Index{Name: name, Parts: []*schema.IndexPart{{Column: c.c.Name}}}
	if m.dialect == schema.Postgres {
		ix.Method = "btree"
		ix.Definition = fmt.Sprintf("CREATE INDEX %s ON %s USING btree (%s)", qi(name), m.qualified(c.t), qi(c.c.Name))
	}
	c.t.Indexes = append(c.t.Indexes, ix)
	m.used[cref(c.t, c.c.Name)] = true
	return fmt.Sprintf("%s on %s(%s)", name, m.qualified(c.t), c.c.Name), true
}

// ixCand is an index of a table.
type ixCand struct {
	t *schema.Table
	i *schema.Index
}

// indexes lists the indexes of A on plain tables that no partition
// attaches, no replica identity or CLUSTER names, and no foreign key
// depends on (a unique index on the columns it references).
func (m *rwMutator) indexes() []ixCand {
	var out []ixCand
	for _, t := range m.plainTables(nil) {
		for _, i := range t.Indexes {
			if i.Unique && m.indexReferenced(t, i) {
				continue
			}
			if i.Parent == "" && i.Name != t.ReplicaIdentityIndex && i.Name != t.ClusterOn && !added(i.Name) {
				out = append(out, ixCand{t, i})
			}
		}
	}
	return out
}

func (m *rwMutator) dropIndex() (string, bool) {
	c, ok := pick(m, m.indexes(), func(c ixCand) *schema.Table { return c.t }, nil)
	if !ok {
		return "", false
	}
	c.t.Indexes = slices.DeleteFunc(c.t.Indexes, func(o *schema.Index) bool { return o == c.i })
	return fmt.Sprintf("%s on %s", c.i.Name, m.qualified(c.t)), true
}

func (m *rwMutator) renameIndex() (string, bool) {
	c, ok := pick(m, m.indexes(), func(c ixCand) *schema.Table { return c.t },
		func(c ixCand) bool { return m.dialect == schema.SQLite || strings.Contains(c.i.Definition, " INDEX ") })
	if !ok {
		return "", false
	}
	old := c.i.Name
	c.i.Name = m.newName("rw_renamed_", old)
	if m.dialect == schema.Postgres {
		d := c.i.Definition
		start := strings.Index(d, " INDEX ") + len(" INDEX ")
		end := start + strings.Index(d[start:], " ON ")
		c.i.Definition = d[:start] + qi(c.i.Name) + d[end:]
	}
	return fmt.Sprintf("%s -> %s on %s", old, c.i.Name, m.qualified(c.t)), true
}

func (m *rwMutator) addUnique() (string, bool) {
	c, ok := pick(m, m.columns(func(t *schema.Table, c *schema.Column) bool {
		return m.orderable(c.Type) && !(t.PrimaryKey != nil && slices.Contains(t.PrimaryKey.Columns, c.Name)) &&
			!slices.ContainsFunc(t.Uniques, func(k *schema.Key) bool { return slices.Equal(k.Columns, []string{c.Name}) })
	}), colTable, func(c colCand) bool { return m.unique(c.t, c.c.Name) })
	if !ok {
		return "", false
	}
	name := m.newName("rw_uq_", c.t.Name+"_"+c.c.Name)
	c.t.Uniques = append(c.t.Uniques, &schema.Key{Name: name, Columns: []string{c.c.Name}})
	m.used[cref(c.t, c.c.Name)] = true
	return fmt.Sprintf("%s on %s(%s) (%d rows)", name, m.qualified(c.t), c.c.Name, m.rows[ref(c.t)]), true
}

// keyCand is a unique constraint of a table.
type keyCand struct {
	t *schema.Table
	k *schema.Key
}

func (m *rwMutator) dropUnique() (string, bool) {
	var cands []keyCand
	for _, t := range m.plainTables(nil) {
		for _, k := range t.Uniques {
			if k.Parent != "" || m.keyReferenced(t, k) || added(k.Name) {
				continue
			}
			cands = append(cands, keyCand{t, k})
		}
	}
	c, ok := pick(m, cands, func(c keyCand) *schema.Table { return c.t }, nil)
	if !ok {
		return "", false
	}
	c.t.Uniques = slices.DeleteFunc(c.t.Uniques, func(o *schema.Key) bool { return o == c.k })
	return fmt.Sprintf("%s on %s%v", c.k.Name, m.qualified(c.t), c.k.Columns), true
}

// indexReferenced reports whether a foreign key may depend on unique
// index i of t: one that references t's columns the index has (or an
// index with expressions).
func (m *rwMutator) indexReferenced(t *schema.Table, i *schema.Index) bool {
	var cols []string
	for _, p := range i.Parts {
		if p.Column == "" {
			return true
		}
		cols = append(cols, p.Column)
	}
	return m.keyReferenced(t, &schema.Key{Columns: cols})
}

// keyReferenced reports whether a foreign key points at key k of t.
func (m *rwMutator) keyReferenced(t *schema.Table, k *schema.Key) bool {
	for _, o := range m.b.Tables {
		for _, fk := range o.ForeignKeys {
			if fk.RefTable == t.Name && (fk.RefSchema == t.Schema || fk.RefSchema == "") &&
				slices.Equal(slices.Sorted(slices.Values(fk.RefColumns)), slices.Sorted(slices.Values(k.Columns))) {
				return true
			}
		}
	}
	return false
}

// addCheck adds CHECK (col >= its least value) on an integer column.
func (m *rwMutator) addCheck() (string, bool) {
	c, ok := pick(m, m.columns(func(t *schema.Table, c *schema.Column) bool { return m.isInt(c.Type) }), colTable, nil)
	if !ok {
		return "", false
	}
	low, valid := m.queryInt(fmt.Sprintf("SELECT min(%s) FROM %s", qi(c.c.Name), m.qualified(c.t)))
	if !valid {
		low = 0
	}
	name := m.newName("rw_ck_", c.t.Name+"_"+c.c.Name)
	expr := fmt.Sprintf("%s >= %d", qi(c.c.Name), low)
	if m.dialect == schema.Postgres {
		expr = "(" + expr + ")"
	}
	c.t.Checks = append(c.t.Checks, &schema.Check{Name: name, Expr: expr})
	m.used[cref(c.t, c.c.Name)] = true
	return fmt.Sprintf("%s on %s: %s", name, m.qualified(c.t), expr), true
}

// ckCand is a check of a table.
type ckCand struct {
	t *schema.Table
	c *schema.Check
}

func (m *rwMutator) dropCheck() (string, bool) {
	var cands []ckCand
	for _, t := range m.plainTables(nil) {
		for _, c := range t.Checks {
			if !c.Inherited && !added(c.Name) {
				cands = append(cands, ckCand{t, c})
			}
		}
	}
	c, ok := pick(m, cands, func(c ckCand) *schema.Table { return c.t }, nil)
	if !ok {
		return "", false
	}
	c.t.Checks = slices.DeleteFunc(c.t.Checks, func(o *schema.Check) bool { return o == c.c })
	return fmt.Sprintf("%s on %s: %s", c.c.Name, m.qualified(c.t), c.c.Expr), true
}

// addForeignKey adds a nullable column to a table and a foreign key on
// it to a table with a single-column integer key.
func (m *rwMutator) addForeignKey() (string, bool) {
	p, ok := m.intKeyed()
	if !ok {
		return "", false
	}
	t, ok := pick(m, m.plainTables(nil), self, nil)
	if !ok {
		return "", false
	}
	key := p.PrimaryKey.Columns[0]
	col := m.columnName(t, "rw_ref_"+strings.ToLower(p.Name))
	t.Columns = append(t.Columns, &schema.Column{Name: col, Type: p.Column(key).Type})
	name := m.newName("rw_fk_", t.Name+"_"+col)
	t.ForeignKeys = append(t.ForeignKeys, &schema.ForeignKey{Name: name, Columns: []string{col},
		RefSchema: p.Schema, RefTable: p.Name, RefColumns: []string{key}})
	m.used[cref(t, col)] = true
	return fmt.Sprintf("%s: %s(%s) -> %s(%s)", name, m.qualified(t), col, m.qualified(p), key), true
}

// fkCand is a foreign key of a table.
type fkCand struct {
	t  *schema.Table
	fk *schema.ForeignKey
}

func (m *rwMutator) dropForeignKey() (string, bool) {
	var cands []fkCand
	for _, t := range m.plainTables(nil) {
		for _, fk := range t.ForeignKeys {
			if !added(fk.Name) {
				cands = append(cands, fkCand{t, fk})
			}
		}
	}
	c, ok := pick(m, cands, func(c fkCand) *schema.Table { return c.t }, nil)
	if !ok {
		return "", false
	}
	c.t.ForeignKeys = slices.DeleteFunc(c.t.ForeignKeys, func(o *schema.ForeignKey) bool { return o == c.fk })
	return fmt.Sprintf("%q on %s%v -> %s%v", c.fk.Name, m.qualified(c.t), c.fk.Columns, c.fk.RefTable, c.fk.RefColumns), true
}

// added reports whether an object is one the mutator made (a drop
// takes one of A's).
func added(name string) bool { return strings.HasPrefix(name, "rw_") }

// --- other objects ---

// addEnumValue adds a value to an enum. B→A removes it, a rebuild of the
// enum, which docs/autogenerate.md says is not handled yet while a
// function signature, a domain or a composite type uses the enum: such
// enums (named in code, domains or types) are left alone.
func (m *rwMutator) addEnumValue() (string, bool) {
	raw, err := json.Marshal([]any{m.b.Domains, m.b.Types})
	if err != nil {
		m.t.Fatal(err)
	}
	types := wordsOf(string(raw))
	var cands []*schema.Enum
	for _, e := range m.b.Enums {
		if e.FromExtension == "" && !m.mentioned(e.Name) && !types.has(e.Name) {
			cands = append(cands, e)
		}
	}
	if len(cands) == 0 {
		return "", false
	}
	e := cands[m.rng.IntN(len(cands))]
	e.Values = append(e.Values, "rw_added")
	return fmt.Sprintf("%s.%s + 'rw_added'", e.Schema, e.Name), true
}

// changeView wraps the query of a view in a subquery: same columns,
// another definition.
func (m *rwMutator) changeView() (string, bool) {
	var cands []*schema.View
	for _, v := range m.b.Views {
		if v.FromExtension == "" && !v.Materialized && v.CheckOption == "" && v.Definition != "" {
			cands = append(cands, v)
		}
	}
	if len(cands) == 0 {
		return "", false
	}
	v := cands[m.rng.IntN(len(cands))]
	query := strings.TrimRight(strings.TrimSpace(v.Definition), ";")
	v.Definition = "SELECT * FROM (" + query + ") rw_sub"
	if m.dialect == schema.SQLite {
		v.SQL = "CREATE VIEW " + qi(v.Name) + " AS " + v.Definition
	}
	return qi(v.Name), true
}
