-- Feature tables (0.2.0): provenance by trigger instead of a foreign key, and
-- runners write only their own columns.
--
-- 0.1.0 gave every feature table a foreign key to hookreg.hook_runs. It
-- refused a run that does not exist but not a run of another hook's release,
-- and its triggers on hook_runs made every run insert slower with every hook
-- registered. 0.2.0 checks both in the row trigger hookreg.feature_run_check
-- (src/feature_check.c). For every registered hook this part drops the
-- foreign key, adds the trigger under the name a fresh registration gives it,
-- and replaces the runners' table-wide INSERT by INSERT on run_id, subject and
-- the spec's columns (not id, not created_at).
--
-- Rows written at 0.1.0 that name a run of another hook's release are kept
-- (they are the user's data, and the update must not fail on them); each
-- table that has some gets a WARNING with their count, and doc/upgrading.md
-- gives the query that lists them. Every row written after the update is
-- checked.

-- All feature tables change in this one transaction: check up front that the
-- lock table has room (ALTER TABLE holds about 8 lock-table entries per
-- table until commit), instead of "out of shared memory" halfway.
DO $hr_features_room$
DECLARE
    hooks bigint := (SELECT pg_catalog.count(*) FROM hookreg.hooks);
    room bigint := pg_catalog.current_setting('max_locks_per_transaction')::bigint
                   OPERATOR(pg_catalog.*) (pg_catalog.current_setting('max_connections')::bigint
                        OPERATOR(pg_catalog.+) pg_catalog.current_setting('max_prepared_transactions')::bigint);
BEGIN
    IF hooks OPERATOR(pg_catalog.*) 8 OPERATOR(pg_catalog.+) 1000 OPERATOR(pg_catalog.>) room THEN
        RAISE EXCEPTION 'updating % feature tables in one transaction needs more of the lock table than there is', hooks
            USING ERRCODE = '54000',
                  DETAIL = pg_catalog.format('The update holds about 8 lock-table entries per feature table until it commits: about %s; the lock table has room for max_locks_per_transaction (%s) x (max_connections (%s) + max_prepared_transactions (%s)) = %s.',
                                             hooks OPERATOR(pg_catalog.*) 8 OPERATOR(pg_catalog.+) 1000,
                                             pg_catalog.current_setting('max_locks_per_transaction'),
                                             pg_catalog.current_setting('max_connections'),
                                             pg_catalog.current_setting('max_prepared_transactions'), room),
                  HINT = pg_catalog.format('Set max_locks_per_transaction to at least %s, restart the server and run ALTER EXTENSION hookreg UPDATE again; nothing was changed.',
                                           (hooks OPERATOR(pg_catalog.*) 8 OPERATOR(pg_catalog.+) 1000)
                                           OPERATOR(pg_catalog./) (pg_catalog.current_setting('max_connections')::bigint
                                               OPERATOR(pg_catalog.+) pg_catalog.current_setting('max_prepared_transactions')::bigint)
                                           OPERATOR(pg_catalog.+) 1);
    END IF;
END
$hr_features_room$;

CREATE FUNCTION hookreg.feature_run_check() RETURNS trigger
    LANGUAGE C AS 'MODULE_PATHNAME', 'hookreg_feature_run_check_v2';
COMMENT ON FUNCTION hookreg.feature_run_check() IS
    'hookreg: BEFORE INSERT OR UPDATE OF run_id trigger of feature tables; the argument is the hook name';
REVOKE ALL ON FUNCTION hookreg.feature_run_check() FROM PUBLIC;

DO $hr_features$
DECLARE
    h record;
    cols text;
    foreign_rows bigint;
BEGIN
    FOR h IN SELECT name, feature_table FROM hookreg.hooks ORDER BY name LOOP
        EXECUTE pg_catalog.format('ALTER TABLE %s DROP CONSTRAINT IF EXISTS %I',
                                  h.feature_table, h.name OPERATOR(pg_catalog.||) '-run_id-fkey');
        EXECUTE pg_catalog.format('CREATE TRIGGER %I BEFORE INSERT OR UPDATE OF run_id ON %s'
                                  ' FOR EACH ROW EXECUTE FUNCTION hookreg.feature_run_check(%L)',
                                  h.name OPERATOR(pg_catalog.||) '-run_id-check', h.feature_table, h.name);
        SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname), ', ' ORDER BY a.attnum)
          INTO cols
          FROM pg_catalog.pg_attribute a
         WHERE a.attrelid OPERATOR(pg_catalog.=) h.feature_table
           AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped
           AND a.attname OPERATOR(pg_catalog.<>) ALL (ARRAY['id', 'created_at']::pg_catalog.name[]);
        EXECUTE pg_catalog.format('REVOKE INSERT ON %s FROM hookreg_runner', h.feature_table);
        EXECUTE pg_catalog.format('GRANT INSERT (%s) ON %s TO hookreg_runner', cols, h.feature_table);

        EXECUTE pg_catalog.format(
            'SELECT pg_catalog.count(*) FROM %s f'
            '  JOIN hookreg.hook_runs r ON r.id OPERATOR(pg_catalog.=) f.run_id'
            '  JOIN hookreg.hook_releases l ON l.id OPERATOR(pg_catalog.=) r.release_id'
            ' WHERE l.hook_name OPERATOR(pg_catalog.<>) %L', h.feature_table, h.name)
          INTO foreign_rows;
        IF foreign_rows OPERATOR(pg_catalog.>) 0 THEN
            RAISE WARNING '% rows of % name a run of another hook''s release', foreign_rows, h.feature_table
                USING DETAIL = '0.1.0 accepted them; they are kept, and every row written from now on is checked.',
                      HINT = 'doc/upgrading.md ("Feature rows naming another hook''s run") shows how to list them.';
        END IF;
    END LOOP;
END
$hr_features$;
