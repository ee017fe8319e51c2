package migrate

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"hash/fnv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/migratehq/migrate/internal/pgexec"
	"github.com/migratehq/migrate/sqlsplit"
)

type postgresDialect struct{}

var _ dialect = postgresDialect{}

func (postgresDialect) name() Dialect { return Postgres }

func (postgresDialect) split() sqlsplit.Dialect { return sqlsplit.Postgres }

func (postgresDialect) begin() string { return "BEGIN" }

func (postgresDialect) createVersionTable(t versionTable) []string {
	var out []string
	if t.schema != "" {
		out = append(out, "CREATE SCHEMA IF NOT EXISTS "+quoteIdent(t.schema))
	}
	return append(out, "CREATE TABLE IF NOT EXISTS "+t.String()+` (
    revision varchar(32) NOT NULL PRIMARY KEY,
    checksum varchar(64) NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),
    execution_ms bigint NOT NULL DEFAULT 0
)`)
}

func (postgresDialect) isUndefinedTable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "42P01" || pe.Code == "3F000")
}

func (postgresDialect) position(err error) int {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return int(pe.Position)
	}
	return 0
}

// prepare makes the server check, every second while a statement of the
// run is executing, that the run's client is still connected
// (client_connection_check_interval, PostgreSQL 14+), unless the URL or
// the role set an interval already. A run killed mid-statement then
// loses its statement and, with its session, the migration lock within
// a second, instead of holding the lock until the statement ends on its
// own (a long index build, a wait on a row lock). restore puts the
// setting back before the connection returns to the pool.
func (postgresDialect) prepare(ctx context.Context, conn *sql.Conn, m *Migrator) (func(), error) {
	rows, err := conn.QueryContext(ctx, `SELECT set_config(name, '1000', false) FROM pg_settings
 WHERE name = 'client_connection_check_interval' AND setting = '0'`)
	if err != nil {
		return nil, fmt.Errorf("setting client_connection_check_interval: %w", err)
	}
	set := rows.Next()
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("setting client_connection_check_interval: %w", err)
	}
	if !set {
		return func() {}, nil
	}
	return func() {
		_, _ = conn.ExecContext(context.WithoutCancel(ctx), "SET client_connection_check_interval = 0")
	}, nil
}

func (postgresDialect) check(ctx context.Context, conn *sql.Conn) error { return nil }

// execStatement: one statement per send (see pgexec.One), so that a
// revision that switches standard_conforming_strings off cannot make the
// lexer read "SELECT 'a\'; COMMIT; BEGIN; --'" as one statement while
// the server runs four, the COMMIT escaping every check.
func (postgresDialect) execStatement(ctx context.Context, conn *sql.Conn, q string) error {
	return pgexec.One(ctx, conn, q)
}

// lockKey is the advisory lock key: a hash of the version table's name,
// so that two projects with their own version tables in one database do
// not exclude each other.
func lockKey(t versionTable) int64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "migrate:%s.%s", t.schema, t.name)
	return int64(h.Sum64())
}

// lock takes the session advisory lock on the run's own connection (see
// lock.go): it survives the run's commits and non-transactional steps,
// and it cannot outlive the session the run works in. The key goes into
// the statement as a literal: one round trip, no prepared statement.
func (postgresDialect) lock(ctx context.Context, conn *sql.Conn, m *Migrator) (func(), error) {
	key := lockKey(m.vt())
	var ok bool
	if err := conn.QueryRowContext(ctx, fmt.Sprintf("SELECT pg_try_advisory_lock(%d)", key)).Scan(&ok); err != nil {
		discard(conn)
		return nil, fmt.Errorf("taking the migration lock: %w", err)
	}
	if !ok {
		if err := waitLock(ctx, conn, m, key); err != nil {
			// The session may hold the SET lock_timeout: never pool it.
			discard(conn)
			return nil, err
		}
	}
	return func() { unlock(ctx, conn, m, key) }, nil
}

// waitLock waits for the lock held by another session, up to the lock
// timeout, saying who holds it.
func waitLock(ctx context.Context, conn *sql.Conn, m *Migrator, key int64) error {
	holder, pid := lockHolder(ctx, conn, key)
	timeout := m.opts.lockTimeout
	m.emit(Event{Kind: EventLockWait, PID: pid, Message: fmt.Sprintf("waiting up to %v for the migration lock held by %s", timeout, holder)})
	if timeout == 0 {
		return &LockTimeoutError{Timeout: 0, Holder: holder}
	}
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("SET lock_timeout = %d", timeout.Milliseconds())); err != nil {
		return fmt.Errorf("taking the migration lock: %w", err)
	}
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("SELECT pg_advisory_lock(%d)", key)); err != nil {
		var pe *pgconn.PgError
		if errors.As(err, &pe) && pe.Code == "55P03" {
			if h, _ := lockHolder(context.WithoutCancel(ctx), conn, key); h != "" {
				holder = h
			}
			return &LockTimeoutError{Timeout: timeout, Holder: holder, Err: err}
		}
		if ctx.Err() != nil {
			return fmt.Errorf("waiting for the migration lock held by %s: %w", holder, ctx.Err())
		}
		return fmt.Errorf("taking the migration lock: %w", err)
	}
	// Back to the session's own setting (the URL's options, or the
	// server's): revisions run with it.
	if _, err := conn.ExecContext(ctx, "RESET lock_timeout"); err != nil {
		return fmt.Errorf("taking the migration lock: %w", err)
	}
	m.emit(Event{Kind: EventLocked})
	return nil
}

// unlock releases the lock at the end of the run, even when the run's
// context was cancelled. When that is not certain to have worked, the
// connection is closed instead of going back to the pool: the server
// releases a session's locks when it ends.
func unlock(ctx context.Context, conn *sql.Conn, m *Migrator, key int64) {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	var held bool
	err := conn.QueryRowContext(rctx, fmt.Sprintf("SELECT pg_advisory_unlock(%d)", key)).Scan(&held)
	if err != nil {
		discard(conn)
		return
	}
	if !held {
		// Something in the run's session released it (DISCARD ALL,
		// pg_advisory_unlock_all()): the run went on unprotected.
		m.emit(Event{Kind: EventWarning, Message: "the migration lock was no longer held when the run ended (did a revision run DISCARD ALL or pg_advisory_unlock_all()?): another run may have worked at the same time"})
		discard(conn)
	}
}

// explain: the lock lives on the run's connection, so a lost connection
// is a lost lock. A FATAL error from the server ends the session; any
// other failure counts when the connection is dead afterwards.
func (postgresDialect) explain(m *Migrator, conn *sql.Conn, err error, outsideTx bool) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		sev := pe.SeverityUnlocalized
		if sev == "" {
			sev = pe.Severity
		}
		if sev != "FATAL" && sev != "PANIC" && !strings.HasPrefix(pe.Code, "08") && !strings.HasPrefix(pe.Code, "57P") {
			return err
		}
	} else if connAlive(conn) && !errors.Is(err, driver.ErrBadConn) && !errors.Is(err, sql.ErrConnDone) {
		return err
	}
	lost := &LockLostError{Err: err}
	var se *StatementError
	var ce *commitError
	switch {
	case errors.As(err, &ce):
		lost.During = "committing"
		lost.InDoubt = ce.revisions
	case errors.As(err, &se):
		lost.During = fmt.Sprintf("running %s:%d (revision %s)", se.File, se.Line, se.Revision)
		lost.OutsideTx = outsideTx
	}
	return lost
}

// lockHolder describes the backend holding the advisory lock.
func lockHolder(ctx context.Context, conn *sql.Conn, key int64) (string, int) {
	var pid int
	var app, addr, since string
	err := conn.QueryRowContext(ctx, `SELECT l.pid, coalesce(a.application_name, ''), coalesce(host(a.client_addr), 'local socket'),
       coalesce(to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), '')
  FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
 WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
   AND l.classid = $1 AND l.objid = $2
   AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
 LIMIT 1`, int64(uint32(uint64(key)>>32)), int64(uint32(uint64(key)))).Scan(&pid, &app, &addr, &since)
	if err != nil {
		return "another session", 0
	}
	s := fmt.Sprintf("PostgreSQL backend pid %d", pid)
	if app != "" {
		s += fmt.Sprintf(" (application %q, client %s, connected since %s)", app, addr, since)
	} else {
		s += fmt.Sprintf(" (client %s, connected since %s)", addr, since)
	}
	return s, pid
}
