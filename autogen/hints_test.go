package autogen

import (
	"strings"
	"testing"

	"github.com/migratehq/migrate/schema"
	"github.com/migratehq/migrate/sqlsplit"
)

func TestParseHints(t *testing.T) {
	model := `-- the model
CREATE TABLE people ( -- migrate:renamed_from users
    id integer PRIMARY KEY,
    full_name text NOT NULL, -- migrate:renamed_from name
    -- migrate:renamed_from mail
    "E-mail" text,
    CONSTRAINT people_name_ck CHECK (full_name <> '')
);

-- migrate:renamed_from billing.old_invoices
CREATE TABLE billing.invoices (
    id integer PRIMARY KEY
);
`
	opts, err := ParseHints([]Chunk{{File: "schema.sql", Line: 1, SQL: model}}, sqlsplit.Postgres, "public")
	if err != nil {
		t.Fatal(err)
	}
	wantTables := map[schema.TableRef]schema.TableRef{
		{Schema: "public", Name: "people"}:    {Schema: "public", Name: "users"},
		{Schema: "billing", Name: "invoices"}: {Schema: "billing", Name: "old_invoices"},
	}
	if len(opts.TableRenames) != len(wantTables) {
		t.Fatalf("table renames = %v", opts.TableRenames)
	}
	for k, v := range wantTables {
		if opts.TableRenames[k] != v {
			t.Errorf("table %v renamed from %v, want %v", k, opts.TableRenames[k], v)
		}
	}
	wantCols := map[schema.ColumnRef]string{
		{Schema: "public", Table: "people", Column: "full_name"}: "name",
		{Schema: "public", Table: "people", Column: "E-mail"}:    "mail",
	}
	if len(opts.ColumnRenames) != len(wantCols) {
		t.Fatalf("column renames = %v", opts.ColumnRenames)
	}
	for k, v := range wantCols {
		if opts.ColumnRenames[k] != v {
			t.Errorf("column %v renamed from %q, want %q", k, opts.ColumnRenames[k], v)
		}
	}

	// SQLite keeps the case of unquoted names.
	opts, err = ParseHints([]Chunk{{File: "m.sql", Line: 1, SQL: "CREATE TABLE People ( -- migrate:renamed_from Users\n  Id integer\n);"}}, sqlsplit.SQLite, "")
	if err != nil || opts.TableRenames[schema.TableRef{Name: "People"}] != (schema.TableRef{Name: "Users"}) {
		t.Fatalf("sqlite: %v %v", opts.TableRenames, err)
	}
}

func TestParseHintsErrors(t *testing.T) {
	for _, tc := range []struct{ sql, want string }{
		{"-- migrate:renamed_from x\nCREATE INDEX i ON t (a);\n", "m.sql:11: rename hint outside a CREATE TABLE statement"},
		{"CREATE TABLE t (\n  id integer,\n  CONSTRAINT c CHECK (id > 0) -- migrate:renamed_from d\n);\n", "m.sql:12: rename hint not beside a column definition"},
		{"CREATE TABLE t (id integer); -- migrate:renamed_from a b\n", "m.sql:10: expected one name after -- migrate:renamed_from"},
		{"CREATE TABLE t (id integer);\n-- migrate:renamed_from a\n", "m.sql:11: rename hint not followed by a table or column"},
	} {
		_, err := ParseHints([]Chunk{{File: "m.sql", Line: 10, SQL: tc.sql}}, sqlsplit.Postgres, "public")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseHints(%q) = %v, want %q", tc.sql, err, tc.want)
		}
	}
}
