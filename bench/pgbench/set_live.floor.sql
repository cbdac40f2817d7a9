-- the set_live write-set floor: the pointer update and the move row
\set h random(1000, 1999)
\set v random(1, 10)
WITH p AS (UPDATE floor.live_pointers SET live_release_id = md5('rel/b' || :h::int || '/' || :v::int)::uuid, moved_at = now() WHERE hook_name = 'b' || :h::int RETURNING hook_name, live_release_id) INSERT INTO floor.live_moves (hook_name, from_release_id, to_release_id, reason, moved_by) SELECT hook_name, live_release_id, live_release_id, 'set_live', 'bench_app' FROM p;
