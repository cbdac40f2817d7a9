-- hookreg 0.1.0: generated from src/install/*.sql; edit those files
\echo Use "CREATE EXTENSION hookreg" to load this file. \quit

-- ---- src/install/00_schemas_roles.sql
-- Schemas and roles (SPEC 0 and 1).
--
-- Data lives in the fixed schema hookreg; functions live in the schema given to
-- CREATE EXTENSION (@extschema@). Feature tables live in hookreg_features.

CREATE SCHEMA hookreg;
CREATE SCHEMA hookreg_features;
COMMENT ON SCHEMA hookreg IS 'hookreg: hook registry and operation-run ledger data';
COMMENT ON SCHEMA hookreg_features IS 'hookreg: one feature table per hook';

-- Roles are cluster-wide and outlive the extension: create them only when
-- missing, never alter an existing one.
DO $roles$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['hookreg_reader', 'hookreg_runner', 'hookreg_releaser',
                             'hookreg_deployer', 'hookreg_ops_writer', 'hookreg_admin']
    LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname OPERATOR(pg_catalog.=) r) THEN
            EXECUTE pg_catalog.format('CREATE ROLE %I NOLOGIN', r);
        END IF;
    END LOOP;
END
$roles$;

-- reader < runner, releaser, deployer; admin is a member of all of them.
GRANT hookreg_reader TO hookreg_runner, hookreg_releaser, hookreg_deployer;
GRANT hookreg_reader, hookreg_runner, hookreg_releaser, hookreg_deployer,
      hookreg_ops_writer TO hookreg_admin;

REVOKE ALL ON SCHEMA hookreg, hookreg_features FROM PUBLIC;
GRANT USAGE ON SCHEMA hookreg, hookreg_features TO hookreg_reader, hookreg_ops_writer;

-- ---- src/install/10_common.sql
-- Functions every part shares.
--
-- Privilege model (see README "Roles"): EXECUTE on a writing function is
-- revoked from PUBLIC and granted to hookreg_reader and hookreg_ops_writer, of
-- which every hookreg role is a member; the C function then checks the exact
-- role it needs and, when it is missing, raises 42501 with a hint naming it.
-- Functions that act as the extension owner pin search_path.

CREATE FUNCTION hookreg_version() RETURNS text
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'hookreg_version';
COMMENT ON FUNCTION hookreg_version() IS 'version of the loaded hookreg module';

CREATE FUNCTION hookreg_slugify(title text) RETURNS text
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'hookreg_slugify';
COMMENT ON FUNCTION hookreg_slugify(text) IS 'convention slug of a title: ^[a-z][a-z0-9-]{2,63}$, else 22023';

CREATE FUNCTION opsrun_is_uuid_v4(uuid) RETURNS boolean
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'opsrun_is_uuid_v4';
COMMENT ON FUNCTION opsrun_is_uuid_v4(uuid) IS 'true for an RFC 4122 version 4 UUID';

-- ---- src/install/20_registry_tables.sql
-- Hook registry tables (SPEC 2.1).
--
-- The live pointer lives in its own table, hookreg.live_pointers, not in a
-- column of hooks: hooks <- hook_releases <- live_pointers has no cycle of
-- foreign keys, so a plain pg_dump restores every row. The pointer row is
-- also the hook's lock row (releases and repoints serialize on it) and keeps
-- the last minted version, so a new version needs no max() lookup.

CREATE TABLE hookreg.hooks (
    name          text        PRIMARY KEY,
    feature_spec  jsonb       NOT NULL,
    feature_table regclass    NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT pg_catalog.now(),
    CONSTRAINT hooks_name_check CHECK (name OPERATOR(pg_catalog.~) '^[a-z][a-z0-9_]{0,39}$')
);

CREATE TABLE hookreg.hook_releases (
    id             uuid        PRIMARY KEY,
    hook_name      text        NOT NULL REFERENCES hookreg.hooks (name),
    version        int         NOT NULL,
    image          text        NOT NULL,
    digest         text        NOT NULL,
    config         jsonb       NOT NULL,
    limits         jsonb       NOT NULL,
    release_digest text        NOT NULL,
    source_ref     text        NOT NULL,
    built_by       text        NOT NULL,
    built_at       timestamptz NOT NULL DEFAULT pg_catalog.now(),
    CONSTRAINT hook_releases_version_check CHECK (version OPERATOR(pg_catalog.>) 0),
    CONSTRAINT hook_releases_source_ref_check CHECK (source_ref OPERATOR(pg_catalog.<>) ''),
    CONSTRAINT hook_releases_hook_version_key UNIQUE (hook_name, version),
    CONSTRAINT hook_releases_hook_digest_key UNIQUE (hook_name, release_digest),
    -- target of the live pointer's foreign key: a pointer can only name a
    -- release of its own hook
    CONSTRAINT hook_releases_hook_id_key UNIQUE (hook_name, id)
);

CREATE TABLE hookreg.live_pointers (
    hook_name       text        PRIMARY KEY REFERENCES hookreg.hooks (name),
    live_release_id uuid        NULL,
    last_version    int         NOT NULL DEFAULT 0,
    moved_at        timestamptz NULL,
    CONSTRAINT live_pointers_release_fkey FOREIGN KEY (hook_name, live_release_id)
        REFERENCES hookreg.hook_releases (hook_name, id)
        DEFERRABLE INITIALLY DEFERRED
);

CREATE TABLE hookreg.hook_runs (
    id          uuid             PRIMARY KEY,
    release_id  uuid             NOT NULL REFERENCES hookreg.hook_releases (id),
    status      text             NOT NULL,
    started_at  timestamptz      NOT NULL,
    finished_at timestamptz      NOT NULL,
    duration_s  double precision NOT NULL,
    oom_retries int              NOT NULL DEFAULT 0,
    log_ref     text             NULL,
    recorded_at timestamptz      NOT NULL DEFAULT pg_catalog.now(),
    CONSTRAINT hook_runs_status_check
        CHECK (status OPERATOR(pg_catalog.=) ANY (ARRAY['passed', 'warnings', 'failed', 'error'])),
    CONSTRAINT hook_runs_times_check CHECK (finished_at OPERATOR(pg_catalog.>=) started_at),
    CONSTRAINT hook_runs_oom_retries_check CHECK (oom_retries OPERATOR(pg_catalog.>=) 0),
    CONSTRAINT hook_runs_duration_check CHECK (duration_s OPERATOR(pg_catalog.>=) 0)
);
CREATE INDEX hook_runs_release_idx ON hookreg.hook_runs (release_id);

CREATE TABLE hookreg.live_moves (
    id              bigint      GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    hook_name       text        NOT NULL REFERENCES hookreg.hooks (name),
    from_release_id uuid        NULL REFERENCES hookreg.hook_releases (id),
    to_release_id   uuid        NOT NULL REFERENCES hookreg.hook_releases (id),
    reason          text        NOT NULL,
    moved_by        text        NOT NULL,
    moved_at        timestamptz NOT NULL DEFAULT pg_catalog.now(),
    CONSTRAINT live_moves_reason_check
        CHECK (reason OPERATOR(pg_catalog.=) ANY (ARRAY['release', 'set_live']))
);
-- hookreg_live_at: the last move of a hook at or before a time
CREATE INDEX live_moves_hook_time_idx ON hookreg.live_moves (hook_name, moved_at, id);

-- Append-only: releases, runs and moves refuse UPDATE, DELETE and TRUNCATE
-- for every role, the owner included (see src/immutable.c).
CREATE FUNCTION hookreg_refuse_change() RETURNS trigger
    LANGUAGE C AS 'MODULE_PATHNAME', 'hookreg_refuse_change';
REVOKE ALL ON FUNCTION hookreg_refuse_change() FROM PUBLIC;

CREATE TRIGGER hook_releases_immutable BEFORE UPDATE OR DELETE OR TRUNCATE ON hookreg.hook_releases
    FOR EACH STATEMENT EXECUTE FUNCTION hookreg_refuse_change();
CREATE TRIGGER hook_runs_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON hookreg.hook_runs
    FOR EACH STATEMENT EXECUTE FUNCTION hookreg_refuse_change();
CREATE TRIGGER live_moves_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON hookreg.live_moves
    FOR EACH STATEMENT EXECUTE FUNCTION hookreg_refuse_change();

-- pg_dump keeps the data of extension tables only when they are registered.
SELECT pg_catalog.pg_extension_config_dump('hookreg.hooks', '');
SELECT pg_catalog.pg_extension_config_dump('hookreg.hook_releases', '');
SELECT pg_catalog.pg_extension_config_dump('hookreg.live_pointers', '');
SELECT pg_catalog.pg_extension_config_dump('hookreg.hook_runs', '');
SELECT pg_catalog.pg_extension_config_dump('hookreg.live_moves', '');
SELECT pg_catalog.pg_extension_config_dump('hookreg.live_moves_id_seq', '');

-- Read access; writes go through the functions only.
REVOKE ALL ON hookreg.hooks, hookreg.hook_releases, hookreg.live_pointers,
              hookreg.hook_runs, hookreg.live_moves FROM PUBLIC;
GRANT SELECT ON hookreg.hooks, hookreg.hook_releases, hookreg.live_pointers,
                hookreg.hook_runs, hookreg.live_moves TO hookreg_reader;

-- ---- src/install/21_registry_hooks.sql
-- Hook identities, feature tables and the registry views (SPEC 2.3 to 2.5).

CREATE FUNCTION hookreg_register_hook(name text, feature_spec jsonb)
    RETURNS TABLE (hook_name text, created boolean, feature_table regclass)
    LANGUAGE C VOLATILE ROWS 1
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'hookreg_register_hook';
COMMENT ON FUNCTION hookreg_register_hook(text, jsonb) IS
    'register a hook and create its feature table hookreg_features.<name>; an equal spec again returns created = false (role hookreg_deployer)';
REVOKE ALL ON FUNCTION hookreg_register_hook(text, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hookreg_register_hook(text, jsonb) TO hookreg_reader, hookreg_ops_writer;

-- Every hook with its live release. Joins and an aggregate make it read-only.
CREATE VIEW hookreg.hook_catalog AS
SELECT h.name,
       h.feature_spec,
       h.feature_table,
       r.version        AS live_version,
       p.live_release_id,
       r.digest         AS live_digest,
       r.source_ref     AS live_source_ref,
       r.built_at       AS live_built_at,
       (SELECT pg_catalog.count(*) FROM hookreg.hook_releases a
         WHERE a.hook_name OPERATOR(pg_catalog.=) h.name)::pg_catalog.int4 AS release_count
  FROM hookreg.hooks h
  LEFT JOIN hookreg.live_pointers p ON p.hook_name OPERATOR(pg_catalog.=) h.name
  LEFT JOIN hookreg.hook_releases r ON r.id OPERATOR(pg_catalog.=) p.live_release_id
 ORDER BY h.name;
COMMENT ON VIEW hookreg.hook_catalog IS 'hookreg: every hook, its feature contract and its live release';

-- Every release of every hook, oldest first per hook. The join makes it read-only.
CREATE VIEW hookreg.release_history AS
SELECT r.hook_name,
       r.version,
       r.id AS release_id,
       r.image,
       r.digest,
       r.config,
       r.limits,
       r.release_digest,
       r.source_ref,
       r.built_by,
       r.built_at,
       COALESCE(p.live_release_id OPERATOR(pg_catalog.=) r.id, false) AS is_live
  FROM hookreg.hook_releases r
  LEFT JOIN hookreg.live_pointers p ON p.hook_name OPERATOR(pg_catalog.=) r.hook_name
 ORDER BY r.hook_name, r.version;
COMMENT ON VIEW hookreg.release_history IS 'hookreg: every release of every hook, and whether it is live';

REVOKE ALL ON hookreg.hook_catalog, hookreg.release_history FROM PUBLIC;
GRANT SELECT ON hookreg.hook_catalog, hookreg.release_history TO hookreg_reader;

-- ---- src/install/22_registry_releases.sql
-- Releases, the live pointer, runs and provenance (SPEC 2.3); C in
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
    AS 'MODULE_PATHNAME', 'hookreg_create_release';
COMMENT ON FUNCTION hookreg_create_release(text, text, text, jsonb, jsonb, text, text) IS
    'new immutable release (version last+1) made live, or the existing release with the same content; role hookreg_releaser';
REVOKE ALL ON FUNCTION hookreg_create_release(text, text, text, jsonb, jsonb, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hookreg_create_release(text, text, text, jsonb, jsonb, text, text)
    TO hookreg_reader, hookreg_ops_writer;

CREATE FUNCTION hookreg_set_live(hook_name text, version int)
    RETURNS TABLE(hook_name text, live_version int, live_release_id uuid, previous_version int)
    LANGUAGE C VOLATILE ROWS 1
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'hookreg_set_live';
COMMENT ON FUNCTION hookreg_set_live(text, int) IS
    'move the live pointer to an existing version (rollback or roll-forward); role hookreg_releaser';
REVOKE ALL ON FUNCTION hookreg_set_live(text, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hookreg_set_live(text, int) TO hookreg_reader, hookreg_ops_writer;

CREATE FUNCTION hookreg_resolve_live(hook_names text[])
    RETURNS TABLE(hook_name text, release_id uuid, version int, image text, digest text,
                  config jsonb, limits jsonb)
    LANGUAGE C STABLE
    AS 'MODULE_PATHNAME', 'hookreg_resolve_live';
COMMENT ON FUNCTION hookreg_resolve_live(text[]) IS
    'the live release of each hook from one snapshot, ordered by name; P0002 naming every hook without one; role hookreg_reader';

CREATE FUNCTION hookreg_live_at(hook_name text, at timestamptz)
    RETURNS TABLE(release_id uuid, version int, since timestamptz)
    LANGUAGE C STABLE ROWS 1
    AS 'MODULE_PATHNAME', 'hookreg_live_at';
COMMENT ON FUNCTION hookreg_live_at(text, timestamptz) IS
    'the release that was live at a time, from hookreg.live_moves; no row when none was; role hookreg_reader';

CREATE FUNCTION hookreg_record_run(
    release_id uuid, status text, started_at timestamptz, finished_at timestamptz,
    oom_retries int DEFAULT 0, log_ref text DEFAULT NULL,
    duration_s double precision DEFAULT NULL, run_id uuid DEFAULT NULL)
    RETURNS uuid
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'hookreg_record_run';
COMMENT ON FUNCTION hookreg_record_run(uuid, text, timestamptz, timestamptz, int, text, double precision, uuid) IS
    'append a run record (idempotent on a repeated run_id with identical fields); role hookreg_runner';
REVOKE ALL ON FUNCTION hookreg_record_run(uuid, text, timestamptz, timestamptz, int, text, double precision, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hookreg_record_run(uuid, text, timestamptz, timestamptz, int, text, double precision, uuid)
    TO hookreg_reader, hookreg_ops_writer;

CREATE FUNCTION hookreg_run_id(key text) RETURNS uuid
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'hookreg_run_id';
COMMENT ON FUNCTION hookreg_run_id(text) IS
    'UUID version 5 of the key in the namespace 71f9a91e-553f-5e76-b152-83ea2a0453ab';

CREATE FUNCTION hookreg_provenance(run_id uuid)
    RETURNS TABLE(run_id uuid, status text, started_at timestamptz, finished_at timestamptz,
                  duration_s double precision, oom_retries int, hook_name text, version int,
                  release_id uuid, image text, digest text, config jsonb, limits jsonb,
                  source_ref text, built_by text, built_at timestamptz)
    LANGUAGE C STABLE STRICT ROWS 1
    AS 'MODULE_PATHNAME', 'hookreg_provenance';
COMMENT ON FUNCTION hookreg_provenance(uuid) IS
    'the run and exactly the release that produced it; no row for an unknown run; role hookreg_reader';

-- ---- src/install/30_conventions.sql
-- Conventions and the bundled deploy (SPEC 2.6).
--
-- A schema is immutable per id@version: rows are only ever inserted. A
-- convention is mutable and keyed by the slug of its title; its hooks column
-- names hooks that must be registered, which a constraint trigger enforces in
-- both directions (PostgreSQL has no foreign keys on array elements).

CREATE TABLE hookreg.schemas (
    id         text        NOT NULL,
    version    text        NOT NULL,
    definition jsonb       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    PRIMARY KEY (id, version),
    CONSTRAINT schemas_id_check CHECK (id OPERATOR(pg_catalog.<>) ''),
    CONSTRAINT schemas_version_check CHECK (version OPERATOR(pg_catalog.<>) ''),
    CONSTRAINT schemas_definition_check
        CHECK (pg_catalog.jsonb_typeof(definition) OPERATOR(pg_catalog.=) 'object')
);

CREATE TABLE hookreg.conventions (
    slug              text        PRIMARY KEY,
    title             text        NOT NULL,
    description       text        NOT NULL,
    schema_id         text        NULL,
    schema_version    text        NULL,
    file_requirements jsonb       NOT NULL,
    hooks             text[]      NOT NULL,
    source            jsonb       NULL,
    created_at        timestamptz NOT NULL DEFAULT pg_catalog.now(),
    updated_at        timestamptz NOT NULL DEFAULT pg_catalog.now(),
    -- The first hook, under a real foreign key. pg_dump orders the data of
    -- extension tables by their foreign keys alone; without one it would load
    -- conventions before hooks (name order), and the check of every name
    -- below would refuse each row of a plain restore.
    first_hook        text        GENERATED ALWAYS AS (hooks[1]) STORED
                                  REFERENCES hookreg.hooks (name),
    -- MATCH FULL: a convention names a whole id@version or no schema at all
    CONSTRAINT conventions_schema_fkey FOREIGN KEY (schema_id, schema_version)
        REFERENCES hookreg.schemas (id, version) MATCH FULL,
    -- the slug is the title's slug, so one title always finds one convention
    CONSTRAINT conventions_slug_check
        CHECK (slug OPERATOR(pg_catalog.=) @extschema@.hookreg_slugify(title)),
    CONSTRAINT conventions_file_requirements_check
        CHECK (pg_catalog.jsonb_typeof(file_requirements) OPERATOR(pg_catalog.=) 'object'),
    CONSTRAINT conventions_source_check
        CHECK (source IS NULL OR pg_catalog.jsonb_typeof(source) OPERATOR(pg_catalog.=) 'object'),
    CONSTRAINT conventions_hooks_check
        CHECK (pg_catalog.array_ndims(hooks) IS NULL
               OR (pg_catalog.array_ndims(hooks) OPERATOR(pg_catalog.=) 1
                   AND pg_catalog.array_lower(hooks, 1) OPERATOR(pg_catalog.=) 1
                   AND pg_catalog.array_position(hooks, NULL) IS NULL)),
    CONSTRAINT conventions_times_check CHECK (updated_at OPERATOR(pg_catalog.>=) created_at)
);
-- which conventions name a hook (the reverse check when a hook goes away)
CREATE INDEX conventions_hooks_idx ON hookreg.conventions USING gin (hooks);

-- A schema's definition never changes: UPDATE, DELETE and TRUNCATE are refused
-- for every role (the argument is the hint of the error).
CREATE TRIGGER schemas_immutable BEFORE UPDATE OR DELETE OR TRUNCATE ON hookreg.schemas
    FOR EACH STATEMENT EXECUTE FUNCTION hookreg_refuse_change(
        'A schema is immutable per id@version: deploy a new version instead.');

-- Every name in conventions.hooks is a registered hook (23503), checked with
-- the hooks rows locked FOR KEY SHARE the way a foreign key does; and a hook
-- that a convention names cannot be deleted or renamed.
CREATE FUNCTION hookreg_convention_hooks_check() RETURNS trigger
    LANGUAGE C AS 'MODULE_PATHNAME', 'hookreg_convention_hooks_check';
REVOKE ALL ON FUNCTION hookreg_convention_hooks_check() FROM PUBLIC;
CREATE CONSTRAINT TRIGGER conventions_hooks_registered
    AFTER INSERT OR UPDATE OF hooks ON hookreg.conventions
    FOR EACH ROW EXECUTE FUNCTION hookreg_convention_hooks_check();

CREATE FUNCTION hookreg_hook_in_use_check() RETURNS trigger
    LANGUAGE C AS 'MODULE_PATHNAME', 'hookreg_hook_in_use_check';
REVOKE ALL ON FUNCTION hookreg_hook_in_use_check() FROM PUBLIC;
CREATE CONSTRAINT TRIGGER hooks_named_by_conventions
    AFTER DELETE OR UPDATE OF name ON hookreg.hooks
    FOR EACH ROW EXECUTE FUNCTION hookreg_hook_in_use_check();

-- pg_dump keeps the data of extension tables only when they are registered.
SELECT pg_catalog.pg_extension_config_dump('hookreg.schemas', '');
SELECT pg_catalog.pg_extension_config_dump('hookreg.conventions', '');

-- Read access; writes go through hookreg_deploy_convention only.
REVOKE ALL ON hookreg.schemas, hookreg.conventions FROM PUBLIC;
GRANT SELECT ON hookreg.schemas, hookreg.conventions TO hookreg_reader;

-- The bundled deploy: schema, hooks, releases and convention in one
-- transaction. It is gated by hookreg_deployer alone, although it creates
-- releases: a deployer ships a whole convention at once, and only a
-- releaser may release a hook on its own (hookreg_create_release).
CREATE FUNCTION hookreg_deploy_convention(spec jsonb) RETURNS jsonb
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'hookreg_deploy_convention';
COMMENT ON FUNCTION hookreg_deploy_convention(jsonb) IS
    'deploy a convention in one transaction: schema, hooks with feature tables, releases, convention (SPEC 2.6)';
REVOKE ALL ON FUNCTION hookreg_deploy_convention(jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hookreg_deploy_convention(jsonb) TO hookreg_reader, hookreg_ops_writer;

-- ---- src/install/40_ledger.sql
-- Operation-run ledger (SPEC 3): tables, indexes, functions, grants.
--
-- Writes go through the opsrun_* functions only (they act as the extension
-- owner); hookreg_admin alone may also write workspaces and tenants directly.

CREATE TABLE hookreg.workspaces (
    id         bigint      GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    name       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT pg_catalog.now()
);

CREATE TABLE hookreg.tenants (
    id           bigint      GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    workspace_id bigint      NOT NULL REFERENCES hookreg.workspaces (id),
    external_id  uuid        NOT NULL,
    name         text        NULL,
    created_at   timestamptz NOT NULL DEFAULT pg_catalog.now(),
    CONSTRAINT tenants_external_id_key UNIQUE (external_id),
    CONSTRAINT tenants_external_id_v4_check CHECK (@extschema@.opsrun_is_uuid_v4(external_id)),
    -- target of operation_runs' (workspace_id, tenant_id) foreign key: a run's
    -- tenant must belong to the run's workspace
    CONSTRAINT tenants_workspace_id_id_key UNIQUE (workspace_id, id)
);

CREATE TABLE hookreg.operation_types (
    type                 text     PRIMARY KEY,
    scope                text     NOT NULL,
    allowed_summary_keys text[]   NOT NULL DEFAULT ARRAY['total', 'processed', 'succeeded', 'failed',
        'skipped', 'updated', 'created', 'deleted', 'items', 'tenants'],
    cooldown             interval NULL,
    queued_timeout       interval NOT NULL DEFAULT '1 hour',
    running_timeout      interval NOT NULL DEFAULT '2 hours',
    label                text     NULL,
    CONSTRAINT operation_types_type_check
        CHECK (type OPERATOR(pg_catalog.~) '^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$'),
    CONSTRAINT operation_types_scope_check
        CHECK (scope OPERATOR(pg_catalog.=) ANY (ARRAY['tenant', 'workspace'])),
    CONSTRAINT operation_types_cooldown_check
        CHECK (cooldown OPERATOR(pg_catalog.>) '0'::interval),
    CONSTRAINT operation_types_timeouts_check
        CHECK (queued_timeout OPERATOR(pg_catalog.>) '0'::interval
               AND running_timeout OPERATOR(pg_catalog.>) '0'::interval)
);

INSERT INTO hookreg.operation_types (type, scope, cooldown, label) VALUES
    ('assignments.fetch', 'tenant', '15 minutes', 'Fetch assignments'),
    ('assignments.restore', 'tenant', '15 minutes', 'Restore assignments'),
    ('ops.reconcile_adapter_runs', 'workspace', NULL, 'Reconcile stale operation runs');

CREATE TABLE hookreg.operation_runs (
    id                bigint      GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    workspace_id      bigint      NOT NULL REFERENCES hookreg.workspaces (id),
    tenant_id         bigint      NULL,
    user_id           bigint      NULL,
    initiator_name    text        NOT NULL,
    type              text        NOT NULL,
    status            text        NOT NULL DEFAULT 'queued',
    outcome           text        NOT NULL DEFAULT 'pending',
    run_identity_hash text        NOT NULL,
    summary_counts    jsonb       NOT NULL DEFAULT '{}',
    failure_summary   jsonb       NOT NULL DEFAULT '[]',
    context           jsonb       NOT NULL DEFAULT '{}',
    started_at        timestamptz NULL,
    completed_at      timestamptz NULL,
    created_at        timestamptz NOT NULL DEFAULT pg_catalog.now(),
    updated_at        timestamptz NOT NULL DEFAULT pg_catalog.now(),
    -- tenant_id's foreign key, in the form that also proves the tenant
    -- belongs to the run's workspace (not checked when tenant_id is NULL)
    CONSTRAINT operation_runs_tenant_fkey FOREIGN KEY (workspace_id, tenant_id)
        REFERENCES hookreg.tenants (workspace_id, id),
    CONSTRAINT operation_runs_status_check
        CHECK (status OPERATOR(pg_catalog.=) ANY (ARRAY['queued', 'running', 'completed'])),
    CONSTRAINT operation_runs_outcome_check
        CHECK (outcome OPERATOR(pg_catalog.=) ANY (ARRAY['pending', 'succeeded',
            'partially_succeeded', 'failed', 'cancelled', 'blocked'])),
    CONSTRAINT operation_runs_outcome_pending_check
        CHECK ((outcome OPERATOR(pg_catalog.=) 'pending') OPERATOR(pg_catalog.=)
               (status OPERATOR(pg_catalog.<>) 'completed')),
    CONSTRAINT operation_runs_completed_at_check
        CHECK ((completed_at IS NOT NULL) OPERATOR(pg_catalog.=)
               (status OPERATOR(pg_catalog.=) 'completed')),
    CONSTRAINT operation_runs_identity_hash_check
        CHECK (run_identity_hash OPERATOR(pg_catalog.~) '^[0-9a-f]{64}$'),
    CONSTRAINT operation_runs_summary_counts_check
        CHECK (pg_catalog.jsonb_typeof(summary_counts) OPERATOR(pg_catalog.=) 'object'),
    CONSTRAINT operation_runs_failure_summary_check
        CHECK (pg_catalog.jsonb_typeof(failure_summary) OPERATOR(pg_catalog.=) 'array'),
    CONSTRAINT operation_runs_context_check
        CHECK (pg_catalog.jsonb_typeof(context) OPERATOR(pg_catalog.=) 'object')
);

-- Active-run dedupe (the seed's partial unique indexes): at most one queued or
-- running run per identity in its scope. opsrun_start inserts with
-- ON CONFLICT DO NOTHING on these.
CREATE UNIQUE INDEX operation_runs_tenant_active_key ON hookreg.operation_runs (tenant_id, run_identity_hash)
    WHERE tenant_id IS NOT NULL AND status IN ('queued', 'running');
CREATE UNIQUE INDEX operation_runs_workspace_active_key ON hookreg.operation_runs (workspace_id, run_identity_hash)
    WHERE tenant_id IS NULL AND status IN ('queued', 'running');
-- Listing.
CREATE INDEX operation_runs_workspace_created_idx ON hookreg.operation_runs (workspace_id, created_at);
CREATE INDEX operation_runs_tenant_created_idx ON hookreg.operation_runs (tenant_id, created_at);
-- Cooldown look-up: the identity hash already names scope and type, so the
-- last completed run of an identity is one probe, however long the history.
CREATE INDEX operation_runs_completed_identity_idx ON hookreg.operation_runs (run_identity_hash, completed_at)
    WHERE status = 'completed';
-- opsrun_reconcile reads the active runs through the two partial unique
-- indexes above, never the completed history; no index of its own, so
-- opsrun_start maintains no more indexes than dedupe and listing need.

-- pg_dump: the installed operation types are created again by CREATE
-- EXTENSION before the dumped rows are loaded, so operation_types is dumped
-- whole and this trigger turns the load of a row whose type already exists
-- into an update of that row: a restore gives back identical rows, changes to
-- the installed types included.
CREATE FUNCTION opsrun_operation_types_upsert() RETURNS trigger
    LANGUAGE C AS 'MODULE_PATHNAME', 'opsrun_operation_types_upsert';
REVOKE ALL ON FUNCTION opsrun_operation_types_upsert() FROM PUBLIC;
CREATE TRIGGER operation_types_upsert BEFORE INSERT ON hookreg.operation_types
    FOR EACH ROW EXECUTE FUNCTION opsrun_operation_types_upsert();

SELECT pg_catalog.pg_extension_config_dump('hookreg.workspaces', '');
SELECT pg_catalog.pg_extension_config_dump('hookreg.tenants', '');
SELECT pg_catalog.pg_extension_config_dump('hookreg.operation_types', '');
SELECT pg_catalog.pg_extension_config_dump('hookreg.operation_runs', '');
SELECT pg_catalog.pg_extension_config_dump('hookreg.workspaces_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('hookreg.tenants_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('hookreg.operation_runs_id_seq', '');

-- Read access for the ledger's readers and writers; admin writes workspaces
-- and tenants; everything else is written through the functions only.
REVOKE ALL ON hookreg.workspaces, hookreg.tenants, hookreg.operation_types,
              hookreg.operation_runs FROM PUBLIC;
GRANT SELECT ON hookreg.workspaces, hookreg.tenants, hookreg.operation_types,
                hookreg.operation_runs TO hookreg_reader, hookreg_ops_writer;
GRANT INSERT, UPDATE, DELETE ON hookreg.workspaces, hookreg.tenants TO hookreg_admin;

-- Pure functions.
CREATE FUNCTION opsrun_identity_hash(workspace_id bigint, tenant_id bigint, type text, identity jsonb)
    RETURNS text
    LANGUAGE C IMMUTABLE PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'opsrun_identity_hash';
COMMENT ON FUNCTION opsrun_identity_hash(bigint, bigint, text, jsonb) IS
    'SHA-256 hex of the canonical JSON {"identity","scope","type"} of a run';

-- Reads the type catalog as the caller.
CREATE FUNCTION opsrun_normalize_counts(type text, counts jsonb) RETURNS jsonb
    LANGUAGE C STABLE STRICT
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'opsrun_normalize_counts';
COMMENT ON FUNCTION opsrun_normalize_counts(text, jsonb) IS
    'summary counters kept to the type''s allowed keys and non-negative integers, keys sorted';
REVOKE ALL ON FUNCTION opsrun_normalize_counts(text, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION opsrun_normalize_counts(text, jsonb) TO hookreg_reader, hookreg_ops_writer;

-- Life cycle (hookreg_ops_writer).
CREATE FUNCTION opsrun_start(workspace_id bigint, tenant_id bigint, type text,
                             identity jsonb DEFAULT '{}', initiator_name text DEFAULT NULL,
                             user_id bigint DEFAULT NULL, context jsonb DEFAULT '{}')
    RETURNS TABLE (run_id bigint, status text, outcome text, reused boolean, run_identity_hash text)
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'opsrun_start';
COMMENT ON FUNCTION opsrun_start(bigint, bigint, text, jsonb, text, bigint, jsonb) IS
    'create a queued run, or return the active (or cooled-down) run of the same identity';

CREATE FUNCTION opsrun_claim(run_id bigint) RETURNS boolean
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'opsrun_claim';
COMMENT ON FUNCTION opsrun_claim(bigint) IS 'queued -> running; true only for the caller that made the move';

CREATE FUNCTION opsrun_heartbeat(run_id bigint, summary_counts jsonb DEFAULT NULL) RETURNS void
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'opsrun_heartbeat';
COMMENT ON FUNCTION opsrun_heartbeat(bigint, jsonb) IS 'mark a running run alive, optionally replacing its counters';

CREATE FUNCTION opsrun_complete(run_id bigint, outcome text, summary_counts jsonb DEFAULT '{}',
                                failure_summary jsonb DEFAULT '[]')
    RETURNS TABLE (run_id bigint, status text, outcome text, summary_counts jsonb,
                   failure_summary jsonb, completed_at timestamptz)
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'opsrun_complete';
COMMENT ON FUNCTION opsrun_complete(bigint, text, jsonb, jsonb) IS 'complete a queued or running run with a terminal outcome';

CREATE FUNCTION opsrun_fail(run_id bigint, code text, message text) RETURNS void
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'opsrun_fail';
COMMENT ON FUNCTION opsrun_fail(bigint, text, text) IS 'complete a run as failed with one sanitized failure entry';

-- Housekeeping (hookreg_admin).
CREATE FUNCTION opsrun_reconcile(now timestamptz DEFAULT pg_catalog.now())
    RETURNS TABLE (workspace_id bigint, reconcile_run_id bigint, stale_queued int, stale_running int)
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'opsrun_reconcile';
COMMENT ON FUNCTION opsrun_reconcile(timestamptz) IS 'fail stale queued and running runs; one pass at a time';

CREATE FUNCTION opsrun_prune(older_than interval) RETURNS bigint
    LANGUAGE C VOLATILE STRICT
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'opsrun_prune';
COMMENT ON FUNCTION opsrun_prune(interval) IS 'delete completed runs completed longer ago than the interval';

CREATE FUNCTION opsrun_register_type(type text, scope text, allowed_summary_keys text[],
                                     cooldown interval DEFAULT NULL,
                                     queued_timeout interval DEFAULT '1 hour',
                                     running_timeout interval DEFAULT '2 hours',
                                     label text DEFAULT NULL)
    RETURNS void
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'opsrun_register_type';
COMMENT ON FUNCTION opsrun_register_type(text, text, text[], interval, interval, interval, text) IS
    'create or update an operation type';

CREATE FUNCTION hookreg_schedule_housekeeping(schedule text DEFAULT '*/5 * * * *') RETURNS bigint
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'hookreg_schedule_housekeeping';
COMMENT ON FUNCTION hookreg_schedule_housekeeping(text) IS
    'create or update the pg_cron job hookreg-reconcile that runs opsrun_reconcile()';

REVOKE ALL ON FUNCTION
    opsrun_start(bigint, bigint, text, jsonb, text, bigint, jsonb),
    opsrun_claim(bigint), opsrun_heartbeat(bigint, jsonb),
    opsrun_complete(bigint, text, jsonb, jsonb), opsrun_fail(bigint, text, text),
    opsrun_reconcile(timestamptz), opsrun_prune(interval),
    opsrun_register_type(text, text, text[], interval, interval, interval, text),
    hookreg_schedule_housekeeping(text)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    opsrun_start(bigint, bigint, text, jsonb, text, bigint, jsonb),
    opsrun_claim(bigint), opsrun_heartbeat(bigint, jsonb),
    opsrun_complete(bigint, text, jsonb, jsonb), opsrun_fail(bigint, text, text),
    opsrun_reconcile(timestamptz), opsrun_prune(interval),
    opsrun_register_type(text, text, text[], interval, interval, interval, text),
    hookreg_schedule_housekeeping(text)
    TO hookreg_reader, hookreg_ops_writer;

-- ---- src/install/45_sanitize.sql
-- Sanitizing (SPEC 3.3): pure functions, callable by anyone.

CREATE FUNCTION opsrun_sanitize_message(message text) RETURNS text
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'opsrun_sanitize_message';
COMMENT ON FUNCTION opsrun_sanitize_message(text) IS
    'secrets and personal data replaced with [redacted], control characters and white space folded; idempotent';

CREATE FUNCTION opsrun_sanitize_failures(failures jsonb) RETURNS jsonb
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'opsrun_sanitize_failures';
COMMENT ON FUNCTION opsrun_sanitize_failures(jsonb) IS
    'failure summary [{code, message, count}]: codes checked, messages sanitized and cut to 500 characters, equal entries merged, at most 50';

CREATE FUNCTION opsrun_sanitize_context(context jsonb) RETURNS jsonb
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'opsrun_sanitize_context';
COMMENT ON FUNCTION opsrun_sanitize_context(jsonb) IS
    'run context as opsrun_start stores it: members whose key looks like a secret dropped at any depth';

-- ---- src/install/48_housekeeping_drop.sql
-- DROP EXTENSION hookreg also unschedules the pg_cron job that
-- hookreg_schedule_housekeeping() registered (src/housekeeping_drop.c):
-- pg_cron's job table is not part of the extension, so the job would
-- otherwise outlive it and fail every few minutes.
CREATE FUNCTION hookreg_drop_housekeeping() RETURNS event_trigger
    LANGUAGE C
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'hookreg_drop_housekeeping';
REVOKE ALL ON FUNCTION hookreg_drop_housekeeping() FROM PUBLIC;
COMMENT ON FUNCTION hookreg_drop_housekeeping() IS
    'event trigger: DROP EXTENSION hookreg unschedules the hookreg-reconcile pg_cron job';

CREATE EVENT TRIGGER hookreg_drop_housekeeping ON ddl_command_start
    WHEN TAG IN ('DROP EXTENSION')
    EXECUTE FUNCTION hookreg_drop_housekeeping();
