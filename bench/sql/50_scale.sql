-- bench/sql/50_scale.sql: history for the scale phase, loaded set-based as
-- the owner (the append-only triggers refuse only UPDATE, DELETE and
-- TRUNCATE). Into hookreg and the floor (the scale phase compares hookreg
-- with itself on small tables, and shows the floor for context):
--   :per_hook releases for each of the 1,000 hooks (1,000 each = 1,000,000),
--     appended after each hook's last version, so versions stay gap-free
--   :runs hook_runs against the preloaded releases
--   :runs completed operation_runs (older than any cooldown)
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

CREATE TEMP TABLE scale_rel AS
SELECT md5('scale/' || p.hook_name || '/' || v)::uuid AS id, p.hook_name, p.last_version + v AS version,
       bench.image(p.hook_name) AS image,
       'sha256:' || lpad(to_hex(1099511627776 + substr(p.hook_name, 2)::bigint * 10000000 + v), 64, '0') AS digest,
       now() - interval '60 days' + v * interval '1 second' AS built_at
  FROM hookreg.live_pointers p, generate_series(1, :per_hook) v
 WHERE p.hook_name LIKE 'b%';

INSERT INTO hookreg.hook_releases (id, hook_name, version, image, digest, config, limits, release_digest,
                                   source_ref, built_by, built_at)
SELECT id, hook_name, version, image, digest, '{}', bench.default_limits(),
       bench.release_digest(image, digest), 'git-bench-scale', 'bench', built_at
  FROM scale_rel ORDER BY hook_name, version;
UPDATE hookreg.live_pointers p SET last_version = m.mv
  FROM (SELECT hook_name, max(version) AS mv FROM scale_rel GROUP BY 1) m
 WHERE p.hook_name = m.hook_name;
-- the floor's own versions come from its sequence
INSERT INTO floor.hook_releases
SELECT * FROM hookreg.hook_releases WHERE source_ref = 'git-bench-scale';

CREATE FUNCTION pg_temp.scale_runs(s text, n bigint) RETURNS void
    LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format($q$
        INSERT INTO %I.hook_runs (id, release_id, status, started_at, finished_at, duration_s, oom_retries,
                                  log_ref, recorded_at)
        SELECT md5('scalerun/' || g)::uuid, bench.rel_id('b' || (1000 + g %% 1000), (1 + (g / 1000) %% 10)::int), 'passed',
               ts, ts + interval '3 seconds', 3, 0, NULL, ts + interval '3 seconds'
          FROM generate_series(1, $1) g,
               LATERAL (SELECT now() - interval '60 days' + g * interval '1 second' AS ts) t $q$, s) USING n;
END $$;
SELECT pg_temp.scale_runs('hookreg', :runs), pg_temp.scale_runs('floor', :runs);

CREATE FUNCTION pg_temp.scale_ledger(s text, n bigint) RETURNS void
    LANGUAGE plpgsql AS $$
BEGIN
    IF to_regclass(format('%I.operation_runs', s)) IS NULL THEN
        RETURN;
    END IF;
    EXECUTE format($q$
        INSERT INTO %I.operation_runs (workspace_id, tenant_id, initiator_name, type, status, outcome,
                   run_identity_hash, summary_counts, failure_summary, context,
                   started_at, completed_at, created_at, updated_at)
        SELECT (g %% 1000) / 100 + 1, (g %% 1000) + 1, 'bench', 'assignments.fetch', 'completed', 'succeeded',
               lpad(to_hex(844424930131968 + g), 64, '0'), '{"total": 1, "processed": 1, "succeeded": 1}', '[]', '{}',
               ts, ts + interval '1 minute', ts, ts + interval '1 minute'
          FROM generate_series(1, $1) g,
               LATERAL (SELECT now() - interval '40 days' + g * interval '1 second' AS ts) t $q$, s) USING n;
END $$;
SELECT pg_temp.scale_ledger('hookreg', :runs), pg_temp.scale_ledger('floor', :runs);

-- For the operations views: a day of failures (1% of the runs, in the last
-- 24 hours) and the reconciler's passes (one per workspace every 5 minutes
-- over the 40 days), as a busy ledger has them.
SELECT to_regclass('hookreg.operation_runs') IS NOT NULL AS have_ops_ledger \gset
\if :have_ops_ledger
INSERT INTO hookreg.operation_runs (workspace_id, tenant_id, initiator_name, type, status, outcome,
           run_identity_hash, summary_counts, failure_summary, context, started_at, completed_at, created_at, updated_at)
SELECT (g % 1000) / 100 + 1, (g % 1000) + 1, 'bench', 'assignments.fetch', 'completed', 'failed',
       lpad(to_hex(562949953421312 + g), 64, '0'), '{}',
       jsonb_build_array(jsonb_build_object('code', 'upstream.' || (g % 7), 'message', 'upstream said no', 'count', 1)), '{}',
       ts, ts, ts, ts
  FROM generate_series(1, :runs / 100) g,
       LATERAL (SELECT now() - interval '1 day' + g * (interval '1 day' / (:runs / 100 + 1)) AS ts) t;
INSERT INTO hookreg.operation_runs (workspace_id, tenant_id, initiator_name, type, status, outcome,
           run_identity_hash, summary_counts, failure_summary, context, started_at, completed_at, created_at, updated_at)
SELECT w.id, NULL, 'bench', 'ops.reconcile_adapter_runs', 'completed', 'succeeded',
       lpad(to_hex(281474976710656 + w.id * 100000 + g), 64, '0'), '{"total": 1, "processed": 1, "failed": 0}', '[]', '{}',
       ts, ts, ts, ts
  FROM hookreg.workspaces w, generate_series(1, 40 * 288) g,
       LATERAL (SELECT now() - interval '40 days' + g * interval '5 minutes' AS ts) t;
\endif

VACUUM ANALYZE hookreg.hook_releases, hookreg.live_pointers, hookreg.hook_runs,
               floor.hook_releases, floor.live_pointers, floor.hook_runs;
SELECT to_regclass('hookreg.operation_runs') IS NOT NULL AS have_ledger \gset
\if :have_ledger
VACUUM ANALYZE hookreg.operation_runs, floor.operation_runs;
\endif
CHECKPOINT;
