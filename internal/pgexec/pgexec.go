// Package pgexec runs exactly one SQL statement on a PostgreSQL
// connection, for the runner (revision statements) and autogenerate
// (model statements) alike.
package pgexec

import (
	"context"
	"database/sql"

	"github.com/jackc/pgx/v5/stdlib"
)

// One runs query with the extended query protocol, which the server
// refuses to run more than one statement with: text that the statement
// lexer took for one statement (it may read a text differently from the
// server, e.g. after SET standard_conforming_strings = off) cannot carry
// a second one. database/sql's Exec without arguments uses the simple
// protocol, which runs every statement of a string. Parse, Bind, Execute
// and Sync go out together: one round trip, as with the simple protocol.
// A connection of another driver than pgx (a library user's) uses Exec.
func One(ctx context.Context, conn *sql.Conn, query string) error {
	other := false
	err := conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			other = true
			return nil
		}
		return c.Conn().PgConn().ExecParams(ctx, query, nil, nil, nil, nil).Read().Err
	})
	if other {
		_, err = conn.ExecContext(ctx, query)
	}
	return err
}
