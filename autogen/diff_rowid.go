package autogen

import "github.com/migratehq/migrate/schema"

// On SQLite, ALTER TABLE RENAME COLUMN of a table's rowid alias (its
// INTEGER PRIMARY KEY) rewrites every rowid, _rowid_ and oid of the
// views and triggers that resolve to that table into the new column
// name: "WHERE rowid = new.rowid" becomes "WHERE pid = new.pid". The
// model still says rowid, so the next Diff would find the object
// changed, and the rename back in Down would leave the old column's
// name where rowid was. Such views and triggers are therefore dropped
// before the rename and created after it, from the model's text (Down:
// from the current side's), which SQLite never rewrites.

// rowidNames are SQLite's names of the rowid, folded.
var rowidNames = []string{"rowid", "_rowid_", "oid"}

// findRowidRenames sets rowidRenamed: the folded current names of the
// tables whose rowid alias is renamed (SQLite only). It needs the table
// comparisons (diffTables).
func (d *differ) findRowidRenames() {
	d.rowidRenamed = map[string]bool{}
	if d.cur.Dialect != schema.SQLite {
		return
	}
	for _, td := range d.tables {
		if c := rowIDAlias(td.cur); c != nil && mapName(c.Name, td.cm) != c.Name {
			d.rowidRenamed[foldName(td.oldRef.Name)] = true
		}
	}
}

// rowidRewritten reports whether SQLite would rewrite the text of a view
// or trigger (its current definition) when a rowid alias is renamed: it
// names the rowid and one of those tables. A view or trigger that names
// the rowid of another table too is caught as well; recreating it costs
// nothing.
func (d *differ) rowidRewritten(definition string) bool {
	if len(d.rowidRenamed) == 0 {
		return false
	}
	words := sqliteMentions(definition)
	rowid := false
	for _, n := range rowidNames {
		rowid = rowid || words[n]
	}
	if !rowid {
		return false
	}
	for t := range d.rowidRenamed {
		if words[t] {
			return true
		}
	}
	return false
}
