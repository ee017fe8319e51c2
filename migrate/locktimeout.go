package migrate

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/migratehq/migrate/versions"
)

// No unbounded waits on PostgreSQL.
//
// Every statement of a revision runs under a lock_timeout (default
// DefaultPGLockTimeout), so that an ALTER TABLE stuck behind a session
// that sits idle in a transaction gives up after a few seconds instead of
// waiting for ever while every query that arrives after it queues behind
// it. A statement_timeout can be set the same way (none by default).
// Both come from the options (the config), and a revision's header
// overrides them for its statements.
//
// Inside a transaction the values are set with set_config(…, true) (SET
// LOCAL): they end with the transaction, and nothing is left on the
// connection. A revision that runs outside a transaction gets them at
// session level, and the run puts the session's own values back before
// the connection returns to the pool (restoreTimeouts).
//
// A lock timeout (SQLSTATE 55P03) is retried, after a pause that doubles
// each time (jittered), up to the configured number of retries:
//
//   - in a transaction, the transaction is rolled back and run again from
//     its start: the revision's in mode revision, the whole run's in mode
//     all (from the start of the run, the plan included, or from the
//     transaction that follows a transaction-false revision);
//   - outside a transaction, only the statement that timed out runs
//     again: the ones before it have committed, and it had no effect
//     (a statement cancelled while waiting for its lock is rolled back).
//     Not when it is a CONCURRENTLY command, which can leave an invalid
//     index behind when cancelled part-way, nor inside a transaction the
//     revision opened itself (its earlier statements are gone with it).
//
// While a statement waits, a watcher on a second connection of the pool
// asks the server which sessions block it (pg_blocking_pids), so that the
// final error can name them: once the timeout has fired the wait, and
// with it the answer, is gone.

// Defaults of the PostgreSQL statement timeouts.
const (
	DefaultPGLockTimeout  = 3 * time.Second
	DefaultLockRetries    = 3
	DefaultLockRetryDelay = time.Second
)

// timeoutOptions are the PostgreSQL statement timeouts of a run.
type timeoutOptions struct {
	lock, stmt time.Duration // 0: the session's own setting
	retries    int
	delay      time.Duration // before the first retry; doubled for each next one
}

func defaultTimeouts() timeoutOptions {
	return timeoutOptions{lock: DefaultPGLockTimeout, retries: DefaultLockRetries, delay: DefaultLockRetryDelay}
}

// WithPGLockTimeout sets the lock_timeout every revision statement runs
// under on PostgreSQL (default DefaultPGLockTimeout); 0 leaves the
// session's own setting (the server's default is no limit). A revision's
// -- migrate:lock_timeout header overrides it. It has no effect on
// SQLite, and none on the wait for another run's migration lock
// (WithLockTimeout).
func WithPGLockTimeout(d time.Duration) Option {
	return func(o *options) error {
		if err := checkTimeout("lock_timeout", d); err != nil {
			return err
		}
		o.timeouts.lock = d
		return nil
	}
}

// WithPGStatementTimeout sets the statement_timeout every revision
// statement runs under on PostgreSQL; 0 (the default) leaves the
// session's own setting. A revision's -- migrate:statement_timeout
// header overrides it. A statement cancelled by it is not retried.
func WithPGStatementTimeout(d time.Duration) Option {
	return func(o *options) error {
		if err := checkTimeout("statement_timeout", d); err != nil {
			return err
		}
		o.timeouts.stmt = d
		return nil
	}
}

// WithLockRetries sets how many times a revision's transaction (or,
// outside a transaction, its statement) runs again after a lock timeout
// on PostgreSQL (default DefaultLockRetries; 0: never), and the pause
// before the first retry (default DefaultLockRetryDelay), doubled for
// each next one and jittered by up to a quarter either way.
func WithLockRetries(n int, delay time.Duration) Option {
	return func(o *options) error {
		if n < 0 {
			return fmt.Errorf("lock retries %d is negative", n)
		}
		if delay < 0 {
			return fmt.Errorf("lock retry delay %v is negative", delay)
		}
		o.timeouts.retries, o.timeouts.delay = n, delay
		return nil
	}
}

func checkTimeout(name string, d time.Duration) error {
	if _, err := versions.ParseTimeout(d.String()); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// timeoutState is what a run knows of the timeouts on its connection,
// and where it stands in retrying.
type timeoutState struct {
	read bool // pid and orig are known
	pid  int  // the run's backend
	// orig are the session's own values when the run began; session the
	// values at session level now; local those set in the open
	// transaction (nil when none was). Values are milliseconds, as
	// pg_settings shows them.
	orig, session ms2
	local         *ms2
	// known is false once a statement of a revision may have changed
	// them (SET, RESET, set_config …): the next revision sets its own.
	known bool
	// dirty: the session level may differ from orig; the run restores it.
	dirty bool

	// txOp is the op that opened the open transaction (-1: the run's
	// first, opened before any op), txSteps len(Result.Steps) then.
	txOp, txSteps int
	// retryKey is what is being retried (an op, or runKey), tries how
	// many retries it had.
	retryKey any
	tries    int

	// The last blocking sessions the watcher saw, and the lock waited for.
	blockers []Blocker
	waitedOn string
	// waiting: the failed statement still waited for that lock when
	// statement_timeout cancelled it (as the watcher saw it).
	waiting bool
}

// ms2 are a lock_timeout and a statement_timeout in milliseconds.
type ms2 struct{ lock, stmt int64 }

// runKey is the retry key of the run's first transaction.
const runKey = "run"

// errRerun: the run's first transaction timed out on a lock and was
// rolled back; the run starts again (see Migrator.run).
var errRerun = errors.New("lock timeout: the run starts again")

// txBegun is called when op i opens a transaction.
func (x *executor) txBegun(i int, res *Result) {
	x.lt.local = nil
	x.lt.txOp, x.lt.txSteps = i, len(res.Steps)
}

// wantTimeouts are the values revision r's statements run under.
func (x *executor) wantTimeouts(r *versions.Revision) ms2 {
	o := x.m.opts.timeouts
	lock, stmt := o.lock, o.stmt
	if r.LockTimeout != nil {
		lock = *r.LockTimeout
	}
	if r.StatementTimeout != nil {
		stmt = *r.StatementTimeout
	}
	w := x.lt.orig
	if lock > 0 {
		w.lock = lock.Milliseconds()
	}
	if stmt > 0 {
		w.stmt = stmt.Milliseconds()
	}
	return w
}

// applyTimeouts puts the timeouts of o's revision in force before its
// first statement (PostgreSQL; nothing when they already are).
func (x *executor) applyTimeouts(ctx context.Context, o *op) error {
	if x.m.d.name() != Postgres || o.n == 0 {
		return nil
	}
	if !x.lt.read {
		err := x.conn.QueryRowContext(ctx, `SELECT pg_backend_pid(),
 (SELECT setting::bigint FROM pg_settings WHERE name = 'lock_timeout'),
 (SELECT setting::bigint FROM pg_settings WHERE name = 'statement_timeout')`).Scan(&x.lt.pid, &x.lt.orig.lock, &x.lt.orig.stmt)
		if err != nil {
			return fmt.Errorf("reading lock_timeout and statement_timeout: %w", err)
		}
		x.lt.read, x.lt.known, x.lt.session = true, true, x.lt.orig
	}
	want := x.wantTimeouts(o.step.Revision)
	cur := x.lt.session
	if x.inTx && x.lt.local != nil {
		cur = *x.lt.local
	}
	if x.lt.known && cur == want {
		return nil
	}
	q := fmt.Sprintf("SELECT set_config('lock_timeout', '%d', %[3]t), set_config('statement_timeout', '%[2]d', %[3]t)", want.lock, want.stmt, x.inTx)
	if err := x.exec(ctx, q); err != nil {
		return fmt.Errorf("setting lock_timeout and statement_timeout for revision %s: %w", o.step.Revision.ID, err)
	}
	if x.inTx {
		x.lt.local = &want
		return nil
	}
	x.lt.session, x.lt.known = want, true
	x.lt.dirty = x.lt.dirty || want != x.lt.orig
	return nil
}

// restoreTimeouts puts the session's own values back at the end of a
// run that changed them; a connection where that fails is not pooled.
func (x *executor) restoreTimeouts(ctx context.Context) {
	if !x.lt.dirty {
		return
	}
	q := fmt.Sprintf("SELECT set_config('lock_timeout', '%d', false), set_config('statement_timeout', '%d', false)", x.lt.orig.lock, x.lt.orig.stmt)
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := x.exec(rctx, q); err != nil {
		discard(x.conn)
	}
}

// touchesSettings tells whether a statement may change the session's
// settings (lock_timeout among them).
func touchesSettings(q string) bool {
	switch firstKeyword(q) {
	case "SET", "RESET", "DISCARD":
		return true
	}
	return strings.Contains(strings.ToLower(q), "set_config")
}

// statement runs statement o of a revision: on PostgreSQL with a watcher
// of what blocks it, and outside a transaction with its retries.
func (x *executor) statement(ctx context.Context, o *op) error {
	for {
		err := x.execWatched(ctx, o)
		if touchesSettings(o.st.SQL) {
			x.lt.known, x.lt.dirty = false, true
		}
		if err == nil || x.inTx || x.cannotRetryOutside(o, err) != "" {
			return err
		}
		if perr := x.pauseRetry(ctx, o, o, x.effective().lock, "the statement did not take effect"); perr != nil {
			if errors.Is(perr, errNoRetry) {
				return err
			}
			return perr
		}
	}
}

// execWatched runs o's statement; when a lock timeout is in force, a
// watcher notes the sessions it waits behind.
func (x *executor) execWatched(ctx context.Context, o *op) error {
	limit := x.watchLimit()
	if x.lt.pid == 0 || limit == 0 || x.m.db == nil {
		return x.m.d.execStatement(ctx, x.conn, o.st.SQL)
	}
	w := watchBlockers(ctx, x.m.db, x.lt.pid, limit)
	start := time.Now()
	err := x.m.d.execStatement(ctx, x.conn, o.st.SQL)
	if on, bs, freeAt := w.stop(); err != nil && len(bs) > 0 {
		// statement_timeout fires no sooner than this after the start:
		// a wait first seen over after it lasted until the cancel.
		cancelAt := start.Add(time.Duration(x.effective().stmt) * time.Millisecond)
		x.lt.waitedOn, x.lt.blockers = on, bs
		x.lt.waiting = freeAt.IsZero() || !freeAt.Before(cancelAt)
	} else if err != nil {
		x.lt.waitedOn, x.lt.blockers, x.lt.waiting = "", nil, false
	}
	return err
}

// watchLimit is the shorter of the lock_timeout and statement_timeout in
// force (0 when neither is): either can end a lock wait, and the watcher
// must look before it does.
func (x *executor) watchLimit() time.Duration {
	e := x.effective()
	ms := e.lock
	if e.stmt > 0 && (ms == 0 || e.stmt < ms) {
		ms = e.stmt
	}
	return time.Duration(ms) * time.Millisecond
}

// effective are the timeouts in force now.
func (x *executor) effective() ms2 {
	if x.inTx && x.lt.local != nil {
		return *x.lt.local
	}
	return x.lt.session
}

// isLockTimeout tells whether err is PostgreSQL's lock_not_available
// (lock_timeout, or a NOWAIT that found the lock taken).
func isLockTimeout(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "55P03"
}

// isStatementTimeout tells whether err is a statement cancelled by
// statement_timeout, not by the run's context or another session.
func (x *executor) isStatementTimeout(ctx context.Context, err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "57014" && ctx.Err() == nil &&
		x.effective().stmt > 0 && strings.Contains(pe.Message, "statement timeout")
}

// cannotRetryOutside says why a lock timeout of statement o, outside a
// transaction of the runner, is not retried ("" when it is).
func (x *executor) cannotRetryOutside(o *op, err error) string {
	switch {
	case !isLockTimeout(err):
		return "not a lock timeout"
	case x.watch.inTx():
		return "it ran in a transaction the revision opened itself, whose earlier statements were rolled back with it: it cannot be run again alone"
	case hasWord(o.st.SQL, "CONCURRENTLY"):
		return "a CONCURRENTLY command cancelled part-way can leave an invalid index behind (\\d in psql shows it INVALID; drop it before running again), so it is not run again blindly"
	}
	return ""
}

// hasWord tells whether q holds w as a whole word, in any case.
func hasWord(q, w string) bool {
	for _, f := range strings.FieldsFunc(strings.ToUpper(q), func(r rune) bool {
		return !(r == '_' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	}) {
		if f == w {
			return true
		}
	}
	return false
}

// moreTries counts a retry of key, and tells whether one is left.
func (x *executor) moreTries(key any) bool {
	if key != x.lt.retryKey {
		x.lt.retryKey, x.lt.tries = key, 0
	}
	return x.lt.tries < x.m.opts.timeouts.retries
}

// pauseRetry reports retry tries+1 of key (statement o timed out after
// lockMS; done says what became of its work), and waits before it.
func (x *executor) pauseRetry(ctx context.Context, key any, o *op, lockMS int64, done string) error {
	if !x.moreTries(key) {
		return errNoRetry
	}
	x.lt.tries++
	n, max := x.lt.tries, x.m.opts.timeouts.retries
	d := backoff(x.m.opts.timeouts.delay, n)
	r := o.step.Revision
	msg := fmt.Sprintf("%s:%d: lock timeout (%v)%s; %s; retry %d/%d in %v",
		r.Path, o.st.Line, time.Duration(lockMS)*time.Millisecond, x.blockedBy(), done, n, max, d.Round(time.Millisecond))
	e := Event{Kind: EventLockRetry, Revision: r.ID, File: r.Path, Message: msg, Count: n, Duration: d}
	if len(x.lt.blockers) > 0 {
		e.PID, e.Blockers = x.lt.blockers[0].PID, x.lt.blockers
	}
	x.m.emit(e)
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return fmt.Errorf("waiting to retry after a lock timeout: %w", ctx.Err())
	case <-t.C:
		return nil
	}
}

// errNoRetry: the retries are spent.
var errNoRetry = errors.New("no retry left")

// backoff is the pause before retry n (1-based): delay doubled n-1
// times, jittered by up to a quarter either way.
func backoff(delay time.Duration, n int) time.Duration {
	d := delay << (n - 1)
	if d <= 0 {
		return 0
	}
	return time.Duration(float64(d) * (0.75 + rand.Float64()/2))
}

// blockedBy is ", waiting for a lock on T held by pid N (state)" as far
// as the watcher saw it.
func (x *executor) blockedBy() string {
	var b strings.Builder
	if x.lt.waitedOn != "" {
		b.WriteString(" waiting for " + x.lt.waitedOn)
	}
	for i, bl := range x.lt.blockers {
		if i == 0 {
			b.WriteString(", held by")
		} else {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, " pid %d (%s)", bl.PID, bl.state())
	}
	return b.String()
}

// retryTx: statement o failed with err in a transaction of the runner.
// When err is a lock timeout and a retry is left, it rolls the
// transaction back, waits, and returns the index of the op to go on at,
// or errRerun when that transaction is the run's first. Otherwise it
// returns -1 and nil.
func (x *executor) retryTx(ctx context.Context, o *op, err error, res *Result) (int, error) {
	if !x.inTx || !isLockTimeout(err) {
		return -1, nil
	}
	var key any = runKey
	if x.lt.txOp >= 0 {
		key = x.lt.txOp
	}
	if !x.moreTries(key) {
		return -1, nil
	}
	lockMS := x.effective().lock
	x.ran = false // no "Rolled back." line: the retry line says it
	x.rollback(ctx)
	x.lt.local = nil
	done := "the transaction was rolled back"
	if key == runKey {
		done = "the run's transaction was rolled back, and the run starts again"
	}
	if err := x.pauseRetry(ctx, key, o, lockMS, done); err != nil {
		return -1, x.runError(ctx, err)
	}
	if key == runKey {
		return -1, errRerun
	}
	res.Steps = res.Steps[:x.lt.txSteps]
	return x.lt.txOp, nil
}

// timeoutError is the error of statement o, which failed with err: a
// *TimeoutError for a lock or statement timeout, else a *StatementError.
func (x *executor) timeoutError(ctx context.Context, o *op, err error) error {
	se := x.statementError(o, err).(*StatementError)
	switch {
	case isLockTimeout(err):
		te := &TimeoutError{Setting: "lock_timeout", Timeout: time.Duration(x.effective().lock) * time.Millisecond,
			Attempts: 1, WaitedOn: x.lt.waitedOn, Blockers: x.lt.blockers, Err: se}
		if x.lt.retryKey != nil {
			te.Attempts += x.lt.tries
		}
		if !x.inTx {
			te.NotRetried = x.cannotRetryOutside(o, err)
			te.NoEffect = !hasWord(o.st.SQL, "CONCURRENTLY") && !x.watch.inTx()
		}
		if x.m.opts.timeouts.retries == 0 && te.NotRetried == "" {
			te.NotRetried = "retries are off"
		}
		return te
	case x.isStatementTimeout(ctx, err):
		te := &TimeoutError{Setting: "statement_timeout", Timeout: time.Duration(x.effective().stmt) * time.Millisecond, Attempts: 1, Err: se}
		if x.lt.waiting {
			te.LockWait, te.LockTimeout = true, time.Duration(x.effective().lock)*time.Millisecond
			te.WaitedOn, te.Blockers = x.lt.waitedOn, x.lt.blockers
		}
		return te
	}
	return se
}

// TimeoutError is a revision statement that PostgreSQL cancelled because
// it waited for a lock longer than lock_timeout (SQLSTATE 55P03) — after
// the retries — or ran longer than statement_timeout (57014, never
// retried). It wraps the *StatementError, and for a lock timeout names
// the sessions the statement waited behind, as seen while it waited.
type TimeoutError struct {
	Setting  string        // "lock_timeout" or "statement_timeout"
	Timeout  time.Duration // the setting in force
	Attempts int           // how many times the statement ran (its transaction, in one)
	// NotRetried says why a lock timeout was not retried ("" when the
	// retries ran out).
	NotRetried string
	WaitedOn   string    // what it waited for ("a lock on accounts"), when seen
	Blockers   []Blocker // the sessions it waited behind, when seen
	// NoEffect: the statement ran outside a transaction and, cancelled
	// while it waited for its lock, had no effect.
	NoEffect bool
	// LockWait: statement_timeout cancelled the statement while it still
	// waited for a lock (WaitedOn, Blockers), before LockTimeout (the
	// lock_timeout in force; 0: none) ran out. It is not retried.
	LockWait    bool
	LockTimeout time.Duration
	Err         *StatementError
}

func (e *TimeoutError) Error() string {
	var b strings.Builder
	b.WriteString(e.Err.Error())
	waited := "a lock"
	if e.WaitedOn != "" {
		waited = e.WaitedOn
	}
	if e.Setting == "statement_timeout" && e.LockWait {
		e.lockWaitCut(&b, waited)
		return b.String()
	}
	if e.Setting == "statement_timeout" {
		fmt.Fprintf(&b, "\nthe statement ran longer than statement_timeout (%v) and was cancelled; it is not retried: give it more time (pg_statement_timeout in migrate.toml, or -- migrate:statement_timeout in the revision) if it needs it", e.Timeout)
		return b.String()
	}
	switch {
	case e.NotRetried != "":
		fmt.Fprintf(&b, "\nit waited longer than lock_timeout (%v) for %s; not retried: %s", e.Timeout, waited, e.NotRetried)
	default:
		fmt.Fprintf(&b, "\ngave up after %d attempt(s), each waiting lock_timeout (%v) for %s", e.Attempts, e.Timeout, waited)
	}
	if e.NoEffect {
		b.WriteString(" (it ran outside a transaction and had no effect: a statement cancelled while it waits for its lock is rolled back)")
	}
	e.writeBlockers(&b, "raise lock_timeout (pg_lock_timeout in migrate.toml, or -- migrate:lock_timeout in the revision)")
	return b.String()
}

// lockWaitCut explains a statement that statement_timeout cancelled
// while it still waited for a lock.
func (e *TimeoutError) lockWaitCut(b *strings.Builder, waited string) {
	limit := "no lock_timeout was in force"
	if e.LockTimeout > 0 {
		limit = fmt.Sprintf("before lock_timeout (%v) ran out", e.LockTimeout)
	}
	fmt.Fprintf(b, "\nstatement_timeout (%v) cancelled the statement while it still waited for %s (%s): it did not run longer than allowed, it never got the lock; it is not retried, as only a lock timeout is", e.Timeout, waited, limit)
	e.writeBlockers(b, "set statement_timeout above lock_timeout (pg_statement_timeout / pg_lock_timeout in migrate.toml, or the revision's -- migrate: headers) so that a lock wait ends as a lock timeout, which is retried")
}

// writeBlockers lists the blocking sessions and what to do about them;
// raise is the advice about the setting that ended the wait.
func (e *TimeoutError) writeBlockers(b *strings.Builder, raise string) {
	if len(e.Blockers) == 0 {
		b.WriteString("\nthe sessions holding it could not be seen while it waited (look at pg_locks and pg_stat_activity)")
		return
	}
	b.WriteString("\nblocked by:")
	for _, bl := range e.Blockers {
		b.WriteString("\n  " + bl.String())
	}
	fmt.Fprintf(b, "\nend those sessions or let them finish (SELECT pg_terminate_backend(%d) ends the first), or %s, then run again", e.Blockers[0].PID, raise)
}

func (e *TimeoutError) Unwrap() error { return e.Err }

// noEffectAccount is what a RunError says of revision p, left in
// progress, when its failure err is a lock timeout outside a transaction
// that had no effect: which statements took effect, and what to do. ok
// is false for any other failure.
func noEffectAccount(p *Progress, err error) (account, advice string, ok bool) {
	var te *TimeoutError
	if !errors.As(err, &te) || !te.NoEffect || p.Statement < 1 || p.Statement > p.Statements {
		return "", "", false
	}
	cancelled := fmt.Sprintf("statement %d (%s) was cancelled while it waited for its lock and had no effect", p.Statement, p.Where())
	if p.Statement == 1 {
		undo := "upgrade"
		if p.Direction == "downgrade" {
			undo = "downgrade"
		}
		return "none of its statements took effect: " + cancelled,
			fmt.Sprintf("nothing of its %s is in effect, so 'migrate resolve %s --%s' records that, and the next run runs it again from its start", undo, p.Revision, map[string]string{"upgrade": "reverted", "downgrade": "applied"}[undo]), true
	}
	done := "statement 1"
	if p.Statement > 2 {
		done = fmt.Sprintf("statements 1 to %d", p.Statement-1)
	}
	rest := fmt.Sprintf("statement %d", p.Statement)
	if p.Statement < p.Statements {
		rest = fmt.Sprintf("statements %d to %d", p.Statement, p.Statements)
	}
	return fmt.Sprintf("%s of %d took effect, %s, and the statements after it did not run", done, p.Statements, cancelled),
		fmt.Sprintf("either run %s by hand (from %s) and record 'migrate resolve %s --applied', or undo %s by hand and record 'migrate resolve %s --reverted'", rest, p.Where(), p.Revision, done, p.Revision), true
}
