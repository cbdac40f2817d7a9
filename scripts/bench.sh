#!/usr/bin/env bash
# scripts/bench.sh: the benchmark (method: bench/README.md).
#
# Builds hookreg into a private install, starts a throwaway cluster tuned the
# same for every scenario, loads 1,000 hooks (10 releases each), 1,000
# tenants and their active runs, and runs pgbench -M prepared scenarios that
# alternate hookreg with its baselines in one run:
#   hookreg   the extension's C function
#   plpgsql   an equivalent PL/pgSQL function on its own copy of the tables
#   client    the seed's multi-statement client transaction
#   floor     the write-set floor: one prepared statement writing exactly the
#             rows the call writes, into copies of the tables with the same
#             constraints and indexes, with no lock, lookup or check
#   insert / readfloor / floorhit   references (bare INSERT, the read set of
#             resolve_live, the floor's INSERT hitting an active run)
# After every run the candidate's results are checked (versions gap-free,
# pointer and move history consistent, one active run per identity, no
# secret left...): a fast wrong answer cannot win.
#
# Phases: base (synchronous_commit off, then on), hooks (bench/hooks.sh: the
# hot calls on the same 20 hooks with 20 and with 10,000 hooks registered, TPS
# alternating and instructions per call by callgrind) and scale (1,000,000
# releases, 1,000,000 hook runs and 1,000,000 completed operation runs
# preloaded; hookreg and the floor, synchronous_commit off). Then EXPLAIN of
# every hot-path statement (auto_explain, nested statements) on the scale
# data. Output in bench/out/<time>/ (bench/out/latest): table.txt,
# summary.csv, results.csv, raw.tsv, ratios.png, explain.txt, pgbench logs.
# A full run (default options) also writes its results file,
# bench/results/YYYY-MM-DD-HHMM-<commit>.md (commit, machine, load before and
# after, table), and the index bench/results/README.md (bench/results.sh).
#
#   scripts/bench.sh                 full run (about 80 minutes on 2 cores, 20 of them the memory phase;
#                                    bench/README.md): results file, profile table, README link
#   scripts/bench.sh --quick         2-3 minutes: 3 s per run, one round, sync off, no scale
#   scripts/bench.sh --smoke         correctness only: 100 calls per client, 2 clients, no chart
#   options: --duration S --transactions N (per client, instead of a duration)
#            --rounds N --rounds-sync-on N --clients N --jobs N
#            --scenarios a,b,... --sync off|on|both --no-scale --scale-size N
#            --no-hooks --hooks-size N --no-hooks-profile
#            --no-explain --no-chart --profile --out DIR --port P --keep
#            --results (write bench/results/ even for a partial run) --no-results
#            --memory --memory-calls N --memory-only --memory-scenarios a,b,...
#            --no-memory --no-profile
#            --no-network --network-only --no-sanitize
# Scenarios: release_new release_repeat set_live resolve_live record_run
#            start_new start_dedupe complete
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$HR_ROOT"

ORIG_ARGS="$*"
ALL_SCENARIOS="release_new release_repeat set_live resolve_live record_run start_new start_dedupe complete"
DURATION=7 TRANSACTIONS=0 ROUNDS=2 ROUNDS_ON=3 CLIENTS=8 JOBS=2 SCENARIOS=$ALL_SCENARIOS SYNC=both
# synchronous_commit = on: three rounds, the median of which is reported. On a
# virtual disk the flush time swings from one second to the next, and with one
# round a 7 s run's luck decided (at 5f1e9c9 the floor measured below naive).
# The candidates of a round run in ABBA order and every ratio is the median
# of the ratios of one round's adjacent runs (run_phase, bench/report.sh).
SCALE=1 SCALE_SIZE=1000000 HOOKS=1 HOOKS_SIZE=10000 HK_PROFILE=1 REGISTER=1000 EXPLAIN=1 CHART=1 OUT= PORT=54347 KEEP=0 MODE=full
# the network phase (delays in ms added per round trip, seconds per run) and
# the memory phase (calls per hot function in one backend; 0 = off)
NETWORK=1 NET_DELAYS="0 0.25 0.5 1" NET_DURATION=5 MEMORY_CALLS=1000000 MEMORY_MIN_SAMPLES=3
# RESULTS: auto = write bench/results/ only for a full run; PARTIAL: an option
# narrowed the run (then it is not the full benchmark)
RESULTS=auto PARTIAL=0
# PROFILE: auto = on in a full run only (its results file carries the profile table)
PROFILE=auto

while [ $# -gt 0 ]; do
    case "$1" in
        --quick) PARTIAL=1 MODE=quick DURATION=3 ROUNDS=1 SYNC=off SCALE=0 NETWORK=0 HOOKS_SIZE=1000 HK_PROFILE=0 MEMORY_CALLS=0 ;;
        --smoke) PARTIAL=1 MODE=smoke DURATION=1 MEMORY_SRF_CALLS=30000 TRANSACTIONS=100 ROUNDS=1 CLIENTS=2 JOBS=1 SYNC=off SCALE=0 CHART=0 REGISTER=20 HOOKS_SIZE=100 HK_PROFILE=0
                 NET_DELAYS="0.25" NET_DURATION=1 MEMORY_CALLS=3000 MEMORY_MIN_SAMPLES=1 ;;
        --no-network) PARTIAL=1 NETWORK=0 ;;
        --network-only) PARTIAL=1 NETWORK=1 SCENARIOS= SCALE=0 HOOKS=0 EXPLAIN=0 MEMORY_CALLS=0 SANITIZE_BENCH=0 ;;
        --memory) MEMORY_CALLS=1000000 ;;
        --memory-calls) [ "$2" != 1000000 ] && PARTIAL=1; MEMORY_CALLS=$2; shift ;;
        --no-memory) PARTIAL=1 MEMORY_CALLS=0 ;;
        --memory-only) PARTIAL=1; [ "$MEMORY_CALLS" = 0 ] && MEMORY_CALLS=1000000
                       NETWORK=0 SCENARIOS= SCALE=0 HOOKS=0 EXPLAIN=0 ;;
        --memory-scenarios) PARTIAL=1 MEMORY_SCENARIOS=${2//,/ }; shift ;;
        --duration) PARTIAL=1 DURATION=$2; shift ;;
        --transactions) PARTIAL=1 TRANSACTIONS=$2; shift ;;
        --rounds) PARTIAL=1 ROUNDS=$2; shift ;;
        --rounds-sync-on) PARTIAL=1 ROUNDS_ON=$2; shift ;;
        --clients) PARTIAL=1 CLIENTS=$2; shift ;;
        --jobs) JOBS=$2; shift ;;
        --scenarios) PARTIAL=1 SCENARIOS=${2//,/ }; shift ;;
        --sync) PARTIAL=1 SYNC=$2; shift ;;
        --no-scale) PARTIAL=1 SCALE=0 ;;
        --no-hooks) PARTIAL=1 HOOKS=0 ;;
        --hooks-size) PARTIAL=1 HOOKS_SIZE=$2; shift ;;
        --no-hooks-profile) PARTIAL=1 HK_PROFILE=0 ;;
        --scale-size) PARTIAL=1 SCALE_SIZE=$2; shift ;;
        --no-explain) EXPLAIN=0 ;;
        --no-chart) CHART=0 ;;
        --profile) PROFILE=1 ;;
        --no-profile) PARTIAL=1 PROFILE=0 ;;
        --out) PARTIAL=1 OUT=$2; shift ;;
        --port) PORT=$2; shift ;;
        --keep) KEEP=1 ;;
        --no-sanitize) SANITIZE_BENCH=0 ;;
        --results) RESULTS=1 ;;
        --no-results) RESULTS=0 ;;
        -h|--help) sed -n '2,/^# Scenarios/{s/^# \{0,1\}//;p}' "$0"; sed -n '/^# Scenarios/{n;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
        *) hr_die "unknown option $1 (see --help)" ;;
    esac
    shift
done
[ "$PROFILE" = auto ] && { [ "$MODE" = full ] && [ "$PARTIAL" = 0 ] && PROFILE=1 || PROFILE=0; }
for s in $SCENARIOS; do
    case " $ALL_SCENARIOS " in *" $s "*) ;; *) hr_die "unknown scenario $s" ;; esac
done
case "$SYNC" in off) PHASES="base:off" ;; on) PHASES="base:on" ;; both) PHASES="base:off base:on" ;;
    *) hr_die "--sync off|on|both" ;; esac
[ -z "$SCENARIOS" ] && PHASES=""
[ "$SCALE" = 1 ] && PHASES="$PHASES scale:off"

# The network phase makes the server listen on 127.0.0.1 too: unlike the
# private Unix socket, a TCP port is shared by every run on the machine, so
# the port must be free there (another checkout's run may hold the default).
tcp_free() { python3 -c 'import socket,sys; s=socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1])))' "$1" 2>/dev/null; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
if [ "$NETWORK" = 1 ] && ! tcp_free "$PORT"; then PORT=$(free_port); fi

# before the build: the load the run starts into
START_DATE=$(date -u '+%Y-%m-%d %H:%M UTC')
START_LOAD=$(cut -d' ' -f1-3 /proc/loadavg)

extra_pkgs=""
[ "$CHART" = 1 ] && extra_pkgs="gnuplot-nox"
{ [ "$PROFILE" = 1 ] || { [ "$HOOKS" = 1 ] && [ "$HK_PROFILE" = 1 ]; }; } && extra_pkgs="$extra_pkgs valgrind"
hr_ensure_packages $extra_pkgs
hr_pg_paths
hr_build

STAMP=$(date -u +%Y%m%d-%H%M%S)
OUT=${OUT:-$HR_ROOT/bench/out/$STAMP}
mkdir -p "$OUT/logs"
WORK=$(mktemp -d "${HR_TMPDIR:-/tmp}/hookreg-bench.XXXXXX")
chmod 755 "$WORK"
DATA=$WORK/data SOCK=$WORK/sock LOG=$OUT/server.log DB=hookreg_bench
export PGHOST=$SOCK PGPORT=$PORT PGUSER=postgres

cleanup() {
    hr_cluster_stop "$DATA"
    if [ "$KEEP" = 1 ]; then hr_log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

psql_db() { "$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -U postgres -d "$DB" "$@"; }
sql1() { psql_db -tAc "$1"; }

hr_log "private install and cluster in $WORK, results in $OUT"
hr_private_install "$WORK/install"
# The same settings for every scenario; only synchronous_commit changes
# between phases. Checkpoints are spaced so that none starts in a run.
hr_cluster_init "$DATA" "$SOCK" "$PORT" "$DB" "
shared_buffers = 2GB
effective_cache_size = 8GB
work_mem = 16MB
maintenance_work_mem = 512MB
wal_buffers = 64MB
max_wal_size = 16GB
min_wal_size = 2GB
checkpoint_timeout = 60min
checkpoint_completion_target = 0.9
random_page_cost = 1.1
jit = off
synchronous_commit = off
listen_addresses = '127.0.0.1'
log_min_messages = log
autovacuum_vacuum_scale_factor = 0.05
autovacuum_analyze_scale_factor = 0.05
log_checkpoints = on"
hr_cluster_start "$DATA" "$LOG"
"$PG_BINDIR/psql" -X -q -U postgres -d postgres -c "CREATE DATABASE $DB" || hr_die "createdb failed"
psql_db -c "CREATE EXTENSION hookreg" || hr_die "CREATE EXTENSION hookreg failed"

# ------------------------------------------------------------------ machine
{
    echo "date: $START_DATE"
    echo "commit: $(git -C "$HR_ROOT" rev-parse HEAD 2>/dev/null || echo unknown)"
    echo "branch: $(git -C "$HR_ROOT" rev-parse --abbrev-ref HEAD 2>/dev/null || echo unknown)"
    # uncommitted changes to tracked files (bench/out/ and bench/results/ aside)
    if [ -n "$(git -C "$HR_ROOT" status --porcelain --untracked-files=no -- . ':!bench/results' 2>/dev/null)" ]; then
        echo "dirty: yes"
    else
        echo "dirty: no"
    fi
    echo "cpu: $(nproc) x $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
    echo "memory: $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
    echo "load average at start: $START_LOAD"
    echo "kernel: $(uname -r)"
    echo "server: $("$PG_BINDIR/postgres" --version)"
    echo "settings: shared_buffers=2GB, max_wal_size=16GB, checkpoint_timeout=60min, jit=off, fsync=on"
    echo "command: scripts/bench.sh $ORIG_ARGS"
    echo "mode: $MODE; duration ${DURATION}s per run; rounds $ROUNDS (sync on: $ROUNDS_ON); clients $CLIENTS; pgbench threads $JOBS; pgbench -M prepared"
} > "$OUT/machine.txt"

# --------------------------------------------------------------------- load
hr_log "loading: 1,000 hooks x 10 releases, 1,000 tenants, baselines"
t0=$(date +%s)
for f in bench/sql/10_setup.sql bench/sql/20_plpgsql.sql bench/sql/25_naive.sql bench/sql/30_load.sql bench/sql/40_checks.sql; do
    psql_db -v register="$REGISTER" -f "$f" >"$OUT/logs/load.log" 2>&1 || { cat "$OUT/logs/load.log" >&2; hr_die "loading $f failed"; }
done
psql_db -c "VACUUM ANALYZE" -c "CHECKPOINT" >/dev/null
hr_log "loaded in $(( $(date +%s) - t0 ))s"
echo "load time: $(( $(date +%s) - t0 ))s" >> "$OUT/machine.txt"

have_fn() { [ "$(sql1 "SELECT bench.have_function('$1')")" = t ]; }
HAVE_LEDGER=$(sql1 "SELECT bench.have_tables(bench.ledger_tables())")

# which hookreg function each scenario measures
fn_of() {
    case "$1" in
        release_new|release_repeat) echo 'hookreg_create_release(text,text,text,jsonb,jsonb,text,text)' ;;
        set_live) echo 'hookreg_set_live(text,integer)' ;;
        resolve_live) echo 'hookreg_resolve_live(text[])' ;;
        record_run) echo 'hookreg_record_run(uuid,text,timestamptz,timestamptz,integer,text,double precision,uuid)' ;;
        start_new|start_dedupe) echo 'opsrun_start(bigint,bigint,text,jsonb,text,bigint,jsonb)' ;;
        complete) echo 'opsrun_complete(bigint,text,jsonb,jsonb)' ;;
    esac
}
candidates_of() {
    case "$1" in
        release_new) echo "hookreg naive floor plpgsql client insert events" ;;
        complete) echo "hookreg floor plpgsql client events" ;;
        start_new) echo "hookreg naive floor plpgsql client" ;;
        resolve_live) echo "hookreg floor plpgsql client readfloor" ;;
        start_dedupe) echo "hookreg floor plpgsql client floorhit" ;;
        *) echo "hookreg floor plpgsql client" ;;
    esac
}
is_ledger() { case "$1" in start_new|start_dedupe|complete) return 0 ;; esac; return 1; }

# The preloaded releases must be hookreg releases in every respect: the same
# content again is the same release.
if have_fn "$(fn_of release_new)"; then
    pre=$(sql1 "SET ROLE bench_app; SELECT created::text || '/' || (release_id = bench.rel_id('b1999', 3))::text
                FROM hookreg_create_release('b1999', bench.image('b1999'), bench.pre_digest('b1999', 3), '{}', '{}', 'x', NULL)" | tail -1)
    if [ "$pre" != "false/true" ]; then
        echo "preload check: hookreg_create_release of preloaded content answered created/same-id = $pre (expected false/true): the preloaded release_digest differs from hookreg's" | tee -a "$OUT/notes.txt" >&2
    fi
fi
sql1 "SELECT note FROM bench.notes" >> "$OUT/notes.txt"

# ------------------------------------------------------------------- runs
RAW=$OUT/raw.tsv
printf 'phase\tsync\tscenario\tcandidate\tround\ttps\tlatency_ms\ttxns\tcheck\n' > "$RAW"
declare -A EST_TPS

available() {  # available SCENARIO CANDIDATE -> 0 when it can run
    local sc=$1 cand=$2
    if is_ledger "$sc" && [ "$HAVE_LEDGER" != t ]; then return 1; fi
    if [ "$cand" = hookreg ] && ! have_fn "$(fn_of "$sc")"; then return 1; fi
    # events: hookreg itself with NOTIFY on (hookreg_set_events), no listener
    if [ "$cand" = events ] && ! { have_fn "$(fn_of "$sc")" && have_fn 'hookreg_set_events(boolean,boolean)'; }; then return 1; fi
    return 0
}

run_one() {  # run_one PHASE SYNC SCENARIO CANDIDATE ROUND
    local phase=$1 sync=$2 sc=$3 cand=$4 round=$5
    local script=bench/pgbench/$sc.$cand.sql schema log extra=() since out tps lat txns check
    log=$OUT/logs/$phase-$sync-$sc-$cand-$round.log
    if ! available "$sc" "$cand"; then
        printf '%s\t%s\t%s\t%s\t%s\t\t\t\tnot available yet\n' "$phase" "$sync" "$sc" "$cand" "$round" >> "$RAW"
        return
    fi
    schema=$(sql1 "SELECT bench.schema_of('$sc', '$cand')")
    if [ "$sc" = complete ]; then
        # a fresh queued run for every call: size the pool from the last measurement
        # (per client, twice the last TPS of this candidate: clients are not equally fast)
        local est=${EST_TPS[$sc.$cand]:-20000} start need
        start=$(sql1 "SELECT bench.pool_start('$schema', $CLIENTS)")
        need=$(( est * DURATION * 2 / CLIENTS + 1000 ))
        [ "$TRANSACTIONS" -gt 0 ] && need=$(( TRANSACTIONS + 10 ))
        sql1 "SELECT bench.pool_fill('$schema', $CLIENTS, $start + $need)" >/dev/null
        extra=(-D "id=$start")
    fi
    since=$(sql1 "SELECT bench.snapshot('$schema'); SELECT clock_timestamp()" | tail -1)
    local length=(-T "$DURATION")
    [ "$TRANSACTIONS" -gt 0 ] && length=(-t "$TRANSACTIONS")
    [ "$cand" = events ] && sql1 "SELECT count(*) FROM hookreg_set_events(true, true)" >/dev/null
    "$HR_BINDIR/pgbench" -n -M prepared -c "$CLIENTS" -j "$JOBS" "${length[@]}" -U bench_app \
        "${extra[@]}" -f "$script" "$DB" >"$log" 2>&1
    [ "$cand" = events ] && sql1 "SELECT count(*) FROM hookreg_set_events(false, false)" >/dev/null
    tps=$(sed -n 's/^tps = \([0-9.]*\) .*/\1/p' "$log" | tail -1)
    lat=$(sed -n 's/^latency average = \([0-9.]*\) ms.*/\1/p' "$log")
    txns=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$log")
    if grep -qE 'aborted|Run was aborted|ERROR' "$log"; then
        check="pgbench error: $(grep -m1 -E 'ERROR|aborted' "$log" | cut -c1-200)"
    else
        check=$(sql1 "SELECT bench.check('$sc', '$cand', ${txns:-0}, $CLIENTS, '$since')" 2>&1 | tail -1)
    fi
    [ -n "$tps" ] && EST_TPS[$sc.$cand]=${tps%.*}
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$phase" "$sync" "$sc" "$cand" "$round" \
        "${tps:-}" "${lat:-}" "${txns:-}" "$check" >> "$RAW"
    printf '  %-6s %-3s %-15s %-9s r%s %10s tps %8s ms  %s\n' "$phase" "$sync" "$sc" "$cand" "$round" \
        "${tps:-?}" "${lat:-?}" "$check" >&2
}

run_phase() {  # run_phase PHASE SYNC ROUNDS CANDIDATE_FILTER
    local phase=$1 sync=$2 rounds=$3 filter=$4 r sc cands c i n
    sql1 "ALTER SYSTEM SET synchronous_commit = $sync" >/dev/null
    sql1 "SELECT pg_reload_conf()" >/dev/null
    sql1 "CHECKPOINT" >/dev/null
    hr_log "phase $phase, synchronous_commit = $sync, $rounds round(s) of ${DURATION}s runs"
    for r in $(seq 1 "$rounds"); do
        for sc in $SCENARIOS; do
            read -r -a cands <<<"$(candidates_of "$sc")"
            if [ -n "$filter" ]; then
                local kept=()
                for c in "${cands[@]}"; do case " $filter " in *" $c "*) kept+=("$c") ;; esac; done
                cands=("${kept[@]}")
            fi
            # ABBA: odd rounds in the order above, even rounds reversed, so
            # hookreg runs next to naive (then the floor) in every round and
            # first as often as last; the report's ratios pair the runs of
            # one round (bench/README.md, "Decisions of the method")
            n=${#cands[@]}
            for i in $(seq 0 $((n - 1))); do
                if [ $(( r % 2 )) = 1 ]; then c=${cands[$i]}; else c=${cands[$(( n - 1 - i ))]}; fi
                run_one "$phase" "$sync" "$sc" "$c" "$r"
            done
        done
    done
}

T_RUNS=$(date +%s)
for ph in $PHASES; do
    phase=${ph%%:*} sync=${ph##*:}
    if [ "$phase" = scale ]; then
        per_hook=$(( SCALE_SIZE / 1000 ))
        hr_log "scale: loading $SCALE_SIZE releases, $SCALE_SIZE hook runs, $SCALE_SIZE completed operation runs"
        t0=$(date +%s)
        psql_db -v per_hook="$per_hook" -v runs="$SCALE_SIZE" -f bench/sql/50_scale.sql >"$OUT/logs/scale-load.log" 2>&1 \
            || { cat "$OUT/logs/scale-load.log" >&2; hr_die "scale load failed"; }
        hr_log "scale data loaded in $(( $(date +%s) - t0 ))s"
        echo "scale load: $(( $(date +%s) - t0 ))s" >> "$OUT/machine.txt"
        run_phase scale "$sync" "$ROUNDS" "hookreg floor"
    elif [ "$sync" = on ]; then
        run_phase base on "$ROUNDS_ON" ""
    else
        run_phase base off "$ROUNDS" ""
    fi
done
if [ "$HOOKS" = 1 ]; then
    sql1 "ALTER SYSTEM SET synchronous_commit = off" >/dev/null
    sql1 "SELECT pg_reload_conf()" >/dev/null
    export DATA HR_BINDIR PGHOST PGPORT CLIENTS JOBS DURATION TRANSACTIONS ROUNDS HK_PROFILE
    bash bench/hooks.sh "$OUT" "$HOOKS_SIZE" || echo "hooks phase failed" | tee -a "$OUT/notes.txt" >&2
fi
echo "runs: $(( $(date +%s) - T_RUNS ))s" >> "$OUT/machine.txt"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.txt"

# ----------------------------------------------------------------- explain
if [ "$EXPLAIN" = 1 ]; then
    hr_log "EXPLAIN of every hot-path statement (auto_explain, nested statements)"
    "$PG_BINDIR/psql" -X -U postgres -d "$DB" -f bench/sql/60_explain.sql >"$OUT/logs/explain.out" 2>&1
    bash bench/explain-report.sh "$OUT/logs/explain.out" > "$OUT/explain.txt"
fi

# ----------------------------------------------------------------- network
# A delaying proxy of the project's own (bench/netdelay.c, built here into
# the run's private directory) on loopback in front of the server's TCP port
# adds DELAY ms to every round trip. Each candidate of release_new and
# start_new runs through it with 1 and with $CLIENTS connections; pgbench logs
# every transaction, so latency percentiles come from all of them. The
# proxy's own cost: SELECT 1 through the proxy at each delay against SELECT 1
# straight to the server just before, with 1 and with $CLIENTS connections.
if [ "$NETWORK" = 1 ]; then
    hr_log "network phase: delays $NET_DELAYS ms, ${NET_DURATION}s per run"
    NETRAW=$OUT/net.tsv
    printf 'delay_ms\tscenario\tcandidate\tclients\ttps\tp50_ms\tp99_ms\ttxns\tcheck\n' > "$NETRAW"
    echo 'SELECT 1;' > "$OUT/logs/select1.sql"
    sql1 "ALTER SYSTEM SET synchronous_commit = on" >/dev/null; sql1 "SELECT pg_reload_conf()" >/dev/null
    PROXY_PORT=$(free_port)
    NETDELAY=$WORK/netdelay
    cc -O2 -Wall -Wextra -Werror -o "$NETDELAY" bench/netdelay.c || hr_die "building bench/netdelay.c failed"
    # Latency percentiles from pgbench's per-transaction logs (PREFIX.PID[.N],
    # not PREFIX.log, its output): each line is client_id transaction_no
    # time script_no time_epoch time_us. Column 3 (latency in us) cannot be
    # used: the pgbench of PostgreSQL 15 writes 0 there for a good share of
    # transactions shorter than ~0.1 ms (its clock is read lazily), which made
    # SELECT 1 straight to the server show a p50 of 0.000 ms. The completion
    # times (time_epoch, time_us) are right, and one client's transactions run
    # back to back, so a transaction's latency is the time since the same
    # client's previous completion (the first one of each client is left out).
    # The gap includes pgbench's own microsecond or two between transactions,
    # the same straight to the server and through the proxy.
    pct() { cat "$1".[0-9]* 2>/dev/null | awk '{printf "%s %s %.0f\n", $1, $2, $5 * 1000000 + $6}' \
              | sort -k1,1n -k2,2n | awk 'NR > 1 && $1 == c {printf "%.0f\n", $3 - t} {c = $1; t = $3}' \
              | sort -n | awk -v p="$2" '{a[NR] = $1} END {
              if (NR == 0) { print ""; exit } i = int(p * NR); if (i < 1) i = 1; printf "%.3f", a[i] / 1000 }'; }
    net_run() {  # net_run DELAY SCENARIO CANDIDATE CLIENTS PORT
        # one pgbench thread per connection: with several connections on a
        # thread, pgbench 15's completion times are stale too (see pct)
        local d=$1 sc=$2 cand=$3 c=$4 port=$5 log prefix schema since tps txns check j=$4
        prefix=$OUT/logs/net-$d-$sc-$cand-$c; log=$prefix.log; rm -f "$prefix".[0-9]*
        schema=$(sql1 "SELECT bench.schema_of('$sc', '$cand')")
        since=$(sql1 "SELECT bench.snapshot('$schema'); SELECT clock_timestamp()" | tail -1)
        local script=bench/pgbench/$sc.$cand.sql
        [ "$sc" = select1 ] && script=$OUT/logs/select1.sql
        local length=(-T "$NET_DURATION"); [ "$TRANSACTIONS" -gt 0 ] && length=(-t "$TRANSACTIONS")
        timeout $(( NET_DURATION * 4 + 120 )) "$HR_BINDIR/pgbench" -n -M prepared -h 127.0.0.1 -p "$port" -c "$c" -j "$j" \
            "${length[@]}" -U bench_app -l --log-prefix="$prefix" -f "$script" "$DB" >"$log" 2>&1
        tps=$(sed -n 's/^tps = \([0-9.]*\) .*/\1/p' "$log" | tail -1)
        txns=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$log")
        if [ "$sc" = select1 ]; then check=ok
        elif grep -qE 'aborted|ERROR' "$log"; then check="pgbench error: $(grep -m1 -E 'ERROR|aborted' "$log" | cut -c1-200)"
        else check=$(sql1 "SELECT bench.check('$sc', '$cand', ${txns:-0}, $c, '$since')" 2>&1 | tail -1); fi
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$d" "$sc" "$cand" "$c" "${tps:-}" "$(pct "$prefix" 0.50)" \
            "$(pct "$prefix" 0.99)" "${txns:-}" "$check" >> "$NETRAW"
        printf '  net %-5s %-12s %-8s c%-2s %10s tps p50 %s ms p99 %s ms  %s\n' "$d" "$sc" "$cand" "$c" "${tps:-?}" \
            "$(pct "$prefix" 0.50)" "$(pct "$prefix" 0.99)" "$check" >&2
        rm -f "$prefix".[0-9]*
    }
    for d in $NET_DELAYS; do
        # SELECT 1 straight to the server just before the same through the
        # proxy: each delay has its own baseline, taken seconds apart (a
        # single one at the start made the proxy's cost swing with the load)
        net_run "$d" select1 direct 1 "$PORT"
        net_run "$d" select1 direct "$CLIENTS" "$PORT"
        # it raises its own priority (nice -10) when it may: a link does not
        # wait for CPU behind the server
        "$NETDELAY" "$PROXY_PORT" "$PORT" "$d" --stats "$OUT/logs/proxy-$d.txt" &
        proxy=$!
        for i in $(seq 1 50); do (exec 3<>/dev/tcp/127.0.0.1/$PROXY_PORT) 2>/dev/null && break; sleep 0.1; done
        net_run "$d" select1 proxy 1 "$PROXY_PORT"
        net_run "$d" select1 proxy "$CLIENTS" "$PROXY_PORT"
        for sc in release_new start_new; do
            for c in 1 "$CLIENTS"; do
                for cand in hookreg naive plpgsql client; do
                    available "$sc" "$cand" && net_run "$d" "$sc" "$cand" "$c" "$PROXY_PORT"
                done
            done
        done
        kill "$proxy" 2>/dev/null
        for i in $(seq 1 50); do kill -0 "$proxy" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$proxy" 2>/dev/null; wait "$proxy" 2>/dev/null
    done
    python3 bench/net-report.py "$NETRAW" "$OUT/logs" > "$OUT/network.txt" || echo "network report failed" >&2
    sql1 "ALTER SYSTEM SET synchronous_commit = off" >/dev/null; sql1 "SELECT pg_reload_conf()" >/dev/null
fi

# ------------------------------------------------------------------ memory
# One backend per hot function makes MEMORY_CALLS calls of it, then two
# set-returning functions are called MEMORY_CALLS times inside one
# statement each; the backends' private memory and memory contexts are
# sampled all along (bench/memory.sh, bench/memory-report.py): flat means the
# last sample is within 1 MiB of the first one after the first 20% of the run.
if [ "$MEMORY_CALLS" -gt 0 ]; then
    hr_log "memory phase: $MEMORY_CALLS calls of each hot function in one backend, ${MEMORY_JOBS:-2} at a time"
    sql1 "ALTER SYSTEM SET synchronous_commit = off" >/dev/null; sql1 "SELECT pg_reload_conf()" >/dev/null
    mem_scen=()
    for sc in ${MEMORY_SCENARIOS:-$ALL_SCENARIOS}; do available "$sc" hookreg && mem_scen+=("$sc"); done
    export HR_BINDIR PGHOST PGPORT DB MEMORY_MIN_SAMPLES MEMORY_SRF_CALLS
    bash bench/memory.sh "$OUT" "$MEMORY_CALLS" "$LOG" "${mem_scen[@]}" \
        || echo "memory phase: not every hot function was measured flat (memory.txt)" | tee -a "$OUT/notes.txt" >&2
fi

# ------------------------------------------------------------------ sanitizing
# The cost of sanitizing one message, against 0.1.0's sanitizer (bench/README.md).
if [ "$MODE" != smoke ] && [ "${SANITIZE_BENCH:-1}" = 1 ]; then
    hr_log "sanitizing cost against 0.1.0 (bench/sanitize/run.sh)"
    bash bench/sanitize/run.sh "$OUT" >"$OUT/logs/sanitize.log" 2>&1 || echo "sanitize bench failed (see $OUT/logs/sanitize.log)" >&2
fi

# ------------------------------------------------------------------ report
[ -s "$RAW" ] && [ "$(wc -l <"$RAW")" -gt 1 ] || printf 'phase\tsync\tscenario\tcandidate\tround\ttps\tlatency_ms\ttxns\tcheck\n' > "$RAW"
bash bench/report.sh "$OUT" "$CLIENTS" "$SCALE_SIZE" || hr_die "report failed"
if [ "$CHART" = 1 ]; then
    if command -v gnuplot >/dev/null; then
        bash bench/chart.sh "$OUT" || echo "chart failed" >&2
    else
        echo "gnuplot missing: no chart" >&2
    fi
fi
if [ "$PROFILE" = 1 ]; then
    hr_log "profiling the hot paths with callgrind"
    export DATA DB HR_BINDIR PGHOST PGPORT
    # the scenarios measured, every candidate of each that has a script
    PROFILE_SCENARIOS=${PROFILE_SCENARIOS:-$SCENARIOS} PROFILE_CANDIDATES=${PROFILE_CANDIDATES:-"hookreg naive plpgsql floor floorhit readfloor"} \
        bash bench/profile.sh "$OUT" || echo "profile failed" >&2
    echo "profile calls: ${PROFILE_CALLS:-400}" >> "$OUT/machine.txt"
fi
if [ "$(dirname "$OUT")" = "$HR_ROOT/bench/out" ]; then
    ln -sfn "$(basename "$OUT")" "$HR_ROOT/bench/out/latest"
fi
if [ "$RESULTS" = 1 ] || { [ "$RESULTS" = auto ] && [ "$PARTIAL" = 0 ]; }; then
    # a full run also points the README's performance section at its file
    readme=; [ "$PARTIAL" = 0 ] && [ "$MODE" = full ] && readme=$HR_ROOT/README.md
    echo "results file: $(bash bench/results.sh "$OUT" "$HR_ROOT/bench/results" $readme)" >&2
fi
cat "$OUT/table.txt"
[ -f "$OUT/network.txt" ] && cat "$OUT/network.txt"
[ -f "$OUT/memory.txt" ] && cat "$OUT/memory.txt"
[ -f "$OUT/explain.txt" ] && grep -E '^(FAIL|ok)' "$OUT/explain.txt" | tail -3
echo "results: $OUT"
# a failed correctness check, or a hot function whose memory grew or was
# not measured, fails the command
! grep -qP '\t(?!ok$|check$|not available yet$)[^\t]*$' "$RAW" ${NETRAW:+"$NETRAW"} &&
    ! { [ -f "$OUT/memory.txt" ] && grep -qE '  (GROWS|NOT MEASURED)' "$OUT/memory.txt"; }
