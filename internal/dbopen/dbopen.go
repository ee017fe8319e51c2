// Package dbopen opens a database/sql handle for a parsed database URL,
// with the drivers registered (pgx for PostgreSQL, modernc for SQLite),
// and turns connection failures into messages without passwords.
package dbopen

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	_ "modernc.org/sqlite"             // database/sql driver "sqlite"

	"github.com/migratehq/migrate/config"
)

// ConnectError reports a database that cannot be reached.
type ConnectError struct {
	URL string // redacted
	Err error
}

func (e *ConnectError) Error() string {
	return fmt.Sprintf("cannot connect to %s: %s", e.URL, dedupLines(config.Redact(e.Err.Error())))
}

// dedupLines drops repeated lines: pgx reports each attempt (with TLS,
// then without, under sslmode=prefer) on a line of its own, and both say
// the same when the server cannot be reached.
func dedupLines(s string) string {
	lines := strings.Split(s, "\n")
	seen := make(map[string]bool, len(lines))
	out := lines[:0]
	for _, l := range lines {
		if seen[l] {
			continue
		}
		seen[l] = true
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

func (e *ConnectError) Unwrap() error { return e.Err }

// ErrNoFile is returned (wrapped) when a SQLite database file does not
// exist and the caller asked not to create it.
var ErrNoFile = errors.New("database file does not exist")

// Open opens u and checks the connection (5 s timeout for PostgreSQL).
// With create false, a missing SQLite file is an error wrapping ErrNoFile
// instead of a new empty database.
func Open(ctx context.Context, u config.URL, create bool) (*sql.DB, error) {
	if u.Dialect == config.SQLite && u.Path != ":memory:" {
		dir := filepath.Dir(u.Path)
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return nil, &ConnectError{URL: u.String(), Err: fmt.Errorf("folder %s does not exist", dir)}
		}
		if !create {
			if _, err := os.Stat(u.Path); errors.Is(err, os.ErrNotExist) {
				return nil, fmt.Errorf("%s: %w", u.Path, ErrNoFile)
			}
		}
	}
	dsn := u.DSN
	if u.Dialect == config.Postgres && !strings.Contains(dsn, "application_name=") {
		sep := "?"
		if strings.Contains(dsn, "?") {
			sep = "&"
		}
		dsn += sep + "application_name=migrate"
	}
	db, err := sql.Open(u.Driver, dsn)
	if err != nil {
		return nil, &ConnectError{URL: u.String(), Err: err}
	}
	if u.Dialect == config.SQLite {
		if u.Path == ":memory:" {
			// Every connection to :memory: is a database of its own.
			db.SetMaxOpenConns(1)
		}
		db.SetMaxIdleConns(2)
	}
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := db.PingContext(pctx); err != nil {
		db.Close()
		return nil, &ConnectError{URL: u.String(), Err: err}
	}
	return db, nil
}
