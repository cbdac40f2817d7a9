-- Foundation: schemas, roles, function bindings, and the pure helpers.
BEGIN;
SELECT plan(27);

SELECT has_schema('hookreg');
SELECT has_schema('hookreg_features');

SELECT has_role(r) FROM unnest(ARRAY['hookreg_reader', 'hookreg_runner', 'hookreg_releaser',
    'hookreg_deployer', 'hookreg_ops_writer', 'hookreg_admin']) AS r;
SELECT ok(NOT rolcanlogin, rolname || ' is NOLOGIN') FROM pg_roles
 WHERE rolname IN ('hookreg_reader', 'hookreg_admin') ORDER BY rolname;

SELECT is_member_of('hookreg_reader', ARRAY['hookreg_runner', 'hookreg_releaser', 'hookreg_deployer', 'hookreg_admin']);
SELECT is_member_of('hookreg_ops_writer', 'hookreg_admin');

-- Every public function is LANGUAGE C.
SELECT is(
    (SELECT count(*)::int FROM pg_proc p
       JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
       JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'hookreg'
       JOIN pg_language l ON l.oid = p.prolang
      WHERE l.lanname <> 'c'),
    0, 'every hookreg function is LANGUAGE C');

SELECT is(hookreg_version(), (SELECT extversion FROM pg_extension WHERE extname = 'hookreg'),
          'module version equals the installed extension version');

SELECT function_lang_is('hookreg_slugify', ARRAY['text'], 'c');
SELECT volatility_is('hookreg_slugify', ARRAY['text'], 'immutable');
SELECT volatility_is('opsrun_is_uuid_v4', ARRAY['uuid'], 'immutable');

SELECT is(hookreg_slugify('Metabolomics: LC-MS (v2)'), 'metabolomics-lc-ms-v2', 'slugify folds punctuation runs');
SELECT is(hookreg_slugify('ÄÖÜ über Straße'), 'ber-stra-e', 'non-ASCII characters become dashes');
SELECT is(length(hookreg_slugify(repeat('ab ', 40))), 64, 'slug is cut to 64 characters');
SELECT unalike(hookreg_slugify(repeat('a', 63) || '-b'), '%-', 'no dash is left at the cut');
SELECT throws_ok($$SELECT hookreg_slugify('ab')$$, '22023', NULL, 'two characters are too few');
SELECT throws_ok($$SELECT hookreg_slugify('9 lives')$$, '22023', NULL, 'a slug starts with a letter');
SELECT throws_ok($$SELECT hookreg_slugify('')$$, '22023', NULL, 'empty title refused');

SELECT ok(opsrun_is_uuid_v4('f47ac10b-58cc-4372-a567-0e02b2c3d479'), 'v4 accepted');
SELECT ok(NOT opsrun_is_uuid_v4('f47ac10b-58cc-4372-0567-0e02b2c3d479'), 'NCS variant refused');
SELECT ok(NOT opsrun_is_uuid_v4('6ba7b810-9dad-11d1-80b4-00c04fd430c8'), 'v1 refused');

SELECT * FROM finish();
ROLLBACK;
