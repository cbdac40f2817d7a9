-- hooks phase: one feature row of hook k000001, naming a run of its own hook
\set s random(1, 1000000000)
INSERT INTO hookreg_features.k000001 (run_id, subject, score, label) VALUES (md5('hk/run/1')::uuid, 's' || :s::int, 0.5, 'x');
