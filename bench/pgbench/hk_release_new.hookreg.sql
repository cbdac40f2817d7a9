-- hooks phase: hookreg_create_release, a new version of one of the 20 measured hooks
\set h random(1, 20)
\set r random(1000000, 9000000000000000000)
SELECT * FROM hookreg_create_release('k' || lpad(:h::text, 6, '0'), 'registry.example.org/hk', 'sha256:' || lpad(to_hex(:r::bigint), 64, '0'), '{}', '{}', 'git-hk', NULL);
