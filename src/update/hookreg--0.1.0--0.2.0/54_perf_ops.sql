-- 0.2.0: operation_runs' identity-hash CHECK is a C function with the same
-- rule (src/row_checks.c) instead of a regular expression run on every
-- insert. Same constraint name; adding it checks every existing row
-- (one scan of hookreg.operation_runs, under ACCESS EXCLUSIVE until the
-- update commits).
CREATE FUNCTION hookreg.opsrun_is_identity_hash(text) RETURNS boolean
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'opsrun_is_identity_hash_v2';
COMMENT ON FUNCTION hookreg.opsrun_is_identity_hash(text) IS
    'CHECK of operation_runs.run_identity_hash: 64 lowercase hexadecimal digits';

ALTER TABLE hookreg.operation_runs
    DROP CONSTRAINT operation_runs_identity_hash_check,
    ADD CONSTRAINT operation_runs_identity_hash_check
        CHECK (hookreg.opsrun_is_identity_hash(run_identity_hash));
