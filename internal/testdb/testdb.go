// Package testdb gives tests real databases: a fresh PostgreSQL database
// with a random name (dropped when the test ends) and SQLite file paths.
//
// PostgreSQL comes from MIGRATE_TEST_POSTGRES_URL, by default the local
// server on 127.0.0.1:5432 as user postgres. When it cannot be reached the
// test is skipped with a loud reason, except under CI=true, where it fails.
package testdb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/migratehq/migrate/config"
)

// DefaultPostgresURL is the server used when MIGRATE_TEST_POSTGRES_URL is unset.
const DefaultPostgresURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// AdminURL is the URL of the maintenance database tests connect to in order
// to create and drop their own databases.
func AdminURL() string {
	if u := os.Getenv("MIGRATE_TEST_POSTGRES_URL"); u != "" {
		return u
	}
	return DefaultPostgresURL
}

var (
	reachOnce sync.Once
	reachErr  error
)

func reachable() error {
	reachOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, AdminURL())
		if err != nil {
			reachErr = err
			return
		}
		reachErr = conn.Ping(ctx)
		conn.Close(ctx)
	})
	return reachErr
}

// RequirePostgres skips the test (fails it under CI=true) when the test
// server cannot be reached.
func RequirePostgres(t testing.TB) {
	t.Helper()
	if err := reachable(); err != nil {
		msg := fmt.Sprintf("PostgreSQL test server unreachable at %s: %v", config.Redact(AdminURL()), err)
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s (CI=true: PostgreSQL is required)", msg)
		}
		t.Skipf("SKIPPING PostgreSQL test: %s", msg)
	}
}

// RandomName returns prefix followed by 12 random hex digits.
func RandomName(prefix string) string {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return prefix + hex.EncodeToString(b[:])
}

// Postgres creates a fresh database with a random name and returns its URL.
// The database is dropped (with FORCE) when the test ends.
func Postgres(t testing.TB) string {
	t.Helper()
	RequirePostgres(t)
	u, drop, err := CreatePostgres()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := drop(); err != nil {
			t.Error(err)
		}
	})
	return u
}

// Reachable reports whether the PostgreSQL test server answers.
func Reachable() error { return reachable() }

// CreatePostgres creates a fresh database with a random name, for callers
// outside a *testing.T (script setups); drop removes it.
func CreatePostgres() (url string, drop func() error, err error) {
	if err := reachable(); err != nil {
		return "", nil, fmt.Errorf("testdb: PostgreSQL unreachable at %s: %w", config.Redact(AdminURL()), err)
	}
	name := RandomName("migrate_test_")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := exec(ctx, "CREATE DATABASE "+name); err != nil {
		return "", nil, fmt.Errorf("testdb: create database %s: %w", name, err)
	}
	drop = func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			return fmt.Errorf("testdb: drop database %s: %w", name, err)
		}
		return nil
	}
	return WithDatabase(AdminURL(), name), drop, nil
}

// WithDatabase returns u with its database name replaced by name.
func WithDatabase(u, name string) string {
	p, err := url.Parse(u)
	if err != nil {
		panic(err)
	}
	p.Path = "/" + name
	return p.String()
}

func exec(ctx context.Context, sql string) error {
	conn, err := pgx.Connect(ctx, AdminURL())
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}

// SQLitePath returns the path of a not yet existing SQLite file in a
// temporary directory removed when the test ends.
func SQLitePath(t testing.TB) string {
	t.Helper()
	return filepath.Join(t.TempDir(), "test.db")
}

// Realworld returns the path of ../shared/realworld (relative to the module
// root) or skips the test with a reason when it is absent.
func Realworld(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("testdb: go.mod not found above the working directory")
		}
		dir = parent
	}
	rw := filepath.Join(filepath.Dir(dir), "shared", "realworld")
	if _, err := os.Stat(rw); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("testdb: %s is missing (CI=true: the real-world schemas are required)", rw)
		}
		t.Skipf("SKIPPING: real-world schemas not found at %s", rw)
	}
	return rw
}
