package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseURL(t *testing.T) {
	base := "/proj"
	tests := []struct {
		in      string
		dialect Dialect
		path    string
		dsnHas  string
		err     string
	}{
		{in: "postgres://u:secret@localhost:5432/app?sslmode=disable", dialect: Postgres, dsnHas: "postgres://u:secret@localhost:5432/app"},
		{in: "postgresql://u@h/app", dialect: Postgres, dsnHas: "postgres://u@h/app"},
		{in: "postgresql+psycopg2://u@h/app", dialect: Postgres, dsnHas: "postgres://u@h/app"},
		{in: "sqlite:///app.db", dialect: SQLite, path: "/proj/app.db"},
		{in: "sqlite:///data/app.db", dialect: SQLite, path: "/proj/data/app.db"},
		{in: "sqlite:////abs/app.db", dialect: SQLite, path: "/abs/app.db"},
		{in: "sqlite://:memory:", dialect: SQLite, path: ":memory:"},
		{in: "sqlite:rel.db", dialect: SQLite, path: "/proj/rel.db"},
		{in: "sqlite:///app.db?_pragma=foreign_keys(0)", dialect: SQLite, path: "/proj/app.db", dsnHas: "foreign_keys%280%29"},
		{in: "", err: "empty"},
		{in: "mysql://u@h/db", err: `unsupported scheme "mysql"`},
		{in: "nonsense", err: "missing scheme"},
		{in: "postgres://u:hunter2@h:port/db", err: "invalid port"},
		{in: "postgres:///db", err: "missing host"},
		{in: "sqlite://", err: "expected sqlite:///"},
		{in: "sqlite:///", err: "missing file name"},
		// What only pgx would have rejected, found before connecting.
		{in: "postgres://u:hunter2@h:99999/db", err: "invalid port 99999: expected a number from 1 to 65535"},
		{in: "postgres://u:hunter2@h:0/db", err: "invalid port 0"},
		{in: "postgres://u:hunter2@h/db?sslmode=bogus", err: "sslmode is invalid"},
		{in: "postgres://u:hunter2@h/db?connect_timeout=abc", err: "invalid connect_timeout"},
		// Passwords that need percent-encoding: refused, never echoed.
		{in: "postgres://u:hun/ter2@h/db", err: "'/' as %2F"},
		{in: "postgres://u:hun#ter2@h/db", err: "holds '#'"},
		{in: "postgres://u:hun?ter2@h/db", err: "malformed query"},
		{in: "postgres://u:hunter2/x?y=1@h/db", err: "'/' as %2F"},
		{in: "postgres://u:12/hunter2@h/db", err: "'@' after the host"},
		{in: "postgres://u:hunter2%zz@h/db", err: "does not start a %XX escape"},
		{in: "postgres://u:hun ter2@h/db", err: "holds a space"},
		{in: "postgres://u:hun[ter2@h/db", err: "must be percent-encoded"},
		{in: "postgres://u:hunter2@h/\ndb", err: "control character"},
		{in: "host=h user=u password=hunter2", err: "key=value connection string is not accepted"},
		{in: "host=h password=a:hunter2", err: "missing scheme"},
		{in: "postgres://u:hun%2Fter2@h:5432/db?sslmode=disable", dialect: Postgres, dsnHas: "hun%2Fter2@h:5432"},
		{in: "postgres://u@h/db?user=a@b&application_name=x", dialect: Postgres},
		// Parameters only pgx.ParseConfig reads: refused, not "cannot connect".
		{in: "postgres://u:hunter2@h/db?statement_cache_capacity=abc", err: "cannot parse statement_cache_capacity"},
		{in: "postgres://u:hunter2@h/db?default_query_exec_mode=bogus", err: "invalid default_query_exec_mode"},
		{in: "postgres://u@h/db?pass%77ord=hunter2&statement_cache_capacity=abc", err: "statement_cache_capacity"},
		// An unencoded '@' in the user information: libpq splits at the
		// first, net/url at the last; refused.
		{in: "postgres://postgres:hunter2@x@127.0.0.1:5432/db", err: "percent-encode '@' in a user or password as %40"},
		{in: "postgres://a@b:hunter2@h/db", err: "more than one '@'"},
		{in: "postgres://postgres:hunter2%40x@127.0.0.1:5432/db", dialect: Postgres, dsnHas: "hunter2%40x@127.0.0.1"},
		// Mistyped schemes and a missing '@': the password is masked.
		{in: "postgres:/postgres:hunter2@h/db", err: "expected postgres://"},
		{in: "postgres:postgres:hunter2@h/db", err: "expected postgres://"},
		{in: "postgres//postgres:hunter2@h/db", err: "missing scheme"},
		{in: "postgres://postgres:hunter2", err: "invalid port"},
		{in: "postgres://postgres:hunter2/db", err: "invalid port"},
		{in: "postgres://postgres:hunter2%40h/db", err: "invalid port"},
		// No path: the '/' added keeps pgx from reading "h:5432?user=a" as
		// user information.
		{in: "postgres://h:5432?user=a@b", dialect: Postgres, dsnHas: "postgres://h:5432/?user=a@b"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			u, err := ParseURL(tt.in, base)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("ParseURL(%q) error = %v, want it to contain %q", tt.in, err, tt.err)
				}
				if strings.Contains(err.Error(), "hunter2") {
					t.Fatalf("error leaks the password: %v", err)
				}
				var ue *URLError
				if !errors.As(err, &ue) {
					t.Fatalf("error %T is not a *URLError", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseURL(%q): %v", tt.in, err)
			}
			if u.Dialect != tt.dialect {
				t.Errorf("dialect = %s, want %s", u.Dialect, tt.dialect)
			}
			if tt.path != "" && u.Path != filepath.FromSlash(tt.path) {
				t.Errorf("path = %s, want %s", u.Path, tt.path)
			}
			if tt.dsnHas != "" && !strings.Contains(u.DSN, tt.dsnHas) {
				t.Errorf("DSN %q does not contain %q", u.DSN, tt.dsnHas)
			}
		})
	}
}

// FuzzParseURL: ParseURL never panics, fails only with a *URLError, and
// neither its error nor the URL's String shows a password written into
// a URL in any of the usual places, well-formed or not.
func FuzzParseURL(f *testing.F) {
	for _, s := range []string{"pw", "pa/ss", "pa#ss", "pa?ss", "p@ss", "a:b", "12/34", "a b", "%zz", "@h:99999/x?sslmode=bogus&y=", "\n"} {
		f.Add(s)
	}
	forms := []string{
		"postgres://user:%s@h:5432/db?sslmode=disable",
		"postgresql+psycopg2://user:%s@h/db",
		"postgres://h:1/db?password=%s",
		"postgres://h/db?sslpassword=%s&connect_timeout=abc",
		"host=h password=%s",
		"sqlite:///app.db?_auth_pass=x&password=%s",
		"postgres://h/db?sslmode=disable&pass%77ord=%s",
		"postgres://h/db?%70assword=%s&statement_cache_capacity=abc",
		"postgres:/user:%s@h/db",
		"postgres:user:%s@h/db",
		"postgres//user:%s@h/db",
		"postgres://user:%s@x@h/db",
	}
	f.Fuzz(func(t *testing.T, s string) {
		if _, err := ParseURL(s, "/proj"); err != nil {
			var ue *URLError
			if !errors.As(err, &ue) {
				t.Fatalf("ParseURL(%q): %T %v", s, err, err)
			}
		}
		secret := "S3cr" + s + "9Kq"
		if strings.ContainsAny(secret, "\n") || hasParam(secret) {
			return
		}
		for _, fm := range forms {
			if strings.HasPrefix(fm, "host=") && strings.ContainsAny(secret, " \t\r'\"") {
				continue
			}
			raw := strings.Replace(fm, "%s", secret, 1)
			u, err := ParseURL(raw, "/proj")
			out := u.String()
			if err != nil {
				out = err.Error()
			}
			if strings.Contains(out, "S3cr") || strings.Contains(out, "9Kq") {
				t.Fatalf("the password survives:\n in  %q\n out %q", raw, out)
			}
		}
	})
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://u:secret@h:5432/db":           "postgres://u:xxxxx@h:5432/db",
		"postgres://u@h/db":                       "postgres://u@h/db",
		"postgres://u:p%40ss@h/db?sslmode=x":      "postgres://u:xxxxx@h/db?sslmode=x",
		"postgres://h/db?password=secret&user=u":  "postgres://h/db?password=xxxxx&user=u",
		"sqlite:///app.db":                        "sqlite:///app.db",
		"cannot connect to postgres://a:b@c/d: x": "cannot connect to postgres://a:xxxxx@c/d: x",
		// Unescaped '/', '#', '?', '@' and ':' in the password: everything
		// up to the last '@' of the URL.
		"postgres://u:pa/ss@h/db":              "postgres://u:xxxxx@h/db",
		"postgres://u:pa#ss@h/db":              "postgres://u:xxxxx@h/db",
		"postgres://u:pa?ss@h/db":              "postgres://u:xxxxx@h/db",
		"postgres://u:p@ss@h/db":               "postgres://u:xxxxx@h/db",
		"postgres://u:12/34@h/db":              "postgres://u:xxxxx@h/db",
		"postgres://u:a:b/c?d#e@h:5432/db?x=1": "postgres://u:xxxxx@h:5432/db?x=1",
		"postgres://u:p ss@h/db":               "postgres://u:xxxxx@h/db",
		"postgresql+psycopg2://u:pw@h/db":      "postgresql+psycopg2://u:xxxxx@h/db",
		// An '@' in the query cannot be told from one ending a password
		// that holds "/db?user=a": everything up to it is hidden.
		"postgres://h/db?user=a@b":                "postgres://h/db?user=a@b",
		"postgres://h:5432/db?user=a@b":           "postgres://h:xxxxx@b",
		"postgres://u:pw@h:5432/db?user=a@b":      "postgres://u:xxxxx@b",
		"postgres://h/db?sslpassword=k3y&x=1":     "postgres://h/db?sslpassword=xxxxx&x=1",
		"postgres://h/db?password=a&b&sslmode=no": "postgres://h/db?password=xxxxx&sslmode=no",
		"postgres://h/db?PASSWORD=a#b":            "postgres://h/db?PASSWORD=xxxxx",
		// libpq key=value strings, quoted values with spaces too.
		"host=h password=s3cret dbname=d":               "host=h password=xxxxx dbname=d",
		"host=h password = 's3 cr\\'et' dbname=d":       "host=h password = xxxxx dbname=d",
		"host=h sslpassword=k3y":                        "host=h sslpassword=xxxxx",
		"PGPASSWORD=s3cret migrate":                     "PGPASSWORD=xxxxx migrate",
		"password authentication failed for user \"u\"": "password authentication failed for user \"u\"",
		"password_encryption=scram":                     "password_encryption=scram",
		// Messages quoting a redacted URL keep their punctuation.
		`database URL "postgres://h/db?password=xxxxx": bad`: `database URL "postgres://h/db?password=xxxxx": bad`,
		`cannot parse ` + "`host=h password=xxxxx`" + `: x`:  `cannot parse ` + "`host=h password=xxxxx`" + `: x`,
		// In a message, a URL's word ends at a space: what follows is not
		// its password.
		`cannot connect to postgres://u:xxxxx@h/db: failed for user "a@b"`: `cannot connect to postgres://u:xxxxx@h/db: failed for user "a@b"`,
		`cannot connect to postgres://h:5432/db: failed for user "a@b"`:    `cannot connect to postgres://h:5432/db: failed for user "a@b"`,
		`parse "postgres://u:a b@h/db": net/url: invalid userinfo`:         `parse "postgres://u:xxxxx@h/db": net/url: invalid userinfo`,
		"two: postgres://a:b@h/x and postgres://c:d@h/y":                   "two: postgres://a:xxxxx@h/x and postgres://c:xxxxx@h/y",
		// Percent-encoded password keys, which pgx decodes.
		"postgres://u@h:5432/db?sslmode=disable&pass%77ord=S3cr3t": "postgres://u@h:5432/db?sslmode=disable&pass%77ord=xxxxx",
		"postgres://h/db?%70assword=S3cr3t&x=1":                    "postgres://h/db?%70assword=xxxxx&x=1",
		"postgres://h/db?sslpass%77ord=S3cr3t":                     "postgres://h/db?sslpass%77ord=xxxxx",
		"postgres://h/db?%70%61%73%73%77%6F%72%64=S3cr3t":          "postgres://h/db?%70%61%73%73%77%6F%72%64=xxxxx",
		"postgres://h/db?Pass%57ord=S3cr3t":                        "postgres://h/db?Pass%57ord=xxxxx",
		"postgres://h/db?pass%zzord=x":                             "postgres://h/db?pass%zzord=x",
		// libpq: a backslash escapes a space in a bare value.
		`host=h password=S3cr\ 3t dbname=d`: "host=h password=xxxxx dbname=d",
		// A mistyped scheme: from the first ':' to the last '@'.
		"postgres:/postgres:S3cr3t@h/db":                        "postgres:xxxxx@h/db",
		"postgres:postgres:S3cr3t@h/db":                         "postgres:xxxxx@h/db",
		"postgres//postgres:S3cr3t@h/db":                        "postgres//postgres:xxxxx@h/db",
		"postgres:/u:S3 cr3t@h/db":                              "postgres:xxxxx@h/db",
		`database URL "postgres:/u:S3cr3t@h/db": expected x`:    `database URL "postgres:xxxxx@h/db": expected x`,
		"migrate.toml:4: url: database URL \"postgres:u:pw@h\"": "migrate.toml:4: url: database URL \"postgres:xxxxx@h\"",
		// No '@': a port that is not a number is masked.
		"postgres://postgres:S3cr3t":                       "postgres://postgres:xxxxx",
		"postgres://postgres:S3cr3t/db":                    "postgres://postgres:xxxxx/db",
		"postgres://postgres:S3cr3t%40h/db":                "postgres://postgres:xxxxx/db",
		"postgres://h1:5432,u:S3cr3t/db":                   "postgres://h1:5432,u:xxxxx/db",
		"postgres:/postgres:S3cr3t/db":                     "postgres:/postgres:xxxxx/db",
		`database URL "postgres://u:S3cr3t": invalid port`: `database URL "postgres://u:xxxxx": invalid port`,
		"postgres://h1:5432,h2:5433/db":                    "postgres://h1:5432,h2:5433/db",
		"postgres://[::1]:5432/db":                         "postgres://[::1]:5432/db",
		"cannot connect to postgres://h:5432: failed":      "cannot connect to postgres://h:5432: failed",
		"Error: at 12:30 user@host":                        "Error: at 12:30 user@host",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q)\n got %q\nwant %q", in, got, want)
		}
	}
}

// redactForms are the ways a password reaches a message: %s marks it.
// Each says which characters the password may hold for Redact to hide it
// whole (a form's own delimiters cannot be told from the password).
var redactForms = []struct {
	form    string
	anyChar bool   // any character but a newline
	not     string // else: characters the password must not hold
	quoted  bool   // the password is written '…' with \' and \\ escaped
	query   bool   // in a URL query, where "&key=" starts the next parameter
	noSub   string // the password must not hold this (if set)
}{
	{form: "postgres://user:%s@db.example.com:5432/app?sslmode=disable", anyChar: true},
	{form: "postgresql://user:%s@db.example.com/app", anyChar: true},
	{form: "postgres://user:%s@[::1]:5432/app?application_name=a@b", anyChar: true},
	{form: "cannot connect to postgres://user:%s@h:5432/app: failed to connect to `user=u@x database=app`", not: " \t\r"},
	{form: `database URL "postgres://user:%s@h/app": invalid port`, not: " \t\r"},
	{form: "postgres://h/app?sslmode=disable&password=%s&application_name=x", not: " \t\r&", query: true},
	{form: "postgres://h/app?sslpassword=%s", not: " \t\r", query: true},
	{form: "host=h port=5432 password=%s dbname=app", not: " \t\r'\""},
	{form: "host=h sslpassword=%s", not: " \t\r'\""},
	{form: "cannot parse `host=h user=u password='%s' dbname=app`: x", anyChar: true, quoted: true},
	{form: "host=h password = '%s'", anyChar: true, quoted: true},
	// Percent-encoded password keys.
	{form: "postgres://h/app?sslmode=disable&pass%77ord=%s&application_name=x", not: " \t\r&", query: true},
	{form: "postgres://h/app?%70assword=%s", not: " \t\r", query: true},
	{form: "postgres://h/app?SSLPASS%57ORD=%s", not: " \t\r", query: true},
	{form: "host=h pass%77ord=%s dbname=app", not: " \t\r'\""},
	// Mistyped schemes (no "://"): from the first ':' to the last '@'.
	{form: "postgres:/user:%s@h:5432/app", anyChar: true},
	{form: "postgres:user:%s@h/app?sslmode=disable", anyChar: true},
	{form: "postgres//user:%s@h/app", anyChar: true},
	{form: `database URL "postgres:/user:%s@h/app": expected postgres://user@host:port/dbname`, not: " \t\r", noSub: "://"},
	// No '@': what follows the authority's ':' is not a port number.
	{form: "postgres://user:%s", not: "/?#@"},
	{form: "postgres://user:%s/app?sslmode=disable", not: "/?#@"},
	{form: "postgresql://h1:5432,user:%s/app", not: "/?#@"},
	{form: "postgres:/user:%s/app", not: "/?#@"},
	{form: `database URL "postgres://user:%s": invalid port`, not: " \t\r/?#@\"'`"},
}

// FuzzRedact: for every form, a password framed by markers never
// survives Redact, in part (either marker) or whole. Redact never panics
// on any text.
func FuzzRedact(f *testing.F) {
	for _, s := range []string{"s3cret", "pa/ss", "pa#ss", "pa?ss", "p@ss", "a:b", "12/34", "with space", "it's", `back\slash`, "&x=1", "xxxxx", "://", "%2F%zz", "@@@", "password=x", "a,b:c", "x: y", `a\ b`, "[::1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_ = Redact(s)
		secret := "S3cr" + s + "9Kq"
		for _, fm := range redactForms {
			if strings.ContainsAny(secret, "\n") || !fm.anyChar && strings.ContainsAny(secret, fm.not) {
				continue
			}
			if fm.noSub != "" && strings.Contains(secret, fm.noSub) {
				continue
			}
			if fm.query && hasParam(secret) {
				continue // in a URL query, "&key=" starts the next parameter
			}
			w := secret
			if fm.quoted {
				w = strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(secret)
			}
			text := strings.Replace(fm.form, "%s", w, 1)
			got := Redact(text)
			if strings.Contains(got, "S3cr") || strings.Contains(got, "9Kq") {
				t.Fatalf("form %q: the password survives:\n in  %q\n out %q", fm.form, text, got)
			}
		}
	})
}

func TestExpand(t *testing.T) {
	t.Setenv("MIGRATE_T_SET", "val")
	t.Setenv("MIGRATE_T_EMPTY", "")
	for in, want := range map[string]string{
		"plain":                              "plain",
		"${MIGRATE_T_SET}":                   "val",
		"a-${MIGRATE_T_SET}-b":               "a-val-b",
		"${MIGRATE_T_UNSET:-def}":            "def",
		"${MIGRATE_T_EMPTY:-def}":            "def",
		"${MIGRATE_T_EMPTY}":                 "",
		"cost $$5 and $PATH":                 "cost $5 and $PATH",
		"${MIGRATE_T_UNSET:-sqlite:///x.db}": "sqlite:///x.db",
	} {
		got, err := Expand(in)
		if err != nil || got != want {
			t.Errorf("Expand(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	_, err := Expand("${MIGRATE_T_UNSET}")
	var ue *UnsetError
	if !errors.As(err, &ue) || ue.Var != "MIGRATE_T_UNSET" {
		t.Errorf("unset variable: err = %v", err)
	}
	if _, err := Expand("${1BAD}"); err == nil {
		t.Error("bad variable name accepted")
	}
	if _, err := Expand("${OPEN"); err == nil {
		t.Error("unterminated ${ accepted")
	}
}

const sample = `versions = ["versions", "more"]
file_template = "{rev}_{slug}"
transaction = "revision"
lock_timeout = "30s"
default_env = "production"

[models]
sql = "schema.sql"

[env.development]
url = "sqlite:///dev.db"

[env.production]
url = "${MIGRATE_T_DB}"
dev_url = "${MIGRATE_T_DEV}"
`

func TestParse(t *testing.T) {
	c, err := Parse("migrate.toml", "/proj", []byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(c.Versions, ","); got != "/proj/versions,/proj/more" {
		t.Errorf("versions = %s", got)
	}
	if c.Transaction != "revision" || c.LockTimeout.String() != "30s" || c.FileTemplate != "{rev}_{slug}" {
		t.Errorf("settings = %+v", c)
	}
	if len(c.Models.SQL) != 1 || c.Models.SQL[0] != "/proj/schema.sql" {
		t.Errorf("models.sql = %v", c.Models.SQL)
	}
	// The default environment's variable is unset: a clear error naming it.
	_, err = c.Environment("")
	if err == nil || !strings.Contains(err.Error(), "MIGRATE_T_DB is not set") || !strings.Contains(err.Error(), "migrate.toml:14") {
		t.Errorf("unset variable error = %v", err)
	}
	t.Setenv("MIGRATE_T_DB", "postgres://u:pw@h/db")
	e, err := c.Environment("")
	if err != nil || e.URL != "postgres://u:pw@h/db" || e.DevURL != "" {
		t.Errorf("production = %+v, %v", e, err)
	}
	t.Setenv("MIGRATE_ENV", "development")
	if e, err := c.Environment(""); err != nil || e.Name != "development" {
		t.Errorf("MIGRATE_ENV: %+v %v", e, err)
	}
	if _, err := c.Environment("staging"); err == nil || !strings.Contains(err.Error(), "defined: development, production") {
		t.Errorf("unknown env error = %v", err)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ text, want string }{
		{"versions = \"v\"\ncolour = 1\n", `migrate.toml:2: unknown key "colour"`},
		{"[env.dev]\nurl = \"x\"\nuser = \"y\"\n", `migrate.toml:3: unknown key "env.dev.user"`},
		{"[models]\nsq = []\n", `migrate.toml:2: unknown key "models.sq"`},
		{"transaction = \"some\"\n", `migrate.toml:1: transaction "some": expected all, revision or none`},
		{"lock_timeout = \"soon\"\n", `migrate.toml:1: lock_timeout "soon"`},
		{"default_env = \"prod\"\n[env.dev]\nurl=\"x\"\n", `default_env "prod" has no [env.prod] section; defined: dev`},
		{"versions = [1]\n", "migrate.toml"},
		{"versions = \n", "migrate.toml:1:"},
		{"versions = \"v\"\n[env.dev\nurl = \"x\"\n", "migrate.toml:2: expected '.' or ']' to end table name"},
		{"versions = \"v\"\n[env\n", "migrate.toml:2: expected '.' or ']' to end table name"},
		{"versions = \"v\"\ntransaction = all\n", "migrate.toml:2: expected value"},
		{"versions = \"v\"\nurl = \"open\n", "migrate.toml:2: strings cannot contain newlines"},
		{"[models]\nsql = [\"s.sql\"]\nexclude = [\"address.[street\"]\n", `migrate.toml:3: [models] exclude: bad pattern "address.[street": syntax error in pattern`},
		{"[models]\ninclude = [\"*\", \"\"]\n", `migrate.toml:2: [models] include: an empty pattern matches nothing`},
	}
	for _, tt := range tests {
		_, err := Parse("migrate.toml", "/proj", []byte(tt.text))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%q) error = %v, want %q", tt.text, err, tt.want)
		}
	}
}

func TestDatabaseURLErrorNamesLine(t *testing.T) {
	c, err := Parse("migrate.toml", "/proj", []byte("versions = \"v\"\n\n[env.dev]\nurl = \"mysql://u:s3cret@h/x\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	e, err := c.Environment("dev")
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.DatabaseURL(e)
	want := `migrate.toml:4: [env.dev] url: database URL "mysql://u:xxxxx@h/x": unsupported scheme "mysql"`
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("DatabaseURL error = %v, want %s…", err, want)
	}
}

func TestEmptyURLNamesVariable(t *testing.T) {
	t.Setenv("MIGRATE_T_EMPTY", "")
	c, err := Parse("migrate.toml", "/proj", []byte("[env.prod]\nurl = \"${MIGRATE_T_EMPTY}\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Environment("prod")
	want := `migrate.toml:2: [env.prod] url "${MIGRATE_T_EMPTY}" is empty: environment variable MIGRATE_T_EMPTY is set but empty`
	if err == nil || err.Error() != want {
		t.Errorf("Environment error = %v, want %s", err, want)
	}
}

// hasParam reports whether s holds "&key=".
func hasParam(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '&' && startsParam(s[i+1:]) {
			return true
		}
	}
	return false
}

// BenchmarkParseURLPostgres: every command that connects pays for it
// (pgconn.ParseConfig included).
func BenchmarkParseURLPostgres(b *testing.B) {
	for b.Loop() {
		if _, err := ParseURL("postgres://u:pw@127.0.0.1:5432/app?sslmode=disable", "/proj"); err != nil {
			b.Fatal(err)
		}
	}
}

// TestNoConfigURL: with no config file and DATABASE_URL unset, the error
// says where the URL comes from instead of naming an [env.development]
// section that was never written.
func TestNoConfigURL(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	os.Unsetenv("DATABASE_URL")
	t.Setenv("MIGRATE_ENV", "")
	c := Default(t.TempDir())
	_, err := c.Environment("")
	if err == nil {
		t.Fatal("no error with DATABASE_URL unset")
	}
	want := "config: no database URL: DATABASE_URL is not set, and there is no migrate.toml to name one.\n"
	if !strings.HasPrefix(err.Error(), want) || strings.Contains(err.Error(), "[env.") {
		t.Fatalf("error:\n%v\nwant it to start with:\n%s", err, want)
	}
}
