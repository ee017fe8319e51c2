package schema

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestLookupAndSort(t *testing.T) {
	s := &Schema{
		Dialect: Postgres,
		Tables: []*Table{
			{Schema: "public", Name: "b", Columns: []*Column{{Name: "z", Type: "integer"}, {Name: "a", Type: "text"}},
				Indexes: []*Index{{Name: "y"}, {Name: "x"}}},
			{Schema: "app", Name: "c"},
			{Schema: "public", Name: "a"},
		},
		Functions: []*Function{
			{Schema: "public", Name: "f", Args: "b integer"},
			{Schema: "public", Name: "f", Args: "a integer"},
		},
	}
	s.Sort()
	var got []string
	for _, tb := range s.Tables {
		got = append(got, tb.Schema+"."+tb.Name)
	}
	if strings.Join(got, " ") != "app.c public.a public.b" {
		t.Errorf("tables sorted as %v", got)
	}
	b := s.Table("public", "b")
	if b == nil || b.Column("a") == nil || b.Column("nope") != nil {
		t.Fatalf("lookup failed: %+v", b)
	}
	if b.Columns[0].Name != "z" {
		t.Errorf("columns must keep their order, got %s first", b.Columns[0].Name)
	}
	if b.Indexes[0].Name != "x" || b.Index("y") == nil {
		t.Errorf("indexes not sorted by name: %v", b.Indexes[0].Name)
	}
	if s.Functions[0].Args != "a integer" {
		t.Errorf("overloads not sorted by arguments")
	}
	if s.Table("public", "zz") != nil {
		t.Error("missing table found")
	}
}

func TestJSON(t *testing.T) {
	s := &Schema{Dialect: Postgres, Tables: []*Table{{Schema: "public", Name: "t",
		Columns: []*Column{{Name: "id", Type: "bigint", NotNull: true,
			Identity: &Identity{Always: true, SequenceOptions: SequenceOptions{Start: 1, Increment: 1}}}}}}}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"dialect":"postgres","tables":[{"schema":"public","name":"t","columns":[{"name":"id","type":"bigint","not_null":true,"identity":{"always":true,"start":1,"increment":1,"min":0,"max":0,"cache":0}}]}]}`
	if string(b) != want {
		t.Errorf("JSON:\n got %s\nwant %s", b, want)
	}
	var back Schema
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Table("public", "t").Column("id").Identity.Start != 1 {
		t.Error("JSON round trip lost the identity")
	}
}
