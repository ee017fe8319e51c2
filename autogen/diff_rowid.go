package autogen

import "github.com/migratehq/migrate/schema"

// On SQLite, ALTER TABLE RENAME COLUMN of a table's rowid alias (its
// INTEGER PRIMARY KEY) rewrites every rowid, _rowid_ and oid that
// resolves to that table into the new column name: in the views and
// triggers that use the table ("WHERE rowid = new.rowid" becomes "WHERE
// pid = new.pid") and in the table's own checks. The model still says
// rowid, so the next Diff would find those objects changed, and the
// rename back in Down would leave the old column's name where rowid
// was. Such views and triggers are therefore dropped before the rename
// and created after it, and such checks dropped before and added after,
// from the model's text (Down: from the current side's), which SQLite
// never rewrites.

// rowidNames are SQLite's names of the rowid, folded.
var rowidNames = []string{"rowid", "_rowid_", "oid"}

// rowidAliasRenamed reports whether the rowid alias of current table ct
// is renamed (cm: its column renames, old name -> new) on SQLite.
func (d *differ) rowidAliasRenamed(ct *schema.Table, cm map[string]string) bool {
	if d.cur.Dialect != schema.SQLite {
		return false
	}
	c := rowIDAlias(ct)
	return c != nil && mapName(c.Name, cm) != c.Name
}

// findRowidRenames sets rowidRenamed: the folded current names of the
// tables whose rowid alias is renamed. It needs the table comparisons
// (diffTables).
func (d *differ) findRowidRenames() {
	d.rowidRenamed = map[string]bool{}
	for _, td := range d.tables {
		if d.rowidAliasRenamed(td.cur, td.cm) {
			d.rowidRenamed[foldName(td.oldRef.Name)] = true
		}
	}
}

// namesRowid reports whether SQL text names the rowid (or a column
// called like it: recreating such an object costs nothing).
func namesRowid(text string) bool {
	words := sqliteMentions(text)
	for _, n := range rowidNames {
		if words[n] {
			return true
		}
	}
	return false
}

// rowidRewritten reports whether SQLite would rewrite the text of a view
// or trigger (its current definition) on the renames of rowid aliases:
// it names the rowid and one of those tables. One that names the rowid
// of another table is caught too; recreating it costs nothing.
func (d *differ) rowidRewritten(definition string) bool {
	if len(d.rowidRenamed) == 0 || !namesRowid(definition) {
		return false
	}
	words := sqliteMentions(definition)
	for t := range d.rowidRenamed {
		if words[t] {
			return true
		}
	}
	return false
}
