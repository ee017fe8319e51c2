package lint

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/migratehq/migrate/internal/testdb"
	"github.com/migratehq/migrate/sqlsplit"
	"github.com/migratehq/migrate/versions"
)

// pgSchema is the schema the PostgreSQL tests lint against: tables with
// rows, an index, a materialized view.
const pgSchema = `CREATE TABLE users (id int NOT NULL, email varchar(20), age int, code cidr, bits bit varying(4), amount numeric(10,2), note text);
INSERT INTO users SELECT g, 'u' || g, g, '10.0.0.0/8', B'1', g, 'n' FROM generate_series(1, 100) g;
CREATE UNIQUE INDEX users_id ON users (id);
CREATE INDEX users_email_idx ON users (email);
CREATE TABLE posts (id int, user_id int);
INSERT INTO posts SELECT g, g FROM generate_series(1, 100) g;
ALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_id;
CREATE MATERIALIZED VIEW stats AS SELECT count(*) AS n FROM users;
CREATE TABLE tags (id int);`

func openPG(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", testdb.Postgres(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec(pgSchema); err != nil {
		t.Fatal(err)
	}
	return db
}

// lintOne lints one statement against pgSchema (read offline, as an
// earlier revision) and returns its findings.
func lintOne(t *testing.T, stmt string) []Finding {
	t.Helper()
	before := revision(t, "before", "", pgSchema)
	res, err := Lint([]*versions.Revision{revision(t, "r1", "", stmt)}, Options{Dialect: sqlsplit.Postgres, Before: []*versions.Revision{before}})
	if err != nil {
		t.Fatal(err)
	}
	return res.Findings
}

// pgLockNames maps pg_locks modes to the names the rules use.
var pgLockNames = map[string]string{
	"AccessExclusiveLock": LockAccessExclusive, "ExclusiveLock": LockExclusive,
	"ShareRowExclusiveLock": LockShareRowExclusive, "ShareLock": LockShare,
	"ShareUpdateExclusiveLock": LockShareUpdateExclusive, "RowExclusiveLock": LockRowExclusive,
	"AccessShareLock": "ACCESS SHARE",
}

// TestLocksArePostgres runs each statement in a transaction on a real
// table and checks that the strongest lock the session holds on the
// table (pg_locks) is the lock the finding claims.
func TestLocksArePostgres(t *testing.T) {
	db := openPG(t)
	cases := []struct{ code, table, stmt string }{
		{CodeIndexNotConcurrent, "users", "CREATE INDEX users_age ON users (age)"},
		{CodeDropIndexNotConcurrent, "users", "DROP INDEX users_email_idx"},
		{CodeConstraintWithoutIndex, "users", "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email)"},
		{CodeForeignKeyValidated, "posts", "ALTER TABLE posts ADD FOREIGN KEY (user_id) REFERENCES users (id)"},
		{CodeForeignKeyValidated, "posts", "ALTER TABLE posts ADD COLUMN z int, ADD FOREIGN KEY (user_id) REFERENCES users (id)"},
		{CodeForeignKeyValidated, "posts", "ALTER TABLE posts ADD COLUMN h int REFERENCES users (id)"},
		{CodeCheckValidated, "users", "ALTER TABLE users ADD COLUMN q int CHECK (q > 0)"},
		{CodeExclusionConstraint, "users", "ALTER TABLE users ADD CONSTRAINT users_id_excl EXCLUDE USING btree (id WITH =)"},
		{CodeForeignKeyValidated, "posts", "ALTER TABLE posts ADD FOREIGN KEY (user_id) REFERENCES users (id), ALTER COLUMN id SET NOT NULL"},
		{CodeCheckValidated, "users", "ALTER TABLE users ADD CHECK (age > 0)"},
		{CodeSetNotNull, "users", "ALTER TABLE users ALTER email SET NOT NULL"},
		{CodeTypeRewrite, "users", "ALTER TABLE users ALTER age TYPE bigint"},
		{CodeVolatileDefault, "users", "ALTER TABLE users ADD COLUMN r float8 DEFAULT random()"},
		{CodeNotNullNoDefault, "tags", "ALTER TABLE tags ADD COLUMN n int NOT NULL"}, // empty: on rows it fails
		{CodeCluster, "users", "CLUSTER users USING users_pkey"},
		{CodeRefreshNotConcurrent, "stats", "REFRESH MATERIALIZED VIEW stats"},
		{CodeDropColumn, "users", "ALTER TABLE users DROP COLUMN note"},
		{CodeRenameColumn, "users", "ALTER TABLE users RENAME note TO remark"},
		{CodeRenameTable, "users", "ALTER TABLE users RENAME TO people"},
		{CodeDropTable, "posts", "DROP TABLE posts"},
		{CodeValidateUnderLock, "users", "ALTER TABLE users ADD CONSTRAINT age_pos CHECK (age > 0) NOT VALID; ALTER TABLE users VALIDATE CONSTRAINT age_pos"},
		{CodeValidateUnderLock, "posts", "ALTER TABLE posts ADD CONSTRAINT posts_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID; ALTER TABLE posts VALIDATE CONSTRAINT posts_fk"},
	}
	ctx := context.Background()
	for _, c := range cases {
		t.Run(c.code, func(t *testing.T) {
			fs := lintOne(t, c.stmt)
			if len(fs) == 0 || fs[0].Code != c.code {
				t.Fatalf("%s: findings %v, want %s first", c.stmt, fs, c.code)
			}
			tx, err := db.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Rollback()
			var oid int64
			if err := tx.QueryRow("SELECT $1::regclass::oid", c.table).Scan(&oid); err != nil {
				t.Fatal(err)
			}
			if _, err := tx.Exec(c.stmt); err != nil {
				t.Fatal(err)
			}
			rows, err := tx.Query("SELECT mode FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'relation' AND relation = $1", oid)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			strongest := ""
			for rows.Next() {
				var mode string
				if err := rows.Scan(&mode); err != nil {
					t.Fatal(err)
				}
				if name := pgLockNames[mode]; lockRank[name] > lockRank[strongest] {
					strongest = name
				}
			}
			for _, f := range fs {
				if strongest != f.Lock {
					t.Errorf("%s: PostgreSQL holds %q on %s, finding %s says %q", c.stmt, strongest, c.table, f.Code, f.Lock)
				}
			}
		})
	}
}

// TestRewritesArePostgres checks the rewrite claims of the type-change
// and add-column rules against the server: a statement is a finding
// exactly when PostgreSQL writes the table anew (its relfilenode changes).
func TestRewritesArePostgres(t *testing.T) {
	db := openPG(t)
	stmts := []string{
		"ALTER TABLE users ALTER email TYPE varchar(50)",
		"ALTER TABLE users ALTER email TYPE varchar(10)",
		"ALTER TABLE users ALTER email TYPE varchar",
		"ALTER TABLE users ALTER email TYPE text",
		"ALTER TABLE users ALTER note TYPE varchar",
		"ALTER TABLE users ALTER note TYPE varchar(30)",
		"ALTER TABLE users ALTER amount TYPE numeric(12,2)",
		"ALTER TABLE users ALTER amount TYPE numeric",
		"ALTER TABLE users ALTER amount TYPE numeric(12,3)",
		"ALTER TABLE users ALTER amount TYPE numeric(8,2)",
		"ALTER TABLE users ALTER age TYPE bigint",
		"ALTER TABLE users ALTER age TYPE int4",
		"ALTER TABLE users ALTER code TYPE inet",
		"ALTER TABLE users ALTER bits TYPE varbit(8)",
		"ALTER TABLE users ALTER email TYPE text USING email || ''",
		"ALTER TABLE users ADD COLUMN c timestamptz DEFAULT now()",
		"ALTER TABLE users ADD COLUMN c timestamptz DEFAULT clock_timestamp()",
		"ALTER TABLE users ADD COLUMN c int DEFAULT 7",
		"ALTER TABLE users ADD COLUMN c bigserial",
		"ALTER TABLE users ADD COLUMN c int GENERATED ALWAYS AS (age * 2) STORED",
	}
	ctx := context.Background()
	for _, stmt := range stmts {
		t.Run(stmt, func(t *testing.T) {
			fs := lintOne(t, stmt)
			tx, err := db.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Rollback()
			node := func() (n int64) {
				if err := tx.QueryRow("SELECT relfilenode FROM pg_class WHERE oid = 'users'::regclass").Scan(&n); err != nil {
					t.Fatal(err)
				}
				return n
			}
			was := node()
			if _, err := tx.Exec(stmt); err != nil {
				t.Fatal(err)
			}
			rewrote := node() != was
			if rewrote != (len(fs) == 1) || len(fs) > 1 || len(fs) == 1 && fs[0].Effect != EffectRewrite {
				t.Errorf("PostgreSQL rewrote the table: %v; findings: %v", rewrote, fs)
			}
		})
	}
}

// TestCatalog lints against the database's schema instead of earlier
// revisions: tables the database lacks are not existing, and column
// types and validated NOT NULL checks come from the catalog.
func TestCatalog(t *testing.T) {
	db := openPG(t)
	if _, err := db.Exec(`ALTER TABLE users ADD CONSTRAINT age_nn CHECK (age IS NOT NULL);
CREATE SCHEMA app; CREATE TABLE app.orders (id int); CREATE INDEX orders_id ON app.orders (id)`); err != nil {
		t.Fatal(err)
	}
	cat, err := ReadCatalog(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	if cat.Tables() != 5 {
		t.Errorf("Tables() = %d, want 5", cat.Tables())
	}
	for stmt, want := range map[string]string{
		"CREATE INDEX ON users (age)":                                            CodeIndexNotConcurrent,
		"CREATE INDEX ON ghosts (a)":                                             "",
		"ALTER TABLE users ALTER age SET NOT NULL":                               "",
		"ALTER TABLE users ALTER email SET NOT NULL":                             CodeSetNotNull,
		"ALTER TABLE users ALTER email TYPE varchar(40)":                         "",
		"ALTER TABLE users ALTER age TYPE bigint":                                CodeTypeRewrite,
		"DROP INDEX users_email_idx":                                             CodeDropIndexNotConcurrent,
		"DROP INDEX IF EXISTS gone_idx":                                          "",
		"DROP INDEX app.orders_id":                                               CodeDropIndexNotConcurrent,
		"CREATE INDEX ON app.orders (id)":                                        CodeIndexNotConcurrent,
		"CREATE TABLE ghosts (a int); CREATE INDEX ON ghosts (a)":                "",
		"REFRESH MATERIALIZED VIEW stats":                                        CodeRefreshNotConcurrent,
		"ALTER TABLE users RENAME TO people; CREATE INDEX ON people (age)":       CodeRenameTable + " " + CodeIndexNotConcurrent,
		"CREATE TABLE IF NOT EXISTS users (id int); CREATE INDEX ON users (age)": CodeIndexNotConcurrent,
		"CREATE TABLE IF NOT EXISTS ghosts (a int); CREATE INDEX ON ghosts (a)":  "",
	} {
		res, err := Lint([]*versions.Revision{revision(t, "r1", "", stmt)}, Options{Dialect: sqlsplit.Postgres, Catalog: cat})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range res.Findings {
			got = append(got, f.Code)
		}
		if strings.Join(got, " ") != want {
			t.Errorf("%s: %v, want %q", stmt, got, want)
		}
		if want == CodeDropIndexNotConcurrent && res.Findings[0].Table == "" {
			t.Errorf("%s: the finding does not name the index's table", stmt)
		}
	}
}

// TestCatalogNotValidCheck: a CHECK (col IS NOT NULL) the database has as
// NOT VALID is known by name, so that a VALIDATE pending in the linted
// revisions (outside a transaction, as an online plan has it) makes the
// SET NOT NULL after it safe.
func TestCatalogNotValidCheck(t *testing.T) {
	db := openPG(t)
	if _, err := db.Exec(`ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID`); err != nil {
		t.Fatal(err)
	}
	cat, err := ReadCatalog(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	validate := revision(t, "r2", "-- migrate:transaction false\n", "ALTER TABLE users VALIDATE CONSTRAINT email_nn;")
	setNN := revision(t, "r3", "", "ALTER TABLE users ALTER email SET NOT NULL;")
	for _, tc := range []struct {
		revs []*versions.Revision
		want string
	}{
		{[]*versions.Revision{validate, setNN}, ""},
		{[]*versions.Revision{setNN}, CodeSetNotNull},
	} {
		res, err := Lint(tc.revs, Options{Dialect: sqlsplit.Postgres, Catalog: cat})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range res.Findings {
			got = append(got, f.Code)
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("%d revision(s): %v, want %q", len(tc.revs), got, tc.want)
		}
	}
}
