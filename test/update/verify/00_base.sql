-- test/update/verify/00_base.sql: after ALTER EXTENSION hookreg UPDATE on the
-- database that test/update/populate/00_base.sql filled at 0.1.0.
BEGIN;
SELECT plan(9);

SELECT is((SELECT extversion FROM pg_extension WHERE extname = 'hookreg'), '0.2.0', 'the catalog is at 0.2.0');
SELECT is(hookreg_version(), '0.2.0', 'the module is 0.2.0');

-- Resubmitting the content of every release made at 0.1.0 returns it.
SELECT cmp_ok((SELECT count(*) FROM hookreg.hook_releases), '>=', 6::bigint,
              'the populated database holds the releases made at 0.1.0');
-- (The releases of hook jcs_update are not: 10_jcs.sql says what becomes of them.)
SELECT is((SELECT count(*)
             FROM (SELECT * FROM hookreg.hook_releases WHERE hook_name <> 'jcs_update' OFFSET 0) r,
                  LATERAL hookreg_create_release(r.hook_name, r.image, r.digest, r.config, r.limits,
                                                 r.source_ref) c
            WHERE c.created OR c.release_id <> r.id OR c.version <> r.version),
          0::bigint, 'every 0.1.0 release''s content, resubmitted, returns that release (created = false)');
SELECT is((SELECT count(*) FROM hookreg.hook_releases), (SELECT count(*) FROM hookreg.release_history),
          'the resubmissions minted nothing');

-- Active runs started at 0.1.0 still dedupe.
SELECT results_eq(
    $$SELECT s.run_id, s.reused, s.status FROM opsrun_start(1, 1, 'assignments.fetch', '{"page": 1}') s$$,
    $$SELECT id, true, status FROM hookreg.operation_runs
       WHERE tenant_id = 1 AND type = 'assignments.fetch' AND initiator_name = 'alice' AND status = 'queued'$$,
    'a queued tenant run of 0.1.0 dedupes a start after the update');
SELECT results_eq(
    $$SELECT s.run_id, s.reused, s.status FROM opsrun_start(2, NULL, 'billing.export', '{"month": "2026-03"}') s$$,
    $$SELECT id, true, status FROM hookreg.operation_runs
       WHERE workspace_id = 2 AND tenant_id IS NULL AND type = 'billing.export' AND status = 'queued'$$,
    'a queued workspace run of 0.1.0 dedupes a start after the update');
SELECT results_eq(
    $$SELECT s.run_id, s.reused FROM opsrun_start(1, 1, 'assignments.fetch', '{"filter": {"since": 1.5}, "page": 11}') s$$,
    $$SELECT id, true FROM hookreg.operation_runs
       WHERE tenant_id = 1 AND type = 'assignments.fetch' AND outcome = 'succeeded' AND initiator_name = 'carol'$$,
    'a run that succeeded at 0.1.0 inside its cooldown is still returned by a start after the update');

SELECT is((SELECT count(*) FROM cron.job WHERE jobname = 'hookreg-reconcile'), 1::bigint,
          'the housekeeping job survives the update');

SELECT * FROM finish();
ROLLBACK;
