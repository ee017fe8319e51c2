package autogen

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/migratehq/migrate/schema"
)

// modifyTable renders the steps of a ModifyTable, each as ALTER TABLE
// (or ALTER INDEX, CREATE/DROP INDEX, COMMENT ON) statements on the table
// as it is named at that point (From and To carry the same name).
func (p *postgresChanges) modifyTable(m *ModifyTable) error {
	t := m.To
	name := pgQualify(t.Schema, t.Name)
	label := qualifiedName(t.Schema, t.Name)
	alter := "ALTER TABLE " + name
	for _, tc := range m.Changes {
		w := tableChangeWarning(label, tc)
		switch c := tc.(type) {
		case *AddColumn:
			p.addColumn(alter, name, c.Column, w)
		case *DropColumn:
			p.warn(fmt.Sprintf("%s DROP COLUMN %s", alter, pgIdent(c.Column.Name)), w)
		case *RenameColumn:
			p.emit(fmt.Sprintf("%s RENAME COLUMN %s TO %s", alter, pgIdent(c.From), pgIdent(c.To)))
		case *AlterColumn:
			p.alterColumn(alter, name, label, c.From, c.To)
		case *AddPrimaryKey:
			p.addConstraint(alter, name, c.Key.Name, pgKeyDef("PRIMARY KEY", c.Key), c.Key.Comment)
		case *AddUnique:
			p.addConstraint(alter, name, c.Key.Name, pgKeyDef("UNIQUE", c.Key), c.Key.Comment)
		case *AddCheck:
			p.addConstraint(alter, name, c.Check.Name, pgCheckDef(c.Check), c.Check.Comment)
		case *AddExclusion:
			p.addConstraint(alter, name, c.Exclusion.Name, c.Exclusion.Definition, c.Exclusion.Comment)
		case *AddForeignKey:
			def := c.ForeignKey.Definition
			if def == "" {
				def = pgForeignKeyDef(c.ForeignKey)
			}
			p.addConstraint(alter, name, c.ForeignKey.Name, def, c.ForeignKey.Comment)
		case *DropPrimaryKey:
			p.emit(fmt.Sprintf("%s DROP CONSTRAINT %s", alter, pgIdent(c.Key.Name)))
		case *DropUnique:
			p.emit(fmt.Sprintf("%s DROP CONSTRAINT %s", alter, pgIdent(c.Key.Name)))
		case *DropCheck:
			p.emit(fmt.Sprintf("%s DROP CONSTRAINT %s", alter, pgIdent(c.Check.Name)))
		case *DropExclusion:
			p.emit(fmt.Sprintf("%s DROP CONSTRAINT %s", alter, pgIdent(c.Exclusion.Name)))
		case *DropForeignKey:
			p.emit(fmt.Sprintf("%s DROP CONSTRAINT %s", alter, pgIdent(c.ForeignKey.Name)))
		case *AddIndex:
			// On a partitioned table, without ONLY: the index cascades
			// to the partitions, adopting a matching index of each.
			p.emit(pgIndexDef(tref(t.Schema, t.Name), c.Index, false))
			if c.Index.Comment != "" {
				p.emit(fmt.Sprintf("COMMENT ON INDEX %s IS %s", pgQualify(t.Schema, c.Index.Name), pgCommentText(c.Index.Comment)))
			}
		case *DropIndex:
			p.emit("DROP INDEX " + pgQualify(t.Schema, c.Index.Name))
		case *RenameIndex:
			p.emit(fmt.Sprintf("ALTER INDEX %s RENAME TO %s", pgQualify(t.Schema, c.From), pgIdent(c.To)))
		case *RenameConstraint:
			p.emit(fmt.Sprintf("%s RENAME CONSTRAINT %s TO %s", alter, pgIdent(c.From), pgIdent(c.To)))
		case *SetObjectComment:
			switch c.Kind {
			case "index":
				p.emit(fmt.Sprintf("COMMENT ON INDEX %s IS %s", pgQualify(t.Schema, c.Name), pgCommentText(c.To)))
			default:
				p.emit(fmt.Sprintf("COMMENT ON CONSTRAINT %s ON %s IS %s", pgIdent(c.Name), name, pgCommentText(c.To)))
			}
		case *SetTableComment:
			p.emit(fmt.Sprintf("COMMENT ON TABLE %s IS %s", name, pgCommentText(c.To)))
		case *SetTableOptions:
			p.setTableOptions(alter, name, label, c.From, c.To)
		default:
			return fmt.Errorf("autogen: PostgreSQL cannot render table change %T", tc)
		}
	}
	return nil
}

func (p *postgresChanges) addConstraint(alter, table, cname, def, comment string) {
	p.emit(fmt.Sprintf("%s\n    ADD CONSTRAINT %s %s", alter, pgIdent(cname), def))
	if comment != "" {
		p.emit(fmt.Sprintf("COMMENT ON CONSTRAINT %s ON %s IS %s", pgIdent(cname), table, pgCommentText(comment)))
	}
}

func (p *postgresChanges) addColumn(alter, table string, c *schema.Column, warning string) {
	p.warn(alter+" ADD COLUMN "+pgColumn(c), warning)
	col := pgIdent(c.Name)
	if c.Statistics > 0 {
		p.emit(fmt.Sprintf("%s ALTER COLUMN %s SET STATISTICS %d", alter, col, c.Statistics))
	}
	if c.Storage != "" {
		p.emit(fmt.Sprintf("%s ALTER COLUMN %s SET STORAGE %s", alter, col, c.Storage))
	}
	if c.Comment != "" {
		p.emit(fmt.Sprintf("COMMENT ON COLUMN %s.%s IS %s", table, col, pgCommentText(c.Comment)))
	}
}

// alterColumn changes column f into t, one ALTER per attribute, in an
// order that works: expression and identity dropped, default dropped
// before a type change and set after, NOT NULL, identity added.
func (p *postgresChanges) alterColumn(alter, table, label string, f, t *schema.Column) {
	col := pgIdent(t.Name)
	ac := alter + " ALTER COLUMN " + col
	full := label + "." + t.Name

	// Generated columns: PostgreSQL 17 changes the expression in place;
	// before, and to make a column generated, the column is dropped and
	// added again (its values are computed again; its indexes and
	// constraints go with it).
	if !sameGenerated(f.Generated, t.Generated) {
		switch {
		case f.Generated != nil && t.Generated == nil:
			p.emit(ac + " DROP EXPRESSION")
		case f.Generated != nil && t.Generated != nil && f.Generated.Stored == t.Generated.Stored && p.serverVersion() >= 170000:
			p.emit(fmt.Sprintf("%s SET EXPRESSION AS (%s)", ac, t.Generated.Expr))
		default:
			w := fmt.Sprintf("drops and adds generated column %s again (PostgreSQL before 17 cannot change its expression): its values are computed again, it moves to the end, indexes and constraints on it go", full)
			if f.Generated == nil {
				w = fmt.Sprintf("drops column %s and its data to add it as a generated column", full)
			}
			p.warn(fmt.Sprintf("%s DROP COLUMN %s", alter, col), w)
			p.addColumn(alter, table, t, "")
			return
		}
	}
	if f.Identity != nil && t.Identity == nil {
		p.emit(ac + " DROP IDENTITY")
	}
	typeChanges := f.Type != t.Type || f.Collation != t.Collation
	defaultChanges := !sameDefault(schema.Postgres, f, t)
	if f.Default != "" && (defaultChanges || typeChanges) && t.Generated == nil {
		if t.Default == "" || typeChanges {
			p.emit(ac + " DROP DEFAULT")
		}
	}
	if typeChanges {
		sql := ac + " TYPE " + t.Type
		if t.Collation != "" {
			sql += " COLLATE " + t.Collation
		}
		if pgNeedsUsing(f.Type, t.Type) {
			sql += " USING " + col + "::" + t.Type
		}
		w := ""
		if f.Type != t.Type && !pgWidens(f.Type, t.Type) {
			w = fmt.Sprintf("changes the type of %s from %s to %s: fails or loses data if a value does not fit", full, f.Type, t.Type)
		}
		p.warn(sql, w)
	}
	if t.Default != "" && t.Generated == nil && (defaultChanges || typeChanges && f.Default != "") {
		p.emit(ac + " SET DEFAULT " + t.Default)
	}
	if t.Identity == nil && f.NotNull != t.NotNull {
		if t.NotNull {
			p.warn(ac+" SET NOT NULL", fmt.Sprintf("sets NOT NULL on %s: fails if a row holds NULL", full))
		} else {
			p.emit(ac + " DROP NOT NULL")
		}
	}
	switch fi, ti := f.Identity, t.Identity; {
	case fi == nil && ti != nil:
		if !f.NotNull {
			p.warn(ac+" SET NOT NULL", fmt.Sprintf("sets NOT NULL on %s: fails if a row holds NULL", full))
		}
		var b strings.Builder
		b.WriteString(ac + " ADD GENERATED ")
		if ti.Always {
			b.WriteString("ALWAYS")
		} else {
			b.WriteString("BY DEFAULT")
		}
		b.WriteString(" AS IDENTITY (")
		sep := "\n        "
		if ti.SequenceName != "" {
			b.WriteString(sep + "SEQUENCE NAME " + pgQualify(ti.SequenceSchema, ti.SequenceName))
		}
		b.WriteString(pgSequenceOptions(&ti.SequenceOptions, false, sep))
		b.WriteString("\n    )")
		p.emit(b.String())
	case fi != nil && ti != nil:
		var steps []string
		if fi.Always != ti.Always {
			if ti.Always {
				steps = append(steps, "SET GENERATED ALWAYS")
			} else {
				steps = append(steps, "SET GENERATED BY DEFAULT")
			}
		}
		a, b := fi.SequenceOptions, ti.SequenceOptions
		if a.Increment != b.Increment {
			steps = append(steps, fmt.Sprintf("SET INCREMENT BY %d", b.Increment))
		}
		if a.Min != b.Min {
			steps = append(steps, fmt.Sprintf("SET MINVALUE %d", b.Min))
		}
		if a.Max != b.Max {
			steps = append(steps, fmt.Sprintf("SET MAXVALUE %d", b.Max))
		}
		if a.Start != b.Start {
			steps = append(steps, fmt.Sprintf("SET START WITH %d", b.Start))
		}
		if a.Cache != b.Cache {
			steps = append(steps, fmt.Sprintf("SET CACHE %d", b.Cache))
		}
		if a.Cycle != b.Cycle {
			if b.Cycle {
				steps = append(steps, "SET CYCLE")
			} else {
				steps = append(steps, "SET NO CYCLE")
			}
		}
		if len(steps) > 0 {
			p.emit(ac + " " + strings.Join(steps, " "))
		}
	}
	if f.Statistics != t.Statistics {
		n := t.Statistics
		if n == 0 {
			n = -1
		}
		p.emit(fmt.Sprintf("%s SET STATISTICS %d", ac, n))
	}
	if f.Storage != t.Storage {
		st := t.Storage
		if st == "" {
			st = p.defaultStorage(t.Type)
		}
		p.emit(ac + " SET STORAGE " + st)
	}
	if f.Compression != t.Compression {
		c := t.Compression
		if c == "" {
			c = "DEFAULT"
		}
		p.emit(ac + " SET COMPRESSION " + c)
	}
	if f.Comment != t.Comment {
		p.emit(fmt.Sprintf("COMMENT ON COLUMN %s.%s IS %s", table, col, pgCommentText(t.Comment)))
	}
}

// defaultStorage is what resets a column's storage to its type's: SET
// STORAGE DEFAULT from PostgreSQL 16; before, the usual default of the
// type (MAIN for numeric, EXTENDED for the other variable-length types).
func (p *postgresChanges) defaultStorage(typ string) string {
	if p.serverVersion() >= 160000 {
		return "DEFAULT"
	}
	if strings.HasPrefix(typ, "numeric") {
		return "MAIN"
	}
	return "EXTENDED"
}

var pgTypeArgs = regexp.MustCompile(`^([a-z ]+?)(?:\((\d+)(?:,(\d+))?\))?$`)

// pgTypeFamily names the group of types that convert into each other by
// assignment ("string", "number"), or "".
func pgTypeFamily(typ string) string {
	m := pgTypeArgs.FindStringSubmatch(typ)
	if m == nil {
		return ""
	}
	switch m[1] {
	case "text", "character varying", "character", "name":
		return "string"
	case "smallint", "integer", "bigint", "numeric", "real", "double precision":
		return "number"
	}
	return ""
}

// pgNeedsUsing reports whether ALTER COLUMN TYPE needs USING col::type
// (no assignment cast between the two).
func pgNeedsUsing(from, to string) bool {
	f := pgTypeFamily(from)
	return f == "" || f != pgTypeFamily(to)
}

// pgWidens reports a type change that keeps every value: to text, a
// longer or unbounded string, a wider integer or float, a numeric with more digits
// and the same scale.
func pgWidens(from, to string) bool {
	if to == "text" || to == "character varying" {
		return true // every value has a text form
	}
	f, t := pgTypeArgs.FindStringSubmatch(from), pgTypeArgs.FindStringSubmatch(to)
	if f == nil || t == nil {
		return false
	}
	n := func(s string) int { v, _ := strconv.Atoi(s); return v }
	switch f[1] {
	case "character varying", "character":
		switch t[1] {
		case "text":
			return true
		case "character varying":
			return t[2] == "" || f[2] != "" && n(t[2]) >= n(f[2])
		}
	case "text":
		return t[1] == "character varying" && t[2] == ""
	case "smallint":
		return slices.Contains([]string{"smallint", "integer", "bigint", "numeric"}, t[1]) && (t[1] != "numeric" || t[2] == "")
	case "integer":
		return slices.Contains([]string{"bigint", "numeric"}, t[1]) && (t[1] != "numeric" || t[2] == "")
	case "bigint":
		return t[1] == "numeric" && t[2] == ""
	case "real":
		return t[1] == "double precision"
	case "numeric":
		if t[1] != "numeric" {
			return false
		}
		if t[2] == "" {
			return true
		}
		return f[2] != "" && n(t[3]) == n(f[3]) && n(t[2]) >= n(f[2])
	}
	return false
}

// pgIndexDef is the CREATE INDEX statement of i on table: the index's
// definition with the index and table named as they are now (the
// definition names the table as it was when it was read), with ON ONLY
// when only is true and the definition has it.
func pgIndexDef(table schema.TableRef, i *schema.Index, only bool) string {
	def := i.Definition
	on := strings.Index(def, " ON ")
	using := strings.Index(def, " USING ")
	if on < 0 || using < on {
		return def
	}
	var b strings.Builder
	b.WriteString("CREATE ")
	if i.Unique {
		b.WriteString("UNIQUE ")
	}
	b.WriteString("INDEX " + pgIdent(i.Name) + " ON ")
	if only && strings.HasPrefix(def[on:], " ON ONLY ") {
		b.WriteString("ONLY ")
	}
	b.WriteString(pgQualify(table.Schema, table.Name))
	b.WriteString(def[using:])
	return b.String()
}

// setTableOptions renders the table-level settings that differ between
// f and t.
func (p *postgresChanges) setTableOptions(alter, table, label string, f, t *schema.Table) {
	// Partition bound and inheritance first: a detached table is free.
	if !samePartition(f.PartitionOf, t.PartitionOf) {
		if po := f.PartitionOf; po != nil {
			p.emit(fmt.Sprintf("ALTER TABLE %s DETACH PARTITION %s", pgQualify(po.Schema, po.Table), table))
		}
		if po := t.PartitionOf; po != nil {
			p.warn(fmt.Sprintf("ALTER TABLE %s ATTACH PARTITION %s %s", pgQualify(po.Schema, po.Table), table, po.Bound),
				fmt.Sprintf("attaches %s as a partition: fails if a row is outside the bound", label))
		}
	}
	for _, in := range f.Inherits {
		if !slices.ContainsFunc(t.Inherits, func(x *schema.TableRef) bool { return *x == *in }) {
			p.emit(fmt.Sprintf("%s NO INHERIT %s", alter, pgQualify(in.Schema, in.Name)))
		}
	}
	for _, in := range t.Inherits {
		if !slices.ContainsFunc(f.Inherits, func(x *schema.TableRef) bool { return *x == *in }) {
			p.emit(fmt.Sprintf("%s INHERIT %s", alter, pgQualify(in.Schema, in.Name)))
		}
	}
	if f.Unlogged != t.Unlogged {
		if t.Unlogged {
			p.emit(alter + " SET UNLOGGED")
		} else {
			p.emit(alter + " SET LOGGED")
		}
	}
	if !sameSet(f.Options, t.Options) {
		var reset []string
		for _, o := range f.Options {
			k, _, _ := strings.Cut(o, "=")
			if !slices.ContainsFunc(t.Options, func(x string) bool { return strings.HasPrefix(x, k+"=") }) {
				reset = append(reset, k)
			}
		}
		if len(reset) > 0 {
			p.emit(fmt.Sprintf("%s RESET (%s)", alter, strings.Join(reset, ", ")))
		}
		var set []string
		for _, o := range t.Options {
			if !slices.Contains(f.Options, o) {
				set = append(set, o)
			}
		}
		if len(set) > 0 {
			p.emit(fmt.Sprintf("%s SET (%s)", alter, strings.Join(set, ", ")))
		}
	}
	if f.RowSecurity != t.RowSecurity {
		if t.RowSecurity {
			p.emit(alter + " ENABLE ROW LEVEL SECURITY")
		} else {
			p.emit(alter + " DISABLE ROW LEVEL SECURITY")
		}
	}
	if f.ForceRowSecurity != t.ForceRowSecurity {
		if t.ForceRowSecurity {
			p.emit(alter + " FORCE ROW LEVEL SECURITY")
		} else {
			p.emit(alter + " NO FORCE ROW LEVEL SECURITY")
		}
	}
	// Policies, statistics and rules: a changed one is dropped and
	// created again.
	for _, fp := range f.Policies {
		i := slices.IndexFunc(t.Policies, func(x *schema.Policy) bool { return x.Name == fp.Name })
		if i < 0 || !samePolicy(withComment(fp, ""), withComment(t.Policies[i], "")) {
			p.emit(fmt.Sprintf("DROP POLICY %s ON %s", pgIdent(fp.Name), table))
		}
	}
	for _, tp := range t.Policies {
		i := slices.IndexFunc(f.Policies, func(x *schema.Policy) bool { return x.Name == tp.Name })
		if i < 0 || !samePolicy(withComment(f.Policies[i], ""), withComment(tp, "")) {
			p.emit(pgCreatePolicy(table, tp))
			if tp.Comment != "" {
				p.emit(fmt.Sprintf("COMMENT ON POLICY %s ON %s IS %s", pgIdent(tp.Name), table, pgCommentText(tp.Comment)))
			}
		} else if f.Policies[i].Comment != tp.Comment {
			p.emit(fmt.Sprintf("COMMENT ON POLICY %s ON %s IS %s", pgIdent(tp.Name), table, pgCommentText(tp.Comment)))
		}
	}
	if f.ReplicaIdentity != t.ReplicaIdentity || f.ReplicaIdentityIndex != t.ReplicaIdentityIndex {
		switch t.ReplicaIdentity {
		case "":
			p.emit(alter + " REPLICA IDENTITY DEFAULT")
		case "INDEX":
			p.emit(fmt.Sprintf("%s REPLICA IDENTITY USING INDEX %s", alter, pgIdent(t.ReplicaIdentityIndex)))
		default:
			p.emit(alter + " REPLICA IDENTITY " + t.ReplicaIdentity)
		}
	}
	if f.ClusterOn != t.ClusterOn {
		if t.ClusterOn == "" {
			p.emit(alter + " SET WITHOUT CLUSTER")
		} else {
			p.emit(fmt.Sprintf("%s CLUSTER ON %s", alter, pgIdent(t.ClusterOn)))
		}
	}
	for _, fx := range f.Statistics {
		i := slices.IndexFunc(t.Statistics, func(x *schema.Statistics) bool { return x.Schema == fx.Schema && x.Name == fx.Name })
		if i < 0 || !sameText(fx.Definition, t.Statistics[i].Definition) {
			p.emit("DROP STATISTICS " + pgQualify(fx.Schema, fx.Name))
		}
	}
	for _, tx := range t.Statistics {
		sname := pgQualify(tx.Schema, tx.Name)
		i := slices.IndexFunc(f.Statistics, func(x *schema.Statistics) bool { return x.Schema == tx.Schema && x.Name == tx.Name })
		created := i < 0 || !sameText(f.Statistics[i].Definition, tx.Definition)
		if created {
			p.emit(strings.TrimRight(tx.Definition, " ;\n"))
		}
		if created && tx.Target > 0 || !created && f.Statistics[i].Target != tx.Target {
			n := tx.Target
			if n == 0 {
				n = -1
			}
			p.emit(fmt.Sprintf("ALTER STATISTICS %s SET STATISTICS %d", sname, n))
		}
		if created && tx.Comment != "" || !created && f.Statistics[i].Comment != tx.Comment {
			p.emit(fmt.Sprintf("COMMENT ON STATISTICS %s IS %s", sname, pgCommentText(tx.Comment)))
		}
	}
	for _, fr := range f.Rules {
		i := slices.IndexFunc(t.Rules, func(x *schema.Rule) bool { return x.Name == fr.Name })
		if i < 0 || !sameText(fr.Definition, t.Rules[i].Definition) {
			p.emit(fmt.Sprintf("DROP RULE %s ON %s", pgIdent(fr.Name), table))
		}
	}
	for _, tr := range t.Rules {
		i := slices.IndexFunc(f.Rules, func(x *schema.Rule) bool { return x.Name == tr.Name })
		created := i < 0 || !sameText(f.Rules[i].Definition, tr.Definition)
		if created {
			p.emit(strings.TrimRight(tr.Definition, " ;\n"))
		}
		if created && tr.Enabled != "" || !created && f.Rules[i].Enabled != tr.Enabled {
			switch tr.Enabled {
			case "D":
				p.emit(fmt.Sprintf("%s DISABLE RULE %s", alter, pgIdent(tr.Name)))
			case "R":
				p.emit(fmt.Sprintf("%s ENABLE REPLICA RULE %s", alter, pgIdent(tr.Name)))
			case "A":
				p.emit(fmt.Sprintf("%s ENABLE ALWAYS RULE %s", alter, pgIdent(tr.Name)))
			default:
				p.emit(fmt.Sprintf("%s ENABLE RULE %s", alter, pgIdent(tr.Name)))
			}
		}
		if created && tr.Comment != "" || !created && f.Rules[i].Comment != tr.Comment {
			p.emit(fmt.Sprintf("COMMENT ON RULE %s ON %s IS %s", pgIdent(tr.Name), table, pgCommentText(tr.Comment)))
		}
	}
}

func samePartition(a, b *schema.Partition) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Schema == b.Schema && a.Table == b.Table && sameText(a.Bound, b.Bound)
}

func withComment(p *schema.Policy, c string) *schema.Policy {
	x := *p
	x.Comment = c
	return &x
}
