#!/usr/bin/env bash
# test/suites/failover.sh: primary failover with pg_auto_failover (issue 15, point 3).
#
# On this machine, as the postgres OS user, in throwaway directories, on
# loopback TCP and a private Unix socket directory, on free private ports:
# a pg_auto_failover monitor, a primary and a synchronous standby (one
# formation, number_sync_standbys 0, the standby in the replication quorum),
# hookreg and pg_cron preloaded on both data nodes, the housekeeping job
# scheduled every minute.
#
# Clients (psycopg2, test/suites/failover_client.py) run releases, rollbacks
# (hookreg_set_live), run records with their feature rows, and opsrun
# start/claim/complete through one multi-host connection string with
# target_session_attrs=read-write, and log every transaction they saw
# committed. Three times, at different moments, the primary is killed: its
# pg_autoctl keeper and its postgres, every process of that node found afresh
# by its working directory, SIGKILL until none is left. After each failover:
# no logged commit is missing, versions are gap-free, pointers and move chains
# are consistent, at most one active run per identity, every feature row's run
# exists, every client committed again, and the housekeeping job ran on the
# new primary (its job_run_details row and its reconcile pass, both after the
# promotion; the pass is looked for in a probe workspace no client touches,
# where it always has a run to examine) while the standby has no pg_cron
# launcher. The killed node is
# restarted and rejoins as the synchronous standby before the next round.
# Each failover's duration is printed. Every wait is bounded; every process
# is ended by pid at the end, on success and on failure (test/lib/cluster.sh).
# Three and a half to seven minutes on two cores (the longer on a loaded
# machine): it waits for pg_cron's
# minute ticks (one after each promotion).
# test-timeout: 900
set -uo pipefail
source "$HR_ROOT/test/lib/cluster.sh"
source "$HR_ROOT/test/lib/invariants.sh"
hr_suite_init failover

PY=/usr/bin/python3
CLIENT=$HR_ROOT/test/suites/failover_client.py
base=$HR_SUITE_DIR
sock=$base/sock
logdir=$base/log
db=failover
SUITE_START=$(date +%s)

ok() { echo "ok - $1"; }
notok() { echo "not ok - $1"; shift; [ $# -gt 0 ] && printf '%s\n' "$@" | sed 's/^/# /'; failures=$((failures + 1)); }
failures=0
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

if ! command -v pg_autoctl >/dev/null || ! "$PY" -c 'import psycopg2' 2>/dev/null; then
    echo "not ok - pg_auto_failover (pg_autoctl) and python3-psycopg2 are installed"
    exit 1
fi

# ---- ports: free ones (hr_port), released at exit
mport=$(hr_port)
declare -A PORT=([node1]=$(hr_port) [node2]=$(hr_port))

mkdir -p "$sock" "$logdir" "$base"/{monitor,node1,node2} "$base/home"
chmod 755 "$base"
if [ "$(id -u)" -eq 0 ]; then chown -R postgres: "$base"; fi

# pg_autoctl keeps its configuration and state under XDG directories: ours.
pgenv=(HOME="$base/home" XDG_CONFIG_HOME="$base/home/config" XDG_DATA_HOME="$base/home/data"
       XDG_RUNTIME_DIR="$base/home/run" PGHOST="$sock" PATH="$HR_BINDIR:/usr/bin:/bin" LANG=C.UTF-8)
# as_pg CMD...: as the postgres OS user (setpriv execs, so $! is CMD's pid)
as_pg() {
    if [ "$(id -u)" -eq 0 ]; then
        setpriv --reuid=postgres --regid=postgres --init-groups env -i "${pgenv[@]}" "$@"
    else
        env -i "${pgenv[@]}" "$@"
    fi
}
autoctl() { as_pg timeout 120 pg_autoctl "$@"; }

monitor_uri="postgres://autoctl_node@127.0.0.1:$mport/pg_auto_failover?sslmode=disable"
dsn="host=127.0.0.1,127.0.0.1 port=${PORT[node1]},${PORT[node2]} dbname=$db user=postgres
     target_session_attrs=read-write connect_timeout=2"
dsn=$(tr -s ' \n' ' ' <<<"$dsn")
mpsql() { timeout 20 "$HR_BINDIR/psql" -X -q -At -v ON_ERROR_STOP=1 -h "$sock" -p "$mport" -U postgres -d pg_auto_failover "$@"; }
npsql() { local n=$1; shift; timeout 30 "$HR_BINDIR/psql" -X -q -At -v ON_ERROR_STOP=1 -h "$sock" -p "${PORT[$n]}" -U postgres -d "$db" "$@"; }
wpsql() { timeout 30 "$HR_BINDIR/psql" -X -q -At -v ON_ERROR_STOP=1 "$dsn" "$@"; }

# ---- processes: every process of a node is found afresh by its working
# directory: pg_autoctl runs in the node's directory $base/NODE, postgres in
# its data directory $base/NODE/data (backends and children inherit it).
procs_of() { hr_dir_pids "$base/$1"; }  # procs_of NODE: its pids, found afresh
kill_node() { hr_reap procs_of "$1"; }  # SIGKILL until none is left (bounded); 1 if some survive
declare -A KEEPER=()
start_keeper() {  # start_keeper NODE [pg_autoctl args]: default "run", in the node's run directory
    local node=$1; shift
    [ $# -gt 0 ] || set -- run --pgdata "$base/$node/data"
    (cd "$base/$node" || exit 1
     if [ "$(id -u)" -eq 0 ]; then
         exec setpriv --reuid=postgres --regid=postgres --init-groups env -i "${pgenv[@]}" pg_autoctl "$@"
     fi
     exec env -i "${pgenv[@]}" pg_autoctl "$@") >>"$logdir/$node.keeper.log" 2>&1 &
    KEEPER[$node]=$!
    disown "$!"  # ended by pid in cleanup; no job report when a round kills it
}
clients=()
cleanup() {  # at exit, before the library's cleanup (which ends the clients, started by hr_bg)
    local node pid n
    touch "$base/stop" 2>/dev/null
    # Ask each keeper to stop (it stops its postgres, fast), then end what is left.
    for node in node1 node2 monitor; do
        for pid in $(procs_of "$node"); do
            [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = pg_autoctl ] && kill -TERM "$pid" 2>/dev/null
        done
    done
    for n in $(seq 1 100); do
        [ -z "$(procs_of node1)$(procs_of node2)$(procs_of monitor)" ] && break
        sleep 0.2
    done
    for node in node1 node2 monitor; do kill_node "$node"; done
    for pid in "${KEEPER[@]}"; do hr_alive "$pid" && kill -KILL "$pid" 2>/dev/null; done
    return 0
}
hr_on_exit cleanup

# ---- the monitor: our own initdb (private socket, small shared buffers),
# then pg_autoctl create monitor on it, listening on 127.0.0.1 only.
init_pgdata() {  # init_pgdata NODE [postgresql.conf lines]
    local node=$1 extra=${2:-}
    as_pg initdb -D "$base/$node/data" -U postgres -A trust --encoding=UTF8 --locale=C.UTF-8 \
        >"$logdir/$node.initdb.log" 2>&1 || return 1
    # pg_autoctl includes its own settings at the top of postgresql.conf:
    # what follows here wins over them.
    as_pg tee -a "$base/$node/data/postgresql.conf" >/dev/null <<CONF
# hookreg failover suite
unix_socket_directories = '$sock'
shared_buffers = 32MB
max_connections = 60
timezone = 'UTC'
$extra
CONF
}
# Fast failure detection, and a partitioned primary demotes itself (keeper
# network_partition_timeout, 3 s) before the monitor promotes the standby
# (primary_demote_timeout, 5 s).
if init_pgdata monitor "
pgautofailover.health_check_period = 1000
pgautofailover.health_check_timeout = 1000
pgautofailover.health_check_max_retries = 1
pgautofailover.health_check_retry_delay = 500
pgautofailover.node_considered_unhealthy_timeout = 2000
pgautofailover.primary_demote_timeout = 5000
pgautofailover.startup_grace_period = 2000" \
   && (cd "$base/monitor" && autoctl create monitor --pgdata "$base/monitor/data" --pgport "$mport" \
          --pgctl "$HR_BINDIR/pg_ctl" --hostname 127.0.0.1 --listen 127.0.0.1 --auth trust --no-ssl) \
          >"$logdir/monitor.create.log" 2>&1; then
    start_keeper monitor
else
    notok "pg_auto_failover monitor created" "$(tail -n 20 "$logdir/monitor.create.log")"
    exit 1
fi
for n in $(seq 1 100); do mpsql -c 'SELECT 1' >/dev/null 2>&1 && break; sleep 0.2; done

# node_states: "node1:primary node2:secondary" (reported state where it
# equals the goal state, else reported>goal)
node_states() {
    mpsql -c "SELECT string_agg(nodename || ':' || CASE WHEN reportedstate = goalstate THEN reportedstate::text
                                                   ELSE reportedstate || '>' || goalstate END, ' ' ORDER BY nodename)
                FROM pgautofailover.node" 2>/dev/null
}
wait_states() {  # wait_states SECONDS PATTERN...: until node_states is one of the patterns
    local limit=$1 deadline s pat; shift
    deadline=$(( $(date +%s) + limit ))
    while [ "$(date +%s)" -lt "$deadline" ]; do
        s=$(node_states)
        for pat in "$@"; do [ "$s" = "$pat" ] && return 0; done
        sleep 0.3
    done
    return 1
}
settled() {  # settled: the formation is primary + secondary, either way round
    wait_states "$1" "node1:primary node2:secondary" "node1:secondary node2:primary"
}

# ---- the primary: our initdb with hookreg and pg_cron preloaded; the standby
# gets this postgresql.conf with its base backup.
node_opts() {  # node_opts NODE
    echo --pgdata "$base/$1/data" --pgport "${PORT[$1]}" --pgctl "$HR_BINDIR/pg_ctl" \
        --hostname 127.0.0.1 --listen 127.0.0.1 --pghost "$sock" --name "$1" --dbname "$db" \
        --auth trust --no-ssl --monitor "$monitor_uri" --replication-quorum true --candidate-priority 50
}
if init_pgdata node1 "
# pg_autoctl preloads pg_stat_statements; keep it, add pg_cron and hookreg
shared_preload_libraries = 'pg_stat_statements,pg_cron,hookreg'
# pg_autoctl keeps 8 GB of WAL for standbys; a throwaway cluster needs less
wal_keep_size = '256MB'
cron.database_name = '$db'
cron.use_background_workers = on
max_worker_processes = 32
# pg_autoctl's base backups and rewinds wait for a checkpoint: no spreading
checkpoint_completion_target = 0" \
   ; then
    start_keeper node1 create postgres $(node_opts node1) --run
else
    notok "node1 initdb" "$(tail -n 20 "$logdir/node1.initdb.log")"
    exit 1
fi
if ! wait_states 60 "node1:single"; then
    notok "node1 runs as a single primary" "$(node_states)" "$(tail -n 20 "$logdir/node1.keeper.log")"
    exit 1
fi
setup_out=$(npsql node1 2>&1 <<'SQL'
CREATE EXTENSION pg_cron;
CREATE EXTENSION hookreg;
SELECT r.created FROM unnest(ARRAY['fo_a', 'fo_b']) AS h,
  LATERAL hookreg_register_hook(h,
    '{"kind":"table","cardinality":"many","columns":[{"name":"score","json_type":"number","required":true}]}') AS r;
SELECT r.version FROM unnest(ARRAY['fo_a', 'fo_b']) AS h,
  LATERAL hookreg_create_release(h, 'registry.example/failover',
    'sha256:' || encode(sha256(convert_to('initial ' || h, 'UTF8')), 'hex'), '{}', '{}', 'failover-setup') AS r;
INSERT INTO hookreg.workspaces (name) VALUES ('failover');
INSERT INTO hookreg.tenants (workspace_id, external_id, name)
  SELECT id, gen_random_uuid(), 'failover tenant ' || t FROM hookreg.workspaces, generate_series(1, 2) AS t;
-- A workspace no client writes to, with one queued run that stays active
-- the whole suite (an unregistered type is stale after an hour): every pass
-- examines it, so every pass records a run there, whatever the clients'
-- own runs happen to be at that minute and whatever locks they hold.
INSERT INTO hookreg.workspaces (name) VALUES ('failover-probe');
SELECT run_id > 0 FROM hookreg.workspaces w,
  LATERAL opsrun_start(w.id, NULL, 'failover.probe', '{}') WHERE w.name = 'failover-probe';
SELECT hookreg_schedule_housekeeping('* * * * *') > 0;
SQL
)
if [ $? -eq 0 ]; then
    ok "primary node1: hookreg and pg_cron installed, hooks, releases, workspace, tenants, housekeeping every minute"
else
    notok "primary node1: hookreg and pg_cron installed" "$setup_out"; exit 1
fi

# ---- the standby: pg_autoctl takes a base backup of node1
start_keeper node2 create postgres $(node_opts node2) --run
if settled 90; then
    ok "formation up: $(node_states)"
else
    notok "formation up (primary + secondary)" "$(node_states)" "$(tail -n 20 "$logdir/node2.keeper.log")"; exit 1
fi

primary_node() { mpsql -c "SELECT nodename FROM pgautofailover.node WHERE reportedstate = 'primary' AND goalstate = 'primary'"; }
other() { [ "$1" = node1 ] && echo node2 || echo node1; }

# sync_ok NODE: NODE is primary with a synchronous standby streaming
sync_ok() {
    local n=$1 ssn state
    ssn=$(npsql "$n" -c "SHOW synchronous_standby_names" 2>/dev/null)
    state=$(npsql "$n" -c "SELECT string_agg(sync_state, ',') FROM pg_stat_replication" 2>/dev/null)
    [ -n "$ssn" ] && { [ "$state" = sync ] || [ "$state" = quorum ]; }
}
p=$(primary_node)
for n in $(seq 1 100); do sync_ok "$p" && break; sleep 0.3; done
if sync_ok "$p"; then
    ok "the standby is synchronous: synchronous_standby_names = $(npsql "$p" -c 'SHOW synchronous_standby_names'), $(npsql "$p" -c 'SELECT sync_state FROM pg_stat_replication'); number_sync_standbys = $(mpsql -c "SELECT number_sync_standbys FROM pgautofailover.formation WHERE formationid = 'default'")"
else
    notok "the standby is synchronous" "$(npsql "$p" -c 'SHOW synchronous_standby_names; SELECT * FROM pg_stat_replication' 2>&1)"
fi

# ---- the clients: 2 releasers and 1 roller per hook, 1 runner per hook, 3 ops workers
stopfile=$base/stop
rm -f "$stopfile"
client_deadline=$(( $(date +%s) + 420 ))
w=0
for spec in "releaser fo_a" "releaser fo_a" "releaser fo_b" "releaser fo_b" "roller fo_a" "roller fo_b" \
            "runner fo_a" "runner fo_b" "ops" "ops" "ops"; do
    w=$((w + 1))
    set -- $spec
    hr_bg "$PY" "$CLIENT" "$1" "$w" "$dsn" "$logdir/w$w.log" "$stopfile" "$client_deadline" ${2:-} \
        2>"$logdir/w$w.err"
    clients+=("$HR_BG_PID")
done
nclients=$w
logged() { cat "$logdir"/w*.log 2>/dev/null | wc -l; }

# ---- checks (on the current primary, while the clients run)
verdict() {  # verdict WHAT VIOLATIONS
    if [ "$2" = 0 ]; then ok "round $round: $1"; else notok "round $round: $1 (violations: $2)"; fi
}
check() { verdict "$1" "$(wpsql -c "$2" 2>&1)"; }  # check NAME SQL-returning-a-count-of-violations
invariants() {
    # test/lib/invariants.sql, shared with crash.sh
    hr_invariants verdict fo_a fo_b wpsql
    local lost
    lost=$(cat "$logdir"/w*.log | hr_committed_missing fo_a fo_b wpsql)
    if [[ "$lost" =~ ^0\ of\ ([0-9]+)\ \((.*)\)$ ]] && [ "${BASH_REMATCH[1]}" -gt 0 ]; then
        ok "round $round: no commit a client saw is missing (${BASH_REMATCH[1]} logged so far, all present: ${BASH_REMATCH[2]})"
    else
        notok "round $round: no commit a client saw is missing (missing: $lost)"
    fi
    if [ "$round" = 1 ]; then
        # The check itself can fail: one invented commit of each kind.
        local fake u
        u=$(cat /proc/sys/kernel/random/uuid)
        fake=$( (printf 'release\tfo_a\t%s\t1\t\t0\nset_live\tfo_a\t%s\t1\t2\t0\nrun\tfo_a\t%s\tno such subject\t\t0\n' "$u" "$u" "$u"
               printf 'ops_start\t\t-1\t\t\t0\nops_claim\t\t-1\t\t\t0\nops_complete\t\t-1\t\t\t0\n' ) |
               hr_committed_missing fo_a fo_b wpsql)
        if [[ "$fake" =~ ^6\ of ]]; then ok "the committed-work check notices invented commits (6 of 6 kinds)"
        else notok "the committed-work check notices invented commits (got: $fake)"; fi
    fi
}

# ---- the rounds: wait for the moment, kill the primary, time the failover,
# check, restart the old primary as the new standby. pg_cron schedules by
# the minute, so each kill is placed at a second of the minute that leaves
# time for the promotion before the next tick.
round=0
durations=()
kill_at=(30 38 44)
moments=("second 30 of the minute, the load warm" "second 38, a CHECKPOINT running"
         "second 44, a release transaction open (written, not committed)")
open_digest=sha256:$(printf 'e%.0s' $(seq 1 64))
line_counts() { local i; for i in $(seq 1 "$nclients"); do wc -l <"$logdir/w$i.log" 2>/dev/null || echo 0; done; }
# first_after COUNTS...: the earliest timestamp of a line past each client's count
first_after() {
    local i=0 c
    for c in "$@"; do
        i=$((i + 1))
        tail -n +"$((c + 1))" "$logdir/w$i.log" 2>/dev/null | head -n 1 | cut -f 6
    done | sort -n | head -n 1
}
for at in "${kill_at[@]}"; do
    round=$((round + 1))
    old=$(primary_node)
    new=$(other "$old")
    [ -n "$old" ] || { notok "round $round: a primary to kill" "$(node_states)"; break; }
    before=$(logged)
    # the moment: second $at of the minute (at most a minute's wait)
    sleep $(( (at - $(date +%s) % 60 + 60) % 60 ))
    if [ "$round" -eq 2 ]; then npsql "$old" -c CHECKPOINT >/dev/null 2>&1 & sleep 0.3; fi
    if [ "$round" -eq 3 ]; then
        # a release written but not committed when the primary dies
        npsql "$old" -c "BEGIN" -c "SELECT version FROM hookreg_create_release('fo_b', 'registry.example/failover',
            '$open_digest', '{}', '{}', 'failover-open')" -c "SELECT pg_sleep(60)" -c "COMMIT" >/dev/null 2>&1 &
        hr_bg_pids+=($!)
        for n in $(seq 1 100); do
            [ "$(npsql "$old" -c "SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(60)' AND state = 'active'")" = 1 ] && break
            sleep 0.1
        done
    fi
    if ! sync_ok "$old"; then notok "round $round: the primary has its synchronous standby before the kill"; fi
    committed_before=$(( $(logged) - before ))
    [ "$committed_before" -gt 0 ] || notok "round $round: the clients committed before the kill"
    t_kill=$(now)
    kill_node "$old" || notok "round $round: every process of $old is gone after SIGKILL"
    left=$(procs_of "$old")
    counts=($(line_counts))
    # the new primary accepts writes through the multi-host string
    t_up=""
    for n in $(seq 1 600); do
        if [ "$(timeout 5 "$HR_BINDIR/psql" -X -At "$dsn" -c "SELECT current_setting('port')" 2>/dev/null)" = "${PORT[$new]}" ]; then
            t_up=$(now); break
        fi
        sleep 0.1
    done
    if [ -z "$t_up" ]; then
        notok "round $round: $new is promoted within 60 s" "$(node_states)" "$(tail -n 30 "$logdir/$new.keeper.log")"
        break
    fi
    # the clients' first commit after the kill
    t_client=""
    for n in $(seq 1 100); do t_client=$(first_after "${counts[@]}"); [ -n "$t_client" ] && break; sleep 0.1; done
    d_up=$(elapsed "$t_kill" "$t_up")
    d_client=$([ -n "$t_client" ] && elapsed "$t_kill" "$t_client" || echo "none")
    durations+=("round $round: ${d_up}s from the SIGKILL to a writable primary, ${d_client}s to a client's first commit")
    ok "round $round: $old killed (${moments[$((round - 1))]}; $committed_before commits this round; processes left: ${left:-none}); $new promoted: failover took ${d_up}s (first client commit after ${d_client}s)"
    t_promoted=$(wpsql -c "SELECT extract(epoch FROM now())")

    # the killed node comes back as the standby (pg_autoctl rewinds it)
    start_keeper "$old"

    invariants
    if [ "$round" -eq 3 ]; then
        check "the release of the transaction open at the kill is not there (it never committed)" \
            "SELECT count(*) FROM hookreg.hook_releases WHERE digest = '$open_digest'"
    fi

    # every client committed something after the failover (bounded)
    stalled=""
    for n in $(seq 1 150); do
        stalled=""
        for i in $(seq 1 "$nclients"); do
            last=$(tail -n 1 "$logdir/w$i.log" 2>/dev/null | cut -f 6)
            awk -v a="${last:-0}" -v b="$t_up" 'BEGIN { exit !(a > b) }' || stalled="$stalled w$i"
        done
        [ -z "$stalled" ] && break
        sleep 0.2
    done
    if [ -z "$stalled" ]; then ok "round $round: all $nclients clients carried on (each committed after the failover)"
    else notok "round $round: all clients carried on (no commit after the failover:$stalled)" "$(tail -qn 3 "$logdir"/w*.err)"; fi

    # the housekeeping job on the new primary, after the promotion (bounded
    # at 75 s: pg_cron 1.4 schedules by the minute)
    cron=""
    for n in $(seq 1 250); do
        cron=$(wpsql -c "SELECT (SELECT count(*) FROM cron.job_run_details d JOIN cron.job j USING (jobid)
                                   WHERE j.jobname = 'hookreg-reconcile' AND d.status = 'succeeded'
                                     AND d.start_time > to_timestamp($t_promoted))
                         || ' ' || (SELECT count(*) FROM hookreg.operation_runs r
                                       JOIN hookreg.workspaces w ON w.id = r.workspace_id
                                     WHERE w.name = 'failover-probe'
                                       AND r.type = 'ops.reconcile_adapter_runs' AND r.status = 'completed'
                                       AND r.created_at > to_timestamp($t_promoted))" 2>/dev/null)
        [[ "$cron" =~ ^[1-9][0-9]*\ [1-9] ]] && break
        sleep 0.3
    done
    if [[ "$cron" =~ ^[1-9][0-9]*\ [1-9] ]]; then
        ok "round $round: the housekeeping job ran on the new primary $new after its promotion (succeeded job runs, reconcile pass rows: $cron)"
    else
        notok "round $round: the housekeeping job ran on the new primary $new after its promotion (got: $cron)"
    fi

    if settled 120; then
        ok "round $round: $old rejoined as the standby: $(node_states)"
    else
        notok "round $round: $old rejoined as the standby" "$(node_states)" "$(tail -n 30 "$logdir/$old.keeper.log")"
        break
    fi
    for n in $(seq 1 100); do sync_ok "$new" && break; sleep 0.3; done
    sync_ok "$new" && ok "round $round: $old is the synchronous standby of $new again" \
        || notok "round $round: $old is the synchronous standby of $new again"
    launchers=$(npsql "$new" -c "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'pg_cron launcher'")/$(npsql "$old" -c "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'pg_cron launcher'")
    recov=$(npsql "$old" -c "SELECT pg_is_in_recovery()")
    if [ "$launchers" = 1/0 ] && [ "$recov" = t ]; then
        ok "round $round: pg_cron's launcher runs on the primary $new and not on the standby $old (in recovery)"
    else
        notok "round $round: pg_cron's launcher runs on the primary only (primary/standby launchers: $launchers, standby in recovery: $recov)"
    fi
    echo "# round $round done at +$(( $(date +%s) - SUITE_START ))s"
done

# ---- the end: stop the clients (bounded), final checks
touch "$stopfile"
hr_stop_bg 10 "${clients[@]}"
round=final
invariants
errs=$(grep -h -v ' committed=' "$logdir"/w*.err | head -n 20)
summary=$(grep -h ' committed=' "$logdir"/w*.err | tr '\n' ';')
if [ -z "$errs" ] && [ "$(grep -c ' committed=' "$logdir"/w*.err | awk -F: '{ s += $2 } END { print s }')" -eq "$nclients" ]; then
    ok "every client ended cleanly with no SQL error"
else
    notok "every client ended cleanly with no SQL error" "$errs"
fi
echo "# clients: $summary"
kinds=$(cut -f 1 "$logdir"/w*.log | LC_ALL=C sort -u | tr '\n' ' ')
[ "$kinds" = "ops_claim ops_complete ops_start release run set_live " ] \
    && ok "every kind of operation committed: $kinds" || notok "every kind of operation committed (got: $kinds)"
[ "$round" = final ] && [ ${#durations[@]} -eq 3 ] && ok "three failovers" || notok "three failovers (${#durations[@]} done)"
for d in "${durations[@]}"; do echo "# failover $d"; done
echo "# suite took $(( $(date +%s) - SUITE_START ))s"
exit 0
