package migrate

import (
	"database/sql"
	"errors"
	"strings"
	"sync/atomic"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"modernc.org/sqlite"
)

// txWatch tells, after each statement and without a round trip, whether
// the statement ended the transaction the runner opened around it (a
// COMMIT or ROLLBACK inside a revision: the load-time check rejects the
// plain ones, this catches whatever it cannot see). A revision that runs
// outside a transaction may hold its own BEGIN … COMMIT; it must not end
// with one still open (see leftOpen).
//
//   - PostgreSQL (pgx): the connection's transaction status, which the
//     server sends with every reply ('T' in a transaction, 'I' idle),
//     plus the statement's first keyword, which tells a COMMIT from a
//     ROLLBACK and catches COMMIT AND CHAIN (still 'T' afterwards).
//   - SQLite (modernc.org/sqlite): commit and rollback hooks on the
//     connection count the transactions that end; SQLite exposes no
//     other zero-cost view of sqlite3_get_autocommit through database/sql.
//
// With another driver it sees nothing, and the load-time check stands
// alone.
type txWatch struct {
	conn *sql.Conn
	pg   bool
	// SQLite: transactions ended since the hooks were set, and at the
	// start of the current one.
	commits, rollbacks atomic.Int64
	c0, r0             int64
}

// newTxWatch starts watching conn; stop removes the SQLite hooks.
func newTxWatch(conn *sql.Conn) (w *txWatch, stop func()) {
	w = &txWatch{conn: conn}
	stop = func() {}
	_ = conn.Raw(func(dc any) error {
		switch c := dc.(type) {
		case *stdlib.Conn:
			w.pg = true
		case sqlite.HookRegisterer:
			c.RegisterCommitHook(func() int32 { w.commits.Add(1); return 0 })
			c.RegisterRollbackHook(func() { w.rollbacks.Add(1) })
			stop = func() {
				_ = conn.Raw(func(any) error {
					c.RegisterCommitHook(nil)
					c.RegisterRollbackHook(nil)
					return nil
				})
			}
		}
		return nil
	})
	return w, stop
}

// begun is called once the runner has opened a transaction.
func (w *txWatch) begun() {
	if w == nil {
		return
	}
	w.c0, w.r0 = w.commits.Load(), w.rollbacks.Load()
}

// pgStatus is the PostgreSQL connection's transaction status ('I', 'T',
// 'E'), or 0 with another driver.
func (w *txWatch) pgStatus() byte {
	var st byte
	_ = w.conn.Raw(func(dc any) error {
		if c, ok := dc.(*stdlib.Conn); ok {
			st = c.Conn().PgConn().TxStatus()
		}
		return nil
	})
	return st
}

// inTx tells whether the connection is in a transaction, as far as the
// watch can see (PostgreSQL only; false elsewhere).
func (w *txWatch) inTx() bool {
	if w == nil || !w.pg {
		return false
	}
	st := w.pgStatus()
	return st == 'T' || st == 'E'
}

// after is called after a statement (q) ran successfully, inTx telling
// whether it ran in the runner's transaction. It returns "" when the
// transaction state is as it should be; otherwise "committed", "rolled
// back" or "ended" (the transaction ended, and how cannot be told).
func (w *txWatch) after(q string, inTx bool) string {
	if w == nil {
		return ""
	}
	if w.pg {
		st := w.pgStatus()
		kw := firstKeyword(q)
		ending := ""
		switch kw {
		case "COMMIT", "END":
			ending = "committed"
		case "ROLLBACK", "ABORT":
			ending = "rolled back"
		}
		switch {
		case !inTx:
			// A revision outside a transaction may run its own.
		case st == 'I':
			if ending == "" {
				return "ended"
			}
			return ending
		case ending != "" && chained(q):
			// Still in a transaction, but a COMMIT AND CHAIN or ROLLBACK
			// AND CHAIN ended the runner's and opened another. (ROLLBACK
			// TO SAVEPOINT keeps the transaction: it is no ending.)
			return ending
		}
		return ""
	}
	if !inTx {
		return ""
	}
	switch {
	case w.commits.Load() != w.c0:
		return "committed"
	case w.rollbacks.Load() != w.r0:
		return "rolled back"
	}
	return ""
}

// chained tells whether a COMMIT or ROLLBACK statement ends with AND
// CHAIN (AND NO CHAIN is the default, and ends with CHAIN too).
func chained(q string) bool {
	f := strings.Fields(strings.ToUpper(q))
	n := len(f)
	return n >= 3 && f[n-1] == "CHAIN" && f[n-2] == "AND"
}

// firstKeyword is the statement's first word, upper-cased (statements
// start at their first token: no leading comment or space).
func firstKeyword(q string) string {
	i := 0
	for i < len(q) && (q[i] >= 'a' && q[i] <= 'z' || q[i] >= 'A' && q[i] <= 'Z') {
		i++
	}
	return strings.ToUpper(q[:i])
}

// commitUncertain tells whether a failed COMMIT may nevertheless have
// committed: on PostgreSQL, when the server did not answer (a connection
// failure, a cancelled context); an error from the server means the
// transaction was rolled back. SQLite's COMMIT is local: a failure leaves
// the transaction open, and the runner rolls it back.
func (x *executor) commitUncertain(err error) bool {
	var pe *pgconn.PgError
	return x.m.d.name() == Postgres && !errors.As(err, &pe)
}
