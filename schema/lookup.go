package schema

import (
	"cmp"
	"slices"
)

// Namespace returns the schema (namespace) called name, or nil.
func (s *Schema) Namespace(name string) *Namespace {
	for _, n := range s.Schemas {
		if n.Name == name {
			return n
		}
	}
	return nil
}

// Table returns the table schema.name, or nil.
func (s *Schema) Table(schema, name string) *Table {
	for _, t := range s.Tables {
		if t.Schema == schema && t.Name == name {
			return t
		}
	}
	return nil
}

// View returns the view or materialized view schema.name, or nil.
func (s *Schema) View(schema, name string) *View {
	for _, v := range s.Views {
		if v.Schema == schema && v.Name == name {
			return v
		}
	}
	return nil
}

// Sequence returns the sequence schema.name, or nil.
func (s *Schema) Sequence(schema, name string) *Sequence {
	for _, q := range s.Sequences {
		if q.Schema == schema && q.Name == name {
			return q
		}
	}
	return nil
}

// Enum returns the enum schema.name, or nil.
func (s *Schema) Enum(schema, name string) *Enum {
	for _, e := range s.Enums {
		if e.Schema == schema && e.Name == name {
			return e
		}
	}
	return nil
}

// Domain returns the domain schema.name, or nil.
func (s *Schema) Domain(schema, name string) *Domain {
	for _, d := range s.Domains {
		if d.Schema == schema && d.Name == name {
			return d
		}
	}
	return nil
}

// Extension returns the extension called name, or nil.
func (s *Schema) Extension(name string) *Extension {
	for _, e := range s.Extensions {
		if e.Name == name {
			return e
		}
	}
	return nil
}

// FunctionsNamed returns the functions, procedures and aggregates schema.name
// (all overloads).
func (s *Schema) FunctionsNamed(schema, name string) []*Function {
	var fs []*Function
	for _, f := range s.Functions {
		if f.Schema == schema && f.Name == name {
			fs = append(fs, f)
		}
	}
	return fs
}

// TriggersOn returns the triggers on the table or view schema.table.
func (s *Schema) TriggersOn(schema, table string) []*Trigger {
	var ts []*Trigger
	for _, t := range s.Triggers {
		if t.Schema == schema && t.Table == table {
			ts = append(ts, t)
		}
	}
	return ts
}

// Column returns the column called name, or nil.
func (t *Table) Column(name string) *Column {
	for _, c := range t.Columns {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Index returns the index called name, or nil.
func (t *Table) Index(name string) *Index {
	for _, i := range t.Indexes {
		if i.Name == name {
			return i
		}
	}
	return nil
}

// ForeignKey returns the foreign key called name, or nil.
func (t *Table) ForeignKey(name string) *ForeignKey {
	for _, f := range t.ForeignKeys {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// Check returns the check constraint called name, or nil.
func (t *Table) Check(name string) *Check {
	for _, c := range t.Checks {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Unique returns the unique constraint called name, or nil.
func (t *Table) Unique(name string) *Key {
	for _, u := range t.Uniques {
		if u.Name == name {
			return u
		}
	}
	return nil
}

// Exclusion returns the exclusion constraint called name, or nil.
func (t *Table) Exclusion(name string) *Exclusion {
	for _, e := range t.Exclusions {
		if e.Name == name {
			return e
		}
	}
	return nil
}

// Column returns the view column called name, or nil.
func (v *View) Column(name string) *Column {
	for _, c := range v.Columns {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Index returns the index of a materialized view called name, or nil.
func (v *View) Index(name string) *Index {
	for _, i := range v.Indexes {
		if i.Name == name {
			return i
		}
	}
	return nil
}

// Sort puts every list of the model in a deterministic order: objects by
// schema and name (functions also by arguments, triggers by table), the
// constraints and indexes of a table by name. Columns, enum values and
// other lists whose order is meaningful keep their order.
func (s *Schema) Sort() {
	slices.SortFunc(s.Schemas, func(a, b *Namespace) int { return cmp.Compare(a.Name, b.Name) })
	slices.SortFunc(s.Extensions, func(a, b *Extension) int { return cmp.Compare(a.Name, b.Name) })
	sortNamed(s.Collations, func(c *Collation) (string, string) { return c.Schema, c.Name })
	sortNamed(s.TextSearchConfigs, func(c *TextSearchConfig) (string, string) { return c.Schema, c.Name })
	sortNamed(s.Enums, func(e *Enum) (string, string) { return e.Schema, e.Name })
	sortNamed(s.Domains, func(d *Domain) (string, string) { return d.Schema, d.Name })
	sortNamed(s.Types, func(t *Type) (string, string) { return t.Schema, t.Name })
	sortNamed(s.Sequences, func(q *Sequence) (string, string) { return q.Schema, q.Name })
	sortNamed(s.Tables, func(t *Table) (string, string) { return t.Schema, t.Name })
	sortNamed(s.Views, func(v *View) (string, string) { return v.Schema, v.Name })
	slices.SortFunc(s.Functions, func(a, b *Function) int {
		return cmp.Or(cmp.Compare(a.Schema, b.Schema), cmp.Compare(a.Name, b.Name), cmp.Compare(a.Args, b.Args))
	})
	slices.SortFunc(s.Triggers, func(a, b *Trigger) int {
		return cmp.Or(cmp.Compare(a.Schema, b.Schema), cmp.Compare(a.Table, b.Table), cmp.Compare(a.Name, b.Name))
	})
	for _, d := range s.Domains {
		sortByName(d.Checks, func(c *Check) string { return c.Name })
	}
	for _, t := range s.Tables {
		t.Sort()
	}
	for _, v := range s.Views {
		sortByName(v.Indexes, func(i *Index) string { return i.Name })
	}
}

// Sort orders the constraints and indexes of t by name.
func (t *Table) Sort() {
	sortByName(t.Uniques, func(k *Key) string { return k.Name })
	sortByName(t.ForeignKeys, func(f *ForeignKey) string { return f.Name })
	sortByName(t.Checks, func(c *Check) string { return c.Name })
	sortByName(t.Exclusions, func(e *Exclusion) string { return e.Name })
	sortByName(t.Indexes, func(i *Index) string { return i.Name })
	sortByName(t.Policies, func(p *Policy) string { return p.Name })
	sortByName(t.Rules, func(r *Rule) string { return r.Name })
	slices.SortStableFunc(t.Statistics, func(a, b *Statistics) int {
		return cmp.Or(cmp.Compare(a.Schema, b.Schema), cmp.Compare(a.Name, b.Name))
	})
}

func sortNamed[T any](s []T, key func(T) (string, string)) {
	slices.SortStableFunc(s, func(a, b T) int {
		as, an := key(a)
		bs, bn := key(b)
		return cmp.Or(cmp.Compare(as, bs), cmp.Compare(an, bn))
	})
}

func sortByName[T any](s []T, name func(T) string) {
	slices.SortStableFunc(s, func(a, b T) int { return cmp.Compare(name(a), name(b)) })
}
