package versions

import (
	"errors"
	"strings"
	"testing"
)

func TestParseBadBytes(t *testing.T) {
	const hdr = "-- migrate:revision abc\n\n-- migrate:up\n"
	tests := []struct {
		name      string
		src       string
		line, col int
		msg       string
	}{
		{"NUL before a statement", hdr + "CREATE TABLE a (x int);\n\x00CREATE TABLE b (x int);\n", 5, 1, "NUL byte"},
		{"NUL inside a string", hdr + "INSERT INTO a VALUES ('x\x00y');\n", 4, 25, "NUL byte"},
		{"NUL in the header", "-- migrate:revision abc\n-- migrate:message a\x00b\n-- migrate:up\n", 2, 21, "NUL byte"},
		{"NUL in the down section", hdr + "SELECT 1;\n-- migrate:down\nDROP TABLE a;\x00\n", 6, 14, "NUL byte"},
		{"invalid UTF-8", hdr + "SELECT 'caf\xe9';\n", 4, 12, "invalid UTF-8 (byte 0xe9)"},
		{"column counts characters", hdr + "SELECT 'été', '\xff';\n", 4, 16, "invalid UTF-8 (byte 0xff)"},
		{"truncated sequence", hdr + "SELECT '\xe2\x82';\n", 4, 9, "invalid UTF-8 (byte 0xe2)"},
		{"first of the two", hdr + "SELECT '\xff';\x00\n", 4, 9, "invalid UTF-8"},
		{"UTF-16", "\xff\xfe-\x00-\x00", 1, 1, "the file is UTF-16"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("v/f.sql", []byte(tt.src))
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse accepted the file (err = %v)", err)
			}
			if pe.Line != tt.line || pe.Column != tt.col || !strings.Contains(pe.Msg, tt.msg) {
				t.Errorf("got %v, want v/f.sql:%d:%d: ...%s...", err, tt.line, tt.col, tt.msg)
			}
			if want := "v/f.sql:" + itoa(tt.line) + ":" + itoa(tt.col) + ": "; !strings.HasPrefix(err.Error(), want) {
				t.Errorf("Error() = %q, want the prefix %q", err, want)
			}
		})
	}
	// A BOM and any valid UTF-8 are fine.
	if _, err := Parse("v/f.sql", []byte("\ufeff"+hdr+"SELECT 'žluťoučký 🐎', E'\\x00';\n")); err != nil {
		t.Errorf("valid UTF-8 rejected: %v", err)
	}
}

func itoa(n int) string {
	var b []byte
	for {
		b = append([]byte{byte('0' + n%10)}, b...)
		if n /= 10; n == 0 {
			return string(b)
		}
	}
}
