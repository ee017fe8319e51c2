package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Progress display on stderr.
//
// A revision is announced when it starts ("Running upgrade a -> b, msg
// ...", no newline yet) and the line is completed with its duration when
// it ends. Anything printed in between (a note, a retry, the error) first
// ends the open line, and the duration then comes on a line of its own
// that repeats the announcement, so every revision that ran has one line
// "Running … ... <duration>".
//
// On a terminal, once a revision has run for slowAfter, a ticker redraws
// the open line every tickEvery with the time elapsed and the statement
// running (\r, then erase to the end of the line). Off a terminal nothing
// is redrawn: after slowAfter the open line is only ended, so that logs
// read line by line (CI, containers) show it while the revision runs.
//
// Autogenerate's load of the models into the dev database shows
// "…: n/N statements" on a terminal only, erased when the load is done.
const (
	slowAfter = time.Second
	tickEvery = 200 * time.Millisecond
	loadEvery = 100 * time.Millisecond
)

// ANSI sequences: erase to the end of the line, colours.
const (
	eraseEOL = "\x1b[K"
	yellow   = "\x1b[33m"
	red      = "\x1b[31m"
	reset    = "\x1b[0m"
)

// clock is time as the screen sees it (a fake one in tests).
type clock interface {
	Now() time.Time
	// Every calls f every d until stop is called; stop does not wait for
	// a call under way.
	Every(d time.Duration, f func()) (stop func())
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Every(d time.Duration, f func()) func() {
	t := time.NewTicker(d)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-t.C:
				f()
			case <-done:
				return
			}
		}
	}()
	var once sync.Once
	return func() { once.Do(func() { t.Stop(); close(done) }) }
}

// screen writes stderr's lines and the one open progress line: all
// writes to stderr go through it, under its lock (the ticker writes from
// its own goroutine).
type screen struct {
	mu    sync.Mutex
	w     io.Writer
	tty   bool
	color bool
	width func() int // terminal columns, 0 when unknown
	clock clock

	rev  *revLine // the revision running, or nil
	open bool     // the last write is a progress line without its newline
	stop func()   // stops the revision's ticker
	// lastLoad is when the load progress was last drawn (or began).
	lastLoad time.Time
}

// revLine is the revision announced and not yet done.
type revLine struct {
	text  string // "Running upgrade a -> b, msg ..."
	start time.Time
	// The statement running, when known: its file and, "12, statement
	// 2/3", its line and place in the section.
	file, stmt string
}

// line writes one line (s has no newline), ending an open progress line
// first.
func (s *screen) line(text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.endOpen()
	io.WriteString(s.w, text+"\n")
}

// paint wraps text in a colour when colour is on.
func (s *screen) paint(color, text string) string {
	if !s.color {
		return text
	}
	return color + text + reset
}

// endOpen ends the open progress line, if any: on a terminal it is
// redrawn without its elapsed time first, so that what stays on the
// screen is the plain announcement.
func (s *screen) endOpen() {
	if !s.open {
		return
	}
	s.open = false
	if s.tty && s.rev != nil {
		io.WriteString(s.w, "\r"+s.fit(s.rev.text)+eraseEOL+"\n")
		return
	}
	io.WriteString(s.w, "\n")
}

// startRev announces a revision (text without newline) and starts its
// ticker.
func (s *screen) startRev(text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.endOpen()
	s.stopTicker()
	s.rev = &revLine{text: text, start: s.clock.Now()}
	if s.tty {
		io.WriteString(s.w, s.fit(text))
	} else {
		io.WriteString(s.w, text)
	}
	s.open = true
	s.stop = s.clock.Every(tickEvery, s.tick)
}

// statement notes the statement the revision running is at: file, and
// at, its line and place ("12, statement 2/3").
func (s *screen) statement(file, at string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rev != nil {
		s.rev.file, s.rev.stmt = file, at
	}
}

// endRev completes the announcement text (as startRev had it) with the
// revision's duration d.
func (s *screen) endRev(text, d string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stopTicker()
	switch {
	case s.rev == nil || s.rev.text != text:
		s.endOpen()
		io.WriteString(s.w, text+" "+d+"\n")
	case s.open && s.tty:
		io.WriteString(s.w, "\r"+text+" "+d+eraseEOL+"\n")
	case s.open:
		io.WriteString(s.w, " "+d+"\n")
	default:
		io.WriteString(s.w, text+" "+d+"\n")
	}
	s.rev, s.open = nil, false
}

// finish ends the open line and stops the ticker: the run is over (an
// error, or done).
func (s *screen) finish() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stopTicker()
	s.endOpen()
	s.rev = nil
}

func (s *screen) stopTicker() {
	if s.stop != nil {
		s.stop()
		s.stop = nil
	}
}

// tick runs every tickEvery while a revision runs: past slowAfter, a
// terminal shows the time elapsed (and the statement), anything else
// gets the announcement's newline.
func (s *screen) tick() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rev == nil {
		return
	}
	elapsed := s.clock.Now().Sub(s.rev.start)
	if elapsed < slowAfter {
		return
	}
	if !s.tty {
		if s.open {
			io.WriteString(s.w, "\n")
			s.open = false
		}
		return
	}
	io.WriteString(s.w, "\r"+s.fitTail(s.rev.text, s.rev.tails(elapsed)...)+eraseEOL)
	s.open = true
}

// load shows "what: done/total statements" on a terminal, at most every
// loadEvery (done 0 starts the count and draws nothing), and erases it
// when done reaches total.
func (s *screen) load(what string, done, total int) {
	if !s.tty {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock.Now()
	switch {
	case done == 0:
		s.lastLoad = now
	case done >= total:
		if s.open && s.rev == nil {
			io.WriteString(s.w, "\r"+eraseEOL)
			s.open = false
		}
	case now.Sub(s.lastLoad) >= loadEvery:
		s.lastLoad = now
		io.WriteString(s.w, "\r"+s.fit(fmt.Sprintf("%s: %d/%d statements", what, done, total))+eraseEOL)
		s.open = true
	}
}

// fit cuts text to the terminal's width less one column (a line that
// fills the last column wraps on some terminals, and \r would then
// return to its second row).
func (s *screen) fit(text string) string {
	return cut(text, s.columns())
}

// tails are the redraw's endings, longest first: the time elapsed and
// the statement running with its file ("b2.sql:12, statement 2/3"), then
// without it ("line 12, statement 2/3": the announcement names the
// revision), then the time alone.
func (r *revLine) tails(elapsed time.Duration) []string {
	t := fmt.Sprintf(" %.1f s", elapsed.Seconds())
	if r.stmt == "" {
		return []string{t}
	}
	return []string{t + " (" + r.file + ":" + r.stmt + ")", t + " (line " + r.stmt + ")", t}
}

// fitTail is fit for head and the first of tails that fits whole (the
// time elapsed and the statement running, what the redraw is for)
// leaving head at least 20 columns; head, the announcement, which the
// finished line shows in full, is cut. When none fits, head and the last
// tail are cut together.
func (s *screen) fitTail(head string, tails ...string) string {
	w := s.columns()
	for _, tail := range tails {
		if room := w - utf8.RuneCountInString(tail); room >= 20 {
			return cut(head, room) + tail
		}
	}
	return cut(head+tails[len(tails)-1], w)
}

// columns is the width a line may take: the terminal's (80 when it is
// not known) less one.
func (s *screen) columns() int {
	w := 80
	if s.width != nil {
		if n := s.width(); n > 0 {
			w = n
		}
	}
	return w - 1
}

// cut cuts text to w columns (runes), the last one "…" when cut.
func cut(text string, w int) string {
	if utf8.RuneCountInString(text) <= w {
		return text
	}
	var b strings.Builder
	n := 0
	for _, r := range text {
		if n == w-1 {
			break
		}
		b.WriteRune(r)
		n++
	}
	return b.String() + "…"
}
