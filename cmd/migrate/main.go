// Command migrate is a schema migration tool for Go teams in the spirit of
// Alembic: revision files with Up and Down sections in a revision graph,
// applied to PostgreSQL or SQLite inside transactions, under a lock.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
