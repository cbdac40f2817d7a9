-- test/lib/committed.sql: is every operation that a client logged as
-- committed in the database? Read by test/suites/crash.sh and failover.sh
-- through hr_committed_missing (test/lib/invariants.sh). Standard input: one
-- line per committed operation, "KIND<TAB>HOOK<TAB>ID<TAB>A<TAB>B":
--   release HOOK RELEASE-ID VERSION; set_live HOOK TO-RELEASE-ID FROM TO
--   (FROM = TO: a no-op move, nothing to find); run HOOK RUN-ID SUBJECT (its
--   feature row, in the feature table named after the hook, is looked for
--   too); ops_start, ops_claim, ops_complete with the operation run's ID.
-- Prints "M of N (counts per kind)", M the operations not found.
-- psql variables: hook_a and hook_b, the two hooks of the workload.
SET enable_indexscan = off;
SET enable_bitmapscan = off;
SET enable_indexonlyscan = off;
CREATE TEMP TABLE committed (kind text, hook text, id text, a text, b text);
\copy committed FROM pstdin
SELECT count(*) FILTER (WHERE NOT present) || ' of ' || count(*) || ' ('
       || (SELECT string_agg(n || ' ' || kind, ', ' ORDER BY kind)
             FROM (SELECT kind, count(*) AS n FROM committed GROUP BY kind) k) || ')'
  FROM (SELECT c.kind, CASE c.kind
    WHEN 'release' THEN EXISTS (SELECT 1 FROM hookreg.hook_releases r
                                 WHERE r.id = c.id::uuid AND r.hook_name = c.hook
                                   AND r.version = c.a::int)
    WHEN 'set_live' THEN c.a = c.b OR EXISTS (
                           SELECT 1 FROM hookreg.live_moves m
                            WHERE m.hook_name = c.hook AND m.to_release_id = c.id::uuid
                              AND m.reason = 'set_live')
    WHEN 'run' THEN EXISTS (SELECT 1 FROM hookreg.hook_runs r WHERE r.id = c.id::uuid)
                AND CASE c.hook
                      WHEN :'hook_a' THEN EXISTS (SELECT 1 FROM hookreg_features.:"hook_a" f
                                                   WHERE f.run_id = c.id::uuid AND f.subject = c.a)
                      ELSE EXISTS (SELECT 1 FROM hookreg_features.:"hook_b" f
                                    WHERE f.run_id = c.id::uuid AND f.subject = c.a)
                    END
    WHEN 'ops_start' THEN EXISTS (SELECT 1 FROM hookreg.operation_runs o WHERE o.id = c.id::bigint)
    WHEN 'ops_claim' THEN EXISTS (SELECT 1 FROM hookreg.operation_runs o
                                   WHERE o.id = c.id::bigint AND o.status IN ('running', 'completed'))
    WHEN 'ops_complete' THEN EXISTS (SELECT 1 FROM hookreg.operation_runs o
                                      WHERE o.id = c.id::bigint AND o.status = 'completed'
                                        AND o.outcome = 'succeeded')
    ELSE false END AS present
  FROM committed c) s;
