-- test/lib/invariants.sql: the registry's and the ledger's invariants after
-- a crash or a failover, read by test/suites/crash.sh and failover.sh through
-- hr_invariants (test/lib/invariants.sh). psql variables: hook_a and hook_b,
-- the two hooks of the workload, each with a feature table of its name.
-- One line per invariant: "VIOLATIONS<TAB>what holds"; 0 violations is a pass.
--
-- Seq scans only: the invariants are read from the heap, not from the
-- indexes whose consistency is one of the things being checked.
SET enable_indexscan = off;
SET enable_bitmapscan = off;
SET enable_indexonlyscan = off;

SELECT count(*) || E'\tversions are gap-free per hook'
  FROM (SELECT hook_name FROM hookreg.hook_releases GROUP BY hook_name
        HAVING min(version) <> 1 OR max(version) <> count(*)
            OR count(DISTINCT version) <> count(*)) s;

SELECT count(*) || E'\tevery live pointer references a release of its own hook, with its version'
  FROM hookreg.hook_catalog c
  LEFT JOIN hookreg.hook_releases r ON r.id = c.live_release_id
 WHERE c.name IN (:'hook_a', :'hook_b')
   AND (c.live_release_id IS NULL OR r.id IS NULL OR r.hook_name <> c.name
        OR r.version <> c.live_version);

WITH m AS (
  SELECT hook_name, from_release_id, to_release_id,
         lag(to_release_id) OVER w AS prev_to,
         row_number() OVER w AS n,
         count(*) OVER (PARTITION BY hook_name) AS total
    FROM hookreg.live_moves
  WINDOW w AS (PARTITION BY hook_name ORDER BY id))
SELECT (SELECT count(*) FROM m WHERE from_release_id IS DISTINCT FROM prev_to)
     + (SELECT count(*) FROM hookreg.hook_catalog c
          LEFT JOIN m ON m.hook_name = c.name AND m.n = m.total
         WHERE c.live_release_id IS DISTINCT FROM m.to_release_id)
    || E'\tlive_moves is one chain per hook whose last move points where the pointer points';

SELECT count(*) || E'\tat most one active run per identity and scope (counted from the heap)'
  FROM (SELECT workspace_id, tenant_id, run_identity_hash FROM hookreg.operation_runs
         WHERE status IN ('queued', 'running')
         GROUP BY workspace_id, tenant_id, run_identity_hash HAVING count(*) > 1) s;

SELECT (SELECT count(*) FROM hookreg_features.:"hook_a" f
         WHERE NOT EXISTS (SELECT 1 FROM hookreg.hook_runs r
                             JOIN hookreg.hook_releases l ON l.id = r.release_id
                            WHERE r.id = f.run_id AND l.hook_name = :'hook_a'))
     + (SELECT count(*) FROM hookreg_features.:"hook_b" f
         WHERE NOT EXISTS (SELECT 1 FROM hookreg.hook_runs r
                             JOIN hookreg.hook_releases l ON l.id = r.release_id
                            WHERE r.id = f.run_id AND l.hook_name = :'hook_b'))
    || E'\tevery feature row names an existing run of its own hook (the provenance trigger held)';
