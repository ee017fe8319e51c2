package introspect

import (
	"context"
	"fmt"
	"slices"
)

// AllSchemas in [Options.Schemas] stands for every schema that is
// neither a system schema (pg_*, information_schema) nor an extension's.
const AllSchemas = "*"

// pgUserSchemasQuery lists the schemas AllSchemas stands for.
const pgUserSchemasQuery = `SELECT n.nspname FROM pg_catalog.pg_namespace n
 WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                    WHERE d.classid = 'pg_catalog.pg_namespace'::regclass AND d.objid = n.oid AND d.deptype = 'e')
 ORDER BY 1`

// pgOtherSchemasQuery lists the schemas AllSchemas stands for that are
// not in $1 and hold a relation, a type or a function that is not an
// extension's (an array type goes with its element type).
const pgOtherSchemasQuery = `SELECT n.nspname FROM pg_catalog.pg_namespace n
 WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema' AND n.nspname <> ALL ($1::text[])
   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                    WHERE d.classid = 'pg_catalog.pg_namespace'::regclass AND d.objid = n.oid AND d.deptype = 'e')
   AND (EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.relnamespace = n.oid
                   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                                    WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'))
     OR EXISTS (SELECT 1 FROM pg_catalog.pg_type t WHERE t.typnamespace = n.oid AND t.typrelid = 0
                   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type e WHERE e.typarray = t.oid)
                   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                                    WHERE d.classid = 'pg_catalog.pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e'))
     OR EXISTS (SELECT 1 FROM pg_catalog.pg_proc p WHERE p.pronamespace = n.oid
                   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                                    WHERE d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')))
 ORDER BY 1`

// UserSchemas lists the PostgreSQL schemas [AllSchemas] stands for:
// neither system schemas nor an extension's.
func UserSchemas(ctx context.Context, q Querier) ([]string, error) {
	return QueryStrings(ctx, q, pgUserSchemasQuery)
}

// OtherSchemas lists the PostgreSQL schemas, other than read, that
// hold tables, views, sequences, indexes, types or functions of their
// own (not an extension's): what an inspection of read leaves unseen.
func OtherSchemas(ctx context.Context, q Querier, read []string) ([]string, error) {
	return QueryStrings(ctx, q, pgOtherSchemasQuery, pgTextArray(read))
}

// expandSchemas replaces AllSchemas in names by the user schemas
// (keeping the other names, once each).
func expandSchemas(ctx context.Context, q Querier, names []string) ([]string, error) {
	if !slices.Contains(names, AllSchemas) {
		return names, nil
	}
	all, err := UserSchemas(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("introspect: listing the schemas: %w", err)
	}
	out := all
	for _, n := range names {
		if n != AllSchemas && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out, nil
}

// ExistingSchemas returns those of the PostgreSQL schemas named that
// exist, sorted.
func ExistingSchemas(ctx context.Context, q Querier, names []string) ([]string, error) {
	return QueryStrings(ctx, q, "SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname = ANY($1::text[]) ORDER BY 1", pgTextArray(names))
}

// QueryStrings runs a query whose rows are one text column (either
// dialect) and returns the values.
func QueryStrings(ctx context.Context, q Querier, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}
