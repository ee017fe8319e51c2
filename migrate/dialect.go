package migrate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/migratehq/migrate/sqlsplit"
)

// dialect is what the runner needs to know about a database. One
// implementation per file: postgres.go, sqlite.go.
type dialect interface {
	name() Dialect
	split() sqlsplit.Dialect
	// begin is the statement that opens a transaction.
	begin() string
	// createVersionTable returns the statements that create the version
	// table if it does not exist.
	createVersionTable(t versionTable) []string
	// isUndefinedTable tells whether err says the version table is missing.
	isUndefinedTable(err error) bool
	// lock takes the run lock on the run's connection and returns its
	// release function. It is called before the applied set is read. On
	// failure it leaves no lock and no session setting on conn.
	lock(ctx context.Context, conn *sql.Conn, m *Migrator) (release func(), err error)
	// explain returns err, or a better account of it: the dialect's
	// reading of a lost connection or a busy database (see Migrator.explain).
	// outsideTx says the failing statement ran outside a transaction.
	explain(m *Migrator, conn *sql.Conn, err error, outsideTx bool) error
	// prepare readies the pinned connection for a run; restore undoes it.
	prepare(ctx context.Context, conn *sql.Conn, m *Migrator) (restore func(), err error)
	// check runs before each commit (and after each revision when no
	// transaction is open); an error aborts the run.
	check(ctx context.Context, conn *sql.Conn) error
	// position returns the 1-based character position a database error
	// points at within the statement, or 0.
	position(err error) int
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func selectApplied(t versionTable) string {
	return "SELECT revision, checksum, CAST(applied_at AS TEXT), execution_ms FROM " + t.String()
}

func insertVersion(t versionTable, rev, checksum string, ms int64) string {
	return fmt.Sprintf("INSERT INTO %s (revision, checksum, execution_ms) VALUES (%s, %s, %d)", t, quoteLiteral(rev), quoteLiteral(checksum), ms)
}

func deleteVersion(t versionTable, rev string) string {
	return fmt.Sprintf("DELETE FROM %s WHERE revision = %s", t, quoteLiteral(rev))
}

func updateChecksum(t versionTable, rev, checksum string) string {
	return fmt.Sprintf("UPDATE %s SET checksum = %s WHERE revision = %s", t, quoteLiteral(checksum), quoteLiteral(rev))
}

// readApplied reads the version table; a missing table means no rows.
func readApplied(ctx context.Context, q querier, d dialect, t versionTable) ([]Applied, error) {
	rows, err := q.QueryContext(ctx, selectApplied(t))
	if err != nil {
		if d.isUndefinedTable(err) {
			return nil, nil
		}
		return nil, fmt.Errorf("reading version table %s: %w", t, err)
	}
	defer rows.Close()
	var out []Applied
	for rows.Next() {
		var a Applied
		var at sql.NullString
		if err := rows.Scan(&a.Revision, &a.Checksum, &at, &a.ExecutionMS); err != nil {
			return nil, fmt.Errorf("reading version table %s: %w", t, err)
		}
		a.AppliedAt = at.String
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading version table %s: %w", t, err)
	}
	return out, nil
}

// LockTimeoutError reports that another run held the lock for longer than
// the lock timeout.
type LockTimeoutError struct {
	Timeout time.Duration
	Holder  string // e.g. "PostgreSQL backend pid 1234 (application migrate, client 127.0.0.1)"
	// Lock names the lock waited for when it is not the migration lock
	// (on SQLite: the database's write lock).
	Lock string
	Err  error // the driver's error, if any
}

func (e *LockTimeoutError) Error() string {
	if e.Lock != "" {
		// No "Waiting" line came first: name the setting.
		return fmt.Sprintf("timed out after %v (lock_timeout) waiting for %s, held by %s", e.Timeout, e.Lock, e.Holder)
	}
	if e.Holder == "" {
		return fmt.Sprintf("timed out after %v waiting for the migration lock", e.Timeout)
	}
	return fmt.Sprintf("timed out after %v waiting for the migration lock held by %s", e.Timeout, e.Holder)
}

func (e *LockTimeoutError) Unwrap() error { return e.Err }

var errNoDB = errors.New("migrate: no database (offline Migrator)")
