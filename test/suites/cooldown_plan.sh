#!/usr/bin/env bash
# cooldown_plan.sh: the plans of the statements that read completed runs,
# as a backend's cached generic plan makes them on statistics taken before
# the table held any completed run (what a new install, or a ledger whose
# autovacuum has not run yet, gives). On such statistics every index of the
# completed runs looks empty, so the planner takes any index whose predicate
# the statement implies:
#   - opsrun_start's cooldown look-up must probe
#     operation_runs_completed_identity_idx; the outcome index (predicate
#     "status = 'completed' AND outcome IS NOT NULL", which the look-up does
#     not imply) must not fit it: with "status = 'completed'" alone, the plan
#     read every completed run of the table at every start;
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

log=$(plans "SELECT count(*) FROM generate_series(1, 3) g,
    LATERAL (SELECT id FROM hookreg.tenants WHERE name = 'plan tenant') t,
    opsrun_start((SELECT id FROM hookreg.workspaces WHERE name = 'plan'), t.id, 'plan.job',
                 jsonb_build_object('n', g), NULL, NULL, '{}');")
start=$(plan_of "$log" "WITH ot AS")
if [ -z "$start" ]; then
    hr_not_ok "auto_explain logged opsrun_start's statement"; sed 's/^/#   /' <<<"$log" | head -20
elif grep -q 'operation_runs_completed_identity_idx' <<<"$start" && ! grep -q 'operation_runs_completed_outcome_idx' <<<"$start"; then
    hr_ok "opsrun_start's cooldown look-up probes operation_runs_completed_identity_idx on stale statistics"
else
    hr_not_ok "opsrun_start's cooldown look-up probes operation_runs_completed_identity_idx on stale statistics"
    sed 's/^/#   /' <<<"$start" | grep -E 'Scan|Cond|Filter' | head -20
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

q -c "ANALYZE hookreg.operation_runs" >/dev/null
view=$(q -c "EXPLAIN SELECT * FROM hookreg.recent_failures")
if grep -q 'operation_runs_completed_outcome_idx' <<<"$view"; then
    hr_ok "hookreg.recent_failures reads through operation_runs_completed_outcome_idx"
else
    hr_not_ok "hookreg.recent_failures reads through operation_runs_completed_outcome_idx"; sed 's/^/#   /' <<<"$view"
fi
