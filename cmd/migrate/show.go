package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/migratehq/migrate/migrate"
	"github.com/migratehq/migrate/versions"
)

func (a *app) newShowCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "show REVISION",
		Short: "Show one revision: header, file, checksum and SQL",
		Long:  `show prints a revision's header, file, checksum and its Up and Down SQL. "current" names the database's heads (connects).`,
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var g *versions.Graph
			var ids []string
			var err error
			unknown := false // applied revisions no file defines: no heads
			if args[0] == "current" {
				var st *migrate.State
				if g, st, err = a.state(cmd.Context()); err != nil {
					return err
				}
				ids = st.Heads
				unknown = len(st.Unknown) > 0
				defer a.warnUnknown(st)
			} else {
				if g, err = a.graph(); err != nil {
					return err
				}
				if ids, err = g.Resolve(args[0]); err != nil {
					return inputError(err)
				}
			}
			heads := setOf(g.Heads())
			if unknown {
				heads = map[string]bool{}
			}
			for i, id := range ids {
				r := g.Get(id)
				if r == nil {
					// An applied revision that no file defines (show current).
					if a.json {
						a.out.jsonLine(map[string]any{"revision": id, "unknown": true})
						continue
					}
					if i > 0 {
						a.out.data("\n")
					}
					a.out.data("Rev: %s (unknown: no revision file defines it)\n", id)
					continue
				}
				if a.json {
					a.out.jsonLine(map[string]any{
						"revision": r.ID, "parents": list(r.Parents), "depends_on": list(r.DependsOn), "branch_labels": list(g.Labels(r.ID)),
						"message": r.Message, "created": createdJSON(r.Created), "file": r.Path, "checksum": r.Checksum,
						"transactional": r.Transactional, "head": heads[r.ID], "up": r.Up, "down": r.Down,
					})
					continue
				}
				if i > 0 {
					a.out.data("\n")
				}
				mark := ""
				if heads[id] {
					mark = " (head)"
				}
				var b strings.Builder
				fmt.Fprintf(&b, "Rev: %s%s%s\nParent: %s\n", r.ID, labels(g, r.ID), mark, orBase(r.Parents))
				if len(r.DependsOn) > 0 {
					fmt.Fprintf(&b, "Also depends on: %s\n", strings.Join(r.DependsOn, ", "))
				}
				fmt.Fprintf(&b, "Path: %s\nCreated: %s\nChecksum: %s\n", r.Path, r.Created, r.Checksum)
				if !r.Transactional {
					b.WriteString("Transaction: false (runs outside a transaction)\n")
				}
				fmt.Fprintf(&b, "\n    %s\n\n-- migrate:up\n%s\n-- migrate:down\n%s\n", oneLine(r.Message), strings.TrimSpace(r.Up), strings.TrimSpace(r.Down))
				a.out.data("%s", b.String())
			}
			return nil
		},
	}
}
