\set id :id + 1
\set rid 1000000000 + :client_id * 10000000 + :id
SELECT * FROM plpg.opsrun_complete(:rid::bigint, 'failed', bench.counts(), bench.failures_raw());
