-- Operating it: views for the on-call engineer and the DBA (see
-- doc/operations.md). Each reads through indexes: the active runs through the
-- two partial unique indexes of the active-run dedupe, failures and retention
-- through operation_runs_completed_outcome_idx, the reconciler's passes
-- through operation_runs_reconcile_passes_idx, registry moves through
-- live_moves_hook_time_idx.

-- The pg_cron jobs of hookreg's housekeeping, read as the extension owner
-- (pg_cron shows a job to the role that scheduled it only); no row when
-- pg_cron is not installed. Internal: the views below use it.
CREATE FUNCTION hookreg.housekeeping_cron_jobs()
    RETURNS TABLE (job text, jobid bigint, schedule text, active boolean,
                   next_run_at timestamptz, last_run_started_at timestamptz,
                   last_run_status text, last_run_message text)
    LANGUAGE C STABLE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'hookreg_housekeeping_cron_jobs_v2';
COMMENT ON FUNCTION hookreg.housekeeping_cron_jobs() IS
    'internal: hookreg''s pg_cron jobs with their next and last run; no row without pg_cron';
REVOKE ALL ON FUNCTION hookreg.housekeeping_cron_jobs() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hookreg.housekeeping_cron_jobs() TO hookreg_reader, hookreg_ops_writer;

-- Queued and running runs: age, last heartbeat, and when the reconciler
-- will call them stale (the same rule as opsrun_reconcile).
CREATE VIEW hookreg.active_runs AS
SELECT q.id AS run_id,
       q.workspace_id,
       q.tenant_id,
       q.type,
       q.status,
       q.initiator_name,
       q.user_id,
       q.created_at,
       q.started_at,
       CASE WHEN q.status OPERATOR(pg_catalog.=) 'running' THEN q.updated_at END AS last_heartbeat_at,
       (pg_catalog.now() OPERATOR(pg_catalog.-) q.created_at) AS age,
       s.stale_at,
       (s.stale_at OPERATOR(pg_catalog.<) pg_catalog.now()) AS is_stale,
       q.summary_counts
  FROM (SELECT r.* FROM hookreg.operation_runs r
         WHERE r.tenant_id IS NOT NULL
           AND r.status OPERATOR(pg_catalog.=) ANY (ARRAY['queued', 'running'])
        UNION ALL
        SELECT r.* FROM hookreg.operation_runs r
         WHERE r.tenant_id IS NULL
           AND r.status OPERATOR(pg_catalog.=) ANY (ARRAY['queued', 'running'])) q
  LEFT JOIN hookreg.operation_types ot ON ot.type OPERATOR(pg_catalog.=) q.type
 CROSS JOIN LATERAL (
       SELECT CASE q.status
                WHEN 'queued' THEN (q.created_at OPERATOR(pg_catalog.+)
                                    COALESCE(ot.queued_timeout, '1 hour'::interval))
                ELSE (q.updated_at OPERATOR(pg_catalog.+) COALESCE(ot.running_timeout, '2 hours'::interval))
              END AS stale_at) s;

-- Failure entries of the runs completed in the last 24 hours (any outcome
-- but succeeded), by type and code.
CREATE VIEW hookreg.recent_failures AS
SELECT r.type,
       f.code,
       pg_catalog.count(DISTINCT r.id) AS runs,
       pg_catalog.sum(COALESCE(f.count, 1)) AS occurrences,
       (pg_catalog.count(DISTINCT r.id) FILTER (
            WHERE r.completed_at OPERATOR(pg_catalog.>=)
                  (pg_catalog.now() OPERATOR(pg_catalog.-) '1 hour'::interval))) AS runs_last_hour,
       pg_catalog.min(r.completed_at) AS first_seen,
       pg_catalog.max(r.completed_at) AS last_seen,
       (pg_catalog.array_agg(f.message ORDER BY r.completed_at DESC, r.id DESC))[1] AS sample_message,
       (pg_catalog.array_agg(r.id ORDER BY r.completed_at DESC, r.id DESC))[1] AS last_run_id
  FROM hookreg.operation_runs r
 CROSS JOIN LATERAL pg_catalog.jsonb_to_recordset(r.failure_summary) AS f(code text, message text, count bigint)
 WHERE r.status OPERATOR(pg_catalog.=) 'completed'
   AND r.outcome OPERATOR(pg_catalog.=) ANY (ARRAY['partially_succeeded', 'failed', 'cancelled', 'blocked'])
   AND r.completed_at OPERATOR(pg_catalog.>=) (pg_catalog.now() OPERATOR(pg_catalog.-) '24 hours'::interval)
 GROUP BY r.type, f.code;

-- Per workspace: the reconciler's last pass, the runs stale now, and the
-- pg_cron job that runs the next pass.
CREATE VIEW hookreg.housekeeping_health AS
-- the job is read once per query, not once per workspace
WITH j AS MATERIALIZED (
       SELECT c.jobid, c.schedule, c.active, c.next_run_at
         FROM hookreg.housekeeping_cron_jobs() c
        WHERE c.job OPERATOR(pg_catalog.=) 'reconcile'
        ORDER BY c.jobid LIMIT 1)
SELECT w.id AS workspace_id,
       w.name AS workspace_name,
       p.id AS last_pass_run_id,
       p.created_at AS last_pass_at,
       p.status AS last_pass_status,
       p.outcome AS last_pass_outcome,
       p.summary_counts AS last_pass_counts,
       (p.failure_summary OPERATOR(pg_catalog.->) 0) OPERATOR(pg_catalog.->>) 'code' AS last_pass_failure_code,
       COALESCE(a.active_runs, 0) AS active_runs,
       COALESCE(a.stale_runs, 0) AS stale_runs,
       j.jobid IS NOT NULL AS scheduled,
       j.schedule,
       j.active AS schedule_active,
       j.next_run_at AS next_pass_at,
       CASE
         WHEN j.jobid IS NULL THEN 'not scheduled'
         WHEN NOT j.active THEN 'schedule inactive'
         WHEN p.outcome OPERATOR(pg_catalog.=) 'failed' THEN 'last pass failed'
         WHEN COALESCE(a.stale_runs, 0) OPERATOR(pg_catalog.>) 0 THEN 'stale runs'
         ELSE 'ok'
       END AS health
  FROM hookreg.workspaces w
  LEFT JOIN LATERAL (
       SELECT r.id, r.created_at, r.status, r.outcome, r.summary_counts, r.failure_summary
         FROM hookreg.operation_runs r
        WHERE r.workspace_id OPERATOR(pg_catalog.=) w.id
          AND r.type OPERATOR(pg_catalog.=) 'ops.reconcile_adapter_runs'
        ORDER BY r.created_at DESC, r.id DESC
        LIMIT 1) p ON true
  LEFT JOIN (SELECT ar.workspace_id,
                    pg_catalog.count(*) AS active_runs,
                    pg_catalog.count(*) FILTER (WHERE ar.is_stale) AS stale_runs
               FROM hookreg.active_runs ar
              GROUP BY ar.workspace_id) a ON a.workspace_id OPERATOR(pg_catalog.=) w.id
  LEFT JOIN j ON true;

-- Per hook: releases and live-pointer moves in the last 24 hours and 7 days.
CREATE VIEW hookreg.registry_activity AS
SELECT h.name AS hook_name,
       cur.version AS live_version,
       COALESCE(m.releases_24h, 0) AS releases_24h,
       COALESCE(m.set_live_24h, 0) AS set_live_24h,
       COALESCE(m.releases_7d, 0) AS releases_7d,
       COALESCE(m.set_live_7d, 0) AS set_live_7d,
       lp.last_version,
       lp.moved_at AS last_move_at,
       lm.reason AS last_move_reason,
       lm.moved_by AS last_moved_by
  FROM hookreg.hooks h
  LEFT JOIN hookreg.live_pointers lp ON lp.hook_name OPERATOR(pg_catalog.=) h.name
  LEFT JOIN hookreg.hook_releases cur ON cur.id OPERATOR(pg_catalog.=) lp.live_release_id
  LEFT JOIN LATERAL (
       SELECT pg_catalog.count(*) FILTER (WHERE mv.reason OPERATOR(pg_catalog.=) 'release'
                  AND mv.moved_at OPERATOR(pg_catalog.>=) (pg_catalog.now() OPERATOR(pg_catalog.-) '24 hours'::interval))
                  AS releases_24h,
              pg_catalog.count(*) FILTER (WHERE mv.reason OPERATOR(pg_catalog.=) 'set_live'
                  AND mv.moved_at OPERATOR(pg_catalog.>=) (pg_catalog.now() OPERATOR(pg_catalog.-) '24 hours'::interval))
                  AS set_live_24h,
              pg_catalog.count(*) FILTER (WHERE mv.reason OPERATOR(pg_catalog.=) 'release') AS releases_7d,
              pg_catalog.count(*) FILTER (WHERE mv.reason OPERATOR(pg_catalog.=) 'set_live') AS set_live_7d
         FROM hookreg.live_moves mv
        WHERE mv.hook_name OPERATOR(pg_catalog.=) h.name
          AND mv.moved_at OPERATOR(pg_catalog.>=) (pg_catalog.now() OPERATOR(pg_catalog.-) '7 days'::interval)) m ON true
  LEFT JOIN LATERAL (
       SELECT mv.reason, mv.moved_by FROM hookreg.live_moves mv
        WHERE mv.hook_name OPERATOR(pg_catalog.=) h.name
        ORDER BY mv.moved_at DESC, mv.id DESC
        LIMIT 1) lm ON true;

REVOKE ALL ON hookreg.active_runs, hookreg.recent_failures, hookreg.housekeeping_health,
              hookreg.registry_activity FROM PUBLIC;
GRANT SELECT ON hookreg.active_runs, hookreg.recent_failures, hookreg.housekeeping_health,
                hookreg.registry_activity TO hookreg_reader, hookreg_ops_writer;

-- hookreg's pg_cron jobs (reconcile, prune): schedule, next and last run.
CREATE VIEW hookreg.housekeeping_jobs AS
SELECT j.job, j.jobid, j.schedule, j.active, j.next_run_at,
       j.last_run_started_at, j.last_run_status, j.last_run_message
  FROM hookreg.housekeeping_cron_jobs() j;
REVOKE ALL ON hookreg.housekeeping_jobs FROM PUBLIC;
GRANT SELECT ON hookreg.housekeeping_jobs TO hookreg_reader, hookreg_ops_writer;
