-- Conventions and the bundled deploy (doc/reference.md): tables, grants, every
-- SQLSTATE with the JSON path in its message, all-or-nothing, idempotence,
-- roles. Names of this file: hooks t30_*, schemas t30-*, slugs t30-*.
BEGIN;
\ir helpers/errors.sql
SELECT plan(114);

-- A deploy spec: title, hooks (array of hook entries), schema version.
CREATE FUNCTION pg_temp.hook(name text, digit text DEFAULT '1', config jsonb DEFAULT '{}')
RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT jsonb_build_object(
        'name', name,
        'feature', '{"kind": "table", "cardinality": "many", "columns": [{"name": "score", "json_type": "number", "required": true}, {"name": "label", "json_type": "string", "required": false}]}'::jsonb,
        'runtime', jsonb_build_object('image', 'ghcr.io/t30/' || name,
                                      'digest', 'sha256:' || repeat(digit, 64),
                                      'config', config),
        'source_ref', 'git+https://example.org/t30@' || name)
$$;
CREATE FUNCTION pg_temp.spec(title text, hooks jsonb, schema_version text DEFAULT '1')
RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT jsonb_build_object(
        'title', title, 'description', 'pgTAP convention',
        'schema', jsonb_build_object('id', 't30-schema', 'version', schema_version,
                                     'definition', '{"type": "object"}'::jsonb),
        'file_requirements', '{"accepted": [".csv"]}'::jsonb,
        'source', '{"repo": "https://example.org/t30"}'::jsonb,
        'hooks', hooks)
$$;
GRANT EXECUTE ON FUNCTION pg_temp.hook(text, text, jsonb), pg_temp.spec(text, jsonb, text) TO PUBLIC;
-- what is there of this file's objects
CREATE FUNCTION pg_temp.written() RETURNS bigint[] LANGUAGE sql AS $$
    SELECT ARRAY[(SELECT count(*) FROM hookreg.schemas WHERE id LIKE 't30-%'),
                 (SELECT count(*) FROM hookreg.hooks WHERE name LIKE 't30\_%'),
                 (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                   WHERE n.nspname = 'hookreg_features' AND c.relkind = 'r' AND c.relname LIKE 't30\_%'),
                 (SELECT count(*) FROM hookreg.hook_releases WHERE hook_name LIKE 't30\_%'),
                 (SELECT count(*) FROM hookreg.live_moves WHERE hook_name LIKE 't30\_%'),
                 (SELECT count(*) FROM hookreg.conventions WHERE slug LIKE 't30-%')]
$$;

-- ---- tables, constraints, grants, dump registration
SELECT has_table('hookreg', 'schemas', 'hookreg.schemas exists');
SELECT has_table('hookreg', 'conventions', 'hookreg.conventions exists');
SELECT col_is_pk('hookreg', 'schemas', ARRAY['id', 'version'], 'schemas: PRIMARY KEY (id, version)');
SELECT col_is_pk('hookreg', 'conventions', 'slug', 'conventions: PRIMARY KEY (slug)');
SELECT fk_ok('hookreg', 'conventions', ARRAY['schema_id', 'schema_version'],
             'hookreg', 'schemas', ARRAY['id', 'version']);
SELECT col_not_null('hookreg', 'schemas', 'definition', 'schemas.definition NOT NULL');
SELECT col_not_null('hookreg', 'conventions', c, 'conventions.' || c || ' NOT NULL')
  FROM unnest(ARRAY['title', 'description', 'file_requirements', 'hooks', 'created_at', 'updated_at']) c;
SELECT col_is_null('hookreg', 'conventions', 'source', 'conventions.source is nullable');
SELECT col_type_is('hookreg', 'conventions', 'hooks', 'text[]', 'conventions.hooks is text[]');
SELECT has_trigger('hookreg', 'conventions', 'conventions_hooks_registered', 'hook names are checked by a trigger');
SELECT has_trigger('hookreg', 'schemas', 'schemas_immutable', 'schemas refuse changes');
SELECT ok((SELECT extconfig @> ARRAY['hookreg.schemas'::regclass::oid, 'hookreg.conventions'::regclass::oid]
             FROM pg_extension WHERE extname = 'hookreg'),
          'both tables are registered with pg_extension_config_dump');
SELECT ok(has_table_privilege('hookreg_reader', 'hookreg.' || t, 'SELECT'), 'reader may read ' || t)
  FROM unnest(ARRAY['schemas', 'conventions']) t;
SELECT ok(NOT has_table_privilege(r, 'hookreg.' || t, 'INSERT, UPDATE, DELETE'),
          r || ' may not write ' || t || ' directly')
  FROM unnest(ARRAY['hookreg_deployer', 'hookreg_admin']) r, unnest(ARRAY['schemas', 'conventions']) t;
SELECT function_lang_is('hookreg_deploy_convention', ARRAY['jsonb'], 'c');
SELECT function_returns('hookreg_deploy_convention', ARRAY['jsonb'], 'jsonb');
SELECT ok(NOT has_function_privilege('public', 'hookreg_deploy_convention(jsonb)', 'EXECUTE'),
          'EXECUTE on hookreg_deploy_convention is revoked from PUBLIC');
SELECT ok((SELECT proconfig @> ARRAY['search_path=pg_catalog, pg_temp'] FROM pg_proc
            WHERE proname = 'hookreg_deploy_convention'), 'the deploy pins search_path');

-- ---- a first deploy writes everything
SELECT is(pg_temp.written(), ARRAY[0, 0, 0, 0, 0, 0]::bigint[], 'nothing of this file yet');
CREATE TEMP TABLE d1 AS SELECT hookreg_deploy_convention(pg_temp.spec('T30 Atlas',
    jsonb_build_array(pg_temp.hook('t30_a'), pg_temp.hook('t30_b', '2')))) AS r;
SELECT is((SELECT r->>'slug' FROM d1), 't30-atlas', 'the slug comes from the title');
SELECT is((SELECT r->'created' FROM d1), 'true', 'the convention was created');
SELECT is((SELECT jsonb_agg(h - 'release_id') FROM d1, jsonb_array_elements(r->'hooks') h),
          '[{"name": "t30_a", "live": true, "created": true, "version": 1},
            {"name": "t30_b", "live": true, "created": true, "version": 1}]'::jsonb,
          'each hook: version 1, created, live, in spec order');
SELECT is(pg_temp.written(), ARRAY[1, 2, 2, 2, 2, 1]::bigint[],
          'one schema, two hooks with feature tables, two releases and moves, one convention');
SELECT is((SELECT array_agg(p.live_release_id ORDER BY p.hook_name) FROM hookreg.live_pointers p
            WHERE p.hook_name LIKE 't30\_%'),
          (SELECT array_agg((h->>'release_id')::uuid ORDER BY h->>'name') FROM d1, jsonb_array_elements(r->'hooks') h),
          'the live pointers are the reported releases');

-- ---- a repeated deploy mints nothing
SELECT is((SELECT hookreg_deploy_convention(pg_temp.spec('T30 Atlas',
              jsonb_build_array(pg_temp.hook('t30_a'), pg_temp.hook('t30_b', '2'))))),
          (SELECT jsonb_set(r, '{created}', 'false')
                  || jsonb_build_object('hooks', (SELECT jsonb_agg(jsonb_set(h, '{created}', 'false'))
                                                    FROM jsonb_array_elements(r->'hooks') h))
             FROM d1),
          'a repeated deploy reports the same releases with created = false everywhere');
SELECT is(pg_temp.written(), ARRAY[1, 2, 2, 2, 2, 1]::bigint[], 'and writes nothing');

-- ---- one changed config mints exactly one version of that hook
SELECT is((SELECT jsonb_agg(jsonb_build_array(h->'name', h->'version', h->'created', h->'live'))
             FROM jsonb_array_elements(hookreg_deploy_convention(pg_temp.spec('T30 Atlas',
                  jsonb_build_array(pg_temp.hook('t30_a'), pg_temp.hook('t30_b', '2', '{"depth": 2}'))))->'hooks') h),
          '[["t30_a", 1, false, true], ["t30_b", 2, true, true]]'::jsonb,
          'a changed config: t30_b version 2 created and live, t30_a untouched');
SELECT is(pg_temp.written(), ARRAY[1, 2, 2, 3, 3, 1]::bigint[], 'exactly one release and one move more');

-- ---- 23505: identity conflicts, and nothing written
SELECT throws_ok($$SELECT hookreg_deploy_convention(jsonb_set(pg_temp.spec('T30 Atlas',
        jsonb_build_array(pg_temp.hook('t30_a'))), '{schema,definition}', '{"type": "array"}'))$$,
    '23505', 'schema "t30-schema" version "1" already exists with another definition',
    'a schema id@version with another definition is refused');
SELECT throws_ok($$SELECT hookreg_deploy_convention(pg_temp.spec('T30 Atlas', jsonb_build_array(
        pg_temp.hook('t30_a'),
        jsonb_set(pg_temp.hook('t30_b', '2', '{"depth": 3}'), '{feature,cardinality}', '"one"'))))$$,
    '23505', NULL, 'a changed feature contract is refused');
SELECT matches((pg_temp.error_of($$SELECT hookreg_deploy_convention(pg_temp.spec('T30 Atlas', jsonb_build_array(
        pg_temp.hook('t30_a'),
        jsonb_set(pg_temp.hook('t30_b', '2', '{"depth": 3}'), '{feature,cardinality}', '"one"'))))$$)).message,
    'hook "t30_b"', 'the contract error names the hook');
SELECT matches((pg_temp.error_of($$SELECT hookreg_deploy_convention(pg_temp.spec('T30 Atlas', jsonb_build_array(
        pg_temp.hook('t30_a'),
        jsonb_set(pg_temp.hook('t30_b', '2', '{"depth": 3}'), '{feature,cardinality}', '"one"'))))$$)).context,
    'deploying hook "t30_b" at \$\.hooks\[1\] of the deploy spec', 'and its context names $.hooks[1]');
SELECT is(pg_temp.written(), ARRAY[1, 2, 2, 3, 3, 1]::bigint[], 'refused deploys wrote nothing');

-- ---- all or nothing: the third of four hooks is invalid
SELECT throws_ok($$SELECT hookreg_deploy_convention(pg_temp.spec('T30 Quad', jsonb_build_array(
        pg_temp.hook('t30_q1'), pg_temp.hook('t30_q2'),
        jsonb_set(pg_temp.hook('t30_q3'), '{runtime,digest}', '"sha256:XYZ"'),
        pg_temp.hook('t30_q4')), '2'))$$,
    '22023', NULL, 'a bad digest in the third of four hooks is refused');
SELECT matches((pg_temp.error_of($$SELECT hookreg_deploy_convention(pg_temp.spec('T30 Quad', jsonb_build_array(
        pg_temp.hook('t30_q1'), pg_temp.hook('t30_q2'),
        jsonb_set(pg_temp.hook('t30_q3'), '{runtime,digest}', '"sha256:XYZ"'),
        pg_temp.hook('t30_q4')), '2'))$$)).message,
    '\$\.hooks\[2\]\.runtime\.digest', 'the error names $.hooks[2].runtime.digest');
SELECT is(pg_temp.written(), ARRAY[1, 2, 2, 3, 3, 1]::bigint[],
          'nothing at all was written: no schema, hook, feature table, release or convention');
-- a failure in the middle of the writes: the third hook (by name, the order
-- of the writes) conflicts with a registered contract
SELECT throws_ok($$SELECT hookreg_deploy_convention(pg_temp.spec('T30 Quad', jsonb_build_array(
        pg_temp.hook('t30_q1'), pg_temp.hook('t30_q2'),
        jsonb_set(pg_temp.hook('t30_b'), '{feature,cardinality}', '"one"'),
        pg_temp.hook('t30_q4')), '2'))$$,
    '23505', NULL, 'a contract conflict after two hooks were written is refused');
SELECT is(pg_temp.written(), ARRAY[1, 2, 2, 3, 3, 1]::bigint[],
          'and everything written before it was rolled back');
SELECT ok(to_regclass('hookreg_features.t30_q1') IS NULL AND to_regclass('hookreg_features.t30_q2') IS NULL,
          'no feature table of the hooks written before the failure');
SELECT ok(NOT EXISTS (SELECT FROM hookreg.schemas WHERE id = 't30-schema' AND version = '2'),
          'no schema t30-schema@2');

-- ---- 22023: shape errors name the JSON path
SELECT throws_ok(format('SELECT hookreg_deploy_convention(%L)', s), '22023', m, d) FROM (VALUES
    (pg_temp.spec('T30 Atlas', '[]') || '{"slug": "x"}', 'unknown member at $.slug', 'unknown top-level member'),
    (jsonb_set(pg_temp.spec('T30 Atlas', '[]'), '{schema,url}', '"x"'), 'unknown member at $.schema.url', 'unknown member in schema'),
    (pg_temp.spec('T30 Atlas', jsonb_build_array(pg_temp.hook('t30_a') || '{"env": {}}')), 'unknown member at $.hooks[0].env', 'unknown member in a hook'),
    (pg_temp.spec('T30 Atlas', jsonb_build_array(pg_temp.hook('t30_a'), jsonb_set(pg_temp.hook('t30_b'), '{runtime,cmd}', '"x"'))),
     'unknown member at $.hooks[1].runtime.cmd', 'unknown member in a runtime'),
    (pg_temp.spec('T30 Atlas', '[]') - 'title', 'missing member at $.title', 'missing title'),
    (pg_temp.spec('T30 Atlas', '[]') - 'file_requirements', 'missing member at $.file_requirements', 'missing file_requirements'),
    (pg_temp.spec('T30 Atlas', '[]') #- '{schema,definition}', 'missing member at $.schema.definition', 'missing schema definition'),
    (pg_temp.spec('T30 Atlas', jsonb_build_array(pg_temp.hook('t30_a') #- '{runtime,digest}')), 'missing member at $.hooks[0].runtime.digest', 'missing digest'),
    (pg_temp.spec('T30 Atlas', jsonb_build_array(pg_temp.hook('t30_a') - 'feature')), 'missing member at $.hooks[0].feature', 'missing feature'),
    (pg_temp.spec('T30 Atlas', '{}'), 'wrong JSON type at $.hooks', 'hooks must be an array'),
    (jsonb_set(pg_temp.spec('T30 Atlas', '[]'), '{source}', '"github"'), 'wrong JSON type at $.source', 'source must be an object or null'),
    (jsonb_set(pg_temp.spec('T30 Atlas', '[]'), '{schema,version}', '1'), 'wrong JSON type at $.schema.version', 'a schema version is a string'),
    (pg_temp.spec('T30 Atlas', '[1]'), 'wrong JSON type at $.hooks[0]', 'a hook entry is an object'),
    (pg_temp.spec('T30 Atlas', jsonb_build_array(jsonb_set(pg_temp.hook('t30_a'), '{runtime,config}', '[]'))), 'wrong JSON type at $.hooks[0].runtime.config', 'config is an object'),
    (pg_temp.spec('T30 Atlas', '[]', ''), 'empty string at $.schema.version', 'empty schema version'),
    (pg_temp.spec('T30 Atlas', '[]', ' 1'), 'white space at an end of the string at $.schema.version', 'padded schema version'),
    (pg_temp.spec('T30 Atlas', jsonb_build_array(pg_temp.hook('t30_a'), pg_temp.hook('t30_a'))),
     'hook "t30_a" is listed twice, at $.hooks[0].name and $.hooks[1].name', 'a hook listed twice'),
    (pg_temp.spec('No', '[]'), 'title "No" at $.title does not make a valid slug', 'a title too short for a slug'),
    (pg_temp.spec('2024 atlas', '[]'), 'title "2024 atlas" at $.title does not make a valid slug', 'a slug starts with a letter'),
    ('"a string"'::jsonb, 'wrong JSON type at $', 'the spec is an object')
) AS v(s, m, d);
-- the registry's own rules, with paths into the deploy spec
SELECT is((SELECT ARRAY[e.state, e.message] FROM pg_temp.error_of(format('SELECT hookreg_deploy_convention(%L)', pg_temp.spec('T30 Atlas', jsonb_build_array(
        pg_temp.hook('t30_a'),
        jsonb_set(pg_temp.hook('t30_f'), '{feature,columns}',
                  '[{"name": "a", "json_type": "number"}, {"name": "b", "json_type": "string"}, {"name": "c", "jsontype": "string"}]'))))) e),
    ARRAY['22023', 'unknown member at $.hooks[1].feature.columns[2].jsontype'],
    'an unknown feature member is refused at $.hooks[1].feature.columns[2].jsontype');
SELECT is((pg_temp.error_of(format('SELECT hookreg_deploy_convention(%L)', pg_temp.spec('T30 Atlas', jsonb_build_array(
        pg_temp.hook('t30_a'), jsonb_set(pg_temp.hook('t30_f'), '{runtime,digest}', '"sha256:abc"')))))).state,
    '22023', 'a bad digest is refused with 22023');
SELECT matches((pg_temp.error_of(format('SELECT hookreg_deploy_convention(%L)', pg_temp.spec('T30 Atlas', jsonb_build_array(
        pg_temp.hook('t30_a'), jsonb_set(pg_temp.hook('t30_f'), '{runtime,digest}', '"sha256:abc"')))))).message,
    '\$\.hooks\[1\]\.runtime\.digest', 'and names $.hooks[1].runtime.digest');
SELECT is((pg_temp.error_of(format('SELECT hookreg_deploy_convention(%L)', pg_temp.spec('T30 Atlas', jsonb_build_array(
        pg_temp.hook('T30 Bad')))))).state,
    '22023', 'a bad hook name is refused with 22023');
SELECT matches((pg_temp.error_of(format('SELECT hookreg_deploy_convention(%L)', pg_temp.spec('T30 Atlas', jsonb_build_array(
        pg_temp.hook('T30 Bad')))))).message,
    '\$\.hooks\[0\]\.name', 'and names $.hooks[0].name');
SELECT throws_ok(format('SELECT hookreg_deploy_convention(%L)', pg_temp.spec('T30 Atlas', jsonb_build_array(
        pg_temp.hook('records')))), '42939', NULL, 'a reserved hook name is refused with 42939');
SELECT throws_ok(format('SELECT hookreg_deploy_convention(%L)', pg_temp.spec('T30 Atlas', jsonb_build_array(
        jsonb_set(pg_temp.hook('t30_f'), '{feature,columns}', '[{"name": "subject", "json_type": "string"}]')))),
    '42939', NULL, 'a reserved column name is refused with 42939');
SELECT throws_ok(format('SELECT hookreg_deploy_convention(%L)', pg_temp.spec('T30 Atlas', jsonb_build_array(
        jsonb_set(pg_temp.hook('t30_f'), '{source_ref}', '""')))),
    '22023', NULL, 'an empty source_ref is refused');
-- the whole spec is checked before the first write: a bad name or digest in
-- the last hook wins over a contract conflict in the first (which would only
-- show when that hook is written)
SELECT throws_ok(format('SELECT hookreg_deploy_convention(%L)', pg_temp.spec('T30 Atlas', jsonb_build_array(
        jsonb_set(pg_temp.hook('t30_a'), '{feature,cardinality}', '"one"'),
        pg_temp.hook('t30_b', '2', '{"depth": 2}'), pg_temp.hook('t30_Bad')))),
    '22023', 'invalid hook name "t30_Bad" at $.hooks[2].name', 'a bad name is found before any write');
SELECT throws_ok(format('SELECT hookreg_deploy_convention(%L)', pg_temp.spec('T30 Atlas', jsonb_build_array(
        jsonb_set(pg_temp.hook('t30_a'), '{feature,cardinality}', '"one"'),
        jsonb_set(pg_temp.hook('t30_z'), '{runtime,digest}', '"md5:x"')))),
    '22023', NULL, 'a bad digest is found before any write');
-- hostile input: names that look like SQL are refused or stored verbatim,
-- never run; numbers jansson cannot hold are refused
SELECT is((SELECT ARRAY[e.state, e.message] FROM pg_temp.error_of(format('SELECT hookreg_deploy_convention(%L)', pg_temp.spec('T30 Atlas', jsonb_build_array(
        pg_temp.hook('t30_x"; DROP TABLE hookreg.hooks; --'))))) e),
    ARRAY['22023', 'invalid hook name "t30_x"; DROP TABLE hookreg.hooks; --" at $.hooks[0].name'],
    'a hook name that looks like SQL is refused at $.hooks[0].name');
SELECT is((hookreg_deploy_convention(jsonb_set(pg_temp.spec($$T30 Robert'); DROP TABLE hookreg.hooks; --$$, '[]'),
              '{schema,id}', to_jsonb($$t30x'); DROP TABLE hookreg.schemas; --$$::text)))->>'slug'),
    't30-robert-drop-table-hookreg-hooks', 'a title that looks like SQL makes a plain slug');
SELECT ok(EXISTS (SELECT FROM hookreg.schemas WHERE id = $$t30x'); DROP TABLE hookreg.schemas; --$$)
          AND to_regclass('hookreg.hooks') IS NOT NULL,
          'a schema id that looks like SQL is stored verbatim, and nothing was dropped');
SELECT throws_ok(format('SELECT hookreg_deploy_convention(%L)',
        jsonb_set(pg_temp.spec('T30 Atlas', '[]'), '{file_requirements}', '{"n": 1e400}')),
    '22023', 'deploy spec is not JSON that hookreg can read', 'a number beyond a double is refused');
DELETE FROM hookreg.conventions WHERE slug = 't30-robert-drop-table-hookreg-hooks';
SELECT throws_ok($$SELECT hookreg_deploy_convention(NULL)$$, '22023', 'spec must not be null', 'a NULL spec is refused');

-- ---- 54000: size and depth caps
SELECT throws_ok(format('SELECT hookreg_deploy_convention(%L)',
        jsonb_set(pg_temp.spec('T30 Atlas', '[]'), '{file_requirements}',
                  jsonb_build_object('blob', repeat('x', 1100000)))),
    '54000', 'deploy spec is too large', 'a spec over 1 MiB is refused');
SELECT throws_ok(format('SELECT hookreg_deploy_convention(%L)',
        jsonb_set(pg_temp.spec('T30 Atlas', '[]'), '{file_requirements}',
                  jsonb_build_object('deep', (repeat('[', 40) || repeat(']', 40))::jsonb))),
    '54000', 'deploy spec is nested too deeply', 'a spec nested too deeply is refused');
SELECT throws_ok(format('SELECT hookreg_deploy_convention(%L)',
        pg_temp.spec('T30 Atlas', (SELECT jsonb_agg(pg_temp.hook('t30_n' || i)) FROM generate_series(1, 101) i))),
    '54000', 'too many hooks at $.hooks', 'over 100 hooks are refused');
SELECT throws_ok(format('SELECT hookreg_deploy_convention(%L)',
        jsonb_set(pg_temp.spec('T30 Atlas', '[]'), '{description}', to_jsonb(repeat('x', 70000)))),
    '54000', 'string at $.description is too long', 'a description over 64 KiB is refused');
SELECT is(pg_temp.written(), ARRAY[1, 2, 2, 3, 3, 1]::bigint[], 'refused specs wrote nothing');

-- ---- the convention's hooks are registered hooks, enforced by the database
SELECT throws_ok($$INSERT INTO hookreg.conventions (slug, title, description, file_requirements, hooks)
                   VALUES ('t30-direct', 'T30 Direct', '', '{}', '{t30_a,t30_nope}')$$,
    '23503', 'convention "t30-direct" names hooks that are not registered: "t30_nope"',
    'a direct insert naming an unregistered hook is refused, even for the superuser');
SELECT throws_ok($$UPDATE hookreg.conventions SET hooks = hooks || '{t30_nope}' WHERE slug = 't30-atlas'$$,
    '23503', NULL, 'an update adding an unregistered hook is refused');
SELECT lives_ok($$INSERT INTO hookreg.conventions (slug, title, description, file_requirements, hooks)
                  VALUES ('t30-direct', 'T30 Direct', '', '{}', '{t30_b,t30_a}')$$,
    'registered hooks may be named');
SELECT throws_ok($$INSERT INTO hookreg.conventions (slug, title, description, file_requirements, hooks)
                   VALUES ('t30-other', 'T30 Direct', '', '{}', '{}')$$,
    '23514', NULL, 'the slug must be the slug of the title');
SELECT throws_ok($$INSERT INTO hookreg.conventions (slug, title, description, file_requirements, hooks)
                   VALUES ('t30-nulls', 'T30 Nulls', '', '{}', ARRAY['t30_a', NULL])$$,
    '23514', NULL, 'a NULL hook name is refused');
SELECT throws_ok($$INSERT INTO hookreg.conventions (slug, title, description, file_requirements, hooks)
                   VALUES ('t30-bounds', 'T30 Bounds', '', '{}', '[0:0]={t30_a}')$$,
    '23514', NULL, 'a hook list not starting at index 1 is refused');
-- a hook that a convention names cannot be deleted (one with no release or
-- pointer, inserted directly, so that no other foreign key answers first)
INSERT INTO hookreg.hooks (name, feature_spec, feature_table)
VALUES ('t30_lonely', '{"kind": "table", "cardinality": "many", "columns": []}', 'hookreg.hooks');
UPDATE hookreg.conventions SET hooks = '{t30_b,t30_lonely}' WHERE slug = 't30-direct';
SELECT throws_ok($$DELETE FROM hookreg.hooks WHERE name = 't30_lonely'$$,
    '23503', 'hook "t30_lonely" is named by convention "t30-direct"', 'a named hook cannot be deleted');
UPDATE hookreg.conventions SET hooks = '{t30_b}' WHERE slug = 't30-direct';
SELECT lives_ok($$DELETE FROM hookreg.hooks WHERE name = 't30_lonely'$$, 'once no convention names it, it can');
DELETE FROM hookreg.conventions WHERE slug = 't30-direct';

-- ---- schemas are immutable
SELECT throws_ok($$UPDATE hookreg.schemas SET definition = '{}' WHERE id = 't30-schema'$$,
    '55000', 'UPDATE on hookreg.schemas is not allowed', 'UPDATE of a schema is refused');
SELECT throws_ok($$DELETE FROM hookreg.schemas WHERE id = 't30-schema'$$,
    '55000', 'DELETE on hookreg.schemas is not allowed', 'DELETE of a schema is refused');

-- ---- the convention is upserted by slug, keeping created_at
UPDATE hookreg.conventions SET created_at = created_at - interval '1 day', updated_at = updated_at - interval '1 day'
 WHERE slug = 't30-atlas';
SELECT is((hookreg_deploy_convention(jsonb_set(pg_temp.spec('t30 -- ATLAS!',
              jsonb_build_array(pg_temp.hook('t30_b', '2', '{"depth": 2}'))), '{source}', 'null'))->'created'),
          'false', 'a retitled spec with the same slug updates the convention');
SELECT is((SELECT ARRAY[title, hooks::text, coalesce(source::text, 'null')] FROM hookreg.conventions WHERE slug = 't30-atlas'),
          ARRAY['t30 -- ATLAS!', '{t30_b}', 'null'], 'title, hooks and source are replaced');
SELECT ok((SELECT created_at < now() - interval '12 hours' AND updated_at = now()
             FROM hookreg.conventions WHERE slug = 't30-atlas'),
          'created_at is kept, updated_at moves');

-- ---- roles: the deployer may; every other role gets 42501 naming hookreg_deployer
\set role_prefix t30
\ir helpers/roles.sql

SET ROLE t30_deployer;
SELECT is((hookreg_deploy_convention(pg_temp.spec('T30 Deployed', jsonb_build_array(pg_temp.hook('t30_c', '3'))))
           ->'hooks'->0->'created'), 'true', 'a deployer deploys, releases included');
RESET ROLE;
SELECT is((SELECT built_by FROM hookreg.hook_releases WHERE hook_name = 't30_c'), 't30_deployer',
          'built_by names the calling role, not the extension owner');
SELECT is((SELECT moved_by FROM hookreg.live_moves WHERE hook_name = 't30_c'), 't30_deployer',
          'moved_by names the calling role');

-- every role but the deployer: 42501 with a hint naming hookreg_deployer
SELECT is((SELECT ARRAY[e.state, e.message, e.hint]
             FROM pg_temp.error_of(format($$SET ROLE %I; SELECT hookreg_deploy_convention(pg_temp.spec('T30 Denied', '[]'))$$, r)) e),
          ARRAY['42501', 'permission denied for function hookreg_deploy_convention',
                format('Grant the role to the caller: GRANT hookreg_deployer TO %s;', r)],
          r || ' gets 42501 with a hint naming hookreg_deployer')
  FROM unnest(ARRAY['t30_reader', 't30_runner', 't30_releaser', 't30_ops']) AS r;
RESET ROLE;
SET ROLE t30_nobody;
SELECT throws_ok($$SELECT hookreg_deploy_convention('{}')$$, '42501', NULL,
                 'a role without any hookreg role may not execute it');
RESET ROLE;
SET ROLE t30_deployer;
SELECT throws_ok($$INSERT INTO hookreg.conventions (slug, title, description, file_requirements, hooks)
                   VALUES ('t30-sneak', 'T30 Sneak', '', '{}', '{}')$$, '42501', NULL,
                 'a deployer cannot write conventions directly');
SELECT throws_ok($$INSERT INTO hookreg.schemas (id, version, definition) VALUES ('t30-sneak', '1', '{}')$$,
                 '42501', NULL, 'a deployer cannot write schemas directly');
SELECT ok((SELECT count(*) > 0 FROM hookreg.conventions), 'a deployer reads conventions');
RESET ROLE;
SELECT ok(NOT EXISTS (SELECT FROM hookreg.conventions WHERE slug = 't30-denied'), 'refused roles wrote nothing');

SELECT * FROM finish();
ROLLBACK;
