package autogen

import (
	"fmt"
	"strings"
)

// RevisionText is the content of one revision file autogenerate writes.
type RevisionText struct {
	// Message is the revision's message: the one given, with " (enum
	// values)" for a part written before the main one, or, in an online
	// plan, " (2/4: add constraints)" naming the part's step.
	Message string
	// Up and Down are the sections' text ([SQLText]).
	Up, Down string
	// Transactional is false for a part that must run outside a
	// transaction.
	Transactional bool
	// Statements are the Up statements (for listing their warnings).
	Statements []Statement
}

// RevisionTexts splits a comparison into the revision files to write, in
// order: each revises the one before it. The plan is out.Plan
// ([PlanSimple] when empty; see planParts). No changes: none.
//
// Messages: with one part, the message given. In a simple plan, the enum
// values part before the main one says " (enum values)". In an online
// plan with online steps, each part says which step it is: "add email
// index (2/3: build indexes concurrently)".
func RevisionTexts(out *Output, message string) ([]RevisionText, error) {
	parts, err := planParts(out.Current.Dialect, out.Plan, out.Current, out.Target, out.Changes, out.Render)
	if err != nil {
		return nil, err
	}
	online := hasOnlineSteps(parts)
	texts := make([]RevisionText, len(parts))
	for i, p := range parts {
		t := RevisionText{Message: message, Up: SQLText(p.Up), Down: SQLText(p.Down), Transactional: !p.NoTx, Statements: p.Up}
		switch {
		case len(parts) == 1:
		case online:
			t.Message = strings.TrimSpace(fmt.Sprintf("%s (%d/%d: %s)", message, i+1, len(parts), p.label))
		case i < len(parts)-1:
			t.Message = strings.TrimSpace(message + " (enum values)")
		}
		if t.Down == "" && p.label == validateLabel {
			t.Down = "-- Nothing to undo: a validated constraint cannot be made NOT VALID again;\n-- the revision before this one drops it.\n\n"
		}
		texts[i] = t
	}
	return texts, nil
}

// SQLText renders statements as a revision file section: each statement
// ends with ";", a destructive one is preceded by its "-- WARNING: ..."
// line, and a blank line ends the section.
func SQLText(stmts []Statement) string {
	var b strings.Builder
	for i, s := range stmts {
		if i > 0 {
			b.WriteString("\n")
		}
		if s.Warning != "" {
			b.WriteString("-- WARNING: " + strings.Join(strings.Fields(s.Warning), " ") + "\n")
		}
		b.WriteString(s.SQL + ";\n")
	}
	if len(stmts) > 0 {
		b.WriteString("\n")
	}
	return b.String()
}
