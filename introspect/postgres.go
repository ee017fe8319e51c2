package introspect

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/migratehq/migrate/schema"
)

// postgresInspector reads a PostgreSQL schema with a fixed set of
// catalog queries (postgres_sql.go): 2 to set and restore search_path and
// 17 to read the catalog, whatever the size of the schema.
type postgresInspector struct{}

var _ inspector = (*postgresInspector)(nil)

// pgState is one inspection's working set: the model being built and the
// oid maps that connect the queries' rows.
type pgState struct {
	s       *schema.Schema
	version int
	schemas []string // as a PostgreSQL text[] literal argument
	arg     any

	ext       map[string]map[uint32]string // catalog → oid → extension
	rels      map[uint32]any               // pg_class oid → *schema.Table | *schema.View | *schema.Type (composite)
	relTypes  map[uint32]uint32            // row type oid → relation oid
	types     map[uint32]*schema.ObjectRef // pg_type oid → enum, domain, composite, range
	funcs     map[uint32]*schema.Function
	identity  map[[2]uint32]*schema.Identity  // (table oid, attnum) → identity
	typeAttrs map[uint32]*schema.Type         // composite relation oid → type
	typeDeps  map[uint32]*[]*schema.ObjectRef // domain, composite or range type oid → its DependsOn
}

func (p *postgresInspector) inspect(ctx context.Context, db Querier, opts Options) (_ *schema.Schema, err error) {
	schemas := opts.Schemas
	if len(schemas) == 0 {
		schemas = []string{"public"}
	}
	q := db
	if pool, ok := db.(*sql.DB); ok {
		conn, err := pool.Conn(ctx)
		if err != nil {
			return nil, fmt.Errorf("introspect: connecting to PostgreSQL: %w", err)
		}
		defer conn.Close()
		q = conn
	}
	if b, ok := q.(interface {
		BeginTx(context.Context, *sql.TxOptions) (*sql.Tx, error)
	}); ok {
		// One read-only snapshot for all queries, as pg_dump does.
		tx, err := b.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
		if err != nil {
			return nil, fmt.Errorf("introspect: starting a read-only transaction: %w", err)
		}
		defer tx.Rollback()
		q = tx
	}

	st := &pgState{
		s:         &schema.Schema{Dialect: schema.Postgres},
		ext:       map[string]map[uint32]string{},
		rels:      map[uint32]any{},
		relTypes:  map[uint32]uint32{},
		types:     map[uint32]*schema.ObjectRef{},
		funcs:     map[uint32]*schema.Function{},
		identity:  map[[2]uint32]*schema.Identity{},
		typeAttrs: map[uint32]*schema.Type{},
		typeDeps:  map[uint32]*[]*schema.ObjectRef{},
	}
	if schemas, err = expandSchemas(ctx, q, schemas); err != nil {
		return nil, err
	}
	st.schemas = schemas
	st.arg = pgTextArray(schemas)

	var oldPath, dbName string
	if err := scanOne(ctx, q, "reading the server settings", pgSetupQuery, nil, &oldPath, new(string), &st.version, &dbName); err != nil {
		return nil, err
	}
	defer func() {
		var ignored string
		rerr := scanOne(context.WithoutCancel(ctx), q, "restoring search_path", pgRestoreQuery, []any{oldPath}, &ignored)
		if err == nil && rerr != nil {
			err = rerr
		}
	}()
	st.s.ServerVersion = st.version

	steps := []struct {
		what string
		fn   func(context.Context, Querier) error
	}{
		{"extension members", st.readExtMembers},
		{"schemas", st.readNamespaces},
		{"extensions", st.readExtensions},
		{"collations", st.readCollations},
		{"text search configurations", st.readTSConfigs},
		{"types", st.readTypes},
		{"relations", st.readRelations},
		{"sequences", st.readSequences},
		{"columns", st.readColumns},
		{"constraints", st.readConstraints},
		{"indexes", st.readIndexes},
		{"functions", st.readFunctions},
		{"triggers", st.readTriggers},
		{"policies", st.readPolicies},
		{"statistics", st.readStatistics},
		{"rules", st.readRules},
		{"dependencies", st.readDepends},
	}
	for _, step := range steps {
		if err := step.fn(ctx, q); err != nil {
			var me *SchemaNotFoundError
			if errors.As(err, &me) {
				return nil, err
			}
			return nil, fmt.Errorf("introspect: reading %s of database %s: %w", step.what, dbName, err)
		}
	}
	return st.s, nil
}

// SchemaNotFoundError reports schemas asked for in [Options.Schemas]
// that do not exist.
type SchemaNotFoundError struct {
	Names []string
}

func (e *SchemaNotFoundError) Error() string {
	if len(e.Names) == 1 {
		return fmt.Sprintf("introspect: schema %q does not exist", e.Names[0])
	}
	return fmt.Sprintf("introspect: schemas %s do not exist", strings.Join(quoteAll(e.Names), ", "))
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

// pgTextArray writes ss as a PostgreSQL array literal, which every driver
// passes as text and the server casts to text[] for ANY($1).
func pgTextArray(ss []string) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, s := range ss {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('"')
		for _, r := range s {
			if r == '"' || r == '\\' {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		}
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String()
}

func scanOne(ctx context.Context, q Querier, what, query string, args []any, dest ...any) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("introspect: %s: %w", what, err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return fmt.Errorf("introspect: %s: %w", what, err)
		}
		return fmt.Errorf("introspect: %s: no row", what)
	}
	if err := rows.Scan(dest...); err != nil {
		return fmt.Errorf("introspect: %s: %w", what, err)
	}
	return rows.Close()
}

// each runs query with the schema list and calls fn for every row.
func (st *pgState) each(ctx context.Context, q Querier, query string, fn func(*sql.Rows) error) error {
	var args []any
	if strings.Contains(query, "$1") {
		args = []any{st.arg}
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return rows.Close()
}

func (st *pgState) extOf(catalog string, oid uint32) string {
	return st.ext[catalog][oid]
}

func decodeJSON(text string, v any) error {
	if text == "" {
		return nil
	}
	if err := json.Unmarshal([]byte(text), v); err != nil {
		return fmt.Errorf("decoding %.60q: %w", text, err)
	}
	return nil
}

func (st *pgState) readNamespaces(ctx context.Context, q Querier) error {
	found := map[string]bool{}
	err := st.each(ctx, q, pgNamespacesQuery, func(r *sql.Rows) error {
		var oid uint32
		n := &schema.Namespace{}
		if err := r.Scan(&oid, &n.Name, &n.Comment); err != nil {
			return err
		}
		found[n.Name] = true
		n.FromExtension = st.extOf("pg_namespace", oid)
		st.s.Schemas = append(st.s.Schemas, n)
		return nil
	})
	if err != nil {
		return err
	}
	var missing []string
	for _, name := range st.schemas {
		if !found[name] {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return &SchemaNotFoundError{Names: missing}
	}
	return nil
}
