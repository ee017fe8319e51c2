package migrate

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"strings"
)

// The run's lock and its connection.
//
// A run works on one pinned connection (*sql.Conn), and on PostgreSQL the
// migration lock — a session advisory lock — is taken on that same
// connection. The lock and everything the run does then share one server
// session: if the session ends (pg_terminate_backend, idle_session_timeout,
// a server crash), the lock goes with it and so does every later statement
// and COMMIT of the run, which fail on the dead connection (database/sql
// never reconnects a *sql.Conn behind our back). So no statement runs, and
// nothing commits, after the lock is gone — by construction, with no check
// and no extra round trip. The failure is then reported as a
// *LockLostError inside the *RunError.

// LockLostError reports that the connection holding the migration lock
// was lost during a run: on PostgreSQL the lock is held by the run's own
// session, so a lost connection is a lost lock, and the run stopped there.
// Another run may have taken the lock since. It is wrapped in a *RunError
// that says what committed before.
type LockLostError struct {
	// During says what the run was doing, e.g. "running versions/003.sql:1
	// (revision r3)"; empty when it is only in Err's text.
	During string
	// InDoubt are the revisions whose COMMIT was under way: whether it
	// took effect is unknown.
	InDoubt []string
	// OutsideTx: the statement under way ran outside a transaction, so
	// whether it took effect is unknown.
	OutsideTx bool
	Err       error // what the driver reported
}

func (e *LockLostError) Error() string {
	var b strings.Builder
	b.WriteString("the connection to the server was lost")
	if e.During != "" {
		b.WriteString(" while " + e.During)
	}
	fmt.Fprintf(&b, ": %s\nthe migration lock, held on that connection, was lost with it: this run stopped there, and another run may hold the lock now", connCause(e.Err))
	if len(e.InDoubt) > 0 {
		fmt.Fprintf(&b, "\nthe commit of %s was under way: whether it took effect is unknown; check with 'migrate current'", strings.Join(e.InDoubt, ", "))
	} else if e.OutsideTx {
		b.WriteString("\nthe statement under way ran outside a transaction: whether it took effect is unknown")
	}
	return b.String()
}

func (e *LockLostError) Unwrap() error { return e.Err }

// connCause is the driver's account of a lost connection: the server's
// message when it sent one (a terminated backend, a session timeout),
// else the whole error.
func connCause(err error) string {
	var se *StatementError
	if errors.As(err, &se) {
		err = se.Err
	}
	var ce *commitError
	if errors.As(err, &ce) {
		err = ce.err
	}
	switch {
	case errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone):
		return "the connection was closed"
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "the server closed the connection"
	}
	return err.Error()
}

// commitError is a failed COMMIT, with the revisions it was committing.
type commitError struct {
	revisions []string
	err       error
}

func (e *commitError) Error() string { return "committing: " + e.err.Error() }
func (e *commitError) Unwrap() error { return e.err }

// connAlive tells whether the run's connection can still be used: false
// once database/sql has closed it, or when the driver says it is broken.
func connAlive(conn *sql.Conn) bool {
	err := conn.Raw(func(dc any) error {
		if v, ok := dc.(driver.Validator); ok && !v.IsValid() {
			return errDead
		}
		return nil
	})
	return err == nil
}

var errDead = errors.New("connection is no longer valid")

// discard closes the connection instead of returning it to the pool:
// for a connection that may still hold the lock, or a session setting
// of the run.
func discard(conn *sql.Conn) {
	_ = conn.Raw(func(any) error { return driver.ErrBadConn })
}

// explain lets the dialect name the cause of a failed run when it knows
// it better than the driver does (a lost connection on PostgreSQL, a busy
// database on SQLite), keeping the *RunError around it; a lost
// connection outside one gets one, with what committed.
func (m *Migrator) explain(ctx context.Context, err error, x *executor) error {
	if err == nil || ctx.Err() != nil {
		return err
	}
	var re *RunError
	if errors.As(err, &re) {
		re.Err = m.d.explain(m, x.conn, re.Err, re.InProgress != nil)
		return err
	}
	e := m.d.explain(m, x.conn, err, false)
	var lost *LockLostError
	if errors.As(e, &lost) {
		return &RunError{Err: e, Committed: x.committed}
	}
	return e
}

// inDoubt tells whether err is a lost connection during a COMMIT.
func inDoubt(err error) bool {
	var lost *LockLostError
	return errors.As(err, &lost) && len(lost.InDoubt) > 0
}
