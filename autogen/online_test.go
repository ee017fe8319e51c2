package autogen_test

// The online plan scenarios: testdata/online/*.txtar hold
//
//	-- before.sql --  the current schema (PostgreSQL)
//	-- after.sql --   the model
//	-- data.sql --    rows inserted before the plan runs
//	-- plan.sql --    golden: each revision's message, mode, Up and Down
//
// The harness diffs before against after, writes the revisions of the
// online plan (autogen.RevisionTexts) and compares them with plan.sql
// (-update rewrites it). Then:
//   - lint (as 'migrate lint': each revision after the ones before) finds
//     nothing but the hazards a "-- WARNING: CODE name" line states at
//     the statement;
//   - on the database with the rows, each revision's Up runs as migrate
//     runs it (in a transaction, or statement by statement outside one),
//     and the schema is then the model's, with nothing left to diff;
//   - the Downs, last revision first, give back exactly the schema before.

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/migratehq/migrate/autogen"
	"github.com/migratehq/migrate/internal/schematest"
	"github.com/migratehq/migrate/internal/testdb"
	"github.com/migratehq/migrate/lint"
	"github.com/migratehq/migrate/schema"
	"github.com/migratehq/migrate/sqlsplit"
	"github.com/migratehq/migrate/versions"
)

func TestOnlinePlans(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "online", "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatal("no testdata/online scenarios")
	}
	for _, p := range paths {
		t.Run(strings.TrimSuffix(filepath.Base(p), ".txtar"), func(t *testing.T) {
			t.Parallel()
			runOnlineScenario(t, p)
		})
	}
}

func runOnlineScenario(t *testing.T, path string) {
	a, err := txtar.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, f := range a.Files {
		files[f.Name] = string(f.Data)
	}
	d, _ := scenarioDialects(schema.Postgres)
	db1, db2 := d.open(t), d.open(t)
	execScript(t, db1, d.split, files["before.sql"])
	execScript(t, db2, d.split, files["after.sql"])
	before, after := inspectDB(t, db1, schema.Postgres), inspectDB(t, db2, schema.Postgres)
	changes, err := autogen.Diff(before, after, autogen.DiffOptions{})
	if err != nil {
		t.Fatal(err)
	}
	texts, err := autogen.RevisionTexts(&autogen.Output{Current: before, Target: after, Changes: changes, Plan: autogen.PlanOnline}, "change users")
	if err != nil {
		t.Fatal(err)
	}
	got := formatPlan(texts)
	if *update {
		setArchiveFile(a, "plan.sql", got)
		if err := os.WriteFile(path, txtar.Format(a), 0o644); err != nil {
			t.Fatal(err)
		}
	} else if got != files["plan.sql"] {
		t.Errorf("the plan differs from plan.sql (go test -run TestOnlinePlans -update rewrites it)\n--- got:\n%s--- want:\n%s", got, files["plan.sql"])
	}
	revs := planRevisions(t, texts)
	checkLintStated(t, revs)

	ctx := context.Background()
	execScript(t, db1, d.split, files["data.sql"])
	for _, r := range revs {
		runSection(t, ctx, db1, r, r.Up, "Up of "+r.Message)
	}
	gotAfter := inspectDB(t, db1, schema.Postgres)
	if msg := SameModel(gotAfter, after); msg != "" {
		t.Errorf("after the Ups, the schema differs from after.sql's:\n%s", msg)
	}
	if again, err := autogen.Diff(gotAfter, after, autogen.DiffOptions{}); err != nil || len(again) > 0 {
		t.Errorf("after the Ups, Diff against the model is not empty: %v %s", err, describeChanges(again))
	}
	for i := len(revs) - 1; i >= 0; i-- {
		runSection(t, ctx, db1, revs[i], revs[i].Down, "Down of "+revs[i].Message)
	}
	gotBefore := inspectDB(t, db1, schema.Postgres)
	if msg := SameModel(gotBefore, before); msg != "" {
		t.Errorf("after the Downs, the schema differs from before.sql's:\n%s", msg)
	}
	if again, err := autogen.Diff(gotBefore, before, autogen.DiffOptions{}); err != nil || len(again) > 0 {
		t.Errorf("after the Downs, Diff against before is not empty: %v %s", err, describeChanges(again))
	}
}

// formatPlan writes the revisions of a plan one after the other.
func formatPlan(texts []autogen.RevisionText) string {
	var b strings.Builder
	for _, x := range texts {
		fmt.Fprintf(&b, "-- message: %s\n", x.Message)
		if !x.Transactional {
			b.WriteString("-- transaction false\n")
		}
		b.WriteString("-- up\n" + x.Up + "-- down\n" + x.Down)
	}
	return b.String()
}

func setArchiveFile(a *txtar.Archive, name, text string) {
	for i := range a.Files {
		if a.Files[i].Name == name {
			a.Files[i].Data = []byte(text)
			return
		}
	}
	a.Files = append(a.Files, txtar.File{Name: name, Data: []byte(text)})
}

// planRevisions makes revision files of the texts, each revising the one
// before, and parses them back as the commands would.
func planRevisions(t *testing.T, texts []autogen.RevisionText) []*versions.Revision {
	t.Helper()
	var revs []*versions.Revision
	parent := []string{}
	for i, x := range texts {
		r := &versions.Revision{ID: fmt.Sprintf("%012d", i+1), Parents: parent, Message: x.Message, Transactional: x.Transactional, Up: x.Up, Down: x.Down}
		path := fmt.Sprintf("%03d_%s.sql", i+1, r.ID)
		parsed, err := versions.Parse(path, versions.Render(r))
		if err != nil {
			t.Fatalf("revision %d does not parse: %v\n%s", i+1, err, versions.Render(r))
		}
		revs = append(revs, parsed)
		parent = []string{r.ID}
	}
	return revs
}

var warningCode = regexp.MustCompile(`^-- WARNING: (PG\d+) `)

// checkLintStated lints the revisions as 'migrate lint' does and fails on
// a finding whose statement is not preceded by a WARNING line naming its
// code.
func checkLintStated(t *testing.T, revs []*versions.Revision) {
	t.Helper()
	res, err := lint.Lint(revs, lint.Options{Dialect: sqlsplit.Postgres, Separate: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Open() {
		var r *versions.Revision
		for _, x := range revs {
			if x.ID == f.Revision {
				r = x
			}
		}
		if !statedAbove(string(versions.Render(r)), f.Line, f.Code) {
			t.Errorf("lint finds what the plan does not state: %s", f)
		}
	}
}

// statedAbove tells whether the comment lines just above the statement
// holding line (1-based) of file warn of code.
func statedAbove(file string, line int, code string) bool {
	lines := strings.Split(file, "\n")
	i := line - 1
	for i > 0 && strings.TrimSpace(lines[i-1]) != "" && !strings.HasSuffix(lines[i-1], ";") {
		i-- // back to the statement's first line (and its comments)
	}
	for ; i < line && i < len(lines); i++ {
		if m := warningCode.FindStringSubmatch(lines[i]); m != nil && m[1] == code {
			return true
		}
	}
	return false
}

// runSection runs a section as migrate does: in one transaction, or each
// statement on its own when the revision is transaction false.
func runSection(t *testing.T, ctx context.Context, db *sql.DB, r *versions.Revision, body, what string) {
	t.Helper()
	stmts, err := sqlsplit.Split(body, sqlsplit.Postgres)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	var tx *sql.Tx
	exec := db.ExecContext
	if r.Transactional {
		if tx, err = db.BeginTx(ctx, nil); err != nil {
			t.Fatal(err)
		}
		exec = tx.ExecContext
	}
	for _, s := range stmts {
		if _, err := exec(ctx, s.SQL); err != nil {
			if tx != nil {
				tx.Rollback()
			}
			t.Fatalf("%s: %v\n%s", what, err, s.SQL)
		}
	}
	if tx != nil {
		if err := tx.Commit(); err != nil {
			t.Fatalf("%s: commit: %v", what, err)
		}
	}
}

// TestOnlinePlanRealworld: each PostgreSQL schema of ../shared/realworld
// is loaded without the indexes, unique keys, checks, foreign keys and
// NOT NULLs of its plain tables; the online plan to the whole schema is
// linted (only stated hazards), its Ups give the schema (a second Diff
// is empty) and its Downs the bare one again.
func TestOnlinePlanRealworld(t *testing.T) {
	rw := testdb.Realworld(t)
	dirs, err := filepath.Glob(filepath.Join(rw, "*-postgres*"))
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range dirs {
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if testing.Short() && name == "musicbrainz-postgres" {
				t.Skip("large schema (-short)")
			}
			ctx := context.Background()
			modelURL := testdb.Postgres(t)
			schematest.Psql(t, modelURL, filepath.Join(dir, "schema.sql"))
			modelDB := openPG(t, modelURL)
			schemas := pgUserSchemas(t, modelDB)
			model := inspectSchemas(t, modelDB, schemas)
			opts := autogen.DiffOptions{Reloaded: reloadSchema(t, model, schemas)}

			db := openPG(t, testdb.Postgres(t))
			db.SetMaxOpenConns(1)
			stmts, err := autogen.RenderSchema(stripForOnline(t, model))
			if err != nil {
				t.Fatal(err)
			}
			for _, st := range stmts {
				if _, err := db.Exec(st); err != nil {
					t.Fatalf("loading the bare schema: %v\n%s", err, st)
				}
			}
			bare := inspectSchemas(t, db, schemas)
			changes, err := autogen.Diff(bare, model, opts)
			if err != nil {
				t.Fatal(err)
			}
			texts, err := autogen.RevisionTexts(&autogen.Output{Current: bare, Target: model, Changes: changes, Plan: autogen.PlanOnline}, "constraints")
			if err != nil {
				t.Fatal(err)
			}
			if len(texts) < 3 {
				t.Fatalf("%d revisions: the online plan has no online steps", len(texts))
			}
			revs := planRevisions(t, texts)
			checkLintStated(t, revs)
			for _, r := range revs {
				runSection(t, ctx, db, r, r.Up, "Up of "+r.Message)
			}
			got := inspectSchemas(t, db, schemas)
			if again, err := autogen.Diff(got, model, opts); err != nil || len(again) > 0 {
				t.Errorf("after the Ups, a second Diff is not empty: %v%s", err, truncate(describeChanges(again), 3000))
			}
			for i := len(revs) - 1; i >= 0; i-- {
				runSection(t, ctx, db, revs[i], revs[i].Down, "Down of "+revs[i].Message)
			}
			if again, err := autogen.Diff(inspectSchemas(t, db, schemas), bare, autogen.DiffOptions{}); err != nil || len(again) > 0 {
				t.Errorf("after the Downs, Diff against the bare schema is not empty: %v%s", err, truncate(describeChanges(again), 3000))
			}
		})
	}
}

// reloadSchema is s as PostgreSQL prints it once loaded from migrate's
// rendering (DiffOptions.Reloaded).
func reloadSchema(t *testing.T, s *schema.Schema, schemas []string) *schema.Schema {
	t.Helper()
	db := openPG(t, testdb.Postgres(t))
	stmts, err := autogen.RenderSchema(s)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range stmts {
		if _, err := db.Exec(st); err != nil {
			t.Fatalf("reloading the model: %v\n%s", err, st)
		}
	}
	return inspectSchemas(t, db, schemas)
}

// stripForOnline copies s without the indexes, unique keys, checks and
// foreign keys of its plain tables (not partitioned, not a partition, no
// inheritance either way, no CLUSTER ON or replica identity index), and
// with their columns nullable but for the primary key, identity and
// generated ones.
func stripForOnline(t *testing.T, s *schema.Schema) *schema.Schema {
	t.Helper()
	data, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var c schema.Schema
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatal(err)
	}
	parents := map[schema.TableRef]bool{}
	for _, tb := range c.Tables {
		for _, p := range tb.Inherits {
			parents[*p] = true
		}
	}
	for _, tb := range c.Tables {
		if tb.PartitionBy != "" || tb.PartitionOf != nil || len(tb.Inherits) > 0 || parents[schema.TableRef{Schema: tb.Schema, Name: tb.Name}] ||
			tb.ClusterOn != "" || tb.ReplicaIdentity == "INDEX" || tb.FromExtension != "" {
			continue
		}
		tb.Indexes, tb.Uniques, tb.Checks, tb.ForeignKeys = nil, nil, nil, nil
		pk := map[string]bool{}
		if tb.PrimaryKey != nil {
			for _, col := range tb.PrimaryKey.Columns {
				pk[col] = true
			}
		}
		for _, col := range tb.Columns {
			if !pk[col.Name] && col.Identity == nil && col.Generated == nil {
				col.NotNull = false
			}
		}
	}
	// Foreign keys of the tables kept whole may need the unique keys
	// stripped: those go too.
	for _, tb := range c.Tables {
		tb.ForeignKeys = slices.DeleteFunc(tb.ForeignKeys, func(fk *schema.ForeignKey) bool {
			ref := c.Table(fk.RefSchema, fk.RefTable)
			return ref == nil || len(ref.Uniques) == 0 && (ref.PrimaryKey == nil || !slices.Equal(ref.PrimaryKey.Columns, fk.RefColumns))
		})
	}
	return &c
}
