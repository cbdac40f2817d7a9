-- the opsrun_complete write-set floor: the one row update
\set id :id + 1
\set rid 1000000000 + :client_id * 10000000 + :id
UPDATE floor.operation_runs SET status = 'completed', outcome = 'failed', summary_counts = bench.counts(), failure_summary = bench.failures_clean(), completed_at = now(), updated_at = now() WHERE id = :rid::bigint;
