package migrate

import (
	"context"
	"fmt"
	"strings"

	"github.com/migratehq/migrate/versions"
)

// Adopt records targets and everything they descend from as applied,
// without running any SQL, on a database whose version table is empty:
// for taking over a database another migration tool brought up to date
// (migrate import --url). All rows are written in one transaction,
// whatever the transaction mode, and a version table that already has
// rows is refused ([*NotEmptyError], inside a [*PlanError]) under the
// run's lock, in that same transaction.
func (m *Migrator) Adopt(ctx context.Context, targets []string) (*Result, error) {
	one := m.derive(func(o *options) { o.tx = TxAll })
	return one.run(ctx, true, false, false, func(g *versions.Graph, applied []string) ([]versions.Step, error) {
		if len(applied) > 0 {
			return nil, &NotEmptyError{Table: one.vt().String(), Rows: applied}
		}
		return planStamp(g, nil, targets)
	})
}

// NotEmptyError refuses to adopt a database whose version table has
// rows: it is migrate's already, and adopting would mix two histories.
type NotEmptyError struct {
	Table string
	Rows  []string // the applied revision ids
}

func (e *NotEmptyError) Error() string {
	shown := e.Rows
	if len(shown) > 5 {
		shown = append(shown[:5:5], "…")
	}
	return fmt.Sprintf("the version table %s already records %d revision(s) (%s): this database is managed by migrate already, and adopting would mix two histories. "+
		"Compare with 'migrate current'; to record the other tool's state instead, empty it first with 'migrate stamp --purge base'",
		e.Table, len(e.Rows), strings.Join(shown, ", "))
}
