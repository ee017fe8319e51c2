package main

import (
	"context"
	"errors"
	"strings"

	"github.com/spf13/cobra"

	"github.com/migratehq/migrate/internal/dbopen"
	"github.com/migratehq/migrate/migrate"
	"github.com/migratehq/migrate/versions"
)

func (a *app) newCurrentCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "current",
		Short: "Show the revisions the database is at",
		Long: `current prints the database's current heads: the applied revisions with no
applied child. It reads the version table and creates nothing.`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runCurrent(cmd.Context())
		},
	}
}

// state loads the graph and reads the database's applied set, the two
// at once; a missing SQLite file is an empty state. While a revision is
// marked in progress it refuses (a *migrate.StateError naming the mark,
// exit 2): what the database holds is for a person to judge first. Only
// current and check, which report the mark, read past it (readState).
func (a *app) state(ctx context.Context) (*versions.Graph, *migrate.State, error) {
	g, st, err := a.readState(ctx)
	if err == nil && len(st.InProgress) > 0 {
		return nil, nil, &migrate.StateError{InProgress: st.InProgress}
	}
	return g, st, err
}

// readState is state, marks included.
func (a *app) readState(ctx context.Context) (*versions.Graph, *migrate.State, error) {
	gf := a.graphAsync()
	db, u, err := a.open(ctx, false)
	if errors.Is(err, dbopen.ErrNoFile) {
		g, gerr := gf()
		return g, &migrate.State{}, gerr
	}
	if err != nil {
		if _, gerr := gf(); gerr != nil {
			return nil, nil, gerr // bad input first
		}
		return nil, nil, err
	}
	defer db.Close()
	m, err := a.migratorDeferred(db, u.Dialect, gf)
	if err != nil {
		return nil, nil, err
	}
	st, err := m.State(ctx)
	if err != nil {
		return nil, nil, err
	}
	g, err := gf()
	return g, st, err
}

func (a *app) runCurrent(ctx context.Context) error {
	g, st, err := a.readState(ctx)
	if err != nil {
		return err
	}
	// With applied revisions that no file defines, a known revision may
	// have applied descendants this checkout does not know: that it is
	// current, or at head, cannot be told; nor while a revision is
	// marked in progress.
	heads := map[string]bool{}
	if len(st.Unknown) == 0 && len(st.InProgress) == 0 {
		for _, h := range g.Heads() {
			heads[h] = true
		}
	}
	var known []string // current heads with a file; st.Unknown are the others
	for _, id := range st.Heads {
		if g.Get(id) != nil {
			known = append(known, id)
		}
	}
	if a.json {
		a.out.jsonLine(currentJSON(g, st, known, heads))
		return inProgressError(st)
	}
	applied := map[string]migrate.Applied{}
	for _, r := range st.Applied {
		applied[r.Revision] = r
	}
	for _, id := range known {
		r := g.Get(id)
		line := id + labels(g, id)
		if heads[id] {
			line += " (head)"
		}
		if a.verbose {
			a.out.data("Rev: %s\nParent: %s\nPath: %s\nApplied: %s (%d ms)\n\n    %s\n\n", line, orBase(r.Parents), r.Path, applied[id].AppliedAt, applied[id].ExecutionMS, oneLine(r.Message))
			continue
		}
		a.out.data("%s\n", line)
	}
	for _, id := range st.Unknown {
		if a.verbose {
			a.out.data("Rev: %s (unknown: no revision file defines it)\nApplied: %s (%d ms)\n\n", id, applied[id].AppliedAt, applied[id].ExecutionMS)
			continue
		}
		a.out.data("%s (unknown: no revision file defines it)\n", id)
	}
	for _, p := range st.InProgress {
		a.out.data("%s (in progress: %s interrupted at %s)\n", p.Revision, p.Direction, p.Where())
	}
	a.warnUnknown(st)
	for _, e := range st.Edited {
		a.out.info("WARNING: %s: revision %s was edited after it was applied", e.File, e.Revision)
	}
	if len(st.Applied) == 0 && len(st.InProgress) == 0 && a.verbose {
		a.out.info("No revisions applied.")
	}
	return inProgressError(st)
}

// warnUnknown warns, on stderr, that the database has applied revisions
// that no file defines: then no known revision can be called a head (it
// may have applied descendants this checkout does not know). current,
// show current and history (when it reads the database) say it alike,
// and exit 0: what they print is still true.
func (a *app) warnUnknown(st *migrate.State) {
	if len(st.Unknown) > 0 {
		a.out.info("WARNING: the database has applied revisions that no file defines (is this checkout older than the database?): which revisions are current cannot be told")
	}
}

// inProgressError is the refusal to call the state known while a
// revision is marked in progress (nil without one).
func inProgressError(st *migrate.State) error {
	if len(st.InProgress) == 0 {
		return nil
	}
	return &migrate.StateError{InProgress: st.InProgress}
}

// labels shows the branch labels that apply to id — declared on it or
// inherited along its branch, as Alembic prints them — as " (a, b)".
func labels(g *versions.Graph, id string) string {
	ls := g.Labels(id)
	if len(ls) == 0 {
		return ""
	}
	return " (" + strings.Join(ls, ", ") + ")"
}

// list keeps JSON arrays arrays: a nil slice becomes [].
func list(ids []string) []string {
	if ids == nil {
		return []string{}
	}
	return ids
}

func orBase(ids []string) string {
	if len(ids) == 0 {
		return "<base>"
	}
	return strings.Join(ids, ", ")
}

// currentJSON is current's --json object. Its keys mean what they mean
// in status: counts by state (applied: revisions a file defines), and
// the lists themselves under unknown, edited and in_progress.
func currentJSON(g *versions.Graph, st *migrate.State, known []string, heads map[string]bool) any {
	type head struct {
		Revision     string   `json:"revision"`
		Parents      []string `json:"parents"`
		BranchLabels []string `json:"branch_labels"`
		Message      string   `json:"message"`
		File         string   `json:"file"`
		Head         bool     `json:"head"`
	}
	type edited struct {
		Revision        string `json:"revision"`
		File            string `json:"file"`
		Checksum        string `json:"checksum"`         // the file's now, as show gives it
		AppliedChecksum string `json:"applied_checksum"` // the version table's
	}
	out := struct {
		Heads      []head             `json:"heads"`
		Counts     map[string]int     `json:"counts"`
		Unknown    []string           `json:"unknown"`
		Edited     []edited           `json:"edited"`
		InProgress []migrate.Progress `json:"in_progress"`
	}{Heads: []head{}, Unknown: list(st.Unknown), Edited: []edited{}, InProgress: st.InProgress}
	if out.InProgress == nil {
		out.InProgress = []migrate.Progress{}
	}
	out.Counts = map[string]int{"applied": len(st.Applied) - len(st.Unknown), "unknown": len(st.Unknown),
		"in_progress": len(st.InProgress), "edited": len(st.Edited)}
	for _, id := range known {
		r := g.Get(id)
		out.Heads = append(out.Heads, head{Revision: id, Parents: list(r.Parents), BranchLabels: list(g.Labels(id)), Message: r.Message, File: r.Path, Head: heads[id]})
	}
	for _, e := range st.Edited {
		out.Edited = append(out.Edited, edited{Revision: e.Revision, File: e.File, Checksum: e.Current, AppliedChecksum: e.Stored})
	}
	return out
}
