-- reference: a bare single-row INSERT (one bigint column, no index)
\set r random(1000000, 9000000000000000000)
INSERT INTO floor.bare (v) VALUES (:r::bigint);
