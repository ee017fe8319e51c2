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
	Labels      []string `json:"branch_labels,omitempty"`
	Head        bool     `json:"head"`
	BranchPoint bool     `json:"branchpoint,omitempty"`
	MergePoint  bool     `json:"mergepoint,omitempty"`
	Edited      bool     `json:"edited,omitempty"`
	// Progress is the interrupted run's mark (state in_progress).
	Progress *migrate.Progress `json:"in_progress,omitempty"`
}

// statusRows lists the graph's revisions in apply order, then the applied
// revisions no file defines.
func statusRows(g *versions.Graph, st *migrate.State) []statusRow {
	applied := map[string]migrate.Applied{}
	for _, r := range st.Applied {
		applied[r.Revision] = r
	}
	marks := map[string]*migrate.Progress{}
	for i := range st.InProgress {
		marks[st.InProgress[i].Revision] = &st.InProgress[i]
	}
	edited := map[string]bool{}
	for _, e := range st.Edited {
		edited[e.Revision] = true
	}
	heads, children := setOf(g.Heads()), childCount(g)
	var rows []statusRow
	for _, r := range g.Revisions() {
		row := statusRow{Revision: r.ID, State: "pending", Message: r.Message, File: r.Path, Labels: r.BranchLabels,
			Head: heads[r.ID], BranchPoint: children[r.ID] > 1, MergePoint: len(r.Parents) > 1, Edited: edited[r.ID]}
		if ap, ok := applied[r.ID]; ok {
			ms := ap.ExecutionMS
			row.State, row.AppliedAt, row.ExecutionMS = "applied", ap.AppliedAt, &ms
		}
		if p := marks[r.ID]; p != nil {
			row.State, row.Progress = "in_progress", p
		}
		rows = append(rows, row)
	}
	for _, id := range st.Unknown {
		ap := applied[id]
		ms := ap.ExecutionMS
		rows = append(rows, statusRow{Revision: id, State: "unknown", AppliedAt: ap.AppliedAt, ExecutionMS: &ms})
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
	n := statusSummary(rows)
	return map[string]any{"revisions": rows, "applied": n["applied"], "pending": n["pending"],
		"in_progress": n["in_progress"], "unknown": n["unknown"]}
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
