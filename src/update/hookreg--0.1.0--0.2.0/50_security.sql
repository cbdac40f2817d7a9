-- Security (doc/security.md).

-- The schema that holds hookreg's functions must not belong to an ordinary
-- role, who could DROP SCHEMA ... CASCADE and take every release, run and
-- live move along: the check of src/install/05_target_schema.sql, with what
-- to do before the update can run.
DO $schema$
DECLARE
    owner oid;
BEGIN
    SELECT n.nspowner INTO owner FROM pg_catalog.pg_namespace n
     WHERE n.nspname OPERATOR(pg_catalog.=) pg_catalog.current_schema();
    IF owner OPERATOR(pg_catalog.=) 'pg_database_owner'::pg_catalog.regrole
       OR owner OPERATOR(pg_catalog.=) (SELECT d.datdba FROM pg_catalog.pg_database d
                                         WHERE d.datname OPERATOR(pg_catalog.=) pg_catalog.current_database())
       OR (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.oid OPERATOR(pg_catalog.=) owner) THEN
        RETURN;
    END IF;
    RAISE EXCEPTION 'schema % is owned by role %, who could drop it with all of hookreg''s data',
        pg_catalog.quote_ident(pg_catalog.current_schema()), pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(owner))
        USING ERRCODE = '55000',
              DETAIL = 'The owner of the schema that holds hookreg''s functions can DROP SCHEMA ... CASCADE, which drops the extension with every release, run and live move. From 0.2.0 hookreg lives only in a schema owned by a superuser, the database owner or pg_database_owner.',
              HINT = pg_catalog.format('Give the schema to the database owner (ALTER SCHEMA %I OWNER TO pg_database_owner;), then run ALTER EXTENSION hookreg UPDATE again.',
                                       pg_catalog.current_schema());
END
$schema$;

-- The jobs' entry points hookreg.reconcile_job() and hookreg.prune_job() come
-- from 49_housekeeping_job.sql, the install part itself (a link), so both
-- paths create them from one text.

-- A 0.1.0 job ran "SELECT * FROM <schema>.opsrun_reconcile(pg_catalog.now())"
-- as the extension owner, which the owner of that schema could answer with a
-- look-alike. Its command becomes hookreg.reconcile_job(); schedule, user and
-- active flag stay. pg_cron is recognised only as the installed extension:
-- its job table and alter_job are members of it (pg_depend), and alter_job is
-- called with its whole signature, in its own schema.
DO $job$
DECLARE
    job_table text;
    alter_job text;
    job bigint;
BEGIN
    SELECT pg_catalog.format('%I.%I', n.nspname, c.relname) INTO job_table
      FROM pg_catalog.pg_extension e
      JOIN pg_catalog.pg_depend d ON d.refobjid OPERATOR(pg_catalog.=) e.oid
       AND d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_extension'::pg_catalog.regclass
       AND d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass
       AND d.deptype OPERATOR(pg_catalog.=) 'e'
      JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) d.objid
      JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
     WHERE e.extname OPERATOR(pg_catalog.=) 'pg_cron' AND c.relname OPERATOR(pg_catalog.=) 'job'
       AND c.relkind OPERATOR(pg_catalog.=) 'r';
    SELECT pg_catalog.format('%I.%I', n.nspname, p.proname) INTO alter_job
      FROM pg_catalog.pg_extension e
      JOIN pg_catalog.pg_depend d ON d.refobjid OPERATOR(pg_catalog.=) e.oid
       AND d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_extension'::pg_catalog.regclass
       AND d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::pg_catalog.regclass
       AND d.deptype OPERATOR(pg_catalog.=) 'e'
      JOIN pg_catalog.pg_proc p ON p.oid OPERATOR(pg_catalog.=) d.objid
      JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) p.pronamespace
     WHERE e.extname OPERATOR(pg_catalog.=) 'pg_cron' AND p.proname OPERATOR(pg_catalog.=) 'alter_job'
       AND p.proargtypes OPERATOR(pg_catalog.=) '20 25 25 25 25 16'::pg_catalog.oidvector;
    IF job_table IS NULL THEN
        RETURN;                         -- no pg_cron in this database: no job
    END IF;
    FOR job IN EXECUTE pg_catalog.format(
        'SELECT j.jobid FROM %s j WHERE j.jobname OPERATOR(pg_catalog.=) $1::pg_catalog.text'
        '   AND j.database OPERATOR(pg_catalog.=) pg_catalog.current_database()::pg_catalog.text',
        job_table) USING 'hookreg-reconcile'
    LOOP
        IF alter_job IS NULL THEN
            RAISE EXCEPTION 'pg_cron in this database has no alter_job(bigint, text, text, text, text, boolean)'
                USING ERRCODE = '55000',
                      DETAIL = 'The update rewrites the command of the housekeeping job hookreg-reconcile.',
                      HINT = 'Update pg_cron first (ALTER EXTENSION pg_cron UPDATE), or unschedule the job and schedule it again with hookreg_schedule_housekeeping() after the update.';
        END IF;
        EXECUTE pg_catalog.format(
            'SELECT %s($1::pg_catalog.int8, NULL::pg_catalog.text, $2::pg_catalog.text,'
            ' NULL::pg_catalog.text, NULL::pg_catalog.text, NULL::pg_catalog.bool)', alter_job)
            USING job, 'SELECT * FROM hookreg.reconcile_job()';
    END LOOP;
END
$job$;
