package schema

// Table is a table, including partitioned tables and partitions.
type Table struct {
	Schema  string    `json:"schema"`
	Name    string    `json:"name"`
	Columns []*Column `json:"columns"`

	PrimaryKey  *Key          `json:"primary_key,omitempty"`
	Uniques     []*Key        `json:"uniques,omitempty"`
	ForeignKeys []*ForeignKey `json:"foreign_keys,omitempty"`
	Checks      []*Check      `json:"checks,omitempty"`
	Exclusions  []*Exclusion  `json:"exclusions,omitempty"`
	// Indexes are the indexes that do not back a constraint (those are
	// part of PrimaryKey, Uniques and Exclusions).
	Indexes []*Index `json:"indexes,omitempty"`

	Comment string `json:"comment,omitempty"`

	// PartitionBy is the partition key of a partitioned table as
	// pg_get_partkeydef prints it, e.g. "RANGE (payment_date)".
	PartitionBy string `json:"partition_by,omitempty"`
	// PartitionOf is set on a partition.
	PartitionOf *Partition `json:"partition_of,omitempty"`
	// Inherits lists the parents of a table that uses (non-partition)
	// table inheritance, in order.
	Inherits []*TableRef `json:"inherits,omitempty"`

	// Unlogged marks a PostgreSQL UNLOGGED table.
	Unlogged bool `json:"unlogged,omitempty"`
	// Options are storage parameters (reloptions), e.g. "fillfactor=70".
	Options []string `json:"options,omitempty"`
	// RowSecurity and ForceRowSecurity are PostgreSQL's row-level
	// security switches.
	RowSecurity      bool `json:"row_security,omitempty"`
	ForceRowSecurity bool `json:"force_row_security,omitempty"`
	// Policies are the row-level security policies of the table.
	Policies []*Policy `json:"policies,omitempty"`
	// ReplicaIdentity is PostgreSQL's REPLICA IDENTITY when not the
	// default: "FULL", "NOTHING" or "INDEX" (ReplicaIdentityIndex names
	// the index, which may be a key's).
	ReplicaIdentity      string `json:"replica_identity,omitempty"`
	ReplicaIdentityIndex string `json:"replica_identity_index,omitempty"`
	// ClusterOn names the index of ALTER TABLE ... CLUSTER ON (which may
	// be a key's).
	ClusterOn string `json:"cluster_on,omitempty"`
	// Statistics are extended statistics objects on the table.
	Statistics []*Statistics `json:"statistics,omitempty"`
	// Rules are the table's rewrite rules (CREATE RULE).
	Rules []*Rule `json:"rules,omitempty"`

	// WithoutRowID and Strict are SQLite table options.
	WithoutRowID bool `json:"without_rowid,omitempty"`
	Strict       bool `json:"strict,omitempty"`
	// Virtual marks a SQLite virtual table (CREATE VIRTUAL TABLE … USING
	// module); SQL holds its statement, which is rendered as it is, and
	// Columns are what the module declares.
	Virtual bool `json:"virtual,omitempty"`
	// SQL is the CREATE TABLE statement as the database stores it (SQLite).
	SQL string `json:"sql,omitempty"`

	FromExtension string `json:"from_extension,omitempty"`
}

// Partition says which table a partition belongs to and its bound.
type Partition struct {
	Schema string `json:"schema"`
	Table  string `json:"table"`
	// Bound as pg_get_expr(relpartbound) prints it, e.g.
	// "FOR VALUES FROM ('2022-01-01 00:00:00+00') TO ('2022-02-01 00:00:00+00')"
	// or "DEFAULT".
	Bound string `json:"bound"`
}

// Column is a table column.
type Column struct {
	Name string `json:"name"`
	// Type as format_type prints it (PostgreSQL) or as declared (SQLite).
	Type    string `json:"type"`
	NotNull bool   `json:"not_null,omitempty"`
	// Default is the default expression as the database prints it, or "".
	// A serial column's default is its nextval() call.
	Default string `json:"default,omitempty"`
	// Identity is set on GENERATED ... AS IDENTITY columns.
	Identity *Identity `json:"identity,omitempty"`
	// Generated is set on generated columns.
	Generated *Generated `json:"generated,omitempty"`
	// Collation is set when it differs from the type's default collation.
	Collation string `json:"collation,omitempty"`
	Comment   string `json:"comment,omitempty"`
	// AutoIncrement marks a SQLite INTEGER PRIMARY KEY AUTOINCREMENT column.
	AutoIncrement bool `json:"auto_increment,omitempty"`
	// OnConflict is SQLite's conflict algorithm of the column's NOT NULL
	// constraint (ROLLBACK, ABORT, FAIL, IGNORE, REPLACE), "" when absent.
	OnConflict string `json:"on_conflict,omitempty"`
	// Inherited is true for a column that a partition or child table gets
	// from its parent only (PostgreSQL: not attislocal).
	Inherited bool `json:"inherited,omitempty"`
	// Statistics is the column's statistics target when set (ALTER
	// COLUMN SET STATISTICS); 0 means the default.
	Statistics int `json:"statistics,omitempty"`
	// Storage is the column's storage (PLAIN, EXTERNAL, EXTENDED, MAIN)
	// when it differs from its type's.
	Storage string `json:"storage,omitempty"`
	// Compression is the column's compression method (pglz, lz4) when set.
	Compression string `json:"compression,omitempty"`
}

// Identity describes a GENERATED { ALWAYS | BY DEFAULT } AS IDENTITY column.
type Identity struct {
	Always bool `json:"always"`
	// SequenceSchema and SequenceName name the implicit sequence.
	SequenceSchema string `json:"sequence_schema,omitempty"`
	SequenceName   string `json:"sequence_name,omitempty"`
	SequenceOptions
}

// Generated describes a generated column.
type Generated struct {
	Expr string `json:"expr"`
	// Stored is true for STORED columns, false for VIRTUAL ones (SQLite).
	Stored bool `json:"stored"`
}

// Key is a primary key or a unique constraint.
type Key struct {
	Name    string   `json:"name,omitempty"`
	Columns []string `json:"columns"`
	// Include lists non-key columns (INCLUDE (...)).
	Include           []string `json:"include,omitempty"`
	NullsNotDistinct  bool     `json:"nulls_not_distinct,omitempty"`
	Deferrable        bool     `json:"deferrable,omitempty"`
	InitiallyDeferred bool     `json:"initially_deferred,omitempty"`
	// Parts repeats Columns with their direction and collation when one
	// of them is not the default (SQLite allows PRIMARY KEY (a DESC, b
	// COLLATE NOCASE)); nil otherwise.
	Parts []*IndexPart `json:"parts,omitempty"`
	// OnConflict is SQLite's conflict algorithm of the constraint
	// (ROLLBACK, ABORT, FAIL, IGNORE, REPLACE), "" when absent.
	OnConflict string `json:"on_conflict,omitempty"`
	// NotRowIDAlias marks the single-column INTEGER primary key of a
	// SQLite rowid table that is nevertheless not an alias of the rowid:
	// by a documented quirk, "x INTEGER PRIMARY KEY DESC" written as a
	// column constraint is not one, while PRIMARY KEY (x DESC) is.
	NotRowIDAlias bool `json:"not_rowid_alias,omitempty"`
	// Definition is the constraint text the database gives
	// (pg_get_constraintdef, or the clause from SQLite's stored SQL).
	Definition string `json:"definition,omitempty"`
	// Parent is the name of the partitioned table's index (in the
	// parent's schema) that this partition's key index is attached to.
	Parent  string `json:"parent,omitempty"`
	Comment string `json:"comment,omitempty"`
}

// Foreign-key actions, as written in SQL. An empty action means NO ACTION.
const (
	NoAction   = "NO ACTION"
	Restrict   = "RESTRICT"
	Cascade    = "CASCADE"
	SetNull    = "SET NULL"
	SetDefault = "SET DEFAULT"
)

// ForeignKey is a foreign-key constraint.
type ForeignKey struct {
	Name       string   `json:"name,omitempty"`
	Columns    []string `json:"columns"`
	RefSchema  string   `json:"ref_schema,omitempty"`
	RefTable   string   `json:"ref_table"`
	RefColumns []string `json:"ref_columns"`
	// OnDelete and OnUpdate are one of the action constants; "" is NO ACTION.
	OnDelete string `json:"on_delete,omitempty"`
	OnUpdate string `json:"on_update,omitempty"`
	// Match is "FULL" or "PARTIAL"; "" is MATCH SIMPLE.
	Match             string `json:"match,omitempty"`
	Deferrable        bool   `json:"deferrable,omitempty"`
	InitiallyDeferred bool   `json:"initially_deferred,omitempty"`
	NotValid          bool   `json:"not_valid,omitempty"`
	Definition        string `json:"definition,omitempty"`
	Comment           string `json:"comment,omitempty"`
}

// Check is a check constraint (of a table or a domain).
type Check struct {
	Name string `json:"name,omitempty"`
	// Expr is the boolean expression as the database prints it, without
	// the CHECK keyword, e.g. "(qty >= 0)".
	Expr      string `json:"expr"`
	NoInherit bool   `json:"no_inherit,omitempty"`
	NotValid  bool   `json:"not_valid,omitempty"`
	// Inherited is true for a check a partition or child table has only
	// from its parent (PostgreSQL: not conislocal).
	Inherited  bool   `json:"inherited,omitempty"`
	Definition string `json:"definition,omitempty"`
	Comment    string `json:"comment,omitempty"`
}

// Exclusion is a PostgreSQL exclusion constraint; Definition is what
// pg_get_constraintdef prints ("EXCLUDE USING gist (room WITH =, during WITH &&)").
type Exclusion struct {
	Name              string `json:"name"`
	Definition        string `json:"definition"`
	Deferrable        bool   `json:"deferrable,omitempty"`
	InitiallyDeferred bool   `json:"initially_deferred,omitempty"`
	Parent            string `json:"parent,omitempty"`
	Comment           string `json:"comment,omitempty"`
}

// Index is an index that does not back a constraint.
type Index struct {
	Name   string `json:"name"`
	Unique bool   `json:"unique,omitempty"`
	// Method is the access method (btree, hash, gist, gin, brin, spgist …);
	// "" for SQLite.
	Method string       `json:"method,omitempty"`
	Parts  []*IndexPart `json:"parts"`
	// Include lists non-key columns (INCLUDE (...)).
	Include          []string `json:"include,omitempty"`
	NullsNotDistinct bool     `json:"nulls_not_distinct,omitempty"`
	// Where is the predicate of a partial index, without WHERE.
	Where string `json:"where,omitempty"`
	// Options are storage parameters (WITH (...)).
	Options []string `json:"options,omitempty"`
	// Definition is the full CREATE INDEX statement the database gives
	// (pg_get_indexdef, SQLite's stored SQL).
	Definition string `json:"definition,omitempty"`
	// Parent is the name of the partitioned table's index (in the
	// parent's schema) that this partition's index is attached to.
	Parent  string `json:"parent,omitempty"`
	Comment string `json:"comment,omitempty"`
}

// IndexPart is one key of an index: a column or an expression.
type IndexPart struct {
	Column string `json:"column,omitempty"`
	Expr   string `json:"expr,omitempty"`
	Desc   bool   `json:"desc,omitempty"`
	// Nulls is "FIRST" or "LAST" when it differs from the default for the
	// direction (NULLS LAST for ASC, NULLS FIRST for DESC); "" otherwise.
	Nulls string `json:"nulls,omitempty"`
	// OpClass is set when it is not the default for the type.
	OpClass   string `json:"opclass,omitempty"`
	Collation string `json:"collation,omitempty"`
}

// Policy is a PostgreSQL row-level security policy.
type Policy struct {
	Name string `json:"name"`
	// Command is ALL, SELECT, INSERT, UPDATE or DELETE.
	Command string `json:"command"`
	// Permissive is false for AS RESTRICTIVE policies.
	Permissive bool `json:"permissive"`
	// Roles the policy applies to; empty means PUBLIC.
	Roles     []string `json:"roles,omitempty"`
	Using     string   `json:"using,omitempty"`
	WithCheck string   `json:"with_check,omitempty"`
	Comment   string   `json:"comment,omitempty"`
}

// Statistics is a PostgreSQL extended statistics object; Definition is
// what pg_get_statisticsobjdef prints (the whole CREATE STATISTICS).
type Statistics struct {
	Schema     string `json:"schema"`
	Name       string `json:"name"`
	Definition string `json:"definition"`
	// Target is the statistics target when set (ALTER STATISTICS ... SET
	// STATISTICS); -1 or 0 mean the default.
	Target  int    `json:"target,omitempty"`
	Comment string `json:"comment,omitempty"`
}

// Rule is a PostgreSQL rewrite rule on a table; Definition is what
// pg_get_ruledef prints (the whole CREATE RULE).
type Rule struct {
	Name       string `json:"name"`
	Definition string `json:"definition"`
	// Enabled is ev_enabled when not the default "O": "D" disabled,
	// "R" replica, "A" always.
	Enabled string `json:"enabled,omitempty"`
	Comment string `json:"comment,omitempty"`
}
