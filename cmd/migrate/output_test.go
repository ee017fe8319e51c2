package main

import "testing"

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
