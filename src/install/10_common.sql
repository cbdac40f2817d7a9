-- Functions every part shares.
--
-- Privilege model (see doc/design.md "Privilege model"): EXECUTE on a writing function is
-- revoked from PUBLIC and granted to hookreg_reader and hookreg_ops_writer, of
-- which every hookreg role is a member; the C function then checks the exact
-- role it needs and, when it is missing, raises 42501 with a hint naming it.
-- Functions that act as the extension owner pin search_path.

CREATE FUNCTION hookreg_version() RETURNS text
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'hookreg_version_v2';
COMMENT ON FUNCTION hookreg_version() IS 'version of the loaded hookreg module';

CREATE FUNCTION hookreg_slugify(title text) RETURNS text
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'hookreg_slugify_v2';
COMMENT ON FUNCTION hookreg_slugify(text) IS 'convention slug of a title: ^[a-z][a-z0-9-]{2,63}$, else 22023';

CREATE FUNCTION opsrun_is_uuid_v4(uuid) RETURNS boolean
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'opsrun_is_uuid_v4_v2';
COMMENT ON FUNCTION opsrun_is_uuid_v4(uuid) IS 'true for an RFC 4122 version 4 UUID';
