-- test/update/verify/54_perf_ops.sql: after the update, on the database
-- test/update/populate/54_perf_ops.sql (and 00_base.sql) filled at 0.1.0:
-- operation_runs_identity_hash_check is the C function's, validated over
-- the rows of 0.1.0, and still refuses what the regex refused.
BEGIN;
SELECT plan(5);

-- The constraint's definition after the update is the fresh install's
-- (test/update/catalog.sql compares them); here: what it did to 0.1.0's rows.
SELECT is((SELECT convalidated FROM pg_constraint
            WHERE conrelid = 'hookreg.operation_runs'::regclass AND conname = 'operation_runs_identity_hash_check'),
          true, 'validated over the rows of 0.1.0');
SELECT is((SELECT count(*) FROM hookreg.operation_runs WHERE type IN ('perf.checks', 'perf.checks_ws')),
          3::bigint, 'the runs of 0.1.0 are kept');
SELECT workspace_id AS ws, id AS tn FROM hookreg.tenants ORDER BY id LIMIT 1 \gset
SELECT results_eq(
    $$SELECT run_id, reused FROM opsrun_start($$ || :ws || $$, $$ || :tn || $$, 'perf.checks', '{"n": 1}')$$,
    $$SELECT id, true FROM hookreg.operation_runs WHERE type = 'perf.checks' AND status = 'queued'$$,
    'the active run of 0.1.0 dedupes a start after the update');
SELECT throws_ok($$UPDATE hookreg.operation_runs SET run_identity_hash = upper(run_identity_hash)
                    WHERE type = 'perf.checks_ws'$$,
                 '23514', NULL, 'an upper-case hash is refused after the update, as before it');
SELECT lives_ok($$INSERT INTO hookreg.operation_runs (workspace_id, tenant_id, initiator_name, type, run_identity_hash)
                  SELECT workspace_id, id, 'owner', 'perf.checks', repeat('c', 64) FROM hookreg.tenants ORDER BY id LIMIT 1$$,
                'a valid hash is accepted');

SELECT * FROM finish();
ROLLBACK;
