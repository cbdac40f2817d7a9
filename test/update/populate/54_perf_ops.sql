-- test/update/populate/54_perf_ops.sql: at 0.1.0, runs whose rows the update
-- checks again when it replaces the SQL expressions of operation_runs'
-- CHECKs (a regular expression, array constants) by their C functions
-- (src/update/hookreg--0.1.0--0.2.0/54_perf_ops.sql): an active, a completed
-- and a workspace-scoped run of a type of their own, in the first tenant's
-- workspace of 00_base.sql (types left unregistered, so no other part's
-- counts change).
SET client_min_messages = error;
SELECT workspace_id AS ws, id AS tn FROM hookreg.tenants ORDER BY id LIMIT 1 \gset
SELECT run_id FROM opsrun_start(:ws, :tn, 'perf.checks', '{"n": 1}', 'perf');
SELECT c.run_id FROM opsrun_start(:ws, :tn, 'perf.checks', '{"n": 2}', 'perf') s,
       opsrun_complete(s.run_id, 'succeeded', '{"total": 1}') c;
SELECT run_id FROM opsrun_start(:ws, NULL, 'perf.checks_ws', '{"n": 3}', 'perf');
