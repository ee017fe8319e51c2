package gomodel

import (
	"fmt"
	"go/token"
	"regexp"
	"strconv"
	"strings"

	"github.com/migratehq/migrate/schema"
)

// gormModelColumns adds the fields of an embedded gorm.Model: ID (the
// primary key), CreatedAt, UpdatedAt and DeletedAt (indexed).
func (l *loader) gormModelColumns(tm *tableModel, pos token.Pos, prefix string) {
	add := func(field, kind string, nullable bool) *colModel {
		c := &colModel{c: &schema.Column{Name: prefix + SnakeCase(field), NotNull: !nullable && !l.gorm}, pos: pos, field: field, kind: kind}
		if old := tm.byName[c.c.Name]; old != nil {
			l.errorf(pos, "gorm.Model: column %s of table %s is also field %s", c.c.Name, tm.ref.Name, old.field)
			return c
		}
		tm.cols = append(tm.cols, c)
		tm.byName[c.c.Name] = c
		tm.byField[field] = c
		return c
	}
	add("ID", kUint64, false).pk = true
	add("CreatedAt", kTime, false)
	add("UpdatedAt", kTime, false)
	d := add("DeletedAt", kTime, true)
	l.addToGroup(&tm.indexes, gormName("idx", tm.ref.Name, "deleted_at"), false, pos, groupPart{priority: 10, part: &schema.IndexPart{Column: d.c.Name}})
}

var regEnLetterAndMidline = regexp.MustCompile(`^[A-Za-z-_]+$`)

// gormColumn applies a field's gorm tag to its column.
func (l *loader) gormColumn(tm *tableModel, col *colModel, items []tagItem, errf func(string, ...any)) {
	num := func(key, v string) int {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			errf("gorm tag %s:%s: want a number", key, v)
		}
		return n
	}
	for _, it := range items {
		switch it.key {
		case "PRIMARYKEY", "PRIMARY_KEY":
			col.pk = true
		case "NOT NULL", "NOTNULL":
			col.c.NotNull = true
		case "SIZE":
			col.size = num(it.key, it.value)
		case "PRECISION":
			col.precision = num(it.key, it.value)
		case "SCALE":
			col.scale = num(it.key, it.value)
		case "AUTOINCREMENT":
			if strings.EqualFold(it.value, "false") {
				col.autoInc = "false"
			} else {
				col.autoInc = "true"
			}
		case "DEFAULT":
			col.c.Default = gormDefault(it.value, col.kind)
			if l.opts.Dialect == schema.SQLite && strings.HasPrefix(col.c.Default, "'") {
				// GORM's SQLite driver quotes string defaults with "…",
				// which SQLite reads as a string there.
				col.c.Default = `"` + strings.ReplaceAll(strings.ReplaceAll(col.c.Default[1:len(col.c.Default)-1], "''", "'"), `"`, `""`) + `"`
			}
		case "COMMENT":
			col.c.Comment = it.value
		case "UNIQUE":
			tm.uniques = append(tm.uniques, &group{name: gormName("uni", tm.ref.Name, col.c.Name), unique: true, pos: col.pos, parts: []groupPart{{part: &schema.IndexPart{Column: col.c.Name}}}})
		case "INDEX", "UNIQUEINDEX":
			tag := it.value
			name, rest := tag, ""
			if i := strings.IndexByte(tag, ','); i >= 0 {
				name, rest = tag[:i], tag[i+1:]
			}
			if name == "" {
				name = gormName("idx", tm.ref.Name, SnakeCase(col.field))
			}
			unique := it.key == "UNIQUEINDEX"
			part := &schema.IndexPart{Column: col.c.Name}
			prio := 10
			var method, where string
			for _, s := range gormSettings(rest) {
				switch s.key {
				case "UNIQUE":
					unique = true
				case "CLASS":
					unique = unique || strings.EqualFold(s.value, "UNIQUE")
				case "SORT":
					part.Desc = strings.EqualFold(s.value, "desc")
				case "PRIORITY":
					prio = num("priority", s.value)
				case "TYPE":
					method = strings.ToLower(s.value)
				case "WHERE":
					where = s.value
				case "EXPRESSION":
					part = &schema.IndexPart{Expr: s.value}
				case "COLLATE":
					part.Collation = s.value
				}
			}
			g := l.addToGroup(&tm.indexes, name, unique, col.pos, groupPart{priority: prio, seq: len(tm.cols), part: part})
			if method != "" {
				g.method = method
			}
			if where != "" {
				g.where = where
			}
		case "CHECK":
			names := strings.Split(it.value, ",")
			if len(names) > 1 && regEnLetterAndMidline.MatchString(names[0]) {
				tm.checks = append(tm.checks, &schema.Check{Name: names[0], Expr: strings.Join(names[1:], ",")})
			} else {
				expr := it.value
				if names[0] == "" {
					expr = strings.Join(names[1:], ",")
				}
				tm.checks = append(tm.checks, &schema.Check{Name: gormName("chk", tm.ref.Name, col.c.Name), Expr: expr})
			}
		}
	}
}

// gormDefault is a default as GORM writes it: strings (other than
// function calls and null) become literals.
func gormDefault(v, kind string) string {
	if strings.Contains(v, "(") && strings.Contains(v, ")") || strings.EqualFold(v, "null") {
		return v
	}
	if kind == kString {
		v = strings.Trim(strings.Trim(v, "'"), `"`)
		return "'" + strings.ReplaceAll(v, "'", "''") + "'"
	}
	return v
}

// gormType is GORM's type for a kind (postgres and sqlite drivers), or
// "" for kinds GORM does not map by itself.
func (l *loader) gormType(k string, size, precision, scale int) string {
	if l.opts.Dialect == schema.SQLite {
		switch k {
		case kBool:
			return "numeric"
		case kInt8, kInt16, kInt32, kInt64, kUint8, kUint16, kUint32, kUint64:
			return "integer"
		case kFloat32, kFloat64:
			return "real"
		case kString:
			return "text"
		case kTime:
			return "datetime"
		case kBytes:
			return "blob"
		}
		return ""
	}
	bits := map[string]int{kInt8: 8, kInt16: 16, kInt32: 32, kInt64: 64, kUint8: 9, kUint16: 17, kUint32: 33, kUint64: 65}
	switch k {
	case kBool:
		return "boolean"
	case kInt8, kInt16, kInt32, kInt64, kUint8, kUint16, kUint32, kUint64:
		n := bits[k]
		if size > 0 {
			n = size
			if strings.HasPrefix(k, "uint") {
				n++
			}
		}
		switch {
		case n <= 16:
			return "smallint"
		case n <= 32:
			return "integer"
		}
		return "bigint"
	case kFloat32, kFloat64:
		if precision > 0 {
			if scale > 0 {
				return fmt.Sprintf("numeric(%d, %d)", precision, scale)
			}
			return fmt.Sprintf("numeric(%d)", precision)
		}
		return "decimal"
	case kString:
		if size > 0 && size <= 10485760 {
			return fmt.Sprintf("varchar(%d)", size)
		}
		return "text"
	case kTime:
		if precision > 0 {
			return fmt.Sprintf("timestamptz(%d)", precision)
		}
		return "timestamptz"
	case kBytes:
		return "bytea"
	}
	return ""
}

// constraintOf reads a relation's constraint tag: name, on delete, on
// update; skip when it is "-".
func constraintOf(items []tagItem) (name, onDelete, onUpdate string, skip bool) {
	str, _ := get(items, "CONSTRAINT")
	if str == "-" {
		return "", "", "", true
	}
	if i := strings.IndexByte(str, ','); i != -1 && regEnLetterAndMidline.MatchString(str[:i]) {
		name = str[:i]
	}
	for _, s := range gormSettings(str) {
		switch s.key {
		case "ONDELETE":
			onDelete, _ = refAction(s.value)
		case "ONUPDATE":
			onUpdate, _ = refAction(s.value)
		}
	}
	return name, onDelete, onUpdate, false
}

// pkFields are the Go field names of a table's primary key.
func (tm *tableModel) pkFields() []string {
	var out []string
	for _, c := range tm.cols {
		if c.pk {
			out = append(out, c.field)
		}
	}
	if len(out) == 0 {
		if c := tm.byField["ID"]; c != nil {
			out = []string{"ID"}
		}
	}
	return out
}

// gormRelations adds the foreign keys GORM derives from belongs-to,
// has-one and has-many fields of tm.
func (l *loader) gormRelations(tm *tableModel, byDecl map[*typeDecl]*tableModel) {
	for _, rel := range tm.rels {
		if rel.m2m != "" {
			continue
		}
		target := byDecl[rel.target]
		cname, onDelete, onUpdate, skip := constraintOf(rel.items)
		fkTag, _ := get(rel.items, "FOREIGNKEY")
		refTag, _ := get(rel.items, "REFERENCES")
		split := func(s string) []string {
			var out []string
			for _, f := range strings.Split(s, ",") {
				if f = strings.TrimSpace(f); f != "" {
					out = append(out, f)
				}
			}
			return out
		}
		// belongs to: the key is in tm, naming target's primary key.
		if !rel.slice {
			refFields := split(refTag)
			if len(refFields) == 0 {
				refFields = target.pkFields()
			}
			fkFields := split(fkTag)
			if len(fkFields) == 0 {
				for _, r := range refFields {
					fkFields = append(fkFields, rel.name+r)
				}
			}
			if cols, ok := columnsOf(tm, fkFields); ok && len(refFields) > 0 {
				refCols, ok := columnsOf(target, refFields)
				if !ok {
					l.errorf(rel.pos, "field %s: references: %s has no field %s", rel.name, rel.target.name, strings.Join(refFields, ", "))
					continue
				}
				if skip || l.hasBackRelation(target, tm, cols) {
					continue
				}
				if cname == "" {
					cname = gormName("fk", tm.ref.Name, SnakeCase(rel.name))
				}
				tm.fks = append(tm.fks, &fkModel{pos: rel.pos, name: cname, cols: cols, table: qualified(target.ref), refCols: refCols, onDelete: onDelete, onUpda: onUpdate})
				continue
			}
		}
		// has one / has many: the key is in target, naming tm's key.
		refFields := split(refTag)
		if len(refFields) == 0 {
			refFields = tm.pkFields()
		}
		fkFields := split(fkTag)
		if len(fkFields) == 0 {
			for _, r := range refFields {
				fkFields = append(fkFields, tm.decl.name+r)
			}
		}
		cols, ok := columnsOf(target, fkFields)
		if !ok || len(refFields) == 0 {
			l.errorf(rel.pos, "field %s: no foreign key for the relation to %s: add %s to %s (or %sID to %s), or gorm:\"foreignKey:...\"", rel.name, rel.target.name, strings.Join(fkFields, ", "), rel.target.name, rel.name, tm.decl.name)
			continue
		}
		refCols, ok := columnsOf(tm, refFields)
		if !ok {
			l.errorf(rel.pos, "field %s: references: %s has no field %s", rel.name, tm.decl.name, strings.Join(refFields, ", "))
			continue
		}
		if skip {
			continue
		}
		if cname == "" {
			cname = gormName("fk", tm.ref.Name, SnakeCase(rel.name))
		}
		target.fks = append(target.fks, &fkModel{pos: rel.pos, name: cname, cols: cols, table: qualified(tm.ref), refCols: refCols, onDelete: onDelete, onUpda: onUpdate})
	}
}

// hasBackRelation: target has a has-one/has-many field back to owner on
// the same key, which creates the constraint instead (as GORM does).
func (l *loader) hasBackRelation(target, owner *tableModel, cols []string) bool {
	for _, r := range target.rels {
		if r.target != owner.decl || r.m2m != "" {
			continue
		}
		fkTag, _ := get(r.items, "FOREIGNKEY")
		var fields []string
		if fkTag != "" {
			fields = strings.Split(fkTag, ",")
		} else {
			for _, f := range target.pkFields() {
				fields = append(fields, target.decl.name+f)
			}
		}
		if got, ok := columnsOf(owner, fields); ok && strings.Join(got, ",") == strings.Join(cols, ",") {
			return true
		}
	}
	return false
}

func columnsOf(tm *tableModel, fields []string) ([]string, bool) {
	if len(fields) == 0 {
		return nil, false
	}
	var out []string
	for _, f := range fields {
		c := tm.byField[strings.TrimSpace(f)]
		if c == nil {
			return nil, false
		}
		out = append(out, c.c.Name)
	}
	return out, true
}

func qualified(r schema.TableRef) string {
	if r.Schema == "" || r.Schema == "public" {
		return r.Name
	}
	return r.Schema + "." + r.Name
}

// many2many makes the association tables of many2many slice fields that
// no struct declares.
func (l *loader) many2many(tables []*tableModel, byDecl map[*typeDecl]*tableModel, byRef map[schema.TableRef]*tableModel) []*tableModel {
	var out []*tableModel
	made := map[schema.TableRef]bool{}
	for _, tm := range tables {
		for _, rel := range tm.rels {
			if rel.m2m == "" || !rel.slice {
				continue
			}
			target := byDecl[rel.target]
			name := rel.m2m
			if l.gorm && strings.ToLower(name) != name {
				name = Plural(SnakeCase(name))
			}
			ref := schema.TableRef{Schema: tm.ref.Schema, Name: name}
			if byRef[ref] != nil || made[ref] {
				continue // declared as a struct, or by the other side
			}
			made[ref] = true
			j := &tableModel{ref: ref, pos: rel.pos, byName: map[string]*colModel{}, byField: map[string]*colModel{}}
			ownPK, tgtPK := tm.pkFields(), target.pkFields()
			if len(ownPK) == 0 || len(tgtPK) == 0 {
				l.errorf(rel.pos, "field %s: many2many needs primary keys on %s and %s", rel.name, tm.decl.name, rel.target.name)
				continue
			}
			cname, onDelete, onUpdate, skip := constraintOf(rel.items)
			if !l.gorm {
				onDelete = schema.Cascade
			}
			side := func(owner *tableModel, fields []string, prefix, relName string) {
				var cols, refCols []string
				for _, f := range fields {
					src := owner.byField[f]
					n := SnakeCase(prefix + f)
					if j.byName[n] != nil {
						n = SnakeCase(strings.TrimSuffix(rel.name, "s") + f)
					}
					c := &colModel{c: &schema.Column{Name: n, NotNull: !l.gorm, Type: src.c.Type, Collation: src.c.Collation}, pos: rel.pos, field: prefix + f, kind: src.kind, explicit: src.explicit, enum: src.enum, size: src.size, precision: src.precision, scale: src.scale, pk: true}
					j.cols = append(j.cols, c)
					j.byName[n] = c
					j.byField[c.field] = c
					cols = append(cols, n)
					refCols = append(refCols, src.c.Name)
				}
				if skip {
					return
				}
				fkName := cname
				switch {
				case !l.gorm:
					fkName = j.ref.Name + "_" + cols[0] + "_fkey"
				case fkName == "":
					fkName = gormName("fk", j.ref.Name, SnakeCase(relName))
				}
				j.fks = append(j.fks, &fkModel{pos: rel.pos, name: fkName, cols: cols, table: qualified(owner.ref), refCols: refCols, onDelete: onDelete, onUpda: onUpdate})
			}
			relRef := rel.target.name
			if relRef == tm.decl.name {
				relRef = rel.name
			}
			side(tm, ownPK, tm.decl.name, tm.decl.name)
			side(target, tgtPK, rel.target.name, relRef)
			out = append(out, j)
		}
	}
	return out
}
