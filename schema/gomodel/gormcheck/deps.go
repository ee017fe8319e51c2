//go:build tools

package gormcheck

// The AutoMigrate program under testdata/ (which 'go mod tidy' does not
// read) uses GORM's pure-Go SQLite driver; this file, never built, keeps
// that module in go.mod for it.
import _ "github.com/glebarez/sqlite"
