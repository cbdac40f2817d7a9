#!/usr/bin/env bash
# test/suites/replica.sh: reads on a hot standby (issue 6, point 6).
#
# Two throwaway clusters of its own: a primary holding hookreg data of every
# kind (hooks, releases, a rollback, runs with feature rows, a convention, the
# ledger with workspaces, tenants and runs in each state), and a standby made
# with pg_basebackup -R that streams from it over the primary's Unix socket.
# On the standby: the read functions and views give exactly what the primary
# gives, as a role that only has hookreg_reader; every writing function fails
# with PostgreSQL's read-only error (SQLSTATE 25006), even for hookreg_admin
# and the superuser; opsrun_reconcile() returns no rows there (while the same
# call on the primary does reconcile a stale run); and what the primary writes
# afterwards shows up on the standby.
set -uo pipefail
source "$HR_ROOT/test/lib/cluster.sh"
hr_suite_init replica

ppsql() { hr_cl_psql primary -d rep "$@"; }   # psql on the primary, database rep
spsql() { hr_cl_psql standby -d rep "$@"; }   # psql on the standby, database rep
ok() { echo "ok - $1"; }
notok() { echo "not ok - $1"; shift; [ $# -gt 0 ] && printf '%s\n' "$@" | sed 's/^/# /'; }

# ---- primary (initdb -A trust also trusts local replication connections)
hr_cl_init primary "
shared_preload_libraries = ''
wal_level = replica
max_wal_senders = 4
hot_standby = on"
hr_cl_start primary || { notok "the primary starts"; exit 1; }
p_sock=$(hr_cl_sock primary)

setup=$(ppsql -U postgres -d postgres -c 'CREATE DATABASE rep' 2>&1 && ppsql -U postgres 2>&1 <<'SQL'
CREATE EXTENSION hookreg;
CREATE ROLE rep_reader LOGIN IN ROLE hookreg_reader;
CREATE ROLE rep_admin LOGIN IN ROLE hookreg_admin;

-- registry: a hook with three releases, rolled back to version 2
SELECT created FROM hookreg_register_hook('rep_peaks',
    '{"kind":"table","cardinality":"many","columns":[{"name":"mz","json_type":"number","required":true}]}');
SELECT r.version FROM generate_series(1, 3) AS v,
  LATERAL hookreg_create_release('rep_peaks', 'registry.example/peaks',
    'sha256:' || repeat(v::text, 64), jsonb_build_object('snr', v), '{"memory": "2g"}',
    'git+https://example.org/peaks@v' || v) AS r;
SELECT live_version FROM hookreg_set_live('rep_peaks', 2);
-- a run of the live release, with feature rows
SELECT hookreg_record_run(l.release_id, 'passed', '2026-01-01 10:00+00', '2026-01-01 10:05+00',
                          run_id => hookreg_run_id('replica:run:1'))
  FROM hookreg_resolve_live(ARRAY['rep_peaks']) AS l;
INSERT INTO hookreg_features.rep_peaks (run_id, subject, mz)
SELECT hookreg_run_id('replica:run:1'), 'record-' || i, 100.5 + i FROM generate_series(1, 3) AS i;
-- a convention with a hook of its own
SELECT hookreg_deploy_convention('{"title": "Replica Convention", "description": "Read on a standby.",
  "schema": {"id": "replica-schema", "version": "1", "definition": {"type": "object"}},
  "file_requirements": {"min_files": 1}, "source": null,
  "hooks": [{"name": "rep_qc",
             "feature": {"kind": "table", "cardinality": "one",
                         "columns": [{"name": "passed", "json_type": "boolean", "required": true}]},
             "runtime": {"image": "registry.example/qc",
                         "digest": "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
             "source_ref": "git+https://example.org/qc@1"}]}') IS NOT NULL;
-- ledger: a workspace, a tenant, runs completed, running and queued, and a
-- type whose queued runs go stale after a second
INSERT INTO hookreg.workspaces (name) VALUES ('replica');
INSERT INTO hookreg.tenants (workspace_id, external_id, name)
SELECT id, 'a0f1e2d3-c4b5-4a69-8877-665544332211', 'replica tenant' FROM hookreg.workspaces WHERE name = 'replica';
SELECT w.id AS ws, t.id AS tn FROM hookreg.workspaces w JOIN hookreg.tenants t ON t.workspace_id = w.id
 WHERE w.name = 'replica' \gset
SELECT opsrun_register_type('rep.stale', 'tenant', ARRAY['total'], NULL, '1 second', '1 second', 'goes stale');
SELECT run_id FROM opsrun_start(:ws, :tn, 'assignments.fetch', '{"n": 1}');
SELECT opsrun_claim(1);
SELECT status FROM opsrun_complete(1, 'succeeded', '{"total": 3, "processed": 3}');
SELECT run_id FROM opsrun_start(:ws, :tn, 'assignments.restore', '{"n": 2}');
SELECT opsrun_claim(2);
SELECT run_id FROM opsrun_start(:ws, :tn, 'rep.stale', '{"n": 3}');
SQL
)
if [ $? -eq 0 ]; then
    ok "primary holds registry, convention, feature and ledger data"
else
    notok "primary holds registry, convention, feature and ledger data" "$setup"
    exit 1
fi

# ---- standby: a base backup with -R (standby.signal, primary_conninfo with
# host=<socket directory>), then its own port and socket
if ! hr_cl_standby standby primary 2>"$HR_SUITE_DIR/basebackup.err"; then
    notok "pg_basebackup -R over the Unix socket" "$(cat "$HR_SUITE_DIR/basebackup.err")"
    exit 1
fi
ok "pg_basebackup -R over the Unix socket"
hr_cl_start standby || { notok "the standby starts"; exit 1; }
s_data=$(hr_cl_data standby)

if [ "$(spsql -U postgres -c 'SELECT pg_is_in_recovery()')" = t ]; then
    ok "the standby is in recovery (hot standby)"
else
    notok "the standby is in recovery (hot standby)"
fi

# wait_replay: until the standby has replayed everything the primary wrote
wait_replay() {
    local target n
    target=$(ppsql -U postgres -c 'SELECT pg_current_wal_lsn()')
    for n in $(seq 1 300); do
        [ "$(spsql -U postgres -c "SELECT pg_last_wal_replay_lsn() >= '$target'::pg_lsn")" = t ] && return 0
        sleep 0.2
    done
    return 1
}
if wait_replay; then ok "the standby caught up with the primary"; else notok "the standby caught up with the primary"; fi
streaming=""
for n in $(seq 1 100); do
    streaming=$(ppsql -U postgres -c "SELECT state FROM pg_stat_replication")
    [ "$streaming" = streaming ] && break
    sleep 0.2
done
if grep -q "host=''$p_sock''" "$s_data/postgresql.auto.conf" && [ "$streaming" = streaming ]; then
    ok "the standby streams from the primary over its Unix socket"
else
    notok "the standby streams from the primary over its Unix socket" "state: $streaming" \
        "$(grep primary_conninfo "$s_data/postgresql.auto.conf")"
fi

# same NAME SQL: the query gives the same non-empty rows on both, as rep_reader
same() {
    local name=$1 sql=$2 p s
    p=$(ppsql -U rep_reader -c "$sql" 2>&1)
    s=$(spsql -U rep_reader -c "$sql" 2>&1)
    if [ -n "$s" ] && [ "$p" = "$s" ] && ! grep -q 'ERROR' <<<"$s"; then
        ok "standby, as a hookreg_reader: $name ($(wc -l <<<"$s") rows, equal to the primary's)"
    else
        notok "standby, as a hookreg_reader: $name" "primary:" "$p" "standby:" "$s"
    fi
}

same "hookreg_resolve_live" \
    "SELECT * FROM hookreg_resolve_live(ARRAY['rep_qc', 'rep_peaks'])"
same "hookreg_resolve_live gives the rolled-back version" \
    "SELECT version FROM hookreg_resolve_live(ARRAY['rep_peaks']) WHERE version = 2"
same "hookreg_provenance" \
    "SELECT * FROM hookreg_provenance(hookreg_run_id('replica:run:1'))"
same "hookreg_live_at (now, and before the first release)" \
    "SELECT 'now', version FROM hookreg_live_at('rep_peaks', now())
     UNION ALL SELECT 'before', count(*)::int FROM hookreg_live_at('rep_peaks', '2000-01-01')"
same "feature rows lead to their release by foreign keys" \
    "SELECT f.subject, f.mz, p.hook_name, p.version, p.digest, p.source_ref
       FROM hookreg_features.rep_peaks f, hookreg_provenance(f.run_id) p ORDER BY f.subject"
same "view hookreg.hook_catalog" "SELECT * FROM hookreg.hook_catalog"
same "view hookreg.release_history" "SELECT * FROM hookreg.release_history ORDER BY hook_name, version"
same "hookreg.live_moves" "SELECT * FROM hookreg.live_moves ORDER BY id"
same "hookreg.conventions and hookreg.schemas" \
    "SELECT c.slug, c.title, c.hooks, s.definition FROM hookreg.conventions c
       JOIN hookreg.schemas s ON s.id = c.schema_id AND s.version = c.schema_version"
same "ledger: hookreg.operation_runs" "SELECT * FROM hookreg.operation_runs ORDER BY id"
same "ledger: hookreg.operation_types, workspaces, tenants" \
    "SELECT type, scope, queued_timeout FROM hookreg.operation_types ORDER BY type;
     SELECT w.name, t.external_id FROM hookreg.workspaces w JOIN hookreg.tenants t ON t.workspace_id = w.id"
same "pure functions (run id, identity hash, sanitizing, slug)" \
    "SELECT hookreg_run_id('x'), opsrun_identity_hash(1, 1, 'a.b', '{\"b\": 1, \"a\": 2}'),
            opsrun_sanitize_message('password=hunter2 at x'), hookreg_slugify('Replica Reads')"

# ---- writes: PostgreSQL's read-only error, SQLSTATE 25006
readonly_error() {  # readonly_error ROLE WHAT SQL
    local role=$1 what=$2 sql=$3 out
    out=$(spsql -U "$role" -c '\set VERBOSITY sqlstate' -c "$sql" 2>&1)
    if grep -qx 'ERROR:  25006' <<<"$out"; then
        ok "standby: $what fails with 25006 (read-only) for $role"
    else
        notok "standby: $what fails with 25006 (read-only) for $role" "$out" \
            "$(spsql -U "$role" -c '\set VERBOSITY verbose' -c "$sql" 2>&1)"
    fi
}
for role in rep_admin postgres; do
    readonly_error "$role" "hookreg_create_release" \
        "SELECT * FROM hookreg_create_release('rep_peaks', 'registry.example/peaks', 'sha256:$(printf 'e%.0s' {1..64})', '{}', '{}', 'git+x')"
    readonly_error "$role" "hookreg_set_live" "SELECT * FROM hookreg_set_live('rep_peaks', 3)"
    readonly_error "$role" "hookreg_record_run" \
        "SELECT hookreg_record_run(release_id, 'passed', now(), now()) FROM hookreg_resolve_live(ARRAY['rep_peaks'])"
    readonly_error "$role" "hookreg_register_hook" \
        "SELECT * FROM hookreg_register_hook('rep_new', '{\"kind\":\"table\",\"cardinality\":\"one\",\"columns\":[]}')"
    readonly_error "$role" "opsrun_start" \
        "SELECT * FROM opsrun_start(1, 1, 'assignments.fetch', '{\"n\": 99}')"
    readonly_error "$role" "opsrun_claim" "SELECT opsrun_claim(3)"
    readonly_error "$role" "opsrun_complete" "SELECT * FROM opsrun_complete(2, 'succeeded')"
    readonly_error "$role" "opsrun_heartbeat" "SELECT opsrun_heartbeat(2)"
    readonly_error "$role" "opsrun_fail" "SELECT opsrun_fail(2, 'worker.lost', 'gone')"
done
readonly_error rep_admin "hookreg_deploy_convention" \
    "SELECT hookreg_deploy_convention('{\"title\": \"Replica Write\", \"description\": \"Refused.\",
      \"schema\": {\"id\": \"replica-write\", \"version\": \"1\", \"definition\": {}},
      \"file_requirements\": {}, \"source\": null, \"hooks\": []}')"
readonly_error rep_admin "opsrun_prune" "SELECT opsrun_prune('0 seconds')"
readonly_error rep_admin "opsrun_register_type" "SELECT opsrun_register_type('rep.other', 'tenant', ARRAY['total'])"
readonly_error postgres "a direct INSERT into hookreg.workspaces" "INSERT INTO hookreg.workspaces (name) VALUES ('x')"

# ---- opsrun_reconcile: no rows on the standby, even with a stale run there
stale_sql="SELECT count(*) FROM hookreg.operation_runs WHERE type = 'rep.stale' AND status = 'queued'"
out=$(spsql -U rep_admin -c "SELECT count(*) FROM opsrun_reconcile(now() + interval '1 day')" 2>&1)
if [ "$out" = 0 ] && [ "$(spsql -U rep_admin -c "$stale_sql")" = 1 ]; then
    ok "standby: opsrun_reconcile() returns no rows and changes nothing (a stale run is there)"
else
    notok "standby: opsrun_reconcile() returns no rows and changes nothing" "$out"
fi
out=$(spsql -U rep_admin -c "SELECT count(*) FROM opsrun_reconcile()" 2>&1)
[ "$out" = 0 ] && ok "standby: opsrun_reconcile() with its default argument returns no rows" \
    || notok "standby: opsrun_reconcile() with its default argument returns no rows" "$out"

# The same call on the primary does reconcile, and the standby then sees it.
out=$(ppsql -U rep_admin -c "SELECT sum(stale_queued) FROM opsrun_reconcile(now() + interval '1 day')" 2>&1)
if [ "$out" -ge 1 ] 2>/dev/null; then
    ok "primary: the same opsrun_reconcile() call completes the stale run"
else
    notok "primary: the same opsrun_reconcile() call completes the stale run" "$out"
fi

# ---- what the primary writes later reaches the standby
ppsql -U postgres -c "SELECT version FROM hookreg_create_release('rep_peaks', 'registry.example/peaks',
    'sha256:' || repeat('f', 64), '{}', '{}', 'git+https://example.org/peaks@v4')" >/dev/null
wait_replay
same "a release and a reconcile made on the primary afterwards" \
    "SELECT version FROM hookreg_resolve_live(ARRAY['rep_peaks']);
     SELECT status, outcome, failure_summary->0->>'code' FROM hookreg.operation_runs WHERE type = 'rep.stale'"
if [ "$(spsql -U rep_reader -c "SELECT version FROM hookreg_resolve_live(ARRAY['rep_peaks'])")" = 4 ] && \
   [ "$(spsql -U rep_reader -c "$stale_sql")" = 0 ]; then
    ok "the standby serves the new live version 4 and the reconciled run"
else
    notok "the standby serves the new live version 4 and the reconciled run"
fi
exit 0
