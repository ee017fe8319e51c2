package versions

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/migratehq/migrate/sqlsplit"
)

func TestParseBadBytes(t *testing.T) {
	const hdr = "-- migrate:revision abc\n\n-- migrate:up\n"
	tests := []struct {
		name      string
		src       string
		line, col int
		msg       string
	}{
		{"NUL before a statement", hdr + "CREATE TABLE a (x int);\n\x00CREATE TABLE b (x int);\n", 5, 1, "NUL byte"},
		{"NUL inside a string", hdr + "INSERT INTO a VALUES ('x\x00y');\n", 4, 25, "NUL byte"},
		{"NUL in the header", "-- migrate:revision abc\n-- migrate:message a\x00b\n-- migrate:up\n", 2, 21, "NUL byte"},
		{"NUL in the down section", hdr + "SELECT 1;\n-- migrate:down\nDROP TABLE a;\x00\n", 6, 14, "NUL byte"},
		{"invalid UTF-8", hdr + "SELECT 'caf\xe9';\n", 4, 12, "invalid UTF-8 (byte 0xe9)"},
		{"column counts characters", hdr + "SELECT 'été', '\xff';\n", 4, 16, "invalid UTF-8 (byte 0xff)"},
		{"truncated sequence", hdr + "SELECT '\xe2\x82';\n", 4, 9, "invalid UTF-8 (byte 0xe2)"},
		{"first of the two", hdr + "SELECT '\xff';\x00\n", 4, 9, "invalid UTF-8"},
		{"UTF-16", "\xff\xfe-\x00-\x00", 1, 1, "the file is UTF-16"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("v/f.sql", []byte(tt.src))
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse accepted the file (err = %v)", err)
			}
			if pe.Line != tt.line || pe.Column != tt.col || !strings.Contains(pe.Msg, tt.msg) {
				t.Errorf("got %v, want v/f.sql:%d:%d: ...%s...", err, tt.line, tt.col, tt.msg)
			}
			if want := "v/f.sql:" + itoa(tt.line) + ":" + itoa(tt.col) + ": "; !strings.HasPrefix(err.Error(), want) {
				t.Errorf("Error() = %q, want the prefix %q", err, want)
			}
		})
	}
	// A BOM and any valid UTF-8 are fine.
	if _, err := Parse("v/f.sql", []byte("\ufeff"+hdr+"SELECT 'žluťoučký 🐎', E'\\x00';\n")); err != nil {
		t.Errorf("valid UTF-8 rejected: %v", err)
	}
}

func itoa(n int) string {
	var b []byte
	for {
		b = append([]byte{byte('0' + n%10)}, b...)
		if n /= 10; n == 0 {
			return string(b)
		}
	}
}

func TestParseTxControl(t *testing.T) {
	const hdr = "-- migrate:revision abc\n\n-- migrate:up\n" // the up section starts at line 4
	rejected := []struct {
		name, up string
		line     int
		stmt     string
	}{
		{"golang-migrate style", "BEGIN;\nCREATE TABLE a (x int);\nCOMMIT;\n", 4, `"BEGIN" starts`},
		{"commit alone", "CREATE TABLE a (x int);\n\nCOMMIT;\n", 6, `"COMMIT" would commit`},
		{"lower case, no semicolon", "create table a (x int);\ncommit", 5, `"commit"`},
		{"begin transaction", "BEGIN TRANSACTION;", 4, "starts a transaction"},
		{"begin work", "BEGIN WORK;", 4, "starts a transaction"},
		{"begin isolation level", "BEGIN ISOLATION LEVEL SERIALIZABLE;", 4, "starts a transaction"},
		{"start transaction", "START TRANSACTION READ WRITE;", 4, "starts a transaction"},
		{"sqlite begin deferred", "BEGIN DEFERRED;", 4, "starts a transaction"},
		{"sqlite begin immediate", "BEGIN IMMEDIATE TRANSACTION;", 4, "starts a transaction"},
		{"sqlite begin exclusive", "BEGIN EXCLUSIVE;", 4, "starts a transaction"},
		{"end", "SELECT 1;\nEND;", 5, "would commit"},
		{"end transaction", "END TRANSACTION;", 4, "would commit"},
		{"commit and chain", "COMMIT AND CHAIN;", 4, "would commit"},
		{"rollback", "ROLLBACK;", 4, "would roll back"},
		{"rollback work", "ROLLBACK WORK;", 4, "would roll back"},
		{"rollback and chain", "ROLLBACK AND CHAIN;", 4, "would roll back"},
		{"abort", "ABORT;", 4, "would roll back"},
		{"prepare transaction", "PREPARE TRANSACTION 'tx1';", 4, "two-phase commit"},
		{"commit prepared", "COMMIT PREPARED 'tx1';", 4, "two-phase commit"},
		{"rollback prepared", "ROLLBACK PREPARED 'tx1';", 4, "two-phase commit"},
		{"after comments", "-- set up\n/* a comment */ BEGIN;", 5, "starts a transaction"},
		{"comment between the words", "ROLLBACK /* not TO */ ;", 4, "would roll back"},
		{"after a function", "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;\nCOMMIT;", 5, "would commit"},
		{"after a trigger", "CREATE TRIGGER tr AFTER INSERT ON a BEGIN UPDATE b SET x = 1; END;\nCOMMIT;", 5, "would commit"},
		// Only the PostgreSQL lexer reads E'\'' (the SQLite one sees an
		// unterminated string): its reading decides.
		{"postgres-only text", "SELECT E'it\\'s';\nBEGIN;\nSELECT 1;", 5, "starts a transaction"},
		// Only the SQLite lexer reads a bracketed name holding a quote.
		{"sqlite-only text", "SELECT [it's];\nBEGIN;\nSELECT 1;", 5, "starts a transaction"},
	}
	for _, tt := range rejected {
		t.Run("rejects "+tt.name, func(t *testing.T) {
			_, err := Parse("v/f.sql", []byte(hdr+tt.up))
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse accepted it (err = %v)", err)
			}
			if pe.Line != tt.line || !strings.Contains(pe.Msg, "up section: ") || !strings.Contains(pe.Msg, tt.stmt) ||
				!strings.Contains(pe.Msg, `remove it`) || !strings.Contains(pe.Msg, `"-- migrate:transaction false"`) {
				t.Errorf("got %v\nwant v/f.sql:%d: up section: ...%s...", err, tt.line, tt.stmt)
			}
			// Outside a transaction the revision controls its own.
			if _, err := Parse("v/f.sql", []byte("-- migrate:revision abc\n-- migrate:transaction false\n-- migrate:up\n"+tt.up)); err != nil {
				t.Errorf("with -- migrate:transaction false: %v", err)
			}
		})
	}

	allowed := []struct{ name, up string }{
		{"savepoints", "SAVEPOINT a;\nRELEASE SAVEPOINT a;\nSAVEPOINT b;\nRELEASE b;\nSAVEPOINT c;\nROLLBACK TO SAVEPOINT c;\nROLLBACK TO c;\nROLLBACK WORK TO c;\nROLLBACK TRANSACTION TO SAVEPOINT c;\nrollback to \"c\";"},
		{"DO block", "DO $$\nBEGIN\n  PERFORM 1;\nEND\n$$;"},
		{"plpgsql function", "CREATE OR REPLACE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $fn$\nBEGIN\n  NEW.x := 1;\n  RETURN NEW;\nEND\n$fn$;"},
		{"plpgsql with exception block", "CREATE FUNCTION g() RETURNS void AS $$\nBEGIN\n  BEGIN\n    PERFORM 1 / 0;\n  EXCEPTION WHEN division_by_zero THEN\n    ROLLBACK;\n  END;\n  COMMIT;\nEND $$ LANGUAGE plpgsql;"},
		{"procedure with commit", "CREATE PROCEDURE p() LANGUAGE plpgsql AS $$ BEGIN COMMIT; END $$;"},
		{"begin atomic function", "CREATE FUNCTION h() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1;\nEND;"},
		{"begin atomic procedure", "CREATE OR REPLACE PROCEDURE q() LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1); END;"},
		{"sqlite trigger", "CREATE TRIGGER tr AFTER INSERT ON a\nBEGIN\n  UPDATE b SET x = 1;\n  SELECT CASE WHEN 1 THEN 2 END;\nEND;"},
		{"sqlite temp trigger", "CREATE TEMP TRIGGER tr AFTER INSERT ON a BEGIN DELETE FROM b; END;"},
		{"quoted and commented", "SELECT 'BEGIN; COMMIT;';\n-- COMMIT;\n/* ROLLBACK; */\nSELECT \"begin\" FROM \"end\";"},
		{"prepared statement", "PREPARE ins (int) AS INSERT INTO t VALUES ($1);\nEXECUTE ins(1);\nDEALLOCATE ins;"},
		{"words that only look alike", "INSERT INTO commit_log VALUES (1);\nUPDATE t SET \"end\" = 1;\nCREATE TABLE begins (x int);\nSELECT CASE WHEN true THEN 1 END;\nSET TRANSACTION ISOLATION LEVEL SERIALIZABLE;"},
		{"begin atomic at top level is not a transaction", "BEGIN ATOMIC;"},
	}
	for _, tt := range allowed {
		t.Run("allows "+tt.name, func(t *testing.T) {
			if _, err := Parse("v/f.sql", []byte(hdr+tt.up)); err != nil {
				t.Errorf("Parse: %v", err)
			}
		})
	}

	// The down section is checked too, with its own lines.
	_, err := Parse("v/f.sql", []byte(hdr+"SELECT 1;\n-- migrate:down\nBEGIN;\nDROP TABLE a;\nCOMMIT;\n"))
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line != 6 || !strings.Contains(pe.Msg, "down section: \"BEGIN\"") {
		t.Errorf("down section: %v", err)
	}
}

func TestLeadingWordsClassify(t *testing.T) {
	for sql, want := range map[string]string{
		"BEGIN":                   txBegin,
		"begin;":                  txBegin,
		"Start Transaction":       txBegin,
		"START":                   "",
		"END IF":                  txCommit,
		"COMMIT PREPARED 'x'":     txPrepare,
		"PREPARE TRANSACTION 'x'": txPrepare,
		"PREPARE x AS SELECT 1":   "",
		"ROLLBACK TO x":           "",
		"ROLLBACK WORK TO x":      "",
		"ROLLBACK TRANSACTION":    txRollback,
		"ABORT WORK":              txRollback,
		"SAVEPOINT x":             "",
		"\"begin\"":               "",
		"E'begin'":                "",
	} {
		if got := txControlKind(sqlsplit.LeadingWords(sql, sqlsplit.Postgres, 3)); got != want {
			t.Errorf("%q: kind %q, want %q", sql, got, want)
		}
	}
}

// Control characters in header lines are refused: their values reach
// terminals and the comments of --sql scripts, where a carriage return
// ends a PostgreSQL comment.
func TestParseHeaderControlCharacters(t *testing.T) {
	for _, tt := range []struct {
		src       string
		line, col int
		msg       string
	}{
		{"-- migrate:revision abc\n-- migrate:message Add \x1b[2Jusers\n-- migrate:up\n", 2, 24, "control character U+001B"},
		{"-- migrate:revision abc\n-- migrate:message a\x07\n-- migrate:up\n", 2, 21, "U+0007"},
		{"-- migrate:revision abc\n-- migrate:message a\rDROP TABLE users;\n-- migrate:up\n", 2, 21, "U+000D"},
		{"-- migrate:revision abc\n-- migrate:message a\u0085b\n-- migrate:up\n", 2, 21, "U+0085"},
		{"-- migrate:revision abc\n-- migrate:up\x1b\n", 2, 14, "U+001B"},
	} {
		_, err := Parse("v/f.sql", []byte(tt.src))
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Line != tt.line || pe.Column != tt.col || !strings.Contains(pe.Msg, tt.msg) {
			t.Errorf("%q: got %v, want v/f.sql:%d:%d: ...%s...", tt.src, err, tt.line, tt.col, tt.msg)
		}
	}
	// A tab and CRLF line ends are fine, and a message from code has its
	// control characters written as spaces.
	if _, err := Parse("v/f.sql", []byte("-- migrate:revision abc\r\n-- migrate:message a\tb\r\n-- migrate:up\r\n")); err != nil {
		t.Errorf("tab or CRLF refused: %v", err)
	}
	r := NewRevision("abc", nil, "Add \x1b[31mred\x1b[0m\rDROP TABLE x;\u0085", time.Now())
	back, err := Parse("v/f.sql", Render(r))
	if err != nil || back.Message != "Add  [31mred [0m DROP TABLE x;" {
		t.Errorf("Render: %q, %v", back.Message, err)
	}
}

func TestLoadControlCharacterFileName(t *testing.T) {
	_, err := Load(fstest.MapFS{"v/001_\rx.sql": file("a", "")}, "v")
	if err == nil || !strings.Contains(err.Error(), `"v/001_\rx.sql": a revision file name may not hold control characters`) {
		t.Errorf("Load: %v", err)
	}
}

// TestCheckTxControlByDialect: where the two lexers disagree, the
// load-time check stands back; once the dialect is known, its lexer's
// reading decides. PostgreSQL nests block comments, SQLite does not, so
// SQLite runs the COMMIT below that PostgreSQL's lexer sees inside a
// comment — and the check for SQLite refuses it.
func TestCheckTxControlByDialect(t *testing.T) {
	src := "-- migrate:revision abc\n\n-- migrate:up\nCREATE TABLE a (x int);\n/* /* */ COMMIT; SELECT 1 -- */\nSELECT 2;\n"
	check := func(r *Revision, d sqlsplit.Dialect) error {
		stmts, err := r.UpStatements(d)
		if err != nil {
			t.Fatal(err)
		}
		return r.CheckTxControl("up", stmts, d)
	}
	r, err := Parse("versions/abc.sql", []byte(src))
	if err != nil {
		t.Fatalf("load: %v (the lexers disagree: the load must stand back)", err)
	}
	if err := check(r, sqlsplit.Postgres); err != nil {
		t.Errorf("postgres: %v (the COMMIT is inside a comment there)", err)
	}
	err = check(r, sqlsplit.SQLite)
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line != 5 || !strings.Contains(pe.Msg, `"COMMIT" would commit`) {
		t.Fatalf("sqlite: err = %v, want versions/abc.sql:5 naming the COMMIT", err)
	}
	// Outside a transaction the revision may hold it.
	r, err = Parse("versions/abc.sql", []byte(strings.Replace(src, "\n\n-- migrate:up", "\n-- migrate:transaction false\n\n-- migrate:up", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if err := check(r, sqlsplit.SQLite); err != nil {
		t.Errorf("transaction false: %v", err)
	}
}

func TestMayControlTx(t *testing.T) {
	for body, want := range map[string]bool{
		"":                                  false,
		"CREATE TABLE a (x int);":           false,
		"CREATE TABLE pending (end_at int)": false,
		"SELECT 1;\nCommit;":                true,
		"ALTER TABLE a ADD c int; END":      true,
		"/* x */BEGIN":                      true,
		"CREATE TABLE café (x int); begin":  true,
	} {
		if got := mayControlTx(body); got != want {
			t.Errorf("mayControlTx(%q) = %v, want %v", body, got, want)
		}
	}
}
