-- Feature tables (src/install/53_feature_insert.sql, src/hooks.c): a reader
-- inserting gets 42501 with the GRANT to run. INSERT on the writable
-- columns moves from hookreg_runner to hookreg_reader (runners keep it as
-- members), and every feature table gets the statement trigger that refuses
-- callers without hookreg_runner. Runs after 20_features.sql.
CREATE FUNCTION hookreg.feature_insert_check() RETURNS trigger
    LANGUAGE C AS 'MODULE_PATHNAME', 'hookreg_feature_insert_check_v2';
REVOKE ALL ON FUNCTION hookreg.feature_insert_check() FROM PUBLIC;
COMMENT ON FUNCTION hookreg.feature_insert_check() IS
    'internal: statement trigger of feature tables; 42501 with the GRANT to run for a caller without hookreg_runner';

DO $hr_feature_insert$
DECLARE
    h record;
    cols text;
BEGIN
    FOR h IN SELECT name, feature_table FROM hookreg.hooks ORDER BY name LOOP
        SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname), ', ' ORDER BY a.attnum)
          INTO cols
          FROM pg_catalog.pg_attribute a
         WHERE a.attrelid OPERATOR(pg_catalog.=) h.feature_table
           AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped
           AND a.attname OPERATOR(pg_catalog.<>) ALL (ARRAY['id', 'created_at']::pg_catalog.name[]);
        EXECUTE pg_catalog.format('REVOKE INSERT (%s) ON %s FROM hookreg_runner', cols, h.feature_table);
        EXECUTE pg_catalog.format('GRANT INSERT (%s) ON %s TO hookreg_reader', cols, h.feature_table);
        EXECUTE pg_catalog.format('CREATE TRIGGER %I BEFORE INSERT ON %s'
                                  ' FOR EACH STATEMENT EXECUTE FUNCTION hookreg.feature_insert_check()',
                                  h.name OPERATOR(pg_catalog.||) '-insert-check', h.feature_table);
    END LOOP;
END
$hr_feature_insert$;

-- Every column of the feature tables made at 0.1.0 gets the comment a new
-- one gets (src/hooks.c).
DO $hr_feature_comments$
DECLARE
    h record;
    a record;
BEGIN
    FOR h IN SELECT name, feature_table FROM hookreg.hooks ORDER BY name LOOP
        FOR a IN SELECT at.attname, at.attnotnull FROM pg_catalog.pg_attribute at
                  WHERE at.attrelid OPERATOR(pg_catalog.=) h.feature_table
                    AND at.attnum OPERATOR(pg_catalog.>) 0 AND NOT at.attisdropped LOOP
            EXECUTE pg_catalog.format('COMMENT ON COLUMN %s.%I IS %L', h.feature_table, a.attname,
                CASE a.attname
                    WHEN 'id' THEN 'row id'
                    WHEN 'run_id' THEN 'the hook run that produced the row (hookreg.hook_runs.id, a run of this hook)'
                    WHEN 'subject' THEN 'what the row describes, e.g. a record id'
                    WHEN 'created_at' THEN 'when the row was inserted'
                    ELSE pg_catalog.format('feature column of the hook''s spec (%s)',
                                           CASE WHEN a.attnotnull THEN 'required' ELSE 'optional' END)
                END);
        END LOOP;
    END LOOP;
END
$hr_feature_comments$;
