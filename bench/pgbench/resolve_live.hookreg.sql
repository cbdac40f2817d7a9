-- hookreg_resolve_live of 20 hooks
\set h random(1000, 1980)
SELECT * FROM hookreg_resolve_live(ARRAY['b' || :h::int, 'b' || (:h::int + 1), 'b' || (:h::int + 2), 'b' || (:h::int + 3), 'b' || (:h::int + 4), 'b' || (:h::int + 5), 'b' || (:h::int + 6), 'b' || (:h::int + 7), 'b' || (:h::int + 8), 'b' || (:h::int + 9), 'b' || (:h::int + 10), 'b' || (:h::int + 11), 'b' || (:h::int + 12), 'b' || (:h::int + 13), 'b' || (:h::int + 14), 'b' || (:h::int + 15), 'b' || (:h::int + 16), 'b' || (:h::int + 17), 'b' || (:h::int + 18), 'b' || (:h::int + 19)]);
