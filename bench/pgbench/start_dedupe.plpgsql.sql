\set t random(1, 1000)
\set w (:t - 1) / 100 + 1
SELECT * FROM plpg.opsrun_start(:w::bigint, :t::bigint, 'assignments.fetch', jsonb_build_object('k', :t::bigint), NULL, NULL, '{}');
