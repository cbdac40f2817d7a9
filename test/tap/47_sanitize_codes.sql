-- Failure codes and long messages as an ops writer would send them (issue 18
-- points 5 and 11, issue 14 point 5): a code that carries a secret is stored
-- as unknown_error, a message of any length is stored cut and sanitized.
-- Run as an unprivileged member of hookreg_ops_writer.
BEGIN;
SELECT plan(12);

INSERT INTO hookreg.workspaces (id, name) VALUES (9471, 'sanitize codes');
SELECT opsrun_register_type('sancode.sync', 'workspace', ARRAY['total']);
CREATE ROLE hr_san_ops IN ROLE hookreg_ops_writer;
SET ROLE hr_san_ops;

CREATE TEMP TABLE san_runs(code text, message text, run_id bigint);
INSERT INTO san_runs(code, message) VALUES
    ('dapi0123456789abcdef0123456789abcdef', 'databricks token as a code'),
    ('ghp_16C7e42F292c6912E7710c838347Ae178B4a', 'github token as a code'),
    ('db.password.hunter2', 'password as a code'),
    ('Sync.glpat-Xy7zQ2mN9pL4kR8vT1wB', 'gitlab token in a segment'),
    ('sync.timeout', repeat('x', 10 * 1024 * 1024)),
    ('sync.leak', repeat('a', 300) || ' password=hunter2 ' || repeat('token ', 2000000));

-- a run per case, each with its own identity
UPDATE san_runs r SET run_id = s.run_id
  FROM (SELECT code, (opsrun_start(9471, NULL, 'sancode.sync', jsonb_build_object('case', code))).run_id
          FROM san_runs) s
 WHERE s.code = r.code;
SELECT lives_ok($$SELECT opsrun_fail(run_id, code, message) FROM san_runs$$,
                'opsrun_fail accepts every code and a 10 MB and a 12 MB message');
RESET ROLE;

CREATE TEMP TABLE san_stored AS
SELECT s.code AS sent, e ->> 'code' AS code, e ->> 'message' AS message
  FROM san_runs s JOIN hookreg.operation_runs r ON r.id = s.run_id,
       jsonb_array_elements(r.failure_summary) e;
SELECT is((SELECT code FROM san_stored WHERE sent LIKE 'dapi%'), 'unknown_error',
          'a Databricks token sent as the code is stored as unknown_error');
SELECT is((SELECT code FROM san_stored WHERE sent LIKE 'ghp_%'), 'unknown_error',
          'a GitHub token sent as the code is stored as unknown_error');
SELECT is((SELECT code FROM san_stored WHERE sent = 'db.password.hunter2'), 'unknown_error',
          'db.password.hunter2 is stored as unknown_error');
SELECT is((SELECT code FROM san_stored WHERE sent LIKE 'Sync.glpat%'), 'unknown_error',
          'a code with a GitLab token in a segment is stored as unknown_error');
SELECT is_empty($$SELECT sent FROM san_stored, unnest(ARRAY['0123456789abcdef0123456789abcdef',
                   '16C7e42F292c6912E7710c838347Ae178B4a', '16c7e42f292c6912e7710c838347ae178b4a',
                   'hunter2', 'Xy7zQ2mN9pL4kR8vT1wB', 'xy7zq2mn9pl4kr8vt1wb']) x
                   WHERE strpos(code, x) > 0 OR strpos(message, x) > 0$$,
                'no piece of those secrets is stored, in any case');
SELECT is((SELECT code FROM san_stored WHERE sent = 'sync.timeout'), 'sync.timeout',
          'a plain code is kept');
SELECT is((SELECT length(message) FROM san_stored WHERE sent = 'sync.timeout'), 500,
          'a 10 MB message is stored cut to 500 characters');
SELECT is((SELECT message FROM san_stored WHERE sent = 'sync.leak'),
          opsrun_sanitize_message(left(repeat('a', 300) || ' password=hunter2 ' || repeat('token ', 2000000), 1000))
            ::varchar(500)::text,
          'a 12 MB message is stored sanitized, then cut');
SELECT is((SELECT count(*)::int FROM san_stored WHERE message LIKE '%hunter2%'), 0,
          'the password in the long message is not stored');

-- Through opsrun_complete's failure summary, the same.
SET ROLE hr_san_ops;
SELECT lives_ok($$SELECT opsrun_complete((opsrun_start(9471, NULL, 'sancode.sync', '{"case": "complete"}')).run_id,
                    'failed', '{"total": 1}',
                    '[{"code": "xoxb-123456789012-123456789012-AbCdEfGhIjKlMnOpQrStUvWx", "message": "slack"}]')$$,
                'opsrun_complete accepts a Slack token as a code');
RESET ROLE;
SELECT is((SELECT r.failure_summary -> 0 ->> 'code' FROM hookreg.operation_runs r
            WHERE r.run_identity_hash = opsrun_identity_hash(9471, NULL, 'sancode.sync', '{"case": "complete"}')),
          'unknown_error', 'a Slack token sent as a code through opsrun_complete is stored as unknown_error');

SELECT * FROM finish();
ROLLBACK;
