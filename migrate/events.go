package migrate

import "time"

// EventKind names what happened.
type EventKind string

// The events a run emits, in order of appearance.
const (
	EventLockWait   EventKind = "lock_wait"   // another process holds the lock; we wait
	EventLocked     EventKind = "locked"      // lock acquired
	EventPlan       EventKind = "plan"        // the plan is known (Steps)
	EventNothing    EventKind = "nothing"     // nothing to do
	EventCommit     EventKind = "commit"      // a transaction was committed early (before a non-transactional revision)
	EventNoTx       EventKind = "no_tx"       // a revision runs outside any transaction
	EventStart      EventKind = "start"       // a revision's statements are about to run (not for a stamp)
	EventRevision   EventKind = "revision"    // a revision was applied (or reverted); Duration set
	EventStamp      EventKind = "stamp"       // a version row was written or removed without running SQL
	EventWarning    EventKind = "warning"     // something the user should know (Message)
	EventDone       EventKind = "done"        // the command finished; Duration is the total
	EventRolledBack EventKind = "rolled_back" // a failure rolled the open transaction back
	EventReplan     EventKind = "replan"      // another run changed the version table between two transactions (SQLite); the rest was planned again
	EventResolved   EventKind = "resolved"    // Resolve cleared a revision's in-progress mark (or, in a dry run, would)
	EventPurged     EventKind = "purged"      // stamp --purge emptied the version table (Count rows; in a dry run, would)
	// EventLockRetry: a revision statement waited longer than lock_timeout
	// (PostgreSQL); its transaction was rolled back (outside one: the
	// statement had no effect) and runs again after a pause. Message says
	// where, what blocked it and the pause; Count is the retry's number,
	// Duration the pause, PID the first blocking session and Blockers all
	// of them (when seen).
	EventLockRetry EventKind = "lock_retry"
	// EventStatement: one statement of a revision is about to run (File,
	// Line; Count is its 1-based index in the section, Total the section's
	// statements). Emitted only with [WithStatementEvents].
	EventStatement EventKind = "statement"
)

// Event is one thing that happened during a run. Library code never
// prints; the CLI renders events as text lines or JSON objects.
type Event struct {
	Kind      EventKind     `json:"event"`
	Direction string        `json:"direction,omitempty"` // "upgrade" | "downgrade"
	Revision  string        `json:"revision,omitempty"`
	From      []string      `json:"from,omitempty"` // the revision's parents (upgrade) / the revision itself (downgrade)
	To        []string      `json:"to,omitempty"`
	Message   string        `json:"message,omitempty"`
	File      string        `json:"file,omitempty"`
	Line      int           `json:"line,omitempty"`  // EventStatement: the statement's line in File
	Total     int           `json:"total,omitempty"` // EventStatement: the statements of the section
	Duration  time.Duration `json:"-"`
	Millis    float64       `json:"ms,omitempty"`
	Count     int           `json:"count,omitempty"`
	PID       int           `json:"pid,omitempty"`
	Blockers  []Blocker     `json:"blockers,omitempty"` // EventLockRetry: the sessions waited behind
}

// Logger receives events.
type Logger func(Event)

// WithStatementEvents asks for an [EventStatement] before each revision
// statement, for a progress display that names the statement running. Off
// by default: a long run would otherwise log one event per statement.
func WithStatementEvents(on bool) Option {
	return func(o *options) error { o.statementEvents = on; return nil }
}

func (m *Migrator) emit(e Event) {
	if e.Kind == EventStatement && !m.opts.statementEvents {
		return
	}
	if e.Duration > 0 {
		e.Millis = float64(e.Duration.Microseconds()) / 1000
	}
	if m.opts.logger != nil {
		m.opts.logger(e)
	}
	if m.opts.slog != nil {
		logEvent(m.opts.slog, e)
	}
}
