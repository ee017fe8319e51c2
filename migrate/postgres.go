package migrate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

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

func (postgresDialect) prepare(ctx context.Context, conn *sql.Conn, m *Migrator) (func(), error) {
	return func() {}, nil
}

func (postgresDialect) check(ctx context.Context, conn *sql.Conn) error { return nil }

// lockKey is the advisory lock key: a hash of the version table's name,
// so that two projects with their own version tables in one database do
// not exclude each other.
func lockKey(t versionTable) int64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "migrate:%s.%s", t.schema, t.name)
	return int64(h.Sum64())
}

// lock takes a session advisory lock on a connection of its own, so that
// it survives the run's commits and non-transactional steps, and is
// released even when the run's context is cancelled.
func (postgresDialect) lock(ctx context.Context, m *Migrator) (func(), error) {
	conn, err := m.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("connecting: %w", err)
	}
	key := lockKey(m.vt())
	release := func() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		_, _ = conn.ExecContext(rctx, "SELECT pg_advisory_unlock($1)", key)
		conn.Close()
	}
	var ok bool
	if err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock($1)", key).Scan(&ok); err != nil {
		conn.Close()
		return nil, fmt.Errorf("taking the migration lock: %w", err)
	}
	if ok {
		return release, nil
	}
	holder, pid := lockHolder(ctx, conn, key)
	timeout := m.opts.lockTimeout
	m.emit(Event{Kind: EventLockWait, PID: pid, Message: fmt.Sprintf("waiting up to %v for the migration lock held by %s", timeout, holder)})
	if timeout == 0 {
		conn.Close()
		return nil, &LockTimeoutError{Timeout: 0, Holder: holder}
	}
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("SET lock_timeout = %d", timeout.Milliseconds())); err != nil {
		conn.Close()
		return nil, fmt.Errorf("taking the migration lock: %w", err)
	}
	_, err = conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", key)
	if err != nil {
		var pe *pgconn.PgError
		if errors.As(err, &pe) && pe.Code == "55P03" {
			if h, _ := lockHolder(context.WithoutCancel(ctx), conn, key); h != "" {
				holder = h
			}
			conn.Close()
			return nil, &LockTimeoutError{Timeout: timeout, Holder: holder}
		}
		conn.Close()
		if ctx.Err() != nil {
			return nil, fmt.Errorf("waiting for the migration lock held by %s: %w", holder, ctx.Err())
		}
		return nil, fmt.Errorf("taking the migration lock: %w", err)
	}
	_, _ = conn.ExecContext(ctx, "RESET lock_timeout")
	m.emit(Event{Kind: EventLocked})
	return release, nil
}

// lockHolder describes the backend holding the advisory lock.
func lockHolder(ctx context.Context, conn *sql.Conn, key int64) (string, int) {
	var pid int
	var app, addr, since string
	err := conn.QueryRowContext(ctx, `SELECT l.pid, coalesce(a.application_name, ''), coalesce(host(a.client_addr), 'local socket'),
       coalesce(to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || ' UTC', '')
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
