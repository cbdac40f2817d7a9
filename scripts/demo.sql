-- hookreg demo: what the extension does so far. Run by scripts/demo.sh.
\pset footer off

-- The module and the installed extension carry one version.
SELECT hookreg_version() AS module_version,
       (SELECT extversion FROM pg_extension WHERE extname = 'hookreg') AS installed_version;

-- Convention slugs: lowercase, runs of other characters become one dash.
SELECT hookreg_slugify('Mass Spectrometry -- Proteomics (v2)') AS slug;

-- Tenants' external ids must be UUID version 4.
SELECT opsrun_is_uuid_v4('f47ac10b-58cc-4372-a567-0e02b2c3d479') AS v4,
       opsrun_is_uuid_v4('6ba7b810-9dad-11d1-80b4-00c04fd430c8') AS v1_is_v4;

-- Hook registry: a hook is a name plus its output contract (the feature
-- spec); registering creates its feature table hookreg_features.<name>.
SELECT * FROM hookreg_register_hook('demo_peaks', '{"kind": "table", "cardinality": "many",
  "columns": [{"name": "mz", "json_type": "number", "required": true},
              {"name": "intensity", "json_type": "number"},
              {"name": "seen_at", "json_type": "string", "format": "date-time"}]}');
-- Again with an equal spec (other order, defaults spelled out): created = false.
SELECT * FROM hookreg_register_hook('demo_peaks', '{"columns": [
  {"name": "mz", "json_type": "number", "required": true},
  {"name": "intensity", "json_type": "number", "required": false},
  {"name": "seen_at", "json_type": "string", "format": "date-time"}], "cardinality": "many", "kind": "table"}');
\d hookreg_features.demo_peaks
SELECT name, feature_table, live_version, release_count FROM hookreg.hook_catalog WHERE name = 'demo_peaks';

-- Releases, live pointer, runs and provenance.
SELECT hook_name, created FROM hookreg_register_hook('classifier',
  '{"kind": "table", "cardinality": "one",
    "columns": [{"name": "label", "json_type": "string", "required": true}]}');
SELECT version, created, live
  FROM hookreg_create_release('classifier', 'registry.example.org/hooks/classifier:1.0',
       'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
       config => '{"model": "small"}', source_ref => 'https://git.example.org/hooks/classifier@1a2b3c4');
SELECT version, created, live
  FROM hookreg_create_release('classifier', 'registry.example.org/hooks/classifier:1.1',
       'sha256:60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752',
       config => '{"model": "large"}', limits => '{"memory": "4g"}',
       source_ref => 'https://git.example.org/hooks/classifier@5d6e7f8');
-- Roll back to version 1, then record a run of what is live and a feature row.
SELECT hook_name, live_version, previous_version FROM hookreg_set_live('classifier', 1);
SELECT hookreg_record_run(release_id, 'passed', '2024-05-01 10:00:00+00', '2024-05-01 10:02:30+00',
                          run_id => hookreg_run_id('ingest-42:batch-7:classifier')) AS run_id
  FROM hookreg_resolve_live(ARRAY['classifier']);
INSERT INTO hookreg_features.classifier (run_id, subject, label)
VALUES (hookreg_run_id('ingest-42:batch-7:classifier'), 'record-17', 'E. coli');
-- Which release produced the row: version, digest, config, source.
SELECT f.subject, f.label, p.version, p.config, p.source_ref, p.status
  FROM hookreg_features.classifier f, hookreg_provenance(f.run_id) p;
SELECT reason, moved_by FROM hookreg.live_moves WHERE hook_name = 'classifier' ORDER BY id;

-- The bundled deploy: schema, hooks with their feature tables, first
-- releases and the convention, in one call and one transaction.
\set demo_spec '{"title": "Demo: Proteomics QC", "description": "One QC verdict per run.", "schema": {"id": "demo-proteomics", "version": "1.0.0", "definition": {"type": "object"}}, "file_requirements": {"accepted": [".mzML"]}, "source": null, "hooks": [{"name": "demo_qc", "feature": {"kind": "table", "cardinality": "one", "columns": [{"name": "passed", "json_type": "boolean", "required": true}]}, "runtime": {"image": "ghcr.io/example/qc", "digest": "sha256:60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752", "config": {"min_tic": 1000}}, "source_ref": "https://github.com/example/qc@d4e5f60"}]}'
SELECT r->>'slug' AS slug, r->'created' AS created,
       h->>'name' AS hook, h->'version' AS version, h->'created' AS release_created, h->'live' AS live
  FROM (SELECT hookreg_deploy_convention(:'demo_spec') AS r) d, jsonb_array_elements(r->'hooks') h;
-- The same deploy again mints nothing; a changed config mints version 2.
SELECT r->'created' AS created, h->'version' AS version, h->'created' AS release_created
  FROM (SELECT hookreg_deploy_convention(:'demo_spec') AS r) d, jsonb_array_elements(r->'hooks') h;
SELECT h->'version' AS version, h->'created' AS release_created, h->'live' AS live
  FROM (SELECT hookreg_deploy_convention(jsonb_set(:'demo_spec', '{hooks,0,runtime,config,min_tic}', '5000')) AS r) d,
       jsonb_array_elements(r->'hooks') h;
SELECT slug, title, schema_id || '@' || schema_version AS schema, hooks FROM hookreg.conventions;

-- Operation-run ledger: one active run per identity, whoever asks.
INSERT INTO hookreg.workspaces (name) VALUES ('Contoso') RETURNING id AS ws \gset
INSERT INTO hookreg.tenants (workspace_id, external_id, name)
VALUES (:ws, '0f8fad5b-d9cb-469f-a165-70867728950e', 'Contoso EU') RETURNING id AS tenant \gset
SELECT run_id, status, reused FROM opsrun_start(:ws, :tenant, 'assignments.fetch', '{"scope": "all"}',
       context => '{"source": "demo", "api_key": "dropped"}');
-- Key order does not matter: the same identity, the same run.
SELECT run_id AS run, status, reused FROM opsrun_start(:ws, :tenant, 'assignments.fetch', '{ "scope" : "all" }') \gset
SELECT :run AS run_id, :'status' AS status, :'reused' AS reused;
SELECT opsrun_claim(:run) AS first_claim, opsrun_claim(:run) AS second_claim;
SELECT status, outcome, summary_counts, failure_summary
  FROM opsrun_complete(:run, 'partially_succeeded', '{"total": 120, "processed": 120, "failed": 2}',
       '[{"code": "Graph.Throttled", "message": "429 from https://graph.microsoft.com/v1.0/users?access_token=eyJhbGciOi.eyJzdWIi.c2ln", "count": 2}]');
-- A run nobody finishes: the reconciler fails it (here with "now" a day ahead).
SELECT opsrun_claim(run_id) AS claimed FROM opsrun_start(:ws, NULL, 'demo.export');
SELECT workspace_id, stale_queued, stale_running FROM opsrun_reconcile(now() + interval '1 day');
SELECT type, status, outcome, failure_summary -> 0 ->> 'code' AS code, summary_counts
  FROM hookreg.operation_runs ORDER BY id;
-- pg_cron runs the reconciler every five minutes.
SELECT hookreg_schedule_housekeeping() IS NOT NULL AS scheduled;
SELECT jobname, schedule, command FROM cron.job WHERE jobname = 'hookreg-reconcile';

-- Sanitizing (doc/sanitizing.md): secrets and e-mail addresses become
-- [redacted]; failure summaries are merged; secret-looking context members are
-- dropped.
SELECT opsrun_sanitize_message(E'GET https://graph.microsoft.com/v1.0/me failed: 401\n'
       'Authorization: Bearer eyJ0eXAiOiJKV1QifQ.eyJhdWQiOiJncmFwaCJ9.c2ln user=jane.doe@contoso.com') AS sanitized;
SELECT opsrun_sanitize_failures('[{"code": "Graph.Throttled", "message": "429 from graph"},
                                  {"code": "graph.throttled", "message": "429  from graph", "count": 4}]') AS failures;
SELECT opsrun_sanitize_context('{"tenant": "contoso", "auth": {"clientSecret": "x", "scope": "User.Read"}}') AS context;
