package schema

// Dialect names used in [Schema.Dialect].
const (
	Postgres = "postgres"
	SQLite   = "sqlite"
)

// Schema is a whole database schema (or the part of it that was inspected).
type Schema struct {
	// Dialect is "postgres" or "sqlite".
	Dialect string `json:"dialect"`
	// ServerVersion is the version the schema was read from, when known
	// (PostgreSQL: server_version_num, e.g. 150018; SQLite: 3040001).
	ServerVersion int `json:"server_version,omitempty"`

	Schemas           []*Namespace        `json:"schemas,omitempty"`
	Extensions        []*Extension        `json:"extensions,omitempty"`
	Collations        []*Collation        `json:"collations,omitempty"`
	TextSearchConfigs []*TextSearchConfig `json:"text_search_configs,omitempty"`
	Enums             []*Enum             `json:"enums,omitempty"`
	Domains           []*Domain           `json:"domains,omitempty"`
	Types             []*Type             `json:"types,omitempty"`
	Sequences         []*Sequence         `json:"sequences,omitempty"`
	Tables            []*Table            `json:"tables,omitempty"`
	Views             []*View             `json:"views,omitempty"`
	Functions         []*Function         `json:"functions,omitempty"`
	Triggers          []*Trigger          `json:"triggers,omitempty"`
}

// Namespace is a PostgreSQL schema ("schema" is taken by the whole model).
type Namespace struct {
	Name    string `json:"name"`
	Comment string `json:"comment,omitempty"`
	// FromExtension names the extension that owns the object, if any.
	// Objects owned by an extension are created by CREATE EXTENSION and
	// must never be rendered or changed on their own.
	FromExtension string `json:"from_extension,omitempty"`
}

// Extension is an installed PostgreSQL extension.
type Extension struct {
	Name    string `json:"name"`
	Schema  string `json:"schema"`
	Version string `json:"version,omitempty"`
	// Requires names the extensions this one needs (created first).
	Requires []string `json:"requires,omitempty"`
	Comment  string   `json:"comment,omitempty"`
}

// Collation is a user-defined collation (CREATE COLLATION).
type Collation struct {
	Schema string `json:"schema"`
	Name   string `json:"name"`
	// Provider is "libc", "icu" or "default".
	Provider      string `json:"provider"`
	Locale        string `json:"locale,omitempty"` // ICU locale (PostgreSQL 15: colliculocale)
	LcCollate     string `json:"lc_collate,omitempty"`
	LcCtype       string `json:"lc_ctype,omitempty"`
	Deterministic bool   `json:"deterministic"`
	Version       string `json:"version,omitempty"`
	Comment       string `json:"comment,omitempty"`
	FromExtension string `json:"from_extension,omitempty"`
}

// TextSearchConfig is a text search configuration.
type TextSearchConfig struct {
	Schema string `json:"schema"`
	Name   string `json:"name"`
	// Parser is the qualified parser name, e.g. pg_catalog."default".
	Parser        string               `json:"parser"`
	Mappings      []*TextSearchMapping `json:"mappings,omitempty"`
	Comment       string               `json:"comment,omitempty"`
	FromExtension string               `json:"from_extension,omitempty"`
}

// TextSearchMapping maps one token type to its dictionaries, in order.
type TextSearchMapping struct {
	TokenType    string   `json:"token_type"`
	Dictionaries []string `json:"dictionaries"`
}

// Enum is an enumerated type; Values are in their sort order.
type Enum struct {
	Schema        string   `json:"schema"`
	Name          string   `json:"name"`
	Values        []string `json:"values"`
	Comment       string   `json:"comment,omitempty"`
	FromExtension string   `json:"from_extension,omitempty"`
}

// Domain is a PostgreSQL domain.
type Domain struct {
	Schema    string   `json:"schema"`
	Name      string   `json:"name"`
	Type      string   `json:"type"`
	NotNull   bool     `json:"not_null,omitempty"`
	Default   string   `json:"default,omitempty"`
	Collation string   `json:"collation,omitempty"`
	Checks    []*Check `json:"checks,omitempty"`
	Comment   string   `json:"comment,omitempty"`
	// DependsOn lists the types and functions the domain needs (its base
	// type, functions its checks call), so it can be created in order.
	DependsOn []*ObjectRef `json:"depends_on,omitempty"`

	FromExtension string `json:"from_extension,omitempty"`
}

// Type is a user-defined type other than an enum or a domain: a composite
// or range type. Definition is the body after "AS" (e.g. "(a integer, b
// text)" or "RANGE (subtype = ...)").
type Type struct {
	Schema string `json:"schema"`
	Name   string `json:"name"`
	// Kind is "composite" or "range".
	Kind       string `json:"kind"`
	Definition string `json:"definition"`
	// Attributes of a composite type, in order (Name, Type, Collation).
	Attributes []*Column `json:"attributes,omitempty"`
	// DependsOn lists the types and functions the type needs (attribute
	// types, range support functions).
	DependsOn     []*ObjectRef `json:"depends_on,omitempty"`
	Comment       string       `json:"comment,omitempty"`
	FromExtension string       `json:"from_extension,omitempty"`
}

// SequenceOptions are the parameters of a sequence or identity column.
type SequenceOptions struct {
	// Type is the sequence's data type (smallint, integer, bigint).
	Type      string `json:"type,omitempty"`
	Start     int64  `json:"start"`
	Increment int64  `json:"increment"`
	Min       int64  `json:"min"`
	Max       int64  `json:"max"`
	Cache     int64  `json:"cache"`
	Cycle     bool   `json:"cycle,omitempty"`
}

// Sequence is a sequence that is not an identity column's. A sequence
// owned by a column (serial columns) has OwnedBy set; it is still rendered
// once, here, and the column's Default holds the nextval() call.
type Sequence struct {
	Schema string `json:"schema"`
	Name   string `json:"name"`
	SequenceOptions
	OwnedBy       *ColumnRef `json:"owned_by,omitempty"`
	Comment       string     `json:"comment,omitempty"`
	FromExtension string     `json:"from_extension,omitempty"`
}

// ColumnRef names one column of a table.
type ColumnRef struct {
	Schema string `json:"schema"`
	Table  string `json:"table"`
	Column string `json:"column"`
}

// TableRef names a table.
type TableRef struct {
	Schema string `json:"schema"`
	Name   string `json:"name"`
}
