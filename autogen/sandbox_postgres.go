package autogen

import (
	"context"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/migratehq/migrate/config"
	"github.com/migratehq/migrate/internal/dbopen"
)

// The PostgreSQL sandbox: the model is loaded by a session that logs in
// as a throwaway role — LOGIN, a random name and password, no SUPERUSER,
// CREATEDB, CREATEROLE, REPLICATION or BYPASSRLS, member of no role (but
// pg_database_owner in the database it owns) — which owns the throwaway
// dev database (or, with dev_url, may create objects in that database
// for the length of the load). Logging in as the role, rather than SET
// ROLE from the connecting user's session, is what makes it hold: after
// SET ROLE (or SET SESSION AUTHORIZATION) a session can always go back to
// its login user — RESET ROLE, set_config('role', …) — and a DO block, a
// function body or dynamic SQL can do that where no static check sees
// it. A session whose login user is the throwaway role has nowhere to go
// back to. It cannot reach other databases (dblink and postgres_fdw are
// untrusted extensions), the server's files or programs (COPY … PROGRAM,
// pg_read_file, lo_import need superuser or the pg_*_server_* roles),
// other roles, or the server's configuration; it can only create and
// change objects in the dev database, whose whole content is thrown away
// (or rolled back). The role is dropped afterwards, also when the load
// fails.

// pgSandbox is a throwaway login role.
type pgSandbox struct {
	role, password string
	super          bool   // the connecting user is a superuser
	user           string // the connecting user
}

// createSandboxRole creates a throwaway login role on admin (a session of
// the connecting user). When that user is not a superuser it is granted
// the role, so that it may create a database owned by it and drop what
// the role owns.
func createSandboxRole(ctx context.Context, admin sqlExecer, suffix string) (*pgSandbox, error) {
	sb := &pgSandbox{role: "migrate_sandbox_" + suffix, password: randomHex(24)}
	var validUntil string
	err := admin.QueryRowContext(ctx, `SELECT current_user, r.rolsuper,
       to_char((now() + interval '1 hour') AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || '+00'
  FROM pg_catalog.pg_roles r WHERE r.rolname = current_user`).Scan(&sb.user, &sb.super, &validUntil)
	if err != nil {
		return nil, fmt.Errorf("dev database: %w", err)
	}
	verifier, err := scramVerifier(sb.password)
	if err != nil {
		return nil, err
	}
	// The password is sent as a SCRAM verifier, so that it never appears
	// in the server's log; the role may log in for an hour at most.
	create := fmt.Sprintf("CREATE ROLE %s LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE INHERIT NOREPLICATION NOBYPASSRLS CONNECTION LIMIT 3 VALID UNTIL %s PASSWORD %s",
		sb.role, quoteLiteral(validUntil), quoteLiteral(verifier))
	if _, err := admin.ExecContext(ctx, create); err != nil {
		if isInsufficientPrivilege(err) {
			return nil, fmt.Errorf("models are loaded by a throwaway role with no rights outside the dev database, and %s cannot create roles (%v): grant it CREATEROLE (ALTER ROLE %s CREATEROLE), or connect as a user that has it; migrate does not run model SQL with the connecting user's rights",
				sb.user, err, pgx.Identifier{sb.user}.Sanitize())
		}
		return nil, fmt.Errorf("dev database: creating the throwaway role: %w", err)
	}
	if !sb.super {
		if _, err := admin.ExecContext(ctx, "GRANT "+sb.role+" TO CURRENT_USER"); err != nil {
			sb.drop(ctx, admin)
			return nil, fmt.Errorf("dev database: granting the throwaway role %s to %s: %w", sb.role, sb.user, err)
		}
	}
	return sb, nil
}

// drop removes the role.
func (sb *pgSandbox) drop(ctx context.Context, admin sqlExecer) {
	ctx = context.WithoutCancel(ctx)
	_, _ = admin.ExecContext(ctx, "DROP ROLE IF EXISTS "+sb.role)
}

// dropOwned removes what the role owns and was granted in admin's
// database (a dev_url), then the role.
func (sb *pgSandbox) dropOwned(ctx context.Context, admin sqlExecer) {
	ctx = context.WithoutCancel(ctx)
	_, _ = admin.ExecContext(ctx, "DROP OWNED BY "+sb.role)
	sb.drop(ctx, admin)
}

// login opens a session as the role on u's server, in database dbname
// ("" keeps u's).
func (sb *pgSandbox) login(ctx context.Context, u config.URL, dbname string) (*sql.DB, *sql.Conn, error) {
	p, err := url.Parse(u.DSN)
	if err != nil {
		return nil, nil, fmt.Errorf("dev database: %w", err)
	}
	p.User = url.UserPassword(sb.role, sb.password)
	if dbname != "" {
		p.Path = "/" + dbname
	}
	q := p.Query()
	for _, k := range []string{"user", "password", "passfile"} {
		q.Del(k)
	}
	if dbname != "" {
		q.Del("dbname")
	}
	p.RawQuery = q.Encode()
	ru := u
	ru.DSN = p.String()
	ru.Raw = config.Redact(ru.DSN)
	db, err := dbopen.Open(ctx, ru, false)
	if err != nil {
		return nil, nil, fmt.Errorf("models are loaded by a throwaway role with no rights outside the dev database, and it cannot log in (%v): pg_hba.conf must let any role log in to this database with a password (scram-sha-256 or md5) from where migrate runs; migrate does not run model SQL with the connecting user's rights", err)
	}
	db.SetMaxOpenConns(1)
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("dev database: %w", err)
	}
	return db, conn, nil
}

// ownedBesidesSchemas counts what the role owns in q's database besides
// schemas and (trusted) extensions.
func (sb *pgSandbox) ownedBesidesSchemas(ctx context.Context, q sqlExecer) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM pg_catalog.pg_shdepend d
 WHERE d.dbid = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())
   AND d.refclassid = 'pg_catalog.pg_authid'::regclass
   AND d.refobjid = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = $1)
   AND d.deptype = 'o'
   AND d.classid NOT IN ('pg_catalog.pg_namespace'::regclass, 'pg_catalog.pg_extension'::regclass)`, sb.role).Scan(&n)
	return n, err
}

// runAdmin runs a statement of the adminExtensions list with the
// connecting user's rights, on a session of its own in the throwaway
// database, with the dev session's search_path. Such a statement runs
// code of the server's extension scripts as that user; so that nothing
// the model made can be picked up by those scripts (a function or an
// operator shadowing one they call), the model must not have created
// anything but schemas and trusted extensions before it.
func (d *Dev) runAdmin(ctx context.Context, facts modelFacts, st modelStmt) error {
	if d.admin == nil || d.sandbox == nil {
		return facts.exec(ctx, d.Conn, st.SQL)
	}
	ac, err := d.admin(ctx)
	if err != nil {
		return err
	}
	if st.verb == "CREATE" {
		n, err := d.sandbox.ownedBesidesSchemas(ctx, ac)
		if err != nil {
			return fmt.Errorf("dev database: %w", err)
		}
		if n > 0 {
			return &ModelError{File: st.File, Line: st.Line, SQL: st.SQL, Err: fmt.Errorf(
				"this extension is not trusted, so it is created with the connecting user's rights, and only before the model creates anything but schemas (%d objects so far): move it to the top of the model", n)}
		}
	}
	var path string
	if err := d.Conn.QueryRowContext(ctx, "SELECT current_setting('search_path')").Scan(&path); err != nil {
		return fmt.Errorf("dev database: %w", err)
	}
	if _, err := ac.ExecContext(ctx, "SELECT pg_catalog.set_config('search_path', $1, false)", path); err != nil {
		return fmt.Errorf("dev database: %w", err)
	}
	return facts.exec(ctx, ac, st.SQL)
}

func isInsufficientPrivilege(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "42501"
}

// scramVerifier returns the SCRAM-SHA-256 verifier PostgreSQL stores for
// password (RFC 5802, 7677; the format of pg_authid.rolpassword), with a
// random salt.
func scramVerifier(password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	const iterations = 4096
	storedKey, serverKey, err := scramKeys(password, salt, iterations)
	if err != nil {
		return "", err
	}
	b64 := base64.StdEncoding.EncodeToString
	return fmt.Sprintf("SCRAM-SHA-256$%d:%s$%s:%s", iterations, b64(salt), b64(storedKey), b64(serverKey)), nil
}

// scramKeys derives SCRAM-SHA-256's StoredKey and ServerKey.
func scramKeys(password string, salt []byte, iterations int) (storedKey, serverKey []byte, err error) {
	salted, err := pbkdf2.Key(sha256.New, password, salt, iterations, sha256.Size)
	if err != nil {
		return nil, nil, err
	}
	clientKey := hmacSHA256(salted, "Client Key")
	stored := sha256.Sum256(clientKey)
	return stored[:], hmacSHA256(salted, "Server Key"), nil
}

func hmacSHA256(key []byte, msg string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(msg))
	return h.Sum(nil)
}

func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// sqlExecer is what the sandbox needs of a session: *sql.DB or *sql.Conn.
type sqlExecer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}
