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
CREATE INDEX operation_runs_completed_outcome_idx ON hookreg.operation_runs (outcome, completed_at)
    WHERE status = 'completed';
CREATE INDEX operation_runs_reconcile_passes_idx ON hookreg.operation_runs (workspace_id, created_at, id)
    WHERE type = 'ops.reconcile_adapter_runs';

-- The operations views are new objects only: 51_ops_views.sql is the install
-- part itself (a link to src/install/50_ops_views.sql), so both paths create
-- them from one text.
