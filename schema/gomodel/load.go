package gomodel

import (
	"bufio"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/migratehq/migrate/schema"
)

// Tag modes for [Options.Tags].
const (
	TagsAuto    = ""        // GORM mode when a package imports gorm.io/gorm
	TagsMigrate = "migrate" // db and migrate tags only
	TagsGORM    = "gorm"    // gorm tags and GORM's naming
)

// Options tune [Load].
type Options struct {
	// Dialect is schema.Postgres or schema.SQLite.
	Dialect string
	// Tags is one of the Tags constants ([models] tags).
	Tags string
}

// Model is what Load returns: the schema and the rename hints of the
// models (renamed_from), new name -> old name.
type Model struct {
	Schema        *schema.Schema
	TableRenames  map[schema.TableRef]schema.TableRef
	ColumnRenames map[schema.ColumnRef]string
	// Files are the Go files read, for messages.
	Files []string
	// Positions are where each table is declared (an association table
	// made for a many2many field: that field).
	Positions map[schema.TableRef]Position
}

// Position is a place in a Go file.
type Position struct {
	File string
	Line int
}

// Load reads the Go packages in dirs and returns their model for
// opts.Dialect. Every problem found is reported at once, as an
// [ErrorList] of file:line: messages.
func Load(dirs []string, opts Options) (*Model, error) {
	switch opts.Dialect {
	case schema.Postgres, schema.SQLite:
	default:
		return nil, fmt.Errorf("gomodel: unknown dialect %q", opts.Dialect)
	}
	switch opts.Tags {
	case TagsAuto, TagsMigrate, TagsGORM:
	default:
		return nil, fmt.Errorf("gomodel: [models] tags: unknown value %q (want \"migrate\" or \"gorm\")", opts.Tags)
	}
	l := &loader{opts: opts, fset: token.NewFileSet(), byPath: map[string]*pkg{}, modules: map[string]string{}, tried: map[string]bool{}}
	for _, d := range dirs {
		l.parseDir(d)
	}
	if l.parseFailed {
		return nil, l.errs.sorted()
	}
	m := l.build()
	if len(l.errs) > 0 {
		return nil, l.errs.sorted()
	}
	return m, nil
}

// loader is one run of Load.
type loader struct {
	opts   Options
	fset   *token.FileSet
	pkgs   []*pkg
	byPath map[string]*pkg // import path -> package
	errs   ErrorList
	gorm   bool // GORM mode

	parseFailed bool // a file does not parse: stop before building

	modules map[string]string // module root folder -> module path
	tried   map[string]bool   // import paths looked for in the modules
}

type pkg struct {
	dir, path, name string
	files           []*file
	types           map[string]*typeDecl
	order           []*typeDecl
	consts          map[string][]constValue // type name -> string constants in order
}

type file struct {
	name    string
	ast     *ast.File
	imports map[string]string // local name -> import path
	pkg     *pkg
}

type typeDecl struct {
	pkg  *pkg
	file *file
	name string
	spec *ast.TypeSpec
	doc  *ast.CommentGroup
	// tableName is the literal TableName() returns, with its position.
	tableName    string
	tableNamePos token.Pos
}

type constValue struct {
	value string
	pos   token.Pos
}

func (l *loader) errorf(pos token.Pos, format string, args ...any) {
	p := l.fset.Position(pos)
	l.errs = append(l.errs, &Error{File: p.Filename, Line: p.Line, Msg: fmt.Sprintf(format, args...)})
}

func (l *loader) parseDir(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		l.errs = append(l.errs, &Error{File: dir, Msg: "reading the models package: " + err.Error()})
		l.parseFailed = true
		return
	}
	path, root, mod := importPath(dir)
	if root != "" {
		l.modules[root] = mod
	}
	p := &pkg{dir: dir, path: path, types: map[string]*typeDecl{}, consts: map[string][]constValue{}}
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") || strings.HasPrefix(n, ".") || strings.HasPrefix(n, "_") {
			continue
		}
		path := filepath.Join(dir, n)
		af, err := parser.ParseFile(l.fset, path, nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			l.parseFailed = true
			if el, ok := err.(interface{ Unwrap() []error }); ok {
				for _, e := range el.Unwrap() {
					l.errs = append(l.errs, parseError(e))
				}
			} else {
				l.errs = append(l.errs, parseError(err))
			}
			continue
		}
		if ignored(af) {
			continue
		}
		if p.name == "" {
			p.name = af.Name.Name
		}
		f := &file{name: path, ast: af, imports: map[string]string{}, pkg: p}
		for _, im := range af.Imports {
			ip, _ := strconv.Unquote(im.Path.Value)
			local := guessName(ip)
			if im.Name != nil {
				local = im.Name.Name
			}
			f.imports[local] = ip
			if ip == "gorm.io/gorm" && l.opts.Tags == TagsAuto {
				l.gorm = true
			}
		}
		p.files = append(p.files, f)
	}
	if len(p.files) == 0 && len(l.errs) == 0 {
		l.errs = append(l.errs, &Error{File: dir, Msg: "no Go files in the models package"})
		l.parseFailed = true
		return
	}
	if l.opts.Tags == TagsGORM {
		l.gorm = true
	}
	l.pkgs = append(l.pkgs, p)
	if p.path != "" {
		l.byPath[p.path] = p
	}
	for _, f := range p.files {
		l.collect(f)
	}
}

// ignored reports whether a file is excluded by a //go:build ignore line.
func ignored(f *ast.File) bool {
	for _, cg := range f.Comments {
		if cg.Pos() > f.Package {
			break
		}
		for _, c := range cg.List {
			if strings.HasPrefix(c.Text, "//go:build") && strings.TrimSpace(strings.TrimPrefix(c.Text, "//go:build")) == "ignore" {
				return true
			}
		}
	}
	return false
}

func parseError(err error) *Error {
	msg := err.Error()
	// "file:line:col: msg"
	parts := strings.SplitN(msg, ":", 4)
	if len(parts) == 4 {
		if line, e := strconv.Atoi(parts[1]); e == nil {
			return &Error{File: parts[0], Line: line, Msg: "does not parse: " + strings.TrimSpace(parts[3])}
		}
	}
	return &Error{Msg: msg}
}

// collect records the file's type declarations, TableName methods and
// constants.
func (l *loader) collect(f *file) {
	p := f.pkg
	for _, d := range f.ast.Decls {
		switch d := d.(type) {
		case *ast.GenDecl:
			switch d.Tok {
			case token.TYPE:
				for _, s := range d.Specs {
					ts := s.(*ast.TypeSpec)
					doc := ts.Doc
					if doc == nil && len(d.Specs) == 1 {
						doc = d.Doc
					}
					td := &typeDecl{pkg: p, file: f, name: ts.Name.Name, spec: ts, doc: doc}
					if old, ok := p.types[td.name]; ok {
						l.errorf(ts.Pos(), "type %s redeclared (first at %s)", td.name, l.fset.Position(old.spec.Pos()))
						continue
					}
					p.types[td.name] = td
					p.order = append(p.order, td)
				}
			case token.CONST:
				var lastType ast.Expr
				for _, s := range d.Specs {
					vs := s.(*ast.ValueSpec)
					if vs.Type != nil || len(vs.Values) > 0 {
						lastType = vs.Type
					}
					for i := range vs.Names {
						if i >= len(vs.Values) {
							continue
						}
						typ, val := lastType, vs.Values[i]
						// const A = Status("a")
						if call, ok := val.(*ast.CallExpr); ok && typ == nil && len(call.Args) == 1 {
							typ, val = call.Fun, call.Args[0]
						}
						id, ok := typ.(*ast.Ident)
						if !ok {
							continue
						}
						if bl, ok := val.(*ast.BasicLit); ok && bl.Kind == token.STRING {
							v, _ := strconv.Unquote(bl.Value)
							p.consts[id.Name] = append(p.consts[id.Name], constValue{value: v, pos: vs.Names[i].Pos()})
						}
					}
				}
			}
		}
	}
	for _, d := range f.ast.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Recv == nil || fd.Name.Name != "TableName" || len(fd.Recv.List) != 1 {
			continue
		}
		recv := fd.Recv.List[0].Type
		if st, ok := recv.(*ast.StarExpr); ok {
			recv = st.X
		}
		id, ok := recv.(*ast.Ident)
		if !ok {
			continue
		}
		td := p.types[id.Name]
		if td == nil || fd.Body == nil || len(fd.Body.List) != 1 {
			if td != nil {
				l.errorf(fd.Pos(), "%s.TableName must return a string literal", id.Name)
			}
			continue
		}
		ret, ok := fd.Body.List[0].(*ast.ReturnStmt)
		var lit *ast.BasicLit
		if ok && len(ret.Results) == 1 {
			lit, _ = ret.Results[0].(*ast.BasicLit)
		}
		if lit == nil || lit.Kind != token.STRING {
			l.errorf(fd.Pos(), "%s.TableName must return a string literal", id.Name)
			continue
		}
		td.tableName, _ = strconv.Unquote(lit.Value)
		td.tableNamePos = fd.Pos()
	}
}

// dependency loads, for its types only, a package of the same module as
// the models that they import (a shared base struct, an ID type): its
// structs are not tables. Files that do not parse are skipped.
func (l *loader) dependency(path string) *pkg {
	if p, ok := l.byPath[path]; ok || l.tried[path] {
		return p
	}
	l.tried[path] = true
	for root, mod := range l.modules {
		if path != mod && !strings.HasPrefix(path, mod+"/") {
			continue
		}
		dir := filepath.Join(root, filepath.FromSlash(strings.TrimPrefix(strings.TrimPrefix(path, mod), "/")))
		entries, err := os.ReadDir(dir)
		if err != nil {
			return nil
		}
		p := &pkg{dir: dir, path: path, types: map[string]*typeDecl{}, consts: map[string][]constValue{}}
		for _, e := range entries {
			n := e.Name()
			if e.IsDir() || !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") {
				continue
			}
			af, err := parser.ParseFile(l.fset, filepath.Join(dir, n), nil, parser.ParseComments|parser.SkipObjectResolution)
			if err != nil || ignored(af) {
				continue
			}
			f := &file{name: filepath.Join(dir, n), ast: af, imports: map[string]string{}, pkg: p}
			for _, im := range af.Imports {
				ip, _ := strconv.Unquote(im.Path.Value)
				local := guessName(ip)
				if im.Name != nil {
					local = im.Name.Name
				}
				f.imports[local] = ip
			}
			p.files = append(p.files, f)
		}
		l.byPath[path] = p
		for _, f := range p.files {
			l.collect(f)
		}
		return p
	}
	return nil
}

// importPath finds the import path of dir from the nearest go.mod, with
// the module's root folder and path; "" when there is none.
func importPath(dir string) (path, root, module string) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", "", ""
	}
	for d := abs; ; d = filepath.Dir(d) {
		if f, err := os.Open(filepath.Join(d, "go.mod")); err == nil {
			mod := ""
			sc := bufio.NewScanner(f)
			for sc.Scan() {
				line := strings.TrimSpace(sc.Text())
				if strings.HasPrefix(line, "module ") {
					mod = strings.Trim(strings.TrimSpace(strings.TrimPrefix(line, "module ")), `"`)
					break
				}
			}
			f.Close()
			if mod == "" {
				return "", "", ""
			}
			rel, err := filepath.Rel(d, abs)
			if err != nil {
				return "", "", ""
			}
			if rel == "." {
				return mod, d, mod
			}
			return mod + "/" + filepath.ToSlash(rel), d, mod
		}
		if filepath.Dir(d) == d {
			return "", "", ""
		}
	}
}

// guessName is the package name an import path most likely declares:
// the last element, without a major-version element, a "go-" prefix or a
// ".vN" suffix.
func guessName(path string) string {
	parts := strings.Split(path, "/")
	last := parts[len(parts)-1]
	if len(parts) > 1 && len(last) > 1 && last[0] == 'v' && isDigits(last[1:]) {
		last = parts[len(parts)-2]
	}
	if i := strings.Index(last, ".v"); i > 0 && isDigits(last[i+2:]) {
		last = last[:i]
	}
	last = strings.TrimPrefix(last, "go-")
	last = strings.TrimSuffix(last, "-go")
	return strings.ReplaceAll(last, "-", "")
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// Error is a problem in the models, at a file and line.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	switch {
	case e.File == "":
		return e.Msg
	case e.Line == 0:
		return e.File + ": " + e.Msg
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

// ErrorList is every problem Load found, in file and line order.
type ErrorList []*Error

func (l ErrorList) Error() string {
	msgs := make([]string, len(l))
	for i, e := range l {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

func (l ErrorList) sorted() ErrorList {
	sort.SliceStable(l, func(i, j int) bool {
		if l[i].File != l[j].File {
			return l[i].File < l[j].File
		}
		return l[i].Line < l[j].Line
	})
	return l
}
