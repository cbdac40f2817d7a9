-- Releases, the live pointer, runs and provenance (doc/reference.md); C in
-- src/releases.c, src/release_json.c and src/runs.c.
--
-- Writers check their role inside (42501 with a hint naming it) and act as
-- the extension owner for their SQL, so they pin search_path and EXECUTE is
-- granted only to the hookreg roles. The readers run as the caller (every
-- role that passes their check may SELECT the tables); they stay executable
-- by PUBLIC so that a caller without hookreg_reader gets the hint too.

CREATE FUNCTION hookreg_create_release(
    hook_name text, image text, digest text,
    config jsonb DEFAULT '{}', limits jsonb DEFAULT '{}',
    source_ref text DEFAULT NULL, built_by text DEFAULT NULL)
    RETURNS TABLE(release_id uuid, hook_name text, version int, release_digest text,
                  created boolean, live boolean)
    LANGUAGE C VOLATILE ROWS 1
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'hookreg_create_release_v2';
COMMENT ON FUNCTION hookreg_create_release(text, text, text, jsonb, jsonb, text, text) IS
    'new immutable release (version last+1) made live, or the existing release with the same content; role hookreg_releaser';
REVOKE ALL ON FUNCTION hookreg_create_release(text, text, text, jsonb, jsonb, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hookreg_create_release(text, text, text, jsonb, jsonb, text, text)
    TO hookreg_reader, hookreg_ops_writer;

CREATE FUNCTION hookreg_set_live(hook_name text, version int)
    RETURNS TABLE(hook_name text, live_version int, live_release_id uuid, previous_version int)
    LANGUAGE C VOLATILE ROWS 1
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'hookreg_set_live_v2';
COMMENT ON FUNCTION hookreg_set_live(text, int) IS
    'move the live pointer to an existing version (rollback or roll-forward); role hookreg_releaser';
REVOKE ALL ON FUNCTION hookreg_set_live(text, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hookreg_set_live(text, int) TO hookreg_reader, hookreg_ops_writer;

CREATE FUNCTION hookreg_resolve_live(hook_names text[])
    RETURNS TABLE(hook_name text, release_id uuid, version int, image text, digest text,
                  config jsonb, limits jsonb)
    LANGUAGE C STABLE
    AS 'MODULE_PATHNAME', 'hookreg_resolve_live_v2';
COMMENT ON FUNCTION hookreg_resolve_live(text[]) IS
    'the live release of each hook from one snapshot, ordered by name; P0002 naming every hook without one; role hookreg_reader';

CREATE FUNCTION hookreg_live_at(hook_name text, at timestamptz)
    RETURNS TABLE(release_id uuid, version int, since timestamptz)
    LANGUAGE C STABLE ROWS 1
    AS 'MODULE_PATHNAME', 'hookreg_live_at_v2';
COMMENT ON FUNCTION hookreg_live_at(text, timestamptz) IS
    'the release that was live at a time, from hookreg.live_moves; no row when none was; role hookreg_reader';

CREATE FUNCTION hookreg_record_run(
    release_id uuid, status text, started_at timestamptz, finished_at timestamptz,
    oom_retries int DEFAULT 0, log_ref text DEFAULT NULL,
    duration_s double precision DEFAULT NULL, run_id uuid DEFAULT NULL)
    RETURNS uuid
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'hookreg_record_run_v2';
COMMENT ON FUNCTION hookreg_record_run(uuid, text, timestamptz, timestamptz, int, text, double precision, uuid) IS
    'append a run record (idempotent on a repeated run_id with identical fields); role hookreg_runner';
REVOKE ALL ON FUNCTION hookreg_record_run(uuid, text, timestamptz, timestamptz, int, text, double precision, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hookreg_record_run(uuid, text, timestamptz, timestamptz, int, text, double precision, uuid)
    TO hookreg_reader, hookreg_ops_writer;

CREATE FUNCTION hookreg_run_id(key text) RETURNS uuid
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'hookreg_run_id_v2';
COMMENT ON FUNCTION hookreg_run_id(text) IS
    'UUID version 5 of the key in the namespace 71f9a91e-553f-5e76-b152-83ea2a0453ab';

CREATE FUNCTION hookreg_provenance(run_id uuid)
    RETURNS TABLE(run_id uuid, status text, started_at timestamptz, finished_at timestamptz,
                  duration_s double precision, oom_retries int, hook_name text, version int,
                  release_id uuid, image text, digest text, config jsonb, limits jsonb,
                  source_ref text, built_by text, built_at timestamptz)
    LANGUAGE C STABLE STRICT ROWS 1
    AS 'MODULE_PATHNAME', 'hookreg_provenance_v2';
COMMENT ON FUNCTION hookreg_provenance(uuid) IS
    'the run and exactly the release that produced it; no row for an unknown run; role hookreg_reader';
