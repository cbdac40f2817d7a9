#!/usr/bin/env bash
# bench/hooks.sh OUT SIZE: the hooks phase of scripts/bench.sh. Does any hot
# call get slower as the registry grows in hooks? Two databases of the
# benchmark's cluster: hk_small with 20 hooks, hk_large with SIZE hooks (each
# with its feature table); in both the same 20 hooks are measured. Each
# scenario (bench/pgbench/hk_*.hookreg.sql: record_run, create_release,
# set_live, resolve_live of the 20 hooks, a feature-row insert) runs in
# alternation on the two databases, ROUNDS times, with the benchmark's
# clients, duration and pgbench -M prepared; with HK_PROFILE=1 the same
# scripts then run under callgrind (bench/profile.sh, PROFILE_CALLS calls on
# one connection) for instructions per call, which do not depend on the load.
# Writes OUT/hooks.txt (the table, with the large/small ratios and a verdict:
# within 10%) and OUT/hooks.tsv. Called with the benchmark's cluster running
# and DATA, HR_BINDIR, PGHOST, PGPORT, CLIENTS, JOBS, DURATION, TRANSACTIONS,
# ROUNDS exported; leaves the cluster running.
set -uo pipefail
OUT=$1 SIZE=$2
SCEN="hk_record_run hk_release_new hk_set_live hk_resolve_live hk_feature_insert"
P=${HK_PROFILE:-0}
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
psql_pg() { "$HR_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -U postgres "$@"; }
log() { printf '== %s\n' "$*" >&2; }

t0=$(date +%s)
for db in hk_small:20 hk_large:$SIZE; do
    name=${db%%:*} n=${db#*:}
    psql_pg -d postgres -c "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name" >/dev/null || exit 1
    log "hooks phase: $name with $n hooks"
    psql_pg -d "$name" -v hooks="$n" -f bench/sql/70_hooks.sql >"$OUT/logs/hooks-load-$name.log" 2>&1 \
        || { tail -n 20 "$OUT/logs/hooks-load-$name.log" >&2; exit 1; }
done
echo "hooks load: $(( $(date +%s) - t0 ))s ($SIZE hooks)" >> "$OUT/machine.txt"

TSV=$OUT/hooks.tsv
printf 'scenario\tdb\tround\ttps\tlatency_ms\ttxns\n' > "$TSV"
length=(-T "$DURATION"); [ "${TRANSACTIONS:-0}" -gt 0 ] && length=(-t "$TRANSACTIONS")
for r in $(seq 1 "$ROUNDS"); do
    for sc in $SCEN; do
        # alternate which database goes first
        order="hk_small hk_large"; [ $((r % 2)) = 0 ] && order="hk_large hk_small"
        for db in $order; do
            lg=$OUT/logs/hooks-$sc-$db-$r.log
            "$HR_BINDIR/pgbench" -n -M prepared -c "$CLIENTS" -j "$JOBS" "${length[@]}" -U bench_app \
                -f "bench/pgbench/$sc.hookreg.sql" "$db" >"$lg" 2>&1
            tps=$(sed -n 's/^tps = \([0-9.]*\) .*/\1/p' "$lg" | tail -1)
            lat=$(sed -n 's/^latency average = \([0-9.]*\) ms.*/\1/p' "$lg")
            txns=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$lg")
            grep -qE 'aborted|ERROR' "$lg" && { echo "hooks phase: $sc on $db failed: $(grep -m1 -E 'ERROR|aborted' "$lg")" >&2; tps=; }
            printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$sc" "$db" "$r" "${tps:-}" "${lat:-}" "${txns:-}" >> "$TSV"
            printf '  hooks  %-18s %-9s r%s %10s tps %8s ms\n' "$sc" "$db" "$r" "${tps:-?}" "${lat:-?}" >&2
        done
    done
done

# instructions per call (callgrind; bench/profile.sh restarts the server
# under valgrind and stops it at the end)
if [ "$P" = 1 ]; then
    # Both databases leave the TPS rounds with dead row versions of the 20
    # measured hooks (set_live updates their pointers thousands of times, and
    # how long each HOT chain is when the profile starts depends on where
    # page pruning last happened). Vacuumed first, the profile compares the
    # registry sizes and not those leftovers (seen: resolve_live spent 3x the
    # instructions in heap_hot_search_buffer on one database than on the other).
    for db in hk_small hk_large; do
        psql_pg -d "$db" -c "VACUUM (ANALYZE) hookreg.live_pointers, hookreg.hook_releases, hookreg.hook_runs, hookreg.live_moves" >/dev/null \
            || echo "hooks phase: VACUUM of $db failed" >&2
    done
    # bench/profile.sh stops the server with pg_ctl's default wait (60 s);
    # after loading 10,000 tables the shutdown checkpoint can take longer
    stop_server() {
        "$HR_BINDIR/psql" -X -q -U postgres -d postgres -c "CHECKPOINT" >/dev/null 2>&1
        as_pg "$HR_BINDIR/pg_ctl" -D "$DATA" -m fast -w -t 600 stop >/dev/null 2>&1
    }
    for db in hk_small hk_large; do
        if [ "$db" = hk_small ]; then stop_server; fi
        log "hooks phase: instructions per call on $db (callgrind)"
        mkdir -p "$OUT/hooks-$db"
        DB=$db PROFILE_SCENARIOS="$SCEN" PROFILE_CANDIDATES=hookreg PROFILE_CALLS=${PROFILE_CALLS:-300} \
            bash bench/profile.sh "$OUT/hooks-$db" >/dev/null 2>&1 || echo "hooks phase: profile of $db failed" >&2
    done
    as_pg "$HR_BINDIR/pg_ctl" -D "$DATA" -l "$OUT/server.log" -w -t 120 start >/dev/null \
        || { echo "hooks phase: the server did not restart" >&2; exit 1; }
fi

ir_of() {  # ir_of DB SCENARIO: instructions per call, or empty
    awk -v s="$2" '$1 == s && $2 == "hookreg" { print $3 }' "$OUT/hooks-$1/profile/summary.txt" 2>/dev/null
}
{
    echo "Hooks phase: the same 20 hooks measured with 20 and with $SIZE hooks registered"
    echo "(median TPS of $ROUNDS alternating round(s); instructions per call by callgrind$( [ "$P" = 1 ] || echo ': not run, HK_PROFILE=0'))."
    printf '%-18s %12s %12s %7s %14s %14s %7s  %s\n' scenario "tps 20" "tps $SIZE" ratio "instr 20" "instr $SIZE" ratio verdict
    for sc in $SCEN; do
        med() { awk -F'\t' -v s="$sc" -v d="$1" '$1 == s && $2 == d && $4 != "" { print $4 }' "$TSV" | sort -g \
                | awk '{ a[NR] = $1 } END { if (NR) print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
        ts=$(med hk_small) tl=$(med hk_large)
        is=$(ir_of hk_small "$sc") il=$(ir_of hk_large "$sc")
        awk -v sc="$sc" -v ts="$ts" -v tl="$tl" -v is="$is" -v il="$il" 'BEGIN {
            rt = (ts > 0 && tl != "") ? tl / ts : -1
            ri = (is > 0 && il != "") ? il / is : -1
            v = "ok"
            if (rt < 0 || rt < 0.9) v = "SLOWER (tps)"
            if (ri >= 0 && ri > 1.1) v = (v == "ok" ? "SLOWER (instructions)" : v " and instructions")
            printf "%-18s %12s %12s %7s %14s %14s %7s  %s\n", sc, ts, tl, (rt < 0 ? "-" : sprintf("%.2f", rt)),
                   (is == "" ? "-" : is), (il == "" ? "-" : il), (ri < 0 ? "-" : sprintf("%.3f", ri)), v }'
    done
} > "$OUT/hooks.txt"
cat "$OUT/hooks.txt" >&2
