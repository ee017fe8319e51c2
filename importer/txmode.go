package importer

import (
	"strings"

	"github.com/migratehq/migrate/sqlsplit"
)

// txKind classifies a statement that controls the transaction by its
// leading words: "begin", "commit", "other" (rollback, prepare…), or ""
// when it does not. SAVEPOINT, RELEASE and ROLLBACK TO keep the
// transaction open and are not counted.
func txKind(sql string, d sqlsplit.Dialect) string {
	w := sqlsplit.LeadingWords(sql, d, 3)
	is := func(i int, s string) bool { return i < len(w) && strings.EqualFold(w[i], s) }
	switch {
	case is(0, "begin"):
		if is(1, "atomic") {
			return ""
		}
		return "begin"
	case is(0, "start") && is(1, "transaction"):
		return "begin"
	case is(0, "commit") && is(1, "prepared"), is(0, "prepare") && is(1, "transaction"):
		return "other"
	case is(0, "commit"), is(0, "end"):
		return "commit"
	case is(0, "rollback"):
		k := 1
		if is(1, "work") || is(1, "transaction") {
			k = 2
		}
		if is(k, "to") {
			return ""
		}
		return "other"
	case is(0, "abort"):
		return "other"
	}
	return ""
}

// noTxReason tells why a statement cannot run inside a transaction
// block, or "" when it can: CONCURRENTLY commands (but REFRESH
// MATERIALIZED VIEW CONCURRENTLY, which can), VACUUM, CREATE/DROP
// DATABASE and TABLESPACE, ALTER SYSTEM.
func noTxReason(sql string, d sqlsplit.Dialect) string {
	toks, err := sqlsplit.Tokens(sql, d)
	if err != nil || len(toks) == 0 {
		return ""
	}
	is := func(i int, s string) bool { return i < len(toks) && toks[i].Is(s) }
	switch {
	case is(0, "vacuum"):
		return "VACUUM"
	case is(0, "alter") && is(1, "system"):
		return "ALTER SYSTEM"
	case (is(0, "create") || is(0, "drop")) && (is(1, "database") || is(1, "tablespace")):
		return strings.ToUpper(toks[0].Text + " " + toks[1].Text)
	case is(0, "refresh"):
		return ""
	}
	for _, t := range toks {
		if t.Is("concurrently") {
			return "CONCURRENTLY"
		}
	}
	return ""
}

// settleTx decides whether d runs in a transaction and tidies its
// sections to match:
//
//   - a revision the source runs outside a transaction, or holding a
//     statement that cannot run inside one, gets transaction false and
//     keeps its statements as they are;
//   - otherwise a section wrapped in BEGIN … COMMIT (each alone on its
//     lines) loses the two: migrate opens the transaction itself;
//   - any other transaction control keeps the revision's statements as
//     they are, with transaction false.
//
// Each decision that changes the file is reported as a note.
func (c *conv) settleTx(d *draft) error {
	secs := []*section{d.up}
	if d.down != nil {
		secs = append(secs, d.down)
	}
	lexed := make([][]lexing, len(secs))
	for i, s := range secs {
		ls, err := s.lex(c.dialect)
		if err != nil {
			return err
		}
		lexed[i] = ls
	}
	if d.noTx {
		return nil // the source said so; its note is already written
	}
	for i, s := range secs {
		for _, st := range lexed[i][0].stmts {
			if why := noTxReason(st.SQL, lexed[i][0].d); why != "" {
				d.noTx = true
				c.note(s.file, s.src(st.Line), "%s cannot run inside a transaction: the revision gets -- migrate:transaction false", why)
				c.noteKeptTxControl(secs, lexed)
				return nil
			}
		}
	}
	var drops [][3]int // section index, first, last body line
	for i, s := range secs {
		ctl := agreed(lexed[i], func(sql string, d sqlsplit.Dialect) bool { return txKind(sql, d) != "" })
		spans, bad := wrapping(s, lexed[i][0], ctl)
		if bad != nil {
			d.noTx = true
			c.note(s.file, s.src(bad.Line), "%q controls the transaction and is kept: the revision gets -- migrate:transaction false", firstLine(bad.SQL))
			return nil
		}
		for _, sp := range spans {
			drops = append(drops, [3]int{i, sp[0], sp[1]})
		}
	}
	// Drop from the end so that earlier line numbers stay valid.
	for k := len(drops) - 1; k >= 0; k-- {
		sec := secs[drops[k][0]]
		first, last := drops[k][1], drops[k][2]
		c.note(sec.file, sec.src(first), "dropped %q: migrate runs the revision in a transaction of its own", strings.TrimSpace(sec.lines[first-1].text))
		sec.drop(first, last)
	}
	return nil
}

// noteKeptTxControl notes each transaction control statement of secs,
// kept as it is in a revision that runs outside a transaction because of
// what it holds (a BEGIN … COMMIT around a VACUUM is not dropped then).
func (c *conv) noteKeptTxControl(secs []*section, lexed [][]lexing) {
	for i, s := range secs {
		ctl := agreed(lexed[i], func(sql string, d sqlsplit.Dialect) bool { return txKind(sql, d) != "" })
		for _, st := range ctl {
			c.note(s.file, s.src(st.Line), "%q controls the transaction and is kept as it is (the revision runs outside a transaction)", firstLine(st.SQL))
		}
	}
}

// wrapping returns the line spans of the BEGIN and COMMIT that wrap the
// whole section, each alone on its lines (none when the section has no
// transaction control); ctl are the section's transaction control
// statements, l its statements. Any other transaction control is
// returned as bad: the revision then keeps its statements and runs
// outside a transaction.
func wrapping(s *section, l lexing, ctl []sqlsplit.Statement) (spans [][2]int, bad *sqlsplit.Statement) {
	if len(ctl) == 0 {
		return nil, nil
	}
	stmts := l.stmts
	n := len(stmts)
	if len(ctl) != 2 || ctl[0].Offset != stmts[0].Offset || ctl[1].Offset != stmts[n-1].Offset ||
		txKind(ctl[0].SQL, l.d) != "begin" || txKind(ctl[1].SQL, l.d) != "commit" {
		return nil, &ctl[0]
	}
	for i := range ctl {
		first, last, alone := s.lineSpan(ctl[i])
		if !alone {
			return nil, &ctl[i]
		}
		spans = append(spans, [2]int{first, last})
	}
	return spans, nil
}
