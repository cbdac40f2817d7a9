-- Feature rows and their runs (0.2.0; doc/design.md, "Per-row provenance"): a
-- feature row names a run of a release of its own hook, checked by the trigger
-- hookreg.feature_run_check for every way in and every writer, the table owner
-- included; runners write only their own columns. The same attacks by separate
-- login roles: test/suites/feature_attacks.sh.
BEGIN;
SELECT plan(49);
\ir helpers/errors.sql

CREATE ROLE fr_runner IN ROLE hookreg_runner;
CREATE ROLE fr_reader IN ROLE hookreg_reader;

-- Two hooks, a release of each (the first one with two), a run of each.
DO $$
BEGIN
    PERFORM hookreg_register_hook('fr_one', '{"kind": "table", "cardinality": "one",
        "columns": [{"name": "score", "json_type": "number", "required": true}]}');
    PERFORM hookreg_register_hook('fr_many', '{"kind": "table", "cardinality": "many", "columns": []}');
END $$;
SELECT release_id AS rel_one1 FROM hookreg_create_release('fr_one', 'img', 'sha256:' || repeat('a', 64),
       source_ref => 'git:1') \gset
SELECT release_id AS rel_one2 FROM hookreg_create_release('fr_one', 'img', 'sha256:' || repeat('b', 64),
       source_ref => 'git:2') \gset
SELECT release_id AS rel_many FROM hookreg_create_release('fr_many', 'img', 'sha256:' || repeat('c', 64),
       source_ref => 'git:3') \gset
SELECT hookreg_record_run(:'rel_one1', 'passed', '2026-01-01 00:00Z', '2026-01-01 00:01Z',
                          run_id => hookreg_run_id('fr:one1')) AS run_one1 \gset
SELECT hookreg_record_run(:'rel_one2', 'passed', '2026-01-01 00:00Z', '2026-01-01 00:01Z',
                          run_id => hookreg_run_id('fr:one2')) AS run_one2 \gset
SELECT hookreg_record_run(:'rel_many', 'passed', '2026-01-01 00:00Z', '2026-01-01 00:01Z',
                          run_id => hookreg_run_id('fr:many')) AS run_many \gset
\set unknown '00000000-0000-4000-8000-00000000dead'

-- ---- the form of the check ---------------------------------------------------
SELECT has_function('hookreg', 'feature_run_check', '{}'::name[], 'hookreg.feature_run_check() exists in schema hookreg');
SELECT function_lang_is('hookreg', 'feature_run_check', '{}'::name[], 'c', 'it is written in C');
SELECT ok(NOT has_function_privilege('public', 'hookreg.feature_run_check()', 'EXECUTE'),
          'it is not executable by PUBLIC');
SELECT is((SELECT count(*)::int FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
            WHERE t.relnamespace = 'hookreg_features'::regnamespace AND c.contype = 'f'),
          0, 'no feature table has a foreign key (none puts triggers on hook_runs)');
SELECT is((SELECT count(*)::int FROM pg_trigger WHERE tgrelid = 'hookreg.hook_runs'::regclass
              AND tgconstrrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'hookreg_features'::regnamespace)),
          0, 'hook_runs carries no constraint triggers of feature tables');
SELECT results_eq(
    $$SELECT tgname::text COLLATE "default", tgenabled::text COLLATE "default", pg_get_triggerdef(oid)
        FROM pg_trigger WHERE tgrelid = 'hookreg_features.fr_one'::regclass ORDER BY tgname$$,
    $$VALUES ('fr_one-insert-check', 'O',
              'CREATE TRIGGER "fr_one-insert-check" BEFORE INSERT ON hookreg_features.fr_one'
              || ' FOR EACH STATEMENT EXECUTE FUNCTION hookreg.feature_insert_check()'),
             ('fr_one-run_id-check', 'O',
              'CREATE TRIGGER "fr_one-run_id-check" BEFORE INSERT OR UPDATE OF run_id ON hookreg_features.fr_one'
              || ' FOR EACH ROW EXECUTE FUNCTION hookreg.feature_run_check(''fr_one'')')$$,
    'each feature table has the provenance trigger, enabled, with its hook''s name, and the statement trigger of the writer''s role');
SELECT is((SELECT count(*)::int FROM hookreg.hooks h
            WHERE NOT EXISTS (SELECT FROM pg_trigger t WHERE t.tgrelid = h.feature_table
                                 AND t.tgfoid = 'hookreg.feature_run_check()'::regprocedure)),
          0, 'every registered hook''s table has it');
SELECT results_eq(
    $$SELECT attname::text COLLATE "default" FROM pg_attribute
       WHERE attrelid = 'hookreg_features.fr_one'::regclass AND attnum > 0 AND NOT attisdropped
         AND has_column_privilege('hookreg_runner', attrelid, attnum, 'INSERT') ORDER BY attnum$$,
    $$VALUES ('run_id'), ('subject'), ('score')$$,
    'runners may insert run_id, subject and the spec''s columns, not id nor created_at');
SELECT ok(NOT has_table_privilege('hookreg_runner', 'hookreg_features.fr_one', 'INSERT'),
          'runners have no table-wide INSERT');

-- ---- the owner (this session: superuser, owner of the feature tables) --------
SELECT is((SELECT tableowner::text FROM pg_tables WHERE schemaname = 'hookreg_features' AND tablename = 'fr_one'),
          current_user::text, 'this session owns the feature tables');
SELECT lives_ok(format($$INSERT INTO hookreg_features.fr_one (run_id, subject, score) VALUES (%L, 's1', 1)$$, :'run_one2'),
                'a row naming a run of its own hook''s live release is accepted');
SELECT lives_ok(format($$INSERT INTO hookreg_features.fr_one (run_id, subject, score) VALUES (%L, 's1', 1)$$, :'run_one1'),
                'a row naming a run of an older release of its own hook is accepted');
SELECT throws_ok(format($$INSERT INTO hookreg_features.fr_one (run_id, subject, score) VALUES (%L, 'x', 1)$$, :'run_many'),
                 '23503', 'insert or update on table "fr_one" violates run check "fr_one-run_id-check"',
                 'INSERT naming another hook''s run: 23503, even for the owner');
SELECT is((SELECT ARRAY[e.state, e.message, e.detail, e.hint]
             FROM pg_temp.error_of(format($$INSERT INTO hookreg_features.fr_one (run_id, subject, score) VALUES (%L, 'x', 1)$$, :'run_many')) e),
          ARRAY['23503', 'insert or update on table "fr_one" violates run check "fr_one-run_id-check"',
                format('Key (run_id)=(%s) is a run of hook "fr_many" (release version 1), not of hook "fr_one".', :'run_many'),
                'A feature row names a run of a release of its own hook: record the run against a release of hook "fr_one".'],
          'the error names the run, the hook it belongs to and the hook of the table');
SELECT throws_ok(format($$INSERT INTO hookreg_features.fr_one (run_id, subject, score) VALUES (%L, 'x', 1)$$, :'unknown'),
                 '23503', NULL, 'INSERT naming no run: 23503');
SELECT is((pg_temp.error_of(format($$INSERT INTO hookreg_features.fr_one (run_id, subject, score) VALUES (%L, 'x', 1)$$, :'unknown'))).detail,
          format('Key (run_id)=(%s) is not present in table "hook_runs".', :'unknown'),
          'its detail reads like a foreign key''s');
SELECT throws_ok(format($$INSERT INTO hookreg_features.fr_one (run_id, subject, score)
                          SELECT %L::uuid, 'sel' || g, g FROM generate_series(1, 50) g
                          UNION ALL SELECT %L::uuid, 'sel-bad', 0$$, :'run_one2', :'run_many'),
                 '23503', NULL, 'INSERT ... SELECT with one bad row among 50 good ones (same run): 23503');
SELECT is((SELECT count(*)::int FROM hookreg_features.fr_one WHERE subject LIKE 'sel%'), 0,
          'and none of its rows is written');
SELECT lives_ok(format($$INSERT INTO hookreg_features.fr_one (run_id, subject, score)
                         SELECT %L::uuid, 'ok' || g, g FROM generate_series(1, 50) g$$, :'run_one2'),
                'INSERT ... SELECT of good rows is accepted');
SELECT throws_ok(format($$INSERT INTO hookreg_features.fr_one (run_id, subject, score) VALUES (%L, 's1', 1)
                          ON CONFLICT DO NOTHING$$, :'run_many'),
                 '23503', NULL, 'INSERT ... ON CONFLICT DO NOTHING naming another hook''s run: 23503');
SELECT throws_ok(format($$INSERT INTO hookreg_features.fr_one (run_id, subject, score) VALUES (%L, 's1', 1)
                          ON CONFLICT (run_id, subject) DO UPDATE SET run_id = %L$$, :'run_one2', :'run_many'),
                 '23503', NULL, 'ON CONFLICT DO UPDATE moving a row to another hook''s run: 23503');
SELECT lives_ok(format($$INSERT INTO hookreg_features.fr_one (run_id, subject, score) VALUES (%L, 's1', 1)
                         ON CONFLICT (run_id, subject) DO UPDATE SET score = 2$$, :'run_one2'),
                'ON CONFLICT DO UPDATE of other columns is accepted');
SELECT throws_ok(format($$UPDATE hookreg_features.fr_one SET run_id = %L WHERE subject = 's1'$$, :'run_many'),
                 '23503', NULL, 'UPDATE of run_id to another hook''s run: 23503');
SELECT lives_ok(format($$UPDATE hookreg_features.fr_one SET run_id = %L WHERE subject = 'ok1'$$, :'run_one1'),
                'UPDATE of run_id to a run of its own hook is accepted');
SELECT throws_ok(format($$COPY hookreg_features.fr_one (run_id, subject, score) FROM PROGRAM %L$$,
                        format('printf "%s\tc1\t1\n%s\tc2\t1\n"', :'run_one2', :'run_many')),
                 '23503', NULL, 'COPY with a row naming another hook''s run: 23503');
SELECT lives_ok(format($$COPY hookreg_features.fr_one (run_id, subject, score) FROM PROGRAM %L$$,
                       format('printf "%s\tc1\t1\n%s\tc2\t1\n"', :'run_one2', :'run_one1')),
                'COPY of good rows is accepted');
SELECT lives_ok(format($$WITH run AS (SELECT hookreg_record_run(%L, 'passed', now(), now(), run_id => hookreg_run_id('fr:cte')) AS id)
                         INSERT INTO hookreg_features.fr_one (run_id, subject, score) SELECT id, 'cte', 1 FROM run$$, :'rel_one2'),
                'a run recorded in the same statement (a CTE) is accepted');
SELECT throws_ok(format($$WITH run AS (SELECT hookreg_record_run(%L, 'passed', now(), now(), run_id => hookreg_run_id('fr:cte2')) AS id)
                          INSERT INTO hookreg_features.fr_one (run_id, subject, score) SELECT id, 'cte2', 1 FROM run$$, :'rel_many'),
                 '23503', NULL, 'a run of another hook recorded in the same statement is refused');
SELECT throws_ok(format($$INSERT INTO hookreg_features.fr_many (run_id, subject) VALUES (%L, 'x')$$, :'run_one1'),
                 '23503', NULL, 'the other table refuses the first hook''s run');
SELECT lives_ok(format($$INSERT INTO hookreg_features.fr_many (run_id, subject) VALUES (%L, 'x'), (%L, 'x')$$,
                       :'run_many', :'run_many'),
                'and takes its own');
SELECT throws_ok($$INSERT INTO hookreg_features.fr_one (run_id, subject, score) VALUES (NULL, 'n', 1)$$,
                 '23502', NULL, 'a null run_id is refused by NOT NULL');
SELECT throws_ok($$SELECT hookreg.feature_run_check()$$, '39P01', NULL,
                 'the trigger function cannot be called directly');

-- The one way around it: a superuser with session_replication_role = replica
-- (as for foreign keys); documented in doc/design.md.
SAVEPOINT replica;
SET LOCAL session_replication_role = replica;
SELECT lives_ok(format($$INSERT INTO hookreg_features.fr_one (run_id, subject, score) VALUES (%L, 'replica', 1)$$, :'run_many'),
                'session_replication_role = replica (superuser only) skips the check, as it skips foreign keys');
ROLLBACK TO SAVEPOINT replica;
SET ROLE fr_runner;
SELECT throws_ok($$SET session_replication_role = replica$$, '42501', NULL,
                 'a runner may not set session_replication_role');
RESET ROLE;

-- ---- a runner -----------------------------------------------------------------
SET ROLE fr_runner;
SELECT lives_ok(format($$INSERT INTO hookreg_features.fr_one (run_id, subject, score) VALUES (%L, 'r1', 1)$$, :'run_one2'),
                'a runner inserts a row naming its hook''s run');
SELECT throws_ok(format($$INSERT INTO hookreg_features.fr_one (run_id, subject, score) VALUES (%L, 'r2', 1)$$, :'run_many'),
                 '23503', NULL, 'a runner: another hook''s run, 23503');
SELECT throws_ok(format($$INSERT INTO hookreg_features.fr_one (run_id, subject, score)
                          SELECT %L::uuid, 'rs' || g, g FROM generate_series(1, 3) g
                          UNION ALL SELECT %L::uuid, 'rs-bad', 0$$, :'run_one2', :'run_many'),
                 '23503', NULL, 'a runner: INSERT ... SELECT with another hook''s run, 23503');
SELECT throws_ok(format($$INSERT INTO hookreg_features.fr_one (run_id, subject, score) VALUES (%L, 'r3', 1)
                          ON CONFLICT DO NOTHING$$, :'unknown'),
                 '23503', NULL, 'a runner: ON CONFLICT DO NOTHING naming no run, 23503');
SELECT throws_ok(format($$INSERT INTO hookreg_features.fr_one (id, run_id, subject, score) OVERRIDING SYSTEM VALUE
                          VALUES (1000000, %L, 'r4', 1)$$, :'run_one2'),
                 '42501', 'permission denied for table fr_one',
                 'a runner may not squat ids with OVERRIDING SYSTEM VALUE');
SELECT throws_ok(format($$INSERT INTO hookreg_features.fr_one (run_id, subject, score, created_at)
                          VALUES (%L, 'r5', 1, '1970-01-01')$$, :'run_one2'),
                 '42501', 'permission denied for table fr_one', 'a runner may not back-date created_at');
SELECT throws_ok(format($$INSERT INTO hookreg_features.fr_one (run_id, subject, score) VALUES (%L, 'r6', 1)
                          ON CONFLICT (run_id, subject) DO UPDATE SET score = 9$$, :'run_one2'),
                 '42501', NULL, 'a runner may not update rows through ON CONFLICT DO UPDATE');
SELECT throws_ok($$UPDATE hookreg_features.fr_one SET score = 9$$, '42501', NULL, 'a runner may not UPDATE');
SELECT throws_ok($$SELECT nextval('hookreg_features."fr_one-id-seq"')$$, '42501', NULL,
                 'a runner may not draw ids from the sequence');
RESET ROLE;
SELECT is((SELECT count(*)::int FROM hookreg_features.fr_one WHERE subject LIKE 'r%'), 1,
          'of the runner''s attempts only the good row is there');
SELECT cmp_ok((SELECT max(id) FROM hookreg_features.fr_one), '<', 1000000::bigint, 'no id was squatted');
SELECT is((SELECT count(*)::int FROM hookreg_features.fr_one WHERE created_at < now()), 0,
          'no row is back-dated');

SET ROLE fr_reader;
SELECT throws_ok(format($$INSERT INTO hookreg_features.fr_one (run_id, subject, score) VALUES (%L, 'rd', 1)$$, :'run_one2'),
                 '42501', NULL, 'a reader may not insert at all');
RESET ROLE;

-- ---- provenance: one join per row -------------------------------------------------
SELECT results_eq(
    $$SELECT f.subject, p.hook_name, p.version, p.digest, p.source_ref
        FROM hookreg_features.fr_one f
        JOIN hookreg.hook_runs u ON u.id = f.run_id
        JOIN hookreg.release_history p ON p.release_id = u.release_id
       WHERE f.subject IN ('s1', 'ok1') ORDER BY f.subject, p.version$$,
    $$VALUES ('ok1'::text, 'fr_one'::text, 1, 'sha256:' || repeat('a', 64), 'git:1'::text),
             ('s1', 'fr_one', 1, 'sha256:' || repeat('a', 64), 'git:1'),
             ('s1', 'fr_one', 2, 'sha256:' || repeat('b', 64), 'git:2')$$,
    'each row leads, one join per step, to the release of its own hook that produced it');
SELECT is((SELECT count(*)::int
             FROM (SELECT 'fr_one' AS hook, run_id FROM hookreg_features.fr_one
                   UNION ALL SELECT 'fr_many', run_id FROM hookreg_features.fr_many) f
             LEFT JOIN hookreg.hook_runs u ON u.id = f.run_id
             LEFT JOIN hookreg.hook_releases r ON r.id = u.release_id
            WHERE r.hook_name IS DISTINCT FROM f.hook),
          0, 'every feature row names a run of its own hook');

SELECT * FROM finish();
ROLLBACK;
