package gormcheck_test

import (
	"context"
	"database/sql"
	"fmt"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/migratehq/migrate/autogen"
	"github.com/migratehq/migrate/config"
	"github.com/migratehq/migrate/internal/testdb"
	"github.com/migratehq/migrate/introspect"
	"github.com/migratehq/migrate/schema"
	"github.com/migratehq/migrate/schema/gomodel/gormcheck/testdata/models"
)

// TestSameAsAutoMigratePostgres runs GORM's AutoMigrate on one database
// and migrate's autogenerate (GORM mode) + Up on another, from the same
// structs, and compares tables, columns, types, defaults, keys, foreign
// keys, checks and indexes.
func TestSameAsAutoMigratePostgres(t *testing.T) {
	ctx := context.Background()
	gormURL, migURL := testdb.Postgres(t), testdb.Postgres(t)

	gdb, err := gorm.Open(postgres.Open(gormURL), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatal(err)
	}
	if err := gdb.AutoMigrate(models.All...); err != nil {
		t.Fatal(err)
	}
	sqlDB, _ := gdb.DB()
	defer sqlDB.Close()

	u, err := config.ParseURL(migURL, "")
	if err != nil {
		t.Fatal(err)
	}
	mdb, err := sql.Open(u.Driver, u.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer mdb.Close()
	t.Setenv("MIGRATE_NO_CACHE", "1")
	src := autogen.GoModels{Dirs: []string{filepath.Join("testdata", "models")}, Tags: "gorm"}
	out, err := autogen.Generate(ctx, autogen.Input{Dialect: schema.Postgres, Live: mdb, Source: src, Dev: autogen.DevProvider(u, mdb, "", "", "")})
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range out.Up {
		if _, err := mdb.ExecContext(ctx, st.SQL); err != nil {
			t.Fatalf("%v\n%s", err, st.SQL)
		}
	}

	want := describe(t, sqlDB, schema.Postgres)
	got := describe(t, mdb, schema.Postgres)
	if want != got {
		t.Errorf("schemas differ\n--- GORM AutoMigrate\n%s\n--- migrate\n%s\n--- diff\n%s", want, got, lineDiff(want, got))
	}
	// And autogenerate against GORM's own database finds nothing to do.
	g, err := sql.Open("pgx", gormURL)
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	gu, _ := config.ParseURL(gormURL, "")
	again, err := autogen.Generate(ctx, autogen.Input{Dialect: schema.Postgres, Live: g, Source: src, Dev: autogen.DevProvider(gu, g, "", "", "")})
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Changes) > 0 {
		var b strings.Builder
		for _, s := range again.Up {
			b.WriteString(s.SQL + ";\n")
		}
		t.Errorf("autogenerate on the database GORM made finds changes:\n%s", b.String())
	}
}

// TestSameAsAutoMigrateSQLite is the same comparison on SQLite. GORM's
// pure-Go SQLite driver cannot share a binary with modernc.org/sqlite
// (both register "sqlite"), so testdata/automigrate runs AutoMigrate in
// its own process.
func TestSameAsAutoMigrateSQLite(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to run GORM's AutoMigrate with")
	}
	ctx := context.Background()
	dir := t.TempDir()
	gormPath, migPath := filepath.Join(dir, "gorm.db"), filepath.Join(dir, "migrate.db")
	cmd := exec.Command(goTool, "run", "./testdata/automigrate", gormPath)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("AutoMigrate: %v\n%s", err, out)
	}

	u, err := config.ParseURL("sqlite:///"+migPath, "")
	if err != nil {
		t.Fatal(err)
	}
	mdb, err := sql.Open(u.Driver, u.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer mdb.Close()
	t.Setenv("MIGRATE_NO_CACHE", "1")
	src := autogen.GoModels{Dirs: []string{filepath.Join("testdata", "models")}, Tags: "gorm"}
	out, err := autogen.Generate(ctx, autogen.Input{Dialect: schema.SQLite, Live: mdb, Source: src, Dev: autogen.DevProvider(u, mdb, "", "", "")})
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range out.Up {
		if _, err := mdb.ExecContext(ctx, st.SQL); err != nil {
			t.Fatalf("%v\n%s", err, st.SQL)
		}
	}
	gu, err := config.ParseURL("sqlite:///"+gormPath, "")
	if err != nil {
		t.Fatal(err)
	}
	gdb, err := sql.Open(gu.Driver, gu.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer gdb.Close()
	want, got := describe(t, gdb, schema.SQLite), describe(t, mdb, schema.SQLite)
	if want != got {
		t.Errorf("schemas differ\n--- GORM AutoMigrate\n%s\n--- migrate\n%s\n--- diff\n%s", want, got, lineDiff(want, got))
	}
	again, err := autogen.Generate(ctx, autogen.Input{Dialect: schema.SQLite, Live: gdb, Source: src, Dev: autogen.DevProvider(gu, gdb, "", "", "")})
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Changes) > 0 {
		var b strings.Builder
		for _, s := range again.Up {
			b.WriteString(s.SQL + ";\n")
		}
		t.Errorf("autogenerate on the database GORM made finds changes:\n%s", b.String())
	}
}

// describe lists what the comparison covers, one line per fact, sorted.
func describe(t *testing.T, db *sql.DB, dialect string) string {
	t.Helper()
	var opts introspect.Options
	if dialect == schema.Postgres {
		opts.Schemas = []string{"public"}
	}
	s, err := introspect.Inspect(context.Background(), db, dialect, opts)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	add := func(format string, args ...any) { lines = append(lines, fmt.Sprintf(format, args...)) }
	for _, tb := range s.Tables {
		add("table %s", tb.Name)
		for i, c := range tb.Columns {
			add("column %s.%s #%d %s notnull=%v default=%s comment=%q", tb.Name, c.Name, i, c.Type, c.NotNull, c.Default, c.Comment)
		}
		if k := tb.PrimaryKey; k != nil {
			add("primary key %s.%s (%s)", tb.Name, k.Name, strings.Join(k.Columns, ", "))
		}
		for _, k := range tb.Uniques {
			add("unique %s.%s (%s)", tb.Name, k.Name, strings.Join(k.Columns, ", "))
		}
		for _, fk := range tb.ForeignKeys {
			add("foreign key %s.%s (%s) -> %s(%s) delete=%s update=%s", tb.Name, fk.Name, strings.Join(fk.Columns, ", "), fk.RefTable, strings.Join(fk.RefColumns, ", "), fk.OnDelete, fk.OnUpdate)
		}
		for _, c := range tb.Checks {
			add("check %s.%s %s", tb.Name, c.Name, c.Expr)
		}
		for _, ix := range tb.Indexes {
			var parts []string
			for _, p := range ix.Parts {
				parts = append(parts, fmt.Sprintf("%s%s desc=%v", p.Column, p.Expr, p.Desc))
			}
			def := ix.Definition
			if dialect == schema.SQLite {
				def = "" // the stored text keeps GORM's quoting; the parts are compared
			}
			add("index %s.%s unique=%v (%s) where=%s %s", tb.Name, ix.Name, ix.Unique, strings.Join(parts, ", "), ix.Where, strings.Replace(def, "IF NOT EXISTS ", "", 1))
		}
	}
	for _, q := range s.Sequences {
		add("sequence %s owned by %v", q.Name, q.OwnedBy != nil)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func lineDiff(a, b string) string {
	in := func(s string) map[string]bool {
		m := map[string]bool{}
		for _, l := range strings.Split(s, "\n") {
			m[l] = true
		}
		return m
	}
	ma, mb := in(a), in(b)
	var out []string
	for _, l := range strings.Split(a, "\n") {
		if !mb[l] {
			out = append(out, "- "+l)
		}
	}
	for _, l := range strings.Split(b, "\n") {
		if !ma[l] {
			out = append(out, "+ "+l)
		}
	}
	return strings.Join(out, "\n")
}
