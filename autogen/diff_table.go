package autogen

import (
	"regexp"
	"slices"
	"strings"

	"github.com/migratehq/migrate/schema"
)

// tableDiff is the comparison of a table that exists on both sides.
type tableDiff struct {
	cur, tgt       *schema.Table // cur as the current side holds it (old name)
	oldRef, newRef schema.TableRef
	cm             map[string]string // old column name -> new

	// Steps of the table's main ModifyTable, in their sections.
	earlyOpts, dropCons, renameCols, renames, dropCols, addCols, inherit, dropInherited, alterCols, addCons, late []TableChange

	// Foreign keys (compared apart: on PostgreSQL they are dropped
	// before and added after every other table change).
	fks matched[*schema.ForeignKey]
	// droppedKeys are the target-named columns of the primary key,
	// unique constraints and unique indexes dropped (a foreign key that
	// references them must be dropped first and added again after).
	droppedKeys [][]string
	// idxRenames maps old index or constraint names to new ones.
	idxRenames map[string]string
	// freed are drops taken out of dropCons: they free a name another
	// step takes, so they run early (diff_names_free.go).
	freed []TableChange
	// renameBase is the table as the rename phase finds it (current
	// name, foreign keys and freed names dropped).
	renameBase *schema.Table
}

func (d *differ) diffTables() error {
	var newRefs []schema.TableRef
	for ref := range d.tgtTables {
		newRefs = append(newRefs, ref)
	}
	slices.SortFunc(newRefs, compareRef)

	// A table rebuilt takes its partitions with it (DROP TABLE drops
	// them), and theirs.
	rebuild := map[schema.TableRef]bool{}
	for changed := true; changed; {
		changed = false
		for _, ref := range newRefs {
			tt := d.tgtTables[ref]
			ct := d.curTables[d.oldRef(ref)]
			if ct == nil || rebuild[ref] {
				continue
			}
			if needsRebuild(ct, tt) || ct.PartitionOf != nil && rebuild[d.newRef(tref(ct.PartitionOf.Schema, ct.PartitionOf.Table))] {
				rebuild[ref] = true
				changed = true
			}
		}
	}

	var created, dropped, rebuilt []*schema.Table
	var pairs []*tableDiff
	for _, ref := range newRefs {
		tt := d.tgtTables[ref]
		ct := d.curTables[d.oldRef(ref)]
		switch {
		case ct == nil && tt.PartitionOf != nil && rebuild[tref(tt.PartitionOf.Schema, tt.PartitionOf.Table)]:
			// A new partition of a rebuilt table: created after it.
			rebuilt = append(rebuilt, tt)
		case ct == nil:
			created = append(created, tt)
		case rebuild[ref]:
			dropped = append(dropped, ct)
			rebuilt = append(rebuilt, tt)
			d.rebuilt[ref] = true
		default:
			td := d.compareTable(ct, tt)
			d.tables[ref] = td
			pairs = append(pairs, td)
		}
	}
	for ref, ct := range d.curTables {
		if d.tgtTables[d.newRef(ref)] == nil {
			dropped = append(dropped, ct)
		}
	}
	slices.SortFunc(dropped, func(a, b *schema.Table) int { return compareRef(tref(a.Schema, a.Name), tref(b.Schema, b.Name)) })

	if d.caps.lateForeignKeys {
		d.forceForeignKeys(pairs, rebuilt)
	}
	d.takers = d.nameTakers(d.names, pairs, slices.Concat(created, rebuilt))
	for _, td := range pairs {
		d.setAsideFreed(d.names, d.takers, td)
		d.setAsideEnumUsers(td)
	}
	for _, td := range pairs {
		d.emitTable(td)
	}
	d.createTables(created, phCreateTables)
	d.createTables(rebuilt, phModifyTables)
	d.dropTables(dropped, rebuilt)
	return nil
}

// needsRebuild reports a change no ALTER makes: a new partition key, or
// a SQLite virtual table whose statement changed.
func needsRebuild(c, t *schema.Table) bool {
	if c.PartitionBy != t.PartitionBy || c.Virtual != t.Virtual {
		return true
	}
	return c.Virtual && !sameText(c.SQL, t.SQL)
}

// visibleColumns are the columns a table declares itself (a partition's
// or child's inherited-only columns follow the parent).
func visibleColumns(t *schema.Table) []*schema.Column {
	out := make([]*schema.Column, 0, len(t.Columns))
	for _, c := range t.Columns {
		if !c.Inherited {
			out = append(out, c)
		}
	}
	return out
}

// attached reports a key or index of a partition that belongs to its
// parent's (created and dropped with it).
func attached(t *schema.Table, parent string) bool { return t.PartitionOf != nil && parent != "" }

func (d *differ) compareTable(ct, tt *schema.Table) *tableDiff {
	td := &tableDiff{cur: ct, tgt: tt, oldRef: tref(ct.Schema, ct.Name), newRef: tref(tt.Schema, tt.Name),
		cm: d.colRenames[tref(tt.Schema, tt.Name)], idxRenames: map[string]string{}}
	inheritsChange := d.compareColumns(td)
	comparePrimaryKey(td)
	compareUniques(td)
	compareExclusions(td)
	d.compareChecks(td)
	compareIndexes(td)
	// Foreign keys: emitted later (they may be forced).
	td.fks = matchItems(td.cur.ForeignKeys, td.tgt.ForeignKeys,
		func(f *schema.ForeignKey) string { return f.Name },
		func(c, t *schema.ForeignKey) bool { return d.sameForeignKey(c, t, td.cm) })
	d.compareOptions(td, inheritsChange)
	d.markBlocking(td)
	return td
}

// compareColumns records the columns td's table adds, drops, renames and
// alters, and reports whether the table's parents change.
//
// A column a table has only from a parent (a partition's, an
// inheritance child's) follows the parent: it is neither added,
// dropped nor altered here, and whether a column is also declared
// locally is not changed (PostgreSQL has no statement for it). When
// the parents change, the columns of a new parent are added first
// (INHERIT needs them), and those of a parent let go are dropped
// after (NO INHERIT leaves them as local columns).
func (d *differ) compareColumns(td *tableDiff) bool {
	ct, tt, cm := td.cur, td.tgt, td.cm
	inheritsChange := !slices.EqualFunc(d.mapInherits(ct.Inherits), tt.Inherits,
		func(a, b *schema.TableRef) bool { return *a == *b })
	curByName := map[string]*schema.Column{}
	for _, c := range ct.Columns {
		curByName[mapName(c.Name, cm)] = c
	}
	seen := map[string]bool{}
	for _, tc := range tt.Columns {
		cc := curByName[tc.Name]
		if cc == nil {
			switch {
			case !tc.Inherited:
				td.addCols = append(td.addCols, &AddColumn{Column: tc})
			case inheritsChange && tt.PartitionOf == nil:
				local := *tc
				local.Inherited = false
				td.addCols = append(td.addCols, &AddColumn{Column: &local})
			}
			continue
		}
		seen[tc.Name] = true
		if cc.Inherited || tc.Inherited {
			continue
		}
		if cc.Name != tc.Name {
			td.renameCols = append(td.renameCols, &RenameColumn{From: cc.Name, To: tc.Name})
		}
		from := d.enumDefaultFollows(td, cc, d.currentColumn(cc, cm), tc)
		if !sameColumn(d.cur.Dialect, from, tc) {
			td.alterCols = append(td.alterCols, &AlterColumn{From: from, To: tc})
		}
		// An identity's sequence keeps its name when its table or column
		// is renamed; it follows the model's (not compared otherwise).
		if ci, ti := cc.Identity, tc.Identity; ci != nil && ti != nil && ci.SequenceName != "" && ti.SequenceName != "" &&
			ci.SequenceSchema == ti.SequenceSchema && ci.SequenceName != ti.SequenceName && (td.oldRef != td.newRef || cc.Name != tc.Name) {
			d.add(phRename, &RenameSequence{Schema: ci.SequenceSchema, From: ci.SequenceName, To: ti.SequenceName})
		}
	}
	for _, cc := range ct.Columns {
		if seen[mapName(cc.Name, cm)] {
			continue
		}
		switch {
		case !cc.Inherited:
			td.dropCols = append(td.dropCols, &DropColumn{Column: d.enumDefaultFollows(td, cc, d.currentColumn(cc, cm), nil)})
		case inheritsChange && ct.PartitionOf == nil:
			local := *d.currentColumn(cc, cm)
			local.Inherited = false
			td.dropInherited = append(td.dropInherited, &DropColumn{Column: &local})
		}
	}
	return inheritsChange
}

// comparePrimaryKey records a primary key dropped, added or kept under
// another name or comment. One attached to a partition's parent is left
// to the parent.
func comparePrimaryKey(td *tableDiff) {
	ct, tt, cm := td.cur, td.tgt, td.cm
	cpk, tpk := ct.PrimaryKey, tt.PrimaryKey
	if cpk != nil && attached(ct, cpk.Parent) {
		cpk = nil
	}
	if tpk != nil && attached(tt, tpk.Parent) {
		tpk = nil
	}
	switch {
	case cpk == nil && tpk == nil:
	case cpk != nil && tpk != nil && sameKey(cpk, tpk, cm):
		td.sameConstraint(cpk.Name, tpk.Name, cpk.Comment, tpk.Comment)
	default:
		if cpk != nil {
			td.dropCons = append(td.dropCons, &DropPrimaryKey{Key: cpk})
			td.droppedKeys = append(td.droppedKeys, mapNames(cpk.Columns, cm))
		}
		if tpk != nil {
			td.addCons = append(td.addCons, &AddPrimaryKey{Key: tpk})
		}
	}
}

// compareUniques records the unique constraints dropped, added or kept.
func compareUniques(td *tableDiff) {
	ct, tt, cm := td.cur, td.tgt, td.cm
	uq := matchItems(selectItems(ct.Uniques, func(k *schema.Key) bool { return !attached(ct, k.Parent) }),
		selectItems(tt.Uniques, func(k *schema.Key) bool { return !attached(tt, k.Parent) }),
		func(k *schema.Key) string { return k.Name },
		func(c, t *schema.Key) bool { return sameKey(c, t, cm) })
	for _, p := range uq.same {
		td.sameConstraint(p[0].Name, p[1].Name, p[0].Comment, p[1].Comment)
	}
	for _, k := range append(uq.dropped, firsts(uq.changed)...) {
		td.dropCons = append(td.dropCons, &DropUnique{Key: k})
		td.droppedKeys = append(td.droppedKeys, mapNames(k.Columns, cm))
	}
	for _, k := range append(seconds(uq.changed), uq.added...) {
		td.addCons = append(td.addCons, &AddUnique{Key: k})
	}
}

// compareExclusions records the exclusion constraints dropped, added or
// kept.
func compareExclusions(td *tableDiff) {
	ct, tt, cm := td.cur, td.tgt, td.cm
	ex := matchItems(selectItems(ct.Exclusions, func(x *schema.Exclusion) bool { return !attached(ct, x.Parent) }),
		selectItems(tt.Exclusions, func(x *schema.Exclusion) bool { return !attached(tt, x.Parent) }),
		func(x *schema.Exclusion) string { return x.Name },
		func(c, t *schema.Exclusion) bool { return sameExclusion(c, t, cm) })
	for _, p := range ex.same {
		td.sameConstraint(p[0].Name, p[1].Name, p[0].Comment, p[1].Comment)
	}
	for _, x := range append(ex.dropped, firsts(ex.changed)...) {
		td.dropCons = append(td.dropCons, &DropExclusion{Exclusion: x})
	}
	for _, x := range append(seconds(ex.changed), ex.added...) {
		td.addCons = append(td.addCons, &AddExclusion{Exclusion: x})
	}
}

// compareChecks records the checks dropped, added or kept, matched by
// expression. One naming the rowid is rewritten by a rename of the rowid
// alias: dropped before it, added after (diff_rowid.go).
func (d *differ) compareChecks(td *tableDiff) {
	ct, tt, cm := td.cur, td.tgt, td.cm
	rowidMoves := d.rowidAliasRenamed(ct, cm)
	ck := matchItems(selectItems(ct.Checks, func(c *schema.Check) bool { return !c.Inherited }),
		selectItems(tt.Checks, func(c *schema.Check) bool { return !c.Inherited }),
		func(c *schema.Check) string { return c.Name },
		func(c, t *schema.Check) bool { return sameCheck(c, t, cm) && !(rowidMoves && namesRowid(c.Expr)) })
	for _, p := range ck.same {
		td.sameConstraint(p[0].Name, p[1].Name, p[0].Comment, p[1].Comment)
	}
	for _, c := range append(ck.dropped, firsts(ck.changed)...) {
		td.dropCons = append(td.dropCons, &DropCheck{Check: c})
	}
	for _, c := range append(seconds(ck.changed), ck.added...) {
		td.addCons = append(td.addCons, &AddCheck{Check: c})
	}
}

// compareIndexes records the indexes dropped, added, renamed or
// re-commented, matched by definition. A unique index dropped without a
// predicate is remembered among the dropped keys.
func compareIndexes(td *tableDiff) {
	ct, tt, cm := td.cur, td.tgt, td.cm
	ix := matchItems(selectItems(ct.Indexes, func(i *schema.Index) bool { return !attached(ct, i.Parent) }),
		selectItems(tt.Indexes, func(i *schema.Index) bool { return !attached(tt, i.Parent) }),
		func(i *schema.Index) string { return i.Name },
		func(c, t *schema.Index) bool { return sameIndex(c, t, cm) })
	for _, p := range ix.same {
		if p[0].Name != p[1].Name {
			td.renames = append(td.renames, &RenameIndex{From: p[0].Name, To: p[1].Name})
			td.idxRenames[p[0].Name] = p[1].Name
		}
		if p[0].Comment != p[1].Comment {
			td.late = append(td.late, &SetObjectComment{Kind: "index", Name: p[1].Name, From: p[0].Comment, To: p[1].Comment})
		}
	}
	for _, i := range append(ix.dropped, firsts(ix.changed)...) {
		td.dropCons = append(td.dropCons, &DropIndex{Index: i})
		if i.Unique && i.Where == "" {
			var cols []string
			for _, p := range i.Parts {
				cols = append(cols, mapName(p.Column, cm))
			}
			td.droppedKeys = append(td.droppedKeys, cols)
		}
	}
	for _, i := range append(seconds(ix.changed), ix.added...) {
		td.addCons = append(td.addCons, &AddIndex{Index: i})
	}
}

// compareOptions records the table's comment and options: a change of
// parents first, options naming an index cleared early, the rest late.
func (d *differ) compareOptions(td *tableDiff, inheritsChange bool) {
	ct, tt := td.cur, td.tgt
	if ct.Comment != tt.Comment {
		td.late = append(td.late, &SetTableComment{From: ct.Comment, To: tt.Comment})
	}
	from := d.currentOptions(td)
	if inheritsChange {
		mid := *from
		mid.Inherits = tt.Inherits
		td.inherit = append(td.inherit, &SetTableOptions{From: from, To: &mid})
		from = &mid
	}
	if from.ClusterOn != "" && from.ClusterOn != tt.ClusterOn ||
		from.ReplicaIdentity == "INDEX" && (tt.ReplicaIdentity != "INDEX" || from.ReplicaIdentityIndex != tt.ReplicaIdentityIndex) {
		// What names an index goes first (the index may be dropped)
		// and comes back last (it may be created).
		mid := *from
		if mid.ClusterOn != tt.ClusterOn {
			mid.ClusterOn = ""
		}
		if mid.ReplicaIdentity == "INDEX" {
			mid.ReplicaIdentity, mid.ReplicaIdentityIndex = "", ""
		}
		td.earlyOpts = append(td.earlyOpts, &SetTableOptions{From: from, To: &mid})
		from = &mid
	}
	if !sameOptions(from, tt) {
		td.late = append(td.late, &SetTableOptions{From: from, To: tt})
	}
}

// markBlocking marks the table as blocking its views: a view on the
// table does not survive a column dropped, renamed or retyped
// (PostgreSQL refuses; the view's text would name the old column), nor a
// renamed table (its text would name the old table).
func (d *differ) markBlocking(td *tableDiff) {
	if td.oldRef != td.newRef || len(td.renameCols) > 0 || len(td.dropCols) > 0 {
		d.blocking[td.oldRef] = true
	}
	for _, c := range td.alterCols {
		a := c.(*AlterColumn)
		if a.From.Type != a.To.Type || a.From.Collation != a.To.Collation || !sameGenerated(a.From.Generated, a.To.Generated) {
			d.blocking[td.oldRef] = true
		}
	}
}

// sameConstraint records a constraint kept under another name (renamed)
// or with another comment.
func (td *tableDiff) sameConstraint(from, to, fromComment, toComment string) {
	if from != to {
		td.renames = append(td.renames, &RenameConstraint{From: from, To: to})
		td.idxRenames[from] = to
	}
	if fromComment != toComment {
		td.late = append(td.late, &SetObjectComment{Kind: "constraint", Name: to, From: fromComment, To: toComment})
	}
}

// currentColumn is column c of the current side as it reads once the
// renames are done: its new name, its expressions naming renamed columns
// and sequences by their new names.
func (d *differ) currentColumn(c *schema.Column, cm map[string]string) *schema.Column {
	out := *c
	out.Name = mapName(c.Name, cm)
	out.Default = d.renameSequencesIn(c.Default)
	if g := c.Generated; g != nil {
		out.Generated = &schema.Generated{Expr: renameIdents(g.Expr, cm), Stored: g.Stored}
	}
	return &out
}

// renameSequencesIn rewrites nextval('old'::regclass) for the renamed
// sequences, each literal once (renames may swap two names).
func (d *differ) renameSequencesIn(expr string) string {
	if len(d.seqRenames) == 0 || !strings.Contains(expr, "::regclass") {
		return expr
	}
	return regclassLiteral.ReplaceAllStringFunc(expr, func(lit string) string {
		for old, newName := range d.seqRenames {
			if lit == "'"+pgQualify(old.Schema, old.Name)+"'::regclass" {
				return "'" + pgQualify(old.Schema, newName) + "'::regclass"
			}
		}
		return lit
	})
}

var regclassLiteral = regexp.MustCompile(`'(?:[^']|'')*'::regclass`)

// sameColumn compares two columns (names included), leaving out what is
// a name the database chose (an identity's sequence); defaults by value
// when both are constants (sameDefault).
func sameColumn(dialect string, c, t *schema.Column) bool {
	return c.Name == t.Name && c.Type == t.Type && c.NotNull == t.NotNull && sameDefault(dialect, c, t) &&
		sameIdentity(c.Identity, t.Identity) && sameGenerated(c.Generated, t.Generated) &&
		c.Collation == t.Collation && c.Comment == t.Comment && c.AutoIncrement == t.AutoIncrement &&
		c.OnConflict == t.OnConflict && c.Statistics == t.Statistics && c.Storage == t.Storage &&
		c.Compression == t.Compression
}

func sameIdentity(a, b *schema.Identity) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Always == b.Always && a.SequenceOptions == b.SequenceOptions
}

func sameGenerated(a, b *schema.Generated) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Stored == b.Stored && sameText(a.Expr, b.Expr)
}

func (d *differ) sameForeignKey(c, t *schema.ForeignKey, cm map[string]string) bool {
	ref := d.newRef(tref(c.RefSchema, c.RefTable))
	refCM := d.colRenames[ref]
	return sameStrings(mapNames(c.Columns, cm), t.Columns) && ref.Schema == t.RefSchema && ref.Name == t.RefTable &&
		sameStrings(mapNames(c.RefColumns, refCM), t.RefColumns) && fkAction(c.OnDelete) == fkAction(t.OnDelete) &&
		fkAction(c.OnUpdate) == fkAction(t.OnUpdate) && c.Match == t.Match && c.Deferrable == t.Deferrable &&
		c.InitiallyDeferred == t.InitiallyDeferred && c.NotValid == t.NotValid
}

// currentOptions is a copy of the current table as it reads once the
// renames are done, for the table-level settings SetTableOptions
// compares.
func (d *differ) currentOptions(td *tableDiff) *schema.Table {
	ct, cm := td.cur, td.cm
	out := *ct
	out.Schema, out.Name = td.newRef.Schema, td.newRef.Name
	out.ClusterOn = mapName(ct.ClusterOn, td.idxRenames)
	out.ReplicaIdentityIndex = mapName(ct.ReplicaIdentityIndex, td.idxRenames)
	if p := ct.PartitionOf; p != nil {
		r := d.newRef(tref(p.Schema, p.Table))
		out.PartitionOf = &schema.Partition{Schema: r.Schema, Table: r.Name, Bound: p.Bound}
	}
	out.Inherits = d.mapInherits(ct.Inherits)
	rename := func(text string) string {
		if td.oldRef != td.newRef {
			text = renameQualified(text, td.oldRef.Schema, td.oldRef.Name, td.newRef.Name)
		}
		return renameIdents(text, cm)
	}
	if td.oldRef != td.newRef || len(cm) > 0 {
		out.Statistics = nil
		for _, x := range ct.Statistics {
			y := *x
			y.Definition = rename(x.Definition)
			out.Statistics = append(out.Statistics, &y)
		}
		out.Rules = nil
		for _, r := range ct.Rules {
			y := *r
			y.Definition = rename(r.Definition)
			out.Rules = append(out.Rules, &y)
		}
		out.Policies = nil
		for _, p := range ct.Policies {
			y := *p
			y.Using, y.WithCheck = renameIdents(p.Using, cm), renameIdents(p.WithCheck, cm)
			out.Policies = append(out.Policies, &y)
		}
	}
	return &out
}

// mapInherits names the parents of a current table as in the target.
func (d *differ) mapInherits(in []*schema.TableRef) []*schema.TableRef {
	var out []*schema.TableRef
	for _, p := range in {
		r := d.newRef(tref(p.Schema, p.Name))
		out = append(out, &r)
	}
	return out
}

// sameOptions compares what SetTableOptions changes.
func sameOptions(c, t *schema.Table) bool {
	if c.Unlogged != t.Unlogged || !sameSet(c.Options, t.Options) || c.RowSecurity != t.RowSecurity ||
		c.ForceRowSecurity != t.ForceRowSecurity || c.ReplicaIdentity != t.ReplicaIdentity ||
		c.ReplicaIdentityIndex != t.ReplicaIdentityIndex || c.ClusterOn != t.ClusterOn ||
		c.WithoutRowID != t.WithoutRowID || c.Strict != t.Strict {
		return false
	}
	if (c.PartitionOf == nil) != (t.PartitionOf == nil) ||
		c.PartitionOf != nil && (c.PartitionOf.Schema != t.PartitionOf.Schema || c.PartitionOf.Table != t.PartitionOf.Table ||
			!sameText(c.PartitionOf.Bound, t.PartitionOf.Bound)) {
		return false
	}
	if !slices.EqualFunc(c.Inherits, t.Inherits, func(a, b *schema.TableRef) bool { return *a == *b }) {
		return false
	}
	if !slices.EqualFunc(c.Policies, t.Policies, samePolicy) {
		return false
	}
	if !slices.EqualFunc(c.Statistics, t.Statistics, func(a, b *schema.Statistics) bool {
		return a.Schema == b.Schema && a.Name == b.Name && sameText(a.Definition, b.Definition) &&
			a.Target == b.Target && a.Comment == b.Comment
	}) {
		return false
	}
	return slices.EqualFunc(c.Rules, t.Rules, func(a, b *schema.Rule) bool {
		return a.Name == b.Name && sameText(a.Definition, b.Definition) && a.Enabled == b.Enabled && a.Comment == b.Comment
	})
}

func samePolicy(a, b *schema.Policy) bool {
	return a.Name == b.Name && a.Command == b.Command && a.Permissive == b.Permissive &&
		sameSet(a.Roles, b.Roles) && sameText(a.Using, b.Using) && sameText(a.WithCheck, b.WithCheck) &&
		a.Comment == b.Comment
}

// forceForeignKeys moves the foreign keys that reference a key being
// dropped (or a table being rebuilt) from kept to dropped and added
// again: PostgreSQL does not drop a key a foreign key uses.
func (d *differ) forceForeignKeys(pairs []*tableDiff, rebuilt []*schema.Table) {
	dropped := map[schema.TableRef][][]string{}
	for _, td := range pairs {
		if len(td.droppedKeys) > 0 {
			dropped[td.newRef] = td.droppedKeys
		}
	}
	whole := map[schema.TableRef]bool{}
	for _, t := range rebuilt {
		whole[tref(t.Schema, t.Name)] = true
	}
	if len(dropped) == 0 && len(whole) == 0 {
		return
	}
	for _, td := range pairs {
		var keepSame [][2]*schema.ForeignKey
		for _, p := range td.fks.same {
			t := p[1]
			ref := tref(t.RefSchema, t.RefTable)
			force := whole[ref]
			for _, cols := range dropped[ref] {
				if sameSet(cols, t.RefColumns) {
					force = true
				}
			}
			if force {
				td.fks.changed = append(td.fks.changed, p)
			} else {
				keepSame = append(keepSame, p)
			}
		}
		td.fks.same = keepSame
	}
}

// emitTable adds the ModifyTable changes of a table on both sides.
func (d *differ) emitTable(td *tableDiff) {
	for _, p := range td.fks.same {
		td.sameConstraint(p[0].Name, p[1].Name, p[0].Comment, p[1].Comment)
	}
	// Renames of relation names go to the rename phase; the others are
	// ordered here.
	var relRenames []TableChange
	td.renames = slices.DeleteFunc(td.renames, func(tc TableChange) bool {
		if d.relationRename(tc) {
			relRenames = append(relRenames, tc)
			return true
		}
		return false
	})
	d.orderTableRenames(d.names, td)
	fkDrops := append(slices.Clone(td.fks.dropped), firsts(td.fks.changed)...)
	fkAdds := append(seconds(td.fks.changed), td.fks.added...)

	renamed := func(t *schema.Table) *schema.Table {
		c := *t
		c.Schema, c.Name = td.newRef.Schema, td.newRef.Name
		return &c
	}
	withFKs := func(t *schema.Table, fks []*schema.ForeignKey) *schema.Table {
		c := *t
		c.ForeignKeys = fks
		return &c
	}
	main := slices.Concat(td.earlyOpts, td.dropCons)
	var adds []TableChange
	if !d.caps.lateForeignKeys {
		for _, fk := range fkDrops {
			main = append(main, &DropForeignKey{ForeignKey: fk})
		}
		for _, fk := range fkAdds {
			adds = append(adds, &AddForeignKey{ForeignKey: fk})
		}
		fkDrops, fkAdds = nil, nil
	}
	main = slices.Concat(main, td.renameCols, td.renames, td.dropCols, td.addCols, td.inherit, td.dropInherited,
		td.alterCols, td.addCons, adds, td.late)

	from := td.cur
	if len(fkDrops) > 0 {
		var steps []TableChange
		for _, fk := range fkDrops {
			steps = append(steps, &DropForeignKey{ForeignKey: fk})
		}
		to := withFKs(td.cur, without(td.cur.ForeignKeys, fkDrops))
		d.add(phDropForeignKeys, &ModifyTable{From: from, To: to, Changes: steps})
		from = to
	}
	from = d.freeTableNames(d.names, d.takers, from, td.freed, false)
	td.renameBase = from
	for _, tc := range relRenames {
		m := &nameMove{kind: moveIndex, td: td, nsp: td.newRef.Schema}
		switch r := tc.(type) {
		case *RenameIndex:
			m.from, m.to = r.From, r.To
		case *RenameConstraint:
			m.kind, m.from, m.to, m.indexed = moveConstraint, r.From, r.To, indexedConstraint(td.cur, r.From)
		}
		d.relMoves = append(d.relMoves, m)
		from = renameIn(from, m.from, m.to)
	}
	to := td.tgt
	if len(fkAdds) > 0 {
		to = withFKs(td.tgt, without(td.tgt.ForeignKeys, fkAdds))
	}
	if len(main) > 0 {
		d.add(phModifyTables, &ModifyTable{From: renamed(from), To: to, Changes: main})
	}
	if len(fkAdds) > 0 {
		var steps []TableChange
		for _, fk := range fkAdds {
			steps = append(steps, &AddForeignKey{ForeignKey: fk})
		}
		d.add(phAddForeignKeys, &ModifyTable{From: to, To: td.tgt, Changes: steps})
	}
}

// createTables creates tables (parents before partitions, referenced
// before referencing). On PostgreSQL a new table's foreign keys other
// than those to itself are added once every table exists.
func (d *differ) createTables(tables []*schema.Table, phase int) {
	if len(tables) == 0 {
		return
	}
	for _, t := range tableOrder(&schema.Schema{Tables: tables}) {
		if !d.caps.lateForeignKeys {
			d.add(phase, &CreateObject{Object: t})
			continue
		}
		var self, others []*schema.ForeignKey
		for _, fk := range t.ForeignKeys {
			if fk.RefSchema == t.Schema && fk.RefTable == t.Name || fk.RefSchema == "" && fk.RefTable == t.Name {
				self = append(self, fk)
			} else {
				others = append(others, fk)
			}
		}
		if len(others) == 0 {
			d.add(phase, &CreateObject{Object: t})
			continue
		}
		c := *t
		c.ForeignKeys = self
		d.add(phase, &CreateObject{Object: &c})
		var steps []TableChange
		for _, fk := range others {
			steps = append(steps, &AddForeignKey{ForeignKey: fk})
		}
		d.add(phAddForeignKeys, &ModifyTable{From: &c, To: t, Changes: steps})
	}
}

// dropTables drops tables, partitions and children first. On PostgreSQL
// the foreign keys between two dropped tables are dropped first, so the
// order needs no cycle breaking, and so are those to a kept table whose
// name, referenced columns or referenced key change (cutFromDropped). A
// rebuilt table is dropped just before it is created again.
func (d *differ) dropTables(tables, rebuilt []*schema.Table) {
	if len(tables) == 0 {
		return
	}
	gone := map[schema.TableRef]bool{}
	for _, t := range tables {
		gone[tref(t.Schema, t.Name)] = true
	}
	isRebuilt := map[schema.TableRef]bool{}
	for _, t := range rebuilt {
		isRebuilt[tref(t.Schema, t.Name)] = true
	}
	order := tableOrder(&schema.Schema{Tables: tables})
	slices.Reverse(order)
	early := d.earlyTableDrops(order, gone, isRebuilt)
	var drops, rebuildDrops, earlyDrops []Change
	for _, t := range order {
		ref := tref(t.Schema, t.Name)
		obj := t
		if d.caps.lateForeignKeys {
			var kept, cut []*schema.ForeignKey
			for _, fk := range t.ForeignKeys {
				if d.cutFromDropped(fk, ref, gone) {
					cut = append(cut, fk)
				} else {
					kept = append(kept, fk)
				}
			}
			if len(cut) > 0 {
				c := *t
				c.ForeignKeys = kept
				var steps []TableChange
				for _, fk := range cut {
					steps = append(steps, &DropForeignKey{ForeignKey: fk})
				}
				d.add(phDropForeignKeys, &ModifyTable{From: t, To: &c, Changes: steps})
				obj = &c
			}
		}
		if early[ref] {
			earlyDrops = append(earlyDrops, &DropObject{Object: obj})
			continue
		}
		if !isRebuilt[ref] {
			obj = d.freeTableNames(d.names, d.takers, obj, nil, true)
		}
		if isRebuilt[ref] {
			rebuildDrops = append(rebuildDrops, &DropObject{Object: obj})
		} else {
			drops = append(drops, &DropObject{Object: obj})
		}
	}
	d.add(phFreeNames, earlyDrops...)
	d.add(phDropTables, drops...)
	// A rebuilt table is dropped right before its creation.
	if len(rebuildDrops) > 0 {
		d.phase[phModifyTables] = append(rebuildDrops, d.phase[phModifyTables]...)
	}
}

func selectItems[T any](s []T, ok func(T) bool) []T {
	var out []T
	for _, x := range s {
		if ok(x) {
			out = append(out, x)
		}
	}
	return out
}

func firsts[T any](pairs [][2]T) []T {
	out := make([]T, len(pairs))
	for i, p := range pairs {
		out[i] = p[0]
	}
	return out
}

func seconds[T any](pairs [][2]T) []T {
	out := make([]T, len(pairs))
	for i, p := range pairs {
		out[i] = p[1]
	}
	return out
}

// without returns s without the items of drop (by identity).
func without[T comparable](s, drop []T) []T {
	var out []T
	for _, x := range s {
		if !slices.Contains(drop, x) {
			out = append(out, x)
		}
	}
	return out
}
