#!/usr/bin/env bash
# test/suites/crash.sh: crash safety (issue 6, point 1).
#
# A throwaway cluster of its own (fsync on) takes a concurrent workload:
# releases and rollbacks on two hooks (two releasers per hook, so they
# contend on the hook's lock row), run records each written with its feature
# row in one transaction, and opsrun start/claim/complete from three workers
# sharing a few identities (so dedupe is contended). Every client logs an
# operation only after its transaction returned success. In the middle, the
# postmaster is killed with SIGKILL: in odd rounds alone (its backends notice
# and exit on their own, committing nothing more), in even rounds together
# with every child at once (a whole-server crash). The server restarts, runs
# crash recovery, and the invariants are checked; six rounds, at different
# moments, some right after a CHECKPOINT (so recovery replays full-page
# images). The logs accumulate: each round checks everything committed so
# far.
#
# Invariants (one ok/not ok line each, per round): versions gap-free per hook;
# every live pointer references an existing release of its own hook;
# live_moves consistent with the pointers (a chain from NULL whose last move
# points where the pointer points); at most one active run per identity and
# scope (counted from the heap, not through the unique index); every feature
# row's run exists; nothing that the driver logged as committed is missing;
# every btree index of hookreg agrees with its table (amcheck); and the
# functions still work after recovery.
set -uo pipefail
source "$HR_ROOT/test/lib/cluster.sh"
source "$HR_ROOT/test/lib/invariants.sh"
hr_suite_init crash

base=$HR_SUITE_DIR
logdir=$base/log
mkdir -p "$logdir"
chmod 777 "$logdir"

# Every client call is bounded: a worker's call ends after 60 s at the latest.
cpsql() { HR_CLIENT_TIMEOUT=60 hr_cl_psql crash -d crash "$@"; }

# At exit the library kills the workers (and their clients) by pid, then
# every process of the cluster a fast shutdown leaves.
hr_cl_init crash "
shared_preload_libraries = ''
fsync = on
synchronous_commit = on
full_page_writes = on
restart_after_crash = off
log_min_messages = warning"
data=$(hr_cl_data crash)
hr_cl_start crash || { echo "not ok - crash cluster starts"; exit 1; }

HR_CLIENT_TIMEOUT=60 hr_cl_psql crash -c 'CREATE DATABASE crash' || { echo "not ok - crash cluster set up"; exit 1; }
setup_out=$(cpsql 2>&1 <<'SQL'
CREATE EXTENSION hookreg;
CREATE EXTENSION amcheck;
SELECT r.created FROM unnest(ARRAY['crash_a', 'crash_b']) AS h,
  LATERAL hookreg_register_hook(h,
    '{"kind":"table","cardinality":"many","columns":[{"name":"score","json_type":"number","required":true}]}') AS r;
-- a first release each, so runs have a live release from the start
SELECT r.version FROM unnest(ARRAY['crash_a', 'crash_b']) AS h,
  LATERAL hookreg_create_release(h, 'registry.example/crash',
    'sha256:' || encode(sha256(convert_to('initial ' || h, 'UTF8')), 'hex'),
    '{}', '{}', 'crash-setup') AS r;
INSERT INTO hookreg.workspaces (name) VALUES ('crash');
INSERT INTO hookreg.tenants (workspace_id, external_id, name)
  SELECT id, gen_random_uuid(), 'crash tenant ' || t FROM hookreg.workspaces, generate_series(1, 2) AS t;
SQL
)
if [ $? -eq 0 ]; then
    echo "ok - crash cluster set up (hooks, releases, workspace, tenants)"
else
    echo "not ok - crash cluster set up"
    sed 's/^/# /' <<<"$setup_out"
    exit 1
fi
ws=$(cpsql -c "SELECT id FROM hookreg.workspaces WHERE name = 'crash'")
tenants=($(cpsql -c "SELECT id FROM hookreg.tenants WHERE workspace_id = $ws ORDER BY id"))

# ---- the workload: each worker appends lines "kind hook id a b" (tab-
# separated) to its own log, only after its transaction committed.
stopfile=$base/stop
rec() { printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "${4:-}" "${5:-}"; }

releaser() {  # releaser ROUND WORKER HOOK
    local r=$1 w=$2 hook=$3 k=0 out
    while [ ! -e "$stopfile" ]; do
        k=$((k + 1))
        out=$(cpsql -F $'\t' -c "SELECT release_id, version FROM hookreg_create_release('$hook',
                'registry.example/crash',
                'sha256:' || encode(sha256(convert_to('r$r w$w k$k', 'UTF8')), 'hex'),
                '{\"round\": $r, \"worker\": $w, \"k\": $k}', '{\"timeout_seconds\": 60}', 'crash-driver')" 2>/dev/null) \
            && rec release "$hook" "${out%%$'\t'*}" "${out#*$'\t'}"
    done
}

roller() {  # roller ROUND WORKER HOOK: rollbacks and roll-forwards
    local hook=$3 out
    while [ ! -e "$stopfile" ]; do
        out=$(cpsql -F ' ' -c "SELECT live_release_id, coalesce(previous_version, 0), live_version
                FROM hookreg_set_live('$hook', (SELECT (1 + floor(random() * max(version)))::int
                                                  FROM hookreg.hook_releases WHERE hook_name = '$hook'))" 2>/dev/null) \
            && rec set_live "$hook" $out
    done
}

runner() {  # runner ROUND WORKER HOOK: a run and its feature row, one transaction
    local r=$1 w=$2 hook=$3 k=0 out
    while [ ! -e "$stopfile" ]; do
        k=$((k + 1))
        out=$(cpsql -c "WITH run AS (
                  SELECT hookreg_record_run(l.release_id, 'passed', now() - interval '2 seconds', now(),
                                            run_id => hookreg_run_id('crash r$r w$w k$k')) AS id
                    FROM hookreg_resolve_live(ARRAY['$hook']) AS l)
                INSERT INTO hookreg_features.$hook (run_id, subject, score)
                SELECT id, 'r$r w$w k$k', $k FROM run RETURNING run_id" 2>/dev/null) \
            && rec run "$hook" "$out" "r$r w$w k$k"
    done
}

opsworker() {  # opsworker ROUND WORKER: start (contended identities), claim, complete
    local r=$1 w=$2 k=0 t id rest claimed
    while [ ! -e "$stopfile" ]; do
        k=$((k + 1))
        t=${tenants[$((k % 2))]}
        rest=$(cpsql -F $'\t' -c "SELECT run_id, reused FROM opsrun_start($ws, $t, 'crash.job',
                  '{\"round\": $r, \"k\": $((k % 3))}')" 2>/dev/null) || continue
        id=${rest%%$'\t'*}
        rec ops_start "" "$id"
        claimed=$(cpsql -c "SELECT opsrun_claim($id)" 2>/dev/null) || continue
        [ "$claimed" = t ] || continue
        rec ops_claim "" "$id"
        cpsql -c "SELECT status FROM opsrun_complete($id, 'succeeded', '{\"processed\": $k}')" >/dev/null 2>&1 \
            && rec ops_complete "" "$id"
    done
}

start_workers() {  # start_workers ROUND
    local r=$1 i=0 spec
    workers=""
    rm -f "$stopfile"
    for spec in "releaser crash_a" "releaser crash_a" "releaser crash_b" "releaser crash_b" \
                "roller crash_a" "roller crash_b" "runner crash_a" "runner crash_b" \
                "opsworker" "opsworker" "opsworker"; do
        i=$((i + 1))
        set -- $spec
        hr_bg "$1" "$r" "$i" ${2:-} >"$logdir/r$r.w$i.log" 2>/dev/null
        workers="$workers $HR_BG_PID"
    done
}

stop_workers() {  # bounded: a worker's client call ends within 65 s
    touch "$stopfile"
    hr_wait_gone 90 $workers || echo "# workers still running after 90 s: killed"
    hr_stop_bg 0 $workers
    workers=""
}

logged() { cat "$logdir"/*.log 2>/dev/null | wc -l; }

# ---- the crash
# The cluster's processes are found afresh by their working directory (the
# data directory), not as the postmaster's children listed beforehand: a
# backend forked between the listing and the kill would survive, orphaned,
# and wait forever on a lock a killed process held.
crash() {  # crash ROUND: SIGKILL the postmaster (even rounds: and every child)
    local r=$1 pm n
    pm=$(head -n 1 "$data/postmaster.pid")
    if [ $((r % 2)) -eq 0 ]; then
        kill -KILL "$pm" $(hr_dir_pids "$data") 2>/dev/null
    else
        kill -KILL "$pm"
        # Orphaned backends exit when they notice the postmaster died
        # (bounded: what is left after 15 s is killed below).
        for n in $(seq 1 150); do
            [ -z "$(hr_dir_pids "$data")" ] && break
            sleep 0.1
        done
    fi
    # Until none is left: a new postmaster refuses to start while any process
    # still holds the old shared memory.
    hr_cl_kill crash || echo "# processes of the crashed cluster survive SIGKILL"
}

verdict() {  # verdict WHAT VIOLATIONS
    if [ "$2" = 0 ]; then
        echo "ok - round $round: $1"
    else
        echo "not ok - round $round: $1 (violations: $2)"
        failures=$((failures + 1))
    fi
}
check() { verdict "$1" "$(cpsql -c "$2" 2>&1)"; }  # check NAME SQL-returning-a-count-of-violations

delays=(1.2 2.9 0.7 3.8 2.1 4.6)
failures=0
round=0
for delay in "${delays[@]}"; do
    round=$((round + 1))
    before=$(logged)
    start_workers "$round"
    half=$(awk -v d="$delay" 'BEGIN { printf "%.2f", d / 2 }')
    sleep "$half"
    # Rounds 2, 4, 6: a checkpoint in the middle, so the crash comes after
    # it and recovery replays full-page images.
    [ $((round % 2)) -eq 0 ] && cpsql -c CHECKPOINT >/dev/null 2>&1
    sleep "$half"
    # Never a vacuous round: wait (bounded) for some commits of this round.
    for n in $(seq 1 100); do
        [ $(( $(logged) - before )) -ge 20 ] && break
        sleep 0.2
    done
    crash "$round"
    stop_workers
    done_now=$(( $(logged) - before ))
    if [ "$done_now" -gt 0 ]; then
        echo "ok - round $round: $done_now operations committed, then SIGKILL after ${delay}s$([ $((round % 2)) -eq 0 ] && echo ' (whole server, after a CHECKPOINT)' || echo ' (postmaster alone)')"
    else
        echo "not ok - round $round: the workload committed something before the kill"
    fi

    if ! hr_cl_start crash 2>/dev/null; then
        echo "not ok - round $round: server restarts after the crash"
        tail -n 30 "$(hr_cl_log crash)" | sed 's/^/# /'
        exit 1
    fi
    # It was a crash: the start ran crash recovery (redo), not a clean start.
    recoveries=$(grep -c 'automatic recovery in progress' "$(hr_cl_log crash)")
    if [ "$recoveries" -eq "$round" ] && grep -q 'redo done\|redo starts' "$(hr_cl_log crash)"; then
        echo "ok - round $round: server restarts and runs crash recovery (redo)"
    else
        echo "not ok - round $round: server restarts and runs crash recovery ($recoveries recoveries logged)"
    fi

    # test/lib/invariants.sql, shared with failover.sh
    hr_invariants verdict crash_a crash_b cpsql

    # Everything logged as committed, in all rounds so far, is there.
    lost=$(cat "$logdir"/*.log | hr_committed_missing crash_a crash_b cpsql)
    if [[ "$lost" =~ ^0\ of\ ([0-9]+)\ \((.*)\)$ ]] && [ "${BASH_REMATCH[1]}" -gt 0 ]; then
        echo "ok - round $round: no committed transaction lost (${BASH_REMATCH[1]} logged in rounds 1-$round, all present: ${BASH_REMATCH[2]})"
    else
        echo "not ok - round $round: no committed transaction lost (missing: $lost)"
        failures=$((failures + 1))
    fi
    if [ "$round" -eq 1 ]; then
        # The check itself can fail: one invented operation of each kind.
        fake=$( (cat "$logdir"/*.log
                 rec release crash_a "$(cat /proc/sys/kernel/random/uuid)" 1
                 rec set_live crash_a "$(cat /proc/sys/kernel/random/uuid)" 1 2
                 rec run crash_a "$(cat /proc/sys/kernel/random/uuid)" "no such subject"
                 rec ops_start "" -1; rec ops_claim "" -1; rec ops_complete "" -1) |
               hr_committed_missing crash_a crash_b cpsql)
        if [[ "$fake" =~ ^6\ of ]]; then
            echo "ok - the committed-work check notices invented operations (6 of 6 kinds)"
        else
            echo "not ok - the committed-work check notices invented operations (got: $fake)"
        fi
    fi

    check "every btree index of hookreg agrees with its table (amcheck)" "
        SELECT count(*) FROM (
          SELECT bt_index_check(i.indexrelid, true)::text AS checked
            FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_am a ON a.oid = c.relam
           WHERE n.nspname IN ('hookreg', 'hookreg_features') AND a.amname = 'btree') s
         WHERE checked <> ''"

    # The registry keeps working: a new release on each hook is max + 1.
    check "a release after recovery gets the next version" "
        SELECT count(*) FROM (
          SELECT h, (SELECT max(version) FROM hookreg.hook_releases WHERE hook_name = h) AS before,
                 r.version AS minted
            FROM unnest(ARRAY['crash_a', 'crash_b']) AS h,
            LATERAL hookreg_create_release(h, 'registry.example/crash',
                      'sha256:' || encode(sha256(convert_to('after crash $round ' || h, 'UTF8')), 'hex'),
                      '{}', '{}', 'crash-check') AS r) s
         WHERE minted <> before + 1"
done

# The workload really exercised every kind of operation.
kinds=$(cut -f 1 "$logdir"/*.log | LC_ALL=C sort -u | tr '\n' ' ')
if [ "$kinds" = "ops_claim ops_complete ops_start release run set_live " ]; then
    echo "ok - every kind of operation committed during the rounds: $kinds"
else
    echo "not ok - every kind of operation committed during the rounds (got: $kinds)"
fi
echo "# totals: $(cpsql -c "SELECT (SELECT count(*) FROM hookreg.hook_releases) || ' releases, '
    || (SELECT count(*) FROM hookreg.live_moves) || ' live moves, '
    || (SELECT count(*) FROM hookreg.hook_runs) || ' runs, '
    || (SELECT count(*) FROM hookreg.operation_runs) || ' operation runs'")"
exit 0
