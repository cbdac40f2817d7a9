-- A role that may read feature tables but not write them gets 42501 with the
-- GRANT to run, as the functions give, not PostgreSQL's bare "permission
-- denied"; runners still insert, and only their columns.
BEGIN;
\ir helpers/errors.sql
SELECT plan(9);

SELECT count(*) FROM hookreg_register_hook('ops_feat', '{"kind": "table", "cardinality": "many",
  "columns": [{"name": "score", "json_type": "number", "required": true}]}');
SELECT count(*) FROM hookreg_create_release('ops_feat', 'img', 'sha256:' || repeat('9', 64), source_ref => 'git:f');
SELECT hookreg_record_run(r.id, 'passed', now() - interval '1 minute', now(), 0, NULL, NULL, hookreg_run_id('ops_feat:1'))
  FROM hookreg.hook_releases r WHERE r.hook_name = 'ops_feat';

SET LOCAL ROLE hookreg_reader;
SELECT is((pg_temp.error_of($$INSERT INTO hookreg_features.ops_feat (run_id, subject, score)
                               VALUES (hookreg_run_id('ops_feat:1'), 's', 1)$$)).state, '42501',
          'a reader inserting a feature row: 42501');
SELECT is((pg_temp.error_of($$INSERT INTO hookreg_features.ops_feat (run_id, subject, score)
                               VALUES (hookreg_run_id('ops_feat:1'), 's', 1)$$)).hint,
          'Grant the role to the caller: GRANT hookreg_runner TO hookreg_reader;',
          'with the hint naming the role to grant');
SELECT is((pg_temp.error_of($$INSERT INTO hookreg_features.ops_feat (run_id, subject, score)
                               SELECT hookreg_run_id('ops_feat:1'), 's', 1 WHERE false$$)).hint,
          'Grant the role to the caller: GRANT hookreg_runner TO hookreg_reader;',
          'also for a statement that would insert no row (the check is per statement)');
SELECT is((pg_temp.error_of($$COPY hookreg_features.ops_feat (run_id, subject, score) FROM PROGRAM 'true'$$)).state,
          '42501', 'COPY into a feature table is refused too');
RESET ROLE;
SET LOCAL ROLE hookreg_releaser;
SELECT is((pg_temp.error_of($$INSERT INTO hookreg_features.ops_feat (run_id, subject, score)
                               VALUES (hookreg_run_id('ops_feat:1'), 's', 1)$$)).hint,
          'Grant the role to the caller: GRANT hookreg_runner TO hookreg_releaser;',
          'a releaser (a reader, not a runner) gets the hint naming itself');
RESET ROLE;
SET LOCAL ROLE hookreg_runner;
SELECT lives_ok($$INSERT INTO hookreg_features.ops_feat (run_id, subject, score)
                  VALUES (hookreg_run_id('ops_feat:1'), 's', 1)$$, 'a runner inserts');
SELECT is((pg_temp.error_of($$INSERT INTO hookreg_features.ops_feat (run_id, subject, score, created_at)
                               VALUES (hookreg_run_id('ops_feat:1'), 's', 1, now())$$)).state, '42501',
          'a runner still writes only its columns (created_at refused by the column privilege)');
RESET ROLE;
SELECT is((SELECT count(*) FROM hookreg_features.ops_feat), 1::bigint, 'only the runner''s row is there');
SELECT ok(NOT has_table_privilege('hookreg_reader', 'hookreg_features.ops_feat', 'UPDATE, DELETE, TRUNCATE'),
          'readers may still not update, delete or truncate');

SELECT * FROM finish();
ROLLBACK;
