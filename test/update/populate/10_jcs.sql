-- test/update/populate/10_jcs.sql: run at 0.1.0 (see 00_base.sql). Releases
-- whose digests the update to RFC 8785 (JCS) must recompute, two that become
-- equal under JCS, one that 0.2.0 would refuse, and active runs whose identity
-- hash changes or stays. Checked by test/update/verify/10_jcs.sql.
SET client_min_messages = error;

SELECT * FROM hookreg_register_hook('jcs_update', '{"kind": "table", "cardinality": "many",
  "columns": [{"name": "v", "json_type": "number", "required": false}]}');
-- v1 and v2: distinct at 0.1.0 ("1.0" and "1"), one content under JCS.
SELECT * FROM hookreg_create_release('jcs_update', 'registry.example.org/jcs', 'sha256:' || repeat('1', 64),
       '{"a": 1.0}', '{}', 'git:jcs-1');
SELECT * FROM hookreg_create_release('jcs_update', 'registry.example.org/jcs', 'sha256:' || repeat('1', 64),
       '{"a": 1}', '{}', 'git:jcs-2');
-- v3: a real, printed 1.3999999999999999 by 0.1.0.
SELECT * FROM hookreg_create_release('jcs_update', 'registry.example.org/jcs', 'sha256:' || repeat('1', 64),
       '{"probe": 1.4}', '{}', 'git:jcs-3');
-- v4: more precision than a double: 0.2.0 refuses this content.
SELECT * FROM hookreg_create_release('jcs_update', 'registry.example.org/jcs', 'sha256:' || repeat('1', 64),
       '{"x": 0.10000000000000001}', '{}', 'git:jcs-4');
-- v5: a real cpu limit, stored by 0.1.0 as 0.40000000000000002.
SELECT * FROM hookreg_create_release('jcs_update', 'registry.example.org/jcs', 'sha256:' || repeat('1', 64),
       '{}', '{"cpu": 0.4}', 'git:jcs-5');
-- v6: a control character 0.1.0 escaped as \u001F, keys 0.1.0 sorted by UTF-8.
SELECT * FROM hookreg_create_release('jcs_update', 'registry.example.org/jcs', 'sha256:' || repeat('1', 64),
       '{"\ue000": 1, "\ud83d\ude00": 2, "s": "\u001f"}', '{}', 'git:jcs-6');
-- v7: integers and ASCII only: the same digest at 0.1.0 and 0.2.0.
SELECT * FROM hookreg_create_release('jcs_update', 'registry.example.org/jcs', 'sha256:' || repeat('1', 64),
       '{"n": 7, "name": "plain"}', '{"timeout_seconds": 60}', 'git:jcs-7');
-- The later release of the pair is live and has a run and a feature row.
SELECT * FROM hookreg_set_live('jcs_update', 2);
SELECT hookreg_record_run(r.id, 'passed', '2026-03-01 10:00+00', '2026-03-01 10:00:01+00', 0, NULL,
                          NULL, hookreg_run_id('jcs:v2'))
  FROM hookreg.hook_releases r WHERE r.hook_name = 'jcs_update' AND r.version = 2;
INSERT INTO hookreg_features.jcs_update (run_id, subject, v) VALUES (hookreg_run_id('jcs:v2'), 'rec-jcs', 1);

-- Active runs: the identity hash of the first changes (a real), of the second not.
SELECT opsrun_start(2, NULL, 'jcs.update_real', '{"n": 1.4}', 'jcs-populate');
SELECT opsrun_start(2, NULL, 'jcs.update_int', '{"n": 7}', 'jcs-populate');
