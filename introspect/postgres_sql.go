package introspect

// The PostgreSQL catalog queries. Every query is set-based and filtered by
// the list of schemas ($1, a text[]); none is run per table. They run with
// search_path = pg_catalog, so format_type, pg_get_expr and the other
// deparsers qualify every name outside pg_catalog.
//
// Arrays come back as JSON text (decoded with encoding/json), which keeps
// the introspector independent of the driver's array support.

const pgSetupQuery = `SELECT current_setting('search_path'),
       set_config('search_path', 'pg_catalog', false),
       current_setting('server_version_num')::int,
       current_database()`

const pgRestoreQuery = `SELECT set_config('search_path', $1, false)`

const pgNamespacesQuery = `
SELECT n.oid, n.nspname, coalesce(d.description, '')
FROM pg_namespace n
LEFT JOIN pg_description d ON d.objoid = n.oid AND d.classoid = 'pg_namespace'::regclass AND d.objsubid = 0
WHERE n.nspname = ANY($1::text::text[])`

// pgExtMembersQuery lists every object that belongs to an extension
// (pg_depend deptype 'e'), by catalog and oid.
const pgExtMembersQuery = `
SELECT d.classid::regclass::text, d.objid, e.extname
FROM pg_depend d
JOIN pg_extension e ON e.oid = d.refobjid
WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'`

const pgExtensionsQuery = `
SELECT e.extname, n.nspname, e.extversion, coalesce(d.description, ''),
       coalesce((SELECT json_agg(r.extname ORDER BY r.extname)
                 FROM pg_depend dd JOIN pg_extension r ON r.oid = dd.refobjid
                 WHERE dd.classid = 'pg_extension'::regclass AND dd.objid = e.oid
                   AND dd.refclassid = 'pg_extension'::regclass)::text, '')
FROM pg_extension e
JOIN pg_namespace n ON n.oid = e.extnamespace
LEFT JOIN pg_description d ON d.objoid = e.oid AND d.classoid = 'pg_extension'::regclass AND d.objsubid = 0
WHERE n.nspname = ANY($1::text::text[])`

// pgCollationsQuery: colliculocale is PostgreSQL 15 and 16; 17 renamed
// it colllocale. %s is replaced by the right expression.
const pgCollationsQuery = `
SELECT co.oid, n.nspname, co.collname, co.collprovider, co.collisdeterministic,
       coalesce(co.collcollate, ''), coalesce(co.collctype, ''), %s,
       coalesce(co.collversion, ''), coalesce(d.description, '')
FROM pg_collation co
JOIN pg_namespace n ON n.oid = co.collnamespace
LEFT JOIN pg_description d ON d.objoid = co.oid AND d.classoid = 'pg_collation'::regclass AND d.objsubid = 0
WHERE n.nspname = ANY($1::text::text[])`

const pgTSConfigsQuery = `
SELECT cfg.oid, n.nspname, cfg.cfgname, cfg.cfgparser::regtype::text, coalesce(d.description, ''),
       coalesce((SELECT json_agg(json_build_array(tt.alias, m.dicts) ORDER BY tt.tokid)
                 FROM ts_token_type(cfg.cfgparser) tt
                 JOIN (SELECT maptokentype, json_agg(mapdict::regdictionary::text ORDER BY mapseqno) AS dicts
                       FROM pg_ts_config_map WHERE mapcfg = cfg.oid GROUP BY maptokentype) m
                   ON m.maptokentype = tt.tokid)::text, '[]'),
       (SELECT CASE WHEN pn.nspname = 'pg_catalog' THEN quote_ident(p.prsname)
                    ELSE quote_ident(pn.nspname) || '.' || quote_ident(p.prsname) END
        FROM pg_ts_parser p JOIN pg_namespace pn ON pn.oid = p.prsnamespace WHERE p.oid = cfg.cfgparser)
FROM pg_ts_config cfg
JOIN pg_namespace n ON n.oid = cfg.cfgnamespace
LEFT JOIN pg_description d ON d.objoid = cfg.oid AND d.classoid = 'pg_ts_config'::regclass AND d.objsubid = 0
WHERE n.nspname = ANY($1::text::text[])`

// pgTypesQuery reads enums, domains, composite and range types. The
// columns not relevant to a kind are empty.
const pgTypesQuery = `
SELECT t.oid, n.nspname, t.typname, t.typtype, coalesce(d.description, ''),
       -- enum labels
       CASE WHEN t.typtype = 'e' THEN
         (SELECT json_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid)::text
       END,
       -- domain
       CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) ELSE '' END,
       t.typnotnull,
       coalesce(pg_get_expr(t.typdefaultbin, 'pg_type'::regclass), t.typdefault, ''),
       CASE WHEN t.typtype = 'd' AND t.typcollation <> 0 AND t.typcollation <> bt.typcollation THEN
         (SELECT CASE WHEN cn.nspname = 'pg_catalog' THEN quote_ident(co.collname)
                      ELSE quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END
          FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = t.typcollation)
       ELSE '' END,
       CASE WHEN t.typtype = 'd' THEN
         (SELECT json_agg(json_build_array(c.conname, pg_get_constraintdef(c.oid), pg_get_expr(c.conbin, 0), c.convalidated,
                                           coalesce(cd.description, '')) ORDER BY c.conname)
          FROM pg_constraint c
          LEFT JOIN pg_description cd ON cd.objoid = c.oid AND cd.classoid = 'pg_constraint'::regclass
          WHERE c.contypid = t.oid AND c.contype = 'c')::text
       END,
       -- composite: the relation holding the attributes
       t.typrelid,
       -- range
       CASE WHEN t.typtype = 'r' THEN format_type(r.rngsubtype, NULL) ELSE '' END,
       CASE WHEN t.typtype = 'r' AND NOT oc.opcdefault THEN
         CASE WHEN ocn.nspname = 'pg_catalog' THEN quote_ident(oc.opcname)
              ELSE quote_ident(ocn.nspname) || '.' || quote_ident(oc.opcname) END
       ELSE '' END,
       CASE WHEN t.typtype = 'r' AND r.rngcollation <> 0 AND r.rngcollation <> st.typcollation THEN
         (SELECT CASE WHEN cn.nspname = 'pg_catalog' THEN quote_ident(co.collname)
                      ELSE quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END
          FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = r.rngcollation)
       ELSE '' END,
       CASE WHEN t.typtype = 'r' AND r.rngcanonical <> 0 THEN r.rngcanonical::regproc::text ELSE '' END,
       CASE WHEN t.typtype = 'r' AND r.rngsubdiff <> 0 THEN r.rngsubdiff::regproc::text ELSE '' END,
       %s
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
LEFT JOIN pg_type bt ON bt.oid = t.typbasetype
LEFT JOIN pg_class tc ON tc.oid = t.typrelid
LEFT JOIN pg_range r ON r.rngtypid = t.oid
LEFT JOIN pg_type st ON st.oid = r.rngsubtype
LEFT JOIN pg_opclass oc ON oc.oid = r.rngsubopc
LEFT JOIN pg_namespace ocn ON ocn.oid = oc.opcnamespace
LEFT JOIN pg_description d ON d.objoid = t.oid AND d.classoid = 'pg_type'::regclass AND d.objsubid = 0
WHERE n.nspname = ANY($1::text::text[])
  AND (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND tc.relkind = 'c'))`

// pgSequencesQuery reads every sequence, with the column that owns it:
// deptype 'a' (serial, OWNED BY) or 'i' (identity).
const pgSequencesQuery = `
SELECT c.oid, n.nspname, c.relname, format_type(s.seqtypid, NULL),
       s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle,
       coalesce(dep.deptype::text, ''), coalesce(dep.refobjid, 0), coalesce(dep.refobjsubid, 0),
       coalesce(tn.nspname, ''), coalesce(tc.relname, ''), coalesce(ta.attname, ''),
       coalesce(d.description, '')
FROM pg_sequence s
JOIN pg_class c ON c.oid = s.seqrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_depend dep ON dep.classid = 'pg_class'::regclass AND dep.objid = c.oid
     AND dep.refclassid = 'pg_class'::regclass AND dep.refobjsubid > 0 AND dep.deptype IN ('a', 'i')
LEFT JOIN pg_class tc ON tc.oid = dep.refobjid
LEFT JOIN pg_namespace tn ON tn.oid = tc.relnamespace
LEFT JOIN pg_attribute ta ON ta.attrelid = dep.refobjid AND ta.attnum = dep.refobjsubid
LEFT JOIN pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
WHERE n.nspname = ANY($1::text::text[])`

// pgRelationsQuery reads tables, partitioned tables, views and
// materialized views.
const pgRelationsQuery = `
SELECT c.oid, n.nspname, c.relname, c.relkind, c.relpersistence, c.reltype,
       c.relrowsecurity, c.relforcerowsecurity,
       CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) ELSE '' END,
       CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) ELSE '' END,
       c.relispartition,
       coalesce(array_to_json(c.reloptions)::text, ''),
       CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) ELSE '' END,
       coalesce(d.description, ''),
       c.relreplident::text,
       coalesce((SELECT i.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
                 WHERE x.indrelid = c.oid AND x.indisclustered), ''),
       coalesce((SELECT i.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
                 WHERE x.indrelid = c.oid AND x.indisreplident), ''),
       coalesce((SELECT json_agg(json_build_array(pn.nspname, p.relname) ORDER BY i.inhseqno)
                 FROM pg_inherits i
                 JOIN pg_class p ON p.oid = i.inhparent
                 JOIN pg_namespace pn ON pn.oid = p.relnamespace
                 WHERE i.inhrelid = c.oid)::text, '')
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
WHERE n.nspname = ANY($1::text::text[]) AND c.relkind IN ('r', 'p', 'v', 'm')`

// pgColumnsQuery reads the columns of tables, views, materialized views
// and composite types. %s is attcompression (PostgreSQL 14+) or ”.
const pgColumnsQuery = `
SELECT a.attrelid, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod),
       a.attnotnull, a.attidentity::text, a.attgenerated::text,
       coalesce(pg_get_expr(ad.adbin, ad.adrelid), ''),
       CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation THEN
         CASE WHEN cn.nspname = 'pg_catalog' THEN quote_ident(co.collname)
              ELSE quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END
       ELSE '' END,
       coalesce(ds.description, ''), a.attislocal,
       coalesce(a.attstattarget, -1),
       CASE WHEN a.attstorage <> t.typstorage THEN a.attstorage::text ELSE '' END,
       %s
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_collation co ON co.oid = a.attcollation
LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
LEFT JOIN pg_description ds ON ds.objoid = a.attrelid AND ds.classoid = 'pg_class'::regclass AND ds.objsubid = a.attnum
WHERE n.nspname = ANY($1::text::text[]) AND c.relkind IN ('r', 'p', 'v', 'm', 'c')
  AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum`

// pgConstraintsQuery reads primary keys, unique, foreign-key, check and
// exclusion constraints of tables. %s is indnullsnotdistinct (PostgreSQL
// 15+) or false.
const pgConstraintsQuery = `
SELECT co.conrelid, co.conname, co.contype::text, co.condeferrable, co.condeferred, co.convalidated,
       co.connoinherit, co.conislocal, co.conparentid <> 0,
       pg_get_constraintdef(co.oid),
       CASE WHEN co.contype = 'c' THEN pg_get_expr(co.conbin, co.conrelid) ELSE '' END,
       coalesce((SELECT json_agg(a.attname ORDER BY k.i)
                 FROM unnest(co.conkey) WITH ORDINALITY k(n, i)
                 JOIN pg_attribute a ON a.attrelid = co.conrelid AND a.attnum = k.n)::text, ''),
       coalesce(rn.nspname, ''), coalesce(rc.relname, ''),
       coalesce((SELECT json_agg(a.attname ORDER BY k.i)
                 FROM unnest(co.confkey) WITH ORDINALITY k(n, i)
                 JOIN pg_attribute a ON a.attrelid = co.confrelid AND a.attnum = k.n)::text, ''),
       co.confupdtype::text, co.confdeltype::text, co.confmatchtype::text,
       CASE WHEN co.contype IN ('p', 'u') THEN
         coalesce((SELECT json_agg(a.attname ORDER BY k.i)
                   FROM unnest(ix.indkey::int2[]) WITH ORDINALITY k(n, i)
                   JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.n
                   WHERE k.i > ix.indnkeyatts)::text, '')
       ELSE '' END,
       coalesce(%s, false),
       coalesce((SELECT pi.relname FROM pg_inherits inh JOIN pg_class pi ON pi.oid = inh.inhparent
                 WHERE co.contype IN ('p', 'u', 'x') AND inh.inhrelid = co.conindid), ''),
       coalesce(d.description, '')
FROM pg_constraint co
JOIN pg_class c ON c.oid = co.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class rc ON rc.oid = co.confrelid
LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
LEFT JOIN pg_index ix ON ix.indexrelid = co.conindid AND co.contype IN ('p', 'u', 'x')
LEFT JOIN pg_description d ON d.objoid = co.oid AND d.classoid = 'pg_constraint'::regclass AND d.objsubid = 0
WHERE n.nspname = ANY($1::text::text[]) AND co.contype IN ('p', 'u', 'f', 'c', 'x')`

// pgIndexesQuery reads the indexes of tables and materialized views that
// do not back a constraint. %s is indnullsnotdistinct (PostgreSQL 15+) or
// false. Each part is [attnum, column name or expression, desc, nulls first,
// opclass, collation].
const pgIndexesQuery = `
SELECT ix.indrelid, i.relname, ix.indisunique, am.amname, ix.indnkeyatts,
       pg_get_indexdef(ix.indexrelid),
       coalesce(pg_get_expr(ix.indpred, ix.indrelid), ''),
       coalesce(%s, false),
       coalesce(array_to_json(i.reloptions)::text, ''),
       (SELECT json_agg(json_build_array(
                  ix.indkey[k - 1],
                  CASE WHEN ix.indkey[k - 1] <> 0 THEN
                    (SELECT a.attname FROM pg_attribute a WHERE a.attrelid = ix.indrelid AND a.attnum = ix.indkey[k - 1])
                  ELSE pg_get_indexdef(ix.indexrelid, k, false) END,
                  (ix.indoption[k - 1] & 1) <> 0,
                  (ix.indoption[k - 1] & 2) <> 0,
                  coalesce((SELECT CASE WHEN NOT oc.opcdefault THEN
                                     CASE WHEN ocn.nspname = 'pg_catalog' THEN quote_ident(oc.opcname)
                                          ELSE quote_ident(ocn.nspname) || '.' || quote_ident(oc.opcname) END
                                   END
                            FROM pg_opclass oc JOIN pg_namespace ocn ON ocn.oid = oc.opcnamespace
                            WHERE k <= ix.indnkeyatts AND oc.oid = ix.indclass[k - 1]), ''),
                  coalesce((SELECT CASE WHEN cn.nspname = 'pg_catalog' THEN quote_ident(co.collname)
                                        ELSE quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END
                            FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace
                            LEFT JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = ix.indkey[k - 1]
                            WHERE k <= ix.indnkeyatts AND co.oid = ix.indcollation[k - 1]
                              AND co.oid <> coalesce(a.attcollation, 100)), ''))
               ORDER BY k)
        FROM generate_series(1, ix.indnatts::int) k)::text,
       coalesce((SELECT pi.relname FROM pg_inherits inh JOIN pg_class pi ON pi.oid = inh.inhparent
                 WHERE inh.inhrelid = ix.indexrelid), ''),
       coalesce(d.description, '')
FROM pg_index ix
JOIN pg_class i ON i.oid = ix.indexrelid
JOIN pg_class t ON t.oid = ix.indrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
JOIN pg_am am ON am.oid = i.relam
LEFT JOIN pg_description d ON d.objoid = i.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
WHERE n.nspname = ANY($1::text::text[]) AND t.relkind IN ('r', 'p', 'm')
  AND NOT EXISTS (SELECT 1 FROM pg_constraint co
                  WHERE co.conrelid = ix.indrelid AND co.conindid = ix.indexrelid AND co.contype IN ('p', 'u', 'x'))`

// pgFunctionsQuery reads functions, procedures and aggregates; for an
// aggregate it reads what CREATE AGGREGATE needs.
const pgFunctionsQuery = `
SELECT p.oid, n.nspname, p.proname, p.prokind::text,
       pg_get_function_identity_arguments(p.oid),
       CASE WHEN p.prokind <> 'p' THEN coalesce(pg_get_function_result(p.oid), '') ELSE '' END,
       l.lanname,
       CASE WHEN p.prokind <> 'a' THEN pg_get_functiondef(p.oid) ELSE '' END,
       coalesce(d.description, ''),
       CASE WHEN p.prokind = 'a' THEN
         json_build_object(
           'args', pg_get_function_arguments(p.oid),
           'kind', ag.aggkind,
           'sfunc', ag.aggtransfn::regproc::text,
           'stype', format_type(ag.aggtranstype, NULL),
           'sspace', ag.aggtransspace,
           'finalfunc', CASE WHEN ag.aggfinalfn <> 0 THEN ag.aggfinalfn::regproc::text ELSE '' END,
           'finalextra', ag.aggfinalextra,
           'finalmodify', ag.aggfinalmodify,
           'combinefunc', CASE WHEN ag.aggcombinefn <> 0 THEN ag.aggcombinefn::regproc::text ELSE '' END,
           'serialfunc', CASE WHEN ag.aggserialfn <> 0 THEN ag.aggserialfn::regproc::text ELSE '' END,
           'deserialfunc', CASE WHEN ag.aggdeserialfn <> 0 THEN ag.aggdeserialfn::regproc::text ELSE '' END,
           'initcond', ag.agginitval,
           'msfunc', CASE WHEN ag.aggmtransfn <> 0 THEN ag.aggmtransfn::regproc::text ELSE '' END,
           'minvfunc', CASE WHEN ag.aggminvtransfn <> 0 THEN ag.aggminvtransfn::regproc::text ELSE '' END,
           'mstype', CASE WHEN ag.aggmtranstype <> 0 THEN format_type(ag.aggmtranstype, NULL) ELSE '' END,
           'msspace', ag.aggmtransspace,
           'mfinalfunc', CASE WHEN ag.aggmfinalfn <> 0 THEN ag.aggmfinalfn::regproc::text ELSE '' END,
           'mfinalextra', ag.aggmfinalextra,
           'mfinalmodify', ag.aggmfinalmodify,
           'minitcond', ag.aggminitval,
           'sortop', CASE WHEN ag.aggsortop <> 0 THEN
                       (SELECT quote_ident(opn.nspname) || '.' || o.oprname
                        FROM pg_operator o JOIN pg_namespace opn ON opn.oid = o.oprnamespace
                        WHERE o.oid = ag.aggsortop) ELSE '' END,
           'parallel', p.proparallel)::text
       ELSE '' END
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
JOIN pg_language l ON l.oid = p.prolang
LEFT JOIN pg_aggregate ag ON ag.aggfnoid = p.oid
LEFT JOIN pg_description d ON d.objoid = p.oid AND d.classoid = 'pg_proc'::regclass AND d.objsubid = 0
WHERE n.nspname = ANY($1::text::text[])
  -- not the constructors a range type creates for itself
  AND NOT EXISTS (SELECT 1 FROM pg_depend dep
                  WHERE dep.classid = 'pg_proc'::regclass AND dep.objid = p.oid AND dep.deptype = 'i')`

// pgTriggersQuery reads user triggers (not the internal ones behind
// foreign keys, nor the clones on partitions). %s is "tg.tgparentid = 0"
// on PostgreSQL 13+.
const pgTriggersQuery = `
SELECT tg.tgrelid, n.nspname, c.relname, tg.tgname, tg.tgconstraint <> 0, pg_get_triggerdef(tg.oid),
       tg.tgenabled::text, coalesce(d.description, '')
FROM pg_trigger tg
JOIN pg_class c ON c.oid = tg.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_description d ON d.objoid = tg.oid AND d.classoid = 'pg_trigger'::regclass AND d.objsubid = 0
WHERE n.nspname = ANY($1::text::text[]) AND NOT tg.tgisinternal AND %s`

// pgDependsQuery reads what functions, views (through their rewrite
// rule), domains (through their checks), types and composite types'
// relations depend on: relations, types and functions. The first column
// names the catalog of the second.
const pgDependsQuery = `
SELECT CASE WHEN d.classid = 'pg_rewrite'::regclass THEN 'pg_class'
            WHEN d.classid = 'pg_constraint'::regclass THEN 'pg_type'
            ELSE d.classid::regclass::text END,
       CASE WHEN d.classid = 'pg_rewrite'::regclass THEN r.ev_class
            WHEN d.classid = 'pg_constraint'::regclass THEN co.contypid
            ELSE d.objid END,
       d.refclassid::regclass::text, d.refobjid
FROM pg_depend d
LEFT JOIN pg_rewrite r ON d.classid = 'pg_rewrite'::regclass AND r.oid = d.objid
LEFT JOIN pg_constraint co ON d.classid = 'pg_constraint'::regclass AND co.oid = d.objid
WHERE d.deptype = 'n'
  AND d.classid IN ('pg_proc'::regclass, 'pg_rewrite'::regclass, 'pg_constraint'::regclass,
                    'pg_type'::regclass, 'pg_class'::regclass)
  AND d.refclassid IN ('pg_class'::regclass, 'pg_type'::regclass, 'pg_proc'::regclass)
  AND (d.classid <> 'pg_constraint'::regclass OR co.contypid <> 0)`

// pgPoliciesQuery reads row-level security policies.
const pgPoliciesQuery = `
SELECT p.polrelid, p.polname, p.polcmd::text, p.polpermissive,
       coalesce((SELECT json_agg(pg_get_userbyid(r) ORDER BY pg_get_userbyid(r))
                 FROM unnest(p.polroles) r WHERE r <> 0)::text, ''),
       coalesce(pg_get_expr(p.polqual, p.polrelid), ''),
       coalesce(pg_get_expr(p.polwithcheck, p.polrelid), ''),
       coalesce(d.description, '')
FROM pg_policy p
JOIN pg_class c ON c.oid = p.polrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_description d ON d.objoid = p.oid AND d.classoid = 'pg_policy'::regclass AND d.objsubid = 0
WHERE n.nspname = ANY($1::text::text[])`

// pgStatisticsQuery reads extended statistics objects of the tables in
// the schemas. %s is stxstattarget (PostgreSQL 13+) or -1.
const pgStatisticsQuery = `
SELECT s.stxrelid, n.nspname, s.stxname, pg_get_statisticsobjdef(s.oid), coalesce(%s, -1),
       coalesce(d.description, '')
FROM pg_statistic_ext s
JOIN pg_namespace n ON n.oid = s.stxnamespace
JOIN pg_class c ON c.oid = s.stxrelid
JOIN pg_namespace cn ON cn.oid = c.relnamespace
LEFT JOIN pg_description d ON d.objoid = s.oid AND d.classoid = 'pg_statistic_ext'::regclass AND d.objsubid = 0
WHERE cn.nspname = ANY($1::text::text[])`

// pgRulesQuery reads the rewrite rules of tables (not the _RETURN rules
// that make views).
const pgRulesQuery = `
SELECT r.ev_class, r.rulename, pg_get_ruledef(r.oid), r.ev_enabled::text, coalesce(d.description, '')
FROM pg_rewrite r
JOIN pg_class c ON c.oid = r.ev_class
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_description d ON d.objoid = r.oid AND d.classoid = 'pg_rewrite'::regclass AND d.objsubid = 0
WHERE n.nspname = ANY($1::text::text[]) AND r.rulename <> '_RETURN' AND c.relkind IN ('r', 'p')`
