-- Nothing silent or misleading: argument order of hookreg_create_release,
-- functions that see what earlier commands of their statement did.
BEGIN;
SELECT plan(12);

SELECT hookreg_register_hook('ops_order', '{"kind": "table", "cardinality": "many", "columns": []}');
INSERT INTO hookreg.workspaces (id, name) VALUES (9471, 'ops checks');
INSERT INTO hookreg.tenants (id, workspace_id, external_id)
     VALUES (9471, 9471, 'b3c1e2a4-5d6f-4a7b-8c9d-0e1f2a3b4c5d');

-- ---- hookreg_create_release: hook, image, digest, config, limits, source_ref
SELECT throws_ok($$SELECT hookreg_create_release('ops_nohook', NULL, NULL)$$, 'P0002',
                 'hook "ops_nohook" does not exist',
                 'an unknown hook with every other argument missing is reported as an unknown hook');
SELECT throws_ok($$SELECT hookreg_create_release('ops_nohook', '', 'sha256:xyz', '[]', '{"x": 1}')$$, 'P0002',
                 'hook "ops_nohook" does not exist',
                 'an unknown hook with a bad image, digest, config and limits and no source_ref: unknown hook');
SELECT throws_ok($$SELECT hookreg_create_release('ops_nohook', 'img', 'sha256:' || repeat('a', 64))$$, 'P0002',
                 'hook "ops_nohook" does not exist',
                 'an unknown hook without source_ref is reported as unknown, not as a missing source_ref');
SELECT throws_ok($$SELECT hookreg_create_release('ops_order', NULL, 'sha256:xyz')$$, '22023',
                 'image must not be null', 'a known hook: a NULL image before a bad digest');
SELECT throws_like($$SELECT hookreg_create_release('ops_order', 'img', 'sha256:xyz', '[]')$$,
                   '%digest%', 'a known hook: a bad digest before a bad config');
SELECT throws_like($$SELECT hookreg_create_release('ops_order', 'img', 'sha256:' || repeat('a', 64), '[]', '{"x": 1}')$$,
                   '%config%', 'a bad config before bad limits');
SELECT throws_like($$SELECT hookreg_create_release('ops_order', 'img', 'sha256:' || repeat('a', 64), '{}', '{"x": 1}')$$,
                   '%x%', 'bad limits before a missing source_ref');
SELECT throws_ok($$SELECT hookreg_create_release('ops_order', 'img', 'sha256:' || repeat('a', 64), '{}', '{}')$$,
                 '22023', 'source_ref is required', 'a missing source_ref last');
SELECT throws_ok($$SELECT hookreg_create_release('ops_order', 'img', 'sha256:' || repeat('a', 64), '{}', '{}', 'git@1', '')$$,
                 '22023', 'built_by must not be empty', 'an empty built_by after everything else');

-- ---- one statement: a later function sees what an earlier one did
SELECT throws_ok($$SELECT opsrun_heartbeat(s.run_id) FROM opsrun_start(9471, 9471, 'ops.same_statement', '{"n": 1}') s$$,
                 '55000', NULL,
                 'heartbeat of a run started earlier in the same statement: not running (not "does not exist")');
SELECT throws_like($$SELECT opsrun_heartbeat(s.run_id) FROM opsrun_start(9471, 9471, 'ops.same_statement', '{"n": 2}') s$$,
                   '%is queued, not running', 'the error says the run is queued');
SELECT is((SELECT opsrun_claim(s.run_id) FROM opsrun_start(9471, 9471, 'ops.same_statement', '{"n": 3}') s),
          true, 'claim of a run started earlier in the same statement claims it');

SELECT * FROM finish();
ROLLBACK;
