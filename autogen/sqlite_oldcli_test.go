package autogen

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/migratehq/migrate/internal/testdb"
)

// TestSQLiteGoldensOnSQLite3CLI runs the golden Up and Down of every
// SQLite scenario (rendered for the default sqlite_version, 3.35) through
// the system's sqlite3 shell, an older SQLite than the bundled driver
// (Debian 12 has 3.40): each must run without error, in a transaction
// with foreign keys off as the runner does it, and leave PRAGMA
// foreign_key_check clean. TestSQLiteScenarios checks what they do.
func TestSQLiteGoldensOnSQLite3CLI(t *testing.T) {
	shell, err := exec.LookPath("sqlite3")
	if err != nil {
		t.Skip("no sqlite3 shell on PATH (apt-get install sqlite3): the goldens are not tried on an older SQLite")
	}
	out, err := exec.Command(shell, "--version").Output()
	if err != nil {
		t.Fatalf("sqlite3 --version: %v", err)
	}
	version, _, _ := strings.Cut(string(out), " ")
	t.Logf("sqlite3 shell %s (the revisions target %s)", version, SQLiteVersionString(DefaultSQLiteVersion))
	dirs, err := filepath.Glob(filepath.Join("testdata", "diff", "sqlite", "*"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no SQLite scenarios: %v", err)
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			t.Parallel()
			path := testdb.SQLitePath(t)
			read := func(name string) string { return sqliteReadFile(t, filepath.Join(dir, name)) }
			sqlite3Run(t, shell, path, "before.sql and data.sql", read("before.sql")+"\n;\n"+read("data.sql"))
			for _, step := range []string{"up.sql", "down.sql"} {
				script := "PRAGMA foreign_keys = OFF;\nBEGIN;\n" + read(step) + "\nPRAGMA foreign_key_check;\nCOMMIT;\n"
				if got := sqlite3Run(t, shell, path, step, script); got != "" {
					t.Errorf("%s: PRAGMA foreign_key_check after it:\n%s", step, got)
				}
			}
		})
	}
}

// sqlite3Run runs a script through the sqlite3 shell on the database at
// path, stopping at the first error, and returns what it printed.
func sqlite3Run(t *testing.T, shell, path, what, script string) string {
	t.Helper()
	cmd := exec.Command(shell, "-bail", "-batch", path)
	cmd.Stdin = strings.NewReader(script)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil || stderr.Len() > 0 {
		t.Fatalf("sqlite3 refuses %s: %v\n%s", what, err, stderr.String())
	}
	return stdout.String()
}
