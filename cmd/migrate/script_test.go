package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

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
			// Under -race every process sleeps 1 s at exit by default
			// (atexit_sleep_ms); scripts start hundreds of them.
			env.Setenv("GORACE", strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
			if pgErr != nil || !usesPostgres(env) {
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
			"sqlquery":  cmdSQL(true),
			"sqlexec":   cmdSQL(false),
			"exitcode":  cmdExitCode,
			"waitsql":   cmdWaitSQL,
			"jsonlines": cmdJSONLines,
		},
	})
}

// usesPostgres tells whether the script mentions $PG_URL: only those get
// a database of their own (creating one per SQLite script is slow on a
// busy server).
func usesPostgres(env *testscript.Env) bool {
	name := strings.TrimPrefix(filepath.Base(env.WorkDir), "script-")
	data, err := os.ReadFile(filepath.Join("testdata", "script", name+".txtar"))
	return err != nil || strings.Contains(string(data), "PG_URL")
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

// cmdExitCode: exitcode N PROG ARGS... runs PROG like exec and fails
// unless it exits with status N (exec only tells zero from non-zero).
// Its stdout and stderr are kept for the following stdout/stderr checks.
func cmdExitCode(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exitcode N PROG [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	err = ts.Exec(args[1], args[2:]...)
	got := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		got = ee.ExitCode()
	case err != nil:
		ts.Fatalf("%s: %v", args[1], err)
	}
	if got != want {
		ts.Fatalf("%s exited %d, want %d", args[1], got, want)
	}
}

// cmdWaitSQL: waitsql URL 'SQL' runs the query every 20 ms until its
// first column is true (or the script's 30 s run out): it orders a script
// step after something a background command does.
func cmdWaitSQL(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: waitsql URL SQL")
	}
	u, err := config.ParseURL(args[0], ts.MkAbs("."))
	ts.Check(err)
	db, err := dbopen.Open(context.Background(), u, false)
	ts.Check(err)
	defer db.Close()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var ok bool
		err := db.QueryRow(args[1]).Scan(&ok)
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			ts.Fatalf("waitsql: %q not true after 30 s (last error: %v)", args[1], err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// cmdJSONLines: jsonlines [N] fails unless every line of the last
// command's stdout is one JSON value (an object or array), and, with N,
// unless there are N lines.
func cmdJSONLines(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) > 1 {
		ts.Fatalf("usage: jsonlines [N]")
	}
	out := ts.ReadFile("stdout")
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if out == "" {
		lines = nil
	}
	for i, l := range lines {
		var v any
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			ts.Fatalf("stdout line %d is not JSON (%v): %s", i+1, err, l)
		}
		switch v.(type) {
		case map[string]any, []any:
		default:
			ts.Fatalf("stdout line %d is JSON but not an object or array: %s", i+1, l)
		}
	}
	if len(args) == 1 {
		n, err := strconv.Atoi(args[0])
		ts.Check(err)
		if len(lines) != n {
			ts.Fatalf("stdout has %d JSON lines, want %d", len(lines), n)
		}
	}
}
