-- the seed's client transaction: lock the hook, look up the version, repoint
\set h random(1000, 1999)
\set v random(1, 10)
BEGIN;
SELECT name FROM seed.hooks WHERE name = 'b' || :h::int FOR UPDATE;
SELECT id AS rid FROM seed.hook_releases WHERE hook_name = 'b' || :h::int AND version = :v::int \gset
UPDATE seed.hooks SET live_release_id = :rid::uuid WHERE name = 'b' || :h::int;
END;
