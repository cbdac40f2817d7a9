-- Operating it: the views of schema hookreg for on-call engineers and DBAs,
-- and the cron schedules hookreg_schedule_housekeeping accepts.
BEGIN;
SELECT plan(58);

INSERT INTO hookreg.workspaces (id, name) VALUES (9491, 'views'), (9492, 'views quiet');
INSERT INTO hookreg.tenants (id, workspace_id, external_id)
     VALUES (9491, 9491, 'd3c1e2a4-5d6f-4a7b-8c9d-0e1f2a3b4c5d');
SELECT opsrun_register_type('ops.viewed', 'tenant', ARRAY['total'], NULL, '10 minutes', '20 minutes');

-- ---- who may read them
SELECT has_view('hookreg', v, 'view hookreg.' || v)
  FROM unnest(ARRAY['active_runs', 'recent_failures', 'housekeeping_health', 'housekeeping_jobs',
                    'registry_activity']) AS v;
SELECT ok(has_table_privilege(r, 'hookreg.' || v, 'SELECT'), r || ' may read hookreg.' || v)
  FROM unnest(ARRAY['active_runs', 'recent_failures', 'housekeeping_health', 'housekeeping_jobs',
                    'registry_activity']) AS v,
       unnest(ARRAY['hookreg_reader', 'hookreg_ops_writer']) AS r;
SELECT ok(NOT has_table_privilege('public', 'hookreg.' || v, 'SELECT'), 'PUBLIC may not read hookreg.' || v)
  FROM unnest(ARRAY['active_runs', 'recent_failures', 'housekeeping_health', 'housekeeping_jobs',
                    'registry_activity']) AS v;

-- ---- active_runs
CREATE TEMP TABLE ids AS
SELECT (SELECT s.run_id FROM opsrun_start(9491, 9491, 'ops.viewed', '{"n": "queued"}') s) AS queued,
       (SELECT s.run_id FROM opsrun_start(9491, 9491, 'ops.viewed', '{"n": "running"}') s) AS running,
       (SELECT s.run_id FROM opsrun_start(9491, 9491, 'ops.viewed', '{"n": "done"}') s) AS done,
       (SELECT s.run_id FROM opsrun_start(9491, NULL, 'ops.viewed_ws', '{"n": "ws"}') s) AS ws;
GRANT SELECT ON ids TO PUBLIC;
SELECT opsrun_claim(running) FROM ids;
SELECT opsrun_heartbeat(running, '{"total": 4}') FROM ids;
SELECT opsrun_complete(done, 'succeeded') FROM ids;
SELECT results_eq($$SELECT run_id, status, tenant_id FROM hookreg.active_runs WHERE workspace_id = 9491 ORDER BY run_id$$,
                  $$SELECT * FROM (VALUES ((SELECT queued FROM ids), 'queued', 9491::bigint),
                                          ((SELECT running FROM ids), 'running', 9491::bigint),
                                          ((SELECT ws FROM ids), 'queued', NULL::bigint)) v ORDER BY 1$$,
                  'active_runs lists queued and running runs of both scopes, not completed ones');
SELECT is((SELECT stale_at FROM hookreg.active_runs a, ids WHERE a.run_id = ids.queued),
          (SELECT created_at + interval '10 minutes' FROM hookreg.operation_runs r, ids WHERE r.id = ids.queued),
          'a queued run goes stale queued_timeout after its creation');
SELECT is((SELECT stale_at FROM hookreg.active_runs a, ids WHERE a.run_id = ids.running),
          (SELECT updated_at + interval '20 minutes' FROM hookreg.operation_runs r, ids WHERE r.id = ids.running),
          'a running run goes stale running_timeout after its last heartbeat');
SELECT is((SELECT stale_at FROM hookreg.active_runs a, ids WHERE a.run_id = ids.ws),
          (SELECT created_at + interval '1 hour' FROM hookreg.operation_runs r, ids WHERE r.id = ids.ws),
          'an unregistered type goes stale after the default queued timeout');
SELECT ok((SELECT last_heartbeat_at IS NOT NULL AND summary_counts = '{"total": 4}' AND NOT is_stale
             FROM hookreg.active_runs a, ids WHERE a.run_id = ids.running),
          'a running run shows its last heartbeat and counters, not stale');
SELECT ok((SELECT last_heartbeat_at IS NULL AND age >= interval '0' FROM hookreg.active_runs a, ids WHERE a.run_id = ids.queued),
          'a queued run has an age and no heartbeat');
-- backdated: stale now
UPDATE hookreg.operation_runs SET created_at = now() - interval '11 minutes' FROM ids WHERE id = ids.queued;
SELECT is((SELECT is_stale FROM hookreg.active_runs a, ids WHERE a.run_id = ids.queued), true,
          'a queued run older than its queued_timeout is stale');

-- ---- housekeeping_health
SELECT hookreg_schedule_housekeeping('*/5 * * * *');
SELECT is((SELECT row(active_runs, stale_runs, last_pass_run_id IS NULL, health)::text
             FROM hookreg.housekeeping_health WHERE workspace_id = 9491),
          row(3::bigint, 1::bigint, true, 'stale runs')::text,
          'before any pass: active and stale counts, no last pass');
SELECT is((SELECT health FROM hookreg.housekeeping_health WHERE workspace_id = 9492), 'ok',
          'a workspace with nothing to do is ok (the job is scheduled)');
SELECT opsrun_reconcile();
SELECT is((SELECT row(last_pass_outcome, last_pass_counts, stale_runs, health)::text
             FROM hookreg.housekeeping_health WHERE workspace_id = 9491),
          row('succeeded', '{"total": 3, "failed": 1, "processed": 3}'::jsonb, 0::bigint, 'ok')::text,
          'after a pass: its outcome and counts, nothing stale');
SELECT is((SELECT last_pass_run_id FROM hookreg.housekeeping_health WHERE workspace_id = 9491),
          (SELECT max(id) FROM hookreg.operation_runs WHERE workspace_id = 9491 AND type = 'ops.reconcile_adapter_runs'),
          'the last pass is the reconciler''s newest run of the workspace');

-- the pg_cron side: schedule, and the next run computed from it (GMT)
SELECT ok((SELECT scheduled AND schedule = '*/5 * * * *' AND schedule_active FROM hookreg.housekeeping_health
            WHERE workspace_id = 9491), 'the health view shows the reconcile job');
CREATE FUNCTION pg_temp.next_of(sched text) RETURNS timestamptz LANGUAGE plpgsql AS $$
BEGIN
    PERFORM hookreg_schedule_housekeeping(sched);
    RETURN (SELECT next_pass_at FROM hookreg.housekeeping_health WHERE workspace_id = 9491);
END
$$;
-- the expected times, from the clock, in GMT
CREATE FUNCTION pg_temp.gmt(ts timestamp) RETURNS timestamptz LANGUAGE sql AS $$ SELECT ts AT TIME ZONE 'GMT' $$;
CREATE TEMP VIEW clock AS SELECT (clock_timestamp() AT TIME ZONE 'GMT') AS t;
SELECT ok(pg_temp.next_of('*/5 * * * *') BETWEEN clock_timestamp() AND clock_timestamp() + interval '5 minutes'
          AND extract(minute FROM pg_temp.next_of('*/5 * * * *') AT TIME ZONE 'GMT')::int % 5 = 0
          AND extract(second FROM pg_temp.next_of('*/5 * * * *')) = 0,
          '*/5 * * * *: the next multiple of five minutes');
SELECT is(pg_temp.next_of('0 3 * * *'),
          (SELECT pg_temp.gmt(date_trunc('day', t) + interval '3 hours' +
                  CASE WHEN t >= date_trunc('day', t) + interval '3 hours' THEN interval '1 day' ELSE interval '0' END) FROM clock),
          '0 3 * * *: 03:00 GMT, today or tomorrow');
SELECT is(pg_temp.next_of('@monthly'),
          (SELECT pg_temp.gmt(date_trunc('month', t) + interval '1 month') FROM clock),
          '@monthly: midnight of the first of next month');
SELECT is(extract(isodow FROM pg_temp.next_of('15 10 * * mon') AT TIME ZONE 'GMT')::int, 1,
          '15 10 * * mon: a Monday');
SELECT is(to_char(pg_temp.next_of('15 10 * * mon') AT TIME ZONE 'GMT', 'HH24:MI'), '10:15', '... at 10:15');
SELECT ok(pg_temp.next_of('0 0 13 * 5') - clock_timestamp() <= interval '8 days',
          '0 0 13 * 5: the 13th or a Friday, whichever comes first (both day fields restricted)');
SELECT is(pg_temp.next_of('0 0 30 2 *'), NULL, 'a schedule that never fires (Feb 30) has no next run');
SELECT is((SELECT count(*) FROM hookreg.housekeeping_jobs WHERE job = 'reconcile'), 1::bigint,
          'housekeeping_jobs lists the reconcile job');

-- invalid schedules: 22023 with the syntax in the hint, pg_cron never reached
CREATE FUNCTION pg_temp.cron_error(sched text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    st text; h text; c text;
BEGIN
    PERFORM hookreg_schedule_housekeeping(sched);
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, h = PG_EXCEPTION_HINT, c = PG_EXCEPTION_CONTEXT;
    RETURN st || CASE WHEN h LIKE 'A schedule is five fields%' THEN ' hint' ELSE ' no hint' END
              || CASE WHEN c LIKE '%cron.schedule%' THEN ' pg_cron sql' ELSE '' END;
END
$$;
SELECT is(pg_temp.cron_error(s), '22023 hint', 'invalid schedule ' || quote_literal(s) || ': 22023 with the syntax')
  FROM unnest(ARRAY['every 5 minutes', '* * * *', '* * * * * *', '60 * * * *', '*/0 * * * *',
                    '5-1 * * * *', '@often', '']) AS s;
SELECT is(pg_temp.cron_error('0 0 * jan,JUL sun-sat'), 'no error', 'names of months and days are accepted');

-- ---- recent_failures
CREATE FUNCTION pg_temp.fail(n int, code text, msg text) RETURNS void LANGUAGE sql AS $$
    SELECT opsrun_fail(s.run_id, code, msg) FROM opsrun_start(9491, 9491, 'ops.viewed', jsonb_build_object('f', n)) s
$$;
SELECT pg_temp.fail(1, 'upstream.timeout', 'first timeout');
SELECT pg_temp.fail(2, 'upstream.timeout', 'second timeout password=hunter2');
SELECT pg_temp.fail(3, 'upstream.gone', 'gone');
SELECT is((SELECT row(runs, occurrences, runs_last_hour)::text FROM hookreg.recent_failures
            WHERE type = 'ops.viewed' AND code = 'upstream.timeout'),
          row(2::bigint, 2::numeric, 2::bigint)::text, 'failures are counted by type and code');
SELECT ok((SELECT sample_message LIKE 'second timeout%' AND sample_message NOT LIKE '%hunter2%'
             AND first_seen <= last_seen FROM hookreg.recent_failures
            WHERE type = 'ops.viewed' AND code = 'upstream.timeout'),
          'the sample is the newest message, sanitized');
SELECT is((SELECT array_agg(code ORDER BY code) FROM hookreg.recent_failures WHERE type = 'ops.viewed'),
          ARRAY['run.stale_queued', 'upstream.gone', 'upstream.timeout'],
          'one row per code (the stale run failed by the reconciler included)');

-- ---- registry_activity
SELECT hookreg_register_hook('ops_viewed', '{"kind": "table", "cardinality": "many", "columns": []}');
SELECT hookreg_create_release('ops_viewed', 'img', 'sha256:' || repeat('1', 64), source_ref => 'git:1');
SELECT hookreg_create_release('ops_viewed', 'img', 'sha256:' || repeat('2', 64), source_ref => 'git:2');
SELECT hookreg_set_live('ops_viewed', 1);
SELECT is((SELECT row(live_version, releases_24h, set_live_24h, releases_7d, set_live_7d, last_version, last_move_reason)::text
             FROM hookreg.registry_activity WHERE hook_name = 'ops_viewed'),
          row(1, 2::bigint, 1::bigint, 2::bigint, 1::bigint, 2, 'set_live')::text,
          'registry_activity counts releases and repoints per hook');

-- ---- readers see them (views answer as their owner; the cron helper elevates)
SET LOCAL ROLE hookreg_ops_writer;
SELECT is((SELECT count(*) FROM hookreg.housekeeping_jobs WHERE job = 'reconcile'), 1::bigint,
          'hookreg_ops_writer sees the job through the view');
SELECT is((SELECT releases_24h FROM hookreg.registry_activity WHERE hook_name = 'ops_viewed'), 2::bigint,
          'hookreg_ops_writer reads registry_activity (no right on the registry tables needed)');
SELECT lives_ok($$SELECT count(*) FROM hookreg.active_runs, hookreg.recent_failures, hookreg.housekeeping_health$$,
                'hookreg_ops_writer reads the ledger views');
RESET ROLE;
SET LOCAL ROLE hookreg_reader;
SELECT lives_ok($$SELECT count(*) FROM hookreg.active_runs, hookreg.recent_failures, hookreg.housekeeping_health,
                                       hookreg.housekeeping_jobs, hookreg.registry_activity$$,
                'hookreg_reader reads every operations view');
RESET ROLE;

-- without pg_cron, the views still answer
DROP EXTENSION pg_cron;
SELECT is((SELECT row(scheduled, health)::text FROM hookreg.housekeeping_health WHERE workspace_id = 9491),
          row(false, 'not scheduled')::text, 'without pg_cron: not scheduled, and no error');

SELECT * FROM finish();
ROLLBACK;
