package lint

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/migratehq/migrate/sqlsplit"
	"github.com/migratehq/migrate/versions"
)

// revision parses a revision file with the given extra header lines and
// up section.
func revision(t *testing.T, id, header, up string) *versions.Revision {
	t.Helper()
	src := fmt.Sprintf("-- migrate:revision %s\n%s-- migrate:up\n%s\n-- migrate:down\n", id, header, up)
	r, err := versions.Parse("versions/"+id+".sql", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// codes lints up (one transactional revision, after a revision holding
// before) and returns the codes found, in order.
func codes(t *testing.T, before, up string) []string {
	t.Helper()
	opts := Options{Dialect: sqlsplit.Postgres}
	if before != "" {
		opts.Before = []*versions.Revision{revision(t, "before", "", before)}
	}
	res, err := Lint([]*versions.Revision{revision(t, "r1", "", up)}, opts)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range res.Findings {
		out = append(out, f.Code)
	}
	return out
}

// ruleCase is one statement (or a few) and the codes the linter must
// find in it. Tables not created in before or up count as existing.
type ruleCase struct {
	name, before, up string
	want             []string
}

func runCases(t *testing.T, cases []ruleCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := codes(t, c.before, c.up)
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("%s\ngot  %v\nwant %v", c.up, got, c.want)
			}
		})
	}
}

func TestIndexRules(t *testing.T) {
	runCases(t, []ruleCase{
		{"create index on existing table", "", "CREATE INDEX users_email ON users (email);", []string{CodeIndexNotConcurrent}},
		{"unique index, schema-qualified", "", "CREATE UNIQUE INDEX IF NOT EXISTS u ON app.users USING btree (email);", []string{CodeIndexNotConcurrent}},
		{"index on a table created in the same run", "", "CREATE TABLE users (id int, email text);\nCREATE INDEX users_email ON users (email);", nil},
		{"index on a table created before the range", "CREATE TABLE users (id int);", "CREATE INDEX ON users (id);", []string{CodeIndexNotConcurrent}},
		{"concurrently in a transaction", "", "CREATE INDEX CONCURRENTLY users_email ON users (email);", []string{CodeNotInTransaction}},
		{"drop index", "", "DROP INDEX users_email;", []string{CodeDropIndexNotConcurrent}},
		{"drop index created in the same run", "", "CREATE TABLE t (a int);\nCREATE INDEX t_a ON t (a);\nDROP INDEX t_a;", nil},
		{"drop index concurrently in a transaction", "", "DROP INDEX CONCURRENTLY IF EXISTS users_email;", []string{CodeNotInTransaction}},
		{"reindex concurrently in a transaction", "", "REINDEX INDEX CONCURRENTLY users_email;", []string{CodeNotInTransaction}},
		{"add primary key", "", "ALTER TABLE users ADD PRIMARY KEY (id);", []string{CodeConstraintWithoutIndex}},
		{"add unique constraint", "", "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);", []string{CodeConstraintWithoutIndex}},
		{"add unique using index", "", "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email;", nil},
		{"add primary key using index", "", "ALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_id;", nil},
		{"add primary key to a new table", "", "CREATE TABLE t (a int);\nALTER TABLE t ADD PRIMARY KEY (a);", nil},
		{"add unique column", "", "ALTER TABLE users ADD COLUMN code text UNIQUE;", []string{CodeConstraintWithoutIndex}},
		{"add exclusion constraint", "", "ALTER TABLE rooms ADD CONSTRAINT no_overlap EXCLUDE USING gist (during WITH &&);", []string{CodeExclusionConstraint}},
		{"add exclusion constraint to a new table", "", "CREATE TABLE rooms (during tsrange);\nALTER TABLE rooms ADD CONSTRAINT no_overlap EXCLUDE USING gist (during WITH &&);", nil},
		{"add column with references", "", "ALTER TABLE posts ADD COLUMN h int REFERENCES users (id);", []string{CodeForeignKeyValidated}},
		{"add column with check", "", "ALTER TABLE users ADD COLUMN q int CHECK (q > 0);", []string{CodeCheckValidated}},
		{"add column with references to a new table", "", "CREATE TABLE posts (id int);\nALTER TABLE posts ADD COLUMN h int REFERENCES users (id);", nil},
	})
}

// TestCreateIfNotExists: CREATE TABLE IF NOT EXISTS does not make a table
// new when an earlier revision created it, nor when nothing is known of
// it (offline, it may exist); it does when the run dropped it first.
func TestCreateIfNotExists(t *testing.T) {
	runCases(t, []ruleCase{
		{"table created by an earlier revision", "CREATE TABLE t (id int, a int, c text);",
			"CREATE TABLE IF NOT EXISTS t (id int PRIMARY KEY);\nCREATE INDEX t_a ON t (a);\nALTER TABLE t DROP COLUMN c;", []string{CodeIndexNotConcurrent, CodeDropColumn}},
		{"table nothing created", "", "CREATE TABLE IF NOT EXISTS t (id int);\nCREATE INDEX ON t (id);", []string{CodeIndexNotConcurrent}},
		{"table the run created", "", "CREATE TABLE t (id int);\nCREATE TABLE IF NOT EXISTS t (id int);\nCREATE INDEX ON t (id);", nil},
		{"table the run dropped", "CREATE TABLE t (id int);", "DROP TABLE t;\nCREATE TABLE IF NOT EXISTS t (id int);\nCREATE INDEX ON t (id);", []string{CodeDropTable}},
		{"materialized view", "CREATE MATERIALIZED VIEW v AS SELECT 1;", "CREATE MATERIALIZED VIEW IF NOT EXISTS v AS SELECT 1;\nREFRESH MATERIALIZED VIEW v;", []string{CodeRefreshNotConcurrent}},
	})
}

func TestIndexRulesOutsideTransaction(t *testing.T) {
	r := revision(t, "r1", "-- migrate:transaction false\n", "CREATE INDEX CONCURRENTLY users_email ON users (email);\nDROP INDEX CONCURRENTLY old_idx;\nVACUUM users;")
	res, err := Lint([]*versions.Revision{r}, Options{Dialect: sqlsplit.Postgres})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 0 {
		t.Errorf("findings in a non-transactional revision: %v", res.Findings)
	}
	// With transaction = none in migrate.toml, nothing runs in a transaction.
	r = revision(t, "r1", "", "CREATE INDEX CONCURRENTLY users_email ON users (email);")
	res, err = Lint([]*versions.Revision{r}, Options{Dialect: sqlsplit.Postgres, Tx: "none"})
	if err != nil || len(res.Findings) != 0 {
		t.Errorf("Tx none: %v, %v", res.Findings, err)
	}
}

func TestLockAndScanRules(t *testing.T) {
	runCases(t, []ruleCase{
		{"foreign key", "", "ALTER TABLE posts ADD CONSTRAINT posts_user_fk FOREIGN KEY (user_id) REFERENCES users (id);", []string{CodeForeignKeyValidated}},
		{"foreign key not valid", "", "ALTER TABLE posts ADD CONSTRAINT posts_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;", nil},
		{"validate constraint", "", "ALTER TABLE posts VALIDATE CONSTRAINT posts_user_fk;", nil},
		{"foreign key on a new table", "", "CREATE TABLE posts (id int, user_id int);\nALTER TABLE posts ADD FOREIGN KEY (user_id) REFERENCES users (id);", nil},
		{"check", "", "ALTER TABLE users ADD CONSTRAINT age_ok CHECK (age >= 0);", []string{CodeCheckValidated}},
		{"check not valid", "", "ALTER TABLE users ADD CONSTRAINT age_ok CHECK (age >= 0) NOT VALID;", nil},
		{"set not null", "", "ALTER TABLE users ALTER COLUMN email SET NOT NULL;", []string{CodeSetNotNull}},
		{"set not null after a validated check", "CREATE TABLE users (email text);\nALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID;",
			"ALTER TABLE users VALIDATE CONSTRAINT email_nn;\nALTER TABLE users ALTER email SET NOT NULL;", nil},
		{"set not null after a check validated in an earlier revision",
			"CREATE TABLE users (email text, CONSTRAINT email_nn CHECK ((email IS NOT NULL)));", "ALTER TABLE users ALTER email SET NOT NULL;", nil},
		{"set not null after an unvalidated check", "",
			"ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID;\nALTER TABLE users ALTER email SET NOT NULL;", []string{CodeSetNotNull}},
		{"set not null after the check was dropped",
			"CREATE TABLE users (email text, CONSTRAINT email_nn CHECK (email IS NOT NULL));", "ALTER TABLE users DROP CONSTRAINT email_nn;\nALTER TABLE users ALTER email SET NOT NULL;", []string{CodeSetNotNull}},
		{"set not null on a new table", "", "CREATE TABLE t (a int);\nALTER TABLE t ALTER a SET NOT NULL;", nil},
		{"type change of unknown column", "", "ALTER TABLE users ALTER COLUMN id TYPE bigint;", []string{CodeTypeRewrite}},
		{"int to bigint", "CREATE TABLE users (id integer);", "ALTER TABLE users ALTER id TYPE bigint;", []string{CodeTypeRewrite}},
		{"varchar widened", "CREATE TABLE users (name varchar(20));", "ALTER TABLE users ALTER name TYPE varchar(50);", nil},
		{"varchar narrowed", "CREATE TABLE users (name character varying(20));", "ALTER TABLE users ALTER name TYPE varchar(10);", []string{CodeTypeRewrite}},
		{"varchar to text", "CREATE TABLE users (name varchar(20) NOT NULL);", "ALTER TABLE users ALTER COLUMN name SET DATA TYPE text;", nil},
		{"varchar to text using", "CREATE TABLE users (name varchar(20));", "ALTER TABLE users ALTER name TYPE text USING name::text;", []string{CodeTypeRewrite}},
		{"numeric precision raised", "CREATE TABLE p (amount numeric(10,2));", "ALTER TABLE p ALTER amount TYPE decimal(12,2);", nil},
		{"numeric scale changed", "CREATE TABLE p (amount numeric(10,2));", "ALTER TABLE p ALTER amount TYPE numeric(12,3);", []string{CodeTypeRewrite}},
		{"text to integer", "CREATE TABLE p (n text);", "ALTER TABLE p ALTER n TYPE integer USING n::integer;", []string{CodeTypeRewrite}},
		{"type of a column renamed earlier", "CREATE TABLE p (a varchar(5));", "ALTER TABLE p RENAME COLUMN a TO b;\nALTER TABLE p ALTER b TYPE varchar(9);", []string{CodeRenameColumn}},
		{"add column with volatile default", "", "ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();", []string{CodeVolatileDefault}},
		{"add column with stable default", "", "ALTER TABLE users ADD COLUMN created timestamptz NOT NULL DEFAULT now();", nil},
		{"add column with constant default", "", "ALTER TABLE users ADD COLUMN active boolean NOT NULL DEFAULT true;", nil},
		{"add serial column", "", "ALTER TABLE users ADD COLUMN n bigserial;", []string{CodeVolatileDefault}},
		{"add stored generated column", "", "ALTER TABLE users ADD COLUMN lower_email text GENERATED ALWAYS AS (lower(email)) STORED;", []string{CodeVolatileDefault}},
		{"add identity column", "", "ALTER TABLE users ADD COLUMN n int GENERATED BY DEFAULT AS IDENTITY;", []string{CodeVolatileDefault}},
		{"add volatile column to a new table", "", "CREATE TABLE t (a int);\nALTER TABLE t ADD COLUMN u uuid DEFAULT gen_random_uuid();", nil},
	})
}

func TestHeavyStatementRules(t *testing.T) {
	runCases(t, []ruleCase{
		{"vacuum full", "", "VACUUM FULL users;", []string{CodeNotInTransaction, CodeVacuumFull}},
		{"vacuum (full)", "", "VACUUM (FULL, ANALYZE) users;", []string{CodeNotInTransaction, CodeVacuumFull}},
		{"vacuum", "", "VACUUM ANALYZE users;", []string{CodeNotInTransaction}},
		{"cluster", "", "CLUSTER users USING users_pkey;", []string{CodeCluster}},
		{"cluster new table", "", "CREATE TABLE t (a int);\nCLUSTER t USING t_pkey;", nil},
		{"refresh", "", "REFRESH MATERIALIZED VIEW stats;", []string{CodeRefreshNotConcurrent}},
		{"refresh concurrently", "", "REFRESH MATERIALIZED VIEW CONCURRENTLY stats;", nil},
		{"refresh a view created in the same run", "", "CREATE MATERIALIZED VIEW stats AS SELECT 1;\nREFRESH MATERIALIZED VIEW stats WITH DATA;", nil},
		{"update without where after DDL", "", "ALTER TABLE users ADD COLUMN active boolean;\nUPDATE users SET active = true;", []string{CodeUnboundedDML}},
		{"update without where before DDL", "", "UPDATE users SET email = lower(email);\nALTER TABLE users ALTER email SET NOT NULL;", []string{CodeUnboundedDML, CodeSetNotNull}},
		{"delete without where after DDL", "", "CREATE INDEX CONCURRENTLY x ON t (a);\nDELETE FROM ONLY users;\nALTER TABLE users DROP CONSTRAINT c;", []string{CodeNotInTransaction, CodeUnboundedDML}},
		{"update with where", "", "ALTER TABLE users ADD COLUMN active boolean;\nUPDATE users SET active = true WHERE id < 1000;", nil},
		{"update without DDL on that table", "", "ALTER TABLE posts ADD COLUMN n int;\nUPDATE users SET active = (SELECT true WHERE 1 = 1);", nil},
		{"update of a new table", "", "CREATE TABLE t (a int);\nINSERT INTO t VALUES (1);\nUPDATE t SET a = 2;", nil},
	})
}

func TestCompatibilityRules(t *testing.T) {
	runCases(t, []ruleCase{
		{"drop column", "", "ALTER TABLE users DROP COLUMN legacy;", []string{CodeDropColumn}},
		{"drop column if exists, no COLUMN", "", "ALTER TABLE users DROP IF EXISTS legacy CASCADE;", []string{CodeDropColumn}},
		{"drop a column added in the same run", "", "ALTER TABLE users ADD COLUMN tmp int;\nALTER TABLE users DROP COLUMN tmp;", nil},
		{"drop table", "", "DROP TABLE IF EXISTS users, posts CASCADE;", []string{CodeDropTable, CodeDropTable}},
		{"drop a table created in the same run", "", "CREATE TABLE tmp (a int);\nDROP TABLE tmp;", nil},
		{"rename column", "", "ALTER TABLE users RENAME COLUMN email TO mail;", []string{CodeRenameColumn}},
		{"rename column without COLUMN", "", "ALTER TABLE users RENAME email TO mail;", []string{CodeRenameColumn}},
		{"rename table", "", "ALTER TABLE users RENAME TO people;", []string{CodeRenameTable}},
		{"renamed new table stays new", "", "CREATE TABLE a (x int);\nALTER TABLE a RENAME TO b;\nCREATE INDEX ON b (x);", nil},
		{"renamed existing table stays existing", "", "ALTER TABLE users RENAME TO people;\nCREATE INDEX ON people (id);", []string{CodeRenameTable, CodeIndexNotConcurrent}},
		{"rename constraint", "", "ALTER TABLE users RENAME CONSTRAINT a TO b;", nil},
		{"add not null column without default", "", "ALTER TABLE users ADD COLUMN tenant int NOT NULL;", []string{CodeNotNullNoDefault}},
		{"add not null column with default", "", "ALTER TABLE users ADD tenant int NOT NULL DEFAULT 0;", nil},
		{"add nullable column", "", "ALTER TABLE users ADD COLUMN IF NOT EXISTS tenant int;", nil},
		{"add not null column to a new table", "", "CREATE TABLE t (a int);\nALTER TABLE t ADD COLUMN b int NOT NULL;", nil},
	})
}

func TestFindingDetails(t *testing.T) {
	up := "CREATE TABLE fresh (a int);\n\nALTER TABLE users\n  ADD COLUMN n int,\n  ALTER COLUMN email SET NOT NULL;"
	res, err := Lint([]*versions.Revision{revision(t, "r1", "", up)}, Options{Dialect: sqlsplit.Postgres})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 {
		t.Fatalf("findings: %v", res.Findings)
	}
	f := res.Findings[0]
	// The file has the revision line, the up marker, then up: the ALTER
	// COLUMN action is on the fifth line of up, the file's seventh.
	want := Finding{
		Rule: Rule{Code: CodeSetNotNull, Name: "set-not-null", Severity: Hazard, Lock: LockAccessExclusive, Effect: EffectScan, Fix: f.Fix},
		File: "versions/r1.sql", Line: 7, Revision: "r1", Table: "users", Statement: "ALTER TABLE users …",
		Message: "SET NOT NULL on users.email checks every row under ACCESS EXCLUSIVE: no validated CHECK (email IS NOT NULL) lets PostgreSQL skip the scan",
	}
	if !reflect.DeepEqual(f, want) {
		t.Errorf("got  %+v\nwant %+v", f, want)
	}
	if f.String() != "versions/r1.sql:7: PG113 set-not-null: "+want.Message {
		t.Errorf("String() = %q", f.String())
	}
}

// TestMessages: findings whose wording depends on what is known.
func TestMessages(t *testing.T) {
	for _, tc := range []struct{ before, up, want string }{
		{"CREATE TABLE users (email text);\nCREATE INDEX users_email ON users (email);", "DROP INDEX users_email;",
			"DROP INDEX users_email takes ACCESS EXCLUSIVE on its table users, blocking reads and writes while it waits for running queries"},
		{"", "DROP INDEX users_email;",
			"DROP INDEX users_email takes ACCESS EXCLUSIVE on its table, blocking reads and writes while it waits for running queries"},
	} {
		opts := Options{Dialect: sqlsplit.Postgres}
		if tc.before != "" {
			opts.Before = []*versions.Revision{revision(t, "before", "", tc.before)}
		}
		res, err := Lint([]*versions.Revision{revision(t, "r1", "", tc.up)}, opts)
		if err != nil || len(res.Findings) != 1 || res.Findings[0].Message != tc.want {
			t.Errorf("%s: %+v %v\nwant %s", tc.up, res.Findings, err, tc.want)
		}
	}
	// A CREATE INDEX CONCURRENTLY in a transaction (refused: PG103)
	// takes SHARE UPDATE EXCLUSIVE, which the PG131 finding names.
	res, err := Lint([]*versions.Revision{revision(t, "r1", "", "CREATE INDEX CONCURRENTLY u_a ON users (a);\nUPDATE users SET a = 1;")}, Options{Dialect: sqlsplit.Postgres})
	if err != nil || len(res.Findings) != 2 || res.Findings[1].Code != CodeUnboundedDML || res.Findings[1].Lock != LockShareUpdateExclusive {
		t.Errorf("CREATE INDEX CONCURRENTLY then UPDATE: %+v %v", res.Findings, err)
	}
}

func TestIgnore(t *testing.T) {
	r := revision(t, "r1", "-- migrate:lint ignore=PG101 users has 40 rows\n", "CREATE INDEX a ON users (a);\nDROP INDEX b;")
	res, err := Lint([]*versions.Revision{r}, Options{Dialect: sqlsplit.Postgres})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 2 || !res.Findings[0].Ignored || res.Findings[0].Reason != "users has 40 rows" || res.Findings[0].IgnoreLine != 2 || res.Findings[1].Ignored {
		t.Errorf("findings: %+v", res.Findings)
	}
	if open := res.Open(); len(open) != 1 || open[0].Code != CodeDropIndexNotConcurrent {
		t.Errorf("Open() = %v", open)
	}
	if len(res.Unused) != 0 {
		t.Errorf("Unused = %v", res.Unused)
	}
	// An ignore that accepts nothing is listed.
	r = revision(t, "r1", "-- migrate:lint ignore=PG101 users has 40 rows\n-- migrate:lint ignore=PG141 legacy\n", "CREATE INDEX a ON users (a);")
	res, err = Lint([]*versions.Revision{r}, Options{Dialect: sqlsplit.Postgres})
	if err != nil {
		t.Fatal(err)
	}
	want := []UnusedIgnore{{File: "versions/r1.sql", Line: 3, Revision: "r1", Code: CodeDropColumn, Reason: "legacy"}}
	if !reflect.DeepEqual(res.Unused, want) || res.Unused[0].String() != "versions/r1.sql:3: -- migrate:lint ignore=PG141 accepts no finding of revision r1" {
		t.Errorf("Unused = %+v, want %+v", res.Unused, want)
	}

	for hdr, msg := range map[string]string{
		"-- migrate:lint ignore=PG999 why\n": "versions/r2.sql:2: -- migrate:lint ignore=PG999: no lint rule has that code",
		"-- migrate:lint ignore=PG103 why\n": "versions/r2.sql:2: -- migrate:lint ignore=PG103: not-in-transaction is an error",
	} {
		_, err := Lint([]*versions.Revision{revision(t, "r2", hdr, "SELECT 1;")}, Options{Dialect: sqlsplit.Postgres})
		if err == nil || !strings.HasPrefix(err.Error(), msg) {
			t.Errorf("%s: err = %v, want %s…", hdr, err, msg)
		}
	}
}

func TestTransactionGroups(t *testing.T) {
	ddl := revision(t, "r1", "", "ALTER TABLE users ADD COLUMN active boolean;")
	dml := revision(t, "r2", "", "UPDATE users SET active = true;")
	for _, tc := range []struct {
		tx   string
		want int
	}{{"", 1}, {"all", 1}, {"revision", 0}, {"none", 0}} {
		res, err := Lint([]*versions.Revision{ddl, dml}, Options{Dialect: sqlsplit.Postgres, Tx: tc.tx})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Findings) != tc.want {
			t.Errorf("tx %q: %v, want %d finding(s)", tc.tx, res.Findings, tc.want)
		}
		if tc.want == 1 && (res.Findings[0].File != "versions/r2.sql" || res.Findings[0].Lock != LockAccessExclusive) {
			t.Errorf("tx %q: %+v", tc.tx, res.Findings[0])
		}
	}
	// A revision outside a transaction splits the run's transaction.
	noTx := revision(t, "r3", "-- migrate:transaction false\n", "SELECT 1;")
	res, err := Lint([]*versions.Revision{ddl, noTx, dml}, Options{Dialect: sqlsplit.Postgres})
	if err != nil || len(res.Findings) != 0 {
		t.Errorf("split by a non-transactional revision: %v %v", res.Findings, err)
	}
	// An UPDATE or DELETE behind WITH is one all the same.
	for up, want := range map[string]int{
		"ALTER TABLE users ADD COLUMN f bool;\nWITH x AS (SELECT 1) UPDATE users SET f = true;":                                     1,
		"ALTER TABLE users ADD COLUMN f bool;\nWITH RECURSIVE x (n) AS (SELECT 1), y AS MATERIALIZED (SELECT 2) DELETE FROM users;": 1,
		"ALTER TABLE users ADD COLUMN f bool;\nWITH d AS (DELETE FROM users RETURNING id) SELECT count(*) FROM d;":                  1,
		"ALTER TABLE users ADD COLUMN f bool;\nWITH x AS (SELECT 1) UPDATE users SET f = true WHERE id = 1;":                        0,
		"ALTER TABLE users ADD COLUMN f bool;\nWITH x AS (SELECT 1) SELECT * FROM users FOR UPDATE;":                                0,
	} {
		res, err := Lint([]*versions.Revision{revision(t, "r1", "", up)}, Options{Dialect: sqlsplit.Postgres})
		if err != nil || len(res.Findings) != want || want == 1 && res.Findings[0].Code != CodeUnboundedDML {
			t.Errorf("%s: %v %v, want %d PG131", up, res.Findings, err, want)
		}
	}

}

// TestValidateUnderLock: VALIDATE CONSTRAINT in the transaction that
// added the constraint NOT VALID scans under the lock ADD took; with --tx
// all that is the case across revisions too. Such a validated check does
// not make SET NOT NULL safe in that transaction.
func TestValidateUnderLock(t *testing.T) {
	add := revision(t, "r2", "", "ALTER TABLE t ADD CONSTRAINT t_fk FOREIGN KEY (pid) REFERENCES p (id) NOT VALID;\nALTER TABLE t ADD CONSTRAINT t_a CHECK (a IS NOT NULL) NOT VALID;")
	val := revision(t, "r3", "", "ALTER TABLE t VALIDATE CONSTRAINT t_fk;\nALTER TABLE t VALIDATE CONSTRAINT t_a;\nALTER TABLE t ALTER COLUMN a SET NOT NULL;")
	valNoTx := revision(t, "r3", "-- migrate:transaction false\n", "ALTER TABLE t VALIDATE CONSTRAINT t_fk;\nALTER TABLE t VALIDATE CONSTRAINT t_a;")
	setNN := revision(t, "r4", "", "ALTER TABLE t ALTER COLUMN a SET NOT NULL;")
	one := revision(t, "r2", "", "ALTER TABLE t ADD CONSTRAINT t_a CHECK (a IS NOT NULL) NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT t_a;\nALTER TABLE t ALTER a SET NOT NULL;")
	newTable := revision(t, "r2", "", "CREATE TABLE t (a int);\nALTER TABLE t ADD CONSTRAINT t_a CHECK (a > 0) NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT t_a;")
	valFirst := revision(t, "r2", "", "ALTER TABLE t VALIDATE CONSTRAINT t_a;\nALTER TABLE t ALTER a SET NOT NULL;")
	for _, tc := range []struct {
		name string
		revs []*versions.Revision
		tx   string
		want string
	}{
		{"tx all", []*versions.Revision{add, val}, "all", "r3:PG116:ACCESS EXCLUSIVE r3:PG116:ACCESS EXCLUSIVE r3:PG113:ACCESS EXCLUSIVE"},
		{"tx revision", []*versions.Revision{add, val}, "revision", ""},
		{"one revision", []*versions.Revision{one}, "all", "r2:PG116:ACCESS EXCLUSIVE r2:PG113:ACCESS EXCLUSIVE"},
		{"online plan", []*versions.Revision{add, valNoTx, setNN}, "all", ""},
		{"new table", []*versions.Revision{newTable}, "all", ""},
		{"validate first", []*versions.Revision{valFirst}, "all", "r2:PG113:ACCESS EXCLUSIVE"},
		{"foreign key only", []*versions.Revision{revision(t, "r2", "", "ALTER TABLE t ADD CONSTRAINT t_fk FOREIGN KEY (pid) REFERENCES p (id) NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT t_fk;")}, "all", "r2:PG116:SHARE ROW EXCLUSIVE"},
	} {
		res, err := Lint(tc.revs, Options{Dialect: sqlsplit.Postgres, Tx: tc.tx})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range res.Findings {
			got = append(got, f.Revision+":"+f.Code+":"+f.Lock)
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("%s: %v, want %q", tc.name, got, tc.want)
		}
	}
}

func TestSQLiteHasNoRules(t *testing.T) {
	res, err := Lint([]*versions.Revision{revision(t, "r1", "", "DROP TABLE users;")}, Options{Dialect: sqlsplit.SQLite})
	if err != nil || !res.NoRules || len(res.Findings) != 0 || res.Revisions != 1 {
		t.Errorf("%+v %v", res, err)
	}
}

func TestRulesAreComplete(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range Rules {
		if seen[r.Code] || seen[r.Name] || r.Fix == "" || r.Effect == "" || strings.Contains(r.Fix, "\n") {
			t.Errorf("rule %+v: duplicate, or missing fix/effect", r)
		}
		seen[r.Code], seen[r.Name] = true, true
		if r.Severity == Hazard && lockRank[r.Lock] == 0 {
			t.Errorf("rule %s: hazard without a known lock", r.Code)
		}
	}
}

func TestSeparate(t *testing.T) {
	create := revision(t, "r1", "", "CREATE TABLE users (id int);\nCREATE INDEX users_id ON users (id);")
	alter := revision(t, "r2", "", "ALTER TABLE users ADD COLUMN n int;\nUPDATE users SET n = 1;")
	more := revision(t, "r3", "", "UPDATE users SET n = 2;")
	for _, sep := range []bool{false, true} {
		res, err := Lint([]*versions.Revision{create, alter, more}, Options{Dialect: sqlsplit.Postgres, Separate: sep})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range res.Findings {
			got = append(got, f.Revision+":"+f.Code)
		}
		// One run: users is new throughout. Separate runs: users exists
		// from r2 on, and r2's UPDATE shares r2's transaction only.
		want := map[bool]string{false: "", true: "r2:PG131"}[sep]
		if strings.Join(got, " ") != want {
			t.Errorf("Separate %v: %v, want %q", sep, got, want)
		}
	}
}
