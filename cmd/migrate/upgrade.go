package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/migratehq/migrate/config"
	"github.com/migratehq/migrate/internal/dbopen"
	"github.com/migratehq/migrate/migrate"
)

type runOpts struct {
	sql          bool
	tx           string
	dryRun       bool
	acceptEdited bool
	dialect      string // --dialect, for --sql
}

func (o *runOpts) flags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.BoolVar(&o.sql, "sql", false, "print the SQL for the range FROM:TO instead of running it (no connection)")
	f.Var(txModeFlag{&o.tx}, "tx", "transaction mode for this run: all, revision or none (default: the config's transaction)")
	f.BoolVar(&o.dryRun, "dry-run", false, "print the plan without changing the database")
	f.BoolVar(&o.acceptEdited, "accept-edited", false, "accept applied revision files edited since, and record their new checksums")
	f.StringVar(&o.dialect, "dialect", "", "with --sql: postgres or sqlite (default: dialect of migrate.toml, else the URL's)")
}

func (a *app) newUpgradeCmd() *cobra.Command {
	var o runOpts
	cmd := &cobra.Command{
		Use:   "upgrade [TARGET]",
		Short: "Apply revisions up to TARGET (default head)",
		Long: `upgrade applies the revisions needed to reach TARGET: head (the default),
heads, a revision id or unique prefix, +N, REV+N, LABEL@head, LABEL@+N ...
(LABEL@+N starts from the branch's current head, or, when none is, from
where its applied part ends). A target already reached is not an error.

With --sql it prints, without connecting, the SQL of the range [FROM:]TO
(FROM defaults to an empty database).`,
		Args: maxArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			target := "head"
			if len(args) == 1 {
				target = args[0]
			}
			return a.runMigrate(cmd.Context(), "upgrade", target, o)
		},
	}
	o.flags(cmd)
	return cmd
}

func (a *app) newDowngradeCmd() *cobra.Command {
	var o runOpts
	cmd := &cobra.Command{
		Use:   "downgrade TARGET",
		Short: "Revert revisions down to TARGET (-1, base, a revision …)",
		Long: `downgrade reverts applied revisions down to TARGET, which is required:
-N, base, a revision id or prefix, REV-N, LABEL@-N, LABEL@base ...
LABEL@REV reverts only that branch down to REV. What merely depends on
TARGET stays.

With --sql it prints, without connecting, the SQL of the range FROM:TO.`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runMigrate(cmd.Context(), "downgrade", args[0], o)
		},
	}
	o.flags(cmd)
	return cmd
}

func (a *app) runMigrate(ctx context.Context, verb, target string, o runOpts) error {
	if o.tx != "" {
		if err := config.CheckTransaction(o.tx); err != nil {
			return inputError(err)
		}
	}
	var extra []migrate.Option
	if o.tx != "" {
		extra = append(extra, migrate.WithTransaction(migrate.TxMode(o.tx)))
	}
	if o.dialect != "" && !o.sql {
		return usageErrorf("--dialect is for offline runs (--sql); a connected run takes the URL's")
	}
	if o.sql {
		return a.offline(verb, target, o.dialect, extra)
	}
	if strings.Contains(target, ":") && !strings.Contains(target, "@") {
		return usageErrorf("a range %q is only allowed with --sql", target)
	}
	gf := a.graphAsync()
	extra = append(extra, migrate.WithAcceptEdited(o.acceptEdited))
	if verb == "upgrade" && a.newSQLiteFile() {
		done, err := a.planFresh(ctx, gf, o.dryRun, func(m *migrate.Migrator) error {
			_, err := m.Upgrade(ctx, target)
			return err
		}, extra...)
		if done {
			return err
		}
	}
	db, u, err := a.open(ctx, verb == "upgrade")
	if err != nil {
		if _, gerr := gf(); gerr != nil {
			return gerr // bad input first
		}
		if errors.Is(err, dbopen.ErrNoFile) {
			return usageErrorf("%v: nothing to downgrade", err)
		}
		return err
	}
	defer db.Close()
	extra = append(extra, migrate.WithDryRun(o.dryRun))
	extra = append(extra, a.timeouts(u.Dialect)...)
	m, err := a.migratorDeferred(db, u.Dialect, gf, extra...)
	if err != nil {
		return err
	}
	if verb == "upgrade" {
		_, err = m.Upgrade(ctx, target)
	} else {
		_, err = m.Downgrade(ctx, target)
	}
	return err
}

// timeouts are the options of the config's PostgreSQL statement
// timeouts for the environment in use; on SQLite, where they have no
// effect, a warning when the config sets them.
func (a *app) timeouts(d config.Dialect) []migrate.Option {
	c, err := a.config()
	if err != nil {
		return nil
	}
	t := c.TimeoutsFor(a.envName)
	if d != config.Postgres {
		if len(t.Set) > 0 {
			a.out.event(migrate.Event{Kind: migrate.EventWarning, Message: fmt.Sprintf("%s: %s: PostgreSQL settings, no effect on SQLite", a.configName(), strings.Join(t.Set, ", "))})
		}
		return nil
	}
	return []migrate.Option{
		migrate.WithPGLockTimeout(t.LockTimeout),
		migrate.WithPGStatementTimeout(t.StatementTimeout),
		migrate.WithLockRetries(t.LockRetries, t.LockRetryDelay),
	}
}

// offline prints the SQL of a range without connecting.
func (a *app) offline(verb, rng, dialectFlag string, extra []migrate.Option) error {
	from, to, isRange := cutRange(rng)
	if !isRange {
		from, to = "", rng
	}
	if verb == "downgrade" && !isRange {
		return usageErrorf("downgrade --sql needs a range FROM:TO, e.g. head:base or head:-1")
	}
	g, err := a.graph()
	if err != nil {
		return err
	}
	d, err := a.offlineDialect(dialectFlag)
	if err != nil {
		return inputError(err)
	}
	m, err := a.migrator(nil, d, g, extra...)
	if err != nil {
		return err
	}
	if !a.json {
		if verb == "upgrade" {
			return m.UpgradeSQL(a.stdout, from, to)
		}
		return m.DowngradeSQL(a.stdout, from, to)
	}
	// --json: one object holding the script, like every other result.
	var b strings.Builder
	if verb == "upgrade" {
		err = m.UpgradeSQL(&b, from, to)
	} else {
		err = m.DowngradeSQL(&b, from, to)
	}
	if err != nil {
		return err
	}
	if from == "" {
		from = "base"
	}
	// "range" as the script's header gives it: from and to are revision
	// lists in the run events.
	a.out.jsonLine(map[string]any{"event": "sql", "direction": verb, "range": from + ":" + to, "dialect": string(d), "sql": b.String()})
	return nil
}

// cutRange splits FROM:TO; label@rev forms never contain ':'.
func cutRange(s string) (from, to string, ok bool) {
	i := strings.LastIndex(s, ":")
	if i < 0 {
		return "", s, false
	}
	return s[:i], s[i+1:], true
}
