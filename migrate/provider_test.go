package migrate_test

import (
	"context"
	"errors"
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/migratehq/migrate/internal/testdb"
	"github.com/migratehq/migrate/migrate"
	"github.com/migratehq/migrate/versions"
)

// TestNewFromFS: the one-call constructor on both databases: Status in
// apply order, HasPending before and after, and a bad file refused before
// anything connects.
func TestNewFromFS(t *testing.T) {
	sub, err := fs.Sub(revisionFiles, "versions")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		d    migrate.Dialect
		url  func(t *testing.T) string
	}{
		{"sqlite", migrate.SQLite, func(t *testing.T) string { return "sqlite://" + testdb.SQLitePath(t) }},
		{"postgres", migrate.Postgres, func(t *testing.T) string { return testdb.Postgres(t) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			db := openDB(t, tc.url(t))
			m, err := migrate.NewFromFS(tc.d, db, sub)
			if err != nil {
				t.Fatal(err)
			}
			if p, err := m.HasPending(ctx); err != nil || !p {
				t.Fatalf("HasPending on an empty database = %v, %v; want true", p, err)
			}
			if _, err := m.Upgrade(ctx, "head"); err != nil {
				t.Fatal(err)
			}
			if p, err := m.HasPending(ctx); err != nil || p {
				t.Fatalf("HasPending at head = %v, %v; want false", p, err)
			}
			st, err := m.Status(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range st {
				got = append(got, s.ID+" "+string(s.State))
				if s.Applied.AppliedAt == "" {
					t.Errorf("%s: no applied_at", s.ID)
				}
			}
			want := []string{"aaaa00000001 applied", "bbbb00000002 applied"}
			if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
				t.Fatalf("Status = %v, want %v", got, want)
			}
			if _, err := m.Downgrade(ctx, "-1"); err != nil {
				t.Fatal(err)
			}
			st, _ = m.Status(ctx)
			if st[1].State != migrate.StatePending {
				t.Fatalf("after downgrade -1: %s is %s, want pending", st[1].ID, st[1].State)
			}
		})
	}
}

func TestNewFromFSBadFile(t *testing.T) {
	bad := fstest.MapFS{"001_x.sql": {Data: []byte("-- migrate:revision x1x1\n-- migrate:nonsense\n-- migrate:up\n")}}
	_, err := migrate.NewFromFS(migrate.SQLite, nil, bad)
	var pe *versions.ParseError
	if !errors.As(err, &pe) || pe.File != "001_x.sql" || pe.Line != 2 {
		t.Fatalf("err = %v, want a ParseError at 001_x.sql:2", err)
	}
	if _, err := migrate.NewFromFS(migrate.SQLite, nil, nil); err == nil {
		t.Fatal("nil fs.FS accepted")
	}
}
