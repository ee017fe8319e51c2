package migrate_test

import (
	"context"
	"errors"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"time"

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

// TestNewFromFSNoRevisions: an fs.FS with no revision at its root (an
// embed.FS passed without fs.Sub, an empty one) is an error that says so,
// naming the folder that holds the files when there is one.
func TestNewFromFSNoRevisions(t *testing.T) {
	_, err := migrate.NewFromFS(migrate.SQLite, nil, revisionFiles)
	if !errors.Is(err, migrate.ErrNoRevisions) || !strings.Contains(err.Error(), `fs.Sub(fsys, "versions")`) {
		t.Fatalf("err = %v, want ErrNoRevisions naming versions/", err)
	}
	_, err = migrate.NewFromFS(migrate.SQLite, nil, fstest.MapFS{})
	if !errors.Is(err, migrate.ErrNoRevisions) || strings.Contains(err.Error(), "fs.Sub") {
		t.Fatalf("err = %v, want a bare ErrNoRevisions", err)
	}
}

// TestHasPendingRefused: when Upgrade would refuse (an applied revision no
// file defines, an edited file), HasPending returns Upgrade's *StateError
// instead of "nothing pending".
func TestHasPendingRefused(t *testing.T) {
	sub, err := fs.Sub(revisionFiles, "versions")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	db := openDB(t, "sqlite://"+testdb.SQLitePath(t))
	m, err := migrate.NewFromFS(migrate.SQLite, db, sub)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Upgrade(ctx, "head"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO migrate_version (revision, checksum) VALUES ('zzzz99999999', 'x')`); err != nil {
		t.Fatal(err)
	}
	_, upErr := m.Upgrade(ctx, "head")
	p, err := m.HasPending(ctx)
	var se *migrate.StateError
	if p || !errors.As(err, &se) || len(se.Unknown) != 1 || err.Error() != upErr.Error() {
		t.Fatalf("HasPending with an unknown row = %v, %v; want false and Upgrade's error %v", p, err, upErr)
	}
	if _, err := db.Exec(`DELETE FROM migrate_version WHERE revision = 'zzzz99999999'`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE migrate_version SET checksum = 'old' WHERE revision = 'aaaa00000001'`); err != nil {
		t.Fatal(err)
	}
	if p, err := m.HasPending(ctx); p || !errors.As(err, &se) || len(se.Edited) != 1 {
		t.Fatalf("HasPending with an edited file = %v, %v; want false and a StateError", p, err)
	}
	m2, err := migrate.NewFromFS(migrate.SQLite, db, sub, migrate.WithAcceptEdited(true))
	if err != nil {
		t.Fatal(err)
	}
	if p, err := m2.HasPending(ctx); p || err != nil {
		t.Fatalf("HasPending with WithAcceptEdited = %v, %v; want false, nil", p, err)
	}
}

// TestAppliedAtPerRevision: the revisions of one transaction are each
// recorded at the time they finished, not at the transaction's start
// (PostgreSQL's now()) nor all at the commit.
func TestAppliedAtPerRevision(t *testing.T) {
	for _, tc := range []struct {
		name  string
		d     migrate.Dialect
		url   func(t *testing.T) string
		sleep string
	}{
		{"sqlite", migrate.SQLite, func(t *testing.T) string { return "sqlite://" + testdb.SQLitePath(t) }, ""},
		{"postgres", migrate.Postgres, func(t *testing.T) string { return testdb.Postgres(t) }, "SELECT pg_sleep(0.3);"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rev := func(id, parent, sql string) []byte {
				return []byte("-- migrate:revision " + id + "\n-- migrate:revises " + parent + "\n-- migrate:up\n" + sql + "\n-- migrate:down\n")
			}
			slow := tc.sleep
			if slow == "" {
				// SQLite has no sleep: a query that takes a while.
				slow = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000000) SELECT count(*) FROM n;"
			}
			fsys := fstest.MapFS{
				"1_aaaa00000001.sql": {Data: rev("aaaa00000001", "", slow)},
				"2_bbbb00000002.sql": {Data: rev("bbbb00000002", "aaaa00000001", slow)},
			}
			db := openDB(t, tc.url(t))
			m, err := migrate.NewFromFS(tc.d, db, fsys)
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			res, err := m.Upgrade(ctx, "head")
			if err != nil {
				t.Fatal(err)
			}
			st, err := m.Status(ctx)
			if err != nil {
				t.Fatal(err)
			}
			a, err1 := time.Parse(time.RFC3339Nano, st[0].Applied.AppliedAt)
			b, err2 := time.Parse(time.RFC3339Nano, st[1].Applied.AppliedAt)
			if err1 != nil || err2 != nil {
				t.Fatalf("applied_at: %v, %v", err1, err2)
			}
			// b finished at least the second revision's run time after a.
			if gap, want := b.Sub(a), res.Steps[1].Duration-10*time.Millisecond; gap < want {
				t.Fatalf("applied_at %s then %s: %s apart, want at least %s (the second revision's run)", st[0].Applied.AppliedAt, st[1].Applied.AppliedAt, gap, want)
			}
		})
	}
}
