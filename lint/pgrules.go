package lint

import (
	"strings"

	"github.com/migratehq/migrate/sqlsplit"
)

// create handles CREATE TABLE, INDEX, MATERIALIZED VIEW, and the CREATE
// statements PostgreSQL refuses inside a transaction.
func (l *pgLinter) create(t toks) {
	i := t.skip(1, "or", "replace")
	for _, w := range []string{"global", "local", "temporary", "temp", "unlogged"} {
		i = t.skip(i, w)
	}
	switch {
	case t.at(i, "table"):
		l.createTable(t, i+1)
	case t.at(i, "index"), t.at(i, "unique", "index"):
		l.createIndex(t, t.skip(i, "unique")+1)
	case t.at(i, "materialized", "view"):
		j := t.skip(i+2, "if", "not", "exists")
		if k, _, ok := t.name(j); ok && !l.mayExist(k, j > i+2) {
			l.st.create(k)
		}
	case t.at(i, "database"), t.at(i, "tablespace"):
		l.noTx(t[0], "CREATE "+strings.ToUpper(t[i].Text))
	}
}

// createTable records a new table, with its column types and NOT NULL
// checks; i is just after TABLE.
func (l *pgLinter) createTable(t toks, i int) {
	j := t.skip(i, "if", "not", "exists")
	ifNotExists := j > i
	k, i, ok := t.name(j)
	if !ok || l.mayExist(k, ifNotExists) {
		return
	}
	tb := l.st.create(k)
	if !t.punct(i, "(") {
		return // AS …, PARTITION OF …, OF type
	}
	for _, el := range t[i+1 : t.close(i)].split() {
		if name, col, ok := notNullCheck(el); ok {
			tb.notNull[col] = true
			if name != "" {
				tb.checks[name] = nnCheck{col: col, validated: true}
			}
			continue
		}
		if isTableConstraint(el) {
			continue
		}
		if cd, ok := parseColDef(el); ok {
			tb.cols[cd.name] = cd.ty
		}
	}
}

// mayExist reports whether a CREATE … IF NOT EXISTS of table k
// (ifNotExists) may find k already there, and so create nothing: when
// the state knows k (from the catalog, an earlier revision, or an
// earlier statement), or, with no catalog, when nothing dropped it
// earlier in the run (every table the statements did not create counts
// as existing then). The table then keeps what the state knows of it.
func (l *pgLinter) mayExist(k string, ifNotExists bool) bool {
	if !ifNotExists {
		return false
	}
	if _, ok := l.st.tables[k]; ok {
		return true
	}
	return !l.st.catalog && !l.st.gone[k]
}

// createIndex: i is just after INDEX.
func (l *pgLinter) createIndex(t toks, i int) {
	conc := t.at(i, "concurrently")
	i = t.skip(t.skip(i, "concurrently"), "if", "not", "exists")
	name := ""
	if !t.at(i, "on") && t.ident(i) {
		name, i = t[i].Name(), i+1
	}
	if !t.at(i, "on") {
		return
	}
	k, _, ok := t.name(t.skip(i+1, "only"))
	if !ok {
		return
	}
	if name != "" {
		l.st.indexes[key(schemaOf(k), name)] = index{table: k, created: true}
	}
	switch {
	case conc:
		l.noTx(t[0], "CREATE INDEX CONCURRENTLY")
		l.ddl(k, LockShareUpdateExclusive)
		return
	case l.st.existing(k):
		l.report(CodeIndexNotConcurrent, t[0], k, "CREATE INDEX on existing table %s blocks its writes (SHARE lock) while the index is built", k)
	}
	l.ddl(k, LockShare)
}

// schemaOf returns the schema part of a table key ("" for public).
func schemaOf(k string) string {
	if i := strings.IndexByte(k, '.'); i >= 0 {
		return k[:i]
	}
	return ""
}

// drop handles DROP TABLE, INDEX, MATERIALIZED VIEW, DATABASE and
// TABLESPACE.
func (l *pgLinter) drop(t toks) {
	switch {
	case t.at(1, "table"):
		for _, el := range t[t.skip(2, "if", "exists"):].split() {
			k, _, ok := el.name(0)
			if !ok {
				continue
			}
			if l.st.existing(k) {
				l.report(CodeDropTable, el[0], k, "DROP TABLE %s breaks the code still running that uses it", k)
			}
			l.st.drop(k)
		}
	case t.at(1, "index"):
		l.dropIndex(t)
	case t.at(1, "materialized", "view"):
		for _, el := range t[t.skip(3, "if", "exists"):].split() {
			if k, _, ok := el.name(0); ok {
				l.st.drop(k)
			}
		}
	case t.at(1, "database"), t.at(1, "tablespace"):
		l.noTx(t[0], "DROP "+strings.ToUpper(t[1].Text))
	}
}

func (l *pgLinter) dropIndex(t toks) {
	conc := t.at(2, "concurrently")
	if conc {
		l.noTx(t[0], "DROP INDEX CONCURRENTLY")
	}
	for _, el := range t[t.skip(t.skip(2, "concurrently"), "if", "exists"):].split() {
		k, _, ok := el.name(0)
		if !ok {
			continue
		}
		existing, table := l.st.indexExisting(k)
		delete(l.st.indexes, k)
		switch {
		case table != "" && conc:
			l.ddl(table, LockShareUpdateExclusive)
		case table != "":
			l.ddl(table, LockAccessExclusive)
		}
		if existing && !conc {
			on := "its table"
			if table != "" {
				on = "its table " + table
			}
			l.report(CodeDropIndexNotConcurrent, el[0], table, "DROP INDEX %s takes ACCESS EXCLUSIVE on %s, blocking reads and writes while it waits for running queries", k, on)
		}
	}
}

// vacuum: VACUUM cannot run in a transaction; VACUUM FULL rewrites.
func (l *pgLinter) vacuum(t toks) {
	l.noTx(t[0], "VACUUM")
	full, i := false, 1
	if t.punct(1, "(") {
		for _, o := range t[2:t.close(1)].split() {
			if o.at(0, "full") && !(o.at(1, "false") || o.at(1, "off") || len(o) > 1 && o[1].Text == "0") {
				full = true
			}
		}
		i = t.close(1) + 1
	} else {
		for ; t.at(i, "full") || t.at(i, "freeze") || t.at(i, "verbose") || t.at(i, "analyze") || t.at(i, "analyse"); i++ {
			full = full || t.at(i, "full")
		}
	}
	if !full {
		return
	}
	if i >= len(t) {
		l.report(CodeVacuumFull, t[0], "", "VACUUM FULL rewrites every table of the database under ACCESS EXCLUSIVE")
		return
	}
	for _, el := range t[i:].split() {
		if k, _, ok := el.name(0); ok && l.st.existing(k) {
			l.report(CodeVacuumFull, t[0], k, "VACUUM FULL rewrites %s under ACCESS EXCLUSIVE: no reads or writes until it ends", k)
		}
	}
}

// cluster: CLUSTER rewrites the table in index order.
func (l *pgLinter) cluster(t toks) {
	i := t.skip(1, "verbose")
	if t.punct(i, "(") {
		i = t.close(i) + 1
	}
	k, j, ok := t.name(i)
	if !ok {
		l.noTx(t[0], "CLUSTER without a table")
		l.report(CodeCluster, t[0], "", "CLUSTER rewrites every clustered table of the database under ACCESS EXCLUSIVE")
		return
	}
	if t.at(j, "on") { // CLUSTER index ON table, the old syntax
		if k, _, ok = t.name(j + 1); !ok {
			return
		}
	}
	if l.st.existing(k) {
		l.report(CodeCluster, t[0], k, "CLUSTER rewrites %s under ACCESS EXCLUSIVE: no reads or writes until it ends", k)
	}
	l.ddl(k, LockAccessExclusive)
}

// refresh: REFRESH MATERIALIZED VIEW without CONCURRENTLY.
func (l *pgLinter) refresh(t toks) {
	conc := t.at(3, "concurrently")
	k, _, ok := t.name(t.skip(3, "concurrently"))
	if !ok || conc || !l.st.existing(k) {
		return
	}
	l.report(CodeRefreshNotConcurrent, t[0], k, "REFRESH MATERIALIZED VIEW %s takes ACCESS EXCLUSIVE on it: no one can read it until the query has run again", k)
}

// colDef is a column definition: name, type, then the rest (default,
// constraints).
type colDef struct {
	name string
	ty   pgType
	cons toks
}

// columnWords end a column's type: what may follow it in a definition.
var columnWords = map[string]bool{
	"constraint": true, "not": true, "null": true, "default": true, "primary": true,
	"unique": true, "check": true, "references": true, "generated": true,
	"collate": true, "compression": true, "storage": true,
}

func parseColDef(el toks) (colDef, bool) {
	if !el.ident(0) || len(el) < 2 {
		return colDef{}, false
	}
	j := 1
	for ; j < len(el); j++ {
		if el[j].Kind == sqlsplit.Word && columnWords[strings.ToLower(el[j].Text)] {
			break
		}
		if el.punct(j, "(") || el.punct(j, "[") {
			j = el.close(j)
		}
	}
	return colDef{name: el[0].Name(), ty: parseType(el[1:min(j, len(el))]), cons: el[min(j, len(el)):]}, true
}

// isTableConstraint tells a table constraint (or LIKE) from a column in
// a CREATE TABLE list.
func isTableConstraint(el toks) bool {
	for _, w := range []string{"constraint", "primary", "unique", "check", "foreign", "exclude", "like"} {
		if el.at(0, w) {
			return true
		}
	}
	return false
}

// notNullCheck reads "[CONSTRAINT name] CHECK (col IS NOT NULL)".
func notNullCheck(el toks) (name, col string, ok bool) {
	i := 0
	if el.at(0, "constraint") && el.ident(1) {
		name, i = el[1].Name(), 2
	}
	if !el.at(i, "check") {
		return "", "", false
	}
	in := el.inner(i + 1)
	if len(in) == 4 && in.ident(0) && in.at(1, "is", "not", "null") {
		return name, in[0].Name(), true
	}
	return "", "", false
}
