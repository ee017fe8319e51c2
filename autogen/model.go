package autogen

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"

	"github.com/migratehq/migrate/introspect"
	"github.com/migratehq/migrate/schema"
)

// Chunk is a piece of model DDL and where it comes from, so that an error
// while loading it into the dev database names the file and line.
type Chunk struct {
	File string // shown in messages
	Line int    // line of File where SQL starts (1 for a whole file)
	SQL  string
}

// Source is model metadata: what the schema should be. It yields DDL for
// a dialect, which [Normalize] loads into a dev database and reads back,
// so that the model is compared in the database's own words. SQL files
// ([SQLFiles]) are one source; Go struct models are another.
type Source interface {
	DDL(dialect string) ([]Chunk, error)
}

// stripBOM drops a UTF-8 byte order mark at the start of a file's text,
// which editors on Windows save; revision files accept one too.
func stripBOM(s string) string { return strings.TrimPrefix(s, "\ufeff") }

// SQLFiles is a declarative schema in .sql files, loaded in order.
type SQLFiles []string

// DDL reads the files (a leading byte order mark dropped).
func (f SQLFiles) DDL(string) ([]Chunk, error) {
	var out []Chunk
	for _, p := range f {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("models: %w", err)
		}
		out = append(out, Chunk{File: p, Line: 1, SQL: stripBOM(string(b))})
	}
	return out, nil
}

// ModelError is a model statement the dev database refused, or one the
// model guard refused before anything ran (Rejected; see [CheckModel]).
type ModelError struct {
	File string
	Line int
	SQL  string
	Err  error
	// Rejected: the statement (or the file's text) is not allowed in a
	// model; nothing of the model ran.
	Rejected bool
}

func (e *ModelError) Error() string {
	what := "loading the model into the dev database"
	if e.Rejected {
		what = "not allowed in a model"
	}
	if e.SQL == "" {
		return fmt.Sprintf("%s:%d: %s: %v", e.File, e.Line, what, e.Err)
	}
	sqlText := e.SQL
	if len(sqlText) > 200 {
		sqlText = sqlText[:200] + " …"
	}
	return fmt.Sprintf("%s:%d: %s: %v\n  in statement: %s", e.File, e.Line, what, e.Err, strings.ReplaceAll(sqlText, "\n", "\n    "))
}

func (e *ModelError) Unwrap() error { return e.Err }

// Dev is a session on a scratch database where the model is loaded. It
// must be a single connection. On PostgreSQL the model is loaded inside a
// transaction that is always rolled back, so the dev database is left as
// it was — unless Disposable says the database is thrown away afterwards:
// then each statement commits on its own, because one transaction over a
// large model takes a lock per table, index and sequence, and the
// server's shared lock table (max_locks_per_transaction ×
// max_connections, 6,400 by default) can run out.
//
// Load runs only statements the model guard allows ([CheckModel]). The
// sessions [DevProvider] opens are sandboxed besides: on PostgreSQL, Conn
// is logged in as a throwaway role (Role) with no rights outside the dev
// database; on SQLite, it can attach no other file, load no extension and
// run only harmless PRAGMAs.
type Dev struct {
	Conn    *sql.Conn
	Dialect string
	// Disposable marks a throwaway database: no transaction, and Load may
	// be called once only (the model stays there).
	Disposable bool
	used       bool
	// Position maps a database error to a character position in the
	// failing statement (PostgreSQL), or 0.
	Position func(error) int
	// Opts are the inspection options (schemas, exclusions).
	Opts introspect.Options
	// Role is the PostgreSQL role Conn is logged in as when it is a
	// sandbox's throwaway role (dropped by the cleanup), or "".
	Role string
	// Progress, when set, is told how many of Load's statements have run:
	// (0, total) before the first, then after each.
	Progress func(done, total int)

	sandbox *pgSandbox
	// admin opens (once) a session of the connecting user on the same
	// throwaway database, for the model statements on the short list of
	// adminExtensions; nil elsewhere (they then run on Conn).
	admin func(ctx context.Context) (*sql.Conn, error)
	// modelRunning is set while model statements run (SQLite: the
	// authorizer then refuses transaction control).
	modelRunning atomic.Bool
}

// Load loads chunks into the dev session and reads the result back. On
// PostgreSQL everything happens in a transaction that is rolled back,
// unless the database is disposable. Every statement is checked first
// ([CheckModel]): a refused one is a *ModelError, and nothing has run.
func (d *Dev) Load(ctx context.Context, chunks []Chunk) (*schema.Schema, error) {
	if d.Disposable && d.used {
		return nil, errors.New("dev database: a disposable dev database is loaded once only")
	}
	facts, err := modelFactsFor(d.Dialect)
	if err != nil {
		return nil, err
	}
	stmts, err := checkModel(d.Dialect, chunks)
	if err != nil {
		return nil, err
	}
	d.used = true
	if facts.rollbackLoad && !d.Disposable {
		if _, err := d.Conn.ExecContext(ctx, "BEGIN"); err != nil {
			return nil, fmt.Errorf("dev database: %w", err)
		}
		defer d.Conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
	}
	if err := d.run(ctx, facts, stmts); err != nil {
		return nil, err
	}
	opts := d.Opts
	if len(opts.Schemas) == 0 && facts.schemas {
		// Every schema the model made (and public).
		names, err := introspect.UserSchemas(ctx, d.Conn)
		if err != nil {
			return nil, fmt.Errorf("dev database: %w", err)
		}
		opts.Schemas = names
	}
	// Read inside the same (uncommitted) transaction: hide BeginTx so the
	// introspector does not start a snapshot of its own.
	s, err := introspect.Inspect(ctx, queryOnly{d.Conn}, d.Dialect, opts)
	if err != nil {
		return nil, fmt.Errorf("dev database: %w", err)
	}
	return s, nil
}

// run runs the checked statements, each as checkModel says.
func (d *Dev) run(ctx context.Context, facts modelFacts, stmts []modelStmt) error {
	d.modelRunning.Store(true)
	defer d.modelRunning.Store(false)
	saved, err := saveSettings(ctx, d.Conn, facts.fileSettings, stmts)
	if err != nil {
		return fmt.Errorf("dev database: %w", err)
	}
	d.progress(0, len(stmts))
	for i, st := range stmts {
		if i > 0 {
			d.progress(i, len(stmts))
		}
		if i > 0 && st.File != stmts[i-1].File && saved != nil && setsSession(stmts, i) {
			if err := restoreSettings(ctx, d.Conn, facts.fileSettings, saved); err != nil {
				return fmt.Errorf("dev database: %w", err)
			}
		}
		var err error
		switch st.run {
		case runSkip:
			continue
		case runAdmin:
			err = d.runAdmin(ctx, facts, st)
		default:
			err = facts.exec(ctx, d.Conn, st.SQL)
		}
		if err == nil {
			continue
		}
		var me *ModelError
		if errors.As(err, &me) {
			return err
		}
		line := st.Statement.Line
		if d.Position != nil {
			if pos := d.Position(err); pos > 0 {
				line = st.LineAt(pos)
			}
		}
		return &ModelError{File: st.File, Line: st.base + line, SQL: st.SQL, Err: err}
	}
	d.progress(len(stmts), len(stmts))
	return nil
}

func (d *Dev) progress(done, total int) {
	if d.Progress != nil {
		d.Progress(done, total)
	}
}

// Cache keeps normalised models on disk, keyed by the model's text, the
// dialect, the server version and the inspection options, so that an
// unchanged model is not loaded into a dev database again.
type Cache struct {
	Dir string // "" disables the cache
}

// DefaultCache is the user's cache folder (os.UserCacheDir()/migrate/models),
// or a disabled cache when MIGRATE_NO_CACHE is set or there is none.
func DefaultCache() Cache {
	if os.Getenv("MIGRATE_NO_CACHE") != "" {
		return Cache{}
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		return Cache{}
	}
	return Cache{Dir: filepath.Join(dir, "migrate", "models")}
}

// cacheFormat changes whenever the normalised model's shape or the
// introspector's output changes, so that old entries are never used (v2:
// models are loaded by the sandbox role, which may take other paths than
// a superuser did).
const cacheFormat = "migrate-model-v2"

// Key is the cache key of a model.
func (c Cache) Key(dialect string, serverVersion int, opts introspect.Options, chunks []Chunk) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%d\x00%q\x00%q\x00%q\x00", cacheFormat, dialect, serverVersion, opts.Schemas, opts.Exclude, opts.VersionTable)
	for _, ch := range chunks {
		fmt.Fprintf(h, "%d\x00%s\x00", len(ch.SQL), ch.SQL)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Get returns the cached model for key, or nil.
func (c Cache) Get(key string) *schema.Schema {
	if c.Dir == "" {
		return nil
	}
	b, err := os.ReadFile(filepath.Join(c.Dir, key+".json"))
	if err != nil {
		return nil
	}
	var s schema.Schema
	if json.Unmarshal(b, &s) != nil {
		return nil
	}
	return &s
}

// Put stores a model; failures are ignored (the cache is an optimisation).
func (c Cache) Put(key string, s *schema.Schema) {
	if c.Dir == "" {
		return
	}
	b, err := json.Marshal(s)
	if err != nil {
		return
	}
	if os.MkdirAll(c.Dir, 0o755) != nil {
		return
	}
	tmp, err := os.CreateTemp(c.Dir, key+".*.tmp")
	if err != nil {
		return
	}
	_, werr := tmp.Write(b)
	cerr := tmp.Close()
	if werr != nil || cerr != nil {
		os.Remove(tmp.Name())
		return
	}
	if os.Rename(tmp.Name(), filepath.Join(c.Dir, key+".json")) != nil {
		os.Remove(tmp.Name())
	}
}

// queryOnly is a Querier without BeginTx.
type queryOnly struct{ c *sql.Conn }

func (q queryOnly) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return q.c.QueryContext(ctx, query, args...)
}

// saveSettings reads the session settings a model file may change
// (modelFacts.fileSettings), when the model has several files; nil
// otherwise.
func saveSettings(ctx context.Context, conn *sql.Conn, names []string, stmts []modelStmt) ([]string, error) {
	if len(names) == 0 || len(stmts) == 0 || stmts[0].File == stmts[len(stmts)-1].File {
		return nil, nil
	}
	cols := make([]string, len(names))
	vals := make([]string, len(names))
	dest := make([]any, len(names))
	for i, n := range names {
		cols[i] = "pg_catalog.current_setting('" + n + "')"
		dest[i] = &vals[i]
	}
	if err := conn.QueryRowContext(ctx, "SELECT "+strings.Join(cols, ", ")).Scan(dest...); err != nil {
		return nil, fmt.Errorf("reading the session settings: %w", err)
	}
	return vals, nil
}

// restoreSettings puts back the settings saveSettings read.
func restoreSettings(ctx context.Context, conn *sql.Conn, names, vals []string) error {
	calls := make([]string, len(names))
	args := make([]any, len(names))
	for i, n := range names {
		calls[i] = fmt.Sprintf("pg_catalog.set_config('%s', $%d, false)", n, i+1)
		args[i] = vals[i]
	}
	rows, err := conn.QueryContext(ctx, "SELECT "+strings.Join(calls, ", "), args...)
	if err != nil {
		return fmt.Errorf("restoring the session settings: %w", err)
	}
	return rows.Close()
}

// setsSession tells whether the file that ends before stmts[i] may
// have changed a session setting: it holds a SET, a RESET or a SELECT
// (pg_dump sets search_path with a SELECT of set_config).
func setsSession(stmts []modelStmt, i int) bool {
	file := stmts[i-1].File
	for j := i - 1; j >= 0 && stmts[j].File == file; j-- {
		switch stmts[j].verb {
		case "SET", "RESET", "SELECT":
			return true
		}
	}
	return false
}
