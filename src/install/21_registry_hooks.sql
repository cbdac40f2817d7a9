-- Hook identities, feature tables and the registry views (doc/reference.md).

-- The provenance check of every feature table (src/feature_check.c): a row's
-- run_id must name a run of a release of the table's own hook (23503 else).
-- In schema hookreg, which only the extension owner controls.
CREATE FUNCTION hookreg.feature_run_check() RETURNS trigger
    LANGUAGE C AS 'MODULE_PATHNAME', 'hookreg_feature_run_check_v2';
COMMENT ON FUNCTION hookreg.feature_run_check() IS
    'hookreg: BEFORE INSERT OR UPDATE OF run_id trigger of feature tables; the argument is the hook name';
REVOKE ALL ON FUNCTION hookreg.feature_run_check() FROM PUBLIC;

CREATE FUNCTION hookreg_register_hook(name text, feature_spec jsonb)
    RETURNS TABLE (hook_name text, created boolean, feature_table regclass)
    LANGUAGE C VOLATILE ROWS 1
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'hookreg_register_hook_v2';
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
