package lint

import (
	"github.com/migratehq/migrate/sqlsplit"
)

// alterTable reads ALTER TABLE: a RENAME, or a list of actions.
func (l *pgLinter) alterTable(t toks) {
	i := t.skip(t.skip(2, "if", "exists"), "only")
	k, i, ok := t.name(i)
	if !ok {
		return
	}
	if t.punct(i, "*") {
		i++
	}
	rest := t[i:]
	if rest.at(0, "rename") {
		l.rename(k, rest)
		l.ddl(k, LockAccessExclusive)
		return
	}
	actions := rest.split()
	l.stmtLock = ""
	for _, a := range actions {
		if lock := actionLock(a); lockRank[lock] > lockRank[l.stmtLock] {
			l.stmtLock = lock
		}
	}
	defer func() { l.stmtLock = "" }()
	for _, a := range actions {
		l.action(k, a)
	}
}

// actionLock is the lock one ALTER TABLE action takes on its table: the
// statement takes the strongest of its actions' locks.
func actionLock(a toks) string {
	switch {
	case len(a) == 0:
		return ""
	case a.at(0, "add") && a.has("foreign", "key"):
		return LockShareRowExclusive
	case a.at(0, "validate", "constraint"):
		return LockShareUpdateExclusive
	}
	return LockAccessExclusive
}

// action is one action of an ALTER TABLE on table k.
func (l *pgLinter) action(k string, a toks) {
	if len(a) == 0 {
		return
	}
	lock := actionLock(a)
	switch {
	case a.at(0, "add"):
		l.add(k, a)
	case a.at(0, "drop", "constraint"):
		l.dropConstraint(k, a)
	case a.at(0, "drop"):
		if j := a.skip(a.skip(1, "column"), "if", "exists"); a.ident(j) {
			l.dropColumn(k, a[j])
		}
	case a.at(0, "alter"):
		l.alterColumn(k, a)
	case a.at(0, "validate", "constraint"):
		l.validate(k, a)
	case a.at(0, "detach", "partition") && a.has("concurrently"):
		l.noTx(a[0], "DETACH PARTITION CONCURRENTLY")
	}
	l.ddl(k, lock)
}

// add is ADD COLUMN or ADD [CONSTRAINT name] constraint.
func (l *pgLinter) add(k string, a toks) {
	j := 1
	if a.at(1, "constraint") {
		j = 3
	}
	existing := l.st.existing(k)
	switch {
	case a.at(j, "primary", "key"), a.at(j, "unique"):
		if existing && !a.has("using", "index") {
			l.report(CodeConstraintWithoutIndex, a[0], k, "ADD %s on existing table %s builds its index under ACCESS EXCLUSIVE: no reads or writes until it is built", upper(a[j:]), k)
		}
	case a.at(j, "foreign", "key"):
		if existing && !a.has("not", "valid") {
			l.report(CodeForeignKeyValidated, a[0], k, "ADD FOREIGN KEY on existing table %s checks every row under %s: %s", k, l.lockOf(CodeForeignKeyValidated), l.fkBlocks())
		}
	case a.at(j, "check"):
		l.addCheck(k, a, existing)
	case a.at(j, "exclude"):
		if existing {
			l.report(CodeExclusionConstraint, a[0], k, "ADD EXCLUDE on existing table %s builds its index and checks every row under ACCESS EXCLUSIVE: no reads or writes until it is built", k)
		}
	default:
		l.addColumn(k, a[a.skip(a.skip(1, "column"), "if", "not", "exists"):])
	}
}

// fkBlocks says what an ADD FOREIGN KEY's scan blocks, with the lock the
// whole statement takes.
func (l *pgLinter) fkBlocks() string {
	if l.lockOf(CodeForeignKeyValidated) == LockAccessExclusive {
		return "no reads or writes of it until it ends (another action of the statement takes ACCESS EXCLUSIVE), and no writes to the referenced table"
	}
	return "no writes to it or the referenced table until it ends"
}

// upper names a constraint kind for a message: "PRIMARY KEY" or "UNIQUE".
func upper(a toks) string {
	if a.at(0, "primary") {
		return "PRIMARY KEY"
	}
	return "UNIQUE"
}

func (l *pgLinter) addCheck(k string, a toks, existing bool) {
	notValid := a.has("not", "valid")
	if name, col, ok := notNullCheck(a[1:]); ok {
		tb := l.st.table(k)
		if name != "" {
			tb.checks[name] = nnCheck{col: col, validated: !notValid}
		}
		if !notValid {
			tb.notNull[col] = true
		}
	}
	if existing && !notValid {
		l.report(CodeCheckValidated, a[0], k, "ADD CHECK on existing table %s checks every row under ACCESS EXCLUSIVE: no reads or writes until it ends", k)
	}
}

// volatileFuncs are volatile functions often used as column defaults: a
// column added with one is filled row by row, rewriting the table.
var volatileFuncs = map[string]bool{
	"random": true, "clock_timestamp": true, "timeofday": true, "gen_random_uuid": true,
	"gen_random_bytes": true, "uuid_generate_v1": true, "uuid_generate_v1mc": true,
	"uuid_generate_v4": true, "uuidv4": true, "uuidv7": true, "nextval": true, "setseed": true,
}

// addColumn: a is the column definition after ADD [COLUMN] [IF NOT EXISTS].
func (l *pgLinter) addColumn(k string, a toks) {
	cd, ok := parseColDef(a)
	if !ok {
		return
	}
	tb := l.st.table(k)
	tb.cols[cd.name], tb.added[cd.name] = cd.ty, true
	if !l.st.existing(k) {
		return
	}
	generated := cd.cons.has("generated")
	if why := rewritingColumn(cd); why != "" {
		l.report(CodeVolatileDefault, a[0], k, "ADD COLUMN %s %s: every row of %s is written under ACCESS EXCLUSIVE", cd.name, why, k)
	} else if cd.cons.has("not", "null") && !cd.cons.has("default") && !generated && !cd.cons.has("primary", "key") {
		l.report(CodeNotNullNoDefault, a[0], k, "ADD COLUMN %s NOT NULL with no default fails if %s has rows, and inserts by running code that do not name it fail", cd.name, k)
	}
	if cd.cons.has("primary", "key") || cd.cons.has("unique") {
		l.report(CodeConstraintWithoutIndex, a[0], k, "ADD COLUMN %s … %s builds an index on existing table %s under ACCESS EXCLUSIVE", cd.name, upper(cd.cons[cd.cons.find(firstOf(cd.cons, "primary", "unique")):]), k)
	}
	if cd.cons.has("references") {
		l.report(CodeForeignKeyValidated, a[0], k, "ADD COLUMN %s … REFERENCES checks every row of existing table %s under %s: %s", cd.name, k, l.lockOf(CodeForeignKeyValidated), l.fkBlocks())
	}
	if cd.cons.has("check") {
		l.report(CodeCheckValidated, a[0], k, "ADD COLUMN %s … CHECK checks every row of existing table %s under ACCESS EXCLUSIVE: no reads or writes until it ends", cd.name, k)
	}
}

// firstOf returns whichever of the words comes first at the top level of t.
func firstOf(t toks, ws ...string) string {
	best, at := "", len(t)
	for _, w := range ws {
		if i := t.find(w); i >= 0 && i < at {
			best, at = w, i
		}
	}
	return best
}

// rewritingColumn says why adding the column rewrites the table, or "".
func rewritingColumn(cd colDef) string {
	switch cd.ty.name {
	case "serial", "bigserial", "smallserial":
		return "of type " + cd.ty.name + " fills every row from a sequence"
	}
	if g := cd.cons.find("generated"); g >= 0 {
		switch {
		case cd.cons.has("stored"):
			return "GENERATED … STORED computes every row"
		case cd.cons[g:].has("identity"):
			return "GENERATED … AS IDENTITY fills every row from a sequence"
		}
	}
	d := cd.cons.find("default")
	if d < 0 {
		return ""
	}
	for i := d + 1; i < len(cd.cons); i++ {
		if cd.cons.ident(i) && cd.cons.punct(i+1, "(") && volatileFuncs[cd.cons[i].Name()] {
			return "DEFAULT " + cd.cons[i].Name() + "() is volatile, so it is evaluated for every row"
		}
	}
	return ""
}

func (l *pgLinter) dropConstraint(k string, a toks) {
	j := a.skip(2, "if", "exists")
	if !a.ident(j) {
		return
	}
	tb := l.st.table(k)
	if c, ok := tb.checks[a[j].Name()]; ok {
		delete(tb.checks, a[j].Name())
		if c.validated {
			delete(tb.notNull, c.col)
		}
	}
}

func (l *pgLinter) dropColumn(k string, col sqlsplit.Token) {
	tb := l.st.table(k)
	name := col.Name()
	added := tb.added[name]
	delete(tb.cols, name)
	delete(tb.added, name)
	if l.st.existing(k) && !added {
		l.report(CodeDropColumn, col, k, "DROP COLUMN %s.%s breaks the code still running that reads or writes it", k, name)
	}
}

// alterColumn: ALTER [COLUMN] col TYPE … / SET NOT NULL.
func (l *pgLinter) alterColumn(k string, a toks) {
	j := a.skip(1, "column")
	if !a.ident(j) {
		return
	}
	col := a[j].Name()
	rest := a[j+1:]
	switch {
	case rest.at(0, "type"), rest.at(0, "set", "data", "type"):
		l.alterType(k, col, a[j], rest[rest.find("type")+1:])
	case rest.at(0, "set", "not", "null"):
		l.setNotNull(k, col, a[0])
	}
}

// setNotNull: SET NOT NULL scans the table unless a validated CHECK (col
// IS NOT NULL) proves it; one validated in this same transaction under a
// stronger lock than VALIDATE's does not count (the scan ran under it).
func (l *pgLinter) setNotNull(k, col string, at sqlsplit.Token) {
	if !l.st.existing(k) {
		return
	}
	tb := l.st.table(k)
	switch g := tb.lockedScan[col]; {
	case !tb.notNull[col]:
		l.report(CodeSetNotNull, at, k, "SET NOT NULL on %s.%s checks every row under ACCESS EXCLUSIVE: no validated CHECK (%s IS NOT NULL) lets PostgreSQL skip the scan", k, col, col)
	case g != nil && g == l.group:
		l.report(CodeSetNotNull, at, k, "SET NOT NULL on %s.%s: its CHECK (%s IS NOT NULL) was validated in this same transaction, under the lock an earlier statement took, so the scan ran under ACCESS EXCLUSIVE all the same", k, col, col)
	}
}

// alterType: ty is what follows TYPE (the type, then COLLATE, USING).
func (l *pgLinter) alterType(k, col string, at sqlsplit.Token, ty toks) {
	end := len(ty)
	for _, w := range []string{"collate", "using"} {
		if i := ty.find(w); i >= 0 && i < end {
			end = i
		}
	}
	using := ty.has("using")
	to := parseType(ty[:end])
	tb := l.st.table(k)
	from, known := tb.cols[col]
	tb.cols[col] = to
	if !l.st.existing(k) || !using && known && noRewrite(from, to) {
		return
	}
	l.report(CodeTypeRewrite, at, k, "%s", describeChange(k+"."+col, from, known, to, using))
}

// validate: VALIDATE CONSTRAINT scans the table under SHARE UPDATE
// EXCLUSIVE, which lets reads and writes go on, unless an earlier
// statement of its transaction (its ADD … NOT VALID, often) already took
// a stronger lock on the table: the scan then runs under that lock.
func (l *pgLinter) validate(k string, a toks) {
	if !a.ident(2) {
		return
	}
	name := a[2].Name()
	held := l.heldLock(k)
	locked := lockRank[held] > lockRank[LockShareUpdateExclusive]
	if locked && l.st.existing(k) {
		l.reportLock(CodeValidateUnderLock, held, a[0], k, "VALIDATE CONSTRAINT %s scans %s in a transaction that already holds %s on it (an earlier statement of the transaction took it; with --tx all, consecutive revisions share one): %s until it commits", name, k, held, blocks(held))
	}
	tb := l.st.table(k)
	if c, ok := tb.checks[name]; ok {
		c.validated = true
		tb.checks[name] = c
		tb.notNull[c.col] = true
		if locked {
			tb.lockedScan[c.col] = l.group
		} else {
			delete(tb.lockedScan, c.col)
		}
	}
}

// blocks says what a lock stops: reads and writes, or writes.
func blocks(lock string) string {
	if lock == LockAccessExclusive {
		return "no reads or writes"
	}
	return "no writes"
}

// rename: RENAME TO, RENAME [COLUMN] a TO b, RENAME CONSTRAINT a TO b.
func (l *pgLinter) rename(k string, r toks) {
	existing := l.st.existing(k)
	switch {
	case r.at(1, "to") && r.ident(2):
		to := key(schemaOf(k), r[2].Name())
		if existing {
			l.report(CodeRenameTable, r[0], k, "RENAME %s TO %s breaks the code still running that uses the old name", k, to)
		}
		l.st.rename(k, to)
	case r.at(1, "constraint") && r.at(3, "to") && r.ident(4):
		tb := l.st.table(k)
		if c, ok := tb.checks[r[2].Name()]; ok {
			delete(tb.checks, r[2].Name())
			tb.checks[r[4].Name()] = c
		}
	default:
		j := r.skip(1, "column")
		if !r.ident(j) || !r.at(j+1, "to") || !r.ident(j+2) {
			return
		}
		tb := l.st.table(k)
		from, to := r[j].Name(), r[j+2].Name()
		if ty, ok := tb.cols[from]; ok {
			delete(tb.cols, from)
			tb.cols[to] = ty
		}
		if tb.notNull[from] {
			delete(tb.notNull, from)
			tb.notNull[to] = true
		}
		added := tb.added[from]
		if added {
			delete(tb.added, from)
			tb.added[to] = true
		}
		if existing && !added {
			l.report(CodeRenameColumn, r[j], k, "RENAME COLUMN %s TO %s on %s breaks the code still running that uses the old name", from, to, k)
		}
	}
}
