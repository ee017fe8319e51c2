package gomodel

import (
	"go/ast"
	"go/types"
	"strings"

	"github.com/migratehq/migrate/schema"
)

// goType is a field's type as written, resolved to where it is declared.
type goType struct {
	ptr   bool
	elem  *goType   // element of a slice (other than []byte)
	qual  string    // builtin ("int", "[]byte") or "import/path.Name"
	decl  *typeDecl // a type declared in a loaded package
	label string    // as written, for messages
}

// resolve resolves a type expression of file f.
func (l *loader) resolve(f *file, e ast.Expr) (goType, bool) {
	t := goType{label: types.ExprString(e)}
	switch e := e.(type) {
	case *ast.StarExpr:
		in, ok := l.resolve(f, e.X)
		if !ok {
			return t, false
		}
		in.ptr, in.label = true, t.label
		return in, true
	case *ast.ArrayType:
		if e.Len != nil {
			return t, false
		}
		if id, ok := e.Elt.(*ast.Ident); ok && (id.Name == "byte" || id.Name == "uint8") {
			t.qual = "[]byte"
			return t, true
		}
		in, ok := l.resolve(f, e.Elt)
		if !ok {
			return t, false
		}
		t.elem = &in
		return t, true
	case *ast.Ident:
		if d := f.pkg.types[e.Name]; d != nil {
			t.decl = d
			return t, true
		}
		if types.Universe.Lookup(e.Name) != nil {
			t.qual = e.Name
			return t, true
		}
		return t, false
	case *ast.SelectorExpr:
		x, ok := e.X.(*ast.Ident)
		if !ok {
			return t, false
		}
		path, ok := f.imports[x.Name]
		if !ok {
			return t, false
		}
		if p := l.dependency(path); p != nil {
			if d := p.types[e.Sel.Name]; d != nil {
				t.decl = d
				return t, true
			}
		}
		t.qual = path + "." + e.Sel.Name
		return t, true
	case *ast.ParenExpr:
		return l.resolve(f, e.X)
	}
	return t, false
}

// kinds of column types, mapped per dialect by sqlType.
const (
	kInt8      = "int8"
	kInt16     = "int16"
	kInt32     = "int32"
	kInt64     = "int64"
	kUint8     = "uint8"
	kUint16    = "uint16"
	kUint32    = "uint32"
	kUint64    = "uint64"
	kString    = "string"
	kBool      = "bool"
	kFloat32   = "float32"
	kFloat64   = "float64"
	kTime      = "time" // with time zone
	kTimestamp = "timestamp"
	kDate      = "date"
	kTimeOfDay = "timeofday"
	kInterval  = "interval"
	kBytes     = "bytes"
	kUUID      = "uuid"
	kJSON      = "json"
	kDecimal   = "decimal"
)

type known struct {
	kind     string
	nullable bool
}

// knownTypes maps builtin and imported types to a kind.
var knownTypes = func() map[string]known {
	m := map[string]known{
		"int": {kInt64, false}, "int8": {kInt8, false}, "int16": {kInt16, false}, "int32": {kInt32, false},
		"rune": {kInt32, false}, "int64": {kInt64, false},
		"uint": {kUint64, false}, "uint8": {kUint8, false}, "byte": {kUint8, false}, "uint16": {kUint16, false},
		"uint32": {kUint32, false}, "uint64": {kUint64, false},
		"string": {kString, false}, "bool": {kBool, false},
		"float32": {kFloat32, false}, "float64": {kFloat64, false},
		"[]byte": {kBytes, false},

		"time.Time":                {kTime, false},
		"time.Duration":            {kInt64, false},
		"encoding/json.RawMessage": {kJSON, false},

		"database/sql.NullString":  {kString, true},
		"database/sql.NullInt64":   {kInt64, true},
		"database/sql.NullInt32":   {kInt32, true},
		"database/sql.NullInt16":   {kInt16, true},
		"database/sql.NullByte":    {kUint8, true},
		"database/sql.NullFloat64": {kFloat64, true},
		"database/sql.NullBool":    {kBool, true},
		"database/sql.NullTime":    {kTime, true},

		"github.com/shopspring/decimal.Decimal":     {kDecimal, false},
		"github.com/shopspring/decimal.NullDecimal": {kDecimal, true},
		"github.com/cockroachdb/apd.Decimal":        {kDecimal, false},
		"github.com/cockroachdb/apd/v2.Decimal":     {kDecimal, false},
		"github.com/cockroachdb/apd/v3.Decimal":     {kDecimal, false},
		"github.com/ericlagergren/decimal.Big":      {kDecimal, false},
		"github.com/govalues/decimal.Decimal":       {kDecimal, false},

		"gorm.io/gorm.DeletedAt":        {kTime, true},
		"gorm.io/datatypes.JSON":        {kJSON, false},
		"gorm.io/datatypes.Date":        {kDate, false},
		"gorm.io/datatypes.Time":        {kTimeOfDay, false},
		"github.com/lib/pq.NullTime":    {kTime, true},
		"github.com/guregu/null.String": {kString, true},
	}
	for _, p := range []string{"github.com/google/uuid", "github.com/gofrs/uuid", "github.com/gofrs/uuid/v5", "github.com/satori/go.uuid"} {
		m[p+".UUID"] = known{kUUID, false}
		m[p+".NullUUID"] = known{kUUID, true}
	}
	for _, p := range []string{"github.com/jackc/pgx/v5/pgtype", "github.com/jackc/pgx/v4/pgtype", "github.com/jackc/pgtype"} {
		for name, k := range map[string]string{
			"Text": kString, "Varchar": kString, "Int2": kInt16, "Int4": kInt32, "Int8": kInt64,
			"Float4": kFloat32, "Float8": kFloat64, "Bool": kBool, "Timestamptz": kTime,
			"Timestamp": kTimestamp, "Date": kDate, "Time": kTimeOfDay, "Interval": kInterval,
			"UUID": kUUID, "Numeric": kDecimal, "JSON": kJSON, "JSONB": kJSON, "Bytea": kBytes,
		} {
			m[p+"."+name] = known{k, true}
		}
	}
	return m
}()

// kindOf returns the kind of t, following types declared in the loaded
// packages to their underlying type.
func (l *loader) kindOf(t goType) (kind string, nullable, ok bool) {
	for depth := 0; depth < 10; depth++ {
		if t.elem != nil {
			return "", false, false
		}
		if t.decl == nil {
			k, ok := knownTypes[t.qual]
			return k.kind, k.nullable || t.ptr, ok
		}
		u, ok := l.resolve(t.decl.file, t.decl.spec.Type)
		if !ok {
			return "", false, false
		}
		u.ptr = u.ptr || t.ptr
		t = u
	}
	return "", false, false
}

// sqlType is the column type of kind k for the loader's dialect and mode.
// size is GORM's size (0: unset); autoInc asks for a serial type.
func (l *loader) sqlType(k string, size int, precision, scale int) string {
	pg := l.opts.Dialect == schema.Postgres
	if l.gorm {
		if t := l.gormType(k, size, precision, scale); t != "" {
			return t
		}
	}
	if !pg {
		switch k {
		case kInt8, kInt16, kInt32, kInt64, kUint8, kUint16, kUint32, kUint64:
			return "integer"
		case kString, kUUID, kJSON, kInterval, kTimeOfDay:
			return "text"
		case kBool:
			return "boolean"
		case kFloat32, kFloat64:
			return "real"
		case kTime, kTimestamp:
			return "datetime"
		case kDate:
			return "date"
		case kBytes:
			return "blob"
		case kDecimal:
			return "numeric"
		}
		return ""
	}
	switch k {
	case kInt8, kInt16, kUint8:
		return "smallint"
	case kInt32, kUint16:
		return "integer"
	case kInt64, kUint32, kUint64:
		return "bigint"
	case kString:
		return "text"
	case kBool:
		return "boolean"
	case kFloat32:
		return "real"
	case kFloat64:
		return "double precision"
	case kTime:
		return "timestamp with time zone"
	case kTimestamp:
		return "timestamp without time zone"
	case kDate:
		return "date"
	case kTimeOfDay:
		return "time without time zone"
	case kInterval:
		return "interval"
	case kBytes:
		return "bytea"
	case kUUID:
		return "uuid"
	case kJSON:
		return "jsonb"
	case kDecimal:
		return "numeric"
	}
	return ""
}

// arrayType maps a slice of a base kind to a PostgreSQL array.
func (l *loader) arrayType(t goType) string {
	if l.opts.Dialect != schema.Postgres || t.elem == nil || t.elem.ptr {
		return ""
	}
	k, _, ok := l.kindOf(*t.elem)
	if !ok || k == kBytes {
		return ""
	}
	if s := l.sqlType(k, 0, 0, 0); s != "" {
		return s + "[]"
	}
	return ""
}

func isInt(k string) bool {
	return strings.HasPrefix(k, "int") || strings.HasPrefix(k, "uint")
}

func exprString(e ast.Expr) string { return types.ExprString(e) }
