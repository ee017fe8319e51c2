package schematest

import (
	"context"
	"database/sql"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"

	"github.com/migratehq/migrate/internal/testdb"
)

// bigTransactionKey is the advisory lock key of LockBigTransaction
// ("migrate-big-tx" in ASCII).
const bigTransactionKey = 0x6d6967726174652d

// LockBigTransaction takes a cluster-wide lock that serialises, across
// tests and test processes, the PostgreSQL transactions that hold
// thousands of locks, and returns its release (also run at cleanup).
//
// PostgreSQL's shared lock table (max_locks_per_transaction ×
// max_connections: 6,400 entries by default, plus some slack) holds one
// musicbrainz-sized transaction — 513 tables with their indexes,
// sequences and TOAST tables, about 8,500 locks — but not two: the
// second, or any other session, fails with "out of shared memory". Take
// this lock around what runs such a transaction: loading a model into a
// dev database (autogen.Generate), applying a schema in one transaction
// (an upgrade with the runner's default transaction mode). The lock is an
// advisory lock in the maintenance database, so every process using the
// same server shares it.
func LockBigTransaction(t testing.TB) (unlock func()) {
	t.Helper()
	testdb.RequirePostgres(t)
	db, err := sql.Open("pgx", testdb.AdminURL())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", int64(bigTransactionKey)); err != nil {
		conn.Close()
		db.Close()
		t.Fatalf("waiting for the big-transaction lock: %v", err)
	}
	released := false
	unlock = func() {
		if released {
			return
		}
		released = true
		// Closing the session releases the lock; unlock first so that a
		// pooled connection could not keep it.
		_, _ = conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock($1)", int64(bigTransactionKey))
		conn.Close()
		db.Close()
	}
	t.Cleanup(unlock)
	return unlock
}
