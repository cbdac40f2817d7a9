-- opsrun_complete of a fresh queued run with outcome failed, counters to
-- normalize and a failure summary full of secrets to sanitize and merge
\set id :id + 1
\set rid 1000000000 + :client_id * 10000000 + :id
SELECT * FROM opsrun_complete(:rid::bigint, 'failed', bench.counts(), bench.failures_raw());
