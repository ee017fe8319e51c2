package migrate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/migratehq/migrate/sqlsplit"
)

type sqliteDialect struct{}

var _ dialect = sqliteDialect{}

func (sqliteDialect) name() Dialect { return SQLite }

func (sqliteDialect) split() sqlsplit.Dialect { return sqlsplit.SQLite }

// begin takes the write lock at once: a second runner waits (busy
// timeout) until the first commits, then reads the applied set anew.
func (sqliteDialect) begin() string { return "BEGIN IMMEDIATE" }

func (sqliteDialect) createVersionTable(t versionTable) []string {
	return []string{"CREATE TABLE IF NOT EXISTS " + t.String() + ` (
    revision TEXT NOT NULL PRIMARY KEY,
    checksum TEXT NOT NULL,
    applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    execution_ms INTEGER NOT NULL DEFAULT 0
)`}
}

func (sqliteDialect) isUndefinedTable(err error) bool {
	return strings.Contains(err.Error(), "no such table")
}

func (sqliteDialect) position(err error) int { return 0 }

// lock: SQLite's write transaction (BEGIN IMMEDIATE) is the lock.
func (sqliteDialect) lock(ctx context.Context, conn *sql.Conn, m *Migrator) (func(), error) {
	return func() {}, nil
}

// explain: SQLITE_BUSY after the busy timeout (which prepare sets to the
// lock timeout) means another connection — another run, or anything else
// writing to the file — held the write lock all that time.
func (sqliteDialect) explain(m *Migrator, conn *sql.Conn, err error, outsideTx bool) error {
	if !isBusy(err) {
		return err
	}
	lt := func(err error) *LockTimeoutError {
		return &LockTimeoutError{Timeout: m.opts.lockTimeout, Lock: "the write lock of the SQLite database", Holder: "another migrate run or another connection", Err: err}
	}
	var se *StatementError
	if errors.As(err, &se) {
		se.Err = lt(se.Err)
		return err
	}
	return lt(err)
}

// isBusy tells whether err is SQLITE_BUSY (any extended code), from the
// modernc driver (Code) or by its text (other drivers).
func isBusy(err error) bool {
	var c interface{ Code() int }
	if errors.As(err, &c) {
		return c.Code()&0xff == 5
	}
	return strings.Contains(err.Error(), "SQLITE_BUSY") || strings.Contains(err.Error(), "database is locked")
}

// prepare sets the busy timeout to the lock timeout and switches foreign
// key enforcement off for the run — SQLite's documented procedure for
// schema changes, since PRAGMA foreign_keys cannot change inside a
// transaction and a DROP TABLE of a parent with enforcement on would run
// the children's ON DELETE actions. Integrity is checked instead with
// PRAGMA foreign_key_check before every commit.
func (sqliteDialect) prepare(ctx context.Context, conn *sql.Conn, m *Migrator) (func(), error) {
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA busy_timeout = %d", m.opts.lockTimeout.Milliseconds())); err != nil {
		return nil, fmt.Errorf("setting busy_timeout: %w", err)
	}
	var fk int
	if err := conn.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil {
		return nil, fmt.Errorf("reading foreign_keys: %w", err)
	}
	if fk == 0 {
		return func() {}, nil
	}
	if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
		return nil, fmt.Errorf("switching foreign_keys off: %w", err)
	}
	return func() {
		_, _ = conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA foreign_keys = ON")
	}, nil
}

// ForeignKeyError reports rows that violate a foreign key after a
// revision ran (SQLite checks them before committing).
type ForeignKeyError struct {
	Violations []string // "table child rowid 3 references parent"
	More       int
}

func (e *ForeignKeyError) Error() string {
	s := "foreign key violations: " + strings.Join(e.Violations, "; ")
	if e.More > 0 {
		s += fmt.Sprintf("; and %d more", e.More)
	}
	return s
}

func (sqliteDialect) check(ctx context.Context, conn *sql.Conn) error {
	rows, err := conn.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return fmt.Errorf("PRAGMA foreign_key_check: %w", err)
	}
	defer rows.Close()
	fe := &ForeignKeyError{}
	for rows.Next() {
		var table, parent string
		var rowid sql.NullInt64
		var fkid int
		if err := rows.Scan(&table, &rowid, &parent, &fkid); err != nil {
			return fmt.Errorf("PRAGMA foreign_key_check: %w", err)
		}
		if len(fe.Violations) >= 5 {
			fe.More++
			continue
		}
		if rowid.Valid {
			fe.Violations = append(fe.Violations, fmt.Sprintf("table %s rowid %d references a missing row of %s", table, rowid.Int64, parent))
		} else {
			fe.Violations = append(fe.Violations, fmt.Sprintf("a row of table %s references a missing row of %s", table, parent))
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("PRAGMA foreign_key_check: %w", err)
	}
	if len(fe.Violations) > 0 {
		return fe
	}
	return nil
}

// sqliteDataVersion returns PRAGMA data_version, which changes when
// another connection commits to the database (0 if it cannot be read).
func sqliteDataVersion(ctx context.Context, conn *sql.Conn) int64 {
	var v int64
	if err := conn.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v); err != nil {
		return 0
	}
	return v
}

// execStatement runs a statement of a revision file. SQLite has no
// setting that changes how its text is read, and the statement lexer
// follows SQLite's own (no nested comments); a COMMIT it could still miss
// is seen by the commit hook (txwatch.go).
func (sqliteDialect) execStatement(ctx context.Context, conn *sql.Conn, q string) error {
	_, err := conn.ExecContext(ctx, q)
	return err
}
