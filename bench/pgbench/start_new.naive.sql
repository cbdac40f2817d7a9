-- the naive PL/pgSQL a user would write (bench/sql/25_naive.sql), a new identity
\set t random(1, 1000)
\set w (:t - 1) / 100 + 1
-- identities hold integers up to 2^53 - 1: a larger one has no exact RFC 8785 form (22023)
\set r random(1000000, 9007199254740991)
SELECT * FROM naive.opsrun_start(:w::bigint, :t::bigint, 'assignments.fetch', jsonb_build_object('n', :r::bigint), NULL, NULL, '{}');
