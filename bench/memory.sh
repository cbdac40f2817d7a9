#!/usr/bin/env bash
# bench/memory.sh OUT CALLS SERVERLOG SCENARIO...: the memory phase of
# scripts/bench.sh. Does a backend's memory stay flat over CALLS calls of
# each hot function?
#
# Each SCENARIO (bench/pgbench/<scenario>.hookreg.sql) runs CALLS times in
# one pgbench connection (-c 1 -M prepared, one call a transaction); its
# backend is found by its application_name (hr-memory-<scenario>, so neither
# pgbench's own short first connection nor a backend of the previous
# scenario that is still exiting can be taken for it) and sampled every two
# seconds: its private memory (RssAnon in /proc/<pid>/status) and its memory
# contexts' grand total (pg_log_backend_memory_contexts, read back from
# SERVERLOG). A backend that goes away before its pgbench ends is looked up
# again. Then the set-returning functions' results: two scenarios call one
# SRF CALLS times (MEMORY_SRF_CALLS) inside ONE statement, so that a
# result kept for the query instead of freed per call would grow the
# backend while it is sampled:
#   srf_lateral     hookreg_resolve_live of 20 hooks, LATERAL over generate_series (FROM clause)
#   srf_targetlist  opsrun_start hitting an active run, in the select list
# MEMORY_JOBS scenarios (default 2, this machine's cores) run at a time,
# each in its own backend.
# Writes OUT/memory.tsv (every sample), OUT/memory-calls.tsv (the calls each
# scenario made) and OUT/memory.txt (bench/memory-report.py). Called by
# scripts/bench.sh with its cluster running and HR_BINDIR, PGHOST, PGPORT,
# DB exported.
set -uo pipefail
OUT=$1 CALLS=$2 SLOG=$3
shift 3
JOBS=${MEMORY_JOBS:-2}
# As many calls as the per-call scenarios: at CALLS/5, opsrun_start hitting
# an active run (no SQL since 9455d5a) ended in 6 s, too few samples to judge
SRF_CALLS=${MEMORY_SRF_CALLS:-$CALLS}
sql1() { "$HR_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -U postgres -d "$DB" -tAc "$1"; }
mkdir -p "$OUT/logs/memory"
MD=$OUT/logs/memory

# The SRF scenarios' one statement each (the data of bench/sql/30_load.sql:
# hooks b1000..b1999, tenant t of workspace (t-1)/100+1 with an active run
# of identity {"k": t}).
hooks20=$(for i in $(seq 0 19); do printf "%s'b' || (1000 + (g * 20 + $i) %% 1000)" "${i:+, }"; done | sed 's/^, //')
cat > "$MD/srf_lateral.sql" <<EOF
SELECT count(*) FROM generate_series(1, $SRF_CALLS) g, LATERAL hookreg_resolve_live(ARRAY[$hooks20]) r;
EOF
cat > "$MD/srf_targetlist.sql" <<EOF
SELECT count(*) FROM (SELECT opsrun_start((t - 1) / 100 + 1, t, 'assignments.fetch', jsonb_build_object('k', t), NULL, NULL, '{}')
                        FROM (SELECT g % 1000 + 1 AS t FROM generate_series(1, $SRF_CALLS) g) s) q;
EOF

# mem_one SCENARIO: run it and sample its backend; writes $MD/<scenario>.tsv
mem_one() {
    local sc=$1 app=hr-memory-$1 script=bench/pgbench/$1.hookreg.sql n=$CALLS extra=() t0 pid= rss mark ctx pgb start
    case "$sc" in
        srf_*) script=$MD/$sc.sql n=1 ;;
        complete)
            start=$(sql1 "SELECT bench.pool_start('hookreg', 1)")
            sql1 "SELECT bench.pool_fill('hookreg', 1, $start + $CALLS + 10)" >/dev/null
            extra=(-D "id=$start") ;;
    esac
    : > "$MD/$sc.tsv"
    PGAPPNAME=$app "$HR_BINDIR/pgbench" -n -M prepared -c 1 -j 1 -t "$n" -U bench_app "${extra[@]}" \
        -f "$script" "$DB" >"$MD/$sc.log" 2>&1 &
    pgb=$!
    t0=$(date +%s)
    while kill -0 "$pgb" 2>/dev/null; do
        # the script's connection: pgbench's first, short connection runs no
        # query, so its query text stays empty
        [ -n "$pid" ] || pid=$(sql1 "SELECT pid FROM pg_stat_activity WHERE application_name = '$app'
                                       AND query <> '' ORDER BY backend_start DESC LIMIT 1")
        rss=
        [ -n "$pid" ] && rss=$(awk '/^RssAnon:/ {print $2}' "/proc/$pid/status" 2>/dev/null)
        if [ -z "$rss" ]; then
            pid=          # not there yet, or gone (exiting): look it up again
            sleep 0.1
            continue
        fi
        mark=$(wc -l <"$SLOG")
        sql1 "SELECT pg_log_backend_memory_contexts($pid)" >/dev/null 2>&1
        sleep 0.3
        ctx=$(tail -n +"$((mark + 1))" "$SLOG" | grep -F "[$pid]" | sed -n 's/.*Grand total: \([0-9]*\) bytes.*/\1/p' | tail -1)
        printf '%s\t%s\t%s\t%s\n' "$sc" "$(( $(date +%s) - t0 ))" "$rss" "${ctx:-}" >> "$MD/$sc.tsv"
        sleep 1.7
    done
    wait "$pgb"
    local done_n
    done_n=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$MD/$sc.log")
    case "$sc" in srf_*) [ "${done_n:-0}" = 1 ] && done_n=$SRF_CALLS || done_n=0 ;; esac
    if grep -qE 'aborted|ERROR' "$MD/$sc.log"; then
        echo "memory phase: $sc: $(grep -m1 -E 'ERROR|aborted' "$MD/$sc.log" | cut -c1-200)" >> "$OUT/notes.txt"
    fi
    printf '%s\t%s\t%s\n' "$sc" "${done_n:-0}" "$(( $(date +%s) - t0 ))" > "$MD/$sc.calls"
}

t_start=$(date +%s)
running=0
for sc in "$@" srf_lateral srf_targetlist; do
    if [ "$running" -ge "$JOBS" ]; then wait -n; running=$((running - 1)); fi
    mem_one "$sc" &
    running=$((running + 1))
done
wait

printf 'scenario\tsecond\trss_anon_kb\tcontexts_bytes\n' > "$OUT/memory.tsv"
printf 'scenario\tcalls\tseconds\n' > "$OUT/memory-calls.tsv"
for sc in "$@" srf_lateral srf_targetlist; do
    cat "$MD/$sc.tsv" >> "$OUT/memory.tsv" 2>/dev/null
    cat "$MD/$sc.calls" >> "$OUT/memory-calls.tsv" 2>/dev/null
    echo "memory $sc: $(cut -f2 "$MD/$sc.calls" 2>/dev/null) calls in $(cut -f3 "$MD/$sc.calls" 2>/dev/null)s" >> "$OUT/notes.txt"
done
echo "memory phase: $(( $(date +%s) - t_start ))s ($CALLS calls each, $JOBS at a time)" >> "$OUT/machine.txt"
python3 bench/memory-report.py "$OUT/memory.tsv" "$OUT/memory-calls.tsv" "$CALLS" "$SRF_CALLS" \
    "${MEMORY_MIN_SAMPLES:-3}" > "$OUT/memory.txt"
