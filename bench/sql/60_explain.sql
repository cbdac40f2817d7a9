-- bench/sql/60_explain.sql: the plan of every statement the hot paths run,
-- taken by auto_explain (log_nested_statements) in one backend that calls
-- each function 8 times: the first calls get custom plans, the last ones the
-- plan the plan cache settles on. The plans come back as NOTICEs; the
-- harness keeps the last plan of each statement and flags a sequential scan
-- of a table that grows with history.
-- errors (a function not there yet) are reported, not fatal
SET client_min_messages = warning;
CREATE OR REPLACE FUNCTION bench.mark(what text) RETURNS void
    LANGUAGE plpgsql AS $$ BEGIN RAISE NOTICE '#### %', what; END $$;
-- eight queued runs for opsrun_complete, outside the pgbench pool
INSERT INTO hookreg.operation_runs (id, workspace_id, tenant_id, initiator_name, type, status, outcome,
                                    run_identity_hash, created_at, updated_at) OVERRIDING SYSTEM VALUE
SELECT 1990000000 + g, 1, 1, 'bench', 'assignments.fetch', 'queued', 'pending',
       lpad(to_hex(1970324836974592 + g), 64, '0'), now(), now()
  FROM generate_series(1, 8) g
    ON CONFLICT DO NOTHING;

LOAD 'auto_explain';
SET auto_explain.log_min_duration = 0;
SET auto_explain.log_nested_statements = on;
SET auto_explain.log_level = notice;
SET ROLE bench_app;
SET client_min_messages = notice;

SELECT bench.mark('hookreg_create_release (new version)');
SELECT count(*) FROM generate_series(1, 8) g,
    hookreg_create_release('b1500', bench.image('b1500'), 'sha256:' || lpad(to_hex(777000000 + g + (extract(epoch FROM now()) * 1000)::bigint), 64, '0'),
                           '{}', '{}', 'git-bench', NULL) r;
SELECT bench.mark('hookreg_create_release (idempotent repeat)');
SELECT count(*) FROM generate_series(1, 8) g,
    hookreg_create_release('b1501', bench.image('b1501'), bench.pre_digest('b1501', 1 + g % 10), '{}', '{}', 'git-bench', NULL) r;
SELECT bench.mark('hookreg_set_live');
SELECT count(*) FROM generate_series(1, 8) g, hookreg_set_live('b1502', 1 + g % 2) r;
SELECT bench.mark('hookreg_resolve_live (20 hooks)');
SELECT count(*) FROM generate_series(1, 8) g,
    hookreg_resolve_live(ARRAY(SELECT 'b' || x FROM generate_series(1500 + g, 1519 + g) x)) r;
SELECT bench.mark('hookreg_record_run');
SELECT count(*) FROM generate_series(1, 8) g,
    hookreg_record_run(bench.rel_id('b1503', 1 + g % 10), 'passed', now() - interval '2 seconds', now(), 0, NULL, NULL, NULL) r;
SELECT bench.mark('opsrun_start (new identity)');
SELECT count(*) FROM generate_series(1, 8) g,
    opsrun_start(1, 1, 'assignments.fetch', jsonb_build_object('explain', g, 'at', clock_timestamp()), NULL, NULL, '{}') r;
SELECT bench.mark('opsrun_start (dedupe hit)');
SELECT count(*) FROM generate_series(1, 8) t,
    opsrun_start((t - 1) / 100 + 1, t, 'assignments.fetch', jsonb_build_object('k', t), NULL, NULL, '{}') r;
SELECT bench.mark('opsrun_complete (failure summary to sanitize)');
SELECT count(*) FROM generate_series(1, 8) g,
    opsrun_complete(1990000000 + g, 'failed', bench.counts(), bench.failures_raw()) r;
-- The operations views (doc/operations.md), as an operator reads them, with
-- actual times: on the scale phase's ledger (1,000,000 completed runs) when
-- it ran before this.
RESET ROLE;
-- The start_new runs of every earlier round are still queued (tens of
-- thousands: pgbench never claims them). A ledger in use holds few active
-- runs: workers complete theirs, and the reconciler fails the rest once the
-- type's queued timeout (1 hour) has passed. The views are read on that
-- ledger: the reconciler's passes as they would run an hour and a minute
-- from now fail every queued run, then the load's active set (one run per
-- tenant, the dedupe hits' identities) is started again, and the table is
-- vacuumed and analyzed as autovacuum would (the failed runs' entries leave
-- the two partial indexes of active runs).
SET client_min_messages = warning;
DO $$
BEGIN
    FOR pass IN 1 .. 20 LOOP
        EXIT WHEN NOT EXISTS (SELECT FROM hookreg.operation_runs
                               WHERE status = ANY (ARRAY['queued', 'running']));
        PERFORM opsrun_reconcile(now() + interval '61 minutes');
    END LOOP;
END $$;
SELECT count(*) AS active_set FROM generate_series(1, 1000) t,
    opsrun_start((t - 1) / 100 + 1, t, 'assignments.fetch', jsonb_build_object('k', t), NULL, NULL, '{}') r;
VACUUM (ANALYZE) hookreg.operation_runs;
SET client_min_messages = notice;
SET auto_explain.log_analyze = on;
SET auto_explain.log_timing = on;
SELECT bench.mark('view hookreg.active_runs');
SELECT count(*) FROM hookreg.active_runs WHERE is_stale OR NOT is_stale;
SELECT bench.mark('view hookreg.recent_failures');
SELECT count(*) FROM hookreg.recent_failures;
SELECT bench.mark('view hookreg.housekeeping_health');
SELECT count(*) FROM hookreg.housekeeping_health;
SELECT bench.mark('view hookreg.registry_activity');
SELECT count(*) FROM hookreg.registry_activity;
SET auto_explain.log_analyze = off;
SELECT bench.mark('end');
