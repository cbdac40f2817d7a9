#!/usr/bin/env bash
# events.sh: opt-in NOTIFY (hookreg_set_events). One psql session listens on
# both channels and does the work itself (a session receives its own
# notifications, after its transaction commits); settings are changed from
# other sessions in the middle, so the listening backend must pick them up
# without reconnecting (what a pooled connection behind PgBouncer needs).
# psql prints each notification after the command during which it arrived,
# between the marker lines of the script. Costs a few seconds.
set -uo pipefail
source "$HR_ROOT/test/lib/cluster.sh"
hr_suite_init events

q() { timeout 60 "$HR_BINDIR/psql" -X -q -At -v ON_ERROR_STOP=1 -U postgres -d "$HR_DB" "$@"; }
out=$HR_SUITE_DIR/events.out
ws=9551

cleanup() {
    q >/dev/null 2>&1 <<SQL
SELECT hookreg_set_events(false, false);
DELETE FROM hookreg.operation_runs WHERE workspace_id = $ws;
DELETE FROM hookreg.workspaces WHERE id = $ws;
SQL
}
hr_on_exit cleanup
cleanup
q -c "INSERT INTO hookreg.workspaces (id, name) VALUES ($ws, 'events suite')"
q -c "SELECT hookreg_register_hook('ev_hook', '{\"kind\": \"table\", \"cardinality\": \"many\", \"columns\": []}')" >/dev/null 2>&1 || true

set_events() { timeout 60 "$HR_BINDIR/psql" -X -q -At -U postgres -d "$HR_DB" -c "SELECT count(*) FROM hookreg_set_events($1)" >/dev/null; }
export -f set_events 2>/dev/null
fail_sql() { echo "SELECT opsrun_fail(s.run_id, 'ev.code', 'm') FROM opsrun_start($ws, NULL, 'ev.job', '{\"n\": \"$1\"}') s;"; }

q >"$out" 2>&1 <<SQL
LISTEN hookreg_runs;
LISTEN hookreg_live_moves;
$(fail_sql off)
SELECT hookreg_create_release('ev_hook', 'img', 'sha256:' || repeat('e', 64), source_ref => 'git:ev0')::text <> '';
SELECT 'marker off';
\! $HR_BINDIR/psql -X -q -At -U postgres -d $HR_DB -c "SELECT count(*) FROM hookreg_set_events(live_moves => true, runs => true)" >/dev/null
$(fail_sql on)
SELECT 'marker on';
BEGIN;
$(fail_sql rolledback)
SELECT 'marker inside rolled back';
ROLLBACK;
SELECT 'marker rolled back';
BEGIN;
$(fail_sql committed)
SELECT 'marker inside committed';
COMMIT;
SELECT 'marker committed';
SELECT hookreg_create_release('ev_hook', 'img', 'sha256:' || repeat('f', 64), source_ref => 'git:ev1')::text <> '';
SELECT 'marker release';
SELECT hookreg_set_live('ev_hook', 1)::text <> '';
SELECT 'marker set_live';
SELECT hookreg_set_live('ev_hook', 1)::text <> '';
SELECT hookreg_create_release('ev_hook', 'img', 'sha256:' || repeat('f', 64), source_ref => 'git:ev1')::text <> '';
SELECT 'marker no move';
SELECT opsrun_start($ws, NULL, 'ev.stale', '{}') IS NOT NULL;
SELECT count(*) >= 0 FROM opsrun_reconcile(now() + interval '1 day');
SELECT 'marker reconcile';
\! $HR_BINDIR/psql -X -q -At -U postgres -d $HR_DB -c "SELECT count(*) FROM hookreg_set_events(runs => false)" >/dev/null
$(fail_sql runs_off)
SELECT 'marker runs off';
SQL
rc=$?
hr_check "the listening script runs" 0 "$rc"

# The notifications between two markers (payloads only).
between() {  # between FROM TO
    sed -n "/^marker $1\$/,/^marker $2\$/p" "$out" | sed -n 's/^Asynchronous notification "\([a-z_]*\)" with payload "\(.*\)" received from server process with PID [0-9]*\.$/\1 \2/p'
}
count_before_off=$(sed -n '1,/^marker off$/p' "$out" | grep -c '^Asynchronous notification')
hr_check "off by default: no notification for a failed run or a release" 0 "$count_before_off"

run_of() { q -c "SELECT id FROM hookreg.operation_runs WHERE workspace_id = $ws AND type = '$1' AND run_identity_hash = opsrun_identity_hash($ws, NULL, '$1', '{\"n\": \"$2\"}')"; }
payload() { echo "hookreg_runs {\"run_id\": $1, \"workspace_id\": $ws, \"tenant_id\": null, \"type\": \"$2\", \"outcome\": \"$3\"}"; }

hr_check "enabled from another session: the listening backend notifies at once, with the run's ids" \
    "$(payload "$(run_of ev.job on)" ev.job failed)" "$(between off on)"
hr_check "a rolled-back transaction sends nothing" "" "$(between on 'rolled back')"
hr_check "inside a transaction nothing arrives before COMMIT" "" "$(between on 'inside committed')"
hr_check "the notification arrives with the COMMIT" \
    "$(payload "$(run_of ev.job committed)" ev.job failed)" "$(between 'inside committed' committed)"

rel() { q -c "SELECT id || '|' || version FROM hookreg.hook_releases WHERE hook_name = 'ev_hook' AND digest = 'sha256:' || repeat('$1', 64)"; }
move() {  # move DIGEST_CHAR REASON
    local r; r=$(rel "$1")
    echo "hookreg_live_moves {\"hook_name\": \"ev_hook\", \"release_id\": \"${r%|*}\", \"version\": ${r#*|}, \"reason\": \"$2\"}"
}
hr_check "a release notifies the move of the live pointer" "$(move f release)" "$(between committed release)"
hr_check "set_live notifies the move" "$(move e set_live)" "$(between release set_live)"
hr_check "no move, no notification (set_live to the live version, a repeated release)" "" "$(between set_live 'no move')"
stale=$(q -c "SELECT id FROM hookreg.operation_runs WHERE workspace_id = $ws AND type = 'ev.stale'")
hr_check "a run the reconciler fails as stale is notified" "yes" \
    "$(between 'no move' reconcile | grep -qF "$(payload "$stale" ev.stale failed)" && echo yes)"
hr_check "turned off from another session: no notification" "" "$(between reconcile 'runs off')"
hr_check "hookreg_set_events needs hookreg_admin" "42501" \
    "$(q -v VERBOSITY=verbose -c "SET ROLE hookreg_ops_writer; SELECT hookreg_set_events(true)" 2>&1 | grep -o "ERROR:  42501" | head -1 | cut -c9-)"
