-- The schema properties the Citus plan of doc/scaling.md relies on. The plan:
-- hookreg.workspaces distributed by id, hookreg.tenants and
-- hookreg.operation_runs distributed by workspace_id (co-located), every other
-- hookreg table and every feature table a reference table. Each assertion
-- fails when the schema drifts from the plan: then the plan (and this file)
-- must be brought up to date together.
BEGIN;
SELECT plan(15);

CREATE TEMP TABLE plan_tables (rel regclass PRIMARY KEY, dist_col name) ON COMMIT DROP;
INSERT INTO plan_tables VALUES
    ('hookreg.workspaces', 'id'),
    ('hookreg.tenants', 'workspace_id'),
    ('hookreg.operation_runs', 'workspace_id'),
    ('hookreg.operation_types', NULL),
    ('hookreg.hooks', NULL),
    ('hookreg.hook_releases', NULL),
    ('hookreg.live_pointers', NULL),
    ('hookreg.live_moves', NULL),
    ('hookreg.hook_runs', NULL),
    ('hookreg.schemas', NULL),
    ('hookreg.conventions', NULL),
    ('hookreg.event_settings', NULL);

-- Every table of schema hookreg is placed by the plan, and nothing else is.
SELECT set_eq(
    $$SELECT c.oid::regclass::text FROM pg_class c WHERE c.relnamespace = 'hookreg'::regnamespace
        AND c.relkind IN ('r', 'p')$$,
    $$SELECT rel::text FROM plan_tables$$,
    'the plan places every table of schema hookreg (distributed or reference), and only those');

-- The active-run dedupe indexes lead with workspace_id (Citus keeps a unique
-- index on a distributed table only when it includes the distribution column).
CREATE FUNCTION pg_temp.index_columns(idx regclass) RETURNS name[] LANGUAGE sql AS $$
    SELECT array_agg(a.attname ORDER BY k.n) FROM pg_index i
      CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)
      JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
     WHERE i.indexrelid = idx $$;
SELECT is(pg_temp.index_columns('hookreg.operation_runs_tenant_active_key'),
    ARRAY['workspace_id', 'tenant_id', 'run_identity_hash']::name[],
    'the tenant dedupe index is (workspace_id, tenant_id, run_identity_hash)');
SELECT is(pg_temp.index_columns('hookreg.operation_runs_workspace_active_key'),
    ARRAY['workspace_id', 'run_identity_hash']::name[],
    'the workspace dedupe index is (workspace_id, run_identity_hash)');
SELECT is(
    (SELECT array_agg(pg_get_expr(i.indpred, i.indrelid) ORDER BY c.relname)
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE i.indexrelid IN ('hookreg.operation_runs_tenant_active_key'::regclass,
                             'hookreg.operation_runs_workspace_active_key'::regclass)
        AND i.indisunique AND i.indisvalid),
    ARRAY['((tenant_id IS NOT NULL) AND (status = ANY (ARRAY[''queued''::text, ''running''::text])))',
          '((tenant_id IS NULL) AND (status = ANY (ARRAY[''queued''::text, ''running''::text])))'],
    'both dedupe indexes are valid, unique and partial on the active statuses of their scope');

-- Every unique index of a distributed table that does not include the
-- distribution column is one the plan lists as to be widened.
SELECT set_eq(
    $$SELECT c.relname::text FROM plan_tables t
        JOIN pg_index i ON i.indrelid = t.rel AND i.indisunique
        JOIN pg_class c ON c.oid = i.indexrelid
       WHERE t.dist_col IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM unnest(i.indkey) AS k(attnum)
                           JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                          WHERE a.attname = t.dist_col)$$,
    ARRAY['operation_runs_pkey', 'tenants_pkey', 'tenants_external_id_key'],
    'the unique indexes without the distribution column are exactly the ones the plan widens');

-- Every distributed table has its distribution column, NOT NULL, bigint.
SELECT is(
    (SELECT count(*) FROM plan_tables t
       JOIN pg_attribute a ON a.attrelid = t.rel AND a.attname = t.dist_col
      WHERE a.attnotnull AND a.atttypid = 'bigint'::regtype AND NOT a.attisdropped),
    3::bigint, 'every distributed table has its distribution column, bigint NOT NULL');
SELECT is(
    (SELECT count(*) FROM plan_tables t
       JOIN pg_attribute a ON a.attrelid = t.rel AND a.attname = 'workspace_id' AND NOT a.attisdropped
      WHERE t.dist_col IS NULL),
    0::bigint, 'no reference table has a workspace_id (it would belong to the ledger)');

-- Foreign keys between distributed tables include the distribution column on
-- both sides, at the same position.
SELECT is(
    (SELECT count(*) FROM pg_constraint k
       JOIN plan_tables s ON s.rel = k.conrelid AND s.dist_col IS NOT NULL
       JOIN plan_tables r ON r.rel = k.confrelid AND r.dist_col IS NOT NULL
      WHERE k.contype = 'f'
        AND NOT EXISTS (SELECT 1 FROM unnest(k.conkey, k.confkey) AS p(src, dst)
                          JOIN pg_attribute sa ON sa.attrelid = k.conrelid AND sa.attnum = p.src
                          JOIN pg_attribute ra ON ra.attrelid = k.confrelid AND ra.attnum = p.dst
                         WHERE sa.attname = s.dist_col AND ra.attname = r.dist_col)),
    0::bigint, 'every foreign key between distributed tables joins their distribution columns');
SELECT cmp_ok(
    (SELECT count(*) FROM pg_constraint k
       JOIN plan_tables s ON s.rel = k.conrelid AND s.dist_col IS NOT NULL
       JOIN plan_tables r ON r.rel = k.confrelid AND r.dist_col IS NOT NULL
      WHERE k.contype = 'f'),
    '>=', 3::bigint, 'the ledger''s foreign keys are there (tenants and runs to workspaces, runs to tenants)');

-- No reference table refers to a distributed one (Citus refuses that); the
-- feature tables (reference) have no foreign key to the ledger either.
SELECT is(
    (SELECT count(*) FROM pg_constraint k
       JOIN plan_tables s ON s.rel = k.conrelid AND s.dist_col IS NULL
       JOIN plan_tables r ON r.rel = k.confrelid AND r.dist_col IS NOT NULL
      WHERE k.contype = 'f'),
    0::bigint, 'no reference table has a foreign key to a distributed table');
SELECT is(
    (SELECT count(*) FROM pg_constraint k
       JOIN plan_tables r ON r.rel = k.confrelid AND r.dist_col IS NOT NULL
      WHERE k.contype = 'f' AND k.connamespace = 'hookreg_features'::regnamespace),
    0::bigint, 'no feature table has a foreign key to a distributed table');

-- A feature table made now: its provenance is checked by the trigger that
-- reads hook_runs and hook_releases (reference tables, on every node), and it
-- has no foreign key to the ledger.
SELECT lives_ok($$SELECT hookreg_register_hook('scaling_probe',
    '{"kind":"table","cardinality":"one","columns":[{"name":"x","json_type":"number","required":true}]}')$$,
    'a hook is registered (its feature table created)');
SELECT is(
    (SELECT count(*) FROM pg_trigger t WHERE t.tgrelid = 'hookreg_features.scaling_probe'::regclass
        AND t.tgfoid = 'hookreg.feature_run_check'::regproc)
    || '/' || (SELECT count(*) FROM pg_constraint k JOIN plan_tables r ON r.rel = k.confrelid
                WHERE k.contype = 'f' AND k.conrelid = 'hookreg_features.scaling_probe'::regclass
                  AND r.dist_col IS NOT NULL),
    '1/0', 'a new feature table has its provenance trigger and no foreign key to the ledger');

-- Identity columns of distributed tables are bigint (what Citus supports
-- there); the move history's order comes from live_moves.id.
SELECT is(
    (SELECT count(*) FROM plan_tables t
       JOIN pg_attribute a ON a.attrelid = t.rel AND a.attidentity <> ''
      WHERE t.dist_col IS NOT NULL AND a.atttypid <> 'bigint'::regtype),
    0::bigint, 'every identity column of a distributed table is bigint');
SELECT is(
    (SELECT a.attidentity::text || ' ' || format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
      WHERE a.attrelid = 'hookreg.live_moves'::regclass AND a.attname = 'id'),
    'd bigint', 'live_moves.id, which orders a hook''s move history, is a bigint identity');

SELECT * FROM finish();
ROLLBACK;
