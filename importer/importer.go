// Package importer converts another migration tool's folder into migrate revisions.
//
// Each supported tool (see [Formats]) has its own reader; [Convert] picks
// it, and [Write] writes the result with [versions.Render]. Lines that a
// conversion drops or rewrites are reported as [Note]s with their file and
// line, and migrations that cannot be converted (a goose Go migration) as
// [Skipped]. docs/import.md describes, per tool, what maps to what.
package importer

import (
	"fmt"
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
	return nil, fmt.Errorf("import %s: not implemented yet", f)
}

// Write writes r's revisions into dir (created if needed) with versions.Render,
// skipping files whose content is already identical (importing twice changes nothing),
// and refusing to overwrite a different file of the same name. It returns the files written.
func Write(r *Result, dir string) (written []string, err error) {
	return nil, fmt.Errorf("import: Write not implemented yet")
}

// Detect recognises an unconverted file of a known format: goose markers,
// golang-migrate *.up.sql / *.down.sql naming, dbmate "-- migrate:up"
// without "-- migrate:revision", or an atlas.sum file. path is the file's
// path (only its base name is read); content its bytes.
func Detect(path string, content []byte) (Format, bool) {
	return "", false
}
