package autogen

import "github.com/migratehq/migrate/schema"

// PostgreSQL's deparsed text is not always a fixed point: a check, view
// or default created from the text the server printed can print
// differently again (an ARRAY of casts becomes a cast ARRAY, a
// "NULL::integer" output column gains "AS int4"). A database built by
// migrate's own statements then holds the second form while the model,
// loaded from the user's SQL, holds the first, and every autogenerate
// would propose the same change again.
//
// DiffOptions.Reloaded is the cure: the target loaded once more from its
// own rendering (RenderSchema), so holding the second forms. Where the
// current side's text of an object equals the reloaded text of the same
// object, the two forms are taken as the same and the target is compared
// in the current side's words.

// withReloaded returns the target with the texts of its objects replaced
// by the current side's wherever the current text matches the reloaded
// one (and not already the target's). The target itself is not changed:
// an object whose text is adopted is copied, with the lists that hold it.
func withReloaded(cur, tgt, reloaded *schema.Schema) *schema.Schema {
	if reloaded == nil {
		return tgt
	}
	// adopt returns the current text when it is the reloaded form of t.
	adopt := func(t, c, r string) (string, bool) {
		if c != "" && r != "" && !sameText(c, t) && sameText(c, r) {
			return c, true
		}
		return t, false
	}
	out := *tgt
	curT, relT := tablesByRef(cur), tablesByRef(reloaded)
	out.Tables = cowOr(tgt.Tables, func(t *schema.Table) *schema.Table {
		ref := tref(t.Schema, t.Name)
		c, r := curT[ref], relT[ref]
		if c == nil || r == nil {
			return nil
		}
		var nt *schema.Table
		copyTable := func() *schema.Table {
			if nt == nil {
				x := *t
				nt = &x
			}
			return nt
		}
		if cols := cow(t.Columns, func(col *schema.Column) *schema.Column {
			cc, rc := c.Column(col.Name), r.Column(col.Name)
			if cc == nil || rc == nil {
				return nil
			}
			def, ok1 := adopt(col.Default, cc.Default, rc.Default)
			var gen *schema.Generated
			ok2 := false
			if col.Generated != nil && cc.Generated != nil && rc.Generated != nil {
				var expr string
				if expr, ok2 = adopt(col.Generated.Expr, cc.Generated.Expr, rc.Generated.Expr); ok2 {
					gen = &schema.Generated{Expr: expr, Stored: col.Generated.Stored}
				}
			}
			if !ok1 && !ok2 {
				return nil
			}
			x := *col
			x.Default = def
			if ok2 {
				x.Generated = gen
			}
			return &x
		}); cols != nil {
			copyTable().Columns = cols
		}
		if checks := cow(t.Checks, func(ck *schema.Check) *schema.Check {
			cc, rc := c.Check(ck.Name), r.Check(ck.Name)
			if cc == nil || rc == nil {
				return nil
			}
			expr, ok1 := adopt(ck.Expr, cc.Expr, rc.Expr)
			def, ok2 := adopt(ck.Definition, cc.Definition, rc.Definition)
			if !ok1 && !ok2 {
				return nil
			}
			x := *ck
			x.Expr, x.Definition = expr, def
			return &x
		}); checks != nil {
			copyTable().Checks = checks
		}
		if indexes := cow(t.Indexes, func(i *schema.Index) *schema.Index {
			ci, ri := c.Index(i.Name), r.Index(i.Name)
			if ci == nil || ri == nil || sameIndex(ci, i, nil) || !sameIndex(ci, ri, nil) {
				return nil
			}
			x := *i
			x.Where, x.Parts, x.Definition = ci.Where, ci.Parts, ci.Definition
			return &x
		}); indexes != nil {
			copyTable().Indexes = indexes
		}
		if excls := cow(t.Exclusions, func(x *schema.Exclusion) *schema.Exclusion {
			cx, rx := c.Exclusion(x.Name), r.Exclusion(x.Name)
			if cx == nil || rx == nil {
				return nil
			}
			def, ok := adopt(x.Definition, cx.Definition, rx.Definition)
			if !ok {
				return nil
			}
			y := *x
			y.Definition = def
			return &y
		}); excls != nil {
			copyTable().Exclusions = excls
		}
		return nt
	})
	out.Views = cowOr(tgt.Views, func(v *schema.View) *schema.View {
		c, r := cur.View(v.Schema, v.Name), reloaded.View(v.Schema, v.Name)
		if c == nil || r == nil {
			return nil
		}
		def, ok := adopt(v.Definition, c.Definition, r.Definition)
		if !ok {
			return nil
		}
		x := *v
		x.Definition = def
		return &x
	})
	out.Domains = cowOr(tgt.Domains, func(d *schema.Domain) *schema.Domain {
		c, r := cur.Domain(d.Schema, d.Name), reloaded.Domain(d.Schema, d.Name)
		if c == nil || r == nil {
			return nil
		}
		def, ok := adopt(d.Default, c.Default, r.Default)
		checks := cow(d.Checks, func(ck *schema.Check) *schema.Check {
			for _, cc := range c.Checks {
				for _, rc := range r.Checks {
					if cc.Name == ck.Name && rc.Name == ck.Name {
						if expr, ok := adopt(ck.Expr, cc.Expr, rc.Expr); ok {
							x := *ck
							x.Expr = expr
							return &x
						}
					}
				}
			}
			return nil
		})
		if !ok && checks == nil {
			return nil
		}
		x := *d
		x.Default = def
		if checks != nil {
			x.Checks = checks
		}
		return &x
	})
	out.Functions = cowOr(tgt.Functions, func(f *schema.Function) *schema.Function {
		c, r := findFunction(cur, f), findFunction(reloaded, f)
		if c == nil || r == nil {
			return nil
		}
		def, ok := adopt(f.Definition, c.Definition, r.Definition)
		if !ok {
			return nil
		}
		x := *f
		x.Definition = def
		return &x
	})
	out.Triggers = cowOr(tgt.Triggers, func(tr *schema.Trigger) *schema.Trigger {
		for _, c := range cur.TriggersOn(tr.Schema, tr.Table) {
			for _, r := range reloaded.TriggersOn(tr.Schema, tr.Table) {
				if c.Name == tr.Name && r.Name == tr.Name {
					if def, ok := adopt(tr.Definition, c.Definition, r.Definition); ok {
						x := *tr
						x.Definition = def
						return &x
					}
				}
			}
		}
		return nil
	})
	return &out
}

// cow returns a copy of s with the items for which replace returns a
// new item replaced, or nil when replace returned nil for every item.
func cow[T comparable](s []T, replace func(T) T) []T {
	var zero T
	var out []T
	for i, x := range s {
		if y := replace(x); y != zero {
			if out == nil {
				out = make([]T, len(s))
				copy(out, s)
			}
			out[i] = y
		}
	}
	return out
}

// cowOr is cow, or s itself when nothing was replaced.
func cowOr[T comparable](s []T, replace func(T) T) []T {
	if out := cow(s, replace); out != nil {
		return out
	}
	return s
}

func tablesByRef(s *schema.Schema) map[schema.TableRef]*schema.Table {
	m := make(map[schema.TableRef]*schema.Table, len(s.Tables))
	for _, t := range s.Tables {
		m[tref(t.Schema, t.Name)] = t
	}
	return m
}
