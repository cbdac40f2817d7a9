-- the seed's adapter: one INSERT (the id is made by the client)
\set h random(1000, 1999)
\set v random(1, 10)
INSERT INTO seed.hook_runs (id, release_id, status, started_at, finished_at, duration_s, oom_retries, log_ref) VALUES (gen_random_uuid(), md5('rel/b' || :h::int || '/' || :v::int)::uuid, 'passed', now() - interval '2 seconds', now(), 2.0, 0, NULL);
