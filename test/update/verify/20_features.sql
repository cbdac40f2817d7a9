-- test/update/verify/20_features.sql: after the update, the feature tables of
-- test/update/populate/20_features.sql (and 00_base.sql) have the form of a
-- table registered at 0.2.0: the provenance trigger instead of the foreign
-- key, runners' INSERT on their columns only; every row is kept, the one of
-- 0.1.0 that names another hook's run included (doc/upgrading.md lists such
-- rows with the query used below), and new rows are checked.
BEGIN;
SELECT plan(14);
\ir ../../tap/helpers/errors.sql

-- A table registered now with the spec of an updated one, for comparison.
SELECT lives_ok($$SELECT hookreg_register_hook('fu_fresh', (SELECT feature_spec FROM hookreg.hooks WHERE name = 'fu_scores'))$$,
                'a hook with fu_scores'' spec registers at 0.2.0');

-- form(table, hook): the catalog facts of a feature table, its hook's name
-- replaced by HOOK.
CREATE FUNCTION pg_temp.form(t regclass, hook text) RETURNS SETOF text LANGUAGE sql AS $$
    SELECT replace(l, hook, 'HOOK') FROM (
        SELECT format('column %s %s %s %s %s %s', a.attnum, a.attname, format_type(a.atttypid, a.atttypmod),
                      a.attnotnull, a.attidentity, pg_get_expr(d.adbin, d.adrelid)) AS l
          FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
         WHERE a.attrelid = t AND a.attnum > 0 AND NOT a.attisdropped
        UNION ALL
        SELECT format('column-acl %s %s', a.attname, a.attacl) FROM pg_attribute a
         WHERE a.attrelid = t AND a.attnum > 0 AND NOT a.attisdropped AND a.attacl IS NOT NULL
        UNION ALL
        SELECT format('constraint %s %s', conname, pg_get_constraintdef(oid)) FROM pg_constraint WHERE conrelid = t
        UNION ALL
        SELECT format('index %s', pg_get_indexdef(indexrelid)) FROM pg_index WHERE indrelid = t
        UNION ALL
        SELECT format('trigger %s %s %s', tgname, tgenabled, pg_get_triggerdef(oid)) FROM pg_trigger WHERE tgrelid = t
        UNION ALL
        SELECT format('table %s %s %s', relowner::regrole, relacl, obj_description(oid, 'pg_class'))
          FROM pg_class WHERE oid = t) s
    ORDER BY 1 $$;

SELECT results_eq($$SELECT * FROM pg_temp.form('hookreg_features.fu_scores', 'fu_scores')$$,
                  $$SELECT * FROM pg_temp.form('hookreg_features.fu_fresh', 'fu_fresh')$$,
                  'an updated feature table has the columns, grants, constraints, indexes and trigger of one registered at 0.2.0');
SELECT is((SELECT count(*)::int FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
            WHERE t.relnamespace = 'hookreg_features'::regnamespace AND c.contype = 'f'),
          0, 'no feature table keeps its foreign key to hook_runs');
SELECT is((SELECT count(*)::int FROM hookreg.hooks h
            WHERE (SELECT count(*) FROM pg_trigger t WHERE t.tgrelid = h.feature_table
                      AND t.tgname = h.name || '-run_id-check'
                      AND t.tgfoid = 'hookreg.feature_run_check()'::regprocedure) <> 1),
          0, 'every feature table of every hook has the provenance trigger');
SELECT is((SELECT count(*)::int FROM hookreg.hooks h
            WHERE has_table_privilege('hookreg_runner', h.feature_table, 'INSERT')
               OR has_column_privilege('hookreg_runner', h.feature_table, 'id', 'INSERT')
               OR has_column_privilege('hookreg_runner', h.feature_table, 'created_at', 'INSERT')
               OR NOT has_column_privilege('hookreg_runner', h.feature_table, 'run_id', 'INSERT')
               OR NOT has_column_privilege('hookreg_runner', h.feature_table, 'subject', 'INSERT')),
          0, 'on every feature table runners insert run_id and subject, not id nor created_at');
SELECT is((SELECT count(*)::int FROM pg_trigger WHERE tgrelid = 'hookreg.hook_runs'::regclass
              AND tgconstrrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'hookreg_features'::regnamespace)),
          0, 'hook_runs carries no trigger of a feature table any more');

-- Every row is kept.
SELECT results_eq($$SELECT subject, score, note, "select" FROM hookreg_features.fu_scores ORDER BY subject, score$$,
                  $$VALUES ('rec-1'::text, 0.5::float8, 'first'::text, true), ('rec-1', 0.75, NULL, false),
                           ('rec-2', 1, 'second', NULL), ('rec-foreign', 9, 'names a run of fu_spans', NULL)$$,
                  'every fu_scores row of 0.1.0 is kept, the one naming another hook''s run included');
SELECT is((SELECT count(*)::int FROM hookreg_features.fu_spans), 2, 'every fu_spans row is kept');

-- The documented query lists exactly the rows of 0.1.0 that name another
-- hook's run (doc/upgrading.md, "Feature rows naming another hook's run").
CREATE FUNCTION pg_temp.foreign_rows() RETURNS TABLE (hook text, id bigint, run_id uuid, run_hook text)
LANGUAGE plpgsql AS $$
DECLARE h record;
BEGIN
    FOR h IN SELECT name, feature_table FROM hookreg.hooks ORDER BY name LOOP
        RETURN QUERY EXECUTE format(
            'SELECT %L::text, f.id, f.run_id, r.hook_name FROM %s f'
            '  JOIN hookreg.hook_runs u ON u.id = f.run_id'
            '  JOIN hookreg.hook_releases r ON r.id = u.release_id'
            ' WHERE r.hook_name <> %L', h.name, h.feature_table, h.name);
    END LOOP;
END $$;
SELECT results_eq($$SELECT hook, run_hook FROM pg_temp.foreign_rows()$$,
                  $$VALUES ('fu_scores'::text, 'fu_spans'::text)$$,
                  'the documented query finds the one row of 0.1.0 naming another hook''s run');

-- New rows are checked.
SELECT throws_ok($$INSERT INTO hookreg_features.fu_scores (run_id, subject, score)
                   VALUES (hookreg_run_id('fu:spans'), 'new-foreign', 1)$$,
                 '23503', NULL, 'after the update a new row naming another hook''s run is refused');
SELECT throws_ok($$INSERT INTO hookreg_features.fu_scores (run_id, subject, score)
                   VALUES ('00000000-0000-4000-8000-00000000dead', 'new-none', 1)$$,
                 '23503', NULL, 'and one naming no run');
SELECT lives_ok($$INSERT INTO hookreg_features.fu_scores (run_id, subject, score)
                  VALUES (hookreg_run_id('fu:scores1'), 'new-own', 1)$$,
                'a row naming its own hook''s run of 0.1.0 is accepted');
CREATE ROLE fu_runner IN ROLE hookreg_runner;
SET ROLE fu_runner;
SELECT throws_ok($$INSERT INTO hookreg_features.fu_spans (id, run_id, subject, start) OVERRIDING SYSTEM VALUE
                   VALUES (1000000, hookreg_run_id('fu:spans'), 'squat', 1)$$,
                 '42501', NULL, 'a runner may not squat ids in an updated table');
SELECT throws_ok($$INSERT INTO hookreg_features.fu_spans (run_id, subject, start, created_at)
                   VALUES (hookreg_run_id('fu:spans'), 'old', 1, '1970-01-01')$$,
                 '42501', NULL, 'a runner may not back-date rows of an updated table');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
