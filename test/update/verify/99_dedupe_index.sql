-- test/update/verify/99_dedupe_index.sql: after the update, on the database
-- test/update/populate/99_dedupe_index.sql filled at 0.1.0.
BEGIN;
SELECT plan(9);

SELECT is((SELECT indexdef FROM pg_indexes WHERE schemaname = 'hookreg' AND indexname = 'operation_runs_tenant_active_key'),
    'CREATE UNIQUE INDEX operation_runs_tenant_active_key ON hookreg.operation_runs USING btree (workspace_id, tenant_id, run_identity_hash) WHERE ((tenant_id IS NOT NULL) AND (status = ANY (ARRAY[''queued''::text, ''running''::text])))',
    'the tenant dedupe index leads with workspace_id, under its 0.1.0 name');
SELECT is((SELECT count(*) FROM pg_indexes WHERE schemaname = 'hookreg' AND indexname LIKE 'operation_runs_%active_key%'),
    2::bigint, 'two dedupe indexes, no leftover of the prebuilt one');
SELECT is('hookreg.operation_runs_tenant_active_key'::regclass::oid,
    (SELECT indexrelid FROM public.dedupe_prebuilt_index),
    'the update adopted the index built concurrently beforehand (same oid, no rebuild)');
SELECT ok((SELECT indisvalid AND indisunique FROM pg_index
            WHERE indexrelid = 'hookreg.operation_runs_tenant_active_key'::regclass),
    'the tenant dedupe index is valid and unique');

SELECT workspace_id AS ws, id AS tn FROM hookreg.tenants ORDER BY id LIMIT 1 \gset

SELECT results_eq(
    $$SELECT run_id, reused, status FROM opsrun_start($$ || :ws || $$, $$ || :tn || $$, 'dedupe.queued', '{"case": "queued"}')$$,
    $$SELECT id, true, status FROM hookreg.operation_runs WHERE type = 'dedupe.queued' AND status = 'queued'$$,
    'a queued tenant run started at 0.1.0 dedupes a start after the update');
SELECT results_eq(
    $$SELECT run_id, reused, status FROM opsrun_start($$ || :ws || $$, $$ || :tn || $$, 'dedupe.running', '{"case": "running"}')$$,
    $$SELECT id, true, status FROM hookreg.operation_runs WHERE type = 'dedupe.running' AND status = 'running'$$,
    'a running tenant run started at 0.1.0 dedupes a start after the update');
SELECT results_eq(
    $$SELECT run_id, reused, status FROM opsrun_start($$ || :ws || $$, NULL, 'dedupe.workspace', '{"case": "workspace"}')$$,
    $$SELECT id, true, status FROM hookreg.operation_runs WHERE type = 'dedupe.workspace' AND status = 'running'$$,
    'a running workspace run started at 0.1.0 dedupes a start after the update');
-- The index itself refuses a second active run of the identity, whoever
-- inserts it (here the owner, bypassing opsrun_start).
SELECT throws_ok(
    $$INSERT INTO hookreg.operation_runs (workspace_id, tenant_id, initiator_name, type, run_identity_hash)
      SELECT workspace_id, tenant_id, 'verify', type, run_identity_hash FROM hookreg.operation_runs
       WHERE type = 'dedupe.queued' AND status = 'queued'$$,
    '23505', NULL, 'a second active run of the 0.1.0 identity violates the new index');
SELECT is((SELECT count(*) FROM hookreg.operation_runs WHERE type LIKE 'dedupe.%'), 3::bigint,
    'the starts after the update inserted nothing');

SELECT * FROM finish();
ROLLBACK;
