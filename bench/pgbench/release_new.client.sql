-- the seed's client transaction: lock the hook, look up the digest,
-- max(version) + 1, insert the release, point the hook at it
\set h random(1000, 1999)
\set r random(1000000, 9000000000000000000)
BEGIN;
SELECT name FROM seed.hooks WHERE name = 'b' || :h::int FOR UPDATE;
SELECT count(*) AS found FROM seed.hook_releases WHERE hook_name = 'b' || :h::int AND digest = 'sha256:' || lpad(to_hex(:r::bigint), 64, '0') \gset
\if :found = 0
SELECT coalesce(max(version), 0) + 1 AS ver FROM seed.hook_releases WHERE hook_name = 'b' || :h::int \gset
INSERT INTO seed.hook_releases (id, hook_name, version, image, digest, config, limits, source_ref, built_by) VALUES (gen_random_uuid(), 'b' || :h::int, :ver::int, 'registry.example.org/bench/b' || :h::int, 'sha256:' || lpad(to_hex(:r::bigint), 64, '0'), '{}', '{"cpu": "0.5", "memory": "1g", "timeout_seconds": 300}', 'git-bench', 'bench_app') RETURNING id AS rid \gset
UPDATE seed.hooks SET live_release_id = :rid::uuid WHERE name = 'b' || :h::int;
\endif
END;
