-- CHECK constraints written in C (src/row_checks.c, doc/design.md
-- "Constraints written in C"): each CHECK of operation_runs calls one C
-- function (operation_runs_identity_hash_check: hookreg.opsrun_is_identity_hash
-- instead of running ~ '^[0-9a-f]{64}$'; the other seven: the array and
-- comparison expressions of 0.1.0). Each rule is its expression's exactly,
-- and since the constraints stay in the catalog they hold against every role: the owner (a superuser) writing the
-- table directly, by INSERT, UPDATE or COPY, is refused as anyone would be,
-- and no other role may write the table at all.
BEGIN;
SELECT plan(33);

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

-- ---- every other CHECK of the table: one C function each, the 0.1.0 expression's rule
SELECT is((SELECT string_agg(c.conname || ': ' || pg_get_constraintdef(c.oid), E'\n' ORDER BY c.conname)
             FROM pg_constraint c
            WHERE c.conrelid = 'hookreg.operation_runs'::regclass AND c.contype = 'c'),
          concat_ws(E'\n',
            'operation_runs_completed_at_check: CHECK (hookreg.opsrun_completed_at_fits_status(completed_at, status))',
            'operation_runs_context_check: CHECK (hookreg.opsrun_is_json_object(context))',
            'operation_runs_failure_summary_check: CHECK (hookreg.opsrun_is_json_array(failure_summary))',
            'operation_runs_identity_hash_check: CHECK (hookreg.opsrun_is_identity_hash(run_identity_hash))',
            'operation_runs_outcome_check: CHECK (hookreg.opsrun_is_outcome(outcome))',
            'operation_runs_outcome_pending_check: CHECK (hookreg.opsrun_outcome_fits_status(outcome, status))',
            'operation_runs_status_check: CHECK (hookreg.opsrun_is_status(status))',
            'operation_runs_summary_counts_check: CHECK (hookreg.opsrun_is_json_object(summary_counts))'),
          'the eight CHECKs of operation_runs, each a call of its C function');
SELECT is((SELECT count(*) FROM pg_constraint
            WHERE conrelid = 'hookreg.operation_runs'::regclass AND contype = 'c' AND NOT convalidated),
          0::bigint, 'all validated');

-- words: every status and outcome, their neighbours (case, padding, prefixes), NULL
CREATE TEMP TABLE word_cases (w text);
INSERT INTO word_cases
SELECT v FROM unnest(ARRAY['queued', 'running', 'completed', 'pending', 'succeeded', 'partially_succeeded',
                           'failed', 'cancelled', 'blocked']) b,
       LATERAL unnest(ARRAY[b, upper(b), initcap(b), b || ' ', ' ' || b, b || E'\n', left(b, -1),
                            b || 's', b || E'\u00e9', 'x' || b]) v
UNION ALL VALUES (''), ('partially'), ('succeeded_partially'), ('canceled'), (NULL);
SELECT is((SELECT count(*) FROM word_cases
            WHERE hookreg.opsrun_is_status(w) IS DISTINCT FROM (w = ANY (ARRAY['queued', 'running', 'completed']))),
          0::bigint, 'hookreg.opsrun_is_status accepts exactly what status = ANY (ARRAY[...]) accepted');
SELECT is((SELECT count(*) FROM word_cases
            WHERE hookreg.opsrun_is_outcome(w) IS DISTINCT FROM
                  (w = ANY (ARRAY['pending', 'succeeded', 'partially_succeeded', 'failed', 'cancelled', 'blocked']))),
          0::bigint, 'hookreg.opsrun_is_outcome accepts exactly what outcome = ANY (ARRAY[...]) accepted');
SELECT is((SELECT count(*) FROM word_cases o, word_cases s
            WHERE hookreg.opsrun_outcome_fits_status(o.w, s.w) IS DISTINCT FROM
                  ((o.w = 'pending') = (s.w <> 'completed'))),
          0::bigint, 'hookreg.opsrun_outcome_fits_status is (outcome = ''pending'') = (status <> ''completed'') on every pair');
SELECT is((SELECT count(*) FROM word_cases s, (VALUES (NULL::timestamptz), (now()), ('-infinity')) t(at)
            WHERE hookreg.opsrun_completed_at_fits_status(t.at, s.w) IS DISTINCT FROM
                  ((t.at IS NOT NULL) = (s.w = 'completed'))),
          0::bigint, 'hookreg.opsrun_completed_at_fits_status is (completed_at IS NOT NULL) = (status = ''completed'')');
CREATE TEMP TABLE json_cases (j jsonb);
INSERT INTO json_cases VALUES ('{}'), ('{"a": 1}'), ('[]'), ('[1, {}]'), ('1'), ('"x"'), ('"{}"'), ('null'),
    ('true'), ('[[]]'), ('{"a": []}'), (NULL),
    ((SELECT jsonb_object_agg('k' || g, g) FROM generate_series(1, 5000) g)),
    ((SELECT jsonb_agg(g) FROM generate_series(1, 5000) g));
SELECT is((SELECT count(*) FROM json_cases
            WHERE hookreg.opsrun_is_json_object(j) IS DISTINCT FROM (jsonb_typeof(j) = 'object')
               OR hookreg.opsrun_is_json_array(j) IS DISTINCT FROM (jsonb_typeof(j) = 'array')),
          0::bigint, 'opsrun_is_json_object / _array are jsonb_typeof(v) = ''object'' / ''array'' (scalars, nested, large, NULL)');

-- the owner writing rows that break each rule: 23514, naming the constraint
SELECT throws_ok($$INSERT INTO hookreg.operation_runs (workspace_id, tenant_id, initiator_name, type, run_identity_hash, status)
                   VALUES (9531, 9531, 'owner', 'assignments.fetch', repeat('d', 64), 'Queued')$$,
                 '23514', 'new row for relation "operation_runs" violates check constraint "operation_runs_status_check"',
                 'a status of another case: 23514, operation_runs_status_check');
SELECT throws_ok($$INSERT INTO hookreg.operation_runs (workspace_id, tenant_id, initiator_name, type, run_identity_hash, outcome, status, completed_at)
                   VALUES (9531, 9531, 'owner', 'assignments.fetch', repeat('d', 64), 'canceled', 'completed', now())$$,
                 '23514', 'new row for relation "operation_runs" violates check constraint "operation_runs_outcome_check"',
                 'an outcome not in the list: 23514, operation_runs_outcome_check');
SELECT throws_ok($$INSERT INTO hookreg.operation_runs (workspace_id, tenant_id, initiator_name, type, run_identity_hash, outcome)
                   VALUES (9531, 9531, 'owner', 'assignments.fetch', repeat('d', 64), 'failed')$$,
                 '23514', 'new row for relation "operation_runs" violates check constraint "operation_runs_outcome_pending_check"',
                 'a queued run with a terminal outcome: 23514, operation_runs_outcome_pending_check');
SELECT throws_ok($$INSERT INTO hookreg.operation_runs (workspace_id, tenant_id, initiator_name, type, run_identity_hash, completed_at)
                   VALUES (9531, 9531, 'owner', 'assignments.fetch', repeat('d', 64), now())$$,
                 '23514', 'new row for relation "operation_runs" violates check constraint "operation_runs_completed_at_check"',
                 'a queued run with a completion time: 23514, operation_runs_completed_at_check');
SELECT throws_ok($$INSERT INTO hookreg.operation_runs (workspace_id, tenant_id, initiator_name, type, run_identity_hash, summary_counts)
                   VALUES (9531, 9531, 'owner', 'assignments.fetch', repeat('d', 64), '[]')$$,
                 '23514', 'new row for relation "operation_runs" violates check constraint "operation_runs_summary_counts_check"',
                 'summary_counts an array: 23514, operation_runs_summary_counts_check');
SELECT throws_ok($$INSERT INTO hookreg.operation_runs (workspace_id, tenant_id, initiator_name, type, run_identity_hash, failure_summary)
                   VALUES (9531, 9531, 'owner', 'assignments.fetch', repeat('d', 64), '"[]"')$$,
                 '23514', 'new row for relation "operation_runs" violates check constraint "operation_runs_failure_summary_check"',
                 'failure_summary a string: 23514, operation_runs_failure_summary_check');
SELECT throws_ok($$UPDATE hookreg.operation_runs SET context = '[{}]' WHERE workspace_id = 9531$$,
                 '23514', 'new row for relation "operation_runs" violates check constraint "operation_runs_context_check"',
                 'the owner updating context to an array: 23514, operation_runs_context_check');
SELECT throws_ok($$COPY hookreg.operation_runs (workspace_id, tenant_id, initiator_name, type, run_identity_hash, status)
                   FROM PROGRAM 'printf "9531\t9531\towner\tassignments.fetch\t%s\tdone\n" $(printf "e%.0s" $(seq 64))'$$,
                 '23514', 'new row for relation "operation_runs" violates check constraint "operation_runs_status_check"',
                 'COPY (a restore) of a row with an unknown status: 23514');
SELECT lives_ok($$INSERT INTO hookreg.operation_runs (workspace_id, tenant_id, initiator_name, type, run_identity_hash,
                                                      status, outcome, completed_at, summary_counts, failure_summary, context)
                  VALUES (9531, 9531, 'owner', 'assignments.fetch', repeat('f', 64), 'completed', 'partially_succeeded', now(),
                          '{"total": 1}', '[{"code": "x"}]', '{"k": 1}')$$,
                'a valid completed row is accepted');

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
