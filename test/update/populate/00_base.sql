-- test/update/populate/00_base.sql: run at 0.1.0 through the 0.1.0 functions (psql,
-- ON_ERROR_STOP) in database upd of test/suites/update.sh: every kind of hookreg
-- data, so that the update must carry all of it. pg_cron is installed here.
-- Its first part is the data set of test/suites/dump_restore.sh, copied on
-- purpose: this file must keep running against the 0.1.0 functions for as
-- long as 0.1.0 has an update path, while dump_restore.sh follows the
-- current API.
SET client_min_messages = error;

-- Conventions and schemas (and a hook with a release) from a bundled deploy.
SELECT hookreg_deploy_convention($${
  "title": "Metabolomics LC-MS",
  "description": "Liquid chromatography mass spectrometry runs",
  "schema": {"id": "lcms", "version": "1.0.0",
             "definition": {"type": "object", "required": ["instrument"]}},
  "file_requirements": {"raw": {"min": 1, "patterns": ["*.mzML"]}},
  "source": {"repo": "https://git.example.org/conventions", "path": "lcms.json"},
  "hooks": [{"name": "peak_count",
             "feature": {"kind": "table", "cardinality": "one",
                         "columns": [{"name": "peaks", "json_type": "integer", "required": true},
                                     {"name": "meta", "json_type": "object", "required": false}]},
             "runtime": {"image": "registry.example.org/peaks", "digest": "sha256:1111111111111111111111111111111111111111111111111111111111111111",
                         "config": {"window": 5}, "limits": {"timeout_seconds": 600}},
             "source_ref": "git:conv-1"}]
}$$::jsonb);
-- A second deploy of another convention that shares the schema (its hook
-- entry repeats the first one's on purpose: one hook in two conventions).
SELECT hookreg_deploy_convention($${
  "title": "Metabolomics GC-MS", "description": "Gas chromatography",
  "schema": {"id": "lcms", "version": "1.0.0",
             "definition": {"type": "object", "required": ["instrument"]}},
  "file_requirements": {}, "source": null,
  "hooks": [{"name": "peak_count",
             "feature": {"kind": "table", "cardinality": "one",
                         "columns": [{"name": "peaks", "json_type": "integer", "required": true},
                                     {"name": "meta", "json_type": "object", "required": false}]},
             "runtime": {"image": "registry.example.org/peaks", "digest": "sha256:1111111111111111111111111111111111111111111111111111111111111111",
                         "config": {"window": 5}, "limits": {"timeout_seconds": 600}},
             "source_ref": "git:conv-1"}]
}$$::jsonb);

-- A hook with every column type, three releases, the live pointer moved back.
SELECT * FROM hookreg_register_hook('qc_metrics', $${"kind": "table", "cardinality": "many",
  "columns": [{"name": "label", "json_type": "string", "required": true},
              {"name": "measured_at", "json_type": "string", "format": "date-time", "required": false},
              {"name": "day", "json_type": "string", "format": "date", "required": false},
              {"name": "sample", "json_type": "string", "format": "uuid", "required": false},
              {"name": "score", "json_type": "number", "required": false},
              {"name": "n", "json_type": "integer", "required": false},
              {"name": "pass", "json_type": "boolean", "required": false},
              {"name": "tags", "json_type": "array", "required": false},
              {"name": "extra", "json_type": "object", "required": false}]}$$);
SELECT * FROM hookreg_create_release('qc_metrics', 'registry.example.org/qc', 'sha256:' || repeat('a', 64),
       '{"threshold": 0.5}', '{}', 'git:qc-1', 'ci-bot');
SELECT * FROM hookreg_create_release('qc_metrics', 'registry.example.org/qc', 'sha256:' || repeat('b', 64),
       '{"threshold": 0.7, "nested": {"z": [1, 2], "a": null}}', '{"memory": "2Gi", "cpu": 2}', 'git:qc-2');
SELECT * FROM hookreg_create_release('qc_metrics', 'registry.example.org/qc', 'sha512:' || repeat('c', 128),
       '{}', '{"timeout_seconds": 30}', 'git:qc-3');
SELECT * FROM hookreg_set_live('qc_metrics', 1);
-- A hook registered with no release at all.
SELECT * FROM hookreg_register_hook('empty_hook', '{"kind": "table", "cardinality": "one", "columns": []}');

-- Runs against several releases, and feature rows produced by them.
SELECT hookreg_record_run(r.id, 'passed', '2026-01-01 10:00+00', '2026-01-01 10:05+00', 0, 's3://logs/1',
                          NULL, hookreg_run_id('batch1:qc_metrics'))
  FROM hookreg.hook_releases r WHERE r.hook_name = 'qc_metrics' AND r.version = 1;
SELECT hookreg_record_run(r.id, 'warnings', '2026-01-02 10:00+00', '2026-01-02 10:00:01.5+00', 2, NULL,
                          NULL, hookreg_run_id('batch2:qc_metrics'))
  FROM hookreg.hook_releases r WHERE r.hook_name = 'qc_metrics' AND r.version = 2;
SELECT hookreg_record_run(r.id, 'failed', '2026-01-03 10:00+00', '2026-01-03 11:00+00', 0, 's3://logs/3',
                          42.25, hookreg_run_id('batch3:qc_metrics'))
  FROM hookreg.hook_releases r WHERE r.hook_name = 'qc_metrics' AND r.version = 3;
SELECT hookreg_record_run(r.id, 'error', '2026-01-04 10:00+00', '2026-01-04 10:00+00', 0, NULL,
                          NULL, hookreg_run_id('batch1:peak_count'))
  FROM hookreg.hook_releases r WHERE r.hook_name = 'peak_count';
INSERT INTO hookreg_features.qc_metrics (run_id, subject, label, measured_at, day, sample, score, n, pass, tags, extra)
VALUES (hookreg_run_id('batch1:qc_metrics'), 'rec-1', 'first', '2026-01-01 10:01:02.123456+00', '2026-01-01',
        'f47ac10b-58cc-4372-a567-0e02b2c3d479', 0.1, 9007199254740993, true, '[1, "two", null]', '{"k": {"v": 1}}'),
       (hookreg_run_id('batch1:qc_metrics'), 'rec-1', 'again', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
       (hookreg_run_id('batch2:qc_metrics'), 'rec-2', E'quote '' and \\ and tab\t', NULL, NULL, NULL,
        -1.5e300, -7, false, '[]', '{}');
INSERT INTO hookreg_features.peak_count (run_id, subject, peaks, meta)
VALUES (hookreg_run_id('batch1:peak_count'), 'rec-1', 12, '{"mode": "pos"}'),
       (hookreg_run_id('batch1:peak_count'), 'rec-2', 0, NULL);

-- The ledger: workspaces, tenants, a type of the user's, a re-registered
-- built-in type, and runs in every state.
INSERT INTO hookreg.workspaces (name) VALUES ('Lab A'), ('Lab B');
INSERT INTO hookreg.tenants (workspace_id, external_id, name)
VALUES (1, 'f47ac10b-58cc-4372-a567-0e02b2c3d479', 'tenant one'),
       (1, '9b2e6f3a-1c4d-4e5f-8a6b-7c8d9e0f1a2b', 'tenant two'),
       (2, '3fa85f64-5717-4562-b3fc-2c963f66afa6', NULL);
SELECT opsrun_register_type('billing.export', 'workspace', ARRAY['total', 'exported'],
                            '10 minutes', '30 minutes', '1 hour', 'Billing export');
SELECT opsrun_register_type('assignments.fetch', 'tenant', ARRAY['total', 'processed', 'items'],
                            '20 minutes', '2 hours', '3 hours', 'Fetch assignments (tuned)');
-- A run the reconciler finds stale (and the reconcile run it leaves).
SELECT opsrun_start(1, NULL, 'custom.stale_job', '{"n": 0}', 'cron');
SELECT * FROM opsrun_reconcile(now() + interval '1 day');
-- queued, running, and every terminal outcome
SELECT opsrun_start(1, 1, 'assignments.fetch', '{"page": 1}', 'alice', 7, '{"note": "queued one", "token": "dropped"}');
SELECT opsrun_claim(s.run_id) FROM opsrun_start(1, 2, 'assignments.restore', '{"page": 2}', 'bob') s;
SELECT opsrun_heartbeat((SELECT max(id) FROM hookreg.operation_runs WHERE status = 'running'),
                        '{"total": 10, "processed": 3}');
SELECT c.* FROM opsrun_start(1, 1, 'assignments.restore', '{"page": 3}') s,
       opsrun_complete(s.run_id, 'succeeded', '{"total": 5, "processed": 5}') c;
SELECT c.* FROM opsrun_start(1, 2, 'assignments.fetch', '{"page": 4}') s,
       opsrun_complete(s.run_id, 'partially_succeeded', '{"total": 5, "failed": 1}',
                       '[{"code": "Item.Missing", "message": "item 7 missing", "count": 1}]') c;
SELECT opsrun_fail(s.run_id, 'upstream.timeout', 'GET https://user:secret@api.example.org/x?token=abc timed out')
  FROM opsrun_start(2, 3, 'assignments.fetch', '{"page": 5}') s;
SELECT c.* FROM opsrun_start(1, NULL, 'billing.export', '{"month": "2026-01"}') s, opsrun_complete(s.run_id, 'cancelled') c;
SELECT c.* FROM opsrun_start(2, NULL, 'billing.export', '{"month": "2026-02"}') s, opsrun_complete(s.run_id, 'blocked') c;
SELECT opsrun_start(2, NULL, 'billing.export', '{"month": "2026-03"}', 'scheduler');

-- Reals and nested configs, as 0.1.0 printed them (17 significant digits) in
-- the canonical JSON behind release_digest.
SELECT * FROM hookreg_register_hook('probe_hook', '{"kind": "table", "cardinality": "many",
  "columns": [{"name": "value", "json_type": "number", "required": true}]}');
SELECT * FROM hookreg_create_release('probe_hook', 'registry.example.org/probe', 'sha256:' || repeat('d', 64),
       '{"probe": 1.4, "deep": {"b": [0.1, 2.5e-7, {"x": 12345.678}], "a": "tab\tand \u0001 control"}}',
       '{"cpu": 0.25}', 'git:probe-1', 'ci-bot');
SELECT * FROM hookreg_create_release('probe_hook', 'registry.example.org/probe', 'sha256:' || repeat('e', 64),
       '{"probe": 3}', '{"memory": "512m", "timeout_seconds": 86400}', 'git:probe-2');
SELECT * FROM hookreg_set_live('probe_hook', 1);
SELECT * FROM hookreg_set_live('probe_hook', 2);
SELECT hookreg_record_run(r.id, 'passed', '2026-02-01 10:00+00', '2026-02-01 10:00:02+00', 1, 's3://logs/p1',
                          NULL, hookreg_run_id('batch9:probe_hook'))
  FROM hookreg.hook_releases r WHERE r.hook_name = 'probe_hook' AND r.version = 1;
INSERT INTO hookreg_features.probe_hook (run_id, subject, value)
VALUES (hookreg_run_id('batch9:probe_hook'), 'rec-9', 1.4);

-- A failed and a succeeded run of a cooldown type, both inside the cooldown
-- (assignments.fetch was re-registered above with 20 minutes).
SELECT opsrun_fail(s.run_id, 'upstream.unavailable', 'HTTP 503 from upstream')
  FROM opsrun_start(1, 1, 'assignments.fetch', '{"page": 10}', 'carol') s;
SELECT c.run_id FROM opsrun_start(1, 1, 'assignments.fetch', '{"page": 11, "filter": {"since": 1.5}}', 'carol') s,
       opsrun_complete(s.run_id, 'succeeded', '{"total": 1}') c;

-- The pg_cron housekeeping job.
-- On a schedule that does not fire while the suite runs (03:00 on 29 February):
-- a pass between two snapshots would add rows to the ledger.
SELECT hookreg_schedule_housekeeping('0 3 29 2 *') > 0 AS scheduled;
