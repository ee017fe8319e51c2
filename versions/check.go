package versions

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/migratehq/migrate/sqlsplit"
)

// checkText rejects what a revision file cannot hold: NUL bytes (SQLite
// stops reading a statement at one, so what follows would be skipped
// without a word) and invalid UTF-8. The error names the line and column
// of the first offending byte.
func checkText(path string, data []byte) error {
	bad := bytes.IndexByte(data, 0)
	valid := utf8.Valid(data)
	if bad < 0 && valid {
		return nil
	}
	invalid := -1
	if !valid {
		invalid = firstInvalid(data)
	}
	var msg string
	switch {
	case invalid >= 0 && (bad < 0 || invalid < bad):
		bad = invalid
		msg = fmt.Sprintf("invalid UTF-8 (byte 0x%02x): a revision file must be UTF-8 text; save it as UTF-8", data[bad])
		if bytes.HasPrefix(data, []byte{0xff, 0xfe}) || bytes.HasPrefix(data, []byte{0xfe, 0xff}) {
			msg = "the file is UTF-16 (it starts with a UTF-16 byte order mark); save it as UTF-8"
		}
	default:
		msg = "NUL byte (0x00): a revision file must be text, and the database would stop reading the statement there, skipping the rest"
	}
	line := 1 + bytes.Count(data[:bad], []byte("\n"))
	col := 1 + utf8.RuneCount(data[bytes.LastIndexByte(data[:bad], '\n')+1:bad])
	return &ParseError{File: path, Line: line, Column: col, Msg: msg}
}

// firstInvalid returns the offset of the first byte of data that is not
// part of a valid UTF-8 sequence.
func firstInvalid(data []byte) int {
	for i := 0; i < len(data); {
		if data[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return -1
}

// checkTxControl rejects, in a transactional revision, a top-level
// statement that controls the transaction migrate runs the revision in:
// BEGIN, START TRANSACTION, COMMIT, END, ROLLBACK, ABORT, PREPARE
// TRANSACTION, COMMIT PREPARED, ROLLBACK PREPARED. SAVEPOINT, RELEASE and
// ROLLBACK TO [SAVEPOINT] work inside a transaction and are allowed.
//
// The check runs when the file is parsed, before any dialect is known, so
// a statement is rejected only when both dialects' lexers find it at the
// top level: the BEGIN of a PL/pgSQL body (which the SQLite lexer would
// cut out of its dollar quotes) and the END of a SQLite trigger (which
// the PostgreSQL lexer would cut out of its CREATE TRIGGER) are never
// mistaken for transaction control. When only one lexer can read the
// section (a backslash-escaped quote in an E-string trips the SQLite
// one), its reading decides; when neither can, the runner reports the
// lexical error.
func (r *Revision) checkTxControl() error {
	if !r.Transactional {
		return nil
	}
	if err := r.checkSection("up", r.Up, r.UpLine); err != nil {
		return err
	}
	return r.checkSection("down", r.Down, r.DownLine)
}

func (r *Revision) checkSection(section, body string, first int) error {
	if !mayControlTx(body) {
		return nil // no lexing for the sections that cannot hold one
	}
	pg, pgErr := sqlsplit.Split(body, sqlsplit.Postgres)
	var found []sqlsplit.Statement
	if pgErr == nil {
		found = txControlStatements(pg, sqlsplit.Postgres)
		if len(found) == 0 {
			return nil
		}
	}
	lite, liteErr := sqlsplit.Split(body, sqlsplit.SQLite)
	switch {
	case pgErr != nil && liteErr != nil:
		return nil
	case pgErr != nil:
		found = txControlStatements(lite, sqlsplit.SQLite)
	case liteErr == nil:
		found = intersect(found, txControlStatements(lite, sqlsplit.SQLite))
	}
	if len(found) == 0 {
		return nil
	}
	s := found[0]
	return &ParseError{File: r.Path, Line: first + s.Line - 1, Msg: section + " section: " + txControlMsg(s.SQL)}
}

// CheckTxControl is the check of checkTxControl with the dialect known,
// for the runner: stmts are section ("up" or "down") of r as d splits
// it. The load-time check knows no dialect and stands back where the two
// lexers disagree; here what this dialect's lexer finds at the top level
// decides. It returns a *ParseError naming the first statement that
// controls the transaction, when r runs in one.
func (r *Revision) CheckTxControl(section string, stmts []sqlsplit.Statement, d sqlsplit.Dialect) error {
	if !r.Transactional {
		return nil
	}
	found := txControlStatements(stmts, d)
	if len(found) == 0 {
		return nil
	}
	return &ParseError{File: r.Path, Line: found[0].Line, Msg: section + " section: " + txControlMsg(found[0].SQL)}
}

// txControlWords are the first words of every statement txControlKind
// reports.
var txControlWords = []string{"begin", "start", "commit", "end", "rollback", "abort", "prepare"}

// mayControlTx tells whether body holds one of txControlWords as a whole
// word (ASCII letters, any case): a cheap filter before lexing.
func mayControlTx(body string) bool {
	isWord := func(c byte) bool {
		return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
	}
	for i := 0; i < len(body); {
		if !isWord(body[i]) {
			i++
			continue
		}
		j := i
		for j < len(body) && isWord(body[j]) {
			j++
		}
		if n := j - i; n >= 3 && n <= 8 {
			for _, w := range txControlWords {
				if strings.EqualFold(body[i:j], w) {
					return true
				}
			}
		}
		i = j
	}
	return false
}

// txControlStatements returns the statements that control the
// transaction, judged by their leading words.
func txControlStatements(stmts []sqlsplit.Statement, d sqlsplit.Dialect) []sqlsplit.Statement {
	var out []sqlsplit.Statement
	for _, s := range stmts {
		if txControlKind(sqlsplit.LeadingWords(s.SQL, d, 3)) != "" {
			out = append(out, s)
		}
	}
	return out
}

// intersect keeps the statements of a that b has at the same offset.
func intersect(a, b []sqlsplit.Statement) []sqlsplit.Statement {
	var out []sqlsplit.Statement
	j := 0
	for _, s := range a {
		for j < len(b) && b[j].Offset < s.Offset {
			j++
		}
		if j < len(b) && b[j].Offset == s.Offset {
			out = append(out, s)
		}
	}
	return out
}

// Kinds of transaction control, as txControlKind reports them.
const (
	txBegin    = "begin"
	txCommit   = "commit"
	txRollback = "rollback"
	txPrepare  = "prepare"
)

// txControlKind classifies a statement by its first words (any case):
// "" when it does not control the transaction.
func txControlKind(w []string) string {
	is := func(i int, s string) bool { return i < len(w) && strings.EqualFold(w[i], s) }
	switch {
	case is(0, "begin"):
		if is(1, "atomic") {
			return "" // a function body, not a transaction
		}
		return txBegin
	case is(0, "start") && is(1, "transaction"):
		return txBegin
	case is(0, "commit") && is(1, "prepared"), is(0, "rollback") && is(1, "prepared"),
		is(0, "prepare") && is(1, "transaction"):
		return txPrepare
	case is(0, "commit"), is(0, "end"):
		return txCommit
	case is(0, "rollback"):
		// ROLLBACK [WORK | TRANSACTION] TO [SAVEPOINT] name undoes part
		// of the transaction and keeps it open.
		k := 1
		if is(1, "work") || is(1, "transaction") {
			k = 2
		}
		if is(k, "to") {
			return ""
		}
		return txRollback
	case is(0, "abort"):
		return txRollback
	}
	return ""
}

func txControlMsg(sql string) string {
	stmt, _, _ := strings.Cut(sql, "\n")
	stmt = clip(strings.TrimSpace(stmt))
	var why string
	switch txControlKind(sqlsplit.LeadingWords(sql, sqlsplit.Postgres, 3)) {
	case txBegin:
		why = "starts a transaction, but migrate already runs this revision in one (and the COMMIT that ends it would end migrate's)"
	case txCommit:
		why = "would commit migrate's transaction early: if a later statement failed, what ran before could not be rolled back"
	case txRollback:
		why = "would roll back migrate's transaction: what ran before it would be lost, and what follows would run outside any transaction"
	default:
		why = "is two-phase commit, which cannot run inside migrate's transaction"
	}
	return fmt.Sprintf("%q %s; remove it (migrate wraps each revision in a transaction), or mark the revision \"-- migrate:transaction false\" to run it outside one, statement by statement", stmt, why)
}
