package lint

import (
	"fmt"
	"strings"

	"github.com/migratehq/migrate/sqlsplit"
	"github.com/migratehq/migrate/versions"
)

// pgLinter walks the statements of revisions in run order, keeping the
// schema state and the current transaction, and collects findings.
type pgLinter struct {
	opts Options
	st   *state
	out  []Finding

	rev   *versions.Revision // the revision being read
	order int                // its index in the linted list; -1 in Options.Before
	inTx  bool               // its statements run inside a transaction
	cur   stmtText           // the statement being read
	// stmtLock is the lock the statement being read takes on its table,
	// when it takes one lock for several actions (ALTER TABLE): the
	// strongest of theirs. "" otherwise.
	stmtLock string
	group    *txGroup // the transaction it runs in; nil outside one
}

// stmtText is a statement's text and first line in its file.
type stmtText struct {
	sql  string
	line int
}

// lineOf returns the file line of a token of the statement.
func (s stmtText) lineOf(tok sqlsplit.Token) int {
	if tok.Offset > len(s.sql) {
		return s.line
	}
	return s.line + strings.Count(s.sql[:tok.Offset], "\n")
}

// txGroup is one transaction of the run: the tables it runs DDL on, and
// its UPDATEs and DELETEs without WHERE, which are findings when the same
// transaction also runs DDL on their table.
type txGroup struct {
	ddl map[string]string // table → strongest lock the transaction's DDL takes on it
	dml []dmlUse
}

type dmlUse struct {
	table string
	verb  string
	f     Finding
}

func newPGLinter(opts Options) *pgLinter {
	return &pgLinter{opts: opts, st: newState(opts.Catalog)}
}

// revision reads one revision's up section; order is its index in the
// linted list, or -1 for a revision read only for the state.
func (l *pgLinter) revision(r *versions.Revision, order int) error {
	l.rev, l.order = r, order
	l.inTx = r.Transactional && l.opts.Tx != "none"
	switch {
	case !l.inTx || order < 0:
		l.endGroup()
	case l.opts.Tx == "revision" || l.group == nil:
		l.endGroup()
		l.group = &txGroup{ddl: map[string]string{}}
	}
	stmts, err := r.UpStatements(sqlsplit.Postgres)
	if err != nil {
		return err
	}
	for _, s := range stmts {
		ts, err := sqlsplit.Tokens(s.SQL, sqlsplit.Postgres)
		if err != nil {
			return &versions.ParseError{File: r.Path, Line: s.Line, Msg: "up section: " + err.Error()}
		}
		l.cur = stmtText{sql: s.SQL, line: s.Line}
		l.statement(ts)
	}
	return nil
}

// statement dispatches on the statement's leading words.
func (l *pgLinter) statement(t toks) {
	switch {
	case t.at(0, "create"):
		l.create(t)
	case t.at(0, "drop"):
		l.drop(t)
	case t.at(0, "alter", "table"):
		l.alterTable(t)
	case t.at(0, "alter", "system"):
		l.noTx(t[0], "ALTER SYSTEM")
	case t.at(0, "reindex") && t.has("concurrently"):
		l.noTx(t[0], "REINDEX CONCURRENTLY")
	case t.at(0, "vacuum"):
		l.vacuum(t)
	case t.at(0, "cluster"):
		l.cluster(t)
	case t.at(0, "refresh", "materialized", "view"):
		l.refresh(t)
	case t.at(0, "update"), t.at(0, "delete", "from"):
		l.dml(t)
	case t.at(0, "with"):
		l.with(t)
	}
}

// with reads WITH [RECURSIVE] name [(cols)] AS [[NOT] MATERIALIZED] (…),
// … then the statement: an UPDATE or DELETE, as the main statement or as
// a query of the list, is one as much as written alone.
func (l *pgLinter) with(t toks) {
	i := t.skip(1, "recursive")
	for t.ident(i) {
		i++
		if t.punct(i, "(") {
			i = t.close(i) + 1
		}
		i = t.skip(t.skip(t.skip(i, "as"), "not"), "materialized")
		if !t.punct(i, "(") {
			return
		}
		if q := t.inner(i); q.at(0, "update") || q.at(0, "delete", "from") {
			l.dml(q)
		}
		i = t.close(i) + 1
		if !t.punct(i, ",") {
			break
		}
		i++
	}
	if rest := t[min(i, len(t)):]; rest.at(0, "update") || rest.at(0, "delete", "from") {
		l.dml(rest)
	}
}

// report records a finding of the statement being read, at tok.
func (l *pgLinter) report(code string, tok sqlsplit.Token, table, format string, args ...any) {
	l.reportLock(code, "", tok, table, format, args...)
}

// reportLock is report with the lock the statement holds, when it is not
// the rule's ("": the rule's).
func (l *pgLinter) reportLock(code, lock string, tok sqlsplit.Token, table, format string, args ...any) {
	if l.order < 0 {
		return
	}
	f := l.finding(code, tok, table, fmt.Sprintf(format, args...))
	if lock == "" {
		lock = l.lockOf(code)
	}
	f.Lock = lock
	l.out = append(l.out, f)
}

// lockOf is the lock a finding of rule code at the statement being read
// claims: the rule's, or the statement's when that is stronger.
func (l *pgLinter) lockOf(code string) string {
	rule, _ := RuleByCode(code)
	if rule.Severity == Hazard && lockRank[l.stmtLock] > lockRank[rule.Lock] {
		return l.stmtLock
	}
	return rule.Lock
}

func (l *pgLinter) finding(code string, tok sqlsplit.Token, table, msg string) Finding {
	rule, ok := RuleByCode(code)
	if !ok {
		panic("lint: no rule " + code)
	}
	return Finding{
		Rule: rule, File: l.rev.Path, Line: l.cur.lineOf(tok), Revision: l.rev.ID,
		Table: table, Statement: firstLine(l.cur.sql), Message: msg, order: l.order,
	}
}

// noTx reports a statement PostgreSQL refuses inside a transaction
// block, when this revision runs in one.
func (l *pgLinter) noTx(tok sqlsplit.Token, what string) {
	if l.inTx {
		l.report(CodeNotInTransaction, tok, "", "%s cannot run inside a transaction block, and this revision runs in one (PostgreSQL refuses it)", what)
	}
}

// lockRank orders the table locks the rules name, weakest first.
var lockRank = map[string]int{
	LockRowExclusive: 1, LockShareUpdateExclusive: 2, LockShare: 3,
	LockShareRowExclusive: 4, LockExclusive: 5, LockAccessExclusive: 6,
}

// heldLock is the strongest lock the current transaction's statements so
// far took on table k ("" outside a transaction).
func (l *pgLinter) heldLock(k string) string {
	if l.group == nil {
		return ""
	}
	return l.group.ddl[k]
}

// ddl notes that the current transaction takes lock on table k.
func (l *pgLinter) ddl(k, lock string) {
	if l.group == nil || l.order < 0 {
		return
	}
	if lockRank[lock] > lockRank[l.group.ddl[k]] {
		l.group.ddl[k] = lock
	}
}

// endGroup closes the current transaction: its UPDATEs and DELETEs
// without WHERE on a table that it also ran DDL on are findings.
func (l *pgLinter) endGroup() {
	g := l.group
	l.group = nil
	if g == nil {
		return
	}
	for _, d := range g.dml {
		lock, ok := g.ddl[d.table]
		if !ok {
			continue
		}
		f := d.f
		f.Lock = lock
		f.Message = fmt.Sprintf("%s without WHERE touches every row of %s in the transaction that also runs DDL on it, which holds %s on the table until it commits, with every row locked", d.verb, d.table, lock)
		if d.verb == "DELETE" {
			f.Effect = EffectScan
		}
		l.out = append(l.out, f)
	}
}

// dml notes an UPDATE or DELETE without WHERE on an existing table.
func (l *pgLinter) dml(t toks) {
	i := 1
	verb := "UPDATE"
	if t.at(0, "delete") {
		i, verb = 2, "DELETE"
	}
	i = t.skip(i, "only")
	k, _, ok := t.name(i)
	if !ok || l.group == nil || l.order < 0 || t.has("where") || !l.st.existing(k) {
		return
	}
	l.group.dml = append(l.group.dml, dmlUse{table: k, verb: verb, f: l.finding(CodeUnboundedDML, t[0], k, "")})
}
