package main

import (
	"github.com/spf13/cobra"

	"github.com/migratehq/migrate/migrate"
	"github.com/migratehq/migrate/versions"
)

func (a *app) newStampCmd() *cobra.Command {
	var purge, dryRun bool
	cmd := &cobra.Command{
		Use:   "stamp REVISION...",
		Short: "Record revisions as applied (or not) without running their SQL",
		Long: `stamp writes the version table as if the database had been upgraded or
downgraded to the given revisions, without running any SQL: for a database
whose schema was created by other means. Stamping an applied revision with
applied descendants removes the rows that downgrade to it would (LABEL@REV:
on that branch only). "stamp base" forgets everything;
--purge empties the version table first (also dropping rows no file defines).

A relative target moves from the current revision, as downgrade and upgrade
walk: "stamp -1" marks the database one revision lower, "stamp +1" one
higher (Alembic counts stamp's -1 from the heads of the files: write
head-1 for that).`,
		Args: minArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			a.out.stamping = true
			g, err := a.graph()
			if err != nil {
				return err
			}
			stamp := func(m *migrate.Migrator) error {
				_, err := m.Stamp(cmd.Context(), args, purge)
				return err
			}
			if a.newSQLiteFile() {
				gf := func() (*versions.Graph, error) { return g, nil }
				if done, err := a.planFresh(cmd.Context(), gf, dryRun, stamp, migrate.WithAcceptEdited(true)); done {
					return err
				}
			}
			db, u, err := a.open(cmd.Context(), true)
			if err != nil {
				return err
			}
			defer db.Close()
			m, err := a.migrator(db, u.Dialect, g, migrate.WithDryRun(dryRun), migrate.WithAcceptEdited(true))
			if err != nil {
				return err
			}
			return stamp(m)
		},
	}
	cmd.Flags().BoolVar(&purge, "purge", false, "empty the version table first")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "print what would be stamped")
	return cmd
}
