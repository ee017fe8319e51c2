package autogen

import (
	"slices"
	"strings"

	"github.com/migratehq/migrate/schema"
)

// The plans autogenerate can write ([Input.Plan], [models] plan).
const (
	// PlanOnline rewrites the changes to tables that already exist on
	// PostgreSQL into steps that leave their writers running: indexes
	// built and dropped CONCURRENTLY outside a transaction, constraints
	// added NOT VALID and validated in a later revision, SET NOT NULL
	// after a validated CHECK (docs/autogenerate.md, "Online plans").
	// It has no effect on SQLite.
	PlanOnline = "online"
	// PlanSimple writes every change in its plain form, in one revision
	// (after the enum values to add, if any).
	PlanSimple = "simple"
)

// onlineStep is one object's statements in one online part, with what
// undoes them (run in the part's Down, steps in reverse order).
type onlineStep struct{ up, down []Statement }

// onlinePlan is what planOnline makes of a list of changes: the changes
// left in their plain form (main) and the online steps, by the part they
// go in. The parts run in this order: drops (before main), main, builds,
// attach, validate, setNotNull.
type onlinePlan struct {
	main                                        []Change
	drops, builds, attach, validate, setNotNull []onlineStep
}

func (p *onlinePlan) empty() bool {
	return len(p.drops)+len(p.builds)+len(p.attach)+len(p.validate)+len(p.setNotNull) == 0
}

// planOnline takes out of changes what has an online form on
// PostgreSQL: the steps of a ModifyTable on a table that exists in
// current (tables created by the same changes are CreateObject and keep
// their plain form). A table that is renamed, partitioned, a partition,
// or whose options change (CLUSTER ON, replica identity may name an
// index) keeps the plain form for all its steps.
func planOnline(current, target *schema.Schema, changes []Change) *onlinePlan {
	o := &onlineTables{current: current, renamed: map[schema.TableRef]bool{}, referenced: map[schema.TableRef]bool{}, mainKeys: map[string]bool{}}
	o.scan(current, target, changes)
	p := &onlinePlan{}
	var attachFKs []onlineStep
	for _, c := range changes {
		m, ok := c.(*ModifyTable)
		if !ok || !o.eligible(m) {
			p.main = append(p.main, c)
			continue
		}
		rest, fks := o.modifyTable(p, m)
		attachFKs = append(attachFKs, fks...)
		if len(rest) > 0 {
			p.main = append(p.main, &ModifyTable{From: m.From, To: m.To, Changes: rest})
		}
	}
	// Foreign keys after the unique keys they may reference.
	p.attach = append(p.attach, attachFKs...)
	return p
}

// onlineTables is what deciding a table's online steps needs to know of
// the whole change list.
type onlineTables struct {
	// current is the database's schema: only its tables exist (a table
	// the changes create comes as CreateObject, then as a ModifyTable
	// when a foreign key of it must wait for a table created later).
	current *schema.Schema
	renamed map[schema.TableRef]bool // target names of renamed tables
	// referenced are the tables some foreign key (on either side) points
	// at: their unique indexes are only added online, never dropped or
	// replaced (a foreign key may depend on the index).
	referenced map[schema.TableRef]bool
	// mainKeys are the referenced columns ("schema.table(a,b)") of the
	// foreign keys the main part creates: a unique key they need must be
	// there before, so it stays in the main part too.
	mainKeys map[string]bool
}

func (o *onlineTables) scan(current, target *schema.Schema, changes []Change) {
	for _, s := range []*schema.Schema{current, target} {
		for _, t := range s.Tables {
			for _, fk := range t.ForeignKeys {
				o.referenced[tref(fk.RefSchema, fk.RefTable)] = true
			}
		}
	}
	for _, c := range changes {
		switch c := c.(type) {
		case *RenameTable:
			o.renamed[c.To] = true
		case *CreateObject:
			if t, ok := c.Object.(*schema.Table); ok {
				for _, fk := range t.ForeignKeys {
					o.mainKeys[fkKey(fk)] = true
				}
			}
		}
	}
	for _, c := range changes {
		m, ok := c.(*ModifyTable)
		if !ok {
			continue
		}
		for _, tc := range m.Changes {
			if a, ok := tc.(*AddForeignKey); ok && (!o.eligible(m) || !onlineConstraint(a.ForeignKey.NotValid, fkDef(a.ForeignKey))) {
				o.mainKeys[fkKey(a.ForeignKey)] = true
			}
		}
	}
}

// eligible tells whether a table modification may take online forms:
// the table exists in the database, under the same name.
func (o *onlineTables) eligible(m *ModifyTable) bool {
	t := m.To
	if o.current.Table(t.Schema, t.Name) == nil || o.renamed[tref(t.Schema, t.Name)] || t.PartitionBy != "" || t.PartitionOf != nil || m.From.PartitionBy != "" || m.From.PartitionOf != nil {
		return false
	}
	for _, tc := range m.Changes {
		if _, ok := tc.(*SetTableOptions); ok {
			return false
		}
	}
	return true
}

// modifyTable sorts the steps of m: those with an online form go to p
// (foreign keys returned apart, to follow the unique keys), the others
// are returned in rest, in their order.
func (o *onlineTables) modifyTable(p *onlinePlan, m *ModifyTable) (rest []TableChange, fks []onlineStep) {
	t := m.To
	ref := tref(t.Schema, t.Name)
	added, dropped := indexesByName(m.Changes)
	columnsMove := reshapesColumns(m.Changes)
	for _, tc := range m.Changes {
		switch c := tc.(type) {
		case *AddIndex:
			old := dropped[c.Index.Name]
			switch {
			case old != nil && o.replaceable(ref, old, c.Index, columnsMove):
				p.builds = append(p.builds, replaceIndexStep(ref, old, c.Index))
			case old != nil && !o.droppable(ref, old):
				rest = append(rest, tc) // after the plain drop of the old one
			case c.Index.Parent == "" && concurrentIndex(ref, c.Index) != "":
				p.builds = append(p.builds, buildIndexStep(ref, c.Index))
			default:
				rest = append(rest, tc)
			}
		case *DropIndex:
			switch neu := added[c.Index.Name]; {
			case neu != nil && o.replaceable(ref, c.Index, neu, columnsMove):
				// replaced in the builds part
			case o.droppable(ref, c.Index):
				p.drops = append(p.drops, dropIndexStep(ref, c.Index))
			default:
				rest = append(rest, tc)
			}
		case *AddUnique:
			if o.mainKeys[keyRef(ref, c.Key.Columns)] || uniqueIndexDef(ref, c.Key) == "" {
				rest = append(rest, tc)
				continue
			}
			build, attach := uniqueSteps(ref, c.Key)
			p.builds = append(p.builds, build)
			p.attach = append(p.attach, attach)
		case *AddForeignKey:
			def := fkDef(c.ForeignKey)
			if !onlineConstraint(c.ForeignKey.NotValid, def) {
				rest = append(rest, tc)
				continue
			}
			add, validate := notValidSteps(ref, c.ForeignKey.Name, def, c.ForeignKey.Comment, "")
			fks = append(fks, add)
			p.validate = append(p.validate, validate)
		case *AddCheck:
			def := pgCheckDef(c.Check)
			if !onlineConstraint(c.Check.NotValid, def) {
				rest = append(rest, tc)
				continue
			}
			add, validate := notValidSteps(ref, c.Check.Name, def, c.Check.Comment, "")
			p.attach = append(p.attach, add)
			p.validate = append(p.validate, validate)
		case *AlterColumn:
			if !onlineNotNull(c) || inPrimaryKey(m.To, c.To.Name) {
				rest = append(rest, tc)
				continue
			}
			to := *c.To
			to.NotNull = false
			rest = append(rest, &AlterColumn{From: c.From, To: &to})
			add, validate, set := notNullSteps(ref, c.To.Name)
			p.attach = append(p.attach, add)
			p.validate = append(p.validate, validate)
			p.setNotNull = append(p.setNotNull, set)
		default:
			rest = append(rest, tc)
		}
	}
	return rest, fks
}

// droppable tells whether an index of an existing table may be dropped
// CONCURRENTLY before the main part: not a partition's, and not a unique
// one of a table foreign keys point at (one may depend on it, and the
// differ orders its drop around theirs in the main part).
func (o *onlineTables) droppable(ref schema.TableRef, ix *schema.Index) bool {
	return ix.Parent == "" && (!ix.Unique || !o.referenced[ref])
}

// replaceable tells whether a changed index can be built under a
// temporary name and swapped for the old one after the main part, both
// ways: the main part must leave the table's columns as they are (the
// Down builds the old definition before the main part's Down runs).
func (o *onlineTables) replaceable(ref schema.TableRef, from, to *schema.Index, columnsMove bool) bool {
	return !columnsMove && o.droppable(ref, from) && to.Parent == "" &&
		concurrentIndex(ref, from) != "" && concurrentIndex(ref, to) != ""
}

// indexesByName returns the indexes a table modification adds and drops.
func indexesByName(changes []TableChange) (added, dropped map[string]*schema.Index) {
	added, dropped = map[string]*schema.Index{}, map[string]*schema.Index{}
	for _, tc := range changes {
		switch c := tc.(type) {
		case *AddIndex:
			added[c.Index.Name] = c.Index
		case *DropIndex:
			dropped[c.Index.Name] = c.Index
		}
	}
	return added, dropped
}

// reshapesColumns tells whether the steps drop, rename or retype a
// column.
func reshapesColumns(changes []TableChange) bool {
	for _, tc := range changes {
		switch c := tc.(type) {
		case *DropColumn, *RenameColumn:
			return true
		case *AlterColumn:
			if c.From.Type != c.To.Type || c.From.Collation != c.To.Collation || !sameGenerated(c.From.Generated, c.To.Generated) {
				return true
			}
		}
	}
	return false
}

// onlineNotNull tells whether a column change sets NOT NULL in a way the
// online steps can take over: not with an identity or a generation
// change, which set it themselves.
func onlineNotNull(c *AlterColumn) bool {
	f, t := c.From, c.To
	return !f.NotNull && t.NotNull && f.Identity == nil && t.Identity == nil &&
		t.Generated == nil && sameGenerated(f.Generated, t.Generated)
}

// inPrimaryKey tells whether col is in t's primary key, which sets NOT
// NULL itself (and keeps the Down of the online steps from dropping it).
func inPrimaryKey(t *schema.Table, col string) bool {
	return t.PrimaryKey != nil && slices.Contains(t.PrimaryKey.Columns, col)
}

// onlineConstraint tells whether a constraint is to be validated online:
// the model wants it valid, and its definition can take NOT VALID.
func onlineConstraint(notValid bool, def string) bool {
	return !notValid && !strings.Contains(strings.ToUpper(def), "NOT VALID")
}

func fkDef(fk *schema.ForeignKey) string {
	if fk.Definition != "" {
		return fk.Definition
	}
	return pgForeignKeyDef(fk)
}

// fkKey names what a foreign key references, as keyRef does.
func fkKey(fk *schema.ForeignKey) string {
	return keyRef(tref(fk.RefSchema, fk.RefTable), fk.RefColumns)
}

func keyRef(t schema.TableRef, cols []string) string {
	return t.Schema + "." + t.Name + "(" + strings.Join(cols, ",") + ")"
}
