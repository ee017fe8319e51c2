package introspect_test

import (
	"context"
	"slices"
	"testing"

	"github.com/migratehq/migrate/introspect"
	"github.com/migratehq/migrate/schema"
)

// TestPostgresAllSchemas: "*" reads every schema but the system's and
// an extension's, beside any named; OtherSchemas names the schemas
// outside a list that hold objects of their own.
func TestPostgresAllSchemas(t *testing.T) {
	_, db := pgFresh(t)
	pgExec(t, db, `CREATE TABLE public.p (id int);
		CREATE SCHEMA app; CREATE TABLE app.t (id int);
		CREATE SCHEMA types; CREATE TYPE types.mood AS ENUM ('a');
		CREATE SCHEMA funcs; CREATE FUNCTION funcs.f() RETURNS int LANGUAGE sql AS 'SELECT 1';
		CREATE SCHEMA empty;
		CREATE SCHEMA ext; CREATE EXTENSION citext SCHEMA ext`)
	ctx := context.Background()
	s, err := introspect.Inspect(ctx, db, schema.Postgres, introspect.Options{Schemas: []string{introspect.AllSchemas}})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, n := range s.Schemas {
		names = append(names, n.Name)
	}
	if want := []string{"app", "empty", "ext", "funcs", "public", "types"}; !slices.Equal(names, want) {
		t.Errorf("schemas read = %v, want %v", names, want)
	}
	if s.Table("app", "t") == nil || s.Table("public", "p") == nil || s.Enum("types", "mood") == nil {
		t.Errorf("'*' missed objects: %s", pgJSON(t, s))
	}
	other, err := introspect.OtherSchemas(ctx, db, []string{"public"})
	if err != nil {
		t.Fatal(err)
	}
	// empty holds nothing; ext holds only the extension's objects.
	if want := []string{"app", "funcs", "types"}; !slices.Equal(other, want) {
		t.Errorf("OtherSchemas = %v, want %v", other, want)
	}
	if other, err := introspect.OtherSchemas(ctx, db, []string{"public", "app", "funcs", "types"}); err != nil || len(other) != 0 {
		t.Errorf("OtherSchemas of all = %v, %v", other, err)
	}
}
