// Package migrations is a goose Go migration, as a fixture: the importer
// lists it as not imported. It is never compiled (testdata).
package migrations

import (
	"context"
	"database/sql"
)

// upBackfillThings would be registered with goose.AddMigrationContext.
func upBackfillThings(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, "INSERT INTO things VALUES (1)")
	return err
}
