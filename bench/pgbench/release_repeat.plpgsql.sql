-- the PL/pgSQL equivalent of hookreg_create_release
\set h random(1000, 1999)
\set v random(1, 10)
SELECT * FROM plpg.create_release('b' || :h::int, 'registry.example.org/bench/b' || :h::int, 'sha256:' || lpad(to_hex(:h::bigint * 100 + :v::int), 64, '0'), '{}', '{}', 'git-bench', NULL);
