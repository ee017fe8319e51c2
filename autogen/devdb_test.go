package autogen_test

import (
	"context"
	"strings"
	"testing"

	"github.com/migratehq/migrate/autogen"
	"github.com/migratehq/migrate/internal/testdb"
)

// TestThrowawayDevDatabaseNotLeaked: a CREATE DATABASE that the client
// sees fail although the server did it (a context cancelled while it
// ran) leaves neither the database nor its sandbox role behind once the
// cleanup runs.
func TestThrowawayDevDatabaseNotLeaked(t *testing.T) {
	live, u := pgOpen(t, testdb.Postgres(t))
	var query string
	restore := autogen.FailCreateDatabase(func(q string) { query = q })
	defer restore()
	_, cleanup, err := autogen.DevProvider(u, live, "", "", "set dev_url")(context.Background())
	if cleanup != nil {
		cleanup()
	}
	if err == nil || query == "" {
		t.Fatalf("err = %v, query %q: want the injected failure after CREATE DATABASE", err, query)
	}
	// CREATE DATABASE migrate_dev_x OWNER migrate_sandbox_x TEMPLATE template0
	f := strings.Fields(query)
	name, role := f[2], f[4]
	var dbs, roles int
	if err := live.QueryRow("SELECT (SELECT count(*) FROM pg_database WHERE datname = $1), (SELECT count(*) FROM pg_roles WHERE rolname = $2)", name, role).Scan(&dbs, &roles); err != nil {
		t.Fatal(err)
	}
	if dbs+roles > 0 {
		t.Errorf("left on the server: %d database %s, %d role %s", dbs, name, roles, role)
		live.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
		live.Exec("DROP ROLE IF EXISTS " + role)
	}
}
