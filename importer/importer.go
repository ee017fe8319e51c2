// Package importer converts another migration tool's folder into migrate revisions.
//
// Each supported tool (see [Formats]) has its own reader; [Convert] picks
// it, and [Write] writes the result with [versions.Render]. Lines that a
// conversion drops or rewrites are reported as [Note]s with their file and
// line, and migrations that cannot be converted (a goose Go migration) as
// [Skipped]. docs/import.md describes, per tool, what maps to what.
package importer

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/migratehq/migrate/versions"
)

// Format names a source tool.
type Format string

const (
	Goose         Format = "goose"
	GolangMigrate Format = "golang-migrate"
	Dbmate        Format = "dbmate"
	Atlas         Format = "atlas"
	Alembic       Format = "alembic"
)

// Formats lists the formats in a stable order (for help and errors).
var Formats = []Format{Goose, GolangMigrate, Dbmate, Atlas, Alembic}

// Note is one line dropped or rewritten during conversion.
type Note struct {
	File string // source file, relative to the source folder
	Line int
	Msg  string // what was dropped or rewritten, and why
}

// String formats the note as "file:line: msg".
func (n Note) String() string { return fmt.Sprintf("%s:%d: %s", n.File, n.Line, n.Msg) }

// Skipped is a source migration that was not converted (e.g. a goose .go migration).
type Skipped struct {
	File    string
	Version string // the source tool's version of it
	Reason  string
}

// Result is a converted folder.
type Result struct {
	Format    Format
	Revisions []*versions.Revision // in source apply order; Path is the file name to write (no folder)
	// Versions maps each source version identifier (goose/golang-migrate/dbmate version
	// number as text, atlas version, alembic revision id) to the migrate revision id.
	Versions map[string]string
	Notes    []Note
	Skipped  []Skipped
}

// Options tune Convert.
type Options struct {
	// Alembic: the output of `alembic upgrade base:heads --sql` and
	// `alembic downgrade heads:base --sql` (paths); empty means
	// src/upgrade.sql and src/downgrade.sql.
	AlembicUp, AlembicDown string
	// AlembicScripts is the versions folder of the Alembic project (its
	// .py revision scripts), read for what the offline SQL leaves out:
	// each revision's message (the docstring's first line), branch_labels
	// and depends_on. Empty means src/versions when that folder exists.
	AlembicScripts string
	// Dialect of the SQL ("postgres" or "sqlite"), for splitting and checks; "" guesses.
	Dialect string
}

// ParseFormat returns the Format named s, or an error listing the known ones.
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats {
		if string(f) == s {
			return f, nil
		}
	}
	names := make([]string, len(Formats))
	for i, f := range Formats {
		names[i] = string(f)
	}
	return "", fmt.Errorf("unknown import format %q (known: %s)", s, strings.Join(names, ", "))
}

// Convert reads the folder src (for alembic: a folder holding the two
// offline SQL files, or the two files given with Options) and converts it.
func Convert(f Format, src string, opts Options) (*Result, error) {
	switch opts.Dialect {
	case "", "postgres", "sqlite":
	default:
		return nil, fmt.Errorf("import: dialect %q: expected postgres or sqlite", opts.Dialect)
	}
	c := &conv{res: &Result{Format: f}, dialect: opts.Dialect}
	var err error
	switch f {
	case Goose:
		err = c.convertGoose(src)
	case GolangMigrate:
		err = c.convertGolangMigrate(src)
	case Dbmate:
		err = c.convertDbmate(src)
	case Atlas:
		err = c.convertAtlas(src)
	case Alembic:
		err = c.convertAlembic(src, opts)
	default:
		_, err = ParseFormat(string(f))
	}
	if err != nil {
		return nil, fmt.Errorf("import %s: %w", f, err)
	}
	if len(c.res.Revisions) == 0 && len(c.res.Skipped) == 0 {
		return nil, fmt.Errorf("import %s: %s holds no %s migration", f, src, f)
	}
	return c.res, nil
}

// Write writes r's revisions into dir (created if needed) with versions.Render,
// skipping files whose content is already identical (importing twice changes nothing),
// and refusing to overwrite a different file of the same name. It returns the files written.
func Write(r *Result, dir string) (written []string, err error) {
	type out struct {
		path string
		data []byte
	}
	var todo []out
	for _, rev := range r.Revisions {
		name := filepath.Base(rev.Path)
		p := filepath.Join(dir, name)
		data := versions.Render(rev)
		old, err := os.ReadFile(p)
		switch {
		case err == nil && bytes.Equal(old, data):
			continue
		case err == nil:
			return nil, fmt.Errorf("import: %s exists with other content; not overwriting it (move it away to import again)", p)
		case !errors.Is(err, fs.ErrNotExist):
			return nil, fmt.Errorf("import: %w", err)
		}
		todo = append(todo, out{p, data})
	}
	if len(todo) == 0 {
		return nil, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	for _, o := range todo {
		if err := os.WriteFile(o.path, o.data, 0o644); err != nil {
			return written, fmt.Errorf("import: %w", err)
		}
		written = append(written, o.path)
	}
	return written, nil
}
