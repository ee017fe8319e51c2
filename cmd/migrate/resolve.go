package main

import (
	"errors"

	"github.com/spf13/cobra"

	"github.com/migratehq/migrate/internal/dbopen"
	"github.com/migratehq/migrate/migrate"
)

func init() { extraCommands = append(extraCommands, (*app).newResolveCmd) }

func (a *app) newResolveCmd() *cobra.Command {
	var applied, reverted, dryRun bool
	cmd := &cobra.Command{
		Use:   "resolve REVISION --applied|--reverted",
		Short: "Record the outcome of a revision interrupted outside a transaction",
		Long: `A revision that runs outside a transaction ("-- migrate:transaction false",
or --tx none) is marked in progress before its first statement, and the mark
is cleared with its version row when it finishes. A run that stops half-way
(a failing statement, a killed process) leaves the mark, and every upgrade,
downgrade, stamp, check and current names it and refuses to go on.

Look at the database first: 'migrate current' names the revision, the
direction and the statement it reached (file:line). Finish or undo that
work by hand, then record the outcome:

  --applied   the revision's upgrade is fully in effect: its version row is
              written (with the checksum of the file as it ran) unless it
              is there
  --reverted  none of its upgrade is in effect: its version row is removed
              if it is there

and the mark is cleared, under the migration lock, in one transaction. No
SQL of the revision runs. REVISION must name the marked revision (its id or
a prefix of 4+ characters). --dry-run prints what it would do.`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if applied == reverted {
				return usageErrorf("resolve needs exactly one of --applied and --reverted\nRun 'migrate resolve --help' for usage.")
			}
			as := migrate.ResolveApplied
			if reverted {
				as = migrate.ResolveReverted
			}
			// The revision files are not needed: the mark holds the file,
			// its checksum and the statement reached. A checkout that no
			// longer loads cleanly does not stand in the way.
			g := a.graphAsync()
			db, u, err := a.open(cmd.Context(), false)
			if errors.Is(err, dbopen.ErrNoFile) {
				return usageErrorf("%v: nothing to resolve", err)
			}
			if err != nil {
				return err
			}
			defer db.Close()
			m, err := a.migratorDeferred(db, u.Dialect, g, migrate.WithDryRun(dryRun), migrate.WithLogger(func(e migrate.Event) {
				if e.Kind == migrate.EventResolved && !a.json {
					a.out.info("%s.", upperFirst(e.Message))
					return
				}
				a.out.event(e)
			}))
			if err != nil {
				return err
			}
			_, err = m.Resolve(cmd.Context(), args[0], as)
			return err
		},
	}
	cmd.Flags().BoolVar(&applied, "applied", false, "record the revision as applied (its upgrade is fully in effect)")
	cmd.Flags().BoolVar(&reverted, "reverted", false, "record the revision as not applied (none of its upgrade is in effect)")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "print what would be done, and do nothing")
	return cmd
}

func upperFirst(s string) string {
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		return string(s[0]-'a'+'A') + s[1:]
	}
	return s
}
