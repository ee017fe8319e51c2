package lint

// state is what the linter knows of the schema at the statement it is
// reading: the tables (existing, or created by the statements read so
// far), their column types and NOT NULL checks, and the indexes.
type state struct {
	tables  map[string]*table
	gone    map[string]bool // tables dropped by the statements
	indexes map[string]index
	// catalog is set when the state started from a database's schema:
	// then a table the database does not have is not existing.
	catalog bool
}

// table is one table (or materialized view) the linter knows of.
type table struct {
	created bool              // created by the statements read (so empty, and unused by running code)
	cols    map[string]pgType // column types, where known
	// notNull are the columns with a validated CHECK (col IS NOT NULL);
	// checks are the named such checks, validated or not.
	notNull map[string]bool
	checks  map[string]nnCheck
	// added are the columns the statements added: running code does not
	// use them yet.
	added map[string]bool
	// lockedScan are the columns whose CHECK (col IS NOT NULL) was
	// validated in a transaction that already held a lock stronger than
	// VALIDATE's on the table: in that transaction, the check does not
	// make SET NOT NULL safe (the scan ran under that lock).
	lockedScan map[string]*txGroup
}

// nnCheck is a named CHECK (col IS NOT NULL) constraint.
type nnCheck struct {
	col       string
	validated bool
}

// index is one index: its table, and whether the statements created it.
type index struct {
	table   string
	created bool
}

func newTable(created bool) *table {
	return &table{created: created, cols: map[string]pgType{}, notNull: map[string]bool{}, checks: map[string]nnCheck{}, added: map[string]bool{}, lockedScan: map[string]*txGroup{}}
}

// newState starts from the database's schema (cat), or from nothing.
func newState(cat *Catalog) *state {
	st := &state{tables: map[string]*table{}, gone: map[string]bool{}, indexes: map[string]index{}}
	if cat == nil {
		return st
	}
	st.catalog = true
	for k, t := range cat.tables {
		c := newTable(false)
		for n, ty := range t.cols {
			c.cols[n] = ty
		}
		for n := range t.notNull {
			c.notNull[n] = true
		}
		for n, ck := range t.checks {
			c.checks[n] = ck
		}
		st.tables[k] = c
	}
	for k, ix := range cat.indexes {
		st.indexes[k] = ix
	}
	return st
}

// settle makes everything created so far existing: the end of the
// revisions that run before the linted ones.
func (st *state) settle() {
	for _, t := range st.tables {
		t.created = false
		clear(t.added)
	}
	for k, ix := range st.indexes {
		ix.created = false
		st.indexes[k] = ix
	}
}

// existing reports whether the table was there before the linted
// statements began (and still is): the tables whose locks and scans the
// application would feel.
func (st *state) existing(k string) bool {
	if t, ok := st.tables[k]; ok {
		return !t.created
	}
	if st.gone[k] {
		return false
	}
	return !st.catalog
}

// table returns the table k, adding it (existing or not, as [existing]
// says) when the state has not met it.
func (st *state) table(k string) *table {
	t, ok := st.tables[k]
	if !ok {
		t = newTable(!st.existing(k))
		st.tables[k] = t
	}
	return t
}

func (st *state) create(k string) *table {
	t := newTable(true)
	st.tables[k] = t
	delete(st.gone, k)
	return t
}

func (st *state) drop(k string) {
	delete(st.tables, k)
	st.gone[k] = true
	for ik, ix := range st.indexes {
		if ix.table == k {
			delete(st.indexes, ik)
		}
	}
}

func (st *state) rename(from, to string) {
	t := st.table(from)
	delete(st.tables, from)
	st.gone[from] = true
	st.tables[to] = t
	delete(st.gone, to)
	for ik, ix := range st.indexes {
		if ix.table == from {
			ix.table = to
			st.indexes[ik] = ix
		}
	}
}

// indexExisting reports whether index k was there before the linted
// statements, and returns its table ("" when not known).
func (st *state) indexExisting(k string) (bool, string) {
	if ix, ok := st.indexes[k]; ok {
		return !ix.created && st.existing(ix.table), ix.table
	}
	return !st.catalog, ""
}
