-- Every function is rebound to its 0.2.0 C symbol (suffix _v2). Until this
-- runs, the 0.1.0 symbols raise 55000 asking for this update (src/obsolete.c).
-- CREATE OR REPLACE keeps each function's oid, owner, grants and comment, and
-- every trigger and view that uses it; it restates the options (volatility,
-- SET search_path, ...) because CREATE OR REPLACE replaces them all.
-- Later parts that change a function's definition restate it again there.

CREATE OR REPLACE FUNCTION hookreg_version() RETURNS text
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'hookreg_version_v2';

CREATE OR REPLACE FUNCTION hookreg_slugify(title text) RETURNS text
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'hookreg_slugify_v2';

CREATE OR REPLACE FUNCTION opsrun_is_uuid_v4(uuid) RETURNS boolean
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'opsrun_is_uuid_v4_v2';

CREATE OR REPLACE FUNCTION hookreg_refuse_change() RETURNS trigger
    LANGUAGE C AS 'MODULE_PATHNAME', 'hookreg_refuse_change_v2';

CREATE OR REPLACE FUNCTION hookreg_register_hook(name text, feature_spec jsonb)
    RETURNS TABLE (hook_name text, created boolean, feature_table regclass)
    LANGUAGE C VOLATILE ROWS 1
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'hookreg_register_hook_v2';

CREATE OR REPLACE FUNCTION hookreg_create_release(
    hook_name text, image text, digest text,
    config jsonb DEFAULT '{}', limits jsonb DEFAULT '{}',
    source_ref text DEFAULT NULL, built_by text DEFAULT NULL)
    RETURNS TABLE(release_id uuid, hook_name text, version int, release_digest text,
                  created boolean, live boolean)
    LANGUAGE C VOLATILE ROWS 1
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'hookreg_create_release_v2';

CREATE OR REPLACE FUNCTION hookreg_set_live(hook_name text, version int)
    RETURNS TABLE(hook_name text, live_version int, live_release_id uuid, previous_version int)
    LANGUAGE C VOLATILE ROWS 1
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'hookreg_set_live_v2';

CREATE OR REPLACE FUNCTION hookreg_resolve_live(hook_names text[])
    RETURNS TABLE(hook_name text, release_id uuid, version int, image text, digest text,
                  config jsonb, limits jsonb)
    LANGUAGE C STABLE
    AS 'MODULE_PATHNAME', 'hookreg_resolve_live_v2';

CREATE OR REPLACE FUNCTION hookreg_live_at(hook_name text, at timestamptz)
    RETURNS TABLE(release_id uuid, version int, since timestamptz)
    LANGUAGE C STABLE ROWS 1
    AS 'MODULE_PATHNAME', 'hookreg_live_at_v2';

CREATE OR REPLACE FUNCTION hookreg_record_run(
    release_id uuid, status text, started_at timestamptz, finished_at timestamptz,
    oom_retries int DEFAULT 0, log_ref text DEFAULT NULL,
    duration_s double precision DEFAULT NULL, run_id uuid DEFAULT NULL)
    RETURNS uuid
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'hookreg_record_run_v2';

CREATE OR REPLACE FUNCTION hookreg_run_id(key text) RETURNS uuid
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'hookreg_run_id_v2';

CREATE OR REPLACE FUNCTION hookreg_provenance(run_id uuid)
    RETURNS TABLE(run_id uuid, status text, started_at timestamptz, finished_at timestamptz,
                  duration_s double precision, oom_retries int, hook_name text, version int,
                  release_id uuid, image text, digest text, config jsonb, limits jsonb,
                  source_ref text, built_by text, built_at timestamptz)
    LANGUAGE C STABLE STRICT ROWS 1
    AS 'MODULE_PATHNAME', 'hookreg_provenance_v2';

CREATE OR REPLACE FUNCTION hookreg_convention_hooks_check() RETURNS trigger
    LANGUAGE C AS 'MODULE_PATHNAME', 'hookreg_convention_hooks_check_v2';

CREATE OR REPLACE FUNCTION hookreg_hook_in_use_check() RETURNS trigger
    LANGUAGE C AS 'MODULE_PATHNAME', 'hookreg_hook_in_use_check_v2';

CREATE OR REPLACE FUNCTION hookreg_deploy_convention(spec jsonb) RETURNS jsonb
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'hookreg_deploy_convention_v2';

CREATE OR REPLACE FUNCTION opsrun_operation_types_upsert() RETURNS trigger
    LANGUAGE C AS 'MODULE_PATHNAME', 'opsrun_operation_types_upsert_v2';

CREATE OR REPLACE FUNCTION opsrun_identity_hash(workspace_id bigint, tenant_id bigint, type text, identity jsonb)
    RETURNS text
    LANGUAGE C IMMUTABLE PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'opsrun_identity_hash_v2';

CREATE OR REPLACE FUNCTION opsrun_normalize_counts(type text, counts jsonb) RETURNS jsonb
    LANGUAGE C STABLE STRICT
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'opsrun_normalize_counts_v2';

CREATE OR REPLACE FUNCTION opsrun_start(workspace_id bigint, tenant_id bigint, type text,
                             identity jsonb DEFAULT '{}', initiator_name text DEFAULT NULL,
                             user_id bigint DEFAULT NULL, context jsonb DEFAULT '{}')
    RETURNS TABLE (run_id bigint, status text, outcome text, reused boolean, run_identity_hash text)
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'opsrun_start_v2';

CREATE OR REPLACE FUNCTION opsrun_claim(run_id bigint) RETURNS boolean
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'opsrun_claim_v2';

CREATE OR REPLACE FUNCTION opsrun_heartbeat(run_id bigint, summary_counts jsonb DEFAULT NULL) RETURNS void
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'opsrun_heartbeat_v2';

CREATE OR REPLACE FUNCTION opsrun_complete(run_id bigint, outcome text, summary_counts jsonb DEFAULT '{}',
                                failure_summary jsonb DEFAULT '[]')
    RETURNS TABLE (run_id bigint, status text, outcome text, summary_counts jsonb,
                   failure_summary jsonb, completed_at timestamptz)
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'opsrun_complete_v2';

CREATE OR REPLACE FUNCTION opsrun_fail(run_id bigint, code text, message text) RETURNS void
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'opsrun_fail_v2';

CREATE OR REPLACE FUNCTION opsrun_reconcile(now timestamptz DEFAULT pg_catalog.now())
    RETURNS TABLE (workspace_id bigint, reconcile_run_id bigint, stale_queued int, stale_running int)
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'opsrun_reconcile_v2';

CREATE OR REPLACE FUNCTION opsrun_prune(older_than interval) RETURNS bigint
    LANGUAGE C VOLATILE STRICT
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'opsrun_prune_v2';

CREATE OR REPLACE FUNCTION opsrun_register_type(type text, scope text, allowed_summary_keys text[],
                                     cooldown interval DEFAULT NULL,
                                     queued_timeout interval DEFAULT '1 hour',
                                     running_timeout interval DEFAULT '2 hours',
                                     label text DEFAULT NULL)
    RETURNS void
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'opsrun_register_type_v2';

CREATE OR REPLACE FUNCTION hookreg_schedule_housekeeping(schedule text DEFAULT '*/5 * * * *') RETURNS bigint
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'hookreg_schedule_housekeeping_v2';

CREATE OR REPLACE FUNCTION opsrun_sanitize_message(message text) RETURNS text
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'opsrun_sanitize_message_v2';

CREATE OR REPLACE FUNCTION opsrun_sanitize_failures(failures jsonb) RETURNS jsonb
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'opsrun_sanitize_failures_v2';

CREATE OR REPLACE FUNCTION opsrun_sanitize_context(context jsonb) RETURNS jsonb
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'opsrun_sanitize_context_v2';

CREATE OR REPLACE FUNCTION hookreg_drop_housekeeping() RETURNS event_trigger
    LANGUAGE C
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'hookreg_drop_housekeeping_v2';
