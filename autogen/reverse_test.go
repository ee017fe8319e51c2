package autogen

import (
	"reflect"
	"testing"

	"github.com/migratehq/migrate/schema"
)

// TestReverseTwiceIsIdentity: Reverse(Reverse(c)) == c for every change
// type and every table change type, and Reverse of a list reverses it.
func TestReverseTwiceIsIdentity(t *testing.T) {
	tbl := &schema.Table{Schema: "public", Name: "t", Columns: []*schema.Column{{Name: "id", Type: "integer"}}}
	tbl2 := &schema.Table{Schema: "public", Name: "t", Columns: []*schema.Column{{Name: "id", Type: "bigint"}}}
	col := &schema.Column{Name: "c", Type: "text"}
	col2 := &schema.Column{Name: "c", Type: "text", NotNull: true}
	key := &schema.Key{Name: "k", Columns: []string{"id"}}
	fk := &schema.ForeignKey{Name: "fk", Columns: []string{"id"}, RefTable: "u", RefColumns: []string{"id"}}
	ck := &schema.Check{Name: "ck", Expr: "(id > 0)"}
	ex := &schema.Exclusion{Name: "ex", Definition: "EXCLUDE USING gist (r WITH &&)"}
	ix := &schema.Index{Name: "ix", Parts: []*schema.IndexPart{{Column: "id"}}}
	enum := &schema.Enum{Schema: "public", Name: "e", Values: []string{"a", "b", "c"}}
	enum2 := &schema.Enum{Schema: "public", Name: "e", Values: []string{"c", "a"}}
	seq := &schema.Sequence{Schema: "public", Name: "s"}
	seq2 := &schema.Sequence{Schema: "public", Name: "s", OwnedBy: &schema.ColumnRef{Schema: "public", Table: "t", Column: "id"}}
	view := &schema.View{Schema: "public", Name: "v", Definition: "SELECT 1"}
	view2 := &schema.View{Schema: "public", Name: "v", Definition: "SELECT 2"}

	tableChanges := []TableChange{
		&AddColumn{Column: col}, &DropColumn{Column: col}, &RenameColumn{From: "a", To: "b"},
		&AlterColumn{From: col, To: col2},
		&AddPrimaryKey{Key: key}, &DropPrimaryKey{Key: key}, &AddUnique{Key: key}, &DropUnique{Key: key},
		&AddForeignKey{ForeignKey: fk}, &DropForeignKey{ForeignKey: fk}, &AddCheck{Check: ck}, &DropCheck{Check: ck},
		&AddExclusion{Exclusion: ex}, &DropExclusion{Exclusion: ex}, &AddIndex{Index: ix}, &DropIndex{Index: ix},
		&RenameIndex{From: "i1", To: "i2"}, &RenameConstraint{From: "c1", To: "c2"},
		&SetObjectComment{Kind: "index", Name: "ix", From: "", To: "x"},
		&SetTableComment{From: "a", To: "b"}, &SetTableOptions{From: tbl, To: tbl2},
	}
	changes := []Change{
		&CreateObject{Object: tbl}, &DropObject{Object: view}, &ReplaceObject{From: view, To: view2},
		&RenameTable{From: schema.TableRef{Schema: "public", Name: "a"}, To: schema.TableRef{Schema: "public", Name: "b"}},
		&RenameSequence{Schema: "public", From: "a", To: "b"},
		&ModifyTable{From: tbl, To: tbl2, Changes: tableChanges},
		&AddEnumValue{Enum: enum, Value: "b", After: "a"}, &DropEnumValue{Enum: enum, Value: "b", Before: "c"},
		&RebuildEnum{From: enum, To: enum2, Defaults: []EnumColumnDefault{
			{Column: schema.ColumnRef{Schema: "public", Table: "t", Column: "c"}, From: "'b'::public.e", To: ""}}},
		&AlterSequence{From: seq, To: seq2},
		&SetComment{Object: view, From: "x", To: ""},
	}
	for _, c := range changes {
		if got := c.Reverse().Reverse(); !reflect.DeepEqual(got, c) {
			t.Errorf("%T: Reverse(Reverse(c)) = %#v, want %#v", c, got, c)
		}
		if reflect.DeepEqual(c.Reverse(), c) {
			t.Errorf("%T: Reverse(c) == c", c)
		}
	}
	for _, tc := range tableChanges {
		if got := tc.reverseTable().reverseTable(); !reflect.DeepEqual(got, tc) {
			t.Errorf("%T: reversed twice = %#v, want %#v", tc, got, tc)
		}
	}
	if got := Reverse(Reverse(changes)); !reflect.DeepEqual(got, changes) {
		t.Error("Reverse(Reverse(list)) differs from the list")
	}
	r := Reverse(changes)
	if _, ok := r[0].(*SetComment); !ok || len(r) != len(changes) {
		t.Errorf("Reverse does not reverse the order: first is %T", r[0])
	}
	// A ModifyTable's steps come back in reverse order.
	m := (&ModifyTable{From: tbl, To: tbl2, Changes: tableChanges}).Reverse().(*ModifyTable)
	if _, ok := m.Changes[0].(*SetTableOptions); !ok {
		t.Errorf("ModifyTable.Reverse: first step is %T", m.Changes[0])
	}
	if m.From != tbl2 || m.To != tbl {
		t.Error("ModifyTable.Reverse does not swap the sides")
	}
}
