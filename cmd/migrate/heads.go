package main

import (
	"strings"

	"github.com/spf13/cobra"
)

func (a *app) newHeadsCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "heads",
		Short: "Show the heads of the revision graph",
		Long: `heads prints the revisions no other revision revises. A head that another
revision only depends on is marked "(effective head)".`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			g, err := a.graph()
			if err != nil {
				return err
			}
			real := setOf(g.RealHeads())
			if a.json {
				type head struct {
					Revision     string   `json:"revision"`
					BranchLabels []string `json:"branch_labels"`
					Message      string   `json:"message"`
					File         string   `json:"file"`
					Effective    bool     `json:"effective_only,omitempty"`
				}
				out := []head{}
				for _, id := range g.Heads() {
					r := g.Get(id)
					out = append(out, head{id, list(g.Labels(id)), r.Message, r.Path, !real[id]})
				}
				a.out.jsonLine(map[string]any{"heads": out})
				return nil
			}
			for _, id := range g.Heads() {
				r := g.Get(id)
				mark := " (head)"
				if !real[id] {
					mark = " (effective head)"
				}
				if a.verbose {
					a.out.data("Rev: %s%s%s\nParent: %s\nPath: %s\n\n    %s\n\n", id, labels(g, id), mark, orBase(r.Parents), r.Path, oneLine(r.Message))
					continue
				}
				a.out.data("%s%s%s\n", id, labels(g, id), mark)
			}
			return nil
		},
	}
}

func (a *app) newBranchesCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "branches",
		Short: "Show the branch points of the revision graph",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			g, err := a.graph()
			if err != nil {
				return err
			}
			heads := setOf(g.Heads())
			children := map[string][]string{}
			for _, r := range g.Revisions() {
				for _, p := range r.Parents {
					children[p] = append(children[p], r.ID)
				}
			}
			type branch struct {
				Revision string   `json:"revision"`
				Children []string `json:"children"`
			}
			out := []branch{}
			for _, r := range g.Revisions() {
				kids := children[r.ID]
				if len(kids) < 2 {
					continue
				}
				if a.json {
					out = append(out, branch{r.ID, kids})
					continue
				}
				a.out.data("%s%s (branchpoint)%s\n", r.ID, labels(g, r.ID), comma(r.Message))
				for _, k := range kids {
					kr := g.Get(k)
					mark := ""
					if heads[k] {
						mark = " (head)"
					}
					a.out.data("%s -> %s%s%s%s\n", strings.Repeat(" ", len(r.ID)), k, labels(g, k), mark, comma(kr.Message))
				}
			}
			if a.json {
				a.out.jsonLine(map[string]any{"branchpoints": out})
			}
			return nil
		},
	}
}
