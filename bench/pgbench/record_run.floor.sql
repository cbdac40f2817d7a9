-- the record_run write-set floor: the run row
\set h random(1000, 1999)
\set v random(1, 10)
INSERT INTO floor.hook_runs (id, release_id, status, started_at, finished_at, duration_s, oom_retries, log_ref, recorded_at) VALUES (gen_random_uuid(), md5('rel/b' || :h::int || '/' || :v::int)::uuid, 'passed', now() - interval '2 seconds', now(), 2.0, 0, NULL, now());
