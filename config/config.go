package config

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	gopath "path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// FileName is the config file looked for in the working directory.
const FileName = "migrate.toml"

// Defaults.
const (
	DefaultVersions     = "versions"
	DefaultFileTemplate = "{date}_{rev}_{slug}"
	DefaultVersionTable = "migrate_version"
	DefaultTransaction  = "all"
	DefaultEnv          = "development"
	// PlanOnline and PlanSimple are the values of [models] plan.
	PlanOnline         = "online"
	PlanSimple         = "simple"
	DefaultLockTimeout = 5 * time.Minute
)

// Config is a loaded migrate.toml (or the defaults when there is none).
type Config struct {
	// Path is the config file, or "" when running on defaults.
	Path string
	// Dir is the folder relative paths are resolved against: the config
	// file's folder, or the working directory.
	Dir string

	Versions      []string // absolute folders of revision files
	FileTemplate  string
	VersionTable  string
	VersionSchema string // PostgreSQL only; "" = the connection's current schema
	Transaction   string // all | revision | none
	DefaultEnv    string
	LockTimeout   time.Duration
	// Dialect is the project's database system when the config names it
	// (dialect = "postgres"); "" lets the URL tell.
	Dialect Dialect
	// Timeouts are the top-level PostgreSQL statement timeouts; an
	// environment may override them (TimeoutsFor).
	Timeouts Timeouts

	Models Models
	Envs   map[string]*Env

	// lines of the path keys in the file, for CheckPaths' errors.
	lines struct{ versions, modelsSQL, modelsGo, dialect int }
}

// Models configures the model metadata autogenerate diffs against.
type Models struct {
	SQL []string // absolute paths of declarative .sql files
	Go  []string // absolute paths of Go package folders
	// Include and Exclude are path.Match globs over "name" and
	// "schema.name" of objects, and over "table.column" and
	// "schema.table.column" of columns (a pattern with a dot matches
	// both ways; docs/autogenerate.md, "Include and exclude"). Load
	// checks their syntax.
	Include []string
	Exclude []string
	Tags    string
	// Plan is how autogenerate writes changes to existing PostgreSQL
	// tables: "online" (the default: concurrent index builds, NOT VALID
	// then VALIDATE, in several revisions) or "simple" (plain statements,
	// one revision). No effect on SQLite.
	Plan string
}

// Env is one [env.NAME] section. Unset optional fields inherit the
// top-level values.
type Env struct {
	Name   string
	URL    string // expanded; may hold a password
	DevURL string // expanded; "" when unset
	// rawURL and rawDevURL are the values before expansion, expanded lazily
	// so that an unset variable only matters for the environment in use.
	rawURL, rawDevURL string
	urlLine, devLine  int
	timeouts          *Timeouts // the top-level ones with the section's over them; nil: none set there
}

// Error is a config problem; File and Line locate it when known.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	switch {
	case e.File != "" && e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	case e.File != "":
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
	return "config: " + e.Msg
}

// ErrNotFound is returned by Find when no migrate.toml exists.
var ErrNotFound = errors.New("no " + FileName + " found")

type fileFormat struct {
	Versions      stringList           `toml:"versions"`
	FileTemplate  string               `toml:"file_template"`
	VersionTable  string               `toml:"version_table"`
	VersionSchema string               `toml:"version_schema"`
	Transaction   string               `toml:"transaction"`
	DefaultEnv    string               `toml:"default_env"`
	LockTimeout   string               `toml:"lock_timeout"`
	Dialect       string               `toml:"dialect"`
	Models        modelsFormat         `toml:"models"`
	Env           map[string]envFormat `toml:"env"`
	timeoutsFormat
}

type modelsFormat struct {
	SQL     stringList `toml:"sql"`
	Go      stringList `toml:"go"`
	Include stringList `toml:"include"`
	Exclude stringList `toml:"exclude"`
	Tags    string     `toml:"tags"`
	Plan    string     `toml:"plan"`
}

type envFormat struct {
	URL    string `toml:"url"`
	DevURL string `toml:"dev_url"`
	timeoutsFormat
}

// stringList accepts a string or an array of strings.
type stringList []string

func (l *stringList) UnmarshalTOML(v any) error {
	switch x := v.(type) {
	case string:
		*l = []string{x}
	case []any:
		for _, e := range x {
			s, ok := e.(string)
			if !ok {
				return fmt.Errorf("expected a string or a list of strings, found %T", e)
			}
			*l = append(*l, s)
		}
	default:
		return fmt.Errorf("expected a string or a list of strings, found %T", v)
	}
	return nil
}

// Default returns the configuration used when there is no config file:
// versions/ under dir, and DATABASE_URL as the development URL.
func Default(dir string) *Config {
	c := &Config{
		Dir:          dir,
		Versions:     []string{filepath.Join(dir, DefaultVersions)},
		FileTemplate: DefaultFileTemplate,
		VersionTable: DefaultVersionTable,
		Transaction:  DefaultTransaction,
		DefaultEnv:   DefaultEnv,
		LockTimeout:  DefaultLockTimeout,
		Timeouts:     defaultTimeouts(),
		Envs:         map[string]*Env{},
		Models:       Models{Plan: PlanOnline},
	}
	c.Envs[DefaultEnv] = &Env{Name: DefaultEnv, rawURL: "${DATABASE_URL}"}
	return c
}

// Find looks for migrate.toml in dir; it returns ErrNotFound when absent.
func Find(dir string) (string, error) {
	p := filepath.Join(dir, FileName)
	if _, err := os.Stat(p); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return "", ErrNotFound
		}
		return "", err
	}
	return p, nil
}

// Load reads and checks a config file.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, &Error{File: path, Msg: "config file not found"}
		}
		return nil, &Error{File: path, Msg: err.Error()}
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, filepath.Dir(abs), data)
}

// Parse checks config text; path is used in messages, dir resolves
// relative paths.
func Parse(path, dir string, data []byte) (*Config, error) {
	var f fileFormat
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&f)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, &Error{File: path, Line: parseErrorLine(data, pe), Msg: pe.Message}
		}
		return nil, &Error{File: path, Msg: err.Error()}
	}
	if und := md.Undecoded(); len(und) > 0 {
		k := und[0]
		return nil, &Error{File: path, Line: keyLine(data, k), Msg: fmt.Sprintf("unknown key %q%s", k.String(), suggest(k))}
	}
	c := Default(dir)
	c.Path = path
	c.Envs = map[string]*Env{}
	if len(f.Versions) > 0 {
		c.Versions = nil
		for _, v := range f.Versions {
			c.Versions = append(c.Versions, abspath(dir, v))
		}
	}
	if f.FileTemplate != "" {
		c.FileTemplate = f.FileTemplate
	}
	if f.VersionTable != "" {
		c.VersionTable = f.VersionTable
	}
	c.VersionSchema = f.VersionSchema
	if f.Transaction != "" {
		c.Transaction = f.Transaction
	}
	if err := CheckTransaction(c.Transaction); err != nil {
		return nil, &Error{File: path, Line: keyLine(data, toml.Key{"transaction"}), Msg: err.Error()}
	}
	if f.LockTimeout != "" {
		d, err := time.ParseDuration(f.LockTimeout)
		if err != nil || d < 0 {
			return nil, &Error{File: path, Line: keyLine(data, toml.Key{"lock_timeout"}), Msg: fmt.Sprintf("lock_timeout %q: expected a duration such as \"30s\" or \"5m\"", f.LockTimeout)}
		}
		c.LockTimeout = d
	}
	if f.Dialect != "" {
		c.lines.dialect = keyLine(data, toml.Key{"dialect"})
		if c.Dialect, err = ParseDialect(f.Dialect); err != nil {
			return nil, &Error{File: path, Line: c.lines.dialect, Msg: err.Error()}
		}
	}
	if err := f.timeoutsFormat.apply(&c.Timeouts, path, data); err != nil {
		return nil, err
	}
	for _, s := range f.Models.SQL {
		c.Models.SQL = append(c.Models.SQL, abspath(dir, s))
	}
	for _, s := range f.Models.Go {
		c.Models.Go = append(c.Models.Go, abspath(dir, s))
	}
	c.lines.versions = keyLine(data, toml.Key{"versions"})
	c.lines.modelsSQL = keyLine(data, toml.Key{"models", "sql"})
	c.lines.modelsGo = keyLine(data, toml.Key{"models", "go"})
	if err := c.CheckPaths(); err != nil {
		return nil, err
	}
	c.Models.Include = f.Models.Include
	c.Models.Exclude = f.Models.Exclude
	for _, k := range []struct {
		key      string
		patterns []string
	}{{"include", c.Models.Include}, {"exclude", c.Models.Exclude}} {
		if msg := checkGlobs(k.patterns); msg != "" {
			return nil, &Error{File: path, Line: keyLine(data, toml.Key{"models", k.key}), Msg: "[models] " + k.key + ": " + msg}
		}
	}
	c.Models.Tags = f.Models.Tags
	switch f.Models.Plan {
	case "", PlanOnline:
		c.Models.Plan = PlanOnline
	case PlanSimple:
		c.Models.Plan = PlanSimple
	default:
		return nil, &Error{File: path, Line: keyLine(data, toml.Key{"models", "plan"}),
			Msg: fmt.Sprintf("[models] plan: %q is not a plan; use %q (the default) or %q", f.Models.Plan, PlanOnline, PlanSimple)}
	}
	for name, e := range f.Env {
		c.Envs[name] = &Env{Name: name, rawURL: e.URL, rawDevURL: e.DevURL,
			urlLine: keyLine(data, toml.Key{"env", name, "url"}), devLine: keyLine(data, toml.Key{"env", name, "dev_url"})}
		if e.timeoutsFormat != (timeoutsFormat{}) {
			t := c.Timeouts
			t.Set = append([]string(nil), t.Set...)
			if err := e.timeoutsFormat.apply(&t, path, data, "env", name); err != nil {
				return nil, err
			}
			c.Envs[name].timeouts = &t
		}
	}
	if f.DefaultEnv != "" {
		c.DefaultEnv = f.DefaultEnv
		if _, ok := c.Envs[c.DefaultEnv]; !ok {
			return nil, &Error{File: path, Line: keyLine(data, toml.Key{"default_env"}), Msg: fmt.Sprintf("default_env %q has no [env.%s] section%s", c.DefaultEnv, c.DefaultEnv, c.envChoices())}
		}
	}
	return c, nil
}

// checkGlobs describes the first pattern that is not a usable glob, or
// returns "".
func checkGlobs(patterns []string) string {
	for _, p := range patterns {
		if p == "" {
			return "an empty pattern matches nothing"
		}
		if _, err := gopath.Match(p, ""); err != nil {
			return fmt.Sprintf("bad pattern %q: %v", p, err)
		}
	}
	return ""
}

// parseErrorLine is the line of a TOML syntax error. The decoder counts
// an error found at a line's end ("got '\n' instead") on the next line
// when its lexer has already consumed the newline, as for an unclosed
// [table; the line is the one the newline ends.
func parseErrorLine(data []byte, pe toml.ParseError) int {
	off := pe.Position.Start
	if off <= 0 || off > len(data) || !strings.Contains(pe.Message, `'\n'`) {
		return pe.Position.Line
	}
	if data[off-1] == '\n' {
		off--
	}
	return 1 + bytes.Count(data[:off], []byte("\n"))
}

// ParseDialect reads a dialect name as migrate.toml's dialect key and the
// --dialect flag take it: postgres (or postgresql) and sqlite (or
// sqlite3), in any case.
func ParseDialect(s string) (Dialect, error) {
	switch strings.ToLower(s) {
	case "postgres", "postgresql":
		return Postgres, nil
	case "sqlite", "sqlite3":
		return SQLite, nil
	}
	return "", fmt.Errorf("dialect %q: expected postgres or sqlite", s)
}

// DialectLine is the line of the dialect key (0 when not set).
func (c *Config) DialectLine() int { return c.lines.dialect }

// RawURL is the url of the named environment as written, before its
// variables are expanded ("" when there is no such environment); name ""
// means MIGRATE_ENV, then default_env, as for [Config.Environment].
func (c *Config) RawURL(name string) string {
	if name == "" {
		name = os.Getenv("MIGRATE_ENV")
	}
	if name == "" {
		name = c.DefaultEnv
	}
	if e, ok := c.Envs[name]; ok {
		return e.rawURL
	}
	return ""
}

// CheckTransaction validates a transaction mode.
func CheckTransaction(mode string) error {
	switch mode {
	case "all", "revision", "none":
		return nil
	}
	return fmt.Errorf("transaction %q: expected all, revision or none", mode)
}

// Environment returns the named environment with its variables expanded;
// name "" means MIGRATE_ENV, then default_env.
func (c *Config) Environment(name string) (*Env, error) {
	if name == "" {
		name = os.Getenv("MIGRATE_ENV")
	}
	if name == "" {
		name = c.DefaultEnv
	}
	e, ok := c.Envs[name]
	if !ok {
		return nil, &Error{File: c.Path, Msg: fmt.Sprintf("unknown environment %q%s", name, c.envChoices())}
	}
	out := &Env{Name: name, urlLine: e.urlLine, devLine: e.devLine}
	var err error
	if out.URL, err = Expand(e.rawURL); err != nil {
		if c.Path == "" {
			return nil, noConfigURLError(err.Error())
		}
		return nil, &Error{File: c.Path, Line: e.urlLine, Msg: fmt.Sprintf("[env.%s] url: %v", name, err)}
	}
	if out.URL == "" && e.rawURL != "" {
		why := ""
		if vars := emptyVars(e.rawURL); len(vars) > 0 {
			why = fmt.Sprintf("environment variable %s is set but empty", strings.Join(vars, ", "))
		}
		if c.Path == "" {
			return nil, noConfigURLError(why)
		}
		msg := fmt.Sprintf("[env.%s] url %q is empty", name, e.rawURL)
		if why != "" {
			msg += ": " + why
		}
		return nil, &Error{File: c.Path, Line: e.urlLine, Msg: msg}
	}
	if out.DevURL, err = Expand(e.rawDevURL); err != nil {
		// dev_url is optional: an unset variable there means "not set".
		var ue *UnsetError
		if !errors.As(err, &ue) {
			return nil, &Error{File: c.Path, Line: e.devLine, Msg: fmt.Sprintf("[env.%s] dev_url: %v", name, err)}
		}
		out.DevURL = ""
	}
	return out, nil
}

// noConfigURLError is the missing URL of a project without a config file,
// where only DATABASE_URL gives one: the message names no [env.…] section,
// since none was written.
func noConfigURLError(why string) *Error {
	if strings.HasPrefix(why, "environment variable DATABASE_URL is not set") {
		why = "DATABASE_URL is not set"
	}
	return &Error{Msg: fmt.Sprintf("no database URL: %s, and there is no %s to name one.\n"+
		"Set DATABASE_URL (export DATABASE_URL=postgres://user@host/db, or sqlite:app.db), "+
		"pass --url, or run 'migrate init' to write a %s", why, FileName, FileName)}
}

// DatabaseURL parses the url of e, an environment that [Config.Environment]
// returned; an error names the config file and the line of the url.
func (c *Config) DatabaseURL(e *Env) (URL, error) {
	u, err := ParseURL(e.URL, c.Dir)
	if err != nil && c.Path != "" {
		return u, &Error{File: c.Path, Line: e.urlLine, Msg: fmt.Sprintf("[env.%s] url: %v", e.Name, err)}
	}
	return u, err
}

// EnvNames lists the environments, sorted.
func (c *Config) EnvNames() []string {
	var names []string
	for n := range c.Envs {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func (c *Config) envChoices() string {
	names := c.EnvNames()
	if len(names) == 0 {
		return " (the config defines no [env.NAME] sections)"
	}
	return "; defined: " + strings.Join(names, ", ")
}

// emptyVars lists the ${VAR}s of s without a fallback whose variable is
// set but empty.
func emptyVars(s string) []string {
	var out []string
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			return out
		}
		s = s[i+2:]
		end := strings.IndexByte(s, '}')
		if end < 0 {
			return out
		}
		name, _, hasDef := strings.Cut(s[:end], ":-")
		if v, ok := os.LookupEnv(name); ok && v == "" && !hasDef {
			out = append(out, name)
		}
		s = s[end+1:]
	}
}

// UnsetError reports a ${VAR} whose variable is not set.
type UnsetError struct{ Var string }

func (e *UnsetError) Error() string {
	return fmt.Sprintf("environment variable %s is not set (use ${%s:-default} for a fallback)", e.Var, e.Var)
}

// Expand replaces ${VAR} and ${VAR:-default} with values from the process
// environment; "$$" is a literal "$". An unset variable without a default
// is an *UnsetError.
func Expand(s string) (string, error) {
	if !strings.Contains(s, "$") {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '$' {
			b.WriteByte(c)
			continue
		}
		if i+1 < len(s) && s[i+1] == '$' {
			b.WriteByte('$')
			i++
			continue
		}
		if i+1 >= len(s) || s[i+1] != '{' {
			b.WriteByte(c)
			continue
		}
		end := strings.IndexByte(s[i:], '}')
		if end < 0 {
			return "", fmt.Errorf("unterminated ${ in %q", Redact(s))
		}
		expr := s[i+2 : i+end]
		name, def, hasDef := strings.Cut(expr, ":-")
		if !validVar(name) {
			return "", fmt.Errorf("bad variable name %q in ${...}", name)
		}
		v, ok := os.LookupEnv(name)
		switch {
		case ok && v != "":
			b.WriteString(v)
		case hasDef:
			b.WriteString(def)
		case ok:
			// set but empty
		default:
			return "", &UnsetError{Var: name}
		}
		i += end
	}
	return b.String(), nil
}

func validVar(name string) bool {
	if name == "" {
		return false
	}
	for i, r := range name {
		if !(r == '_' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

func abspath(dir, p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(dir, p)
}

var knownKeys = []string{"versions", "file_template", "version_table", "version_schema", "transaction", "default_env", "lock_timeout", "dialect",
	"pg_lock_timeout", "pg_statement_timeout", "pg_lock_retries", "pg_lock_retry_delay", "models", "env"}

func suggest(k toml.Key) string {
	switch {
	case len(k) == 1:
		return "; known keys: " + strings.Join(knownKeys, ", ")
	case k[0] == "models":
		return "; known keys in [models]: sql, go, include, exclude, tags, plan"
	case k[0] == "env" && len(k) == 3:
		return "; known keys in [env.NAME]: url, dev_url, pg_lock_timeout, pg_statement_timeout, pg_lock_retries, pg_lock_retry_delay"
	}
	return ""
}

// keyLine finds the line of a key in TOML text: it tracks [table] headers
// and looks for "key =" (or a header naming the key). 0 when not found.
func keyLine(data []byte, k toml.Key) int {
	if len(k) == 0 {
		return 0
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	var table []string
	line := 0
	for sc.Scan() {
		line++
		t := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(t, "[") {
			h := strings.Trim(t, "[] \t")
			if i := strings.Index(h, "#"); i >= 0 {
				h = strings.TrimSpace(strings.TrimRight(h[:i], "] \t"))
			}
			table = splitKey(h)
			if equalKey(table, k) {
				return line
			}
			continue
		}
		name, _, ok := strings.Cut(t, "=")
		if !ok {
			continue
		}
		full := append(append([]string{}, table...), splitKey(strings.TrimSpace(name))...)
		if len(full) >= len(k) && equalKey(full[:len(k)], k) {
			return line
		}
	}
	return 0
}

func splitKey(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ".") {
		out = append(out, strings.Trim(strings.TrimSpace(p), `"'`))
	}
	return out
}

func equalKey(a []string, b toml.Key) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
