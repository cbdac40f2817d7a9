#!/usr/bin/env bash
# pg_cron for real: hookreg_schedule_housekeeping() registers the job
# hookreg-reconcile, scheduling again updates that one job, and pg_cron itself
# runs opsrun_reconcile(), which fails a stale running run with
# run.stale_running. pg_cron 1.4 schedules by the minute, so the end-to-end
# wait is bounded at two minutes.
set -uo pipefail
source "$HR_ROOT/test/lib/cluster.sh"
hr_suite_init pg_cron

db=${HR_DB:-hookreg_test}
q() { hr_q "$db" -c "$1"; }
check() {  # check DESCRIPTION ACTUAL EXPECTED
    if [ "$2" = "$3" ]; then echo "ok - $1"; else echo "not ok - $1 (got '$2', want '$3')"; fi
}

cleanup() {
    q "SELECT cron.unschedule(jobid) FROM cron.job WHERE jobname IN ('hookreg-reconcile', 'hookreg-prune')" >/dev/null 2>&1
    q "DELETE FROM hookreg.operation_runs WHERE workspace_id = 9701;
       DELETE FROM hookreg.workspaces WHERE id = 9701;
       DELETE FROM hookreg.operation_types WHERE type = 'suite.quick'" >/dev/null 2>&1
}
hr_on_exit cleanup
cleanup

schema=$(q "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'hookreg'")

# A running run of a type with a one-second running_timeout, then silence.
q "INSERT INTO hookreg.workspaces (id, name) VALUES (9701, 'pg_cron suite')"
q "SELECT opsrun_register_type('suite.quick', 'workspace', ARRAY['total'], NULL, '1 minute', '1 second')"
run=$(q "SELECT run_id FROM opsrun_start(9701, NULL, 'suite.quick', '{\"suite\": \"pg_cron\"}')")
check "the run is claimed" "$(q "SELECT opsrun_claim($run)")" "t"

jobid=$(q "SELECT hookreg_schedule_housekeeping()")
check "hookreg_schedule_housekeeping() returns a job id" "$([ -n "$jobid" ] && echo yes)" "yes"
check "the job is in cron.job with the default schedule and the entry point in schema hookreg" \
    "$(q "SELECT jobname || '|' || schedule || '|' || command || '|' || active FROM cron.job WHERE jobid = $jobid")" \
    "hookreg-reconcile|*/5 * * * *|SELECT * FROM hookreg.reconcile_job()|true"
check "the job runs in this database" "$(q "SELECT database FROM cron.job WHERE jobid = $jobid")" "$db"

again=$(q "SELECT hookreg_schedule_housekeeping('* * * * *')")
check "scheduling again returns the same job" "$again" "$jobid"
check "scheduling again updates the one job instead of adding one" \
    "$(q "SELECT count(*) || '|' || min(schedule) FROM cron.job WHERE jobname = 'hookreg-reconcile'")" "1|* * * * *"

# pg_cron starts the job at the next minute; wait for the run to be failed.
state=""
for _ in $(seq 1 120); do
    state=$(q "SELECT status || '/' || outcome || '/' || coalesce(failure_summary -> 0 ->> 'code', '')
                 FROM hookreg.operation_runs WHERE id = $run")
    [ "$state" = "completed/failed/run.stale_running" ] && break
    sleep 1
done
check "pg_cron ran opsrun_reconcile(): the stale running run is completed/failed with run.stale_running" \
    "$state" "completed/failed/run.stale_running"
check "cron.job_run_details records a succeeded run of the job" \
    "$(q "SELECT count(*) > 0 FROM cron.job_run_details WHERE jobid = $jobid AND status = 'succeeded'")" "t"
prune=$(q "SELECT jobid FROM cron.job WHERE jobname = 'hookreg-prune'")
for _ in $(seq 1 70); do
    [ "$(q "SELECT count(*) > 0 FROM cron.job_run_details WHERE jobid = $prune AND status = 'succeeded'")" = t ] && break
    sleep 1
done
check "pg_cron ran the prune job scheduled beside it: a succeeded run of hookreg-prune" \
    "$(q "SELECT count(*) > 0 FROM cron.job_run_details WHERE jobid = $prune AND status = 'succeeded'")" "t"
check "the pass left its own workspace-scoped run, completed succeeded, run by the extension owner" \
    "$(q "SELECT status || '/' || outcome || '/' || (tenant_id IS NULL) || '/' || initiator_name || '/' || (summary_counts ->> 'failed')
            FROM hookreg.operation_runs WHERE workspace_id = 9701 AND type = 'ops.reconcile_adapter_runs'
           ORDER BY id DESC LIMIT 1")" \
    "completed/succeeded/true/$(q "SELECT pg_get_userbyid(extowner) FROM pg_extension WHERE extname = 'hookreg'")/1"
