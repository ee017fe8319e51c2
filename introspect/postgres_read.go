package introspect

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/migratehq/migrate/internal/sqlident"
	"github.com/migratehq/migrate/schema"
)

func (st *pgState) readExtMembers(ctx context.Context, q Querier) error {
	return st.each(ctx, q, pgExtMembersQuery, func(r *sql.Rows) error {
		var catalog, ext string
		var oid uint32
		if err := r.Scan(&catalog, &oid, &ext); err != nil {
			return err
		}
		m := st.ext[catalog]
		if m == nil {
			m = map[uint32]string{}
			st.ext[catalog] = m
		}
		m[oid] = ext
		return nil
	})
}

func (st *pgState) readExtensions(ctx context.Context, q Querier) error {
	return st.each(ctx, q, pgExtensionsQuery, func(r *sql.Rows) error {
		e := &schema.Extension{}
		var requires string
		if err := r.Scan(&e.Name, &e.Schema, &e.Version, &e.Comment, &requires); err != nil {
			return err
		}
		if err := decodeJSON(requires, &e.Requires); err != nil {
			return err
		}
		st.s.Extensions = append(st.s.Extensions, e)
		return nil
	})
}

func (st *pgState) readCollations(ctx context.Context, q Querier) error {
	locale := "''"
	switch {
	case st.version >= 170000:
		locale = "coalesce(co.colllocale, '')"
	case st.version >= 150000:
		locale = "coalesce(co.colliculocale, '')"
	}
	return st.each(ctx, q, fmt.Sprintf(pgCollationsQuery, locale), func(r *sql.Rows) error {
		var oid uint32
		var provider string
		c := &schema.Collation{}
		if err := r.Scan(&oid, &c.Schema, &c.Name, &provider, &c.Deterministic, &c.LcCollate, &c.LcCtype,
			&c.Locale, &c.Version, &c.Comment); err != nil {
			return err
		}
		switch provider {
		case "c":
			c.Provider = "libc"
		case "i":
			c.Provider = "icu"
		case "b":
			c.Provider = "builtin"
		default:
			c.Provider = "default"
		}
		c.FromExtension = st.extOf("pg_collation", oid)
		st.s.Collations = append(st.s.Collations, c)
		return nil
	})
}

func (st *pgState) readTSConfigs(ctx context.Context, q Querier) error {
	return st.each(ctx, q, pgTSConfigsQuery, func(r *sql.Rows) error {
		var oid uint32
		var mapping, parserType string
		c := &schema.TextSearchConfig{}
		if err := r.Scan(&oid, &c.Schema, &c.Name, &parserType, &c.Comment, &mapping, &c.Parser); err != nil {
			return err
		}
		var m [][]any
		if err := decodeJSON(mapping, &m); err != nil {
			return err
		}
		for _, row := range m {
			tm := &schema.TextSearchMapping{TokenType: fmt.Sprint(row[0])}
			if ds, ok := row[1].([]any); ok {
				for _, d := range ds {
					tm.Dictionaries = append(tm.Dictionaries, fmt.Sprint(d))
				}
			}
			c.Mappings = append(c.Mappings, tm)
		}
		c.FromExtension = st.extOf("pg_ts_config", oid)
		st.s.TextSearchConfigs = append(st.s.TextSearchConfigs, c)
		return nil
	})
}

func (st *pgState) readTypes(ctx context.Context, q Querier) error {
	multirange := "''"
	if st.version >= 140000 {
		multirange = "CASE WHEN t.typtype = 'r' THEN coalesce(format_type(r.rngmultitypid, NULL), '') ELSE '' END"
	}
	return st.each(ctx, q, fmt.Sprintf(pgTypesQuery, multirange), func(r *sql.Rows) error {
		var (
			oid, typrelid                                   uint32
			nsp, name, kind, comment                        string
			labels, checks                                  sql.NullString
			base, def, coll                                 string
			notNull                                         bool
			subtype, opclass, rcoll, canonical, subdiff, mr string
		)
		if err := r.Scan(&oid, &nsp, &name, &kind, &comment, &labels, &base, &notNull, &def, &coll, &checks,
			&typrelid, &subtype, &opclass, &rcoll, &canonical, &subdiff, &mr); err != nil {
			return err
		}
		ext := st.extOf("pg_type", oid)
		st.types[oid] = &schema.ObjectRef{Kind: schema.ObjectType, Schema: nsp, Name: name}
		switch kind {
		case "e":
			e := &schema.Enum{Schema: nsp, Name: name, Comment: comment, FromExtension: ext}
			if err := decodeJSON(labels.String, &e.Values); err != nil {
				return err
			}
			st.s.Enums = append(st.s.Enums, e)
		case "d":
			d := &schema.Domain{Schema: nsp, Name: name, Type: base, NotNull: notNull, Default: def,
				Collation: coll, Comment: comment, FromExtension: ext}
			var cs [][]any
			if err := decodeJSON(checks.String, &cs); err != nil {
				return err
			}
			for _, c := range cs {
				valid, _ := c[3].(bool)
				d.Checks = append(d.Checks, &schema.Check{Name: fmt.Sprint(c[0]), Definition: fmt.Sprint(c[1]),
					Expr: fmt.Sprint(c[2]), NotValid: !valid, Comment: fmt.Sprint(c[4])})
			}
			st.typeDeps[oid] = &d.DependsOn
			st.s.Domains = append(st.s.Domains, d)
		case "c":
			t := &schema.Type{Schema: nsp, Name: name, Kind: "composite", Comment: comment, FromExtension: ext}
			st.typeAttrs[typrelid] = t
			st.typeDeps[oid] = &t.DependsOn
			st.s.Types = append(st.s.Types, t)
		case "r":
			opts := []string{"subtype = " + subtype}
			if opclass != "" {
				opts = append(opts, "subtype_opclass = "+opclass)
			}
			if rcoll != "" {
				opts = append(opts, "collation = "+rcoll)
			}
			if canonical != "" {
				opts = append(opts, "canonical = "+canonical)
			}
			if subdiff != "" {
				opts = append(opts, "subtype_diff = "+subdiff)
			}
			if mr != "" && mr != defaultMultirangeName(nsp, name) {
				opts = append(opts, "multirange_type_name = "+mr)
			}
			t := &schema.Type{Schema: nsp, Name: name, Kind: "range", Comment: comment, FromExtension: ext,
				Definition: "RANGE (" + strings.Join(opts, ", ") + ")"}
			st.typeDeps[oid] = &t.DependsOn
			st.s.Types = append(st.s.Types, t)
		}
		return nil
	})
}

// defaultMultirangeName is the name PostgreSQL gives a range type's
// multirange when none is given, as format_type prints it.
func defaultMultirangeName(nsp, name string) string {
	mr := name + "_multirange"
	if i := strings.Index(name, "range"); i >= 0 {
		mr = name[:i] + "multirange" + name[i+len("range"):]
	}
	return pgQualified(nsp, mr)
}

// pgQualified writes nsp.name quoted as format_type does under
// search_path = pg_catalog.
func pgQualified(nsp, name string) string {
	if nsp == "pg_catalog" {
		return pgQuoteIdent(name)
	}
	return pgQuoteIdent(nsp) + "." + pgQuoteIdent(name)
}

// pgQuoteIdent quotes an identifier as the server's quote_ident does,
// keywords included; see sqlident.QuotePostgres.
func pgQuoteIdent(s string) string { return sqlident.QuotePostgres(s) }

func (st *pgState) readRelations(ctx context.Context, q Querier) error {
	return st.each(ctx, q, pgRelationsQuery, func(r *sql.Rows) error {
		var (
			oid, reltype                              uint32
			nsp, name, kind, persistence              string
			rls, forceRLS, isPartition                bool
			partKey, bound, options, viewdef, comment string
			replident, clusterOn, replIndex, inherits string
		)
		if err := r.Scan(&oid, &nsp, &name, &kind, &persistence, &reltype, &rls, &forceRLS, &partKey, &bound,
			&isPartition, &options, &viewdef, &comment, &replident, &clusterOn, &replIndex, &inherits); err != nil {
			return err
		}
		ext := st.extOf("pg_class", oid)
		var opts []string
		if err := decodeJSON(options, &opts); err != nil {
			return err
		}
		var parents [][2]string
		if err := decodeJSON(inherits, &parents); err != nil {
			return err
		}
		st.relTypes[reltype] = oid
		switch kind {
		case "r", "p":
			t := &schema.Table{Schema: nsp, Name: name, PartitionBy: partKey, Unlogged: persistence == "u",
				Options: opts, RowSecurity: rls, ForceRowSecurity: forceRLS, Comment: comment, FromExtension: ext,
				ClusterOn: clusterOn}
			switch replident {
			case "f":
				t.ReplicaIdentity = "FULL"
			case "n":
				t.ReplicaIdentity = "NOTHING"
			case "i":
				t.ReplicaIdentity, t.ReplicaIdentityIndex = "INDEX", replIndex
			}
			for i, p := range parents {
				if i == 0 && isPartition {
					t.PartitionOf = &schema.Partition{Schema: p[0], Table: p[1], Bound: bound}
					continue
				}
				t.Inherits = append(t.Inherits, &schema.TableRef{Schema: p[0], Name: p[1]})
			}
			st.rels[oid] = t
			st.s.Tables = append(st.s.Tables, t)
		case "v", "m":
			v := &schema.View{Schema: nsp, Name: name, Materialized: kind == "m", Definition: viewdef,
				Comment: comment, FromExtension: ext}
			for _, o := range opts {
				if k, val, ok := strings.Cut(o, "="); ok && k == "check_option" {
					v.CheckOption = strings.ToUpper(val)
					continue
				}
				v.Options = append(v.Options, o)
			}
			st.rels[oid] = v
			st.s.Views = append(st.s.Views, v)
		}
		return nil
	})
}

func (st *pgState) readSequences(ctx context.Context, q Querier) error {
	return st.each(ctx, q, pgSequencesQuery, func(r *sql.Rows) error {
		var (
			oid, ownerOID            uint32
			attnum                   int
			deptype                  string
			ownNsp, ownTable, ownCol string
			seq                      = &schema.Sequence{}
		)
		o := &seq.SequenceOptions
		if err := r.Scan(&oid, &seq.Schema, &seq.Name, &o.Type, &o.Start, &o.Increment, &o.Min, &o.Max, &o.Cache,
			&o.Cycle, &deptype, &ownerOID, &attnum, &ownNsp, &ownTable, &ownCol, &seq.Comment); err != nil {
			return err
		}
		if deptype == "i" {
			st.identity[[2]uint32{ownerOID, uint32(attnum)}] = &schema.Identity{
				SequenceSchema: seq.Schema, SequenceName: seq.Name, SequenceOptions: *o}
			return nil
		}
		if deptype == "a" {
			seq.OwnedBy = &schema.ColumnRef{Schema: ownNsp, Table: ownTable, Column: ownCol}
		}
		seq.FromExtension = st.extOf("pg_class", oid)
		st.s.Sequences = append(st.s.Sequences, seq)
		return nil
	})
}

func (st *pgState) readColumns(ctx context.Context, q Querier) error {
	compression := "''"
	if st.version >= 140000 {
		compression = "a.attcompression::text"
	}
	return st.each(ctx, q, fmt.Sprintf(pgColumnsQuery, compression), func(r *sql.Rows) error {
		var (
			relid                    uint32
			attnum                   int
			identity, generated, def string
			local                    bool
			c                        = &schema.Column{}
		)
		var stats int
		var storage, compression string
		if err := r.Scan(&relid, &attnum, &c.Name, &c.Type, &c.NotNull, &identity, &generated, &def,
			&c.Collation, &c.Comment, &local, &stats, &storage, &compression); err != nil {
			return err
		}
		if stats >= 0 {
			c.Statistics = stats
		}
		c.Storage = pgStorage[storage]
		c.Compression = pgCompression[compression]
		c.Inherited = !local
		switch generated {
		case "s":
			c.Generated = &schema.Generated{Expr: def, Stored: true}
		case "v":
			c.Generated = &schema.Generated{Expr: def}
		default:
			c.Default = def
		}
		if identity != "" {
			id := st.identity[[2]uint32{relid, uint32(attnum)}]
			if id == nil {
				id = &schema.Identity{}
			}
			id.Always = identity == "a"
			c.Identity = id
		}
		switch o := st.rels[relid].(type) {
		case *schema.Table:
			o.Columns = append(o.Columns, c)
		case *schema.View:
			o.Columns = append(o.Columns, &schema.Column{Name: c.Name, Type: c.Type, Comment: c.Comment,
				Default: c.Default, Collation: c.Collation})
		default:
			if t := st.typeAttrs[relid]; t != nil {
				t.Attributes = append(t.Attributes, &schema.Column{Name: c.Name, Type: c.Type,
					Collation: c.Collation, Comment: c.Comment})
			}
		}
		return nil
	})
}

var pgStorage = map[string]string{"p": "PLAIN", "e": "EXTERNAL", "x": "EXTENDED", "m": "MAIN"}

var pgCompression = map[string]string{"p": "pglz", "l": "lz4"}

var pgFKActions = map[string]string{
	"a": "", // NO ACTION
	"r": schema.Restrict,
	"c": schema.Cascade,
	"n": schema.SetNull,
	"d": schema.SetDefault,
}

func (st *pgState) readConstraints(ctx context.Context, q Querier) error {
	nnd := "false"
	if st.version >= 150000 {
		nnd = "ix.indnullsnotdistinct"
	}
	return st.each(ctx, q, fmt.Sprintf(pgConstraintsQuery, nnd), func(r *sql.Rows) error {
		var (
			relid                                                    uint32
			name, kind                                               string
			deferrable, deferred, validated, noInherit, local, child bool
			def, expr, cols, refNsp, refTable, refCols               string
			upd, del, match, include                                 string
			nullsNotDistinct                                         bool
			parent, comment                                          string
		)
		if err := r.Scan(&relid, &name, &kind, &deferrable, &deferred, &validated, &noInherit, &local, &child,
			&def, &expr, &cols, &refNsp, &refTable, &refCols, &upd, &del, &match, &include, &nullsNotDistinct,
			&parent, &comment); err != nil {
			return err
		}
		t, ok := st.rels[relid].(*schema.Table)
		if !ok {
			return nil
		}
		var columns, refColumns, included []string
		for _, d := range []struct {
			text string
			dst  *[]string
		}{{cols, &columns}, {refCols, &refColumns}, {include, &included}} {
			if err := decodeJSON(d.text, d.dst); err != nil {
				return err
			}
		}
		switch kind {
		case "p", "u":
			k := &schema.Key{Name: name, Columns: columns, Include: included, NullsNotDistinct: nullsNotDistinct,
				Deferrable: deferrable, InitiallyDeferred: deferred, Definition: def, Parent: parent, Comment: comment}
			if kind == "p" {
				t.PrimaryKey = k
			} else {
				t.Uniques = append(t.Uniques, k)
			}
		case "f":
			if child {
				// Cloned from a partitioned table's foreign key: created
				// with it.
				return nil
			}
			fk := &schema.ForeignKey{Name: name, Columns: columns, RefSchema: refNsp, RefTable: refTable,
				RefColumns: refColumns, OnUpdate: pgFKActions[upd], OnDelete: pgFKActions[del],
				Deferrable: deferrable, InitiallyDeferred: deferred, NotValid: !validated,
				Definition: def, Comment: comment}
			switch match {
			case "f":
				fk.Match = "FULL"
			case "p":
				fk.Match = "PARTIAL"
			}
			t.ForeignKeys = append(t.ForeignKeys, fk)
		case "c":
			t.Checks = append(t.Checks, &schema.Check{Name: name, Expr: expr, NoInherit: noInherit,
				NotValid: !validated, Inherited: !local, Definition: def, Comment: comment})
		case "x":
			t.Exclusions = append(t.Exclusions, &schema.Exclusion{Name: name, Definition: def,
				Deferrable: deferrable, InitiallyDeferred: deferred, Parent: parent, Comment: comment})
		}
		return nil
	})
}

func (st *pgState) readIndexes(ctx context.Context, q Querier) error {
	nnd := "false"
	if st.version >= 150000 {
		nnd = "ix.indnullsnotdistinct"
	}
	return st.each(ctx, q, fmt.Sprintf(pgIndexesQuery, nnd), func(r *sql.Rows) error {
		var (
			relid          uint32
			nkey           int
			options, parts string
			i              = &schema.Index{}
		)
		if err := r.Scan(&relid, &i.Name, &i.Unique, &i.Method, &nkey, &i.Definition, &i.Where,
			&i.NullsNotDistinct, &options, &parts, &i.Parent, &i.Comment); err != nil {
			return err
		}
		if err := decodeJSON(options, &i.Options); err != nil {
			return err
		}
		var ps [][]any
		if err := decodeJSON(parts, &ps); err != nil {
			return err
		}
		for k, p := range ps {
			attnum, _ := p[0].(float64)
			text := fmt.Sprint(p[1])
			if k >= nkey {
				i.Include = append(i.Include, text)
				continue
			}
			part := &schema.IndexPart{OpClass: fmt.Sprint(p[4]), Collation: fmt.Sprint(p[5])}
			if attnum != 0 {
				part.Column = text
			} else {
				part.Expr = text
			}
			desc, _ := p[2].(bool)
			nullsFirst, _ := p[3].(bool)
			part.Desc = desc
			if nullsFirst && !desc {
				part.Nulls = "FIRST"
			} else if !nullsFirst && desc {
				part.Nulls = "LAST"
			}
			i.Parts = append(i.Parts, part)
		}
		switch o := st.rels[relid].(type) {
		case *schema.Table:
			o.Indexes = append(o.Indexes, i)
		case *schema.View:
			o.Indexes = append(o.Indexes, i)
		}
		return nil
	})
}

func (st *pgState) readTriggers(ctx context.Context, q Querier) error {
	cond := "true"
	if st.version >= 130000 {
		cond = "tg.tgparentid = 0"
	}
	return st.each(ctx, q, fmt.Sprintf(pgTriggersQuery, cond), func(r *sql.Rows) error {
		var relid uint32
		t := &schema.Trigger{}
		if err := r.Scan(&relid, &t.Schema, &t.Table, &t.Name, &t.Constraint, &t.Definition, &t.Enabled, &t.Comment); err != nil {
			return err
		}
		// A trigger on an extension's table comes with the extension.
		switch o := st.rels[relid].(type) {
		case *schema.Table:
			t.FromExtension = o.FromExtension
		case *schema.View:
			t.FromExtension = o.FromExtension
		}
		if t.Enabled == "O" {
			t.Enabled = ""
		}
		st.s.Triggers = append(st.s.Triggers, t)
		return nil
	})
}

func (st *pgState) readDepends(ctx context.Context, q Querier) error {
	type edge struct {
		src string
		obj uint32
		dep schema.ObjectRef
	}
	seen := map[edge]bool{}
	return st.each(ctx, q, pgDependsQuery, func(r *sql.Rows) error {
		var obj, ref uint32
		var src, catalog string
		if err := r.Scan(&src, &obj, &catalog, &ref); err != nil {
			return err
		}
		if obj == ref && src == catalog {
			return nil
		}
		var deps *[]*schema.ObjectRef
		switch src {
		case "pg_class":
			if v, ok := st.rels[obj].(*schema.View); ok {
				deps = &v.DependsOn
			} else if t := st.typeAttrs[obj]; t != nil {
				deps = &t.DependsOn
			}
		case "pg_proc":
			if f := st.funcs[obj]; f != nil {
				deps = &f.DependsOn
			}
		case "pg_type":
			deps = st.typeDeps[obj]
		}
		if deps == nil {
			return nil
		}
		var d *schema.ObjectRef
		switch catalog {
		case "pg_class":
			d = st.relRef(ref)
		case "pg_type":
			if rel, ok := st.relTypes[ref]; ok {
				d = st.relRef(rel)
			} else if t := st.types[ref]; t != nil {
				d = t
			}
		case "pg_proc":
			if f := st.funcs[ref]; f != nil {
				d = &schema.ObjectRef{Kind: schema.ObjectFunction, Schema: f.Schema, Name: f.Name}
			}
		}
		if d == nil {
			return nil
		}
		e := edge{src, obj, *d}
		if seen[e] {
			return nil
		}
		seen[e] = true
		*deps = append(*deps, d)
		return nil
	})
}

var pgPolicyCommands = map[string]string{"*": "ALL", "r": "SELECT", "a": "INSERT", "w": "UPDATE", "d": "DELETE"}

func (st *pgState) readPolicies(ctx context.Context, q Querier) error {
	return st.each(ctx, q, pgPoliciesQuery, func(r *sql.Rows) error {
		var relid uint32
		var cmd, roles string
		p := &schema.Policy{}
		if err := r.Scan(&relid, &p.Name, &cmd, &p.Permissive, &roles, &p.Using, &p.WithCheck, &p.Comment); err != nil {
			return err
		}
		p.Command = pgPolicyCommands[cmd]
		if err := decodeJSON(roles, &p.Roles); err != nil {
			return err
		}
		if t, ok := st.rels[relid].(*schema.Table); ok {
			t.Policies = append(t.Policies, p)
		}
		return nil
	})
}

func (st *pgState) relRef(oid uint32) *schema.ObjectRef {
	switch o := st.rels[oid].(type) {
	case *schema.Table:
		return &schema.ObjectRef{Kind: schema.ObjectTable, Schema: o.Schema, Name: o.Name}
	case *schema.View:
		return &schema.ObjectRef{Kind: schema.ObjectView, Schema: o.Schema, Name: o.Name}
	}
	return nil
}

func (st *pgState) readStatistics(ctx context.Context, q Querier) error {
	target := "-1"
	if st.version >= 130000 {
		target = "s.stxstattarget"
	}
	return st.each(ctx, q, fmt.Sprintf(pgStatisticsQuery, target), func(r *sql.Rows) error {
		var relid uint32
		x := &schema.Statistics{}
		if err := r.Scan(&relid, &x.Schema, &x.Name, &x.Definition, &x.Target, &x.Comment); err != nil {
			return err
		}
		if x.Target < 0 {
			x.Target = 0
		}
		if t, ok := st.rels[relid].(*schema.Table); ok {
			t.Statistics = append(t.Statistics, x)
		}
		return nil
	})
}

func (st *pgState) readRules(ctx context.Context, q Querier) error {
	return st.each(ctx, q, pgRulesQuery, func(r *sql.Rows) error {
		var relid uint32
		x := &schema.Rule{}
		if err := r.Scan(&relid, &x.Name, &x.Definition, &x.Enabled, &x.Comment); err != nil {
			return err
		}
		if x.Enabled == "O" {
			x.Enabled = ""
		}
		if t, ok := st.rels[relid].(*schema.Table); ok {
			t.Rules = append(t.Rules, x)
		}
		return nil
	})
}
