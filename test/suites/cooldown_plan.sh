#!/usr/bin/env bash
# cooldown_plan.sh: the plans of the statements that read completed runs,
# as a backend's cached generic plan makes them on statistics taken before
# the table held any completed run (what a new install, or a ledger whose
# autovacuum has not run yet, gives). On such statistics every index of the
# completed runs looks empty, so the planner takes any index whose predicate
# the statement implies:
#   - opsrun_start's cooldown look-up is a direct probe of
#     operation_runs_completed_identity_idx (no plan: its only planned
#     statement is the insert), which reads the one entry in the cooldown and
#     nothing of the outcome index: as one SQL statement with the outcome
#     index's predicate "status = 'completed'" alone, its plan read every
#     completed run of the table at every start;
#   - opsrun_prune's batch, whose outcomes are a parameter, must still be
#     able to use operation_runs_completed_outcome_idx, and not the identity
#     index (predicate "... AND run_identity_hash IS NOT NULL", which the
#     batch does not imply) scanned whole for its completed_at condition;
#   - hookreg.recent_failures reads through it too (statistics up to date).
# Plans are read from auto_explain (nested statements) in the client's log.
set -uo pipefail
source "$HR_ROOT/test/lib/cluster.sh"
hr_suite_init cooldown_plan

db=hr_cooldown_plan
hr_scratch_db "$db"
q() { hr_q "$db" "$@"; }
q -c "CREATE EXTENSION hookreg" >/dev/null || { hr_not_ok "CREATE EXTENSION hookreg"; exit 1; }
# 20,000 queued runs, analyzed; then 20,000 runs of other identities
# completed a minute ago (inside the cooldown) and 100 a month ago, inserted
# after the statistics (autovacuum off: they stay stale)
q >/dev/null <<'SQL' || { hr_not_ok "setup"; exit 1; }
ALTER TABLE hookreg.operation_runs SET (autovacuum_enabled = off);
INSERT INTO hookreg.workspaces (name) VALUES ('plan');
INSERT INTO hookreg.tenants (workspace_id, external_id, name)
  SELECT id, gen_random_uuid(), 'plan tenant' FROM hookreg.workspaces WHERE name = 'plan';
SELECT opsrun_register_type('plan.job', 'tenant', ARRAY['total'], '15 minutes');
INSERT INTO hookreg.operation_runs (workspace_id, tenant_id, initiator_name, type, run_identity_hash)
  SELECT t.workspace_id, t.id, 'plan', 'plan.job', encode(sha256(convert_to('queued/' || g, 'UTF8')), 'hex')
    FROM hookreg.tenants t, generate_series(1, 20000) g WHERE t.name = 'plan tenant';
ANALYZE hookreg.operation_runs;
INSERT INTO hookreg.operation_runs (workspace_id, tenant_id, initiator_name, type, status, outcome,
                                    run_identity_hash, started_at, completed_at)
  SELECT t.workspace_id, t.id, 'plan', 'plan.job', 'completed', 'failed',
         encode(sha256(convert_to('plan/' || g, 'UTF8')), 'hex'), now() - a, now() - a
    FROM hookreg.tenants t, generate_series(1, 20100) g,
         LATERAL (SELECT CASE WHEN g > 20000 THEN interval '30 days' ELSE interval '1 minute' END) x(a)
   WHERE t.name = 'plan tenant';
SQL

# plans LOG: the auto_explain output of one session calling SQL
plans() {
    q 2>&1 >/dev/null <<SQL
LOAD 'auto_explain';
SET auto_explain.log_min_duration = 0;
SET auto_explain.log_nested_statements = on;
SET auto_explain.log_level = notice;
SET client_min_messages = notice;
SET plan_cache_mode = force_generic_plan;
$1
SQL
}
# plan_of TEXT MARK: the plan (up to the next log entry) of the statement whose text has MARK
plan_of() { awk -v m="$2" '/^NOTICE:/ { on = 0 } index($0, m) { on = 1 } on' <<<"$1"; }

# opsrun_start's look-ups are direct index probes (src/ledger_scan.c): four
# starts in one session (three new identities and the third again, a hit)
# plan one statement only, the insert, and its plan reads no index of
# completed runs
log=$(plans "SELECT count(*) FROM generate_series(1, 4) g,
    LATERAL (SELECT id FROM hookreg.tenants WHERE name = 'plan tenant') t,
    opsrun_start((SELECT id FROM hookreg.workspaces WHERE name = 'plan'), t.id, 'plan.job',
                 jsonb_build_object('n', least(g, 3)), NULL, NULL, '{}');")
inserts=$(grep -c 'Query Text: INSERT INTO hookreg.operation_runs AS r' <<<"$log")
# (the foreign keys' checks, SELECT ... FOR KEY SHARE OF x, run as the insert's triggers)
others=$(grep 'Query Text:' <<<"$log" | grep -v 'INSERT INTO hookreg.operation_runs AS r' \
    | grep -v 'FOR KEY SHARE OF x' | grep -vc 'generate_series')
start=$(plan_of "$log" "INSERT INTO hookreg.operation_runs AS r")
if [ "$inserts" = 3 ] && [ "$others" = 0 ] && ! grep -q 'operation_runs_completed_' <<<"$start"; then
    hr_ok "opsrun_start plans only its insert (three new runs, one hit: three inserts, no other statement), which reads no index of completed runs"
else
    hr_not_ok "opsrun_start plans only its insert: $inserts insert(s), $others other statement(s)"
    sed 's/^/#   /' <<<"$log" | grep -E 'Query Text|Scan|Cond|Filter' | head -20
fi

log=$(plans "SELECT opsrun_prune('7 days', '7 days', 100);")
prune=$(plan_of "$log" "WITH v AS")
if grep -q 'operation_runs_completed_outcome_idx' <<<"$prune"; then
    hr_ok "opsrun_prune's batch (outcomes a parameter, generic plan) can use operation_runs_completed_outcome_idx"
else
    hr_not_ok "opsrun_prune's batch (outcomes a parameter, generic plan) can use operation_runs_completed_outcome_idx"
    sed 's/^/#   /' <<<"${prune:-$log}" | grep -E 'Scan|Cond|Filter|NOTICE|ERROR' | head -20
fi
left=$(q -c "SELECT count(*) FROM hookreg.operation_runs WHERE status = 'completed'")
if [ "$left" = 20000 ]; then
    hr_ok "... and the batch deleted the 100 runs of a month ago (20,000 completed runs left)"
else
    hr_not_ok "... and the batch deleted the 100 runs of a month ago: $left completed runs left (expected 20000)"
fi

# the cooldown probe on these statistics (after the prune, which counts the completed runs): a run of a new identity completed
# succeeded, then started again in one transaction whose index counters
# (pg_stat_get_xact_*) show what the look-up read: the identity index, one
# entry; the outcome index, never (its plan on the old predicates read all
# 20,000 completed runs there)
probe=$(q <<'SQL'
SELECT opsrun_claim(s.run_id) FROM opsrun_start((SELECT id FROM hookreg.workspaces WHERE name = 'plan'),
    (SELECT id FROM hookreg.tenants WHERE name = 'plan tenant'), 'plan.job', '{"n": "cool"}') s \gset
SELECT run_id AS cool FROM opsrun_start((SELECT id FROM hookreg.workspaces WHERE name = 'plan'),
    (SELECT id FROM hookreg.tenants WHERE name = 'plan tenant'), 'plan.job', '{"n": "cool"}') \gset
SELECT count(*) FROM opsrun_complete(:cool, 'succeeded') \gset
BEGIN;
SELECT reused AND run_id = :cool AS hit FROM opsrun_start((SELECT id FROM hookreg.workspaces WHERE name = 'plan'),
    (SELECT id FROM hookreg.tenants WHERE name = 'plan tenant'), 'plan.job', '{"n": "cool"}') \gset
SELECT :'hit',
       pg_stat_get_xact_numscans('hookreg.operation_runs_completed_identity_idx'::regclass) > 0,
       pg_stat_get_xact_tuples_returned('hookreg.operation_runs_completed_identity_idx'::regclass),
       pg_stat_get_xact_numscans('hookreg.operation_runs_completed_outcome_idx'::regclass);
COMMIT;
SQL
)
if [ "$probe" = "t|t|1|0" ]; then
    hr_ok "opsrun_start's cooldown look-up on stale statistics: the run completed within the cooldown, read as one entry of operation_runs_completed_identity_idx, none of the outcome index"
else
    hr_not_ok "opsrun_start's cooldown look-up on stale statistics: got '$probe' (hit|identity scans|identity entries|outcome scans), expected t|t|1|0"
fi

q -c "ANALYZE hookreg.operation_runs" >/dev/null
view=$(q -c "EXPLAIN SELECT * FROM hookreg.recent_failures")
if grep -q 'operation_runs_completed_outcome_idx' <<<"$view"; then
    hr_ok "hookreg.recent_failures reads through operation_runs_completed_outcome_idx"
else
    hr_not_ok "hookreg.recent_failures reads through operation_runs_completed_outcome_idx"; sed 's/^/#   /' <<<"$view"
fi
