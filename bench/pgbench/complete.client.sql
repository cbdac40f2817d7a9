-- an application: lock the run, write the outcome (it sanitized the
-- failures itself, outside the database: that CPU is not counted here)
\set id :id + 1
\set rid 1000000000 + :client_id * 10000000 + :id
BEGIN;
SELECT status FROM client.operation_runs WHERE id = :rid::bigint FOR UPDATE \gset
UPDATE client.operation_runs SET status = 'completed', outcome = 'failed', summary_counts = bench.counts(), failure_summary = bench.failures_clean(), completed_at = now(), updated_at = now() WHERE id = :rid::bigint;
END;
