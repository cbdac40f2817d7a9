-- test/update/verify/50_ops.sql: after the update, on the database that
-- test/update/populate/50_ops.sql (and 00_base.sql) filled at 0.1.0.
BEGIN;
SELECT plan(7);

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

SELECT * FROM finish();
ROLLBACK;
