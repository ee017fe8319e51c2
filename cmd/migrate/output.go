package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/migratehq/migrate/autogen"
	"github.com/migratehq/migrate/config"
	"github.com/migratehq/migrate/migrate"
	"github.com/migratehq/migrate/schema/gomodel"
	"github.com/migratehq/migrate/versions"
)

// output renders runner events and results: text lines on stderr
// (progress is not data), or one JSON object per line on stdout with
// --json. Progress animates only when stderr is a terminal and without
// --json (progress.go); the WARNING: and Error: labels are coloured
// only on a terminal, without NO_COLOR.
type output struct {
	a   *app
	scr *screen
	// stamping is set by stamp: its dry-run plan is rows to write, no SQL
	// to run (the runner's plan events do not tell a stamp from a run).
	stamping bool
}

func newOutput(a *app) *output {
	return &output{a: a, scr: newScreen(a.stderr, a.json, os.Getenv)}
}

// newScreen is the stderr screen for w: a terminal unless TERM is dumb;
// animated unless json; coloured unless NO_COLOR is set (no-color.org:
// any non-empty value).
func newScreen(w io.Writer, json bool, getenv func(string) string) *screen {
	term := isTerminal(w) && getenv("TERM") != "dumb"
	return &screen{
		w:     w,
		tty:   term && !json,
		color: term && getenv("NO_COLOR") == "",
		width: func() int { return termWidth(w) },
		clock: realClock{},
	}
}

// data writes a command's result (stdout), control characters escaped.
func (o *output) data(format string, args ...any) {
	io.WriteString(o.a.stdout, printable(fmt.Sprintf(format, args...)))
}

// sql writes SQL meant to be saved or piped to a database (diff,
// inspect): byte for byte, as a file would hold it.
func (o *output) sql(text string) {
	io.WriteString(o.a.stdout, text)
}

// info writes a progress or diagnostic line (stderr), control characters
// escaped.
func (o *output) info(format string, args ...any) {
	text := printable(fmt.Sprintf(format, args...))
	if rest, ok := strings.CutPrefix(text, "WARNING:"); ok {
		text = o.scr.paint(yellow, "WARNING:") + rest
	}
	o.scr.line(text)
}

// warn reports a warning the runner did not raise as the runner's are
// reported: "WARNING: …" on stderr or, with --json, a warning event on
// stdout with the file and line it names (line 0: none).
func (o *output) warn(file string, line int, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if o.a.json {
		o.jsonLine(migrate.Event{Kind: migrate.EventWarning, File: file, Line: line, Message: msg})
		return
	}
	o.info("WARNING: %s", msg)
}

// live says whether progress is drawn on a terminal: the runner then
// announces each statement (migrate.WithStatementEvents), and
// autogenerate its load (loadProgress).
func (o *output) live() bool { return o.scr.tty }

// loadProgress renders autogenerate's progress in loading the models
// into the dev database (autogen.Input.Progress).
func (o *output) loadProgress(what string, done, total int) {
	o.scr.load(printable(what), done, total)
}

// printable returns s with every control character but newline and tab
// (and the CR of a CRLF), and every invisible character that reorders
// text (bidirectional controls), written as a Go escape (\x1b, \u202e),
// and each byte of invalid UTF-8 as \xNN. Revision messages, file names
// and database errors come from files and servers: an ESC or BEL in one
// must not reach the terminal raw. The one place text output passes
// through (JSON is escaped by encoding/json).
func printable(s string) string {
	i := 0
	for ; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\n' && c != '\t' || c >= 0x7f {
			break
		}
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n' || r == '\t', r == '\r' && strings.HasPrefix(s[i+1:], "\n"):
			b.WriteRune(r)
		case r < 0x80 && unicode.IsControl(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case unicode.IsControl(r), unicode.Is(unicode.Bidi_Control, r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// jsonLine writes one JSON object on stdout.
func (o *output) jsonLine(v any) {
	b, err := json.Marshal(v)
	if err != nil {
		b, _ = json.Marshal(map[string]string{"event": "error", "message": err.Error()})
	}
	o.a.stdout.Write(append(b, '\n'))
}

func arrow(e migrate.Event) string {
	s := strings.Join(e.From, ", ") + " -> " + strings.Join(e.To, ", ")
	if e.Message != "" {
		s += ", " + oneLine(e.Message)
	}
	return s
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// comma is ", message" for a one-line listing, or "" when there is no
// message (as Alembic leaves out an empty doc).
func comma(msg string) string {
	if msg = oneLine(msg); msg != "" {
		return ", " + msg
	}
	return ""
}

// running is a revision's announcement, "Running upgrade a -> b, msg
// ...", which its duration completes.
func running(e migrate.Event) string {
	return printable(fmt.Sprintf("Running %s %s ...", e.Direction, arrow(e)))
}

// event renders a runner event.
func (o *output) event(e migrate.Event) {
	if o.a.json {
		if e.Kind == migrate.EventPlan && e.Revision == "" || e.Kind == migrate.EventStatement {
			return
		}
		if e.Kind == migrate.EventPlan && o.stamping {
			o.jsonLine(struct {
				migrate.Event
				Stamp bool `json:"stamp"`
			}{e, true})
			return
		}
		o.jsonLine(e)
		return
	}
	switch e.Kind {
	case migrate.EventStart:
		o.scr.startRev(running(e))
	case migrate.EventStatement:
		// The file's base name: the folder is known, and an 80-column
		// line has no room for it beside the announcement.
		o.scr.statement(printable(filepath.Base(e.File)), fmt.Sprintf("%d, statement %d/%d", e.Line, e.Count, e.Total))
	case migrate.EventRevision:
		o.scr.endRev(running(e), fmtDuration(e.Duration))
	case migrate.EventStamp:
		o.info("Stamping %s %s", e.Direction, arrow(e))
	case migrate.EventPlan:
		if e.Revision != "" && o.stamping {
			o.info("Would stamp %s %s", e.Direction, arrow(e))
		} else if e.Revision != "" {
			o.info("Would run %s %s", e.Direction, arrow(e))
		} else if o.a.verbose {
			o.info("Plan: %d revision(s)", e.Count)
		}
	case migrate.EventNothing:
		o.info("Nothing to do.")
	case migrate.EventPurged:
		o.info("%s.", upperFirst(e.Message))
	case migrate.EventLockWait:
		o.info("Waiting: %s", e.Message)
	case migrate.EventLocked:
		o.info("Lock acquired.")
	case migrate.EventCommit, migrate.EventNoTx, migrate.EventReplan:
		o.info("Note: %s", e.Message)
	case migrate.EventWarning:
		o.info("WARNING: %s", e.Message)
	case migrate.EventRolledBack:
		o.info("Rolled back.")
	case migrate.EventLockRetry:
		o.info("Retry: %s", e.Message)
	case migrate.EventDone:
		o.scr.finish()
		if e.Count > 0 || o.a.verbose {
			o.info("Done: %d revision(s) in %s.", e.Count, fmtDuration(e.Duration))
		}
	}
}

// error reports a command's failure: "Error: …" on stderr, and with
// --json also one error object, the last line on stdout, with the
// message, the exit code and, when the error has them, the file, line
// (column) and revision. Passwords never appear.
func (o *output) error(err error) {
	msg := config.Redact(err.Error())
	if o.a.json {
		obj := map[string]any{"event": "error", "message": msg, "exit": exitCode(err)}
		var se *migrate.StatementError
		var pe *versions.ParseError
		var ce *config.Error
		var ge *versions.GraphError
		switch {
		case errors.As(err, &se):
			obj["file"], obj["line"], obj["revision"] = se.File, se.Line, se.Revision
			timeoutFields(obj, err)
		case errors.As(err, &pe):
			obj["file"], obj["line"] = pe.File, pe.Line
			if pe.Column > 0 {
				obj["column"] = pe.Column
			}
		case errors.As(err, &ce) && ce.File != "":
			obj["file"] = ce.File
			if ce.Line > 0 {
				obj["line"] = ce.Line
			}
		case errors.As(err, &ge) && graphFile(ge) != "":
			obj["file"] = graphFile(ge)
		default:
			if file, line := modelPlace(err); file != "" {
				obj["file"] = file
				if line > 0 {
					obj["line"] = line
				}
			}
		}
		o.jsonLine(obj)
	}
	o.scr.finish()
	o.scr.line(o.scr.paint(red, "Error:") + " " + printable(msg))
}

// graphFile is the revision file a graph error's first problem names:
// each problem starts "FILE: ", FILE a .sql file ("" for a problem that
// names several, a cycle).
func graphFile(ge *versions.GraphError) string {
	if len(ge.Problems) == 0 {
		return ""
	}
	file, _, ok := strings.Cut(ge.Problems[0], ": ")
	if !ok || !strings.HasSuffix(file, ".sql") || strings.Contains(file, "\n") {
		return ""
	}
	return file
}

// modelPlace is the model file and line an autogenerate error names: a
// statement the guard or the dev database refused, a rename hint, or the
// first of the Go models' problems. A statement of the model as migrate
// renders it is in no file ("").
func modelPlace(err error) (file string, line int) {
	var me *autogen.ModelError
	var he *autogen.HintError
	var gl gomodel.ErrorList
	var ge *gomodel.Error
	switch {
	case errors.As(err, &me):
		file, line = me.File, me.Line
	case errors.As(err, &he):
		file, line = he.File, he.Line
	case errors.As(err, &gl) && len(gl) > 0:
		file, line = gl[0].File, gl[0].Line
	case errors.As(err, &ge):
		file, line = ge.File, ge.Line
	}
	if strings.HasPrefix(file, "(") {
		return "", 0
	}
	return file, line
}
