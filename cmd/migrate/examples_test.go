package main

import (
	"io"
	"testing"
)

// TestEveryCommandHasExamples: every command a user sees shows Examples
// in --help, and the first of them is a migrate command line (what an
// argument error quotes).
func TestEveryCommandHasExamples(t *testing.T) {
	a := &app{stdout: io.Discard, stderr: io.Discard}
	root := a.newRootCmd()
	for _, c := range root.Commands() {
		if c.Hidden || c.Name() == "help" {
			continue
		}
		ex := firstExample(c)
		if ex == "" {
			t.Errorf("%s --help has no Examples", c.Name())
			continue
		}
		if want := "migrate "; len(ex) < len(want) || ex[:len(want)] != want {
			t.Errorf("%s: first example %q does not start with %q", c.Name(), ex, want)
		}
	}
}
