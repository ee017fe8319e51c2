package introspect

// This file is a placeholder until the SQLite introspector (sqlite.go,
// written by the SQLite side) lands: that change deletes this file and
// defines newSQLiteInspector there.

import (
	"context"
	"errors"

	"github.com/migratehq/migrate/schema"
)

type sqliteStub struct{}

func newSQLiteInspector() inspector { return sqliteStub{} }

func (sqliteStub) inspect(context.Context, Querier, Options) (*schema.Schema, error) {
	return nil, errors.New("introspect: the SQLite introspector is not built yet")
}
