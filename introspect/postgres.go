package introspect

import (
	"context"
	"errors"

	"github.com/migratehq/migrate/schema"
)

type postgresInspector struct{}

var _ inspector = (*postgresInspector)(nil)

func (p *postgresInspector) inspect(ctx context.Context, db Querier, opts Options) (*schema.Schema, error) {
	return nil, errors.New("introspect: the PostgreSQL introspector is not built yet")
}
