-- test/tap/helpers/roles.sql: a role for each hookreg role, to SET ROLE to.
--
-- Include it after BEGIN, with the names' prefix in the psql variable
-- role_prefix:
--     \set role_prefix tap
--     \ir helpers/roles.sql
-- It creates PREFIX_deployer, PREFIX_reader, PREFIX_runner, PREFIX_releaser,
-- PREFIX_ops and PREFIX_admin, each a member of one role (hookreg_deployer,
-- hookreg_reader, hookreg_runner, hookreg_releaser, hookreg_ops_writer,
-- hookreg_admin), and PREFIX_nobody, a member of none. The file's ROLLBACK
-- drops them again.
SELECT pg_catalog.set_config('hr_test.role_prefix', :'role_prefix', true) IS NOT NULL AS roles_prefix_set \gset
DO $roles$
DECLARE
    p text := pg_catalog.current_setting('hr_test.role_prefix');
    r record;
BEGIN
    FOR r IN SELECT * FROM (VALUES ('deployer', 'hookreg_deployer'), ('reader', 'hookreg_reader'),
                                   ('runner', 'hookreg_runner'), ('releaser', 'hookreg_releaser'),
                                   ('ops', 'hookreg_ops_writer'), ('admin', 'hookreg_admin')) AS v(short, member_of)
    LOOP
        EXECUTE pg_catalog.format('CREATE ROLE %I IN ROLE %I', p || '_' || r.short, r.member_of);
    END LOOP;
    EXECUTE pg_catalog.format('CREATE ROLE %I', p || '_nobody');
END
$roles$;
