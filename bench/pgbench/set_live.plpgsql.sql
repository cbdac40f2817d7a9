\set h random(1000, 1999)
\set v random(1, 10)
SELECT * FROM plpg.set_live('b' || :h::int, :v::int);
