package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

func (a *app) newCheckCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "check",
		Short: "CI gate: exit 3 when the revisions or the database need attention",
		Long: `check verifies, and exits 3 with a list of findings when any fails:
  - the graph has exactly one head;
  - the file names sort in an apply order (what sqlc and ls read);
  - no revision is marked in progress (interrupted outside a transaction);
  - the database is at head, with no unknown applied revisions;
  - no applied revision file was edited since it was applied;
  - the revisions not applied hold no lint findings (PostgreSQL; see
    'migrate lint current:');
  - the models ([models] in migrate.toml, when set) match the database
    (what 'migrate diff' would print is empty), and each of their rename
    hints names a table or column the database has (by its old or its
    new name) and can be done (not both names there, not a swap of
    alike columns).
With nothing to report it prints one line and exits 0.`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			g, st, err := a.readState(cmd.Context())
			if err != nil {
				return err
			}
			var findings []string
			for _, p := range st.InProgress {
				findings = append(findings, strings.ReplaceAll(p.Describe(), "\n", "\n  "))
			}
			if heads := g.Heads(); len(heads) > 1 {
				findings = append(findings, fmt.Sprintf("multiple heads: %s (merge them with 'migrate merge heads -m ...')", strings.Join(heads, ", ")))
			}
			findings = append(findings, g.CheckFileOrder()...)
			for _, id := range st.Unknown {
				findings = append(findings, fmt.Sprintf("the database has applied revision %s, which no file defines", id))
			}
			for _, e := range st.Edited {
				findings = append(findings, fmt.Sprintf("%s: revision %s was edited after it was applied", e.File, e.Revision))
			}
			applied := setOf(st.IDs())
			var pending []string
			for _, r := range g.Revisions() {
				if !applied[r.ID] {
					pending = append(pending, r.ID)
				}
			}
			if len(pending) > 0 {
				lf, err := a.lintPending(cmd.Context(), g, pending)
				if err != nil {
					return err
				}
				findings = append(findings, fmt.Sprintf("the database is not up to date: %d revision(s) not applied (%s)", len(pending), abbrev(pending, 5)))
				findings = append(findings, lf...)
			}
			models := ""
			if a.modelsConfigured() && len(pending) == 0 && len(st.Unknown) == 0 && len(st.InProgress) == 0 {
				_, out, err := a.compareModels(cmd.Context())
				if err != nil {
					return err
				}
				findings = append(findings, out.HintWarnings...)
				if n := len(out.Changes); n > 0 {
					f := fmt.Sprintf("the models differ from the database: %d change(s); 'migrate revision --autogenerate -m ...' would write:", n)
					for i, s := range out.Up {
						if i == 10 {
							f += fmt.Sprintf("\n    ... and %d more statement(s) ('migrate diff' prints them all)", len(out.Up)-i)
							break
						}
						f += "\n    " + firstLine(s.SQL)
					}
					findings = append(findings, f)
				}
				models = ", models match"
			}
			if a.json {
				if findings == nil {
					findings = []string{}
				}
				a.out.jsonLine(map[string]any{"ok": len(findings) == 0, "findings": findings})
			}
			if len(findings) > 0 {
				if !a.json {
					for _, f := range findings {
						a.out.data("- %s\n", f)
					}
				}
				return &driftError{msg: fmt.Sprintf("check found %d problem(s)", len(findings))}
			}
			if !a.json {
				if g.Len() == 0 {
					a.out.data("OK: no revisions yet, none applied%s.\n", models)
					return nil
				}
				a.out.data("OK: one head (%s), database at head, %d revision(s) applied, checksums intact%s.\n", strings.Join(g.Heads(), ""), len(st.Applied), models)
			}
			return nil
		},
	}
	return cmd
}

func abbrev(ids []string, n int) string {
	if len(ids) <= n {
		return strings.Join(ids, ", ")
	}
	return strings.Join(ids[:n], ", ") + fmt.Sprintf(", and %d more", len(ids)-n)
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " ..."
	}
	return s
}
