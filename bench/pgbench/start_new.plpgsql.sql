\set t random(1, 1000)
\set w (:t - 1) / 100 + 1
-- identities hold integers up to 2^53 - 1: a larger one has no exact RFC 8785 form (22023)
\set r random(1000000, 9007199254740991)
SELECT * FROM plpg.opsrun_start(:w::bigint, :t::bigint, 'assignments.fetch', jsonb_build_object('n', :r::bigint), NULL, NULL, '{}');
