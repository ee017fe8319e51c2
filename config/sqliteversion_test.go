package config

import (
	"strings"
	"testing"
)

func TestParseSQLiteVersion(t *testing.T) {
	for s, want := range map[string]int{"3.35": 3035000, "3.40.1": 3040001, "3.53": 3053000, "3.100.2": 3100002} {
		if got, err := ParseSQLiteVersion(s); err != nil || got != want {
			t.Errorf("ParseSQLiteVersion(%q) = %d, %v; want %d", s, got, err, want)
		}
	}
	for _, s := range []string{"", "3", "3.", "3.35.", "3.35.0.1", "v3.35", "3.035", "3.-1", "3.x", " 3.35", "4.0", "3.34.9", "3.8"} {
		if got, err := ParseSQLiteVersion(s); err == nil {
			t.Errorf("ParseSQLiteVersion(%q) = %d, want an error", s, got)
		}
	}
}

func TestSQLiteVersionKey(t *testing.T) {
	c, err := Parse("migrate.toml", "/proj", []byte("[models]\nsql = [\"s.sql\"]\nsqlite_version = \"3.53\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Models.SQLiteVersion != 3053000 {
		t.Errorf("SQLiteVersion = %d, want 3053000", c.Models.SQLiteVersion)
	}
	if c, err := Parse("migrate.toml", "/proj", []byte("[models]\nsql = [\"s.sql\"]\n")); err != nil || c.Models.SQLiteVersion != 0 {
		t.Errorf("unset: %d, %v; want 0", c.Models.SQLiteVersion, err)
	}
	for text, want := range map[string]string{
		"[models]\nsql = [\"s.sql\"]\nsqlite_version = \"3.30\"\n": `migrate.toml:3: [models] sqlite_version "3.30": the oldest supported is "3.35"`,
		"[models]\n\nsqlite_version = \"three\"\n":                 `migrate.toml:3: [models] sqlite_version "three": expected major.minor or major.minor.patch`,
		"versions = \"v\"\n[models]\nsqlite_version = 3.40\n":      `migrate.toml:3: [models] sqlite_version must be a string such as "3.35"`,
		"versions = \"v\"\n[models]\nsqlite_versions = \"3.40\"\n": "known keys in [models]: sql, go, include, exclude, tags, sqlite_version",
	} {
		_, err := Parse("migrate.toml", "/proj", []byte(text))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q) error = %v, want %q", text, err, want)
		}
	}
}
