package versions

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestNewID(t *testing.T) {
	re := regexp.MustCompile(`^[0-9a-f]{12}$`)
	seen := map[string]bool{}
	for range 1000 {
		id := NewID()
		if !re.MatchString(id) || CheckID(id) != nil {
			t.Fatalf("bad id %q", id)
		}
		if seen[id] {
			t.Fatalf("repeated id %q", id)
		}
		seen[id] = true
	}
}

func TestCheckID(t *testing.T) {
	ok := []string{"a", "3f9a1c2b7d10", "add_users_2", "ABC", strings.Repeat("x", 32), "headline", "based"}
	for _, id := range ok {
		if err := CheckID(id); err != nil {
			t.Errorf("CheckID(%q) = %v", id, err)
		}
	}
	bad := map[string]string{
		"":                      "empty revision id",
		"r2-bb":                 `character(s) '-' not allowed in revision id "r2-bb"`,
		"a@b+c:d;e":             `character(s) '@', '+', ':', ';' not allowed`,
		"a--b":                  `character(s) '-' not allowed`,
		"ünï":                   `character(s) 'ü', 'ï' not allowed`,
		"a b":                   `character(s) ' ' not allowed`,
		strings.Repeat("x", 33): "is 33 characters long; the limit is 32",
		"head":                  "reserved word",
		"Heads":                 "reserved word",
		"base":                  "reserved word",
		"current":               "reserved word",
	}
	for id, msg := range bad {
		err := CheckID(id)
		if err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("CheckID(%q) = %v, want %q", id, err, msg)
		}
	}
}

func TestSlug(t *testing.T) {
	tests := map[string]string{
		"Add User Table, with e-mail & Ünïcode!! 2nd try": "add_user_table_with_e_mail_ünïcode_2nd",
		"add users":                   "add_users",
		"":                            "",
		"  !!  ":                      "",
		"snake_case name":             "snake_case_name",
		"Ärger über Öl":               "ärger_über_öl",
		"a" + strings.Repeat("b", 45): "a" + strings.Repeat("b", 39), // no '_' to cut back to
		"exactly forty characters long slug text":                 "exactly_forty_characters_long_slug_text",
		"this message is longer than forty chars!!":               "this_message_is_longer_than_forty_chars",
		"this message is definitely longer than forty characters": "this_message_is_definitely_longer_than",
		"forty chars exactly then ___ underscores and more":       "forty_chars_exactly_then_underscores",
		"add  users -- and __ posts ___":                          "add_users_and_posts", // runs of '_' collapse
		"__init__ table_":                                         "init_table",
	}
	for msg, want := range tests {
		if got := Slug(msg); got != want {
			t.Errorf("Slug(%q) = %q, want %q", msg, got, want)
		}
	}
}

func TestFileName(t *testing.T) {
	ts := time.Date(2026, 11, 22, 1, 20, 15, 0, time.FixedZone("CET", 3600))
	tests := []struct {
		tmpl, want, err string
	}{
		{DefaultFileTemplate, "20261122002015_abc124_hello_.sql", ""},
		{"{year}_{month}_{day}_{hour}{minute}-{epoch}-{rev}_{slug}", "2026_11_22_0020-1795306815-abc124_hello_.sql", ""},
		{"{rev}", "abc124.sql", ""},
		{"{second}", "15.sql", ""},
		{"{date}_{nope}", "", "unknown token {nope}"},
		{"{date", "", `unclosed "{date"`},
		{"sub/{rev}", "", "path separator"},
		{"", "", "empty or hidden"},
		{".{rev}", "", "empty or hidden"},
	}
	for _, tt := range tests {
		got, err := FileName(tt.tmpl, "abc124", "hello_", ts)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("FileName(%q) error = %v, want %q", tt.tmpl, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("FileName(%q) = %q, %v; want %q", tt.tmpl, got, err, tt.want)
		}
	}
	// No message: no separator left dangling.
	for tmpl, want := range map[string]string{
		DefaultFileTemplate:     "20261122002015_abc124.sql",
		"{slug}_{rev}":          "abc124.sql",
		"{rev}_{slug}_{second}": "abc124_15.sql",
		"{rev}-{slug}":          "abc124.sql",
	} {
		if got, err := FileName(tmpl, "abc124", "", ts); err != nil || got != want {
			t.Errorf("FileName(%q) with no slug = %q, %v; want %q", tmpl, got, err, want)
		}
	}
	// Fixed width: names sort by time.
	a, _ := FileName(DefaultFileTemplate, "ffff", "x", time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	b, _ := FileName(DefaultFileTemplate, "0000", "x", time.Date(2026, 10, 2, 3, 4, 5, 0, time.UTC))
	if !(a < b) {
		t.Errorf("%q should sort before %q", a, b)
	}
}

func TestChecksum(t *testing.T) {
	base := Checksum("CREATE TABLE t (\n  a int, -- the key\n  b text DEFAULT 'x  y'\n);\n", "DROP TABLE t;\n")
	if len(base) != 64 {
		t.Fatalf("checksum %q is not hex sha256", base)
	}
	same := [][2]string{
		{"CREATE TABLE t (\r\n  a int, -- the key\r\n  b text DEFAULT 'x  y'\r\n);\r\n", "DROP TABLE t;\r\n"},
		{"-- header comment\nCREATE TABLE t (a int, b text DEFAULT 'x  y');", "\n\nDROP TABLE t; -- bye\n"},
		{"CREATE TABLE t(a int,b text DEFAULT 'x  y');", "/* c */ DROP   TABLE t ;"},
	}
	for _, s := range same {
		if got := Checksum(s[0], s[1]); got != base {
			t.Errorf("Checksum(%q, %q) changed on a comment/whitespace edit", s[0], s[1])
		}
	}
	differ := [][2]string{
		{"CREATE TABLE t (a int, b text DEFAULT 'x y');", "DROP TABLE t;"},     // quoted text
		{"CREATE TABLE t (a bigint, b text DEFAULT 'x  y');", "DROP TABLE t;"}, // a token
		{"CREATE TABLE t (a int, b text DEFAULT 'x  y');", "DROP TABLE t2;"},   // the down section
		{"CREATE TABLE t (a int, b text DEFAULT 'x  y'); DROP TABLE t;", ""},   // moved between sections
		{"create table t (a int, b text default 'x  y');", "drop table t;"},    // case
	}
	for _, s := range differ {
		if Checksum(s[0], s[1]) == base {
			t.Errorf("Checksum(%q, %q) did not change", s[0], s[1])
		}
	}
	if Checksum("a", "") == Checksum("", "a") {
		t.Error("up and down are not distinguished")
	}
}

func TestCheckLabel(t *testing.T) {
	if err := CheckLabel("billing_v2"); err != nil {
		t.Errorf("CheckLabel(billing_v2) = %v", err)
	}
	for label, want := range map[string]string{
		"bad label": `character(s) ' ' not allowed in branch label "bad label"`,
		"a@b":       `character(s) '@' not allowed in branch label "a@b"`,
		"heads":     `branch label "heads" is a reserved word`,
		"":          "empty branch label",
	} {
		if err := CheckLabel(label); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("CheckLabel(%q) = %v, want %q", label, err, want)
		}
	}
}

func TestNewFileName(t *testing.T) {
	at := time.Date(2026, 11, 22, 1, 0, 0, 0, time.UTC)
	parent := &Revision{ID: "ffff0001", Message: "a", Transactional: true, Path: "versions/20261122010000_ffff0001_a.sql"}
	g, err := NewGraph([]*Revision{parent})
	if err != nil {
		t.Fatal(err)
	}
	child := &Revision{ID: "0000aaa1", Parents: []string{"ffff0001"}, Message: "b"}
	name, used, err := NewFileName(g, DefaultFileTemplate, child, at)
	if err != nil || name != "20261122010001_0000aaa1_b.sql" || !used.Equal(at.Add(time.Second)) {
		t.Fatalf("same second: %s at %v (%v)", name, used, err)
	}
	name, _, _ = NewFileName(g, DefaultFileTemplate, child, at.Add(time.Minute))
	if name != "20261122010100_0000aaa1_b.sql" {
		t.Fatalf("later: %s", name)
	}
	// Without a date in the template the name cannot move.
	name, _, _ = NewFileName(g, "{rev}_{slug}", child, at)
	if name != "0000aaa1_b.sql" {
		t.Fatalf("no date: %s", name)
	}
}
