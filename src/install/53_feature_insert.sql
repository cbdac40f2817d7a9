-- Feature tables: INSERT on their writable columns is granted to
-- hookreg_reader, and this statement trigger (created with each feature
-- table) refuses a caller without hookreg_runner with 42501 and the GRANT
-- to run, which PostgreSQL's own privilege error cannot say (src/feature_insert.c).
CREATE FUNCTION hookreg.feature_insert_check() RETURNS trigger
    LANGUAGE C AS 'MODULE_PATHNAME', 'hookreg_feature_insert_check_v2';
REVOKE ALL ON FUNCTION hookreg.feature_insert_check() FROM PUBLIC;
COMMENT ON FUNCTION hookreg.feature_insert_check() IS
    'internal: statement trigger of feature tables; 42501 with the GRANT to run for a caller without hookreg_runner';
