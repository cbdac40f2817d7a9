-- test/tap/helpers/errors.sql: error capture shared by the pgTAP files.
--
-- Include it with "\ir helpers/errors.sql" after BEGIN: the functions live in
-- pg_temp and go away with the file's session. scripts/test.sh hands
-- test/tap/*.sql to pg_prove, so nothing under test/tap/helpers/ runs as a
-- test of its own. throws_ok covers SQLSTATE and message; these are for what
-- it cannot see (detail, hint, context) and for checks that must not stop at
-- the first error.
--
-- pg_temp.error_of(sql): the error the statement raises, as the fields
--   state, message, detail, hint, context; all NULL when it raises none (its
--   effects then stay, e.g. a "SET ROLE x; ..." that succeeded). Use it as
--   (pg_temp.error_of($$...$$)).hint.
-- pg_temp.try(sql): 'ok' when the statement runs without error (its effects
--   are undone), else its SQLSTATE.
--
-- Both are executable by every role, so that a file may call them after
-- SET ROLE.

CREATE FUNCTION pg_temp.error_of(sql text, OUT state text, OUT message text, OUT detail text,
                                 OUT hint text, OUT context text)
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE sql;
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT,
                            detail = PG_EXCEPTION_DETAIL, hint = PG_EXCEPTION_HINT,
                            context = PG_EXCEPTION_CONTEXT;
END $$;

CREATE FUNCTION pg_temp.try(sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    st text;
BEGIN
    BEGIN
        EXECUTE sql;
        RAISE EXCEPTION 'undo' USING ERRCODE = 'HRTRY';
    EXCEPTION WHEN OTHERS THEN
        st := SQLSTATE;
    END;
    RETURN CASE WHEN st = 'HRTRY' THEN 'ok' ELSE st END;
END $$;

GRANT EXECUTE ON FUNCTION pg_temp.error_of(text), pg_temp.try(text) TO PUBLIC;
