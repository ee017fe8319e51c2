package autogen

import (
	"fmt"

	"github.com/migratehq/migrate/schema"
)

// sqliteChangesStub stands in for the SQLite change renderer until
// sqlite_change.go exists; whoever adds sqlite_change.go (defining
// newSQLiteChanges) deletes this file in the same commit.
type sqliteChangesStub struct{}

func newSQLiteChanges(before, after *schema.Schema) changeDialect { return sqliteChangesStub{} }

func (sqliteChangesStub) render(changes []Change) ([]Statement, error) {
	if len(changes) == 0 {
		return nil, nil
	}
	return nil, fmt.Errorf("autogen: SQLite change rendering is not written yet")
}
