package autogen_test

import (
	"context"
	"database/sql"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/migratehq/migrate/autogen"
	"github.com/migratehq/migrate/config"
	"github.com/migratehq/migrate/internal/testdb"
	"github.com/migratehq/migrate/schema"
)

// Model files arrive in pull requests, and CI runs 'migrate check' and
// 'diff' on them: a model statement must not act outside the dev
// database. These tests try, and check that nothing outside changed.

// escape is a model that tries to act outside the dev database.
type escape struct {
	name  string
	model string
	// line refused; static: refused by the model guard before any dev
	// database is opened (else by the dev session's missing rights).
	line   int
	static bool
}

// devRecorder wraps a dev provider and records the sessions it opened.
type devRecorder struct {
	open  func(ctx context.Context) (*autogen.Dev, func(), error)
	roles []string
	calls int
}

func (r *devRecorder) provider(ctx context.Context) (*autogen.Dev, func(), error) {
	r.calls++
	d, cleanup, err := r.open(ctx)
	if d != nil && d.Role != "" {
		r.roles = append(r.roles, d.Role)
	}
	return d, cleanup, err
}

// runEscape autogenerates from the model and checks that it was refused
// at the expected line.
func runEscape(t *testing.T, dialect string, live *sql.DB, dev func(context.Context) (*autogen.Dev, func(), error), e escape) *devRecorder {
	t.Helper()
	path := filepath.Join(t.TempDir(), "schema.sql")
	if err := os.WriteFile(path, []byte(e.model), 0o644); err != nil {
		t.Fatal(err)
	}
	rec := &devRecorder{open: dev}
	_, err := autogen.Generate(context.Background(), autogen.Input{
		Dialect: dialect,
		Live:    live,
		Source:  autogen.SQLFiles{path},
		Dev:     rec.provider,
	})
	var me *autogen.ModelError
	if !errors.As(err, &me) {
		t.Fatalf("the model was not refused: err = %v", err)
	}
	if me.File != path || me.Line != e.line {
		t.Errorf("refused at %s:%d, want schema.sql:%d: %v", me.File, me.Line, e.line, err)
	}
	if e.static && (!me.Rejected || rec.calls != 0) {
		t.Errorf("want a refusal before any dev database is opened (Rejected %v, %d dev sessions): %v", me.Rejected, rec.calls, err)
	}
	t.Logf("%v", err)
	return rec
}

func pgOpen(t *testing.T, raw string) (*sql.DB, config.URL) {
	t.Helper()
	u, err := config.ParseURL(raw, "")
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open(u.Driver, u.DSN)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, u
}

func dbName(t *testing.T, raw string) string {
	t.Helper()
	p, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimPrefix(p.Path, "/")
}

func queryInt(t *testing.T, db *sql.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// pgEscapes are the PostgreSQL attempts; victim is another database of
// the server, role a role name, file a path the server could write.
func pgEscapes(victim, role, file string) []escape {
	return []escape{
		{"drop database", "CREATE TABLE t (id int);\nDROP DATABASE " + victim + ";\n", 2, true},
		{"copy to program", "CREATE TABLE t (id int);\n\nCOPY (SELECT 1) TO PROGRAM 'touch " + file + "';\n", 3, true},
		{"create role", "CREATE ROLE " + role + " SUPERUSER;\n", 1, true},
		{"alter system", "-- settings\nALTER SYSTEM SET work_mem = '77MB';\n", 2, true},
		{"set role", "SET ROLE postgres;\nCREATE TABLE t (id int);\n", 1, true},
		{"set session authorization", "SET SESSION AUTHORIZATION postgres;\n", 1, true},
		{"grant a role", "GRANT pg_execute_server_program TO CURRENT_USER;\n", 1, true},
		{"dblink", "CREATE EXTENSION dblink;\n", 1, true},
		// What the static check cannot see: the dev session's role stops it.
		{"do: create role", "CREATE TABLE t (id int);\nDO $$ BEGIN EXECUTE 'CREATE ROLE ' || '" + role + "'; END $$;\n", 2, false},
		{"do: copy to program", "DO $$\nBEGIN\n  EXECUTE 'COPY (SELECT 1) TO PROGRAM ''touch " + file + "''';\nEND $$;\n", 1, false},
		{"do: set_config role", "DO $$ BEGIN PERFORM set_config('role', 'postgres', false); EXECUTE 'CREATE ROLE " + role + "'; END $$;\n", 1, false},
		{"do: back to the login user", "DO $$ BEGIN EXECUTE 'RESET ROLE'; EXECUTE 'RESET SESSION AUTHORIZATION'; EXECUTE 'CREATE ROLE " + role + "'; END $$;\n", 1, false},
		{"security definer function", "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql SECURITY DEFINER AS $$\nBEGIN EXECUTE 'CREATE ROLE " + role + "'; END $$;\nSELECT f();\n", 3, false},
		{"server file", "CREATE TABLE leak AS SELECT pg_read_file('/etc/hostname') AS x;\n", 1, false},
	}
}

// pgUntouched checks that nothing outside the dev database changed, and
// that the dev sessions' roles and databases are gone.
func pgUntouched(t *testing.T, admin *sql.DB, victim, role, file string, rec *devRecorder) {
	t.Helper()
	if n := queryInt(t, admin, "SELECT count(*) FROM pg_database WHERE datname = $1", victim); n != 1 {
		t.Errorf("database %s was dropped", victim)
	}
	if n := queryInt(t, admin, "SELECT count(*) FROM pg_roles WHERE rolname = $1", role); n != 0 {
		t.Errorf("role %s was created", role)
	}
	if n := queryInt(t, admin, "SELECT count(*) FROM pg_file_settings WHERE name = 'work_mem' AND setting = '77MB'"); n != 0 {
		t.Errorf("ALTER SYSTEM was run")
	}
	if n := queryInt(t, admin, "SELECT count(*) FROM pg_auth_members WHERE roleid = 'pg_execute_server_program'::regrole"); n != 0 {
		t.Errorf("pg_execute_server_program was granted")
	}
	if _, err := os.Stat(file); err == nil {
		t.Errorf("the server ran a program: %s exists", file)
	}
	for _, r := range rec.roles {
		if n := queryInt(t, admin, "SELECT count(*) FROM pg_roles WHERE rolname = $1", r); n != 0 {
			t.Errorf("the sandbox role %s is still there", r)
		}
		suffix := strings.TrimPrefix(r, "migrate_sandbox_")
		if n := queryInt(t, admin, "SELECT count(*) FROM pg_database WHERE datname = $1", "migrate_dev_"+suffix); n != 0 {
			t.Errorf("the throwaway database migrate_dev_%s is still there", suffix)
		}
	}
}

// pgEscapeFixture makes a live database, a victim database, and names
// for a role and a file, undoing whatever an escape did.
func pgEscapeFixture(t *testing.T) (live *sql.DB, u config.URL, admin *sql.DB, victim, role, file string) {
	t.Helper()
	testdb.RequirePostgres(t)
	live, u = pgOpen(t, testdb.Postgres(t))
	admin, _ = pgOpen(t, testdb.AdminURL())
	victimURL := testdb.Postgres(t)
	victim = dbName(t, victimURL)
	vdb, _ := pgOpen(t, victimURL)
	if _, err := vdb.Exec("CREATE TABLE precious (id int); INSERT INTO precious VALUES (1), (2), (3)"); err != nil {
		t.Fatal(err)
	}
	vdb.Close()
	role = testdb.RandomName("migrate_escape_")
	file = filepath.Join(os.TempDir(), testdb.RandomName("migrate_escape_"))
	t.Cleanup(func() {
		// Should an escape succeed (as before the sandbox), undo it.
		admin.Exec("DROP ROLE IF EXISTS " + role)
		if queryInt(t, admin, "SELECT count(*) FROM pg_file_settings WHERE name = 'work_mem' AND setting = '77MB'") > 0 {
			admin.Exec("ALTER SYSTEM RESET work_mem")
			admin.Exec("SELECT pg_reload_conf()")
		}
		admin.Exec("REVOKE pg_execute_server_program FROM CURRENT_USER")
		os.Remove(file)
	})
	return live, u, admin, victim, role, file
}

func TestModelEscapePostgres(t *testing.T) {
	live, u, admin, victim, role, file := pgEscapeFixture(t)
	for _, e := range pgEscapes(victim, role, file) {
		t.Run(e.name, func(t *testing.T) {
			rec := runEscape(t, schema.Postgres, live, autogen.DevProvider(u, live, "", "", "set dev_url"), e)
			pgUntouched(t, admin, victim, role, file, rec)
		})
	}
}

// TestModelEscapePostgresDevURL: the same with a user-given dev_url,
// which must stay empty.
func TestModelEscapePostgresDevURL(t *testing.T) {
	live, u, admin, victim, role, file := pgEscapeFixture(t)
	devURL := testdb.Postgres(t)
	devDB, _ := pgOpen(t, devURL)
	for _, e := range pgEscapes(victim, role, file) {
		t.Run(e.name, func(t *testing.T) {
			rec := runEscape(t, schema.Postgres, live, autogen.DevProvider(u, live, devURL, "", "set dev_url"), e)
			pgUntouched(t, admin, victim, role, file, rec)
			if n := queryInt(t, devDB, "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'"); n != 0 {
				t.Errorf("the dev_url database keeps %d relations", n)
			}
		})
	}
}

// TestSandboxPostgresSession runs escapes on the dev session directly,
// past the model guard: the session's role alone must refuse them.
func TestSandboxPostgresSession(t *testing.T) {
	live, u, admin, victim, role, file := pgEscapeFixture(t)
	for _, devURL := range []string{"", testdb.Postgres(t)} {
		t.Run(map[bool]string{true: "throwaway", false: "dev_url"}[devURL == ""], func(t *testing.T) {
			ctx := context.Background()
			rec := &devRecorder{open: autogen.DevProvider(u, live, devURL, "", "set dev_url")}
			dev, cleanup, err := rec.provider(ctx)
			if cleanup != nil {
				defer func() {
					cleanup()
					pgUntouched(t, admin, victim, role, file, rec)
				}()
			}
			if err != nil {
				t.Fatal(err)
			}
			var cur, sess string
			if err := dev.Conn.QueryRowContext(ctx, "SELECT current_user, session_user").Scan(&cur, &sess); err != nil || cur != dev.Role || sess != dev.Role {
				t.Fatalf("dev session is %s/%s (%v), want the sandbox role %q", cur, sess, err, dev.Role)
			}
			for _, q := range []string{
				"DROP DATABASE " + victim,
				"ALTER DATABASE " + victim + " RENAME TO " + victim + "_x",
				"CREATE DATABASE " + role,
				"CREATE ROLE " + role,
				"ALTER SYSTEM SET work_mem = '77MB'",
				"COPY (SELECT 1) TO PROGRAM 'touch " + file + "'",
				"SET ROLE postgres",
				"SET SESSION AUTHORIZATION postgres",
				"SELECT set_config('role', 'postgres', false)",
				"SELECT set_config('session_authorization', 'postgres', false)",
				"GRANT pg_execute_server_program TO CURRENT_USER",
				"SELECT pg_read_file('/etc/hostname')",
				"SELECT lo_import('/etc/hostname')",
				"CREATE EXTENSION dblink",
				"CREATE EXTENSION file_fdw",
				"LOAD 'auto_explain'",
			} {
				if _, err := dev.Conn.ExecContext(ctx, q); err == nil {
					t.Errorf("the dev session ran %q", q)
				}
			}
		})
	}
}

// TestSandboxPostgresModels: what a model may do still works under the
// sandbox — trusted extensions, an untrusted one on the short list at the
// top, ownership statements (skipped), grants on its objects.
func TestSandboxPostgresModels(t *testing.T) {
	testdb.RequirePostgres(t)
	live, u := pgOpen(t, testdb.Postgres(t))
	admin, _ := pgOpen(t, testdb.AdminURL())
	model := `CREATE SCHEMA app;
SET search_path = app, public;
CREATE EXTENSION IF NOT EXISTS cube WITH SCHEMA public;
CREATE EXTENSION IF NOT EXISTS earthdistance WITH SCHEMA public;
COMMENT ON EXTENSION earthdistance IS 'distances';
CREATE EXTENSION citext;
CREATE TABLE place (id int PRIMARY KEY, name citext, at public.earth);
ALTER TABLE place OWNER TO postgres;
ALTER FUNCTION public.ll_to_earth(float8, float8) OWNER TO "postgres";
GRANT SELECT ON place TO PUBLIC;
SELECT pg_catalog.set_config('search_path', '', false);
`
	for _, devURL := range []string{"", testdb.Postgres(t)} {
		t.Run(map[bool]string{true: "throwaway", false: "dev_url"}[devURL == ""], func(t *testing.T) {
			m := model
			if devURL != "" {
				// Untrusted extensions are not created there: the dev_url's
				// owner installs them beforehand.
				d, _ := pgOpen(t, devURL)
				if _, err := d.Exec("CREATE EXTENSION cube; CREATE EXTENSION earthdistance"); err != nil {
					t.Fatal(err)
				}
				m = strings.Replace(m, "COMMENT ON EXTENSION earthdistance IS 'distances';\n", "", 1)
			}
			path := filepath.Join(t.TempDir(), "schema.sql")
			os.WriteFile(path, []byte(m), 0o644)
			rec := &devRecorder{open: autogen.DevProvider(u, live, devURL, "", "set dev_url")}
			out, err := autogen.Generate(context.Background(), autogen.Input{Dialect: schema.Postgres, Live: live, Source: autogen.SQLFiles{path}, Dev: rec.provider})
			if err != nil {
				t.Fatal(err)
			}
			if out.Target.Table("app", "place") == nil {
				t.Fatalf("model read back without app.place: %+v", out.Target.Tables)
			}
			for _, r := range rec.roles {
				if n := queryInt(t, admin, "SELECT count(*) FROM pg_roles WHERE rolname = $1", r); n != 0 {
					t.Errorf("the sandbox role %s is still there", r)
				}
			}
		})
	}
	t.Run("untrusted extension after a table", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "schema.sql")
		os.WriteFile(path, []byte("CREATE EXTENSION cube;\nCREATE TABLE t (id int);\nCREATE EXTENSION earthdistance;\n"), 0o644)
		_, err := autogen.Generate(context.Background(), autogen.Input{Dialect: schema.Postgres, Live: live, Source: autogen.SQLFiles{path},
			Dev: autogen.DevProvider(u, live, "", "", "set dev_url")})
		var me *autogen.ModelError
		if !errors.As(err, &me) || me.Line != 3 || !strings.Contains(err.Error(), "move it to the top") {
			t.Fatalf("err = %v, want schema.sql:3 asking to move the extension to the top", err)
		}
	})
}

// sqliteEscapes are the SQLite attempts: live is the application's
// database file, dir a folder for files that must not appear.
func sqliteEscapes(live, dir string) []escape {
	return []escape{
		{"attach live and delete", "CREATE TABLE t (id int);\nATTACH '" + live + "' AS prod;\nDELETE FROM prod.precious;\n", 2, true},
		{"attach creates a file", "ATTACH DATABASE '" + filepath.Join(dir, "new.db") + "' AS x;\nCREATE TABLE x.t (id int);\n", 1, true},
		{"vacuum into", "CREATE TABLE t (id int);\n\nVACUUM INTO '" + filepath.Join(dir, "copy.db") + "';\n", 3, true},
		{"load_extension", "SELECT load_extension('" + filepath.Join(dir, "evil.so") + "');\n", 1, true},
		{"load_extension in a trigger", "CREATE TABLE t (id int);\nCREATE TRIGGER tr AFTER INSERT ON t BEGIN\n  SELECT load_extension('x');\nEND;\nINSERT INTO t VALUES (1);\n", 2, true},
		{"journal_mode", "PRAGMA journal_mode = WAL;\nCREATE TABLE t (id int);\n", 1, true},
		{"commit", "CREATE TABLE t (id int);\nCOMMIT;\n", 2, true},
	}
}

func sqliteLive(t *testing.T) (db *sql.DB, path, dir string) {
	t.Helper()
	dir = t.TempDir()
	path = filepath.Join(dir, "app.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec("CREATE TABLE precious (id int); INSERT INTO precious VALUES (1), (2), (3)"); err != nil {
		t.Fatal(err)
	}
	return db, path, dir
}

// sqliteUntouched: the live rows are there, and no file appeared.
func sqliteUntouched(t *testing.T, live *sql.DB, dir string, want ...string) {
	t.Helper()
	if n := queryInt(t, live, "SELECT count(*) FROM precious"); n != 3 {
		t.Errorf("the live database keeps %d rows of 3", n)
	}
	got, _ := filepath.Glob(filepath.Join(dir, "*"))
	for i := range got {
		got[i] = filepath.Base(got[i])
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("files: %v, want %v", got, want)
	}
}

func TestModelEscapeSQLite(t *testing.T) {
	live, path, dir := sqliteLive(t)
	u, _ := config.ParseURL("sqlite:///"+path, "/")
	for _, e := range sqliteEscapes(path, dir) {
		t.Run(e.name, func(t *testing.T) {
			runEscape(t, schema.SQLite, live, autogen.DevProvider(u, live, "", "", "set dev_url"), e)
			sqliteUntouched(t, live, dir, "app.db")
		})
	}
}

// TestModelEscapeSQLiteDevURL: the same with a user-given dev_url, which
// stays empty.
func TestModelEscapeSQLiteDevURL(t *testing.T) {
	live, path, dir := sqliteLive(t)
	u, _ := config.ParseURL("sqlite:///"+path, "/")
	devPath := filepath.Join(dir, "dev.db")
	dev, err := sql.Open("sqlite", devPath)
	if err != nil {
		t.Fatal(err)
	}
	defer dev.Close()
	if _, err := dev.Exec("PRAGMA user_version = 1"); err != nil { // creates the file
		t.Fatal(err)
	}
	for _, e := range sqliteEscapes(path, dir) {
		t.Run(e.name, func(t *testing.T) {
			runEscape(t, schema.SQLite, live, autogen.DevProvider(u, live, "sqlite:///dev.db", dir, "set dev_url"), e)
			sqliteUntouched(t, live, dir, "app.db", "dev.db")
			if n := queryInt(t, dev, "SELECT count(*) FROM sqlite_schema"); n != 0 {
				t.Errorf("dev.db keeps %d objects", n)
			}
		})
	}
}

// TestSandboxSQLiteSession runs escapes on the dev session directly, past
// the model guard: the engine's limits alone must refuse them.
func TestSandboxSQLiteSession(t *testing.T) {
	live, path, dir := sqliteLive(t)
	u, _ := config.ParseURL("sqlite:///"+path, "/")
	devPath := filepath.Join(dir, "dev.db")
	if err := os.WriteFile(devPath, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, devURL := range []string{"", "sqlite:///dev.db"} {
		t.Run(map[bool]string{true: "memory", false: "dev_url"}[devURL == ""], func(t *testing.T) {
			ctx := context.Background()
			dev, cleanup, err := autogen.DevProvider(u, live, devURL, dir, "set dev_url")(ctx)
			if cleanup != nil {
				defer cleanup()
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, q := range []string{
				"ATTACH '" + path + "' AS prod",
				"ATTACH '" + filepath.Join(dir, "new.db") + "' AS x",
				"VACUUM INTO '" + filepath.Join(dir, "copy.db") + "'",
				"SELECT load_extension('" + filepath.Join(dir, "evil.so") + "')",
				"PRAGMA journal_mode = WAL",
				"PRAGMA writable_schema = ON",
				"PRAGMA temp_store_directory = '" + dir + "'",
			} {
				if _, err := dev.Conn.ExecContext(ctx, q); err == nil {
					t.Errorf("the dev session ran %q", q)
				}
			}
			var ws int
			if err := dev.Conn.QueryRowContext(ctx, "SELECT count(*) FROM pragma_database_list").Scan(&ws); err == nil && ws != 1 {
				t.Errorf("%d databases attached", ws)
			}
			sqliteUntouched(t, live, dir, "app.db", "dev.db")
		})
	}
}

// TestDevURLDialect: a dev_url of the other dialect is refused before
// anything is opened — no SQLite file is created.
func TestDevURLDialect(t *testing.T) {
	dir := t.TempDir()
	pg, _ := config.ParseURL("postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable", "")
	lite, _ := config.ParseURL("sqlite:///app.db", dir)
	for _, tc := range []struct {
		u      config.URL
		devURL string
		want   string
	}{
		{pg, "sqlite:///dev.db", "is a sqlite URL, but the database is postgres"},
		{lite, "postgres://postgres@127.0.0.1:5432/postgres", "is a postgres URL, but the database is sqlite"},
		{lite, "sqlite:///missing.db", "does not exist"},
	} {
		_, cleanup, err := autogen.DevProvider(tc.u, nil, tc.devURL, dir, "set dev_url")(context.Background())
		if cleanup != nil {
			cleanup()
		}
		var de *autogen.DevURLError
		if !errors.As(err, &de) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s for %s: err = %v, want a DevURLError saying %q", tc.devURL, tc.u.Dialect, err, tc.want)
		}
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "*")); len(files) != 0 {
		t.Errorf("files created: %v", files)
	}
}

// TestModelText: a NUL byte or invalid UTF-8 in a model file is refused
// at its line, before anything runs (neither skipped nor cut short).
func TestModelText(t *testing.T) {
	live, path, _ := sqliteLive(t)
	u, _ := config.ParseURL("sqlite:///"+path, "/")
	dialects := []struct {
		dialect string
		live    *sql.DB
		dev     func(context.Context) (*autogen.Dev, func(), error)
	}{{schema.SQLite, live, autogen.DevProvider(u, live, "", "", "set dev_url")}}
	if testdb.Reachable() == nil {
		pg, pu := pgOpen(t, testdb.Postgres(t))
		dialects = append(dialects, struct {
			dialect string
			live    *sql.DB
			dev     func(context.Context) (*autogen.Dev, func(), error)
		}{schema.Postgres, pg, autogen.DevProvider(pu, pg, "", "", "set dev_url")})
	}
	for _, d := range dialects {
		for _, e := range []escape{
			{"nul", "CREATE TABLE a (id int);\nCREATE TABLE b (id int);\x00\nCREATE TABLE c (id int);\n", 2, true},
			{"latin-1", "CREATE TABLE a (id int);\n-- caf\xe9\nCREATE TABLE b (id int);\n", 2, true},
		} {
			t.Run(d.dialect+"/"+e.name, func(t *testing.T) {
				runEscape(t, d.dialect, d.live, d.dev, e)
			})
		}
	}
}
