package migrate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/migratehq/migrate/sqlsplit"
	"github.com/migratehq/migrate/versions"
)

// Result reports what a run did.
type Result struct {
	Steps    []StepResult
	Duration time.Duration
	DryRun   bool
}

// StepResult is one revision applied, reverted or stamped.
type StepResult struct {
	Revision  string
	Direction string // "upgrade" | "downgrade"
	Duration  time.Duration
}

// Upgrade applies the revisions needed to reach target ("head", "heads",
// "+1", "ae10", "billing@head" …). A target already reached is not an
// error: the result has no steps.
func (m *Migrator) Upgrade(ctx context.Context, target string) (*Result, error) {
	return m.run(ctx, false, false, isRelative(target), func(g *versions.Graph, applied []string) ([]versions.Step, error) {
		return g.PlanUpgrade(applied, target)
	})
}

// Downgrade reverts applied revisions down to target ("-1", "base",
// "ae10", "billing@-1" …).
func (m *Migrator) Downgrade(ctx context.Context, target string) (*Result, error) {
	return m.run(ctx, false, false, isRelative(target), func(g *versions.Graph, applied []string) ([]versions.Step, error) {
		return g.PlanDowngrade(applied, target)
	})
}

// Stamp writes the version table as if the database were upgraded or
// downgraded to targets, without running any revision's SQL. With purge,
// the table is emptied first (and unknown applied revisions are dropped).
func (m *Migrator) Stamp(ctx context.Context, targets []string, purge bool) (*Result, error) {
	return m.run(ctx, true, purge, false, func(g *versions.Graph, applied []string) ([]versions.Step, error) {
		return planStamp(g, applied, targets)
	})
}

func planStamp(g *versions.Graph, applied []string, targets []string) ([]versions.Step, error) {
	var steps []versions.Step
	cur := append([]string(nil), applied...)
	for _, t := range targets {
		s, err := g.PlanStamp(cur, t)
		if err != nil {
			return nil, err
		}
		steps = append(steps, s...)
		cur = applyPlan(cur, s)
	}
	return steps, nil
}

func applyPlan(applied []string, steps []versions.Step) []string {
	set := toSet(applied)
	for _, s := range steps {
		if s.Direction == versions.Up {
			set[s.Revision.ID] = true
		} else {
			delete(set, s.Revision.ID)
		}
	}
	out := make([]string, 0, len(set))
	for id := range set {
		out = append(out, id)
	}
	return out
}

func toSet(ids []string) map[string]bool {
	set := make(map[string]bool, len(ids))
	for _, id := range ids {
		set[id] = true
	}
	return set
}

// PlanError wraps a failure to resolve the target or plan the walk: bad
// input, not a database failure.
type PlanError struct{ Err error }

func (e *PlanError) Error() string { return e.Err.Error() }
func (e *PlanError) Unwrap() error { return e.Err }

// StateError reports a version table that does not match the revision
// files — applied revisions with no file, or applied files edited since —
// or a revision marked in progress, which a person must look at and
// resolve before anything else runs.
type StateError struct {
	Unknown    []string
	Edited     []Edited
	InProgress []Progress
}

func (e *StateError) Error() string {
	var parts []string
	for _, p := range e.InProgress {
		parts = append(parts, p.Describe())
	}
	if len(e.Unknown) > 0 {
		parts = append(parts, fmt.Sprintf("the database has applied revisions that no file defines: %s (is this checkout older than the database, or was a file deleted?)", strings.Join(e.Unknown, ", ")))
	}
	for _, ed := range e.Edited {
		parts = append(parts, fmt.Sprintf("%s: revision %s was edited after it was applied (checksum %.12s… in the database, %.12s… now); restore the file, or pass --accept-edited to record the new checksum", ed.File, ed.Revision, ed.Stored, ed.Current))
	}
	return strings.Join(parts, "\n")
}

// RunError wraps a failure during a run with what it left behind.
type RunError struct {
	Err error
	// Committed are the steps whose changes were committed before the
	// failure (by a per-revision transaction, a non-transactional
	// revision, or a statement that committed the run's transaction), in
	// the order they ran.
	Committed []StepResult
	// InProgress is the revision left marked in progress: it ran outside
	// a transaction (or its transaction ended under it) and did not
	// finish; some of its statements may have taken effect.
	InProgress *Progress
	// RolledBack tells that the failure rolled back an open transaction
	// in which revisions had run: their changes are gone.
	RolledBack bool
	// Uncertain are revisions whose transaction's COMMIT failed without
	// an answer from the server: whether they are applied is not known.
	Uncertain []string
}

func (e *RunError) Error() string {
	var b strings.Builder
	b.WriteString(e.Err.Error())
	if p := e.InProgress; p != nil {
		account, advice := p.Account(), fmt.Sprintf("look at the database, then record the outcome with 'migrate resolve %s --applied' or '--reverted'", p.Revision)
		if a, adv, ok := noEffectAccount(p, e.Err); ok {
			account, advice = a, adv
		}
		fmt.Fprintf(&b, "\nrevision %s did not finish: %s; ", p.Revision, account)
		if p.Direction == "downgrade" {
			b.WriteString("its version row was not removed")
		} else {
			b.WriteString("its version row was not written")
		}
		fmt.Fprintf(&b, ", and it is marked in progress: %s", advice)
	}
	if len(e.Uncertain) > 0 && !inDoubt(e.Err) { // a LockLostError says it itself
		fmt.Fprintf(&b, "\nwhether %s committed is not known; look at the database ('migrate current') before running again", strings.Join(e.Uncertain, ", "))
	}
	var up, down []string
	for _, s := range e.Committed {
		if s.Direction == "downgrade" {
			down = append(down, s.Revision)
		} else {
			up = append(up, s.Revision)
		}
	}
	switch {
	case len(e.Committed) > 0 || e.InProgress != nil || len(e.Uncertain) > 0 || inDoubt(e.Err):
		if e.RolledBack {
			b.WriteString("\nthe failing transaction was rolled back")
		}
	case e.RolledBack:
		b.WriteString("\nnothing was changed: the transaction was rolled back")
	default:
		b.WriteString("\nnothing was changed")
	}
	if len(up) > 0 {
		fmt.Fprintf(&b, "\n%d revision(s) committed before the failure remain applied: %s", len(up), strings.Join(up, ", "))
	}
	if len(down) > 0 {
		fmt.Fprintf(&b, "\n%d revision(s) reverted and committed before the failure remain reverted: %s", len(down), strings.Join(down, ", "))
	}
	return b.String()
}

func (e *RunError) Unwrap() error { return e.Err }

// TransactionEndedError reports a statement that ended the transaction
// the runner had opened around it (a COMMIT or ROLLBACK in a revision
// that runs in a transaction), or a revision that runs outside one and
// ended with a transaction of its own still open. The run stops there.
type TransactionEndedError struct {
	Revision string
	File     string
	Line     int
	SQL      string
	// How: "committed", "rolled back", "ended" (whether it committed
	// cannot be told) or "left open".
	How string
	// RecordErr is set when the version rows of what the statement
	// committed could not be written afterwards.
	RecordErr error
}

func (e *TransactionEndedError) Error() string {
	var msg string
	switch e.How {
	case "left open":
		msg = "the revision runs outside a transaction but ended with one of its own still open (a BEGIN without its COMMIT); the run rolled that transaction back and stopped"
	case "ended":
		msg = "this statement ended the transaction the revision ran in; whether it committed cannot be told: look at the database before running again"
	default:
		msg = fmt.Sprintf("this statement %s the transaction the revision ran in, and the run stopped; a revision must not commit or roll back its transaction (mark it '-- migrate:transaction false' to run it outside one)", e.How)
	}
	s := fmt.Sprintf("%s:%d: %s\n  in statement: %s", e.File, e.Line, msg, statementText(e.SQL))
	if e.RecordErr != nil {
		s += fmt.Sprintf("\nrecording what it committed in the version table failed too: %v", e.RecordErr)
	}
	return s
}

// StatementError is a failing statement, located in its revision file.
type StatementError struct {
	Revision string
	File     string
	Line     int // file line of the error (of the statement's start when the database gives no position)
	SQL      string
	Err      error
}

func (e *StatementError) Error() string {
	return fmt.Sprintf("%s:%d: %v\n  in statement: %s", e.File, e.Line, e.Err, statementText(e.SQL))
}

// statementText is a statement as an error quotes it: its first 300
// bytes (cut at a character boundary), later lines indented.
func statementText(q string) string {
	if len(q) > 300 {
		cut := 300
		for cut > 0 && !utf8.RuneStart(q[cut]) {
			cut--
		}
		q = q[:cut] + " …"
	}
	return strings.ReplaceAll(q, "\n", "\n    ")
}

func (e *StatementError) Unwrap() error { return e.Err }

type opKind int

const (
	opBegin opKind = iota
	opCommit
	opStart  // a revision starts
	opStmt   // one statement of it
	opRecord // write or delete its version row; the revision is done
)

type op struct {
	kind opKind
	step *versions.Step
	st   sqlsplit.Statement
	// noTx (opStart, opStmt, opRecord): the revision runs outside a
	// transaction, so its statements are preceded by its in-progress mark.
	noTx bool
	idx  int // opStmt: 1-based index of the statement in its section
	n    int // opStart, opStmt, opRecord: how many statements the section has
	next int // opStmt: file line of the section's next statement (0 after the last)
}

// program turns a plan into the exact sequence of transaction boundaries,
// statements and version-table writes, shared by the online runner and
// offline SQL. When the mode is TxAll the caller has opened the first
// transaction.
func (m *Migrator) program(steps []versions.Step, stamp bool) ([]op, error) {
	return m.programFrom(steps, stamp, m.opts.tx == TxAll)
}

// programFrom is program starting inside a transaction (inTx) or not.
func (m *Migrator) programFrom(steps []versions.Step, stamp, inTx bool) ([]op, error) {
	var ops []op
	for i := range steps {
		s := &steps[i]
		var stmts []sqlsplit.Statement
		if !stamp {
			var err error
			section := "up"
			if s.Direction == versions.Up {
				stmts, err = s.Revision.UpStatements(m.d.split())
			} else {
				section = "down"
				stmts, err = s.Revision.DownStatements(m.d.split())
			}
			if err == nil && !m.opts.noTxControlCheck {
				err = s.Revision.CheckTxControl(section, stmts, m.d.split())
			}
			if err != nil {
				return nil, &PlanError{Err: err}
			}
		}
		noTx := !stamp && !s.Revision.Transactional
		switch m.opts.tx {
		case TxAll:
			if noTx && inTx {
				ops = append(ops, op{kind: opCommit, step: s})
				inTx = false
			} else if !noTx && !inTx {
				ops = append(ops, op{kind: opBegin})
				inTx = true
			}
		case TxRevision:
			if !noTx {
				ops = append(ops, op{kind: opBegin})
			}
		}
		outside := noTx || m.opts.tx == TxNone
		n := len(stmts)
		ops = append(ops, op{kind: opStart, step: s, noTx: outside, n: n})
		for k, st := range stmts {
			next := 0
			if k+1 < n {
				next = stmts[k+1].Line
			}
			ops = append(ops, op{kind: opStmt, step: s, st: st, noTx: outside, idx: k + 1, n: n, next: next})
		}
		ops = append(ops, op{kind: opRecord, step: s, noTx: outside, n: n})
		if m.opts.tx == TxRevision && !noTx {
			ops = append(ops, op{kind: opCommit})
		}
	}
	if inTx {
		ops = append(ops, op{kind: opCommit})
	}
	return ops, nil
}

func direction(s *versions.Step) string {
	if s.Direction == versions.Up {
		return "upgrade"
	}
	return "downgrade"
}

// isRelative tells whether a target is relative to the applied revisions
// or to a revision (+N, -N, rev+N, label@-N ...): revision ids and labels
// never contain '+' or '-'.
func isRelative(target string) bool { return strings.ContainsAny(target, "+-") }

func (m *Migrator) run(ctx context.Context, stamp, purge, relative bool, plan func(g *versions.Graph, applied []string) ([]versions.Step, error)) (*Result, error) {
	if m.db == nil {
		return nil, errNoDB
	}
	start := time.Now()
	// One connection for the whole run, and the lock on it (lock.go).
	conn, err := m.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("connecting: %w", err)
	}
	defer conn.Close()
	x := &executor{m: m, conn: conn}
	release, err := m.d.lock(ctx, conn, m)
	if err != nil {
		return nil, err
	}
	defer release()
	restore, err := m.d.prepare(ctx, conn, m)
	if err != nil {
		return nil, m.explain(ctx, err, x)
	}
	defer restore()
	defer x.restoreTimeouts(ctx)

	// Prelude: create the version table and read the applied set, in the
	// run's first transaction (TxAll) or on their own. A lock timeout in
	// that first transaction starts the run again (see retryTx).
	var res *Result
	for {
		if m.opts.tx != TxNone {
			if err := x.exec(ctx, m.d.begin()); err != nil {
				return nil, m.explain(ctx, fmt.Errorf("beginning a transaction: %w", err), x)
			}
			x.inTx = true
		}
		res, err = m.runLocked(ctx, x, stamp, purge, relative, plan)
		if !errors.Is(err, errRerun) {
			break
		}
	}
	if err != nil {
		if x.inTx {
			x.rollback(ctx)
		}
		return nil, m.explain(ctx, err, x)
	}
	res.Duration = time.Since(start)
	m.emit(Event{Kind: EventDone, Duration: res.Duration, Count: len(res.Steps)})
	return res, nil
}

// emitPurged reports the rows stamp --purge removed (none: nothing to say).
func (m *Migrator) emitPurged(n int) {
	if n == 0 {
		return
	}
	verb := "emptied"
	if m.opts.dryRun {
		verb = "would empty" // the dry run rolls the DELETE back
	}
	m.emit(Event{Kind: EventPurged, Count: n, Message: fmt.Sprintf("%s the version table %s (%d row(s))", verb, m.vt(), n)})
}

func (m *Migrator) runLocked(ctx context.Context, x *executor, stamp, purge, relative bool, plan func(g *versions.Graph, applied []string) ([]versions.Step, error)) (*Result, error) {
	if err := x.exec(ctx, createTables(m.d, m.vt())); err != nil {
		return nil, fmt.Errorf("creating version table %s: %w", m.vt(), err)
	}
	rows, marks, err := readState(ctx, x.conn, m.d, m.vt())
	if err != nil {
		return nil, err
	}
	if m.opts.resolve != nil {
		return m.resolveLocked(ctx, x, rows, marks)
	}
	if len(marks) > 0 {
		// A revision was interrupted outside a transaction: what it left
		// is for a person to judge (Resolve), not for this run to guess.
		return nil, &StateError{InProgress: marks}
	}
	unwatch := x.watchTx()
	defer unwatch()
	g, err := m.Graph()
	if err != nil {
		return nil, err
	}
	st := StateOf(g, rows)
	purged := 0
	if stamp && purge {
		if err := x.exec(ctx, "DELETE FROM "+m.vt().String()); err != nil {
			return nil, err
		}
		st, purged = StateOf(g, nil), len(rows)
		m.emitPurged(purged)
	}
	if len(st.Unknown) > 0 || (len(st.Edited) > 0 && !m.opts.acceptEdited) {
		return nil, &StateError{Unknown: st.Unknown, Edited: st.Edited}
	}
	if !m.opts.dryRun {
		for _, ed := range st.Edited {
			m.emit(Event{Kind: EventWarning, Revision: ed.Revision, File: ed.File, Message: fmt.Sprintf("%s: revision %s was edited after it was applied; recording its new checksum", ed.File, ed.Revision)})
			if err := x.exec(ctx, updateChecksum(m.vt(), ed.Revision, ed.Current)); err != nil {
				return nil, err
			}
		}
	}
	steps, err := plan(g, st.IDs())
	if err != nil {
		return nil, &PlanError{Err: err}
	}
	ops, err := m.program(steps, stamp)
	if err != nil {
		return nil, err
	}
	m.emit(Event{Kind: EventPlan, Count: len(steps)})
	res := &Result{DryRun: m.opts.dryRun}
	if len(steps) == 0 || m.opts.dryRun {
		if m.opts.dryRun {
			for i := range steps {
				m.emitStep(&steps[i], stamp, 0, true)
			}
		}
		if len(steps) == 0 && purged == 0 {
			m.emit(Event{Kind: EventNothing, Message: "nothing to do"})
		}
		if x.inTx {
			// Keep a newly created version table; nothing else happened.
			if m.opts.dryRun {
				x.rollback(ctx)
			} else if err := x.commit(ctx); err != nil {
				return nil, err
			}
		}
		return res, nil
	}
	if m.opts.tx != TxAll && x.inTx {
		// The prelude's transaction ends here; each revision opens its own.
		if err := x.commit(ctx); err != nil {
			return nil, err
		}
	}
	if m.d.name() == SQLite {
		// SQLite has no lock that outlives a transaction: each later
		// transaction checks that no other run changed the version table
		// since this one planned (see stateMoved).
		x.expected = toSet(st.IDs())
		x.dataVersion = sqliteDataVersion(ctx, x.conn)
	}
	for {
		err := x.execOps(ctx, ops, stamp, res)
		var moved *stateMoved
		if !errors.As(err, &moved) {
			if err != nil {
				return nil, err
			}
			return res, nil
		}
		if relative && len(x.committed) > 0 {
			return nil, &RunError{Err: errors.New("another migrate run changed the version table during this run, between two of its transactions; a relative target cannot be planned again from the new state: check 'migrate current', then run again"), Committed: x.committed}
		}
		// As if this run had waited for the other one to finish: plan
		// again from the state it left.
		m.emit(Event{Kind: EventReplan, Message: "another migrate run changed the version table meanwhile; planning again from the state it left"})
		steps, err := plan(g, moved.applied)
		if err != nil {
			return nil, &PlanError{Err: err}
		}
		if ops, err = m.programFrom(steps, stamp, false); err != nil {
			return nil, err
		}
		x.expected = toSet(moved.applied)
		if len(steps) == 0 {
			m.emit(Event{Kind: EventNothing, Message: "nothing to do"})
			return res, nil
		}
	}
}

// stateMoved reports that the version table changed between two
// transactions of a run (another run worked in between, which SQLite's
// per-transaction lock allows); applied is its new content.
type stateMoved struct{ applied []string }

func (e *stateMoved) Error() string { return "the version table changed during the run" }

// checkState runs at the start of a transaction of a run on a database
// without a run-wide lock (and before a revision that runs outside any
// transaction): if the applied set is not what this run expects, it rolls
// back and returns a *stateMoved.
func (x *executor) checkState(ctx context.Context) error {
	if x.expected == nil {
		return nil
	}
	// Cheap first: no other connection committed anything since the last
	// look, so the version table cannot have moved.
	dv := sqliteDataVersion(ctx, x.conn)
	if dv != 0 && dv == x.dataVersion {
		return nil
	}
	rows, err := readApplied(ctx, x.conn, x.m.d, x.m.vt())
	if err != nil {
		return err
	}
	same := len(rows) == len(x.expected)
	for _, r := range rows {
		same = same && x.expected[r.Revision]
	}
	if same {
		x.dataVersion = dv
		return nil
	}
	if x.inTx {
		x.rollback(ctx)
	}
	applied := make([]string, len(rows))
	for i, r := range rows {
		applied[i] = r.Revision
	}
	return &stateMoved{applied: applied}
}

func (m *Migrator) emitStep(s *versions.Step, stamp bool, d time.Duration, planned bool) {
	e := stepEvent(EventRevision, s)
	e.Duration = d
	if stamp {
		e.Kind = EventStamp
	}
	if planned {
		e.Kind = EventPlan
	}
	m.emit(e)
}

// emitStart says that s's statements are about to run (EventStart).
func (m *Migrator) emitStart(s *versions.Step) {
	m.emit(stepEvent(EventStart, s))
}

// stepEvent is an event of kind about step s: its revision, file,
// message, and the arrow's two ends.
func stepEvent(kind EventKind, s *versions.Step) Event {
	r := s.Revision
	e := Event{Kind: kind, Direction: direction(s), Revision: r.ID, Message: r.Message, File: r.Path}
	if s.Direction == versions.Up {
		e.From, e.To = r.Parents, []string{r.ID}
	} else {
		e.From, e.To = []string{r.ID}, r.Parents
	}
	return e
}

// executor runs ops on the pinned connection and remembers what is
// committed, for the error report.
type executor struct {
	m       *Migrator
	conn    *sql.Conn
	inTx    bool
	pending []StepResult // revisions done in the open transaction
	// versionOps are the version-table writes of the open transaction,
	// sent in one or two statements just before it commits (they are only
	// visible then anyway): half the round trips of a long run.
	versionOps []versionOp
	ran        bool // a revision's statements ran in the open transaction
	committed  []StepResult
	// mark is the in-progress mark of the revision running outside a
	// transaction, as last written (nil when there is none).
	mark *Progress
	// uncertain are the revisions of a transaction whose COMMIT got no
	// answer.
	uncertain []string
	// watch tells whether a statement ended the run's transaction.
	watch *txWatch
	// expected is the applied set as this run left it (SQLite only; nil
	// elsewhere), checked at the start of each later transaction;
	// dataVersion is SQLite's data_version when it was last seen intact.
	expected    map[string]bool
	dataVersion int64
	// lt: the PostgreSQL timeouts on the connection, and the retries
	// after lock timeouts (locktimeout.go).
	lt timeoutState
}

func (x *executor) exec(ctx context.Context, q string) error {
	_, err := x.conn.ExecContext(ctx, q)
	return err
}

// watchTx starts watching the run's transactions (see txWatch); the
// returned function stops it.
func (x *executor) watchTx() func() {
	w, stop := newTxWatch(x.conn)
	x.watch = w
	return stop
}

// versionOp is one deferred version-table write.
type versionOp struct {
	del                bool
	revision, checksum string
	ms                 int64
	at                 time.Time // when the revision finished (zero offline: see appliedAt)
}

// flushVersions writes the deferred version-table rows.
func (x *executor) flushVersions(ctx context.Context) error {
	ops := x.versionOps
	x.versionOps = nil
	for _, q := range versionSQL(x.m.d.name(), x.m.vt(), ops) {
		if err := x.exec(ctx, q); err != nil {
			return fmt.Errorf("recording revisions in %s: %w", x.m.vt(), err)
		}
	}
	return nil
}

// versionSQL renders deferred version-table writes: consecutive inserts
// as one multi-row INSERT, consecutive deletes as one DELETE.
func versionSQL(d Dialect, t versionTable, ops []versionOp) []string {
	var out []string
	for i := 0; i < len(ops); {
		j := i
		for j < len(ops) && ops[j].del == ops[i].del {
			j++
		}
		var b strings.Builder
		if ops[i].del {
			fmt.Fprintf(&b, "DELETE FROM %s WHERE revision IN (", t)
			for k, o := range ops[i:j] {
				if k > 0 {
					b.WriteString(", ")
				}
				b.WriteString(quoteLiteral(o.revision))
			}
			b.WriteString(")")
		} else {
			fmt.Fprintf(&b, "INSERT INTO %s (revision, checksum, applied_at, execution_ms) VALUES", t)
			for k, o := range ops[i:j] {
				if k > 0 {
					b.WriteString(",")
				}
				fmt.Fprintf(&b, "\n    (%s, %s, %s, %d)", quoteLiteral(o.revision), quoteLiteral(o.checksum), appliedAt(d, o.at), o.ms)
			}
		}
		out = append(out, b.String())
		i = j
	}
	return out
}

func (x *executor) commit(ctx context.Context) error {
	if err := x.flushVersions(ctx); err != nil {
		return err
	}
	if err := x.m.d.check(ctx, x.conn); err != nil {
		return err
	}
	if err := x.exec(ctx, "COMMIT"); err != nil {
		ce := &commitError{revisions: make([]string, 0, len(x.pending)), err: err}
		for _, p := range x.pending {
			ce.revisions = append(ce.revisions, p.Revision)
		}
		if x.commitUncertain(err) {
			// No answer: the transaction may or may not have committed.
			x.uncertain = append(x.uncertain, ce.revisions...)
			x.inTx, x.ran, x.pending = false, false, nil
		}
		return ce
	}
	x.inTx = false
	x.ran = false
	x.committed = append(x.committed, x.pending...)
	x.pending = nil
	return nil
}

// rollback ends the open transaction. It reports EventRolledBack only
// when revisions had run in it: rolling back the prelude of a run that
// failed to plan, or of a dry run, undoes nothing the user asked for.
func (x *executor) rollback(ctx context.Context) {
	_ = x.exec(context.WithoutCancel(ctx), "ROLLBACK")
	x.inTx = false
	x.versionOps = nil
	if x.ran {
		x.m.emit(Event{Kind: EventRolledBack})
	}
	x.ran = false
	x.pending = nil
}

// runError is the report of a failure: it rolls back the open
// transaction and says what stayed.
func (x *executor) runError(ctx context.Context, err error) *RunError {
	re := &RunError{Err: err}
	if x.inTx {
		re.RolledBack = x.ran
		x.rollback(ctx)
	}
	if x.mark != nil {
		p := *x.mark
		re.InProgress = &p
	}
	re.Committed = x.committed
	re.Uncertain = x.uncertain
	return re
}

func (x *executor) execOps(ctx context.Context, ops []op, stamp bool, res *Result) error {
	m := x.m
	var revStart time.Time
	fail := func(err error) error { return x.runError(ctx, err) }
	x.lt.txOp = -1
	for i := 0; i < len(ops); i++ {
		o := &ops[i]
		switch o.kind {
		case opBegin:
			if err := x.exec(ctx, m.d.begin()); err != nil {
				return fail(fmt.Errorf("beginning a transaction: %w", err))
			}
			x.inTx = true
			x.watch.begun()
			x.txBegun(i, res)
			if err := x.checkState(ctx); err != nil {
				var moved *stateMoved
				if errors.As(err, &moved) {
					return err
				}
				return fail(err)
			}
		case opCommit:
			if o.step != nil && len(x.pending) > 0 {
				m.emit(Event{Kind: EventCommit, Count: len(x.pending), Revision: o.step.Revision.ID, File: o.step.Revision.Path,
					Message: fmt.Sprintf("committing %d earlier revision(s) before %s, which runs outside a transaction", len(x.pending), o.step.Revision.ID)})
			}
			if err := x.commit(ctx); err != nil {
				return fail(err)
			}
		case opStart:
			revStart = time.Now()
			x.mark = nil
			x.ran = x.ran || x.inTx
			if o.noTx && !stamp && m.opts.tx != TxNone {
				m.emit(Event{Kind: EventNoTx, Revision: o.step.Revision.ID, File: o.step.Revision.Path,
					Message: fmt.Sprintf("revision %s is marked transaction false: running it outside a transaction", o.step.Revision.ID)})
			}
			if !x.inTx {
				// Without a lock this narrows the window; it cannot close it.
				if err := x.checkState(ctx); err != nil {
					var moved *stateMoved
					if errors.As(err, &moved) {
						return err
					}
					return fail(err)
				}
			}
			if !stamp {
				if err := x.applyTimeouts(ctx, o); err != nil {
					return fail(err)
				}
				m.emitStart(o.step)
			}
		case opStmt:
			if !x.inTx {
				if err := x.moveMark(ctx, o); err != nil {
					return fail(err)
				}
			}
			m.emit(Event{Kind: EventStatement, Revision: o.step.Revision.ID, File: o.step.Revision.Path, Line: o.st.Line, Count: o.idx, Total: o.n})
			if err := x.statement(ctx, o); err != nil {
				if at, rerr := x.retryTx(ctx, o, err, res); at >= 0 {
					i = at - 1 // its transaction again, from its BEGIN
					continue
				} else if rerr != nil {
					return rerr
				}
				return fail(x.timeoutError(ctx, o, err))
			}
			if how := x.watch.after(o.st.SQL, x.inTx); how != "" {
				return x.transactionEnded(ctx, o, how, revStart)
			}
		case opRecord:
			s := o.step
			d := time.Since(revStart)
			step := StepResult{Revision: s.Revision.ID, Direction: direction(s), Duration: d}
			if x.inTx {
				x.versionOps = append(x.versionOps, versionOp{del: s.Direction != versions.Up, revision: s.Revision.ID, checksum: s.Revision.Checksum, ms: d.Milliseconds(), at: time.Now()})
				x.pending = append(x.pending, step)
			} else {
				last := x.lastStmt(ops, i)
				if last != nil && x.leftOpen() {
					return x.transactionEnded(ctx, last, "left open", revStart)
				}
				if err := x.recordOutside(ctx, s, d); err != nil {
					if errors.Is(err, errLeftOpen) && last != nil {
						return x.transactionEnded(ctx, last, "left open", revStart)
					}
					return fail(err)
				}
				x.committed = append(x.committed, step)
			}
			if x.expected != nil {
				if s.Direction == versions.Up {
					x.expected[s.Revision.ID] = true
				} else {
					delete(x.expected, s.Revision.ID)
				}
			}
			res.Steps = append(res.Steps, step)
			m.emitStep(s, stamp, d, false)
		}
	}
	return nil
}

// lastStmt is the statement op before the record op at i, if any.
func (x *executor) lastStmt(ops []op, i int) *op {
	if i > 0 && ops[i-1].kind == opStmt {
		return &ops[i-1]
	}
	return nil
}

// leftOpen tells whether a revision that ran outside the runner's
// transactions left one of its own open: PostgreSQL says so in every
// reply. On SQLite, recordOutside's BEGIN finds it (errLeftOpen).
func (x *executor) leftOpen() bool {
	return x.watch != nil && x.watch.pg && x.watch.inTx()
}

// errLeftOpen: SQLite refused to begin the transaction that records a
// revision run outside one, because the revision left its own open.
var errLeftOpen = errors.New("a transaction of the revision is still open")

// moveMark writes the in-progress mark of a revision running outside a
// transaction before its statement o runs: inserted before the first
// statement, moved on before each later one.
func (x *executor) moveMark(ctx context.Context, o *op) error {
	r := o.step.Revision
	vt := x.m.vt()
	p := Progress{Revision: r.ID, Direction: direction(o.step), File: r.Path, Checksum: r.Checksum,
		Statement: o.idx, Statements: o.n, Line: o.st.Line}
	q := updateMark(x.m.d.name(), vt, r.ID, o.idx, o.st.Line)
	if x.mark == nil {
		q = insertMark(vt, p)
	}
	if err := x.exec(ctx, q); err != nil {
		// x.mark stays what the database holds.
		return fmt.Errorf("marking revision %s in progress in %s: %w", r.ID, vt.progress(), err)
	}
	x.mark = &p
	return nil
}

// recordOutside records a revision that ran outside a transaction and
// clears its mark, at once. On SQLite the foreign key check comes first,
// in the same transaction: with violations, nothing is recorded and the
// mark stays, moved past the last statement.
func (x *executor) recordOutside(ctx context.Context, s *versions.Step, d time.Duration) error {
	m := x.m
	r := s.Revision
	stmts, wrap := recordOutside(m.d.name(), m.vt(), s.Direction == versions.Up, r.ID, r.Checksum, d.Milliseconds(), time.Now(), x.mark != nil)
	wrap = wrap || m.d.name() == SQLite // the check and the write see one snapshot
	if wrap {
		if err := x.exec(ctx, m.d.begin()); err != nil {
			if m.d.name() == SQLite && strings.Contains(err.Error(), "within a transaction") {
				return errLeftOpen
			}
			return fmt.Errorf("recording revision %s in %s: %w", r.ID, m.vt(), err)
		}
	}
	abort := func(err error) error {
		if wrap {
			_ = x.exec(context.WithoutCancel(ctx), "ROLLBACK")
		}
		return err
	}
	if err := m.d.check(ctx, x.conn); err != nil {
		err = abort(fmt.Errorf("after revision %s (%s): %w", r.ID, r.Path, err))
		if x.mark != nil {
			// Every statement ran; the revision is not recorded.
			if merr := x.exec(ctx, updateMark(m.d.name(), m.vt(), r.ID, x.mark.Statements+1, 0)); merr == nil {
				x.mark.Statement, x.mark.Line = x.mark.Statements+1, 0
			}
		}
		return err
	}
	for _, q := range stmts {
		if err := x.exec(ctx, q); err != nil {
			return abort(fmt.Errorf("recording revision %s in %s: %w", r.ID, m.vt(), err))
		}
	}
	if wrap {
		if err := x.exec(ctx, "COMMIT"); err != nil {
			return abort(fmt.Errorf("recording revision %s in %s: %w", r.ID, m.vt(), err))
		}
	}
	x.mark = nil
	return nil
}

// transactionEnded stops the run after statement o ended the run's
// transaction (how: "committed", "rolled back", "ended") or opened one
// outside any ("left open": the revision ended with its own transaction
// open), and gives a true account. What a COMMIT made
// permanent is recorded: the version rows of the revisions that had
// finished in the transaction and, when o was the last statement of its
// revision, of that revision too; otherwise that revision is marked in
// progress at the statement after o.
func (x *executor) transactionEnded(ctx context.Context, o *op, how string, revStart time.Time) error {
	m := x.m
	s := o.step
	r := s.Revision
	te := &TransactionEndedError{Revision: r.ID, File: r.Path, Line: o.st.Line, SQL: o.st.SQL, How: how}
	if how == "left open" {
		// Its work since that BEGIN is undone, and so are the moves of its
		// mark made inside it: read back where the mark stands.
		_ = x.exec(context.WithoutCancel(ctx), "ROLLBACK")
		x.rereadMark(ctx, r.ID)
		return x.runError(ctx, te)
	}
	x.inTx = false
	if x.watch.inTx() {
		// COMMIT AND CHAIN / ROLLBACK AND CHAIN opened a new, empty one.
		_ = x.exec(context.WithoutCancel(ctx), "ROLLBACK")
	}
	re := &RunError{Err: te}
	switch how {
	case "committed":
		ops := x.versionOps
		done := x.pending
		var mark *Progress
		if o.idx == o.n {
			d := time.Since(revStart)
			ops = append(ops, versionOp{del: s.Direction != versions.Up, revision: r.ID, checksum: r.Checksum, ms: d.Milliseconds(), at: time.Now()})
			done = append(done, StepResult{Revision: r.ID, Direction: direction(s), Duration: d})
		} else {
			mark = &Progress{Revision: r.ID, Direction: direction(s), File: r.Path, Checksum: r.Checksum,
				Statement: o.idx + 1, Statements: o.n, Line: o.next}
		}
		qs := versionSQL(m.d.name(), m.vt(), ops)
		if mark != nil {
			qs = append(qs, insertMark(m.vt(), *mark))
		}
		x.committed = append(x.committed, done...)
		if err := x.execTx(ctx, qs); err != nil {
			te.RecordErr = err
		} else {
			re.InProgress = mark
		}
	case "rolled back":
		re.RolledBack = true
		if x.ran {
			m.emit(Event{Kind: EventRolledBack})
		}
	default:
		for _, p := range x.pending {
			x.uncertain = append(x.uncertain, p.Revision)
		}
		x.uncertain = append(x.uncertain, r.ID)
	}
	x.versionOps, x.pending, x.ran = nil, nil, false
	re.Committed = x.committed
	re.Uncertain = x.uncertain
	return re
}

// rereadMark sets x.mark to the mark of rev as the database holds it
// (nil when it holds none).
func (x *executor) rereadMark(ctx context.Context, rev string) {
	_, marks, err := readState(context.WithoutCancel(ctx), x.conn, x.m.d, x.m.vt())
	if err != nil {
		return
	}
	x.mark = nil
	for i := range marks {
		if marks[i].Revision == rev {
			x.mark = &marks[i]
		}
	}
}

// execTx runs qs in a transaction of their own.
func (x *executor) execTx(ctx context.Context, qs []string) error {
	if err := x.exec(ctx, x.m.d.begin()); err != nil {
		return err
	}
	for _, q := range qs {
		if err := x.exec(ctx, q); err != nil {
			_ = x.exec(context.WithoutCancel(ctx), "ROLLBACK")
			return err
		}
	}
	if err := x.exec(ctx, "COMMIT"); err != nil {
		_ = x.exec(context.WithoutCancel(ctx), "ROLLBACK")
		return err
	}
	return nil
}

func (x *executor) statementError(o *op, err error) error {
	r := o.step.Revision
	line := o.st.Line
	if pos := x.m.d.position(err); pos > 0 {
		line = o.st.LineAt(pos)
	}
	return &StatementError{Revision: r.ID, File: r.Path, Line: line, SQL: o.st.SQL, Err: err}
}
