package autogen

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	_ "modernc.org/sqlite" // the scratch database

	"github.com/migratehq/migrate/config"
	"github.com/migratehq/migrate/introspect"
	"github.com/migratehq/migrate/schema"
	"github.com/migratehq/migrate/sqlsplit"
)

// Rendering changes for SQLite.
//
// SQLite's ALTER TABLE can rename a table or a column (3.25), add a column
// (with restrictions) and drop a column (3.35, with restrictions), and
// since 3.53 set or drop NOT NULL, add a check and drop a named one; the
// 3.53 forms are written only when RenderOptions.SQLiteVersion allows
// them (by default the revisions must run on SQLite 3.35, and other
// readers of SQLite schemas, such as sqlc, know only the older forms).
// Indexes, views and triggers are created and dropped. Every other change
// of a table is one rebuild, SQLite's documented procedure
// (https://sqlite.org/lang_altertable.html#otheralter):
//
//	CREATE TABLE "_migrate_new_t" (...)          -- the final shape
//	INSERT INTO "_migrate_new_t" (cols) SELECT cols FROM t
//	DROP TRIGGER / DROP VIEW                     -- those that name t
//	DROP TABLE t
//	ALTER TABLE "_migrate_new_t" RENAME TO t
//	CREATE INDEX ...; CREATE VIEW ...; CREATE TRIGGER ...
//
// What keeps every row and every reference:
//
//   - Column renames come first, as ALTER TABLE RENAME COLUMN, so that
//     SQLite itself rewrites every reference to the column: foreign keys
//     of child tables, indexes, views and triggers. The copy then maps
//     columns by name.
//   - Rows keep their rowid (INSERT INTO new (rowid, ...) SELECT rowid,
//     ...) unless the new table's rowid is a copied INTEGER PRIMARY KEY.
//   - AUTOINCREMENT keeps its counter: the old table's row of
//     sqlite_sequence is handed to the new table before the old one is
//     dropped (after the copy alone it would be the largest copied key,
//     and the keys of deleted rows would be handed out again).
//   - Foreign keys of other tables that point at the table are never
//     touched: they name the table, which exists again after the rename.
//     The runner switches PRAGMA foreign_keys off before its transaction
//     (SQLite's procedure, step 1), so DROP TABLE does not run the
//     children's ON DELETE actions, and checks PRAGMA foreign_key_check
//     before committing. When a child has an ON DELETE CASCADE, SET NULL
//     or SET DEFAULT action, the rebuild starts with a guard that fails
//     when foreign keys are on (DROP TABLE would then delete or change the
//     child rows), so the SQL cannot lose rows when another tool runs it.
//     A self-referencing foreign key names the table by its final name,
//     so after the rename it points at the new table.
//   - The table's triggers are created after the copy: an AFTER INSERT
//     trigger (sakila's last_update) does not fire for the copied rows.
//   - Since SQLite 3.26, ALTER TABLE RENAME checks every view and trigger
//     of the schema and fails on one that names a missing table: the views
//     that name the table (and the views on those), and the triggers of
//     other tables or views that name one of them, are dropped before the
//     old table and created again, with their current text, after the
//     rename. (PRAGMA legacy_alter_table would skip the check, but it is a
//     setting of the connection that outlives the transaction, even a
//     rolled back one, so it is not used.)
//
// The current text of a view or trigger depends on the changes before it
// (SQLite rewrites them on every rename), so the renderer keeps a scratch
// copy of the schema in a private in-memory SQLite database: the schema
// before the changes is loaded into it from the statements SQLite stored,
// every rendered statement is run on it, and the text of the views and
// triggers to recreate is read back from it. Running the statements also
// checks them: a step SQLite refuses is an error at generation time
// rather than during upgrade, and an ALTER TABLE that SQLite refuses
// (DROP COLUMN of a column a view uses, say) becomes a rebuild. The copy
// is made only when a rebuild, a rename or such a DROP COLUMN needs it.

// sqliteTempPrefix starts the name of the new table of a rebuild.
const sqliteTempPrefix = "_migrate_new_"

// sqliteChanges renders changes for SQLite, keeping a scratch copy of the
// schema in step with what it rendered.
type sqliteChanges struct {
	before, after *schema.Schema
	d             sqliteDialect
	// sc is the scratch copy, loaded when first needed: for a rebuild, a
	// rename, a DROP COLUMN of a column a view or trigger may use (loading
	// a large schema costs a few hundred milliseconds, and each ALTER
	// TABLE on it a few more, so a migration that only adds columns,
	// tables, indexes, views or triggers goes without). Until then the
	// statements rendered wait in pending, to be run on it when it loads,
	// and the views and triggers are followed here, by folded name; their
	// text is exact, since only renames rewrite it.
	sc       *sqliteScratch
	pending  []Statement
	views    map[string]string
	triggers map[string]*schema.Trigger
	// version is the oldest SQLite the statements must run on
	// (RenderOptions.SQLiteVersion).
	version int
	// alterConstraints: SQLite 3.53 and later can ALTER COLUMN ... SET
	// NOT NULL / DROP NOT NULL, ADD CHECK and DROP CONSTRAINT (named) in
	// place, checking the existing rows, which saves those changes a
	// rebuild. It is set when the oldest SQLite the revisions must run
	// on (RenderOptions.SQLiteVersion) has them.
	alterConstraints bool
}

// sqliteAlterConstraints is the first SQLite version with ALTER TABLE
// ... ALTER COLUMN SET/DROP NOT NULL, ADD CHECK and DROP CONSTRAINT.
const sqliteAlterConstraints = 3053000

// DefaultSQLiteVersion is the oldest SQLite the statements rendered for
// SQLite run on when RenderOptions.SQLiteVersion is 0: 3.35, the first
// with ALTER TABLE DROP COLUMN (3.25 brought RENAME COLUMN). Debian 12's
// sqlite3 (3.40) and sqlc's SQLite parser accept the ALTER TABLE forms
// written for it.
const DefaultSQLiteVersion = 3035000

// RenderOptions are the choices of a rendering that the schemas do not
// hold.
type RenderOptions struct {
	// SQLiteVersion is the oldest SQLite the statements must run on,
	// numbered as sqlite3_libversion_number (3053000 for 3.53.0); 0
	// means DefaultSQLiteVersion. An ALTER TABLE form that SQLite added
	// after it is rendered as a table rebuild instead ([models]
	// sqlite_version).
	SQLiteVersion int
}

// sqliteVersion is o.SQLiteVersion with its default.
func (o RenderOptions) sqliteVersion() int {
	if o.SQLiteVersion == 0 {
		return DefaultSQLiteVersion
	}
	return o.SQLiteVersion
}

var _ changeDialect = (*sqliteChanges)(nil)

func newSQLiteChanges(before, after *schema.Schema, opts RenderOptions) (changeDialect, error) {
	v := opts.sqliteVersion()
	if v < config.MinSQLiteVersion {
		return nil, fmt.Errorf("autogen: SQLite %s is too old: the SQLite renderer needs %s or later (ALTER TABLE DROP COLUMN)", SQLiteVersionString(v), SQLiteVersionString(config.MinSQLiteVersion))
	}
	return &sqliteChanges{before: before, after: after, version: v, alterConstraints: v >= sqliteAlterConstraints}, nil
}

// sqliteStrict is the first SQLite version with STRICT tables.
const sqliteStrict = 3037000

// strictWarning warns that a CREATE TABLE of t fails on the oldest SQLite
// the revisions must run on, when t is STRICT and that SQLite predates
// STRICT tables; "" otherwise. The model chose STRICT, so it is not
// rendered otherwise: sqlite_version is likely set too low.
func (r *sqliteChanges) strictWarning(t *schema.Table) string {
	if !t.Strict || r.version >= sqliteStrict {
		return ""
	}
	return fmt.Sprintf("creates STRICT table %s, which SQLite before 3.37 refuses ([models] sqlite_version is %s)", t.Name, SQLiteVersionString(r.version))
}

// SQLiteVersionString writes a version number as SQLite does (3053000 is
// "3.53.0").
func SQLiteVersionString(v int) string {
	return fmt.Sprintf("%d.%d.%d", v/1000000, v/1000%1000, v%1000)
}

func (r *sqliteChanges) render(changes []Change) ([]Statement, error) {
	if len(changes) == 0 {
		return nil, nil
	}
	r.views, r.triggers = map[string]string{}, map[string]*schema.Trigger{}
	for _, v := range r.before.Views {
		if st, err := r.d.createView(v); err == nil {
			r.views[foldName(v.Name)] = st[0]
		}
	}
	for _, tr := range r.before.Triggers {
		r.triggers[foldName(tr.Name)] = tr
	}
	defer func() {
		if r.sc != nil {
			r.sc.close()
			r.sc = nil
		}
	}()
	var out []Statement
	for _, c := range changes {
		s, err := r.change(c)
		if err != nil {
			return nil, err
		}
		out = append(out, s...)
	}
	return out, nil
}

// change renders one change and runs it on the scratch database.
func (r *sqliteChanges) change(c Change) ([]Statement, error) {
	var out []Statement
	var err error
	switch c := c.(type) {
	case *CreateObject:
		out, err = r.create(c.Object)
		r.follow(nil, c.Object, out)
	case *DropObject:
		out, err = r.drop(c.Object)
		r.follow(c.Object, nil, nil)
		if r.sc != nil && r.sc.takeOpaque(c.Object) {
			return out, err // not on the scratch copy
		}
	case *ReplaceObject:
		var d, cr []Statement
		if d, err = r.drop(c.From); err == nil {
			cr, err = r.create(c.To)
		}
		r.follow(c.From, c.To, cr)
		if err == nil && r.sc != nil && r.sc.takeOpaque(c.From) {
			return append(d, cr...), r.run(cr)
		}
		out = append(d, cr...)
		if _, ok := c.From.(*schema.Table); ok && err == nil {
			err = fmt.Errorf("autogen: SQLite cannot replace %T objects", c.From)
		}
	case *RenameTable:
		if _, err := r.scratch(); err != nil { // texts change from here on
			return nil, err
		}
		out = stmts("ALTER TABLE " + sqliteQuote(c.From.Name) + " RENAME TO " + sqliteQuote(c.To.Name))
	case *ModifyTable:
		return r.modify(c) // runs its statements itself
	default:
		return nil, fmt.Errorf("autogen: SQLite has no %s", sqliteChangeKind(c))
	}
	if err != nil {
		return nil, err
	}
	if err := r.run(out); err != nil {
		return nil, err
	}
	return out, nil
}

// follow keeps the views and triggers up to date while there is no
// scratch copy: from is dropped, to is created with the statements
// created.
func (r *sqliteChanges) follow(from, to any, created []Statement) {
	switch o := from.(type) {
	case *schema.View:
		delete(r.views, foldName(o.Name))
		r.dropTriggersOn(o.Name)
	case *schema.Trigger:
		delete(r.triggers, foldName(o.Name))
	case *schema.Table:
		r.dropTriggersOn(o.Name)
	}
	switch o := to.(type) {
	case *schema.View:
		if len(created) > 0 {
			r.views[foldName(o.Name)] = created[0].SQL
		}
	case *schema.Trigger:
		r.triggers[foldName(o.Name)] = o
	}
}

func (r *sqliteChanges) dropTriggersOn(table string) {
	for n, tr := range r.triggers {
		if sqliteSameName(tr.Table, table) {
			delete(r.triggers, n)
		}
	}
}

// scratch returns the scratch copy, loading it (and running the pending
// statements on it) the first time.
func (r *sqliteChanges) scratch() (*sqliteScratch, error) {
	if r.sc != nil {
		return r.sc, nil
	}
	sc, err := openSQLiteScratch(r.before, r.pending)
	if err != nil {
		return nil, err
	}
	r.sc, r.pending = sc, nil
	return sc, nil
}

// run runs statements on the scratch copy, or keeps them for it.
func (r *sqliteChanges) run(stmts []Statement) error {
	if r.sc == nil {
		r.pending = append(r.pending, stmts...)
		return nil
	}
	return r.sc.run(stmts)
}

// mentioned reports whether a view or trigger may use column col of a
// table: one that names col (by a token scan of its text; the table may
// be named through a view).
func (r *sqliteChanges) mentioned(col string) bool {
	c := foldName(col)
	uses := func(text string) bool { return sqliteMentions(text)[c] }
	for _, v := range r.views {
		if uses(v) {
			return true
		}
	}
	for _, tr := range r.triggers {
		if uses(tr.Definition) {
			return true
		}
	}
	return false
}

// sqliteChangeKind names a change SQLite cannot have, for an error.
func sqliteChangeKind(c Change) string {
	switch c.(type) {
	case *AddEnumValue, *DropEnumValue, *RebuildEnum:
		return "enums"
	case *AlterSequence, *RenameSequence:
		return "sequences"
	case *SetComment:
		return "comments"
	}
	return fmt.Sprintf("%T changes", c)
}

func stmts(sqls ...string) []Statement {
	out := make([]Statement, len(sqls))
	for i, s := range sqls {
		out[i] = Statement{SQL: s}
	}
	return out
}

func (r *sqliteChanges) create(o any) ([]Statement, error) {
	switch o := o.(type) {
	case *schema.Table:
		s, err := r.d.createTable(o)
		if err != nil {
			return nil, err
		}
		for _, i := range o.Indexes {
			is, err := r.d.createIndex(schema.TableRef{Name: o.Name}, i)
			if err != nil {
				return nil, err
			}
			s = append(s, is...)
		}
		out := stmts(s...)
		out[0].Warning = r.strictWarning(o)
		return out, nil
	case *schema.View:
		s, err := r.d.createView(o)
		return stmts(s...), err
	case *schema.Trigger:
		s, err := r.d.createTrigger(o)
		return stmts(s...), err
	}
	return nil, fmt.Errorf("autogen: SQLite has no %T objects", o)
}

func (r *sqliteChanges) drop(o any) ([]Statement, error) {
	switch o := o.(type) {
	case *schema.Table:
		return []Statement{{SQL: "DROP TABLE " + sqliteQuote(o.Name), Warning: dropTableWarning(o)}}, nil
	case *schema.View:
		return stmts("DROP VIEW " + sqliteQuote(o.Name)), nil
	case *schema.Trigger:
		// DROP TABLE and DROP VIEW drop their triggers: nothing is left
		// to drop when the table or view went earlier.
		if r.sc != nil && !r.sc.exists("trigger", o.Name) && !r.sc.isOpaque("trigger", o.Name) ||
			r.sc == nil && r.triggers[foldName(o.Name)] == nil {
			return nil, nil
		}
		return stmts("DROP TRIGGER " + sqliteQuote(o.Name)), nil
	}
	return nil, fmt.Errorf("autogen: SQLite has no %T objects", o)
}

// modify renders a table modification: what ALTER TABLE can do as ALTER
// TABLE (and CREATE/DROP INDEX), anything else as one rebuild.
func (r *sqliteChanges) modify(m *ModifyTable) ([]Statement, error) {
	if m.From == nil || m.To == nil {
		return nil, errors.New("autogen: a table modification needs both sides")
	}
	if m.From.Virtual || m.To.Virtual {
		return r.recreateVirtual(m)
	}
	for _, tc := range m.Changes {
		switch tc.(type) {
		case *AddExclusion, *DropExclusion:
			return nil, fmt.Errorf("autogen: table %s: SQLite has no exclusion constraints", m.To.Name)
		}
	}
	var out []Statement
	// A modification names the table by its current name; should the two
	// sides differ, rename first, so that references follow.
	if !sqliteSameName(m.From.Name, m.To.Name) {
		sc, err := r.scratch()
		if err != nil {
			return nil, err
		}
		s := stmts("ALTER TABLE " + sqliteQuote(m.From.Name) + " RENAME TO " + sqliteQuote(m.To.Name))
		if err := sc.run(s); err != nil {
			return nil, err
		}
		out = append(out, s...)
	}
	reasons := sqliteRebuildReasons(m, r.alterConstraints)
	if len(reasons) == 0 {
		alters, err := r.alters(m)
		if err != nil {
			return nil, err
		}
		// SQLite has the last word on a rename (it checks the whole
		// schema) and on dropping a column a view or trigger may use.
		ask := r.sc != nil
		for _, tc := range m.Changes {
			switch tc := tc.(type) {
			case *RenameColumn:
				ask = true
			case *DropColumn:
				ask = ask || r.mentioned(tc.Column.Name)
			}
		}
		if !ask {
			return append(out, alters...), r.run(alters)
		}
		sc, err := r.scratch()
		if err != nil {
			return nil, err
		}
		ok, why, err := sc.try(alters)
		if err != nil {
			return nil, err
		}
		if ok {
			return append(out, alters...), nil
		}
		reasons = append(reasons, "SQLite refuses the ALTER TABLE: "+why)
	}
	renames, err := r.renameColumns(m)
	if err != nil {
		return nil, err
	}
	out = append(out, renames...)
	rb, err := r.rebuild(m, reasons)
	if err != nil {
		return nil, err
	}
	return append(out, rb...), nil
}

// alters renders, step by step, a modification that needs no rebuild.
func (r *sqliteChanges) alters(m *ModifyTable) ([]Statement, error) {
	t := sqliteQuote(m.To.Name)
	var out []Statement
	for _, tc := range m.Changes {
		switch tc := tc.(type) {
		case *RenameColumn:
			out = append(out, Statement{SQL: "ALTER TABLE " + t + " RENAME COLUMN " + sqliteQuote(tc.From) + " TO " + sqliteQuote(tc.To)})
		case *AddColumn:
			var b strings.Builder
			b.WriteString("ALTER TABLE " + t + " ADD COLUMN " + sqliteQuote(tc.Column.Name))
			if tc.Column.Type != "" {
				b.WriteString(" " + tc.Column.Type)
			}
			writeColumnConstraints(&b, tc.Column)
			out = append(out, Statement{SQL: b.String(), Warning: tableChangeWarning(m.To.Name, tc)})
		case *DropColumn:
			out = append(out, Statement{
				SQL:     "ALTER TABLE " + t + " DROP COLUMN " + sqliteQuote(tc.Column.Name),
				Warning: sqliteDropColumnWarning(m.To.Name, tc),
			})
		case *AddIndex:
			s, err := r.d.createIndex(schema.TableRef{Name: m.To.Name}, tc.Index)
			if err != nil {
				return nil, err
			}
			out = append(out, stmts(s...)...)
		case *DropIndex:
			out = append(out, Statement{SQL: "DROP INDEX " + sqliteQuote(tc.Index.Name)})
		case *RenameIndex:
			// SQLite cannot rename an index: drop it, create it again.
			i := findIndex(m.To, tc.To)
			if i == nil {
				return nil, fmt.Errorf("autogen: table %s: renamed index %s is not among the table's indexes", m.To.Name, tc.To)
			}
			s, err := r.d.createIndex(schema.TableRef{Name: m.To.Name}, i)
			if err != nil {
				return nil, err
			}
			out = append(out, Statement{SQL: "DROP INDEX " + sqliteQuote(tc.From)})
			out = append(out, stmts(s...)...)
		case *AlterColumn:
			// Only nullability can differ here (sqliteRebuildReasons saw
			// to that).
			a, b := tc.From, tc.To
			col := t + " ALTER COLUMN " + sqliteQuote(b.Name)
			if a.NotNull && (!b.NotNull || a.OnConflict != b.OnConflict) {
				out = append(out, Statement{SQL: "ALTER TABLE " + col + " DROP NOT NULL"})
			}
			if b.NotNull && (!a.NotNull || a.OnConflict != b.OnConflict) {
				var sb strings.Builder
				sb.WriteString("ALTER TABLE " + col + " SET NOT NULL")
				writeConflict(&sb, b.OnConflict)
				out = append(out, Statement{SQL: sb.String(), Warning: tableChangeWarning(m.To.Name, tc)})
			}
		case *AddCheck:
			out = append(out, Statement{SQL: "ALTER TABLE " + t + " ADD " + constraintName(tc.Check.Name) + "CHECK (" + tc.Check.Expr + ")"})
		case *DropCheck:
			out = append(out, Statement{SQL: "ALTER TABLE " + t + " DROP CONSTRAINT " + sqliteQuote(tc.Check.Name)})
		case *SetTableComment, *SetTableOptions, *SetObjectComment:
			// Nothing SQLite keeps (sqliteRebuildReasons saw to that).
		default:
			return nil, fmt.Errorf("autogen: table %s: unexpected %T without a rebuild", m.To.Name, tc)
		}
	}
	return out, nil
}

// sqliteRebuildReasons says why a modification needs a rebuild, in the
// words of the rebuild's comment; nil when ALTER TABLE may do (SQLite has
// the last word: an ALTER it refuses becomes a rebuild too).
// alterConstraints says whether ALTER TABLE can change NOT NULL and
// checks.
func sqliteRebuildReasons(m *ModifyTable, alterConstraints bool) []string {
	var why []string
	add := func(format string, args ...any) { why = append(why, fmt.Sprintf(format, args...)) }
	for _, tc := range m.Changes {
		switch tc := tc.(type) {
		case *AddColumn:
			if r := sqliteAddColumnBlocker(m.To, tc.Column); r != "" {
				add("add column %s (%s)", tc.Column.Name, r)
			}
		case *DropColumn:
			if r := sqliteDropColumnBlocker(m.From, tc.Column.Name); r != "" {
				add("drop column %s (%s)", tc.Column.Name, r)
			}
		case *AlterColumn:
			if d := sqliteColumnDiff(tc.From, tc.To); d != "" && !(alterConstraints && onlyNullability(tc.From, tc.To)) {
				add("change column %s (%s)", tc.To.Name, d)
			}
		case *AddPrimaryKey:
			add("add primary key (%s)", strings.Join(tc.Key.Columns, ", "))
		case *DropPrimaryKey:
			add("drop primary key (%s)", strings.Join(tc.Key.Columns, ", "))
		case *AddUnique:
			add("add unique (%s)", strings.Join(tc.Key.Columns, ", "))
		case *DropUnique:
			add("drop unique (%s)", strings.Join(tc.Key.Columns, ", "))
		case *AddForeignKey:
			add("add foreign key (%s) to %s", strings.Join(tc.ForeignKey.Columns, ", "), tc.ForeignKey.RefTable)
		case *DropForeignKey:
			add("drop foreign key (%s) to %s", strings.Join(tc.ForeignKey.Columns, ", "), tc.ForeignKey.RefTable)
		case *RenameConstraint:
			add("rename constraint %s to %s", tc.From, tc.To)
		case *AddCheck:
			if !alterConstraints {
				add("add check %s", checkLabel(tc.Check))
			}
		case *DropCheck:
			if !alterConstraints || tc.Check.Name == "" {
				add("drop check %s", checkLabel(tc.Check))
			}
		case *SetTableOptions:
			if tc.From.WithoutRowID != tc.To.WithoutRowID {
				add("%s", onOff(tc.To.WithoutRowID, "WITHOUT ROWID"))
			}
			if tc.From.Strict != tc.To.Strict {
				add("%s", onOff(tc.To.Strict, "STRICT"))
			}
		}
	}
	return why
}

// onlyNullability reports whether two versions of a column differ in
// their NOT NULL (and its ON CONFLICT) only.
func onlyNullability(a, b *schema.Column) bool {
	c := *b
	c.NotNull, c.OnConflict = a.NotNull, a.OnConflict
	return sqliteColumnDiff(a, &c) == ""
}

func findIndex(t *schema.Table, name string) *schema.Index {
	for _, i := range t.Indexes {
		if sqliteSameName(i.Name, name) {
			return i
		}
	}
	return nil
}

func onOff(on bool, what string) string {
	if on {
		return "make it " + what
	}
	return "make it not " + what
}

func checkLabel(c *schema.Check) string {
	if c.Name != "" {
		return c.Name
	}
	return "(" + c.Expr + ")"
}

// sqliteAddColumnBlocker says why ALTER TABLE ADD COLUMN cannot add c to
// t (https://sqlite.org/lang_altertable.html#altertabaddcol), or "".
func sqliteAddColumnBlocker(t *schema.Table, c *schema.Column) string {
	if g := c.Generated; g != nil && g.Stored {
		return "a STORED generated column"
	}
	if k := t.PrimaryKey; k != nil && containsName(k.Columns, c.Name) {
		return "in the primary key"
	}
	for _, u := range t.Uniques {
		if containsName(u.Columns, c.Name) {
			return "in a unique key"
		}
	}
	for _, fk := range t.ForeignKeys {
		if containsName(fk.Columns, c.Name) {
			return "in a foreign key"
		}
	}
	if c.Generated == nil {
		d := strings.TrimSpace(c.Default)
		if c.NotNull && (d == "" || strings.EqualFold(d, "NULL")) {
			return "NOT NULL without a default"
		}
		switch up := strings.ToUpper(d); {
		case up == "CURRENT_TIME" || up == "CURRENT_DATE" || up == "CURRENT_TIMESTAMP":
			return "default " + d
		case d != "" && strings.HasPrefix(sqliteDefault(d), "("):
			return "default is an expression"
		}
	}
	return ""
}

// sqliteDropColumnBlocker says why ALTER TABLE DROP COLUMN cannot drop
// column name of t (https://sqlite.org/lang_altertable.html#altertabdropcol),
// or "". Views and triggers that use the column are left to SQLite.
func sqliteDropColumnBlocker(t *schema.Table, name string) string {
	if len(t.Columns) <= 1 {
		return "the last column"
	}
	if k := t.PrimaryKey; k != nil && containsName(k.Columns, name) {
		return "in the primary key"
	}
	for _, u := range t.Uniques {
		if containsName(u.Columns, name) {
			return "in a unique key"
		}
	}
	for _, fk := range t.ForeignKeys {
		if containsName(fk.Columns, name) {
			return "in a foreign key"
		}
	}
	n := foldName(name)
	for _, i := range t.Indexes {
		for _, p := range i.Parts {
			if sqliteSameName(p.Column, name) || p.Expr != "" && sqliteMentions(p.Expr)[n] {
				return "indexed by " + i.Name
			}
		}
		if i.Where != "" && sqliteMentions(i.Where)[n] {
			return "in the WHERE of index " + i.Name
		}
	}
	for _, c := range t.Checks {
		if sqliteMentions(c.Expr)[n] {
			return "used by check " + checkLabel(c)
		}
	}
	for _, c := range t.Columns {
		if c.Generated != nil && !sqliteSameName(c.Name, name) && sqliteMentions(c.Generated.Expr)[n] {
			return "used by generated column " + c.Name
		}
	}
	return ""
}

// sqliteColumnDiff names what differs between two versions of a column
// among what SQLite keeps, or "".
func sqliteColumnDiff(a, b *schema.Column) string {
	var d []string
	if a.Type != b.Type {
		d = append(d, fmt.Sprintf("type %s to %s", orNone(a.Type), orNone(b.Type)))
	}
	switch {
	case !a.NotNull && b.NotNull:
		d = append(d, "NOT NULL")
	case a.NotNull && !b.NotNull:
		d = append(d, "drop NOT NULL")
	case a.NotNull && a.OnConflict != b.OnConflict:
		d = append(d, "NOT NULL ON CONFLICT")
	}
	if a.Default != b.Default {
		d = append(d, "default")
	}
	if a.Collation != b.Collation {
		d = append(d, "collation")
	}
	if !sameGenerated(a.Generated, b.Generated) {
		d = append(d, "generated")
	}
	if a.AutoIncrement != b.AutoIncrement {
		d = append(d, "AUTOINCREMENT")
	}
	return strings.Join(d, ", ")
}

func orNone(t string) string {
	if t == "" {
		return "(none)"
	}
	return t
}

func containsName(names []string, name string) bool {
	return slices.ContainsFunc(names, func(n string) bool { return sqliteSameName(n, name) })
}

// sqliteSameName compares identifiers as SQLite does: ASCII letters case
// folded.
func sqliteSameName(a, b string) bool {
	return len(a) == len(b) && foldName(a) == foldName(b)
}

// foldName folds ASCII letters to lower case, as SQLite compares names.
func foldName(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// renameColumns renders a modification's column renames as ALTER TABLE
// RENAME COLUMN, in their order (the differ orders them so that none
// takes a name still held, through a temporary name where they swap),
// and runs them on the scratch database.
func (r *sqliteChanges) renameColumns(m *ModifyTable) ([]Statement, error) {
	t := sqliteQuote(m.To.Name)
	var out []Statement
	for _, tc := range m.Changes {
		if rc, ok := tc.(*RenameColumn); ok {
			out = append(out, Statement{SQL: "ALTER TABLE " + t + " RENAME COLUMN " + sqliteQuote(rc.From) + " TO " + sqliteQuote(rc.To)})
		}
	}
	if len(out) == 0 {
		return nil, nil
	}
	sc, err := r.scratch()
	if err != nil {
		return nil, err
	}
	if err := sc.run(out); err != nil {
		return nil, err
	}
	return out, nil
}

// uniqueName returns base, or base with a number appended, that taken
// does not report.
func uniqueName(base string, taken func(string) bool) string {
	n := base
	for i := 2; taken(n); i++ {
		n = fmt.Sprintf("%s_%d", base, i)
	}
	return n
}

// rebuild renders the rebuild of table m.To.Name (whose columns are
// already renamed) into m.To, and runs it on the scratch database.
func (r *sqliteChanges) rebuild(m *ModifyTable, reasons []string) ([]Statement, error) {
	from, to := m.From, m.To
	name := to.Name
	qname := sqliteQuote(name)
	sc, err := r.scratch()
	if err != nil {
		return nil, err
	}
	objs, err := sc.objects()
	if err != nil {
		return nil, err
	}
	tmp := uniqueName(sqliteTempPrefix+name, func(n string) bool {
		return slices.ContainsFunc(objs, func(o sqliteObject) bool { return sqliteSameName(o.name, n) })
	})
	qtmp := sqliteQuote(tmp)

	cur, old := sqliteOldColumns(m)
	cols, exprs, warnings := r.rebuildCopy(m, cur, old)

	var out []Statement
	comment := "-- rebuild " + name + ": " + strings.Join(reasons, "; ") + "\n"
	children, err := sc.cascadingChildren(name)
	if err != nil {
		return nil, err
	}
	if len(children) > 0 {
		// With foreign keys on, DROP TABLE would run the children's ON
		// DELETE actions: fail instead.
		check := sqliteQuote(fmt.Sprintf("PRAGMA foreign_keys must be OFF to rebuild %s (children: %s)", name, strings.Join(children, ", ")))
		out = append(out,
			Statement{SQL: comment + "CREATE TEMP TABLE migrate_foreign_keys_off (ok INTEGER CONSTRAINT " + check + " CHECK (ok))"},
			Statement{SQL: "INSERT INTO migrate_foreign_keys_off SELECT NOT foreign_keys FROM pragma_foreign_keys"},
			Statement{SQL: "DROP TABLE migrate_foreign_keys_off"},
		)
		comment = ""
	}
	nt := *to
	nt.Name, nt.SQL = tmp, ""
	create, err := r.d.createTable(&nt)
	if err != nil {
		return nil, err
	}
	out = append(out, Statement{SQL: comment + create[0]})
	if len(cols) > 0 {
		out = append(out, Statement{SQL: "INSERT INTO " + qtmp + " (" + strings.Join(cols, ", ") + ")\n  SELECT " + strings.Join(exprs, ", ") + " FROM " + qname})
	}
	if hasAutoIncrement(from) && hasAutoIncrement(to) {
		out = append(out,
			Statement{SQL: "DELETE FROM sqlite_sequence WHERE name = " + sqliteString(tmp)},
			Statement{SQL: "UPDATE sqlite_sequence SET name = " + sqliteString(tmp) + " WHERE name = " + sqliteString(name) + " COLLATE NOCASE"},
		)
	}

	// Views and triggers that name the table or a view dropped here
	// (opaque ones too, which the scratch copy lacks: their statements
	// are not run on it) are dropped and recreated around it.
	views, trigs, dropTrigs := sqliteDependents(slices.Concat(objs, sc.opaque), name)
	isOpaque := func(o sqliteObject) bool { return slices.Contains(sc.opaque, o) }
	skip := map[int]bool{}
	add := func(o sqliteObject, sql string) {
		if isOpaque(o) {
			skip[len(out)] = true
		}
		out = append(out, Statement{SQL: sql})
	}
	for _, o := range dropTrigs {
		add(o, "DROP TRIGGER "+sqliteQuote(o.name))
	}
	for i := len(views) - 1; i >= 0; i-- {
		add(views[i], "DROP VIEW "+sqliteQuote(views[i].name))
	}
	out = append(out,
		Statement{SQL: "DROP TABLE " + qname},
		Statement{SQL: "ALTER TABLE " + qtmp + " RENAME TO " + qname},
	)
	for _, i := range to.Indexes {
		s, err := r.d.createIndex(schema.TableRef{Name: name}, i)
		if err != nil {
			return nil, err
		}
		out = append(out, stmts(s...)...)
	}
	for _, o := range views {
		add(o, endStatement(o.sql))
	}
	for _, o := range trigs {
		add(o, endStatement(o.sql))
	}
	if len(warnings) > 0 {
		out[0].Warning = strings.Join(warnings, "; ")
	}
	var run []Statement
	for i, st := range out {
		if !skip[i] {
			run = append(run, st)
		}
	}
	if err := sc.run(run); err != nil {
		return nil, err
	}
	return out, nil
}

// sqliteOldColumns returns the old table's column names under their
// current (renamed) names, and its columns that keep old values by folded
// current name: a column dropped, or dropped and added again, has none.
func sqliteOldColumns(m *ModifyTable) ([]string, map[string]*schema.Column) {
	from := m.From
	cur := columnNames(from)
	for _, tc := range m.Changes {
		if rc, ok := tc.(*RenameColumn); ok {
			if i := slices.IndexFunc(cur, func(n string) bool { return sqliteSameName(n, rc.From) }); i >= 0 {
				cur[i] = rc.To
			}
		}
	}
	gone := map[string]bool{}
	for _, tc := range m.Changes {
		switch tc := tc.(type) {
		case *DropColumn:
			gone[foldName(tc.Column.Name)] = true
		case *AddColumn:
			gone[foldName(tc.Column.Name)] = true
		}
	}
	old := map[string]*schema.Column{} // by folded current name
	for i, c := range from.Columns {
		if n := foldName(cur[i]); !gone[n] {
			old[n] = c
		}
	}
	return cur, old
}

// rebuildCopy returns the columns of m's rebuilt table that are copied
// from the old one (every stored column with old values, and the rowids
// where both sides keep them), the expressions read from the old table,
// and the warnings of the rebuild.
func (r *sqliteChanges) rebuildCopy(m *ModifyTable, cur []string, old map[string]*schema.Column) (cols, exprs, warnings []string) {
	from, to, name := m.From, m.To, m.To.Name
	warn := func(format string, args ...any) { warnings = append(warnings, fmt.Sprintf(format, args...)) }
	for _, tc := range m.Changes {
		if dc, ok := tc.(*DropColumn); ok {
			if w := sqliteDropColumnWarning(name, dc); w != "" {
				warn("%s", w)
			}
		}
	}

	for _, c := range to.Columns {
		o := old[foldName(c.Name)]
		if c.Generated != nil {
			if o != nil && o.Generated == nil {
				warn("%s.%s becomes a generated column: its values are replaced", name, c.Name)
			}
			continue
		}
		if o == nil {
			if w := tableChangeWarning(name, &AddColumn{Column: c}); w != "" && rowIDAlias(to) != c {
				warn("%s", w)
			}
			continue
		}
		if a, b := sqliteAffinity(o.Type, from.Strict), sqliteAffinity(c.Type, to.Strict); a != b {
			warn("changes the type of %s.%s from %s to %s: stored values are converted from %s to %s affinity", name, c.Name, orNone(o.Type), orNone(c.Type), a, b)
		}
		if c.NotNull && !o.NotNull && rowIDAlias(from) != o {
			warn("%s", tableChangeWarning(name, &AlterColumn{From: o, To: c}))
		}
		cols = append(cols, sqliteQuote(c.Name))
		exprs = append(exprs, sqliteQuote(c.Name))
	}
	if to.Strict && !from.Strict {
		warn("makes %s STRICT: fails if a value does not fit its column's type", name)
	}
	if w := r.strictWarning(to); w != "" {
		warn("%s", w)
	}
	// Keep rowids: copy them unless the new table's rowid is a copied
	// column (an INTEGER PRIMARY KEY) or either side has none.
	if !from.WithoutRowID && !to.WithoutRowID {
		alias := rowIDAlias(to)
		if alias == nil || old[foldName(alias.Name)] == nil {
			src, dst := rowIDName(cur), rowIDName(columnNames(to))
			if alias != nil {
				dst = sqliteQuote(alias.Name) // a new INTEGER PRIMARY KEY takes the old rowids
			}
			if src != "" && dst != "" {
				cols = append([]string{dst}, cols...)
				exprs = append([]string{src}, exprs...)
			}
		}
	}
	if len(cols) == 0 {
		warn("keeps no column of %s: its rows are lost", name)
	}
	return cols, exprs, warnings
}

// sqliteDependents returns, in creation order, the views of all that
// name the table or another such view, the triggers to recreate (on
// those or naming them) and, of these, the triggers to drop first (those
// not dropped with their own table or view).
func sqliteDependents(all []sqliteObject, name string) (views, trigs, dropTrigs []sqliteObject) {
	dropped := map[string]bool{foldName(name): true}
	for more := true; more; {
		more = false
		for _, o := range all {
			if o.typ == "view" && !dropped[foldName(o.name)] && mentionsAny(o.sql, dropped) {
				dropped[foldName(o.name)] = true
				more = true
			}
		}
	}
	for _, o := range all {
		switch {
		case o.typ == "view" && dropped[foldName(o.name)]:
			views = append(views, o)
		case o.typ == "trigger" && dropped[foldName(o.tblName)]:
			trigs = append(trigs, o) // dropped with its table or view
		case o.typ == "trigger" && mentionsAny(o.sql, dropped):
			trigs = append(trigs, o)
			dropTrigs = append(dropTrigs, o)
		}
	}
	return views, trigs, dropTrigs
}

// sqliteDropColumnWarning is the warning of a dropped column: none for a
// generated column, whose values come from the others.
func sqliteDropColumnWarning(table string, dc *DropColumn) string {
	if dc.Column.Generated != nil {
		return ""
	}
	return tableChangeWarning(table, dc)
}

// sqliteAffinity is the affinity a declared type gives a column
// (https://sqlite.org/datatype3.html#determination_of_column_affinity);
// in a STRICT table, ANY keeps values as they are.
func sqliteAffinity(typ string, strict bool) string {
	u := strings.ToUpper(typ)
	switch {
	case strings.Contains(u, "INT"):
		return "INTEGER"
	case strings.Contains(u, "CHAR") || strings.Contains(u, "CLOB") || strings.Contains(u, "TEXT"):
		return "TEXT"
	case strings.Contains(u, "BLOB") || strings.TrimSpace(u) == "":
		return "BLOB"
	case strings.Contains(u, "REAL") || strings.Contains(u, "FLOA") || strings.Contains(u, "DOUB"):
		return "REAL"
	case strict && strings.TrimSpace(u) == "ANY":
		return "ANY"
	}
	return "NUMERIC"
}

func hasAutoIncrement(t *schema.Table) bool {
	return slices.ContainsFunc(t.Columns, func(c *schema.Column) bool { return c.AutoIncrement })
}

// rowIDAlias returns the column that is the rowid of t (the INTEGER
// PRIMARY KEY of a rowid table), or nil.
func rowIDAlias(t *schema.Table) *schema.Column {
	pk := t.PrimaryKey
	if t.WithoutRowID || pk == nil || len(pk.Columns) != 1 || pk.NotRowIDAlias {
		return nil
	}
	c := t.Column(pk.Columns[0])
	if c == nil || !strings.EqualFold(c.Type, "INTEGER") {
		return nil
	}
	return c
}

// rowIDName returns a name of the rowid that none of a table's columns
// hides, or "".
func rowIDName(columns []string) string {
	for _, n := range []string{"rowid", "_rowid_", "oid"} {
		if !containsName(columns, n) {
			return n
		}
	}
	return ""
}

func columnNames(t *schema.Table) []string {
	out := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		out[i] = c.Name
	}
	return out
}

// sqliteString quotes s as an SQL string literal.
func sqliteString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// recreateVirtual drops a virtual table and creates it again: its module
// owns its storage, so its rows cannot be copied the way a table's are.
func (r *sqliteChanges) recreateVirtual(m *ModifyTable) ([]Statement, error) {
	c, err := r.create(m.To)
	if err != nil {
		return nil, err
	}
	out := append([]Statement{{
		SQL:     "DROP TABLE " + sqliteQuote(m.From.Name),
		Warning: fmt.Sprintf("recreates virtual table %s: its content is lost (an external-content full-text index must be rebuilt)", m.To.Name),
	}}, c...)
	if err := r.run(out); err != nil {
		return nil, err
	}
	return out, nil
}

// mentionsAny reports whether SQL text names one of names (folded).
func mentionsAny(text string, names map[string]bool) bool {
	for n := range sqliteMentions(text) {
		if names[n] {
			return true
		}
	}
	return false
}

// sqliteMentions returns the identifiers and bare words of SQL text, ASCII
// case folded; string literals, blobs, numbers and comments are skipped. A
// double-quoted word counts (SQLite reads it as an identifier first). It
// reads the tokens of sqlsplit's lexer; text that does not lex to its end
// (an unterminated quote) gives the words before the fault.
func sqliteMentions(s string) map[string]bool {
	out := map[string]bool{}
	toks, _ := sqlsplit.Tokens(s, sqlsplit.SQLite)
	for i, t := range toks {
		switch t.Kind {
		case sqlsplit.QuotedIdent:
			out[foldName(t.Name())] = true
		case sqlsplit.Word:
			if isDigit(t.Text[0]) || isBlobPrefix(toks, i) {
				continue
			}
			out[foldName(t.Text)] = true
		}
	}
	return out
}

// isBlobPrefix reports whether toks[i] is the x of a blob literal x'..'.
func isBlobPrefix(toks []sqlsplit.Token, i int) bool {
	t := toks[i]
	if !t.Is("x") || i+1 == len(toks) {
		return false
	}
	next := toks[i+1]
	return next.Kind == sqlsplit.String && next.Offset == t.Offset+1
}

// The scratch database.

type sqliteScratch struct {
	db   *sql.DB
	conn *sql.Conn
	// opaque are the views and triggers that fail on the scratch copy
	// (they name an object the changes leave out, such as a table an
	// exclude glob filters): they are left out of it, and only their
	// text is kept, to recreate them when a rebuild must drop them.
	opaque []sqliteObject
}

type sqliteObject struct {
	typ, name, tblName, sql string
}

// openSQLiteScratch loads s into a private in-memory database, each object
// from the statement SQLite stored for it when there is one, so that later
// renames rewrite exactly what they rewrite in the real database; then it
// runs the statements rendered so far.
func openSQLiteScratch(s *schema.Schema, pending []Statement) (*sqliteScratch, error) {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		return nil, fmt.Errorf("autogen: opening a scratch SQLite database: %w", err)
	}
	db.SetMaxOpenConns(1)
	conn, err := db.Conn(context.Background())
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("autogen: opening a scratch SQLite database: %w", err)
	}
	sc := &sqliteScratch{db: db, conn: conn}
	err = sc.load(s)
	if err == nil {
		err = sc.run(pending)
	}
	if err == nil {
		err = sc.probe()
	}
	if err != nil {
		sc.close()
		return nil, err
	}
	return sc, nil
}

func (sc *sqliteScratch) close() {
	sc.conn.Close()
	sc.db.Close()
}

func (sc *sqliteScratch) exec(q string, args ...any) error {
	_, err := sc.conn.ExecContext(context.Background(), q, args...)
	return err
}

// load creates the objects of s: all in one batch, or, when SQLite
// refuses the batch, one by one, so that the error names the object and a
// virtual table whose module this build lacks gets a plain table of the
// same columns in its stead.
func (sc *sqliteScratch) load(s *schema.Schema) error {
	type item struct {
		what, sql string
		virtual   *schema.Table
	}
	var items []item
	var d sqliteDialect
	add := func(what string, stmts []string, err error) error {
		for _, st := range stmts {
			items = append(items, item{what: what, sql: endStatement(st)})
		}
		return err
	}
	for _, t := range s.Tables {
		st, err := []string{t.SQL}, error(nil)
		if t.SQL == "" {
			st, err = d.createTable(t)
		}
		if err := add("table "+t.Name, st, err); err != nil {
			return err
		}
		if t.Virtual {
			items[len(items)-1].virtual = t
		}
	}
	for _, t := range s.Tables {
		for _, i := range t.Indexes {
			st, err := []string{i.Definition}, error(nil)
			if i.Definition == "" {
				st, err = d.createIndex(schema.TableRef{Name: t.Name}, i)
			}
			if err := add("index "+i.Name, st, err); err != nil {
				return err
			}
		}
	}
	for _, v := range s.Views {
		st, err := d.createView(v)
		if err := add("view "+v.Name, st, err); err != nil {
			return err
		}
	}
	for _, tr := range s.Triggers {
		st, err := d.createTrigger(tr)
		if err := add("trigger "+tr.Name, st, err); err != nil {
			return err
		}
	}
	if len(items) == 0 {
		return nil
	}
	var batch strings.Builder
	for _, it := range items {
		batch.WriteString(it.sql)
		batch.WriteString(";\n")
	}
	if err := sc.exec("BEGIN"); err != nil {
		return err
	}
	if err := sc.exec(batch.String()); err == nil {
		return sc.exec("COMMIT")
	}
	if err := sc.exec("ROLLBACK"); err != nil {
		return err
	}
	for _, it := range items {
		err := sc.exec(it.sql)
		if err != nil && it.virtual != nil {
			p := &schema.Table{Name: it.virtual.Name, Columns: it.virtual.Columns}
			if len(p.Columns) == 0 {
				p.Columns = []*schema.Column{{Name: "_"}}
			}
			var st []string
			if st, err = d.createTable(p); err == nil {
				err = sc.exec(st[0])
			}
		}
		if err != nil {
			return fmt.Errorf("autogen: loading the current schema into a scratch database: %s: %w", it.what, err)
		}
	}
	return nil
}

// probe finds the views and triggers that a RENAME would fail on (SQLite
// checks the whole schema then): it renames a table in a savepoint, and
// moves the view or trigger the error names to opaque, until the rename
// passes.
func (sc *sqliteScratch) probe() error {
	var table string
	err := sc.conn.QueryRowContext(context.Background(),
		`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY rowid LIMIT 1`).Scan(&table)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	} else if err != nil {
		return err
	}
	probe := "ALTER TABLE " + sqliteQuote(table) + " RENAME TO " + sqliteQuote(sqliteTempPrefix+"probe")
	for {
		if err := sc.exec("SAVEPOINT migrate_probe"); err != nil {
			return err
		}
		perr := sc.exec(probe)
		if err := sc.exec("ROLLBACK TO migrate_probe"); err != nil {
			return err
		}
		if err := sc.exec("RELEASE migrate_probe"); err != nil {
			return err
		}
		if perr == nil {
			return nil
		}
		typ, name := sqliteErrorObject(perr.Error())
		if typ == "" {
			return nil // not a view or trigger: rendering will say
		}
		var o sqliteObject
		err := sc.conn.QueryRowContext(context.Background(),
			`SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE type = ? AND name = ?`, typ, name).
			Scan(&o.typ, &o.name, &o.tblName, &o.sql)
		if err != nil {
			return nil
		}
		if err := sc.exec("DROP " + strings.ToUpper(typ) + " " + sqliteQuote(name)); err != nil {
			return err
		}
		sc.opaque = append(sc.opaque, o)
	}
}

// sqliteErrorObject reads the view or trigger an ALTER TABLE error names
// ("error in view v: no such table: main.x"), or "", "".
func sqliteErrorObject(msg string) (typ, name string) {
	for _, typ := range []string{"view", "trigger"} {
		_, rest, ok := strings.Cut(msg, "error in "+typ+" ")
		if !ok {
			continue
		}
		rest, _, ok = strings.Cut(rest, ": ")
		if !ok {
			return "", ""
		}
		rest, _, _ = strings.Cut(rest, " after ")
		return typ, rest
	}
	return "", ""
}

// run runs statements on the scratch database; SQLite refusing one is an
// error of the rendering.
func (sc *sqliteScratch) run(stmts []Statement) error {
	for _, s := range stmts {
		if err := sc.exec(s.SQL); err != nil {
			return fmt.Errorf("autogen: SQLite refuses a rendered statement (tried on a scratch copy of the schema): %w\n  in statement: %s", err, s.SQL)
		}
	}
	return nil
}

// try runs statements in a savepoint; when SQLite refuses one, it rolls
// them all back and says why.
func (sc *sqliteScratch) try(stmts []Statement) (ok bool, why string, err error) {
	if err := sc.exec("SAVEPOINT migrate_try"); err != nil {
		return false, "", err
	}
	for _, s := range stmts {
		if xerr := sc.exec(s.SQL); xerr != nil {
			why = strings.TrimPrefix(strings.TrimSuffix(xerr.Error(), " (1)"), "SQL logic error: ")
			if err := sc.exec("ROLLBACK TO migrate_try"); err != nil {
				return false, "", err
			}
			return false, why, sc.exec("RELEASE migrate_try")
		}
	}
	return true, "", sc.exec("RELEASE migrate_try")
}

func (sc *sqliteScratch) objects() ([]sqliteObject, error) {
	rows, err := sc.conn.QueryContext(context.Background(), `SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_schema ORDER BY rowid`)
	if err != nil {
		return nil, fmt.Errorf("autogen: scratch database: %w", err)
	}
	defer rows.Close()
	var out []sqliteObject
	for rows.Next() {
		var o sqliteObject
		if err := rows.Scan(&o.typ, &o.name, &o.tblName, &o.sql); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

func (sc *sqliteScratch) exists(typ, name string) bool {
	var n int
	err := sc.conn.QueryRowContext(context.Background(),
		`SELECT count(*) FROM sqlite_schema WHERE type = ? AND name = ? COLLATE NOCASE`, typ, name).Scan(&n)
	return err == nil && n > 0
}

// isOpaque reports whether a view or trigger is an opaque one.
func (sc *sqliteScratch) isOpaque(typ, name string) bool {
	return slices.ContainsFunc(sc.opaque, func(o sqliteObject) bool { return o.typ == typ && sqliteSameName(o.name, name) })
}

// takeOpaque removes a view or trigger from the opaque ones and reports
// whether it was one.
func (sc *sqliteScratch) takeOpaque(obj any) bool {
	var typ, name string
	switch o := obj.(type) {
	case *schema.View:
		typ, name = "view", o.Name
	case *schema.Trigger:
		typ, name = "trigger", o.Name
	default:
		return false
	}
	n := len(sc.opaque)
	sc.opaque = slices.DeleteFunc(sc.opaque, func(o sqliteObject) bool { return o.typ == typ && sqliteSameName(o.name, name) })
	return len(sc.opaque) < n
}

// cascadingChildren returns the other tables with a foreign key to table
// whose ON DELETE action changes rows (CASCADE, SET NULL, SET DEFAULT).
func (sc *sqliteScratch) cascadingChildren(table string) ([]string, error) {
	out, err := introspect.QueryStrings(context.Background(), sc.conn, `
SELECT DISTINCT m.name
FROM sqlite_schema AS m JOIN pragma_foreign_key_list(m.name) AS f
WHERE m.type = 'table' AND f."table" = ? COLLATE NOCASE AND m.name <> ? COLLATE NOCASE
  AND f.on_delete IN ('CASCADE', 'SET NULL', 'SET DEFAULT')
ORDER BY m.rowid`, table, table)
	if err != nil {
		return nil, fmt.Errorf("autogen: scratch database: %w", err)
	}
	return out, nil
}
