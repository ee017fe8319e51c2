package autogen

import (
	"slices"
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
		{"-- migrate:renamed_from x\nCREATE INDEX i ON t (a);\n", "m.sql:10: rename hint outside a CREATE TABLE statement"},
		{"CREATE INDEX i ON t (a); -- migrate:renamed_from x\n", "m.sql:10: rename hint outside a CREATE TABLE statement (indexes and constraints are matched by their definition"},
		{"CREATE TABLE t (\n  id integer,\n  CONSTRAINT c CHECK (id > 0) -- migrate:renamed_from d\n);\n", "m.sql:12: rename hint beside a table constraint, not a column definition"},
		{"CREATE TABLE t (id integer, CONSTRAINT c CHECK (id > 0) -- migrate:renamed_from d\n);\n", "m.sql:10: rename hint beside a table constraint"},
		{"CREATE TABLE t (\n  id integer,\n  -- migrate:renamed_from d\n  PRIMARY KEY (id)\n);\n", "m.sql:12: rename hint beside a table constraint"},
		{"CREATE TABLE t (\n  id integer -- migrate:renamed_from\n);\n", "m.sql:11: expected one name after"},
		{"-- migrate:renamed_from a\n-- migrate:renamed_from b\nCREATE TABLE t (id integer);\n", "m.sql:10: rename hint not followed by a table or column"},
		{"CREATE TABLE t (id integer); -- migrate:renamed_from a b\n", "m.sql:10: expected one name after -- migrate:renamed_from"},
		{"CREATE TABLE t (id integer);\n-- migrate:renamed_from a\n", "m.sql:11: rename hint not followed by a table or column"},
		{"CREATE TABLE t (\n  id integer /* migrate:renamed_from a */\n);\n", "m.sql:11: a rename hint is a -- comment: write -- migrate:renamed_from NAME"},
		{"CREATE TABLE t ( --migrate:renamed_from a\n  id integer\n);\n", "m.sql:10: a rename hint is a -- comment"},
	} {
		_, err := ParseHints([]Chunk{{File: "m.sql", Line: 10, SQL: tc.sql}}, sqlsplit.Postgres, "public")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseHints(%q) = %v, want %q", tc.sql, err, tc.want)
		}
	}
}

// hintList writes the renames of opts as sorted lines, "table new <- old"
// and "column table.new <- old".
func hintList(opts DiffOptions) []string {
	var out []string
	for n, o := range opts.TableRenames {
		out = append(out, "table "+qualifiedName(n.Schema, n.Name)+" <- "+qualifiedName(o.Schema, o.Name))
	}
	for c, o := range opts.ColumnRenames {
		out = append(out, "column "+qualifiedName(c.Schema, c.Table)+"."+c.Column+" <- "+o)
	}
	slices.Sort(out)
	return out
}

// TestParseHintsPositions: a hint beside code belongs to the last
// definition that ends on its line; on a line where none ends, to the
// column that goes on, or the table; alone on its line, to what begins
// on the next line.
func TestParseHintsPositions(t *testing.T) {
	for _, tc := range []struct {
		name, sql string
		want      []string
	}{
		{"CREATE TABLE line with columns, ); next",
			"CREATE TABLE t (id integer PRIMARY KEY, email_address text -- migrate:renamed_from email\n);",
			[]string{"column t.email_address <- email"}},
		{"CREATE TABLE line ending with a column and a comma",
			"CREATE TABLE t (id integer, -- migrate:renamed_from old_id\n  name text\n);",
			[]string{"column t.id <- old_id"}},
		{"CREATE TABLE line alone",
			"CREATE TABLE t ( -- migrate:renamed_from old_t\n  id integer\n);",
			[]string{"table t <- old_t"}},
		{"last column before );",
			"CREATE TABLE t (\n  id integer,\n  email text -- migrate:renamed_from mail\n);",
			[]string{"column t.email <- mail"}},
		{"column line followed by a comment",
			"CREATE TABLE t (\n  id integer,\n  email text, -- migrate:renamed_from mail\n  -- the address\n  name text -- migrate:renamed_from full_name\n  -- last\n);",
			[]string{"column t.email <- mail", "column t.name <- full_name"}},
		{"table on one line",
			"CREATE TABLE t (id integer, email text); -- migrate:renamed_from old_t",
			[]string{"table t <- old_t"}},
		{"); on the last column's line",
			"CREATE TABLE t (\n  id integer,\n  email text); -- migrate:renamed_from old_t",
			[]string{"table t <- old_t"}},
		{"); on a line of its own",
			"CREATE TABLE t (\n  id integer\n); -- migrate:renamed_from old_t",
			[]string{"table t <- old_t"}},
		{"own line before a column",
			"CREATE TABLE t (\n  id integer,\n  -- migrate:renamed_from mail\n\n  email text\n);",
			[]string{"column t.email <- mail"}},
		{"own line before the table",
			"-- migrate:renamed_from old_t\nCREATE TABLE t (id integer, email text);",
			[]string{"table t <- old_t"}},
		{"column over two lines, hint on the first",
			"CREATE TABLE t (\n  amount numeric(10,2) -- migrate:renamed_from amt\n    NOT NULL DEFAULT 0,\n  id int\n);",
			[]string{"column t.amount <- amt"}},
		{"column over two lines, hint on the last",
			"CREATE TABLE t (\n  amount numeric(10,2)\n    NOT NULL DEFAULT 0, -- migrate:renamed_from amt\n  id int\n);",
			[]string{"column t.amount <- amt"}},
		{"leading commas",
			"CREATE TABLE t (\n    id integer\n  , email text -- migrate:renamed_from mail\n  , x int\n);",
			[]string{"column t.email <- mail"}},
		{"commas, parentheses and dashes in strings and checks",
			"CREATE TABLE t (a text DEFAULT 'x, -- y)', n int CHECK (n IN (1, 2)), b text /* , c */ -- migrate:renamed_from c\n);",
			[]string{"column t.b <- c"}},
		{"after the definitions",
			"CREATE TABLE t (\n  id int\n)\nWITH (fillfactor = 70); -- migrate:renamed_from old_t",
			[]string{"table t <- old_t"}},
		{"schema-qualified, quoted",
			"CREATE TABLE IF NOT EXISTS billing.\"Invoices\" (\"Total\" numeric -- migrate:renamed_from \"Sum\"\n); ",
			[]string{"column billing.Invoices.Total <- Sum"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts, err := ParseHints([]Chunk{{File: "m.sql", Line: 1, SQL: tc.sql}}, sqlsplit.Postgres, "")
			if err != nil {
				t.Fatal(err)
			}
			if got := hintList(opts); !slices.Equal(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestParseHintsPositionsSQLite: the same rules with SQLite's quoting.
func TestParseHintsPositionsSQLite(t *testing.T) {
	for _, tc := range []struct{ sql, want string }{
		{"CREATE TABLE T (Id INTEGER PRIMARY KEY, [E Mail] TEXT -- migrate:renamed_from Mail\n);", "column T.E Mail <- Mail"},
		{"CREATE TABLE T (Id INTEGER PRIMARY KEY, `Name` TEXT -- migrate:renamed_from Nom\n);", "column T.Name <- Nom"},
		{"CREATE TABLE T (Id INTEGER, Note TEXT DEFAULT '[x,'); -- migrate:renamed_from Old", "table T <- Old"},
		{"CREATE TABLE T (\n  Id INTEGER,\n  Note TEXT -- migrate:renamed_from Remark\n) STRICT;", "column T.Note <- Remark"},
	} {
		opts, err := ParseHints([]Chunk{{File: "m.sql", Line: 1, SQL: tc.sql}}, sqlsplit.SQLite, "")
		if err != nil {
			t.Fatalf("%q: %v", tc.sql, err)
		}
		if got := hintList(opts); len(got) != 1 || got[0] != tc.want {
			t.Errorf("%q: got %q, want %q", tc.sql, got, tc.want)
		}
	}
}

// TestParseHintsAt: where each hint was written.
func TestParseHintsAt(t *testing.T) {
	sql := "CREATE TABLE t ( -- migrate:renamed_from u\n  id int,\n  b text -- migrate:renamed_from a\n);"
	_, sites, err := ParseHintsAt([]Chunk{{File: "m.sql", Line: 5, SQL: sql}}, sqlsplit.Postgres, "public")
	if err != nil {
		t.Fatal(err)
	}
	if got := sites.Tables[schema.TableRef{Schema: "public", Name: "t"}]; got != "m.sql:5" {
		t.Errorf("table hint at %q, want m.sql:5", got)
	}
	if got := sites.Columns[schema.ColumnRef{Schema: "public", Table: "t", Column: "b"}]; got != "m.sql:7" {
		t.Errorf("column hint at %q, want m.sql:7", got)
	}
}

// TestUnmatchedHints: a hint whose old and new names are both missing
// from the database is reported with both names; one that applies, or
// was applied already (the new name exists), is not.
func TestUnmatchedHints(t *testing.T) {
	table := func(name string, cols ...string) *schema.Table {
		tb := &schema.Table{Schema: "public", Name: name}
		for _, c := range cols {
			tb.Columns = append(tb.Columns, &schema.Column{Name: c, Type: "text"})
		}
		return tb
	}
	current := &schema.Schema{Dialect: schema.Postgres, Tables: []*schema.Table{
		table("people", "id", "full_name"), // hints applied already
		table("users", "id", "mail"),       // hints that apply
		table("orders", "id", "total"),     // a misspelt hint
	}}
	target := &schema.Schema{Dialect: schema.Postgres, Tables: []*schema.Table{
		table("people", "id", "full_name"),
		table("customers", "id", "email"),
		table("orders", "id", "amount"),
		table("invoices", "id", "sum"),
		table("notes", "id"),
	}}
	model := `CREATE TABLE people ( -- migrate:renamed_from persons
    id int,
    full_name text -- migrate:renamed_from name
);
CREATE TABLE customers ( -- migrate:renamed_from users
    id int,
    email text -- migrate:renamed_from mail
);
CREATE TABLE orders (
    id int,
    amount text -- migrate:renamed_from totl
);
CREATE TABLE invoices ( -- migrate:renamed_from bills
    id int,
    sum text -- migrate:renamed_from total
);
CREATE TABLE gone (id int); -- migrate:renamed_from excluded
`
	opts, sites, err := ParseHintsAt([]Chunk{{File: "schema.sql", Line: 1, SQL: model}}, sqlsplit.Postgres, "public")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"schema.sql:11: rename hint matches nothing: table public.orders has neither column totl (the old name) nor amount (the new one)",
		"schema.sql:13: rename hint matches nothing: the database has neither table public.bills (the old name) nor public.invoices (the new one)",
		"schema.sql:15: rename hint matches nothing: the database has no table public.invoices, so no column total to rename to sum",
	}
	if got := UnmatchedHints(current, target, opts, sites); !slices.Equal(got, want) {
		t.Errorf("UnmatchedHints =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestHintsNotDone: a hint whose old name exists but that is not done is
// a warning naming both names — the database has both (tables, columns),
// or it is one of a swap of alike columns — and warnings come in the
// order of the lines (9 before 14). A swap done already is silent.
func TestHintsNotDone(t *testing.T) {
	table := func(name string, cols ...string) *schema.Table {
		tb := &schema.Table{Schema: "public", Name: name}
		for _, c := range cols {
			tb.Columns = append(tb.Columns, &schema.Column{Name: c, Type: "text"})
		}
		return tb
	}
	// w: a swap of columns of different types, done already: silent.
	w := &schema.Table{Schema: "public", Name: "w", Columns: []*schema.Column{{Name: "p", Type: "integer"}, {Name: "q", Type: "text"}}}
	current := &schema.Schema{Dialect: schema.Postgres, Tables: []*schema.Table{
		w,
		table("t1", "id", "x"),
		table("t2", "id", "y"),
		table("u", "id", "email", "email_address", "a", "b"),
		table("v", "id", "c", "d", "e"),
	}}
	target := &schema.Schema{Dialect: schema.Postgres, Tables: []*schema.Table{
		w,
		table("t1", "id", "y"),
		table("u", "id", "email_address", "b", "a"),
		table("v", "id", "dd", "c", "e"),
	}}
	model := `CREATE TABLE t1 ( -- migrate:renamed_from t2
    id int,
    y text
);
CREATE TABLE u (
    id int,
    email_address text, -- migrate:renamed_from email
    b text, -- migrate:renamed_from a
    a text -- migrate:renamed_from b
);
CREATE TABLE v (
    id int,
    dd text, -- migrate:renamed_from d
    c text, -- migrate:renamed_from e
    e text
);
CREATE TABLE w (p integer, -- migrate:renamed_from q
    q text -- migrate:renamed_from p
);
`
	opts, sites, err := ParseHintsAt([]Chunk{{File: "m.sql", Line: 1, SQL: model}}, sqlsplit.Postgres, "public")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"m.sql:1: rename hint renamed_from public.t2 on public.t1 cannot be done: the database has both table public.t2 and public.t1, so table public.t2 would be dropped with its rows; drop the hint, or drop or rename the other table first",
		"m.sql:7: rename hint renamed_from email on column email_address of public.u cannot be done: the database has both column email and email_address, so column email would be dropped with its data; drop the hint, or drop or rename the other column first",
		"m.sql:8: rename hint renamed_from a on column b of public.u is part of a swap of columns that read alike (same type, nullability and default): a swap reads the same done and not done, so it is not done; write the renames by hand (through a temporary name) and then drop the hints",
		"m.sql:9: rename hint renamed_from b on column a of public.u is part of a swap of columns that read alike (same type, nullability and default): a swap reads the same done and not done, so it is not done; write the renames by hand (through a temporary name) and then drop the hints",
		"m.sql:14: rename hint renamed_from e on column c of public.v cannot be done: the database has both column e and c; drop the hint, or drop or rename the other column first",
	}
	if got := UnmatchedHints(current, target, opts, sites); !slices.Equal(got, want) {
		t.Errorf("UnmatchedHints =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
