package autogen

import (
	"fmt"

	"github.com/migratehq/migrate/schema"
)

// postgresChanges renders changes as PostgreSQL statements.
type postgresChanges struct {
	before, after *schema.Schema
}

var _ changeDialect = (*postgresChanges)(nil)

func newPostgresChanges(before, after *schema.Schema) changeDialect {
	return &postgresChanges{before: before, after: after}
}

func (p *postgresChanges) render(changes []Change) ([]Statement, error) {
	if len(changes) == 0 {
		return nil, nil
	}
	return nil, fmt.Errorf("autogen: PostgreSQL change rendering is not written yet")
}
