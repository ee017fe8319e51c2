package schematest

import (
	"database/sql"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
)

// SQLitePragmaSnapshot prints what SQLite itself reports about every table
// (its PRAGMA table_list, table_xinfo, index_list, index_xinfo and
// foreign_key_list rows) and the normalised SQL of views and triggers
// (an index's WHERE and expressions are not in it: compare them through
// the model), sorted, so two databases with the same schema print the
// same text whatever the order or spelling of their CREATE statements.
// Automatic index names are replaced by their origin. Internal tables
// (sqlite_*) are left out, and so are the tables named in skip (with
// their indexes and triggers), such as a version table.
func SQLitePragmaSnapshot(t testing.TB, db *sql.DB, skip ...string) string {
	t.Helper()
	var lines []string
	q := func(prefix, query string, args ...any) {
		rows, err := db.Query(query, args...)
		if err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			parts := []string{prefix}
			for i, v := range vals {
				if b, ok := v.([]byte); ok {
					v = string(b)
				}
				s := fmt.Sprint(v)
				if strings.HasPrefix(s, "sqlite_autoindex_") {
					s = "autoindex"
				}
				parts = append(parts, cols[i]+"="+s)
			}
			lines = append(lines, strings.Join(parts, " "))
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	}
	var tables []string
	rows, err := db.Query(`SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_schema WHERE name NOT LIKE 'sqlite\_%' ESCAPE '\'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var typ, name, table, text string
		if err := rows.Scan(&typ, &name, &table, &text); err != nil {
			t.Fatal(err)
		}
		if slices.Contains(skip, table) {
			continue
		}
		switch typ {
		case "table":
			tables = append(tables, name)
		case "view", "trigger":
			lines = append(lines, typ+" "+name+" "+NormaliseSQL(text))
		}
	}
	rows.Close()
	for _, tb := range tables {
		q("table_list "+tb, `SELECT type, ncol, wr, strict FROM pragma_table_list WHERE schema = 'main' AND name = ?`, tb)
		q("xinfo "+tb, `SELECT * FROM pragma_table_xinfo(?)`, tb)
		q("fk "+tb, `SELECT "table", "from", "to", on_update, on_delete, match,
			(SELECT group_concat("from" || '>' || coalesce("to", ''), ',') FROM pragma_foreign_key_list(?) g WHERE g.id = f.id) AS grp
			FROM pragma_foreign_key_list(?) f`, tb, tb)
		q("index_list "+tb, `SELECT il.name, il."unique", il.origin, il.partial,
			(SELECT group_concat(coalesce(ix.name, ix.cid) || ':' || ix."desc" || ':' || ix.coll || ':' || ix.key, ',')
			 FROM pragma_index_xinfo(il.name) ix) AS cols
			FROM pragma_index_list(?) il`, tb)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// NormaliseSQL joins the tokens of a statement with single spaces, so
// comments and layout do not count.
func NormaliseSQL(s string) string {
	return strings.Join(strings.Fields(stripComments(s)), " ")
}

func stripComments(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\'' || s[i] == '"':
			j := i + 1
			for j < len(s) && s[j] != s[i] {
				j++
			}
			if j >= len(s) {
				j = len(s) - 1
			}
			b.WriteString(s[i : j+1])
			i = j
		case strings.HasPrefix(s[i:], "--"):
			for i < len(s) && s[i] != '\n' {
				i++
			}
			b.WriteByte(' ')
		case strings.HasPrefix(s[i:], "/*"):
			end := strings.Index(s[i+2:], "*/")
			if end < 0 {
				i = len(s)
			} else {
				i += end + 3
			}
			b.WriteByte(' ')
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// LineDiff shows where two texts first differ, with a few lines of
// context from each.
func LineDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	i := 0
	for i < len(al) && i < len(bl) && al[i] == bl[i] {
		i++
	}
	lo := max(0, i-3)
	var out []string
	for _, side := range []struct {
		mark  string
		lines []string
	}{{"-", al}, {"+", bl}} {
		for j := lo; j < min(len(side.lines), i+6); j++ {
			out = append(out, fmt.Sprintf("%s %4d %s", side.mark, j+1, side.lines[j]))
		}
	}
	return strings.Join(out, "\n")
}
