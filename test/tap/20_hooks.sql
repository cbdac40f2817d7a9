-- hookreg_register_hook: every SQLSTATE, the feature table's schema and
-- privileges, the registry views, and hostile input.
BEGIN;
\ir helpers/errors.sql
SELECT plan(143);

-- A spec that is valid except for what a test changes.
CREATE FUNCTION pg_temp.spec(columns jsonb DEFAULT '[]', cardinality text DEFAULT 'one')
RETURNS jsonb LANGUAGE sql AS
$$ SELECT jsonb_build_object('kind', 'table', 'cardinality', cardinality, 'columns', columns) $$;


-- ---- the function and the views -------------------------------------------
SELECT has_function('hookreg_register_hook', ARRAY['text', 'jsonb']);
SELECT function_lang_is('hookreg_register_hook', ARRAY['text', 'jsonb'], 'c');
SELECT function_returns('hookreg_register_hook', ARRAY['text', 'jsonb'], 'setof record');
SELECT is((SELECT proconfig FROM pg_proc WHERE proname = 'hookreg_register_hook'),
          ARRAY['search_path=pg_catalog, pg_temp'], 'register_hook pins search_path');
SELECT ok(NOT (SELECT prosecdef FROM pg_proc WHERE proname = 'hookreg_register_hook'),
          'register_hook is not SECURITY DEFINER: the caller stays current_user');

SELECT has_view('hookreg', 'hook_catalog', 'view hook_catalog');
SELECT has_view('hookreg', 'release_history', 'view release_history');
SELECT columns_are('hookreg'::name, 'hook_catalog'::name,
    ARRAY['name', 'feature_spec', 'feature_table', 'live_version', 'live_release_id', 'live_digest',
          'live_source_ref', 'live_built_at', 'release_count']);
SELECT columns_are('hookreg'::name, 'release_history'::name,
    ARRAY['hook_name', 'version', 'release_id', 'image', 'digest', 'config', 'limits', 'release_digest',
          'source_ref', 'built_by', 'built_at', 'is_live']);
SELECT col_type_is('hookreg', 'hook_catalog', 'feature_table', 'regclass', 'hook_catalog.feature_table is regclass');
SELECT col_type_is('hookreg', 'hook_catalog', 'live_version', 'integer', 'hook_catalog.live_version is integer');
SELECT col_type_is('hookreg', 'hook_catalog', 'release_count', 'integer', 'hook_catalog.release_count is integer');
SELECT col_type_is('hookreg', 'release_history', 'is_live', 'boolean', 'release_history.is_live is boolean');

-- ---- roles ------------------------------------------------------------------
\set role_prefix tap
\ir helpers/roles.sql

SELECT ok(NOT has_function_privilege('tap_nobody', 'hookreg_register_hook(text, jsonb)', 'EXECUTE'),
          'EXECUTE on register_hook is revoked from PUBLIC');

-- The deployer may register; the table belongs to the extension owner.
SET ROLE tap_deployer;
SELECT results_eq(
    $$SELECT hook_name, created, feature_table::text FROM hookreg_register_hook('tap_qc', pg_temp.spec(
        '[{"name": "score", "json_type": "number", "required": true},
          {"name": "n", "json_type": "integer"},
          {"name": "label", "json_type": "string"},
          {"name": "at", "json_type": "string", "format": "date-time"},
          {"name": "day", "json_type": "string", "format": "date"},
          {"name": "ref", "json_type": "string", "format": "uuid"},
          {"name": "mail", "json_type": "string", "format": "email"},
          {"name": "big", "json_type": "integer", "format": "int64"},
          {"name": "ok", "json_type": "boolean"},
          {"name": "tags", "json_type": "array"},
          {"name": "extra", "json_type": "object"}]'))$$,
    $$VALUES ('tap_qc'::text, true, 'hookreg_features.tap_qc'::text)$$,
    'a deployer registers a new hook: created = true');
-- the spec above again, spelled differently on purpose: equal once normalized
SELECT results_eq(
    $$SELECT created FROM hookreg_register_hook('tap_qc', pg_temp.spec(
        '[{"name": "score", "json_type": "number", "required": true},
          {"name": "n", "json_type": "integer", "required": false},
          {"name": "label", "json_type": "string", "format": null},
          {"name": "at", "json_type": "string", "format": "date-time"},
          {"name": "day", "json_type": "string", "format": "date"},
          {"name": "ref", "json_type": "string", "format": "uuid"},
          {"name": "mail", "json_type": "string", "format": "email"},
          {"name": "big", "json_type": "integer", "format": "int64"},
          {"name": "ok", "json_type": "boolean"},
          {"name": "tags", "json_type": "array"},
          {"name": "extra", "json_type": "object"}]'))$$,
    $$VALUES (false)$$,
    'an equal spec (defaults spelled out, null format) returns created = false');
RESET ROLE;

SELECT is((SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = 'hookreg_features.tap_qc'::regclass),
          (SELECT pg_get_userbyid(extowner) FROM pg_extension WHERE extname = 'hookreg'),
          'the feature table belongs to the extension owner, not the caller');
SELECT is((SELECT count(*)::int FROM hookreg.hooks WHERE name = 'tap_qc'), 1, 'one hook row');
SELECT results_eq($$SELECT live_release_id, last_version FROM hookreg.live_pointers WHERE hook_name = 'tap_qc'$$,
                  $$VALUES (NULL::uuid, 0)$$, 'its live pointer row: no release, last_version 0');
SELECT is((SELECT feature_spec FROM hookreg.hooks WHERE name = 'tap_qc') -> 'columns' -> 1,
          '{"name": "n", "json_type": "integer", "required": false}'::jsonb,
          'the stored spec has defaults filled in');

-- ---- the feature table (doc/reference.md) ---------------------------------
SELECT has_table('hookreg_features'::name, 'tap_qc'::name, 'feature table created');
SELECT columns_are('hookreg_features'::name, 'tap_qc'::name,
    ARRAY['id', 'run_id', 'subject', 'created_at', 'score', 'n', 'label', 'at', 'day', 'ref', 'mail',
          'big', 'ok', 'tags', 'extra']);
SELECT col_is_pk('hookreg_features', 'tap_qc', 'id', 'id is the primary key');
SELECT is((SELECT attidentity FROM pg_attribute WHERE attrelid = 'hookreg_features.tap_qc'::regclass AND attname = 'id'),
          'a'::"char", 'id is GENERATED ALWAYS AS IDENTITY');
SELECT is((SELECT count(*)::int FROM pg_constraint WHERE conrelid = 'hookreg_features.tap_qc'::regclass AND contype = 'f'),
          0, 'no foreign key: the provenance trigger checks run_id (test/tap/24_feature_rows.sql)');
SELECT trigger_is('hookreg_features', 'tap_qc', 'tap_qc-run_id-check', 'hookreg', 'feature_run_check',
                  'the provenance trigger calls hookreg.feature_run_check');
SELECT col_default_is('hookreg_features', 'tap_qc', 'created_at', 'now()', 'created_at defaults to now()');
SELECT results_eq(
    $$SELECT attname::text COLLATE "default", format_type(atttypid, atttypmod), attnotnull FROM pg_attribute
       WHERE attrelid = 'hookreg_features.tap_qc'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum$$,
    $$VALUES ('id', 'bigint', true), ('run_id', 'uuid', true), ('subject', 'text', true),
             ('created_at', 'timestamp with time zone', true),
             ('score', 'double precision', true), ('n', 'bigint', false), ('label', 'text', false),
             ('at', 'timestamp with time zone', false), ('day', 'date', false), ('ref', 'uuid', false),
             ('mail', 'text', false), ('big', 'bigint', false), ('ok', 'boolean', false),
             ('tags', 'jsonb', false), ('extra', 'jsonb', false)$$,
    'column types follow doc/reference.md (unknown formats fall back), NOT NULL only where required');
SELECT col_is_unique('hookreg_features', 'tap_qc', ARRAY['run_id', 'subject'],
                     'cardinality one: UNIQUE (run_id, subject)');
SELECT ok(EXISTS (SELECT FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
                   WHERE i.indrelid = 'hookreg_features.tap_qc'::regclass AND a.attname = 'run_id'),
          'an index leads with run_id');
SELECT ok(EXISTS (SELECT FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
                   WHERE i.indrelid = 'hookreg_features.tap_qc'::regclass AND a.attname = 'subject'),
          'an index leads with subject');

SET ROLE tap_deployer;
SELECT lives_ok($$SELECT hookreg_register_hook('tap_many', pg_temp.spec('[]', 'many'))$$,
                'cardinality many registers');
RESET ROLE;
SELECT is((SELECT count(*)::int FROM pg_constraint WHERE conrelid = 'hookreg_features.tap_many'::regclass AND contype = 'u'),
          0, 'cardinality many: no unique constraint');
SELECT has_index('hookreg_features', 'tap_many', 'tap_many-run_id-idx', ARRAY['run_id'], 'cardinality many: index on run_id');
SELECT has_index('hookreg_features', 'tap_many', 'tap_many-subject-idx', ARRAY['subject'], 'cardinality many: index on subject');

-- ---- privileges on the feature table ----------------------------------------
-- A run to point feature rows at (written directly: this file tests hooks).
INSERT INTO hookreg.hook_releases (id, hook_name, version, image, digest, config, limits, release_digest, source_ref, built_by)
VALUES ('00000000-0000-4000-8000-000000000001', 'tap_qc', 1, 'img', 'sha256:' || repeat('a', 64), '{}', '{}',
        'sha256:' || repeat('1', 64), 'git:1', 'tap'),
       ('00000000-0000-4000-8000-000000000002', 'tap_qc', 2, 'img', 'sha256:' || repeat('b', 64), '{"k": 1}', '{}',
        'sha256:' || repeat('2', 64), 'git:2', 'tap');
UPDATE hookreg.live_pointers SET live_release_id = '00000000-0000-4000-8000-000000000002', last_version = 2
 WHERE hook_name = 'tap_qc';
INSERT INTO hookreg.hook_runs (id, release_id, status, started_at, finished_at, duration_s)
VALUES ('00000000-0000-4000-8000-0000000000aa', '00000000-0000-4000-8000-000000000002', 'passed',
        '2026-01-01 00:00Z', '2026-01-01 00:01Z', 60);
-- own_run(release, hook, digit, run): a release of hook and a run of it,
-- written directly (a feature row names a run of its own hook).
CREATE FUNCTION pg_temp.own_run(rel uuid, hook text, d text, run uuid) RETURNS void LANGUAGE sql AS $$
    INSERT INTO hookreg.hook_releases (id, hook_name, version, image, digest, config, limits, release_digest, source_ref, built_by)
    VALUES (rel, hook, 1, 'img', 'sha256:' || repeat(d, 64), '{}', '{}', 'sha256:' || repeat(d, 64), 'git:' || d, 'tap');
    INSERT INTO hookreg.hook_runs (id, release_id, status, started_at, finished_at, duration_s)
    VALUES (run, rel, 'passed', '2026-01-01 00:00Z', '2026-01-01 00:01Z', 60) $$;
SELECT pg_temp.own_run('00000000-0000-4000-8000-000000000003', 'tap_many', '3', '00000000-0000-4000-8000-0000000000bb');

SET ROLE tap_runner;
SELECT lives_ok($$INSERT INTO hookreg_features.tap_qc (run_id, subject, score, tags)
                  VALUES ('00000000-0000-4000-8000-0000000000aa', 'rec-1', 0.5, '["a"]')$$,
                'the runner may INSERT feature rows');
SELECT lives_ok($$INSERT INTO hookreg_features.tap_many (run_id, subject)
                  VALUES ('00000000-0000-4000-8000-0000000000bb', 'rec-1'),
                         ('00000000-0000-4000-8000-0000000000bb', 'rec-1')$$,
                'cardinality many: several rows per (run_id, subject)');
SELECT throws_ok($$INSERT INTO hookreg_features.tap_qc (run_id, subject, score)
                   VALUES ('00000000-0000-4000-8000-0000000000aa', 'rec-1', 1)$$,
                 '23505', NULL, 'cardinality one: one row per (run_id, subject)');
SELECT throws_ok($$INSERT INTO hookreg_features.tap_qc (run_id, subject, score)
                   VALUES ('00000000-0000-4000-8000-0000000000ff', 'rec-2', 1)$$,
                 '23503', NULL, 'a feature row must name a recorded run');
SELECT throws_ok($$INSERT INTO hookreg_features.tap_qc (run_id, subject)
                   VALUES ('00000000-0000-4000-8000-0000000000aa', 'rec-3')$$,
                 '23502', NULL, 'a required column is NOT NULL');
SELECT throws_ok($$INSERT INTO hookreg_features.tap_qc (id, run_id, subject, score)
                   VALUES (99, '00000000-0000-4000-8000-0000000000aa', 'rec-4', 1)$$,
                 '428C9', NULL, 'id is generated always');
SELECT throws_ok($$UPDATE hookreg_features.tap_qc SET score = 2$$, '42501', NULL,
                 'the runner may not UPDATE feature rows');
SELECT throws_ok($$DELETE FROM hookreg_features.tap_qc$$, '42501', NULL,
                 'the runner may not DELETE feature rows');
SELECT throws_ok($$INSERT INTO hookreg.hooks (name, feature_spec, feature_table)
                   VALUES ('tap_direct', '{}', 'hookreg.hooks')$$, '42501', NULL,
                 'the runner may not write hookreg.hooks directly');
RESET ROLE;

SET ROLE tap_reader;
SELECT results_eq($$SELECT subject, score FROM hookreg_features.tap_qc$$,
                  $$VALUES ('rec-1'::text, 0.5::float8)$$, 'the reader may SELECT feature rows');
SELECT throws_ok($$INSERT INTO hookreg_features.tap_qc (run_id, subject, score)
                   VALUES ('00000000-0000-4000-8000-0000000000aa', 'rec-9', 1)$$,
                 '42501', NULL, 'the reader may not INSERT feature rows');
RESET ROLE;

SELECT ok(NOT has_table_privilege('tap_nobody', 'hookreg_features.tap_qc', 'SELECT'),
          'a role without hookreg roles may not read feature rows');
SELECT ok(NOT has_table_privilege('tap_releaser', 'hookreg_features.tap_qc', 'INSERT'),
          'a releaser may not insert feature rows');
SELECT ok(NOT has_table_privilege('tap_deployer', 'hookreg_features.tap_qc', 'INSERT'),
          'a deployer may not insert feature rows');

-- Per-row provenance: one join per row leads to the release (run_id is checked
-- by the provenance trigger, release_id by a foreign key).
SELECT results_eq(
    $$SELECT f.subject, r.version, r.digest, r.config, r.source_ref
        FROM hookreg_features.tap_qc f
        JOIN hookreg.hook_runs u ON u.id = f.run_id
        JOIN hookreg.hook_releases r ON r.id = u.release_id$$,
    $$VALUES ('rec-1'::text, 2, 'sha256:' || repeat('b', 64), '{"k": 1}'::jsonb, 'git:2'::text)$$,
    'a feature row leads to its release with one join per step');

-- ---- the views ----------------------------------------------------------------
SET ROLE tap_reader;
SELECT results_eq(
    $$SELECT name, feature_table, live_version, live_release_id, live_digest, live_source_ref, release_count
        FROM hookreg.hook_catalog WHERE name LIKE 'tap\_%'$$,
    $$VALUES ('tap_many'::text, 'hookreg_features.tap_many'::regclass, NULL::int, NULL::uuid, NULL::text, NULL::text, 1),
             ('tap_qc', 'hookreg_features.tap_qc', 2, '00000000-0000-4000-8000-000000000002',
              'sha256:' || repeat('b', 64), 'git:2', 2)$$,
    'hook_catalog: ordered by name, with the live release');
SELECT results_eq(
    $$SELECT hook_name, version, release_id, source_ref, built_by, is_live
        FROM hookreg.release_history WHERE hook_name LIKE 'tap\_%'$$,
    $$VALUES ('tap_many'::text, 1, '00000000-0000-4000-8000-000000000003'::uuid, 'git:3'::text, 'tap'::text, false),
             ('tap_qc', 1, '00000000-0000-4000-8000-000000000001', 'git:1', 'tap', false),
             ('tap_qc', 2, '00000000-0000-4000-8000-000000000002', 'git:2', 'tap', true)$$,
    'release_history: every release, the live one flagged');
SELECT is((SELECT feature_spec FROM hookreg.hook_catalog WHERE name = 'tap_many'),
          '{"kind": "table", "cardinality": "many", "columns": []}'::jsonb, 'hook_catalog carries the spec');
SELECT throws_ok($$INSERT INTO hookreg.hook_catalog (name) VALUES ('x')$$, '55000', NULL,
                 'a reader may not write through hook_catalog');
SELECT throws_ok($$DELETE FROM hookreg.release_history$$, '55000', NULL,
                 'a reader may not write through release_history');
RESET ROLE;
SELECT ok(NOT has_table_privilege('tap_nobody', 'hookreg.hook_catalog', 'SELECT'),
          'hook_catalog is not readable by PUBLIC');
SELECT ok(has_table_privilege('tap_releaser', 'hookreg.release_history', 'SELECT'),
          'release_history is readable by every hookreg role');
SELECT throws_ok($$INSERT INTO hookreg.hook_catalog (name) VALUES ('x')$$, '55000', NULL,
                 'not even the owner writes through hook_catalog');
SELECT throws_ok($$UPDATE hookreg.release_history SET version = 3$$, '55000', NULL,
                 'not even the owner writes through release_history');

-- ---- 42501: every role but the deployer -----------------------------------------
SELECT throws_ok(format($$SET ROLE %I; SELECT hookreg_register_hook('tap_denied', pg_temp.spec())$$, r),
                 '42501', 'permission denied for function hookreg_register_hook', r || ' may not register')
  FROM unnest(ARRAY['tap_reader', 'tap_runner', 'tap_releaser', 'tap_ops']) AS r;
RESET ROLE;
SELECT is((pg_temp.error_of(format($$SET ROLE %I; SELECT hookreg_register_hook('tap_denied', pg_temp.spec())$$, r))).hint,
          format('Grant the role to the caller: GRANT hookreg_deployer TO %s;', r),
          'the hint for ' || r || ' names hookreg_deployer')
  FROM unnest(ARRAY['tap_reader', 'tap_runner', 'tap_releaser', 'tap_ops']) AS r;
RESET ROLE;
SELECT throws_ok($$SET ROLE tap_nobody; SELECT hookreg_register_hook('tap_denied', pg_temp.spec())$$,
                 '42501', NULL, 'a role with no hookreg role may not even execute it');
RESET ROLE;
SET ROLE tap_admin;
SELECT lives_ok($$SELECT hookreg_register_hook('tap_by_admin', pg_temp.spec())$$, 'an admin may register');
RESET ROLE;
SELECT is((SELECT count(*)::int FROM hookreg.hooks WHERE name = 'tap_denied'), 0, 'refused callers wrote nothing');

-- ---- 23505: the contract is fixed -------------------------------------------------
SELECT throws_ok($$SELECT hookreg_register_hook('tap_many', pg_temp.spec('[]', 'one'))$$,
                 '23505', 'hook "tap_many" is already registered with a different feature spec',
                 'another cardinality is another contract');
SELECT throws_ok($$SELECT hookreg_register_hook('tap_many', pg_temp.spec('[{"name": "a", "json_type": "string"}]', 'many'))$$,
                 '23505', NULL, 'another column is another contract');
SELECT throws_ok($$SELECT hookreg_register_hook('tap_qc', pg_temp.spec(
        '[{"name": "score", "json_type": "number"}]'))$$,
                 '23505', NULL, 'fewer columns are another contract');
SELECT throws_ok($$SELECT hookreg_register_hook('tap_by_admin', pg_temp.spec('[{"name": "a", "json_type": "string", "format": "uuid"}]'))$$,
                 '23505', NULL, 'an added column is another contract');
SELECT ok((SELECT created FROM hookreg_register_hook('tap_many', '{"cardinality": "many", "columns": [], "kind": "table"}')) IS FALSE,
          'equal spec with other member order: created = false');

-- ---- 22023: names ---------------------------------------------------------------
SELECT throws_ok(format('SELECT hookreg_register_hook(%L, pg_temp.spec())', n), '22023', NULL,
                 'hook name ' || quote_literal(n) || ' refused')
  FROM unnest(ARRAY['', 'Tap', '1tap', '_tap', 'tap-x', 'tap x', 'tap.x', 'täp', repeat('t', 41),
                    'tap"; DROP TABLE hookreg.hooks; --', 'tap''); DROP SCHEMA hookreg CASCADE; --']) AS n;
SELECT lives_ok($$SELECT hookreg_register_hook('t' || repeat('a', 39), pg_temp.spec())$$,
                'a 40-character hook name is fine');
SELECT throws_ok($$SELECT hookreg_register_hook(NULL, pg_temp.spec())$$, '22023', NULL, 'NULL name refused');
SELECT throws_ok($$SELECT hookreg_register_hook('tap_null', NULL)$$, '22023', NULL, 'NULL spec refused');

-- ---- 42939: reserved names ------------------------------------------------------------
SELECT throws_ok(format('SELECT hookreg_register_hook(%L, pg_temp.spec())', n), '42939', NULL,
                 'hook name ' || n || ' is reserved')
  FROM unnest(ARRAY['records', 'datasets', 'runs']) AS n;
SELECT throws_ok(format($$SELECT hookreg_register_hook('tap_res', pg_temp.spec(%L))$$,
                        jsonb_build_array(jsonb_build_object('name', n, 'json_type', 'string'))),
                 '42939', format('column name "%s" at $.columns[0].name is reserved', n),
                 'column name ' || n || ' is reserved')
  FROM unnest(ARRAY['id', 'run_id', 'subject', 'created_at']) AS n;

-- ---- 22023: the spec's shape, with JSON paths ---------------------------------------
SELECT throws_ok($$SELECT hookreg_register_hook('tap_bad', pg_temp.spec('[{"name": "a", "json_type": "string"},
                   {"name": "b", "json_type": "string"}, {"name": "c", "jsontype": "string"}]'))$$,
                 '22023', 'unknown member at $.columns[2].jsontype', 'unknown column member, with its path');
-- every shape error of a spec, with the JSON path in its message
SELECT throws_ok(format('SELECT hookreg_register_hook(''tap_bad'', %s)', spec), '22023', msg, descr)
  FROM (VALUES
    ($a$pg_temp.spec() || '{"version": 1}'$a$, 'unknown member at $.version', 'unknown top-level member'),
    ($a$pg_temp.spec() || '{"": 1}'$a$, 'unknown member at $[""]', 'an empty key is an unknown member'),
    ($a$pg_temp.spec() || '{"kind\n\"x": 1}'$a$, 'unknown member at $["kind\u000a\"x"]', 'a key with a newline and a quote is named escaped'),
    ($a$pg_temp.spec() || '{"Kind": "table"}'$a$, 'unknown member at $.Kind', 'member names are case-sensitive'),
    ($a$pg_temp.spec() || '{"kïnd": "table"}'$a$, 'unknown member at $["kïnd"]', 'a non-ASCII key is an unknown member'),
    ($a$'{"cardinality": "one", "columns": []}'$a$, 'missing member at $.kind', 'kind is required'),
    ($a$'{"kind": "table", "columns": []}'$a$, 'missing member at $.cardinality', 'cardinality is required'),
    ($a$'{"kind": "table", "cardinality": "one"}'$a$, 'missing member at $.columns', 'columns is required'),
    ($a$'{"kind": "view", "cardinality": "one", "columns": []}'$a$, 'invalid value at $.kind', 'kind must be table'),
    ($a$pg_temp.spec('[]', 'ONE')$a$, 'invalid value at $.cardinality', 'cardinality must be one or many'),
    ($a$'{"kind": "table", "cardinality": "one", "columns": {}}'$a$, 'wrong JSON type at $.columns', 'columns must be an array'),
    ($a$'"table"'$a$, 'wrong JSON type at $', 'the spec must be an object'),
    ($a$pg_temp.spec('["a"]')$a$, 'wrong JSON type at $.columns[0]', 'a column must be an object'),
    ($a$pg_temp.spec('[{"json_type": "string"}]')$a$, 'missing member at $.columns[0].name', 'a column needs a name'),
    ($a$pg_temp.spec('[{"name": "a"}]')$a$, 'missing member at $.columns[0].json_type', 'a column needs a json_type'),
    ($a$pg_temp.spec('[{"name": "a", "json_type": "float"}]')$a$, 'invalid value at $.columns[0].json_type', 'json_type must be known'),
    ($a$pg_temp.spec('[{"name": 1, "json_type": "string"}]')$a$, 'wrong JSON type at $.columns[0].name', 'a name must be a string'),
    ($a$pg_temp.spec('[{"name": "a", "json_type": "string", "required": 1}]')$a$, 'wrong JSON type at $.columns[0].required', 'required must be a boolean'),
    ($a$pg_temp.spec('[{"name": "a", "json_type": "string", "format": 5}]')$a$, 'wrong JSON type at $.columns[0].format', 'format must be a string'),
    ($a$pg_temp.spec('[{"name": "a", "json_type": "string", "format": "date time"}]')$a$, 'invalid format at $.columns[0].format', 'a format is a plain name'),
    ($a$pg_temp.spec('[{"name": "a", "json_type": "string"}, {"name": "a", "json_type": "number"}]')$a$, 'duplicate column name "a" at $.columns[1].name', 'column names are unique')) AS v(spec, msg, descr);
SELECT throws_ok(format($$SELECT hookreg_register_hook('tap_bad', pg_temp.spec(%L))$$,
                        jsonb_build_array(jsonb_build_object('name', n, 'json_type', 'string'))),
                 '22023', 'invalid column name at $.columns[0].name', 'column name ' || quote_literal(n) || ' refused')
  FROM unnest(ARRAY['', 'A', '1a', '_a', 'a-b', 'a b', 'ä', repeat('c', 64), 'a"); DROP TABLE hookreg.hooks; --']) AS n;

SELECT throws_ok($$SELECT hookreg_register_hook('tap_bad', pg_temp.spec() || '{"x": 1e400}')$$,
                 '22023', NULL, 'a number jansson cannot hold is refused, not a crash');
SELECT lives_ok(format($$SELECT hookreg_register_hook('tap_kw', pg_temp.spec(%L))$$,
                       jsonb_build_array(jsonb_build_object('name', 'select', 'json_type', 'string'),
                                         jsonb_build_object('name', 'end', 'json_type', 'integer'),
                                         jsonb_build_object('name', 'user', 'json_type', 'boolean'),
                                         jsonb_build_object('name', 'c' || repeat('x', 62), 'json_type', 'object'))),
                'SQL keywords and a 63-character name are valid column names');
SELECT pg_temp.own_run('00000000-0000-4000-8000-000000000004', 'tap_kw', '4', '00000000-0000-4000-8000-0000000000cc');
SET ROLE tap_runner;
SELECT lives_ok(format($$INSERT INTO hookreg_features.tap_kw (run_id, subject, "select", "end", "user", %I)
                         VALUES ('00000000-0000-4000-8000-0000000000cc', 's', 'x', 1, true, '{}')$$,
                       'c' || repeat('x', 62)),
                'quoted column names take rows');
RESET ROLE;

-- ---- 54000: size, depth, number of columns -------------------------------------------
SELECT throws_ok(format($$SELECT hookreg_register_hook('tap_big', pg_temp.spec(%L))$$,
                        jsonb_build_array(jsonb_build_object('name', 'a', 'json_type', 'string', 'format', 'x'))
                        || (SELECT jsonb_agg(jsonb_build_object('name', 'c' || i, 'json_type', 'string'))
                              FROM generate_series(1, 2000) i)),
                 '54000', NULL, '2000 columns (over 64 KiB) refused');
SELECT throws_ok(format($$SELECT hookreg_register_hook('tap_big', pg_temp.spec(%L))$$,
                        (SELECT jsonb_agg(jsonb_build_object('name', 'c' || i, 'json_type', 'boolean'))
                           FROM generate_series(1, 1001) i)),
                 '54000', 'too many columns at $.columns', '1001 columns refused');
SELECT throws_ok(format($$SELECT hookreg_register_hook('tap_big', pg_temp.spec() || jsonb_build_object('kind', %L::jsonb))$$,
                        repeat('[', 40) || repeat(']', 40)),
                 '54000', 'feature_spec is nested too deeply', 'nesting over 32 refused');
SELECT throws_ok(format($$SELECT hookreg_register_hook('tap_big', pg_temp.spec() || jsonb_build_object('kind', %L::text))$$,
                        repeat('x', 70000)),
                 '54000', 'feature_spec is too large', 'a spec over 64 KiB refused');
SELECT throws_ok(format($$SELECT hookreg_register_hook('tap_big', pg_temp.spec() || jsonb_build_object('kind', %L::jsonb))$$,
                        repeat('[', 31) || repeat(']', 31)),
                 '22023', 'wrong JSON type at $.kind', 'nesting of 32 is parsed, then refused as a wrong type');
SELECT lives_ok(format($$SELECT hookreg_register_hook('tap_wide', pg_temp.spec(%L, 'many'))$$,
                       (SELECT jsonb_agg(jsonb_build_object('name', 'c' || i, 'json_type', 'boolean'))
                          FROM generate_series(1, 1000) i)),
                '1000 columns are fine');
SELECT is((SELECT count(*)::int FROM information_schema.columns
            WHERE table_schema = 'hookreg_features' AND table_name = 'tap_wide'), 1004,
          'the wide table has 4 + 1000 columns');

-- ---- nothing half-written ------------------------------------------------------------
SELECT is((SELECT array_agg(name ORDER BY name) FROM hookreg.hooks WHERE name LIKE 't%'),
          ARRAY['t' || repeat('a', 39), 'tap_by_admin', 'tap_kw', 'tap_many', 'tap_qc', 'tap_wide'],
          'only the successful registrations left hook rows');
SELECT is((SELECT array_agg(c.relname::text ORDER BY c.relname) FROM pg_class c
            WHERE c.relnamespace = 'hookreg_features'::regnamespace AND c.relkind = 'r' AND c.relname LIKE 't%'),
          ARRAY['t' || repeat('a', 39), 'tap_by_admin', 'tap_kw', 'tap_many', 'tap_qc', 'tap_wide'],
          'only the successful registrations left feature tables');
SELECT is((SELECT count(*)::int FROM hookreg.live_pointers WHERE hook_name LIKE 't%'), 6,
          'one live pointer row per hook');

-- A name colliding with an object name of another hook's table still works:
-- auxiliary objects carry a "-", which hook names cannot.
SELECT lives_ok($$SELECT hookreg_register_hook('tap_qc_id_seq', pg_temp.spec())$$,
                'a hook named like another hook''s sequence is fine');
SELECT lives_ok($$SELECT hookreg_register_hook('tap_qc_pkey', pg_temp.spec())$$,
                'a hook named like another hook''s primary key is fine');

-- A stray table of the same name is never adopted.
CREATE TABLE hookreg_features.tap_stray (x int);
SELECT throws_ok($$SELECT hookreg_register_hook('tap_stray', pg_temp.spec())$$, '42P07', NULL,
                 'a stray table in hookreg_features is not taken over');

SELECT * FROM finish();
ROLLBACK;
