-- hookreg_set_live: repoint a random hook to one of its versions 1..10
\set h random(1000, 1999)
\set v random(1, 10)
SELECT * FROM hookreg_set_live('b' || :h::int, :v::int);
