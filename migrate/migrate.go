package migrate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/migratehq/migrate/versions"
)

// Dialect names a supported database.
type Dialect string

// The supported dialects.
const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

// TxMode says how a run is wrapped in transactions.
type TxMode string

// The transaction modes.
const (
	TxAll      TxMode = "all"      // the whole command is one transaction (default)
	TxRevision TxMode = "revision" // one transaction per revision
	TxNone     TxMode = "none"     // no transaction; each statement commits on its own
)

// Migrator applies the revisions of a graph to one database.
type Migrator struct {
	db   *sql.DB
	d    dialect
	opts options

	// The graph may still be loading (NewDeferred) while the runner
	// connects, locks and reads the version table.
	graphOnce sync.Once
	graphFn   func() (*versions.Graph, error)
	graph     *versions.Graph
	graphErr  error
}

type options struct {
	table        string
	schema       string
	tx           TxMode
	lockTimeout  time.Duration
	timeouts     timeoutOptions // PostgreSQL: lock_timeout, statement_timeout, retries (locktimeout.go)
	logger       Logger
	acceptEdited bool
	dryRun       bool
	slog         *slog.Logger // WithSlog (provider.go)
	resolve      *resolveSpec // set by Resolve on the Migrator it derives
	// noTxControlCheck: tests of the runtime transaction check feed it
	// revisions that the plan-time check would refuse.
	noTxControlCheck bool
	// statementEvents: emit EventStatement (WithStatementEvents, events.go).
	statementEvents bool
}

// Option configures a Migrator.
type Option func(*options) error

// WithVersionTable names the version table (default "migrate_version").
func WithVersionTable(name string) Option {
	return func(o *options) error {
		if err := checkIdent(name); err != nil {
			return fmt.Errorf("version table: %w", err)
		}
		o.table = name
		return nil
	}
}

// WithVersionSchema puts the version table in a schema (PostgreSQL only).
func WithVersionSchema(name string) Option {
	return func(o *options) error {
		if name == "" {
			return nil
		}
		if err := checkIdent(name); err != nil {
			return fmt.Errorf("version schema: %w", err)
		}
		o.schema = name
		return nil
	}
}

// WithTransaction sets the transaction mode (default TxAll).
func WithTransaction(mode TxMode) Option {
	return func(o *options) error {
		switch mode {
		case TxAll, TxRevision, TxNone:
			o.tx = mode
			return nil
		case "":
			return nil
		}
		return fmt.Errorf("transaction mode %q: expected all, revision or none", mode)
	}
}

// WithLockTimeout bounds the wait for another run's lock (default 5m).
func WithLockTimeout(d time.Duration) Option {
	return func(o *options) error {
		if d < 0 {
			return fmt.Errorf("lock timeout %v is negative", d)
		}
		o.lockTimeout = d
		return nil
	}
}

// WithLogger receives the run's events.
func WithLogger(l Logger) Option {
	return func(o *options) error { o.logger = l; return nil }
}

// WithAcceptEdited accepts applied revision files whose checksum changed
// since they were applied, and records the new checksums.
func WithAcceptEdited(accept bool) Option {
	return func(o *options) error { o.acceptEdited = accept; return nil }
}

// WithDryRun makes Upgrade, Downgrade and Stamp plan (under the lock) and
// report the plan without changing anything.
func WithDryRun(dry bool) Option {
	return func(o *options) error { o.dryRun = dry; return nil }
}

// New returns a Migrator for db (which may be nil for offline SQL only).
func New(db *sql.DB, d Dialect, graph *versions.Graph, opts ...Option) (*Migrator, error) {
	if graph == nil {
		return nil, errors.New("migrate: nil revision graph")
	}
	return newMigrator(db, d, func() (*versions.Graph, error) { return graph, nil }, opts)
}

// NewDeferred is New with a graph that load produces; load starts at once
// in its own goroutine, so that reading the revision files overlaps with
// connecting, locking and reading the version table. An error from load
// is returned by the first method that needs the graph.
func NewDeferred(db *sql.DB, d Dialect, load func() (*versions.Graph, error), opts ...Option) (*Migrator, error) {
	done := make(chan struct{})
	var g *versions.Graph
	var err error
	go func() {
		defer close(done)
		g, err = load()
	}()
	return newMigrator(db, d, func() (*versions.Graph, error) { <-done; return g, err }, opts)
}

func newMigrator(db *sql.DB, d Dialect, graphFn func() (*versions.Graph, error), opts []Option) (*Migrator, error) {
	m := &Migrator{db: db, graphFn: graphFn, opts: options{
		table:       "migrate_version",
		tx:          TxAll,
		lockTimeout: 5 * time.Minute,
		timeouts:    defaultTimeouts(),
	}}
	switch d {
	case Postgres:
		m.d = postgresDialect{}
	case SQLite:
		m.d = sqliteDialect{}
	default:
		return nil, fmt.Errorf("migrate: unsupported dialect %q (expected postgres or sqlite)", d)
	}
	for _, o := range opts {
		if err := o(&m.opts); err != nil {
			return nil, fmt.Errorf("migrate: %w", err)
		}
	}
	if m.opts.schema != "" && d == SQLite {
		return nil, errors.New("migrate: a version table schema is a PostgreSQL setting; SQLite has none")
	}
	return m, nil
}

// derive returns a Migrator on the same database and graph with changed
// options, for one call.
func (m *Migrator) derive(f func(*options)) *Migrator {
	d := &Migrator{db: m.db, d: m.d, opts: m.opts, graphFn: m.Graph}
	f(&d.opts)
	return d
}

// Graph returns the revision graph (waiting for it to load).
func (m *Migrator) Graph() (*versions.Graph, error) {
	m.graphOnce.Do(func() {
		m.graph, m.graphErr = m.graphFn()
		if m.graph == nil && m.graphErr == nil {
			m.graphErr = errors.New("migrate: nil revision graph")
		}
	})
	return m.graph, m.graphErr
}

// Applied is one row of the version table.
type Applied struct {
	Revision    string `json:"revision"`
	Checksum    string `json:"checksum"`
	AppliedAt   string `json:"applied_at"`
	ExecutionMS int64  `json:"execution_ms"`
}

// State is what the database holds: the applied rows, the in-progress
// marks and, derived from the graph, the current heads.
type State struct {
	Applied []Applied
	// InProgress are the revisions that started running outside a
	// transaction and were not recorded as finished: interrupted (or,
	// while another run holds the lock, still running). While there is
	// one, the runner refuses to run or stamp anything; Resolve clears it.
	InProgress []Progress
	// Heads are the applied revisions with no applied child (what
	// Alembic's version table would hold), in graph order.
	Heads []string
	// Unknown are applied revisions that no file defines.
	Unknown []string
	// Edited are applied revisions whose file changed since.
	Edited []Edited
}

// Edited names an applied revision whose file's checksum changed.
type Edited struct {
	Revision string `json:"revision"`
	File     string `json:"file"`
	Stored   string `json:"stored"`
	Current  string `json:"current"`
}

// Progress is an in-progress mark: a revision that started running
// outside a transaction (a "-- migrate:transaction false" revision, or any
// revision with transaction mode none), written before its first
// statement, moved on before each later one, and cleared together with
// its version row when it finishes.
type Progress struct {
	Revision  string `json:"revision"`
	Direction string `json:"direction"` // "upgrade" | "downgrade"
	File      string `json:"file"`      // the revision file as it was run
	Checksum  string `json:"checksum"`  // of that file
	// Statement is the 1-based index, among the statements of the section
	// that ran, of the statement the run reached: the ones before it took
	// effect, it may or may not have, the ones after it did not run.
	// Statements+1 means every statement took effect and the revision
	// was not recorded as finished (a check after it failed).
	Statement  int    `json:"statement"`
	Statements int    `json:"statements"`
	Line       int    `json:"line"` // file line of that statement (0 past the last one)
	StartedAt  string `json:"started_at"`
	UpdatedAt  string `json:"updated_at"` // when it reached Statement
}

// Where is "file:line" of the statement reached, or the file alone past
// the last statement.
func (p Progress) Where() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return p.File
}

// Account says which of the revision's statements took effect.
func (p Progress) Account() string {
	switch {
	case p.Statement > p.Statements:
		return fmt.Sprintf("all %d of its statements took effect, but it was not recorded as finished", p.Statements)
	case p.Statements == 1:
		return fmt.Sprintf("its only statement (%s) had started and may or may not have taken effect", p.Where())
	case p.Statement <= 1:
		return fmt.Sprintf("its statement 1 of %d (%s) had started and may or may not have taken effect, and the statements after it did not run", p.Statements, p.Where())
	}
	done := "statement 1"
	if p.Statement > 2 {
		done = fmt.Sprintf("statements 1 to %d", p.Statement-1)
	}
	return fmt.Sprintf("%s of %d took effect, statement %d (%s) had started and may or may not have taken effect, and the statements after it did not run",
		done, p.Statements, p.Statement, p.Where())
}

// Describe is the full report of the mark, with what to do about it.
func (p Progress) Describe() string {
	row := "the version table does not record it as applied"
	applied := "its upgrade is complete"
	reverted := "none of its upgrade is in effect"
	if p.Direction == "downgrade" {
		row = "the version table still records it as applied"
		applied = "its schema is as after its upgrade"
		reverted = "its downgrade is complete"
	}
	when := p.UpdatedAt
	if when == "" {
		when = p.StartedAt
	}
	return fmt.Sprintf("revision %s is marked in progress: its %s (%s) started outside a transaction and was not recorded as finished (last progress at %s): %s; %s.\n"+
		"Unless a migrate run is still at work on it, it was interrupted: look at the database, finish or undo that work by hand, then record the outcome: 'migrate resolve %s --applied' (%s) or 'migrate resolve %s --reverted' (%s)",
		p.Revision, p.Direction, p.File, when, p.Account(), row, p.Revision, applied, p.Revision, reverted)
}

// IDs returns the applied revision ids.
func (s *State) IDs() []string {
	ids := make([]string, len(s.Applied))
	for i, a := range s.Applied {
		ids[i] = a.Revision
	}
	return ids
}

// State reads the version table and the in-progress marks without
// creating them and without taking the lock: a database with no version
// table has no applied revisions, and one with no marks table no marks.
func (m *Migrator) State(ctx context.Context) (*State, error) {
	if m.db == nil {
		return nil, errors.New("migrate: no database (offline Migrator)")
	}
	rows, marks, err := readState(ctx, m.db, m.d, m.vt())
	if err != nil {
		return nil, err
	}
	g, err := m.Graph()
	if err != nil {
		return nil, err
	}
	st := StateOf(g, rows)
	st.InProgress = marks
	return st, nil
}

// StateOf derives the current heads, unknown and edited revisions of the
// version table rows against the graph.
func StateOf(g *versions.Graph, rows []Applied) *State {
	s := &State{Applied: rows}
	ids := s.IDs()
	s.Unknown = g.Unknown(ids)
	s.Heads = g.CurrentHeads(ids)
	for _, a := range rows {
		r := g.Get(a.Revision)
		if r == nil || a.Checksum == "" || a.Checksum == r.Checksum {
			continue
		}
		s.Edited = append(s.Edited, Edited{Revision: a.Revision, File: r.Path, Stored: a.Checksum, Current: r.Checksum})
	}
	sort.Slice(s.Edited, func(i, j int) bool { return s.Edited[i].File < s.Edited[j].File })
	return s
}

// versionTable is the qualified version table.
type versionTable struct{ schema, name string }

func (m *Migrator) vt() versionTable { return versionTable{m.opts.schema, m.opts.table} }

// String is the quoted, qualified name.
func (t versionTable) String() string {
	if t.schema != "" {
		return quoteIdent(t.schema) + "." + quoteIdent(t.name)
	}
	return quoteIdent(t.name)
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func checkIdent(s string) error {
	if s == "" || len(s) > 63 {
		return fmt.Errorf("%q: must be 1 to 63 characters", s)
	}
	for i, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && (r >= '0' && r <= '9' || r == '$')) {
			return fmt.Errorf("%q: use letters, digits and underscores only", s)
		}
	}
	return nil
}
