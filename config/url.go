package config

import (
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
)

// Dialect names a supported database.
type Dialect string

// The supported dialects.
const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

// URL is a parsed database URL.
type URL struct {
	Dialect Dialect
	// Driver is the database/sql driver name: "pgx" or "sqlite".
	Driver string
	// DSN is what the driver opens: a postgres:// URL for pgx, a file path
	// (or ":memory:") plus query options for SQLite.
	DSN string
	// Path is the SQLite file path (absolute, or ":memory:"); empty for
	// PostgreSQL.
	Path string
	// Raw is the URL as the user wrote it (it may hold a password: show
	// Redacted instead).
	Raw string
}

// String returns the URL with any password replaced by "xxxxx".
func (u URL) String() string { return Redact(u.Raw) }

// URLError reports a malformed or unsupported database URL. Its message
// never includes a password.
type URLError struct {
	URL string // redacted
	Msg string
}

func (e *URLError) Error() string {
	if e.URL == "" {
		return "database URL: " + e.Msg
	}
	return fmt.Sprintf("database URL %q: %s", e.URL, e.Msg)
}

// ParseURL parses a database URL. Relative SQLite paths are resolved
// against baseDir (the config file's folder, or the working directory for
// a URL given on the command line).
//
// Accepted forms: postgres://, postgresql:// and postgresql+driver://
// (SQLAlchemy style); sqlite:///rel.db (relative), sqlite:////abs/file.db
// (absolute), sqlite://:memory:, and sqlite:rel.db.
func ParseURL(raw, baseDir string) (URL, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return URL{}, &URLError{Msg: "empty; set url in the environment's section of migrate.toml, pass --url, or set DATABASE_URL"}
	}
	scheme, rest, ok := strings.Cut(s, ":")
	if !ok || scheme == "" {
		return URL{}, &URLError{URL: Redact(s), Msg: "missing scheme; expected postgres://… or sqlite:///…"}
	}
	base, _, _ := strings.Cut(strings.ToLower(scheme), "+")
	switch base {
	case "postgres", "postgresql":
		return parsePostgres(s, rest)
	case "sqlite", "sqlite3":
		return parseSQLite(s, rest, baseDir)
	default:
		return URL{}, &URLError{URL: Redact(s), Msg: fmt.Sprintf("unsupported scheme %q; expected postgres:// or sqlite://", scheme)}
	}
}

func parsePostgres(raw, rest string) (URL, error) {
	dsn := "postgres:" + rest
	u, err := url.Parse(dsn)
	if err != nil {
		msg := err.Error()
		var ue *url.Error
		if errors.As(err, &ue) {
			msg = ue.Err.Error()
		}
		return URL{}, &URLError{URL: Redact(raw), Msg: "malformed: " + scrub(msg, raw)}
	}
	if !strings.HasPrefix(rest, "//") {
		return URL{}, &URLError{URL: Redact(raw), Msg: "expected postgres://user@host:port/dbname"}
	}
	if u.Host == "" && u.Query().Get("host") == "" {
		return URL{}, &URLError{URL: Redact(raw), Msg: "missing host"}
	}
	if p := u.Port(); p != "" {
		for _, c := range p {
			if c < '0' || c > '9' {
				return URL{}, &URLError{URL: Redact(raw), Msg: fmt.Sprintf("invalid port %q", p)}
			}
		}
	}
	return URL{Dialect: Postgres, Driver: "pgx", DSN: u.String(), Raw: raw}, nil
}

func parseSQLite(raw, rest, baseDir string) (URL, error) {
	var path, query string
	rest, query, _ = strings.Cut(rest, "?")
	switch {
	case rest == "//:memory:" || rest == ":memory:" || rest == "///:memory:":
		path = ":memory:"
	case strings.HasPrefix(rest, "////"):
		path = rest[3:]
	case strings.HasPrefix(rest, "///"):
		path = rest[3:]
		if path == "" {
			return URL{}, &URLError{URL: raw, Msg: "missing file name; expected sqlite:///file.db"}
		}
		path = filepath.Join(baseDir, path)
	case strings.HasPrefix(rest, "//"):
		return URL{}, &URLError{URL: raw, Msg: "expected sqlite:///relative.db, sqlite:////absolute.db or sqlite://:memory:"}
	case rest == "":
		return URL{}, &URLError{URL: raw, Msg: "missing file name; expected sqlite:///file.db"}
	default:
		path = rest
		if !filepath.IsAbs(path) {
			path = filepath.Join(baseDir, path)
		}
	}
	if path != ":memory:" {
		if abs, err := filepath.Abs(path); err == nil {
			path = abs
		}
	}
	q, err := url.ParseQuery(query)
	if err != nil {
		return URL{}, &URLError{URL: raw, Msg: "malformed query: " + err.Error()}
	}
	// Our defaults: wait for other writers, and enforce foreign keys
	// (the runner switches them off around table rebuilds itself).
	if !hasPragma(q, "busy_timeout") {
		q.Add("_pragma", "busy_timeout(10000)")
	}
	if !hasPragma(q, "foreign_keys") {
		q.Add("_pragma", "foreign_keys(1)")
	}
	dsn := path
	if path != ":memory:" {
		dsn = "file:" + path
	}
	return URL{Dialect: SQLite, Driver: "sqlite", DSN: dsn + "?" + q.Encode(), Path: path, Raw: raw}, nil
}

func hasPragma(q url.Values, name string) bool {
	for _, p := range q["_pragma"] {
		if strings.HasPrefix(strings.ToLower(strings.TrimSpace(p)), name) {
			return true
		}
	}
	return false
}

// scrub removes from an error message about raw every password raw holds
// (as written and percent-decoded), then redacts what is left: a
// parser's message may quote a password, or part of one, out of context.
func scrub(msg, raw string) string {
	if raw != "" {
		msg = strings.ReplaceAll(msg, raw, Redact(raw))
	}
	for _, sec := range secrets(raw) {
		if len(sec) >= 3 {
			msg = strings.ReplaceAll(msg, sec, mask)
		}
	}
	return Redact(msg)
}

// secrets lists the passwords raw may hold, under every reading: the
// user information up to the last '@' and up to the first '@', and the
// password and sslpassword query values; each as written and decoded.
func secrets(raw string) []string {
	var out []string
	add := func(s string) {
		if s == "" {
			return
		}
		out = append(out, s)
		if d, err := url.PathUnescape(s); err == nil && d != s {
			out = append(out, d)
		}
	}
	if _, rest, ok := strings.Cut(raw, "://"); ok {
		for _, at := range []int{strings.LastIndexByte(rest, '@'), strings.IndexByte(rest, '@')} {
			if at < 0 {
				continue
			}
			if _, pw, ok := strings.Cut(rest[:at], ":"); ok {
				add(pw)
			}
		}
		if _, q, ok := strings.Cut(rest, "?"); ok {
			for _, kv := range strings.Split(q, "&") {
				k, v, _ := strings.Cut(kv, "=")
				if k = strings.ToLower(k); strings.HasSuffix(k, "password") {
					add(v)
				}
			}
		}
	}
	return out
}
