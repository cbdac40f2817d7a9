-- Releases, the live pointer, runs and provenance (SPEC 2.2, 2.3), end to end.
--
-- Releases are immutable, so this file works in a database of its own and
-- drops it at the end: the other files never see its rows. Ids and times are
-- masked (compared, or shown as booleans).
CREATE DATABASE hookreg_releases_regress;
\c hookreg_releases_regress
SET client_min_messages = warning;
CREATE EXTENSION hookreg;
RESET client_min_messages;

-- A hook with its feature table hookreg_features.taxonomy (SPEC 2.4).
SELECT * FROM hookreg_register_hook('taxonomy',
    '{"kind": "table", "cardinality": "one",
      "columns": [{"name": "species", "json_type": "string", "required": true},
                  {"name": "score", "json_type": "number", "required": false}]}');

-- Before any release: nothing is live.
SELECT count(*) AS live_before FROM hookreg_live_at('taxonomy', now());
\set VERBOSITY default
SELECT * FROM hookreg_resolve_live(ARRAY['taxonomy']);

-- v1: created and live; the defaults of limits are filled in.
SELECT version, release_digest, created, live
  FROM hookreg_create_release('taxonomy', 'registry.example.org/hooks/taxonomy:1.0',
       'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
       config => '{"model": "silva-138", "threshold": 0.8}',
       source_ref => 'https://git.example.org/hooks/taxonomy@1a2b3c4');
SELECT clock_timestamp() AS t_v1 \gset
SELECT version, config, limits, source_ref, built_by = current_user AS built_by_caller
  FROM hookreg.hook_releases WHERE hook_name = 'taxonomy';

-- The same content again is the same release: nothing is written.
SELECT version, created, live
  FROM hookreg_create_release('taxonomy', 'registry.example.org/hooks/taxonomy:1.0',
       'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
       config => '{"threshold": 0.8, "model": "silva-138"}',
       limits => '{"timeout_seconds": 300}',
       source_ref => 'https://git.example.org/hooks/taxonomy@1a2b3c4');

-- v2: same image, changed config: a new release, and it goes live.
SELECT version, release_digest, created, live
  FROM hookreg_create_release('taxonomy', 'registry.example.org/hooks/taxonomy:1.0',
       'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
       config => '{"model": "silva-138", "threshold": 0.9}',
       limits => '{"memory": "2Gi", "cpu": 2}',
       source_ref => 'https://git.example.org/hooks/taxonomy@5d6e7f8');
SELECT clock_timestamp() AS t_v2 \gset
SELECT hook_name, version, image, config, limits FROM hookreg_resolve_live(ARRAY['taxonomy', 'taxonomy']);

-- Runs against each release, with run ids derived from the caller's keys.
SELECT hookreg_record_run(id, 'passed', '2024-05-01 10:00:00+00', '2024-05-01 10:02:30+00',
                          log_ref => 's3://logs/ingest-1/taxonomy', run_id => hookreg_run_id('ingest-1:taxonomy'))
       = hookreg_run_id('ingest-1:taxonomy') AS run1_recorded
  FROM hookreg.hook_releases WHERE hook_name = 'taxonomy' AND version = 1;
SELECT hookreg_record_run(id, 'warnings', '2024-05-02 10:00:00+00', '2024-05-02 10:01:00+00', 1,
                          's3://logs/ingest-2/taxonomy', run_id => hookreg_run_id('ingest-2:taxonomy'))
       = hookreg_run_id('ingest-2:taxonomy') AS run2_recorded
  FROM hookreg.hook_releases WHERE hook_name = 'taxonomy' AND version = 2;
-- A redelivered batch: identical fields, same id, nothing written.
SELECT hookreg_record_run(id, 'warnings', '2024-05-02 10:00:00+00', '2024-05-02 10:01:00+00', 1,
                          's3://logs/ingest-2/taxonomy', run_id => hookreg_run_id('ingest-2:taxonomy'))
       = hookreg_run_id('ingest-2:taxonomy') AS redelivered
  FROM hookreg.hook_releases WHERE hook_name = 'taxonomy' AND version = 2;
SELECT count(*) AS runs FROM hookreg.hook_runs;
-- The same run id with other fields is refused.
SELECT hookreg_record_run(id, 'failed', '2024-05-02 10:00:00+00', '2024-05-02 10:01:00+00', 1,
                          's3://logs/ingest-2/taxonomy', run_id => hookreg_run_id('ingest-2:taxonomy'))
  FROM hookreg.hook_releases WHERE hook_name = 'taxonomy' AND version = 2;

-- Feature rows carry the run id.
INSERT INTO hookreg_features.taxonomy (run_id, subject, species, score) VALUES
    (hookreg_run_id('ingest-1:taxonomy'), 'record-17', 'Escherichia coli', 0.93),
    (hookreg_run_id('ingest-2:taxonomy'), 'record-17', 'Escherichia coli', 0.97),
    (hookreg_run_id('ingest-2:taxonomy'), 'record-18', 'Bacillus subtilis', 0.88);

-- Roll back to v1.
SELECT hook_name, live_version, previous_version FROM hookreg_set_live('taxonomy', 1);
SELECT clock_timestamp() AS t_rollback \gset
SELECT live_version, previous_version FROM hookreg_set_live('taxonomy', 1);
SELECT hook_name, version, config FROM hookreg_resolve_live(ARRAY['taxonomy']);

-- Per-row provenance: one join per feature row leads to the exact release.
SELECT f.subject, f.species, r.status, rel.version, rel.digest, rel.config, rel.source_ref
  FROM hookreg_features.taxonomy f
  JOIN hookreg.hook_runs r ON r.id = f.run_id
  JOIN hookreg.hook_releases rel ON rel.id = r.release_id
 ORDER BY f.id;

-- The same through hookreg_provenance.
SELECT p.status, p.duration_s, p.oom_retries, p.hook_name, p.version, p.config, p.limits, p.source_ref
  FROM hookreg_features.taxonomy f, hookreg_provenance(f.run_id) p
 WHERE f.subject = 'record-18';
SELECT count(*) AS unknown_run_rows FROM hookreg_provenance('00000000-0000-4000-8000-000000000000');
SELECT log_ref FROM hookreg.hook_runs WHERE id = hookreg_run_id('ingest-1:taxonomy');

-- What was live when: before v1, during v1, during v2, after the rollback.
SELECT version, since = (SELECT min(moved_at) FROM hookreg.live_moves) AS since_first_move
  FROM hookreg_live_at('taxonomy', :'t_v1');
SELECT version FROM hookreg_live_at('taxonomy', :'t_v2');
SELECT version FROM hookreg_live_at('taxonomy', :'t_rollback');
SELECT count(*) AS rows_before_v1 FROM hookreg_live_at('taxonomy', '2000-01-01');

-- The history of the pointer.
SELECT m.reason, f.version AS from_version, t.version AS to_version, m.moved_by = current_user AS moved_by_caller
  FROM hookreg.live_moves m
  LEFT JOIN hookreg.hook_releases f ON f.id = m.from_release_id
  JOIN hookreg.hook_releases t ON t.id = m.to_release_id
 ORDER BY m.id;

-- Releases, runs and moves are append-only, even for a superuser.
UPDATE hookreg.hook_releases SET config = '{}';
DELETE FROM hookreg.hook_runs;
UPDATE hookreg.live_moves SET reason = 'release';

-- A dangling live pointer is refused at commit (the foreign key is deferred).
BEGIN;
UPDATE hookreg.live_pointers SET live_release_id = '00000000-0000-4000-8000-000000000000' WHERE hook_name = 'taxonomy';
SELECT 'still inside the transaction' AS deferred;
COMMIT;
-- ... and may point at a release inserted later in the same transaction.
BEGIN;
UPDATE hookreg.live_pointers SET live_release_id = '00000000-0000-4000-8000-0000000000aa', last_version = 3
 WHERE hook_name = 'taxonomy';
INSERT INTO hookreg.hook_releases (id, hook_name, version, image, digest, config, limits, release_digest, source_ref, built_by)
VALUES ('00000000-0000-4000-8000-0000000000aa', 'taxonomy', 3, 'i', 'sha256:' || repeat('0', 64), '{}', '{}',
        'sha256:manual', 'manual', 'manual');
COMMIT;
SELECT version FROM hookreg_resolve_live(ARRAY['taxonomy']);

-- Errors: what was wrong, with which input, and the fix.
SELECT * FROM hookreg_create_release('nosuch', 'i', 'sha256:' || repeat('0', 64), source_ref => 'x');
SELECT * FROM hookreg_create_release('taxonomy', 'i', 'sha256:' || repeat('0', 64));
SELECT * FROM hookreg_create_release('taxonomy', 'i', 'sha256:' || repeat('A', 64), source_ref => 'x');
SELECT * FROM hookreg_create_release('taxonomy', 'i', 'sha256:abc', source_ref => 'x');
SELECT * FROM hookreg_create_release('taxonomy', 'i', 'md5:d41d8cd98f00b204e9800998ecf8427e', source_ref => 'x');
SELECT * FROM hookreg_create_release('taxonomy', 'i', 'latest', source_ref => 'x');
SELECT * FROM hookreg_create_release('taxonomy', repeat('i', 513), 'sha256:' || repeat('0', 64), source_ref => 'x');
SELECT * FROM hookreg_create_release('taxonomy', 'i', 'sha256:' || repeat('0', 64), '[]', source_ref => 'x');
SELECT * FROM hookreg_create_release('taxonomy', 'i', 'sha256:' || repeat('0', 64),
       jsonb_build_object('blob', repeat('x', 66000)), source_ref => 'x');
SELECT * FROM hookreg_create_release('taxonomy', 'i', 'sha256:' || repeat('0', 64),
       (repeat('{"a":', 40) || '1' || repeat('}', 40))::jsonb, source_ref => 'x');
SELECT * FROM hookreg_create_release('taxonomy', 'i', 'sha256:' || repeat('0', 64),
       limits => '{"timeout_seconds": 300, "memmory": "1g"}', source_ref => 'x');
SELECT * FROM hookreg_create_release('taxonomy', 'i', 'sha256:' || repeat('0', 64),
       limits => '{"timeout_seconds": 0}', source_ref => 'x');
SELECT * FROM hookreg_create_release('taxonomy', 'i', 'sha256:' || repeat('0', 64),
       limits => '{"timeout_seconds": "300"}', source_ref => 'x');
SELECT * FROM hookreg_create_release('taxonomy', 'i', 'sha256:' || repeat('0', 64),
       limits => '{"memory": "lots"}', source_ref => 'x');
SELECT * FROM hookreg_create_release('taxonomy', 'i', 'sha256:' || repeat('0', 64),
       limits => '{"cpu": 0}', source_ref => 'x');
SELECT * FROM hookreg_set_live('taxonomy', 9);
SELECT * FROM hookreg_set_live('nosuch', 1);
SELECT * FROM hookreg_resolve_live(ARRAY['taxonomy', 'nosuch', 'other']);
SELECT hookreg_record_run(id, 'ok', now(), now()) FROM hookreg.hook_releases WHERE version = 1;
SELECT hookreg_record_run(id, 'passed', '2024-05-01 10:00:00+00', '2024-05-01 09:00:00+00') FROM hookreg.hook_releases WHERE version = 1;
SELECT hookreg_record_run(id, 'passed', now(), now(), -1) FROM hookreg.hook_releases WHERE version = 1;
SELECT hookreg_record_run('00000000-0000-4000-8000-000000000000', 'passed', now(), now());
SELECT * FROM hookreg_live_at('nosuch', now());

-- Nothing was half-written by the refused calls.
SELECT (SELECT count(*) FROM hookreg.hook_releases) AS releases,
       (SELECT count(*) FROM hookreg.hook_runs) AS runs,
       (SELECT count(*) FROM hookreg.live_moves) AS moves,
       (SELECT last_version FROM hookreg.live_pointers) AS last_version;

\c contrib_regression
DROP DATABASE hookreg_releases_regress;
