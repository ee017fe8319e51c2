package dbopen

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/migratehq/migrate/config"
)

// TestConnectErrorOnce: an unreachable server is reported once (pgx tries
// twice under sslmode=prefer), and the password never appears.
func TestConnectErrorOnce(t *testing.T) {
	u, err := config.ParseURL("postgres://u:s3cret@127.0.0.1:1/x", "/")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Open(context.Background(), u, false)
	var ce *ConnectError
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v, want a *ConnectError", err)
	}
	msg := err.Error()
	if strings.Contains(msg, "s3cret") {
		t.Errorf("password in %q", msg)
	}
	if !strings.HasPrefix(msg, "cannot connect to postgres://u:xxxxx@127.0.0.1:1/x: ") || strings.Count(msg, "connection refused") != 1 {
		t.Errorf("message = %q, want one \"connection refused\"", msg)
	}
}
