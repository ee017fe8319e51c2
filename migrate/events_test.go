package migrate_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/migratehq/migrate/migrate"
)

// TestStartEvents: each revision that runs says so before its statements
// (EventStart), so a failing one has been named before its error; with
// WithStatementEvents each statement is announced with its line; a stamp
// runs nothing and announces nothing.
func TestStartEvents(t *testing.T) {
	files := linear()
	files["003_cccc00000003.sql"] = rev("cccc00000003", "bbbb00000002", "CREATE TABLE tc (id integer PRIMARY KEY);\nINSERT INTO nosuch VALUES (1);", "DROP TABLE tc;")
	for _, tg := range targets(t) {
		t.Run(tg.name, func(t *testing.T) {
			ctx := context.Background()
			db := tg.open(t)
			var got []string
			log := migrate.WithLogger(func(e migrate.Event) {
				switch e.Kind {
				case migrate.EventStart, migrate.EventRevision, migrate.EventStamp:
					got = append(got, fmt.Sprintf("%s %s", e.Kind, e.Revision))
				case migrate.EventStatement:
					got = append(got, fmt.Sprintf("%s %s:%d %d/%d", e.Kind, e.File, e.Line, e.Count, e.Total))
				}
			})
			m := newM(t, db, tg.dialect, graphOf(t, files), log)
			if _, err := m.Upgrade(ctx, "bbbb00000002"); err != nil {
				t.Fatal(err)
			}
			want := "start aaaa00000001,revision aaaa00000001,start bbbb00000002,revision bbbb00000002"
			if s := strings.Join(got, ","); s != want {
				t.Errorf("upgrade events:\n got %s\nwant %s", s, want)
			}
			got = nil
			m = newM(t, db, tg.dialect, graphOf(t, files), log, migrate.WithStatementEvents(true))
			if _, err := m.Upgrade(ctx, "head"); err == nil {
				t.Fatal("the failing revision succeeded")
			}
			want = "start cccc00000003,statement versions/003_cccc00000003.sql:6 1/2,statement versions/003_cccc00000003.sql:7 2/2"
			if s := strings.Join(got, ","); s != want {
				t.Errorf("failing upgrade events:\n got %s\nwant %s", s, want)
			}
			got = nil
			if _, err := m.Stamp(ctx, []string{"cccc00000003"}, false); err != nil {
				t.Fatal(err)
			}
			if s := strings.Join(got, ","); s != "stamp cccc00000003" {
				t.Errorf("stamp events: %s", s)
			}
		})
	}
}
