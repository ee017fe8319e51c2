package autogen

import (
	"fmt"
	"strings"

	"github.com/migratehq/migrate/internal/sqlident"
	"github.com/migratehq/migrate/schema"
)

// The PostgreSQL dialect writes the statements pg_dump would write for the
// same objects, in the same spirit: tables with their columns and checks,
// partitions as tables attached with ALTER TABLE ... ATTACH PARTITION, keys
// and foreign keys added with ALTER TABLE ONLY once every table exists,
// partition indexes attached to their parent's. Names are always schema
// qualified; expressions, types and definitions are written as the model
// holds them (for an introspected schema: as the server deparsed them with
// search_path = pg_catalog, hence qualified too).
type postgresDialect struct {
	s *schema.Schema
}

var _ dialect = (*postgresDialect)(nil)

func (d *postgresDialect) prelude(s *schema.Schema) []string {
	d.s = s
	for _, f := range s.Functions {
		if f.FromExtension == "" {
			// Function bodies may use tables created later (pg_dump does
			// the same).
			return []string{"SET check_function_bodies = false"}
		}
	}
	return nil
}

func (d *postgresDialect) createObject(o any) ([]string, error) {
	switch o := o.(type) {
	case *schema.Namespace:
		return pgCreateNamespace(o), nil
	case *schema.Extension:
		out := []string{fmt.Sprintf("CREATE EXTENSION IF NOT EXISTS %s WITH SCHEMA %s", pgIdent(o.Name), pgIdent(o.Schema))}
		return appendComment(out, "EXTENSION", pgIdent(o.Name), o.Comment), nil
	case *schema.Collation:
		return pgCreateCollation(o), nil
	case *schema.TextSearchConfig:
		name := pgQualify(o.Schema, o.Name)
		out := []string{fmt.Sprintf("CREATE TEXT SEARCH CONFIGURATION %s (\n    PARSER = %s )", name, o.Parser)}
		for _, m := range o.Mappings {
			out = append(out, fmt.Sprintf("ALTER TEXT SEARCH CONFIGURATION %s\n    ADD MAPPING FOR %s WITH %s",
				name, m.TokenType, strings.Join(m.Dictionaries, ", ")))
		}
		return appendComment(out, "TEXT SEARCH CONFIGURATION", name, o.Comment), nil
	case *schema.Enum:
		vals := make([]string, len(o.Values))
		for i, v := range o.Values {
			vals[i] = pgLiteral(v)
		}
		name := pgQualify(o.Schema, o.Name)
		out := []string{fmt.Sprintf("CREATE TYPE %s AS ENUM (\n    %s\n)", name, strings.Join(vals, ",\n    "))}
		return appendComment(out, "TYPE", name, o.Comment), nil
	case *schema.Domain:
		return pgCreateDomain(o), nil
	case *schema.Type:
		return pgCreateType(o)
	case *schema.Sequence:
		name := pgQualify(o.Schema, o.Name)
		out := []string{"CREATE SEQUENCE " + name + pgSequenceOptions(&o.SequenceOptions, true, "\n    ")}
		return appendComment(out, "SEQUENCE", name, o.Comment), nil
	case *schema.Function:
		return pgCreateFunction(o), nil
	default:
		return nil, fmt.Errorf("autogen: PostgreSQL cannot render %T", o)
	}
}

func pgCreateNamespace(n *schema.Namespace) []string {
	name := pgIdent(n.Name)
	if n.Name == "public" {
		// Every database has it, with this comment.
		if n.Comment == "standard public schema" {
			return nil
		}
		return []string{fmt.Sprintf("COMMENT ON SCHEMA public IS %s", pgCommentText(n.Comment))}
	}
	return appendComment([]string{"CREATE SCHEMA " + name}, "SCHEMA", name, n.Comment)
}

func pgCreateCollation(c *schema.Collation) []string {
	name := pgQualify(c.Schema, c.Name)
	var opts []string
	switch c.Provider {
	case "icu":
		opts = append(opts, "provider = icu", "locale = "+pgLiteral(c.Locale))
	case "builtin":
		opts = append(opts, "provider = builtin", "locale = "+pgLiteral(c.Locale))
	default:
		opts = append(opts, "provider = libc")
		if c.LcCollate == c.LcCtype {
			opts = append(opts, "locale = "+pgLiteral(c.LcCollate))
		} else {
			opts = append(opts, "lc_collate = "+pgLiteral(c.LcCollate), "lc_ctype = "+pgLiteral(c.LcCtype))
		}
	}
	if !c.Deterministic {
		opts = append(opts, "deterministic = false")
	}
	out := []string{fmt.Sprintf("CREATE COLLATION %s (%s)", name, strings.Join(opts, ", "))}
	return appendComment(out, "COLLATION", name, c.Comment)
}

func pgCreateDomain(d *schema.Domain) []string {
	name := pgQualify(d.Schema, d.Name)
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE DOMAIN %s AS %s", name, d.Type)
	if d.Collation != "" {
		b.WriteString(" COLLATE " + d.Collation)
	}
	if d.Default != "" {
		b.WriteString(" DEFAULT " + d.Default)
	}
	if d.NotNull {
		b.WriteString(" NOT NULL")
	}
	var later []string
	for _, c := range d.Checks {
		def := pgCheckDef(c)
		if c.NotValid {
			later = append(later, fmt.Sprintf("ALTER DOMAIN %s\n    ADD CONSTRAINT %s %s", name, pgIdent(c.Name), def))
			continue
		}
		fmt.Fprintf(&b, "\n    CONSTRAINT %s %s", pgIdent(c.Name), def)
	}
	out := append([]string{b.String()}, later...)
	out = appendComment(out, "DOMAIN", name, d.Comment)
	for _, c := range d.Checks {
		out = appendComment(out, "CONSTRAINT", pgIdent(c.Name)+" ON DOMAIN "+name, c.Comment)
	}
	return out
}

// pgCheckDef is the CHECK clause of c, NOT VALID included when it is not
// valid.
func pgCheckDef(c *schema.Check) string {
	if c.Definition != "" {
		return c.Definition
	}
	def := "CHECK (" + c.Expr + ")"
	if c.NoInherit {
		def += " NO INHERIT"
	}
	if c.NotValid {
		def += " NOT VALID"
	}
	return def
}

func pgCreateType(t *schema.Type) ([]string, error) {
	name := pgQualify(t.Schema, t.Name)
	var out []string
	switch t.Kind {
	case "composite":
		var attrs []string
		for _, a := range t.Attributes {
			s := pgIdent(a.Name) + " " + a.Type
			if a.Collation != "" {
				s += " COLLATE " + a.Collation
			}
			attrs = append(attrs, s)
		}
		out = append(out, fmt.Sprintf("CREATE TYPE %s AS (\n    %s\n)", name, strings.Join(attrs, ",\n    ")))
		out = appendComment(out, "TYPE", name, t.Comment)
		for _, a := range t.Attributes {
			out = appendComment(out, "COLUMN", name+"."+pgIdent(a.Name), a.Comment)
		}
		return out, nil
	case "range":
		out = append(out, fmt.Sprintf("CREATE TYPE %s AS %s", name, t.Definition))
		return appendComment(out, "TYPE", name, t.Comment), nil
	}
	return nil, fmt.Errorf("autogen: type %s has unknown kind %q", name, t.Kind)
}

// pgSequenceOptions writes every option explicitly, so the result does not
// depend on the server's defaults.
func pgSequenceOptions(o *schema.SequenceOptions, withType bool, sep string) string {
	var b strings.Builder
	if withType && o.Type != "" && o.Type != "bigint" {
		b.WriteString(sep + "AS " + o.Type)
	}
	fmt.Fprintf(&b, "%sSTART WITH %d%sINCREMENT BY %d%sMINVALUE %d%sMAXVALUE %d%sCACHE %d",
		sep, o.Start, sep, o.Increment, sep, o.Min, sep, o.Max, sep, o.Cache)
	if o.Cycle {
		b.WriteString(sep + "CYCLE")
	}
	return b.String()
}

var pgFunctionKeyword = map[string]string{
	schema.KindFunction:  "FUNCTION",
	schema.KindWindow:    "FUNCTION",
	schema.KindProcedure: "PROCEDURE",
	schema.KindAggregate: "AGGREGATE",
}

func pgCreateFunction(f *schema.Function) []string {
	out := []string{strings.TrimRight(f.Definition, " \t\n;")}
	args := f.Args
	if f.Kind == schema.KindAggregate && args == "" {
		args = "*"
	}
	return appendComment(out, pgFunctionKeyword[f.Kind], fmt.Sprintf("%s(%s)", pgQualify(f.Schema, f.Name), args), f.Comment)
}

func (d *postgresDialect) createTable(t *schema.Table) ([]string, error) {
	name := pgQualify(t.Schema, t.Name)
	partition := t.PartitionOf != nil
	var lines []string
	for _, c := range t.Columns {
		if c.Inherited && !partition {
			continue // comes from the parent (INHERITS)
		}
		lines = append(lines, pgColumn(c))
	}
	var later []string
	for _, c := range t.Checks {
		if c.Inherited && !partition {
			continue
		}
		if c.NotValid {
			later = append(later, fmt.Sprintf("ALTER TABLE %s\n    ADD CONSTRAINT %s %s", name, pgIdent(c.Name), pgCheckDef(c)))
			continue
		}
		lines = append(lines, fmt.Sprintf("CONSTRAINT %s %s", pgIdent(c.Name), pgCheckDef(c)))
	}
	var b strings.Builder
	b.WriteString("CREATE ")
	if t.Unlogged {
		b.WriteString("UNLOGGED ")
	}
	b.WriteString("TABLE " + name + " (")
	if len(lines) > 0 {
		b.WriteString("\n    " + strings.Join(lines, ",\n    ") + "\n")
	}
	b.WriteString(")")
	if len(t.Inherits) > 0 {
		var ps []string
		for _, p := range t.Inherits {
			ps = append(ps, pgQualify(p.Schema, p.Name))
		}
		b.WriteString("\nINHERITS (" + strings.Join(ps, ", ") + ")")
	}
	if t.PartitionBy != "" {
		b.WriteString("\nPARTITION BY " + t.PartitionBy)
	}
	if len(t.Options) > 0 {
		b.WriteString("\nWITH (" + strings.Join(t.Options, ", ") + ")")
	}
	out := []string{b.String()}
	if p := t.PartitionOf; p != nil {
		out = append(out, fmt.Sprintf("ALTER TABLE ONLY %s ATTACH PARTITION %s %s", pgQualify(p.Schema, p.Table), name, p.Bound))
	}
	out = append(out, later...)
	for _, c := range t.Columns {
		if c.Statistics > 0 {
			out = append(out, fmt.Sprintf("ALTER TABLE ONLY %s ALTER COLUMN %s SET STATISTICS %d", name, pgIdent(c.Name), c.Statistics))
		}
		if c.Storage != "" {
			out = append(out, fmt.Sprintf("ALTER TABLE ONLY %s ALTER COLUMN %s SET STORAGE %s", name, pgIdent(c.Name), c.Storage))
		}
	}
	if t.ReplicaIdentity == "FULL" || t.ReplicaIdentity == "NOTHING" {
		out = append(out, fmt.Sprintf("ALTER TABLE ONLY %s REPLICA IDENTITY %s", name, t.ReplicaIdentity))
	}
	if t.RowSecurity {
		out = append(out, "ALTER TABLE "+name+" ENABLE ROW LEVEL SECURITY")
	}
	if t.ForceRowSecurity {
		out = append(out, "ALTER TABLE "+name+" FORCE ROW LEVEL SECURITY")
	}
	out = appendComment(out, "TABLE", name, t.Comment)
	for _, c := range t.Columns {
		out = appendComment(out, "COLUMN", name+"."+pgIdent(c.Name), c.Comment)
	}
	for _, c := range t.Checks {
		out = appendComment(out, "CONSTRAINT", pgIdent(c.Name)+" ON "+name, c.Comment)
	}
	return out, nil
}

func pgColumn(c *schema.Column) string {
	var b strings.Builder
	b.WriteString(pgIdent(c.Name) + " " + c.Type)
	if c.Compression != "" {
		b.WriteString(" COMPRESSION " + c.Compression)
	}
	if c.Collation != "" {
		b.WriteString(" COLLATE " + c.Collation)
	}
	if g := c.Generated; g != nil {
		b.WriteString(" GENERATED ALWAYS AS (" + g.Expr + ")")
		if g.Stored {
			b.WriteString(" STORED")
		}
	} else if c.Default != "" {
		b.WriteString(" DEFAULT " + c.Default)
	}
	if c.NotNull {
		b.WriteString(" NOT NULL")
	}
	if id := c.Identity; id != nil {
		b.WriteString(" GENERATED ")
		if id.Always {
			b.WriteString("ALWAYS")
		} else {
			b.WriteString("BY DEFAULT")
		}
		b.WriteString(" AS IDENTITY (")
		sep := "\n        "
		if id.SequenceName != "" {
			b.WriteString(sep + "SEQUENCE NAME " + pgQualify(id.SequenceSchema, id.SequenceName))
		}
		b.WriteString(pgSequenceOptions(&id.SequenceOptions, false, sep))
		b.WriteString("\n    )")
	}
	return b.String()
}

func (d *postgresDialect) createView(v *schema.View) ([]string, error) {
	name := pgQualify(v.Schema, v.Name)
	kind := "VIEW"
	if v.Materialized {
		kind = "MATERIALIZED VIEW"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE %s %s", kind, name)
	if len(v.Options) > 0 {
		b.WriteString(" WITH (" + strings.Join(v.Options, ", ") + ")")
	}
	b.WriteString(" AS\n" + strings.TrimRight(v.Definition, " \n;"))
	if v.CheckOption != "" {
		b.WriteString("\n  WITH " + v.CheckOption + " CHECK OPTION")
	}
	out := appendComment([]string{b.String()}, kind, name, v.Comment)
	for _, c := range v.Columns {
		out = appendComment(out, "COLUMN", name+"."+pgIdent(c.Name), c.Comment)
	}
	return out, nil
}

func (d *postgresDialect) createKeys(t *schema.Table) ([]string, error) {
	name := pgQualify(t.Schema, t.Name)
	var out []string
	add := func(cname, def, parent, comment string) {
		out = append(out, fmt.Sprintf("ALTER TABLE ONLY %s\n    ADD CONSTRAINT %s %s", name, pgIdent(cname), def))
		out = d.attach(out, t, parent, cname)
		out = appendComment(out, "CONSTRAINT", pgIdent(cname)+" ON "+name, comment)
	}
	if k := t.PrimaryKey; k != nil {
		add(k.Name, pgKeyDef("PRIMARY KEY", k), k.Parent, k.Comment)
	}
	for _, k := range t.Uniques {
		add(k.Name, pgKeyDef("UNIQUE", k), k.Parent, k.Comment)
	}
	for _, x := range t.Exclusions {
		add(x.Name, x.Definition, x.Parent, x.Comment)
	}
	// Policies may query other tables and views: they come here too.
	for _, p := range t.Policies {
		out = append(out, pgCreatePolicy(name, p))
		out = appendComment(out, "POLICY", pgIdent(p.Name)+" ON "+name, p.Comment)
	}
	return out, nil
}

func pgCreatePolicy(table string, p *schema.Policy) string {
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE POLICY %s ON %s", pgIdent(p.Name), table)
	if !p.Permissive {
		b.WriteString(" AS RESTRICTIVE")
	}
	if p.Command != "" && p.Command != "ALL" {
		b.WriteString(" FOR " + p.Command)
	}
	if len(p.Roles) > 0 {
		b.WriteString(" TO " + pgIdentList(p.Roles))
	}
	if p.Using != "" {
		b.WriteString(" USING (" + p.Using + ")")
	}
	if p.WithCheck != "" {
		b.WriteString(" WITH CHECK (" + p.WithCheck + ")")
	}
	return b.String()
}

// attach attaches index child of partition t to the parent's index.
func (d *postgresDialect) attach(out []string, t *schema.Table, parent, child string) []string {
	if parent == "" || t.PartitionOf == nil {
		return out
	}
	return append(out, fmt.Sprintf("ALTER INDEX %s ATTACH PARTITION %s",
		pgQualify(t.PartitionOf.Schema, parent), pgQualify(t.Schema, child)))
}

func pgKeyDef(kind string, k *schema.Key) string {
	if k.Definition != "" {
		return k.Definition
	}
	def := kind
	if k.NullsNotDistinct {
		def += " NULLS NOT DISTINCT"
	}
	def += " (" + pgIdentList(k.Columns) + ")"
	if len(k.Include) > 0 {
		def += " INCLUDE (" + pgIdentList(k.Include) + ")"
	}
	if k.Deferrable {
		def += " DEFERRABLE"
		if k.InitiallyDeferred {
			def += " INITIALLY DEFERRED"
		}
	}
	return def
}

func (d *postgresDialect) createIndex(owner schema.TableRef, i *schema.Index) ([]string, error) {
	if i.Definition == "" {
		return nil, fmt.Errorf("autogen: index %s of %s.%s has no definition", i.Name, owner.Schema, owner.Name)
	}
	out := []string{i.Definition}
	if i.Parent != "" && d.s != nil {
		if t := d.s.Table(owner.Schema, owner.Name); t != nil {
			out = d.attach(out, t, i.Parent, i.Name)
		}
	}
	return appendComment(out, "INDEX", pgQualify(owner.Schema, i.Name), i.Comment), nil
}

func (d *postgresDialect) createForeignKeys(t *schema.Table) ([]string, error) {
	name := pgQualify(t.Schema, t.Name)
	only := "ONLY "
	if t.PartitionBy != "" {
		only = "" // foreign keys of a partitioned table cascade to its partitions
	}
	var out []string
	for _, fk := range t.ForeignKeys {
		def := fk.Definition
		if def == "" {
			def = pgForeignKeyDef(fk)
		}
		out = append(out, fmt.Sprintf("ALTER TABLE %s%s\n    ADD CONSTRAINT %s %s", only, name, pgIdent(fk.Name), def))
		out = appendComment(out, "CONSTRAINT", pgIdent(fk.Name)+" ON "+name, fk.Comment)
	}
	return out, nil
}

func pgForeignKeyDef(fk *schema.ForeignKey) string {
	def := fmt.Sprintf("FOREIGN KEY (%s) REFERENCES %s(%s)", pgIdentList(fk.Columns),
		pgQualify(fk.RefSchema, fk.RefTable), pgIdentList(fk.RefColumns))
	if fk.Match != "" {
		def += " MATCH " + fk.Match
	}
	if fk.OnUpdate != "" && fk.OnUpdate != schema.NoAction {
		def += " ON UPDATE " + fk.OnUpdate
	}
	if fk.OnDelete != "" && fk.OnDelete != schema.NoAction {
		def += " ON DELETE " + fk.OnDelete
	}
	if fk.Deferrable {
		def += " DEFERRABLE"
		if fk.InitiallyDeferred {
			def += " INITIALLY DEFERRED"
		}
	}
	if fk.NotValid {
		def += " NOT VALID"
	}
	return def
}

func (d *postgresDialect) createTrigger(tr *schema.Trigger) ([]string, error) {
	table := pgQualify(tr.Schema, tr.Table)
	out := []string{tr.Definition}
	switch tr.Enabled {
	case "D":
		out = append(out, fmt.Sprintf("ALTER TABLE %s DISABLE TRIGGER %s", table, pgIdent(tr.Name)))
	case "R":
		out = append(out, fmt.Sprintf("ALTER TABLE %s ENABLE REPLICA TRIGGER %s", table, pgIdent(tr.Name)))
	case "A":
		out = append(out, fmt.Sprintf("ALTER TABLE %s ENABLE ALWAYS TRIGGER %s", table, pgIdent(tr.Name)))
	}
	return appendComment(out, "TRIGGER", pgIdent(tr.Name)+" ON "+table, tr.Comment), nil
}

func (d *postgresDialect) finish(s *schema.Schema) ([]string, error) {
	var out []string
	// What needs an index (CLUSTER ON, REPLICA IDENTITY USING INDEX), and
	// extended statistics and rules, which may use any table.
	for _, t := range s.Tables {
		if t.FromExtension != "" {
			continue
		}
		name := pgQualify(t.Schema, t.Name)
		if t.ClusterOn != "" {
			out = append(out, fmt.Sprintf("ALTER TABLE %s CLUSTER ON %s", name, pgIdent(t.ClusterOn)))
		}
		if t.ReplicaIdentity == "INDEX" {
			out = append(out, fmt.Sprintf("ALTER TABLE ONLY %s REPLICA IDENTITY USING INDEX %s", name, pgIdent(t.ReplicaIdentityIndex)))
		}
		for _, x := range t.Statistics {
			sname := pgQualify(x.Schema, x.Name)
			out = append(out, strings.TrimRight(x.Definition, " ;\n"))
			if x.Target > 0 {
				out = append(out, fmt.Sprintf("ALTER STATISTICS %s SET STATISTICS %d", sname, x.Target))
			}
			out = appendComment(out, "STATISTICS", sname, x.Comment)
		}
		for _, r := range t.Rules {
			out = append(out, strings.TrimRight(r.Definition, " ;\n"))
			switch r.Enabled {
			case "D":
				out = append(out, fmt.Sprintf("ALTER TABLE %s DISABLE RULE %s", name, pgIdent(r.Name)))
			case "R":
				out = append(out, fmt.Sprintf("ALTER TABLE %s ENABLE REPLICA RULE %s", name, pgIdent(r.Name)))
			case "A":
				out = append(out, fmt.Sprintf("ALTER TABLE %s ENABLE ALWAYS RULE %s", name, pgIdent(r.Name)))
			}
			out = appendComment(out, "RULE", pgIdent(r.Name)+" ON "+name, r.Comment)
		}
	}
	for _, q := range s.Sequences {
		if q.FromExtension != "" || q.OwnedBy == nil {
			continue
		}
		o := q.OwnedBy
		out = append(out, fmt.Sprintf("ALTER SEQUENCE %s OWNED BY %s.%s",
			pgQualify(q.Schema, q.Name), pgQualify(o.Schema, o.Table), pgIdent(o.Column)))
	}
	return out, nil
}

func appendComment(out []string, kind, target, comment string) []string {
	if comment == "" {
		return out
	}
	return append(out, fmt.Sprintf("COMMENT ON %s %s IS %s", kind, target, pgCommentText(comment)))
}

func pgCommentText(s string) string {
	if s == "" {
		return "NULL"
	}
	return pgLiteral(s)
}

// pgLiteral quotes s as a string literal; a backslash makes it an
// escape-string literal (E'...') so the text is the same whatever standard_conforming_strings is.
func pgLiteral(s string) string {
	if strings.Contains(s, `\`) {
		return "E'" + strings.NewReplacer(`\`, `\\`, `'`, `''`).Replace(s) + "'"
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

func pgQualify(nsp, name string) string {
	if nsp == "" {
		return pgIdent(name)
	}
	return pgIdent(nsp) + "." + pgIdent(name)
}

func pgIdentList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = pgIdent(n)
	}
	return strings.Join(q, ", ")
}

// pgIdent quotes an identifier when PostgreSQL needs it quoted; see
// sqlident.QuotePostgres.
func pgIdent(s string) string { return sqlident.QuotePostgres(s) }
