package introspect

import (
	"fmt"
	"strings"
)

// This file parses the CREATE TABLE and CREATE INDEX statements SQLite keeps
// in sqlite_schema.sql into plain structs, using the tokens of sqlitelex.go.
// It follows the grammar of SQLite's parse.y (including its leniencies: table
// constraints need no comma between them, a CONSTRAINT name may stand alone,
// AUTOINCREMENT may sit inside PRIMARY KEY(...)). Expressions are not parsed:
// their exact source text is kept, sliced from the original statement.

// ddlConsKind is the kind of a column or table constraint.
type ddlConsKind int

const (
	consPrimaryKey ddlConsKind = iota + 1
	consNotNull
	consNull
	consUnique
	consCheck
	consDefault
	consCollate
	consForeignKey
	consGenerated
)

// ddlTable is a parsed CREATE TABLE or CREATE VIRTUAL TABLE statement.
type ddlTable struct {
	Name         string
	Columns      []ddlColumn
	Constraints  []ddlConstraint // table constraints, in source order
	WithoutRowID bool
	Strict       bool

	Virtual    bool   // CREATE VIRTUAL TABLE
	Module     string // virtual table module (fts5, rtree …)
	ModuleArgs string // raw text between the parentheses after the module name
}

// ddlColumn is one column definition.
type ddlColumn struct {
	Name        string
	Type        string // declared type, as written
	Constraints []ddlConstraint
}

// ddlConstraint is a column or table constraint.
type ddlConstraint struct {
	Name string // CONSTRAINT name, "" if none
	Kind ddlConsKind

	Columns       []ddlIndexedColumn // table PRIMARY KEY / UNIQUE
	Order         string             // column PRIMARY KEY: "ASC", "DESC" or ""
	Conflict      string             // ON CONFLICT algorithm, upper case
	Autoincrement bool               // PRIMARY KEY … AUTOINCREMENT
	Expr          string             // CHECK / GENERATED expression (without the outer parentheses), DEFAULT text
	Collation     string             // COLLATE name
	Stored        bool               // GENERATED … STORED
	FK            *ddlForeignKey     // REFERENCES / FOREIGN KEY
}

// ddlIndexedColumn is one entry of a PRIMARY KEY, UNIQUE or CREATE INDEX
// column list: a column name or an expression.
type ddlIndexedColumn struct {
	Name      string // column name, "" for an expression
	Expr      string // expression text when Name is ""
	Collation string // explicit COLLATE, "" if none
	Desc      bool
}

// ddlForeignKey is a foreign-key clause.
type ddlForeignKey struct {
	Columns           []string // FOREIGN KEY (…); for a column constraint, the column
	RefTable          string
	RefColumns        []string // nil when the clause names no columns
	OnDelete          string   // upper case, "" when absent
	OnUpdate          string
	Match             string
	Deferrable        bool // DEFERRABLE (not NOT DEFERRABLE)
	InitiallyDeferred bool // DEFERRABLE INITIALLY DEFERRED
}

// ddlIndex is a parsed CREATE INDEX statement.
type ddlIndex struct {
	Name    string
	Table   string
	Unique  bool
	Columns []ddlIndexedColumn
	Where   string // partial-index predicate, "" if none
}

// ddlView is a parsed CREATE VIEW statement.
type ddlView struct {
	Name    string
	Columns []string // optional column-name list
	Select  string   // the text after AS
}

// ddlTrigger is the head of a parsed CREATE TRIGGER statement.
type ddlTrigger struct {
	Name  string
	Table string
}

// ddlParser walks the tokens of one statement.
type ddlParser struct {
	src  string
	toks []sqlToken
	i    int
}

func newDDLParser(src string) *ddlParser {
	return &ddlParser{src: src, toks: tokenizeSQLite(src)}
}

func (p *ddlParser) peek() sqlToken {
	if p.i < len(p.toks) {
		return p.toks[p.i]
	}
	return sqlToken{Kind: tokEOF, Start: len(p.src), End: len(p.src)}
}

func (p *ddlParser) peekAt(n int) sqlToken {
	if p.i+n < len(p.toks) {
		return p.toks[p.i+n]
	}
	return sqlToken{Kind: tokEOF, Start: len(p.src), End: len(p.src)}
}

func (p *ddlParser) advance() sqlToken {
	t := p.peek()
	if p.i < len(p.toks) {
		p.i++
	}
	return t
}

func (p *ddlParser) accept(kw string) bool {
	if p.peek().is(kw) {
		p.i++
		return true
	}
	return false
}

func (p *ddlParser) acceptPunct(s string) bool {
	if p.peek().isPunct(s) {
		p.i++
		return true
	}
	return false
}

func (p *ddlParser) errorf(format string, args ...any) error {
	t := p.peek()
	where := "end of statement"
	if t.Kind != tokEOF {
		where = fmt.Sprintf("%q at offset %d", t.Text, t.Start)
	}
	return fmt.Errorf("parsing %s: %s (near %s)", firstWords(p.src), fmt.Sprintf(format, args...), where)
}

// firstWords names a statement in error messages by its first few tokens.
func firstWords(src string) string {
	toks := tokenizeSQLite(src)
	if len(toks) > 4 {
		toks = toks[:4]
	}
	parts := make([]string, len(toks))
	for i, t := range toks {
		parts[i] = t.Text
	}
	return strings.Join(parts, " ")
}

func (p *ddlParser) expect(kw string) error {
	if !p.accept(kw) {
		return p.errorf("expected %s", kw)
	}
	return nil
}

func (p *ddlParser) expectPunct(s string) error {
	if !p.acceptPunct(s) {
		return p.errorf("expected %q", s)
	}
	return nil
}

// name consumes one name token and returns its unquoted value.
func (p *ddlParser) name() (string, error) {
	t := p.peek()
	if !t.isName() {
		return "", p.errorf("expected a name")
	}
	p.i++
	return t.value(), nil
}

// qualifiedName consumes [schema.]name and returns name.
func (p *ddlParser) qualifiedName() (string, error) {
	n, err := p.name()
	if err != nil {
		return "", err
	}
	if p.acceptPunct(".") {
		return p.name()
	}
	return n, nil
}

// balanced consumes a parenthesised group starting at the current "(" and
// returns the exact source text between the outer parentheses.
func (p *ddlParser) balanced() (string, error) {
	open := p.peek()
	if !open.isPunct("(") {
		return "", p.errorf(`expected "("`)
	}
	p.i++
	depth := 1
	for {
		t := p.advance()
		switch {
		case t.Kind == tokEOF:
			return "", p.errorf("unbalanced parentheses")
		case t.isPunct("("):
			depth++
		case t.isPunct(")"):
			depth--
			if depth == 0 {
				return strings.TrimSpace(p.src[open.End:t.Start]), nil
			}
		}
	}
}

// itemsInParens consumes "( a, b, … )" and returns the token runs of the
// top-level comma-separated items.
func (p *ddlParser) itemsInParens() ([][]sqlToken, error) {
	if err := p.expectPunct("("); err != nil {
		return nil, err
	}
	var items [][]sqlToken
	start := p.i
	depth := 0
	for {
		t := p.advance()
		switch {
		case t.Kind == tokEOF:
			return nil, p.errorf("unbalanced parentheses")
		case t.isPunct("("):
			depth++
		case t.isPunct(")") && depth > 0:
			depth--
		case (t.isPunct(",") || t.isPunct(")")) && depth == 0:
			items = append(items, p.toks[start:p.i-1])
			start = p.i
			if t.isPunct(")") {
				return items, nil
			}
		}
	}
}

// text returns the source text spanned by toks.
func (p *ddlParser) text(toks []sqlToken) string {
	if len(toks) == 0 {
		return ""
	}
	return p.src[toks[0].Start:toks[len(toks)-1].End]
}

// indexedColumns parses a list of indexed columns:
// expr [COLLATE name] [ASC|DESC]. With allowAutoinc, a trailing
// AUTOINCREMENT on the last item (PRIMARY KEY(id AUTOINCREMENT)) is
// accepted and reported.
func (p *ddlParser) indexedColumns(allowAutoinc bool) ([]ddlIndexedColumn, bool, error) {
	items, err := p.itemsInParens()
	if err != nil {
		return nil, false, err
	}
	autoinc := false
	cols := make([]ddlIndexedColumn, 0, len(items))
	for n, it := range items {
		if allowAutoinc && n == len(items)-1 && len(it) > 1 && it[len(it)-1].is("AUTOINCREMENT") {
			autoinc = true
			it = it[:len(it)-1]
		}
		if len(it) == 0 {
			return nil, false, p.errorf("empty column in list")
		}
		var c ddlIndexedColumn
		if last := it[len(it)-1]; last.is("ASC") || last.is("DESC") {
			c.Desc = last.is("DESC")
			it = it[:len(it)-1]
		}
		if len(it) >= 3 && it[len(it)-2].is("COLLATE") && it[len(it)-1].isName() {
			c.Collation = it[len(it)-1].value()
			it = it[:len(it)-2]
		}
		switch {
		case len(it) == 0:
			return nil, false, p.errorf("empty column in list")
		case len(it) == 1 && it[0].isName():
			c.Name = it[0].value()
		default:
			c.Expr = p.text(it)
		}
		cols = append(cols, c)
	}
	return cols, autoinc, nil
}

// nameList parses "( name, name … )".
func (p *ddlParser) nameList() ([]string, error) {
	items, err := p.itemsInParens()
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(items))
	for _, it := range items {
		if len(it) != 1 || !it[0].isName() {
			return nil, p.errorf("expected a column name in list")
		}
		names = append(names, it[0].value())
	}
	return names, nil
}

// conflict parses an optional ON CONFLICT clause.
func (p *ddlParser) conflict() (string, error) {
	if !(p.peek().is("ON") && p.peekAt(1).is("CONFLICT")) {
		return "", nil
	}
	p.i += 2
	t := p.advance()
	if t.Kind != tokWord {
		return "", p.errorf("expected a conflict algorithm")
	}
	return strings.ToUpper(t.Text), nil
}

// foreignKeyClause parses what follows REFERENCES.
func (p *ddlParser) foreignKeyClause(fk *ddlForeignKey) error {
	ref, err := p.name()
	if err != nil {
		return err
	}
	fk.RefTable = ref
	if p.peek().isPunct("(") {
		if fk.RefColumns, err = p.nameList(); err != nil {
			return err
		}
	}
	for {
		switch {
		case p.peek().is("ON") && !p.peekAt(1).is("CONFLICT"):
			p.i++
			event := strings.ToUpper(p.advance().Text)
			var action string
			switch t := p.advance(); {
			case t.is("SET") && p.peek().is("NULL"):
				p.i++
				action = "SET NULL"
			case t.is("SET") && p.peek().is("DEFAULT"):
				p.i++
				action = "SET DEFAULT"
			case t.is("CASCADE"), t.is("RESTRICT"):
				action = strings.ToUpper(t.Text)
			case t.is("NO") && p.peek().is("ACTION"):
				p.i++
				action = "NO ACTION"
			default:
				return p.errorf("unknown foreign key action %q", t.Text)
			}
			switch event {
			case "DELETE":
				fk.OnDelete = action
			case "UPDATE":
				fk.OnUpdate = action
			case "INSERT": // accepted and ignored by SQLite
			default:
				return p.errorf("unknown foreign key event %q", event)
			}
		case p.peek().is("MATCH"):
			p.i++
			m, err := p.name()
			if err != nil {
				return err
			}
			fk.Match = strings.ToUpper(m)
		case p.peek().is("NOT") && p.peekAt(1).is("DEFERRABLE"):
			p.i += 2
			fk.Deferrable, fk.InitiallyDeferred = false, false
			p.initially() // NOT DEFERRABLE INITIALLY … is still immediate
		case p.peek().is("DEFERRABLE"):
			p.i++
			fk.Deferrable = true
			fk.InitiallyDeferred = p.initially()
		default:
			return nil
		}
	}
}

// initially parses an optional INITIALLY DEFERRED|IMMEDIATE and reports
// whether it said DEFERRED.
func (p *ddlParser) initially() bool {
	if !p.peek().is("INITIALLY") {
		return false
	}
	p.i++
	t := p.advance()
	return t.is("DEFERRED")
}

// isColumnConstraintStart reports whether the current token begins a column
// constraint (and so ends a column's type name).
func (p *ddlParser) isColumnConstraintStart() bool {
	t := p.peek()
	if t.Kind != tokWord {
		return false
	}
	switch strings.ToUpper(t.Text) {
	case "CONSTRAINT", "PRIMARY", "NOT", "NULL", "UNIQUE", "CHECK", "DEFAULT", "COLLATE", "REFERENCES", "AS":
		return true
	case "GENERATED":
		return p.peekAt(1).is("ALWAYS")
	}
	return false
}

// isTableConstraintStart reports whether the current token begins a table
// constraint rather than a column definition. These keywords are reserved,
// so an unquoted column can never be named by them.
func (p *ddlParser) isTableConstraintStart() bool {
	t := p.peek()
	return t.is("CONSTRAINT") || t.is("PRIMARY") || t.is("UNIQUE") || t.is("CHECK") || t.is("FOREIGN")
}

// parseCreateTable parses a CREATE [TEMP] [VIRTUAL] TABLE statement.
func parseCreateTable(src string) (*ddlTable, error) {
	p := newDDLParser(src)
	if err := p.expect("CREATE"); err != nil {
		return nil, err
	}
	_ = p.accept("TEMP") || p.accept("TEMPORARY")
	t := &ddlTable{}
	t.Virtual = p.accept("VIRTUAL")
	if err := p.expect("TABLE"); err != nil {
		return nil, err
	}
	if p.peek().is("IF") && p.peekAt(1).is("NOT") && p.peekAt(2).is("EXISTS") {
		p.i += 3
	}
	var err error
	if t.Name, err = p.qualifiedName(); err != nil {
		return nil, err
	}
	if t.Virtual {
		if err := p.expect("USING"); err != nil {
			return nil, err
		}
		if t.Module, err = p.name(); err != nil {
			return nil, err
		}
		if p.peek().isPunct("(") {
			if t.ModuleArgs, err = p.balanced(); err != nil {
				return nil, err
			}
		}
		return t, nil
	}
	if p.peek().is("AS") {
		// CREATE TABLE … AS SELECT is never stored as such: SQLite stores a
		// synthesised column list instead. Tolerate it anyway.
		return t, nil
	}
	if err := p.expectPunct("("); err != nil {
		return nil, err
	}
	for {
		if p.isTableConstraintStart() {
			break
		}
		col, err := p.columnDef()
		if err != nil {
			return nil, err
		}
		t.Columns = append(t.Columns, col)
		if p.acceptPunct(",") {
			continue
		}
		if p.acceptPunct(")") {
			return t, p.tableOptions(t)
		}
		return nil, p.errorf(`expected "," or ")" after column %q`, col.Name)
	}
	for {
		c, ok, err := p.tableConstraint()
		if err != nil {
			return nil, err
		}
		if ok {
			t.Constraints = append(t.Constraints, c)
		}
		if p.acceptPunct(")") {
			return t, p.tableOptions(t)
		}
		p.acceptPunct(",") // optional in SQLite's grammar
	}
}

// tableOptions parses WITHOUT ROWID / STRICT after the closing parenthesis.
func (p *ddlParser) tableOptions(t *ddlTable) error {
	for {
		switch {
		case p.peek().is("WITHOUT") && p.peekAt(1).is("ROWID"):
			p.i += 2
			t.WithoutRowID = true
		case p.accept("STRICT"):
			t.Strict = true
		case p.acceptPunct(","):
		case p.acceptPunct(";"), p.peek().Kind == tokEOF:
			return nil
		default:
			return p.errorf("unknown table option")
		}
	}
}

func (p *ddlParser) columnDef() (ddlColumn, error) {
	var c ddlColumn
	var err error
	if c.Name, err = p.name(); err != nil {
		return c, err
	}
	// The type is every token up to a constraint keyword, "," or ")" at
	// parenthesis depth zero.
	first := p.i
	depth := 0
	for {
		t := p.peek()
		if t.Kind == tokEOF {
			return c, p.errorf("unterminated column definition")
		}
		if depth == 0 && (t.isPunct(",") || t.isPunct(")") || p.isColumnConstraintStart()) {
			break
		}
		if t.isPunct("(") {
			depth++
		} else if t.isPunct(")") {
			depth--
		}
		p.i++
	}
	c.Type = p.text(p.toks[first:p.i])
	pending := ""
	for {
		t := p.peek()
		if t.isPunct(",") || t.isPunct(")") || t.Kind == tokEOF {
			return c, nil
		}
		if p.accept("CONSTRAINT") {
			if pending, err = p.name(); err != nil {
				return c, err
			}
			continue
		}
		k, err := p.columnConstraint(c.Name)
		if err != nil {
			return c, err
		}
		k.Name = pending
		pending = ""
		c.Constraints = append(c.Constraints, k)
	}
}

func (p *ddlParser) columnConstraint(column string) (ddlConstraint, error) {
	var k ddlConstraint
	var err error
	switch t := p.advance(); {
	case t.is("PRIMARY"):
		if err := p.expect("KEY"); err != nil {
			return k, err
		}
		k.Kind = consPrimaryKey
		if p.peek().is("ASC") || p.peek().is("DESC") {
			k.Order = strings.ToUpper(p.advance().Text)
		}
		if k.Conflict, err = p.conflict(); err != nil {
			return k, err
		}
		k.Autoincrement = p.accept("AUTOINCREMENT")
	case t.is("NOT"):
		if err := p.expect("NULL"); err != nil {
			return k, err
		}
		k.Kind = consNotNull
		k.Conflict, err = p.conflict()
	case t.is("NULL"):
		k.Kind = consNull
		k.Conflict, err = p.conflict()
	case t.is("UNIQUE"):
		k.Kind = consUnique
		k.Conflict, err = p.conflict()
	case t.is("CHECK"):
		k.Kind = consCheck
		k.Expr, err = p.balanced()
	case t.is("DEFAULT"):
		k.Kind = consDefault
		switch n := p.peek(); {
		case n.isPunct("("):
			start := n.Start
			if _, err = p.balanced(); err == nil {
				k.Expr = p.src[start:p.toks[p.i-1].End]
			}
		case n.isPunct("+") || n.isPunct("-"):
			p.i++
			num := p.advance()
			k.Expr = p.src[n.Start:num.End]
		case n.Kind == tokEOF:
			err = p.errorf("expected a default value")
		default:
			p.i++
			k.Expr = n.Text
		}
	case t.is("COLLATE"):
		k.Kind = consCollate
		k.Collation, err = p.name()
	case t.is("REFERENCES"):
		k.Kind = consForeignKey
		k.FK = &ddlForeignKey{Columns: []string{column}}
		err = p.foreignKeyClause(k.FK)
	case t.is("GENERATED") || t.is("AS"):
		if t.is("GENERATED") {
			if err := p.expect("ALWAYS"); err != nil {
				return k, err
			}
			if err := p.expect("AS"); err != nil {
				return k, err
			}
		}
		k.Kind = consGenerated
		if k.Expr, err = p.balanced(); err != nil {
			return k, err
		}
		if p.accept("STORED") {
			k.Stored = true
		} else {
			p.accept("VIRTUAL")
		}
	default:
		p.i--
		return k, p.errorf("unknown column constraint in column %q", column)
	}
	return k, err
}

// tableConstraint parses one table constraint; ok is false for a CONSTRAINT
// name that stands alone (which SQLite accepts and ignores).
func (p *ddlParser) tableConstraint() (k ddlConstraint, ok bool, err error) {
	if p.accept("CONSTRAINT") {
		if k.Name, err = p.name(); err != nil {
			return k, false, err
		}
		if t := p.peek(); t.isPunct(",") || t.isPunct(")") {
			return k, false, nil
		}
	}
	switch t := p.advance(); {
	case t.is("PRIMARY"):
		if err := p.expect("KEY"); err != nil {
			return k, false, err
		}
		k.Kind = consPrimaryKey
		if k.Columns, k.Autoincrement, err = p.indexedColumns(true); err != nil {
			return k, false, err
		}
		k.Conflict, err = p.conflict()
	case t.is("UNIQUE"):
		k.Kind = consUnique
		if k.Columns, _, err = p.indexedColumns(false); err != nil {
			return k, false, err
		}
		k.Conflict, err = p.conflict()
	case t.is("CHECK"):
		k.Kind = consCheck
		if k.Expr, err = p.balanced(); err != nil {
			return k, false, err
		}
		k.Conflict, err = p.conflict()
	case t.is("FOREIGN"):
		if err := p.expect("KEY"); err != nil {
			return k, false, err
		}
		k.Kind = consForeignKey
		k.FK = &ddlForeignKey{}
		if k.FK.Columns, err = p.nameList(); err != nil {
			return k, false, err
		}
		if err := p.expect("REFERENCES"); err != nil {
			return k, false, err
		}
		err = p.foreignKeyClause(k.FK)
	default:
		p.i--
		return k, false, p.errorf("unknown table constraint")
	}
	return k, err == nil, err
}

// parseCreateIndex parses a CREATE [UNIQUE] INDEX statement.
func parseCreateIndex(src string) (*ddlIndex, error) {
	p := newDDLParser(src)
	if err := p.expect("CREATE"); err != nil {
		return nil, err
	}
	ix := &ddlIndex{Unique: p.accept("UNIQUE")}
	if err := p.expect("INDEX"); err != nil {
		return nil, err
	}
	if p.peek().is("IF") && p.peekAt(1).is("NOT") && p.peekAt(2).is("EXISTS") {
		p.i += 3
	}
	var err error
	if ix.Name, err = p.qualifiedName(); err != nil {
		return nil, err
	}
	if err := p.expect("ON"); err != nil {
		return nil, err
	}
	if ix.Table, err = p.name(); err != nil {
		return nil, err
	}
	if ix.Columns, _, err = p.indexedColumns(false); err != nil {
		return nil, err
	}
	if p.accept("WHERE") {
		rest := p.toks[p.i:]
		for len(rest) > 0 && rest[len(rest)-1].isPunct(";") {
			rest = rest[:len(rest)-1]
		}
		if len(rest) == 0 {
			return nil, p.errorf("empty WHERE clause")
		}
		ix.Where = p.text(rest)
		p.i = len(p.toks)
	}
	return ix, nil
}

// parseCreateView parses a CREATE [TEMP] VIEW statement.
func parseCreateView(src string) (*ddlView, error) {
	p := newDDLParser(src)
	if err := p.expect("CREATE"); err != nil {
		return nil, err
	}
	_ = p.accept("TEMP") || p.accept("TEMPORARY")
	if err := p.expect("VIEW"); err != nil {
		return nil, err
	}
	if p.peek().is("IF") && p.peekAt(1).is("NOT") && p.peekAt(2).is("EXISTS") {
		p.i += 3
	}
	v := &ddlView{}
	var err error
	if v.Name, err = p.qualifiedName(); err != nil {
		return nil, err
	}
	if p.peek().isPunct("(") {
		if v.Columns, err = p.nameList(); err != nil {
			return nil, err
		}
	}
	if err := p.expect("AS"); err != nil {
		return nil, err
	}
	rest := p.toks[p.i:]
	for len(rest) > 0 && rest[len(rest)-1].isPunct(";") {
		rest = rest[:len(rest)-1]
	}
	if len(rest) == 0 {
		return nil, p.errorf("empty view body")
	}
	v.Select = p.text(rest)
	return v, nil
}

// parseCreateTrigger parses the head of a CREATE TRIGGER statement: its name
// and the table or view it is on.
func parseCreateTrigger(src string) (*ddlTrigger, error) {
	p := newDDLParser(src)
	if err := p.expect("CREATE"); err != nil {
		return nil, err
	}
	_ = p.accept("TEMP") || p.accept("TEMPORARY")
	if err := p.expect("TRIGGER"); err != nil {
		return nil, err
	}
	if p.peek().is("IF") && p.peekAt(1).is("NOT") && p.peekAt(2).is("EXISTS") {
		p.i += 3
	}
	tr := &ddlTrigger{}
	var err error
	if tr.Name, err = p.qualifiedName(); err != nil {
		return nil, err
	}
	// [BEFORE|AFTER|INSTEAD OF] event [OF cols] ON table
	for {
		t := p.peek()
		if t.Kind == tokEOF {
			return nil, p.errorf("expected ON")
		}
		p.i++
		if t.is("ON") {
			break
		}
	}
	if tr.Table, err = p.qualifiedName(); err != nil {
		return nil, err
	}
	return tr, nil
}

// sqlNameRefs returns the distinct lower-cased names (bare or quoted) that
// appear in src; used to find which views and tables a view or trigger
// mentions, for dependency ordering.
func sqlNameRefs(src string) map[string]bool {
	refs := map[string]bool{}
	for _, t := range tokenizeSQLite(src) {
		if t.Kind == tokWord || t.Kind == tokQuoted {
			refs[strings.ToLower(t.value())] = true
		}
	}
	return refs
}
