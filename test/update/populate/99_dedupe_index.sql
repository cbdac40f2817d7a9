-- test/update/populate/99_dedupe_index.sql: at 0.1.0, active runs the update's
-- dedupe-index change (src/update/hookreg--0.1.0--0.2.0/99_dedupe_index.sql)
-- must keep deduplicating: a queued and a running tenant run, a running
-- workspace run, in the first tenant's workspace of 00_base.sql (types of
-- their own, so no other part's counts change). Then the new index is built
-- concurrently beforehand, as CHANGELOG.md advises for a large ledger, so
-- the update of this database adopts it (the empty databases of the update
-- suite take the other path: the update builds it).
SET client_min_messages = error;
SELECT workspace_id AS ws, id AS tn FROM hookreg.tenants ORDER BY id LIMIT 1 \gset
SELECT run_id FROM opsrun_start(:ws, :tn, 'dedupe.queued', '{"case": "queued"}') \gset queued_
SELECT run_id FROM opsrun_start(:ws, :tn, 'dedupe.running', '{"case": "running"}') \gset running_
SELECT opsrun_claim(:running_run_id);
SELECT run_id FROM opsrun_start(:ws, NULL, 'dedupe.workspace', '{"case": "workspace"}') \gset ws_
SELECT opsrun_claim(:ws_run_id);
CREATE UNIQUE INDEX CONCURRENTLY operation_runs_tenant_active_key_v2
    ON hookreg.operation_runs (workspace_id, tenant_id, run_identity_hash)
    WHERE tenant_id IS NOT NULL AND status IN ('queued', 'running');
-- Its oid, so that the verify file can tell it was adopted, not rebuilt.
CREATE TABLE public.dedupe_prebuilt_index AS
SELECT 'hookreg.operation_runs_tenant_active_key_v2'::regclass::oid AS indexrelid;
