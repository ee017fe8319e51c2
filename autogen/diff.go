package autogen

import (
	"fmt"
	"slices"

	"github.com/migratehq/migrate/schema"
)

// DiffOptions tune [Diff].
type DiffOptions struct {
	// TableRenames are renames from model hints ("-- migrate:renamed_from
	// old" beside a table): new name -> old name.
	TableRenames map[schema.TableRef]schema.TableRef
	// ColumnRenames are column renames from hints: {schema, table (new
	// name), column (new name)} -> old column name.
	ColumnRenames map[schema.ColumnRef]string
	// Reloaded, when set, is the target loaded once more from its own
	// rendering (RenderSchema) and read back. PostgreSQL does not always
	// print the same text for an object created from the text it
	// printed; a current text equal to the reloaded text of the same
	// object is taken as equal to the target's (diff_reloaded.go).
	// Without it, a database built by migrate from a model holding such
	// an object differs from the model forever.
	Reloaded *schema.Schema

	// tablePairs, when set, are the table renames that apply (old ->
	// new), resolved once by filterColumns: Diff takes them as they are,
	// so that it pairs the tables as the column filter did.
	tablePairs map[schema.TableRef]schema.TableRef
}

// Diff returns the changes that turn current into target, in an order
// that applies. No difference is an empty list. Objects owned by an
// extension (FromExtension, on either side) are never changed; the
// caller has filtered the version table and the include/exclude globs
// out of both sides.
//
// What is compared, and how:
//
//   - Objects are matched by schema and name (functions also by their
//     argument types, triggers by their table). An object present on
//     one side only is created or dropped; renames come only from the
//     hints in opts, and a hint that no longer applies (the current side
//     already has the new name) is ignored, so a model keeps its hints.
//     Hints may chain (a -> b, b -> c) or cycle (a swap; see
//     diff_names_hints.go for when one applies).
//   - Columns are compared field by field (type, nullability, default,
//     identity but not its implicit sequence's name, generated
//     expression, collation, comment, statistics target, storage,
//     compression; SQLite: autoincrement and ON CONFLICT), never by
//     position: a column added to the model between two others is
//     appended (neither PostgreSQL nor SQLite can insert one).
//   - Constraints and indexes are compared by their normalised
//     definition (columns, expressions, predicate, method, operator
//     classes, INCLUDE, options …), not by their text or name: one of the
//     same definition under another name is renamed (PostgreSQL gives
//     implicit names, and keeps old ones when a table is renamed), one
//     whose definition changed is dropped and added. A check is compared
//     by its expression: renamed with the same expression is a rename,
//     a changed expression is a drop and an add.
//   - Views, functions, triggers, rules and statistics are compared by
//     the definition the database prints, up to layout (comments and
//     whitespace outside quotes), after rewriting the current side's
//     names through the rename hints. SQLite's stored statements (tables,
//     indexes) are never compared as text: their structure is.
//   - Partitions and inheritance children follow their parent: inherited
//     columns and checks and the keys and indexes attached to a parent's
//     are not compared on them. A new bound is a detach and an attach
//     ([SetTableOptions]); a new partition key rebuilds the table (drop
//     and create, with a warning). A child's new parent gets its missing
//     columns added first (INHERIT needs them); the columns of a parent
//     let go are dropped after NO INHERIT.
//   - Enum values: values only added (anywhere) are [AddEnumValue]s,
//     first in the list (they must be committed before use); a removal
//     or reordering is a [RebuildEnum].
//
// The order (dependency order for creates, the reverse for drops):
//
//  1. enum values added;
//  2. triggers dropped (removed, changed, or on a view rebuilt);
//  3. views dropped (removed, changed so that CREATE OR REPLACE cannot
//     do, depending on a table whose columns are dropped, renamed or
//     retyped, or on a view dropped), dependents first;
//  4. foreign keys dropped (also those of dropped tables to another
//     dropped table, or to one renamed or whose referenced columns or
//     key change: Down adds them back last), and sequences released by
//     a column;
//  5. names freed: the indexes and keys of dropped tables, and those
//     dropped from a kept table, whose names a later step takes (a new
//     table's index, an index moved to another table, a rename); dropped
//     tables, sequences and types whose own name a new relation takes (a
//     table that becomes an index or a sequence, …; diff_names_free.go);
//  6. renames of tables, sequences, indexes and constraints, as one list
//     ordered so that none takes a name still held (a cycle goes through
//     a temporary name, see diff_names.go);
//  7. schemas, extensions, collations, text search configurations,
//     types, domains and the functions that need no table created or
//     replaced (each after what it depends on); enum rebuilds; sequences;
//  8. tables created (parents before partitions, referenced before
//     referencing);
//  9. tables modified (column renames first, ordered like the renames
//     above);
//  10. views and the remaining functions created or replaced;
//  11. foreign keys added (so cycles need nothing special), sequences
//     owned by their columns;
//  12. triggers created;
//  13. tables dropped (partitions and children first);
//  14. functions, sequences, types, collations, extensions and schemas
//     dropped, each before what it depends on.
//
// Down is the reverse: [Reverse] of the list is a valid order too.
func Diff(current, target *schema.Schema, opts DiffOptions) ([]Change, error) {
	if current == nil || target == nil {
		return nil, fmt.Errorf("autogen: Diff needs two schemas")
	}
	if current.Dialect != target.Dialect {
		return nil, fmt.Errorf("autogen: cannot diff a %s schema against a %s one", current.Dialect, target.Dialect)
	}
	d := newDiffer(current, withReloaded(current, target, opts.Reloaded), opts)
	return d.run()
}

// differ is one run of [Diff].
type differ struct {
	cur, tgt *schema.Schema
	caps     diffCaps

	curTables, tgtTables map[schema.TableRef]*schema.Table
	// renamedTo maps the current name of a renamed table to its target
	// name; renamedFrom the other way.
	renamedTo, renamedFrom map[schema.TableRef]schema.TableRef
	// colRenames maps, per target table, old column name -> new name.
	colRenames map[schema.TableRef]map[string]string
	// seqRenames maps the current name of a renamed sequence to its new
	// name (same schema).
	seqRenames map[schema.TableRef]string

	tables map[schema.TableRef]*tableDiff // by target name

	// blocking are the tables (current names) whose changes a view on
	// them does not survive (PostgreSQL).
	blocking map[schema.TableRef]bool
	// rebuilt are the tables dropped and created again (a new partition
	// key; a SQLite virtual table).
	rebuilt map[schema.TableRef]bool
	// enumRebuilds are the enums rebuilt, by qualified name (as a
	// column's type names them): a column default that changes with
	// the rebuild is set by it (diff_enum_defaults.go).
	enumRebuilds map[string]*RebuildEnum

	// rowidRenamed are the SQLite tables (folded current names) whose
	// rowid alias is renamed (diff_rowid.go).
	rowidRenamed map[string]bool

	// names knows the names of both sides (diff_names.go); takers are
	// the relation names steps take, by key (diff_names_free.go).
	names  *namer
	takers map[string][]*tableDiff
	// relMoves are the index and constraint renames ordered with the
	// table and sequence renames (diff_names.go).
	relMoves []*nameMove

	phase [phaseCount][]Change
}

// Phases of the result, in order (see Diff).
const (
	phAddEnumValues = iota
	phDropTriggers
	phDropViews
	phDropForeignKeys
	phFreeNames
	phRename
	phCreateTypes
	phCreateTables
	phModifyTables
	phCreateViews
	phAddForeignKeys
	phCreateTriggers
	phDropTables
	phDropTypes
	phaseCount
)

func newDiffer(current, target *schema.Schema, opts DiffOptions) *differ {
	d := &differ{
		cur:         current,
		tgt:         target,
		caps:        capsFor(current.Dialect),
		curTables:   map[schema.TableRef]*schema.Table{},
		tgtTables:   map[schema.TableRef]*schema.Table{},
		renamedTo:   map[schema.TableRef]schema.TableRef{},
		renamedFrom: map[schema.TableRef]schema.TableRef{},
		colRenames:  map[schema.TableRef]map[string]string{},
		seqRenames:  map[schema.TableRef]string{},
		tables:      map[schema.TableRef]*tableDiff{},
		blocking:    map[schema.TableRef]bool{},
		rebuilt:     map[schema.TableRef]bool{},

		enumRebuilds: map[string]*RebuildEnum{},
	}
	for _, t := range current.Tables {
		if t.FromExtension == "" {
			d.curTables[tref(t.Schema, t.Name)] = t
		}
	}
	for _, t := range target.Tables {
		if t.FromExtension == "" {
			d.tgtTables[tref(t.Schema, t.Name)] = t
		}
	}
	if opts.tablePairs != nil {
		for old, nw := range opts.tablePairs {
			d.renamedTo[old], d.renamedFrom[nw] = nw, old
		}
	} else {
		d.resolveTableHints(opts.TableRenames)
	}
	d.resolveColumnHints(opts.ColumnRenames)
	return d
}

func tref(nsp, name string) schema.TableRef { return schema.TableRef{Schema: nsp, Name: name} }

// oldRef is the current name of the table called newRef in the target.
func (d *differ) oldRef(newRef schema.TableRef) schema.TableRef {
	if o, ok := d.renamedFrom[newRef]; ok {
		return o
	}
	return newRef
}

// newRef is the target name of the table called oldRef now.
func (d *differ) newRef(oldRef schema.TableRef) schema.TableRef {
	if n, ok := d.renamedTo[oldRef]; ok {
		return n
	}
	return oldRef
}

func (d *differ) add(phase int, cs ...Change) { d.phase[phase] = append(d.phase[phase], cs...) }

func (d *differ) run() ([]Change, error) {
	// Renames first: later comparisons rewrite names through them.
	d.names = d.newNamer()
	d.renameTables()
	seqPairs, seqCreated, seqDropped := d.matchSequences()
	// Enums before tables: a column's default change may go with a
	// rebuild.
	rebuilds := d.diffEnums()
	if err := d.checkRemovedValues(); err != nil {
		return nil, err
	}
	if err := d.diffTables(); err != nil {
		return nil, err
	}
	d.findRowidRenames()
	earlyCreates, earlyDrops := d.diffEarly()
	var lateFuncs []node
	typeCreates, typeDrops := d.diffTypes(&lateFuncs)
	seqCreates, seqDrops := d.emitSequences(seqPairs, seqCreated, seqDropped)
	seqDrops = d.earlySequenceDrops(seqDrops)
	typeDrops = d.earlyTypeDrops(typeDrops)
	recreated, viewCreates := d.diffViews(lateFuncs)
	d.diffTriggers(recreated)

	// Types and the like come before the tables, in this order; their
	// drops after the tables, in the reverse one.
	d.phase[phCreateTypes] = slices.Concat(earlyCreates, typeCreates, rebuilds, seqCreates, d.phase[phCreateTypes])
	d.phase[phCreateViews] = append(viewCreates, d.phase[phCreateViews]...)
	d.phase[phDropTypes] = slices.Concat(d.phase[phDropTypes], typeDrops, seqDrops, earlyDrops)

	d.orderRenamePhase(d.names)

	var out []Change
	for _, p := range d.phase {
		out = append(out, p...)
	}
	return out, nil
}

func (d *differ) renameTables() {
	var olds []schema.TableRef
	for o := range d.renamedTo {
		olds = append(olds, o)
	}
	slices.SortFunc(olds, compareRef)
	for _, o := range olds {
		d.add(phRename, &RenameTable{From: o, To: d.renamedTo[o]})
	}
}

func compareRef(a, b schema.TableRef) int {
	if a.Schema != b.Schema {
		if a.Schema < b.Schema {
			return -1
		}
		return 1
	}
	if a.Name < b.Name {
		return -1
	}
	if a.Name > b.Name {
		return 1
	}
	return 0
}
