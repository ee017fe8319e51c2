package autogen_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/migratehq/migrate/autogen"
	"github.com/migratehq/migrate/schema"
)

// TestLoadProgress: Input.Progress follows the load of the models into
// the dev database, statement by statement, from 0 to the total.
func TestLoadProgress(t *testing.T) {
	db, u := goModelsDB(t, schema.SQLite)
	model := filepath.Join(t.TempDir(), "schema.sql")
	writeFile(t, model, "CREATE TABLE a (id integer PRIMARY KEY);\nCREATE TABLE b (id integer PRIMARY KEY);\nCREATE INDEX b_id ON b (id);\n")
	var calls []string
	_, err := autogen.Generate(context.Background(), autogen.Input{Dialect: schema.SQLite, Live: db, Source: autogen.SQLFiles{model},
		Dev: autogen.DevProvider(u, db, "", "", ""),
		Progress: func(what string, done, total int) {
			calls = append(calls, fmt.Sprintf("%s %d/%d", what, done, total))
		}})
	if err != nil {
		t.Fatal(err)
	}
	const what = "Loading models into the dev database"
	want := []string{what + " 0/3", what + " 1/3", what + " 2/3", what + " 3/3"}
	if strings.Join(calls, "\n") != strings.Join(want, "\n") {
		t.Errorf("progress calls:\n%s\nwant:\n%s", strings.Join(calls, "\n"), strings.Join(want, "\n"))
	}
}
