-- the same INSERT ... ON CONFLICT DO NOTHING hitting an active run (writes nothing)
\set t random(1, 1000)
\set w (:t - 1) / 100 + 1
INSERT INTO floor.operation_runs (workspace_id, tenant_id, initiator_name, type, status, outcome, run_identity_hash, summary_counts, failure_summary, context, created_at, updated_at) VALUES (:w::bigint, :t::bigint, 'bench_app', 'assignments.fetch', 'queued', 'pending', lpad(to_hex(:t::bigint + 281474976710656), 64, '0'), '{}', '[]', '{}', now(), now()) ON CONFLICT DO NOTHING;
