package introspect_test

import (
	"context"
	"testing"

	"github.com/migratehq/migrate/introspect"
	"github.com/migratehq/migrate/schema"
)

// TestSQLiteOtherVersionTablesLeftOut: OtherVersionTables leaves out the
// named tables with their triggers; without it they are read as usual.
func TestSQLiteOtherVersionTablesLeftOut(t *testing.T) {
	db := freshSQLite(t)
	execSQL(t, db, `CREATE TABLE goose_db_version (id INTEGER PRIMARY KEY AUTOINCREMENT, version_id INTEGER NOT NULL, is_applied INTEGER NOT NULL);
		CREATE TABLE schema_migrations (version varchar(128) primary key);
		CREATE TRIGGER goose_log AFTER INSERT ON goose_db_version BEGIN SELECT 1; END;
		CREATE TABLE users (id INTEGER PRIMARY KEY);`)
	s, err := introspect.Inspect(context.Background(), db, schema.SQLite, introspect.Options{OtherVersionTables: introspect.DefaultOtherVersionTables()})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Tables) != 1 || s.Tables[0].Name != "users" || len(s.Triggers) != 0 {
		t.Errorf("tables: %+v, triggers: %+v", s.Tables, s.Triggers)
	}
	s, err = introspect.Inspect(context.Background(), db, schema.SQLite, introspect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Tables) != 3 {
		t.Errorf("without the option: %d tables", len(s.Tables))
	}
}
