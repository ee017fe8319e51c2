package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/migratehq/migrate/config"
	"github.com/migratehq/migrate/internal/dbopen"
	"github.com/migratehq/migrate/internal/testdb"
)

// TestMain lets the test binary act as the real `migrate` command inside
// scripts: `exec migrate ...` and `migrate ...` run Main in a new process.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"migrate": func() { os.Exit(Main(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs testdata/script/*.txtar: each reads like a terminal
// session against real databases. Scripts that need PostgreSQL start with
// `[!pg] skip`; each gets its own database in $PG_URL.
func TestScripts(t *testing.T) {
	pgErr := testdb.Reachable()
	if pgErr != nil && os.Getenv("CI") == "true" {
		t.Fatalf("PostgreSQL unreachable under CI=true: %v", pgErr)
	}
	if pgErr != nil {
		t.Logf("SKIPPING the PostgreSQL parts of the scripts: %v", pgErr)
	}
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: false,
		UpdateScripts:       os.Getenv("UPDATE_SCRIPTS") == "1",
		Setup: func(env *testscript.Env) error {
			env.Setenv("MIGRATE_ENV", "")
			env.Setenv("DATABASE_URL", "")
			env.Setenv("CI", os.Getenv("CI"))
			if pgErr != nil {
				return nil
			}
			u, drop, err := testdb.CreatePostgres()
			if err != nil {
				return err
			}
			env.Defer(func() {
				if err := drop(); err != nil {
					env.T().Log(err)
				}
			})
			env.Setenv("PG_URL", u)
			return nil
		},
		Condition: func(cond string) (bool, error) {
			switch cond {
			case "pg":
				return pgErr == nil, nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"sqlquery": cmdSQL(true),
			"sqlexec":  cmdSQL(false),
		},
	})
}

// cmdSQL: sqlquery URL SQL prints the rows (tab-separated); sqlexec URL
// SQL runs statements. Relative SQLite paths are relative to $WORK.
func cmdSQL(query bool) func(ts *testscript.TestScript, neg bool, args []string) {
	return func(ts *testscript.TestScript, neg bool, args []string) {
		if len(args) != 2 {
			ts.Fatalf("usage: sqlquery|sqlexec URL SQL")
		}
		u, err := config.ParseURL(args[0], ts.MkAbs("."))
		ts.Check(err)
		db, err := dbopen.Open(context.Background(), u, true)
		ts.Check(err)
		defer db.Close()
		if !query {
			_, err = db.Exec(args[1])
			if neg {
				if err == nil {
					ts.Fatalf("sqlexec succeeded unexpectedly")
				}
				return
			}
			ts.Check(err)
			return
		}
		rows, err := db.Query(args[1])
		if neg {
			if err == nil {
				rows.Close()
				ts.Fatalf("sqlquery succeeded unexpectedly")
			}
			return
		}
		ts.Check(err)
		defer rows.Close()
		cols, err := rows.Columns()
		ts.Check(err)
		for rows.Next() {
			vals := make([]sql.NullString, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			ts.Check(rows.Scan(ptrs...))
			var parts []string
			for _, v := range vals {
				if v.Valid {
					parts = append(parts, v.String)
				} else {
					parts = append(parts, "NULL")
				}
			}
			fmt.Fprintln(ts.Stdout(), strings.Join(parts, "\t"))
		}
		ts.Check(rows.Err())
	}
}
