package versions

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/migratehq/migrate/sqlsplit"
)

// Revision is one revision file.
type Revision struct {
	ID            string   // -- migrate:revision
	Parents       []string // -- migrate:revises: none for a base, two or more for a merge
	BranchLabels  []string // -- migrate:branch_labels
	DependsOn     []string // -- migrate:depends_on, as written: full ids, prefixes or branch labels
	Message       string   // -- migrate:message
	Created       string   // -- migrate:created, as written
	Transactional bool     // false when the header says -- migrate:transaction false; Parse defaults it to true
	// LockTimeout and StatementTimeout (-- migrate:lock_timeout,
	// -- migrate:statement_timeout) override, for this revision's
	// statements on PostgreSQL, the timeouts the run sets; nil when the
	// header does not say; 0 leaves the session's own setting in force.
	LockTimeout, StatementTimeout *time.Duration

	// LintIgnores are the -- migrate:lint ignore=CODE reason lines, in
	// file order.
	LintIgnores []LintIgnore

	Up, Down string // the section bodies, exactly as in the file
	// Irreversible is true when the file has no -- migrate:down section:
	// downgrading through the revision is an error. An empty down section
	// means "nothing to do".
	Irreversible bool

	UpLine, DownLine int    // 1-based file line of the first body line of each section (0 if absent)
	Path             string // the file as loaded, used in every error message
	Checksum         string // [Checksum] of Up and Down
}

// LintIgnore is one "-- migrate:lint ignore=CODE reason" header line: the
// revision accepts the lint findings with that code, for that reason.
type LintIgnore struct {
	Code   string // as written, e.g. PG101
	Reason string // required, shown with every finding it accepts
	Line   int    // 1-based line of the header in the file
}

// CreatedLayout is the time layout NewRevision writes in the created
// header, as Alembic's "Create Date" with a UTC time zone:
// 2026-11-22 01:10:00+00:00.
const CreatedLayout = "2006-01-02 15:04:05-07:00"

// NewRevision returns a new revision ready for [Render]: transactional,
// reversible (an empty down section), created at t (in UTC, formatted by
// CreatedLayout). A Revision literal would instead be non-transactional,
// since Transactional's zero value is false.
func NewRevision(id string, parents []string, message string, t time.Time) *Revision {
	return &Revision{
		ID:            id,
		Parents:       parents,
		Message:       message,
		Created:       t.UTC().Format(CreatedLayout),
		Transactional: true,
	}
}

// Header keys, in the order Render writes them.
const (
	keyRevision     = "revision"
	keyRevises      = "revises"
	keyBranchLabels = "branch_labels"
	keyDependsOn    = "depends_on"
	keyMessage      = "message"
	keyCreated      = "created"
	keyTransaction  = "transaction"
	keyLint         = "lint" // repeatable
	keyLockTimeout  = "lock_timeout"
	keyStmtTimeout  = "statement_timeout"
)

var knownKeys = [...]string{keyRevision, keyRevises, keyBranchLabels, keyDependsOn, keyMessage, keyCreated, keyTransaction, keyLint, keyLockTimeout, keyStmtTimeout}

const (
	markerPrefix = "-- migrate:"
	upMarker     = "-- migrate:up"
	downMarker   = "-- migrate:down"
)

// ParseError is an error in a revision file, at a line (and, for a bad
// byte, a column).
type ParseError struct {
	File   string
	Line   int
	Column int // 1-based, in characters; 0 when the error is about the whole line
	Msg    string
}

func (e *ParseError) Error() string {
	if e.Column > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg)
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

// sqlcCutPrefixes are the lines (lower-cased, column 0) at which sqlc stops
// reading a migration file; any of them before our own down marker would
// make sqlc see a different schema than migrate applies.
var sqlcCutPrefixes = []string{"-- migrate:down", "-- +goose down", "-- +migrate down", "---- create above / drop below ----"}

// Parse reads a revision file. path names the file in errors and is
// stored in [Revision.Path]. Errors are [*ParseError]s carrying the file
// and line. Parse copies data; it keeps no reference to it.
//
// Besides the layout of the file, Parse rejects NUL bytes and invalid
// UTF-8 (with the line and column), and, in a transactional revision,
// top-level statements that control the transaction migrate runs it in
// (BEGIN, COMMIT, ROLLBACK …; see docs/revisions.md).
func Parse(path string, data []byte) (*Revision, error) {
	if err := checkText(path, data); err != nil {
		return nil, err
	}
	p := parser{path: path, r: &Revision{Path: path, Transactional: true}}
	if err := p.parse(string(data)); err != nil {
		return nil, err
	}
	if err := p.r.checkTxControl(); err != nil {
		return nil, err
	}
	p.r.Checksum = Checksum(p.r.Up, p.r.Down)
	return p.r, nil
}

type parser struct {
	path string
	r    *Revision
	seen [len(knownKeys)]int // line of each header key (index in knownKeys), 0 if not seen
}

func (p *parser) errf(line int, format string, args ...any) error {
	return &ParseError{File: p.path, Line: line, Msg: fmt.Sprintf(format, args...)}
}

const (
	inHeader = iota
	inUp
	inDown
)

func (p *parser) parse(s string) error {
	s = strings.TrimPrefix(s, "\ufeff")
	state := inHeader
	upAt, downAt := 0, 0    // marker lines
	upStart, upEnd := -1, 0 // byte range of the up body
	downStart := -1
	line := 0
	for pos := 0; pos < len(s); {
		line++
		end := strings.IndexByte(s[pos:], '\n')
		next := len(s)
		if end < 0 {
			end = len(s)
		} else {
			end += pos
			next = end + 1
		}
		text := strings.TrimSuffix(s[pos:end], "\r")
		lineStart := pos
		pos = next

		if strings.HasPrefix(text, markerPrefix) {
			// Header values reach terminals and the comments of --sql
			// scripts, where a carriage return would end the comment
			// (PostgreSQL ends "--" comments at one) and let the rest
			// run as SQL.
			if i := strings.IndexFunc(text, isControl); i >= 0 {
				r, _ := utf8.DecodeRuneInString(text[i:])
				return &ParseError{File: p.path, Line: line, Column: 1 + utf8.RuneCountInString(text[:i]),
					Msg: fmt.Sprintf("control character %U in a -- migrate: line; header values are plain text", r)}
			}
			key, value := splitMarker(text[len(markerPrefix):])
			switch {
			case key == "up":
				switch state {
				case inUp:
					return p.errf(line, "second -- migrate:up (the first is at line %d)", upAt)
				case inDown:
					return p.errf(line, "-- migrate:up after -- migrate:down (line %d); the up section comes first", downAt)
				}
				if value != "" {
					return p.errf(line, "unexpected text %q after -- migrate:up (options go in the header, e.g. -- migrate:transaction false)", value)
				}
				if err := p.checkHeader(line); err != nil {
					return err
				}
				state, upAt, upStart = inUp, line, next
				continue
			case key == "down":
				switch state {
				case inHeader:
					return p.errf(line, "-- migrate:down before -- migrate:up; the up section comes first")
				case inDown:
					return p.errf(line, "second -- migrate:down (the first is at line %d)", downAt)
				}
				if value != "" {
					return p.errf(line, "unexpected text %q after -- migrate:down", value)
				}
				state, downAt, upEnd, downStart = inDown, line, lineStart, next
				continue
			case strings.HasPrefix(key, "down"):
				return p.errf(line, "%q is not a marker: sqlc reads any line starting with \"-- migrate:down\" as the start of the down section (write -- migrate:down alone on its line)", text)
			case state != inHeader:
				return p.errf(line, "unexpected %q in the %s section (header lines belong before -- migrate:up)", text, sectionName(state))
			}
			if err := p.header(line, key, value); err != nil {
				return err
			}
			continue
		}
		if err := p.checkLine(line, text, state); err != nil {
			return err
		}
		if state == inHeader {
			t := strings.TrimSpace(text)
			if t != "" && !strings.HasPrefix(t, "--") {
				return p.errf(line, "unexpected text before -- migrate:up: %q (only -- migrate: header lines and -- comments may come before it)", clip(t))
			}
		}
	}
	switch state {
	case inHeader:
		if err := p.checkHeader(max(line, 1)); err != nil {
			return err
		}
		return p.errf(max(line, 1), "no -- migrate:up line: a revision file needs an up section")
	case inUp:
		upEnd = len(s)
		p.r.Irreversible = true
	}
	p.r.Up = s[upStart:upEnd]
	p.r.UpLine = upAt + 1
	if downStart >= 0 {
		p.r.Down = s[downStart:]
		p.r.DownLine = downAt + 1
	}
	return nil
}

func sectionName(state int) string {
	if state == inUp {
		return "up"
	}
	return "down"
}

// splitMarker splits the text after "-- migrate:" into a key (up to the
// first space or tab) and a trimmed value.
func splitMarker(rest string) (key, value string) {
	i := strings.IndexAny(rest, " \t")
	if i < 0 {
		return strings.TrimRight(rest, " \t"), ""
	}
	return rest[:i], strings.TrimSpace(rest[i:])
}

// sqlcCuts reports whether sqlc would stop reading the file at this line:
// its lower-cased text (strings.ToLower, as sqlc does, so "İ" counts as
// "i") starts with a down marker.
func sqlcCuts(line string) bool {
	if !strings.HasPrefix(line, "--") {
		return false
	}
	l := strings.ToLower(line)
	for _, pre := range sqlcCutPrefixes {
		if strings.HasPrefix(l, pre) {
			return true
		}
	}
	return false
}

// checkLine rejects lines that are not our markers but that sqlc (or a
// reader) would take for one: another tool's down marker, a case variant
// of ours, or a marker that is indented or misspaced.
func (p *parser) checkLine(line int, text string, state int) error {
	t := strings.TrimLeft(text, " \t")
	if !strings.HasPrefix(t, "--") {
		return nil
	}
	if state != inDown && sqlcCuts(text) {
		return p.errf(line, "%q: sqlc treats this line as the start of a down section and would ignore the rest of the file; write -- migrate:down exactly, or reword the comment", clip(text))
	}
	rest := strings.TrimLeft(t[2:], " \t")
	const m = "migrate:"
	if len(rest) > len(m) && strings.EqualFold(rest[:len(m)], m) && isKeyStart(rest[len(m)]) {
		return p.errf(line, "%q looks like a marker but is not one: markers are written \"-- migrate:key\" in lower case at the start of the line", clip(text))
	}
	return nil
}

func isKeyStart(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' }

func clip(s string) string {
	if len(s) > 60 {
		return s[:57] + "..."
	}
	return s
}

func (p *parser) header(line int, key, value string) error {
	k := slices.Index(knownKeys[:], key)
	if k < 0 {
		return p.errf(line, "unknown header key %q (known keys: %s)", key, strings.Join(knownKeys[:], ", "))
	}
	if first := p.seen[k]; first > 0 && key != keyLint {
		return p.errf(line, "duplicate header key %q (first at line %d)", key, first)
	}
	p.seen[k] = line
	r := p.r
	switch key {
	case keyRevision:
		if value == "" {
			return p.errf(line, "-- migrate:revision needs an id")
		}
		if err := CheckID(value); err != nil {
			return p.errf(line, "%v", err)
		}
		r.ID = value
	case keyRevises:
		ids, err := p.list(line, key, value, "revision id")
		if err != nil {
			return err
		}
		r.Parents = ids
	case keyBranchLabels:
		ids, err := p.list(line, key, value, "branch label")
		if err != nil {
			return err
		}
		r.BranchLabels = ids
	case keyDependsOn:
		ids, err := p.list(line, key, value, "dependency")
		if err != nil {
			return err
		}
		r.DependsOn = ids
	case keyMessage:
		r.Message = value
	case keyCreated:
		r.Created = value
	case keyLint:
		return p.lintIgnore(line, value)
	case keyTransaction:
		switch value {
		case "true":
			r.Transactional = true
		case "false":
			r.Transactional = false
		default:
			return p.errf(line, "-- migrate:transaction must be true or false, not %q", value)
		}
	case keyLockTimeout, keyStmtTimeout:
		d, err := ParseTimeout(value)
		if err != nil {
			return p.errf(line, "-- migrate:%s: %v", key, err)
		}
		if key == keyLockTimeout {
			r.LockTimeout = &d
		} else {
			r.StatementTimeout = &d
		}
	}
	return nil
}

// lintIgnore parses "ignore=CODE reason…": a code of letters, digits,
// '-' and '_', then the reason, which is required.
func (p *parser) lintIgnore(line int, value string) error {
	rest, ok := strings.CutPrefix(value, "ignore=")
	if !ok {
		return p.errf(line, "-- migrate:lint %q: expected ignore=CODE followed by the reason", clip(value))
	}
	code, reason := splitMarker(rest)
	if code == "" || strings.IndexFunc(code, func(c rune) bool {
		return !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')
	}) >= 0 {
		return p.errf(line, "-- migrate:lint ignore=%q: a lint code is letters, digits, '-' and '_' (e.g. ignore=PG101)", code)
	}
	if reason == "" {
		return p.errf(line, "-- migrate:lint ignore=%s needs a reason after the code (e.g. -- migrate:lint ignore=%s the table has 50 rows)", code, code)
	}
	p.r.LintIgnores = append(p.r.LintIgnores, LintIgnore{Code: code, Reason: reason, Line: line})
	return nil
}

// MaxTimeout is the longest lock_timeout or statement_timeout PostgreSQL
// accepts (2^31-1 milliseconds, about 24.8 days).
const MaxTimeout = (1<<31 - 1) * time.Millisecond

// ParseTimeout reads a PostgreSQL timeout as a Go duration ("5s",
// "1m30s", "500ms"): 0 (written "0" or "0s") or from 1ms to MaxTimeout,
// since PostgreSQL counts these timeouts in whole milliseconds.
func ParseTimeout(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	switch {
	case err != nil:
		return 0, fmt.Errorf("%q is not a duration such as \"5s\", \"500ms\" or \"0\" (off)", s)
	case d < 0:
		return 0, fmt.Errorf("%q is negative", s)
	case d > 0 && d < time.Millisecond:
		return 0, fmt.Errorf("%q is under a millisecond, the unit PostgreSQL counts in", s)
	case d > MaxTimeout:
		return 0, fmt.Errorf("%q is longer than %v, the most PostgreSQL accepts", s, MaxTimeout)
	}
	return d, nil
}

// list parses a comma-separated header value: each entry a legal id,
// no duplicates. An empty value is an empty list.
func (p *parser) list(line int, key, value, what string) ([]string, error) {
	if value == "" {
		return nil, nil
	}
	parts := strings.Split(value, ",")
	out := make([]string, 0, len(parts))
	for _, part := range parts {
		id := strings.TrimSpace(part)
		if id == "" {
			return nil, p.errf(line, "-- migrate:%s %q has an empty entry", key, value)
		}
		if err := checkName(id, what); err != nil {
			return nil, p.errf(line, "-- migrate:%s: %v", key, err)
		}
		for _, prev := range out {
			if prev == id {
				return nil, p.errf(line, "-- migrate:%s lists %q twice", key, id)
			}
		}
		out = append(out, id)
	}
	return out, nil
}

// checkHeader runs when the header ends: it must have named the revision.
func (p *parser) checkHeader(line int) error {
	if p.r.ID == "" {
		return p.errf(line, "missing -- migrate:revision header line (it must come before -- migrate:up)")
	}
	return nil
}

// Render returns the text of r's file: the header (keys in a fixed
// order; empty optional keys left out), a blank line, "-- migrate:up",
// r.Up verbatim, then, unless r is Irreversible, "-- migrate:down" and
// r.Down verbatim. A newline is added before the down marker when r.Up
// does not end in one. Header values are written on one line (a newline,
// or any control character but a tab, in a value becomes a space). For every r that [Parse] returned,
// Parse(Render(r)) gives back r, except UpLine, DownLine and the Line of
// each LintIgnore, which follow the rendered layout.
func Render(r *Revision) []byte {
	var b strings.Builder
	b.Grow(256 + len(r.Up) + len(r.Down))
	head := func(key, value string) {
		b.WriteString(markerPrefix)
		b.WriteString(key)
		if value = oneLine(value); value != "" {
			b.WriteByte(' ')
			b.WriteString(value)
		}
		b.WriteByte('\n')
	}
	head(keyRevision, r.ID)
	head(keyRevises, strings.Join(r.Parents, ", "))
	if len(r.BranchLabels) > 0 {
		head(keyBranchLabels, strings.Join(r.BranchLabels, ", "))
	}
	if len(r.DependsOn) > 0 {
		head(keyDependsOn, strings.Join(r.DependsOn, ", "))
	}
	head(keyMessage, r.Message)
	if r.Created != "" {
		head(keyCreated, r.Created)
	}
	if !r.Transactional {
		head(keyTransaction, "false")
	}
	for _, ig := range r.LintIgnores {
		head(keyLint, "ignore="+ig.Code+" "+ig.Reason)
	}
	if r.LockTimeout != nil {
		head(keyLockTimeout, r.LockTimeout.String())
	}
	if r.StatementTimeout != nil {
		head(keyStmtTimeout, r.StatementTimeout.String())
	}
	b.WriteString("\n" + upMarker + "\n")
	b.WriteString(r.Up)
	if !r.Irreversible {
		if r.Up != "" && !strings.HasSuffix(r.Up, "\n") {
			b.WriteByte('\n')
		}
		b.WriteString(downMarker + "\n")
		b.WriteString(r.Down)
	}
	return []byte(b.String())
}

func oneLine(s string) string {
	if strings.IndexFunc(s, isControl) >= 0 {
		s = strings.ReplaceAll(s, "\r\n", " ")
		s = strings.Map(func(r rune) rune {
			if isControl(r) {
				return ' '
			}
			return r
		}, s)
	}
	return strings.TrimSpace(s)
}

// isControl reports whether r is a control character other than a tab:
// what a header line may not hold.
func isControl(r rune) bool { return r != '\t' && unicode.IsControl(r) }

// UpStatements splits the up section into statements. Their Line fields
// are lines of the file (the section starts at UpLine); Offset stays
// relative to the section body. A lexical error is a [*ParseError] at the
// file line.
func (r *Revision) UpStatements(d sqlsplit.Dialect) ([]sqlsplit.Statement, error) {
	return r.statements("up", r.Up, r.UpLine, d)
}

// DownStatements is [Revision.UpStatements] for the down section. For an
// Irreversible revision it returns an [*IrreversibleError].
func (r *Revision) DownStatements(d sqlsplit.Dialect) ([]sqlsplit.Statement, error) {
	if r.Irreversible {
		return nil, &IrreversibleError{Revision: r}
	}
	return r.statements("down", r.Down, r.DownLine, d)
}

func (r *Revision) statements(section, body string, first int, d sqlsplit.Dialect) ([]sqlsplit.Statement, error) {
	if first < 1 {
		first = 1
	}
	stmts, err := sqlsplit.Split(body, d)
	if err != nil {
		line := first
		msg := err.Error()
		if e, ok := err.(*sqlsplit.Error); ok {
			line, msg = first+e.Line-1, e.Msg
		}
		return nil, &ParseError{File: r.Path, Line: line, Msg: section + " section: " + msg}
	}
	for i := range stmts {
		stmts[i].Line += first - 1
	}
	return stmts, nil
}

// IrreversibleError reports a downgrade through a revision whose file has
// no -- migrate:down section.
type IrreversibleError struct {
	Revision *Revision
}

func (e *IrreversibleError) Error() string {
	return fmt.Sprintf("%s: revision %s has no -- migrate:down section, so it cannot be downgraded (add one; an empty section means \"nothing to undo\")", fileOf(e.Revision), e.Revision.ID)
}
