package importer

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/migratehq/migrate/config"
	"github.com/migratehq/migrate/internal/dbopen"
	"github.com/migratehq/migrate/internal/testdb"
	"github.com/migratehq/migrate/migrate"
	"github.com/migratehq/migrate/versions"
)

var dialects = []string{"sqlite", "postgres"}

// openDB opens a fresh database of the dialect.
func openDB(t *testing.T, dialect string) *sql.DB {
	t.Helper()
	raw := "sqlite:" + testdb.SQLitePath(t)
	if dialect == "postgres" {
		raw = testdb.Postgres(t)
	}
	u, err := config.ParseURL(raw, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	db, err := dbopen.Open(context.Background(), u, true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func execAll(t *testing.T, db *sql.DB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// converted is what a conversion of n migrations with the given source
// versions returns: a line of revisions, the k-th creating table tk.
func converted(f Format, vers ...string) *Result {
	r := &Result{Format: f, Versions: map[string]string{}}
	var parents []string
	for i, v := range vers {
		id := fmt.Sprintf("imp%04d", i+1)
		rev := versions.NewRevision(id, parents, "m"+v, time.Unix(0, 0))
		rev.Up = fmt.Sprintf("CREATE TABLE t%d (id integer);\n", i+1)
		rev.Down = fmt.Sprintf("DROP TABLE t%d;\n", i+1)
		rev.Path = fmt.Sprintf("%s_m.sql", v)
		rev.Checksum = versions.Checksum(rev.Up, rev.Down)
		r.Revisions = append(r.Revisions, rev)
		r.Versions[v] = id
		parents = []string{id}
	}
	return r
}

// The version tables as each tool creates them, per dialect.
var toolTables = map[Format]map[string]string{
	Goose: {
		"sqlite":   "CREATE TABLE goose_db_version (id INTEGER PRIMARY KEY AUTOINCREMENT, version_id INTEGER NOT NULL, is_applied INTEGER NOT NULL, tstamp TIMESTAMP DEFAULT (datetime('now')))",
		"postgres": "CREATE TABLE goose_db_version (id serial NOT NULL, version_id bigint NOT NULL, is_applied boolean NOT NULL, tstamp timestamp NULL default now(), PRIMARY KEY(id))",
	},
	GolangMigrate: {
		"sqlite":   "CREATE TABLE schema_migrations (version uint64, dirty bool); CREATE UNIQUE INDEX version_unique ON schema_migrations (version)",
		"postgres": "CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)",
	},
	Dbmate: {
		"sqlite":   "CREATE TABLE schema_migrations (version varchar(128) primary key)",
		"postgres": "CREATE TABLE schema_migrations (version varchar(128) primary key)",
	},
	Atlas: {
		"sqlite": `CREATE TABLE atlas_schema_revisions (version text NOT NULL PRIMARY KEY, description text NOT NULL, type integer NOT NULL DEFAULT 2,
			applied integer NOT NULL DEFAULT 0, total integer NOT NULL DEFAULT 0, executed_at datetime NOT NULL, execution_time integer NOT NULL,
			error text NULL, error_stmt text NULL, hash text NOT NULL, partial_hashes json NULL, operator_version text NOT NULL)`,
		"postgres": `CREATE SCHEMA atlas_schema_revisions; CREATE TABLE atlas_schema_revisions.atlas_schema_revisions (version character varying NOT NULL PRIMARY KEY,
			description character varying NOT NULL, type bigint NOT NULL DEFAULT 2, applied bigint NOT NULL DEFAULT 0, total bigint NOT NULL DEFAULT 0,
			executed_at timestamptz NOT NULL, execution_time bigint NOT NULL, error text NULL, error_stmt text NULL, hash character varying NOT NULL,
			partial_hashes jsonb NULL, operator_version character varying NOT NULL)`,
	},
	Alembic: {
		"sqlite":   "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))",
		"postgres": "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))",
	},
}

func createToolTable(t *testing.T, db *sql.DB, dialect string, f Format) {
	t.Helper()
	for _, s := range strings.Split(toolTables[f][dialect], "; ") {
		execAll(t, db, s)
	}
}

func atlasRow(v string, typ, applied, total int, errMsg string) string {
	e := "NULL"
	if errMsg != "" {
		e = "'" + errMsg + "'"
	}
	return fmt.Sprintf("INSERT INTO %%s (version, description, type, applied, total, executed_at, execution_time, error, hash, operator_version) "+
		"VALUES ('%s', 'd', %d, %d, %d, CURRENT_TIMESTAMP, 1, %s, 'h', 'Atlas CLI v0.14')", v, typ, applied, total, e)
}

func atlasRows(dialect string, rows ...string) []string {
	table := DefaultTable(Atlas, dialect)
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = fmt.Sprintf(r, table)
	}
	return out
}

// TestReadApplied reads each tool's table as the tool writes it.
func TestReadApplied(t *testing.T) {
	for _, dialect := range dialects {
		cases := []struct {
			name string
			f    Format
			rows []string
			want Applied
		}{
			{"goose", Goose, []string{"INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, true), (1, true), (2, true), (3, true), (3, false), (20230105, true)"},
				Applied{Versions: []string{"1", "2", "20230105"}}},
			{"goose-empty", Goose, nil, Applied{}},
			{"golang-migrate", GolangMigrate, []string{"INSERT INTO schema_migrations (version, dirty) VALUES (2, false)"}, Applied{UpTo: "2"}},
			{"golang-migrate-empty", GolangMigrate, nil, Applied{}},
			{"dbmate", Dbmate, []string{"INSERT INTO schema_migrations (version) VALUES ('20230101000000'), ('20230102000000')"},
				Applied{Versions: []string{"20230101000000", "20230102000000"}}},
			{"atlas", Atlas, atlasRows(dialect, atlasRow(".atlas_cloud_identifiers", 0, 0, 0, ""), atlasRow("20230101", 1, 0, 0, ""), atlasRow("20230102", 2, 3, 3, "")),
				Applied{UpTo: "20230101", Versions: []string{"20230102"}}},
			{"alembic", Alembic, []string{"INSERT INTO alembic_version (version_num) VALUES ('ae1027a6acf'), ('b7c1d2e3f4a5')"},
				Applied{Versions: []string{"ae1027a6acf", "b7c1d2e3f4a5"}, Heads: true}},
		}
		for _, tc := range cases {
			t.Run(dialect+"/"+tc.name, func(t *testing.T) {
				db := openDB(t, dialect)
				createToolTable(t, db, dialect, tc.f)
				stmts := tc.rows
				if dialect == "sqlite" {
					for i, s := range stmts {
						stmts[i] = strings.NewReplacer("true", "1", "false", "0").Replace(s)
					}
				}
				execAll(t, db, stmts...)
				got, err := ReadApplied(context.Background(), db, dialect, tc.f, "")
				if err != nil {
					t.Fatal(err)
				}
				want := tc.want
				want.Format, want.Table = tc.f, DefaultTable(tc.f, dialect)
				if !reflect.DeepEqual(*got, want) {
					t.Errorf("got %+v\nwant %+v", *got, want)
				}
			})
		}
	}
}

// TestReadAppliedRefuses: a dirty golang-migrate row, a failed atlas
// revision and a missing table are refused, saying why.
func TestReadAppliedRefuses(t *testing.T) {
	for _, dialect := range dialects {
		cases := []struct {
			name string
			f    Format
			rows []string
			want string
		}{
			{"dirty", GolangMigrate, []string{"INSERT INTO schema_migrations (version, dirty) VALUES (2, true)"}, "version 2 is marked dirty"},
			{"atlas-partial", Atlas, atlasRows(dialect, atlasRow("20230102", 2, 1, 3, "boom")), "version 20230102 is not fully applied (1 of 3 statements ran; error: boom)"},
			{"no-table", Goose, nil, "this database has no table goose_db_version"},
		}
		for _, tc := range cases {
			t.Run(dialect+"/"+tc.name, func(t *testing.T) {
				db := openDB(t, dialect)
				if tc.name != "no-table" {
					createToolTable(t, db, dialect, tc.f)
				}
				stmts := tc.rows
				if dialect == "sqlite" {
					for i, s := range stmts {
						stmts[i] = strings.NewReplacer("true", "1").Replace(s)
					}
				}
				execAll(t, db, stmts...)
				_, err := ReadApplied(context.Background(), db, dialect, tc.f, "")
				var re *RefusedError
				if !errors.As(err, &re) || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("err = %v, want a RefusedError with %q", err, tc.want)
				}
			})
		}
	}
}

func TestPlanAdoption(t *testing.T) {
	cases := []struct {
		name                     string
		r                        *Result
		a                        Applied
		applied, targets, pendng []string
	}{
		{"goose padded files", converted(Goose, "00001", "00002", "00003"), Applied{Versions: []string{"1", "2"}},
			[]string{"imp0001", "imp0002"}, []string{"imp0002"}, []string{"imp0003"}},
		{"golang-migrate up to", converted(GolangMigrate, "1", "2", "3"), Applied{UpTo: "2"},
			[]string{"imp0001", "imp0002"}, []string{"imp0002"}, []string{"imp0003"}},
		{"nothing applied", converted(Dbmate, "20230101", "20230102"), Applied{},
			nil, nil, []string{"imp0001", "imp0002"}},
		{"atlas baseline and after", converted(Atlas, "1", "2", "3", "4"), Applied{UpTo: "2", Versions: []string{"3"}},
			[]string{"imp0001", "imp0002", "imp0003"}, []string{"imp0003"}, []string{"imp0004"}},
		{"alembic heads", converted(Alembic, "a1", "b2", "c3"), Applied{Versions: []string{"b2"}, Heads: true},
			[]string{"imp0001", "imp0002"}, []string{"imp0002"}, []string{"imp0003"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := tc.a
			a.Format, a.Table = tc.r.Format, "t"
			ad, err := PlanAdoption(tc.r, &a)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(ad.Applied, tc.applied) || !reflect.DeepEqual(ad.Targets, tc.targets) || !reflect.DeepEqual(ad.Pending, tc.pendng) {
				t.Errorf("got applied %v targets %v pending %v", ad.Applied, ad.Targets, ad.Pending)
			}
		})
	}
}

// TestPlanAdoptionRefuses: a version no file has, and a gap.
func TestPlanAdoptionRefuses(t *testing.T) {
	r := converted(Goose, "1", "2", "3")
	cases := []struct {
		name string
		a    Applied
		want string
	}{
		{"no file", Applied{Versions: []string{"1", "2", "5"}}, "goose_db_version records goose version 5 as applied, but no migration in the source folder has that version"},
		{"gap", Applied{Versions: []string{"1", "3"}}, "records goose version 3 (3_m.sql) as applied but not the earlier version 2 (2_m.sql)"},
		{"up to no file", Applied{UpTo: "9"}, "goose_db_version is at goose version 9"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := tc.a
			a.Format, a.Table = Goose, "goose_db_version"
			_, err := PlanAdoption(r, &a)
			var re *RefusedError
			if !errors.As(err, &re) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
	// A skipped migration (goose .go) that is applied is no gap and no error.
	r.Skipped = []Skipped{{File: "00004_seed.go", Version: "00004", Reason: "a Go migration"}}
	a := Applied{Format: Goose, Table: "goose_db_version", Versions: []string{"1", "2", "3", "4"}}
	ad, err := PlanAdoption(r, &a)
	if err != nil {
		t.Fatal(err)
	}
	if len(ad.NotConverted) != 1 || ad.NotConverted[0].File != "00004_seed.go" || len(ad.NotRun) != 0 ||
		!reflect.DeepEqual(ad.Applied, []string{"imp0001", "imp0002", "imp0003"}) {
		t.Errorf("got %+v", ad)
	}
}

// TestPlanAdoptionSkippedGaps: a skipped goose .go migration takes part
// in the gap check, and one not applied above every applied version is
// listed in NotRun (migrate will never run it).
func TestPlanAdoptionSkippedGaps(t *testing.T) {
	r := converted(Goose, "1", "2", "4")
	r.Skipped = []Skipped{{File: "00003_seed.go", Version: "3", Reason: "a Go migration"}}
	refused := []struct {
		name     string
		versions []string
		want     string
	}{
		{"go not applied below applied", []string{"1", "2", "4"},
			"records goose version 4 (4_m.sql) as applied but not the earlier version 3 (00003_seed.go), which was not converted"},
		{"go applied above unapplied", []string{"1", "3"},
			"records goose version 3 (00003_seed.go) as applied but not the earlier version 2 (2_m.sql)"},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			a := Applied{Format: Goose, Table: "goose_db_version", Versions: tc.versions}
			_, err := PlanAdoption(r, &a)
			var re *RefusedError
			if !errors.As(err, &re) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
	a := Applied{Format: Goose, Table: "goose_db_version", Versions: []string{"1", "2"}}
	ad, err := PlanAdoption(r, &a)
	if err != nil {
		t.Fatal(err)
	}
	if len(ad.NotRun) != 1 || ad.NotRun[0].File != "00003_seed.go" || !reflect.DeepEqual(ad.Pending, []string{"imp0003"}) {
		t.Errorf("got %+v", ad)
	}
}

// TestAdoptMiddle adopts a database that goose's own SQL brought to its
// second of three migrations: the stamp records exactly the first two,
// upgrade head then runs only the third, and goose's table stays.
func TestAdoptMiddle(t *testing.T) {
	for _, dialect := range dialects {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			db := openDB(t, dialect)
			r := converted(Goose, "1", "2", "3")
			execAll(t, db, r.Revisions[0].Up, r.Revisions[1].Up)
			createToolTable(t, db, dialect, Goose)
			ins := "INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, true), (1, true), (2, true)"
			if dialect == "sqlite" {
				ins = strings.ReplaceAll(ins, "true", "1")
			}
			execAll(t, db, ins)

			a, err := ReadApplied(ctx, db, dialect, Goose, "")
			if err != nil {
				t.Fatal(err)
			}
			ad, err := PlanAdoption(r, a)
			if err != nil {
				t.Fatal(err)
			}
			g, err := versions.NewGraph(r.Revisions)
			if err != nil {
				t.Fatal(err)
			}
			m, err := migrate.New(db, migrate.Dialect(dialect), g)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := m.Adopt(ctx, ad.Targets); err != nil {
				t.Fatal(err)
			}
			st, err := m.State(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if got := st.IDs(); !sameSet(got, []string{"imp0001", "imp0002"}) {
				t.Fatalf("applied after adoption: %v", got)
			}
			// Adopting again is refused: the version table has rows now.
			_, err = m.Adopt(ctx, ad.Targets)
			var ne *migrate.NotEmptyError
			if !errors.As(err, &ne) || len(ne.Rows) != 2 {
				t.Fatalf("second adoption: %v", err)
			}
			res, err := m.Upgrade(ctx, "head")
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Steps) != 1 || res.Steps[0].Revision != "imp0003" {
				t.Fatalf("upgrade ran %+v", res.Steps)
			}
			var n int
			if err := db.QueryRow("SELECT count(*) FROM goose_db_version").Scan(&n); err != nil || n != 3 {
				t.Fatalf("goose_db_version: %d rows, %v", n, err)
			}
		})
	}
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[string]bool{}
	for _, x := range a {
		m[x] = true
	}
	for _, x := range b {
		if !m[x] {
			return false
		}
	}
	return true
}

// TestAdoptOneTransaction: Adopt writes every row in one transaction
// even when the configured mode is one transaction per revision (the
// rows share their xmin on PostgreSQL); Stamp, for contrast, does not.
func TestAdoptOneTransaction(t *testing.T) {
	ctx := context.Background()
	r := converted(Goose, "1", "2", "3")
	g, err := versions.NewGraph(r.Revisions)
	if err != nil {
		t.Fatal(err)
	}
	for _, adopt := range []bool{true, false} {
		db := openDB(t, "postgres")
		m, err := migrate.New(db, migrate.Postgres, g, migrate.WithTransaction(migrate.TxRevision))
		if err != nil {
			t.Fatal(err)
		}
		if adopt {
			_, err = m.Adopt(ctx, []string{"imp0003"})
		} else {
			_, err = m.Stamp(ctx, []string{"imp0003"}, false)
		}
		if err != nil {
			t.Fatal(err)
		}
		var rows, txs int
		if err := db.QueryRow("SELECT count(*), count(DISTINCT xmin::text) FROM migrate_version").Scan(&rows, &txs); err != nil {
			t.Fatal(err)
		}
		if want := map[bool]int{true: 1, false: 3}[adopt]; rows != 3 || txs != want {
			t.Errorf("adopt %v: %d rows in %d transaction(s), want 3 in %d", adopt, rows, txs, want)
		}
	}
}

// TestCheckInto: a folder of another history is refused; one with an
// earlier import of the same source (or nothing) is not, even when the
// source has several heads.
func TestCheckInto(t *testing.T) {
	r := converted(Goose, "1", "2")
	other := versions.NewRevision("aaaa0001", nil, "x", time.Unix(0, 0))
	if err := CheckInto(r, []*versions.Revision{other}, "versions"); err == nil || !strings.Contains(err.Error(), "versions already holds 1 revision(s) (head aaaa0001)") {
		t.Errorf("other history: err = %v", err)
	}
	if err := CheckInto(r, r.Revisions[:1], "versions"); err != nil {
		t.Errorf("earlier import: %v", err)
	}
	if err := CheckInto(r, nil, "versions"); err != nil {
		t.Errorf("empty folder: %v", err)
	}
	// Two heads in the source itself (Alembic branches): importing again is fine.
	branch := versions.NewRevision("imp0009", []string{"imp0001"}, "b", time.Unix(0, 0))
	r.Revisions = append(r.Revisions, branch)
	if err := CheckInto(r, r.Revisions, "versions"); err != nil {
		t.Errorf("two heads imported again: %v", err)
	}
}
