-- The tenant active-run dedupe index leads with workspace_id: 0.1.0's
-- operation_runs_tenant_active_key (tenant_id, run_identity_hash) becomes
-- (workspace_id, tenant_id, run_identity_hash), same name, same predicate. It
-- allows exactly the same rows (a tenant belongs to one workspace), and it is
-- what a table distributed by workspace_id can keep (doc/scaling.md). The
-- workspace index already leads with workspace_id and is unchanged.
--
-- Locks. ALTER EXTENSION runs in one transaction, where CREATE INDEX
-- CONCURRENTLY cannot run, and holds every lock until it commits:
--   1. building the new index takes SHARE on hookreg.operation_runs for one
--      scan of the table (the index itself holds the active runs only):
--      writers of the ledger (opsrun_start, claim, heartbeat, complete, fail,
--      the reconciler) wait, readers do not;
--   2. dropping the old index takes ACCESS EXCLUSIVE on hookreg.operation_runs:
--      from then on readers wait too, until the update commits.
-- This part therefore runs last (99_): what follows it is the commit. On a
-- large ledger, skip the scan by building the index beforehand, concurrently
-- (no lock that blocks anyone), under the name the update looks for:
--
--   CREATE UNIQUE INDEX CONCURRENTLY operation_runs_tenant_active_key_v2
--       ON hookreg.operation_runs (workspace_id, tenant_id, run_identity_hash)
--       WHERE tenant_id IS NOT NULL AND status IN ('queued', 'running');
--
-- When that index exists, is valid and has exactly this definition, the
-- update adopts it (drop the old one, rename the new one: no scan); when it
-- exists in any other state (an interrupted concurrent build leaves an
-- invalid index), the update drops it and builds the index itself.
DO $dedupe$
DECLARE
    prebuilt oid := pg_catalog.to_regclass('hookreg.operation_runs_tenant_active_key_v2');
    wanted text := pg_catalog.format(
        'CREATE UNIQUE INDEX operation_runs_tenant_active_key_v2 ON %s USING btree '
        '(workspace_id, tenant_id, run_identity_hash) WHERE ((tenant_id IS NOT NULL) AND '
        '(status = ANY (ARRAY[''queued''::text, ''running''::text])))',
        'hookreg.operation_runs'::pg_catalog.regclass);
    adopt boolean := false;
BEGIN
    IF prebuilt IS NOT NULL THEN
        SELECT i.indisvalid AND i.indisready AND i.indislive
               AND i.indrelid OPERATOR(pg_catalog.=) 'hookreg.operation_runs'::pg_catalog.regclass
               AND pg_catalog.pg_get_indexdef(i.indexrelid) OPERATOR(pg_catalog.=) wanted
          INTO adopt
          FROM pg_catalog.pg_index i WHERE i.indexrelid OPERATOR(pg_catalog.=) prebuilt;
        IF adopt THEN
            RAISE NOTICE 'hookreg: adopting the prebuilt index hookreg.operation_runs_tenant_active_key_v2';
        ELSE
            RAISE NOTICE 'hookreg: hookreg.operation_runs_tenant_active_key_v2 is not the expected valid index; building it again';
            DROP INDEX hookreg.operation_runs_tenant_active_key_v2;
        END IF;
    END IF;
    IF NOT adopt THEN
        CREATE UNIQUE INDEX operation_runs_tenant_active_key_v2
            ON hookreg.operation_runs (workspace_id, tenant_id, run_identity_hash)
            WHERE tenant_id IS NOT NULL AND status IN ('queued', 'running');
    END IF;
END
$dedupe$;
DROP INDEX hookreg.operation_runs_tenant_active_key;
ALTER INDEX hookreg.operation_runs_tenant_active_key_v2 RENAME TO operation_runs_tenant_active_key;
