package sqlident

import (
	"context"
	"database/sql"
	"sort"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/migratehq/migrate/internal/testdb"
)

func TestQuotePostgres(t *testing.T) {
	for in, want := range map[string]string{
		"users":    "users",
		"a$b":      "a$b",
		"_x1":      "_x1",
		"user":     `"user"`,
		"select":   `"select"`,
		"xmltable": `"xmltable"`,
		"name":     "name",
		"Users":    `"Users"`,
		"1a":       `"1a"`,
		"$a":       `"$a"`,
		"a b":      `"a b"`,
		`a"b`:      `"a""b"`,
		"é":        `"é"`,
		"":         `""`,
	} {
		if got := QuotePostgres(in); got != want {
			t.Errorf("QuotePostgres(%q) = %s, want %s", in, got, want)
		}
	}
}

// TestPostgresKeywordsMatchServer compares the generated table with
// pg_get_keywords() and with quote_ident() on the server in use.
func TestPostgresKeywordsMatchServer(t *testing.T) {
	db, err := sql.Open("pgx", testdb.Postgres(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.QueryContext(context.Background(),
		`SELECT word, catcode <> 'U', quote_ident(word) FROM pg_get_keywords()`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var missing, extra []string
	seen := map[string]bool{}
	for rows.Next() {
		var word, quoted string
		var needs bool
		if err := rows.Scan(&word, &needs, &quoted); err != nil {
			t.Fatal(err)
		}
		seen[word] = true
		if needs != pgKeywords[word] {
			if needs {
				missing = append(missing, word)
			} else {
				extra = append(extra, word)
			}
		}
		if got := QuotePostgres(word); got != quoted {
			t.Errorf("QuotePostgres(%q) = %s, server quote_ident gives %s", word, got, quoted)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for w := range pgKeywords {
		if !seen[w] {
			extra = append(extra, w)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing)+len(extra) > 0 {
		t.Errorf("pgKeywords differs from pg_get_keywords(): missing %s; extra %s",
			strings.Join(missing, " "), strings.Join(extra, " "))
	}
}
