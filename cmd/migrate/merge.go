package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/migratehq/migrate/versions"
)

func (a *app) newMergeCmd() *cobra.Command {
	var message, revID string
	var labels []string
	cmd := &cobra.Command{
		Use:   "merge REVISION... -m MESSAGE",
		Short: "Write a revision that merges several heads into one",
		Long: `merge writes an empty revision whose parents are the given revisions
("heads" names all heads), so that the graph has one head again.`,
		Args: minArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkLabels(labels); err != nil {
				return err
			}
			g, err := a.graph()
			if err != nil {
				return err
			}
			seen := map[string]bool{}
			var parents []string
			for _, spec := range args {
				ids, err := g.Resolve(spec)
				if err != nil {
					return inputError(err)
				}
				for _, id := range ids {
					if !seen[id] {
						seen[id] = true
						parents = append(parents, id)
					}
				}
			}
			if len(parents) < 2 {
				return usageErrorf("merge needs at least two distinct revisions; %v name %d", args, len(parents))
			}
			for _, p := range parents {
				for _, q := range parents {
					if p != q && contains(g.Ancestors(q), p) {
						return usageErrorf("cannot merge %s with its descendant %s", p, q)
					}
				}
			}
			r := &versions.Revision{Parents: parents, BranchLabels: labels, Message: message, Transactional: true, Up: "\n", Down: "\n"}
			if r.Message == "" {
				r.Message = fmt.Sprintf("merge %d heads", len(parents))
			}
			_, err = a.writeRevision(g, r, revID)
			return err
		},
	}
	cmd.Flags().StringVarP(&message, "message", "m", "", "what the merge is")
	cmd.Flags().StringVar(&revID, "rev-id", "", "revision id to use instead of a random one")
	cmd.Flags().StringArrayVar(&labels, "branch-label", nil, "branch label for the merge revision")
	return cmd
}

func contains(ids []string, id string) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}
