package autogen

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/migratehq/migrate/schema"
	"github.com/migratehq/migrate/sqlsplit"
)

// The model guard: what a model file may hold, checked statement by
// statement before any of them runs. Model files arrive in pull requests
// and CI runs 'migrate check' and 'diff' on them, so a model statement
// must not act outside the dev database it is loaded into. The guard is
// the first of two fences: the dev session itself has no rights outside
// the dev database (a throwaway PostgreSQL role; SQLite with no ATTACH,
// no extensions; see sandbox_postgres.go and sandbox_sqlite.go), which
// also stops what the guard cannot see — a DO block, a function body,
// dynamic SQL.
//
// The guard is an allow-list of statement kinds by their leading
// keywords (found with the statement lexer, sqlsplit), with the kinds
// that reach the server, other databases or files taken out of it.

// runAs says how a model statement is run.
type runAs int

const (
	// runDev: on the dev session, with its (sandboxed) rights.
	runDev runAs = iota
	// runAdmin: with the connecting user's rights, in a throwaway dev
	// database only — the short list of adminExtensions.
	runAdmin
	// runSkip: not run. ALTER … OWNER TO: ownership is not compared,
	// and the dev session's role cannot give objects away.
	runSkip
)

// modelStmt is one statement of the model, checked.
type modelStmt struct {
	File string
	Line int // line in File where the statement starts
	sqlsplit.Statement
	base int    // File's line of the chunk's first line, minus one
	verb string // the first word, upper case
	run  runAs
}

// adminExtensions are the extensions that PostgreSQL does not mark
// trusted (so a database owner cannot create them) but that only add
// types, functions, operators and tables of their own: CREATE EXTENSION
// (and COMMENT ON EXTENSION) of these runs as the connecting user, in a
// throwaway dev database, and only before the model has created anything
// but schemas (see Dev.runAdmin). Trusted extensions (pg_trgm, hstore,
// citext, pgcrypto, uuid-ossp, btree_gist, cube, unaccent …) need no list:
// the dev role creates them. docs/autogenerate.md lists these.
var adminExtensions = map[string]bool{
	"earthdistance":                true,
	"postgis":                      true,
	"postgis_raster":               true,
	"postgis_sfcgal":               true,
	"postgis_topology":             true,
	"postgis_tiger_geocoder":       true,
	"address_standardizer":         true,
	"address_standardizer_data_us": true,
	"pgrouting":                    true,
	"vector":                       true,
}

// outsideExtensions reach other servers, the server's files or untrusted
// languages: never in a model.
var outsideExtensions = map[string]bool{
	"dblink":       true,
	"postgres_fdw": true,
	"file_fdw":     true,
	"adminpack":    true,
	"plperlu":      true,
	"plpythonu":    true,
	"plpython2u":   true,
	"plpython3u":   true,
	"pltclu":       true,
}

// CheckModel checks model DDL before anything of it runs: the text must
// be UTF-8 without NUL bytes (a byte order mark starting a file is
// dropped), and each statement one that acts inside the
// dev database only (docs/autogenerate.md, "What a model may contain").
// A refusal is a *ModelError with Rejected set, naming the file and line.
func CheckModel(dialect string, chunks []Chunk) error {
	_, err := checkModel(dialect, chunks)
	return err
}

// checkModel splits and checks the chunks, and says how each statement
// runs.
func checkModel(dialect string, chunks []Chunk) ([]modelStmt, error) {
	var guard func([]sqlsplit.Token) (runAs, string)
	var lex sqlsplit.Dialect
	switch dialect {
	case schema.Postgres:
		guard, lex = guardPostgres, sqlsplit.Postgres
	case schema.SQLite:
		guard, lex = guardSQLite, sqlsplit.SQLite
	default:
		return nil, fmt.Errorf("autogen: unknown dialect %q", dialect)
	}
	var out []modelStmt
	for _, c := range chunks {
		base := c.Line - 1
		if c.Line == 1 {
			// The start of a file: a byte order mark is not text (SQLFiles
			// drops it; another Source may not).
			c.SQL = stripBOM(c.SQL)
		}
		if err := checkText(c); err != nil {
			return nil, err
		}
		if dialect == schema.Postgres {
			c.SQL = blankDumpGuard(c.SQL)
		}
		stmts, err := sqlsplit.Split(c.SQL, lex)
		if err != nil {
			var se *sqlsplit.Error
			if errors.As(err, &se) {
				return nil, &ModelError{File: c.File, Line: base + se.Line, Err: errors.New(se.Msg)}
			}
			return nil, fmt.Errorf("%s: %w", c.File, err)
		}
		for _, st := range stmts {
			toks, err := guardTokens(st.SQL, lex)
			if err != nil {
				return nil, &ModelError{File: c.File, Line: base + st.Line, SQL: st.SQL, Err: err}
			}
			run, why := guard(toks)
			if why != "" {
				return nil, &ModelError{File: c.File, Line: base + st.Line, SQL: st.SQL, Err: errors.New(why), Rejected: true}
			}
			out = append(out, modelStmt{File: c.File, Line: base + st.Line, Statement: st, base: base, verb: word(leadingWords(toks, 1), 0), run: run})
		}
	}
	return out, nil
}

// guardTokens returns the tokens the guard reads: the first few, which
// name the statement's kind, or all of them for the kinds whose check
// reads further (ALTER … OWNER TO, GRANT … ON, a set_config or
// load_extension call anywhere). Most of a model is CREATE TABLE and
// CREATE INDEX, whose leading words say everything.
func guardTokens(sql string, lex sqlsplit.Dialect) ([]sqlsplit.Token, error) {
	const leading = 12
	toks, err := sqlsplit.LeadingTokens(sql, lex, leading)
	if err != nil || len(toks) < leading {
		return toks, err
	}
	switch strings.ToUpper(toks[0].Text) {
	case "ALTER", "GRANT", "REVOKE":
		return sqlsplit.Tokens(sql, lex)
	}
	if lower := strings.ToLower(sql); strings.Contains(lower, "set_config") || strings.Contains(lower, "load_extension") {
		return sqlsplit.Tokens(sql, lex)
	}
	return toks, nil
}

// checkText refuses a NUL byte or invalid UTF-8 (a binary file, another
// encoding), at its line.
func checkText(c Chunk) error {
	s := c.SQL
	bad, what := -1, ""
	if i := strings.IndexByte(s, 0); i >= 0 {
		bad, what = i, "a NUL byte"
	}
	if !utf8.ValidString(s) {
		for i := 0; i < len(s) && (bad < 0 || i < bad); {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				bad, what = i, fmt.Sprintf("invalid UTF-8 (byte 0x%02x)", s[i])
				break
			}
			i += size
		}
	}
	if bad < 0 {
		return nil
	}
	return &ModelError{File: c.File, Line: c.Line + strings.Count(s[:bad], "\n"), Rejected: true,
		Err: fmt.Errorf("%s: a model file must be UTF-8 text", what)}
}

// leadingWords returns the upper-case bare words the statement starts
// with (at most n).
func leadingWords(toks []sqlsplit.Token, n int) []string {
	var w []string
	for _, t := range toks {
		if t.Kind != sqlsplit.Word || len(w) == n {
			break
		}
		w = append(w, strings.ToUpper(t.Text))
	}
	return w
}

// word returns the i'th leading word, or "".
func word(w []string, i int) string {
	if i < len(w) {
		return w[i]
	}
	return ""
}

// serverObjects are object kinds that belong to the server, not to a
// schema of the dev database (the first word of the kind).
var serverObjects = map[string]bool{
	"DATABASE": true, "ROLE": true, "USER": true, "GROUP": true, "TABLESPACE": true,
	"SUBSCRIPTION": true, "SERVER": true, "SYSTEM": true,
}

// guardPostgres checks one PostgreSQL statement. why is "" when it is
// allowed.
func guardPostgres(toks []sqlsplit.Token) (run runAs, why string) {
	w := leadingWords(toks, 8)
	first := word(w, 0)
	if first == "" {
		return 0, "a statement must start with a keyword"
	}
	if reason := setConfigRole(toks); reason != "" {
		return 0, reason
	}
	switch first {
	case "CREATE":
		i := 1
		for i < len(w) && createModifiers[w[i]] {
			i++
		}
		kind := word(w, i)
		if r := serverKind("CREATE", kind, word(w, i+1)); r != "" {
			return 0, r
		}
		if kind == "EXTENSION" {
			return extensionRun(toks, i+1)
		}
		return runDev, ""
	case "ALTER":
		if r := serverKind("ALTER", word(w, 1), word(w, 2)); r != "" {
			return 0, r
		}
		if ownerOnly(toks) {
			return runSkip, ""
		}
		return runDev, ""
	case "DROP":
		if word(w, 1) == "OWNED" {
			return 0, "DROP OWNED acts on a role"
		}
		if r := serverKind("DROP", word(w, 1), word(w, 2)); r != "" {
			return 0, r
		}
		return runDev, ""
	case "COMMENT":
		kind := word(w, 2)
		switch kind {
		case "DATABASE", "ROLE", "TABLESPACE", "SUBSCRIPTION":
			return 0, "COMMENT ON " + kind + " describes an object of the server, not of the dev database"
		case "EXTENSION":
			if name := nameAt(toks, 3); adminExtensions[name] {
				return runAdmin, ""
			}
		}
		return runDev, ""
	case "GRANT", "REVOKE":
		return 0, grantScope(first, toks)
	case "SET", "RESET":
		if what := roleSetting(toks); what != "" {
			return 0, what + " changes the session's role"
		}
		return runDev, ""
	case "SELECT", "WITH", "VALUES", "TABLE", "INSERT", "UPDATE", "DELETE", "MERGE", "TRUNCATE",
		"DO", "CALL", "REFRESH", "ANALYZE":
		return runDev, ""
	case "BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT", "SAVEPOINT", "RELEASE":
		return 0, first + " is transaction control: migrate loads the model in transactions of its own; remove it"
	case "PREPARE":
		if word(w, 1) == "TRANSACTION" {
			return 0, "PREPARE TRANSACTION is transaction control: migrate loads the model in transactions of its own; remove it"
		}
	case "COPY":
		return 0, "COPY reads and writes the server's files and programs"
	case "LOAD":
		return 0, "LOAD loads a library into the server"
	case "IMPORT":
		return 0, "IMPORT FOREIGN SCHEMA reads another server"
	case "REASSIGN":
		return 0, "REASSIGN OWNED acts on roles"
	case "DISCARD":
		return 0, "DISCARD resets the session (DISCARD ALL also its authorization)"
	}
	return 0, first + " is not a statement a model holds: a model creates and changes schema objects (CREATE, ALTER, DROP, COMMENT ON, GRANT, REVOKE, SET …)"
}

// createModifiers are the words between CREATE and the object kind.
var createModifiers = map[string]bool{
	"OR": true, "REPLACE": true, "TEMP": true, "TEMPORARY": true, "UNLOGGED": true, "GLOBAL": true,
	"LOCAL": true, "UNIQUE": true, "TRUSTED": true, "PROCEDURAL": true, "DEFAULT": true,
	"RECURSIVE": true, "CONSTRAINT": true,
}

// serverKind refuses CREATE/ALTER/DROP of server-wide objects, and of
// the foreign-data objects that reach other servers.
func serverKind(verb, kind, next string) string {
	switch {
	case kind == "SYSTEM" && verb == "ALTER":
		return "ALTER SYSTEM changes the server's configuration"
	case kind == "USER" && next == "MAPPING", kind == "SERVER", kind == "FOREIGN" && next == "DATA":
		k := kind
		if next == "MAPPING" || next == "DATA" {
			k += " " + next
		}
		return fmt.Sprintf("%s %s reaches other servers", verb, k)
	case serverObjects[kind] && kind != "SYSTEM":
		return fmt.Sprintf("%s %s acts on the server, outside the dev database (databases, roles, tablespaces and subscriptions are not schema objects)", verb, kind)
	}
	return ""
}

// extensionRun decides how CREATE EXTENSION runs; the name follows the
// i'th token (after IF NOT EXISTS).
func extensionRun(toks []sqlsplit.Token, i int) (runAs, string) {
	if i+2 < len(toks) && toks[i].Is("IF") && toks[i+1].Is("NOT") && toks[i+2].Is("EXISTS") {
		i += 3
	}
	name := nameAt(toks, i)
	switch {
	case outsideExtensions[name]:
		return 0, fmt.Sprintf("extension %s reaches other servers, the server's files or untrusted code", name)
	case adminExtensions[name]:
		return runAdmin, ""
	}
	return runDev, ""
}

// nameAt is the identifier at toks[i], or "".
func nameAt(toks []sqlsplit.Token, i int) string {
	if i < len(toks) && (toks[i].Kind == sqlsplit.Word || toks[i].Kind == sqlsplit.QuotedIdent) {
		return toks[i].Name()
	}
	return ""
}

// ownerOnly tells whether an ALTER statement is nothing but
// "ALTER … OWNER TO role": no other action (no comma at the top level).
func ownerOnly(toks []sqlsplit.Token) bool {
	n := len(toks)
	if n < 5 || !toks[n-3].Is("OWNER") || !toks[n-2].Is("TO") {
		return false
	}
	if k := toks[n-1].Kind; k != sqlsplit.Word && k != sqlsplit.QuotedIdent {
		return false
	}
	depth := 0
	for _, t := range toks[:n-3] {
		switch {
		case t.Kind != sqlsplit.Punct:
		case t.Text == "(":
			depth++
		case t.Text == ")":
			depth--
		case t.Text == "," && depth == 0:
			return false
		}
	}
	return true
}

// grantScope refuses GRANT/REVOKE of role membership (no ON at the top
// level) and of privileges on server-wide objects.
func grantScope(verb string, toks []sqlsplit.Token) string {
	depth := 0
	for i, t := range toks {
		switch {
		case t.Kind == sqlsplit.Punct && t.Text == "(":
			depth++
		case t.Kind == sqlsplit.Punct && t.Text == ")":
			depth--
		case depth == 0 && t.Is("ON"):
			on := strings.ToUpper(nameAt(toks, i+1))
			switch on {
			case "DATABASE", "TABLESPACE", "PARAMETER", "FOREIGN":
				return fmt.Sprintf("%s … ON %s acts on the server, outside the dev database", verb, on)
			}
			return ""
		case depth == 0 && (t.Is("TO") || t.Is("FROM")):
			// Reached the grantees without an ON: role membership.
			return verb + " of a role changes role membership, which belongs to the server"
		}
	}
	return verb + " of a role changes role membership, which belongs to the server"
}

// roleSetting returns the words of a SET/RESET that names the role or
// the session authorization — SET [SESSION|LOCAL] ROLE, SET SESSION
// AUTHORIZATION, SET role = …, SET session_authorization = …, RESET ROLE
// … — or "".
func roleSetting(toks []sqlsplit.Token) string {
	i := 1
	if i+1 < len(toks) && (toks[i].Is("SESSION") || toks[i].Is("LOCAL")) &&
		(toks[i+1].Is("ROLE") || toks[i+1].Is("AUTHORIZATION") || toks[i+1].Is("SESSION")) {
		i++
	}
	if i >= len(toks) {
		return ""
	}
	switch toks[i].Name() {
	case "role", "session_authorization", "authorization":
	case "session":
		if i+1 >= len(toks) || !toks[i+1].Is("AUTHORIZATION") {
			return ""
		}
		i++
	default:
		return ""
	}
	words := make([]string, i+1)
	for k := range words {
		words[k] = strings.ToUpper(toks[k].Name())
	}
	return strings.Join(words, " ")
}

// setConfigRole refuses set_config('role' | 'session_authorization', …)
// written in the statement itself (the dev role stops it wherever it is).
func setConfigRole(toks []sqlsplit.Token) string {
	for i := 0; i+2 < len(toks); i++ {
		if !isCall(toks, i, "set_config") || toks[i+2].Kind != sqlsplit.String {
			continue
		}
		switch strings.ToLower(literal(toks[i+2].Text)) {
		case "role", "session_authorization":
			return "set_config(" + toks[i+2].Text + ", …) changes the session's role"
		}
	}
	return ""
}

// isCall tells whether toks[i] is the function name fn (bare or quoted)
// followed by '('.
func isCall(toks []sqlsplit.Token, i int, fn string) bool {
	t := toks[i]
	return (t.Kind == sqlsplit.Word || t.Kind == sqlsplit.QuotedIdent) && strings.EqualFold(t.Name(), fn) &&
		i+1 < len(toks) && toks[i+1].Text == "("
}

// literal is the text of a string constant token, without its quotes or
// dollar tags (escapes are left as written).
func literal(s string) string {
	if strings.HasPrefix(s, "$") {
		if j := strings.Index(s[1:], "$"); j >= 0 {
			tag := s[:j+2]
			return strings.TrimSuffix(strings.TrimPrefix(s, tag), tag)
		}
	}
	s = strings.TrimLeft(s, "Ee")
	if len(s) >= 2 {
		s = s[1 : len(s)-1]
	}
	return strings.ReplaceAll(s, "''", "'")
}

// sqlitePragmas are the PRAGMAs a SQLite model may hold: they change how
// the schema behaves, not where or how the database is stored.
var sqlitePragmas = map[string]bool{
	"foreign_keys": true, "defer_foreign_keys": true, "recursive_triggers": true,
	"legacy_alter_table": true, "case_sensitive_like": true, "ignore_check_constraints": true,
	"automatic_index": true, "reverse_unordered_selects": true, "user_version": true,
	"application_id": true, "encoding": true, "auto_vacuum": true, "page_size": true,
	"cache_size": true, "foreign_key_check": true, "integrity_check": true, "quick_check": true,
}

// guardSQLite checks one SQLite statement.
func guardSQLite(toks []sqlsplit.Token) (run runAs, why string) {
	for i := 0; i+1 < len(toks); i++ {
		if isCall(toks, i, "load_extension") {
			return 0, "load_extension() loads native code into the process"
		}
	}
	first := word(leadingWords(toks, 1), 0)
	switch first {
	case "":
		return 0, "a statement must start with a keyword"
	case "CREATE", "ALTER", "DROP", "INSERT", "REPLACE", "UPDATE", "DELETE", "SELECT", "WITH", "VALUES",
		"ANALYZE", "REINDEX":
		return runDev, ""
	case "PRAGMA":
		i := 1
		if i+1 < len(toks) && toks[i+1].Text == "." {
			if s := toks[i].Name(); s != "main" && s != "temp" {
				return 0, fmt.Sprintf("PRAGMA on schema %q: a model has only the main database", s)
			}
			i += 2
		}
		name := nameAt(toks, i)
		if !sqlitePragmas[name] {
			return 0, fmt.Sprintf("PRAGMA %s is not allowed in a model (allowed: %s)", name, strings.Join(slices.Sorted(maps.Keys(sqlitePragmas)), ", "))
		}
		return runDev, ""
	case "ATTACH", "DETACH":
		return 0, first + " opens or closes another database file"
	case "VACUUM":
		return 0, "VACUUM writes database files (VACUUM INTO a new one)"
	case "BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE":
		return 0, first + " is transaction control: migrate loads the model in transactions of its own; remove it"
	}
	return 0, first + " is not a statement a model holds: a model creates and changes schema objects (CREATE, ALTER, DROP …)"
}

// blankDumpGuard blanks the two psql meta-commands with which pg_dump
// (15.14, 16.10, 17.6 and later) guards its output: "\restrict KEY" as
// the first line that is neither blank nor a "--" comment, and
// "\unrestrict KEY", with the same key, as the last such line. They only
// stop psql from running meta-commands hidden in the dump; the lines are
// replaced by empty ones, so that line numbers stay true. Any other psql
// meta-command (\connect, \i …), or these two anywhere else, is left for
// the splitter to refuse.
func blankDumpGuard(sql string) string {
	lines := strings.SplitAfter(sql, "\n")
	first, last := -1, -1
	for i, l := range lines {
		if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "--") {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 || first == last {
		return sql
	}
	key, ok := dumpGuardKey(lines[first], `\restrict `)
	if !ok {
		return sql
	}
	if end, ok := dumpGuardKey(lines[last], `\unrestrict `); !ok || end != key {
		return sql
	}
	lines[first] = lineEnd(lines[first])
	lines[last] = lineEnd(lines[last])
	return strings.Join(lines, "")
}

// dumpGuardKey returns the key of a "\restrict KEY" (cmd) line: letters
// and digits, as pg_dump makes it.
func dumpGuardKey(line, cmd string) (string, bool) {
	rest, ok := strings.CutPrefix(strings.TrimRight(line, " \t\r\n"), cmd)
	if !ok || rest == "" {
		return "", false
	}
	for _, r := range rest {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9') {
			return "", false
		}
	}
	return rest, true
}

// lineEnd is the line break that ends line ("" for the last line).
func lineEnd(line string) string {
	if strings.HasSuffix(line, "\r\n") {
		return "\r\n"
	}
	if strings.HasSuffix(line, "\n") {
		return "\n"
	}
	return ""
}
