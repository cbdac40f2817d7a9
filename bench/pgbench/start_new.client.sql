-- an application on the seed's data model: look for the active run (or one
-- within the cooldown) by the hash it computed, insert when there is none
\set t random(1, 1000)
\set w (:t - 1) / 100 + 1
-- identities hold integers up to 2^53 - 1: a larger one has no exact RFC 8785 form (22023)
\set r random(1000000, 9007199254740991)
BEGIN;
SELECT count(*) AS found FROM client.operation_runs WHERE tenant_id = :t::bigint AND run_identity_hash = lpad(to_hex(:r::bigint), 64, '0') AND (status IN ('queued', 'running') OR completed_at > now() - interval '15 minutes') \gset
\if :found = 0
INSERT INTO client.operation_runs (workspace_id, tenant_id, initiator_name, type, status, outcome, run_identity_hash, summary_counts, failure_summary, context, created_at, updated_at) VALUES (:w::bigint, :t::bigint, 'bench_app', 'assignments.fetch', 'queued', 'pending', lpad(to_hex(:r::bigint), 64, '0'), '{}', '[]', '{}', now(), now()) ON CONFLICT DO NOTHING;
\endif
END;
