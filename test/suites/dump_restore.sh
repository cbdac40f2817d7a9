#!/usr/bin/env bash
# dump_restore.sh: pg_dump of a database holding every kind of hookreg data
# (test/update/populate/00_base.sql builds data of the same kinds with the
# 0.1.0 functions before an update, so the two repeat each other: one runs at
# 0.1.0, the other at the version under test)
# (registry with a rolled-back live pointer, runs, feature tables, conventions
# and schemas from a deploy, the ledger with runs in every state and a type of
# the user's) restores into fresh databases, in plain format with psql -f and in
# custom format with pg_restore, with identical rows, continuing sequences and
# working functions; DROP EXTENSION hookreg CASCADE + CREATE EXTENSION then
# leaves a clean install.
#
# Runs against the suite's cluster (PGHOST/PGPORT) in databases of its own,
# dropped at the end. Prints one "ok - ..." / "not ok - ..." line per check.
set -uo pipefail
source "$HR_ROOT/test/lib/cluster.sh"
hr_suite_init dump_restore

SRC=hr_dump_src PLAIN=hr_dump_plain CUSTOM=hr_dump_custom PARALLEL=hr_dump_parallel FRESH=hr_dump_fresh
SCH_SRC=hr_dump_schema_src SCH_DST=hr_dump_schema_dst
DBS=("$SRC" "$PLAIN" "$CUSTOM" "$PARALLEL" "$FRESH" "$SCH_SRC" "$SCH_DST")
W=$HR_SUITE_DIR

q() { hr_q "$@"; }  # q DB [psql args]: quiet, tuples only, unaligned, stops on the first error, bounded
ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; }
check() {  # check DESCRIPTION EXPECTED ACTUAL
    if [ "$2" = "$3" ]; then ok "$1"; else
        not_ok "$1"; printf '#   expected: %s\n#   actual:   %s\n' "$2" "$3"
    fi
}
check_empty_file() {  # check_empty_file DESCRIPTION FILE
    if [ ! -s "$2" ]; then ok "$1"; else not_ok "$1"; sed 's/^/#   /' "$2"; fi
}

hr_scratch_db "${DBS[@]}"   # dropped at exit

# ---------------------------------------------------------------- the data
if ! q "$SRC" -f - >"$W/populate.out" 2>&1 <<'SQL'
CREATE EXTENSION hookreg;
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
                            '10 minutes', '30 minutes', '1 hour', 'Billing export',
                            ARRAY['succeeded', 'partially_succeeded', 'cancelled']);
-- events on (hookreg.event_settings holds a row)
SELECT count(*) FROM hookreg_set_events(live_moves => true);
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
SQL
then
    not_ok "populate the source database"; sed 's/^/#   /' "$W/populate.out"
    exit 1
fi
ok "populate the source database with every kind of hookreg data"

# Every table of the extension and every feature table holds rows, so the
# comparisons below compare something.
empty=$(q "$SRC" <<'SQL'
SELECT format($$SELECT %L WHERE NOT EXISTS (SELECT FROM %s)$$, c.oid::regclass::text, c.oid::regclass)
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname IN ('hookreg', 'hookreg_features') AND c.relkind IN ('r', 'p')
   AND c.oid <> 'hookreg_features.empty_hook'::regclass  -- a hook never released has no rows
 ORDER BY 1
\gexec
SQL
)
check "every hookreg and feature table of the source holds rows (but the unreleased hook's)" "" "$(echo $empty)"
check "the source holds runs in every status and outcome" \
    "completed/blocked completed/cancelled completed/failed completed/partially_succeeded completed/succeeded queued/pending running/pending" \
    "$(q "$SRC" -c "SELECT string_agg(DISTINCT status || '/' || outcome, ' ' ORDER BY status || '/' || outcome) FROM hookreg.operation_runs")"
check "the source's live pointer was moved back to version 1" "1 3" \
    "$(q "$SRC" -c "SELECT live_version || ' ' || release_count FROM hookreg.hook_catalog WHERE name = 'qc_metrics'")"

# fingerprint DB: one line per table or view of hookreg and hookreg_features
# (row count and md5 of the rows' text in order) and per sequence (its state).
fingerprint() {
    q "$1" <<'SQL'
SET TimeZone = 'UTC';
SET extra_float_digits = 3;
SELECT format($$SELECT %L || ' ' || count(*) || ' ' || md5(coalesce(string_agg(t::text, E'\n' ORDER BY t::text), '')) FROM %s t$$,
              c.oid::regclass::text, c.oid::regclass)
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname IN ('hookreg', 'hookreg_features') AND c.relkind IN ('r', 'p', 'v', 'm')
   -- the operations views answer relative to now() and pg_cron (not dumped)
   AND c.oid::regclass::text NOT IN ('hookreg.active_runs', 'hookreg.recent_failures', 'hookreg.housekeeping_health',
                                     'hookreg.housekeeping_jobs', 'hookreg.registry_activity')
 ORDER BY c.oid::regclass::text
\gexec
SELECT format('sequence %I.%I last_value=%s', schemaname, sequencename, coalesce(last_value::text, 'unused'))
  FROM pg_sequences WHERE schemaname IN ('hookreg', 'hookreg_features') ORDER BY 1;
-- who owns each relation and who may do what with it
SELECT format('acl %s %s owner=%s %s', c.relkind, c.oid::regclass, pg_get_userbyid(c.relowner),
              (SELECT string_agg(a::text, ',' ORDER BY a::text) FROM unnest(c.relacl) a))
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname IN ('hookreg', 'hookreg_features') AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
 ORDER BY 1;
SELECT format('acl function %s %s', p.oid::regprocedure, (SELECT string_agg(a::text, ',' ORDER BY a::text) FROM unnest(p.proacl) a))
  FROM pg_proc p WHERE p.proname LIKE 'hookreg%' OR p.proname LIKE 'opsrun%' ORDER BY 1;
SQL
}
fingerprint "$SRC" >"$W/src.fp" 2>&1

compare_fp() {  # compare_fp LABEL DB
    fingerprint "$2" >"$W/$2.fp" 2>&1
    if diff -u "$W/src.fp" "$W/$2.fp" >"$W/$2.fpdiff"; then
        ok "$1: every hookreg table, view, feature table and sequence equals the source, rows, owners and privileges ($(wc -l <"$W/src.fp") lines)"
    else
        not_ok "$1: restored data differs from the source"; sed 's/^/#   /' "$W/$2.fpdiff"
    fi
}

# ---------------------------------------------------------------- dump
hr_timeout "$HR_BINDIR/pg_dump" -U postgres -d "$SRC" -Fp -f "$W/plain.sql" 2>"$W/dump_plain.err"
check "pg_dump (plain) exits 0" 0 $?
check_empty_file "pg_dump (plain) writes nothing to stderr (no circular foreign-key warning)" "$W/dump_plain.err"
hr_timeout "$HR_BINDIR/pg_dump" -U postgres -d "$SRC" -Fc -f "$W/custom.dump" 2>"$W/dump_custom.err"
check "pg_dump (custom) exits 0" 0 $?
check_empty_file "pg_dump (custom) writes nothing to stderr" "$W/dump_custom.err"
# Feature tables have no foreign key to hook_runs but a provenance trigger;
# pg_dump creates triggers after it loads the data, so restored rows are not
# checked again and the order of the tables does not matter.
copy_line=$(grep -n '^COPY hookreg_features.qc_metrics ' "$W/plain.sql" | cut -d: -f1)
trigger_line=$(grep -n '^CREATE TRIGGER "qc_metrics-run_id-check" ' "$W/plain.sql" | cut -d: -f1)
check "the plain dump creates a feature table's provenance trigger after loading its rows" "t" \
    "$([ -n "$copy_line" ] && [ -n "$trigger_line" ] && [ "$copy_line" -lt "$trigger_line" ] && echo t)"

# ---------------------------------------------------------------- restore
hr_timeout "$HR_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -U postgres -d "$PLAIN" -f "$W/plain.sql" \
    >"$W/restore_plain.out" 2>"$W/restore_plain.err"
check "psql -f of the plain dump exits 0" 0 $?
check_empty_file "psql -f of the plain dump writes nothing to stderr" "$W/restore_plain.err"
hr_timeout "$HR_BINDIR/pg_restore" -U postgres -d "$CUSTOM" --exit-on-error "$W/custom.dump" 2>"$W/restore_custom.err"
check "pg_restore of the custom dump exits 0" 0 $?
check_empty_file "pg_restore of the custom dump writes nothing to stderr" "$W/restore_custom.err"

# Parallel restore: pg_dump orders the data of extension tables by their
# foreign keys in the archive's order, but does not record that order as
# dependencies, so "pg_restore -j" may load a referencing extension table
# before the table it references. The recipe of doc/operations.md: schema and indexes in
# parallel, the data section alone.
hr_timeout "$HR_BINDIR/pg_restore" -U postgres -d "$PARALLEL" --exit-on-error -j 2 --section=pre-data "$W/custom.dump" 2>"$W/restore_parallel.err" &&
hr_timeout "$HR_BINDIR/pg_restore" -U postgres -d "$PARALLEL" --exit-on-error --section=data "$W/custom.dump" 2>>"$W/restore_parallel.err" &&
hr_timeout "$HR_BINDIR/pg_restore" -U postgres -d "$PARALLEL" --exit-on-error -j 2 --section=post-data "$W/custom.dump" 2>>"$W/restore_parallel.err"
check "pg_restore -j 2 of pre-data and post-data around a serial data section exits 0" 0 $?
check_empty_file "the sectioned parallel restore writes nothing to stderr" "$W/restore_parallel.err"

compare_fp "plain format" "$PLAIN"
compare_fp "custom format" "$CUSTOM"
compare_fp "custom format, sectioned parallel restore" "$PARALLEL"

# ---------------------------------------------------------------- after restore
# Each restored database must go on where the source stopped.
for db in "$PLAIN" "$CUSTOM"; do
    label="$db"
    old_move=$(q "$db" -c "SELECT max(id) FROM hookreg.live_moves")
    old_run=$(q "$db" -c "SELECT max(id) FROM hookreg.operation_runs")
    old_feature=$(q "$db" -c "SELECT max(id) FROM hookreg_features.qc_metrics")
    queued=$(q "$db" -c "SELECT id FROM hookreg.operation_runs WHERE status = 'queued' AND tenant_id = 1")
    running=$(q "$db" -c "SELECT id FROM hookreg.operation_runs WHERE status = 'running'")

    check "$label: a new release gets version 4 and goes live" "4 true true" \
        "$(q "$db" -c "SELECT version || ' ' || created || ' ' || live FROM hookreg_create_release('qc_metrics', 'registry.example.org/qc', 'sha256:' || repeat('d', 64), '{}', '{}', 'git:qc-4')")"
    check "$label: re-submitting a restored release mints nothing" "1 false" \
        "$(q "$db" -c "SELECT version || ' ' || created FROM hookreg_create_release('qc_metrics', 'registry.example.org/qc', 'sha256:' || repeat('a', 64), '{\"threshold\": 0.5}', '{}', 'git:qc-1')")"
    check "$label: the new live move gets an id above the restored ones" "t" \
        "$(q "$db" -c "SELECT count(*) = 1 FROM hookreg.live_moves WHERE id > $old_move AND to_release_id = (SELECT id FROM hookreg.hook_releases WHERE hook_name = 'qc_metrics' AND version = 4)")"
    check "$label: set_live rolls back to a restored release" "2 4" \
        "$(q "$db" -c "SELECT live_version || ' ' || previous_version FROM hookreg_set_live('qc_metrics', 2)")"
    check "$label: resolve_live reads restored releases" "peak_count 1 qc_metrics 2" \
        "$(q "$db" -c "SELECT string_agg(hook_name || ' ' || version, ' ' ORDER BY hook_name) FROM hookreg_resolve_live(ARRAY['qc_metrics', 'peak_count'])")"
    check "$label: provenance of a restored run" "warnings 2 registry.example.org/qc git:qc-2 0.7 2Gi" \
        "$(q "$db" -c "SELECT concat_ws(' ', status, version, image, source_ref, config->>'threshold', limits->>'memory') FROM hookreg_provenance(hookreg_run_id('batch2:qc_metrics'))")"
    check "$label: record_run of a restored run id with identical fields is idempotent" "true 4" \
        "$(q "$db" -c "SELECT (hookreg_record_run(r.id, 'passed', '2026-01-01 10:00+00', '2026-01-01 10:05+00', 0, 's3://logs/1', NULL, hookreg_run_id('batch1:qc_metrics')) = hookreg_run_id('batch1:qc_metrics')) || ' ' || (SELECT count(*) FROM hookreg.hook_runs) FROM hookreg.hook_releases r WHERE r.hook_name = 'qc_metrics' AND r.version = 1")"
    check "$label: live_at answers from restored moves" "3" \
        "$(q "$db" -c "SELECT version FROM hookreg_live_at('qc_metrics', (SELECT max(moved_at) FROM hookreg.live_moves WHERE reason = 'release' AND hook_name = 'qc_metrics' AND id <= $old_move))")"
    check "$label: a feature row gets an id above the restored ones" "t" \
        "$(q "$db" -c "INSERT INTO hookreg_features.qc_metrics (run_id, subject, label) VALUES (hookreg_run_id('batch3:qc_metrics'), 'rec-9', 'new') RETURNING id > $old_feature")"
    check "$label: a repeated deploy mints nothing" "false false" \
        "$(q "$db" -c "SELECT (r->>'created') || ' ' || (r->'hooks'->0->>'created') FROM hookreg_deploy_convention((SELECT jsonb_build_object('title', 'Metabolomics LC-MS', 'description', c.description, 'schema', jsonb_build_object('id', s.id, 'version', s.version, 'definition', s.definition), 'file_requirements', c.file_requirements, 'source', c.source, 'hooks', jsonb_build_array(jsonb_build_object('name', 'peak_count', 'feature', h.feature_spec, 'runtime', jsonb_build_object('image', r.image, 'digest', r.digest, 'config', r.config, 'limits', r.limits), 'source_ref', r.source_ref))) FROM hookreg.conventions c JOIN hookreg.schemas s ON (s.id, s.version) = (c.schema_id, c.schema_version) JOIN hookreg.hooks h ON h.name = 'peak_count' JOIN hookreg.hook_releases r ON r.hook_name = h.name WHERE c.slug = 'metabolomics-lc-ms')) AS r")"
    check "$label: opsrun_start dedupes against the restored queued run" "$queued true alice" \
        "$(q "$db" -c "SELECT s.run_id || ' ' || s.reused || ' ' || o.initiator_name FROM opsrun_start(1, 1, 'assignments.fetch', '{\"page\": 1}', 'mallory') s JOIN hookreg.operation_runs o ON o.id = s.run_id")"
    check "$label: the restored user type keeps its cooldown and cooldown_outcomes (a cancelled run is reused)" "t" \
        "$(q "$db" -c "SELECT reused FROM opsrun_start(1, NULL, 'billing.export', '{\"month\": \"2026-01\"}')")"
    check "$label: the re-registered built-in type keeps its restored settings" "00:20:00 {total,processed,items}" \
        "$(q "$db" -c "SELECT cooldown || ' ' || allowed_summary_keys::text FROM hookreg.operation_types WHERE type = 'assignments.fetch'")"
    check "$label: a restored queued run can be claimed" "t" "$(q "$db" -c "SELECT opsrun_claim($queued)")"
    check "$label: a restored running run can be completed" "completed succeeded" \
        "$(q "$db" -c "SELECT status || ' ' || outcome FROM opsrun_complete($running, 'succeeded', '{\"total\": 10}')")"
    check "$label: a new run gets an id above the restored ones" "true false" \
        "$(q "$db" -c "SELECT (run_id > $old_run) || ' ' || reused FROM opsrun_start(2, 3, 'assignments.fetch', '{\"page\": 99}')")"
    check "$label: a completed restored run stays terminal" "55000" \
        "$(q "$db" -c "DO \$\$BEGIN PERFORM opsrun_complete($running, 'failed'); EXCEPTION WHEN OTHERS THEN RAISE NOTICE '%', SQLSTATE; END\$\$" 2>&1 | sed -n 's/.*NOTICE: *//p')"
    check "$label: every restored feature table has its provenance trigger" "0" \
        "$(q "$db" -c "SELECT count(*) FROM hookreg.hooks h WHERE NOT EXISTS (SELECT FROM pg_trigger t WHERE t.tgrelid = h.feature_table AND t.tgname = h.name || '-run_id-check' AND t.tgfoid = 'hookreg.feature_run_check()'::regprocedure)")"
    check "$label: a restored feature table refuses a row naming another hook's run" "23503" \
        "$(q "$db" -c "DO \$\$BEGIN INSERT INTO hookreg_features.qc_metrics (run_id, subject, label) VALUES (hookreg_run_id('batch1:peak_count'), 'x', 'x'); EXCEPTION WHEN OTHERS THEN RAISE NOTICE '%', SQLSTATE; END\$\$" 2>&1 | sed -n 's/.*NOTICE: *//p')"
    check "$label: restored releases stay immutable" "55000" \
        "$(q "$db" -c "DO \$\$BEGIN DELETE FROM hookreg.hook_releases; EXCEPTION WHEN OTHERS THEN RAISE NOTICE '%', SQLSTATE; END\$\$" 2>&1 | sed -n 's/.*NOTICE: *//p')"
done

# ---------------------------------------------------------------- drop and re-create
# catalog DB: the extension's objects and data, to compare with a fresh install.
catalog() {
    q "$1" <<'SQL'
SELECT format('%s %s %s', n.nspname, c.relname, c.relkind)
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname IN ('hookreg', 'hookreg_features') ORDER BY 1;
SELECT format('type %s.%s', n.nspname, t.typname)
  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
 WHERE n.nspname IN ('hookreg', 'hookreg_features') ORDER BY 1;
SELECT format('function %s', p.oid::regprocedure) FROM pg_proc p
 WHERE p.proname LIKE 'hookreg%' OR p.proname LIKE 'opsrun%' ORDER BY 1;
SELECT format('schema %s', nspname) FROM pg_namespace WHERE nspname LIKE 'hookreg%' ORDER BY 1;
SELECT format('extension %s %s', extname, extversion) FROM pg_extension WHERE extname = 'hookreg';
SQL
    fingerprint "$1"
}
q "$FRESH" -c "CREATE EXTENSION hookreg"
catalog "$FRESH" >"$W/fresh.cat" 2>&1
for db in "$SRC" "$PLAIN"; do
    q "$db" -c "DROP EXTENSION hookreg CASCADE" >"$W/drop.out" 2>&1
    check "$db: DROP EXTENSION hookreg CASCADE succeeds" 0 $?
    check "$db: no table, type or schema of hookreg is left" "" \
        "$(q "$db" -c "SELECT string_agg(c.oid::regclass::text, ' ') FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname LIKE 'hookreg%'")$(q "$db" -c "SELECT string_agg(nspname, ' ') FROM pg_namespace WHERE nspname LIKE 'hookreg%'")$(q "$db" -c "SELECT string_agg(p.oid::regprocedure::text, ' ') FROM pg_proc p WHERE p.proname LIKE 'hookreg%' OR p.proname LIKE 'opsrun%'")"
    q "$db" -c "CREATE EXTENSION hookreg" >"$W/create.out" 2>&1
    check "$db: CREATE EXTENSION hookreg after the drop succeeds" 0 $?
    catalog "$db" >"$W/$db.cat" 2>&1
    if diff -u "$W/fresh.cat" "$W/$db.cat" >"$W/$db.catdiff"; then
        ok "$db: after drop and re-create, objects and rows equal a fresh install (no leftover feature table, schema or row)"
    else
        not_ok "$db: after drop and re-create, the install differs from a fresh one"; sed 's/^/#   /' "$W/$db.catdiff"
    fi
done
check "the hookreg roles outlive DROP EXTENSION" 6 \
    "$(q postgres -c "SELECT count(*) FROM pg_roles WHERE rolname IN ('hookreg_reader', 'hookreg_runner', 'hookreg_releaser', 'hookreg_deployer', 'hookreg_ops_writer', 'hookreg_admin')")"
check "a fresh install works after the re-create" "t 1" \
    "$(q "$PLAIN" -c "SELECT created FROM hookreg_register_hook('qc_metrics', '{\"kind\": \"table\", \"cardinality\": \"one\", \"columns\": []}')") $(q "$PLAIN" -c "SELECT count(*) FROM hookreg.hooks")"

# ---------------------------------------------------------------- another schema
# The functions may live in any schema (CREATE EXTENSION ... SCHEMA); the
# conventions' slug check calls hookreg_slugify there. A dump of such a
# database restores too.
if q "$SCH_SRC" >"$W/schema_src.out" 2>&1 <<'SQL'
CREATE SCHEMA hr_api;
CREATE EXTENSION hookreg SCHEMA hr_api;
SET search_path = hr_api;
SET client_min_messages = error;
SELECT hookreg_deploy_convention('{"title": "Schema test", "description": "d",
  "schema": {"id": "s", "version": "1", "definition": {}}, "file_requirements": {}, "source": null,
  "hooks": [{"name": "sch_hook", "feature": {"kind": "table", "cardinality": "one",
             "columns": [{"name": "v", "json_type": "number", "required": false}]},
             "runtime": {"image": "img", "digest": "sha256:2222222222222222222222222222222222222222222222222222222222222222",
                         "config": {}, "limits": {}}, "source_ref": "git:s"}]}');
SELECT hookreg_record_run(release_id, 'passed', '2026-01-01 00:00+00', '2026-01-01 00:00:01+00', 0, NULL, NULL,
                          hookreg_run_id('sch:1')) FROM hookreg_resolve_live(ARRAY['sch_hook']);
INSERT INTO hookreg_features.sch_hook (run_id, subject, v) VALUES (hookreg_run_id('sch:1'), 's1', 1.5);
INSERT INTO hookreg.workspaces (name) VALUES ('w');
SELECT run_id FROM opsrun_start(1, NULL, 'sch.job', '{}');
SQL
then ok "populate a database whose hookreg functions live in schema hr_api"
else not_ok "populate a database whose hookreg functions live in schema hr_api"; sed 's/^/#   /' "$W/schema_src.out"; fi
hr_timeout "$HR_BINDIR/pg_dump" -U postgres -d "$SCH_SRC" -Fp -f "$W/schema.sql" 2>"$W/schema_dump.err"
check_empty_file "pg_dump of it writes nothing to stderr" "$W/schema_dump.err"
hr_timeout "$HR_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -U postgres -d "$SCH_DST" -f "$W/schema.sql" >/dev/null 2>"$W/schema_restore.err"
check "psql -f of it exits 0" 0 $?
check_empty_file "psql -f of it writes nothing to stderr" "$W/schema_restore.err"
fingerprint "$SCH_SRC" >"$W/schema_src.fp" 2>&1
fingerprint "$SCH_DST" >"$W/schema_dst.fp" 2>&1
if diff -u "$W/schema_src.fp" "$W/schema_dst.fp" >"$W/schema.fpdiff"; then
    ok "schema hr_api: the restored data equals the source"
else
    not_ok "schema hr_api: the restored data differs from the source"; sed 's/^/#   /' "$W/schema.fpdiff"
fi
check "schema hr_api: the functions stay in their schema and work after the restore" "hr_api 2 true" \
    "$(q "$SCH_DST" -c "SELECT (SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'hookreg') || ' ' || version || ' ' || created FROM hr_api.hookreg_create_release('sch_hook', 'img', 'sha256:' || repeat('3', 64), '{}', '{}', 'git:s2')")"
check "schema hr_api: a redeploy after the restore is idempotent (the slug check finds hookreg_slugify)" "false" \
    "$(q "$SCH_DST" -c "SELECT hr_api.hookreg_deploy_convention('{\"title\": \"Schema test\", \"description\": \"d2\", \"schema\": {\"id\": \"s\", \"version\": \"1\", \"definition\": {}}, \"file_requirements\": {}, \"source\": null, \"hooks\": []}') ->> 'created'")"

# ---------------------------------------------------------------- the housekeeping job
# pg_cron runs in $HR_DB only: there, DROP EXTENSION hookreg also unschedules
# the job of hookreg_schedule_housekeeping (inside a transaction rolled back,
# so the suite's database keeps its extension).
check "DROP EXTENSION hookreg removes the housekeeping job; dropping another extension does not" "t 1 1 0" \
    "$(q "$HR_DB" 2>/dev/null <<'SQL' | tr '\n' ' ' | sed 's/ $//'
BEGIN;
SELECT hookreg_schedule_housekeeping('*/9 * * * *') IS NOT NULL;
SELECT count(*) FROM cron.job WHERE jobname = 'hookreg-reconcile';
DROP EXTENSION IF EXISTS hr_no_such_extension;
SELECT count(*) FROM cron.job WHERE jobname = 'hookreg-reconcile';
DROP EXTENSION hookreg CASCADE;
SELECT count(*) FROM cron.job WHERE jobname = 'hookreg-reconcile';
ROLLBACK;
SQL
)"
check "a rolled-back DROP EXTENSION keeps the housekeeping job" "1" \
    "$(q "$HR_DB" 2>/dev/null <<'SQL'
BEGIN;
SELECT hookreg_schedule_housekeeping('*/9 * * * *') IS NOT NULL AS scheduled \gset
SAVEPOINT before_drop;
DROP EXTENSION hookreg CASCADE;
ROLLBACK TO SAVEPOINT before_drop;
SELECT count(*) FROM cron.job WHERE jobname = 'hookreg-reconcile';
ROLLBACK;
SQL
)"
