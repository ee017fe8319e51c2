package lint

// Severity tells a hazard (the statement works, but may stall the
// application using the database) from an error (the statement fails).
type Severity string

const (
	// Hazard: the statement runs, but takes a lock for long, or breaks
	// code that is still running.
	Hazard Severity = "hazard"
	// Error: PostgreSQL refuses the statement where it would run. An
	// error cannot be ignored.
	Error Severity = "error"
)

// What a statement does to the table's data, besides locking it.
const (
	EffectRewrite = "rewrite" // writes a new copy of the table (and its indexes)
	EffectScan    = "scan"    // reads every row
	EffectNone    = "none"    // touches no rows
)

// PostgreSQL's table lock modes, as the documentation names them.
const (
	LockAccessExclusive      = "ACCESS EXCLUSIVE"
	LockExclusive            = "EXCLUSIVE"
	LockShareRowExclusive    = "SHARE ROW EXCLUSIVE"
	LockShare                = "SHARE"
	LockShareUpdateExclusive = "SHARE UPDATE EXCLUSIVE"
	LockRowExclusive         = "ROW EXCLUSIVE"
)

// Rule is one check of the linter. Its Code is stable: it is what
// "-- migrate:lint ignore=CODE" names, and what scripts match.
type Rule struct {
	Code     string   `json:"code"`
	Name     string   `json:"name"`
	Severity Severity `json:"severity"`
	Lock     string   `json:"lock,omitempty"` // the lock the statement takes on the table
	Effect   string   `json:"effect"`         // EffectRewrite, EffectScan or EffectNone
	Fix      string   `json:"fix"`            // the safe alternative, in one line
}

// The rules' codes.
const (
	CodeIndexNotConcurrent     = "PG101"
	CodeDropIndexNotConcurrent = "PG102"
	CodeNotInTransaction       = "PG103"
	CodeConstraintWithoutIndex = "PG104"
	CodeExclusionConstraint    = "PG105"
	CodeForeignKeyValidated    = "PG111"
	CodeCheckValidated         = "PG112"
	CodeSetNotNull             = "PG113"
	CodeTypeRewrite            = "PG114"
	CodeVolatileDefault        = "PG115"
	CodeValidateUnderLock      = "PG116"
	CodeVacuumFull             = "PG121"
	CodeCluster                = "PG122"
	CodeRefreshNotConcurrent   = "PG123"
	CodeUnboundedDML           = "PG131"
	CodeDropColumn             = "PG141"
	CodeDropTable              = "PG142"
	CodeRenameColumn           = "PG143"
	CodeRenameTable            = "PG144"
	CodeNotNullNoDefault       = "PG145"
)

// Rules lists the PostgreSQL rules, by code. docs/lint.md describes each.
var Rules = []Rule{
	{CodeIndexNotConcurrent, "create-index-not-concurrent", Hazard, LockShare, EffectScan,
		"CREATE INDEX CONCURRENTLY, in a revision marked -- migrate:transaction false"},
	{CodeDropIndexNotConcurrent, "drop-index-not-concurrent", Hazard, LockAccessExclusive, EffectNone,
		"DROP INDEX CONCURRENTLY, in a revision marked -- migrate:transaction false"},
	{CodeNotInTransaction, "not-in-transaction", Error, "", EffectNone,
		"move the statement to a revision of its own marked -- migrate:transaction false"},
	{CodeConstraintWithoutIndex, "constraint-without-index", Hazard, LockAccessExclusive, EffectScan,
		"CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT … PRIMARY KEY/UNIQUE USING INDEX"},
	{CodeExclusionConstraint, "exclusion-constraint", Hazard, LockAccessExclusive, EffectScan,
		"no online form exists: add it while the table is small or in a quiet window, and accept it with an ignore line saying so"},
	{CodeForeignKeyValidated, "foreign-key-validated", Hazard, LockShareRowExclusive, EffectScan,
		"ADD CONSTRAINT … FOREIGN KEY … NOT VALID, then VALIDATE CONSTRAINT in a later revision marked -- migrate:transaction false"},
	{CodeCheckValidated, "check-validated", Hazard, LockAccessExclusive, EffectScan,
		"ADD CONSTRAINT … CHECK (…) NOT VALID, then VALIDATE CONSTRAINT in a later revision marked -- migrate:transaction false"},
	{CodeSetNotNull, "set-not-null", Hazard, LockAccessExclusive, EffectScan,
		"ADD CHECK (col IS NOT NULL) NOT VALID, VALIDATE it in a later revision marked -- migrate:transaction false, then SET NOT NULL (no scan) and drop the check"},
	{CodeTypeRewrite, "column-type-rewrite", Hazard, LockAccessExclusive, EffectRewrite,
		"add a column of the new type, backfill it in batches, and switch the application over"},
	{CodeVolatileDefault, "add-column-volatile-default", Hazard, LockAccessExclusive, EffectRewrite,
		"add the column without the default (or with a constant one), backfill in batches, then SET DEFAULT"},
	{CodeValidateUnderLock, "validate-under-lock", Hazard, LockAccessExclusive, EffectScan,
		"VALIDATE CONSTRAINT in a revision of its own marked -- migrate:transaction false, after the one that adds the constraint NOT VALID"},
	{CodeVacuumFull, "vacuum-full", Hazard, LockAccessExclusive, EffectRewrite,
		"plain VACUUM, or pg_repack outside the migration"},
	{CodeCluster, "cluster", Hazard, LockAccessExclusive, EffectRewrite,
		"pg_repack --order-by outside the migration, or leave the physical order alone"},
	{CodeRefreshNotConcurrent, "refresh-matview-not-concurrent", Hazard, LockAccessExclusive, EffectRewrite,
		"REFRESH MATERIALIZED VIEW CONCURRENTLY (needs a unique index on the view)"},
	{CodeUnboundedDML, "dml-with-ddl", Hazard, LockAccessExclusive, EffectRewrite,
		"run the UPDATE/DELETE in a revision of its own, in batches, outside the DDL's transaction"},
	{CodeDropColumn, "drop-column", Hazard, LockAccessExclusive, EffectNone,
		"deploy code that no longer uses the column first; drop it in a later release"},
	{CodeDropTable, "drop-table", Hazard, LockAccessExclusive, EffectNone,
		"deploy code that no longer uses the table first; drop it in a later release"},
	{CodeRenameColumn, "rename-column", Hazard, LockAccessExclusive, EffectNone,
		"add the new column, write both, backfill, move readers over, then drop the old one"},
	{CodeRenameTable, "rename-table", Hazard, LockAccessExclusive, EffectNone,
		"rename, and leave a view with the old name until no code uses it"},
	{CodeNotNullNoDefault, "add-column-not-null-no-default", Hazard, LockAccessExclusive, EffectScan,
		"add the column with a DEFAULT, or nullable then backfill and SET NOT NULL the safe way"},
}

// RuleByCode returns the rule with that code.
func RuleByCode(code string) (Rule, bool) {
	for _, r := range Rules {
		if r.Code == code {
			return r, true
		}
	}
	return Rule{}, false
}
