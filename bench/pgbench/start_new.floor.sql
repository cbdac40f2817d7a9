-- the opsrun_start write-set floor: INSERT ... ON CONFLICT DO NOTHING of a
-- new queued run (same indexes and foreign keys), no lookup or check
\set t random(1, 1000)
\set w (:t - 1) / 100 + 1
-- identities hold integers up to 2^53 - 1: a larger one has no exact RFC 8785 form (22023)
\set r random(1000000, 9007199254740991)
INSERT INTO floor.operation_runs (workspace_id, tenant_id, initiator_name, type, status, outcome, run_identity_hash, summary_counts, failure_summary, context, created_at, updated_at) VALUES (:w::bigint, :t::bigint, 'bench_app', 'assignments.fetch', 'queued', 'pending', lpad(to_hex(:r::bigint), 64, '0'), '{}', '[]', '{}', now(), now()) ON CONFLICT DO NOTHING;
