-- Retention: opsrun_prune per outcome, in bounded batches, never before a
-- cooldown ends; hookreg_schedule_housekeeping schedules it beside reconcile.
BEGIN;
SELECT plan(27);

INSERT INTO hookreg.workspaces (id, name) VALUES (9501, 'retention');
SELECT opsrun_register_type('ops.kept', 'workspace', ARRAY['total'], '365 days');

-- completed runs of every outcome, completed `age` days ago
CREATE FUNCTION pg_temp.run(type text, n text, outcome text, age int) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    r bigint;
BEGIN
    SELECT s.run_id INTO r FROM opsrun_start(9501, NULL, type, jsonb_build_object('n', n)) s;
    IF outcome IS NOT NULL THEN
        PERFORM opsrun_complete(r, outcome);
        UPDATE hookreg.operation_runs SET completed_at = now() - age * interval '1 day' WHERE id = r;
    END IF;
    RETURN r;
END
$$;
CREATE TEMP TABLE runs AS
SELECT n, pg_temp.run(t, n, o, a) AS id FROM (VALUES
    ('ops.pruned', 'ok5', 'succeeded', 5), ('ops.pruned', 'ok20', 'succeeded', 20),
    ('ops.pruned', 'part20', 'partially_succeeded', 20), ('ops.pruned', 'cancel20', 'cancelled', 20),
    ('ops.pruned', 'block20', 'blocked', 20), ('ops.pruned', 'fail20', 'failed', 20),
    ('ops.pruned', 'fail40', 'failed', 40), ('ops.pruned', 'active', NULL, 0),
    ('ops.kept', 'cool20', 'succeeded', 20), ('ops.kept', 'coolfail20', 'failed', 40)) v(t, n, o, a);
CREATE FUNCTION pg_temp.left_runs() RETURNS text[] LANGUAGE sql AS $$
    SELECT array_agg(n ORDER BY n) FROM runs WHERE id IN (SELECT id FROM hookreg.operation_runs)
$$;

-- ---- signature
SELECT has_function('opsrun_prune', ARRAY['interval', 'interval', 'integer'],
                    'opsrun_prune(older_than, failed_older_than, batch_size)');
SELECT hasnt_function('opsrun_prune', ARRAY['interval'], 'the one-argument form is the new one with its defaults');
SELECT is((SELECT pg_get_function_arguments('opsrun_prune(interval,interval,integer)'::regprocedure)),
          'older_than interval, failed_older_than interval DEFAULT NULL::interval, batch_size integer DEFAULT 10000',
          'failed_older_than defaults to NULL (= older_than), batch_size to 10000');

-- ---- per outcome, cooldown
SELECT is(opsrun_prune('10 days', '30 days'), 6::bigint,
          'prune(10 days, failures 30 days) deletes six runs (a failure outside the cooldown outcomes included)');
SELECT is(pg_temp.left_runs(), ARRAY['active', 'cool20', 'fail20', 'ok5'],
          'kept: the fresh success, the failure younger than 30 days, the active run, the run holding its cooldown');
SELECT is(opsrun_prune('10 days', '30 days'), 0::bigint, 'a second call finds nothing');
SELECT is(opsrun_prune('1 day'), 2::bigint, 'the 0.1.0 form opsrun_prune(interval) keeps failures as long as the rest');
SELECT is(pg_temp.left_runs(), ARRAY['active', 'cool20'], 'a run inside its cooldown is never pruned, an active run never');
SELECT is(opsrun_prune('0 seconds'), 0::bigint, 'not even with older_than 0');
UPDATE hookreg.operation_types SET cooldown = '10 days' WHERE type = 'ops.kept';
SELECT is(opsrun_prune('0 seconds'), 1::bigint, 'once the cooldown has run out, the run goes');

-- ---- bounded batches
SELECT pg_temp.run('ops.pruned', 'b' || i, CASE WHEN i % 2 = 0 THEN 'failed' ELSE 'succeeded' END, 3)
  FROM generate_series(1, 5) i;
SELECT is(opsrun_prune('1 day', batch_size => 2), 2::bigint, 'a batch deletes at most batch_size runs');
SELECT is((SELECT count(*) FROM hookreg.operation_runs r WHERE r.workspace_id = 9501 AND r.outcome = 'failed'), 0::bigint,
          'failures go first in a batch');
SELECT is(opsrun_prune('1 day', batch_size => 2), 2::bigint, 'the next batch');
SELECT is(opsrun_prune('1 day', batch_size => 2), 1::bigint, 'the last, short batch');
SELECT is(opsrun_prune('1 day', batch_size => 2), 0::bigint, 'then nothing');

-- ---- bad input
SELECT throws_ok($$SELECT opsrun_prune(NULL)$$, '22023', 'older_than must not be null', 'NULL older_than');
SELECT throws_ok($$SELECT opsrun_prune('1 day', '-1 day')$$, '22023', 'failed_older_than must not be negative', 'negative failed_older_than');
SELECT throws_ok($$SELECT opsrun_prune('1 day', NULL, 0)$$, '22023', 'batch_size must be between 1 and 1000000', 'batch_size 0');
SELECT throws_ok($$SELECT opsrun_prune('1 day', NULL, NULL)$$, '22023', 'batch_size must not be null', 'NULL batch_size');

-- ---- scheduled beside reconcile
SELECT cron.unschedule(jobid) FROM cron.job WHERE jobname IN ('hookreg-reconcile', 'hookreg-prune');
CREATE TEMP TABLE sched AS SELECT hookreg_schedule_housekeeping('*/5 * * * *') AS jobid;
SELECT results_eq($$SELECT jobname::text COLLATE "default", schedule COLLATE "default" FROM cron.job WHERE jobname LIKE 'hookreg-%' ORDER BY 1$$,
                  $$VALUES ('hookreg-prune', '*/5 * * * *'), ('hookreg-reconcile', '*/5 * * * *')$$,
                  'one call schedules reconcile and prune');
SELECT is((SELECT command FROM cron.job WHERE jobname = 'hookreg-prune'),
          'SELECT hookreg.prune_job(''90 days''::pg_catalog.interval, ''180 days''::pg_catalog.interval, 10000)',
          'the prune job runs one batch with the default retention (90 days, failures 180 days), exact types, through the owner-only entry point');
CREATE TEMP TABLE jobs1 AS SELECT jobname, jobid FROM cron.job WHERE jobname LIKE 'hookreg-%';
SELECT is(hookreg_schedule_housekeeping('*/10 * * * *', '7 days', '30 days'), (SELECT jobid FROM sched),
          'calling again returns the same reconcile job');
SELECT results_eq($$SELECT jobname::text COLLATE "default", jobid, schedule COLLATE "default" FROM cron.job WHERE jobname LIKE 'hookreg-%' ORDER BY 1$$,
                  $$SELECT j.jobname::text COLLATE "default", j.jobid, '*/10 * * * *' FROM jobs1 j ORDER BY 1$$,
                  'and updates both jobs in place (idempotent, no new job)');
SELECT ok((SELECT command LIKE '%prune_job(''7 days''::pg_catalog.interval, ''30 days''::pg_catalog.interval, 10000)'
             FROM cron.job WHERE jobname = 'hookreg-prune'), 'with the retention given');
SELECT hookreg_schedule_housekeeping('*/10 * * * *', retain => NULL);
SELECT is((SELECT array_agg(jobname::text) FROM cron.job WHERE jobname LIKE 'hookreg-%'), ARRAY['hookreg-reconcile'],
          'retain => NULL: no prune job (the existing one is unscheduled)');
SELECT throws_ok($$SELECT hookreg_schedule_housekeeping('*/5 * * * *', '0 days')$$, '22023',
                 'retain must be a positive interval', 'a retention of zero is refused');
SELECT hookreg_schedule_housekeeping();
DROP EXTENSION hookreg CASCADE;
SELECT is((SELECT count(*) FROM cron.job WHERE jobname LIKE 'hookreg-%'), 0::bigint,
          'DROP EXTENSION hookreg removes both jobs');

SELECT * FROM finish();
ROLLBACK;
