package autogen

import (
	"encoding/json"

	"github.com/migratehq/migrate/schema"
)

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
// one (and not already the target's). The target itself is not changed.
func withReloaded(cur, tgt, reloaded *schema.Schema) *schema.Schema {
	if reloaded == nil {
		return tgt
	}
	out := deepCopy(tgt)
	// adopt returns c when it is the reloaded form r of t.
	adopt := func(t *string, c, r string) {
		if c != "" && r != "" && !sameText(c, *t) && sameText(c, r) {
			*t = c
		}
	}
	for _, t := range out.Tables {
		c, r := cur.Table(t.Schema, t.Name), reloaded.Table(t.Schema, t.Name)
		if c == nil || r == nil {
			continue
		}
		for _, col := range t.Columns {
			cc, rc := c.Column(col.Name), r.Column(col.Name)
			if cc == nil || rc == nil {
				continue
			}
			adopt(&col.Default, cc.Default, rc.Default)
			if col.Generated != nil && cc.Generated != nil && rc.Generated != nil {
				adopt(&col.Generated.Expr, cc.Generated.Expr, rc.Generated.Expr)
			}
		}
		for _, ck := range t.Checks {
			cc, rc := c.Check(ck.Name), r.Check(ck.Name)
			if cc != nil && rc != nil {
				adopt(&ck.Definition, cc.Definition, rc.Definition)
				adopt(&ck.Expr, cc.Expr, rc.Expr)
			}
		}
		for _, i := range t.Indexes {
			ci, ri := c.Index(i.Name), r.Index(i.Name)
			if ci == nil || ri == nil || !sameIndex(ci, ri, nil) {
				continue
			}
			i.Where, i.Parts, i.Definition = ci.Where, ci.Parts, ci.Definition
		}
		for _, x := range t.Exclusions {
			cx, rx := c.Exclusion(x.Name), r.Exclusion(x.Name)
			if cx != nil && rx != nil {
				adopt(&x.Definition, cx.Definition, rx.Definition)
			}
		}
	}
	for _, v := range out.Views {
		c, r := cur.View(v.Schema, v.Name), reloaded.View(v.Schema, v.Name)
		if c != nil && r != nil {
			adopt(&v.Definition, c.Definition, r.Definition)
		}
	}
	for _, d := range out.Domains {
		c, r := cur.Domain(d.Schema, d.Name), reloaded.Domain(d.Schema, d.Name)
		if c == nil || r == nil {
			continue
		}
		adopt(&d.Default, c.Default, r.Default)
		for _, ck := range d.Checks {
			for _, cc := range c.Checks {
				for _, rc := range r.Checks {
					if cc.Name == ck.Name && rc.Name == ck.Name {
						adopt(&ck.Expr, cc.Expr, rc.Expr)
					}
				}
			}
		}
	}
	for _, f := range out.Functions {
		c, r := findFunction(cur, f), findFunction(reloaded, f)
		if c != nil && r != nil {
			adopt(&f.Definition, c.Definition, r.Definition)
		}
	}
	for _, tr := range out.Triggers {
		for _, c := range cur.TriggersOn(tr.Schema, tr.Table) {
			for _, r := range reloaded.TriggersOn(tr.Schema, tr.Table) {
				if c.Name == tr.Name && r.Name == tr.Name {
					adopt(&tr.Definition, c.Definition, r.Definition)
				}
			}
		}
	}
	return out
}

func deepCopy(s *schema.Schema) *schema.Schema {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err) // the model is plain data
	}
	var out schema.Schema
	if err := json.Unmarshal(b, &out); err != nil {
		panic(err)
	}
	return &out
}
