package main

import (
	"github.com/spf13/cobra"

	"github.com/migratehq/migrate/autogen"
)

func (a *app) newDiffCmd() *cobra.Command {
	var down bool
	cmd := &cobra.Command{
		Use:   "diff",
		Short: "Print the SQL autogenerate would write, without writing it",
		Long: `diff compares the models ([models] in migrate.toml) with the database, which
must be at head, and prints the Up SQL a 'revision --autogenerate' would write
(--down: the Down SQL too). Nothing is written.`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			_, out, err := a.autogenerate(cmd.Context())
			if err != nil {
				return err
			}
			if a.json {
				type stmt struct {
					SQL     string `json:"sql"`
					Warning string `json:"warning,omitempty"`
					NoTx    bool   `json:"no_transaction,omitempty"`
				}
				conv := func(in []autogen.Statement) []stmt {
					out := []stmt{}
					for _, s := range in {
						out = append(out, stmt{s.SQL, s.Warning, s.NoTx})
					}
					return out
				}
				a.out.jsonLine(map[string]any{"changes": len(out.Changes), "up": conv(out.Up), "down": conv(out.Down), "cache_hit": out.CacheHit})
				return nil
			}
			if len(out.Changes) == 0 {
				a.out.info("No changes: the database matches the models.")
				return nil
			}
			a.out.sql("-- migrate:up\n" + autogen.SQLText(out.Up))
			if down {
				a.out.sql("\n-- migrate:down\n" + autogen.SQLText(out.Down))
			}
			for _, w := range warnings(out.Up) {
				a.out.info("WARNING: %s", w)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&down, "down", false, "print the Down SQL too")
	return cmd
}
