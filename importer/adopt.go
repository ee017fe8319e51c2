package importer

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// Applied is what another tool's version table records as applied, read
// by [ReadApplied].
type Applied struct {
	Format Format
	// Table is the table read, as messages name it.
	Table string
	// Versions are the source versions recorded as applied, in the
	// table's order (alembic: the heads).
	Versions []string
	// UpTo is a version that is applied together with every version
	// before it in the source's order: golang-migrate's one row, atlas's
	// baseline. Empty when there is none.
	UpTo string
	// Heads tells that Versions are heads: they and every revision they
	// descend from are applied (alembic).
	Heads bool
}

// RefusedError is a version table that cannot be adopted as it stands
// (a dirty golang-migrate row, a failed atlas revision, a version no file
// has, a gap): the message says why and what to do.
type RefusedError struct{ Msg string }

func (e *RefusedError) Error() string { return e.Msg }

func refusef(format string, args ...any) error {
	return &RefusedError{Msg: fmt.Sprintf(format, args...)}
}

// DefaultTable returns the version table tool f uses unless told
// otherwise (goose -table, golang-migrate x-migrations-table, dbmate
// --migrations-table, atlas --revisions-schema, alembic version_table).
func DefaultTable(f Format, dialect string) string {
	switch f {
	case Goose:
		return "goose_db_version"
	case GolangMigrate, Dbmate:
		return "schema_migrations"
	case Atlas:
		if dialect == "postgres" {
			return "atlas_schema_revisions.atlas_schema_revisions"
		}
		return "atlas_schema_revisions"
	case Alembic:
		return "alembic_version"
	}
	return ""
}

// ReadApplied reads the version table of tool f on db (dialect "postgres"
// or "sqlite"): table, "name" or "schema.name", or the tool's default
// ([DefaultTable]) when empty. It reads, and never writes.
//
// Per tool:
//   - goose: goose_db_version holds a row per up and (older goose) per
//     down; a version is applied when its latest row has is_applied
//     true. Version 0 is goose's own base row and is left out.
//   - golang-migrate: schema_migrations holds one row, version and dirty:
//     that version and every one before it are applied ([Applied.UpTo]).
//     A dirty row is refused: a migration failed halfway, and what it
//     left is for a person to judge.
//   - dbmate: schema_migrations holds one row per applied version.
//   - atlas: atlas_schema_revisions holds one row per version; applied
//     when all its statements ran (applied = total) without error. A
//     partly applied or failed one is refused. A baseline row marks its
//     version and every earlier one applied; rows whose version starts
//     with '.' are atlas's own bookkeeping.
//   - alembic: alembic_version holds the heads ([Applied.Heads]).
func ReadApplied(ctx context.Context, db *sql.DB, dialect string, f Format, table string) (*Applied, error) {
	if table == "" {
		table = DefaultTable(f, dialect)
	}
	q, err := quoteTable(dialect, table)
	if err != nil {
		return nil, err
	}
	if err := tableExists(ctx, db, dialect, f, table); err != nil {
		return nil, err
	}
	a := &Applied{Format: f, Table: table}
	switch f {
	case Goose:
		err = readGoose(ctx, db, q, a)
	case GolangMigrate:
		err = readGolangMigrate(ctx, db, q, a)
	case Dbmate:
		a.Versions, err = queryColumn(ctx, db, "SELECT version FROM "+q+" ORDER BY version")
	case Atlas:
		err = readAtlas(ctx, db, q, a)
	case Alembic:
		a.Heads = true
		a.Versions, err = queryColumn(ctx, db, "SELECT version_num FROM "+q+" ORDER BY version_num")
	default:
		return nil, fmt.Errorf("import: unknown format %q", f)
	}
	if err != nil {
		if _, ok := err.(*RefusedError); ok {
			return nil, err
		}
		return nil, fmt.Errorf("reading %s's version table %s: %w", f, table, err)
	}
	return a, nil
}

// readGoose keeps the versions whose latest row (highest id) is applied.
func readGoose(ctx context.Context, db *sql.DB, q string, a *Applied) error {
	rows, err := db.QueryContext(ctx, "SELECT version_id, CASE WHEN is_applied THEN 1 ELSE 0 END FROM "+q+" ORDER BY id")
	if err != nil {
		return err
	}
	defer rows.Close()
	latest := map[string]bool{}
	var order []string
	for rows.Next() {
		var v string
		var on int
		if err := rows.Scan(&v, &on); err != nil {
			return err
		}
		if v == "0" {
			continue
		}
		if _, seen := latest[v]; !seen {
			order = append(order, v)
		}
		latest[v] = on == 1
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, v := range order {
		if latest[v] {
			a.Versions = append(a.Versions, v)
		}
	}
	return nil
}

// readGolangMigrate reads the one row (none: nothing applied).
func readGolangMigrate(ctx context.Context, db *sql.DB, q string, a *Applied) error {
	rows, err := db.QueryContext(ctx, "SELECT version, CASE WHEN dirty THEN 1 ELSE 0 END FROM "+q)
	if err != nil {
		return err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var v string
		var dirty int
		if err := rows.Scan(&v, &dirty); err != nil {
			return err
		}
		n++
		if dirty == 1 {
			return refusef("%s: version %s is marked dirty: that migration failed partway, and golang-migrate does not know what it left behind. "+
				"Look at the database, finish or undo that migration by hand, then clear the mark with golang-migrate's 'force %s' "+
				"(if it is now fully applied) or 'force' to the version before it, and import again", a.Table, v, v)
		}
		a.UpTo = v
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if n > 1 {
		return refusef("%s has %d rows; golang-migrate keeps exactly one (is this dbmate's schema_migrations? then import with format dbmate)", a.Table, n)
	}
	return nil
}

// readAtlas reads the revisions, refusing a partial or failed one.
func readAtlas(ctx context.Context, db *sql.DB, q string, a *Applied) error {
	rows, err := db.QueryContext(ctx, "SELECT version, type, applied, total, COALESCE(error, '') FROM "+q+" ORDER BY version")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var v, msg string
		var typ, applied, total int64
		if err := rows.Scan(&v, &typ, &applied, &total, &msg); err != nil {
			return err
		}
		switch {
		case strings.HasPrefix(v, "."):
			continue
		case typ&atlasBaseline != 0:
			a.UpTo = v
		case msg != "" || applied != total:
			return refusef("%s: version %s is not fully applied (%d of %d statements ran%s): atlas stopped partway. "+
				"Finish or undo it by hand and record the outcome with 'atlas migrate set', then import again", a.Table, v, applied, total, errSuffix(msg))
		default:
			a.Versions = append(a.Versions, v)
		}
	}
	return rows.Err()
}

// atlasBaseline is atlas's revision type bit of a baseline row.
const atlasBaseline = 1

func errSuffix(msg string) string {
	if msg == "" {
		return ""
	}
	return "; error: " + strings.Join(strings.Fields(msg), " ")
}

func queryColumn(ctx context.Context, db *sql.DB, q string) ([]string, error) {
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// quoteTable quotes "name" or (PostgreSQL) "schema.name".
func quoteTable(dialect, table string) (string, error) {
	parts := strings.Split(table, ".")
	if len(parts) > 2 || (len(parts) == 2 && dialect != "postgres") {
		return "", fmt.Errorf("import: version table %q: want name or (PostgreSQL) schema.name", table)
	}
	for i, p := range parts {
		if p == "" {
			return "", fmt.Errorf("import: version table %q: empty name", table)
		}
		parts[i] = `"` + strings.ReplaceAll(p, `"`, `""`) + `"`
	}
	return strings.Join(parts, "."), nil
}

// tableExists says plainly when the table is not there: the wrong
// database, or a table name of the tool's configuration.
func tableExists(ctx context.Context, db *sql.DB, dialect string, f Format, table string) error {
	var n int
	var err error
	if dialect == "postgres" {
		q, _ := quoteTable(dialect, table)
		err = db.QueryRowContext(ctx, "SELECT count(*) FROM (SELECT to_regclass($1) AS t) s WHERE t IS NOT NULL", q).Scan(&n)
	} else {
		err = db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", table).Scan(&n)
	}
	if err != nil {
		return err
	}
	if n == 0 {
		return refusef("this database has no table %s, where %s keeps its versions: is this the database %s migrated? (--from-table names another table)", table, f, f)
	}
	return nil
}
