-- The pg_cron housekeeping job's entry point (src/reconcile.c). The job runs
-- as the extension owner, so what it calls must be something only the owner
-- controls: a function in schema hookreg (only the owner creates there),
-- with no argument, called as "SELECT * FROM hookreg.reconcile_job()". A
-- call by name in the extension's schema could be answered by a look-alike
-- of whoever owns or can create in that schema.
CREATE FUNCTION hookreg.reconcile_job()
    RETURNS TABLE (workspace_id bigint, reconcile_run_id bigint, stale_queued int, stale_running int)
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'hookreg_reconcile_job_v2';
REVOKE ALL ON FUNCTION hookreg.reconcile_job() FROM PUBLIC;
COMMENT ON FUNCTION hookreg.reconcile_job() IS
    'the pg_cron job hookreg-reconcile: one opsrun_reconcile pass at the transaction time; owner only';

-- The pg_cron retention job's entry point: one batch of opsrun_prune, with
-- all three arguments typed in the job's command
-- ("SELECT hookreg.prune_job('90 days'::pg_catalog.interval, ...)"), for the
-- same reason as reconcile_job. It runs opsrun_prune's C function.
CREATE FUNCTION hookreg.prune_job(older_than interval, failed_older_than interval, batch_size int)
    RETURNS bigint
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'opsrun_prune_v2';
REVOKE ALL ON FUNCTION hookreg.prune_job(interval, interval, int) FROM PUBLIC;
COMMENT ON FUNCTION hookreg.prune_job(interval, interval, int) IS
    'the pg_cron job hookreg-prune: one batch of opsrun_prune; owner only';
