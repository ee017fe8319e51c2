package autogen

import "github.com/migratehq/migrate/schema"

// Change is one step of a migration, computed by [Diff] from two
// [schema.Schema] values. Changes form a flat family of structs; a drop
// carries the whole dropped object and a modification carries both sides,
// so that every change can be inverted without a database: Down is the
// Up list reversed, each change replaced by its Reverse.
type Change interface {
	// Reverse returns the change that undoes this one.
	Reverse() Change
}

// Warner is implemented by changes that can lose data or fail on
// existing rows; Warning says why ("drops column users.email and its
// data"). Such changes are marked "-- WARNING: ..." in the revision file
// and listed on the terminal.
type Warner interface {
	Warning() string
}

// CreateObject creates an object that has no parent table: one of
// *schema.Namespace, *schema.Extension, *schema.Collation,
// *schema.TextSearchConfig, *schema.Enum, *schema.Domain, *schema.Type,
// *schema.Sequence, *schema.Table (with its keys, indexes and checks;
// foreign keys that point at tables created later come as AddForeignKey),
// *schema.View, *schema.Function, *schema.Trigger.
type CreateObject struct{ Object any }

// DropObject drops one of the objects CreateObject creates; Object is the
// whole object as it was, so that Reverse can create it again.
type DropObject struct{ Object any }

// ReplaceObject replaces an object whose normal form is its definition
// (view, materialized view, function, trigger, domain, type, collation,
// text search configuration) when the definition changed: drop and create,
// or CREATE OR REPLACE where the dialect allows it.
type ReplaceObject struct{ From, To any }

// RenameTable renames a table (from a renamed_from hint).
type RenameTable struct{ From, To schema.TableRef }

// RenameSequence renames a sequence: the implicit sequence of a serial
// column whose table or column was renamed (matched by its owner), so
// that its name follows the model's.
type RenameSequence struct{ Schema, From, To string }

// ModifyTable changes an existing table. From and To are the whole table
// before and after (a dialect that cannot ALTER, such as SQLite for most
// changes, rebuilds the table from To); Changes are the steps, in order.
type ModifyTable struct {
	From, To *schema.Table
	Changes  []TableChange
}

// TableChange is one step inside a ModifyTable.
type TableChange interface {
	reverseTable() TableChange
}

// Table changes.
type (
	AddColumn    struct{ Column *schema.Column }
	DropColumn   struct{ Column *schema.Column }
	RenameColumn struct{ From, To string }
	// AlterColumn changes type, nullability, default, identity,
	// generation, collation or comment; both sides are whole columns.
	AlterColumn struct{ From, To *schema.Column }

	AddPrimaryKey  struct{ Key *schema.Key }
	DropPrimaryKey struct{ Key *schema.Key }
	AddUnique      struct{ Key *schema.Key }
	DropUnique     struct{ Key *schema.Key }
	AddForeignKey  struct{ ForeignKey *schema.ForeignKey }
	DropForeignKey struct{ ForeignKey *schema.ForeignKey }
	AddCheck       struct{ Check *schema.Check }
	DropCheck      struct{ Check *schema.Check }
	AddExclusion   struct{ Exclusion *schema.Exclusion }
	DropExclusion  struct{ Exclusion *schema.Exclusion }
	AddIndex       struct{ Index *schema.Index }
	DropIndex      struct{ Index *schema.Index }
	// RenameIndex renames one of the table's indexes (not a constraint's:
	// those are RenameConstraint). The differ emits it when an index of
	// the same definition has another name on the target side (an
	// implicit name after a table rename, or the user renamed it).
	RenameIndex struct{ From, To string }
	// RenameConstraint renames a primary key, unique, check, foreign key
	// or exclusion constraint whose definition is unchanged.
	RenameConstraint struct{ From, To string }
	// SetObjectComment changes the comment of one of the table's indexes
	// (Kind "index") or constraints (Kind "constraint"), named Name.
	SetObjectComment struct {
		Kind, Name string
		From, To   string
	}
	// SetTableComment changes the table's comment ("" = none).
	SetTableComment struct{ From, To string }
	// SetTableOptions changes table-level settings that are neither
	// columns nor constraints (PostgreSQL: reloptions, UNLOGGED, row
	// security, replica identity, CLUSTER ON, policies, statistics,
	// rules, the partition bound — detach and attach again; SQLite:
	// WITHOUT ROWID, STRICT — a rebuild). Both sides are the whole
	// tables.
	SetTableOptions struct{ From, To *schema.Table }
)

// AddEnumValue adds a value to a PostgreSQL enum. It cannot run in the
// same transaction as statements that use the value, so autogenerate puts
// these in a revision of their own, marked transaction false. Its reverse
// is [DropEnumValue], a rebuild of the type without the value.
type AddEnumValue struct {
	Enum  *schema.Enum // after the addition
	Value string
	// Before or After names the neighbouring value ("" for the end).
	Before, After string
}

// DropEnumValue removes one value from a PostgreSQL enum, which PostgreSQL
// can only do by rebuilding the type (as [RebuildEnum]); it is the
// reverse of [AddEnumValue] and fails if a row holds the value.
type DropEnumValue struct {
	Enum  *schema.Enum // before the removal (still holding Value)
	Value string
	// Before or After names the neighbouring value, as in AddEnumValue.
	Before, After string
}

// Without returns the enum without the dropped value.
func (c *DropEnumValue) Without() *schema.Enum {
	without := *c.Enum
	without.Values = nil
	for _, v := range c.Enum.Values {
		if v != c.Value {
			without.Values = append(without.Values, v)
		}
	}
	return &without
}

// RebuildEnum replaces an enum's values when they were removed or
// reordered: rename the old type, create the new one, convert every
// column, drop the old type. It fails if a row holds a removed value.
type RebuildEnum struct {
	From, To *schema.Enum
	// Defaults are the columns of the enum whose default changes with
	// the rebuild: the conversion sets To instead of putting From back
	// (From may be a removed value). Columns are named as they are when
	// the rebuild runs, both ways: the table by its target name, the
	// column by its current one.
	Defaults []EnumColumnDefault
}

// EnumColumnDefault is the default of one column before (From) and after
// (To) an enum rebuild; "" is none.
type EnumColumnDefault struct {
	Column   schema.ColumnRef
	From, To string
}

// AlterSequence changes a sequence's parameters or owner.
type AlterSequence struct{ From, To *schema.Sequence }

// SetComment changes the comment of an object other than a table or
// column (schema, view, function, type, sequence, index …).
type SetComment struct {
	Object   any
	From, To string
}

func (c *CreateObject) Reverse() Change  { return &DropObject{Object: c.Object} }
func (c *DropObject) Reverse() Change    { return &CreateObject{Object: c.Object} }
func (c *ReplaceObject) Reverse() Change { return &ReplaceObject{From: c.To, To: c.From} }
func (c *RenameTable) Reverse() Change   { return &RenameTable{From: c.To, To: c.From} }
func (c *RenameSequence) Reverse() Change {
	return &RenameSequence{Schema: c.Schema, From: c.To, To: c.From}
}
func (c *RebuildEnum) Reverse() Change {
	r := &RebuildEnum{From: c.To, To: c.From}
	for _, d := range c.Defaults {
		r.Defaults = append(r.Defaults, EnumColumnDefault{Column: d.Column, From: d.To, To: d.From})
	}
	return r
}
func (c *AlterSequence) Reverse() Change { return &AlterSequence{From: c.To, To: c.From} }
func (c *SetComment) Reverse() Change    { return &SetComment{Object: c.Object, From: c.To, To: c.From} }

// Reverse of an enum value addition: the value dropped (a rebuild of the
// type without it).
func (c *AddEnumValue) Reverse() Change {
	return &DropEnumValue{Enum: c.Enum, Value: c.Value, Before: c.Before, After: c.After}
}

// Reverse of an enum value removal: the value added back where it was.
func (c *DropEnumValue) Reverse() Change {
	return &AddEnumValue{Enum: c.Enum, Value: c.Value, Before: c.Before, After: c.After}
}

// Reverse of a table modification: the sides swapped, the steps reversed
// and each inverted.
func (c *ModifyTable) Reverse() Change {
	r := &ModifyTable{From: c.To, To: c.From, Changes: make([]TableChange, len(c.Changes))}
	for i, tc := range c.Changes {
		r.Changes[len(c.Changes)-1-i] = tc.reverseTable()
	}
	return r
}

func (c *AddColumn) reverseTable() TableChange       { return &DropColumn{Column: c.Column} }
func (c *DropColumn) reverseTable() TableChange      { return &AddColumn{Column: c.Column} }
func (c *RenameColumn) reverseTable() TableChange    { return &RenameColumn{From: c.To, To: c.From} }
func (c *AlterColumn) reverseTable() TableChange     { return &AlterColumn{From: c.To, To: c.From} }
func (c *AddPrimaryKey) reverseTable() TableChange   { return &DropPrimaryKey{Key: c.Key} }
func (c *DropPrimaryKey) reverseTable() TableChange  { return &AddPrimaryKey{Key: c.Key} }
func (c *AddUnique) reverseTable() TableChange       { return &DropUnique{Key: c.Key} }
func (c *DropUnique) reverseTable() TableChange      { return &AddUnique{Key: c.Key} }
func (c *AddForeignKey) reverseTable() TableChange   { return &DropForeignKey{ForeignKey: c.ForeignKey} }
func (c *DropForeignKey) reverseTable() TableChange  { return &AddForeignKey{ForeignKey: c.ForeignKey} }
func (c *AddCheck) reverseTable() TableChange        { return &DropCheck{Check: c.Check} }
func (c *DropCheck) reverseTable() TableChange       { return &AddCheck{Check: c.Check} }
func (c *AddExclusion) reverseTable() TableChange    { return &DropExclusion{Exclusion: c.Exclusion} }
func (c *DropExclusion) reverseTable() TableChange   { return &AddExclusion{Exclusion: c.Exclusion} }
func (c *AddIndex) reverseTable() TableChange        { return &DropIndex{Index: c.Index} }
func (c *DropIndex) reverseTable() TableChange       { return &AddIndex{Index: c.Index} }
func (c *SetTableComment) reverseTable() TableChange { return &SetTableComment{From: c.To, To: c.From} }
func (c *RenameIndex) reverseTable() TableChange     { return &RenameIndex{From: c.To, To: c.From} }
func (c *RenameConstraint) reverseTable() TableChange {
	return &RenameConstraint{From: c.To, To: c.From}
}
func (c *SetObjectComment) reverseTable() TableChange {
	return &SetObjectComment{Kind: c.Kind, Name: c.Name, From: c.To, To: c.From}
}
func (c *SetTableOptions) reverseTable() TableChange { return &SetTableOptions{From: c.To, To: c.From} }

// Reverse returns the inverse of a list of changes: reversed, each
// inverted.
func Reverse(changes []Change) []Change {
	out := make([]Change, len(changes))
	for i, c := range changes {
		out[len(changes)-1-i] = c.Reverse()
	}
	return out
}
