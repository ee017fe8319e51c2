package main

import (
	"errors"
	"fmt"
	"testing"

	"github.com/migratehq/migrate/autogen"
	"github.com/migratehq/migrate/schema/gomodel"
)

func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		"plain text, 1 -> 2\n\tindented": "plain text, 1 -> 2\n\tindented",
		"Add \x1b[2Jusers\a":             `Add \x1b[2Jusers\x07`,
		"a\rb":                           `a\x0db`,
		"line\r\nnext":                   "line\r\nnext",
		"del\x7f nul\x00":                `del\x7f nul\x00`,
		"žluťoučký kůň 🐎":                "žluťoučký kůň 🐎",
		"c1 \u009b31m":                   `c1 \u009b31m`,
		"rtl \u202eevil\u202c":           `rtl \u202eevil\u202c`,
		"bad \xff\xfe utf-8":             `bad \xff\xfe utf-8`,
		"":                               "",
	} {
		if got := printable(in); got != want {
			t.Errorf("printable(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestJSONRequested(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want bool
	}{
		{[]string{"upgrade"}, false},
		{[]string{"--json", "bogus"}, true},
		{[]string{"upgrade", "--bogus", "--json"}, true},
		{[]string{"--json=true", "x"}, true},
		{[]string{"--json", "--json=false", "x"}, false},
		{[]string{"--json=maybe", "x"}, false},
		{[]string{"upgrade", "--", "--json"}, false},
	} {
		if got := jsonRequested(tt.args); got != tt.want {
			t.Errorf("jsonRequested(%q) = %v, want %v", tt.args, got, tt.want)
		}
	}
}

func TestModelPlace(t *testing.T) {
	for _, tt := range []struct {
		err  error
		file string
		line int
	}{
		{fmt.Errorf("autogenerate: %w", &autogen.ModelError{File: "schema.sql", Line: 4, Rejected: true, Err: errors.New("x")}), "schema.sql", 4},
		{&autogen.HintError{File: "m.sql", Line: 2, Msg: "x"}, "m.sql", 2},
		{gomodel.ErrorList{{File: "models/a.go", Line: 6, Msg: "x"}, {File: "models/b.go", Line: 1, Msg: "y"}}, "models/a.go", 6},
		{&autogen.ModelError{File: "(the model as migrate renders it)", Line: 3, Err: errors.New("x")}, "", 0},
		{errors.New("plain"), "", 0},
	} {
		if f, l := modelPlace(tt.err); f != tt.file || l != tt.line {
			t.Errorf("modelPlace(%v) = %q, %d; want %q, %d", tt.err, f, l, tt.file, tt.line)
		}
	}
}
