-- Discoverable in psql: every table, view and column of schema hookreg has a
-- comment, and the extension's schema holds the public API only (trigger and
-- internal functions live in schema hookreg).
BEGIN;
SELECT plan(8);

SELECT is((SELECT coalesce(array_agg(c.relname::text ORDER BY c.relname), '{}') FROM pg_class c
            WHERE c.relnamespace = 'hookreg'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
              AND obj_description(c.oid, 'pg_class') IS NULL),
          '{}'::text[], 'every table and view of schema hookreg has a COMMENT');
SELECT is((SELECT coalesce(array_agg(c.relname || '.' || a.attname ORDER BY c.relname, a.attnum), '{}') FROM pg_class c
             JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            WHERE c.relnamespace = 'hookreg'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
              AND col_description(c.oid, a.attnum) IS NULL),
          '{}'::text[], 'every column of every table and view of schema hookreg has a COMMENT');

-- Feature tables (made by hookreg_register_hook) explain themselves too.
SELECT hookreg_register_hook('ops_commented', '{"kind": "table", "cardinality": "one",
  "columns": [{"name": "a", "json_type": "number", "required": true}, {"name": "b", "json_type": "string"}]}') IS NOT NULL;
SELECT is((SELECT coalesce(array_agg(c.relname || '.' || a.attname ORDER BY c.relname, a.attnum), '{}') FROM pg_class c
             JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            WHERE c.relnamespace = 'hookreg_features'::regnamespace AND c.relkind = 'r'
              AND (col_description(c.oid, a.attnum) IS NULL OR obj_description(c.oid, 'pg_class') IS NULL)),
          '{}'::text[], 'every feature table and every column of it has a COMMENT');
SELECT is(col_description('hookreg_features.ops_commented'::regclass, 6), 'feature column of the hook''s spec (optional)',
          'a spec column says it comes from the spec');

-- The public API: what a user calls. A new public function goes here (and
-- into doc/reference.md); an internal one goes into schema hookreg.
CREATE TEMP TABLE api(name) AS VALUES
    ('hookreg_version'), ('hookreg_slugify'), ('opsrun_is_uuid_v4'),
    ('hookreg_register_hook'), ('hookreg_create_release'), ('hookreg_set_live'), ('hookreg_resolve_live'),
    ('hookreg_live_at'), ('hookreg_record_run'), ('hookreg_run_id'), ('hookreg_provenance'),
    ('hookreg_deploy_convention'),
    ('opsrun_identity_hash'), ('opsrun_normalize_counts'), ('opsrun_start'), ('opsrun_claim'),
    ('opsrun_heartbeat'), ('opsrun_complete'), ('opsrun_fail'), ('opsrun_reconcile'), ('opsrun_prune'),
    ('opsrun_register_type'), ('hookreg_schedule_housekeeping'), ('hookreg_set_events'),
    ('opsrun_sanitize_message'), ('opsrun_sanitize_failures'), ('opsrun_sanitize_context');
CREATE TEMP VIEW ext_funcs AS
SELECT p.oid, p.proname::text AS name, p.pronamespace = e.extnamespace AS in_ext_schema, p.prorettype
  FROM pg_extension e
  JOIN pg_depend d ON d.refobjid = e.oid AND d.refclassid = 'pg_extension'::regclass
                  AND d.classid = 'pg_proc'::regclass AND d.deptype = 'e'
  JOIN pg_proc p ON p.oid = d.objid
 WHERE e.extname = 'hookreg';

SELECT is((SELECT coalesce(array_agg(DISTINCT name ORDER BY name), '{}') FROM ext_funcs
            WHERE in_ext_schema AND name NOT IN (SELECT name FROM api)),
          '{}'::text[], 'the extension''s schema holds no function but the public API');
SELECT is((SELECT coalesce(array_agg(name ORDER BY name), '{}') FROM ext_funcs
            WHERE in_ext_schema AND prorettype IN ('trigger'::regtype, 'event_trigger'::regtype)),
          '{}'::text[], 'no trigger or event trigger function in the extension''s schema');
SELECT is((SELECT coalesce(array_agg(DISTINCT f.name ORDER BY f.name), '{}') FROM ext_funcs f
            WHERE NOT f.in_ext_schema AND f.oid NOT IN (SELECT oid FROM pg_proc WHERE pronamespace = 'hookreg'::regnamespace)),
          '{}'::text[], 'every other function of the extension lives in schema hookreg');
SELECT is((SELECT coalesce(array_agg(DISTINCT f.name ORDER BY f.name), '{}') FROM ext_funcs f
            WHERE f.prorettype IN ('trigger'::regtype, 'event_trigger'::regtype)
              AND has_function_privilege('public', f.oid, 'EXECUTE')),
          '{}'::text[], 'no trigger function is executable by PUBLIC');

SELECT * FROM finish();
ROLLBACK;
