package migrate_test

import (
	"context"
	"database/sql"
	"fmt"
	"log"

	_ "modernc.org/sqlite"

	"github.com/migratehq/migrate/migrate"
	"github.com/migratehq/migrate/versions"
)

// An application migrates its database at start-up from revision files it
// embeds (here an fstest.MapFS stands in for an embed.FS).
func Example() {
	files := revisionFiles // provider_example_test.go; an embed.FS in an application
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		log.Fatal(err)
	}
	db.SetMaxOpenConns(1) // one in-memory database
	defer db.Close()

	revs, err := versions.Load(files, "versions")
	if err != nil {
		log.Fatal(err)
	}
	graph, err := versions.NewGraph(revs)
	if err != nil {
		log.Fatal(err)
	}
	m, err := migrate.New(db, migrate.SQLite, graph, migrate.WithLogger(func(e migrate.Event) {
		if e.Kind == migrate.EventRevision {
			fmt.Printf("%s %s (%s)\n", e.Direction, e.Revision, e.Message)
		}
	}))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	if _, err := m.Upgrade(ctx, "head"); err != nil {
		log.Fatal(err)
	}
	st, err := m.State(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("at", st.Heads)
	if _, err := m.Downgrade(ctx, "-1"); err != nil {
		log.Fatal(err)
	}
	// Output:
	// upgrade aaaa00000001 (create users)
	// upgrade bbbb00000002 (add users.name)
	// at [bbbb00000002]
	// downgrade bbbb00000002 (add users.name)
}
