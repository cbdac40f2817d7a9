-- hooks phase: hookreg_set_live, one of the 20 measured hooks to version 1 or 2
\set h random(1, 20)
\set v random(1, 2)
SELECT * FROM hookreg_set_live('k' || lpad(:h::text, 6, '0'), :v::int);
