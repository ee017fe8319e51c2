package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/migratehq/migrate/config"
	"github.com/migratehq/migrate/internal/dbopen"
	"github.com/migratehq/migrate/internal/testdb"
)

// TestFaultInjection kills the real binary (SIGKILL) at random points of
// upgrades and downgrades of a few dozen revisions doing DDL and DML, in
// every transaction mode, on both databases. After each kill the schema
// must match the version table, or an in-progress mark must name the one
// revision that may be half-done; SQLite's integrity and foreign key
// checks must pass; and after an operator's repair of a marked revision
// the next run must finish. Every revision's side effects are counted in a
// ledger table, so that a revision applied twice, or recorded without its
// changes, is caught too.
//
// The kill points come from a seeded generator (MIGRATE_FAULT_SEED to
// replay one; the seed is logged); MIGRATE_FAULT_KILLS sets the kills per
// mode and dialect (default 10, bounded for CI).
func TestFaultInjection(t *testing.T) {
	if testing.Short() {
		t.Skip("fault injection starts dozens of processes")
	}
	bin, err := exec.LookPath("migrate")
	if err != nil {
		t.Fatalf("the test binary as migrate is not on PATH: %v", err)
	}
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("MIGRATE_FAULT_SEED"); s != "" {
		fmt.Sscan(s, &seed)
	}
	kills := 10
	if s := os.Getenv("MIGRATE_FAULT_KILLS"); s != "" {
		fmt.Sscan(s, &kills)
	}
	t.Logf("MIGRATE_FAULT_SEED=%d MIGRATE_FAULT_KILLS=%d", seed, kills)
	for _, dialect := range []string{"sqlite", "postgres"} {
		for _, mode := range []string{"all", "revision", "none"} {
			t.Run(dialect+"/"+mode, func(t *testing.T) {
				var url string
				if dialect == "postgres" {
					url = testdb.Postgres(t)
				} else {
					url = "sqlite:///" + filepath.Join(t.TempDir(), "app.db")
				}
				f := newFaultProject(t, bin, dialect, url, mode)
				f.rng = rand.New(rand.NewPCG(seed, uint64(len(dialect)*10+len(mode))))
				f.run(kills)
			})
		}
	}
}

// faultRevs is the length of the chain; every fifth revision is marked
// transaction false.
const faultRevs = 24

type faultProject struct {
	t        *testing.T
	bin, dir string
	dialect  string
	mode     string
	url      string
	db       *sql.DB
	rng      *rand.Rand
	full     time.Duration // how long an uninterrupted full upgrade takes
	// interrupted counts the kills that landed before the run finished;
	// repaired the marks an operator resolved.
	interrupted, repaired int
}

func newFaultProject(t *testing.T, bin, dialect, url, mode string) *faultProject {
	dir := t.TempDir()
	f := &faultProject{t: t, bin: bin, dir: dir, dialect: dialect, mode: mode, url: url}
	toml := fmt.Sprintf("versions = \"versions\"\ntransaction = %q\nlock_timeout = \"60s\"\n\n[env.development]\nurl = %q\n", mode, url)
	must(t, os.WriteFile(filepath.Join(dir, "migrate.toml"), []byte(toml), 0o644))
	must(t, os.MkdirAll(filepath.Join(dir, "versions"), 0o755))
	for k := 1; k <= faultRevs; k++ {
		name := fmt.Sprintf("%03d_r%03d.sql", k, k)
		must(t, os.WriteFile(filepath.Join(dir, "versions", name), []byte(f.revision(k)), 0o644))
	}
	u, err := config.ParseURL(url, dir)
	must(t, err)
	db, err := dbopen.Open(context.Background(), u, true)
	must(t, err)
	t.Cleanup(func() { db.Close() })
	f.db = db
	return f
}

func revID(k int) string { return fmt.Sprintf("r%03d", k) }

// noTx tells whether revision k is marked transaction false.
func noTx(k int) bool { return k%5 == 0 }

// revision writes revision k: a table referencing the previous one, rows
// in it, an index, and one ledger row; revision 1 creates the ledger.
func (f *faultProject) revision(k int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "-- migrate:revision %s\n", revID(k))
	if k > 1 {
		fmt.Fprintf(&b, "-- migrate:revises %s\n", revID(k-1))
	}
	fmt.Fprintf(&b, "-- migrate:message fault %d\n", k)
	if noTx(k) {
		b.WriteString("-- migrate:transaction false\n")
	}
	b.WriteString("\n-- migrate:up\n")
	if k == 1 {
		b.WriteString("CREATE TABLE ledger (rev text NOT NULL, n integer NOT NULL);\n")
	}
	ref := ""
	if k > 1 {
		ref = fmt.Sprintf(" REFERENCES t%03d (id)", k-1)
	}
	fmt.Fprintf(&b, "CREATE TABLE t%03d (id integer PRIMARY KEY, parent integer%s, v text NOT NULL);\n", k, ref)
	parent := "NULL"
	if k > 1 {
		parent = "1 + (g % 40)"
	}
	if f.dialect == "postgres" {
		fmt.Fprintf(&b, "INSERT INTO t%03d (id, parent, v) SELECT g, %s, md5(g::text) FROM generate_series(1, 200) g;\n", k, parent)
	} else {
		fmt.Fprintf(&b, "INSERT INTO t%03d (id, parent, v) WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < 200) SELECT g, %s, hex(randomblob(8)) FROM s;\n", k, parent)
	}
	concurrently := ""
	if noTx(k) && f.dialect == "postgres" {
		concurrently = "CONCURRENTLY "
	}
	fmt.Fprintf(&b, "CREATE INDEX %st%03d_v ON t%03d (v);\n", concurrently, k, k)
	fmt.Fprintf(&b, "INSERT INTO ledger (rev, n) SELECT '%s', count(*) FROM t%03d;\n", revID(k), k)
	b.WriteString("\n-- migrate:down\n")
	fmt.Fprintf(&b, "DELETE FROM ledger WHERE rev = '%s';\n", revID(k))
	fmt.Fprintf(&b, "DROP INDEX %st%03d_v;\n", concurrently, k)
	fmt.Fprintf(&b, "DROP TABLE t%03d;\n", k)
	if k == 1 {
		b.WriteString("DROP TABLE ledger;\n")
	}
	return b.String()
}

// cli runs the binary to completion.
func (f *faultProject) cli(args ...string) (string, error) {
	cmd := exec.Command(f.bin, args...)
	cmd.Dir = f.dir
	cmd.Env = append(os.Environ(), "MIGRATE_ENV=", "DATABASE_URL=", "GORACE=atexit_sleep_ms=0")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// killed runs the binary and kills it after d (if it has not finished).
func (f *faultProject) killed(d time.Duration, args ...string) (finished bool, out string) {
	cmd := exec.Command(f.bin, args...)
	cmd.Dir = f.dir
	cmd.Env = append(os.Environ(), "MIGRATE_ENV=", "DATABASE_URL=", "GORACE=atexit_sleep_ms=0")
	var buf strings.Builder
	cmd.Stdout, cmd.Stderr = &buf, &buf
	must(f.t, cmd.Start())
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			f.t.Fatalf("migrate %s failed without a fault: %v\n%s", strings.Join(args, " "), err, buf.String())
		}
		return true, buf.String()
	case <-time.After(d):
		_ = cmd.Process.Kill()
		<-done
		return false, buf.String()
	}
}

func (f *faultProject) run(kills int) {
	t := f.t
	// One uninterrupted round trip times the kill window.
	start := time.Now()
	if out, err := f.cli("upgrade", "head"); err != nil {
		t.Fatalf("upgrade head: %v\n%s", err, out)
	}
	f.full = time.Since(start)
	f.verify("after a full upgrade")
	if out, err := f.cli("downgrade", "base"); err != nil {
		t.Fatalf("downgrade base: %v\n%s", err, out)
	}
	f.verify("after a full downgrade")
	t.Logf("a full upgrade takes %v", f.full)

	for i := 0; i < kills; i++ {
		args := []string{"upgrade", "head"}
		if len(f.applied()) > faultRevs/2 && f.rng.IntN(2) == 0 {
			args = []string{"downgrade", "base"}
		}
		// From just after the start (connecting) to the end of the run.
		d := time.Duration(f.rng.Int64N(int64(f.full)))
		finished, out := f.killed(d, args...)
		if !finished {
			f.interrupted++
		}
		what := fmt.Sprintf("kill %d: %s killed after %v (finished: %v)", i+1, strings.Join(args, " "), d, finished)
		t.Log(what)
		f.waitIdle()
		f.verify(what + "\n" + out)
	}
	t.Logf("%d of %d kills interrupted a run; %d in-progress marks repaired and resolved", f.interrupted, kills, f.repaired)
	if kills > 0 && f.interrupted == 0 {
		t.Fatalf("no kill landed during a run: the test checked nothing (full run %v)", f.full)
	}
	if out, err := f.cli("upgrade", "head"); err != nil {
		t.Fatalf("final upgrade head: %v\n%s", err, out)
	}
	f.verify("after the final upgrade")
	if got := len(f.applied()); got != faultRevs {
		t.Fatalf("after the final upgrade %d revisions are applied, want %d", got, faultRevs)
	}
	if out, err := f.cli("downgrade", "base"); err != nil {
		t.Fatalf("final downgrade base: %v\n%s", err, out)
	}
	f.verify("after the final downgrade")
	if tables := f.userTables(); len(tables) != 0 {
		t.Fatalf("after downgrade base these tables remain: %v", tables)
	}
}

// waitIdle waits until no backend of the killed run is left on
// PostgreSQL (the server notices a dead client at its next read; until
// then its transaction may still be open).
func (f *faultProject) waitIdle() {
	if f.dialect != "postgres" {
		return
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		var n int
		err := f.db.QueryRow(`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`).Scan(&n)
		if err == nil && n == 0 {
			return
		}
		if time.Now().After(deadline) {
			f.t.Fatalf("backends of the killed run still there after 30 s (last error: %v)", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// applied reads the version table (empty when it does not exist).
func (f *faultProject) applied() map[string]bool {
	out := map[string]bool{}
	rows, err := f.db.Query("SELECT revision FROM migrate_version")
	if err != nil {
		if strings.Contains(err.Error(), "no such table") || strings.Contains(err.Error(), "does not exist") {
			return out
		}
		f.t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var r string
		must(f.t, rows.Scan(&r))
		out[r] = true
	}
	must(f.t, rows.Err())
	return out
}

// inProgress is the revision an in-progress mark names ("" when none).
func (f *faultProject) inProgress() string {
	rev, err := readProgressMark(f.db)
	must(f.t, err)
	return rev
}

func (f *faultProject) userTables() []string {
	q := "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'migrate_version%' ORDER BY name"
	if f.dialect == "postgres" {
		q = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'migrate_version%' ORDER BY tablename"
	}
	rows, err := f.db.Query(q)
	must(f.t, err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		must(f.t, rows.Scan(&n))
		out = append(out, n)
	}
	must(f.t, rows.Err())
	return out
}

// ledger counts the ledger rows per revision (nil when the table does not
// exist).
func (f *faultProject) ledger() map[string]int {
	rows, err := f.db.Query("SELECT rev, n FROM ledger")
	if err != nil {
		return nil
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var rev string
		var n int
		must(f.t, rows.Scan(&rev, &n))
		if n != 200 {
			f.t.Fatalf("ledger row of %s counted %d rows of its table, want 200", rev, n)
		}
		out[rev]++
	}
	must(f.t, rows.Err())
	return out
}

// verify checks the database against the version table, repairs a marked
// revision as an operator would, and checks that the next run refuses to
// guess while the mark is set.
func (f *faultProject) verify(what string) {
	t := f.t
	t.Helper()
	applied := f.applied()
	mark := f.inProgress()
	if mark != "" {
		k := 0
		fmt.Sscanf(mark, "r%03d", &k)
		if k == 0 {
			t.Fatalf("%s\nthe in-progress mark names %q, not a revision of the chain", what, mark)
		}
	}
	tables := map[string]bool{}
	for _, n := range f.userTables() {
		tables[n] = true
	}
	ledger := f.ledger()
	for k := 1; k <= faultRevs; k++ {
		id := revID(k)
		if id == mark {
			continue // the one revision allowed to be half-done
		}
		table := fmt.Sprintf("t%03d", k)
		if applied[id] != tables[table] || (applied[id] && ledger[id] != 1) || (!applied[id] && ledger[id] != 0) {
			t.Fatalf("%s\nrevision %s: applied %v, table %s exists %v, ledger rows %d (version table: %v, mark %q)", what, id, applied[id], table, tables[table], ledger[id], applied, mark)
		}
	}
	if f.dialect == "sqlite" {
		var ok string
		must(t, f.db.QueryRow("PRAGMA integrity_check").Scan(&ok))
		if ok != "ok" {
			t.Fatalf("%s\nintegrity_check: %s", what, ok)
		}
		rows, err := f.db.Query("PRAGMA foreign_key_check")
		must(t, err)
		bad := rows.Next()
		rows.Close()
		if bad {
			t.Fatalf("%s\nforeign_key_check reports violations", what)
		}
	}
	if mark == "" {
		return
	}
	// A mark is only ever left by a revision that ran outside a
	// transaction.
	var k int
	fmt.Sscanf(mark, "r%03d", &k)
	if !noTx(k) && f.mode != "none" {
		t.Fatalf("%s\nthe in-progress mark names %s, which ran in a transaction", what, mark)
	}
	// While it is set, runs refuse and name it.
	for _, args := range [][]string{{"upgrade", "head"}, {"downgrade", "base"}, {"check"}, {"current"}} {
		out, err := f.cli(args...)
		var ee *exec.ExitError
		if !errors.As(err, &ee) || !strings.Contains(out, mark) {
			t.Fatalf("%s\nmigrate %s with %s marked in progress: exit %v, output:\n%s", what, strings.Join(args, " "), mark, err, out)
		}
	}
	f.repair(k)
}

// repair undoes what a half-done revision k did, as an operator would
// after reading the mark, and resolves the mark as not applied.
func (f *faultProject) repair(k int) {
	t := f.t
	stmts := []string{
		fmt.Sprintf("DROP INDEX IF EXISTS t%03d_v", k),
		fmt.Sprintf("DROP TABLE IF EXISTS t%03d", k),
	}
	if f.ledger() != nil {
		stmts = append([]string{fmt.Sprintf("DELETE FROM ledger WHERE rev = '%s'", revID(k))}, stmts...)
	}
	if k == 1 {
		stmts = append(stmts, "DROP TABLE IF EXISTS ledger")
	}
	for _, s := range stmts {
		if _, err := f.db.Exec(s); err != nil {
			t.Fatalf("repairing %s: %s: %v", revID(k), s, err)
		}
	}
	f.repaired++
	if out, err := f.cli(resolveArgs(revID(k), false)...); err != nil {
		t.Fatalf("resolving %s: %v\n%s", revID(k), err, out)
	}
	if f.inProgress() != "" {
		t.Fatalf("the mark of %s is still set after resolving it", revID(k))
	}
	f.verify(fmt.Sprintf("after repairing %s", revID(k)))
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
