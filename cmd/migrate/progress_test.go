package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/migratehq/migrate/migrate"
)

// fakeClock is a clock the test moves by hand; tick calls what Every
// registered, as the ticker would.
type fakeClock struct {
	now   time.Time
	f     func()
	stops int
}

func (c *fakeClock) Now() time.Time { return c.now }

func (c *fakeClock) Every(_ time.Duration, f func()) func() {
	c.f = f
	return func() { c.f = nil; c.stops++ }
}

// advance moves the clock by d and fires the ticker, if one runs.
func (c *fakeClock) advance(d time.Duration) {
	c.now = c.now.Add(d)
	if c.f != nil {
		c.f()
	}
}

// testOutput is an output on a buffer, as a terminal (tty) or not, with
// the environment env.
func testOutput(tty, json bool, env map[string]string) (*output, *bytes.Buffer, *fakeClock) {
	var buf bytes.Buffer
	clk := &fakeClock{now: time.Unix(1e9, 0)}
	a := &app{stderr: &buf, stdout: &bytes.Buffer{}, json: json}
	term := tty && env["TERM"] != "dumb"
	scr := &screen{w: &buf, tty: term && !json, color: term && env["NO_COLOR"] == "", width: func() int { return 60 }, clock: clk}
	o := &output{a: a, scr: scr}
	a.out = o
	return o, &buf, clk
}

func startEvent(rev, msg string) migrate.Event {
	return migrate.Event{Kind: migrate.EventStart, Direction: "upgrade", Revision: rev, From: []string{"a1"}, To: []string{rev}, Message: msg}
}

func doneEvent(rev, msg string, d time.Duration) migrate.Event {
	e := startEvent(rev, msg)
	e.Kind, e.Duration = migrate.EventRevision, d
	return e
}

// TestScreenPlain: off a terminal, a fast revision is one line as
// before, written in two parts (announcement first); a slow one gets its
// newline after a second and its duration on a line of its own; a note
// or an error in between ends the open line. Never \r nor an escape.
func TestScreenPlain(t *testing.T) {
	o, buf, clk := testOutput(false, false, nil)
	o.event(startEvent("b2", "fast"))
	if got := buf.String(); got != "Running upgrade a1 -> b2, fast ..." {
		t.Fatalf("after start: %q", got)
	}
	clk.advance(300 * time.Millisecond)
	o.event(doneEvent("b2", "fast", 1900*time.Microsecond))
	o.event(startEvent("c3", "slow"))
	clk.advance(600 * time.Millisecond)
	clk.advance(600 * time.Millisecond) // past a second: the line is ended
	clk.advance(600 * time.Millisecond)
	o.event(doneEvent("c3", "slow", 1800*time.Millisecond))
	o.event(startEvent("d4", "noted"))
	o.event(migrate.Event{Kind: migrate.EventLockRetry, Message: "waited"})
	o.info("WARNING: careful")
	o.event(doneEvent("d4", "noted", 2*time.Millisecond))
	o.event(startEvent("e5", "fails"))
	o.error(errors.New("boom"))
	want := `Running upgrade a1 -> b2, fast ... 1.9 ms
Running upgrade a1 -> c3, slow ...
Running upgrade a1 -> c3, slow ... 1800 ms
Running upgrade a1 -> d4, noted ...
Retry: waited
WARNING: careful
Running upgrade a1 -> d4, noted ... 2.0 ms
Running upgrade a1 -> e5, fails ...
Error: boom
`
	if got := buf.String(); got != want {
		t.Errorf("output:\n%s\nwant:\n%s", got, want)
	}
	if clk.f != nil {
		t.Error("the ticker still runs after the error")
	}
}

// TestScreenTerminal: on a terminal a revision running past a second is
// redrawn with \r, the time elapsed and the statement running, each
// redraw erasing to the end of the line; the final line is the
// announcement and the duration, clean. A line printed meanwhile leaves
// the plain announcement above it, and the redraws resume below.
func TestScreenTerminal(t *testing.T) {
	o, buf, clk := testOutput(true, false, map[string]string{"TERM": "xterm"})
	o.event(startEvent("b2", "slow"))
	o.event(migrate.Event{Kind: migrate.EventStatement, File: "versions/b2.sql", Line: 12, Count: 2, Total: 3})
	clk.advance(800 * time.Millisecond) // not yet slow: nothing drawn
	if got := buf.String(); got != "Running upgrade a1 -> b2, slow ..." {
		t.Fatalf("before a second: %q", got)
	}
	clk.advance(400 * time.Millisecond)
	clk.advance(2 * time.Second)
	o.event(doneEvent("b2", "slow", 3200*time.Millisecond))
	want := "Running upgrade a1 -> b2, slow ..." +
		// The time and the statement stay whole; the announcement is cut.
		"\rRunning upgrade a1 -> b2,… 1.2 s (b2.sql:12, statement 2/3)\x1b[K" +
		"\rRunning upgrade a1 -> b2,… 3.2 s (b2.sql:12, statement 2/3)\x1b[K" +
		"\rRunning upgrade a1 -> b2, slow ... 3200 ms\x1b[K\n"
	if got := buf.String(); got != want {
		t.Errorf("slow revision:\n got %q\nwant %q", got, want)
	}
	buf.Reset()
	o.scr.width = func() int { return 0 } // unknown: 80 columns
	o.event(startEvent("c3", "noted"))
	clk.advance(1500 * time.Millisecond)
	o.info("Retry: waited")
	clk.advance(200 * time.Millisecond)
	o.event(doneEvent("c3", "noted", 1700*time.Millisecond))
	want = "Running upgrade a1 -> c3, noted ..." +
		"\rRunning upgrade a1 -> c3, noted ... 1.5 s\x1b[K" +
		"\rRunning upgrade a1 -> c3, noted ...\x1b[K\n" +
		"Retry: waited\n" +
		"\rRunning upgrade a1 -> c3, noted ... 1.7 s\x1b[K" +
		"\rRunning upgrade a1 -> c3, noted ... 1700 ms\x1b[K\n"
	if got := buf.String(); got != want {
		t.Errorf("note during a slow revision:\n got %q\nwant %q", got, want)
	}
}

// TestScreenColour: on a terminal the WARNING: and Error: labels are
// coloured, unless NO_COLOR is set or TERM is dumb; never off a
// terminal.
func TestScreenColour(t *testing.T) {
	for _, tt := range []struct {
		name   string
		tty    bool
		env    map[string]string
		colour bool
	}{
		{"terminal", true, map[string]string{"TERM": "xterm"}, true},
		{"NO_COLOR", true, map[string]string{"TERM": "xterm", "NO_COLOR": "1"}, false},
		{"TERM=dumb", true, map[string]string{"TERM": "dumb"}, false},
		{"pipe", false, nil, false},
	} {
		o, buf, _ := testOutput(tt.tty, false, tt.env)
		o.event(migrate.Event{Kind: migrate.EventWarning, Message: "edited"})
		o.error(errors.New("boom"))
		want := "WARNING: edited\nError: boom\n"
		if tt.colour {
			want = "\x1b[33mWARNING:\x1b[0m edited\n\x1b[31mError:\x1b[0m boom\n"
		}
		if got := buf.String(); got != want {
			t.Errorf("%s: %q, want %q", tt.name, got, want)
		}
	}
}

// TestScreenJSON: with --json on a terminal nothing animates (the
// announcements are JSON objects on stdout), though stderr's labels keep
// their colour.
func TestScreenJSON(t *testing.T) {
	o, buf, clk := testOutput(true, true, map[string]string{"TERM": "xterm"})
	o.event(startEvent("b2", "slow"))
	o.loadProgress("Loading", 0, 10)
	clk.advance(2 * time.Second)
	o.loadProgress("Loading", 5, 10)
	o.event(doneEvent("b2", "slow", 2*time.Second))
	if buf.Len() != 0 {
		t.Errorf("stderr with --json: %q", buf.String())
	}
	out := o.a.stdout.(*bytes.Buffer).String()
	if !strings.HasPrefix(out, `{"event":"start","direction":"upgrade","revision":"b2",`) || strings.Count(out, "\n") != 2 {
		t.Errorf("stdout with --json:\n%s", out)
	}
}

// TestScreenLoad: the dev-database load shows n/N statements on a
// terminal, at most every 100 ms, and is erased when done; off a
// terminal it shows nothing.
func TestScreenLoad(t *testing.T) {
	o, buf, clk := testOutput(true, false, map[string]string{"TERM": "xterm"})
	const what = "Loading models into the dev database"
	o.loadProgress(what, 0, 1000)
	clk.advance(50 * time.Millisecond)
	o.loadProgress(what, 10, 1000) // too soon
	clk.advance(60 * time.Millisecond)
	o.loadProgress(what, 120, 1000)
	clk.advance(10 * time.Millisecond)
	o.loadProgress(what, 130, 1000) // too soon
	clk.advance(100 * time.Millisecond)
	o.loadProgress(what, 999, 1000)
	o.loadProgress(what, 1000, 1000)
	want := "\r" + what + ": 120/1000 statements\x1b[K" +
		"\r" + what + ": 999/1000 statements\x1b[K" +
		"\r\x1b[K"
	if got := buf.String(); got != want {
		t.Errorf("terminal:\n got %q\nwant %q", got, want)
	}
	// A failure during the load keeps the count above the error.
	buf.Reset()
	o.loadProgress(what, 0, 10)
	clk.advance(time.Second)
	o.loadProgress(what, 4, 10)
	o.error(errors.New("schema.sql:5: boom"))
	if got, want := buf.String(), "\r"+what+": 4/10 statements\x1b[K\n\x1b[31mError:\x1b[0m schema.sql:5: boom\n"; got != want {
		t.Errorf("failed load:\n got %q\nwant %q", got, want)
	}
	o, buf, clk = testOutput(false, false, nil)
	o.loadProgress(what, 0, 10)
	clk.advance(time.Second)
	o.loadProgress(what, 5, 10)
	o.loadProgress(what, 10, 10)
	if buf.Len() != 0 {
		t.Errorf("off a terminal: %q", buf.String())
	}
}

// TestFitTail: on an 80-column terminal the redraw of a revision with a
// real file name keeps the file's line and the statement count.
func TestFitTail(t *testing.T) {
	o, buf, clk := testOutput(true, false, map[string]string{"TERM": "xterm"})
	o.scr.width = func() int { return 80 }
	start := migrate.Event{Kind: migrate.EventStart, Direction: "upgrade", Revision: "4a5b6c7d8e9f",
		From: []string{"3f9a1c2b7d10"}, To: []string{"4a5b6c7d8e9f"}, Message: "add an index on users by email"}
	o.event(start)
	o.event(migrate.Event{Kind: migrate.EventStatement, File: "versions/20261208012310_4a5b6c7d8e9f_add_an_index_on_users_by_email.sql", Line: 12, Count: 2, Total: 3})
	clk.advance(1200 * time.Millisecond)
	// The file name does not fit beside the announcement: the line and
	// the statement do, and the announcement is cut to make room.
	want := "Running upgrade 3f9a1c2b7d10 -> 4a5b6c7d8e9f, a… 1.2 s (line 12, statement 2/3)"
	last := buf.String()[strings.LastIndex(buf.String(), "\r")+1:]
	last = strings.TrimSuffix(last, "\x1b[K")
	if last != want || utf8.RuneCountInString(last) != 79 {
		t.Errorf("80 columns:\n got %q\nwant %q", last, want)
	}
}

func TestFit(t *testing.T) {
	s := &screen{width: func() int { return 10 }}
	for in, want := range map[string]string{
		"short":         "short",
		"exactly 9":     "exactly 9",
		"ten chars!":    "ten char…",
		"žluťoučký kůň": "žluťoučk…",
	} {
		if got := s.fit(in); got != want {
			t.Errorf("fit(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestScreenRealClock: the real ticker, from its own goroutine (run
// with -race): off a terminal the announcement is ended after a second;
// on one it is redrawn with the time elapsed, then completed.
func TestScreenRealClock(t *testing.T) {
	for _, tty := range []bool{false, true} {
		var buf bytes.Buffer
		s := &screen{w: &buf, tty: tty, width: func() int { return 100 }, clock: realClock{}}
		s.startRev("Running upgrade  -> b2, slow ...")
		time.Sleep(1300 * time.Millisecond)
		s.endRev("Running upgrade  -> b2, slow ...", "1300 ms")
		got := buf.String()
		if !tty && got != "Running upgrade  -> b2, slow ...\nRunning upgrade  -> b2, slow ... 1300 ms\n" {
			t.Errorf("off a terminal: %q", got)
		}
		if tty && (!strings.Contains(got, "\rRunning upgrade  -> b2, slow ... 1.") || !strings.HasSuffix(got, "\rRunning upgrade  -> b2, slow ... 1300 ms\x1b[K\n")) {
			t.Errorf("on a terminal: %q", got)
		}
	}
}

// TestIsTerminal: a pipe, a file, /dev/null (a character device, but no
// terminal) and a buffer are not terminals, so their screen neither
// animates nor colours, whatever the environment.
func TestIsTerminal(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	f, err := os.Create(filepath.Join(t.TempDir(), "log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	env := func(string) string { return "" }
	for name, out := range map[string]io.Writer{"pipe": w, "file": f, "null": null, "buffer": &bytes.Buffer{}} {
		if isTerminal(out) {
			t.Errorf("%s: a terminal", name)
		}
		if s := newScreen(out, false, env); s.tty || s.color {
			t.Errorf("%s: tty %v, colour %v", name, s.tty, s.color)
		}
	}
}
