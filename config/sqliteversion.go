package config

import (
	"fmt"
	"strconv"
	"strings"
)

// MinSQLiteVersion is the oldest [models] sqlite_version accepted, as
// SQLite numbers versions: 3.35, the first SQLite with ALTER TABLE DROP
// COLUMN, which autogenerate's SQLite revisions use.
const MinSQLiteVersion = 3035000

// ParseSQLiteVersion reads a SQLite version written "major.minor" or
// "major.minor.patch" ("3.35", "3.40.1") as SQLite numbers it
// (sqlite3_libversion_number: 3040001). The major version must be 3 and
// the version at least MinSQLiteVersion.
func ParseSQLiteVersion(s string) (int, error) {
	parts := strings.Split(s, ".")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, fmt.Errorf("sqlite_version %q: expected major.minor or major.minor.patch, such as \"3.35\"", s)
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 || v > 999 || p != strconv.Itoa(v) {
			return 0, fmt.Errorf("sqlite_version %q: expected major.minor or major.minor.patch, such as \"3.35\"", s)
		}
		n[i] = v
	}
	if n[0] != 3 {
		return 0, fmt.Errorf("sqlite_version %q: only SQLite 3 is supported", s)
	}
	v := n[0]*1000000 + n[1]*1000 + n[2]
	if v < MinSQLiteVersion {
		return 0, fmt.Errorf("sqlite_version %q: the oldest supported is \"3.35\" (autogenerate's SQLite revisions use ALTER TABLE DROP COLUMN)", s)
	}
	return v, nil
}

// sqliteVersion checks the raw value of [models] sqlite_version (nil when
// absent) and returns its number, 0 when absent.
func sqliteVersion(raw any) (int, error) {
	switch v := raw.(type) {
	case nil:
		return 0, nil
	case string:
		return ParseSQLiteVersion(v)
	}
	return 0, fmt.Errorf("sqlite_version must be a string such as \"3.35\" (a number cannot tell 3.4 from 3.40), not %v", raw)
}
