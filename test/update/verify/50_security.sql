-- Security after the update from 0.1.0 (src/update/.../50_security.sql).
BEGIN;
SELECT plan(3);

SELECT is((SELECT command FROM cron.job WHERE jobname = 'hookreg-reconcile'),
          'SELECT * FROM hookreg.reconcile_job()',
          'the 0.1.0 housekeeping job now runs the entry point in schema hookreg');
SELECT is((SELECT username || ' ' || schedule || ' ' || active FROM cron.job WHERE jobname = 'hookreg-reconcile'),
          (SELECT pg_get_userbyid(extowner) || ' 0 3 29 2 * true' FROM pg_extension WHERE extname = 'hookreg'),
          'its user (the extension owner), schedule and active flag are kept');
SELECT lives_ok($$SELECT * FROM hookreg.reconcile_job()$$, 'the job''s command runs');

SELECT * FROM finish();
ROLLBACK;
