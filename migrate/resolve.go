package migrate

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Resolution is what a person found a revision marked in progress to be.
type Resolution string

// The resolutions.
const (
	// ResolveApplied: the revision's upgrade is fully in effect (an
	// interrupted upgrade was finished by hand, or an interrupted
	// downgrade undone).
	ResolveApplied Resolution = "applied"
	// ResolveReverted: none of the revision's upgrade is in effect (an
	// interrupted upgrade was undone by hand, or an interrupted downgrade
	// finished).
	ResolveReverted Resolution = "reverted"
)

type resolveSpec struct {
	rev string
	as  Resolution
}

// Resolve records the outcome of a revision marked in progress, once a
// person has looked at the database, and clears its mark — under the
// lock, in one transaction. rev must name the marked revision (its id, or
// a prefix of at least 4 characters). With ResolveApplied the version
// table records it as applied (its row is written, with the checksum of
// the file as it ran, unless it is there); with ResolveReverted its row is
// removed (if there). No SQL of the revision runs. With WithDryRun it
// only says what it would do. An error is a *PlanError when no marked
// revision matches rev.
func (m *Migrator) Resolve(ctx context.Context, rev string, as Resolution) (*Result, error) {
	switch as {
	case ResolveApplied, ResolveReverted:
	default:
		return nil, &PlanError{Err: fmt.Errorf("resolve %s: expected applied or reverted, not %q", rev, as)}
	}
	d := m.derive(func(o *options) {
		o.resolve = &resolveSpec{rev: rev, as: as}
		o.tx = TxAll // the version row and the mark change together
	})
	return d.run(ctx, true, false, false, nil)
}

// resolveLocked is Resolve's work, in the run's transaction.
func (m *Migrator) resolveLocked(ctx context.Context, x *executor, rows []Applied, marks []Progress) (*Result, error) {
	spec := m.opts.resolve
	var p *Progress
	for i := range marks {
		if marks[i].Revision == spec.rev || len(spec.rev) >= 4 && strings.HasPrefix(marks[i].Revision, spec.rev) {
			if p != nil {
				return nil, &PlanError{Err: fmt.Errorf("%q matches several revisions marked in progress: %s and %s; give the full id", spec.rev, p.Revision, marks[i].Revision)}
			}
			p = &marks[i]
		}
	}
	if p == nil {
		if len(marks) == 0 {
			return nil, &PlanError{Err: fmt.Errorf("no revision is marked in progress: nothing to resolve (see 'migrate current')")}
		}
		var ids []string
		for _, mk := range marks {
			ids = append(ids, fmt.Sprintf("%s (%s, %s)", mk.Revision, mk.Direction, mk.Where()))
		}
		return nil, &PlanError{Err: fmt.Errorf("revision %q is not marked in progress; marked: %s", spec.rev, strings.Join(ids, ", "))}
	}
	has := false
	for _, a := range rows {
		has = has || a.Revision == p.Revision
	}
	var qs []string
	var will, did string
	switch {
	case spec.as == ResolveApplied && !has:
		qs = append(qs, insertVersion(m.d.name(), m.vt(), p.Revision, p.Checksum, 0, time.Now()))
		will, did = "write its version row (with the checksum of "+p.File+" as it ran)", "its version row is written (with the checksum of "+p.File+" as it ran)"
	case spec.as == ResolveApplied:
		will, did = "keep its version row", "its version row stays"
	case has:
		qs = append(qs, deleteVersion(m.vt(), p.Revision))
		will, did = "remove its version row", "its version row is removed"
	default:
		will, did = "write no version row (it has none)", "it has no version row"
	}
	qs = append(qs, deleteMark(m.vt(), p.Revision))
	what := fmt.Sprintf("revision %s (its %s was interrupted at %s) as %s", p.Revision, p.Direction, p.Where(), spec.as)
	res := &Result{DryRun: m.opts.dryRun}
	if m.opts.dryRun {
		m.emit(Event{Kind: EventResolved, Revision: p.Revision, Direction: p.Direction, File: p.File,
			Message: fmt.Sprintf("would resolve %s: %s and clear its in-progress mark", what, will)})
		x.rollback(ctx)
		return res, nil
	}
	for _, q := range qs {
		if err := x.exec(ctx, q); err != nil {
			return nil, fmt.Errorf("resolving revision %s: %w", p.Revision, err)
		}
	}
	// No foreign key check: the revision's rows are what the person saw.
	if err := x.exec(ctx, "COMMIT"); err != nil {
		return nil, fmt.Errorf("resolving revision %s: committing: %w", p.Revision, err)
	}
	x.inTx = false
	m.emit(Event{Kind: EventResolved, Revision: p.Revision, Direction: p.Direction, File: p.File,
		Message: fmt.Sprintf("resolved %s: %s, and its in-progress mark is cleared", what, did)})
	return res, nil
}
