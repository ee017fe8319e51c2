package migrate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"strings"

	"github.com/migratehq/migrate/versions"
)

// NewFromFS is the one-call way to a Migrator, as goose's NewProvider: it
// loads the revision files at the root of fsys (use fs.Sub for a folder
// of an embed.FS), builds the graph, and returns a Migrator for db. A
// malformed file or graph is an error here, before anything connects,
// and so is a root with no revision file: ErrNoRevisions, which names a
// folder of fsys holding .sql files when there is one (the usual mistake:
// an embed.FS passed without fs.Sub). New and versions.LoadGraph remain
// for those who want the graph first, or an empty project.
func NewFromFS(d Dialect, db *sql.DB, fsys fs.FS, opts ...Option) (*Migrator, error) {
	if fsys == nil {
		return nil, fmt.Errorf("migrate: nil fs.FS")
	}
	g, err := versions.LoadGraph(fsys, ".")
	if err != nil {
		return nil, err
	}
	if g.Len() == 0 {
		return nil, noRevisions(fsys)
	}
	return New(db, d, g, opts...)
}

// ErrNoRevisions is NewFromFS's error for an fs.FS with no .sql file at
// its root.
var ErrNoRevisions = errors.New("migrate: no revision (.sql) file at the root of the fs.FS")

// noRevisions wraps ErrNoRevisions with a hint: the first folder of fsys,
// at most two levels down, that holds .sql files.
func noRevisions(fsys fs.FS) error {
	var found string
	_ = fs.WalkDir(fsys, ".", func(p string, e fs.DirEntry, err error) error {
		if err != nil || found != "" {
			return fs.SkipDir
		}
		if e.IsDir() && strings.Count(p, "/") >= 2 {
			return fs.SkipDir
		}
		if !e.IsDir() && strings.HasSuffix(p, ".sql") && strings.Contains(p, "/") {
			found = p[:strings.LastIndex(p, "/")]
			return fs.SkipAll
		}
		return nil
	})
	if found != "" {
		return fmt.Errorf("%w; %s/ holds .sql files: pass fs.Sub(fsys, %q)", ErrNoRevisions, found, found)
	}
	return ErrNoRevisions
}

// WithSlog logs every event of a run to l: revisions applied or reverted,
// stamps and resolutions at Info, warnings at Warn, the rest (lock waits,
// plans, commits) at Debug. It works beside WithLogger; both receive
// every event.
func WithSlog(l *slog.Logger) Option {
	return func(o *options) error { o.slog = l; return nil }
}

// logEvent writes e to l at the level its kind deserves.
func logEvent(l *slog.Logger, e Event) {
	level := slog.LevelDebug
	switch e.Kind {
	case EventRevision, EventStamp, EventResolved, EventDone, EventNothing, EventRolledBack:
		level = slog.LevelInfo
	case EventWarning:
		level = slog.LevelWarn
	}
	var attrs []slog.Attr
	add := func(k, v string) {
		if v != "" {
			attrs = append(attrs, slog.String(k, v))
		}
	}
	add("direction", e.Direction)
	add("revision", e.Revision)
	add("file", e.File)
	add("message", e.Message)
	if e.Duration > 0 {
		attrs = append(attrs, slog.Duration("duration", e.Duration))
	}
	if e.Count > 0 {
		attrs = append(attrs, slog.Int("count", e.Count))
	}
	if e.PID > 0 {
		attrs = append(attrs, slog.Int("pid", e.PID))
	}
	// A constant message per kind ("migrate revision"), the details as
	// attributes, so that log queries can select on them.
	l.LogAttrs(context.Background(), level, "migrate "+string(e.Kind), attrs...)
}

// RevisionState is where one revision stands in the database.
type RevisionState string

// The states of a revision in [Migrator.Status].
const (
	StateApplied    RevisionState = "applied"
	StatePending    RevisionState = "pending"
	StateInProgress RevisionState = "in_progress" // marked by an interrupted run: see Resolve
	StateUnknown    RevisionState = "unknown"     // applied, but no file defines it
)

// RevisionStatus is one line of [Migrator.Status].
type RevisionStatus struct {
	// Revision is the revision file (nil for StateUnknown).
	Revision *versions.Revision
	ID       string
	State    RevisionState
	// Applied is the version table's row (zero when not applied).
	Applied Applied
	// Progress is the in-progress mark (StateInProgress only).
	Progress *Progress
	// Edited: the file changed since it was applied.
	Edited bool
}

// Status lists every revision in apply order (each after its parents and
// dependencies), applied or pending, then the applied revisions no file
// defines. It reads the database without creating anything.
func (m *Migrator) Status(ctx context.Context) ([]RevisionStatus, error) {
	st, err := m.State(ctx)
	if err != nil {
		return nil, err
	}
	g, err := m.Graph()
	if err != nil {
		return nil, err
	}
	return StatusOf(g, st), nil
}

// HasPending reports whether upgrading to the heads would run anything.
// When Upgrade would refuse to run because of the version table — a
// revision marked in progress, an applied revision no file defines, or
// (without WithAcceptEdited) an applied file edited since — it returns
// false and the *StateError Upgrade would return, so that a caller
// asking "anything to do?" does not read "no" for "cannot".
func (m *Migrator) HasPending(ctx context.Context) (bool, error) {
	st, err := m.State(ctx)
	if err != nil {
		return false, err
	}
	if se := m.refusal(st); se != nil {
		return false, se
	}
	g, err := m.Graph()
	if err != nil {
		return false, err
	}
	return len(st.Applied) < g.Len(), nil
}

// refusal is the *StateError a run would stop on for st, or nil.
func (m *Migrator) refusal(st *State) *StateError {
	edited := st.Edited
	if m.opts.acceptEdited {
		edited = nil
	}
	if len(st.InProgress) == 0 && len(st.Unknown) == 0 && len(edited) == 0 {
		return nil
	}
	return &StateError{Unknown: st.Unknown, Edited: edited, InProgress: st.InProgress}
}

// StatusOf is Status from a State already read.
func StatusOf(g *versions.Graph, st *State) []RevisionStatus {
	applied := map[string]Applied{}
	for _, a := range st.Applied {
		applied[a.Revision] = a
	}
	marks := map[string]*Progress{}
	for i := range st.InProgress {
		marks[st.InProgress[i].Revision] = &st.InProgress[i]
	}
	edited := map[string]bool{}
	for _, e := range st.Edited {
		edited[e.Revision] = true
	}
	var out []RevisionStatus
	for _, r := range g.Revisions() {
		s := RevisionStatus{Revision: r, ID: r.ID, State: StatePending, Edited: edited[r.ID]}
		if a, ok := applied[r.ID]; ok {
			s.State, s.Applied = StateApplied, a
		}
		if p := marks[r.ID]; p != nil {
			s.State, s.Progress = StateInProgress, p
		}
		out = append(out, s)
	}
	for _, id := range st.Unknown {
		out = append(out, RevisionStatus{ID: id, State: StateUnknown, Applied: applied[id]})
	}
	return out
}
