-- The direct paths of the registry (src/registry_scan.c): the lock-free
-- look-up of hookreg_create_release and the reads of hookreg_resolve_live
-- probe indexes without the executor. They must answer exactly what the
-- tables say, see the caller's own earlier writes, and leave to SPI every
-- caller they cannot serve as SQL would (no SELECT on a table, row-level
-- security). The concurrent cases are in test/specs/registry-release-race.spec
-- and registry-live-race.spec.
BEGIN;
\ir helpers/errors.sql
SELECT plan(27);

SELECT lives_ok($$SELECT hookreg_register_hook(n, '{"kind": "table", "cardinality": "many", "columns": []}')
                   FROM unnest(ARRAY['fp_a', 'fp_b', 'fp_c', 'fp_none', 'fp_a0', 'fp_a_']) AS n$$, 'test hooks registered');
SELECT lives_ok($$SELECT hookreg_create_release(n, 'reg.example/fp', 'sha256:' || repeat(d, 64), jsonb_build_object('n', n),
                                                '{"memory": "2g"}', 'git:fp')
                   FROM (VALUES ('fp_a', '1'), ('fp_b', '2'), ('fp_c', '3'), ('fp_a0', '4'), ('fp_a_', '5')) AS v(n, d)$$,
                'one release each, but fp_none');

-- The index the pointers are found by.
SELECT is((SELECT indexdef FROM pg_indexes WHERE schemaname = 'hookreg' AND indexname = 'live_pointers_name_hash_idx'),
    'CREATE INDEX live_pointers_name_hash_idx ON hookreg.live_pointers USING hash (hook_name)',
    'pointers are found by name through a hash index');

-- ---- resolve_live answers what the tables say
CREATE FUNCTION pg_temp.expected_live(names text[]) RETURNS TABLE (hook_name text, release_id uuid, version int,
        image text, digest text, config jsonb, limits jsonb)
    LANGUAGE sql AS $$
    SELECT p.hook_name, r.id, r.version, r.image, r.digest, r.config, r.limits
      FROM hookreg.live_pointers p JOIN hookreg.hook_releases r ON r.id = p.live_release_id
     WHERE p.hook_name = ANY (names) ORDER BY p.hook_name $$;

SELECT results_eq($$SELECT * FROM hookreg_resolve_live(ARRAY['fp_c', 'fp_a', 'fp_b'])$$,
                  $$SELECT * FROM pg_temp.expected_live(ARRAY['fp_c', 'fp_a', 'fp_b'])$$,
                  'every column of each live release, in name order');
SELECT results_eq($$SELECT * FROM hookreg_resolve_live(ARRAY['fp_a_', 'fp_a0', 'fp_a', 'fp_a0', 'fp_a_'])$$,
                  $$SELECT * FROM pg_temp.expected_live(ARRAY['fp_a_', 'fp_a0', 'fp_a'])$$,
                  'names that share a prefix, repeated: one row each, in the order of the column''s collation');
SELECT results_eq($$SELECT * FROM hookreg_resolve_live(ARRAY[['fp_b', 'fp_a'], ['fp_c', 'fp_b']])$$,
                  $$SELECT * FROM pg_temp.expected_live(ARRAY['fp_a', 'fp_b', 'fp_c'])$$,
                  'a two-dimensional array is read as its elements');
SELECT is_empty($$SELECT * FROM hookreg_resolve_live(ARRAY[]::text[])$$, 'an empty array: no rows');
SELECT results_eq($$SELECT count(*) FROM hookreg_resolve_live(ARRAY(SELECT 'fp_a' FROM generate_series(1, 1000)))$$,
                  $$VALUES (1::bigint)$$, 'a thousand times the same name: one row');

-- Errors: every hook without a live release, once, in name order.
SELECT is((pg_temp.error_of($$SELECT * FROM hookreg_resolve_live(ARRAY['fp_zz', 'fp_none', 'fp_a', 'fp_zz', 'fp_0'])$$)).message,
          '3 of the requested hooks have no live release', 'the count of distinct names without a live release');
SELECT is((pg_temp.error_of($$SELECT * FROM hookreg_resolve_live(ARRAY['fp_zz', 'fp_none', 'fp_a', 'fp_zz', 'fp_0'])$$)).detail,
          'Unknown or without a live release: fp_0, fp_none, fp_zz.', 'each named once, in name order');
SELECT ok((SELECT length(detail) < 200 AND detail LIKE 'Unknown or without a live release: xxxxxxxx%....'
             FROM pg_temp.error_of($$SELECT * FROM hookreg_resolve_live(ARRAY['fp_a', repeat('x', 5000)])$$)),
          'a long unknown name is shown cut');
SELECT is((pg_temp.error_of($$SELECT * FROM hookreg_resolve_live(ARRAY['fp_a', ''])$$)).state, 'P0002',
          'an empty name is an unknown hook');

-- The caller's own writes of the same transaction are read.
SELECT lives_ok($$SELECT hookreg_set_live('fp_a', 1)$$, 'fp_a stays on its only version');
SELECT lives_ok($$SELECT hookreg_create_release('fp_a', 'reg.example/fp', 'sha256:' || repeat('6', 64), source_ref => 'git:fp2')$$,
                'fp_a gets version 2');
SELECT results_eq($$SELECT hook_name, version FROM hookreg_resolve_live(ARRAY['fp_a'])$$,
                  $$VALUES ('fp_a', 2)$$, 'resolve_live sees the release made earlier in the transaction');
SELECT results_eq($$SELECT r.hook_name, r.version, s.live_version FROM hookreg_set_live('fp_a', 1) s,
                      LATERAL hookreg_resolve_live(ARRAY[s.hook_name]) r$$,
                  $$VALUES ('fp_a', 2, 1)$$,
                  'it reads the snapshot of the statement that calls it, not a repoint made within that statement');

-- ---- create_release: the look-up sees every earlier write of the transaction
SELECT results_eq(
    $$SELECT c.version, c.created, c.live FROM unnest(ARRAY['7', '8', '7', '9']) WITH ORDINALITY AS d(x, i),
             LATERAL hookreg_create_release('fp_c', 'reg.example/fp', 'sha256:' || repeat(d.x, 64), source_ref => 'git:x') c
       ORDER BY d.i$$,
    $$VALUES (2, true, true), (3, true, true), (2, false, false), (4, true, true)$$,
    'several releases in one statement: each call sees the ones before it (and their pointer)');
SELECT results_eq(
    $$SELECT string_agg(version::text, ',' ORDER BY version) FROM hookreg.hook_releases WHERE hook_name = 'fp_c'$$,
    $$VALUES ('1,2,3,4')$$, 'gap-free versions');
SELECT results_eq(
    $$SELECT f.version, t.version FROM hookreg.live_moves m
        JOIN hookreg.hook_releases f ON f.id = m.from_release_id JOIN hookreg.hook_releases t ON t.id = m.to_release_id
       WHERE m.hook_name = 'fp_c' ORDER BY m.id$$,
    $$VALUES (1, 2), (2, 3), (3, 4)$$, 'the moves are one chain');
SELECT lives_ok($$SELECT hookreg_set_live('fp_c', 2)$$, 'fp_c rolled back to 2');
SELECT results_eq(
    $$SELECT c.version, c.created, c.live FROM hookreg_create_release('fp_c', 'reg.example/fp', 'sha256:' || repeat('a', 64), source_ref => 'git:y') c$$,
    $$VALUES (5, true, true)$$, 'a release after a repoint in the same transaction');
SELECT results_eq(
    $$SELECT f.version, t.version FROM hookreg.live_moves m
        JOIN hookreg.hook_releases f ON f.id = m.from_release_id JOIN hookreg.hook_releases t ON t.id = m.to_release_id
       WHERE m.hook_name = 'fp_c' ORDER BY m.id DESC LIMIT 1$$,
    $$VALUES (2, 5)$$, '... moves from the version the repoint made live');

-- ---- callers the direct reads do not serve go through SQL
CREATE ROLE tap_fp_reader IN ROLE hookreg_reader;
REVOKE SELECT ON hookreg.hook_releases FROM hookreg_reader;
SELECT is((pg_temp.error_of($$SET ROLE tap_fp_reader; SELECT * FROM hookreg_resolve_live(ARRAY['fp_b'])$$)).message,
          'permission denied for table hook_releases', 'without SELECT on a table, resolve_live fails as a SELECT would');
RESET ROLE;
GRANT SELECT (id, version, image, digest, config, limits) ON hookreg.hook_releases TO tap_fp_reader;
SET ROLE tap_fp_reader;
SELECT results_eq($$SELECT * FROM hookreg_resolve_live(ARRAY['fp_b'])$$,
                  $$SELECT * FROM pg_temp.expected_live(ARRAY['fp_b'])$$,
                  '... and with SELECT on the columns it reads, it answers');
RESET ROLE;
GRANT SELECT ON hookreg.hook_releases TO hookreg_reader;

SET CONSTRAINTS ALL IMMEDIATE;  -- (ALTER TABLE refuses pending deferred checks)
ALTER TABLE hookreg.live_pointers ENABLE ROW LEVEL SECURITY;
CREATE POLICY tap_fp_hide ON hookreg.live_pointers FOR SELECT TO tap_fp_reader USING (hook_name <> 'fp_b');
SET ROLE tap_fp_reader;
SELECT is((pg_temp.error_of($$SELECT * FROM hookreg_resolve_live(ARRAY['fp_a', 'fp_b'])$$)).detail,
          'Unknown or without a live release: fp_b.', 'a row-level security policy hides a pointer from resolve_live');
SELECT results_eq($$SELECT * FROM hookreg_resolve_live(ARRAY['fp_a'])$$,
                  $$SELECT * FROM pg_temp.expected_live(ARRAY['fp_a'])$$, '... and shows the others');
RESET ROLE;
DROP POLICY tap_fp_hide ON hookreg.live_pointers;
ALTER TABLE hookreg.live_pointers DISABLE ROW LEVEL SECURITY;
SELECT results_eq($$SELECT * FROM hookreg_resolve_live(ARRAY['fp_a', 'fp_b'])$$,
                  $$SELECT * FROM pg_temp.expected_live(ARRAY['fp_a', 'fp_b'])$$, 'without the policy, both');

SELECT * FROM finish();
ROLLBACK;
