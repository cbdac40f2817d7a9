-- hooks phase: hookreg_record_run against a release of one of the 20 measured hooks
\set h random(1, 20)
SELECT hookreg_record_run(md5('hk/rel/' || :h::int || '/1')::uuid, 'passed', now() - interval '2 seconds', now(), 0, NULL, NULL, NULL);
