-- the release write-set floor: the release row, the pointer update and the
-- move row in one statement, with no lock, lookup or check (version from a
-- sequence, from_release_id any valid release: the same FK probe)
\set h random(1000, 1999)
\set r random(1000000, 9000000000000000000)
WITH r AS (INSERT INTO floor.hook_releases (id, hook_name, version, image, digest, config, limits, release_digest, source_ref, built_by) VALUES (gen_random_uuid(), 'b' || :h::int, nextval('floor.version_seq'), 'registry.example.org/bench/b' || :h::int, 'sha256:' || lpad(to_hex(:r::bigint), 64, '0'), '{}', '{"cpu": "0.5", "memory": "1g", "timeout_seconds": 300}', 'sha256:' || lpad(to_hex(:r::bigint), 64, '0'), 'git-bench', 'bench_app') RETURNING id, hook_name, version), p AS (UPDATE floor.live_pointers p SET live_release_id = r.id, last_version = r.version, moved_at = now() FROM r WHERE p.hook_name = r.hook_name RETURNING p.hook_name) INSERT INTO floor.live_moves (hook_name, from_release_id, to_release_id, reason, moved_by) SELECT r.hook_name, r.id, r.id, 'release', 'bench_app' FROM r;
