-- Operating it (issue 14): cooldown per outcome, retention, views, events,
-- comments. Each change here is the twin of one in src/install/.

-- ---- cooldown per outcome (src/install/40_ledger.sql)
-- A new column goes last, as in the fresh install; existing types get the
-- default, so a succeeded or partially succeeded run still holds its
-- cooldown and a failed, cancelled or blocked one no longer does.
ALTER TABLE hookreg.operation_types
    ADD COLUMN cooldown_outcomes text[] NOT NULL DEFAULT '{succeeded,partially_succeeded}',
    ADD CONSTRAINT operation_types_cooldown_outcomes_check
        CHECK (cooldown_outcomes OPERATOR(pg_catalog.<@) ARRAY['succeeded', 'partially_succeeded',
            'failed', 'cancelled', 'blocked']);

-- opsrun_register_type gains a trailing argument: a new signature, so the
-- old function goes (its grants and comment with it) and the new one gets
-- the fresh install's.
DROP FUNCTION opsrun_register_type(text, text, text[], interval, interval, interval, text);
CREATE FUNCTION opsrun_register_type(type text, scope text, allowed_summary_keys text[],
                                     cooldown interval DEFAULT NULL,
                                     queued_timeout interval DEFAULT '1 hour',
                                     running_timeout interval DEFAULT '2 hours',
                                     label text DEFAULT NULL,
                                     cooldown_outcomes text[] DEFAULT '{succeeded,partially_succeeded}')
    RETURNS void
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'opsrun_register_type_v2';
COMMENT ON FUNCTION opsrun_register_type(text, text, text[], interval, interval, interval, text, text[]) IS
    'create or update an operation type';
REVOKE ALL ON FUNCTION opsrun_register_type(text, text, text[], interval, interval, interval, text, text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION opsrun_register_type(text, text, text[], interval, interval, interval, text, text[])
    TO hookreg_reader, hookreg_ops_writer;

-- ---- indexes of retention and of the operations views (src/install/40_ledger.sql)
-- The cooldown look-up's index gains "run_identity_hash IS NOT NULL" in its
-- predicate, so that only a statement naming an identity fits it (the new
-- outcome index has "outcome IS NOT NULL" for the same reason): rebuilt,
-- under the SHARE lock of CREATE INDEX, over every completed run.
DROP INDEX hookreg.operation_runs_completed_identity_idx;
CREATE INDEX operation_runs_completed_identity_idx ON hookreg.operation_runs (run_identity_hash, completed_at)
    WHERE status = 'completed' AND run_identity_hash IS NOT NULL;
CREATE INDEX operation_runs_completed_outcome_idx ON hookreg.operation_runs (outcome, completed_at)
    WHERE status = 'completed' AND outcome IS NOT NULL;
CREATE INDEX operation_runs_reconcile_passes_idx ON hookreg.operation_runs (workspace_id, created_at, id)
    WHERE type = 'ops.reconcile_adapter_runs';

-- The operations views are new objects only: 51_ops_views.sql is the install
-- part itself (a link to src/install/50_ops_views.sql), so both paths create
-- them from one text.

-- ---- retention (src/install/40_ledger.sql): opsrun_prune gains per-outcome
-- retention and a batch size. A new signature: the old one goes; a call
-- opsrun_prune(interval) keeps working through the defaults.
DROP FUNCTION opsrun_prune(interval);
CREATE FUNCTION opsrun_prune(older_than interval, failed_older_than interval DEFAULT NULL,
                             batch_size int DEFAULT 10000) RETURNS bigint
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'opsrun_prune_v2';
COMMENT ON FUNCTION opsrun_prune(interval, interval, int) IS
    'retention: delete one batch of completed runs older than their outcome''s interval, never one that holds its cooldown';
REVOKE ALL ON FUNCTION opsrun_prune(interval, interval, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION opsrun_prune(interval, interval, int) TO hookreg_reader, hookreg_ops_writer;

-- hookreg_schedule_housekeeping schedules retention beside reconcile: a new
-- signature. The housekeeping job itself lives in pg_cron's table and is kept
-- as it is; the next call of the function adds the prune job.
DROP FUNCTION hookreg_schedule_housekeeping(text);
CREATE FUNCTION hookreg_schedule_housekeeping(schedule text DEFAULT '*/5 * * * *',
                                              retain interval DEFAULT '90 days',
                                              retain_failed interval DEFAULT '180 days') RETURNS bigint
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'hookreg_schedule_housekeeping_v2';
COMMENT ON FUNCTION hookreg_schedule_housekeeping(text, interval, interval) IS
    'create or update the pg_cron jobs hookreg-reconcile (opsrun_reconcile) and hookreg-prune (opsrun_prune)';
REVOKE ALL ON FUNCTION hookreg_schedule_housekeeping(text, interval, interval) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hookreg_schedule_housekeeping(text, interval, interval) TO hookreg_reader, hookreg_ops_writer;

-- ---- discoverable in psql: trigger functions leave the extension's schema
-- (the install creates them in schema hookreg), so \df there lists only the
-- public API. Triggers follow their function by oid.
ALTER FUNCTION @extschema@.hookreg_refuse_change() SET SCHEMA hookreg;
ALTER FUNCTION @extschema@.hookreg_convention_hooks_check() SET SCHEMA hookreg;
ALTER FUNCTION @extschema@.hookreg_hook_in_use_check() SET SCHEMA hookreg;
ALTER FUNCTION @extschema@.opsrun_operation_types_upsert() SET SCHEMA hookreg;
ALTER FUNCTION @extschema@.hookreg_drop_housekeeping() SET SCHEMA hookreg;
-- The comments on every table, view and column: 95_comments.sql, the install
-- part itself.
