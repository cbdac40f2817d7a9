-- test/update/verify/54_perf_ops.sql: after the update, on the database
-- test/update/populate/54_perf_ops.sql (and 00_base.sql) filled at 0.1.0:
-- every CHECK of operation_runs is its C function's, validated over the rows
-- of 0.1.0, and still refuses what the 0.1.0 expressions refused.
BEGIN;
SELECT plan(9);

-- The constraints' definitions after the update are the fresh install's
-- (test/update/catalog.sql compares them); here: what they did to 0.1.0's rows.
SELECT is((SELECT count(*) FROM pg_constraint
            WHERE conrelid = 'hookreg.operation_runs'::regclass AND contype = 'c' AND convalidated
              AND pg_get_constraintdef(oid) LIKE 'CHECK (hookreg.opsrun\_%'),
          8::bigint, 'the eight CHECKs call their C functions, validated over the rows of 0.1.0');
SELECT is((SELECT count(*) FROM hookreg.operation_runs WHERE type IN ('perf.checks', 'perf.checks_ws')),
          3::bigint, 'the runs of 0.1.0 are kept');
SELECT is((SELECT count(*) FROM hookreg.operation_runs
            WHERE type = 'perf.checks' AND status = 'completed' AND outcome = 'succeeded' AND completed_at IS NOT NULL),
          1::bigint, 'the completed run of 0.1.0 is kept as it was');
SELECT workspace_id AS ws, id AS tn FROM hookreg.tenants ORDER BY id LIMIT 1 \gset
SELECT results_eq(
    $$SELECT run_id, reused FROM opsrun_start($$ || :ws || $$, $$ || :tn || $$, 'perf.checks', '{"n": 1}')$$,
    $$SELECT id, true FROM hookreg.operation_runs WHERE type = 'perf.checks' AND status = 'queued'$$,
    'the active run of 0.1.0 dedupes a start after the update');
SELECT throws_ok($$UPDATE hookreg.operation_runs SET run_identity_hash = upper(run_identity_hash)
                    WHERE type = 'perf.checks_ws'$$,
                 '23514', NULL, 'an upper-case hash is refused after the update, as before it');
SELECT throws_ok($$UPDATE hookreg.operation_runs SET status = 'done' WHERE type = 'perf.checks_ws'$$,
                 '23514', NULL, 'an unknown status is refused after the update, as before it');
SELECT throws_ok($$UPDATE hookreg.operation_runs SET completed_at = NULL WHERE type = 'perf.checks' AND status = 'completed'$$,
                 '23514', NULL, 'a completed run without its completion time is refused, as before');
SELECT throws_ok($$UPDATE hookreg.operation_runs SET summary_counts = '[]' WHERE type = 'perf.checks_ws'$$,
                 '23514', NULL, 'summary_counts that is no object is refused, as before');
SELECT lives_ok($$INSERT INTO hookreg.operation_runs (workspace_id, tenant_id, initiator_name, type, run_identity_hash)
                  SELECT workspace_id, id, 'owner', 'perf.checks', repeat('c', 64) FROM hookreg.tenants ORDER BY id LIMIT 1$$,
                'a valid row is accepted');

SELECT * FROM finish();
ROLLBACK;
