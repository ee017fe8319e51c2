package config

import (
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"

	"github.com/jackc/pgx/v5"
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
	if !ok || !validScheme(scheme) {
		msg := "missing scheme; expected postgres://… or sqlite:///…"
		if k, _, ok := strings.Cut(s, "="); ok && validParam(strings.TrimSpace(k)) {
			msg += " (a key=value connection string is not accepted: write it as a postgres:// URL)"
		}
		return URL{}, &URLError{URL: Redact(s), Msg: msg}
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
	red := Redact(raw)
	fail := func(msg string) (URL, error) { return URL{}, &URLError{URL: red, Msg: msg} }
	if !strings.HasPrefix(rest, "//") {
		return fail("expected postgres://user@host:port/dbname")
	}
	if strings.IndexFunc(raw, unicode.IsControl) >= 0 {
		return fail("holds a control character (a tab, a newline …); write it percent-encoded")
	}
	if strings.Contains(raw, " ") {
		return fail("holds a space; write it as %20 (in a password too)")
	}
	// The standard grammar, where a password must percent-encode '/',
	// '?', '#' and '@', and libpq's, which reads an unescaped '?' or '#'
	// into the password, disagree on such URLs: refuse them, naming the
	// fix, rather than guess (and show a password as a port, a database
	// name or a query parameter).
	const encode = "percent-encode them in a password: '/' as %2F, '?' as %3F, '#' as %23, '@' as %40"
	if strings.Contains(rest, "#") {
		return fail("holds '#': a database URL has no #fragment; " + encode)
	}
	after := rest[2:]
	authority, tail := after, ""
	if i := strings.IndexAny(after, "/?"); i >= 0 {
		authority, tail = after[:i], after[i:]
	}
	path, query, _ := strings.Cut(tail, "?")
	if strings.Count(authority, "@") > 1 {
		// net/url splits at the last '@', libpq and pgx's parser at the
		// first: refuse rather than connect as someone else.
		return fail("holds more than one '@' before the host; percent-encode '@' in a user or password as %40")
	}
	if strings.Contains(path, "@") {
		return fail("holds an '@' after the host, in the database name; if it belongs to a password, " + encode + " (a database name with '@' writes it as %40)")
	}
	if query != "" {
		for _, kv := range strings.Split(query, "&") {
			k, _, ok := strings.Cut(kv, "=")
			if kv != "" && (!ok || !validParam(k)) {
				return fail("malformed query: expected key=value pairs separated by '&'; if a password holds '?' or '&', percent-encode them (%3F, %26)")
			}
		}
	}
	hostport := authority[strings.LastIndexByte(authority, '@')+1:]
	if !strings.HasPrefix(hostport, "[") {
		if _, port, ok := strings.Cut(hostport, ":"); ok && port != "" {
			// A stranded password shows up here: echo the port only when
			// no '@' follows it.
			unsure := !strings.Contains(authority, "@") && strings.Contains(tail, "@")
			n, err := strconv.Atoi(port)
			switch {
			case !allDigits(port):
				msg := "invalid port: what follows the host's ':' is not a number"
				if unsure {
					msg += "; if it is a password, " + encode
				}
				return fail(msg)
			case err != nil || n < 1 || n > 65535:
				msg := "invalid port: expected a number from 1 to 65535"
				if !unsure {
					msg = fmt.Sprintf("invalid port %s: expected a number from 1 to 65535", port)
				}
				return fail(msg)
			}
		}
	}
	u, err := url.Parse("postgres:" + rest)
	if err != nil {
		return fail(urlParseMsg(err, raw))
	}
	if u.Host == "" && u.Query().Get("host") == "" {
		return fail("missing host")
	}
	if u.Path == "" {
		// libpq and pgx read user information up to an '@' anywhere
		// before the first '/', the query's included: the '/' keeps
		// ?user=a@b a parameter.
		u.Path = "/"
	}
	dsn := u.String()
	// pgx's own parser is the authority on what it will accept (port
	// range, sslmode, connect_timeout, and what only pgx.ParseConfig
	// reads: statement_cache_capacity, default_query_exec_mode …): ask
	// it now, without connecting, so that a malformed URL is reported as
	// one.
	if _, err := pgx.ParseConfig(dsn); err != nil {
		return fail(pgxParseMsg(err, raw))
	}
	return URL{Dialect: Postgres, Driver: "pgx", DSN: dsn, Raw: raw}, nil
}

// validParam reports whether k can be a connection parameter name.
func validParam(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		if !isKeyChar(k[i]) && k[i] != '.' && k[i] != '-' && k[i] != '%' {
			return false
		}
	}
	return true
}

// urlParseMsg describes a net/url error without quoting the URL or the
// bytes around the problem, which may belong to a password.
func urlParseMsg(err error, raw string) string {
	msg := err.Error()
	var ue *url.Error
	if errors.As(err, &ue) {
		msg = ue.Err.Error()
	}
	switch {
	case strings.Contains(msg, "invalid userinfo"):
		return "the user or password holds a character that must be percent-encoded (a space, '[', ']' …)"
	case strings.Contains(msg, "invalid URL escape"):
		return "a '%' does not start a %XX escape (write '%' itself as %25)"
	case strings.Contains(msg, "port"):
		return "invalid port"
	}
	return "malformed: " + scrub(msg, raw)
}

// pgxParseMsg is what pgx.ParseConfig found wrong, without its echo of
// the connection string.
func pgxParseMsg(err error, raw string) string {
	msg := err.Error()
	if rest, ok := strings.CutPrefix(msg, "cannot parse `"); ok {
		if i := strings.Index(rest, "`: "); i >= 0 {
			msg = rest[i+3:]
		}
	}
	return scrub(msg, raw)
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
			return URL{}, &URLError{URL: Redact(raw), Msg: "missing file name; expected sqlite:///file.db"}
		}
		path = filepath.Join(baseDir, path)
	case strings.HasPrefix(rest, "//"):
		return URL{}, &URLError{URL: Redact(raw), Msg: "expected sqlite:///relative.db, sqlite:////absolute.db or sqlite://:memory:"}
	case rest == "":
		return URL{}, &URLError{URL: Redact(raw), Msg: "missing file name; expected sqlite:///file.db"}
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
		return URL{}, &URLError{URL: Redact(raw), Msg: "malformed query: " + err.Error()}
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

// validScheme reports whether s is a URL scheme: a letter, then letters,
// digits, '+', '-' or '.'.
func validScheme(s string) bool {
	if s == "" || !(s[0] >= 'a' && s[0] <= 'z' || s[0] >= 'A' && s[0] <= 'Z') {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isSchemeChar(s[i]) {
			return false
		}
	}
	return true
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
				if isPasswordKey(k) {
					add(v)
				}
			}
		}
	}
	return out
}
