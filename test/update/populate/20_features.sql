-- test/update/populate/20_features.sql: feature tables at 0.1.0 (psql, run
-- through the 0.1.0 functions): rows in two tables, each naming runs of its own
-- hook, and one row that names a run of the other hook's release, which 0.1.0
-- (a foreign key to hook_runs only) accepted. test/update/verify/20_features.sql
-- checks what the update made of them.
SET client_min_messages = error;

SELECT * FROM hookreg_register_hook('fu_scores', $${"kind": "table", "cardinality": "one",
  "columns": [{"name": "score", "json_type": "number", "required": true},
              {"name": "note", "json_type": "string"},
              {"name": "select", "json_type": "boolean"}]}$$);
SELECT * FROM hookreg_register_hook('fu_spans', $${"kind": "table", "cardinality": "many",
  "columns": [{"name": "start", "json_type": "integer", "required": true}]}$$);

SELECT release_id AS fu_rel_scores1 FROM hookreg_create_release('fu_scores', 'registry.example.org/scores',
       'sha256:' || repeat('5', 64), '{"v": 1}', '{}', 'git:fu-1', NULL) \gset
SELECT release_id AS fu_rel_scores2 FROM hookreg_create_release('fu_scores', 'registry.example.org/scores',
       'sha256:' || repeat('6', 64), '{"v": 2}', '{}', 'git:fu-2', NULL) \gset
SELECT release_id AS fu_rel_spans FROM hookreg_create_release('fu_spans', 'registry.example.org/spans',
       'sha256:' || repeat('7', 64), '{}', '{}', 'git:fu-3', NULL) \gset

SELECT hookreg_record_run(:'fu_rel_scores1', 'passed', '2026-02-01 10:00+00', '2026-02-01 10:01+00',
                          0, NULL, NULL, hookreg_run_id('fu:scores1'));
SELECT hookreg_record_run(:'fu_rel_scores2', 'warnings', '2026-02-02 10:00+00', '2026-02-02 10:02+00',
                          0, NULL, NULL, hookreg_run_id('fu:scores2'));
SELECT hookreg_record_run(:'fu_rel_spans', 'passed', '2026-02-03 10:00+00', '2026-02-03 10:03+00',
                          0, NULL, NULL, hookreg_run_id('fu:spans'));

INSERT INTO hookreg_features.fu_scores (run_id, subject, score, note, "select")
VALUES (hookreg_run_id('fu:scores1'), 'rec-1', 0.5, 'first', true),
       (hookreg_run_id('fu:scores2'), 'rec-1', 0.75, NULL, false),
       (hookreg_run_id('fu:scores2'), 'rec-2', 1, 'second', NULL);
INSERT INTO hookreg_features.fu_spans (run_id, subject, start)
VALUES (hookreg_run_id('fu:spans'), 'rec-1', 10),
       (hookreg_run_id('fu:spans'), 'rec-1', 20);
-- 0.1.0 accepted a row naming another hook's run.
INSERT INTO hookreg_features.fu_scores (run_id, subject, score, note)
VALUES (hookreg_run_id('fu:spans'), 'rec-foreign', 9, 'names a run of fu_spans');
