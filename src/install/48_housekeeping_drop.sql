-- DROP EXTENSION hookreg also unschedules the pg_cron job that
-- hookreg_schedule_housekeeping() registered (src/housekeeping_drop.c):
-- pg_cron's job table is not part of the extension, so the job would
-- otherwise outlive it and fail every few minutes.
CREATE FUNCTION hookreg.hookreg_drop_housekeeping() RETURNS event_trigger
    LANGUAGE C
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'hookreg_drop_housekeeping_v2';
REVOKE ALL ON FUNCTION hookreg.hookreg_drop_housekeeping() FROM PUBLIC;
COMMENT ON FUNCTION hookreg.hookreg_drop_housekeeping() IS
    'event trigger: DROP EXTENSION hookreg unschedules the hookreg-reconcile pg_cron job';

CREATE EVENT TRIGGER hookreg_drop_housekeeping ON ddl_command_start
    WHEN TAG IN ('DROP EXTENSION')
    EXECUTE FUNCTION hookreg.hookreg_drop_housekeeping();
