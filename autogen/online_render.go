package autogen

import (
	"fmt"
	"strings"

	"github.com/migratehq/migrate/schema"
)

// concurrentIndex renders ix as CREATE [UNIQUE] INDEX CONCURRENTLY on
// table t, or "" when its definition is not in the form pg_get_indexdef
// gives (then it keeps its plain form).
func concurrentIndex(t schema.TableRef, ix *schema.Index) string {
	def := pgIndexDef(t, ix, false)
	for _, head := range []string{"CREATE INDEX ", "CREATE UNIQUE INDEX "} {
		if strings.HasPrefix(def, head+pgIdent(ix.Name)+" ON ") {
			return head + "CONCURRENTLY " + def[len(head):]
		}
	}
	return ""
}

// dropConcurrently is DROP INDEX CONCURRENTLY [IF EXISTS] of index name
// in schema nsp.
func dropConcurrently(nsp, name string, ifExists bool) Statement {
	sql := "DROP INDEX CONCURRENTLY "
	if ifExists {
		sql += "IF EXISTS "
	}
	return Statement{SQL: sql + pgQualify(nsp, name)}
}

// buildIndex is the statements that build ix concurrently, the
// DROP INDEX CONCURRENTLY IF EXISTS first: a build that failed leaves an
// invalid index of that name behind, which a second run removes.
func buildIndex(t schema.TableRef, ix *schema.Index) []Statement {
	out := []Statement{dropConcurrently(t.Schema, ix.Name, true), {SQL: concurrentIndex(t, ix)}}
	if ix.Comment != "" {
		out = append(out, Statement{SQL: fmt.Sprintf("COMMENT ON INDEX %s IS %s", pgQualify(t.Schema, ix.Name), pgCommentText(ix.Comment))})
	}
	return out
}

// buildIndexStep adds an index concurrently; its Down drops it so.
func buildIndexStep(t schema.TableRef, ix *schema.Index) onlineStep {
	return onlineStep{up: buildIndex(t, ix), down: []Statement{dropConcurrently(t.Schema, ix.Name, false)}}
}

// dropIndexStep drops an index concurrently (IF EXISTS: a second run
// after a failure finds it gone); its Down builds it again so.
func dropIndexStep(t schema.TableRef, ix *schema.Index) onlineStep {
	return onlineStep{up: []Statement{dropConcurrently(t.Schema, ix.Name, true)}, down: buildIndex(t, ix)}
}

// replaceIndexStep swaps index from for to (same name, new definition):
// to is built concurrently under a temporary name, from dropped
// concurrently, and the new one renamed; the Down is the same swap back.
func replaceIndexStep(t schema.TableRef, from, to *schema.Index) onlineStep {
	return onlineStep{up: swapIndex(t, from, to), down: swapIndex(t, to, from)}
}

func swapIndex(t schema.TableRef, from, to *schema.Index) []Statement {
	tmp := *to
	tmp.Name = tempName(to.Name, "_online")
	tmp.Comment = ""
	out := buildIndex(t, &tmp)
	out = append(out, dropConcurrently(t.Schema, from.Name, true),
		Statement{SQL: fmt.Sprintf("ALTER INDEX %s RENAME TO %s", pgQualify(t.Schema, tmp.Name), pgIdent(to.Name))})
	if to.Comment != "" {
		out = append(out, Statement{SQL: fmt.Sprintf("COMMENT ON INDEX %s IS %s", pgQualify(t.Schema, to.Name), pgCommentText(to.Comment))})
	}
	return out
}

// uniqueIndexDef is the CREATE UNIQUE INDEX CONCURRENTLY that builds the
// index of unique key k, or "" when the key's definition says more than
// its columns do (then it keeps its plain form).
func uniqueIndexDef(t schema.TableRef, k *schema.Key) string {
	if k.Parent != "" || len(k.Parts) > 0 || k.Name == "" {
		return ""
	}
	bare := *k
	bare.Definition = ""
	if k.Definition != "" && k.Definition != pgKeyDef("UNIQUE", &bare) {
		return ""
	}
	sql := fmt.Sprintf("CREATE UNIQUE INDEX CONCURRENTLY %s ON %s (%s)", pgIdent(k.Name), pgQualify(t.Schema, t.Name), pgIdentList(k.Columns))
	if len(k.Include) > 0 {
		sql += " INCLUDE (" + pgIdentList(k.Include) + ")"
	}
	if k.NullsNotDistinct {
		sql += " NULLS NOT DISTINCT"
	}
	return sql
}

// uniqueSteps adds unique key k: its index built concurrently (builds
// part), then the constraint made from it (attach part).
func uniqueSteps(t schema.TableRef, k *schema.Key) (build, attach onlineStep) {
	build = onlineStep{
		up:   []Statement{dropConcurrently(t.Schema, k.Name, true), {SQL: uniqueIndexDef(t, k)}},
		down: []Statement{dropConcurrently(t.Schema, k.Name, true)},
	}
	table := pgQualify(t.Schema, t.Name)
	sql := fmt.Sprintf("ALTER TABLE %s\n    ADD CONSTRAINT %s UNIQUE USING INDEX %s", table, pgIdent(k.Name), pgIdent(k.Name))
	if k.Deferrable {
		sql += " DEFERRABLE"
		if k.InitiallyDeferred {
			sql += " INITIALLY DEFERRED"
		}
	}
	attach = onlineStep{up: []Statement{{SQL: sql}}, down: []Statement{{SQL: fmt.Sprintf("ALTER TABLE %s DROP CONSTRAINT %s", table, pgIdent(k.Name))}}}
	if k.Comment != "" {
		attach.up = append(attach.up, Statement{SQL: fmt.Sprintf("COMMENT ON CONSTRAINT %s ON %s IS %s", pgIdent(k.Name), table, pgCommentText(k.Comment))})
	}
	return build, attach
}

// notValidSteps adds constraint name (def, a FOREIGN KEY or CHECK clause)
// NOT VALID, which checks no existing row, then validates it in a later
// transaction, which scans the table under SHARE UPDATE EXCLUSIVE:
// writes go on. warning goes on the validation (where rows can fail).
func notValidSteps(t schema.TableRef, name, def, comment, warning string) (add, validate onlineStep) {
	table := pgQualify(t.Schema, t.Name)
	add = onlineStep{
		up:   []Statement{{SQL: fmt.Sprintf("ALTER TABLE %s\n    ADD CONSTRAINT %s %s NOT VALID", table, pgIdent(name), def)}},
		down: []Statement{{SQL: fmt.Sprintf("ALTER TABLE %s DROP CONSTRAINT %s", table, pgIdent(name))}},
	}
	if comment != "" {
		add.up = append(add.up, Statement{SQL: fmt.Sprintf("COMMENT ON CONSTRAINT %s ON %s IS %s", pgIdent(name), table, pgCommentText(comment))})
	}
	// A validated constraint cannot be made not valid again; the Down of
	// the add drops it.
	validate = onlineStep{up: []Statement{{SQL: fmt.Sprintf("ALTER TABLE %s VALIDATE CONSTRAINT %s", table, pgIdent(name)), Warning: warning}}}
	return add, validate
}

// notNullSteps set NOT NULL on column col of an existing table without
// a scan under ACCESS EXCLUSIVE: a CHECK (col IS NOT NULL) added NOT
// VALID, validated in a later transaction, then SET NOT NULL (which
// PostgreSQL 12+ proves from the check without a scan) and the check
// dropped. The Down of the last step adds the check back NOT VALID, so
// that each Down undoes its own Up.
func notNullSteps(t schema.TableRef, col string) (add, validate, set onlineStep) {
	check := tempName(t.Name+"_"+col, "_not_null_online")
	warning := fmt.Sprintf("sets NOT NULL on %s.%s: fails if a row holds NULL", qualifiedName(t.Schema, t.Name), col)
	add, validate = notValidSteps(t, check, fmt.Sprintf("CHECK (%s IS NOT NULL)", pgIdent(col)), "", warning)
	table := pgQualify(t.Schema, t.Name)
	alter := fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s", table, pgIdent(col))
	set = onlineStep{
		up:   []Statement{{SQL: alter + " SET NOT NULL"}, {SQL: fmt.Sprintf("ALTER TABLE %s DROP CONSTRAINT %s", table, pgIdent(check))}},
		down: []Statement{add.up[0], {SQL: alter + " DROP NOT NULL"}},
	}
	return add, validate, set
}

// tempName is base with suffix, base cut (at a character boundary) so
// that the whole fits in an identifier.
func tempName(base, suffix string) string {
	max := pgMaxIdent - len(suffix)
	if len(base) > max {
		cut := 0
		for i := range base {
			if i > max {
				break
			}
			cut = i
		}
		base = base[:cut]
	}
	return base + suffix
}
