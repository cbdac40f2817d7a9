-- the naive PL/pgSQL a user would write (bench/sql/25_naive.sql)
\set h random(1000, 1999)
\set r random(1000000, 9000000000000000000)
SELECT * FROM naive.create_release('b' || :h::int, 'registry.example.org/bench/b' || :h::int, 'sha256:' || lpad(to_hex(:r::bigint), 64, '0'), '{}', '{}', 'git-bench', NULL);
