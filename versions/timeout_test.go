package versions

import (
	"strings"
	"testing"
	"time"
)

// TestTimeoutHeaders: -- migrate:lock_timeout and -- migrate:statement_timeout
// are read as durations, rendered back, and bad values are errors naming
// the line.
func TestTimeoutHeaders(t *testing.T) {
	src := "-- migrate:revision abc\n-- migrate:lock_timeout 30s\n-- migrate:statement_timeout 0\n\n-- migrate:up\nSELECT 1;\n"
	r, err := Parse("v/abc.sql", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if r.LockTimeout == nil || *r.LockTimeout != 30*time.Second {
		t.Errorf("LockTimeout = %v, want 30s", r.LockTimeout)
	}
	if r.StatementTimeout == nil || *r.StatementTimeout != 0 {
		t.Errorf("StatementTimeout = %v, want 0", r.StatementTimeout)
	}
	out := string(Render(r))
	for _, want := range []string{"-- migrate:lock_timeout 30s\n", "-- migrate:statement_timeout 0s\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("Render lacks %q:\n%s", want, out)
		}
	}
	r2, err := Parse("v/abc.sql", []byte(out))
	if err != nil || !sameRevision(r, r2) {
		t.Errorf("round trip: %v\n%#v\n%#v", err, r, r2)
	}
	plain, err := Parse("v/abc.sql", []byte("-- migrate:revision abc\n-- migrate:up\n"))
	if err != nil || plain.LockTimeout != nil || plain.StatementTimeout != nil {
		t.Errorf("no header: %v %v %v", err, plain.LockTimeout, plain.StatementTimeout)
	}

	for _, c := range []struct{ value, msg string }{
		{"5", `-- migrate:lock_timeout: "5" is not a duration`},
		{"-1s", `"-1s" is negative`},
		{"10us", `"10us" is under a millisecond`},
		{"600h", `"600h" is longer than`},
		{"", `"" is not a duration`},
	} {
		_, err := Parse("v/abc.sql", []byte("-- migrate:revision abc\n-- migrate:lock_timeout "+c.value+"\n-- migrate:up\n"))
		if err == nil || !strings.Contains(err.Error(), c.msg) || !strings.HasPrefix(err.Error(), "v/abc.sql:2: ") {
			t.Errorf("lock_timeout %q: err = %v, want v/abc.sql:2: … %s", c.value, err, c.msg)
		}
	}
}
