-- test/update/verify/50_ops.sql: after the update, on the database that
-- test/update/populate/50_ops.sql (and 00_base.sql) filled at 0.1.0.
BEGIN;
SELECT plan(15);

SELECT is((SELECT count(*) FROM hookreg.operation_types WHERE cooldown_outcomes IS DISTINCT FROM
             '{succeeded,partially_succeeded}'::text[]), 0::bigint,
          'every operation type of 0.1.0 gets the default cooldown_outcomes');
SELECT is((SELECT count(*) FROM hookreg.operation_types), 5::bigint, 'no type is lost');

-- A failed run inside its cooldown at 0.1.0 can be retried at once.
SELECT is((SELECT s.reused FROM opsrun_start(1, 1, 'assignments.fetch', '{"page": 10}') s), false,
          'a run that failed at 0.1.0 inside its cooldown is retried at once after the update');
SELECT is((SELECT s.reused FROM opsrun_start(1, NULL, 'ops.cooled', '{"o": "cancelled"}') s), false,
          'so is a cancelled one');
SELECT is((SELECT s.reused FROM opsrun_start(1, NULL, 'ops.cooled', '{"o": "blocked"}') s), false,
          'and a blocked one');
SELECT results_eq($$SELECT s.run_id, s.reused FROM opsrun_start(1, NULL, 'ops.cooled', '{"o": "partial"}') s$$,
                  $$SELECT id, true FROM hookreg.operation_runs WHERE type = 'ops.cooled' AND outcome = 'partially_succeeded'$$,
                  'a partially succeeded run still holds its cooldown');

SELECT lives_ok($$SELECT opsrun_register_type('ops.cooled', 'workspace', ARRAY['total'], '1 day',
                                              cooldown_outcomes => ARRAY['succeeded', 'failed'])$$,
                'opsrun_register_type takes cooldown_outcomes after the update');

-- Retention after the update: the 0.1.0 call still works; the reconcile job
-- is kept as it was, and the next call of the schedule adds the prune job.
SELECT lives_ok($$SELECT opsrun_prune('3650 days')$$, 'opsrun_prune(interval), the 0.1.0 call, works after the update');
SELECT is((SELECT count(*) FROM cron.job WHERE jobname = 'hookreg-prune'), 0::bigint,
          'the update schedules no pruning by itself');
SELECT is(hookreg_schedule_housekeeping('*/10 * * * *'), (SELECT jobid FROM cron.job WHERE jobname = 'hookreg-reconcile'),
          'scheduling again after the update keeps the reconcile job');
SELECT is((SELECT count(*) FROM cron.job WHERE jobname = 'hookreg-prune'), 1::bigint,
          'and adds the prune job beside it');

-- The views answer on the updated database.
SELECT is((SELECT count(*) FROM hookreg.housekeeping_health WHERE scheduled), 2::bigint,
          'housekeeping_health: both workspaces of 0.1.0, with the job');

-- Feature tables made at 0.1.0: the statement trigger and INSERT for readers.
SELECT is((SELECT count(*) FROM hookreg.hooks h WHERE NOT EXISTS (
             SELECT FROM pg_trigger t WHERE t.tgrelid = h.feature_table AND t.tgname = h.name || '-insert-check'
                AND t.tgfoid = 'hookreg.feature_insert_check()'::regprocedure)), 0::bigint,
          'every feature table of 0.1.0 has the insert-check trigger');
SELECT is((SELECT count(*) FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            WHERE c.relnamespace = 'hookreg_features'::regnamespace AND c.relkind = 'r'
              AND col_description(c.oid, a.attnum) IS NULL), 0::bigint,
          'every column of the feature tables of 0.1.0 has a COMMENT');
SET LOCAL ROLE hookreg_reader;
SELECT throws_ok($$INSERT INTO hookreg_features.qc_metrics (run_id, subject, label) VALUES (hookreg_run_id('batch1:qc_metrics'), 'r', 'x')$$,
                 '42501', 'permission denied for table hookreg_features.qc_metrics',
                 'a reader inserting into a feature table of 0.1.0 gets 42501 from the trigger');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
