package migrate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/migratehq/migrate/internal/vtname"
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
	// execStatement runs one statement of a revision file, and only one:
	// text that the statement lexer took for one statement must not carry
	// a second one to the server.
	execStatement(ctx context.Context, conn *sql.Conn, q string) error
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func selectApplied(t versionTable) string {
	return "SELECT revision, checksum, CAST(applied_at AS TEXT), execution_ms FROM " + t.String()
}

// insertVersion writes a version row applied at at (zero: when the
// statement runs, see appliedAt).
func insertVersion(d Dialect, t versionTable, rev, checksum string, ms int64, at time.Time) string {
	return fmt.Sprintf("INSERT INTO %s (revision, checksum, applied_at, execution_ms) VALUES (%s, %s, %s, %d)", t, quoteLiteral(rev), quoteLiteral(checksum), appliedAt(d, at), ms)
}

// appliedAt is the applied_at value of a version row. The column's
// default is no good: on PostgreSQL now() is the time the transaction
// began, before the revisions in it ran, and the same for all of them;
// and the runner writes the rows of a transaction together, just before
// it commits. So a connected run gives the time each revision finished,
// taken from the client's clock, and an offline script (at zero) the
// time its INSERT runs: clock_timestamp() on PostgreSQL, on SQLite
// strftime's 'now' (the column's default, which is per statement there).
// SQLite's text keeps the default's form, UTC, so that it sorts.
func appliedAt(d Dialect, at time.Time) string {
	switch {
	case at.IsZero() && d == Postgres:
		return "clock_timestamp()"
	case at.IsZero():
		return "strftime('%Y-%m-%d %H:%M:%f', 'now')"
	case d == Postgres:
		return quoteLiteral(at.UTC().Format("2006-01-02 15:04:05.000000Z07:00"))
	}
	return quoteLiteral(at.UTC().Format("2006-01-02 15:04:05.000"))
}

func deleteVersion(t versionTable, rev string) string {
	return fmt.Sprintf("DELETE FROM %s WHERE revision = %s", t, quoteLiteral(rev))
}

func updateChecksum(t versionTable, rev, checksum string) string {
	return fmt.Sprintf("UPDATE %s SET checksum = %s WHERE revision = %s", t, quoteLiteral(checksum), quoteLiteral(rev))
}

// The in-progress marks table (progress) sits beside the version table,
// in its schema: one row per revision that started running outside a
// transaction and has not been recorded as finished. It is created with
// the version table, so that reading both is one query.

// progress is the marks table of the version table t.
func (t versionTable) progress() versionTable {
	return versionTable{t.schema, vtname.Progress(t.name)}
}

// createProgressTable creates the marks table if it does not exist.
func createProgressTable(d Dialect, t versionTable) string {
	if d == SQLite {
		return "CREATE TABLE IF NOT EXISTS " + t.String() + ` (
    revision TEXT NOT NULL PRIMARY KEY,
    direction TEXT NOT NULL,
    checksum TEXT NOT NULL,
    file TEXT NOT NULL,
    statement INTEGER NOT NULL,
    statements INTEGER NOT NULL,
    line INTEGER NOT NULL,
    started_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
)`
	}
	return "CREATE TABLE IF NOT EXISTS " + t.String() + ` (
    revision varchar(32) NOT NULL PRIMARY KEY,
    direction varchar(9) NOT NULL,
    checksum varchar(64) NOT NULL,
    file text NOT NULL,
    statement integer NOT NULL,
    statements integer NOT NULL,
    line integer NOT NULL,
    started_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
)`
}

// createTables is the run's first statement: the version table and the
// marks table, in one round trip.
func createTables(d dialect, t versionTable) string {
	return strings.Join(append(d.createVersionTable(t), createProgressTable(d.name(), t.progress())), ";\n")
}

func now(d Dialect) string {
	if d == SQLite {
		return "strftime('%Y-%m-%d %H:%M:%f', 'now')"
	}
	return "now()"
}

// insertMark marks p's revision as in progress.
func insertMark(t versionTable, p Progress) string {
	return fmt.Sprintf("INSERT INTO %s (revision, direction, checksum, file, statement, statements, line) VALUES (%s, %s, %s, %s, %d, %d, %d)",
		t.progress(), quoteLiteral(p.Revision), quoteLiteral(p.Direction), quoteLiteral(p.Checksum), quoteLiteral(p.File), p.Statement, p.Statements, p.Line)
}

// updateMark moves the mark of rev on to statement (at file line).
func updateMark(d Dialect, t versionTable, rev string, statement, line int) string {
	return fmt.Sprintf("UPDATE %s SET statement = %d, line = %d, updated_at = %s WHERE revision = %s", t.progress(), statement, line, now(d), quoteLiteral(rev))
}

func deleteMark(t versionTable, rev string) string {
	return fmt.Sprintf("DELETE FROM %s WHERE revision = %s", t.progress(), quoteLiteral(rev))
}

// recordOutside returns the statements that record a revision run
// outside a transaction (insert or delete its version row) and, when it
// was marked, clear its mark (at: see appliedAt), so that there is no moment at which both or
// neither exist: on PostgreSQL one statement (a data-modifying WITH), on
// SQLite two, which the caller wraps in a transaction (wrap is true).
func recordOutside(d Dialect, t versionTable, up bool, rev, checksum string, ms int64, at time.Time, marked bool) (stmts []string, wrap bool) {
	q := deleteVersion(t, rev)
	if up {
		q = insertVersion(d, t, rev, checksum, ms, at)
	}
	if !marked {
		return []string{q}, false
	}
	if d == Postgres {
		return []string{"WITH done AS (" + deleteMark(t, rev) + ")\n" + q}, false
	}
	return []string{q, deleteMark(t, rev)}, true
}

// selectState reads the version table and the marks in one query: kind 0
// rows are version rows, kind 1 rows marks.
func selectState(t versionTable) string {
	return "SELECT 0, revision, checksum, CAST(applied_at AS TEXT), '', '', '', execution_ms, 0, 0 FROM " + t.String() +
		"\nUNION ALL\nSELECT 1, revision, direction, file, checksum, CAST(started_at AS TEXT), CAST(updated_at AS TEXT), statement, statements, line FROM " + t.progress().String()
}

// readState reads the version table and the in-progress marks. A missing
// version table means no rows; a missing marks table (a database last
// written by a version of migrate without marks) means no marks. It must
// not run inside a transaction unless both tables exist (a failed query
// would abort a PostgreSQL transaction).
func readState(ctx context.Context, q querier, d dialect, t versionTable) ([]Applied, []Progress, error) {
	rows, err := q.QueryContext(ctx, selectState(t))
	if err != nil {
		if d.isUndefinedTable(err) {
			applied, err := readApplied(ctx, q, d, t)
			return applied, nil, err
		}
		return nil, nil, fmt.Errorf("reading version table %s: %w", t, err)
	}
	defer rows.Close()
	var applied []Applied
	var marks []Progress
	for rows.Next() {
		var kind int
		var rev, a, b, c, e, f sql.NullString
		var n1, n2, n3 sql.NullInt64
		if err := rows.Scan(&kind, &rev, &a, &b, &c, &e, &f, &n1, &n2, &n3); err != nil {
			return nil, nil, fmt.Errorf("reading version table %s: %w", t, err)
		}
		if kind == 0 {
			applied = append(applied, Applied{Revision: rev.String, Checksum: a.String, AppliedAt: normalTime(b.String), ExecutionMS: n1.Int64})
			continue
		}
		marks = append(marks, Progress{Revision: rev.String, Direction: a.String, File: b.String, Checksum: c.String,
			StartedAt: normalTime(e.String), UpdatedAt: normalTime(f.String), Statement: int(n1.Int64), Statements: int(n2.Int64), Line: int(n3.Int64)})
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("reading version table %s: %w", t, err)
	}
	sort.Slice(marks, func(i, j int) bool { return marks[i].StartedAt < marks[j].StartedAt })
	return applied, marks, nil
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
		a.AppliedAt = normalTime(at.String)
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
