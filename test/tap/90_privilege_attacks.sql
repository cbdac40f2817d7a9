-- Privilege attacks (issue 6, point 5).
--
-- 1. Every function that acts as the extension owner pins search_path, and
--    none is SECURITY DEFINER without it; writers are not executable by PUBLIC.
-- 2. No hookreg role may write a registry or ledger table directly (INSERT,
--    UPDATE, DELETE, TRUNCATE), nor a sequence, nor through a view; feature
--    tables take INSERT from runners only.
-- 3. Every writer refuses a role without its scope: 42501 with a hint naming
--    the role to grant (plain 42501 for a role that may not even execute it).
-- 4. An attacker with its own schema of look-alike functions, operators,
--    aggregates and tables first on search_path, look-alike tables in
--    pg_temp and odd GUCs changes nothing: a workload calling every hookreg
--    function gives the same results and state as in a clean session, and no
--    attacker object is ever called.
-- 5. Names and keys that look like SQL are refused by the name rules or
--    stored as inert data; they never reach SQL text.
BEGIN;

-- ------------------------------------------------------------------ fixtures
CREATE ROLE hr_att_nobody;
CREATE ROLE hr_att_reader IN ROLE hookreg_reader;
CREATE ROLE hr_att_runner IN ROLE hookreg_runner;
CREATE ROLE hr_att_releaser IN ROLE hookreg_releaser;
CREATE ROLE hr_att_deployer IN ROLE hookreg_deployer;
CREATE ROLE hr_att_ops IN ROLE hookreg_ops_writer;
CREATE ROLE hr_att_admin IN ROLE hookreg_admin;
CREATE ROLE hr_att_mallory IN ROLE hookreg_admin;

-- pg_temp.try(sql), pg_temp.error_of(sql): test/tap/helpers/errors.sql.
\ir helpers/errors.sql

-- capture(): every w_* temp table of the workload as one jsonb object, rows
-- sorted, with the generated ids and clock times (which differ between two
-- runs) removed.
CREATE FUNCTION pg_temp.strip(j jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
SELECT CASE jsonb_typeof(j)
    WHEN 'object' THEN coalesce((SELECT jsonb_object_agg(k, pg_temp.strip(v)) FROM jsonb_each(j) AS e(k, v)
                                  WHERE k NOT IN ('id', 'release_id', 'live_release_id', 'reconcile_run_id',
                                                  'since', 'completed_at', 'built_at', 'moved_at', 'created_at', 'updated_at')
                                    AND NOT (k = 'run_id' AND jsonb_typeof(v) = 'number')), '{}')
    WHEN 'array' THEN (SELECT coalesce(jsonb_agg(pg_temp.strip(v) ORDER BY n), '[]')
                         FROM jsonb_array_elements(j) WITH ORDINALITY AS a(v, n))
    ELSE j END
$$;
CREATE FUNCTION pg_temp.capture() RETURNS jsonb
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp SET TimeZone = 'UTC' SET DateStyle = 'ISO, MDY'
    SET IntervalStyle = 'postgres' SET extra_float_digits = 1 AS $$
DECLARE
    r record;
    v jsonb;
    res jsonb := '{}';
BEGIN
    FOR r IN SELECT c.relname FROM pg_class c
              WHERE c.relnamespace = pg_my_temp_schema() AND c.relkind = 'r' AND c.relname LIKE 'w\_%'
              ORDER BY c.relname LOOP
        -- rows in a stable order, whatever order the run produced them in
        EXECUTE format('SELECT coalesce(jsonb_agg(s ORDER BY s::text), ''[]'')
                          FROM (SELECT pg_temp.strip(to_jsonb(t)) AS s FROM pg_temp.%I t) x', r.relname) INTO v;
        res := res || jsonb_build_object(r.relname, v);
    END LOOP;
    RETURN res;
END $$;

-- A hook with a release and a run, a workspace and a tenant.
SELECT feature_table::text AS feat FROM hookreg_register_hook('att_feat', '{"kind": "table", "cardinality": "many",
    "columns": [{"name": "label", "json_type": "string", "required": false},
                {"name": "doc", "json_type": "object", "required": false}]}') \gset
SELECT release_id AS feat_rel1 FROM hookreg_create_release('att_feat', 'registry.example.org/feat',
    'sha256:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff', '{}', '{}', 'git:feat-1') \gset
SELECT hookreg_record_run(:'feat_rel1', 'passed', '2026-01-01 00:00+00', '2026-01-01 00:01+00', 0, NULL, NULL,
                          hookreg_run_id('att_feat:1')) AS feat_run1 \gset
INSERT INTO hookreg.workspaces (name) VALUES ('att workspace') RETURNING id AS ws \gset
INSERT INTO hookreg.tenants (workspace_id, external_id, name)
VALUES (:ws, 'c9bf9e57-1685-4c89-bafb-ff5af830be8a', 'att tenant') RETURNING id AS tenant \gset

-- --------------------------------------------- cases of direct writes and gates
CREATE TEMP TABLE att_roles (n serial, role name PRIMARY KEY);
GRANT SELECT ON att_roles TO PUBLIC;
INSERT INTO att_roles (role) VALUES ('hr_att_nobody'), ('hr_att_reader'), ('hr_att_runner'), ('hr_att_releaser'),
                             ('hr_att_deployer'), ('hr_att_ops'), ('hr_att_admin');
-- kind: 'denied' (throws 42501), 'hint' (42501 whose hint grants the role),
-- 'allowed' (anything but 42501), 'blocked' (42501, or 55000 for a view that
-- cannot be written at all), 'missing' (the function does not exist).
CREATE TEMP TABLE att_cases (n serial, role name, kind text, sql text, need text, descr text);
GRANT SELECT ON att_cases TO PUBLIC;

-- Tables of the registry and the ledger: admin alone writes workspaces and
-- tenants (but never truncates them); nobody else writes anything.
INSERT INTO att_cases (role, kind, sql, descr)
SELECT r.role,
       CASE WHEN r.role = 'hr_att_admin' AND c.relname IN ('workspaces', 'tenants') AND op.o <> 'TRUNCATE'
            THEN 'allowed' ELSE 'denied' END,
       CASE op.o
           WHEN 'INSERT' THEN format('INSERT INTO %s DEFAULT VALUES', c.oid::regclass)
           WHEN 'UPDATE' THEN format('UPDATE %s SET %I = %I', c.oid::regclass, a.attname, a.attname)
           WHEN 'DELETE' THEN format('DELETE FROM %s', c.oid::regclass)
           ELSE format('TRUNCATE %s', c.oid::regclass) END,
       format('%s: %s on %s %s', r.role, op.o, c.oid::regclass,
              CASE WHEN r.role = 'hr_att_admin' AND c.relname IN ('workspaces', 'tenants') AND op.o <> 'TRUNCATE'
                   THEN 'is allowed' ELSE 'is refused with 42501' END)
  FROM pg_class c
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = 1
  CROSS JOIN att_roles r
  CROSS JOIN (VALUES ('INSERT'), ('UPDATE'), ('DELETE'), ('TRUNCATE')) AS op(o)
 WHERE c.relnamespace = 'hookreg'::regnamespace AND c.relkind IN ('r', 'p')
 ORDER BY c.relname, r.role, op.o;

-- Row and table locks that would stall the writers (FOR KEY SHARE on a live
-- pointer blocks its releases; SHARE ROW EXCLUSIVE blocks every write): only
-- roles that may write the table may take them.
INSERT INTO att_cases (role, kind, sql, descr)
SELECT r.role,
       CASE WHEN r.role = 'hr_att_admin' AND c.relname IN ('workspaces', 'tenants') THEN 'allowed' ELSE 'denied' END,
       CASE l.o WHEN 'FOR KEY SHARE' THEN format('SELECT FROM %s FOR KEY SHARE', c.oid::regclass)
                ELSE format('LOCK TABLE %s IN SHARE ROW EXCLUSIVE MODE', c.oid::regclass) END,
       format('%s: %s on %s %s', r.role, l.o, c.oid::regclass,
              CASE WHEN r.role = 'hr_att_admin' AND c.relname IN ('workspaces', 'tenants')
                   THEN 'is allowed' ELSE 'is refused with 42501' END)
  FROM pg_class c
  CROSS JOIN att_roles r
  CROSS JOIN (VALUES ('FOR KEY SHARE'), ('LOCK TABLE')) AS l(o)
 WHERE c.relnamespace = 'hookreg'::regnamespace AND c.relkind IN ('r', 'p')
 ORDER BY c.relname, r.role, l.o;

-- Reading: a role without a hookreg role reads nothing (not even a
-- sequence); hookreg_reader reads every table and view.
INSERT INTO att_cases (role, kind, sql, descr)
SELECT r.role, CASE WHEN r.role = 'hr_att_nobody' THEN 'denied' ELSE 'allowed' END,
       format('SELECT FROM %s LIMIT 1', c.oid::regclass),
       format('%s: SELECT on %s %s', r.role, c.oid::regclass,
              CASE WHEN r.role = 'hr_att_nobody' THEN 'is refused with 42501' ELSE 'is allowed' END)
  FROM pg_class c CROSS JOIN att_roles r
 WHERE c.relnamespace = 'hookreg'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
   AND (r.role = 'hr_att_nobody' OR (r.role = 'hr_att_reader' AND c.relkind <> 'S'))
 ORDER BY c.relname, r.role;

-- Sequences: no role may draw or set one.
INSERT INTO att_cases (role, kind, sql, descr)
SELECT r.role, 'denied', format(f.sql, quote_literal(c.oid::regclass::text)),
       format('%s: %s on sequence %s is refused with 42501', r.role, f.fn, c.oid::regclass)
  FROM pg_class c CROSS JOIN att_roles r
  CROSS JOIN (VALUES ('nextval', 'SELECT nextval(%s)'), ('setval', 'SELECT setval(%s, 1000000)')) AS f(fn, sql)
 WHERE c.relnamespace = 'hookreg'::regnamespace AND c.relkind = 'S'
 ORDER BY c.relname, r.role, f.fn;

-- Views: no role writes through one.
INSERT INTO att_cases (role, kind, sql, descr)
SELECT r.role, 'blocked',
       CASE op.o
           WHEN 'INSERT' THEN format('INSERT INTO %s DEFAULT VALUES', c.oid::regclass)
           WHEN 'UPDATE' THEN format('UPDATE %s SET %I = %I', c.oid::regclass, a.attname, a.attname)
           ELSE format('DELETE FROM %s', c.oid::regclass) END,
       format('%s: %s through view %s is refused', r.role, op.o, c.oid::regclass)
  FROM pg_class c
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = 1
  CROSS JOIN att_roles r
  CROSS JOIN (VALUES ('INSERT'), ('UPDATE'), ('DELETE')) AS op(o)
 WHERE c.relnamespace = 'hookreg'::regnamespace AND c.relkind IN ('v', 'm')
 ORDER BY c.relname, r.role, op.o;

-- A feature table: INSERT for runners (and admin), nothing else for anyone.
INSERT INTO att_cases (role, kind, sql, descr)
SELECT r.role,
       CASE WHEN op.o = 'INSERT' AND pg_has_role(r.role, 'hookreg_runner', 'USAGE') THEN 'allowed' ELSE 'denied' END,
       CASE op.o
           WHEN 'INSERT' THEN format($$INSERT INTO %s (run_id, subject, label) VALUES (%L, 'att-subject', 'x')$$, :'feat', :'feat_run1')
           WHEN 'UPDATE' THEN format('UPDATE %s SET label = label', :'feat')
           WHEN 'DELETE' THEN format('DELETE FROM %s', :'feat')
           WHEN 'TRUNCATE' THEN format('TRUNCATE %s', :'feat')
           WHEN 'ALTER' THEN format('ALTER TABLE %s ADD COLUMN att_extra text', :'feat')
           ELSE format('CREATE TRIGGER att_trg BEFORE INSERT ON %s FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger()', :'feat') END,
       format('%s: %s on feature table %s %s', r.role, op.o, :'feat',
              CASE WHEN op.o = 'INSERT' AND pg_has_role(r.role, 'hookreg_runner', 'USAGE')
                   THEN 'is allowed' ELSE 'is refused with 42501' END)
  FROM att_roles r
  CROSS JOIN (VALUES ('INSERT'), ('UPDATE'), ('DELETE'), ('TRUNCATE'), ('ALTER'), ('TRIGGER')) AS op(o)
 ORDER BY r.role, op.o;

-- The extension's schemas: no role may create an object in them (a table
-- named like a future hook, a function named like a built-in).
INSERT INTO att_cases (role, kind, sql, descr)
SELECT r.role, 'denied', format(x.sql, x.nsp), format('%s: %s in schema %s is refused with 42501', r.role, x.what, x.nsp)
  FROM att_roles r
  CROSS JOIN (VALUES ('hookreg', 'CREATE TABLE', 'CREATE TABLE %s.att_planted (a int)'),
                     ('hookreg_features', 'CREATE TABLE', 'CREATE TABLE %s.att_planted (a int)'),
                     ('hookreg', 'CREATE FUNCTION', 'CREATE FUNCTION %s.now() RETURNS timestamptz LANGUAGE sql AS $f$SELECT NULL::timestamptz$f$'),
                     ('hookreg_features', 'CREATE FUNCTION', 'CREATE FUNCTION %s.now() RETURNS timestamptz LANGUAGE sql AS $f$SELECT NULL::timestamptz$f$'))
       AS x(nsp, what, sql)
 ORDER BY r.role, x.nsp, x.what;

-- Functions gated by a role: every role without it is refused.
INSERT INTO att_cases (role, kind, sql, need, descr)
SELECT r.role,
       CASE WHEN to_regprocedure(f.sig) IS NULL THEN 'missing'
            WHEN has_function_privilege(r.role, to_regprocedure(f.sig), 'EXECUTE') THEN 'hint'
            ELSE 'denied' END,
       f.sql, f.need,
       format('%s: %s is refused with 42501%s', r.role, split_part(f.sig, '(', 1),
              CASE WHEN to_regprocedure(f.sig) IS NOT NULL
                        AND has_function_privilege(r.role, to_regprocedure(f.sig), 'EXECUTE')
                   THEN ', the hint grants ' || f.need ELSE '' END)
  FROM (VALUES
    ('public.hookreg_register_hook(text,jsonb)', 'hookreg_deployer',
     $$SELECT * FROM public.hookreg_register_hook('att_gate', '{"kind": "table", "cardinality": "one", "columns": []}')$$),
    ('public.hookreg_deploy_convention(jsonb)', 'hookreg_deployer',
     $$SELECT public.hookreg_deploy_convention('{}')$$),
    ('public.hookreg_create_release(text,text,text,jsonb,jsonb,text,text)', 'hookreg_releaser',
     $$SELECT * FROM public.hookreg_create_release('att_feat', 'i', 'sha256:' || repeat('0', 64), '{}', '{}', 'git:x')$$),
    ('public.hookreg_set_live(text,integer)', 'hookreg_releaser',
     $$SELECT * FROM public.hookreg_set_live('att_feat', 1)$$),
    ('public.hookreg_record_run(uuid,text,timestamptz,timestamptz,integer,text,double precision,uuid)', 'hookreg_runner',
     format($$SELECT public.hookreg_record_run(%L, 'passed', now(), now())$$, :'feat_rel1')),
    ('public.hookreg_resolve_live(text[])', 'hookreg_reader',
     $$SELECT * FROM public.hookreg_resolve_live(ARRAY['att_feat'])$$),
    ('public.hookreg_live_at(text,timestamptz)', 'hookreg_reader',
     $$SELECT * FROM public.hookreg_live_at('att_feat', now())$$),
    ('public.hookreg_provenance(uuid)', 'hookreg_reader',
     format($$SELECT * FROM public.hookreg_provenance(%L)$$, :'feat_run1')),
    ('public.opsrun_start(bigint,bigint,text,jsonb,text,bigint,jsonb)', 'hookreg_ops_writer',
     format($$SELECT * FROM public.opsrun_start(%s, NULL, 'att.gate')$$, :ws)),
    ('public.opsrun_claim(bigint)', 'hookreg_ops_writer', $$SELECT public.opsrun_claim(1)$$),
    ('public.opsrun_heartbeat(bigint,jsonb)', 'hookreg_ops_writer', $$SELECT public.opsrun_heartbeat(1, NULL)$$),
    ('public.opsrun_complete(bigint,text,jsonb,jsonb)', 'hookreg_ops_writer',
     $$SELECT * FROM public.opsrun_complete(1, 'succeeded')$$),
    ('public.opsrun_fail(bigint,text,text)', 'hookreg_ops_writer', $$SELECT public.opsrun_fail(1, 'x', 'y')$$),
    ('public.opsrun_reconcile(timestamptz)', 'hookreg_admin', $$SELECT * FROM public.opsrun_reconcile(now())$$),
    ('public.opsrun_prune(interval,interval,integer)', 'hookreg_admin', $$SELECT public.opsrun_prune('1 day')$$),
    ('public.opsrun_register_type(text,text,text[],interval,interval,interval,text,text[])', 'hookreg_admin',
     $$SELECT public.opsrun_register_type('att.gate', 'tenant', ARRAY['total'])$$),
    ('public.hookreg_schedule_housekeeping(text,interval,interval)', 'hookreg_admin',
     $$SELECT public.hookreg_schedule_housekeeping()$$)
  ) AS f(sig, need, sql)
  CROSS JOIN att_roles r
 WHERE NOT pg_has_role(r.role, f.need, 'USAGE')
 ORDER BY f.sig, r.role;

SELECT count(*) AS n_cases FROM att_cases \gset
-- catalog checks 5, cases, workload comparison 45 + 3, clean-run checks 12, injections 11
SELECT plan(5 + :n_cases + 48 + 12 + 11);

-- ------------------------------------------------------------- 1. catalog
SELECT is(
    (SELECT coalesce(array_agg(p.oid::regprocedure::text ORDER BY 1), '{}')
       FROM pg_proc p JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
       JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'hookreg'
      WHERE p.prosecdef AND NOT coalesce(p.proconfig @> ARRAY['search_path=pg_catalog, pg_temp'], false)),
    '{}'::text[], 'no hookreg function is SECURITY DEFINER without search_path pinned to pg_catalog, pg_temp');

SELECT is(
    (SELECT coalesce(array_agg(s ORDER BY s), '{}') FROM unnest(ARRAY[
        'public.hookreg_register_hook(text,jsonb)', 'public.hookreg_deploy_convention(jsonb)',
        'public.hookreg_create_release(text,text,text,jsonb,jsonb,text,text)', 'public.hookreg_set_live(text,integer)',
        'public.hookreg_record_run(uuid,text,timestamptz,timestamptz,integer,text,double precision,uuid)',
        'public.opsrun_start(bigint,bigint,text,jsonb,text,bigint,jsonb)', 'public.opsrun_claim(bigint)',
        'public.opsrun_heartbeat(bigint,jsonb)', 'public.opsrun_complete(bigint,text,jsonb,jsonb)',
        'public.opsrun_fail(bigint,text,text)', 'public.opsrun_reconcile(timestamptz)', 'public.opsrun_prune(interval,interval,integer)',
        'public.opsrun_register_type(text,text,text[],interval,interval,interval,text,text[])',
        'public.hookreg_schedule_housekeeping(text,interval,interval)', 'hookreg.hookreg_drop_housekeeping()']) AS s
      WHERE NOT coalesce((SELECT p.proconfig @> ARRAY['search_path=pg_catalog, pg_temp'] FROM pg_proc p
                           WHERE p.oid = to_regprocedure(s)), false)),
    '{}'::text[], 'every function that acts as the extension owner exists and pins search_path = pg_catalog, pg_temp');

SELECT is(
    (SELECT coalesce(array_agg(p.oid::regprocedure::text ORDER BY 1), '{}')
       FROM pg_proc p JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
       JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'hookreg'
      WHERE p.proconfig IS NOT NULL AND NOT p.proconfig @> ARRAY['search_path=pg_catalog, pg_temp']),
    '{}'::text[], 'every hookreg function that sets configuration pins search_path exactly to pg_catalog, pg_temp');

SELECT is(
    (SELECT coalesce(array_agg(s ORDER BY s), '{}') FROM unnest(ARRAY[
        'public.hookreg_register_hook(text,jsonb)', 'public.hookreg_deploy_convention(jsonb)',
        'public.hookreg_create_release(text,text,text,jsonb,jsonb,text,text)', 'public.hookreg_set_live(text,integer)',
        'public.hookreg_record_run(uuid,text,timestamptz,timestamptz,integer,text,double precision,uuid)',
        'public.opsrun_start(bigint,bigint,text,jsonb,text,bigint,jsonb)', 'public.opsrun_claim(bigint)',
        'public.opsrun_heartbeat(bigint,jsonb)', 'public.opsrun_complete(bigint,text,jsonb,jsonb)',
        'public.opsrun_fail(bigint,text,text)', 'public.opsrun_reconcile(timestamptz)', 'public.opsrun_prune(interval,interval,integer)',
        'public.opsrun_register_type(text,text,text[],interval,interval,interval,text,text[])',
        'public.hookreg_schedule_housekeeping(text,interval,interval)']) AS s
      WHERE to_regprocedure(s) IS NULL OR has_function_privilege('public', to_regprocedure(s), 'EXECUTE')),
    '{}'::text[], 'every writer exists and EXECUTE on it is revoked from PUBLIC');

SELECT is(
    (SELECT coalesce(array_agg(p.oid::regprocedure::text ORDER BY 1), '{}')
       FROM pg_proc p JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
       JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'hookreg'
      WHERE NOT has_function_privilege('public', p.oid, 'EXECUTE')
        AND p.prorettype NOT IN ('trigger'::regtype, 'event_trigger'::regtype)
        AND NOT coalesce(p.proconfig @> ARRAY['search_path=pg_catalog, pg_temp'], false)),
    '{}'::text[], 'every function kept from PUBLIC (a writer, including any added later) pins search_path');

-- ------------------------------------------------ 2 and 3. writes and gates
-- Every case of every role, run as that role, in the order of att_roles.
CREATE FUNCTION pg_temp.gate_cases(r name) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    c record;
BEGIN
    EXECUTE format('SET ROLE %I', r);
    FOR c IN SELECT * FROM att_cases WHERE role = r ORDER BY n LOOP
        RETURN NEXT CASE c.kind
            WHEN 'denied' THEN throws_ok(c.sql, '42501', NULL, c.descr)
            WHEN 'allowed' THEN isnt(pg_temp.try(c.sql), '42501', c.descr)
            WHEN 'blocked' THEN ok(pg_temp.try(c.sql) IN ('42501', '55000'), c.descr)
            WHEN 'hint' THEN is((SELECT e.state || '|' || e.hint FROM pg_temp.error_of(c.sql) e),
                                '42501|' || format('Grant the role to the caller: GRANT %s TO %s;', c.need, r), c.descr)
            ELSE fail(c.descr || ' (the function does not exist)') END;
    END LOOP;
    RESET ROLE;
END $$;
SELECT pg_temp.gate_cases(role) FROM att_roles ORDER BY n;

-- ------------------------------------------------------ 4. search_path attack
-- The clean run: the attacker's role, a normal session.
SAVEPOINT clean_run;
SET ROLE hr_att_mallory;
\ir 90_privilege_attacks.workload
RESET ROLE;
SELECT pg_temp.capture() AS clean_capture \gset
ROLLBACK TO SAVEPOINT clean_run;

-- The attacked run: the same workload after the attacker has set its traps.
SAVEPOINT attack_run;
CREATE SCHEMA hr_attack AUTHORIZATION hr_att_mallory;
SET ROLE hr_att_mallory;
CREATE TABLE hr_attack.calls (what text, by_user name DEFAULT current_user);
GRANT USAGE ON SCHEMA hr_attack TO PUBLIC;
GRANT INSERT, SELECT ON hr_attack.calls TO PUBLIC;
CREATE FUNCTION hr_attack.hit(what text) RETURNS void LANGUAGE sql
    AS $$INSERT INTO hr_attack.calls (what) VALUES (what)$$;
CREATE FUNCTION hr_attack.hit_bool(what text) RETURNS boolean LANGUAGE plpgsql
    AS $$BEGIN PERFORM hr_attack.hit(what); RETURN true; END$$;
CREATE FUNCTION hr_attack.hit_trigger() RETURNS trigger LANGUAGE plpgsql
    AS $$BEGIN PERFORM hr_attack.hit('write to a look-alike table'); RETURN NULL; END$$;

-- Look-alike functions: each records its call and returns a wrong value (one
-- row of the table below per function, all of one shape).
DO $gen$
DECLARE
    f record;
    i int := 0;
BEGIN
    FOR f IN SELECT * FROM (VALUES
        ('now()', 'timestamptz', $$'1999-01-01 00:00+00'$$),
        ('clock_timestamp()', 'timestamptz', $$'1999-01-01 00:00+00'$$),
        ('statement_timestamp()', 'timestamptz', $$'1999-01-01 00:00+00'$$),
        ('transaction_timestamp()', 'timestamptz', $$'1999-01-01 00:00+00'$$),
        ('gen_random_uuid()', 'uuid', $$'00000000-0000-4000-8000-000000000000'$$),
        ('lower(text)', 'text', $$'x'$$),
        ('upper(text)', 'text', $$'X'$$),
        ('length(text)', 'integer', '0'),
        ('char_length(text)', 'integer', '0'),
        ('btrim(text)', 'text', $$'x'$$),
        ('replace(text, text, text)', 'text', $$'x'$$),
        ('md5(text)', 'text', $$'x'$$),
        ('sha256(bytea)', 'bytea', $$'\x00'$$),
        ('encode(bytea, text)', 'text', $$'x'$$),
        ('decode(text, text)', 'bytea', $$'\x00'$$),
        ('convert_to(text, name)', 'bytea', $$'\x00'$$),
        ('format(text)', 'text', $$'x'$$),
        ('format(text, text)', 'text', $$'x'$$),
        ('quote_ident(text)', 'text', $$'x'$$),
        ('quote_literal(text)', 'text', $$'x'$$),
        ('quote_nullable(text)', 'text', $$'x'$$),
        ('current_setting(text)', 'text', $$'x'$$),
        ('set_config(text, text, boolean)', 'text', $$'x'$$),
        ('pg_advisory_xact_lock(bigint)', 'void', 'NULL'),
        ('hashtext(text)', 'integer', '0'),
        ('nextval(regclass)', 'bigint', '-1'),
        ('currval(regclass)', 'bigint', '-1'),
        ('setval(regclass, bigint)', 'bigint', '-1'),
        ('has_table_privilege(text, text)', 'boolean', 'true'),
        ('pg_has_role(name, text)', 'boolean', 'true'),
        ('pg_has_role(name, name, text)', 'boolean', 'true'),
        ('jsonb_build_object(text, text)', 'jsonb', $$'{"attack": 1}'$$),
        ('jsonb_build_object(text, jsonb)', 'jsonb', $$'{"attack": 1}'$$),
        ('jsonb_build_object(text, integer)', 'jsonb', $$'{"attack": 1}'$$),
        ('jsonb_build_array(text)', 'jsonb', $$'["attack"]'$$),
        ('to_jsonb(text)', 'jsonb', $$'{"attack": 1}'$$),
        ('to_jsonb(anyelement)', 'jsonb', $$'{"attack": 1}'$$),
        ('jsonb_typeof(jsonb)', 'text', $$'attack'$$),
        ('jsonb_array_length(jsonb)', 'integer', '-1'),
        ('jsonb_set(jsonb, text[], jsonb)', 'jsonb', $$'{"attack": 1}'$$),
        ('jsonb_strip_nulls(jsonb)', 'jsonb', $$'{"attack": 1}'$$),
        ('jsonb_pretty(jsonb)', 'text', $$'attack'$$),
        ('jsonb_extract_path_text(jsonb, text)', 'text', $$'attack'$$),
        ('array_position(anyarray, anyelement)', 'integer', '-1'),
        ('array_length(anyarray, integer)', 'integer', '-1'),
        ('cardinality(anyarray)', 'integer', '-1'),
        ('array_append(anyarray, anyelement)', 'anyarray', 'NULL'),
        ('uuid_send(uuid)', 'bytea', $$'\x00'$$),
        ('regexp_replace(text, text, text)', 'text', $$'x'$$),
        ('substr(text, integer, integer)', 'text', $$'x'$$),
        ('left(text, integer)', 'text', $$'x'$$),
        ('date_trunc(text, timestamptz)', 'timestamptz', $$'1999-01-01 00:00+00'$$),
        ('extract(text, timestamptz)', 'numeric', '-1'),
        ('date_part(text, timestamptz)', 'double precision', '-1'),
        ('greatest(integer, integer)', 'integer', '-1'),
        ('abs(integer)', 'integer', '-1')) AS v(sig, ret, val)
    LOOP
        i := i + 1;
        BEGIN
            EXECUTE format('CREATE FUNCTION hr_attack.%s RETURNS %s LANGUAGE plpgsql AS %L',
                           f.sig, f.ret,
                           format('BEGIN PERFORM hr_attack.hit(%L); RETURN %s; END', f.sig,
                                  CASE WHEN f.ret = 'void' THEN '' WHEN f.val = 'NULL' THEN 'NULL' ELSE f.val || '::' || f.ret END));
        EXCEPTION WHEN syntax_error THEN
            NULL;  -- a keyword (extract, greatest, left) cannot be shadowed anyway
        END;
    END LOOP;
    -- Set-returning look-alikes: an empty set.
    CREATE FUNCTION hr_attack.jsonb_object_keys(jsonb) RETURNS SETOF text LANGUAGE plpgsql
        AS $$BEGIN PERFORM hr_attack.hit('jsonb_object_keys'); RETURN; END$$;
    CREATE FUNCTION hr_attack.jsonb_array_elements(jsonb) RETURNS SETOF jsonb LANGUAGE plpgsql
        AS $$BEGIN PERFORM hr_attack.hit('jsonb_array_elements'); RETURN; END$$;
    CREATE FUNCTION hr_attack.jsonb_each(jsonb, OUT key text, OUT value jsonb) RETURNS SETOF record LANGUAGE plpgsql
        AS $$BEGIN PERFORM hr_attack.hit('jsonb_each'); RETURN; END$$;
    CREATE FUNCTION hr_attack.unnest(anyarray) RETURNS SETOF anyelement LANGUAGE plpgsql
        AS $$BEGIN PERFORM hr_attack.hit('unnest'); RETURN; END$$;
    CREATE FUNCTION hr_attack.generate_series(integer, integer) RETURNS SETOF integer LANGUAGE plpgsql
        AS $$BEGIN PERFORM hr_attack.hit('generate_series'); RETURN; END$$;
END
$gen$;

-- Look-alike aggregates.
CREATE FUNCTION hr_attack.agg_int(integer, integer) RETURNS integer LANGUAGE plpgsql
    AS $$BEGIN PERFORM hr_attack.hit('aggregate on integer'); RETURN -1; END$$;
CREATE FUNCTION hr_attack.agg_bigint(bigint, bigint) RETURNS bigint LANGUAGE plpgsql
    AS $$BEGIN PERFORM hr_attack.hit('aggregate on bigint'); RETURN -1; END$$;
CREATE FUNCTION hr_attack.agg_any(jsonb, anyelement) RETURNS jsonb LANGUAGE plpgsql
    AS $$BEGIN PERFORM hr_attack.hit('jsonb_agg'); RETURN '{"attack": 1}'; END$$;
CREATE FUNCTION hr_attack.agg_obj(jsonb, text, jsonb) RETURNS jsonb LANGUAGE plpgsql
    AS $$BEGIN PERFORM hr_attack.hit('jsonb_object_agg'); RETURN '{"attack": 1}'; END$$;
CREATE FUNCTION hr_attack.agg_text(text, text, text) RETURNS text LANGUAGE plpgsql
    AS $$BEGIN PERFORM hr_attack.hit('string_agg'); RETURN 'attack'; END$$;
CREATE AGGREGATE hr_attack.max(integer) (SFUNC = hr_attack.agg_int, STYPE = integer);
CREATE AGGREGATE hr_attack.max(bigint) (SFUNC = hr_attack.agg_bigint, STYPE = bigint);
CREATE AGGREGATE hr_attack.min(integer) (SFUNC = hr_attack.agg_int, STYPE = integer);
CREATE AGGREGATE hr_attack.jsonb_agg(anyelement) (SFUNC = hr_attack.agg_any, STYPE = jsonb);
CREATE AGGREGATE hr_attack.jsonb_object_agg(text, jsonb) (SFUNC = hr_attack.agg_obj, STYPE = jsonb);
CREATE AGGREGATE hr_attack.string_agg(text, text) (SFUNC = hr_attack.agg_text, STYPE = text);

-- Look-alike operators: each records its call and answers wrongly.
DO $gen$
DECLARE
    o record;
    i int := 0;
BEGIN
    FOR o IN SELECT * FROM (VALUES
        ('=', 'text', 'text', 'boolean', 'true'), ('<>', 'text', 'text', 'boolean', 'false'),
        ('=', 'uuid', 'uuid', 'boolean', 'true'), ('<>', 'uuid', 'uuid', 'boolean', 'false'),
        ('=', 'bigint', 'bigint', 'boolean', 'true'), ('=', 'integer', 'integer', 'boolean', 'true'),
        ('=', 'bigint', 'integer', 'boolean', 'true'), ('<>', 'bigint', 'bigint', 'boolean', 'false'),
        ('=', 'jsonb', 'jsonb', 'boolean', 'true'), ('=', 'name', 'name', 'boolean', 'true'),
        ('=', 'timestamptz', 'timestamptz', 'boolean', 'true'), ('=', 'boolean', 'boolean', 'boolean', 'true'),
        ('=', 'text[]', 'text[]', 'boolean', 'true'), ('=', 'interval', 'interval', 'boolean', 'true'),
        ('<', 'timestamptz', 'timestamptz', 'boolean', 'true'), ('>', 'timestamptz', 'timestamptz', 'boolean', 'true'),
        ('<=', 'timestamptz', 'timestamptz', 'boolean', 'true'), ('>=', 'timestamptz', 'timestamptz', 'boolean', 'true'),
        ('<', 'integer', 'integer', 'boolean', 'true'), ('>', 'integer', 'integer', 'boolean', 'true'),
        ('<', 'bigint', 'bigint', 'boolean', 'true'), ('>', 'bigint', 'bigint', 'boolean', 'true'),
        ('>=', 'integer', 'integer', 'boolean', 'true'), ('<=', 'integer', 'integer', 'boolean', 'true'),
        ('+', 'integer', 'integer', 'integer', '-1'), ('+', 'bigint', 'bigint', 'bigint', '-1'),
        ('-', 'bigint', 'bigint', 'bigint', '-1'),
        ('+', 'timestamptz', 'interval', 'timestamptz', '1999-01-01 00:00+00'),
        ('-', 'timestamptz', 'interval', 'timestamptz', '1999-01-01 00:00+00'),
        ('-', 'timestamptz', 'timestamptz', 'interval', '-1 day'),
        ('||', 'text', 'text', 'text', 'attack'), ('||', 'jsonb', 'jsonb', 'jsonb', '{"attack": 1}'),
        ('||', 'text[]', 'text', 'text[]', '{attack}'),
        ('~', 'text', 'text', 'boolean', 'true'), ('!~', 'text', 'text', 'boolean', 'false'),
        ('~~', 'text', 'text', 'boolean', 'true'), ('~*', 'text', 'text', 'boolean', 'true'),
        ('->', 'jsonb', 'text', 'jsonb', '{"attack": 1}'), ('->', 'jsonb', 'integer', 'jsonb', '{"attack": 1}'),
        ('->>', 'jsonb', 'text', 'text', 'attack'), ('->>', 'jsonb', 'integer', 'text', 'attack'),
        ('#>>', 'jsonb', 'text[]', 'text', 'attack'), ('@>', 'jsonb', 'jsonb', 'boolean', 'true'),
        ('?', 'jsonb', 'text', 'boolean', 'true'), ('@>', 'text[]', 'text[]', 'boolean', 'true'),
        ('&&', 'text[]', 'text[]', 'boolean', 'true')) AS v(op, l, r, ret, val)
    LOOP
        i := i + 1;
        EXECUTE format('CREATE FUNCTION hr_attack.op_%s(%s, %s) RETURNS %s LANGUAGE plpgsql AS %L',
                       i, o.l, o.r, o.ret,
                       format('BEGIN PERFORM hr_attack.hit(%L); RETURN %L::%s; END',
                              format('operator %s(%s, %s)', o.op, o.l, o.r), o.val, o.ret));
        EXECUTE format('CREATE OPERATOR hr_attack.%s (LEFTARG = %s, RIGHTARG = %s, FUNCTION = hr_attack.op_%s)',
                       o.op, o.l, o.r, i);
    END LOOP;
END
$gen$;

-- Look-alike tables: in the attacker's schema, views that record every read
-- and write; in pg_temp, empty tables that record every write.
DO $gen$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT c.relname FROM pg_class c
              WHERE c.relnamespace = 'hookreg'::regnamespace AND c.relkind IN ('r', 'p', 'v')
              ORDER BY 1 LOOP
        EXECUTE format('CREATE VIEW hr_attack.%I AS SELECT * FROM hookreg.%I WHERE hr_attack.hit_bool(%L)',
                       t.relname, t.relname, 'read of look-alike view ' || t.relname);
        EXECUTE format('CREATE TRIGGER attack INSTEAD OF INSERT OR UPDATE OR DELETE ON hr_attack.%I
                        FOR EACH ROW EXECUTE FUNCTION hr_attack.hit_trigger()', t.relname);
        EXECUTE format('CREATE TEMP TABLE %I (LIKE hookreg.%I)', t.relname, t.relname);
        EXECUTE format('CREATE TRIGGER attack BEFORE INSERT OR UPDATE OR DELETE ON pg_temp.%I
                        FOR EACH STATEMENT EXECUTE FUNCTION hr_attack.hit_trigger()', t.relname);
    END LOOP;
END
$gen$;
CREATE FUNCTION pg_temp.now() RETURNS timestamptz LANGUAGE plpgsql
    AS $$BEGIN PERFORM hr_attack.hit('pg_temp.now()'); RETURN '1999-01-01 00:00+00'; END$$;

-- The trap is set: the attacker's schema and pg_temp come first, and the
-- GUCs that change how values read and print are odd.
SET search_path = hr_attack, pg_temp, pg_catalog, public;
SET DateStyle = 'SQL, DMY';
SET IntervalStyle = 'sql_standard';
SET TimeZone = 'Pacific/Chatham';
SET extra_float_digits = -15;
SET transform_null_equals = on;
SET bytea_output = 'escape';
SET xmloption = 'document';
\ir 90_privilege_attacks.workload
SELECT pg_catalog.count(*) AS calls_by_workload FROM hr_attack.calls \gset
-- A control: naive SQL in this session does fall into every kind of trap.
CREATE TEMP TABLE att_control AS
SELECT now() AS t, 'a'::text = 'b'::text AS eq, jsonb_typeof('{}') AS ty, (SELECT max(version) FROM hook_releases) AS v;
SELECT pg_catalog.string_agg(DISTINCT what, '; ' ORDER BY what) AS control_calls FROM hr_attack.calls \gset
DELETE FROM hr_attack.calls;
RESET search_path;
RESET DateStyle;
RESET IntervalStyle;
RESET TimeZone;
RESET extra_float_digits;
RESET transform_null_equals;
RESET bytea_output;
RESET xmloption;
RESET ROLE;
SELECT pg_temp.capture() AS attack_capture,
       (SELECT count(*) FROM hr_attack.calls) AS attack_calls,
       (SELECT coalesce(string_agg(DISTINCT what || ' as ' || by_user, '; '), '') FROM hr_attack.calls) AS attack_call_list
\gset
ROLLBACK TO SAVEPOINT attack_run;

SELECT is(:'control_calls'::text,
          'aggregate on integer; jsonb_typeof(jsonb); now(); operator =(text, text); read of look-alike view hook_releases',
          'control: naive SQL in the attacked session calls the look-alike function, operator, aggregate and table');
SELECT is(:'calls_by_workload'::int, 0, 'the workload calling every hookreg function called no attacker object');
SELECT is(:'attack_call_list'::text, ''::text, 'no look-alike function, operator, aggregate or table of the attacker was called');
SELECT is(a.value, c.value, format('the attack leaves %s unchanged', coalesce(a.key, c.key)))
  FROM jsonb_each(:'attack_capture'::jsonb) a FULL JOIN jsonb_each(:'clean_capture'::jsonb) c ON a.key = c.key
 ORDER BY coalesce(a.key, c.key);

-- The clean run itself is right (so the comparison compares something).
SELECT is(:'clean_capture'::jsonb -> 'w_01_register',
          '[{"created": true, "hook_name": "att_wl", "feature_table": "hookreg_features.att_wl"}]',
          'clean run: the hook is registered with its feature table');
SELECT is((:'clean_capture'::jsonb #> '{w_05_release1_again,0}') - 'release_digest',
          '{"live": false, "created": false, "version": 1, "hook_name": "att_wl"}'::jsonb,
          'clean run: the same content with keys reordered and another source_ref is the same release');
SELECT is((SELECT jsonb_object_agg(e ->> 'step', e ->> 'sqlstate') FROM jsonb_array_elements(:'clean_capture'::jsonb -> 'w_33_errors') e),
          '{"set_live unknown version": "P0002", "set_live unknown hook": "P0002", "resolve_live unknown hook": "P0002",
            "register_hook contract change": "23505", "register_hook SQL-looking name": "22023",
            "register_hook SQL-looking column": "22023", "register_hook SQL-looking format": "22023",
            "register_type SQL-looking summary key": "22023",
            "create_release unknown hook": "P0002",
            "record_run unknown release": "P0002", "opsrun_complete unknown run": "P0002",
            "opsrun_start unknown workspace": "P0002", "opsrun_start SQL-looking type": "22023"}',
          'clean run: unknown names give P0002, a contract change 23505, names that look like SQL 22023');
SELECT is((SELECT jsonb_object_agg(e ->> 'attname', e ->> 'type') FROM jsonb_array_elements(:'clean_capture'::jsonb -> 'w_91_feature_columns') e
            WHERE e ->> 'attname' IN ('label', 'at', 'odd', 'n', 'doc')),
          '{"label": "text", "at": "timestamp with time zone", "odd": "text", "n": "bigint", "doc": "jsonb"}',
          'clean run: an unknown format falls back to the base type (one that looks like SQL is refused, see errors)');
SELECT ok((SELECT bool_or(e -> 'config' ? 'x"); drop table hookreg.hooks; --'
                          AND e -> 'config' ->> 'x"); drop table hookreg.hooks; --' = $$'; drop table hookreg.hooks; --$$)
             FROM jsonb_array_elements(:'clean_capture'::jsonb -> 'w_92_releases') e),
          'clean run: a config key and value that look like SQL are stored as data');
SELECT is((SELECT jsonb_agg(e ->> 'built_by' ORDER BY e ->> 'version') FROM jsonb_array_elements(:'clean_capture'::jsonb -> 'w_92_releases') e
            WHERE e ->> 'hook_name' = 'att_wl'),
          $$["hr_att_mallory", "ci'); drop table hookreg.hooks; --"]$$,
          'clean run: built_by defaults to the calling role, and an SQL-looking one is stored as data');
SELECT is(:'clean_capture'::jsonb #> '{w_20_start_dedupe,0,same_run}', 'true'::jsonb,
          'clean run: opsrun_start with the identity keys reordered dedupes to the queued run');
SELECT is((SELECT e -> 'context' FROM jsonb_array_elements(:'clean_capture'::jsonb -> 'w_96_operation_runs') e
            WHERE e ->> 'initiator_name' = $$mallory'); drop table hookreg.operation_runs; --$$),
          $${"note": "x\"); drop", "nested": {"keep'; drop": 1}}$$,
          'clean run: SQL-looking initiator and context keys are stored as data, secret keys dropped');
SELECT is(:'clean_capture'::jsonb #> '{w_21_claim,0}', '{"first": true, "second": false}'::jsonb,
          'clean run: claim makes the transition once');
SELECT is(:'clean_capture'::jsonb #> '{w_23_complete,0,summary_counts}', '{"failed": 1, "processed": 11, "total": 12}'::jsonb,
          'clean run: complete stores normalized counters');
SELECT ok((SELECT bool_and(e ->> 'code' IN ('unknown_error', 'net.timeout'))
             FROM jsonb_array_elements(:'clean_capture'::jsonb #> '{w_23_complete,0,failure_summary}') e),
          'clean run: a failure code that looks like SQL becomes unknown_error');
SELECT ok((:'clean_capture'::jsonb -> 'w_99_tables') @> '[{"rel": "hookreg.hooks"}, {"rel": "hookreg.operation_runs"}, {"rel": "hookreg.schemas"}, {"rel": "hookreg.conventions"}]'
          AND NOT (:'clean_capture'::jsonb -> 'w_99_tables') @> '[{"rel": "hookreg_features.x"}]',
          'clean run: every table is still there after the SQL-looking inputs');

-- -------------------------------------------------------------- 5. injection
SET ROLE hr_att_deployer;
SELECT throws_ok($$SELECT * FROM public.hookreg_register_hook('att"; DROP TABLE hookreg.hooks; --', '{"kind": "table", "cardinality": "one", "columns": []}')$$,
                 '22023', NULL, 'a hook name that tries to close the identifier is refused by the name rule');
SELECT throws_ok($$SELECT * FROM public.hookreg_register_hook('att_inj', '{"kind": "table", "cardinality": "one", "columns": [{"name": "x\"); drop table hookreg.hooks; --", "json_type": "string", "required": false}]}')$$,
                 '22023', NULL, 'a feature column named x"); drop table ... is refused by the name rule');
SELECT throws_ok($$SELECT * FROM public.hookreg_register_hook('att_inj', '{"kind": "table", "cardinality": "one", "columns": [{"name": "Robert''); DROP TABLE hookreg.hooks;--", "json_type": "string", "required": false}]}')$$,
                 '22023', NULL, 'a feature column named Robert''); DROP TABLE ... is refused by the name rule');
SELECT throws_ok($$SELECT public.hookreg_deploy_convention('{"title": "Att deploy", "description": "d", "schema": {"id": "s", "version": "1", "definition": {}},
                   "file_requirements": {}, "source": null, "hooks": [{"name": "att\"; drop table hookreg.hooks; --",
                   "feature": {"kind": "table", "cardinality": "one", "columns": []},
                   "runtime": {"image": "i", "digest": "sha256:eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee", "config": {}, "limits": {}},
                   "source_ref": "git:x"}]}')$$,
                 '22023', NULL, 'a deploy whose hook name looks like SQL is refused');
RESET ROLE;
SET ROLE hr_att_runner;
SELECT lives_ok(format($$INSERT INTO %s (run_id, subject, doc) VALUES (%L, 'att-json', '{"x\"); drop table hookreg.hooks; --": "''); drop"}')$$,
                       :'feat', :'feat_run1'),
                'a runner inserts a feature row whose JSON key looks like SQL');
RESET ROLE;
SELECT is((SELECT doc FROM hookreg_features.att_feat WHERE subject = 'att-json'),
          $${"x\"); drop table hookreg.hooks; --": "'); drop"}$$::jsonb, 'the JSON key and value are stored as data');
SET ROLE hr_att_admin;
SELECT throws_ok($$SELECT public.opsrun_register_type('att.x''); drop table hookreg.operation_types; --', 'tenant', ARRAY['total'])$$,
                 '22023', NULL, 'a type name that looks like SQL is refused');
-- A schedule carrying SQL: it is refused (22023) before pg_cron sees it, and
-- the job scheduled before keeps hookreg's own command.
SELECT public.hookreg_schedule_housekeeping('*/5 * * * *') IS NOT NULL AS scheduled;
DO $$
BEGIN
    PERFORM public.hookreg_schedule_housekeeping('*/5 * * * *''); DROP TABLE hookreg.hooks; --');
EXCEPTION WHEN OTHERS THEN NULL;
END $$;
-- An error raised while a function acts as the owner, caught by the caller,
-- must not leave the caller acting as the owner.
DO $$
BEGIN
    PERFORM public.hookreg_create_release('att_no_such_hook', 'i',
        'sha256:eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee', '{}', '{}', 'git:x');
EXCEPTION WHEN OTHERS THEN NULL;
END $$;
DO $$
BEGIN
    PERFORM public.hookreg_record_run(r.id, 'failed', '2026-01-01 00:00+00', '2026-01-01 00:01+00', 0, NULL, NULL,
                                      public.hookreg_run_id('att_feat:1'))
       FROM hookreg.hook_releases r WHERE r.hook_name = 'att_feat';
EXCEPTION WHEN OTHERS THEN NULL;
END $$;
SELECT is(current_user::text, 'hr_att_admin', 'after caught errors raised inside writers the caller is still itself');
SELECT throws_ok($$TRUNCATE hookreg.operation_runs$$, '42501', NULL,
                 'and still has only its own rights (TRUNCATE refused)');
RESET ROLE;
SELECT is((SELECT coalesce(array_agg(DISTINCT command), '{}') FROM cron.job WHERE jobname = 'hookreg-reconcile'),
          ARRAY['SELECT * FROM hookreg.reconcile_job()'],
          'a schedule that carries SQL never becomes a command: the job runs hookreg''s own');
SELECT is((SELECT count(*)::int FROM pg_class WHERE relnamespace = 'hookreg'::regnamespace AND relname IN
              ('hooks', 'hook_releases', 'hook_runs', 'live_moves', 'operation_runs', 'operation_types', 'workspaces', 'tenants',
               'conventions', 'schemas')),
          10, 'after all of it, every registry and ledger table still exists');

SELECT * FROM finish();
ROLLBACK;
