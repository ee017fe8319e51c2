package gomodel

import (
	"fmt"
	"go/ast"
	"go/token"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/migratehq/migrate/internal/sqlident"
	"github.com/migratehq/migrate/schema"
)

// tableModel is a struct being turned into a table.
type tableModel struct {
	decl        *typeDecl
	ref         schema.TableRef
	pos         token.Pos
	cols        []*colModel
	byName      map[string]*colModel
	byField     map[string]*colModel // Go field name (promoted too) -> column
	rels        []*relField
	renamedFrom string
	comment     string
	uniques     []*group
	indexes     []*group
	checks      []*schema.Check
	fks         []*fkModel
	t           *schema.Table
}

type colModel struct {
	c          *schema.Column
	pos        token.Pos
	field      string
	kind       string // "" when the type is explicit or an enum
	explicit   bool   // type= / gorm type given
	enum       *enumModel
	size       int
	precision  int
	scale      int
	pk         bool
	identity   string // "", "default", "always"
	autoInc    string // gorm: "", "true", "false"
	notNullTag bool
	renamed    string
}

type fkModel struct {
	pos              token.Pos
	name             string
	cols             []string
	table            string // as written
	refCols          []string
	onDelete, onUpda string
	raw              string // references= as written
}

// group is a unique constraint or an index being assembled.
type group struct {
	name   string
	unique bool
	method string
	where  string
	parts  []groupPart
	pos    token.Pos
}

type groupPart struct {
	priority int
	seq      int
	part     *schema.IndexPart
}

// relField is a struct or slice-of-struct field naming another model.
type relField struct {
	name   string
	pos    token.Pos
	target *typeDecl
	slice  bool
	items  []tagItem // gorm tag
	m2m    string    // many2many table
}

type enumModel struct {
	decl   *typeDecl
	name   string
	values []string
}

func (l *loader) build() *Model {
	m := &Model{
		TableRenames:  map[schema.TableRef]schema.TableRef{},
		ColumnRenames: map[schema.ColumnRef]string{},
		Positions:     map[schema.TableRef]Position{},
	}
	s := &schema.Schema{Dialect: l.opts.Dialect}
	m.Schema = s
	for _, p := range l.pkgs {
		for _, f := range p.files {
			m.Files = append(m.Files, f.name)
		}
	}
	defSchema := ""
	if l.opts.Dialect == schema.Postgres {
		defSchema = "public"
	}

	// Enums.
	enums := map[*typeDecl]*enumModel{}
	for _, p := range l.pkgs {
		for _, d := range p.order {
			for _, dir := range directives(d.doc) {
				if dir.name != "enum" {
					continue
				}
				u, ok := l.resolve(d.file, d.spec.Type)
				if !ok || u.qual != "string" || u.ptr {
					l.errorf(d.spec.Pos(), "//migrate:enum %s: the type must be a string type", d.name)
					continue
				}
				e := &enumModel{decl: d, name: dir.args}
				if e.name == "" {
					e.name = SnakeCase(d.name)
				}
				seen := map[string]bool{}
				for _, c := range p.consts[d.name] {
					if seen[c.value] {
						l.errorf(c.pos, "//migrate:enum %s: value %q declared twice", d.name, c.value)
					}
					seen[c.value] = true
					e.values = append(e.values, c.value)
				}
				if len(e.values) == 0 {
					l.errorf(d.spec.Pos(), "//migrate:enum %s: no constants of type %s declare its values", d.name, d.name)
					continue
				}
				enums[d] = e
				ep := l.fset.Position(d.spec.Pos())
				m.Positions[schema.TableRef{Schema: defSchema, Name: e.name}] = Position{File: ep.Filename, Line: ep.Line}
				if l.opts.Dialect == schema.Postgres {
					s.Enums = append(s.Enums, &schema.Enum{Schema: defSchema, Name: e.name, Values: e.values})
				}
			}
		}
	}

	// Tables.
	embedded, referenced := l.structUses()
	for _, p := range l.pkgs {
		for _, d := range p.order {
			if _, ok := d.spec.Type.(*ast.StructType); ok {
				continue
			}
			for _, dir := range directives(d.doc) {
				if dir.name == "table" || dir.name == "index" || dir.name == "check" {
					l.errorf(dir.pos.Pos(), "//migrate:%s on %s, which is not a struct", dir.name, d.name)
				}
			}
		}
	}
	var tables []*tableModel
	byDecl := map[*typeDecl]*tableModel{}
	byRef := map[schema.TableRef]*tableModel{}
	for _, p := range l.pkgs {
		for _, d := range p.order {
			st, ok := d.spec.Type.(*ast.StructType)
			if !ok {
				continue
			}
			tm := &tableModel{decl: d, pos: d.spec.Pos(), byName: map[string]*colModel{}, byField: map[string]*colModel{}}
			name := ""
			for _, dir := range directives(d.doc) {
				switch dir.name {
				case "table":
					if dir.args == "" || strings.ContainsAny(dir.args, " \t") {
						l.errorf(dir.pos.Pos(), "//migrate:table needs one table name")
						continue
					}
					name = dir.args
				case "renamed_from":
					tm.renamedFrom = dir.args
				case "comment":
					tm.comment = dir.args
				case "index", "check", "enum":
				default:
					l.errorf(dir.pos.Pos(), "unknown directive //migrate:%s", dir.name)
				}
			}
			if name == "" && d.tableName != "" {
				name = d.tableName
			}
			if name == "" && l.gorm && !embedded[d] && d.spec.Name.IsExported() && (referenced[d] || l.isGormModel(d, st)) {
				name = Plural(SnakeCase(d.name))
			}
			if name == "" {
				for _, dir := range directives(d.doc) {
					if dir.name == "index" || dir.name == "check" || dir.name == "renamed_from" {
						l.errorf(dir.pos.Pos(), "//migrate:%s on %s, which is not a table (add //migrate:table NAME)", dir.name, d.name)
					}
				}
				continue
			}
			tm.ref = schema.TableRef{Schema: defSchema, Name: name}
			if i := strings.IndexByte(name, '.'); i >= 0 {
				if l.opts.Dialect != schema.Postgres {
					l.errorf(tm.pos, "table %s: schema-qualified names are PostgreSQL only", name)
				}
				tm.ref = schema.TableRef{Schema: name[:i], Name: name[i+1:]}
			}
			if old, ok := byRef[tm.ref]; ok {
				op := l.fset.Position(old.pos)
				l.errorf(tm.pos, "struct %s: table %s is also the table of %s (%s:%d)", d.name, name, old.decl.name, op.Filename, op.Line)
				continue
			}
			byRef[tm.ref] = tm
			byDecl[d] = tm
			tables = append(tables, tm)
		}
	}

	// Columns.
	for _, tm := range tables {
		l.walk(tm, tm.decl, "", enums, byDecl, 0)
		if len(tm.cols) == 0 {
			l.errorf(tm.pos, "struct %s: table %s has no columns", tm.decl.name, tm.ref.Name)
		}
	}
	for _, tm := range tables {
		l.directives(tm)
	}
	if l.gorm {
		for _, tm := range tables {
			l.gormRelations(tm, byDecl)
		}
	}
	joins := l.many2many(tables, byDecl, byRef)
	tables = append(tables, joins...)
	for _, j := range joins {
		byRef[j.ref] = j
	}
	for _, tm := range tables {
		l.finish(tm, byRef)
		s.Tables = append(s.Tables, tm.t)
		p := l.fset.Position(tm.pos)
		m.Positions[tm.ref] = Position{File: p.Filename, Line: p.Line}
		if tm.renamedFrom != "" {
			old := schema.TableRef{Schema: tm.ref.Schema, Name: tm.renamedFrom}
			if i := strings.IndexByte(tm.renamedFrom, '.'); i >= 0 {
				old = schema.TableRef{Schema: tm.renamedFrom[:i], Name: tm.renamedFrom[i+1:]}
			}
			m.TableRenames[tm.ref] = old
		}
		for _, c := range tm.cols {
			if c.renamed != "" {
				m.ColumnRenames[schema.ColumnRef{Schema: tm.ref.Schema, Table: tm.ref.Name, Column: c.c.Name}] = c.renamed
			}
		}
	}
	if l.opts.Dialect == schema.Postgres {
		seen := map[string]bool{"public": true}
		for _, t := range s.Tables {
			if !seen[t.Schema] {
				seen[t.Schema] = true
				s.Schemas = append(s.Schemas, &schema.Namespace{Name: t.Schema})
			}
		}
	}
	return m
}

// structUses finds the structs embedded in others (never tables in GORM
// mode) and those a struct or slice field of another struct refers to
// (GORM models, as AutoMigrate follows relations).
func (l *loader) structUses() (embedded, referenced map[*typeDecl]bool) {
	embedded, referenced = map[*typeDecl]bool{}, map[*typeDecl]bool{}
	for _, p := range l.pkgs {
		for _, d := range p.order {
			st, ok := d.spec.Type.(*ast.StructType)
			if !ok {
				continue
			}
			for _, f := range st.Fields.List {
				t, ok := l.resolve(d.file, f.Type)
				if !ok {
					continue
				}
				tag := ""
				if f.Tag != nil {
					tag, _ = strconv.Unquote(f.Tag.Value)
				}
				gt := reflect.StructTag(tag).Get("gorm")
				up := strings.ToUpper(gt)
				if strings.Contains(up, "TYPE:") || strings.Contains(up, "SERIALIZER") || strings.Contains(reflect.StructTag(tag).Get("migrate"), "type=") {
					continue // a value stored in a column, not a relation
				}
				if len(f.Names) == 0 || strings.Contains(strings.ToUpper(gt), "EMBEDDED") {
					if t.decl != nil {
						embedded[t.decl] = true
					}
					continue
				}
				if t.elem != nil {
					t = *t.elem
				}
				if t.decl != nil && t.decl != d {
					if _, ok := t.decl.spec.Type.(*ast.StructType); ok && gt != "-" {
						referenced[t.decl] = true
					}
				}
			}
		}
	}
	return embedded, referenced
}

// ormBases are embedded markers of other ORMs that carry no columns.
var ormBases = map[string]bool{"github.com/uptrace/bun.BaseModel": true, "github.com/go-pg/pg/v10/orm.BaseModel": true}

// isGormModel: a struct embedding gorm.Model, with a gorm tag, or with an
// ID field.
func (l *loader) isGormModel(d *typeDecl, st *ast.StructType) bool {
	for _, f := range st.Fields.List {
		for _, n := range f.Names {
			if n.Name == "ID" {
				return true
			}
		}
		if f.Tag != nil {
			tag, _ := strconv.Unquote(f.Tag.Value)
			if _, ok := reflect.StructTag(tag).Lookup("gorm"); ok {
				return true
			}
		}
		if len(f.Names) == 0 {
			if t, ok := l.resolve(d.file, f.Type); ok && t.qual == "gorm.io/gorm.Model" {
				return true
			}
		}
	}
	return false
}

// walk adds the columns of struct d (promoting embedded structs) to tm.
func (l *loader) walk(tm *tableModel, d *typeDecl, prefix string, enums map[*typeDecl]*enumModel, byDecl map[*typeDecl]*tableModel, depth int) {
	if depth > 8 {
		l.errorf(d.spec.Pos(), "struct %s: embedding too deep (a cycle?)", d.name)
		return
	}
	st := d.spec.Type.(*ast.StructType)
	for _, fld := range st.Fields.List {
		tag := ""
		if fld.Tag != nil {
			tag, _ = strconv.Unquote(fld.Tag.Value)
		}
		stag := reflect.StructTag(tag)
		dbTag, migTag, gormTag := stag.Get("db"), stag.Get("migrate"), stag.Get("gorm")
		if dbTag == "-" || migTag == "-" {
			continue
		}
		var gitems []tagItem
		if l.gorm && gormTag != "" {
			var errs []string
			gitems, errs = parseGormTag(gormTag)
			for _, e := range errs {
				l.errorf(fld.Pos(), "field %s: %s", fieldLabel(fld), e)
			}
			if has(gitems, "-") {
				continue
			}
		}
		t, resolved := l.resolve(d.file, fld.Type)
		if len(fld.Names) == 0 {
			// Embedded: promote the fields.
			if resolved && t.qual == "gorm.io/gorm.Model" {
				l.gormModelColumns(tm, fld.Pos(), prefix)
				continue
			}
			if resolved && t.decl != nil {
				if _, ok := t.decl.spec.Type.(*ast.StructType); ok {
					p := prefix
					if v, ok := get(gitems, "EMBEDDEDPREFIX"); ok {
						p += v
					}
					l.walk(tm, t.decl, p, enums, byDecl, depth+1)
					continue
				}
			}
			if resolved && ormBases[t.qual] {
				continue // an ORM's marker, no columns
			}
			if !resolved || t.decl == nil && knownTypes[t.qual].kind == "" {
				l.errorf(fld.Pos(), "struct %s: cannot read embedded type %s (declared outside the models' module); declare it in a models package or add db:\"-\"", d.name, exprString(fld.Type))
				continue
			}
		}
		names := fld.Names
		if len(names) == 0 {
			names = []*ast.Ident{ast.NewIdent(typeName(fld.Type))}
		}
		for _, n := range names {
			if !n.IsExported() {
				continue
			}
			l.field(tm, d, n.Name, fld, t, resolved, dbTag, migTag, gitems, prefix, enums, byDecl, depth)
		}
	}
}

func typeName(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.StarExpr:
		return typeName(e.X)
	case *ast.SelectorExpr:
		return e.Sel.Name
	case *ast.Ident:
		return e.Name
	}
	return ""
}

func fieldLabel(f *ast.Field) string {
	if len(f.Names) > 0 {
		return f.Names[0].Name
	}
	return typeName(f.Type)
}

func has(items []tagItem, key string) bool {
	_, ok := get(items, key)
	return ok
}

func get(items []tagItem, key string) (string, bool) {
	for _, it := range items {
		if it.key == key {
			return it.value, true
		}
	}
	return "", false
}

// field adds one field: a column, or a relation.
func (l *loader) field(tm *tableModel, d *typeDecl, name string, fld *ast.Field, t goType, resolved bool, dbTag, migTag string, gitems []tagItem, prefix string, enums map[*typeDecl]*enumModel, byDecl map[*typeDecl]*tableModel, depth int) {
	pos := fld.Pos()
	errf := func(format string, args ...any) {
		l.errorf(pos, "field %s: %s", name, fmt.Sprintf(format, args...))
	}
	items, errs := parseMigrateTag(migTag)
	for _, e := range errs {
		errf("%s", e)
	}
	explicitType, hasType := get(items, "type")
	if v, ok := get(gitems, "TYPE"); ok && !hasType {
		explicitType, hasType = v, true
	}
	// Relations and embedded-by-tag structs.
	if resolved && !hasType {
		target := t.decl
		slice := false
		if t.elem != nil && t.elem.decl != nil {
			target, slice = t.elem.decl, true
		}
		if target != nil {
			if _, isStruct := target.spec.Type.(*ast.StructType); isStruct {
				if has(gitems, "EMBEDDED") && !slice {
					p := prefix
					if v, ok := get(gitems, "EMBEDDEDPREFIX"); ok {
						p += v
					}
					l.walk(tm, target, p, enums, byDecl, depth+1)
					return
				}
				if byDecl[target] != nil {
					rf := &relField{name: name, pos: pos, target: target, slice: slice, items: gitems}
					if v, ok := get(items, "many2many"); ok {
						rf.m2m = v
					}
					if v, ok := get(gitems, "MANY2MANY"); ok {
						rf.m2m = v
					}
					if rf.m2m != "" && !slice {
						errf("many2many needs a slice of models")
					}
					for _, it := range items {
						if it.key != "many2many" {
							errf("migrate tag key %q does not apply to a relation field (%s)", it.key, t.label)
						}
					}
					tm.rels = append(tm.rels, rf)
					return
				}
			}
		}
	}
	if _, ok := get(items, "many2many"); ok {
		errf("many2many applies to a slice of models, not to %s", t.label)
	}
	col := &colModel{c: &schema.Column{}, pos: pos, field: name}
	colName := strings.TrimSpace(strings.SplitN(dbTag, ",", 2)[0])
	if v, ok := get(gitems, "COLUMN"); ok && colName == "" {
		colName = v
	}
	if colName == "" {
		colName = prefix + SnakeCase(name)
	} else if prefix != "" {
		colName = prefix + colName
	}
	col.c.Name = colName
	nullable := false
	switch {
	case hasType:
		col.explicit = true
		col.c.Type = explicitType
		if resolved {
			if _, n, ok := l.kindOf(t); ok {
				nullable = n
			} else {
				nullable = t.ptr
			}
		}
	case resolved && t.decl != nil && enums[t.decl] != nil:
		col.enum = enums[t.decl]
		nullable = t.ptr
	default:
		if resolved {
			if k, n, ok := l.kindOf(t); ok {
				col.kind, nullable = k, n
				break
			}
			if arr := l.arrayType(t); arr != "" {
				col.c.Type, col.explicit = arr, true
				break
			}
		}
		errf("cannot map type %s; add migrate:\"type=...\"", t.label)
		return
	}
	col.c.NotNull = !nullable
	if l.gorm {
		// GORM's tags first, so that a migrate tag key wins.
		col.c.NotNull = false
		l.gormColumn(tm, col, gitems, errf)
	}
	for _, it := range items {
		switch it.key {
		case "pk":
			col.pk = true
		case "null":
			col.c.NotNull = false
		case "notnull":
			col.c.NotNull, col.notNullTag = true, true
		case "unique":
			if it.value == "" {
				tm.uniques = append(tm.uniques, &group{name: tm.ref.Name + "_" + colName + "_key", unique: true, pos: pos, parts: []groupPart{{part: &schema.IndexPart{Column: colName}}}})
			} else {
				l.addToGroup(&tm.uniques, it.value, true, pos, groupPart{seq: len(tm.cols), part: &schema.IndexPart{Column: colName}})
			}
		case "index":
			n := it.value
			if n == "" {
				n = "idx_" + tm.ref.Name + "_" + colName
			}
			l.addToGroup(&tm.indexes, n, false, pos, groupPart{seq: len(tm.cols), part: &schema.IndexPart{Column: colName}})
		case "default":
			col.c.Default = it.value
		case "references":
			table, refCols, ok := parseReference(it.value)
			if !ok {
				errf("references=%s: want table or table(column)", it.value)
				continue
			}
			fk := &fkModel{pos: pos, cols: []string{colName}, table: table, refCols: refCols, name: tm.ref.Name + "_" + colName + "_fkey", raw: it.value}
			if v, ok := get(items, "ondelete"); ok {
				if fk.onDelete, ok = refAction(v); !ok {
					errf("ondelete=%s: want cascade, restrict, set null, set default or no action", v)
				}
			}
			if v, ok := get(items, "onupdate"); ok {
				if fk.onUpda, ok = refAction(v); !ok {
					errf("onupdate=%s: want cascade, restrict, set null, set default or no action", v)
				}
			}
			tm.fks = append(tm.fks, fk)
		case "ondelete", "onupdate":
			if !has(items, "references") {
				errf("%s needs references=table(column)", it.key)
			}
		case "check":
			tm.checks = append(tm.checks, &schema.Check{Name: tm.ref.Name + "_" + colName + "_check", Expr: it.value})
		case "identity":
			switch strings.ToLower(it.value) {
			case "", "default", "by default":
				col.identity = "default"
			case "always":
				col.identity = "always"
			default:
				errf("identity=%s: want identity or identity=always", it.value)
			}
		case "comment":
			col.c.Comment = it.value
		case "renamed_from":
			col.renamed = it.value
		case "collate":
			col.c.Collation = it.value
		}
	}
	if col.identity != "" && col.kind != "" && !isInt(col.kind) {
		errf("identity needs an integer type, not %s", t.label)
	}
	if old := tm.byName[colName]; old != nil {
		errf("column %s of table %s is also field %s (%s)", colName, tm.ref.Name, old.field, l.fset.Position(old.pos))
		return
	}
	tm.cols = append(tm.cols, col)
	tm.byName[colName] = col
	if _, ok := tm.byField[name]; !ok {
		tm.byField[name] = col
	}
}

func (l *loader) addToGroup(gs *[]*group, name string, unique bool, pos token.Pos, p groupPart) *group {
	for _, g := range *gs {
		if g.name == name {
			g.parts = append(g.parts, p)
			if unique {
				g.unique = true
			}
			return g
		}
	}
	g := &group{name: name, unique: unique, pos: pos, parts: []groupPart{p}}
	*gs = append(*gs, g)
	return g
}

// directives applies the table-level //migrate:index and //migrate:check.
func (l *loader) directives(tm *tableModel) {
	nCheck := 0
	for _, dir := range directives(tm.decl.doc) {
		switch dir.name {
		case "index":
			d, err := parseIndexDirective(dir.args)
			if err != nil {
				l.errorf(dir.pos.Pos(), "%v", err)
				continue
			}
			g := &group{name: d.name, unique: d.unique, method: d.method, where: d.where, pos: dir.pos.Pos()}
			for i, p := range d.parts {
				ip := &schema.IndexPart{Expr: p}
				f := strings.Fields(p)
				if len(f) <= 2 && identRe.MatchString(f[0]) && tm.byName[f[0]] != nil {
					ip = &schema.IndexPart{Column: f[0]}
					if len(f) == 2 {
						switch strings.ToLower(f[1]) {
						case "desc":
							ip.Desc = true
						case "asc":
						default:
							ip = &schema.IndexPart{Expr: p}
						}
					}
				} else if len(f) == 1 && identRe.MatchString(f[0]) {
					l.errorf(dir.pos.Pos(), "//migrate:index %s: table %s has no column %s", d.name, tm.ref.Name, f[0])
				}
				g.parts = append(g.parts, groupPart{seq: i, part: ip})
			}
			tm.indexes = append(tm.indexes, g)
		case "check":
			name, expr, err := parseCheckDirective(dir.args)
			if err != nil {
				l.errorf(dir.pos.Pos(), "%v", err)
				continue
			}
			if name == "" {
				name = tm.ref.Name + "_check"
				if nCheck > 0 {
					name += strconv.Itoa(nCheck)
				}
				nCheck++
			}
			tm.checks = append(tm.checks, &schema.Check{Name: name, Expr: expr})
		}
	}
}

// finish builds the schema.Table: types, keys, references.
func (l *loader) finish(tm *tableModel, byRef map[schema.TableRef]*tableModel) {
	pg := l.opts.Dialect == schema.Postgres
	t := &schema.Table{Schema: tm.ref.Schema, Name: tm.ref.Name, Comment: tm.comment}
	tm.t = t
	if !pg {
		t.Comment = ""
	}
	var pk []string
	for _, c := range tm.cols {
		if c.pk {
			pk = append(pk, c.c.Name)
		}
	}
	if len(pk) == 0 {
		if c := tm.byName["id"]; c != nil && (tm.decl == nil || !l.gorm || c.field == "ID") {
			c.pk = true
			pk = []string{"id"}
		}
	}
	// GORM: the prioritized primary field (id, or the only key) of an
	// integer type is auto-incremented unless autoIncrement:false.
	if l.gorm && tm.decl != nil {
		var prio *colModel
		if c := tm.byName["id"]; c != nil && c.pk {
			prio = c
		} else if len(pk) == 1 {
			prio = tm.byName[pk[0]]
		}
		for _, c := range tm.cols {
			if c.autoInc == "true" || c == prio && c.autoInc == "" && isInt(c.kind) && !c.explicit {
				c.identity = "serial"
			}
		}
	}
	for _, c := range tm.cols {
		if c.pk && (pg || !l.gorm) {
			c.c.NotNull = true // (GORM leaves SQLite keys nullable, as SQLite allows)
		}
		switch {
		case c.enum != nil:
			if pg {
				c.c.Type = pgQuote(c.enum.name)
			} else {
				c.c.Type = "text"
				vals := make([]string, len(c.enum.values))
				for i, v := range c.enum.values {
					vals[i] = "'" + strings.ReplaceAll(v, "'", "''") + "'"
				}
				t.Checks = append(t.Checks, &schema.Check{Name: t.Name + "_" + c.c.Name + "_check", Expr: quoteIdent(c.c.Name, pg) + " IN (" + strings.Join(vals, ", ") + ")"})
			}
		case !c.explicit:
			c.c.Type = l.sqlType(c.kind, c.size, c.precision, c.scale)
		}
		if !pg {
			c.c.Comment = ""
		}
		switch {
		case pg && c.c.Collation != "" && !strings.HasPrefix(c.c.Collation, `"`):
			c.c.Collation = pgQuote(c.c.Collation)
		case !pg && (strings.EqualFold(c.c.Collation, "C") || strings.EqualFold(c.c.Collation, "POSIX")):
			c.c.Collation = "BINARY" // byte order, as PostgreSQL's "C"
		}
		switch c.identity {
		case "":
		case "serial":
			if pg {
				switch c.c.Type {
				case "smallint":
					c.c.Type = "smallserial"
				case "integer":
					c.c.Type = "serial"
				default:
					c.c.Type = "bigserial"
				}
			} else if len(pk) == 1 && pk[0] == c.c.Name {
				c.c.AutoIncrement = true
			}
		default:
			if pg {
				max := int64(9223372036854775807)
				switch c.c.Type {
				case "smallint":
					max = 32767
				case "integer":
					max = 2147483647
				}
				c.c.NotNull = true
				c.c.Identity = &schema.Identity{Always: c.identity == "always", SequenceOptions: schema.SequenceOptions{Start: 1, Increment: 1, Min: 1, Max: max, Cache: 1}}
			} else if len(pk) == 1 && pk[0] == c.c.Name {
				c.c.AutoIncrement = true
			} else {
				l.errorf(c.pos, "field %s: identity on SQLite needs the column to be the single-column primary key", c.field)
			}
		}
		if c.c.AutoIncrement && c.c.Type != "integer" {
			c.c.Type = "integer"
		}
		t.Columns = append(t.Columns, c.c)
	}
	if len(pk) > 0 {
		t.PrimaryKey = &schema.Key{Columns: pk}
		if pg {
			t.PrimaryKey.Name = t.Name + "_pkey"
		}
	}
	for _, g := range tm.uniques {
		k := &schema.Key{Name: g.name}
		for _, p := range g.sortedParts() {
			k.Columns = append(k.Columns, p.Column)
		}
		t.Uniques = append(t.Uniques, k)
	}
	t.Checks = append(t.Checks, tm.checks...)
	for _, g := range tm.indexes {
		ix := &schema.Index{Name: g.name, Unique: g.unique, Parts: g.sortedParts(), Where: g.where}
		if pg {
			ix.Method = g.method
			if ix.Method == "" {
				ix.Method = "btree"
			}
			ix.Definition = pgIndexDef(t, ix)
		} else if g.method != "" {
			l.errorf(g.pos, "index %s: using %s is PostgreSQL only", g.name, g.method)
		}
		t.Indexes = append(t.Indexes, ix)
	}
	for _, fk := range tm.fks {
		ref := schema.TableRef{Schema: tm.ref.Schema, Name: fk.table}
		if i := strings.IndexByte(fk.table, '.'); i >= 0 {
			ref = schema.TableRef{Schema: fk.table[:i], Name: fk.table[i+1:]}
		}
		target := byRef[ref]
		if fk.raw == "" {
			fk.raw = fk.table
		}
		if target == nil {
			l.errorf(fk.pos, "references %s: no model has table %s", fk.raw, fk.table)
			continue
		}
		refCols := fk.refCols
		if len(refCols) == 0 {
			refCols = target.pkColumns()
			if len(refCols) == 0 {
				l.errorf(fk.pos, "references %s: table %s has no primary key; name the column: references=%s(column)", fk.table, fk.table, fk.table)
				continue
			}
		}
		if len(refCols) != len(fk.cols) {
			l.errorf(fk.pos, "references %s: %d column(s) reference %d", fk.table, len(fk.cols), len(refCols))
			continue
		}
		bad := false
		for _, rc := range refCols {
			if target.byName[rc] == nil {
				l.errorf(fk.pos, "references %s(%s): table %s has no column %s", fk.table, rc, fk.table, rc)
				bad = true
			}
		}
		if bad {
			continue
		}
		t.ForeignKeys = append(t.ForeignKeys, &schema.ForeignKey{Name: fk.name, Columns: fk.cols, RefSchema: ref.Schema, RefTable: ref.Name, RefColumns: refCols, OnDelete: fk.onDelete, OnUpdate: fk.onUpda})
	}
}

func (tm *tableModel) pkColumns() []string {
	var out []string
	for _, c := range tm.cols {
		if c.pk {
			out = append(out, c.c.Name)
		}
	}
	if len(out) == 0 && tm.byName["id"] != nil {
		out = []string{"id"}
	}
	return out
}

func (g *group) sortedParts() []*schema.IndexPart {
	ps := append([]groupPart(nil), g.parts...)
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].priority < ps[j].priority })
	out := make([]*schema.IndexPart, len(ps))
	for i, p := range ps {
		out[i] = p.part
	}
	return out
}

// pgIndexDef is the CREATE INDEX statement of ix on t.
func pgIndexDef(t *schema.Table, ix *schema.Index) string {
	var b strings.Builder
	b.WriteString("CREATE ")
	if ix.Unique {
		b.WriteString("UNIQUE ")
	}
	fmt.Fprintf(&b, "INDEX %s ON %s.%s USING %s (", pgQuote(ix.Name), pgQuote(t.Schema), pgQuote(t.Name), ix.Method)
	for i, p := range ix.Parts {
		if i > 0 {
			b.WriteString(", ")
		}
		if p.Column != "" {
			b.WriteString(pgQuote(p.Column))
		} else {
			b.WriteString("(" + p.Expr + ")")
		}
		if p.Desc {
			b.WriteString(" DESC")
		}
	}
	b.WriteString(")")
	if ix.Where != "" {
		b.WriteString(" WHERE (" + ix.Where + ")")
	}
	return b.String()
}

func quoteIdent(s string, pg bool) string {
	if pg {
		return pgQuote(s)
	}
	if identRe.MatchString(s) {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// pgQuote quotes a PostgreSQL identifier when it needs quoting; see
// sqlident.QuotePostgres.
func pgQuote(s string) string { return sqlident.QuotePostgres(s) }
