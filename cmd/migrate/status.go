package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/migratehq/migrate/migrate"
	"github.com/migratehq/migrate/versions"
)

func init() { extraCommands = append(extraCommands, (*app).newStatusCmd) }

func (a *app) newStatusCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "status",
		Short: "List every revision in apply order: applied (when, how long) or pending",
		Long: `status lists every revision of the graph in apply order (each after its
parents and dependencies), with, for an applied one, when it was applied
(RFC 3339, UTC) and how long it ran, and "pending" for the others. Heads,
branch points and merge points are marked, and so are a revision left in
progress by an interrupted run, applied revisions that no file defines, and
applied files edited since. It reads the database and creates nothing.`,
		Example: `  migrate status
  migrate --json status
  migrate -e production status`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			g, st, err := a.readState(cmd.Context())
			if err != nil {
				return err
			}
			rows := statusRows(g, st)
			if a.json {
				a.out.jsonLine(statusJSON(rows))
				return nil
			}
			a.printStatus(rows)
			return nil
		},
	}
}

// statusRow is one revision of status.
type statusRow struct {
	Revision    string   `json:"revision"`
	State       string   `json:"state"` // applied | pending | in_progress | unknown
	AppliedAt   string   `json:"applied_at,omitempty"`
	ExecutionMS *int64   `json:"execution_ms,omitempty"`
	Message     string   `json:"message,omitempty"`
	File        string   `json:"file,omitempty"`
	Labels      []string `json:"branch_labels"` // those that apply, as heads and history give them
	Head        bool     `json:"head"`
	BranchPoint bool     `json:"branchpoint"`
	MergePoint  bool     `json:"mergepoint"`
	Edited      bool     `json:"edited"`
	// Progress is the interrupted run's mark (state in_progress only).
	Progress *migrate.Progress `json:"mark,omitempty"`
}

// statusRows turns migrate.StatusOf's list into rows with the graph's
// marks.
func statusRows(g *versions.Graph, st *migrate.State) []statusRow {
	heads, children := setOf(g.Heads()), childCount(g)
	var rows []statusRow
	for _, s := range migrate.StatusOf(g, st) {
		row := statusRow{Revision: s.ID, State: string(s.State), Labels: list(g.Labels(s.ID)), Edited: s.Edited, Progress: s.Progress}
		if r := s.Revision; r != nil {
			row.Message, row.File = r.Message, r.Path
			row.Head, row.BranchPoint, row.MergePoint = heads[r.ID], children[r.ID] > 1, len(r.Parents) > 1
		}
		if s.State == migrate.StateApplied || s.State == migrate.StateUnknown {
			ms := s.Applied.ExecutionMS
			row.AppliedAt, row.ExecutionMS = s.Applied.AppliedAt, &ms
		}
		rows = append(rows, row)
	}
	return rows
}

// statusSummary counts the rows by state.
func statusSummary(rows []statusRow) map[string]int {
	n := map[string]int{"applied": 0, "pending": 0, "in_progress": 0, "unknown": 0}
	for _, r := range rows {
		n[r.State]++
	}
	return n
}

func statusJSON(rows []statusRow) any {
	if rows == nil {
		rows = []statusRow{}
	}
	return map[string]any{"revisions": rows, "counts": statusSummary(rows)}
}

// printStatus writes one line per revision:
//
//	aaaa00000001  2026-12-07T20:08:21.265Z  12 ms  create users
//	bbbb00000002  pending                          add posts (head)
func (a *app) printStatus(rows []statusRow) {
	if len(rows) == 0 {
		a.out.info("No revisions.")
		return
	}
	idw := len("Revision")
	for _, r := range rows {
		idw = max(idw, len(r.Revision))
	}
	a.out.data("%-*s  %-24s  %8s  %s\n", idw, "Revision", "Applied (UTC)", "Took", "Message")
	for _, r := range rows {
		when, took := strings.ReplaceAll(r.State, "_", " "), ""
		if r.AppliedAt != "" && r.State != "in_progress" {
			when = r.AppliedAt
		}
		if r.ExecutionMS != nil && r.State != "in_progress" {
			took = fmt.Sprintf("%d ms", *r.ExecutionMS)
		}
		a.out.data("%-*s  %-24s  %8s  %s\n", idw, r.Revision, when, took, statusNote(r))
	}
	n := statusSummary(rows)
	sum := fmt.Sprintf("%d applied, %d pending", n["applied"], n["pending"])
	if n["in_progress"] > 0 {
		sum += fmt.Sprintf(", %d in progress (see 'migrate resolve')", n["in_progress"])
	}
	if n["unknown"] > 0 {
		sum += fmt.Sprintf(", %d applied that no file defines", n["unknown"])
	}
	a.out.data("%s.\n", sum)
}

// statusNote is the message column: the message, then the marks.
func statusNote(r statusRow) string {
	var marks []string
	for _, l := range r.Labels {
		marks = append(marks, "label "+l)
	}
	for _, m := range []struct {
		on   bool
		text string
	}{{r.Head, "head"}, {r.BranchPoint, "branchpoint"}, {r.MergePoint, "mergepoint"}, {r.Edited, "edited since applied"}} {
		if m.on {
			marks = append(marks, m.text)
		}
	}
	switch {
	case r.Progress != nil:
		marks = append(marks, fmt.Sprintf("%s interrupted at %s", r.Progress.Direction, r.Progress.Where()))
	case r.State == "unknown":
		marks = append(marks, "no revision file defines it")
	}
	note := oneLine(r.Message)
	if len(marks) > 0 {
		note = strings.TrimSpace(note + " (" + strings.Join(marks, ", ") + ")")
	}
	return note
}
