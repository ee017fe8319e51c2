package introspect

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/migratehq/migrate/schema"
)

// The SQLite introspector reads the main database in six queries, whatever
// the number of tables: the library version, sqlite_schema,
// pragma_table_list, and one join of sqlite_schema with each of the pragma
// table-valued functions pragma_table_xinfo, pragma_index_list ×
// pragma_index_xinfo and pragma_foreign_key_list; a seventh, when there are
// views, joins them with pragma_table_xinfo for their output columns.
//
// The pragmas are the authority on structure (column names and order,
// declared types, NOT NULL, defaults, primary-key membership, generated
// columns, index keys, foreign-key columns and actions). What they do not
// report is read from the CREATE statements SQLite stores verbatim, with the
// tokenizer and parser of sqlitelex*.go: CHECK constraints, constraint names,
// column collations, generated-column expressions, AUTOINCREMENT, ON
// CONFLICT clauses, MATCH, DEFERRABLE, the direction and collation of key
// columns, and the expressions and WHERE clause of indexes.

type sqliteInspector struct{}

var _ inspector = (*sqliteInspector)(nil)

func newSQLiteInspector() inspector { return &sqliteInspector{} }

// The queries. `m.name NOT LIKE 'sqlite\_%'` leaves out SQLite's internal
// tables (sqlite_sequence, sqlite_stat1 …); virtual tables are read from
// their statement only, because their pragmas need the module loaded.
const (
	sqliteVersionQuery = `SELECT sqlite_version()`

	sqliteObjectsQuery = `
SELECT m.type, m.name, m.tbl_name, coalesce(m.sql, '')
FROM main.sqlite_schema AS m
WHERE m.name NOT LIKE 'sqlite\_%' ESCAPE '\'
ORDER BY m.rowid`

	// pragma_table_list is read on its own: joined with sqlite_schema it
	// is evaluated once per row, which is quadratic.
	sqliteTableListQuery = `
SELECT name, type, wr, strict FROM pragma_table_list WHERE schema = 'main'`

	sqliteTablesWhere = `
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'
  AND m.sql NOT LIKE 'CREATE VIRTUAL %'`

	sqliteColumnsQuery = `
SELECT m.name, c.name, c.type, c."notnull", c.dflt_value, c.pk, c.hidden
FROM main.sqlite_schema AS m
JOIN pragma_table_xinfo(m.name, 'main') AS c` + sqliteTablesWhere + `
ORDER BY m.rowid, c.cid`

	sqliteIndexesQuery = `
SELECT m.name, il.name, il."unique", il.origin, ix.cid, ix.name, ix."desc", ix.coll
FROM main.sqlite_schema AS m
JOIN pragma_index_list(m.name, 'main') AS il
JOIN pragma_index_xinfo(il.name, 'main') AS ix` + sqliteTablesWhere + `
  AND ix.key = 1
ORDER BY m.rowid, il.seq, ix.seqno`

	// The output columns of views. SQLite lets a view name a table that
	// no longer exists; pragma_table_xinfo then fails, and the views are
	// read without their columns.
	sqliteViewColumnsQuery = `
SELECT m.name, c.name, c.type
FROM main.sqlite_schema AS m
JOIN pragma_table_xinfo(m.name, 'main') AS c
WHERE m.type = 'view'
ORDER BY m.rowid, c.cid`

	sqliteForeignKeysQuery = `
SELECT m.name, f.id, f."table", f."from", f."to", f.on_update, f.on_delete
FROM main.sqlite_schema AS m
JOIN pragma_foreign_key_list(m.name, 'main') AS f` + sqliteTablesWhere + `
ORDER BY m.rowid, f.id, f.seq`
)

// sqliteTableState is what the inspector gathers about one table before
// building its model.
type sqliteTableState struct {
	t   *schema.Table
	ddl *ddlTable
	pk  map[int]string // pk ordinal → column name
	// indexes by name, in pragma order, and their key columns.
	indexOrder []string
	indexes    map[string]*sqliteIndexRows
	fks        map[int]*schema.ForeignKey // by pragma id
	fkIDs      []int
}

type sqliteIndexRows struct {
	unique bool
	origin string
	keys   []sqliteIndexKey
}

type sqliteIndexKey struct {
	cid  int
	name string // "" for an expression
	desc bool
	coll string
}

func (in *sqliteInspector) inspect(ctx context.Context, db Querier, opts Options) (*schema.Schema, error) {
	s := &schema.Schema{Dialect: schema.SQLite}

	var version string
	if err := queryRows(ctx, db, sqliteVersionQuery, func(r *sql.Rows) error { return r.Scan(&version) }); err != nil {
		return nil, fmt.Errorf("introspect: reading the SQLite version: %w", err)
	}
	s.ServerVersion = sqliteVersionNumber(version)

	type tableInfo struct {
		typ        string
		wr, strict bool
	}
	info := map[string]tableInfo{}
	err := queryRows(ctx, db, sqliteTableListQuery, func(r *sql.Rows) error {
		var name, typ string
		var wr, strict int
		if err := r.Scan(&name, &typ, &wr, &strict); err != nil {
			return err
		}
		info[name] = tableInfo{typ: typ, wr: wr != 0, strict: strict != 0}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("introspect: reading pragma_table_list: %w", err)
	}

	tables := map[string]*sqliteTableState{}
	var indexSQL = map[string]string{} // index name → CREATE INDEX text
	var order []*sqliteTableState
	err = queryRows(ctx, db, sqliteObjectsQuery, func(r *sql.Rows) error {
		var typ, name, tbl, text string
		if err := r.Scan(&typ, &name, &tbl, &text); err != nil {
			return err
		}
		switch typ {
		case "table":
			ti := info[name]
			if ti.typ == "shadow" {
				return nil // created and owned by a virtual table
			}
			ddl, err := parseCreateTable(text)
			if err != nil {
				return fmt.Errorf("table %s: %w", name, err)
			}
			t := &schema.Table{Name: name, SQL: text, WithoutRowID: ti.wr, Strict: ti.strict, Virtual: ddl.Virtual}
			st := &sqliteTableState{t: t, ddl: ddl, pk: map[int]string{},
				indexes: map[string]*sqliteIndexRows{}, fks: map[int]*schema.ForeignKey{}}
			tables[name] = st
			order = append(order, st)
		case "index":
			if text != "" {
				indexSQL[name] = text
			}
		case "view":
			v, err := parseCreateView(text)
			if err != nil {
				return fmt.Errorf("view %s: %w", name, err)
			}
			s.Views = append(s.Views, &schema.View{Name: name, Definition: v.Select, SQL: text})
		case "trigger":
			s.Triggers = append(s.Triggers, &schema.Trigger{Name: name, Table: tbl, Definition: text})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("introspect: reading sqlite_schema: %w", err)
	}

	err = queryRows(ctx, db, sqliteColumnsQuery, func(r *sql.Rows) error {
		var tbl, name, typ string
		var notNull, pk, hidden int
		var dflt sql.NullString
		if err := r.Scan(&tbl, &name, &typ, &notNull, &dflt, &pk, &hidden); err != nil {
			return err
		}
		st := tables[tbl]
		if st == nil {
			return nil
		}
		c := &schema.Column{Name: name, Type: typ, NotNull: notNull != 0, Default: dflt.String}
		if hidden == 2 || hidden == 3 {
			c.Generated = &schema.Generated{Stored: hidden == 3}
		}
		if pk > 0 {
			st.pk[pk] = name
		}
		st.t.Columns = append(st.t.Columns, c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("introspect: reading columns: %w", err)
	}

	err = queryRows(ctx, db, sqliteIndexesQuery, func(r *sql.Rows) error {
		var tbl, name, origin, coll string
		var unique, cid, desc int
		var col sql.NullString
		if err := r.Scan(&tbl, &name, &unique, &origin, &cid, &col, &desc, &coll); err != nil {
			return err
		}
		st := tables[tbl]
		if st == nil {
			return nil
		}
		ix := st.indexes[name]
		if ix == nil {
			ix = &sqliteIndexRows{unique: unique != 0, origin: origin}
			st.indexes[name] = ix
			st.indexOrder = append(st.indexOrder, name)
		}
		ix.keys = append(ix.keys, sqliteIndexKey{cid: cid, name: col.String, desc: desc != 0, coll: coll})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("introspect: reading indexes: %w", err)
	}

	err = queryRows(ctx, db, sqliteForeignKeysQuery, func(r *sql.Rows) error {
		var tbl, ref, from, onUpdate, onDelete string
		var id int
		var to sql.NullString
		if err := r.Scan(&tbl, &id, &ref, &from, &to, &onUpdate, &onDelete); err != nil {
			return err
		}
		st := tables[tbl]
		if st == nil {
			return nil
		}
		fk := st.fks[id]
		if fk == nil {
			fk = &schema.ForeignKey{RefTable: ref, OnUpdate: sqliteAction(onUpdate), OnDelete: sqliteAction(onDelete)}
			st.fks[id] = fk
			st.fkIDs = append(st.fkIDs, id)
		}
		fk.Columns = append(fk.Columns, from)
		if to.Valid {
			fk.RefColumns = append(fk.RefColumns, to.String)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("introspect: reading foreign keys: %w", err)
	}

	for _, st := range order {
		if err := st.build(indexSQL); err != nil {
			return nil, fmt.Errorf("introspect: table %s: %w", st.t.Name, err)
		}
		s.Tables = append(s.Tables, st.t)
	}
	if len(s.Views) > 0 {
		views := map[string]*schema.View{}
		for _, v := range s.Views {
			views[v.Name] = v
		}
		err = queryRows(ctx, db, sqliteViewColumnsQuery, func(r *sql.Rows) error {
			var view, name, typ string
			if err := r.Scan(&view, &name, &typ); err != nil {
				return err
			}
			if v := views[view]; v != nil {
				v.Columns = append(v.Columns, &schema.Column{Name: name, Type: typ})
			}
			return nil
		})
		if err != nil {
			if ctx.Err() != nil {
				return nil, fmt.Errorf("introspect: reading view columns: %w", err)
			}
			for _, v := range s.Views {
				v.Columns = nil // a view names a missing table: leave columns out
			}
		}
	}
	sqliteViewDependencies(s)
	return s, nil
}

// queryRows runs query and calls scan for each row.
func queryRows(ctx context.Context, db Querier, query string, scan func(*sql.Rows) error) error {
	rows, err := db.QueryContext(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// sqliteVersionNumber turns "3.45.1" into 3045001, as SQLITE_VERSION_NUMBER.
func sqliteVersionNumber(v string) int {
	n := 0
	parts := strings.SplitN(v, ".", 3)
	for i, mul := range []int{1000000, 1000, 1} {
		if i < len(parts) {
			x, _ := strconv.Atoi(parts[i])
			n += x * mul
		}
	}
	return n
}

// sqliteAction maps a pragma action to the model's, NO ACTION being "".
func sqliteAction(a string) string {
	if a == "NO ACTION" || a == "" {
		return ""
	}
	return a
}

// build completes the table model from the pragma rows and its parsed
// statement.
func (st *sqliteTableState) build(indexSQL map[string]string) error {
	t, ddl := st.t, st.ddl
	if t.Virtual {
		return nil
	}
	colDef := func(name string) *ddlColumn {
		for i := range ddl.Columns {
			if sqliteSameName(ddl.Columns[i].Name, name) {
				return &ddl.Columns[i]
			}
		}
		return nil
	}

	// Columns: what only the statement says.
	var textPK *ddlConstraint
	var textUniques []*ddlConstraint
	var textFKs []*ddlForeignKey
	var textFKNames []string
	for _, c := range t.Columns {
		def := colDef(c.Name)
		if def == nil {
			return fmt.Errorf("column %s is not in the stored CREATE TABLE statement", c.Name)
		}
		for i := range def.Constraints {
			k := &def.Constraints[i]
			switch k.Kind {
			case consCollate:
				c.Collation = k.Collation
			case consGenerated:
				if c.Generated != nil {
					c.Generated.Expr = k.Expr
				}
			case consNotNull:
				c.OnConflict = k.Conflict
			case consPrimaryKey:
				c.AutoIncrement = k.Autoincrement
				pk := *k
				pk.Columns = []ddlIndexedColumn{{Name: c.Name, Desc: k.Order == "DESC"}}
				textPK = &pk
			case consUnique:
				u := *k
				u.Columns = []ddlIndexedColumn{{Name: c.Name}}
				textUniques = append(textUniques, &u)
			case consCheck:
				t.Checks = append(t.Checks, &schema.Check{Name: k.Name, Expr: k.Expr})
			case consForeignKey:
				textFKs = append(textFKs, k.FK)
				textFKNames = append(textFKNames, k.Name)
			}
		}
	}
	for i := range ddl.Constraints {
		k := &ddl.Constraints[i]
		switch k.Kind {
		case consPrimaryKey:
			textPK = k
			if k.Autoincrement && len(k.Columns) == 1 {
				if c := t.Column(canonical(t, k.Columns[0].Name)); c != nil {
					c.AutoIncrement = true
				}
			}
		case consUnique:
			textUniques = append(textUniques, k)
		case consCheck:
			t.Checks = append(t.Checks, &schema.Check{Name: k.Name, Expr: k.Expr})
		case consForeignKey:
			textFKs = append(textFKs, k.FK)
			textFKNames = append(textFKNames, k.Name)
		}
	}

	// Primary key: members and order from the pragma, the rest from text.
	if len(st.pk) > 0 {
		pk := &schema.Key{}
		for i := 1; i <= len(st.pk); i++ {
			pk.Columns = append(pk.Columns, st.pk[i])
		}
		if textPK != nil {
			pk.Name = textPK.Name
			pk.OnConflict = textPK.Conflict
			pk.Parts = keyParts(t, pk.Columns, textPK.Columns, st.pkIndexKeys())
		}
		// A single INTEGER key of a rowid table aliases the rowid and has
		// no index of its own, unless the DESC quirk made it an ordinary
		// key (then SQLite built an automatic index for it).
		if len(pk.Columns) == 1 && !t.WithoutRowID && st.pkIndexKeys() != nil {
			if c := t.Column(pk.Columns[0]); c != nil && strings.EqualFold(c.Type, "INTEGER") {
				pk.NotRowIDAlias = true
			}
		}
		t.PrimaryKey = pk
	}

	// Unique constraints, in declaration order. SQLite builds an automatic
	// index for each UNIQUE, unless an earlier key has the same columns and
	// collations (then it builds none), so a UNIQUE is matched to an index
	// by its columns and their effective collations.
	var autoU []*sqliteIndexRows
	for _, name := range st.indexOrder {
		if ix := st.indexes[name]; ix.origin == "u" {
			autoU = append(autoU, ix)
		}
	}
	usedU := make([]bool, len(autoU))
	for _, u := range textUniques {
		matched := false
		for j, ix := range autoU {
			if !usedU[j] && indexMatches(t, u.Columns, ix.keys) {
				usedU[j] = true
				k := &schema.Key{Name: u.Name, OnConflict: u.Conflict}
				for _, key := range ix.keys {
					k.Columns = append(k.Columns, key.name)
				}
				k.Parts = keyParts(t, k.Columns, u.Columns, ix.keys)
				t.Uniques = append(t.Uniques, k)
				matched = true
				break
			}
		}
		if !matched && u.Conflict != "" {
			// A UNIQUE that repeats an earlier key lends that key its ON
			// CONFLICT clause when the key has none.
			for _, k := range append([]*schema.Key{t.PrimaryKey}, t.Uniques...) {
				if k != nil && k.OnConflict == "" && sameColumns(k.Columns, u.Columns) {
					k.OnConflict = u.Conflict
					break
				}
			}
		}
	}
	for j, ix := range autoU {
		if !usedU[j] { // not expected: every automatic index has its UNIQUE
			k := &schema.Key{}
			for _, key := range ix.keys {
				k.Columns = append(k.Columns, key.name)
			}
			k.Parts = keyParts(t, k.Columns, nil, ix.keys)
			t.Uniques = append(t.Uniques, k)
		}
	}

	// Explicit indexes.
	for _, name := range st.indexOrder {
		ix := st.indexes[name]
		switch ix.origin {
		case "pk", "u":
			continue
		default:
			src := indexSQL[name]
			def, err := parseCreateIndex(src)
			if err != nil {
				return fmt.Errorf("index %s: %w", name, err)
			}
			if len(def.Columns) != len(ix.keys) {
				return fmt.Errorf("index %s: %d key columns in its statement, %d in pragma_index_xinfo", name, len(def.Columns), len(ix.keys))
			}
			x := &schema.Index{Name: name, Unique: ix.unique, Where: def.Where, Definition: src}
			for i, key := range ix.keys {
				p := &schema.IndexPart{Desc: key.desc, Collation: def.Columns[i].Collation}
				switch {
				case key.cid >= 0:
					p.Column = key.name
				case def.Columns[i].Name != "":
					p.Column = def.Columns[i].Name // rowid
				default:
					p.Expr = def.Columns[i].Expr
				}
				x.Parts = append(x.Parts, p)
			}
			t.Indexes = append(t.Indexes, x)
		}
	}

	// Foreign keys: pragma ids count down from the last one declared.
	slices.Sort(st.fkIDs)
	n := len(st.fkIDs)
	for i, id := range st.fkIDs {
		fk := st.fks[id]
		j := n - 1 - i
		if len(textFKs) != n || !sameNames(fk.Columns, textFKs[j].Columns) {
			j = -1
			for k, tf := range textFKs {
				if tf != nil && sameNames(fk.Columns, tf.Columns) && sqliteSameName(fk.RefTable, tf.RefTable) {
					j = k
					break
				}
			}
		}
		if j >= 0 {
			tf := textFKs[j]
			fk.Name = textFKNames[j]
			if m := tf.Match; m != "" && m != "SIMPLE" {
				fk.Match = m
			}
			fk.Deferrable, fk.InitiallyDeferred = tf.Deferrable, tf.InitiallyDeferred
			textFKs[j] = nil
		}
	}
	for i := n - 1; i >= 0; i-- {
		t.ForeignKeys = append(t.ForeignKeys, st.fks[st.fkIDs[i]])
	}
	return nil
}

// pkIndexKeys returns the key columns of the primary key's automatic
// index, or nil when it has none (a rowid alias).
func (st *sqliteTableState) pkIndexKeys() []sqliteIndexKey {
	for _, name := range st.indexOrder {
		if ix := st.indexes[name]; ix.origin == "pk" {
			return ix.keys
		}
	}
	return nil
}

// canonical returns the table's spelling of a column name written in any
// case, or name itself.
func canonical(t *schema.Table, name string) string {
	for _, c := range t.Columns {
		if sqliteSameName(c.Name, name) {
			return c.Name
		}
	}
	return name
}

func sameNames(a, b []string) bool {
	return slices.EqualFunc(a, b, sqliteSameName)
}

func sameColumns(names []string, cols []ddlIndexedColumn) bool {
	if len(names) != len(cols) {
		return false
	}
	for i, c := range cols {
		if !sqliteSameName(names[i], c.Name) {
			return false
		}
	}
	return true
}

// indexMatches reports whether the constraint columns cols (as written)
// are the keys of an automatic index: same columns, same effective
// collations (written, else the column's, else BINARY).
func indexMatches(t *schema.Table, cols []ddlIndexedColumn, keys []sqliteIndexKey) bool {
	if len(cols) != len(keys) {
		return false
	}
	for i, c := range cols {
		if !sqliteSameName(c.Name, keys[i].name) {
			return false
		}
		coll := c.Collation
		if coll == "" {
			if col := t.Column(canonical(t, c.Name)); col != nil {
				coll = col.Collation
			}
		}
		if coll == "" {
			coll = "BINARY"
		}
		if !strings.EqualFold(coll, keys[i].coll) {
			return false
		}
	}
	return true
}

// keyParts returns the Parts of a key when a column has a direction or an
// explicit collation, nil otherwise. text is the constraint's column list as
// written (nil if unknown); keys are the pragma rows of its index (nil for a
// rowid primary key, which has no index).
func keyParts(t *schema.Table, columns []string, text []ddlIndexedColumn, keys []sqliteIndexKey) []*schema.IndexPart {
	parts := make([]*schema.IndexPart, len(columns))
	plain := true
	for i, c := range columns {
		p := &schema.IndexPart{Column: c}
		if len(text) == len(columns) {
			p.Collation = text[i].Collation
			p.Desc = text[i].Desc
		}
		if i < len(keys) {
			p.Desc = keys[i].desc // what SQLite built wins over what was written
		}
		if p.Desc || p.Collation != "" {
			plain = false
		}
		parts[i] = p
	}
	if plain {
		return nil
	}
	return parts
}

// sqliteViewDependencies fills View.DependsOn with the tables and views a
// view's query names, so renderers can create views in order. SQLite keeps
// no dependency catalogue; a name token that matches a table or view is
// taken as a reference (an alias or column spelled like another view can
// add a harmless extra edge).
func sqliteViewDependencies(s *schema.Schema) {
	kinds := map[string]string{}
	for _, t := range s.Tables {
		kinds[strings.ToLower(t.Name)] = schema.ObjectTable
	}
	for _, v := range s.Views {
		kinds[strings.ToLower(v.Name)] = schema.ObjectView
	}
	names := map[string]string{}
	for _, t := range s.Tables {
		names[strings.ToLower(t.Name)] = t.Name
	}
	for _, v := range s.Views {
		names[strings.ToLower(v.Name)] = v.Name
	}
	for _, v := range s.Views {
		refs := sqlNameRefs(v.Definition)
		var deps []string
		for r := range refs {
			if kinds[r] != "" && r != strings.ToLower(v.Name) {
				deps = append(deps, r)
			}
		}
		slices.Sort(deps)
		for _, d := range deps {
			v.DependsOn = append(v.DependsOn, &schema.ObjectRef{Kind: kinds[d], Name: names[d]})
		}
	}
}

// sqliteSameName compares identifiers as SQLite does: case folded for ASCII
// letters only ("É" and "é" are different names).
func sqliteSameName(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
