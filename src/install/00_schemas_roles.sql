-- Schemas and roles (doc/design.md, "Privilege model").
--
-- Data lives in the fixed schema hookreg; functions live in the schema given to
-- CREATE EXTENSION (@extschema@). Feature tables live in hookreg_features.
--
-- The parts of src/install/ are repeated, by design, in src/released/
-- (each released version's install script, frozen) and in the update scripts of
-- src/update/ (which restate every object that changes): the copies must stay
-- as they were released, so they cannot share a file with these.

CREATE SCHEMA hookreg;
CREATE SCHEMA hookreg_features;
COMMENT ON SCHEMA hookreg IS 'hookreg: hook registry and operation-run ledger data';
COMMENT ON SCHEMA hookreg_features IS 'hookreg: one feature table per hook';

-- Roles are cluster-wide and outlive the extension: create them only when
-- missing, never alter an existing one.
DO $roles$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['hookreg_reader', 'hookreg_runner', 'hookreg_releaser',
                             'hookreg_deployer', 'hookreg_ops_writer', 'hookreg_admin']
    LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname OPERATOR(pg_catalog.=) r) THEN
            EXECUTE pg_catalog.format('CREATE ROLE %I NOLOGIN', r);
        END IF;
    END LOOP;
END
$roles$;

-- reader < runner, releaser, deployer; admin is a member of all of them.
GRANT hookreg_reader TO hookreg_runner, hookreg_releaser, hookreg_deployer;
GRANT hookreg_reader, hookreg_runner, hookreg_releaser, hookreg_deployer,
      hookreg_ops_writer TO hookreg_admin;

REVOKE ALL ON SCHEMA hookreg, hookreg_features FROM PUBLIC;
GRANT USAGE ON SCHEMA hookreg, hookreg_features TO hookreg_reader, hookreg_ops_writer;
