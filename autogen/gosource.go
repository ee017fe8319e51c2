package autogen

import (
	"strings"

	"github.com/migratehq/migrate/schema"
	"github.com/migratehq/migrate/schema/gomodel"
)

// Renamer is a [Source] that knows rename hints of its own (Go models'
// renamed_from), besides the "-- migrate:renamed_from" comments that
// [ParseHints] reads in model SQL. [Generate] merges both.
type Renamer interface {
	Renames(dialect string) (DiffOptions, error)
}

// GoModels is model metadata in Go packages ([models] go): the structs of
// the package folders Dirs, read statically by [gomodel.Load] and
// rendered as DDL for the dialect, which then goes through the same dev
// database as SQL files do.
type GoModels struct {
	Dirs []string
	// Tags is [models] tags: "" (GORM mode when a package imports
	// gorm.io/gorm), "migrate" or "gorm".
	Tags string
}

var (
	_ Source  = GoModels{}
	_ Renamer = GoModels{}
)

func (g GoModels) load(dialect string) (*gomodel.Model, error) {
	return gomodel.Load(g.Dirs, gomodel.Options{Dialect: dialect, Tags: g.Tags})
}

// DDL loads the packages and renders their schema, one chunk per
// statement, each naming the file and line of the struct it comes from.
// Problems in the models are a [gomodel.ErrorList].
func (g GoModels) DDL(dialect string) ([]Chunk, error) {
	m, err := g.load(dialect)
	if err != nil {
		return nil, err
	}
	stmts, err := RenderSchema(m.Schema)
	if err != nil {
		return nil, err
	}
	fallback := "models"
	if len(m.Files) > 0 {
		fallback = m.Files[0]
	}
	byName := map[string]gomodel.Position{}
	for ref, p := range m.Positions {
		byName[ref.Name] = p
	}
	out := make([]Chunk, 0, len(stmts))
	for _, st := range stmts {
		file, line := fallback, 1
		if p, ok := ownerOf(st, byName); ok {
			file, line = p.File, p.Line
		}
		out = append(out, Chunk{File: file, Line: line, SQL: st + ";\n"})
	}
	return out, nil
}

// ownerOf finds the struct a statement is about: the first of its
// leading words that names a table (or enum) of the models.
func ownerOf(stmt string, byName map[string]gomodel.Position) (gomodel.Position, bool) {
	words := strings.FieldsFunc(stmt, func(r rune) bool { return !isWordRune(r) })
	if len(words) > 12 {
		words = words[:12]
	}
	for _, w := range words {
		if p, ok := byName[w]; ok {
			return p, true
		}
	}
	return gomodel.Position{}, false
}

func isWordRune(c rune) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c > 127
}

// Renames returns the renamed_from hints of the models.
func (g GoModels) Renames(dialect string) (DiffOptions, error) {
	m, err := g.load(dialect)
	if err != nil {
		return DiffOptions{}, err
	}
	return DiffOptions{TableRenames: m.TableRenames, ColumnRenames: m.ColumnRenames}, nil
}

// mergeRenames adds the hints of b to a.
func mergeRenames(a, b DiffOptions) DiffOptions {
	if a.TableRenames == nil {
		a.TableRenames = map[schema.TableRef]schema.TableRef{}
	}
	if a.ColumnRenames == nil {
		a.ColumnRenames = map[schema.ColumnRef]string{}
	}
	for k, v := range b.TableRenames {
		a.TableRenames[k] = v
	}
	for k, v := range b.ColumnRenames {
		a.ColumnRenames[k] = v
	}
	return a
}

// Sources is several sources read in order, e.g. SQL files and Go models
// together ([models] sql and go); their rename hints are merged.
type Sources []Source

var (
	_ Source  = Sources{}
	_ Renamer = Sources{}
)

// DDL concatenates the sources' chunks.
func (s Sources) DDL(dialect string) ([]Chunk, error) {
	var out []Chunk
	for _, src := range s {
		c, err := src.DDL(dialect)
		if err != nil {
			return nil, err
		}
		out = append(out, c...)
	}
	return out, nil
}

// Renames merges the hints of the sources that are Renamers.
func (s Sources) Renames(dialect string) (DiffOptions, error) {
	var all DiffOptions
	for _, src := range s {
		if r, ok := src.(Renamer); ok {
			more, err := r.Renames(dialect)
			if err != nil {
				return DiffOptions{}, err
			}
			all = mergeRenames(all, more)
		}
	}
	return all, nil
}
