package autogen

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"testing"

	"github.com/migratehq/migrate/config"
	"github.com/migratehq/migrate/internal/testdb"
)

// TestSCRAMKeys checks the verifier's keys against RFC 7677's example
// exchange: the server signature the RFC shows is HMAC(ServerKey,
// AuthMessage), and the client proof XOR HMAC(StoredKey, AuthMessage)
// hashes to StoredKey.
func TestSCRAMKeys(t *testing.T) {
	salt, _ := base64.StdEncoding.DecodeString("W22ZaJ0SNY7soEsUEjb6gQ==")
	stored, server, err := scramKeys("pencil", salt, 4096)
	if err != nil {
		t.Fatal(err)
	}
	auth := "n=user,r=rOprNGfwEbeRWgbNEkqO," +
		"r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096," +
		"c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0"
	if got := base64.StdEncoding.EncodeToString(hmacSHA256(server, auth)); got != "6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=" {
		t.Errorf("server signature %s", got)
	}
	proof, _ := base64.StdEncoding.DecodeString("dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")
	sig := hmacSHA256(stored, auth)
	clientKey := make([]byte, len(proof))
	for i := range proof {
		clientKey[i] = proof[i] ^ sig[i]
	}
	if h := sha256Sum(clientKey); string(h) != string(stored) {
		t.Errorf("StoredKey does not match the RFC's client proof")
	}
}

// TestSandboxRoleVerifier: the server takes the verifier as one (stores
// it as it is, rather than hashing it as a password), and the role has
// none of the rights that reach outside.
func TestSandboxRoleVerifier(t *testing.T) {
	testdb.RequirePostgres(t)
	u, _ := config.ParseURL(testdb.AdminURL(), "")
	db, err := sql.Open(u.Driver, u.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	sb, err := createSandboxRole(ctx, db, randomHex(6))
	if err != nil {
		t.Fatal(err)
	}
	defer sb.drop(ctx, db)
	var stored string
	var super, createdb, createrole, repl, bypass, login bool
	if err := db.QueryRow(`SELECT rolpassword, rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls, rolcanlogin
  FROM pg_authid WHERE rolname = $1`, sb.role).Scan(&stored, &super, &createdb, &createrole, &repl, &bypass, &login); err != nil {
		t.Fatal(err)
	}
	if len(stored) < 14 || stored[:14] != "SCRAM-SHA-256$" || super || createdb || createrole || repl || bypass || !login {
		t.Fatalf("role %s: password %q super %v createdb %v createrole %v replication %v bypassrls %v login %v", sb.role, stored, super, createdb, createrole, repl, bypass, login)
	}
	var n int
	if err := db.QueryRow("SELECT count(*) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member WHERE r.rolname = $1", sb.role).Scan(&n); err != nil || n != 0 {
		t.Fatalf("the role is a member of %d roles (%v)", n, err)
	}
}

func sha256Sum(b []byte) []byte {
	h := sha256.Sum256(b)
	return h[:]
}
