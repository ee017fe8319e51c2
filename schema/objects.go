package schema

// View is a view or a materialized view.
type View struct {
	Schema       string `json:"schema"`
	Name         string `json:"name"`
	Materialized bool   `json:"materialized,omitempty"`
	// Definition is the SELECT query as the database prints it
	// (pg_get_viewdef), without CREATE VIEW.
	Definition string `json:"definition"`
	// Columns carry the output column names and types (and comments).
	Columns []*Column `json:"columns,omitempty"`
	// CheckOption is "LOCAL" or "CASCADED" for WITH CHECK OPTION views.
	CheckOption string `json:"check_option,omitempty"`
	// Options are view options (reloptions), e.g. "security_barrier=true".
	Options []string `json:"options,omitempty"`
	// Indexes of a materialized view.
	Indexes []*Index `json:"indexes,omitempty"`
	Comment string   `json:"comment,omitempty"`
	// SQL is the CREATE VIEW statement as the database stores it (SQLite).
	SQL string `json:"sql,omitempty"`
	// DependsOn lists the tables, views and functions the query uses
	// (PostgreSQL: from pg_depend), so views can be created in order.
	DependsOn []*ObjectRef `json:"depends_on,omitempty"`

	FromExtension string `json:"from_extension,omitempty"`
}

// Function kinds.
const (
	KindFunction  = "function"
	KindProcedure = "procedure"
	KindAggregate = "aggregate"
	KindWindow    = "window"
)

// Function is a function, procedure or aggregate.
type Function struct {
	Schema string `json:"schema"`
	Name   string `json:"name"`
	// Kind is one of the Kind constants.
	Kind string `json:"kind"`
	// Args is the identity argument list (pg_get_function_identity_arguments),
	// which with Schema and Name identifies the function.
	Args string `json:"args"`
	// Result is the result type (pg_get_function_result); "" for procedures.
	Result   string `json:"result,omitempty"`
	Language string `json:"language,omitempty"`
	// Definition is the whole CREATE statement: pg_get_functiondef for
	// functions and procedures, a built CREATE AGGREGATE for aggregates.
	Definition string `json:"definition"`
	// DependsOn lists the tables, views, types and functions the
	// function's signature (or SQL-standard body, or an aggregate's
	// support functions) depends on. Bodies in quotes are not analysed.
	DependsOn     []*ObjectRef `json:"depends_on,omitempty"`
	Comment       string       `json:"comment,omitempty"`
	FromExtension string       `json:"from_extension,omitempty"`
}

// Object kinds used in [ObjectRef].
const (
	ObjectTable    = "table"
	ObjectView     = "view"
	ObjectFunction = "function"
	ObjectType     = "type"
	ObjectSequence = "sequence"
)

// ObjectRef names an object another object depends on. For functions,
// Name is the bare name (all overloads).
type ObjectRef struct {
	Kind   string `json:"kind"`
	Schema string `json:"schema,omitempty"`
	Name   string `json:"name"`
}

// Trigger is a trigger on a table or view.
type Trigger struct {
	Schema string `json:"schema"`
	// Table is the table or view the trigger is on (in Schema).
	Table string `json:"table"`
	Name  string `json:"name"`
	// Constraint marks a PostgreSQL CONSTRAINT TRIGGER.
	Constraint bool `json:"constraint,omitempty"`
	// Definition is the whole CREATE TRIGGER statement (pg_get_triggerdef,
	// SQLite's stored SQL).
	Definition string `json:"definition"`
	// Enabled is PostgreSQL's tgenabled when not the default "O":
	// "D" disabled, "R" replica, "A" always.
	Enabled       string `json:"enabled,omitempty"`
	Comment       string `json:"comment,omitempty"`
	FromExtension string `json:"from_extension,omitempty"`
}
