-- RFC 8785 (JCS) canonical JSON behind release_digest and opsrun_identity_hash
-- (doc/digests.md): the examples published with RFC 8785 as fixed vectors, the
-- numbers hookreg refuses (22023 with the JSON path and a hint), and what
-- 0.1.0 accepted that is still accepted. The property test against npm
-- "canonicalize" is test/suites/jcs.sh.
--
-- Sources of the vectors: RFC 8785, "JSON Canonicalization Scheme (JCS)",
-- A. Rundgren, B. Jordan, S. Erdtman, June 2020: section 3.2.2 (the sample
-- object), 3.2.3 (its canonical form; the sorting test data and its expected
-- order), 3.2.4 (the UTF-8 bytes of the canonical sample), Appendix B
-- (Table 1, number serialization samples) and Appendix E (the subtype sample).
BEGIN;
\ir helpers/errors.sql
SELECT plan(90);

-- jcs(value): the canonical text hookreg hashes for an identity, checked
-- through opsrun_identity_hash: its envelope is
-- {"identity":<JCS text>,"scope":"workspace:1","type":"jcs.vector"}.
CREATE FUNCTION pg_temp.envelope(canonical bytea) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT encode(sha256(convert_to('{"identity":', 'UTF8') || canonical
                         || convert_to(',"scope":"workspace:1","type":"jcs.vector"}', 'UTF8')), 'hex') $$;
CREATE FUNCTION pg_temp.canon_is(doc jsonb, canonical text, description text) RETURNS text LANGUAGE sql AS $$
    SELECT is(opsrun_identity_hash(1, NULL, 'jcs.vector', doc),
              pg_temp.envelope(convert_to(canonical, 'UTF8')), description) $$;
CREATE FUNCTION pg_temp.release_digest_of(canonical_config text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT 'sha256:' || encode(sha256(convert_to(
        '{"config":' || canonical_config || ',"digest":"sha256:' || repeat('7', 64)
        || '","image":"registry.example.org/jcs","limits":{"cpu":"0.5","memory":"1g","timeout_seconds":300}}',
        'UTF8')), 'hex') $$;
SELECT lives_ok($$SELECT hookreg_register_hook('tap_jcs', '{"kind": "table", "cardinality": "many", "columns": []}')$$,
                'test hook registered');
CREATE FUNCTION pg_temp.release(config jsonb) RETURNS text LANGUAGE sql AS $$
    SELECT release_digest FROM hookreg_create_release('tap_jcs', 'registry.example.org/jcs',
                                                      'sha256:' || repeat('7', 64), config, '{}', 'git:jcs') $$;

-- ---- RFC 8785 section 3.2.2: the sample object
-- As published, its first number (333333333.33333329) has more precision than
-- a double: JCS would hash it as 333333333.3333333, another number, so hookreg
-- refuses it rather than let two contents share a digest.
CREATE TEMP TABLE rfc AS SELECT
    $s${"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001], "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/", "literals": [null, true, false]}$s$::text AS sample,
    $s${"numbers": [333333333.3333333, 1E30, 4.50, 2e-3, 0.000000000000000000000000001], "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/", "literals": [null, true, false]}$s$::text AS sample_exact;
SELECT throws_ok((SELECT format('SELECT opsrun_identity_hash(1, NULL, %L, %L::jsonb)', 'jcs.vector', sample) FROM rfc),
                 '22023', 'number at $.numbers[0] of identity has no exact canonical JSON form',
                 'RFC 8785 3.2.2 sample as published: 333333333.33333329 is refused, naming its JSON path');
-- With the number spelled as its double is (Appendix B: 41b3de4355555555), the
-- canonical text is section 3.2.3's, byte for byte section 3.2.4's.
SELECT is(opsrun_identity_hash(1, NULL, 'jcs.vector', (SELECT sample_exact::jsonb FROM rfc)),
          pg_temp.envelope(decode(
            '7b226c69746572616c73223a5b6e756c6c2c7472' ||
            '75652c66616c73655d2c226e756d62657273223a' ||
            '5b3333333333333333332e333333333333332c31' ||
            '652b33302c342e352c302e3030322c31652d3237' ||
            '5d2c22737472696e67223a22e282ac245c753030' ||
            '30665c6e4127425c225c5c5c5c5c222f227d', 'hex')),
          'RFC 8785 3.2.3/3.2.4: the sample canonicalizes to the published UTF-8 bytes');
SELECT pg_temp.canon_is((SELECT sample_exact::jsonb FROM rfc),
    '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"' || chr(8364) || '$\u000f\nA''B\"\\\\\"/"}',
    'RFC 8785 3.2.3: the canonical form of the sample, as text');
SELECT is(pg_temp.release((SELECT sample_exact::jsonb FROM rfc)),
          pg_temp.release_digest_of('{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"' || chr(8364) || '$\u000f\nA''B\"\\\\\"/"}'),
          'release_digest of the RFC 3.2.2 sample as config hashes the same canonical text');

-- ---- RFC 8785 section 3.2.3: sorting by UTF-16 code units
SELECT pg_temp.canon_is('{"\u20ac": "Euro Sign", "\r": "Carriage Return", "\ufb33": "Hebrew Letter Dalet With Dagesh",
                          "1": "One", "\ud83d\ude00": "Emoji: Grinning Face", "\u0080": "Control",
                          "\u00f6": "Latin Small Letter O With Diaeresis"}',
    '{"\r":"Carriage Return","1":"One","' || chr(128) || '":"Control","' || chr(246)
    || '":"Latin Small Letter O With Diaeresis","' || chr(8364) || '":"Euro Sign","' || chr(128512)
    || '":"Emoji: Grinning Face","' || chr(64307) || '":"Hebrew Letter Dalet With Dagesh"}',
    'RFC 8785 3.2.3: the sorting test data in the expected order (U+1F600 before U+FB33)');
SELECT is(pg_temp.release('{"\u20ac": "Euro Sign", "\r": "Carriage Return", "\ufb33": "Hebrew Letter Dalet With Dagesh",
                            "1": "One", "\ud83d\ude00": "Emoji: Grinning Face", "\u0080": "Control",
                            "\u00f6": "Latin Small Letter O With Diaeresis"}'),
          pg_temp.release_digest_of('{"\r":"Carriage Return","1":"One","' || chr(128) || '":"Control","' || chr(246)
    || '":"Latin Small Letter O With Diaeresis","' || chr(8364) || '":"Euro Sign","' || chr(128512)
    || '":"Emoji: Grinning Face","' || chr(64307) || '":"Hebrew Letter Dalet With Dagesh"}'),
          'release_digest sorts config members the same way');
SELECT pg_temp.canon_is(jsonb_build_object(chr(65535), 1, chr(1114109), 2, chr(57344), 3, chr(55295), 4),
    '{"' || chr(55295) || '":4,"' || chr(1114109) || '":2,"' || chr(57344) || '":3,"' || chr(65535) || '":1}',
    'U+D7FF < U+10FFFD (a surrogate pair) < U+E000 < U+FFFF in UTF-16 order');
SELECT pg_temp.canon_is('{"b": {"z": 1, "a": [{"y": 2, "x": 1}]}, "a": []}', '{"a":[],"b":{"a":[{"x":1,"y":2}],"z":1}}',
                        'members are sorted at every depth, inside arrays too');

-- ---- RFC 8785 Appendix B, Table 1: each JSON representation is its own canonical form
SELECT pg_temp.canon_is(('[' || n || ']')::jsonb, '[' || n || ']', 'RFC 8785 Appendix B: ' || n || ' (' || c || ')')
  FROM (VALUES ('0', 'zero'), ('5e-324', 'min pos number'), ('-5e-324', 'min neg number'),
               ('1.7976931348623157e+308', 'max pos number'), ('-1.7976931348623157e+308', 'max neg number'),
               ('9007199254740992', 'max pos int'), ('-9007199254740992', 'max neg int'),
               ('295147905179352830000', '~2**68'), ('9.999999999999997e+22', '44b52d02c7e14af5'),
               ('1e+23', '44b52d02c7e14af6'), ('1.0000000000000001e+23', '44b52d02c7e14af7'),
               ('999999999999999700000', '444b1ae4d6e2ef4e'), ('999999999999999900000', '444b1ae4d6e2ef4f'),
               ('1e+21', '444b1ae4d6e2ef50'), ('9.999999999999997e-7', '3eb0c6f7a0b5ed8c'),
               ('0.000001', '3eb0c6f7a0b5ed8d'), ('333333333.3333332', '41b3de4355555553'),
               ('333333333.33333325', '41b3de4355555554'), ('333333333.3333333', '41b3de4355555555'),
               ('333333333.3333334', '41b3de4355555556'), ('333333333.33333343', '41b3de4355555557'),
               ('-0.0000033333333333333333', 'becbf647612f3696'), ('1424953923781206.2', 'round to even')) AS t(n, c);
-- Other spellings of the same values canonicalize to the table's form.
SELECT pg_temp.canon_is(('[' || given || ']')::jsonb, '[' || canonical || ']',
                        given || ' is written ' || canonical)
  FROM (VALUES ('-0', '0'), ('-0.0e5', '0'), ('1E23', '1e+23'), ('100000000000000000000000', '1e+23'),
               ('1000000000000000000000', '1e+21'), ('100000000000000000000', '100000000000000000000'),
               ('0.0000010', '0.000001'), ('0.0000001', '1e-7'), ('9.999999999999997E-7', '9.999999999999997e-7'),
               ('1.0', '1'), ('1.50', '1.5'), ('1E30', '1e+30'), ('4.50', '4.5'), ('2e-3', '0.002'),
               ('0.000000000000000000000000001', '1e-27'), ('-1.5e-7', '-1.5e-7'), ('1.4', '1.4'),
               ('123456789012345.6', '123456789012345.6'), ('62426477193956220', '62426477193956220'),
               ('9007199254740994', '9007199254740994')) AS t(given, canonical);

-- ---- large containers: jsonb stores an offset in every 32nd entry, and
-- objects of more than 16 members are sorted with a buffer of their own
SELECT pg_temp.canon_is((SELECT jsonb_agg(repeat('x', i % 7) || i ORDER BY i) FROM generate_series(1, 100) i),
    (SELECT '[' || string_agg('"' || repeat('x', i % 7) || i || '"', ',' ORDER BY i) || ']' FROM generate_series(1, 100) i),
    'an array of 100 strings of different lengths keeps its order');
SELECT pg_temp.canon_is((SELECT jsonb_object_agg('k' || repeat('y', 40 - i % 40) || i, i * 1.5) FROM generate_series(1, 300) i),
    (SELECT '{' || string_agg('"k' || repeat('y', 40 - i % 40) || i || '":' || (i * 1.5)::float8::text, ','
                              ORDER BY convert_to('k' || repeat('y', 40 - i % 40) || i, 'UTF8')) || '}'
       FROM generate_series(1, 300) i),
    'an object of 300 members of different lengths is sorted by code units, its numbers canonical');
SELECT pg_temp.canon_is((SELECT jsonb_agg(jsonb_build_object('b', i, 'a', jsonb_build_array(i, 'z')) ORDER BY i) FROM generate_series(1, 70) i),
    (SELECT '[' || string_agg('{"a":[' || i || ',"z"],"b":' || i || '}', ',' ORDER BY i) || ']' FROM generate_series(1, 70) i),
    'an array of 70 objects (containers past the stored offsets)');

-- ---- RFC 8785 Appendix E: string subtypes stay strings
SELECT pg_temp.canon_is('{"time": "2019-01-28T07:45:10Z", "big": "055", "val": 3.5}',
                        '{"big":"055","time":"2019-01-28T07:45:10Z","val":3.5}', 'RFC 8785 Appendix E sample');

-- ---- strings (RFC 8785 3.2.2.2): controls, quotes, everything else as is
SELECT pg_temp.canon_is(jsonb_build_array(chr(8) || chr(9) || chr(10) || chr(12) || chr(13), chr(1) || chr(31) || chr(127),
                                          '"\', '/' || chr(8232) || chr(65279)),
    '["\b\t\n\f\r","\u0001\u001f' || chr(127) || '","\"\\","/' || chr(8232) || chr(65279) || '"]',
    'control characters as \b \t \n \f \r or lowercase \u00xx; " and \ escaped; DEL, / and U+2028 as they are');

-- ---- key order, white space, array order
SELECT is(opsrun_identity_hash(1, NULL, 'jcs.vector', '{"a": 1, "b": [1, 2]}'),
          opsrun_identity_hash(1, NULL, 'jcs.vector', E'{ "b" :[1,\n 2] ,"a":1.0 }'),
          'key order, white space and 1.0 for 1 do not change the identity hash');
SELECT isnt(opsrun_identity_hash(1, NULL, 'jcs.vector', '{"b": [1, 2]}'),
            opsrun_identity_hash(1, NULL, 'jcs.vector', '{"b": [2, 1]}'), 'array order does');
SELECT is(pg_temp.release('{"a": 1, "b": [1, 2]}'), pg_temp.release(E'{ "b" :[1,\n 2] ,"a":1.00 }'),
          'key order, white space and 1.00 for 1 do not change the release digest');
SELECT isnt(pg_temp.release('{"b": [1, 2]}'), pg_temp.release('{"b": [2, 1]}'), 'array order does');

-- ---- numbers no double carries exactly: 22023, the JSON path, a hint
SELECT throws_ok(format('SELECT opsrun_identity_hash(1, NULL, %L, %L::jsonb)', 'jcs.vector', doc),
                 '22023', 'number at ' || path || ' of identity has no exact canonical JSON form',
                 'identity ' || doc || ' refused at ' || path)
  FROM (VALUES ('{"n": 0.10000000000000001}', '$.n'), ('{"n": [1, 9007199254740993]}', '$.n[1]'),
               ('{"a": {"b c": 1e400}}', '$.a["b c"]'), ('[-1e400]', '$[0]'), ('{"tiny": 1e-400}', '$.tiny'),
               ('{"big": 18446744073709551616}', '$.big'), ('{"x": 1424953923781206.25}', '$.x'),
               ('{"x": 295147905179352825856}', '$.x'), ('123456789012345678', '$')) AS t(doc, path);
SELECT is((pg_temp.error_of($$SELECT opsrun_identity_hash(1, NULL, 'jcs.vector', '{"n": 0.10000000000000001}')$$)).hint,
          'Pass such a number as a JSON string, e.g. "0.10000000000000001".', 'the hint says to pass it as a string');
SELECT is((pg_temp.error_of($$SELECT opsrun_identity_hash(1, NULL, 'jcs.vector', '{"n": 0.10000000000000001}')$$)).detail,
          'It is 0.10000000000000001; canonical JSON (RFC 8785) writes every number as the nearest IEEE double, 0.1, which is another number.',
          'the detail names the number and the nearest double');
SELECT is((pg_temp.error_of($$SELECT opsrun_identity_hash(1, NULL, 'jcs.vector', '{"n": 1e400}')$$)).detail,
          'It is 1' || repeat('0', 39) || '..., beyond the range of an IEEE double; canonical JSON (RFC 8785) writes every number as a double.',
          'a number beyond a double''s range says so, shown cut short');
SELECT throws_ok($$SELECT * FROM opsrun_start(1, NULL, 'jcs.vector', '{"page": 9007199254740993}')$$,
                 '22023', 'number at $.page of identity has no exact canonical JSON form', 'opsrun_start refuses it too');
SELECT throws_ok($$SELECT pg_temp.release('{"a": {"b": [1, 0.10000000000000001]}}')$$,
                 '22023', 'number at $.a.b[1] of config has no exact canonical JSON form', 'a config number is refused');
SELECT is((pg_temp.error_of($$SELECT pg_temp.release('{"a": 0.10000000000000001}')$$)).context LIKE '%in the config argument%',
          true, 'its CONTEXT names the config argument');
SELECT throws_ok($$SELECT * FROM hookreg_create_release('tap_jcs', 'registry.example.org/jcs', 'sha256:' || repeat('7', 64),
                                                        '{}', '{"cpu": 0.10000000000000001}', 'git:jcs')$$,
                 '22023', 'number at $.cpu of limits has no exact canonical JSON form', 'a limits number is refused');
SELECT throws_ok($$SELECT hookreg_deploy_convention('{"title": "JCS numbers", "description": "d", "file_requirements": {},
      "schema": {"id": "jcsnum", "version": "1", "definition": {}}, "source": null,
      "hooks": [{"name": "tap_jcs_deploy", "feature": {"kind": "table", "cardinality": "one", "columns": []},
                 "runtime": {"image": "i", "digest": "sha256:7777777777777777777777777777777777777777777777777777777777777777",
                             "config": {"ok": 1, "x": {"y": [9007199254740993]}}}, "source_ref": "git:x"}]}')$$,
                 '22023', 'number at $.hooks[0].runtime.config.x.y[0] has no exact canonical JSON form',
                 'the deploy spec: the path runs from the spec''s root');
SELECT throws_ok($$SELECT hookreg_deploy_convention('{"title": "JCS numbers", "description": "d", "file_requirements": {},
      "schema": {"id": "jcsnum", "version": "1", "definition": {}}, "source": null,
      "hooks": [{"name": "tap_jcs_deploy", "feature": {"kind": "table", "cardinality": "one", "columns": []},
                 "runtime": {"image": "i", "digest": "sha256:7777777777777777777777777777777777777777777777777777777777777777",
                             "limits": {"cpu": 0.10000000000000001}}, "source_ref": "git:x"}]}')$$,
                 '22023', 'number at $.hooks[0].runtime.limits.cpu has no exact canonical JSON form',
                 'the deploy spec: a limits number too');

-- ---- a deploy hashes its runtime as jansson read it, hookreg_create_release
-- from the jsonb: one content, one digest (release_digest names no hook).
-- Numbers jsonb prints without an exponent that jansson still reads.
CREATE TEMP TABLE deployed AS SELECT
    $c${"numbers": [333333333.3333333, 4.50, 2e-3, 0.000000000000000000000000001, 0.1, 2.5e-7, -0.0, 9007199254740992, -9007199254740992, 1e-7, 12345.678],
        "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/\u001f\u007f", "literals": [null, true, false],
        "\u20ac": "Euro Sign", "\r": "Carriage Return", "\ufb33": "Dalet", "1": "One", "\ud83d\ude00": "Grinning Face",
        "\u0080": "Control", "\u00f6": "o", "\uffff": 1, "\udbff\udffd": 2, "\ue000": 3, "\ud7ff": 4,
        "deep": {"b": [{"z": 1, "a": [2.5, "x"]}], "a": {}}}$c$::jsonb AS config,
    '{"cpu": 0.25, "timeout_seconds": 60}'::jsonb AS limits;
SELECT lives_ok((SELECT format($$SELECT hookreg_deploy_convention(%L)$$, jsonb_build_object(
          'title', 'JCS digests', 'description', 'd', 'file_requirements', '{}'::jsonb, 'source', NULL,
          'schema', '{"id": "jcsdigest", "version": "1", "definition": {}}'::jsonb,
          'hooks', jsonb_build_array(jsonb_build_object(
              'name', 'tap_jcs_deployed', 'source_ref', 'git:x',
              'feature', '{"kind": "table", "cardinality": "one", "columns": []}'::jsonb,
              'runtime', jsonb_build_object('image', 'registry.example.org/jcs', 'digest', 'sha256:' || repeat('7', 64),
                                            'config', config, 'limits', limits))))) FROM deployed),
                'a deploy of a config with reals, control characters and keys in every plane');
SELECT is((SELECT r.release_digest FROM hookreg.hook_releases r WHERE r.hook_name = 'tap_jcs_deployed'),
          (SELECT c.release_digest FROM deployed,
                  hookreg_create_release('tap_jcs', 'registry.example.org/jcs', 'sha256:' || repeat('7', 64),
                                         config, limits, 'git:jcs') c),
          'the deploy''s release_digest is the one hookreg_create_release computes for that content');

-- ---- what 0.1.0 accepted and 0.2.0 still accepts
SELECT is(pg_temp.try(format('SELECT pg_temp.release(%L)', doc)), 'ok', 'still accepted: ' || doc)
  FROM (VALUES ('{"probe": 1.4}'), ('{"a": 0.1, "b": 1e-7, "c": 2.5e-7, "d": 12345.678}'), ('{"n": 9007199254740992}'),
               ('{"n": -9007199254740992}'), ('{"n": 1e300, "m": 5e-324}'), ('{"s": "\u0001\u001f", "e": "\ud83d\ude00"}'),
               ('{"deep": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}')) AS t(doc);
SELECT is(pg_temp.try($$SELECT * FROM hookreg_create_release('tap_jcs', 'registry.example.org/jcs', 'sha256:' || repeat('7', 64),
                                                             '{}', '{"cpu": 0.4}', 'git:jcs')$$), 'ok',
          'still accepted: limits {"cpu": 0.4}');

-- ---- {"n": 1} and {"n": 1.0} must not give two active runs (0.1.0 gave two;
-- test/suites/attacks.sh 12 repeats it in an ops writer's login sessions)
INSERT INTO hookreg.workspaces (name) VALUES ('tap_jcs') RETURNING id AS ws \gset
SELECT is((SELECT count(DISTINCT run_id) FROM (
             SELECT s.run_id FROM opsrun_start(:ws, NULL, 'jcs.same_number', '{"n": 1}') s
             UNION ALL SELECT s.run_id FROM opsrun_start(:ws, NULL, 'jcs.same_number', '{"n": 1.0}') s
             UNION ALL SELECT s.run_id FROM opsrun_start(:ws, NULL, 'jcs.same_number', '{"n": 10e-1}') s
             UNION ALL SELECT s.run_id FROM opsrun_start(:ws, NULL, 'jcs.same_number', '{"n": 1.000e0}') s) r),
          1::bigint, '{"n": 1}, {"n": 1.0}, {"n": 10e-1} and {"n": 1.000e0} are one active run');

SELECT * FROM finish();
ROLLBACK;
