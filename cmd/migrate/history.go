package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/migratehq/migrate/migrate"
	"github.com/migratehq/migrate/versions"
)

func (a *app) newHistoryCmd() *cobra.Command {
	var rng string
	var indicate bool
	cmd := &cobra.Command{
		Use:   "history",
		Short: "List revisions, newest first",
		Long: `history lists the revisions in the graph, newest first:
"PARENTS -> REV (head), message". -r FROM:TO limits the list to the revisions
that descend from FROM and lead to TO (either side may be empty; "current"
names the database's heads). Relative bounds count as in Alembic: -r -N:
starts N revisions below each head (LABEL@-N: each head of that branch),
-r FROM:+N ends N revisions above FROM (LABEL@+N: along that branch).
--indicate-current marks the applied heads.`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runHistory(cmd.Context(), rng, indicate)
		},
	}
	cmd.Flags().StringVarP(&rng, "rev-range", "r", "", "range FROM:TO of revisions to show")
	cmd.Flags().BoolVarP(&indicate, "indicate-current", "i", false, "mark the database's current revisions (connects)")
	return cmd
}

func (a *app) runHistory(ctx context.Context, rng string, indicate bool) error {
	var g *versions.Graph
	var current []string
	var unknown bool
	var err error
	if indicate || strings.Contains(rng, "current") {
		var st *migrate.State
		if g, st, err = a.state(ctx); err != nil {
			return err
		}
		current = st.Heads
		// As current: with applied revisions no file defines, no known
		// revision is called a head.
		unknown = len(st.Unknown) > 0
		defer a.warnUnknown(st)
	} else if g, err = a.graph(); err != nil {
		return err
	}
	revs := g.Revisions()
	if rng != "" {
		from, to, ok := cutRange(rng)
		if !ok {
			return usageErrorf("-r %q: expected FROM:TO (either side may be empty)", rng)
		}
		ids, err := g.Range(from, to, current)
		if err != nil {
			return inputError(fmt.Errorf("-r %q: %w", rng, err))
		}
		keep := setOf(ids)
		var sel []*versions.Revision
		for _, r := range revs {
			if keep[r.ID] {
				sel = append(sel, r)
			}
		}
		revs = sel
	}
	heads := setOf(g.Heads())
	real := setOf(g.RealHeads())
	if unknown {
		heads, real = map[string]bool{}, map[string]bool{}
	}
	cur := setOf(current)
	children := childCount(g)
	type item struct {
		Revision     string   `json:"revision"`
		Parents      []string `json:"parents"`
		DependsOn    []string `json:"depends_on,omitempty"`
		BranchLabels []string `json:"branch_labels"`
		Message      string   `json:"message"`
		File         string   `json:"file"`
		Created      string   `json:"created,omitempty"`
		Head         bool     `json:"head"`
		Current      bool     `json:"current,omitempty"`
	}
	var items []item
	for i := len(revs) - 1; i >= 0; i-- {
		r := revs[i]
		if a.json {
			items = append(items, item{r.ID, list(r.Parents), r.DependsOn, list(g.Labels(r.ID)), r.Message, r.Path, createdJSON(r.Created), heads[r.ID], cur[r.ID]})
			continue
		}
		var marks []string
		switch {
		case heads[r.ID] && !real[r.ID]:
			marks = append(marks, "effective head")
		case heads[r.ID]:
			marks = append(marks, "head")
		}
		if len(r.Parents) > 1 {
			marks = append(marks, "mergepoint")
		}
		if children[r.ID] > 1 {
			marks = append(marks, "branchpoint")
		}
		if cur[r.ID] {
			marks = append(marks, "current")
		}
		m := ""
		for _, x := range marks {
			m += " (" + x + ")"
		}
		if a.verbose {
			a.out.data("Rev: %s%s%s\nParent: %s\n", r.ID, labels(g, r.ID), m, orBase(r.Parents))
			if len(r.DependsOn) > 0 {
				a.out.data("Also depends on: %s\n", strings.Join(r.DependsOn, ", "))
			}
			a.out.data("Path: %s\nCreated: %s\n\n    %s\n\n", r.Path, r.Created, oneLine(r.Message))
			continue
		}
		down := orBase(r.Parents)
		if len(r.DependsOn) > 0 {
			down += " (" + strings.Join(r.DependsOn, ", ") + ")"
		}
		a.out.data("%s -> %s%s%s%s\n", down, r.ID, labels(g, r.ID), m, comma(r.Message))
	}
	if a.json {
		if items == nil {
			items = []item{}
		}
		a.out.jsonLine(map[string]any{"revisions": items})
	}
	return nil
}

func setOf(ids []string) map[string]bool {
	m := make(map[string]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

func childCount(g *versions.Graph) map[string]int {
	n := map[string]int{}
	for _, r := range g.Revisions() {
		for _, p := range r.Parents {
			n[p]++
		}
	}
	return n
}

// createdLayouts are the forms of a created header migrate reads: its
// own (versions.CreatedLayout), with fractions of a second, with no
// offset (taken as UTC), and RFC 3339.
var createdLayouts = []string{
	versions.CreatedLayout,
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999",
	time.RFC3339Nano,
}

// createdJSON is a revision's created header for --json: RFC 3339 in
// UTC, as every time migrate reports; a header in no form it reads is
// given as written.
func createdJSON(s string) string {
	for _, l := range createdLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC().Format(time.RFC3339)
		}
	}
	return s
}
