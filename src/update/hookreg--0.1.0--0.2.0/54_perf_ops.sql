CREATE FUNCTION hookreg.opsrun_is_identity_hash(text) RETURNS boolean
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'opsrun_is_identity_hash_v2';
COMMENT ON FUNCTION hookreg.opsrun_is_identity_hash(text) IS
    'CHECK of operation_runs.run_identity_hash: 64 lowercase hexadecimal digits';
CREATE FUNCTION hookreg.opsrun_is_status(text) RETURNS boolean
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'opsrun_is_status_v2';
COMMENT ON FUNCTION hookreg.opsrun_is_status(text) IS
    'CHECK of operation_runs.status: queued, running or completed';
CREATE FUNCTION hookreg.opsrun_is_outcome(text) RETURNS boolean
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'opsrun_is_outcome_v2';
COMMENT ON FUNCTION hookreg.opsrun_is_outcome(text) IS
    'CHECK of operation_runs.outcome: pending, succeeded, partially_succeeded, failed, cancelled or blocked';
CREATE FUNCTION hookreg.opsrun_outcome_fits_status(outcome text, status text) RETURNS boolean
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'opsrun_outcome_fits_status_v2';
COMMENT ON FUNCTION hookreg.opsrun_outcome_fits_status(text, text) IS
    'CHECK of operation_runs: (outcome = ''pending'') = (status <> ''completed'')';
CREATE FUNCTION hookreg.opsrun_completed_at_fits_status(completed_at timestamptz, status text) RETURNS boolean
    LANGUAGE C IMMUTABLE PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'opsrun_completed_at_fits_status_v2';
COMMENT ON FUNCTION hookreg.opsrun_completed_at_fits_status(timestamptz, text) IS
    'CHECK of operation_runs: (completed_at IS NOT NULL) = (status = ''completed'')';
CREATE FUNCTION hookreg.opsrun_is_json_object(jsonb) RETURNS boolean
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'opsrun_is_json_object_v2';
COMMENT ON FUNCTION hookreg.opsrun_is_json_object(jsonb) IS
    'CHECK of operation_runs.summary_counts and .context: jsonb_typeof(v) = ''object''';
CREATE FUNCTION hookreg.opsrun_is_json_array(jsonb) RETURNS boolean
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'opsrun_is_json_array_v2';
COMMENT ON FUNCTION hookreg.opsrun_is_json_array(jsonb) IS
    'CHECK of operation_runs.failure_summary: jsonb_typeof(v) = ''array''';

ALTER TABLE hookreg.operation_runs
    DROP CONSTRAINT operation_runs_status_check,
    DROP CONSTRAINT operation_runs_outcome_check,
    DROP CONSTRAINT operation_runs_outcome_pending_check,
    DROP CONSTRAINT operation_runs_completed_at_check,
    DROP CONSTRAINT operation_runs_identity_hash_check,
    DROP CONSTRAINT operation_runs_summary_counts_check,
    DROP CONSTRAINT operation_runs_failure_summary_check,
    DROP CONSTRAINT operation_runs_context_check,
    ADD CONSTRAINT operation_runs_status_check
        CHECK (hookreg.opsrun_is_status(status)),
    ADD CONSTRAINT operation_runs_outcome_check
        CHECK (hookreg.opsrun_is_outcome(outcome)),
    ADD CONSTRAINT operation_runs_outcome_pending_check
        CHECK (hookreg.opsrun_outcome_fits_status(outcome, status)),
    ADD CONSTRAINT operation_runs_completed_at_check
        CHECK (hookreg.opsrun_completed_at_fits_status(completed_at, status)),
    ADD CONSTRAINT operation_runs_identity_hash_check
        CHECK (hookreg.opsrun_is_identity_hash(run_identity_hash)),
    ADD CONSTRAINT operation_runs_summary_counts_check
        CHECK (hookreg.opsrun_is_json_object(summary_counts)),
    ADD CONSTRAINT operation_runs_failure_summary_check
        CHECK (hookreg.opsrun_is_json_array(failure_summary)),
    ADD CONSTRAINT operation_runs_context_check
        CHECK (hookreg.opsrun_is_json_object(context));
