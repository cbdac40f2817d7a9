-- The schema of CREATE EXTENSION hookreg SCHEMA s holds every function of
-- hookreg, and its owner can DROP SCHEMA s CASCADE, which drops the
-- extension with every release, run and live move. So s must be owned by a
-- superuser, by the database owner, or by pg_database_owner (the normal case
-- of public in PostgreSQL 15): the database owner can drop the whole
-- database anyway, so owning the schema gives it nothing more. Any other
-- owner is refused (doc/security.md). The update from 0.1.0 makes the same
-- check (src/update/hookreg--0.1.0--0.2.0/50_security.sql).
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
              DETAIL = 'The owner of the schema that holds hookreg''s functions can DROP SCHEMA ... CASCADE, which drops the extension with every release, run and live move. hookreg is installed only into a schema owned by a superuser, the database owner or pg_database_owner.',
              HINT = pg_catalog.format('Give the schema to the database owner first (ALTER SCHEMA %I OWNER TO pg_database_owner;), or install hookreg into another schema (CREATE EXTENSION hookreg SCHEMA ...).',
                                       pg_catalog.current_schema());
END
$schema$;
