package lint

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/migratehq/migrate/sqlsplit"
)

// Querier is what [ReadCatalog] needs of a database handle: *sql.DB,
// *sql.Conn and *sql.Tx satisfy it.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Catalog is what the PostgreSQL rules know of a database's schema: its
// tables and materialized views, their column types, their named CHECK
// (col IS NOT NULL) constraints (validated or NOT VALID, so that a
// pending VALIDATE counts), and the indexes' tables.
// Row counts play no part: the database lint reads is often not the one
// the revisions will meet in production.
type Catalog struct {
	tables  map[string]*table
	indexes map[string]index
}

// Tables returns how many tables and materialized views c knows.
func (c *Catalog) Tables() int { return len(c.tables) }

// catalogQueries read the catalog; each row is (schema, relation, visible,
// then the query's own columns). visible tells a relation in a schema of
// the search path, which unqualified names reach.
const (
	catalogRelations = `SELECT n.nspname, c.relname, n.nspname = ANY (current_schemas(false)), c.relkind::text, coalesce(t.relname, ''), coalesce(tn.nspname, '')
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_index x ON x.indexrelid = c.oid
LEFT JOIN pg_class t ON t.oid = x.indrelid
LEFT JOIN pg_namespace tn ON tn.oid = t.relnamespace
WHERE c.relkind IN ('r', 'p', 'm', 'f', 'i', 'I')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%'
ORDER BY array_position(current_schemas(false), n.nspname), 1, 2`
	catalogColumns = `SELECT n.nspname, c.relname, n.nspname = ANY (current_schemas(false)), a.attname, format_type(a.atttypid, a.atttypmod)
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'm', 'f') AND a.attnum > 0 AND NOT a.attisdropped
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%'`
	catalogChecks = `SELECT n.nspname, c.relname, n.nspname = ANY (current_schemas(false)), k.conname, pg_get_constraintdef(k.oid), k.convalidated::text
FROM pg_constraint k
JOIN pg_class c ON c.oid = k.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE k.contype = 'c'
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%'`
)

// ReadCatalog reads a PostgreSQL database's catalog for [Options.Catalog],
// in three queries.
func ReadCatalog(ctx context.Context, db Querier) (*Catalog, error) {
	c := &Catalog{tables: map[string]*table{}, indexes: map[string]index{}}
	err := c.read(ctx, db, catalogRelations, func(k, alias string, f []string) {
		if f[0] == "i" || f[0] == "I" {
			ix := index{table: key(f[2], f[1])}
			c.indexes[k] = ix
			if alias != "" {
				c.indexes[alias] = ix
			}
			return
		}
		t := newTable(false)
		c.tables[k] = t
		if _, ok := c.tables[alias]; alias != "" && !ok {
			c.tables[alias] = t // the first schema of the search path wins
		}
	}, 3)
	if err == nil {
		err = c.read(ctx, db, catalogColumns, func(k, _ string, f []string) {
			if t := c.tables[k]; t != nil {
				t.cols[f[0]] = parseTypeText(f[1])
			}
		}, 2)
	}
	if err == nil {
		err = c.read(ctx, db, catalogChecks, func(k, _ string, f []string) {
			t := c.tables[k]
			if t == nil {
				return
			}
			if _, col, ok := notNullCheck(lexOrNil(f[1])); ok {
				validated := f[2] == "true"
				t.checks[f[0]] = nnCheck{col: col, validated: validated}
				if validated {
					t.notNull[col] = true
				}
			}
		}, 3)
	}
	if err != nil {
		return nil, fmt.Errorf("lint: reading the catalog: %w", err)
	}
	return c, nil
}

// read runs one catalog query and calls row with the relation's key, the
// bare name it is also known by when its schema is on the search path
// ("" otherwise), and the query's n further columns.
func (c *Catalog) read(ctx context.Context, db Querier, q string, row func(k, alias string, f []string), n int) error {
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var schema, name string
		var visible bool
		f := make([]string, n)
		dest := []any{&schema, &name, &visible}
		for i := range f {
			dest = append(dest, &f[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		k, alias := key(schema, name), ""
		if visible && k != name {
			alias = name
		}
		row(k, alias, f)
	}
	return rows.Err()
}

func lexOrNil(s string) toks {
	ts, _ := sqlsplit.Tokens(s, sqlsplit.Postgres)
	return ts
}
