-- bench/sql/70_hooks.sql: a database of the hooks phase (bench/hooks.sh):
-- :hooks hooks k000001.. (psql variable), of which the first 20 are measured:
-- each has two releases (md5('hk/rel/<h>/<v>')::uuid, version 2 live) and a
-- run (md5('hk/run/<h>')::uuid); the others are registered only, as a large
-- registry's are. Registered in transactions of 250 (each within its share of
-- the lock table).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS hookreg;
GRANT hookreg_admin TO bench_app;
CREATE FUNCTION pg_temp.spec() RETURNS jsonb LANGUAGE sql AS $$
    SELECT '{"kind": "table", "cardinality": "many", "columns": [
              {"name": "score", "json_type": "number"}, {"name": "label", "json_type": "string"}]}'::jsonb $$;
SELECT count(*) FROM generate_series(1, 20) h,
       hookreg_register_hook('k' || lpad(h::text, 6, '0'), pg_temp.spec());
INSERT INTO hookreg.hook_releases (id, hook_name, version, image, digest, config, limits, release_digest, source_ref, built_by)
SELECT md5('hk/rel/' || h || '/' || v)::uuid, 'k' || lpad(h::text, 6, '0'), v, 'registry.example.org/hk',
       'sha256:' || md5(h || '/' || v) || md5(v || '/' || h), '{}', '{}', 'sha256:' || md5('d' || h || '/' || v) || md5(v || 'd'),
       'git-hk', 'bench'
  FROM generate_series(1, 20) h, generate_series(1, 2) v;
UPDATE hookreg.live_pointers SET live_release_id = md5('hk/rel/' || substr(hook_name, 2)::int || '/2')::uuid, last_version = 2
 WHERE hook_name LIKE 'k%';
SELECT count(*) FROM generate_series(1, 20) h,
       hookreg_record_run(md5('hk/rel/' || h || '/1')::uuid, 'passed', now(), now(), run_id => md5('hk/run/' || h)::uuid);
\o /dev/null
SELECT format('SELECT count(*) FROM generate_series(%s, %s) h, hookreg_register_hook(''k'' || lpad(h::text, 6, ''0''), %L::jsonb)',
              lo, least(lo + 249, :hooks), pg_temp.spec())
  FROM generate_series(21, :hooks, 250) lo \gexec
\o
VACUUM ANALYZE;
