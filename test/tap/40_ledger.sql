-- Operation-run ledger (doc/reference.md): schema, every SQLSTATE, roles,
-- pg_cron job.
BEGIN;
\ir helpers/errors.sql
SELECT plan(132);


-- ---- schema ----
SELECT has_table('hookreg', t, 'table hookreg.' || t)
  FROM unnest(ARRAY['workspaces', 'tenants', 'operation_types', 'operation_runs']) AS t;
SELECT columns_are('hookreg', 'operation_runs', ARRAY['id', 'workspace_id', 'tenant_id', 'user_id',
    'initiator_name', 'type', 'status', 'outcome', 'run_identity_hash', 'summary_counts',
    'failure_summary', 'context', 'started_at', 'completed_at', 'created_at', 'updated_at'],
    'operation_runs has exactly the seed''s columns');
SELECT col_is_pk('hookreg', 'operation_runs', 'id', 'operation_runs.id is the primary key');
SELECT col_not_null('hookreg', 'operation_runs', c, 'operation_runs.' || c || ' is NOT NULL')
  FROM unnest(ARRAY['workspace_id', 'initiator_name', 'type', 'run_identity_hash',
                    'summary_counts', 'failure_summary', 'context']) AS c;
SELECT col_is_null('hookreg', 'operation_runs', c, 'operation_runs.' || c || ' is nullable')
  FROM unnest(ARRAY['tenant_id', 'user_id']) AS c;
SELECT col_default_is('hookreg', 'operation_runs', 'summary_counts', '{}'::jsonb::text, 'summary_counts defaults to {}');
SELECT col_default_is('hookreg', 'operation_runs', 'failure_summary', '[]'::jsonb::text, 'failure_summary defaults to []');
SELECT col_type_is('hookreg', 'tenants', 'external_id', 'uuid', 'tenants.external_id is a uuid');
SELECT col_is_unique('hookreg', 'tenants', 'external_id', 'tenants.external_id is unique');
SELECT fk_ok('hookreg', 'operation_runs', 'workspace_id', 'hookreg', 'workspaces', 'id');
SELECT fk_ok('hookreg', 'operation_runs', ARRAY['workspace_id', 'tenant_id'], 'hookreg', 'tenants', ARRAY['workspace_id', 'id']);
SELECT fk_ok('hookreg', 'tenants', 'workspace_id', 'hookreg', 'workspaces', 'id');

SELECT is(
    (SELECT indexdef FROM pg_indexes WHERE schemaname = 'hookreg' AND indexname = 'operation_runs_tenant_active_key'),
    'CREATE UNIQUE INDEX operation_runs_tenant_active_key ON hookreg.operation_runs USING btree (workspace_id, tenant_id, run_identity_hash) WHERE ((tenant_id IS NOT NULL) AND (status = ANY (ARRAY[''queued''::text, ''running''::text])))',
    'partial unique index on (workspace_id, tenant_id, run_identity_hash) for active tenant runs');
SELECT is(
    (SELECT indexdef FROM pg_indexes WHERE schemaname = 'hookreg' AND indexname = 'operation_runs_workspace_active_key'),
    'CREATE UNIQUE INDEX operation_runs_workspace_active_key ON hookreg.operation_runs USING btree (workspace_id, run_identity_hash) WHERE ((tenant_id IS NULL) AND (status = ANY (ARRAY[''queued''::text, ''running''::text])))',
    'partial unique index on (workspace_id, run_identity_hash) for active workspace runs');
SELECT has_index('hookreg', 'operation_runs', 'operation_runs_workspace_created_idx', ARRAY['workspace_id', 'created_at']);
SELECT has_index('hookreg', 'operation_runs', 'operation_runs_tenant_created_idx', ARRAY['tenant_id', 'created_at']);

-- pg_dump keeps the ledger's data: tables and sequences are config tables.
SELECT set_eq(
    $$SELECT c.relname::text FROM pg_extension e, unnest(e.extconfig) AS x(oid) JOIN pg_class c ON c.oid = x.oid
       WHERE e.extname = 'hookreg' AND c.relnamespace = 'hookreg'::regnamespace
         AND c.relname IN ('workspaces', 'tenants', 'operation_types', 'operation_runs',
                           'workspaces_id_seq', 'tenants_id_seq', 'operation_runs_id_seq')$$,
    ARRAY['workspaces', 'tenants', 'operation_types', 'operation_runs',
          'workspaces_id_seq', 'tenants_id_seq', 'operation_runs_id_seq'],
    'ledger tables and sequences are registered with pg_extension_config_dump');
-- The installed types are dumped too; loading a dumped row over an existing
-- type updates it (what a restore does after CREATE EXTENSION).
INSERT INTO hookreg.operation_types (type, scope, cooldown, label)
VALUES ('assignments.fetch', 'tenant', '20 minutes', 'changed by a restore');
SELECT results_eq(
    $$SELECT count(*)::int, min(cooldown), min(label) FROM hookreg.operation_types WHERE type = 'assignments.fetch'$$,
    $$VALUES (1, '20 minutes'::interval, 'changed by a restore')$$,
    'inserting an existing operation type updates it');

SELECT volatility_is('opsrun_identity_hash', ARRAY['bigint', 'bigint', 'text', 'jsonb'], 'immutable');
SELECT volatility_is('opsrun_is_uuid_v4', ARRAY['uuid'], 'immutable');
SELECT volatility_is('opsrun_normalize_counts', ARRAY['text', 'jsonb'], 'stable');
SELECT function_lang_is(f, 'c') FROM unnest(ARRAY['opsrun_start', 'opsrun_claim', 'opsrun_heartbeat',
    'opsrun_complete', 'opsrun_fail', 'opsrun_reconcile', 'opsrun_prune', 'opsrun_register_type',
    'hookreg_schedule_housekeeping', 'opsrun_identity_hash', 'opsrun_normalize_counts']) AS f;

-- ---- fixtures ----
INSERT INTO hookreg.workspaces (id, name) VALUES (9301, 'tap ws'), (9302, 'tap ws 2');
INSERT INTO hookreg.tenants (id, workspace_id, external_id) VALUES
    (9401, 9301, '3f2b8c1e-7d4a-4b9e-8a6f-1c2d3e4f5a6b'),
    (9402, 9302, 'a1b2c3d4-e5f6-4a7b-9c8d-0e1f2a3b4c5d');

-- ---- UUID v4 ----
SELECT throws_ok($$INSERT INTO hookreg.tenants (workspace_id, external_id) VALUES (9301, '6ba7b810-9dad-11d1-80b4-00c04fd430c8')$$,
    '23514', NULL, 'a version 1 UUID is refused as external_id');
SELECT throws_ok($$INSERT INTO hookreg.tenants (workspace_id, external_id) VALUES (9301, '3f2b8c1e-7d4a-4b9e-0a6f-1c2d3e4f5a6b')$$,
    '23514', NULL, 'a v4 UUID with the wrong variant is refused');
SELECT lives_ok($$INSERT INTO hookreg.tenants (workspace_id, external_id) VALUES (9301, gen_random_uuid())$$,
    'gen_random_uuid() is a UUID v4');
SELECT throws_ok($$INSERT INTO hookreg.tenants (workspace_id, external_id) VALUES (9301, '3f2b8c1e-7d4a-4b9e-8a6f-1c2d3e4f5a6b')$$,
    '23505', NULL, 'external_id is unique');

-- ---- 22023 ----
SELECT throws_ok($$SELECT opsrun_identity_hash(1, NULL, 'nodot', '{}')$$, '22023', NULL, 'identity_hash: bad type name');
SELECT throws_ok($$SELECT * FROM opsrun_start(9301, NULL, 'UPPER.case')$$, '22023', NULL, 'start: bad type name');
SELECT throws_ok($$SELECT * FROM opsrun_start(9301, 9401, 'ops.reconcile_adapter_runs')$$, '22023', NULL, 'start: tenant for a workspace-scoped type');
SELECT throws_ok($$SELECT * FROM opsrun_start(9301, NULL, 'assignments.restore')$$, '22023', NULL, 'start: no tenant for a tenant-scoped type');
SELECT throws_ok($$SELECT * FROM opsrun_start(9302, 9401, 'tap.job')$$, '22023', 'tenant 9401 does not belong to workspace 9302', 'start: tenant of another workspace');
SELECT throws_ok($$SELECT * FROM opsrun_start(9301, 9401, 'tap.job', '{}', NULL, NULL, '"text"')$$, '22023', NULL, 'start: context not an object');
SELECT throws_ok($$SELECT * FROM opsrun_start(NULL, 9401, 'tap.job')$$, '22023', NULL, 'start: NULL workspace');

SELECT run_id AS run FROM opsrun_start(9301, 9401, 'tap.job', '{"n": 1}') \gset
SELECT throws_ok(format('SELECT * FROM opsrun_complete(%s, %L)', :run, 'pending'), '22023', NULL, 'complete: pending is no terminal outcome');
SELECT throws_ok(format('SELECT * FROM opsrun_complete(%s, NULL)', :run), '22023', NULL, 'complete: NULL outcome');
SELECT throws_ok(format('SELECT * FROM opsrun_complete(%s, %L, %L)', :run, 'succeeded', '7'), '22023', NULL, 'complete: counts not an object');
SELECT throws_ok(format('SELECT * FROM opsrun_complete(%s, %L, %L, %L)', :run, 'failed', '{}', '{"code": "x"}'), '22023', NULL, 'complete: failures not an array');
SELECT throws_ok(format('SELECT * FROM opsrun_complete(%s, %L, %L, %L)', :run, 'failed', '{}', '[{"code": "x", "message": "m", "extra": 1}]'), '22023', NULL, 'complete: ill-shaped failure entry');
SELECT throws_ok($$SELECT opsrun_normalize_counts('assignments.fetch', '"x"')$$, '22023', NULL, 'normalize: counts not an object');
SELECT throws_ok($$SELECT opsrun_register_type('tap.t', 'everywhere', ARRAY['total'])$$, '22023', NULL, 'register_type: bad scope');
SELECT throws_ok($$SELECT opsrun_register_type('tap', 'tenant', ARRAY['total'])$$, '22023', NULL, 'register_type: bad type name');
SELECT throws_ok($$SELECT opsrun_register_type('tap.t', 'tenant', ARRAY['to tal'])$$, '22023', NULL, 'register_type: bad summary key');
SELECT throws_ok($$SELECT opsrun_register_type('tap.t', 'tenant', ARRAY['total'], '0 seconds')$$, '22023', NULL, 'register_type: zero cooldown');
SELECT throws_ok($$SELECT opsrun_register_type('tap.t', 'tenant', ARRAY['total'], NULL, '1 hour', '-5 minutes')$$, '22023', NULL, 'register_type: negative running_timeout');
SELECT throws_ok($$SELECT opsrun_prune('-1 hour')$$, '22023', NULL, 'prune: negative interval');
SELECT throws_ok($$SELECT hookreg_schedule_housekeeping(NULL)$$, '22023', NULL, 'schedule: NULL schedule');

-- ---- 54000 ----
SELECT throws_ok(format('SELECT opsrun_identity_hash(9301, 9401, %L, %L::jsonb)', 'tap.job',
                        repeat('[', 40) || repeat(']', 40)), '54000', NULL, 'identity deeper than 32 levels');
SELECT throws_ok(format('SELECT * FROM opsrun_start(9301, 9401, %L, %L::jsonb)', 'tap.job',
                        jsonb_build_object('blob', repeat('x', 70000))), '54000', NULL, 'identity over 64 KiB');
SELECT throws_ok(format('SELECT * FROM opsrun_start(9301, 9401, %L, %L, NULL, NULL, %L::jsonb)', 'tap.big', '{}',
                        jsonb_build_object('blob', repeat('x', 70000))), '54000', NULL, 'context over 64 KiB');

-- ---- P0002 ----
SELECT throws_ok($$SELECT * FROM opsrun_start(9399, NULL, 'tap.job')$$, 'P0002', 'workspace 9399 does not exist', 'start: unknown workspace');
SELECT throws_ok($$SELECT * FROM opsrun_start(9301, 9499, 'tap.job')$$, 'P0002', 'tenant 9499 does not exist', 'start: unknown tenant');
SELECT throws_ok($$SELECT opsrun_claim(-1)$$, 'P0002', NULL, 'claim: unknown run');
SELECT throws_ok($$SELECT opsrun_heartbeat(-1)$$, 'P0002', NULL, 'heartbeat: unknown run');
SELECT throws_ok($$SELECT opsrun_heartbeat(-1, '{"total": 1}')$$, 'P0002', NULL, 'heartbeat with counts: unknown run');
SELECT throws_ok($$SELECT * FROM opsrun_complete(-1, 'succeeded')$$, 'P0002', NULL, 'complete: unknown run');
SELECT throws_ok($$SELECT opsrun_fail(-1, 'x.y', 'm')$$, 'P0002', NULL, 'fail: unknown run');

-- ---- 55000 ----
SELECT throws_ok(format('SELECT opsrun_heartbeat(%s)', :run), '55000', NULL, 'heartbeat: a queued run');
SELECT ok(opsrun_claim(:run), 'claim moves queued -> running');
SELECT lives_ok(format('SELECT opsrun_heartbeat(%s, %L)', :run, '{"total": 2}'), 'heartbeat: a running run');
SELECT results_eq(format('SELECT status, outcome FROM opsrun_complete(%s, %L)', :run, 'cancelled'),
    $$VALUES ('completed'::text, 'cancelled'::text)$$, 'complete: running -> completed/cancelled');
SELECT throws_ok(format('SELECT * FROM opsrun_complete(%s, %L)', :run, 'succeeded'), '55000', NULL, 'complete: a completed run');
SELECT throws_ok(format('SELECT opsrun_fail(%s, %L, %L)', :run, 'x.y', 'm'), '55000', NULL, 'fail: a completed run');
SELECT throws_ok(format('SELECT opsrun_heartbeat(%s)', :run), '55000', NULL, 'heartbeat: a completed run');
SELECT ok(NOT opsrun_claim(:run), 'claim of a completed run is false');

-- ---- roles ----
CREATE ROLE tap_ledger_app;
CREATE ROLE tap_ledger_reader;
CREATE ROLE tap_ledger_admin;
CREATE ROLE tap_ledger_nobody;
GRANT hookreg_ops_writer TO tap_ledger_app;
GRANT hookreg_reader TO tap_ledger_reader;
GRANT hookreg_admin TO tap_ledger_admin;

SET ROLE tap_ledger_app;
SELECT results_eq($$SELECT status, reused FROM opsrun_start(9301, 9401, 'tap.role', '{"r": 1}')$$,
    $$VALUES ('queued'::text, false)$$, 'ops_writer may start a run');
SELECT run_id AS app_run FROM opsrun_start(9301, 9401, 'tap.role', '{"r": 1}') \gset
SELECT is((SELECT initiator_name FROM hookreg.operation_runs WHERE id = :app_run), 'tap_ledger_app',
    'initiator_name defaults to the calling role, not the extension owner');
SELECT ok(opsrun_claim(:app_run), 'ops_writer may claim');
SELECT lives_ok(format('SELECT opsrun_heartbeat(%s)', :app_run), 'ops_writer may heartbeat');
SELECT lives_ok(format('SELECT * FROM opsrun_complete(%s, %L)', :app_run, 'succeeded'), 'ops_writer may complete');
SELECT run_id AS app_run2 FROM opsrun_start(9301, 9401, 'tap.role', '{"r": 2}') \gset
SELECT lives_ok(format('SELECT opsrun_fail(%s, %L, %L)', :app_run2, 'tap.broken', 'it broke'), 'ops_writer may fail');
SELECT ok((SELECT count(*) FROM hookreg.operation_runs WHERE workspace_id = 9301) > 0, 'ops_writer reads the ledger');
SELECT throws_ok($$INSERT INTO hookreg.operation_runs (workspace_id, initiator_name, type, run_identity_hash)
                   VALUES (9301, 'x', 'tap.x', repeat('a', 64))$$, '42501', NULL, 'ops_writer may not insert runs directly');
SELECT throws_ok(format('UPDATE hookreg.operation_runs SET status = %L WHERE id = %s', 'queued', :app_run), '42501', NULL,
    'ops_writer may not update runs directly');
SELECT throws_ok($$INSERT INTO hookreg.workspaces (name) VALUES ('x')$$, '42501', NULL, 'ops_writer may not write workspaces');
SELECT throws_ok($$SELECT * FROM opsrun_reconcile()$$, '42501', NULL, 'ops_writer may not reconcile');
SELECT is((SELECT e.state || '|' || e.hint FROM pg_temp.error_of($$SELECT * FROM opsrun_reconcile()$$) e),
    '42501|Grant the role to the caller: GRANT hookreg_admin TO tap_ledger_app;',
    'reconcile: the hint names hookreg_admin');
SELECT throws_ok($$SELECT opsrun_prune('1 day')$$, '42501', NULL, 'ops_writer may not prune');
SELECT throws_ok($$SELECT opsrun_register_type('tap.x', 'tenant', ARRAY['total'])$$, '42501', NULL, 'ops_writer may not register types');
SELECT throws_ok($$SELECT hookreg_schedule_housekeeping()$$, '42501', NULL, 'ops_writer may not schedule housekeeping');
RESET ROLE;

SET ROLE tap_ledger_reader;
SELECT ok((SELECT count(*) FROM hookreg.operation_runs WHERE workspace_id = 9301) > 0, 'reader reads the ledger');
SELECT throws_ok($$SELECT * FROM opsrun_start(9301, 9401, 'tap.role')$$, '42501', NULL, 'reader may not start');
SELECT is((SELECT e.state || '|' || e.hint FROM pg_temp.error_of($$SELECT * FROM opsrun_start(9301, 9401, 'tap.role')$$) e),
    '42501|Grant the role to the caller: GRANT hookreg_ops_writer TO tap_ledger_reader;', 'start: the hint names hookreg_ops_writer');
SELECT throws_ok(format('SELECT opsrun_claim(%s)', :app_run), '42501', NULL, 'reader may not claim');
SELECT throws_ok(format('SELECT opsrun_heartbeat(%s)', :app_run), '42501', NULL, 'reader may not heartbeat');
SELECT throws_ok(format('SELECT * FROM opsrun_complete(%s, %L)', :app_run, 'failed'), '42501', NULL, 'reader may not complete');
SELECT throws_ok(format('SELECT opsrun_fail(%s, %L, %L)', :app_run, 'x.y', 'm'), '42501', NULL, 'reader may not fail');
SELECT throws_ok($$DELETE FROM hookreg.operation_runs$$, '42501', NULL, 'reader may not delete runs');
RESET ROLE;

SET ROLE tap_ledger_nobody;
SELECT throws_ok($$SELECT * FROM opsrun_start(9301, 9401, 'tap.role')$$, '42501', NULL, 'a role without hookreg roles may not start');
SELECT throws_ok($$SELECT * FROM hookreg.operation_runs$$, '42501', NULL, 'a role without hookreg roles may not read the ledger');
SELECT is(opsrun_identity_hash(9301, 9401, 'tap.role', '{}') ~ '^[0-9a-f]{64}$', true, 'identity_hash is public');
RESET ROLE;

SET ROLE tap_ledger_admin;
SELECT lives_ok($$INSERT INTO hookreg.workspaces (id, name) VALUES (9303, 'by admin')$$, 'admin writes workspaces');
SELECT lives_ok($$INSERT INTO hookreg.tenants (workspace_id, external_id) VALUES (9303, '0f8fad5b-d9cb-469f-a165-70867728950e')$$, 'admin writes tenants');
SELECT lives_ok($$UPDATE hookreg.workspaces SET name = 'renamed' WHERE id = 9303$$, 'admin updates workspaces');
SELECT lives_ok($$SELECT opsrun_register_type('tap.admin', 'workspace', ARRAY['total'], '5 minutes')$$, 'admin registers types');
SELECT lives_ok($$SELECT * FROM opsrun_reconcile()$$, 'admin reconciles');
SELECT lives_ok($$SELECT opsrun_prune('365 days')$$, 'admin prunes');
SELECT lives_ok($$SELECT * FROM opsrun_start(9303, NULL, 'tap.admin')$$, 'admin is an ops_writer too');
SELECT throws_ok($$INSERT INTO hookreg.operation_runs (workspace_id, initiator_name, type, run_identity_hash)
                   VALUES (9303, 'x', 'tap.x', repeat('a', 64))$$, '42501', NULL, 'admin may not insert runs directly');
SELECT throws_ok($$INSERT INTO hookreg.operation_types (type, scope) VALUES ('tap.y', 'tenant')$$, '42501', NULL,
    'admin may not write operation_types directly');

-- ---- pg_cron ----
SELECT hookreg_schedule_housekeeping() AS jobid \gset
RESET ROLE;
SELECT results_eq(
    format('SELECT jobname::text COLLATE "default", schedule, command FROM cron.job WHERE jobid = %s', :jobid),
    $$VALUES ('hookreg-reconcile'::text, '*/5 * * * *'::text, 'SELECT * FROM hookreg.reconcile_job()'::text)$$,
    'the pg_cron job runs the entry point hookreg.reconcile_job() every 5 minutes');
SET ROLE tap_ledger_admin;
SELECT is(hookreg_schedule_housekeeping('*/2 * * * *'), :jobid::bigint, 'scheduling again returns the same job');
RESET ROLE;
SELECT results_eq($$SELECT count(*)::int, min(schedule) FROM cron.job WHERE jobname = 'hookreg-reconcile'$$,
    $$VALUES (1, '*/2 * * * *'::text)$$, 'scheduling again updates the one job');

-- ---- a reconcile pass that breaks records it, and touches nothing ----
INSERT INTO hookreg.workspaces (id, name) VALUES (9310, 'tap boom');
CREATE FUNCTION pg_temp.refuse_boom() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status = 'completed' AND OLD.context ? 'boom' THEN
        RAISE EXCEPTION 'boom: disk full';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER tap_refuse_boom BEFORE UPDATE ON hookreg.operation_runs
    FOR EACH ROW EXECUTE FUNCTION pg_temp.refuse_boom();
SELECT run_id AS boom_run FROM opsrun_start(9310, NULL, 'tap.boom', '{}', NULL, NULL, '{"boom": true}') \gset
SELECT ok(opsrun_claim(:boom_run), $$the run to break on is claimed$$);
SELECT results_eq($$SELECT stale_queued, stale_running FROM opsrun_reconcile(now() + interval '1 day') WHERE workspace_id = 9310$$,
    $$VALUES (0, 0)$$, 'a broken pass reports no reconciled run');
SELECT results_eq(format('SELECT status, outcome FROM hookreg.operation_runs WHERE id = %s', :boom_run),
    $$VALUES ('running'::text, 'pending'::text)$$, 'a broken pass leaves the stale runs as they were');
SELECT results_eq($$SELECT status, outcome, failure_summary -> 0 ->> 'code', failure_summary -> 0 ->> 'message'
                      FROM hookreg.operation_runs WHERE workspace_id = 9310 AND type = 'ops.reconcile_adapter_runs'$$,
    $$VALUES ('completed'::text, 'failed'::text, 'reconcile.pass_failed'::text, 'boom: disk full'::text)$$,
    'a broken pass completes its own run failed with reconcile.pass_failed and the error');
DROP TRIGGER tap_refuse_boom ON hookreg.operation_runs;

-- ---- the defaults of a type that is not registered ----
-- The C code's defaults for unregistered types (src/ledger.h) must be the
-- ones the install script declares: the column defaults of
-- hookreg.operation_types (and so opsrun_register_type's argument defaults).
CREATE FUNCTION pg_temp.type_default(col text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    v text;
BEGIN
    EXECUTE 'SELECT (' || (SELECT pg_get_expr(d.adbin, d.adrelid)
                             FROM pg_attrdef d
                             JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
                            WHERE d.adrelid = 'hookreg.operation_types'::regclass AND a.attname = col)
            || ')::text' INTO v;
    RETURN v;
END $$;
SELECT is(opsrun_normalize_counts('tap.unregistered',
              (SELECT jsonb_object_agg(k, 1) || '{"zz_extra": 1}' FROM unnest(pg_temp.type_default('allowed_summary_keys')::text[]) k)),
          (SELECT jsonb_object_agg(k, 1) FROM unnest(pg_temp.type_default('allowed_summary_keys')::text[]) k),
          'an unregistered type keeps exactly the default summary keys of hookreg.operation_types');
SELECT opsrun_register_type('tap.defaults', 'tenant', ARRAY['total']) AS registered \gset
SELECT results_eq($$SELECT queued_timeout, running_timeout FROM hookreg.operation_types WHERE type = 'tap.defaults'$$,
    $$SELECT pg_temp.type_default('queued_timeout')::interval, pg_temp.type_default('running_timeout')::interval$$,
    'opsrun_register_type defaults the timeouts to the column defaults');
INSERT INTO hookreg.workspaces (id, name) VALUES (9320, 'tap defaults');
SELECT run_id AS def_queued FROM opsrun_start(9320, NULL, 'tap.unregistered', '{"q": 1}') \gset
SELECT run_id AS def_running FROM opsrun_start(9320, NULL, 'tap.unregistered', '{"r": 1}') \gset
SELECT opsrun_claim(:def_running) AS claimed \gset
-- four passes, in this order: each sees the runs the earlier ones left
SELECT results_eq(format($$SELECT stale_queued, stale_running FROM opsrun_reconcile(now() + %L::interval %s interval '1 second') WHERE workspace_id = 9320$$,
                         pg_temp.type_default(timeout), sign),
                  want, 'unregistered type: ' || descr)
  FROM (VALUES ('queued_timeout', '-', 'VALUES (0, 0)', 'a queued run is not stale within the default queued_timeout'),
               ('queued_timeout', '+', 'VALUES (1, 0)', 'a queued run is stale after the default queued_timeout'),
               ('running_timeout', '-', 'VALUES (0, 0)', 'a running run is not stale within the default running_timeout'),
               ('running_timeout', '+', 'VALUES (0, 1)', 'a running run is stale after the default running_timeout'))
       AS v(timeout, sign, want, descr);

SELECT * FROM finish();
ROLLBACK;
