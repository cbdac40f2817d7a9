-- test/update/verify/60_perf_release.sql: after the update, on the database
-- test/update/populate/60_perf_release.sql filled at 0.1.0: the hash index
-- on the pointers' names exists, holds every pointer made at 0.1.0, and the
-- functions that probe it answer as the tables say.
BEGIN;
SELECT plan(8);

SELECT is((SELECT indexdef FROM pg_indexes WHERE schemaname = 'hookreg' AND indexname = 'live_pointers_name_hash_idx'),
    'CREATE INDEX live_pointers_name_hash_idx ON hookreg.live_pointers USING hash (hook_name)',
    'the pointers'' hash index exists');
SELECT ok((SELECT indisvalid AND indisready FROM pg_index WHERE indexrelid = 'hookreg.live_pointers_name_hash_idx'::regclass),
    'the hash index is valid');

-- Every pointer of 0.1.0 with a live release is found through the index
-- (hookreg_resolve_live probes it for each name).
SELECT is((SELECT count(*) FROM hookreg_resolve_live(
               ARRAY(SELECT hook_name FROM hookreg.live_pointers WHERE live_release_id IS NOT NULL))),
          (SELECT count(*) FROM hookreg.live_pointers WHERE live_release_id IS NOT NULL),
          'resolve_live finds every pointer made at 0.1.0 by name');

SELECT results_eq(
    $$SELECT hook_name, version, config, limits FROM hookreg_resolve_live(ARRAY['perf_b', 'perf_a'])$$,
    $$SELECT p.hook_name, r.version, r.config, r.limits FROM hookreg.live_pointers p
        JOIN hookreg.hook_releases r ON r.id = p.live_release_id
       WHERE p.hook_name IN ('perf_a', 'perf_b') ORDER BY p.hook_name$$,
    'resolve_live reads the pointers and releases made at 0.1.0 (perf_a rolled back to 1)');
SELECT throws_ok($$SELECT * FROM hookreg_resolve_live(ARRAY['perf_none', 'perf_a'])$$, 'P0002',
    '1 of the requested hooks has no live release', 'a 0.1.0 hook without a release is reported');
SELECT results_eq(
    $$SELECT version, created, live FROM hookreg_create_release('perf_a', 'registry.example.org/perf',
        'sha256:' || repeat('b', 64), '{"k": 2}', '{}', 'git:again')$$,
    $$VALUES (2, false, false)$$, 'the content of a 0.1.0 release that is not live returns it, not live');
SELECT results_eq(
    $$SELECT version, created, live FROM hookreg_create_release('perf_a', 'registry.example.org/perf',
        'sha256:' || repeat('d', 64), '{}', '{}', 'git:perf-a3')$$,
    $$VALUES (3, true, true)$$, 'a new release of a 0.1.0 hook is version 3, live');
SELECT results_eq(
    $$SELECT m.reason, f.version, t.version FROM hookreg.live_moves m
        JOIN hookreg.hook_releases f ON f.id = m.from_release_id
        JOIN hookreg.hook_releases t ON t.id = m.to_release_id
       WHERE m.hook_name = 'perf_a' ORDER BY m.id DESC LIMIT 1$$,
    $$VALUES ('release', 1, 3)$$, 'its move starts at the version 0.1.0 left live');

SELECT * FROM finish();
ROLLBACK;
