package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/migratehq/migrate/config"
	"github.com/migratehq/migrate/sqlsplit"
)

// The project's dialect. A URL names its database system, but a URL that
// is not set often falls back to the SQLite default of the environment
// (${DATABASE_URL:-sqlite:///app.db}): a PostgreSQL project would then
// write or run SQLite without a word. So migrate.toml may say `dialect`
// once, --dialect says it for an offline run, and a SQLite URL in a
// project whose revisions or SQL models are clearly PostgreSQL gets a
// warning, once per command.

// offlineDialect is the dialect of an offline (--sql) run: --dialect,
// else --url's (held to the config's dialect as a connected run is: a
// mismatch is an error), else the config's dialect, else the
// environment's URL's. With a dialect named, no URL is needed, since
// nothing connects.
func (a *app) offlineDialect(flag string) (config.Dialect, error) {
	if flag != "" {
		return config.ParseDialect(flag)
	}
	c, err := a.config()
	if err != nil {
		return "", err
	}
	if a.url != "" {
		u, err := a.dbURL()
		return u.Dialect, err
	}
	if c.Dialect != "" {
		return c.Dialect, nil
	}
	u, err := a.dbURL()
	if err != nil {
		return "", err
	}
	return u.Dialect, nil
}

// checkURLDialect holds the URL to the config's dialect: a mismatch is a
// config error (exit 2) before anything connects. Without a configured
// dialect, a SQLite URL from the environment in a project whose
// revisions or SQL models are PostgreSQL is warned about, once.
func (a *app) checkURLDialect(c *config.Config, u config.URL) error {
	if c.Dialect != "" {
		if u.Dialect == c.Dialect {
			return nil
		}
		return &config.Error{File: c.Path, Line: c.DialectLine(), Msg: fmt.Sprintf(
			"dialect = %q, but the database URL %s is %s%s", c.Dialect, u, u.Dialect, a.urlOrigin())}
	}
	origin := a.urlOrigin()
	if u.Dialect != config.SQLite || a.url != "" || origin == "" {
		return nil // only a fallback URL is suspect, and then worth a look
	}
	a.dialectWarning.Do(func() {
		ev := a.postgresEvidence(c)
		if ev.file == "" {
			return
		}
		a.out.warn(ev.file, ev.line, "the database URL %s is SQLite%s, but %s:%d is PostgreSQL (%s). Set the URL, or dialect = \"postgres\" in %s to make this an error.",
			u, origin, ev.file, ev.line, ev.what, a.configName())
	})
	return nil
}

// evidence is a statement only PostgreSQL reads: its file and line, and
// what gave it away.
type evidence struct {
	file string
	line int
	what string
}

// postgresEvidence looks for PostgreSQL in the revisions, then in the SQL
// model files ([models] sql). Files that do not load or split are the
// command's to report, in its own words.
func (a *app) postgresEvidence(c *config.Config) evidence {
	if g, err := a.graph(); err == nil {
		for _, r := range g.Revisions() {
			if ev := sqlEvidence(r.Path, r.Up, r.UpLine); ev.file != "" {
				return ev
			}
		}
	}
	for _, p := range c.Models.SQL {
		data, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		if ev := sqlEvidence(a.rel(p), string(data), 1); ev.file != "" {
			return ev
		}
	}
	return evidence{}
}

// urlOrigin says where the environment's URL came from when it is the
// fallback of an unset variable, the usual way to end up on SQLite.
func (a *app) urlOrigin() string {
	if a.url != "" {
		return " (--url)"
	}
	c, err := a.config()
	if err != nil {
		return ""
	}
	raw := c.RawURL(a.envName)
	if vs := unsetVars(raw); len(vs) > 0 {
		return fmt.Sprintf(" (the fallback of %s: %s is not set)", raw, strings.Join(vs, ", "))
	}
	return ""
}

// unsetVars lists the ${VAR:-…} variables of raw that are not set.
func unsetVars(raw string) []string {
	var out []string
	for rest := raw; ; {
		i := strings.Index(rest, "${")
		if i < 0 {
			return out
		}
		rest = rest[i+2:]
		j := strings.IndexAny(rest, ":}")
		if j < 0 {
			return out
		}
		if _, ok := os.LookupEnv(rest[:j]); !ok || os.Getenv(rest[:j]) == "" {
			out = append(out, rest[:j])
		}
	}
}

// pgOnly are words that only PostgreSQL's SQL has, as whole tokens
// outside strings and comments.
var pgOnly = []string{"serial", "bigserial", "smallserial", "jsonb", "timestamptz", "bytea",
	"concurrently", "extension", "plpgsql", "tsvector", "inet", "cidr", "citext"}

// sqlEvidence finds the first statement of text (which starts at line
// first of file) that only PostgreSQL reads: one of pgOnly, a :: cast or
// a dollar-quoted body.
func sqlEvidence(file, text string, first int) evidence {
	stmts, err := sqlsplit.Split(text, sqlsplit.Postgres)
	if err != nil {
		return evidence{}
	}
	for _, st := range stmts {
		if w := pgWord(st.SQL); w != "" {
			return evidence{file: file, line: first + st.Line - 1, what: w}
		}
	}
	return evidence{}
}

func pgWord(sql string) string {
	toks, err := sqlsplit.Tokens(sql, sqlsplit.Postgres)
	if err != nil {
		return ""
	}
	for i, t := range toks {
		switch {
		case t.Kind == sqlsplit.String && strings.HasPrefix(t.Text, "$"):
			return "a $$ body"
		case t.Text == ":" && i+1 < len(toks) && toks[i+1].Text == ":" && toks[i+1].Offset == t.Offset+1:
			return "a :: cast"
		case t.Kind == sqlsplit.Word:
			for _, w := range pgOnly {
				if t.Is(w) {
					return strings.ToUpper(w)
				}
			}
		}
	}
	return ""
}
