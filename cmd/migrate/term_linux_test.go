package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/migratehq/migrate/internal/testdb"
)

// openPTY opens a pseudo-terminal: the master side to read what is
// written to the slave side, a terminal.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Skipf("unlocking the pseudo-terminal: %v", err)
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Skipf("pseudo-terminal number: %v", err)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("pseudo-terminal: %v", err)
	}
	return m, s
}

// TestTerminalOutput: with stderr a real terminal, a revision's line is
// written in place (its announcement, then \r and the full line erased
// to its end) and the Error: label is red — or plain with NO_COLOR.
func TestTerminalOutput(t *testing.T) {
	dir := t.TempDir()
	versions := filepath.Join(dir, "versions")
	os.Mkdir(versions, 0o755)
	os.WriteFile(filepath.Join(versions, "001_aaaa.sql"), []byte("-- migrate:revision aaaa00000001\n-- migrate:revises\n-- migrate:message first\n\n-- migrate:up\nCREATE TABLE a (id integer);\n\n-- migrate:down\nDROP TABLE a;\n"), 0o644)
	os.WriteFile(filepath.Join(versions, "002_bbbb.sql"), []byte("-- migrate:revision bbbb00000002\n-- migrate:revises aaaa00000001\n-- migrate:message fails\n\n-- migrate:up\nINSERT INTO nosuch VALUES (1);\n\n-- migrate:down\nSELECT 1;\n"), 0o644)
	url := "sqlite:///" + testdb.SQLitePath(t)
	t.Setenv("TERM", "xterm")
	for _, noColor := range []string{"", "1"} {
		t.Setenv("NO_COLOR", noColor)
		master, slave := openPTY(t)
		var got bytes.Buffer
		read := make(chan struct{})
		go func() { io.Copy(&got, master); close(read) }()
		code := Main(context.Background(), []string{"--url", url, "--dir", versions, "upgrade"}, strings.NewReader(""), io.Discard, slave)
		slave.Close()
		<-read
		if code != exitFail {
			t.Fatalf("exit %d", code)
		}
		// The terminal turns \n into \r\n.
		out := strings.ReplaceAll(got.String(), "\r\n", "\n")
		label := regexp.QuoteMeta("\x1b[31mError:\x1b[0m")
		if noColor != "" {
			label = "Error:"
		}
		want := regexp.MustCompile(`^Running upgrade  -> aaaa00000001, first \.\.\.\rRunning upgrade  -> aaaa00000001, first \.\.\. [0-9.]+ ms\x1b\[K\n` +
			`Running upgrade aaaa00000001 -> bbbb00000002, fails \.\.\.\rRunning upgrade aaaa00000001 -> bbbb00000002, fails \.\.\.\x1b\[K\n` +
			`Rolled back\.\n` + label + ` \S+/002_bbbb\.sql:6: `)
		if !want.MatchString(out) {
			t.Errorf("NO_COLOR=%q: terminal output:\n%q", noColor, out)
		}
	}
}
