-- CHECK constraints written in C (src/row_checks.c, doc/design.md
-- "Constraints written in C"): operation_runs_identity_hash_check calls
-- hookreg.opsrun_is_identity_hash instead of running ~ '^[0-9a-f]{64}$'.
-- The rule is the regex's exactly, and since the constraint stays in the
-- catalog it holds against every role: the owner (a superuser) writing the
-- table directly, by INSERT, UPDATE or COPY, is refused as anyone would be,
-- and no other role may write the table at all.
BEGIN;
SELECT plan(17);

SELECT is((SELECT pg_get_constraintdef(c.oid) FROM pg_constraint c
            WHERE c.conrelid = 'hookreg.operation_runs'::regclass AND c.conname = 'operation_runs_identity_hash_check'),
          'CHECK (hookreg.opsrun_is_identity_hash(run_identity_hash))',
          'operation_runs_identity_hash_check calls hookreg.opsrun_is_identity_hash');
SELECT is((SELECT convalidated FROM pg_constraint
            WHERE conrelid = 'hookreg.operation_runs'::regclass AND conname = 'operation_runs_identity_hash_check'),
          true, 'and is validated');

-- ---- the same rule as the regular expression
CREATE TEMP TABLE hash_cases (v text);
INSERT INTO hash_cases VALUES
    (repeat('a', 64)), (repeat('0', 64)), ('0123456789abcdef' || repeat('f', 48)),
    (repeat('A', 64)), (repeat('a', 63)), (repeat('a', 65)), (''), (repeat('a', 63) || 'g'),
    (repeat('a', 64) || E'\n'), (E'\n' || repeat('a', 64)), (repeat('a', 63) || ' '), (repeat('a', 62) || 'é'),
    (repeat('a', 63) || E'\u00e9'), (repeat('a', 32) || '-' || repeat('a', 31)), (NULL);
-- random strings of hex digits, capitals, other letters, newlines and spaces, 62 to 66 long
INSERT INTO hash_cases
SELECT string_agg(substr('0123456789abcdefABCDEFgz' || E'\n ', 1 + (random() * 25)::int, 1), '')
  FROM generate_series(1, 2000) s, LATERAL generate_series(1, 62 + s % 5) i
 GROUP BY s;
-- and valid hashes with one character replaced, at every position
INSERT INTO hash_cases
SELECT overlay(encode(sha256(p::text::bytea), 'hex') PLACING c FROM p FOR 1)
  FROM generate_series(1, 64) p, unnest(ARRAY['G', 'A', '/', ':', '`', 'g', '0']) c;
SELECT is((SELECT count(*) FROM hash_cases
            WHERE hookreg.opsrun_is_identity_hash(v) IS DISTINCT FROM (v ~ '^[0-9a-f]{64}$')),
          0::bigint, 'hookreg.opsrun_is_identity_hash accepts exactly what ~ ''^[0-9a-f]{64}$'' accepts');
SELECT cmp_ok((SELECT count(*) FROM hash_cases WHERE v ~ '^[0-9a-f]{64}$'), '>=', 4::bigint,
              'the cases include valid hashes');
SELECT cmp_ok((SELECT count(*) FROM hash_cases WHERE NOT v ~ '^[0-9a-f]{64}$'), '>=', 400::bigint,
              'and many invalid ones');

-- ---- the owner writing the table directly
INSERT INTO hookreg.workspaces (id, name) VALUES (9531, 'row checks');
INSERT INTO hookreg.tenants (id, workspace_id, external_id) VALUES (9531, 9531, gen_random_uuid());
SELECT throws_ok($$INSERT INTO hookreg.operation_runs (workspace_id, tenant_id, initiator_name, type, run_identity_hash)
                   VALUES (9531, 9531, 'owner', 'assignments.fetch', repeat('A', 64))$$,
                 '23514', NULL, 'the owner inserting an upper-case hash: 23514');
SELECT throws_ok($$INSERT INTO hookreg.operation_runs (workspace_id, tenant_id, initiator_name, type, run_identity_hash)
                   VALUES (9531, 9531, 'owner', 'assignments.fetch', repeat('a', 64) || E'\n')$$,
                 '23514', NULL, 'a hash with a trailing newline: 23514');
SELECT throws_ok($$INSERT INTO hookreg.operation_runs (workspace_id, tenant_id, initiator_name, type, run_identity_hash)
                   VALUES (9531, 9531, 'owner', 'assignments.fetch', repeat('a', 63))$$,
                 '23514', NULL, 'a hash of 63 digits: 23514');
SELECT lives_ok($$INSERT INTO hookreg.operation_runs (workspace_id, tenant_id, initiator_name, type, run_identity_hash)
                  VALUES (9531, 9531, 'owner', 'assignments.fetch', repeat('b', 64))$$,
                'a valid hash is accepted');
SELECT throws_ok($$UPDATE hookreg.operation_runs SET run_identity_hash = 'x' WHERE workspace_id = 9531$$,
                 '23514', NULL, 'the owner updating a hash to an invalid one: 23514');
SELECT throws_ok($$COPY hookreg.operation_runs (workspace_id, tenant_id, initiator_name, type, run_identity_hash)
                   FROM PROGRAM 'printf "9531\t9531\towner\tassignments.fetch\tnot-a-hash\n"'$$,
                 '23514', NULL, 'COPY (a restore) of a row with an invalid hash: 23514');

-- ---- every other role: no direct write at all
CREATE ROLE tap_rc_writer;
CREATE ROLE tap_rc_admin;
CREATE ROLE tap_rc_reader;
GRANT hookreg_ops_writer TO tap_rc_writer;
GRANT hookreg_admin TO tap_rc_admin;
GRANT hookreg_reader TO tap_rc_reader;
SET LOCAL ROLE tap_rc_writer;
SELECT throws_ok($$INSERT INTO hookreg.operation_runs (workspace_id, tenant_id, initiator_name, type, run_identity_hash)
                   VALUES (9531, 9531, 'w', 'assignments.fetch', 'x')$$,
                 '42501', NULL, 'hookreg_ops_writer cannot insert a run directly');
SELECT is((SELECT s.run_identity_hash ~ '^[0-9a-f]{64}$' FROM opsrun_start(9531, 9531, 'assignments.fetch', '{"rc": 1}') s),
          true, 'a run started by opsrun_start has a valid hash');
RESET ROLE;
SET LOCAL ROLE tap_rc_admin;
SELECT throws_ok($$INSERT INTO hookreg.operation_runs (workspace_id, tenant_id, initiator_name, type, run_identity_hash)
                   VALUES (9531, 9531, 'a', 'assignments.fetch', 'x')$$,
                 '42501', NULL, 'hookreg_admin cannot insert a run directly');
SELECT throws_ok($$UPDATE hookreg.operation_runs SET run_identity_hash = 'x' WHERE workspace_id = 9531$$,
                 '42501', NULL, 'nor update one');
RESET ROLE;
SET LOCAL ROLE tap_rc_reader;
SELECT throws_ok($$INSERT INTO hookreg.operation_runs (workspace_id, tenant_id, initiator_name, type, run_identity_hash)
                   VALUES (9531, 9531, 'r', 'assignments.fetch', 'x')$$,
                 '42501', NULL, 'hookreg_reader cannot insert a run directly');
RESET ROLE;
SELECT is((SELECT count(*) FROM hookreg.operation_runs WHERE NOT run_identity_hash ~ '^[0-9a-f]{64}$'),
          0::bigint, 'no stored run has an invalid hash');

SELECT * FROM finish();
ROLLBACK;
