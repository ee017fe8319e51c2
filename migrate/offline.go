package migrate

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/migratehq/migrate/versions"
)

// UpgradeSQL writes, without connecting, the exact SQL an upgrade from
// from (a revision spec, "" or "base" for an empty database) to target
// would run: transaction boundaries, statements and version-table writes.
func (m *Migrator) UpgradeSQL(w io.Writer, from, target string) error {
	g, err := m.Graph()
	if err != nil {
		return err
	}
	applied, err := offlineApplied(g, from)
	if err != nil {
		return err
	}
	steps, err := g.PlanUpgrade(applied, target)
	if err != nil {
		return &PlanError{Err: err}
	}
	return m.writeSQL(w, steps, len(applied) == 0, "upgrade", from, target)
}

// DowngradeSQL writes the SQL of a downgrade from from to target.
func (m *Migrator) DowngradeSQL(w io.Writer, from, target string) error {
	if from == "" {
		return &PlanError{Err: fmt.Errorf("downgrade --sql needs a range FROM:TO, e.g. head:base or head:-1")}
	}
	g, err := m.Graph()
	if err != nil {
		return err
	}
	applied, err := offlineApplied(g, from)
	if err != nil {
		return err
	}
	steps, err := g.PlanDowngrade(applied, target)
	if err != nil {
		return &PlanError{Err: err}
	}
	return m.writeSQL(w, steps, false, "downgrade", from, target)
}

// offlineApplied is the applied set an offline run assumes: the revisions
// from names and all their ancestors.
func offlineApplied(g *versions.Graph, from string) ([]string, error) {
	if from == "" || from == "base" {
		return nil, nil
	}
	ids, err := g.Resolve(from)
	if err != nil {
		return nil, &PlanError{Err: err}
	}
	set := toSet(ids)
	for _, a := range g.Ancestors(ids...) {
		set[a] = true
	}
	out := make([]string, 0, len(set))
	for id := range set {
		out = append(out, id)
	}
	return out, nil
}

func (m *Migrator) writeSQL(w io.Writer, steps []versions.Step, fromBase bool, verb, from, target string) error {
	ops, err := m.program(steps, false)
	if err != nil {
		return err
	}
	if from == "" {
		from = "base"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "-- migrate %s %s:%s (%s, transaction mode %s)\n\n", verb, from, target, m.d.name(), m.opts.tx)
	inTx := false
	if m.opts.tx == TxAll {
		if !fromBase && len(ops) > 0 && ops[0].kind == opCommit {
			// The opening transaction would be empty: the first revision
			// runs outside a transaction, or there is nothing to run.
			ops = ops[1:]
		} else {
			b.WriteString(m.d.begin() + ";\n\n")
			inTx = true
		}
	}
	if len(steps) == 0 {
		fmt.Fprintf(&b, "-- nothing to do: %s is reached from %s\n\n", target, from)
	}
	if fromBase {
		for _, s := range m.d.createVersionTable(m.vt()) {
			b.WriteString(s + ";\n\n")
		}
		b.WriteString(createProgressTable(m.d.name(), m.vt().progress()) + ";\n\n")
	}
	marksTable := fromBase // the marks table is known to exist
	// Version-table writes inside a transaction are sent just before it
	// commits, as the online runner does.
	var deferred []versionOp
	for _, o := range ops {
		switch o.kind {
		case opBegin:
			b.WriteString(m.d.begin() + ";\n\n")
			inTx = true
		case opCommit:
			if len(deferred) > 0 {
				b.WriteString("-- Record the revisions of this transaction\n")
			}
			for _, q := range versionSQL(m.d.name(), m.vt(), deferred) {
				b.WriteString(q + ";\n\n")
			}
			deferred = nil
			if o.step != nil {
				fmt.Fprintf(&b, "-- %s runs outside a transaction: commit what came before\n", o.step.Revision.ID)
			}
			b.WriteString("COMMIT;\n\n")
			inTx = false
		case opStart:
			r := o.step.Revision
			if o.step.Direction == versions.Up {
				fmt.Fprintf(&b, "-- Running upgrade %s -> %s", strings.Join(r.Parents, ", "), r.ID)
			} else {
				fmt.Fprintf(&b, "-- Running downgrade %s -> %s", r.ID, strings.Join(r.Parents, ", "))
			}
			if r.Message != "" {
				b.WriteString(", " + oneLine(r.Message))
			}
			fmt.Fprintf(&b, " (%s)\n", r.Path)
			if o.noTx && m.opts.tx != TxNone {
				b.WriteString("-- (no transaction)\n")
			}
		case opStmt:
			if !inTx {
				// As online: the revision's in-progress mark, so that a
				// script that stops half-way leaves a trace.
				r := o.step.Revision
				if o.idx == 1 {
					if !marksTable {
						b.WriteString(createProgressTable(m.d.name(), m.vt().progress()) + ";\n\n")
						marksTable = true
					}
					b.WriteString("-- Mark the revision in progress until it is recorded\n")
					b.WriteString(insertMark(m.vt(), Progress{Revision: r.ID, Direction: direction(o.step), File: r.Path, Checksum: r.Checksum,
						Statement: 1, Statements: o.n, Line: o.st.Line}) + ";\n\n")
				} else {
					b.WriteString(updateMark(m.d.name(), m.vt(), r.ID, o.idx, o.st.Line) + ";\n\n")
				}
			}
			b.WriteString(o.st.SQL + ";\n\n")
		case opRecord:
			if inTx {
				deferred = append(deferred, versionOp{del: o.step.Direction != versions.Up, revision: o.step.Revision.ID, checksum: o.step.Revision.Checksum})
				continue
			}
			stmts, wrap := recordOutside(m.d.name(), m.vt(), o.step.Direction == versions.Up, o.step.Revision.ID, o.step.Revision.Checksum, 0, time.Time{}, o.n > 0)
			if o.n > 0 {
				b.WriteString("-- Record the revision and clear its mark, together\n")
			}
			if wrap {
				b.WriteString(m.d.begin() + ";\n")
			}
			for _, q := range stmts {
				b.WriteString(q + ";\n")
			}
			if wrap {
				b.WriteString("COMMIT;\n")
			}
			b.WriteString("\n")
		}
	}
	_, err = io.WriteString(w, b.String())
	return err
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
