package migrate_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/migratehq/migrate/migrate"
	"github.com/migratehq/migrate/versions"
)

// graphOfRevisions builds a graph from revisions made in code, past the
// load-time checks (which reject a top-level COMMIT in a file): what the
// runtime check must still catch.
func graphOfRevisions(t testing.TB, ups ...string) *versions.Graph {
	t.Helper()
	var revs []*versions.Revision
	parent := []string(nil)
	for i, up := range ups {
		id := []string{"aaaa00000001", "bbbb00000002", "cccc00000003", "dddd00000004"}[i]
		r := versions.NewRevision(id, parent, "rev "+id, time.Date(2026, 11, 22, 1, 10, 0, 0, time.UTC))
		r.Up, r.Down, r.UpLine, r.DownLine = up, "SELECT 1;", 6, 20
		r.Path = "versions/" + id + ".sql"
		r.Checksum = versions.Checksum(r.Up, r.Down)
		revs = append(revs, r)
		parent = []string{id}
	}
	g, err := versions.NewGraph(revs)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// TestStatementEndingTransaction: a revision whose statements commit or
// roll back the run's transaction stops the run right after that
// statement, with a true account: what a COMMIT made permanent is
// recorded (and the half-done revision marked), what a ROLLBACK undid is
// reported as undone — never "nothing was changed" when it was.
func TestStatementEndingTransaction(t *testing.T) {
	for _, mode := range []migrate.TxMode{migrate.TxAll, migrate.TxRevision} {
		for _, tg := range targets(t) {
			t.Run(string(mode)+"/"+tg.name, func(t *testing.T) {
				ctx := context.Background()
				// COMMIT in the middle of the second revision.
				db := tg.open(t)
				g := graphOfRevisions(t, "CREATE TABLE t1 (id integer);", "CREATE TABLE t2 (id integer);\nCOMMIT;\nCREATE TABLE t2b (id integer);", "CREATE TABLE t3 (id integer);")
				m := newM(t, db, tg.dialect, g, migrate.WithTransaction(mode), migrate.WithoutTxControlCheck())
				_, err := m.Upgrade(ctx, "head")
				var re *migrate.RunError
				var te *migrate.TransactionEndedError
				if !errors.As(err, &re) || !errors.As(err, &te) || te.How != "committed" || te.Line != 7 {
					t.Fatalf("err = %v", err)
				}
				msg := err.Error()
				for _, s := range []string{"versions/bbbb00000002.sql:7: this statement committed the transaction the revision ran in", "revision bbbb00000002 did not finish: statements 1 to 2 of 3 took effect", "1 revision(s) committed before the failure remain applied: aaaa00000001"} {
					if !strings.Contains(msg, s) {
						t.Errorf("error lacks %q:\n%s", s, msg)
					}
				}
				if strings.Contains(msg, "nothing was changed") {
					t.Errorf("error claims nothing changed:\n%s", msg)
				}
				if got := strings.Join(tables(t, db, tg.dialect), ","); got != "migrate_version,migrate_version_progress,t1,t2" {
					t.Errorf("tables = %s", got)
				}
				st, err := m.State(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if strings.Join(st.Heads, ",") != "aaaa00000001" || len(st.InProgress) != 1 || st.InProgress[0].Revision != "bbbb00000002" || st.InProgress[0].Statement != 3 || st.InProgress[0].Line != 8 {
					t.Errorf("state: heads %v, marks %+v", st.Heads, st.InProgress)
				}

				// COMMIT as the last statement: the revision is complete.
				db = newDB(t, tg)
				g = graphOfRevisions(t, "CREATE TABLE t1 (id integer);", "CREATE TABLE t2 (id integer);\nCOMMIT;", "CREATE TABLE t3 (id integer);")
				m = newM(t, db, tg.dialect, g, migrate.WithTransaction(mode), migrate.WithoutTxControlCheck())
				_, err = m.Upgrade(ctx, "head")
				if !errors.As(err, &re) || stepIDs(re.Committed) != "aaaa00000001,bbbb00000002" || re.InProgress != nil {
					t.Fatalf("err = %v", err)
				}
				if h := heads(t, m); h != "bbbb00000002" || len(marks(t, m)) != 0 {
					t.Errorf("heads = %s, marks %v", h, marks(t, m))
				}

				// ROLLBACK: the transaction's work is gone, and the report says so.
				db = newDB(t, tg)
				g = graphOfRevisions(t, "CREATE TABLE t1 (id integer);", "CREATE TABLE t2 (id integer);\nROLLBACK;\nCREATE TABLE t2b (id integer);")
				m = newM(t, db, tg.dialect, g, migrate.WithTransaction(mode), migrate.WithoutTxControlCheck())
				_, err = m.Upgrade(ctx, "head")
				if !errors.As(err, &te) || te.How != "rolled back" {
					t.Fatalf("err = %v", err)
				}
				want := "nothing was changed: the transaction was rolled back"
				wantTables := ""
				if mode == migrate.TxRevision {
					want, wantTables = "the failing transaction was rolled back\n1 revision(s) committed before the failure remain applied: aaaa00000001", "migrate_version,migrate_version_progress,t1"
				}
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error lacks %q:\n%v", want, err)
				}
				if got := strings.Join(tables(t, db, tg.dialect), ","); got != wantTables {
					t.Errorf("tables = %s", got)
				}
			})
		}
	}
}

// TestPostgresProcedureCommit: a procedure that commits cannot end the
// run's transaction: PostgreSQL refuses a COMMIT in a procedure CALLed
// inside a transaction block, so the failure rolls back, truly.
func TestPostgresProcedureCommit(t *testing.T) {
	db := pgTarget(t).openURL(t)
	ctx := context.Background()
	g := graphOfRevisions(t, "CREATE TABLE t1 (id integer);", "CREATE PROCEDURE p() LANGUAGE plpgsql AS $$ BEGIN COMMIT; END $$;\nCALL p();")
	m := newM(t, db, migrate.Postgres, g)
	_, err := m.Upgrade(ctx, "head")
	var se *migrate.StatementError
	if !errors.As(err, &se) || !strings.Contains(err.Error(), "invalid transaction termination") || !strings.Contains(err.Error(), "nothing was changed: the transaction was rolled back") {
		t.Fatalf("err = %v", err)
	}
	if got := tables(t, db, migrate.Postgres); len(got) != 0 {
		t.Errorf("tables = %v", got)
	}
}

// TestOwnTransactionOutside: a revision that runs outside a transaction
// may hold its own BEGIN … COMMIT (files ported from golang-migrate do,
// and the load-time check tells users to mark them so); one that ends
// with its transaction still open stops the run: that transaction is
// rolled back, and the mark names the BEGIN, the first statement whose
// effect is gone.
func TestOwnTransactionOutside(t *testing.T) {
	for _, tg := range targets(t) {
		t.Run(tg.name, func(t *testing.T) {
			ctx := context.Background()
			db := tg.open(t)
			g := graphOfRevisions(t, "CREATE TABLE t1 (id integer);\nBEGIN;\nCREATE TABLE t1b (id integer);\nCOMMIT;", "CREATE TABLE t2 (id integer);")
			outsideTx(g)
			m := newM(t, db, tg.dialect, g, migrate.WithTransaction(migrate.TxNone))
			if _, err := m.Upgrade(ctx, "head"); err != nil {
				t.Fatalf("own BEGIN … COMMIT: %v", err)
			}
			if h := heads(t, m); h != "bbbb00000002" || len(marks(t, m)) != 0 {
				t.Errorf("heads = %s, marks %v", h, marks(t, m))
			}

			db = newDB(t, tg)
			g = graphOfRevisions(t, "CREATE TABLE t1 (id integer);\nBEGIN;\nCREATE TABLE t1b (id integer);", "CREATE TABLE t2 (id integer);")
			outsideTx(g)
			m = newM(t, db, tg.dialect, g, migrate.WithTransaction(migrate.TxNone))
			_, err := m.Upgrade(ctx, "head")
			var te *migrate.TransactionEndedError
			if !errors.As(err, &te) || te.How != "left open" {
				t.Fatalf("err = %v", err)
			}
			if !strings.Contains(err.Error(), "ended with one of its own still open") {
				t.Errorf("message:\n%v", err)
			}
			if mk := marks(t, m); len(mk) != 1 || mk[0].Revision != "aaaa00000001" || mk[0].Statement != 2 {
				t.Errorf("marks = %+v", mk)
			}
			if got := strings.Join(tables(t, db, tg.dialect), ","); got != "migrate_version,migrate_version_progress,t1" {
				t.Errorf("tables = %s", got)
			}
		})
	}
}

// outsideTx marks every revision of g "-- migrate:transaction false".
func outsideTx(g *versions.Graph) {
	for _, r := range g.Revisions() {
		r.Transactional = false
	}
}

// TestRunErrorUncertainCommit: when a COMMIT gets no answer (the
// connection broke), the report says the outcome is unknown instead of
// "nothing was changed".
func TestRunErrorUncertainCommit(t *testing.T) {
	err := &migrate.RunError{Err: errors.New("committing: unexpected EOF"), Uncertain: []string{"aaaa00000001", "bbbb00000002"}}
	msg := err.Error()
	if !strings.Contains(msg, "whether aaaa00000001, bbbb00000002 committed is not known") || strings.Contains(msg, "nothing was changed") {
		t.Errorf("message:\n%s", msg)
	}
}

// TestSavepointsKeepTransaction: ROLLBACK TO SAVEPOINT and RELEASE inside
// a revision do not end the run's transaction, and the runtime check
// does not take them for a ROLLBACK.
func TestSavepointsKeepTransaction(t *testing.T) {
	for _, mode := range []migrate.TxMode{migrate.TxAll, migrate.TxRevision} {
		for _, tg := range targets(t) {
			t.Run(string(mode)+"/"+tg.name, func(t *testing.T) {
				db := tg.open(t)
				g := graphOfRevisions(t, "CREATE TABLE t1 (id integer);\nSAVEPOINT sp;\nCREATE TABLE t2 (id integer);\nROLLBACK TO SAVEPOINT sp;\nRELEASE SAVEPOINT sp;", "CREATE TABLE t3 (id integer);")
				m := newM(t, db, tg.dialect, g, migrate.WithTransaction(mode), migrate.WithoutTxControlCheck())
				if _, err := m.Upgrade(context.Background(), "head"); err != nil {
					t.Fatal(err)
				}
				if got := strings.Join(tables(t, db, tg.dialect), ","); got != "migrate_version,migrate_version_progress,t1,t3" {
					t.Errorf("tables = %s", got)
				}
			})
		}
	}
}

// TestPostgresCommitAndChain: COMMIT AND CHAIN leaves the connection in a
// transaction ('T'), but a new one: the check still catches it, by the
// statement's words, and ends the empty chained transaction.
func TestPostgresCommitAndChain(t *testing.T) {
	db := pgTarget(t).openURL(t)
	g := graphOfRevisions(t, "CREATE TABLE t1 (id integer);\nCOMMIT AND CHAIN;\nCREATE TABLE t1b (id integer);", "CREATE TABLE t2 (id integer);")
	m := newM(t, db, migrate.Postgres, g, migrate.WithoutTxControlCheck())
	_, err := m.Upgrade(context.Background(), "head")
	var te *migrate.TransactionEndedError
	if !errors.As(err, &te) || te.How != "committed" {
		t.Fatalf("err = %v", err)
	}
	if got := strings.Join(tables(t, db, migrate.Postgres), ","); got != "migrate_version,migrate_version_progress,t1" {
		t.Errorf("tables = %s", got)
	}
	if mk := marks(t, m); len(mk) != 1 || mk[0].Revision != "aaaa00000001" || mk[0].Statement != 3 {
		t.Errorf("marks = %+v", mk)
	}
}

// TestPostgresOneStatementPerSend: with standard_conforming_strings off,
// the lexer (which reads standard strings) takes this line for one
// statement while the server would run four:
//
//	SELECT 'a\''; COMMIT; BEGIN; --'
//
// the COMMIT ending the run's transaction and the BEGIN hiding it from
// the transaction check. Each statement goes out with the extended
// protocol, which runs one statement only: the server refuses it, the run
// rolls back, and nothing of it stays.
func TestPostgresOneStatementPerSend(t *testing.T) {
	db := pgTarget(t).openURL(t)
	ctx := context.Background()
	g := graphOfRevisions(t, "CREATE TABLE t0 (x int);",
		"CREATE TABLE t1 (x int);\nSET standard_conforming_strings = off;\nSELECT 'a\\''; COMMIT; BEGIN; --'\nSELECT 1;\nRESET standard_conforming_strings;\nCREATE TABLE t3 (x int) bogus;")
	for _, mode := range []migrate.TxMode{migrate.TxAll, migrate.TxRevision} {
		m := newM(t, db, migrate.Postgres, g, migrate.WithTransaction(mode))
		_, err := m.Upgrade(ctx, "head")
		if err == nil || !strings.Contains(err.Error(), "cannot insert multiple commands into a prepared statement") {
			t.Fatalf("%s: err = %v", mode, err)
		}
		want := ""
		if mode == migrate.TxRevision {
			want = "migrate_version,migrate_version_progress,t0"
		}
		if got := strings.Join(tables(t, db, migrate.Postgres), ","); got != want {
			t.Errorf("%s: tables = %q, want %q", mode, got, want)
		}
		if _, err := db.Exec("DROP TABLE IF EXISTS t0, migrate_version, migrate_version_progress"); err != nil {
			t.Fatal(err)
		}
	}
}
