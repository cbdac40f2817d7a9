-- test/update/verify/10_jcs.sql: after the update, on the database that
-- test/update/populate/10_jcs.sql filled at 0.1.0: release digests are RFC
-- 8785 (JCS) digests, releases equal under JCS keep their rows and
-- references, and active runs behave as doc/reference.md says.
BEGIN;
SELECT plan(21);

CREATE FUNCTION pg_temp.jcs_digest(config text, limits text DEFAULT '{"cpu":"0.5","memory":"1g","timeout_seconds":300}')
    RETURNS text LANGUAGE sql AS $$
    SELECT 'sha256:' || encode(sha256(convert_to(
        '{"config":' || config || ',"digest":"sha256:' || repeat('1', 64)
        || '","image":"registry.example.org/jcs","limits":' || limits || '}', 'UTF8')), 'hex') $$;
CREATE FUNCTION pg_temp.digest_of(v int) RETURNS text LANGUAGE sql AS $$
    SELECT release_digest FROM hookreg.hook_releases WHERE hook_name = 'jcs_update' AND version = v $$;
CREATE FUNCTION pg_temp.resubmit(config jsonb, limits jsonb DEFAULT '{}')
    RETURNS TABLE (version int, created boolean, release_digest text) LANGUAGE sql AS $$
    SELECT c.version, c.created, c.release_digest
      FROM hookreg_create_release('jcs_update', 'registry.example.org/jcs', 'sha256:' || repeat('1', 64),
                                  config, limits, 'git:again') c $$;

-- Equal under JCS: the older keeps the digest, the later one is marked.
SELECT is(pg_temp.digest_of(1), pg_temp.jcs_digest('{"a":1}'), 'v1 {"a": 1.0} has the JCS digest of {"a":1}');
SELECT is(pg_temp.digest_of(2), pg_temp.jcs_digest('{"a":1}') || '~v2',
          'v2 {"a": 1}, equal to v1 under JCS, keeps its row with the digest marked ~v2');
SELECT results_eq($$SELECT version, created FROM pg_temp.resubmit('{"a": 1}')$$, $$VALUES (1, false)$$,
                  'resubmitting {"a": 1} returns the older release, v1');
SELECT results_eq($$SELECT version, created FROM pg_temp.resubmit('{"a": 1.0}')$$, $$VALUES (1, false)$$,
                  'resubmitting {"a": 1.0} returns v1 too');
SELECT is((SELECT l.live_release_id FROM hookreg.live_pointers l WHERE l.hook_name = 'jcs_update'),
          (SELECT id FROM hookreg.hook_releases WHERE hook_name = 'jcs_update' AND version = 2),
          'the live pointer still names v2');
SELECT is((SELECT count(*) FROM hookreg.hook_runs h JOIN hookreg.hook_releases r ON r.id = h.release_id
            WHERE r.hook_name = 'jcs_update' AND r.version = 2), 1::bigint, 'v2''s run is still v2''s');
SELECT is((SELECT count(*) FROM hookreg_features.jcs_update WHERE run_id = hookreg_run_id('jcs:v2')),
          1::bigint, 'the feature row of v2''s run is still there');
SELECT is((SELECT r.version FROM hookreg_live_at('jcs_update', now()) r), 2, 'hookreg_live_at still answers v2');

-- Recomputed digests, and resubmission stays idempotent.
SELECT is(pg_temp.digest_of(3), pg_temp.jcs_digest('{"probe":1.4}'), 'v3 {"probe": 1.4} has its JCS digest');
SELECT results_eq($$SELECT version, created, release_digest FROM pg_temp.resubmit('{"probe": 1.4}')$$,
                  $$SELECT 3, false, pg_temp.digest_of(3)$$, 'resubmitting v3''s content returns v3');
SELECT is(pg_temp.digest_of(5), pg_temp.jcs_digest('{}', '{"cpu":0.4,"memory":"1g","timeout_seconds":300}'),
          'v5: the cpu limit 0.1.0 stored as 0.40000000000000002 is 0.4 in its JCS digest');
SELECT results_eq($$SELECT version, created FROM pg_temp.resubmit('{}', '{"cpu": 0.4}')$$, $$VALUES (5, false)$$,
                  'resubmitting v5''s limits returns v5');
SELECT is(pg_temp.digest_of(6),
          pg_temp.jcs_digest('{"s":"\u001f","' || chr(128512) || '":2,"' || chr(57344) || '":1}'),
          'v6: \u001f in lowercase hex, U+1F600 sorted before U+E000 (UTF-16 order)');
SELECT results_eq($$SELECT version, created FROM pg_temp.resubmit(
                        jsonb_build_object(chr(57344), 1, chr(128512), 2, 's', chr(31)))$$,
                  $$VALUES (6, false)$$, 'resubmitting v6''s content returns v6');
SELECT is(pg_temp.digest_of(7),
          pg_temp.jcs_digest('{"n":7,"name":"plain"}', '{"cpu":"0.5","memory":"1g","timeout_seconds":60}'),
          'v7 (integers and ASCII) has the same digest as at 0.1.0, now its JCS digest');

-- Content 0.2.0 refuses keeps its 0.1.0 digest (0.1.0 printed 0.1 as 0.10000000000000001).
SELECT is(pg_temp.digest_of(4), pg_temp.jcs_digest('{"x":0.10000000000000001}'),
          'v4 {"x": 0.10000000000000001} keeps its 0.1.0 digest');
SELECT throws_ok($$SELECT * FROM pg_temp.resubmit('{"x": 0.10000000000000001}')$$, '22023', NULL,
                 'resubmitting v4''s content is refused: it has no exact canonical form');
SELECT is((SELECT count(*) FROM hookreg.hook_releases WHERE hook_name = 'jcs_update'), 7::bigint,
          'no release was added or lost');

-- Active runs: a hash that stays still dedupes; one that changed starts a new run.
SELECT results_eq(
    $$SELECT s.run_id, s.reused FROM opsrun_start(2, NULL, 'jcs.update_int', '{"n": 7}') s$$,
    $$SELECT id, true FROM hookreg.operation_runs WHERE type = 'jcs.update_int' AND status = 'queued'$$,
    'an active run whose identity holds integers only is found by opsrun_start after the update');
SELECT is((SELECT s.reused FROM opsrun_start(2, NULL, 'jcs.update_real', '{"n": 1.4}') s), false,
          'an active run whose identity holds a real is not: opsrun_start starts a new run');
SELECT results_eq(
    $$SELECT initiator_name = 'jcs-populate', status FROM hookreg.operation_runs
       WHERE type = 'jcs.update_real' ORDER BY id$$,
    $$VALUES (true, 'queued'::text), (false, 'queued'::text)$$,
    'the 0.1.0 run stays queued (completed by its run_id or failed by the reconciler once stale)');

SELECT * FROM finish();
ROLLBACK;
