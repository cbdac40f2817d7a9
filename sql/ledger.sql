-- Operation-run ledger (SPEC 3): tables, identity hash, the run life cycle,
-- counters, retention and the pg_cron hook. Run ids and timestamps are kept
-- out of the output: they are compared, never printed.

-- SQLSTATE of a statement, for errors whose message would carry an id.
CREATE FUNCTION pg_temp.sqlstate_of(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE q;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE;
END
$$;

-- The installed operation types and their defaults.
SELECT type, scope, cooldown, queued_timeout, running_timeout, allowed_summary_keys
  FROM hookreg.operation_types ORDER BY type;

-- Workspaces and tenants; a tenant's external_id must be a UUID v4.
INSERT INTO hookreg.workspaces (id, name) VALUES (9101, 'ledger ws one'), (9102, 'ledger ws two');
INSERT INTO hookreg.tenants (id, workspace_id, external_id, name) VALUES
    (9201, 9101, 'f47ac10b-58cc-4372-a567-0e02b2c3d479', 'tenant one'),
    (9202, 9102, '9c5b94b1-35ad-49bb-b118-8e8fc24abf80', 'tenant two');
\set VERBOSITY terse
INSERT INTO hookreg.tenants (workspace_id, external_id) VALUES (9101, '6ba7b810-9dad-11d1-80b4-00c04fd430c8');
INSERT INTO hookreg.tenants (workspace_id, external_id) VALUES (9101, 'f47ac10b-58cc-4372-c567-0e02b2c3d479');
\set VERBOSITY default
SELECT opsrun_is_uuid_v4('f47ac10b-58cc-4372-a567-0e02b2c3d479') AS v4,
       opsrun_is_uuid_v4('6ba7b810-9dad-11d1-80b4-00c04fd430c8') AS v1,
       opsrun_is_uuid_v4('f47ac10b-58cc-4372-c567-0e02b2c3d479') AS wrong_variant;

-- Identity hash: SHA-256 of the canonical JSON; key order and white space of
-- the identity do not matter, array order does.
SELECT opsrun_identity_hash(9101, 9201, 'assignments.fetch', '{"b": 1, "a": [1, 2]}')
     = encode(sha256(convert_to('{"identity":{"a":[1,2],"b":1},"scope":"tenant:9201","type":"assignments.fetch"}', 'UTF8')), 'hex')
       AS tenant_canonical,
       opsrun_identity_hash(9101, NULL, 'ops.reconcile_adapter_runs', '{}')
     = encode(sha256(convert_to('{"identity":{},"scope":"workspace:9101","type":"ops.reconcile_adapter_runs"}', 'UTF8')), 'hex')
       AS workspace_canonical,
       opsrun_identity_hash(9101, 9201, 'x.y', '{"b":{"d":1,"c":"é"},"a":[1,2]}')
     = opsrun_identity_hash(9101, 9201, 'x.y', '{ "a" : [1,2] , "b" : {"c":"é","d":1} }') AS order_free,
       opsrun_identity_hash(9101, 9201, 'x.y', '[1,2]')
     = opsrun_identity_hash(9101, 9201, 'x.y', '[2,1]') AS array_order_ignored,
       opsrun_identity_hash(9101, 9201, 'x.y', '{}')
     = opsrun_identity_hash(9101, NULL, 'x.y', '{}') AS scopes_collide,
       opsrun_identity_hash(9101, 9201, 'x.y', '{}') ~ '^[0-9a-f]{64}$' AS lowercase_hex;
SELECT opsrun_identity_hash(9101, 9201, 'Not-A-Type', '{}');
SELECT opsrun_identity_hash(NULL, 9201, 'x.y', '{}');

-- start: a new queued run; the same identity again is the same run, reused.
SELECT run_id AS run1, status, outcome, reused, length(run_identity_hash) AS hash_len
  FROM opsrun_start(9101, 9201, 'assignments.fetch', '{"list": "all"}', context => '{"source": "nightly", "api_key": "k-123", "nested": {"password": "p", "keep": 1}}') \gset
SELECT :'status' AS status, :'outcome' AS outcome, :'reused' AS reused, :hash_len AS hash_len;
SELECT run_id = :run1 AS same_run, status, reused
  FROM opsrun_start(9101, 9201, 'assignments.fetch', '{ "list" : "all" }', 'someone else');
-- A dedupe hit writes nothing: the transaction gets no transaction id.
BEGIN;
SELECT reused FROM opsrun_start(9101, 9201, 'assignments.fetch', '{"list": "all"}');
SELECT pg_current_xact_id_if_assigned() IS NULL AS wrote_nothing;
COMMIT;
SELECT initiator_name = current_user AS initiator_is_caller, context, user_id,
       started_at IS NULL AS not_started, completed_at IS NULL AS not_completed
  FROM hookreg.operation_runs WHERE id = :run1;
-- Another identity is another run; so is the same identity of another tenant.
SELECT run_id <> :run1 AS new_run, reused
  FROM opsrun_start(9101, 9201, 'assignments.fetch', '{"list": "some"}', 'ann', 42);
SELECT initiator_name, user_id FROM hookreg.operation_runs
 WHERE tenant_id = 9201 AND run_identity_hash = opsrun_identity_hash(9101, 9201, 'assignments.fetch', '{"list": "some"}');
SELECT run_id <> :run1 AS new_run, reused
  FROM opsrun_start(9102, 9202, 'assignments.fetch', '{"list": "all"}');

-- Scope: workspace-scoped types take no tenant, tenant-scoped ones need one;
-- unregistered types follow the tenant argument.
SELECT * FROM opsrun_start(9101, 9201, 'ops.reconcile_adapter_runs');
SELECT * FROM opsrun_start(9101, NULL, 'assignments.fetch');
SELECT run_id AS wsrun, reused FROM opsrun_start(9101, NULL, 'ledgertest.export', '{"k": 1}') \gset
SELECT :'reused' AS reused, tenant_id IS NULL AS workspace_scoped FROM hookreg.operation_runs WHERE id = :wsrun;
SELECT run_id = :wsrun AS same_run, reused FROM opsrun_start(9101, NULL, 'ledgertest.export', '{"k": 1}');

-- Unknown workspace or tenant: P0002; a tenant of another workspace: 22023.
SELECT * FROM opsrun_start(9999, NULL, 'ledgertest.export');
SELECT * FROM opsrun_start(9101, 9999, 'ledgertest.export');
SELECT * FROM opsrun_start(9102, 9201, 'ledgertest.export');
-- ... also when the identity has an active run in the tenant's own workspace.
SELECT * FROM opsrun_start(9102, 9201, 'assignments.fetch', '{"list": "all"}');
-- Bad type, bad context.
SELECT * FROM opsrun_start(9101, 9201, 'fetch');
SELECT * FROM opsrun_start(9101, 9201, 'x.y', '{}', NULL, NULL, '[1]');
SELECT * FROM opsrun_start(9101, NULL, NULL);

-- claim: true only for the call that moves queued -> running.
SELECT opsrun_claim(:run1) AS first_claim, opsrun_claim(:run1) AS second_claim;
SELECT status, outcome, started_at IS NOT NULL AS started FROM hookreg.operation_runs WHERE id = :run1;
SELECT pg_temp.sqlstate_of('SELECT opsrun_claim(999999999)') AS unknown_run;
-- A running run is still the active run of its identity.
SELECT run_id = :run1 AS same_run, status, reused
  FROM opsrun_start(9101, 9201, 'assignments.fetch', '{"list": "all"}');

-- heartbeat: marks alive, replaces counters when given (normalized).
UPDATE hookreg.operation_runs SET updated_at = now() - interval '1 hour' WHERE id = :run1;
SELECT opsrun_heartbeat(:run1);
SELECT updated_at > now() - interval '1 minute' AS heartbeat_marks_alive FROM hookreg.operation_runs WHERE id = :run1;
SELECT opsrun_heartbeat(:run1, '{"total": 10, "processed": 4}');
SELECT summary_counts FROM hookreg.operation_runs WHERE id = :run1;
SELECT opsrun_heartbeat(:run1, '{"total": 10, "processed": "5", "bogus": 1}');
SELECT summary_counts FROM hookreg.operation_runs WHERE id = :run1;
-- Not running: 55000 (queued), unknown: P0002.
SELECT run_id AS queued_run FROM opsrun_start(9101, 9201, 'assignments.restore') \gset
SELECT pg_temp.sqlstate_of(format('SELECT opsrun_heartbeat(%s)', :queued_run)) AS heartbeat_queued,
       pg_temp.sqlstate_of(format('SELECT opsrun_heartbeat(%s, %L)', :queued_run, '{"total": 1}')) AS heartbeat_queued_counts,
       pg_temp.sqlstate_of('SELECT opsrun_heartbeat(999999999)') AS heartbeat_unknown;

-- complete: terminal outcome, final counters overwrite, failures sanitized.
SELECT status, outcome, summary_counts, failure_summary, completed_at IS NOT NULL AS completed
  FROM opsrun_complete(:run1, 'partially_succeeded', '{"total": 10, "processed": 9, "failed": 1}',
                       '[{"code": "Graph.Throttled", "message": "429 from Graph"},
                         {"code": "graph.throttled", "message": "429  from Graph", "count": 2},
                         {"code": "http.401", "message": "GET https://graph.example.com/v1?access_token=abc123 failed; password=hunter2"}]');
SELECT status, outcome, completed_at IS NOT NULL AS has_completed_at
  FROM hookreg.operation_runs WHERE id = :run1;
-- Completed is terminal: 55000 for complete, fail, heartbeat; claim says false.
SELECT pg_temp.sqlstate_of(format('SELECT * FROM opsrun_complete(%s, %L)', :run1, 'succeeded')) AS complete_again,
       pg_temp.sqlstate_of(format('SELECT opsrun_fail(%s, %L, %L)', :run1, 'x', 'y')) AS fail_again,
       pg_temp.sqlstate_of(format('SELECT opsrun_heartbeat(%s)', :run1)) AS heartbeat_completed,
       opsrun_claim(:run1) AS claim_completed;
-- Bad outcome, bad failure summary, unknown run.
SELECT pg_temp.sqlstate_of(format('SELECT * FROM opsrun_complete(%s, %L)', :queued_run, 'pending')) AS pending_outcome,
       pg_temp.sqlstate_of(format('SELECT * FROM opsrun_complete(%s, %L)', :queued_run, 'done')) AS unknown_outcome,
       pg_temp.sqlstate_of(format('SELECT * FROM opsrun_complete(%s, %L, %L, %L)', :queued_run, 'failed', '{}', '{"code": "x"}')) AS failures_not_array,
       pg_temp.sqlstate_of(format('SELECT * FROM opsrun_complete(%s, %L, %L)', :queued_run, 'succeeded', '[1]')) AS counts_not_object,
       pg_temp.sqlstate_of('SELECT * FROM opsrun_complete(999999999, ''succeeded'')') AS unknown_run;
-- A queued run can be completed directly; failed with no summary gets unknown_error.
SELECT status, outcome, failure_summary -> 0 ->> 'code' AS code, jsonb_array_length(failure_summary) AS entries
  FROM opsrun_complete(:queued_run, 'failed');

-- Stored failure summaries are capped: at most 50 entries (first seen kept),
-- messages at most 500 characters, a multibyte character never split.
SELECT run_id AS capped_run FROM opsrun_start(9101, 9201, 'ledgertest.caps') \gset
SELECT jsonb_array_length(failure_summary) AS entries,
       failure_summary -> 0 ->> 'code' AS first_code, failure_summary -> 49 ->> 'code' AS last_code,
       length(failure_summary -> 0 ->> 'message') AS message_chars,
       right(failure_summary -> 0 ->> 'message', 3) AS message_end
  FROM opsrun_complete(:capped_run, 'failed', '{}',
       (SELECT jsonb_agg(jsonb_build_object('code', 'err.e' || g, 'message', repeat('é', 600)) ORDER BY g)
          FROM generate_series(1, 60) g));

-- fail: shorthand, one sanitized entry, counters kept.
SELECT run_id AS failrun FROM opsrun_start(9101, 9201, 'ledgertest.sync', '{"n": 1}') \gset
SELECT opsrun_claim(:failrun) AS claimed;
SELECT opsrun_heartbeat(:failrun, '{"items": 3}');
SELECT opsrun_fail(:failrun, 'Graph.Unauthorized', 'token rejected: Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl for admin@example.com');
SELECT status, outcome, summary_counts, failure_summary
  FROM hookreg.operation_runs WHERE id = :failrun;

-- A completed run frees its identity: the next start creates a new run
-- (ledgertest.sync has no cooldown) ...
SELECT run_id <> :failrun AS new_run, status, reused FROM opsrun_start(9101, 9201, 'ledgertest.sync', '{"n": 1}');
-- ... but within a type's cooldown the completed run is returned, reused.
BEGIN;
SELECT run_id = :run1 AS cooled_down_run, status, outcome, reused
  FROM opsrun_start(9101, 9201, 'assignments.fetch', '{"list": "all"}');
SELECT pg_current_xact_id_if_assigned() IS NULL AS wrote_nothing;
COMMIT;

-- Counter normalization: allowed keys only, non-negative integers (numbers
-- or digit strings with an integral value), clamped at 2^53, sorted keys,
-- one WARNING naming what was dropped.
SELECT opsrun_normalize_counts('assignments.fetch',
    '{"total": 7, "processed": 7.0, "failed": "3", "skipped": 0, "items": 1e30,
      "created": 9007199254740993, "updated": "00012", "deleted": 99999999999999999999999}');
SELECT opsrun_normalize_counts('assignments.fetch',
    '{"total": -1, "processed": 2.5, "failed": "3.0", "skipped": "x", "items": true,
      "created": null, "updated": [1], "deleted": {"n": 1}, "secret_sauce": 1, "tenants": 4}');
SELECT opsrun_normalize_counts('ledgertest.unregistered', '{"total": 1, "tenants": 2, "rows": 3}');
SELECT opsrun_normalize_counts('assignments.fetch', '{}') AS empty;
SELECT opsrun_normalize_counts('assignments.fetch', '[1, 2]');
SELECT opsrun_normalize_counts('assignments.fetch', NULL) IS NULL AS strict;

-- register_type: upsert; a registered type's keys and scope are used.
SELECT opsrun_register_type('ledgertest.sync', 'tenant', ARRAY['rows', 'total'], NULL, '10 minutes', '20 minutes', 'Sync');
SELECT opsrun_normalize_counts('ledgertest.sync', '{"rows": 5, "items": 1}');
SELECT opsrun_register_type('ledgertest.sync', 'workspace', ARRAY['rows'], '1 minute');
SELECT type, scope, allowed_summary_keys, cooldown, queued_timeout, running_timeout, label
  FROM hookreg.operation_types WHERE type = 'ledgertest.sync';
SELECT opsrun_register_type('Bad', 'tenant', ARRAY['x']);
SELECT opsrun_register_type('ledgertest.bad', 'global', ARRAY['x']);
SELECT opsrun_register_type('ledgertest.bad', 'tenant', ARRAY['Bad Key']);
SELECT opsrun_register_type('ledgertest.bad', 'tenant', ARRAY['x'], '-1 minute');
SELECT opsrun_register_type('ledgertest.bad', 'tenant', ARRAY['x'], NULL, '0');
SELECT opsrun_register_type('ledgertest.bad', 'tenant', NULL);

-- reconcile: stale queued (created_at vs queued_timeout) and stale running
-- (updated_at vs running_timeout) runs are failed; fresh ones are not.
SELECT opsrun_register_type('ledgertest.quick', 'tenant', ARRAY['total'], NULL, '5 minutes', '10 minutes');
SELECT run_id AS q_stale FROM opsrun_start(9102, 9202, 'ledgertest.quick', '{"r": "queued"}') \gset
SELECT run_id AS r_stale FROM opsrun_start(9102, 9202, 'ledgertest.quick', '{"r": "running"}') \gset
SELECT run_id AS r_fresh FROM opsrun_start(9102, 9202, 'ledgertest.quick', '{"r": "fresh"}') \gset
SELECT opsrun_claim(:r_stale) AND opsrun_claim(:r_fresh) AS claimed;
-- Age them: the queued one by created_at, the running one by updated_at.
UPDATE hookreg.operation_runs SET created_at = now() - interval '6 minutes' WHERE id = :q_stale;
UPDATE hookreg.operation_runs SET updated_at = now() - interval '11 minutes',
                                  created_at = now() - interval '1 day' WHERE id = :r_stale;
UPDATE hookreg.operation_runs SET created_at = now() - interval '1 day' WHERE id = :r_fresh;
SELECT workspace_id, stale_queued, stale_running, reconcile_run_id IS NOT NULL AS has_run
  FROM opsrun_reconcile() WHERE workspace_id IN (9101, 9102) ORDER BY workspace_id;
SELECT id = :q_stale AS is_q, status, outcome, failure_summary -> 0 ->> 'code' AS code
  FROM hookreg.operation_runs WHERE id IN (:q_stale, :r_stale, :r_fresh) ORDER BY id;
-- The pass's own run per workspace: workspace-scoped, completed succeeded,
-- counting what it examined.
SELECT r.workspace_id, r.tenant_id, r.type, r.status, r.outcome, r.summary_counts
  FROM hookreg.operation_runs r
 WHERE r.type = 'ops.reconcile_adapter_runs' AND r.workspace_id IN (9101, 9102)
 ORDER BY r.workspace_id, r.id;
-- Idempotent: a second pass finds nothing stale.
SELECT workspace_id, stale_queued, stale_running
  FROM opsrun_reconcile() WHERE workspace_id IN (9101, 9102) ORDER BY workspace_id;
SELECT count(*) AS failed_by_reconcile FROM hookreg.operation_runs
 WHERE failure_summary -> 0 ->> 'code' LIKE 'run.stale_%' AND workspace_id = 9102;
-- The now argument: a pass "in the future" sees everything active as stale.
SELECT workspace_id, stale_queued, stale_running
  FROM opsrun_reconcile(now() + interval '1 day') WHERE workspace_id IN (9101, 9102) ORDER BY workspace_id;
SELECT count(*) AS active_left FROM hookreg.operation_runs
 WHERE workspace_id IN (9101, 9102) AND status <> 'completed';

-- prune: only completed runs older than the interval.
SELECT run_id AS keep_active FROM opsrun_start(9101, 9201, 'ledgertest.prune') \gset
UPDATE hookreg.operation_runs SET completed_at = now() - interval '40 days'
 WHERE id = :failrun;
SELECT opsrun_prune('30 days') AS pruned;
SELECT count(*) FILTER (WHERE id = :failrun) AS old_gone, count(*) FILTER (WHERE id = :keep_active) AS active_kept
  FROM hookreg.operation_runs;
-- '0' prunes every completed run except those still holding their cooldown
SELECT opsrun_prune('0') >= 1 AS pruned_all_completed;
SELECT count(*) FILTER (WHERE r.status <> 'completed') AS active_left,
       string_agg(r.type || ' ' || r.outcome, ', ') FILTER (WHERE r.status = 'completed') AS completed_left,
       bool_and(r.status <> 'completed' OR r.completed_at >= now() - t.cooldown) AS only_active_or_cooling
  FROM hookreg.operation_runs r LEFT JOIN hookreg.operation_types t ON t.type = r.type
 WHERE r.workspace_id IN (9101, 9102);
SELECT opsrun_prune('-1 day');

-- The CHECKs hold even for the owner writing directly.
\set VERBOSITY terse
UPDATE hookreg.operation_runs SET status = 'completed' WHERE id = :keep_active;
UPDATE hookreg.operation_runs SET outcome = 'succeeded' WHERE id = :keep_active;
UPDATE hookreg.operation_runs SET completed_at = now() WHERE id = :keep_active;

\set VERBOSITY default

-- pg_cron is not installed in this database: 55000 with a hint.
SELECT hookreg_schedule_housekeeping();

-- Clean up.
DELETE FROM hookreg.operation_runs WHERE workspace_id IN (9101, 9102);
DELETE FROM hookreg.tenants WHERE workspace_id IN (9101, 9102);
DELETE FROM hookreg.workspaces WHERE id IN (9101, 9102);
DELETE FROM hookreg.operation_types WHERE type LIKE 'ledgertest.%';
