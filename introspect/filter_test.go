package introspect_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/migratehq/migrate/introspect"
	"github.com/migratehq/migrate/schema"
)

func TestMatchPatterns(t *testing.T) {
	type col struct{ sch, table, column string }
	for _, tt := range []struct {
		pattern string
		objects map[[2]string]bool
		columns map[col]bool
	}{
		{"address", map[[2]string]bool{{"public", "address"}: true, {"app", "address"}: true},
			map[col]bool{{"public", "address", "address"}: false}},
		// A pattern without a dot never names a column, even "*".
		{"*", map[[2]string]bool{{"public", "x"}: true}, map[col]bool{{"public", "x", "y"}: false}},
		// One dot: schema.table and table.column both.
		{"address.street", map[[2]string]bool{{"address", "street"}: true, {"public", "address"}: false},
			map[col]bool{{"public", "address", "street"}: true, {"app", "address", "street"}: true, {"public", "address", "city"}: false, {"public", "street", "address"}: false}},
		{"public.address.street", map[[2]string]bool{{"public", "address"}: false},
			map[col]bool{{"public", "address", "street"}: true, {"app", "address", "street"}: false}},
		{"*.search_*", nil, map[col]bool{{"public", "docs", "search_vec"}: true, {"app", "x", "search"}: false, {"app", "x", "search_"}: true}},
		{"app.*", map[[2]string]bool{{"app", "t"}: true, {"public", "app"}: false},
			map[col]bool{{"public", "app", "c"}: true, {"app", "t", "c"}: false}},
		{"SQLite", nil, map[col]bool{{"", "sqlite", "x"}: false}},
		{"address.street", nil, map[col]bool{{"", "address", "street"}: true}}, // SQLite: no schema
	} {
		for o, want := range tt.objects {
			if got := introspect.MatchObject([]string{tt.pattern}, o[0], o[1]); got != want {
				t.Errorf("MatchObject(%q, %s.%s) = %v", tt.pattern, o[0], o[1], got)
			}
		}
		for c, want := range tt.columns {
			if got := introspect.MatchColumn([]string{tt.pattern}, c.sch, c.table, c.column); got != want {
				t.Errorf("MatchColumn(%q, %s.%s.%s) = %v", tt.pattern, c.sch, c.table, c.column, got)
			}
		}
	}
	if !introspect.MatchColumnTable([]string{"address.street"}, "public", "address") || introspect.MatchColumnTable([]string{"address"}, "public", "address") {
		t.Error("MatchColumnTable")
	}
	if err := introspect.CheckPatterns("exclude", []string{"ok.*", "[bad"}); err == nil || err.Error() != `exclude: bad pattern "[bad": syntax error in pattern` {
		t.Errorf("CheckPatterns: %v", err)
	}
}

// TestSplitTable: what names a left-out column goes with it, by column
// list or by a word of an expression; the rest stays, and the table
// given is not changed.
func TestSplitTable(t *testing.T) {
	tb := &schema.Table{Schema: "public", Name: "address",
		Columns:    []*schema.Column{{Name: "id"}, {Name: "Street"}, {Name: "city"}},
		PrimaryKey: &schema.Key{Name: "address_pkey", Columns: []string{"id"}},
		Uniques: []*schema.Key{{Name: "u_city", Columns: []string{"city"}, Include: []string{"Street"}},
			{Name: "u_id_city", Columns: []string{"id", "city"}}},
		ForeignKeys: []*schema.ForeignKey{{Name: "fk_city", Columns: []string{"city"}, RefTable: "cities", RefColumns: []string{"name"}},
			{Name: "fk_id", Columns: []string{"id"}, RefTable: "ids", RefColumns: []string{"id"}}},
		Checks: []*schema.Check{{Name: "ck_street", Expr: `(lower("Street") <> ''::text)`}, {Name: "ck_city", Expr: "(city <> 'Street')"}},
		Indexes: []*schema.Index{{Name: "ix_expr", Parts: []*schema.IndexPart{{Expr: `upper("Street")`}}},
			{Name: "ix_where", Parts: []*schema.IndexPart{{Column: "city"}}, Where: `("Street" IS NOT NULL)`},
			{Name: "ix_city", Parts: []*schema.IndexPart{{Column: "city"}}}},
		ClusterOn: "ix_expr",
	}
	out := func(sch, table, col string) bool {
		return table == "address" && col == "Street" || table == "cities" && col == "name"
	}
	kept, gone := introspect.SplitTable(tb, schema.Postgres, out)
	names := func(tb *schema.Table) (n []string) {
		for _, c := range tb.Columns {
			n = append(n, c.Name)
		}
		for _, k := range tb.Uniques {
			n = append(n, k.Name)
		}
		for _, f := range tb.ForeignKeys {
			n = append(n, f.Name)
		}
		for _, c := range tb.Checks {
			n = append(n, c.Name)
		}
		for _, x := range tb.Indexes {
			n = append(n, x.Name)
		}
		return append(n, "cluster:"+tb.ClusterOn)
	}
	if got, want := names(kept), "[id city u_id_city fk_id ck_city ix_city cluster:]"; fmt.Sprint(got) != want {
		t.Errorf("kept = %s, want %s", fmt.Sprint(got), want)
	}
	if got, want := names(gone), "[Street u_city fk_city ck_street ix_expr ix_where cluster:ix_expr]"; fmt.Sprint(got) != want {
		t.Errorf("gone = %s, want %s", fmt.Sprint(got), want)
	}
	if kept.PrimaryKey == nil || len(tb.Columns) != 3 || len(tb.Indexes) != 3 || tb.ClusterOn != "ix_expr" {
		t.Error("the table given was changed, or the primary key left")
	}
	// A bare word in upper case names a lower-case PostgreSQL column.
	tb2 := &schema.Table{Name: "t", Columns: []*schema.Column{{Name: "a"}}, Checks: []*schema.Check{{Expr: "(A > 0)"}}}
	if _, gone := introspect.SplitTable(tb2, schema.Postgres, func(_, _, c string) bool { return c == "a" }); gone == nil || len(gone.Checks) != 1 {
		t.Errorf("check on A kept: %+v", gone)
	}
	// Nothing left out: the table itself.
	if k, g := introspect.SplitTable(tb, schema.Postgres, func(_, _, _ string) bool { return false }); k != tb || g != nil {
		t.Error("nothing left out: not the same table")
	}
}

// TestPostgresExcludeColumn: inspect --exclude 'address.street' leaves
// out the column, its index, the foreign key to it and the sequence it
// owns; the rest, and an object matched by the same pattern as
// schema.name, as usual.
func TestPostgresExcludeColumn(t *testing.T) {
	_, db := pgFresh(t)
	pgExec(t, db, `CREATE TABLE address (id serial PRIMARY KEY, street text UNIQUE, n serial, city text);
		CREATE INDEX address_city_idx ON address (city) WHERE street IS NOT NULL;
		CREATE INDEX address_id_idx ON address (id);
		CREATE TABLE letter (id int, street text REFERENCES address (street), city text);
		CREATE SCHEMA address; CREATE TABLE address.street (id int)`)
	s, err := introspect.Inspect(context.Background(), db, schema.Postgres, introspect.Options{
		Schemas: []string{"public", "address"}, Exclude: []string{"address.street", "*.n"}})
	if err != nil {
		t.Fatal(err)
	}
	a := s.Table("public", "address")
	if a == nil || a.Column("street") != nil || a.Column("n") != nil || a.Column("city") == nil || len(a.Uniques) != 0 ||
		len(a.Indexes) != 1 || a.Indexes[0].Name != "address_id_idx" || a.PrimaryKey == nil {
		t.Errorf("address = %s", pgJSON(t, &schema.Schema{Tables: []*schema.Table{a}}))
	}
	if l := s.Table("public", "letter"); l == nil || l.Column("street") == nil || len(l.ForeignKeys) != 0 {
		t.Errorf("letter = %s", pgJSON(t, &schema.Schema{Tables: []*schema.Table{l}}))
	}
	if s.Sequence("public", "address_n_seq") != nil || s.Sequence("public", "address_id_seq") == nil {
		t.Errorf("sequences = %s", pgJSON(t, &schema.Schema{Sequences: s.Sequences}))
	}
	if s.Table("address", "street") != nil {
		t.Error("table address.street kept")
	}
	// KeepColumns: objects only.
	s, err = introspect.Inspect(context.Background(), db, schema.Postgres, introspect.Options{Exclude: []string{"address.street"}, KeepColumns: true})
	if err != nil {
		t.Fatal(err)
	}
	if a := s.Table("public", "address"); a == nil || a.Column("street") == nil || len(a.Uniques) != 1 {
		t.Errorf("KeepColumns: address = %s", pgJSON(t, &schema.Schema{Tables: []*schema.Table{a}}))
	}
}
