package importer

import (
	"bytes"
	"path/filepath"
	"regexp"
)

var (
	gooseLine       = regexp.MustCompile(`(?im)^--\s*\+goose\s+up\b`)
	dbmateUpLine    = regexp.MustCompile(`(?m)^--\s*migrate:up\b`)
	migrateRevision = regexp.MustCompile(`(?m)^-- migrate:revision\b`)
	pyDownRevision  = regexp.MustCompile(`(?m)^down_revision(?:\s*:[^=\n]*)?\s*=`)
)

// Detect recognises an unconverted file of a known format: goose
// markers ("-- +goose Up"), golang-migrate naming (N_title.up.sql,
// N_title.down.sql), a dbmate file ("-- migrate:up" and no "-- migrate:
// revision" header), an Atlas folder's atlas.sum, or an Alembic revision
// script (a .py file assigning revision and down_revision). path is the file's
// path (only its base name is read); content its bytes.
func Detect(path string, content []byte) (Format, bool) {
	name := filepath.Base(path)
	switch {
	case name == AtlasSumFile && bytes.HasPrefix(content, []byte("h1:")):
		return Atlas, true
	case filepath.Ext(name) == ".py":
		if pyRevision.Match(content) && pyDownRevision.Match(content) {
			return Alembic, true
		}
		return "", false
	case gooseLine.Match(content):
		return Goose, true
	case golangMigrateName.MatchString(name) && filepath.Ext(name) == ".sql":
		return GolangMigrate, true
	case dbmateUpLine.Match(content) && !migrateRevision.Match(content):
		return Dbmate, true
	}
	return "", false
}
