//go:build !(linux || darwin || dragonfly || freebsd || netbsd || openbsd)

package main

import "io"

// isTerminal reports false where migrate has no terminal check: output
// is then plain lines, as in a pipe.
func isTerminal(io.Writer) bool { return false }

// termWidth is 0: unknown.
func termWidth(io.Writer) int { return 0 }
