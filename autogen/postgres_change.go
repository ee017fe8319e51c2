package autogen

import (
	"fmt"
	"slices"
	"strings"

	"github.com/migratehq/migrate/schema"
)

// postgresChanges renders changes as PostgreSQL statements. Objects are
// created with the same functions RenderSchema uses (postgres.go), and
// named with the same quoting.
//
// What each change renders to:
//
//   - CreateObject / DropObject: the object's CREATE statements (a table
//     with its keys, indexes, foreign keys to itself, CLUSTER ON,
//     replica identity, statistics and rules; a partition created
//     standalone and attached last, so that its own indexes are the ones
//     attached) / DROP <kind> name (no CASCADE: what depends on an
//     object is dropped first by the differ).
//   - ReplaceObject: CREATE OR REPLACE VIEW / FUNCTION / PROCEDURE when
//     PostgreSQL allows it (same result type; a view's columns only
//     appended); ALTER DOMAIN and ALTER TYPE ... ATTRIBUTE steps; ALTER
//     EXTENSION ... SET SCHEMA; otherwise DROP and CREATE.
//   - RenameTable, RenameSequence, RenameColumn, RenameIndex,
//     RenameConstraint: ALTER ... RENAME (and SET SCHEMA).
//   - ModifyTable: ALTER TABLE steps (see postgres_change_table.go).
//   - AddEnumValue: ALTER TYPE ... ADD VALUE [BEFORE|AFTER], NoTx.
//   - DropEnumValue, RebuildEnum: rename the type away, create the new
//     one, convert every column of it (DROP DEFAULT, TYPE ... USING
//     col::text::type, SET DEFAULT: the column's default, or the new
//     one of RebuildEnum.Defaults), drop the old type; warned.
//   - AlterSequence: ALTER SEQUENCE with the options that changed, OWNED
//     BY col / NONE.
//   - SetComment: COMMENT ON <kind> name IS ... (NULL for none).
type postgresChanges struct {
	before, after *schema.Schema
	pg            *postgresDialect
	// tables is the state of the tables as the changes go, for what a
	// step must look up (the columns of an enum being rebuilt).
	tables map[schema.TableRef]*schema.Table
	views  map[schema.TableRef]*schema.View
	out    []Statement
}

var _ changeDialect = (*postgresChanges)(nil)

func newPostgresChanges(before, after *schema.Schema) changeDialect {
	p := &postgresChanges{before: before, after: after, pg: &postgresDialect{},
		tables: map[schema.TableRef]*schema.Table{}, views: map[schema.TableRef]*schema.View{}}
	for _, t := range before.Tables {
		if t.FromExtension == "" {
			p.tables[tref(t.Schema, t.Name)] = t
		}
	}
	for _, v := range before.Views {
		if v.FromExtension == "" {
			p.views[tref(v.Schema, v.Name)] = v
		}
	}
	return p
}

// serverVersion is the version the statements are for (the live side).
func (p *postgresChanges) serverVersion() int {
	if p.before.ServerVersion != 0 {
		return p.before.ServerVersion
	}
	return p.after.ServerVersion
}

func (p *postgresChanges) emit(sql string) { p.out = append(p.out, Statement{SQL: sql}) }

func (p *postgresChanges) emitAll(stmts []string) {
	for _, s := range stmts {
		p.emit(s)
	}
}

func (p *postgresChanges) warn(sql, warning string) {
	p.out = append(p.out, Statement{SQL: sql, Warning: warning})
}

func (p *postgresChanges) render(changes []Change) ([]Statement, error) {
	for _, c := range changes {
		if needsUncheckedBodies(c) {
			// Function bodies may name objects created later (pg_dump
			// does the same).
			p.emit("SET check_function_bodies = false")
			break
		}
	}
	for i := 0; i < len(changes); i++ {
		// Values dropped one after the other from one enum: one rebuild.
		if dv, ok := changes[i].(*DropEnumValue); ok {
			last, values := dv, []string{pgLiteral(dv.Value)}
			for i+1 < len(changes) {
				next, ok := changes[i+1].(*DropEnumValue)
				if !ok || next.Enum.Schema != dv.Enum.Schema || next.Enum.Name != dv.Enum.Name {
					break
				}
				last, values = next, append(values, pgLiteral(next.Value))
				i++
			}
			word := "value"
			if len(values) > 1 {
				word = "values"
			}
			p.rebuildEnum(dv.Enum, last.Without(), nil, fmt.Sprintf("removes %s %s from enum %s", word,
				strings.Join(values, ", "), qualifiedName(dv.Enum.Schema, dv.Enum.Name)))
			continue
		}
		if err := p.change(changes[i]); err != nil {
			return nil, err
		}
	}
	return p.out, nil
}

func needsUncheckedBodies(c Change) bool {
	switch c := c.(type) {
	case *CreateObject:
		_, ok := c.Object.(*schema.Function)
		return ok
	case *ReplaceObject:
		_, ok := c.To.(*schema.Function)
		return ok
	}
	return false
}

func (p *postgresChanges) change(c Change) error {
	switch c := c.(type) {
	case *CreateObject:
		return p.create(c.Object)
	case *DropObject:
		return p.drop(c.Object)
	case *ReplaceObject:
		return p.replace(c.From, c.To)
	case *RenameTable:
		from := pgQualify(c.From.Schema, c.From.Name)
		if c.From.Schema != c.To.Schema {
			p.emit(fmt.Sprintf("ALTER TABLE %s SET SCHEMA %s", from, pgIdent(c.To.Schema)))
			from = pgQualify(c.To.Schema, c.From.Name)
		}
		if c.From.Name != c.To.Name {
			p.emit(fmt.Sprintf("ALTER TABLE %s RENAME TO %s", from, pgIdent(c.To.Name)))
		}
		if t := p.tables[c.From]; t != nil {
			delete(p.tables, c.From)
			r := *t
			r.Schema, r.Name = c.To.Schema, c.To.Name
			p.tables[c.To] = &r
		}
	case *RenameSequence:
		p.emit(fmt.Sprintf("ALTER SEQUENCE %s RENAME TO %s", pgQualify(c.Schema, c.From), pgIdent(c.To)))
	case *ModifyTable:
		if err := p.modifyTable(c); err != nil {
			return err
		}
		p.tables[tref(c.To.Schema, c.To.Name)] = c.To
	case *AddEnumValue:
		sql := fmt.Sprintf("ALTER TYPE %s ADD VALUE %s", pgQualify(c.Enum.Schema, c.Enum.Name), pgLiteral(c.Value))
		switch {
		case c.Before != "":
			sql += " BEFORE " + pgLiteral(c.Before)
		case c.After != "":
			sql += " AFTER " + pgLiteral(c.After)
		}
		p.out = append(p.out, Statement{SQL: sql, NoTx: true})
	case *RebuildEnum:
		p.rebuildEnum(c.From, c.To, c.Defaults, fmt.Sprintf("rebuilds enum %s (values removed or reordered)",
			qualifiedName(c.From.Schema, c.From.Name)))
	case *AlterSequence:
		p.alterSequence(c.From, c.To)
	case *SetComment:
		kind, name, err := pgCommentTarget(c.Object)
		if err != nil {
			return err
		}
		p.emit(fmt.Sprintf("COMMENT ON %s %s IS %s", kind, name, pgCommentText(c.To)))
	default:
		return fmt.Errorf("autogen: PostgreSQL cannot render %T", c)
	}
	return nil
}

func (p *postgresChanges) create(o any) error {
	switch o := o.(type) {
	case *schema.Table:
		stmts, err := p.createTable(o)
		if err != nil {
			return err
		}
		p.emitAll(stmts)
		p.tables[tref(o.Schema, o.Name)] = o
	case *schema.View:
		stmts, err := p.pg.createView(o)
		if err != nil {
			return err
		}
		p.emitAll(stmts)
		p.views[tref(o.Schema, o.Name)] = o
		for _, i := range o.Indexes {
			stmts, err := p.pg.createIndex(tref(o.Schema, o.Name), i)
			if err != nil {
				return err
			}
			p.emitAll(stmts)
		}
	case *schema.Trigger:
		stmts, err := p.pg.createTrigger(o)
		if err != nil {
			return err
		}
		p.emitAll(stmts)
	case *schema.Namespace:
		if o.Name == "public" {
			p.emit("CREATE SCHEMA public")
			if o.Comment != "" {
				p.emit("COMMENT ON SCHEMA public IS " + pgCommentText(o.Comment))
			}
			return nil
		}
		p.emitAll(pgCreateNamespace(o))
	default:
		stmts, err := p.pg.createObject(o)
		if err != nil {
			return err
		}
		p.emitAll(stmts)
	}
	return nil
}

// createTable creates a whole table. A partition is created standalone
// and attached last: ATTACH PARTITION then adopts its indexes and keys
// as the partitions of the parent's (and creates those it lacks).
func (p *postgresChanges) createTable(t *schema.Table) ([]string, error) {
	c := t
	if t.PartitionOf != nil {
		x := *t
		x.PartitionOf = nil
		x.Columns = make([]*schema.Column, len(t.Columns))
		for i, col := range t.Columns {
			y := *col
			y.Inherited = false
			x.Columns[i] = &y
		}
		x.Checks = make([]*schema.Check, len(t.Checks))
		for i, ck := range t.Checks {
			y := *ck
			y.Inherited = false
			x.Checks[i] = &y
		}
		c = &x
	}
	pg := &postgresDialect{} // no schema: no ALTER INDEX ... ATTACH PARTITION
	var out []string
	for _, step := range []func(*schema.Table) ([]string, error){pg.createTable, pg.createKeys} {
		stmts, err := step(c)
		if err != nil {
			return nil, err
		}
		out = append(out, stmts...)
	}
	for _, i := range c.Indexes {
		stmts, err := pg.createIndex(tref(c.Schema, c.Name), i)
		if err != nil {
			return nil, err
		}
		out = append(out, stmts...)
	}
	stmts, err := pg.createForeignKeys(c)
	if err != nil {
		return nil, err
	}
	out = append(out, stmts...)
	stmts, err = pg.finish(&schema.Schema{Tables: []*schema.Table{c}})
	if err != nil {
		return nil, err
	}
	out = append(out, stmts...)
	if po := t.PartitionOf; po != nil {
		out = append(out, fmt.Sprintf("ALTER TABLE %s ATTACH PARTITION %s %s",
			pgQualify(po.Schema, po.Table), pgQualify(t.Schema, t.Name), po.Bound))
	}
	return out, nil
}

func (p *postgresChanges) drop(o any) error {
	switch o := o.(type) {
	case *schema.Table:
		p.warn("DROP TABLE "+pgQualify(o.Schema, o.Name), dropTableWarning(o))
		delete(p.tables, tref(o.Schema, o.Name))
	case *schema.View:
		kind := "VIEW"
		if o.Materialized {
			kind = "MATERIALIZED VIEW"
		}
		p.emit(fmt.Sprintf("DROP %s %s", kind, pgQualify(o.Schema, o.Name)))
		delete(p.views, tref(o.Schema, o.Name))
	case *schema.Trigger:
		p.emit(fmt.Sprintf("DROP TRIGGER %s ON %s", pgIdent(o.Name), pgQualify(o.Schema, o.Table)))
	case *schema.Namespace:
		p.emit("DROP SCHEMA " + pgIdent(o.Name))
	case *schema.Extension:
		p.warn("DROP EXTENSION "+pgIdent(o.Name), fmt.Sprintf("drops extension %s and every object it owns (its tables' rows too)", o.Name))
	case *schema.Collation:
		p.emit("DROP COLLATION " + pgQualify(o.Schema, o.Name))
	case *schema.TextSearchConfig:
		p.emit("DROP TEXT SEARCH CONFIGURATION " + pgQualify(o.Schema, o.Name))
	case *schema.Enum:
		p.emit("DROP TYPE " + pgQualify(o.Schema, o.Name))
	case *schema.Type:
		p.emit("DROP TYPE " + pgQualify(o.Schema, o.Name))
	case *schema.Domain:
		p.emit("DROP DOMAIN " + pgQualify(o.Schema, o.Name))
	case *schema.Sequence:
		p.emit("DROP SEQUENCE " + pgQualify(o.Schema, o.Name))
	case *schema.Function:
		p.emit(fmt.Sprintf("DROP %s %s", pgFunctionKeyword[o.Kind], pgFunctionSignature(o)))
	default:
		return fmt.Errorf("autogen: PostgreSQL cannot drop %T", o)
	}
	return nil
}

func pgFunctionSignature(f *schema.Function) string {
	args := f.Args
	if f.Kind == schema.KindAggregate && args == "" {
		args = "*"
	}
	return fmt.Sprintf("%s(%s)", pgQualify(f.Schema, f.Name), args)
}

// pgCommentTarget is the COMMENT ON kind and name of an object.
func pgCommentTarget(o any) (kind, name string, err error) {
	switch o := o.(type) {
	case *schema.Namespace:
		return "SCHEMA", pgIdent(o.Name), nil
	case *schema.Extension:
		return "EXTENSION", pgIdent(o.Name), nil
	case *schema.Collation:
		return "COLLATION", pgQualify(o.Schema, o.Name), nil
	case *schema.TextSearchConfig:
		return "TEXT SEARCH CONFIGURATION", pgQualify(o.Schema, o.Name), nil
	case *schema.Enum:
		return "TYPE", pgQualify(o.Schema, o.Name), nil
	case *schema.Type:
		return "TYPE", pgQualify(o.Schema, o.Name), nil
	case *schema.Domain:
		return "DOMAIN", pgQualify(o.Schema, o.Name), nil
	case *schema.Sequence:
		return "SEQUENCE", pgQualify(o.Schema, o.Name), nil
	case *schema.Table:
		return "TABLE", pgQualify(o.Schema, o.Name), nil
	case *schema.View:
		if o.Materialized {
			return "MATERIALIZED VIEW", pgQualify(o.Schema, o.Name), nil
		}
		return "VIEW", pgQualify(o.Schema, o.Name), nil
	case *schema.Function:
		return pgFunctionKeyword[o.Kind], pgFunctionSignature(o), nil
	case *schema.Trigger:
		return "TRIGGER", pgIdent(o.Name) + " ON " + pgQualify(o.Schema, o.Table), nil
	}
	return "", "", fmt.Errorf("autogen: PostgreSQL cannot comment on %T", o)
}

func (p *postgresChanges) replace(from, to any) error {
	switch t := to.(type) {
	case *schema.Function:
		f := from.(*schema.Function)
		if f.Kind == t.Kind && f.Result == t.Result && t.Kind != schema.KindAggregate {
			def := strings.TrimRight(t.Definition, " \t\n;")
			if strings.HasPrefix(def, "CREATE FUNCTION") || strings.HasPrefix(def, "CREATE PROCEDURE") {
				def = "CREATE OR REPLACE" + strings.TrimPrefix(def, "CREATE")
			}
			p.emit(def)
		} else {
			if err := p.drop(f); err != nil {
				return err
			}
			p.emitAll([]string{strings.TrimRight(t.Definition, " \t\n;")})
		}
		if f.Comment != t.Comment {
			kind, name, _ := pgCommentTarget(t)
			p.emit(fmt.Sprintf("COMMENT ON %s %s IS %s", kind, name, pgCommentText(t.Comment)))
		}
	case *schema.View:
		p.views[tref(t.Schema, t.Name)] = t
		return p.replaceView(from.(*schema.View), t)
	case *schema.Domain:
		p.replaceDomain(from.(*schema.Domain), t)
	case *schema.Type:
		p.replaceType(from.(*schema.Type), t)
	case *schema.Extension:
		f := from.(*schema.Extension)
		if f.Schema != t.Schema {
			p.emit(fmt.Sprintf("ALTER EXTENSION %s SET SCHEMA %s", pgIdent(t.Name), pgIdent(t.Schema)))
		}
	case *schema.Collation, *schema.TextSearchConfig:
		if err := p.drop(from); err != nil {
			return err
		}
		return p.create(to)
	default:
		return fmt.Errorf("autogen: PostgreSQL cannot replace %T", to)
	}
	return nil
}

// replaceView replaces a view in place: CREATE OR REPLACE VIEW when its
// query or options changed and its columns are kept or appended to (a
// drop and a create when some are removed: the reverse of an append), a
// materialized view's indexes, and the comments.
func (p *postgresChanges) replaceView(f, t *schema.View) error {
	name := pgQualify(t.Schema, t.Name)
	kind := "VIEW"
	if t.Materialized {
		kind = "MATERIALIZED VIEW"
	}
	if !t.Materialized && !sameViewColumns(f.Columns, t.Columns, len(f.Columns)) {
		// Columns removed or changed (the reverse of an append): only a
		// drop and a create do (the differ asks only when nothing
		// depends on the view).
		p.emit("DROP VIEW " + name)
		stmts, err := p.pg.createView(t)
		if err != nil {
			return err
		}
		p.emitAll(stmts)
		return nil
	}
	if !t.Materialized && (!sameText(f.Definition, t.Definition) || f.CheckOption != t.CheckOption || !sameSet(f.Options, t.Options)) {
		var b strings.Builder
		b.WriteString("CREATE OR REPLACE VIEW " + name)
		if len(t.Options) > 0 {
			b.WriteString(" WITH (" + strings.Join(t.Options, ", ") + ")")
		}
		b.WriteString(" AS\n" + strings.TrimRight(t.Definition, " \n;"))
		if t.CheckOption != "" {
			b.WriteString("\n  WITH " + t.CheckOption + " CHECK OPTION")
		}
		p.emit(b.String())
		for _, o := range f.Options {
			k, _, _ := strings.Cut(o, "=")
			if !slices.ContainsFunc(t.Options, func(x string) bool { return strings.HasPrefix(x, k+"=") }) {
				p.emit(fmt.Sprintf("ALTER VIEW %s RESET (%s)", name, k))
			}
		}
	}
	if t.Materialized {
		owner := tref(t.Schema, t.Name)
		m := matchItems(f.Indexes, t.Indexes, func(i *schema.Index) string { return i.Name },
			func(a, b *schema.Index) bool { return sameIndex(a, b, nil) })
		for _, i := range append(m.dropped, firsts(m.changed)...) {
			p.emit("DROP INDEX " + pgQualify(t.Schema, i.Name))
		}
		for _, pr := range m.same {
			if pr[0].Name != pr[1].Name {
				p.emit(fmt.Sprintf("ALTER INDEX %s RENAME TO %s", pgQualify(t.Schema, pr[0].Name), pgIdent(pr[1].Name)))
			}
			if pr[0].Comment != pr[1].Comment {
				p.emit(fmt.Sprintf("COMMENT ON INDEX %s IS %s", pgQualify(t.Schema, pr[1].Name), pgCommentText(pr[1].Comment)))
			}
		}
		for _, i := range append(seconds(m.changed), m.added...) {
			stmts, err := p.pg.createIndex(owner, i)
			if err != nil {
				return err
			}
			p.emitAll(stmts)
		}
	}
	if f.Comment != t.Comment {
		p.emit(fmt.Sprintf("COMMENT ON %s %s IS %s", kind, name, pgCommentText(t.Comment)))
	}
	for _, c := range t.Columns {
		old := ""
		if fc := f.Column(c.Name); fc != nil {
			old = fc.Comment
		}
		if old != c.Comment {
			p.emit(fmt.Sprintf("COMMENT ON COLUMN %s.%s IS %s", name, pgIdent(c.Name), pgCommentText(c.Comment)))
		}
	}
	return nil
}

// replaceDomain alters a domain in place; a new base type or collation
// drops and creates it (which fails while a column uses it).
func (p *postgresChanges) replaceDomain(f, t *schema.Domain) {
	name := pgQualify(t.Schema, t.Name)
	if f.Type != t.Type || f.Collation != t.Collation {
		p.warn("DROP DOMAIN "+name, fmt.Sprintf("drops and creates domain %s (new base type or collation): fails while a column uses it", qualifiedName(t.Schema, t.Name)))
		p.emitAll(pgCreateDomain(t))
		return
	}
	if !sameText(f.Default, t.Default) {
		if t.Default == "" {
			p.emit("ALTER DOMAIN " + name + " DROP DEFAULT")
		} else {
			p.emit("ALTER DOMAIN " + name + " SET DEFAULT " + t.Default)
		}
	}
	if f.NotNull != t.NotNull {
		if t.NotNull {
			p.warn("ALTER DOMAIN "+name+" SET NOT NULL", fmt.Sprintf("sets NOT NULL on domain %s: fails if a column of it holds NULL", qualifiedName(t.Schema, t.Name)))
		} else {
			p.emit("ALTER DOMAIN " + name + " DROP NOT NULL")
		}
	}
	m := matchItems(f.Checks, t.Checks, func(c *schema.Check) string { return c.Name },
		func(a, b *schema.Check) bool { return sameText(a.Expr, b.Expr) && a.NotValid == b.NotValid })
	for _, c := range append(m.dropped, firsts(m.changed)...) {
		p.emit(fmt.Sprintf("ALTER DOMAIN %s DROP CONSTRAINT %s", name, pgIdent(c.Name)))
	}
	for _, pr := range m.same {
		if pr[0].Name != pr[1].Name {
			p.emit(fmt.Sprintf("ALTER DOMAIN %s RENAME CONSTRAINT %s TO %s", name, pgIdent(pr[0].Name), pgIdent(pr[1].Name)))
		}
		if pr[0].Comment != pr[1].Comment {
			p.emit(fmt.Sprintf("COMMENT ON CONSTRAINT %s ON DOMAIN %s IS %s", pgIdent(pr[1].Name), name, pgCommentText(pr[1].Comment)))
		}
	}
	for _, c := range append(seconds(m.changed), m.added...) {
		p.emit(fmt.Sprintf("ALTER DOMAIN %s ADD CONSTRAINT %s %s", name, pgIdent(c.Name), pgCheckDef(c)))
		if c.Comment != "" {
			p.emit(fmt.Sprintf("COMMENT ON CONSTRAINT %s ON DOMAIN %s IS %s", pgIdent(c.Name), name, pgCommentText(c.Comment)))
		}
	}
	if f.Comment != t.Comment {
		p.emit(fmt.Sprintf("COMMENT ON DOMAIN %s IS %s", name, pgCommentText(t.Comment)))
	}
}

// replaceType alters a composite type's attributes in place; a range
// type (or a change of kind) is dropped and created.
func (p *postgresChanges) replaceType(f, t *schema.Type) {
	name := pgQualify(t.Schema, t.Name)
	if f.Kind != "composite" || t.Kind != "composite" {
		p.warn("DROP TYPE "+name, fmt.Sprintf("drops and creates type %s: fails while something uses it", qualifiedName(t.Schema, t.Name)))
		stmts, _ := pgCreateType(t)
		p.emitAll(stmts)
		return
	}
	var steps []string
	var warning string
	for _, a := range f.Attributes {
		if slices.IndexFunc(t.Attributes, func(b *schema.Column) bool { return b.Name == a.Name }) < 0 {
			steps = append(steps, "DROP ATTRIBUTE "+pgIdent(a.Name))
			warning = joinWarnings(warning, fmt.Sprintf("drops attribute %s of type %s", a.Name, qualifiedName(t.Schema, t.Name)))
		}
	}
	for _, b := range t.Attributes {
		i := slices.IndexFunc(f.Attributes, func(a *schema.Column) bool { return a.Name == b.Name })
		def := b.Type
		if b.Collation != "" {
			def += " COLLATE " + b.Collation
		}
		switch {
		case i < 0:
			steps = append(steps, "ADD ATTRIBUTE "+pgIdent(b.Name)+" "+def)
		case f.Attributes[i].Type != b.Type || f.Attributes[i].Collation != b.Collation:
			steps = append(steps, "ALTER ATTRIBUTE "+pgIdent(b.Name)+" TYPE "+def)
		}
	}
	if len(steps) > 0 {
		p.warn("ALTER TYPE "+name+"\n    "+strings.Join(steps, ",\n    "), warning)
	}
	if f.Comment != t.Comment {
		p.emit(fmt.Sprintf("COMMENT ON TYPE %s IS %s", name, pgCommentText(t.Comment)))
	}
	for _, b := range t.Attributes {
		old := ""
		if i := slices.IndexFunc(f.Attributes, func(a *schema.Column) bool { return a.Name == b.Name }); i >= 0 {
			old = f.Attributes[i].Comment
		}
		if old != b.Comment {
			p.emit(fmt.Sprintf("COMMENT ON COLUMN %s.%s IS %s", name, pgIdent(b.Name), pgCommentText(b.Comment)))
		}
	}
}

// rebuildEnum replaces enum from by to: the old type is renamed away, the
// new one created, every column of it converted through text, the old
// type dropped. What PostgreSQL cannot carry through the conversion is
// dropped before it and created again after: the views on those tables
// (and the views on them), and the checks and indexes whose expressions
// name the type. A column of defaults gets its new default there (the
// old one may name a value the new type lacks).
func (p *postgresChanges) rebuildEnum(from, to *schema.Enum, defaults []EnumColumnDefault, why string) {
	name := pgQualify(from.Schema, from.Name)
	oldName := from.Name + "__migrate_old"
	type use struct {
		table *schema.Table
		col   *schema.Column
	}
	var uses []use
	var users []string
	touched := map[schema.TableRef]bool{}
	refs := make([]schema.TableRef, 0, len(p.tables))
	for r := range p.tables {
		refs = append(refs, r)
	}
	slices.SortFunc(refs, compareRef)
	for _, r := range refs {
		t := p.tables[r]
		for _, c := range t.Columns {
			if c.Inherited || c.Generated != nil {
				continue
			}
			if base := strings.TrimSuffix(c.Type, "[]"); base == name {
				uses = append(uses, use{t, c})
				users = append(users, qualifiedName(t.Schema, t.Name)+"."+c.Name)
				touched[r] = true
			}
		}
	}
	warning := why + ": fails if a row holds a value the new type lacks"
	if len(users) > 0 {
		warning += "; rewrites " + strings.Join(users, ", ")
	}

	// Views on the touched tables, and views on those, dependents first.
	var nodes []node
	for r, v := range p.views {
		nodes = append(nodes, node{kind: schema.ObjectView, schema: r.Schema, name: r.Name, obj: v, deps: v.DependsOn})
	}
	slices.SortFunc(nodes, func(a, b node) int { return compareRef(tref(a.schema, a.name), tref(b.schema, b.name)) })
	nodes = topoSort(nodes)
	var views []*schema.View
	hit := map[schema.TableRef]bool{}
	for r := range touched {
		hit[r] = true
	}
	for _, n := range nodes {
		v := n.obj.(*schema.View)
		for _, d := range v.DependsOn {
			if hit[tref(d.Schema, d.Name)] {
				views = append(views, v)
				hit[tref(v.Schema, v.Name)] = true
				break
			}
		}
	}
	for i := len(views) - 1; i >= 0; i-- {
		v := views[i]
		kind := "VIEW"
		if v.Materialized {
			kind = "MATERIALIZED VIEW"
		}
		p.emit(fmt.Sprintf("DROP %s %s", kind, pgQualify(v.Schema, v.Name)))
	}

	p.warn(fmt.Sprintf("ALTER TYPE %s RENAME TO %s", name, pgIdent(oldName)), warning)
	stmts, _ := p.pg.createObject(to)
	p.emitAll(stmts)
	mentions := func(text string) bool { return strings.Contains(text, name) }
	for _, r := range refs {
		if !touched[r] {
			continue
		}
		t := p.tables[r]
		table := pgQualify(t.Schema, t.Name)
		var checks []*schema.Check
		var indexes []*schema.Index
		for _, c := range t.Checks {
			if !c.Inherited && mentions(c.Expr) {
				checks = append(checks, c)
				p.emit(fmt.Sprintf("ALTER TABLE %s DROP CONSTRAINT %s", table, pgIdent(c.Name)))
			}
		}
		for _, i := range t.Indexes {
			if i.Parent == "" && mentions(i.Definition) {
				indexes = append(indexes, i)
				p.emit("DROP INDEX " + pgQualify(t.Schema, i.Name))
			}
		}
		for _, u := range uses {
			if u.table != t {
				continue
			}
			col := pgIdent(u.col.Name)
			oldDefault, newDefault := u.col.Default, u.col.Default
			if i := slices.IndexFunc(defaults, func(d EnumColumnDefault) bool {
				return d.Column == schema.ColumnRef{Schema: r.Schema, Table: r.Name, Column: u.col.Name}
			}); i >= 0 {
				oldDefault, newDefault = defaults[i].From, defaults[i].To
				p.setColumnDefault(r, u.col.Name, newDefault)
			}
			if oldDefault != "" {
				p.emit(fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT", table, col))
			}
			using := col + "::text::" + name
			if strings.HasSuffix(u.col.Type, "[]") {
				using = col + "::text[]::" + name + "[]"
			}
			p.emit(fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s TYPE %s USING %s", table, col, u.col.Type, using))
			if newDefault != "" {
				p.emit(fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s SET DEFAULT %s", table, col, newDefault))
			}
		}
		for _, c := range checks {
			p.addConstraint("ALTER TABLE "+table, table, c.Name, pgCheckDef(c), c.Comment)
		}
		for _, i := range indexes {
			p.emit(pgIndexDef(r, i, false))
			if i.Comment != "" {
				p.emit(fmt.Sprintf("COMMENT ON INDEX %s IS %s", pgQualify(t.Schema, i.Name), pgCommentText(i.Comment)))
			}
		}
	}
	p.emit("DROP TYPE " + pgQualify(from.Schema, oldName))
	for _, v := range views {
		stmts, _ := p.pg.createView(v)
		p.emitAll(stmts)
		for _, i := range v.Indexes {
			stmts, _ := p.pg.createIndex(tref(v.Schema, v.Name), i)
			p.emitAll(stmts)
		}
	}
}

// setColumnDefault records in the tables' state that column col of table
// r now has default def (the table is copied, not changed).
func (p *postgresChanges) setColumnDefault(r schema.TableRef, col, def string) {
	t := *p.tables[r]
	t.Columns = slices.Clone(t.Columns)
	for i, c := range t.Columns {
		if c.Name == col {
			x := *c
			x.Default = def
			t.Columns[i] = &x
		}
	}
	p.tables[r] = &t
}

func (p *postgresChanges) alterSequence(f, t *schema.Sequence) {
	name := pgQualify(t.Schema, t.Name)
	var opts []string
	a, b := f.SequenceOptions, t.SequenceOptions
	if a.Type != b.Type && b.Type != "" {
		opts = append(opts, "AS "+b.Type)
	}
	if a.Increment != b.Increment {
		opts = append(opts, fmt.Sprintf("INCREMENT BY %d", b.Increment))
	}
	if a.Min != b.Min || a.Type != b.Type {
		opts = append(opts, fmt.Sprintf("MINVALUE %d", b.Min))
	}
	if a.Max != b.Max || a.Type != b.Type {
		opts = append(opts, fmt.Sprintf("MAXVALUE %d", b.Max))
	}
	if a.Start != b.Start {
		opts = append(opts, fmt.Sprintf("START WITH %d", b.Start))
	}
	if a.Cache != b.Cache {
		opts = append(opts, fmt.Sprintf("CACHE %d", b.Cache))
	}
	if a.Cycle != b.Cycle {
		if b.Cycle {
			opts = append(opts, "CYCLE")
		} else {
			opts = append(opts, "NO CYCLE")
		}
	}
	if !sameOwner(f.OwnedBy, t.OwnedBy) {
		if o := t.OwnedBy; o != nil {
			opts = append(opts, fmt.Sprintf("OWNED BY %s.%s", pgQualify(o.Schema, o.Table), pgIdent(o.Column)))
		} else {
			opts = append(opts, "OWNED BY NONE")
		}
	}
	if len(opts) > 0 {
		p.emit("ALTER SEQUENCE " + name + " " + strings.Join(opts, " "))
	}
}
