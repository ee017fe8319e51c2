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
	type found struct {
		sec   *section
		stmts []sqlsplit.Statement
		dl    sqlsplit.Dialect
	}
	var all []found
	for _, s := range secs {
		stmts, dl, err := s.split(c.dialect)
		if err != nil {
			return err
		}
		all = append(all, found{s, stmts, dl})
	}
	if d.noTx {
		return nil // the source said so; its note is already written
	}
	for _, f := range all {
		for _, st := range f.stmts {
			if why := noTxReason(st.SQL, f.dl); why != "" {
				d.noTx = true
				c.note(f.sec.file, f.sec.src(st.Line), "%s cannot run inside a transaction: the revision gets -- migrate:transaction false", why)
				return nil
			}
		}
	}
	var drops [][3]int // section index, first, last body line
	for i, f := range all {
		spans, bad := wrapping(f.sec, f.stmts, f.dl)
		if bad != nil {
			d.noTx = true
			c.note(f.sec.file, f.sec.src(bad.Line), "%q controls the transaction and is kept: the revision gets -- migrate:transaction false", firstLine(bad.SQL))
			return nil
		}
		for _, sp := range spans {
			drops = append(drops, [3]int{i, sp[0], sp[1]})
		}
	}
	// Drop from the end so that earlier line numbers stay valid.
	for k := len(drops) - 1; k >= 0; k-- {
		sec := all[drops[k][0]].sec
		first, last := drops[k][1], drops[k][2]
		c.note(sec.file, sec.src(first), "dropped %q: migrate runs the revision in a transaction of its own", strings.TrimSpace(sec.lines[first-1].text))
		sec.drop(first, last)
	}
	return nil
}

// wrapping returns the line spans of the BEGIN and COMMIT that wrap the
// whole section, each alone on its lines (none when the section has no
// transaction control). Any other transaction control is returned as
// bad: the revision then keeps its statements and runs outside a
// transaction.
func wrapping(s *section, stmts []sqlsplit.Statement, d sqlsplit.Dialect) (spans [][2]int, bad *sqlsplit.Statement) {
	var ctl []int
	for i, st := range stmts {
		if txKind(st.SQL, d) != "" {
			ctl = append(ctl, i)
		}
	}
	if len(ctl) == 0 {
		return nil, nil
	}
	n := len(stmts)
	if len(ctl) != 2 || ctl[0] != 0 || ctl[1] != n-1 ||
		txKind(stmts[0].SQL, d) != "begin" || txKind(stmts[n-1].SQL, d) != "commit" {
		return nil, &stmts[ctl[0]]
	}
	for _, i := range ctl {
		first, last, alone := s.lineSpan(stmts[i])
		if !alone {
			return nil, &stmts[i]
		}
		spans = append(spans, [2]int{first, last})
	}
	return spans, nil
}
