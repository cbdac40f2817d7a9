-- Cooldown per outcome: operation_types.cooldown_outcomes.
BEGIN;
SELECT plan(24);

INSERT INTO hookreg.workspaces (id, name) VALUES (9481, 'cooldown'), (9482, 'cooldown reconcile');
INSERT INTO hookreg.tenants (id, workspace_id, external_id)
     VALUES (9481, 9481, 'c3c1e2a4-5d6f-4a7b-8c9d-0e1f2a3b4c5d');

-- ---- schema
SELECT has_column('hookreg', 'operation_types', 'cooldown_outcomes', 'operation_types.cooldown_outcomes exists');
SELECT col_type_is('hookreg', 'operation_types', 'cooldown_outcomes', 'text[]', 'cooldown_outcomes is text[]');
SELECT col_not_null('hookreg', 'operation_types', 'cooldown_outcomes', 'cooldown_outcomes is NOT NULL');
SELECT is((SELECT attnum FROM pg_attribute WHERE attrelid = 'hookreg.operation_types'::regclass
             AND attname = 'cooldown_outcomes'),
          (SELECT max(attnum) FROM pg_attribute WHERE attrelid = 'hookreg.operation_types'::regclass AND attnum > 0),
          'cooldown_outcomes is the last column');
SELECT is((SELECT count(*) FROM hookreg.operation_types
            WHERE type IN ('assignments.fetch', 'assignments.restore', 'ops.reconcile_adapter_runs')
              AND cooldown_outcomes = '{succeeded,partially_succeeded}'),
          3::bigint, 'the installed types hold their cooldown after succeeded and partially_succeeded runs');
SELECT throws_ok($$UPDATE hookreg.operation_types SET cooldown_outcomes = '{pending}' WHERE type = 'assignments.fetch'$$,
                 '23514', NULL, 'a cooldown outcome must be a terminal outcome (CHECK)');

-- ---- opsrun_register_type takes it last
SELECT has_function('opsrun_register_type',
                    ARRAY['text', 'text', 'text[]', 'interval', 'interval', 'interval', 'text', 'text[]'],
                    'opsrun_register_type takes cooldown_outcomes as a trailing argument');
SELECT hasnt_function('opsrun_register_type',
                      ARRAY['text', 'text', 'text[]', 'interval', 'interval', 'interval', 'text'],
                      'the 0.1.0 signature is gone (a call with seven arguments takes the default)');
SELECT lives_ok($$SELECT opsrun_register_type('ops.cool', 'tenant', ARRAY['total'], '1 hour')$$,
                'a call without cooldown_outcomes works');
SELECT is((SELECT cooldown_outcomes FROM hookreg.operation_types WHERE type = 'ops.cool'),
          '{succeeded,partially_succeeded}'::text[], 'and gets the default outcomes');
SELECT throws_ok($$SELECT opsrun_register_type('ops.cool', 'tenant', ARRAY['total'], '1 hour',
                                               cooldown_outcomes => ARRAY['succeeded', 'later'])$$,
                 '22023', 'invalid outcome at cooldown_outcomes[2]', 'an unknown outcome is refused, naming its position');
SELECT throws_ok($$SELECT opsrun_register_type('ops.cool', 'tenant', ARRAY['total'], '1 hour',
                                               cooldown_outcomes => NULL)$$,
                 '22023', 'cooldown_outcomes must not be null', 'NULL is refused');

-- ---- the rule: a run completed inside the cooldown holds it only with one of the outcomes
CREATE FUNCTION pg_temp.finish_and_retry(ident jsonb, outcome text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    r bigint;
BEGIN
    SELECT s.run_id INTO r FROM opsrun_start(9481, 9481, 'ops.cool', ident) s;
    PERFORM opsrun_complete(r, outcome, '{}', CASE outcome WHEN 'failed'
            THEN '[{"code": "x.y", "message": "m"}]' ELSE '[]' END::jsonb);
    -- true: the retry got the completed run back (the cooldown holds)
    RETURN (SELECT s.reused AND s.run_id = r FROM opsrun_start(9481, 9481, 'ops.cool', ident) s);
END
$$;
SELECT is(pg_temp.finish_and_retry(jsonb_build_object('o', o), o), o IN ('succeeded', 'partially_succeeded'),
          'default outcomes: after a ' || o || ' run the cooldown ' ||
          CASE WHEN o IN ('succeeded', 'partially_succeeded') THEN 'holds' ELSE 'does not hold' END)
  FROM unnest(ARRAY['succeeded', 'partially_succeeded', 'failed', 'cancelled', 'blocked']) AS o;

-- a stale run failed by the reconciler can be retried at once
SELECT opsrun_start(9481, 9481, 'ops.cool', '{"o": "stale"}');
SELECT ok((SELECT count(*) FROM opsrun_reconcile(now() + interval '1 day') WHERE workspace_id = 9481) = 1,
          'the reconciler failed the stale run');
SELECT is((SELECT s.reused FROM opsrun_start(9481, 9481, 'ops.cool', '{"o": "stale"}') s), false,
          'a run the reconciler failed as stale is retried at once');

SELECT opsrun_register_type('ops.cool', 'tenant', ARRAY['total'], '1 hour',
                            cooldown_outcomes => ARRAY['failed']);
SELECT is(pg_temp.finish_and_retry('{"o": "f2"}', 'failed'), true, 'cooldown_outcomes {failed}: a failed run holds the cooldown');
SELECT is(pg_temp.finish_and_retry('{"o": "s2"}', 'succeeded'), false, 'and a succeeded one does not');

-- ---- the reconciler's own runs follow the rule
SELECT opsrun_register_type('ops.reconcile_adapter_runs', 'workspace', ARRAY['total', 'processed', 'failed'],
                            '1 hour', label => 'Reconcile stale operation runs');
SELECT opsrun_start(9482, NULL, 'ops.cool_ws', '{"n": 1}');
SELECT results_eq($$SELECT stale_queued FROM opsrun_reconcile(now() + interval '1 day') WHERE workspace_id = 9482$$,
                  ARRAY[1], 'a pass reconciles the workspace');
SELECT opsrun_start(9482, NULL, 'ops.cool_ws', '{"n": 2}');
SELECT is((SELECT count(*) FROM opsrun_reconcile(now() + interval '1 day') WHERE workspace_id = 9482), 0::bigint,
          'inside the reconcile type''s cooldown after a succeeded pass, the workspace is left alone');
-- the last pass failed (as a broken pass is recorded): the next one runs at once
UPDATE hookreg.operation_runs SET outcome = 'failed'
 WHERE workspace_id = 9482 AND type = 'ops.reconcile_adapter_runs';
SELECT results_eq($$SELECT stale_queued FROM opsrun_reconcile(now() + interval '1 day') WHERE workspace_id = 9482$$,
                  ARRAY[1], 'after a failed pass the next pass runs at once');

SELECT * FROM finish();
ROLLBACK;
