// Command quickstart applies its embedded revisions (the same files the
// README's CLI quickstart runs) to a SQLite database at start-up, the way
// an application would:
//
//	go run ./examples/quickstart [file.db]
package main

import (
	"context"
	"database/sql"
	"embed"
	"log"
	"os"

	_ "modernc.org/sqlite" // or _ "github.com/jackc/pgx/v5/stdlib" for PostgreSQL

	"github.com/migratehq/migrate/migrate"
	"github.com/migratehq/migrate/versions"
)

//go:embed versions/*.sql
var revisionFiles embed.FS

func main() {
	path := "quickstart.db"
	if len(os.Args) > 1 {
		path = os.Args[1]
	}
	ctx := context.Background()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	revs, err := versions.Load(revisionFiles, "versions")
	if err != nil {
		log.Fatal(err)
	}
	graph, err := versions.NewGraph(revs)
	if err != nil {
		log.Fatal(err)
	}
	m, err := migrate.New(db, migrate.SQLite, graph,
		migrate.WithLogger(func(e migrate.Event) {
			if e.Kind == migrate.EventRevision {
				log.Printf("applied %s (%s) in %v", e.Revision, e.Message, e.Duration)
			}
		}))
	if err != nil {
		log.Fatal(err)
	}
	res, err := m.Upgrade(ctx, "head")
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("%s is at head (%d revision(s) applied now)", path, len(res.Steps))
}
