package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/migratehq/migrate/autogen"
	"github.com/migratehq/migrate/config"
	"github.com/migratehq/migrate/internal/dbopen"
	"github.com/migratehq/migrate/introspect"
)

func init() { extraCommands = append(extraCommands, (*app).newInspectCmd) }

type inspectOpts struct {
	schemas []string
	exclude []string
}

func (a *app) newInspectCmd() *cobra.Command {
	var o inspectOpts
	cmd := &cobra.Command{
		Use:   "inspect",
		Short: "Print the live schema as SQL or JSON",
		Long: `inspect reads the database's schema and prints it as CREATE statements in
dependency order (applying them to an empty database recreates the schema),
or with --json as the schema model. It reads the catalog in a fixed number
of queries and changes nothing.

On PostgreSQL it reads the schemas given with --schema (default public;
'*' for every schema but the system's and extensions'); when it reads
public only and other schemas hold objects, it names them on stderr.
Objects that belong to an extension are shown only as CREATE EXTENSION.
The version table is left out.

--exclude leaves out objects whose "name" or "schema.name" matches the
glob, and columns whose "table.column" or "schema.table.column" does,
with the indexes and constraints that name them.`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runInspect(cmd.Context(), o)
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&o.schemas, "schema", nil, "PostgreSQL schema to read (repeatable or comma-separated; default public; '*' for all)")
	f.StringSliceVar(&o.exclude, "exclude", nil, `leave out objects matching a glob ("name", "schema.name") or columns ("table.column", "schema.table.column"); repeatable`)
	return cmd
}

func (a *app) runInspect(ctx context.Context, o inspectOpts) error {
	u, err := a.dbURL()
	if err != nil {
		return err
	}
	if u.Dialect == config.SQLite && len(o.schemas) > 0 && !slices.Equal(o.schemas, []string{introspect.AllSchemas}) {
		// '*' (every schema) is the one database there is.
		return usageErrorf("--schema: SQLite databases have no schemas (--schema '*' reads the database, as without it)")
	}
	c, err := a.config()
	if err != nil {
		return err
	}
	db, err := dbopen.Open(ctx, u, false)
	if errors.Is(err, dbopen.ErrNoFile) {
		return inputError(err)
	}
	if err != nil {
		return err
	}
	defer db.Close()
	vt := c.VersionTable
	if c.VersionSchema != "" && u.Dialect == config.Postgres {
		vt = c.VersionSchema + "." + vt
	}
	s, err := introspect.Inspect(ctx, db, string(u.Dialect), introspect.Options{
		Schemas:      o.schemas,
		Exclude:      o.exclude,
		VersionTable: vt,
		// Other tools' version tables, as diff and check leave them out.
		OtherVersionTables: introspect.DefaultOtherVersionTables(),
	})
	var missing *introspect.SchemaNotFoundError
	if errors.As(err, &missing) {
		return inputError(err)
	}
	if err != nil {
		return err
	}
	if u.Dialect == config.Postgres && len(o.schemas) == 0 {
		if err := a.noteOtherSchemas(ctx, db); err != nil {
			return err
		}
	}
	if a.json {
		a.out.jsonLine(s)
		return nil
	}
	stmts, err := autogen.RenderSchema(s)
	if err != nil {
		return err
	}
	var b strings.Builder
	for _, st := range stmts {
		b.WriteString(st)
		b.WriteString(";\n\n")
	}
	a.out.sql(b.String())
	return nil
}

// noteOtherSchemas says on stderr which schemas besides public hold
// objects that an inspection of public alone does not show.
func (a *app) noteOtherSchemas(ctx context.Context, db *sql.DB) error {
	other, err := introspect.OtherSchemas(ctx, db, []string{"public"})
	if err != nil {
		return fmt.Errorf("listing the schemas: %w", err)
	}
	if len(other) == 0 {
		return nil
	}
	noun, verb := "schema", "holds"
	if len(other) > 1 {
		noun, verb = "schemas", "hold"
	}
	a.out.info("Note: read schema public only; %d other %s %s objects: %s (--schema NAME reads one, --schema '*' all)",
		len(other), noun, verb, strings.Join(other, ", "))
	return nil
}
