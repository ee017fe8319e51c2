package autogen

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/migratehq/migrate/config"
	"github.com/migratehq/migrate/internal/pgexec"
	"github.com/migratehq/migrate/internal/testdb"
	"github.com/migratehq/migrate/schema"
)

func TestGuardPostgres(t *testing.T) {
	ok := map[string]runAs{
		"CREATE TABLE t (id int)":                                               runDev,
		"create unique index i on t (id)":                                       runDev,
		"CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS 'select 1'": runDev,
		"CREATE FOREIGN TABLE ft (id int) SERVER s":                             runDev,
		"CREATE EXTENSION IF NOT EXISTS pg_trgm":                                runDev,
		"CREATE EXTENSION IF NOT EXISTS postgis WITH SCHEMA public":             runAdmin,
		`CREATE EXTENSION "earthdistance"`:                                      runAdmin,
		"COMMENT ON EXTENSION postgis IS 'x'":                                   runAdmin,
		"COMMENT ON TABLE t IS 'the database'":                                  runDev,
		"ALTER TABLE public.t OWNER TO postgres":                                runSkip,
		"ALTER FUNCTION f(int, text) OWNER TO \"Some Role\"":                    runSkip,
		"ALTER TABLE t ADD COLUMN c int, OWNER TO postgres":                     runDev, // more than the owner: runs (and fails)
		"ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO PUBLIC":             runDev,
		"GRANT SELECT (a, b) ON t TO app":                                       runDev,
		"REVOKE ALL ON SCHEMA public FROM PUBLIC":                               runDev,
		"SET search_path = app, public":                                         runDev,
		"SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE":                 runDev,
		"SET LOCAL statement_timeout = 0":                                       runDev,
		"RESET ALL":                                                             runDev,
		"SELECT pg_catalog.set_config('search_path', '', false)":                runDev,
		"DO $$ BEGIN RAISE NOTICE 'x'; END $$":                                  runDev,
		"INSERT INTO t VALUES (1)":                                              runDev,
		"WITH x AS (SELECT 1) SELECT * FROM x":                                  runDev,
		"DROP TABLE IF EXISTS t":                                                runDev,
		"DROP EXTENSION cube":                                                   runDev,
		"-- a comment\nCREATE VIEW v AS SELECT 1":                               runDev,
	}
	for sql, want := range ok {
		stmts, err := checkModel(schema.Postgres, []Chunk{{File: "m.sql", Line: 1, SQL: sql}})
		if err != nil || len(stmts) != 1 || stmts[0].run != want {
			t.Errorf("%q: %v (run %v), want allowed, run %v", sql, err, stmts, want)
		}
	}
	refused := map[string]string{
		"DROP DATABASE prod":                                      "DROP DATABASE acts on the server",
		"drop  /* x */ database prod":                             "DROP DATABASE",
		"CREATE DATABASE x":                                       "CREATE DATABASE",
		"ALTER DATABASE prod OWNER TO me":                         "ALTER DATABASE",
		"CREATE ROLE x SUPERUSER":                                 "CREATE ROLE",
		"CREATE USER x":                                           "CREATE USER",
		"ALTER ROLE postgres PASSWORD 'x'":                        "ALTER ROLE",
		"ALTER USER postgres NOSUPERUSER":                         "ALTER USER",
		"DROP ROLE postgres":                                      "DROP ROLE",
		"CREATE TABLESPACE ts LOCATION '/tmp'":                    "CREATE TABLESPACE",
		"CREATE SUBSCRIPTION s CONNECTION 'host=x' PUBLICATION p": "CREATE SUBSCRIPTION",
		"CREATE SERVER s FOREIGN DATA WRAPPER postgres_fdw":       "CREATE SERVER reaches other servers",
		"CREATE USER MAPPING FOR me SERVER s":                     "CREATE USER MAPPING reaches other servers",
		"CREATE FOREIGN DATA WRAPPER w":                           "CREATE FOREIGN DATA reaches",
		"ALTER SYSTEM SET work_mem = '1GB'":                       "ALTER SYSTEM",
		"COPY (SELECT 1) TO PROGRAM 'id'":                         "COPY",
		"copy t from '/etc/passwd'":                               "COPY",
		"SET ROLE postgres":                                       "SET ROLE changes",
		"SET role = 'postgres'":                                   "SET ROLE changes",
		`SET "role" TO postgres`:                                  "SET ROLE changes",
		"SET LOCAL ROLE postgres":                                 "SET LOCAL ROLE changes",
		"SET SESSION ROLE postgres":                               "SET SESSION ROLE changes",
		"SET SESSION AUTHORIZATION postgres":                      "SET SESSION AUTHORIZATION changes",
		"SET session_authorization = postgres":                    "SET SESSION_AUTHORIZATION changes",
		"RESET ROLE":                                              "RESET ROLE changes",
		"RESET SESSION AUTHORIZATION":                             "RESET SESSION AUTHORIZATION changes",
		"SELECT set_config('role', 'postgres', false)":            "set_config('role'",
		"SELECT pg_catalog.set_config('session_authorization', 'postgres', false)": "set_config(",
		"GRANT pg_execute_server_program TO CURRENT_USER":                          "GRANT of a role",
		"GRANT admin TO me WITH ADMIN OPTION":                                      "GRANT of a role",
		"REVOKE admin FROM me":                                                     "REVOKE of a role",
		"GRANT CREATE ON DATABASE prod TO me":                                      "ON DATABASE",
		"GRANT SET ON PARAMETER work_mem TO me":                                    "ON PARAMETER",
		"GRANT USAGE ON FOREIGN SERVER s TO me":                                    "ON FOREIGN",
		"COMMENT ON DATABASE prod IS 'x'":                                          "COMMENT ON DATABASE",
		"COMMENT ON ROLE postgres IS 'x'":                                          "COMMENT ON ROLE",
		"CREATE EXTENSION dblink":                                                  "extension dblink",
		"CREATE EXTENSION IF NOT EXISTS postgres_fdw":                              "extension postgres_fdw",
		`CREATE EXTENSION "file_fdw"`:                                              "extension file_fdw",
		"LOAD 'auto_explain'":                                                      "LOAD",
		"IMPORT FOREIGN SCHEMA s FROM SERVER x INTO public":                        "IMPORT FOREIGN SCHEMA",
		"REASSIGN OWNED BY a TO b":                                                 "REASSIGN OWNED",
		"DROP OWNED BY a":                                                          "DROP OWNED",
		"DISCARD ALL":                                                              "DISCARD",
		"BEGIN":                                                                    "transaction control",
		"COMMIT":                                                                   "transaction control",
		"START TRANSACTION":                                                        "transaction control",
		"PREPARE TRANSACTION 'x'":                                                  "PREPARE TRANSACTION",
		"CHECKPOINT":                                                               "CHECKPOINT is not a statement a model holds",
		"VACUUM":                                                                   "VACUUM is not",
		"EXPLAIN ANALYZE DELETE FROM t":                                            "EXPLAIN is not",
		"NOTIFY x":                                                                 "NOTIFY is not",
		"(SELECT 1)":                                                               "must start with a keyword",
	}
	for sql, want := range refused {
		_, err := checkModel(schema.Postgres, []Chunk{{File: "m.sql", Line: 1, SQL: "CREATE TABLE a (id int);\n" + sql}})
		var me *ModelError
		if !errors.As(err, &me) || !me.Rejected || me.Line != 2 || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err = %v, want m.sql:2 rejected with %q", sql, err, want)
		}
	}
}

func TestGuardSQLite(t *testing.T) {
	for _, sql := range []string{
		"CREATE TABLE t (id INTEGER PRIMARY KEY)",
		"CREATE TEMP TRIGGER tr AFTER INSERT ON t BEGIN DELETE FROM t; END",
		"CREATE VIRTUAL TABLE f USING fts5(body)",
		"PRAGMA foreign_keys = ON",
		"PRAGMA main.user_version = 3",
		"pragma legacy_alter_table(1)",
		"INSERT INTO t VALUES (1)",
		"SELECT 'ATTACH x'",
		"CREATE TABLE [attach] (id int)",
	} {
		if _, err := checkModel(schema.SQLite, []Chunk{{File: "m.sql", Line: 1, SQL: sql}}); err != nil {
			t.Errorf("%q: %v", sql, err)
		}
	}
	for sql, want := range map[string]string{
		"ATTACH 'prod.db' AS prod":                    "ATTACH opens",
		"attach database 'x.db' as x":                 "ATTACH opens",
		"DETACH prod":                                 "DETACH",
		"VACUUM INTO '/tmp/copy.db'":                  "VACUUM writes",
		"VACUUM":                                      "VACUUM",
		"SELECT load_extension('x.so')":               "load_extension",
		"SELECT LOAD_EXTENSION ('x.so', 'e')":         "load_extension",
		"CREATE VIEW v AS SELECT load_extension('x')": "load_extension",
		"PRAGMA journal_mode = WAL":                   "PRAGMA journal_mode",
		"PRAGMA writable_schema = ON":                 "PRAGMA writable_schema",
		"PRAGMA temp_store_directory = '/tmp'":        "PRAGMA temp_store_directory",
		"PRAGMA prod.foreign_keys = ON":               "schema \"prod\"",
		"BEGIN TRANSACTION":                           "transaction control",
		"COMMIT":                                      "transaction control",
		"SAVEPOINT a":                                 "transaction control",
		"EXPLAIN SELECT 1":                            "EXPLAIN is not",
	} {
		_, err := checkModel(schema.SQLite, []Chunk{{File: "m.sql", Line: 1, SQL: "CREATE TABLE a (id int);\n\n" + sql}})
		var me *ModelError
		if !errors.As(err, &me) || !me.Rejected || me.Line != 3 || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err = %v, want m.sql:3 rejected with %q", sql, err, want)
		}
	}
}

// TestCheckModelText: NUL bytes and invalid UTF-8 are refused at their
// line, in chunks that start further down a file too.
func TestCheckModelText(t *testing.T) {
	for _, tc := range []struct {
		sql        string
		line, want int
		msg        string
	}{
		{"CREATE TABLE a (id int);\nCREATE TABLE b (x text DEFAULT 'a\x00b');\n", 1, 2, "NUL byte"},
		{"CREATE TABLE a (id int);\n\n-- caf\xe9 (Latin-1)\nCREATE TABLE b (id int);\n", 1, 3, "invalid UTF-8 (byte 0xe9)"},
		{"\xff\xfeC\x00R\x00", 1, 1, "invalid UTF-8 (byte 0xff)"},
		{"CREATE TABLE a (id int);\n\x00", 10, 11, "NUL byte"},
		{"-- \xe9\nSELECT '\x00'", 1, 1, "invalid UTF-8"}, // the first of the two
	} {
		for _, d := range []string{schema.Postgres, schema.SQLite} {
			err := CheckModel(d, []Chunk{{File: "m.sql", Line: tc.line, SQL: tc.sql}})
			var me *ModelError
			if !errors.As(err, &me) || !me.Rejected || me.File != "m.sql" || me.Line != tc.want || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("%s %q: err = %v, want m.sql:%d with %q", d, tc.sql, err, tc.want, tc.msg)
			}
		}
	}
	if err := CheckModel(schema.Postgres, []Chunk{{File: "m.sql", Line: 1, SQL: "COMMENT ON TABLE t IS 'café — ☃';"}}); err != nil {
		t.Errorf("UTF-8 text refused: %v", err)
	}
}

// TestPgExecOne: the dev session runs one statement per round trip; a
// second one in the same text is refused by the server.
func TestPgExecOne(t *testing.T) {
	testdb.RequirePostgres(t)
	u, err := config.ParseURL(testdb.Postgres(t), "")
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open(u.Driver, u.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := pgexec.One(ctx, conn, "CREATE TABLE one (id int)"); err != nil {
		t.Fatal(err)
	}
	if err := pgexec.One(ctx, conn, "CREATE TABLE two (id int); CREATE TABLE three (id int)"); err == nil || !strings.Contains(err.Error(), "multiple commands") {
		t.Fatalf("two statements: err = %v, want a refusal", err)
	}
	var n int
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM pg_tables WHERE tablename IN ('two', 'three')").Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d of the two tables made (%v)", n, err)
	}
}

// TestSQLiteSandboxTransactions: while model statements run, the
// authorizer refuses transaction control (a dev_url's load is rolled
// back); migrate's own BEGIN and ROLLBACK go through.
func TestSQLiteSandboxTransactions(t *testing.T) {
	ctx := context.Background()
	u, _ := config.ParseURL("sqlite:///app.db", t.TempDir())
	dev, cleanup, err := DevProvider(u, nil, "", "", "")(ctx)
	if cleanup != nil {
		defer cleanup()
	}
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dev.Conn.ExecContext(ctx, "BEGIN"); err != nil {
		t.Fatal(err)
	}
	dev.modelRunning.Store(true)
	for _, q := range []string{"COMMIT", "ROLLBACK", "SAVEPOINT x", "END"} {
		if _, err := dev.Conn.ExecContext(ctx, q); err == nil {
			t.Errorf("%s ran while the model runs", q)
		}
	}
	dev.modelRunning.Store(false)
	if _, err := dev.Conn.ExecContext(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
}

// FuzzModelGuard checks, for any model text: no panic; a refusal is a
// *ModelError at a line of the text; an accepted text holds no statement
// whose first word is one the guard refuses; and a refused statement
// appended to an accepted text is refused at its own line.
func FuzzModelGuard(f *testing.F) {
	for _, s := range []string{
		"CREATE TABLE t (id int);\nDROP DATABASE x;",
		"DO $$ BEGIN EXECUTE 'DROP DATABASE x'; END $$;",
		"ALTER TABLE t OWNER TO postgres;\nSET ROLE x;",
		"CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END;\nATTACH 'x' AS y;",
		"SELECT set_config('role', 'x', false);",
		"GRANT SELECT (a) ON t TO x; GRANT x TO y;",
		"PRAGMA main.foreign_keys = 1; PRAGMA x.journal_mode = wal;",
		"CREATE EXTENSION IF NOT EXISTS \"postgis\";",
		"SELECT 'a\x00b';",
		"-- \xff\nSELECT 1;",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	refusedFirst := map[string]bool{"ATTACH": true, "DETACH": true, "COPY": true, "VACUUM": true, "LOAD": true,
		"BEGIN": true, "COMMIT": true, "ROLLBACK": true, "CHECKPOINT": true, "DISCARD": true, "REASSIGN": true, "IMPORT": true}
	f.Fuzz(func(t *testing.T, src string, sqlite bool) {
		dialect := schema.Postgres
		if sqlite {
			dialect = schema.SQLite
		}
		lines := 1 + strings.Count(src, "\n")
		stmts, err := checkModel(dialect, []Chunk{{File: "m.sql", Line: 1, SQL: src}})
		if err != nil {
			var me *ModelError
			if !errors.As(err, &me) {
				if strings.Contains(err.Error(), "m.sql") {
					return
				}
				t.Fatalf("error is %T, not *ModelError: %v", err, err)
			}
			if me.File != "m.sql" || me.Line < 1 || me.Line > lines {
				t.Fatalf("error at %s:%d outside the text (%d lines): %v", me.File, me.Line, lines, err)
			}
			return
		}
		for _, st := range stmts {
			words := strings.FieldsFunc(st.SQL, func(r rune) bool {
				return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_')
			})
			if len(words) > 0 && strings.HasPrefix(strings.ToUpper(st.SQL), strings.ToUpper(words[0])) && refusedFirst[strings.ToUpper(words[0])] {
				t.Fatalf("accepted %q", st.SQL)
			}
			if st.Line < 1 || st.Line > lines {
				t.Fatalf("statement at line %d outside the text", st.Line)
			}
		}
		// After an accepted text and a ';' of its own, a refused
		// statement is refused at its line.
		bad := "\n;\nATTACH 'x.db' AS x;\n"
		if !sqlite {
			bad = "\n;\nCOPY t TO PROGRAM 'x';\n"
		}
		_, err = checkModel(dialect, []Chunk{{File: "m.sql", Line: 1, SQL: src + bad}})
		var me *ModelError
		if !errors.As(err, &me) || !me.Rejected || me.Line != lines+2 {
			t.Fatalf("%q appended to %q: err = %v, want a refusal at line %d", bad, src, err, lines+2)
		}
	})
}

// TestModelBOM: a model file saved with a UTF-8 byte order mark is read
// without it (as revision files are), and the guard accepts a chunk that
// starts a file with one; a BOM further in is still refused.
func TestModelBOM(t *testing.T) {
	p := t.TempDir() + "/model.sql"
	if err := os.WriteFile(p, []byte("\ufeffCREATE TABLE t (id int);\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	chunks, err := SQLFiles{p}.DDL(schema.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	if len(chunks) != 1 || strings.HasPrefix(chunks[0].SQL, "\ufeff") {
		t.Errorf("DDL kept the BOM: %+v", chunks)
	}
	for _, d := range []string{schema.Postgres, schema.SQLite} {
		stmts, err := checkModel(d, []Chunk{{File: "m.sql", Line: 1, SQL: "\ufeffCREATE TABLE t (id int);"}})
		if err != nil {
			t.Errorf("%s: a leading BOM refused: %v", d, err)
			continue
		}
		if len(stmts) != 1 || strings.Contains(stmts[0].SQL, "\ufeff") {
			t.Errorf("%s: statements %+v keep the BOM", d, stmts)
		}
		err = CheckModel(d, []Chunk{{File: "m.sql", Line: 1, SQL: "CREATE TABLE t (id int);\n\ufeffCREATE TABLE u (id int);"}})
		var me *ModelError
		if !errors.As(err, &me) || me.Line != 2 {
			t.Errorf("%s: a BOM inside the file: err = %v, want a refusal at m.sql:2", d, err)
		}
	}
}

// TestDumpGuardLines: pg_dump's \restrict KEY (first line that is not a
// comment) and \unrestrict KEY (last, same key) are blanked, line
// numbers kept; any other psql meta-command, or these elsewhere, is
// refused.
func TestDumpGuardLines(t *testing.T) {
	const key = "hIoovXOCLVQ6u3sUuh6ErGGlUmvFxjtnSEpvfHuygERAGCCZ03"
	dump := "--\n-- PostgreSQL database dump\n--\n\n\\restrict " + key + "\n\nSET statement_timeout = 0;\nSELECT pg_catalog.set_config('search_path', '', false);\nCREATE TABLE public.t (id integer);\n\n--\n-- done\n--\n\n\\unrestrict " + key + "\n\n"
	stmts, err := checkModel(schema.Postgres, []Chunk{{File: "dump.sql", Line: 1, SQL: dump}})
	if err != nil {
		t.Fatal(err)
	}
	if len(stmts) != 3 || stmts[2].Line != 9 || !strings.HasPrefix(stmts[2].SQL, "CREATE TABLE") {
		t.Errorf("statements = %+v", stmts)
	}
	crlf := strings.ReplaceAll(dump, "\n", "\r\n")
	if _, err := checkModel(schema.Postgres, []Chunk{{File: "dump.sql", Line: 1, SQL: crlf}}); err != nil {
		t.Errorf("CRLF dump: %v", err)
	}
	refused := map[string]string{
		"other key":        strings.Replace(dump, "\\unrestrict "+key, "\\unrestrict other", 1),
		"no unrestrict":    strings.Replace(dump, "\\unrestrict "+key, "", 1),
		"not first":        strings.Replace(dump, "\\restrict "+key+"\n", "", 1) + "CREATE TABLE u (id int);\n\\restrict " + key + "\n",
		"restrict in body": "\\restrict " + key + "\nCREATE TABLE t (id int);\n\\restrict " + key + "\n\\unrestrict " + key + "\n",
		"indented":         " \\restrict " + key + "\nCREATE TABLE t (id int);\n\\unrestrict " + key + "\n",
		"connect":          "\\restrict " + key + "\n\\connect other\nCREATE TABLE t (id int);\n\\unrestrict " + key + "\n",
		"key with a quote": "\\restrict a'b\nCREATE TABLE t (id int);\n\\unrestrict a'b\n",
	}
	for name, sql := range refused {
		_, err := checkModel(schema.Postgres, []Chunk{{File: "dump.sql", Line: 1, SQL: sql}})
		if err == nil || !strings.Contains(err.Error(), "psql meta-command") {
			t.Errorf("%s: err = %v, want a psql meta-command refusal", name, err)
		}
	}
	// SQLite has no psql: the lines stay refused.
	if _, err := checkModel(schema.SQLite, []Chunk{{File: "dump.sql", Line: 1, SQL: "\\restrict " + key + "\nCREATE TABLE t (id int);\n\\unrestrict " + key + "\n"}}); err == nil {
		t.Error("SQLite: \\restrict accepted")
	}
}
