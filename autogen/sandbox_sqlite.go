package autogen

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strings"
	"sync/atomic"

	sqlite "modernc.org/sqlite"
)

// The SQLite sandbox, enforced by the engine on the dev connection
// whatever the statement text (the model guard checks the text first):
//
//   - the attached-database limit (sqlite3_limit SQLITE_LIMIT_ATTACHED)
//     is 0, so ATTACH — and VACUUM INTO, which attaches its output — fail;
//   - an authorizer denies ATTACH and DETACH, load_extension(), PRAGMAs
//     other than the harmless ones, and transaction control while model
//     statements run (so a model cannot commit a dev_url's rolled-back
//     load);
//   - defensive mode (SQLITE_DBCONFIG_DEFENSIVE, the driver's _defensive
//     DSN key): no writable_schema, no writes to shadow tables or
//     sqlite_dbpage;
//   - extension loading stays off (the SQLite default).

// sqliteLimitAttached is SQLITE_LIMIT_ATTACHED.
const sqliteLimitAttached = 7

// sqliteReadPragmas are the read-only PRAGMAs (and pragma_* table-valued
// functions) the introspector and the driver use, besides sqlitePragmas.
var sqliteReadPragmas = map[string]bool{
	"table_list": true, "table_info": true, "table_xinfo": true, "index_list": true,
	"index_info": true, "index_xinfo": true, "foreign_key_list": true, "collation_list": true,
	"function_list": true, "module_list": true, "pragma_list": true, "compile_options": true,
	"data_version": true, "freelist_count": true, "page_count": true,
}

// defensiveDSN adds _defensive=1 to a modernc SQLite DSN.
func defensiveDSN(dsn string) string {
	base, query, _ := strings.Cut(dsn, "?")
	q, err := url.ParseQuery(query)
	if err != nil {
		q = url.Values{}
	}
	q.Set("_defensive", "1")
	return base + "?" + q.Encode()
}

// sandboxSQLite applies the limits to conn. running tells when model
// statements run.
func sandboxSQLite(conn *sql.Conn, running *atomic.Bool) error {
	if _, err := sqlite.Limit(conn, sqliteLimitAttached, 0); err != nil {
		return fmt.Errorf("dev database: limiting attached databases: %w", err)
	}
	if n, err := sqlite.Limit(conn, sqliteLimitAttached, -1); err != nil || n != 0 {
		return fmt.Errorf("dev database: the attached-database limit is %d, not 0 (%v)", n, err)
	}
	auth := func(action sqlite.AuthorizerActionCode, arg1, arg2, _, _ string) sqlite.AuthorizerReturnCode {
		switch action {
		case sqlite.AuthAttach, sqlite.AuthDetach:
			return sqlite.AuthorizerDeny
		case sqlite.AuthFunction:
			if strings.EqualFold(arg2, "load_extension") {
				return sqlite.AuthorizerDeny
			}
		case sqlite.AuthPragma:
			name := strings.ToLower(arg1)
			if !sqlitePragmas[name] && !sqliteReadPragmas[name] {
				return sqlite.AuthorizerDeny
			}
		case sqlite.AuthTransaction, sqlite.AuthSavepoint:
			if running.Load() {
				return sqlite.AuthorizerDeny
			}
		}
		return sqlite.AuthorizerOK
	}
	return conn.Raw(func(dc any) error {
		r, ok := dc.(sqlite.AuthorizerRegisterer)
		if !ok {
			return fmt.Errorf("dev database: the SQLite driver has no authorizer (%T)", dc)
		}
		return r.RegisterAuthorizer(auth)
	})
}

// sqliteUserObjects counts the tables, views, indexes and triggers of a
// SQLite database.
func sqliteUserObjects(ctx context.Context, conn *sql.Conn) (int, error) {
	var n int
	err := conn.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'").Scan(&n)
	return n, err
}

func sqliteExecOne(ctx context.Context, conn *sql.Conn, query string) error {
	_, err := conn.ExecContext(ctx, query)
	return err
}
