-- test/update/populate/60_perf_release.sql: at 0.1.0, pointers the update's
-- hash index (src/update/hookreg--0.1.0--0.2.0/60_perf_release.sql) must
-- find: hooks of their own (perf_*), one with two releases and the pointer
-- moved back to the first, one with a release, one with none, so that no
-- other part's counts change.
SET client_min_messages = error;
SELECT count(*) FROM unnest(ARRAY['perf_a', 'perf_b', 'perf_none']) n,
       hookreg_register_hook(n, '{"kind": "table", "cardinality": "many", "columns": []}');
SELECT version FROM hookreg_create_release('perf_a', 'registry.example.org/perf', 'sha256:' || repeat('a', 64),
                                           '{"k": 1}', '{}', 'git:perf-a1');
SELECT version FROM hookreg_create_release('perf_a', 'registry.example.org/perf', 'sha256:' || repeat('b', 64),
                                           '{"k": 2}', '{}', 'git:perf-a2');
SELECT live_version FROM hookreg_set_live('perf_a', 1);
SELECT version FROM hookreg_create_release('perf_b', 'registry.example.org/perf', 'sha256:' || repeat('c', 64),
                                           '{}', '{"memory": "2g"}', 'git:perf-b1');
