-- the naive PL/pgSQL a user would write (bench/sql/25_naive.sql), a new identity
\set t random(1, 1000)
\set w (:t - 1) / 100 + 1
\set r random(1000000, 9000000000000000000)
SELECT * FROM naive.opsrun_start(:w::bigint, :t::bigint, 'assignments.fetch', jsonb_build_object('n', :r::bigint), NULL, NULL, '{}');
