-- opsrun_start, the identity of an active run (dedupe hit, writes nothing)
\set t random(1, 1000)
\set w (:t - 1) / 100 + 1
SELECT * FROM opsrun_start(:w::bigint, :t::bigint, 'assignments.fetch', jsonb_build_object('k', :t::bigint), NULL, NULL, '{}');
