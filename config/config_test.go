package config

import (
	"errors"
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

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://u:secret@h:5432/db":           "postgres://u:xxxxx@h:5432/db",
		"postgres://u@h/db":                       "postgres://u@h/db",
		"postgres://u:p%40ss@h/db?sslmode=x":      "postgres://u:xxxxx@h/db?sslmode=x",
		"postgres://h/db?password=secret&user=u":  "postgres://h/db?password=xxxxx&user=u",
		"sqlite:///app.db":                        "sqlite:///app.db",
		"cannot connect to postgres://a:b@c/d: x": "cannot connect to postgres://a:xxxxx@c/d: x",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
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
