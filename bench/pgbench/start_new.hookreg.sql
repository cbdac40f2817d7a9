-- opsrun_start, a new identity (creates a queued run)
\set t random(1, 1000)
\set w (:t - 1) / 100 + 1
\set r random(1000000, 9000000000000000000)
SELECT * FROM opsrun_start(:w::bigint, :t::bigint, 'assignments.fetch', jsonb_build_object('n', :r::bigint), NULL, NULL, '{}');
