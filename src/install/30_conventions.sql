-- Conventions and the bundled deploy (doc/reference.md, "Conventions").
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
    FOR EACH STATEMENT EXECUTE FUNCTION hookreg.hookreg_refuse_change(
        'A schema is immutable per id@version: deploy a new version instead.');

-- Every name in conventions.hooks is a registered hook (23503), checked with
-- the hooks rows locked FOR KEY SHARE the way a foreign key does; and a hook
-- that a convention names cannot be deleted or renamed.
CREATE FUNCTION hookreg.hookreg_convention_hooks_check() RETURNS trigger
    LANGUAGE C AS 'MODULE_PATHNAME', 'hookreg_convention_hooks_check_v2';
REVOKE ALL ON FUNCTION hookreg.hookreg_convention_hooks_check() FROM PUBLIC;
CREATE CONSTRAINT TRIGGER conventions_hooks_registered
    AFTER INSERT OR UPDATE OF hooks ON hookreg.conventions
    FOR EACH ROW EXECUTE FUNCTION hookreg.hookreg_convention_hooks_check();

CREATE FUNCTION hookreg.hookreg_hook_in_use_check() RETURNS trigger
    LANGUAGE C AS 'MODULE_PATHNAME', 'hookreg_hook_in_use_check_v2';
REVOKE ALL ON FUNCTION hookreg.hookreg_hook_in_use_check() FROM PUBLIC;
CREATE CONSTRAINT TRIGGER hooks_named_by_conventions
    AFTER DELETE OR UPDATE OF name ON hookreg.hooks
    FOR EACH ROW EXECUTE FUNCTION hookreg.hookreg_hook_in_use_check();

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
    AS 'MODULE_PATHNAME', 'hookreg_deploy_convention_v2';
-- Its COMMENT is in 95_comments.sql, which the update from 0.1.0 runs too.
REVOKE ALL ON FUNCTION hookreg_deploy_convention(jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hookreg_deploy_convention(jsonb) TO hookreg_reader, hookreg_ops_writer;
