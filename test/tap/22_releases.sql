-- Releases, live pointer, runs and provenance (doc/reference.md): every
-- SQLSTATE, every role, immutability and the deferrable live-pointer foreign
-- key.
BEGIN;
\ir helpers/errors.sql
SELECT plan(171);

SELECT lives_ok($$SELECT hookreg_register_hook(n, '{"kind": "table", "cardinality": "many", "columns": []}')
                   FROM unnest(ARRAY['tap_rel', 'tap_rel2', 'tap_norel']) AS n$$, 'test hooks registered');


\set d1 '''sha256:1111111111111111111111111111111111111111111111111111111111111111'''
\set d2 '''sha256:2222222222222222222222222222222222222222222222222222222222222222'''

-- ---- signatures
SELECT function_lang_is(f, 'c') FROM unnest(ARRAY['hookreg_create_release', 'hookreg_set_live',
    'hookreg_resolve_live', 'hookreg_live_at', 'hookreg_record_run', 'hookreg_run_id',
    'hookreg_provenance']) AS f;
SELECT volatility_is('hookreg_run_id', ARRAY['text'], 'immutable');
SELECT volatility_is('hookreg_create_release', ARRAY['text', 'text', 'text', 'jsonb', 'jsonb', 'text', 'text'], 'volatile');
SELECT volatility_is('hookreg_resolve_live', ARRAY['text[]'], 'stable');
SELECT ok(NOT has_function_privilege('public', 'hookreg_create_release(text,text,text,jsonb,jsonb,text,text)', 'EXECUTE'),
          'create_release is not executable by PUBLIC');
SELECT ok(NOT has_function_privilege('public', 'hookreg_set_live(text,int)', 'EXECUTE'),
          'set_live is not executable by PUBLIC');
SELECT ok(NOT has_function_privilege('public', 'hookreg_record_run(uuid,text,timestamptz,timestamptz,int,text,double precision,uuid)', 'EXECUTE'),
          'record_run is not executable by PUBLIC');
SELECT ok((SELECT proconfig FROM pg_proc WHERE proname = 'hookreg_create_release') = ARRAY['search_path=pg_catalog, pg_temp'],
          'create_release pins search_path');

-- ---- create_release: mint, idempotency, identity
SELECT results_eq(
    $$SELECT hook_name, version, created, live FROM hookreg_create_release('tap_rel', 'reg.example/tap:1', $$ || quote_literal(:d1) || $$, source_ref => 'git@a1')$$,
    $$VALUES ('tap_rel', 1, true, true)$$, 'first release is version 1, created and live');
SELECT results_eq(
    $$SELECT version, created, live FROM hookreg_create_release('tap_rel', 'reg.example/tap:1', $$ || quote_literal(:d1) || $$, source_ref => 'git@other')$$,
    $$VALUES (1, false, true)$$, 'same content is the same release (source_ref is not identity)');
SELECT is((SELECT count(*)::int FROM hookreg.hook_releases WHERE hook_name = 'tap_rel'), 1, 'the repeat wrote nothing');
SELECT is((SELECT count(*)::int FROM hookreg.live_moves WHERE hook_name = 'tap_rel'), 1, 'the repeat did not move the pointer');
SELECT is((SELECT limits FROM hookreg.hook_releases WHERE hook_name = 'tap_rel' AND version = 1),
          '{"timeout_seconds": 300, "memory": "1g", "cpu": "0.5"}'::jsonb, 'limits defaults are filled before storing');
SELECT is((SELECT release_digest FROM hookreg.hook_releases WHERE hook_name = 'tap_rel' AND version = 1),
          'sha256:' || encode(sha256(convert_to('{"config":{},"digest":' || '"' || :d1 || '"' ||
              ',"image":"reg.example/tap:1","limits":{"cpu":"0.5","memory":"1g","timeout_seconds":300}}', 'UTF8')), 'hex'),
          'release_digest is the SHA-256 of the canonical JSON');
SELECT is((SELECT (built_by, source_ref)::text FROM hookreg.hook_releases WHERE hook_name = 'tap_rel' AND version = 1),
          '(' || current_user || ',git@a1)', 'built_by defaults to the calling role');
SELECT results_eq(
    $$SELECT version, created FROM hookreg_create_release('tap_rel', 'reg.example/tap:1', $$ || quote_literal(:d1) || $$,
        '{}', '{"timeout_seconds": 300, "memory": "1g", "cpu": "0.5"}', 'git@a1')$$,
    $$VALUES (1, false)$$, 'explicit defaults are the same release as none');
SELECT results_eq(
    $$SELECT version, created, live FROM hookreg_create_release('tap_rel', 'reg.example/tap:1', $$ || quote_literal(:d1) || $$,
        '{"z": {"b": [1, {"y": 2, "x": 1}], "a": null}, "k": "v"}', '{"cpu": 2}', 'git@a2', 'ci-bot')$$,
    $$VALUES (2, true, true)$$, 'a changed config or limits is a new release');
SELECT is((SELECT release_digest FROM hookreg.hook_releases WHERE hook_name = 'tap_rel' AND version = 2),
          'sha256:' || encode(sha256(convert_to('{"config":{"k":"v","z":{"a":null,"b":[1,{"x":1,"y":2}]}},"digest":"' || :d1 ||
              '","image":"reg.example/tap:1","limits":{"cpu":2,"memory":"1g","timeout_seconds":300}}', 'UTF8')), 'hex'),
          'canonical JSON sorts keys at every depth');
SELECT is((SELECT built_by FROM hookreg.hook_releases WHERE hook_name = 'tap_rel' AND version = 2), 'ci-bot', 'built_by as given');
SELECT results_eq(
    $$SELECT version, created, live FROM hookreg_create_release('tap_rel', 'reg.example/tap:1', $$ || quote_literal(:d1) || $$, source_ref => 'x')$$,
    $$VALUES (1, false, false)$$, 'an older release repeated: created false, not live, pointer stays');
SELECT is((SELECT r.version FROM hookreg.live_pointers p JOIN hookreg.hook_releases r ON r.id = p.live_release_id
            WHERE p.hook_name = 'tap_rel'), 2, 'the pointer stayed on version 2');
SELECT results_eq(
    $$SELECT version FROM hookreg_create_release('tap_rel', 'reg.example/tap:1', 'sha512:' || repeat('ab', 64), source_ref => 'x')$$,
    $$VALUES (3)$$, 'a sha512 digest is accepted');
SELECT results_eq(
    $$SELECT version FROM hookreg_create_release('tap_rel', repeat('i', 512), $$ || quote_literal(:d2) || $$,
        limits => '{"memory": "2Gi", "cpu": "250m", "timeout_seconds": 86400}', source_ref => 'x')$$,
    $$VALUES (4)$$, 'a 512-byte image and the limits'' edge values are accepted');
SELECT is((SELECT array_agg(reason || ':' || moved_by ORDER BY id) FROM hookreg.live_moves WHERE hook_name = 'tap_rel'),
          ARRAY['release:' || current_user, 'release:' || current_user, 'release:' || current_user, 'release:' || current_user],
          'one live_moves row per new release, moved_by the caller');

-- ---- create_release: refused input (and nothing half-written)
SELECT throws_ok($$SELECT * FROM hookreg_create_release('tap_nohook', 'i', $$ || quote_literal(:d1) || $$, source_ref => 'x')$$,
                 'P0002', 'hook "tap_nohook" does not exist', 'unknown hook');
SELECT throws_ok($$SELECT * FROM hookreg_create_release('tap_rel', 'i', $$ || quote_literal(:d1) || $$)$$,
                 '22023', 'source_ref is required', 'source_ref missing');
SELECT throws_ok($$SELECT * FROM hookreg_create_release('tap_rel', 'i', $$ || quote_literal(:d1) || $$, source_ref => '')$$,
                 '22023', 'source_ref is required', 'source_ref empty');
SELECT throws_ok($$SELECT * FROM hookreg_create_release('tap_rel', '', $$ || quote_literal(:d1) || $$, source_ref => 'x')$$,
                 '22023', 'image must not be empty', 'empty image');
SELECT throws_ok($$SELECT * FROM hookreg_create_release('tap_rel', repeat('i', 513), $$ || quote_literal(:d1) || $$, source_ref => 'x')$$,
                 '54000', 'image is too long', 'image over 512 bytes');
SELECT throws_ok($$SELECT * FROM hookreg_create_release('tap_rel', E'i\nj', $$ || quote_literal(:d1) || $$, source_ref => 'x')$$,
                 '22023', NULL, 'image with a control character');
SELECT throws_ok($$SELECT * FROM hookreg_create_release(NULL, 'i', $$ || quote_literal(:d1) || $$, source_ref => 'x')$$,
                 '22023', 'hook_name must not be null', 'null hook name');
SELECT throws_ok(format($$SELECT * FROM hookreg_create_release('tap_rel', 'i', %L, source_ref => 'x')$$, d), '22023', NULL,
                 'invalid digest ' || d)
  FROM unnest(ARRAY['sha256:' || repeat('A', 64), 'sha256:' || repeat('a', 63), 'sha256:' || repeat('a', 65),
                    'sha256:' || repeat('g', 64), 'sha512:' || repeat('a', 64), repeat('a', 64), ':' || repeat('a', 64),
                    'sha256:', 'SHA256:' || repeat('a', 64), 'sha256::' || repeat('a', 64), 'md5:d41d8cd98f00b204e9800998ecf8427e',
                    'sha384:' || repeat('a', 96), 'sha256+b64u:LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564',
                    'sha256 :' || repeat('a', 64), '']) AS d;
SELECT throws_ok($$SELECT * FROM hookreg_create_release('tap_rel', 'i', $$ || quote_literal(:d1) || $$, '[1]', source_ref => 'x')$$,
                 '22023', 'config must be a JSON object', 'config not an object');
SELECT throws_ok($$SELECT * FROM hookreg_create_release('tap_rel', 'i', $$ || quote_literal(:d1) || $$,
                   jsonb_build_object('blob', repeat('x', 70000)), source_ref => 'x')$$,
                 '54000', 'config is too large', 'config over 64 KiB');
SELECT throws_ok($$SELECT * FROM hookreg_create_release('tap_rel', 'i', $$ || quote_literal(:d1) || $$,
                   ('{"a":' || repeat('[', 40) || repeat(']', 40) || '}')::jsonb, source_ref => 'x')$$,
                 '54000', 'config is nested too deeply', 'config nested too deeply');
SELECT throws_ok($$SELECT * FROM hookreg_create_release('tap_rel', 'i', $$ || quote_literal(:d1) || $$, '{"n": 1e400}', source_ref => 'x')$$,
                 '22023', NULL, 'a number jansson cannot hold');
SELECT throws_ok($$SELECT * FROM hookreg_create_release('tap_rel', 'i', $$ || quote_literal(:d1) || $$, limits => '"x"', source_ref => 'x')$$,
                 '22023', 'limits must be a JSON object', 'limits not an object');
SELECT throws_ok(format($$SELECT * FROM hookreg_create_release('tap_rel', 'i', %L, limits => %L, source_ref => 'x')$$, :d1, l),
                 '22023', NULL, 'invalid limits ' || l)
  FROM unnest(ARRAY['{"timeout": 5}', '{"timeout_seconds": 0}', '{"timeout_seconds": 86401}', '{"timeout_seconds": "300"}',
                    '{"timeout_seconds": 1.5}', '{"memory": "lots"}', '{"memory": 512}', '{"memory": "0m"}', '{"memory": "-1g"}',
                    '{"cpu": 0}', '{"cpu": -1}', '{"cpu": "0"}', '{"cpu": "abc"}', '{"cpu": true}', '{"cpu": "1.5.2"}']) AS l;
SELECT is((pg_temp.error_of($$SELECT * FROM hookreg_create_release('tap_rel', 'i', $$ || quote_literal(:d1) || $$, limits => '{"memry": "1g"}', source_ref => 'x')$$)).state,
          '22023', 'unknown limits member');
SELECT matches((pg_temp.error_of($$SELECT * FROM hookreg_create_release('tap_rel', 'i', $$ || quote_literal(:d1) || $$, limits => '{"memry": "1g"}', source_ref => 'x')$$)).detail,
          'timeout_seconds, memory, cpu', 'the error lists the allowed members');
SELECT throws_ok($$SELECT * FROM hookreg_create_release('tap_rel', 'i', $$ || quote_literal(:d1) || $$,
                   limits => jsonb_build_object('memory', repeat('9', 5000)), source_ref => 'x')$$,
                 '54000', 'limits is too large', 'limits over their cap');
SELECT throws_ok($$SELECT * FROM hookreg_create_release('tap_rel''; DROP TABLE hookreg.hook_runs; --', 'i', $$ || quote_literal(:d1) || $$, source_ref => 'x')$$,
                 'P0002', NULL, 'a hook name that tries to inject SQL is just an unknown hook');
SELECT throws_ok($$SELECT * FROM hookreg_set_live('tap_rel"; DELETE FROM hookreg.live_moves; --', 1)$$,
                 'P0002', NULL, 'set_live: an injection-looking name is just an unknown hook');
SELECT throws_ok($$SELECT * FROM hookreg_resolve_live(ARRAY['tap_rel'') OR true --'])$$,
                 'P0002', NULL, 'resolve_live: an injection-looking name is just an unknown hook');
SELECT throws_ok($$SELECT * FROM hookreg_set_live(repeat('x', 100000), 1)$$, 'P0002',
                 'hook "' || repeat('x', 64) || '..." does not exist', 'a huge hook name is cut in the message');
SELECT has_table('hookreg', 'hook_runs', 'hook_runs is still there');
SELECT results_eq($$SELECT version, created FROM hookreg_create_release('tap_rel', E'reg.example/t\u00e4p:1', $$ || quote_literal(:d1) || $$,
                      '{"text": "\u00fcber \"quoted\" \\ back"}', source_ref => E'\u00e9')$$,
                  $$VALUES (5, true)$$, 'non-ASCII image, config and source_ref are a release like any other');
SELECT is((SELECT count(*)::int FROM hookreg.hook_releases WHERE hook_name = 'tap_rel'), 5, 'refused input wrote no release');
SELECT is((SELECT last_version FROM hookreg.live_pointers WHERE hook_name = 'tap_rel'), 5, 'refused input kept last_version');

-- ---- set_live
SELECT results_eq($$SELECT hook_name, live_version, previous_version FROM hookreg_set_live('tap_rel', 1)$$,
                  $$VALUES ('tap_rel', 1, 5)$$, 'rollback to version 1');
SELECT is((SELECT live_release_id FROM hookreg.live_pointers WHERE hook_name = 'tap_rel'),
          (SELECT id FROM hookreg.hook_releases WHERE hook_name = 'tap_rel' AND version = 1), 'the pointer is on version 1');
SELECT is((SELECT r.version || ':' || m.reason || ':' || m.moved_by FROM hookreg.live_moves m
             JOIN hookreg.hook_releases r ON r.id = m.to_release_id WHERE m.hook_name = 'tap_rel' ORDER BY m.id DESC LIMIT 1),
          '1:set_live:' || current_user, 'the rollback is a set_live move by the caller');
SELECT results_eq($$SELECT live_version, previous_version FROM hookreg_set_live('tap_rel', 1)$$,
                  $$VALUES (1, 1)$$, 'set_live to the live version');
SELECT is((SELECT count(*)::int FROM hookreg.live_moves WHERE hook_name = 'tap_rel'), 6, 'no move when already live');
SELECT throws_ok($$SELECT * FROM hookreg_set_live('tap_nohook', 1)$$, 'P0002', NULL, 'set_live: unknown hook');
SELECT throws_ok($$SELECT * FROM hookreg_set_live('tap_rel', 6)$$, 'P0002', 'hook "tap_rel" has no version 6', 'set_live: unknown version');
SELECT throws_ok($$SELECT * FROM hookreg_set_live('tap_norel', 1)$$, 'P0002', NULL, 'set_live: hook without releases');
SELECT throws_ok($$SELECT * FROM hookreg_set_live('tap_rel', NULL)$$, '22023', NULL, 'set_live: null version');
SELECT results_eq($$SELECT release_id, version, release_digest, created, live
                      FROM hookreg_create_release('tap_rel', 'reg.example/tap:1', $$ || quote_literal(:d1) || $$, source_ref => 'x')$$,
                  $$SELECT id, 1, release_digest, false, true FROM hookreg.hook_releases WHERE hook_name = 'tap_rel' AND version = 1$$,
                  'after the rollback the repeat of version 1 reports it live');

-- ---- resolve_live
SELECT results_eq($$SELECT hook_name, version, image FROM hookreg_resolve_live(ARRAY['tap_rel'])$$,
                  $$VALUES ('tap_rel', 1, 'reg.example/tap:1')$$, 'resolve_live');
SELECT results_eq($$SELECT version FROM hookreg_create_release('tap_rel2', 'x', $$ || quote_literal(:d2) || $$, source_ref => 'y')$$,
                  $$VALUES (1)$$, 'first release of a second hook');
SELECT is((SELECT array_agg(hook_name || ':' || version) FROM hookreg_resolve_live(ARRAY['tap_rel2', 'tap_rel', 'tap_rel2'])),
          ARRAY['tap_rel:1', 'tap_rel2:1'], 'one row per distinct hook, ordered by name');
SELECT results_eq($$SELECT config, limits FROM hookreg_resolve_live(ARRAY['tap_rel2'])$$,
                  $$VALUES ('{}'::jsonb, '{"cpu": "0.5", "memory": "1g", "timeout_seconds": 300}'::jsonb)$$, 'resolve_live returns config and limits');
SELECT is_empty($$SELECT * FROM hookreg_resolve_live('{}')$$, 'no hooks asked, no rows');
SELECT throws_ok($$SELECT * FROM hookreg_resolve_live(ARRAY['tap_rel', 'tap_missing', 'tap_norel'])$$, 'P0002', NULL,
                 'resolve_live: unknown and release-less hooks');
SELECT is((pg_temp.error_of($$SELECT * FROM hookreg_resolve_live(ARRAY['tap_rel', 'tap_missing', 'tap_norel'])$$)).detail,
          'Unknown or without a live release: tap_missing, tap_norel.', 'the detail names every such hook');
SELECT throws_ok($$SELECT * FROM hookreg_resolve_live(ARRAY['tap_rel', NULL])$$, '22023', NULL, 'resolve_live: null name');

-- ---- live_at (moves are stamped with the clock at the move, in order)
SELECT is_empty($$SELECT * FROM hookreg_live_at('tap_rel', now() - interval '1 second')$$, 'nothing was live before the first move');
SELECT results_eq($$SELECT version, since FROM hookreg_live_at('tap_rel', clock_timestamp())$$,
                  $$SELECT 1, max(moved_at) FROM hookreg.live_moves WHERE hook_name = 'tap_rel'$$,
                  'live_at now: the rollback''s target, since the rollback');
SELECT is((SELECT count(*)::int FROM hookreg.live_moves m
            WHERE m.hook_name = 'tap_rel'
              AND m.moved_at <= ALL (SELECT moved_at FROM hookreg.live_moves n WHERE n.hook_name = 'tap_rel' AND n.id > m.id)),
          (SELECT count(*)::int FROM hookreg.live_moves WHERE hook_name = 'tap_rel'), 'move times follow the order of the moves');
SELECT is((SELECT count(*)::int FROM hookreg.live_moves m, hookreg_live_at('tap_rel', m.moved_at) l
            WHERE m.hook_name = 'tap_rel' AND l.release_id = m.to_release_id AND l.since = m.moved_at),
          (SELECT count(*)::int FROM hookreg.live_moves WHERE hook_name = 'tap_rel'),
          'at the time of each move, live_at answers that move''s release');
SELECT is((SELECT moved_at FROM hookreg.live_pointers WHERE hook_name = 'tap_rel'),
          (SELECT max(moved_at) FROM hookreg.live_moves WHERE hook_name = 'tap_rel'), 'the pointer keeps the time of its last move');
SELECT is_empty($$SELECT * FROM hookreg_live_at('tap_norel', now())$$, 'a hook never released: no row');
SELECT throws_ok($$SELECT * FROM hookreg_live_at('tap_nohook', now())$$, 'P0002', NULL, 'live_at: unknown hook');

-- ---- record_run, run_id, provenance
SELECT is(hookreg_run_id('ingest-42:batch-7:taxonomy'), '2114dc0f-1bc7-5bdb-85c2-b95486417b21', 'run_id known value');
SELECT is(hookreg_run_id(''), '75f79734-8d90-5fb5-84ac-9b6acb263b7b', 'run_id of the empty key');
SELECT is(hookreg_run_id('a'), '53b0aa84-e096-5d6a-a856-d9ae89c9a6c5', 'run_id of "a"');
SELECT is(hookreg_run_id(NULL), NULL, 'run_id is STRICT');

CREATE TEMP TABLE tap_v AS
SELECT (SELECT id FROM hookreg.hook_releases WHERE hook_name = 'tap_rel' AND version = 1) AS v1,
       (SELECT id FROM hookreg.hook_releases WHERE hook_name = 'tap_rel' AND version = 2) AS v2;
GRANT SELECT ON tap_v TO PUBLIC;
SELECT is(hookreg_record_run(v1, 'passed', '2024-05-01 10:00:00+00', '2024-05-01 10:01:30+00', 1,
                             's3://logs/run-1', run_id => hookreg_run_id('tap:1')),
          hookreg_run_id('tap:1'), 'record_run returns the given run id') FROM tap_v;
SELECT results_eq($$SELECT status, duration_s, oom_retries, log_ref, release_id FROM hookreg.hook_runs WHERE id = hookreg_run_id('tap:1')$$,
                  $$SELECT 'passed', 90::float8, 1, 's3://logs/run-1', v1 FROM tap_v$$, 'duration_s defaults to the seconds between; log_ref round-trips');
SELECT is(hookreg_record_run(v1, 'passed', '2024-05-01 10:00:00+00', '2024-05-01 10:01:30+00', 1,
                             's3://logs/run-1', run_id => hookreg_run_id('tap:1')),
          hookreg_run_id('tap:1'), 'the same run again returns its id') FROM tap_v;
SELECT is((SELECT count(*)::int FROM hookreg.hook_runs WHERE id = hookreg_run_id('tap:1')), 1, 'and writes nothing');
SELECT throws_ok($$SELECT hookreg_record_run(v1, 'failed', '2024-05-01 10:00:00+00', '2024-05-01 10:01:30+00', 1,
                             's3://logs/run-1', run_id => hookreg_run_id('tap:1')) FROM tap_v$$, '23505', NULL, 'same run id, other status');
SELECT throws_ok($$SELECT hookreg_record_run(v2, 'passed', '2024-05-01 10:00:00+00', '2024-05-01 10:01:30+00', 1,
                             's3://logs/run-1', run_id => hookreg_run_id('tap:1')) FROM tap_v$$, '23505', NULL, 'same run id, other release');
SELECT throws_ok($$SELECT hookreg_record_run(v1, 'passed', '2024-05-01 10:00:00+00', '2024-05-01 10:01:30+00', 1,
                             NULL, run_id => hookreg_run_id('tap:1')) FROM tap_v$$, '23505', NULL, 'same run id, log_ref dropped');
SELECT throws_ok($$SELECT hookreg_record_run(v1, 'passed', '2024-05-01 10:00:00+00', '2024-05-01 10:01:30+00', 1,
                             's3://logs/run-1', 91, hookreg_run_id('tap:1')) FROM tap_v$$, '23505', NULL, 'same run id, other duration');
SELECT matches((pg_temp.error_of($$SELECT hookreg_record_run(v1, 'error', '2024-05-01 10:00:00+00', '2024-05-01 10:01:30+00', 2,
                             's3://logs/run-1', run_id => hookreg_run_id('tap:1')) FROM tap_v$$)).detail,
               'status, oom_retries', 'the 23505 detail names the differing fields');
SELECT ok(hookreg_record_run(v2, 'warnings', now(), now()) IS NOT NULL, 'a run without run_id gets a new id') FROM tap_v;
SELECT throws_ok($$SELECT hookreg_record_run('00000000-0000-4000-8000-000000000000', 'passed', now(), now())$$,
                 'P0002', NULL, 'record_run: unknown release');
SELECT throws_ok($$SELECT hookreg_record_run(v1, 'done', now(), now()) FROM tap_v$$, '22023', 'invalid run status "done"', 'bad status');
SELECT throws_ok($$SELECT hookreg_record_run(v1, 'passed', now(), now() - interval '1 s') FROM tap_v$$,
                 '22023', 'finished_at precedes started_at', 'reversed timestamps');
SELECT throws_ok($$SELECT hookreg_record_run(v1, 'passed', now(), now(), -1) FROM tap_v$$,
                 '22023', 'oom_retries must not be negative', 'negative retries');
SELECT throws_ok($$SELECT hookreg_record_run(v1, 'passed', now(), now(), duration_s => -1) FROM tap_v$$,
                 '22023', NULL, 'negative duration');
SELECT throws_ok($$SELECT hookreg_record_run(v1, 'passed', now(), now(), duration_s => 'NaN') FROM tap_v$$,
                 '22023', NULL, 'NaN duration');
SELECT throws_ok($$SELECT hookreg_record_run(v1, 'passed', '-infinity', now()) FROM tap_v$$,
                 '22023', NULL, 'infinite start');
SELECT throws_ok($$SELECT hookreg_record_run(v1, 'passed', NULL, now()) FROM tap_v$$, '22023', NULL, 'null start');
SELECT throws_ok($$SELECT hookreg_record_run(NULL, 'passed', now(), now())$$, '22023', NULL, 'null release');
SELECT results_eq($$SELECT run_id, status, hook_name, version, release_id, config, source_ref, duration_s
                      FROM hookreg_provenance(hookreg_run_id('tap:1'))$$,
                  $$SELECT hookreg_run_id('tap:1'), 'passed', 'tap_rel', 1, v1, '{}'::jsonb, 'git@a1', 90::float8 FROM tap_v$$,
                  'provenance joins the run to its release');
SELECT is_empty($$SELECT * FROM hookreg_provenance('00000000-0000-4000-8000-000000000000')$$, 'unknown run: no row, no error');

-- ---- immutability, for the owner and superuser too (the deferred pointer
-- checks run first: TRUNCATE refuses tables with pending trigger events)
SET CONSTRAINTS ALL IMMEDIATE;
SET LOCAL client_min_messages = warning;
SELECT throws_ok($$UPDATE hookreg.hook_releases SET source_ref = 'x'$$, '55000', NULL, 'UPDATE hook_releases refused');
SELECT throws_ok($$DELETE FROM hookreg.hook_releases$$, '55000', NULL, 'DELETE hook_releases refused');
SELECT throws_ok($$TRUNCATE hookreg.hook_releases CASCADE$$, '55000', NULL, 'TRUNCATE hook_releases refused');
SELECT throws_ok($$UPDATE hookreg.hook_runs SET status = 'failed'$$, '55000', NULL, 'UPDATE hook_runs refused');
SELECT throws_ok($$DELETE FROM hookreg.hook_runs$$, '55000', NULL, 'DELETE hook_runs refused');
SELECT throws_ok($$TRUNCATE hookreg.hook_runs CASCADE$$, '55000', NULL, 'TRUNCATE hook_runs refused');
SELECT throws_ok($$UPDATE hookreg.live_moves SET reason = 'release'$$, '55000', NULL, 'UPDATE live_moves refused');
SELECT throws_ok($$DELETE FROM hookreg.live_moves$$, '55000', NULL, 'DELETE live_moves refused');
SELECT throws_ok($$TRUNCATE hookreg.live_moves$$, '55000', NULL, 'TRUNCATE live_moves refused');

SET CONSTRAINTS ALL DEFERRED;

-- ---- the deferrable live-pointer foreign key
SELECT is((SELECT condeferrable AND condeferred FROM pg_constraint WHERE conname = 'live_pointers_release_fkey'), true,
          'the live pointer''s foreign key is DEFERRABLE INITIALLY DEFERRED');
SAVEPOINT fk;
UPDATE hookreg.live_pointers SET live_release_id = '00000000-0000-4000-8000-0000000000aa', last_version = 2 WHERE hook_name = 'tap_rel2';
INSERT INTO hookreg.hook_releases (id, hook_name, version, image, digest, config, limits, release_digest, source_ref, built_by)
VALUES ('00000000-0000-4000-8000-0000000000aa', 'tap_rel2', 2, 'x', :d1, '{}', '{}', 'sha256:fk', 'x', 'x');
SELECT lives_ok($$SET CONSTRAINTS hookreg.live_pointers_release_fkey IMMEDIATE$$, 'the pointer may reference a release inserted later');
ROLLBACK TO SAVEPOINT fk;
SET CONSTRAINTS ALL DEFERRED;
SAVEPOINT fk;
UPDATE hookreg.live_pointers SET live_release_id = '00000000-0000-4000-8000-0000000000bb' WHERE hook_name = 'tap_rel2';
SELECT throws_ok($$SET CONSTRAINTS hookreg.live_pointers_release_fkey IMMEDIATE$$, '23503', NULL, 'a dangling pointer is refused at the check');
ROLLBACK TO SAVEPOINT fk;
SET CONSTRAINTS ALL DEFERRED;
SAVEPOINT fk;
UPDATE hookreg.live_pointers SET live_release_id = (SELECT id FROM hookreg.hook_releases WHERE hook_name = 'tap_rel' LIMIT 1)
 WHERE hook_name = 'tap_rel2';
SELECT throws_ok($$SET CONSTRAINTS hookreg.live_pointers_release_fkey IMMEDIATE$$, '23503', NULL, 'a pointer to another hook''s release is refused');
ROLLBACK TO SAVEPOINT fk;
SET CONSTRAINTS ALL DEFERRED;

-- ---- roles: the right role may, every other hookreg role gets 42501 naming it
\set role_prefix tap
\ir helpers/roles.sql

SET ROLE tap_releaser;
SELECT results_eq($$SELECT version, created FROM hookreg_create_release('tap_rel2', 'x', $$ || quote_literal(:d1) || $$, source_ref => 'y')$$,
                  $$VALUES (2, true)$$, 'hookreg_releaser may create a release');
SELECT results_eq($$SELECT live_version FROM hookreg_set_live('tap_rel2', 1)$$, $$VALUES (1)$$, 'hookreg_releaser may set_live');
RESET ROLE;
SELECT is((SELECT built_by FROM hookreg.hook_releases WHERE hook_name = 'tap_rel2' AND version = 2), 'tap_releaser',
          'built_by is the calling role, not the extension owner');
SELECT is((SELECT array_agg(moved_by ORDER BY id) FROM hookreg.live_moves WHERE hook_name = 'tap_rel2' AND moved_by LIKE 'tap%'),
          ARRAY['tap_releaser', 'tap_releaser'], 'moved_by is the calling role');
SET ROLE tap_admin;
SELECT results_eq($$SELECT live_version FROM hookreg_set_live('tap_rel2', 2)$$, $$VALUES (2)$$, 'hookreg_admin may set_live');
RESET ROLE;

SELECT is((SELECT array_agg(r || ':' || (e).state || ':' || ((e).hint LIKE '%GRANT hookreg_releaser TO ' || r || '%'))
             FROM (SELECT r, pg_temp.error_of(format($$SET ROLE %I; SELECT * FROM hookreg_create_release('tap_rel2', 'x', %L, source_ref => 'y')$$, r, :d1)) AS e
                     FROM unnest(ARRAY['tap_reader', 'tap_runner', 'tap_deployer', 'tap_ops']) AS r) x),
          ARRAY['tap_reader:42501:true', 'tap_runner:42501:true', 'tap_deployer:42501:true', 'tap_ops:42501:true'],
          'create_release: every other role gets 42501 with a hint naming hookreg_releaser');
RESET ROLE;
SELECT is((SELECT array_agg(r || ':' || (e).state || ':' || ((e).hint LIKE '%GRANT hookreg_releaser%'))
             FROM (SELECT r, pg_temp.error_of(format($$SET ROLE %I; SELECT * FROM hookreg_set_live('tap_rel2', 1)$$, r)) AS e
                     FROM unnest(ARRAY['tap_reader', 'tap_runner', 'tap_deployer', 'tap_ops']) AS r) x),
          ARRAY['tap_reader:42501:true', 'tap_runner:42501:true', 'tap_deployer:42501:true', 'tap_ops:42501:true'],
          'set_live: every other role gets 42501 with a hint naming hookreg_releaser');
RESET ROLE;

-- hr_create_release called by the bundled deploy (acting as the owner) still
-- records the calling role.
SET ROLE tap_deployer;
SELECT lives_ok($$SELECT hookreg_deploy_convention('{"title": "TAP releases via deploy", "description": "d",
    "schema": {"id": "tap-rel", "version": "1", "definition": {}}, "file_requirements": {}, "source": null,
    "hooks": [{"name": "tap_dep", "feature": {"kind": "table", "cardinality": "many", "columns": []},
               "runtime": {"image": "img", "digest": "sha256:3333333333333333333333333333333333333333333333333333333333333333"},
               "source_ref": "git@dep"}]}')$$, 'hookreg_deployer deploys a hook with its first release');
RESET ROLE;
SELECT is((SELECT built_by || ':' || m.moved_by || ':' || r.limits::text FROM hookreg.hook_releases r
             JOIN hookreg.live_moves m ON m.to_release_id = r.id WHERE r.hook_name = 'tap_dep'),
          'tap_deployer:tap_deployer:{"cpu": "0.5", "memory": "1g", "timeout_seconds": 300}',
          'a release made by the deploy records the calling role as built_by and moved_by');

SET ROLE tap_runner;
SELECT ok(hookreg_record_run(v1, 'passed', now(), now()) IS NOT NULL, 'hookreg_runner may record a run') FROM tap_v;
RESET ROLE;
SELECT is((SELECT array_agg(r || ':' || (e).state || ':' || ((e).hint LIKE '%GRANT hookreg_runner%'))
             FROM (SELECT r, pg_temp.error_of(format($$SET ROLE %I; SELECT hookreg_record_run(%L, 'passed', now(), now())$$, r, v1)) AS e
                     FROM tap_v, unnest(ARRAY['tap_reader', 'tap_releaser', 'tap_deployer', 'tap_ops']) AS r) x),
          ARRAY['tap_reader:42501:true', 'tap_releaser:42501:true', 'tap_deployer:42501:true', 'tap_ops:42501:true'],
          'record_run: every other role gets 42501 with a hint naming hookreg_runner');
RESET ROLE;

SET ROLE tap_reader;
SELECT lives_ok($$SELECT * FROM hookreg_resolve_live(ARRAY['tap_rel'])$$, 'hookreg_reader may resolve_live');
SELECT lives_ok($$SELECT * FROM hookreg_live_at('tap_rel', now())$$, 'hookreg_reader may live_at');
SELECT isnt_empty($$SELECT * FROM hookreg_provenance(hookreg_run_id('tap:1'))$$, 'hookreg_reader may read provenance');
SELECT throws_ok($$INSERT INTO hookreg.hook_runs (id, release_id, status, started_at, finished_at, duration_s)
                   SELECT gen_random_uuid(), v1, 'passed', now(), now(), 0 FROM tap_v$$, '42501', NULL,
                 'a reader cannot write the tables directly');
RESET ROLE;
SET ROLE tap_releaser;
SELECT throws_ok($$UPDATE hookreg.live_pointers SET live_release_id = NULL$$, '42501', NULL,
                 'a releaser cannot move the pointer directly');
RESET ROLE;
SELECT is((SELECT array_agg(f || ':' || (e).state || ':' || ((e).hint LIKE '%GRANT hookreg_reader TO tap_ops%'))
             FROM (SELECT f, pg_temp.error_of('SET ROLE tap_ops; SELECT * FROM ' || f) AS e
                     FROM unnest(ARRAY['hookreg_resolve_live(ARRAY[''tap_rel''])', 'hookreg_live_at(''tap_rel'', now())',
                                       'hookreg_provenance(hookreg_run_id(''tap:1''))']) AS f) x),
          ARRAY['hookreg_resolve_live(ARRAY[''tap_rel'']):42501:true', 'hookreg_live_at(''tap_rel'', now()):42501:true',
                'hookreg_provenance(hookreg_run_id(''tap:1'')):42501:true'],
          'the readers: hookreg_ops_writer gets 42501 with a hint naming hookreg_reader');
RESET ROLE;

-- A role with no hookreg role at all: 42501 everywhere (the hint where the
-- function is executable by PUBLIC).
SELECT is((pg_temp.error_of('SET ROLE tap_nobody; SELECT * FROM hookreg_resolve_live(ARRAY[''tap_rel''])')).state, '42501',
          'a role without hookreg_reader cannot resolve_live');
RESET ROLE;
SELECT matches((pg_temp.error_of('SET ROLE tap_nobody; SELECT * FROM hookreg_provenance(hookreg_run_id(''tap:1''))')).hint,
               'GRANT hookreg_reader TO tap_nobody', 'its hint names hookreg_reader');
RESET ROLE;
SET ROLE tap_nobody;
SELECT throws_ok($$SELECT * FROM hookreg_create_release('tap_rel', 'i', 'sha256:' || repeat('1', 64), source_ref => 'x')$$,
                 '42501', NULL, 'a role without hookreg roles cannot create a release');
SELECT throws_ok($$SELECT hookreg_record_run('00000000-0000-4000-8000-000000000000', 'passed', now(), now())$$,
                 '42501', NULL, 'a role without hookreg roles cannot record a run');
SELECT is(hookreg_run_id('a'), '53b0aa84-e096-5d6a-a856-d9ae89c9a6c5', 'hookreg_run_id needs no role');
RESET ROLE;
SET ROLE tap_admin;
SELECT results_eq($$SELECT created FROM hookreg_create_release('tap_rel2', 'x', 'sha256:' || repeat('4', 64), source_ref => 'y')$$,
                  $$VALUES (true)$$, 'hookreg_admin may create a release');
SELECT ok(hookreg_record_run(v1, 'passed', now(), now()) IS NOT NULL, 'hookreg_admin may record a run') FROM tap_v;
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
