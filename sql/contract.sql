-- The registry's contract as the catalog shows it (SPEC 0, 1, 2.1, 2.5, 2.6):
-- tables and views with their columns in order, types, NOT NULL and
-- defaults; their keys; the functions' signatures; the roles; the grants
-- and pg_dump registration. A change to any of them shows here.
\pset footer off

-- Columns, in order (SPEC 2.1, 2.5, 2.6; live_pointers holds the live
-- pointer of hooks).
SELECT c.relname AS relation, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
       a.attnotnull AS not_null, pg_get_expr(d.adbin, d.adrelid) AS default,
       nullif(a.attidentity, '') AS identity, nullif(a.attgenerated, '') AS generated
  FROM pg_class c
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
 WHERE c.relnamespace = 'hookreg'::regnamespace
   AND c.relname IN ('hooks', 'live_pointers', 'hook_releases', 'hook_runs', 'live_moves',
                     'hook_catalog', 'release_history', 'schemas', 'conventions')
 ORDER BY array_position(ARRAY['hooks', 'live_pointers', 'hook_releases', 'hook_runs', 'live_moves',
                               'hook_catalog', 'release_history', 'schemas', 'conventions'], c.relname::text),
          a.attnum;

-- Keys: primary, unique and foreign (the live pointer's is deferred).
SELECT conrelid::regclass AS relation, contype AS type, pg_get_constraintdef(oid) AS definition
  FROM pg_constraint
 WHERE connamespace = 'hookreg'::regnamespace AND contype IN ('p', 'u', 'f')
   AND conrelid::regclass::text IN ('hookreg.hooks', 'hookreg.live_pointers', 'hookreg.hook_releases',
                                    'hookreg.hook_runs', 'hookreg.live_moves', 'hookreg.schemas',
                                    'hookreg.conventions')
 ORDER BY conrelid::regclass::text, contype, pg_get_constraintdef(oid);

-- The functions of SPEC 2 with their argument names, defaults and result
-- columns; every one LANGUAGE C.
SELECT p.proname AS function, pg_get_function_arguments(p.oid) AS arguments,
       pg_get_function_result(p.oid) AS result, l.lanname AS language
  FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
 WHERE p.pronamespace = (SELECT extnamespace FROM pg_extension WHERE extname = 'hookreg')
   AND p.proname IN ('hookreg_register_hook', 'hookreg_create_release', 'hookreg_set_live',
                     'hookreg_resolve_live', 'hookreg_live_at', 'hookreg_record_run',
                     'hookreg_run_id', 'hookreg_provenance', 'hookreg_slugify',
                     'hookreg_deploy_convention')
 ORDER BY 1;

-- IMMUTABLE where SPEC 2 says so.
SELECT p.proname AS function, p.provolatile AS volatility
  FROM pg_proc p
 WHERE p.pronamespace = (SELECT extnamespace FROM pg_extension WHERE extname = 'hookreg')
   AND p.proname IN ('hookreg_run_id', 'hookreg_slugify')
 ORDER BY 1;

-- The roles of SPEC 1: NOLOGIN, and who is a member of whom.
SELECT rolname AS role, rolcanlogin AS login FROM pg_roles WHERE rolname LIKE 'hookreg\_%' ORDER BY 1;
SELECT m.rolname AS member, r.rolname AS of_role
  FROM pg_auth_members am JOIN pg_roles r ON r.oid = am.roleid JOIN pg_roles m ON m.oid = am.member
 WHERE r.rolname LIKE 'hookreg\_%' AND m.rolname LIKE 'hookreg\_%'
 ORDER BY 1, 2;

-- hookreg_reader reads every table and view of schema hookreg (none is
-- missing below), and nobody but the owner writes a registry table.
SELECT c.oid::regclass AS not_readable_by_reader
  FROM pg_class c
 WHERE c.relnamespace = 'hookreg'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm')
   AND NOT has_table_privilege('hookreg_reader', c.oid, 'SELECT')
 ORDER BY c.oid::regclass::text;
SELECT c.oid::regclass AS relation, r.rolname AS role, p.priv AS writable_by
  FROM pg_class c
  CROSS JOIN pg_roles r
  CROSS JOIN unnest(ARRAY['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) AS p(priv)
 WHERE c.relnamespace = 'hookreg'::regnamespace AND c.relkind IN ('r', 'p')
   AND r.rolname LIKE 'hookreg\_%'
   AND has_table_privilege(r.oid, c.oid, p.priv)
 ORDER BY c.oid::regclass::text, r.rolname, p.priv;

-- pg_dump keeps every table and sequence of schema hookreg (none is missing).
SELECT c.oid::regclass AS not_registered_with_pg_extension_config_dump
  FROM pg_class c
 WHERE c.relnamespace = 'hookreg'::regnamespace AND c.relkind IN ('r', 'p', 'S')
   AND c.oid <> ALL ((SELECT extconfig FROM pg_extension WHERE extname = 'hookreg')::oid[])
 ORDER BY c.oid::regclass::text;
