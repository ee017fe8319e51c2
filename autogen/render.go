package autogen

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/migratehq/migrate/schema"
)

// A dialect writes the CREATE statements of one database system. Every
// method returns whole statements without the trailing semicolon; nil
// when there is nothing to write. Objects owned by an extension are never
// passed in. The order in which the methods are called (see
// [RenderSchema]) is the dependency order, so a method may assume that
// everything rendered earlier exists.
type dialect interface {
	// prelude is called first, with the whole schema (a dialect may keep
	// it to look objects up); it returns session settings the statements
	// rely on (PostgreSQL: check_function_bodies = false, as pg_dump does).
	prelude(s *schema.Schema) []string
	// createObject creates an object of a kind not every dialect has:
	// *schema.Namespace, *schema.Extension, *schema.Collation,
	// *schema.TextSearchConfig, *schema.Enum, *schema.Domain,
	// *schema.Type, *schema.Sequence or *schema.Function. A dialect
	// without the kind returns an error.
	createObject(o any) ([]string, error)
	// createTable creates a table with its columns and whatever needs no
	// other table or index (PostgreSQL: checks; SQLite: everything, keys
	// and foreign keys included, since SQLite cannot add them later).
	createTable(t *schema.Table) ([]string, error)
	// createView creates a view or a materialized view (without indexes).
	createView(v *schema.View) ([]string, error)
	// createKeys adds a table's primary key, unique and exclusion
	// constraints once every table and view exists (PostgreSQL), attaches
	// partition key indexes to their parent's, and creates the table's
	// row-level security policies.
	createKeys(t *schema.Table) ([]string, error)
	// createIndex creates an index of table (or materialized view)
	// owner.
	createIndex(owner schema.TableRef, i *schema.Index) ([]string, error)
	// createForeignKeys adds a table's foreign keys once every key exists.
	createForeignKeys(t *schema.Table) ([]string, error)
	// createTrigger creates a trigger.
	createTrigger(tr *schema.Trigger) ([]string, error)
	// finish returns what must come last (PostgreSQL: CLUSTER ON,
	// REPLICA IDENTITY USING INDEX, extended statistics, rules, ALTER
	// SEQUENCE ... OWNED BY for serial columns).
	finish(s *schema.Schema) ([]string, error)
}

// dialectFor is the one switch on the dialect name.
func dialectFor(name string) (dialect, error) {
	switch name {
	case schema.Postgres:
		return &postgresDialect{}, nil
	case schema.SQLite:
		return newSQLiteDialect(), nil
	default:
		return nil, fmt.Errorf("autogen: unknown dialect %q", name)
	}
}

// RenderSchema returns the statements that create every object of s,
// except those owned by an extension, in dependency order:
//
//	prelude; schemas; extensions (required ones first); collations; text
//	search configurations; enums, domains, composite and range types and
//	the functions that need no table, each after what it depends on;
//	sequences; tables (parents before partitions and children);
//	views, materialized views and the remaining functions, each after what
//	it depends on; keys; indexes; foreign keys; triggers; finish.
//
// Statements have no trailing semicolon.
func RenderSchema(s *schema.Schema) ([]string, error) {
	d, err := dialectFor(s.Dialect)
	if err != nil {
		return nil, err
	}
	var out []string
	add := func(stmts []string, err error) error {
		if err != nil {
			return err
		}
		out = append(out, stmts...)
		return nil
	}
	out = append(out, d.prelude(s)...)

	var early []any
	for _, n := range s.Schemas {
		if n.FromExtension == "" {
			early = append(early, n)
		}
	}
	var exts []node
	for _, e := range s.Extensions {
		n := node{schema: "", name: e.Name, obj: e}
		for _, r := range e.Requires {
			n.deps = append(n.deps, &schema.ObjectRef{Name: r})
		}
		exts = append(exts, n)
	}
	for _, n := range topoSort(exts) {
		early = append(early, n.obj)
	}
	early = appendOwned(early, s.Collations, func(c *schema.Collation) string { return c.FromExtension })
	early = appendOwned(early, s.TextSearchConfigs, func(c *schema.TextSearchConfig) string { return c.FromExtension })
	for _, o := range early {
		if err := add(d.createObject(o)); err != nil {
			return nil, err
		}
	}

	// Types, and the functions whose signatures need no table or view,
	// come before the tables (a column, check or default may use them),
	// each after what it depends on (a domain's check may call a
	// function, a function may take a domain); the other functions are
	// ordered with the views.
	relations := map[string]bool{}
	for _, t := range s.Tables {
		relations[key(t.Schema, t.Name)] = true
	}
	for _, v := range s.Views {
		relations[key(v.Schema, v.Name)] = true
	}
	needsRelation := lateFunctions(s, relations)
	var late, types []node
	for _, e := range s.Enums {
		if e.FromExtension == "" {
			types = append(types, node{kind: schema.ObjectType, schema: e.Schema, name: e.Name, obj: e})
		}
	}
	for _, dm := range s.Domains {
		if dm.FromExtension == "" {
			types = append(types, node{kind: schema.ObjectType, schema: dm.Schema, name: dm.Name, obj: dm, deps: dm.DependsOn})
		}
	}
	for _, t := range s.Types {
		if t.FromExtension == "" {
			types = append(types, node{kind: schema.ObjectType, schema: t.Schema, name: t.Name, obj: t, deps: t.DependsOn})
		}
	}
	for _, f := range s.Functions {
		if f.FromExtension != "" {
			continue
		}
		n := node{kind: schema.ObjectFunction, schema: f.Schema, name: f.Name, obj: f, deps: f.DependsOn}
		if needsRelation[f] {
			late = append(late, n)
		} else {
			types = append(types, n)
		}
	}
	for _, n := range topoSort(types) {
		if err := add(d.createObject(n.obj)); err != nil {
			return nil, err
		}
	}
	for _, q := range s.Sequences {
		if q.FromExtension == "" {
			if err := add(d.createObject(q)); err != nil {
				return nil, err
			}
		}
	}
	tables := tableOrder(s)
	for _, t := range tables {
		if err := add(d.createTable(t)); err != nil {
			return nil, err
		}
	}
	for _, v := range s.Views {
		if v.FromExtension != "" {
			continue
		}
		kind := schema.ObjectView
		late = append(late, node{kind: kind, schema: v.Schema, name: v.Name, obj: v, deps: v.DependsOn})
	}
	for _, n := range topoSort(late) {
		var err error
		switch o := n.obj.(type) {
		case *schema.View:
			err = add(d.createView(o))
		default:
			err = add(d.createObject(o))
		}
		if err != nil {
			return nil, err
		}
	}
	for _, t := range tables {
		if err := add(d.createKeys(t)); err != nil {
			return nil, err
		}
	}
	for _, t := range tables {
		for _, i := range t.Indexes {
			if err := add(d.createIndex(schema.TableRef{Schema: t.Schema, Name: t.Name}, i)); err != nil {
				return nil, err
			}
		}
	}
	for _, v := range s.Views {
		if v.FromExtension != "" {
			continue
		}
		for _, i := range v.Indexes {
			if err := add(d.createIndex(schema.TableRef{Schema: v.Schema, Name: v.Name}, i)); err != nil {
				return nil, err
			}
		}
	}
	for _, t := range tables {
		if err := add(d.createForeignKeys(t)); err != nil {
			return nil, err
		}
	}
	for _, tr := range s.Triggers {
		if tr.FromExtension == "" {
			if err := add(d.createTrigger(tr)); err != nil {
				return nil, err
			}
		}
	}
	if err := add(d.finish(s)); err != nil {
		return nil, err
	}
	return out, nil
}

func appendOwned[T any](dst []any, src []T, ext func(T) string) []any {
	for _, o := range src {
		if ext(o) == "" {
			dst = append(dst, o)
		}
	}
	return dst
}

func key(schema, name string) string { return schema + "\x00" + name }

// lateFunctions returns the functions that must wait for tables or views:
// those depending on a relation, directly or through another function.
func lateFunctions(s *schema.Schema, relations map[string]bool) map[*schema.Function]bool {
	late := map[*schema.Function]bool{}
	byName := map[string][]*schema.Function{}
	for _, f := range s.Functions {
		byName[key(f.Schema, f.Name)] = append(byName[key(f.Schema, f.Name)], f)
	}
	for changed := true; changed; {
		changed = false
		for _, f := range s.Functions {
			if late[f] {
				continue
			}
			for _, d := range f.DependsOn {
				k := key(d.Schema, d.Name)
				isLate := false
				switch d.Kind {
				case schema.ObjectTable, schema.ObjectView:
					isLate = relations[k]
				case schema.ObjectType:
					isLate = relations[k] // a table's row type
				case schema.ObjectFunction:
					for _, g := range byName[k] {
						isLate = isLate || late[g]
					}
				}
				if isLate {
					late[f] = true
					changed = true
					break
				}
			}
		}
	}
	return late
}

// tableOrder returns the tables not owned by an extension with every
// partitioned or inherited parent before its partitions and children, and
// where cycles allow, tables referenced by foreign keys before the tables
// that reference them (SQLite creates foreign keys with the table),
// otherwise in the model's order.
func tableOrder(s *schema.Schema) []*schema.Table {
	// Foreign keys first, then parents: the second sort keeps the first
	// one's order wherever partitions and inheritance allow, so a cycle
	// of foreign keys can never put a partition before its parent.
	var byFK []node
	for _, t := range s.Tables {
		if t.FromExtension != "" {
			continue
		}
		n := node{kind: schema.ObjectTable, schema: t.Schema, name: t.Name, obj: t}
		for _, fk := range t.ForeignKeys {
			refSchema := fk.RefSchema
			if refSchema == "" {
				refSchema = t.Schema
			}
			n.deps = append(n.deps, &schema.ObjectRef{Kind: schema.ObjectTable, Schema: refSchema, Name: fk.RefTable})
		}
		byFK = append(byFK, n)
	}
	var nodes []node
	for _, n := range topoSort(byFK) {
		t := n.obj.(*schema.Table)
		n.deps = nil
		if p := t.PartitionOf; p != nil {
			n.deps = append(n.deps, &schema.ObjectRef{Kind: schema.ObjectTable, Schema: p.Schema, Name: p.Table})
		}
		for _, p := range t.Inherits {
			n.deps = append(n.deps, &schema.ObjectRef{Kind: schema.ObjectTable, Schema: p.Schema, Name: p.Name})
		}
		nodes = append(nodes, n)
	}
	var out []*schema.Table
	for _, n := range topoSort(nodes) {
		out = append(out, n.obj.(*schema.Table))
	}
	return out
}

type node struct {
	kind, schema, name string
	obj                any
	deps               []*schema.ObjectRef
}

// topoSort orders nodes so that each comes after the nodes it depends on
// (by kind-insensitive schema and name; functions match all overloads),
// keeping the given order where dependencies allow. Dependency cycles
// are broken at the first node of the cycle in the given order.
func topoSort(nodes []node) []node {
	index := map[string][]int{}
	for i, n := range nodes {
		index[key(n.schema, n.name)] = append(index[key(n.schema, n.name)], i)
	}
	state := make([]int8, len(nodes)) // 0 new, 1 visiting, 2 done
	out := make([]node, 0, len(nodes))
	var visit func(i int)
	visit = func(i int) {
		if state[i] != 0 {
			return
		}
		state[i] = 1
		deps := slices.Clone(nodes[i].deps)
		slices.SortStableFunc(deps, func(a, b *schema.ObjectRef) int {
			return cmp.Or(cmp.Compare(a.Schema, b.Schema), cmp.Compare(a.Name, b.Name))
		})
		for _, d := range deps {
			for _, j := range index[key(d.Schema, d.Name)] {
				if j != i {
					visit(j)
				}
			}
		}
		state[i] = 2
		out = append(out, nodes[i])
	}
	for i := range nodes {
		visit(i)
	}
	return out
}
