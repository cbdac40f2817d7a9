-- Events: opt-in NOTIFY on live-pointer moves (channel hookreg_live_moves)
-- and on runs reaching a terminal state (channel hookreg_runs), off until
-- hookreg_set_events() turns them on for this database (src/events.c).

-- One row per event that was ever set; a missing row means off.
CREATE TABLE hookreg.event_settings (
    event      text        PRIMARY KEY,
    enabled    boolean     NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    changed_by text        NOT NULL,
    CONSTRAINT event_settings_event_check
        CHECK (event OPERATOR(pg_catalog.=) ANY (ARRAY['live_moves', 'runs']))
);
SELECT pg_catalog.pg_extension_config_dump('hookreg.event_settings', '');
REVOKE ALL ON hookreg.event_settings FROM PUBLIC;
GRANT SELECT ON hookreg.event_settings TO hookreg_reader, hookreg_ops_writer;

-- Every write, whoever makes it, resets the answer every backend caches.
CREATE FUNCTION hookreg.event_settings_changed() RETURNS trigger
    LANGUAGE C AS 'MODULE_PATHNAME', 'hookreg_event_settings_changed_v2';
REVOKE ALL ON FUNCTION hookreg.event_settings_changed() FROM PUBLIC;
COMMENT ON FUNCTION hookreg.event_settings_changed() IS
    'internal: trigger of hookreg.event_settings; backends forget the cached settings at commit';
CREATE TRIGGER event_settings_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON hookreg.event_settings
    FOR EACH STATEMENT EXECUTE FUNCTION hookreg.event_settings_changed();

CREATE FUNCTION hookreg_set_events(live_moves boolean DEFAULT NULL, runs boolean DEFAULT NULL)
    RETURNS TABLE (event text, channel text, enabled boolean)
    LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'hookreg_set_events_v2';
COMMENT ON FUNCTION hookreg_set_events(boolean, boolean) IS
    'turn NOTIFY of live-pointer moves and of terminal runs on or off for this database';
REVOKE ALL ON FUNCTION hookreg_set_events(boolean, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hookreg_set_events(boolean, boolean) TO hookreg_reader, hookreg_ops_writer;
