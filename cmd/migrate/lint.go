package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/migratehq/migrate/config"
	"github.com/migratehq/migrate/internal/dbopen"
	"github.com/migratehq/migrate/lint"
	"github.com/migratehq/migrate/migrate"
	"github.com/migratehq/migrate/sqlsplit"
	"github.com/migratehq/migrate/versions"
)

type lintOpts struct {
	tx      string
	dialect string
	rules   bool
}

func (a *app) newLintCmd() *cobra.Command {
	var o lintOpts
	cmd := &cobra.Command{
		Use:   "lint [REV-RANGE]",
		Short: "Report PostgreSQL statements that would stall or break a database in use",
		Long: `lint examines the up sections of revisions for statements that lock a
table for as long as they scan or rewrite it, statements PostgreSQL refuses
inside the revision's transaction, and changes running code does not expect
(dropping or renaming a column or table). Each finding has a stable code,
file:line, the lock taken, whether the table is scanned or rewritten, and
the safe alternative. Exit 3 when any finding is not accepted by a
"-- migrate:lint ignore=CODE reason" header line.

With no REV-RANGE, every revision is linted as it meets a database that has
all the revisions before it: their tables are existing. REV-RANGE is FROM:TO
as for 'history -r', or one revision, linted as one run: tables created in
the range are new, those of earlier revisions existing. "current:" (or
"current:TO") connects and lints the revisions not yet applied, as one run,
against the database's schema. Nothing else connects.

Only PostgreSQL has rules: on SQLite lint says so and exits 0. See
docs/lint.md, or --rules for the list.`,
		Args: maxArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.rules {
				a.printRules()
				return nil
			}
			rng := ""
			if len(args) == 1 {
				rng = args[0]
			}
			return a.runLint(cmd.Context(), rng, o)
		},
	}
	f := cmd.Flags()
	f.Var(txModeFlag{&o.tx}, "tx", "transaction mode the revisions will run in: all, revision or none (default: the config's transaction)")
	f.StringVar(&o.dialect, "dialect", "", "postgres or sqlite (default: the database URL's)")
	f.BoolVar(&o.rules, "rules", false, "list the rules and exit")
	return cmd
}

// lintRun is what one lint needs: the revisions in run order, and the
// options (the schema they start from).
type lintRun struct {
	revs []*versions.Revision
	opts lint.Options
}

func (a *app) runLint(ctx context.Context, rng string, o lintOpts) error {
	c, err := a.config()
	if err != nil {
		return err
	}
	d, err := a.lintDialect(o.dialect)
	if err != nil {
		return err
	}
	tx := o.tx
	if tx == "" {
		tx = c.Transaction
	}
	from, to, ok := cutRange(rng)
	if !ok {
		from = to // one revision: FROM and TO both
	}
	var run *lintRun
	if from == "current" || to == "current" {
		run, err = a.lintOnline(ctx, from, to)
	} else {
		run, err = a.lintOffline(from, to)
	}
	if err != nil {
		return err
	}
	run.opts.Dialect, run.opts.Tx, run.opts.Separate = d, tx, rng == ""
	res, err := lint.Lint(run.revs, run.opts)
	if err != nil {
		return inputError(err)
	}
	return a.reportLint(d, res, run.opts.Catalog != nil)
}

// lintDialect is --dialect, else the config's dialect key, else the
// dialect of the database URL.
func (a *app) lintDialect(flag string) (sqlsplit.Dialect, error) {
	name := flag
	if c, err := a.config(); name == "" && err == nil && c.Dialect != "" {
		name = string(c.Dialect)
	}
	if name == "" {
		u, err := a.dbURL()
		if err != nil {
			return 0, usageErrorf("lint needs to know the dialect: %v; or pass --dialect postgres|sqlite", err)
		}
		name = string(u.Dialect)
	}
	switch name {
	case string(config.Postgres):
		return sqlsplit.Postgres, nil
	case string(config.SQLite):
		return sqlsplit.SQLite, nil
	}
	return 0, usageErrorf("--dialect %q: expected postgres or sqlite", name)
}

// lintOffline selects the range without a database.
func (a *app) lintOffline(from, to string) (*lintRun, error) {
	g, err := a.graph()
	if err != nil {
		return nil, err
	}
	ids, err := g.Range(from, to, nil)
	if err != nil {
		return nil, inputError(err)
	}
	keep := setOf(ids)
	return selectRun(g, keep, nil, nil), nil
}

// lintOnline connects to resolve "current". "current:TO" lints the
// revisions up to TO that are not applied, from the database's schema
// (on PostgreSQL); a range that ends at current is linted as offline.
func (a *app) lintOnline(ctx context.Context, from, to string) (*lintRun, error) {
	g, st, cat, err := a.lintState(ctx)
	if err != nil {
		return nil, err
	}
	var applied map[string]bool
	if from == "current" {
		from, applied = "", setOf(st.IDs())
	} else {
		cat = nil
	}
	ids, err := g.Range(from, to, st.Heads)
	if err != nil {
		return nil, inputError(err)
	}
	keep := setOf(ids)
	return selectRun(g, keep, applied, cat), nil
}

// selectRun takes the revisions of keep not in skip, in run order. With
// no catalog, the ancestors of the selection that are not in it are read
// first, for the tables they create.
func selectRun(g *versions.Graph, keep, skip map[string]bool, cat *lint.Catalog) *lintRun {
	run := &lintRun{opts: lint.Options{Catalog: cat}}
	var sel []string
	for _, r := range g.Revisions() {
		if keep[r.ID] && !skip[r.ID] {
			run.revs = append(run.revs, r)
			sel = append(sel, r.ID)
		}
	}
	if cat != nil {
		return run
	}
	before := setOf(g.Ancestors(sel...))
	for _, r := range g.Revisions() {
		if before[r.ID] && !keep[r.ID] {
			run.opts.Before = append(run.opts.Before, r)
		}
	}
	return run
}

// lintState reads the graph, the database's state and, on PostgreSQL,
// its catalog, on one connection.
func (a *app) lintState(ctx context.Context) (*versions.Graph, *migrate.State, *lint.Catalog, error) {
	gf := a.graphAsync()
	db, u, err := a.open(ctx, false)
	if errors.Is(err, dbopen.ErrNoFile) {
		g, err := gf()
		return g, &migrate.State{}, nil, err
	}
	if err != nil {
		if _, gerr := gf(); gerr != nil {
			return nil, nil, nil, gerr
		}
		return nil, nil, nil, err
	}
	defer db.Close()
	m, err := a.migratorDeferred(db, u.Dialect, gf)
	if err != nil {
		return nil, nil, nil, err
	}
	st, err := m.State(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	g, err := gf()
	if err != nil {
		return nil, nil, nil, err
	}
	cat, err := readCatalog(ctx, db, u.Dialect)
	return g, st, cat, err
}

// readCatalog reads the schema lint starts from; nil on SQLite.
func readCatalog(ctx context.Context, db *sql.DB, d config.Dialect) (*lint.Catalog, error) {
	if d != config.Postgres {
		return nil, nil
	}
	return lint.ReadCatalog(ctx, db)
}

// reportLint prints the findings (text or one JSON object) and returns
// a check error (exit 3) when any is not ignored.
func (a *app) reportLint(d sqlsplit.Dialect, res *lint.Result, online bool) error {
	open := res.Open()
	if a.json {
		fs, unused := res.Findings, res.Unused
		if fs == nil {
			fs = []lint.Finding{}
		}
		if unused == nil {
			unused = []lint.UnusedIgnore{}
		}
		a.out.jsonLine(map[string]any{
			"ok": len(open) == 0, "dialect": d.String(), "rules": !res.NoRules,
			"revisions": res.Revisions, "database": online, "findings": fs,
			"unused_ignores": unused,
		})
	} else {
		a.printFindings(d, res, len(open))
	}
	if len(open) > 0 {
		return &driftError{msg: fmt.Sprintf("lint found %d problem(s)", len(open))}
	}
	return nil
}

func (a *app) printFindings(d sqlsplit.Dialect, res *lint.Result, open int) {
	if res.NoRules {
		a.out.data("No lint rules for %s: %d revision(s) not examined.\n", d, res.Revisions)
		return
	}
	for _, f := range res.Findings {
		a.out.data("%s\n", findingText(f, "    "))
	}
	for _, u := range res.Unused {
		a.out.info("Note: %s", u)
	}
	ignored := len(res.Findings) - open
	switch {
	case open == 0 && ignored == 0:
		a.out.data("OK: no hazards in %d revision(s).\n", res.Revisions)
	case open == 0:
		a.out.data("OK: no hazards in %d revision(s) (%d finding(s) ignored by their revision).\n", res.Revisions, ignored)
	default:
		a.out.data("%d finding(s) in %d revision(s), %d ignored.\n", open, res.Revisions, ignored)
	}
}

// findingText renders a finding: its line, then, indented, the lock and
// effect and the safe alternative; an ignored one on one line, with
// the reason.
func findingText(f lint.Finding, indent string) string {
	head := fmt.Sprintf("%s:%d: %s %s", f.File, f.Line, f.Code, f.Name)
	if f.Ignored {
		return fmt.Sprintf("%s: ignored (line %d): %s", head, f.IgnoreLine, f.Reason)
	}
	if f.Severity == lint.Error {
		head += " (error)"
	}
	s := head + ": " + f.Message
	if f.Lock != "" {
		s += "\n" + indent + "lock: " + f.Lock + ", " + effectText(f.Effect)
	}
	return s + "\n" + indent + "instead: " + f.Fix
}

func effectText(e string) string {
	switch e {
	case lint.EffectRewrite:
		return "rewrites the table"
	case lint.EffectScan:
		return "scans the table"
	}
	return "no scan"
}

// printRules lists the rules (--rules).
func (a *app) printRules() {
	if a.json {
		a.out.jsonLine(lint.Rules)
		return
	}
	for _, r := range lint.Rules {
		lock := r.Lock
		if lock == "" {
			lock = "-"
		}
		a.out.data("%s  %-31s %-7s %-20s %-8s %s\n", r.Code, r.Name, r.Severity, lock, r.Effect, r.Fix)
	}
}

// lintPending lints the revisions of pending (ids, in run order) for
// check, against the database's schema; nil on SQLite.
func (a *app) lintPending(ctx context.Context, g *versions.Graph, pending []string) ([]string, error) {
	if u, err := a.dbURL(); err != nil || u.Dialect != config.Postgres {
		return nil, err // SQLite has no rules
	}
	db, _, err := a.open(ctx, false)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	cat, err := lint.ReadCatalog(ctx, db)
	if err != nil {
		return nil, err
	}
	c, err := a.config()
	if err != nil {
		return nil, err
	}
	var revs []*versions.Revision
	for _, id := range pending {
		revs = append(revs, g.Get(id))
	}
	res, err := lint.Lint(revs, lint.Options{Dialect: sqlsplit.Postgres, Tx: c.Transaction, Catalog: cat})
	if err != nil {
		return nil, inputError(err)
	}
	var out []string
	for _, f := range res.Open() {
		out = append(out, "lint: "+findingText(f, "    "))
	}
	return out, nil
}
