package autogen

import (
	"fmt"
	"sort"
	"strings"

	"github.com/migratehq/migrate/lint"
	"github.com/migratehq/migrate/schema"
	"github.com/migratehq/migrate/sqlsplit"
	"github.com/migratehq/migrate/versions"
)

// planPart is one revision of a plan, with the words that name its step
// in the revision's message ("" in a simple plan).
type planPart struct {
	Part
	label string
}

// planParts splits changes into the revisions of a plan. The simple plan
// (and any plan on SQLite) is [Parts]. The online plan on PostgreSQL is,
// in order and each only when it has statements: the enum values (outside
// a transaction), the indexes dropped concurrently (outside), the changes
// left in their plain form, the indexes built concurrently (outside), the
// constraints added NOT VALID or from their index, the validations
// (outside a transaction, so that the additions commit before them, even
// when the run is one transaction), and SET NOT NULL. Each statement a
// hazard rule of 'migrate lint' would report says so in its warning,
// with the rule's code.
func planParts(dialect, plan string, current, target *schema.Schema, changes []Change, opts RenderOptions) ([]planPart, error) {
	if plan != PlanOnline || dialect != schema.Postgres {
		parts, err := Parts(dialect, current, target, changes, opts)
		if err != nil {
			return nil, err
		}
		out := make([]planPart, len(parts))
		for i, p := range parts {
			out[i] = planPart{Part: p}
		}
		return out, nil
	}
	var early, rest []Change
	for _, c := range changes {
		if _, ok := c.(*AddEnumValue); ok {
			early = append(early, c)
		} else {
			rest = append(rest, c)
		}
	}
	op := planOnline(current, target, rest)
	var out []planPart
	if len(early) > 0 {
		parts, err := Parts(dialect, current, current, early, opts)
		if err != nil {
			return nil, err
		}
		out = append(out, planPart{Part: parts[0], label: enumLabel})
	}
	out = appendSteps(out, op.drops, true, "drop indexes concurrently")
	if len(op.main) > 0 {
		parts, err := Parts(dialect, current, target, op.main, opts)
		if err != nil {
			return nil, err
		}
		if p := parts[0]; len(p.Up)+len(p.Down) > 0 {
			out = append(out, planPart{Part: p, label: mainLabel})
		}
	}
	out = appendSteps(out, op.builds, true, "build indexes concurrently")
	out = appendSteps(out, op.attach, false, "add constraints")
	out = appendSteps(out, op.validate, true, validateLabel)
	out = appendSteps(out, op.setNotNull, false, "set not null")
	if err := stateHazards(current, out); err != nil {
		return nil, err
	}
	return out, nil
}

// hasOnlineSteps tells whether a plan has parts besides the enum values
// and the plain changes (whose messages then stay as in a simple plan).
func hasOnlineSteps(parts []planPart) bool {
	for _, p := range parts {
		if p.label != "" && p.label != enumLabel && p.label != mainLabel {
			return true
		}
	}
	return false
}

// Labels of the parts planParts compares.
const (
	enumLabel = "enum values"
	mainLabel = "changes"
)

// validateLabel names the validations part, whose Down is empty.
const validateLabel = "validate constraints"

// appendSteps adds a part made of steps (none: nothing): their Ups in
// order, their Downs in reverse.
func appendSteps(parts []planPart, steps []onlineStep, noTx bool, label string) []planPart {
	if len(steps) == 0 {
		return parts
	}
	p := planPart{Part: Part{NoTx: noTx}, label: label}
	for i, s := range steps {
		p.Up = append(p.Up, s.up...)
		p.Down = append(p.Down, steps[len(steps)-1-i].down...)
	}
	return append(parts, p)
}

// stateHazards runs the PostgreSQL lint rules over the parts, as
// 'migrate lint' reads the revisions they become, and puts each open
// finding in its statement's warning: "PG114 column-type-rewrite: …".
// What the online plan cannot avoid is then said where it happens. The
// linter first reads current as its CREATE statements, so that it knows
// the column types a type change starts from (when current renders).
func stateHazards(current *schema.Schema, parts []planPart) error {
	var known []*versions.Revision
	if before, err := RenderSchema(current); err == nil {
		known = append(known, &versions.Revision{ID: "current", Path: "(the database)", Up: strings.Join(before, ";\n") + ";\n", Transactional: true})
	} // else: the linter takes the tables as existing, types unknown
	revs := make([]*versions.Revision, len(parts))
	starts := make([][]int, len(parts))
	for i, p := range parts {
		var b strings.Builder
		line := 1
		for _, s := range p.Up {
			starts[i] = append(starts[i], line)
			b.WriteString(s.SQL + ";\n")
			line += strings.Count(s.SQL, "\n") + 1
		}
		revs[i] = &versions.Revision{ID: fmt.Sprint(i), Path: fmt.Sprintf("(part %d)", i+1), Up: b.String(), UpLine: 1, Transactional: !p.NoTx}
	}
	res, err := lint.Lint(revs, lint.Options{Dialect: sqlsplit.Postgres, Separate: true, Before: known})
	if err != nil {
		return fmt.Errorf("autogen: linting the plan: %w", err)
	}
	for _, f := range res.Open() {
		var i int
		fmt.Sscan(f.Revision, &i)
		// The statement the finding's line falls in.
		k := sort.SearchInts(starts[i], f.Line+1) - 1
		if k < 0 {
			continue
		}
		s := &parts[i].Up[k]
		tag := f.Code + " " + f.Name
		switch {
		case strings.Contains(s.Warning, tag):
		case s.Warning == "":
			s.Warning = tag + ": " + f.Message
		default:
			s.Warning = tag + ": " + s.Warning
		}
	}
	return nil
}
