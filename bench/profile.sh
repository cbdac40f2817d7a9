#!/usr/bin/env bash
# bench/profile.sh OUT: where the time of each hot path goes, by callgrind
# (this machine has no hardware counters for perf: `perf stat -e
# instructions` is "not supported"). Called by scripts/bench.sh --profile
# with its cluster (DATA, SOCK, PGPORT, DB, HR_BINDIR exported) loaded.
#
# The server is restarted under valgrind --tool=callgrind; each scenario's
# pgbench script then runs N times on ONE connection (-c 1 -M prepared), so
# its backend's profile file holds exactly that script. Collection is on
# only inside the per-call work: choosing the cached plan and starting the
# portal (GetCachedPlan, PortalStart: the bind), running it (PortalRun) and
# the commit (CommitTransactionCommand); connection start-up and the first
# prepare are left out. (The server binary is stripped of its static
# symbols, so exported functions mark the phases; time in static functions
# shows up under the exported caller.) Instruction counts are deterministic, so
# unlike TPS on a shared machine they compare hookreg with its floor
# exactly: profile/summary.txt gives instructions per call (and how many of
# them are spent in SPI statements, the commit, canonical JSON + SHA-256 and
# the sanitizer), and
# profile-<scenario>.<candidate>.txt the inclusive and exclusive top
# functions.
set -uo pipefail
OUT=$1
N=${PROFILE_CALLS:-400}
SCEN=${PROFILE_SCENARIOS:-"release_new release_repeat set_live resolve_live record_run start_new start_dedupe complete"}
CANDS=${PROFILE_CANDIDATES:-"hookreg plpgsql client floor"}
PDIR=$OUT/profile
mkdir -p "$PDIR"
chmod 777 "$PDIR"
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
sql1() { "$HR_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -U postgres -d "$DB" -tAc "$1"; }

as_pg "$HR_BINDIR/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
as_pg valgrind --tool=callgrind --trace-children=no \
    --callgrind-out-file="$PDIR/callgrind.%p" \
    --collect-atstart=no \
    --toggle-collect=GetCachedPlan --toggle-collect=PortalStart \
    --toggle-collect=PortalRun --toggle-collect=CommitTransactionCommand \
    "$HR_BINDIR/postgres" -D "$DATA" >"$PDIR/valgrind.log" 2>&1 &
for _ in $(seq 1 240); do
    "$HR_BINDIR/pg_isready" -q -h "$PGHOST" -p "$PGPORT" && break
    sleep 1
done
"$HR_BINDIR/pg_isready" -q -h "$PGHOST" -p "$PGPORT" || { tail "$PDIR/valgrind.log"; exit 1; }

printf '%-15s %-9s %14s %10s %9s %8s %9s %9s\n' scenario candidate instructions/call x_floor "in SPI" commit "json+sha" sanitize > "$PDIR/summary.txt"
# inclusive instructions per call of one function (0 when absent)
per_call() {
    awk -v pat="$2" -v n="$N" '$0 ~ pat { gsub(",", "", $1); printf "%d", $1 / n; found = 1; exit }
        END { if (!found) printf "0" }' "$1"
}
for sc in $SCEN; do
    floor_ir=
    for cand in floor $CANDS; do
        [ "$cand" = floor ] && [ -n "$floor_ir" ] && continue
        script=bench/pgbench/$sc.$cand.sql
        [ -f "$script" ] || continue
        extra=()
        if [ "$sc" = complete ]; then
            schema=$(sql1 "SELECT bench.schema_of('complete', '$cand')")
            start=$(sql1 "SELECT bench.pool_start('$schema', 1)")
            sql1 "SELECT bench.pool_fill('$schema', 1, $start + $N + 10)" >/dev/null
            extra=(-D "id=$start")
        fi
        before=$(ls "$PDIR"/callgrind.* 2>/dev/null | sort)
        "$HR_BINDIR/pgbench" -n -M prepared -c 1 -j 1 -t "$N" -U bench_app "${extra[@]}" -f "$script" "$DB" \
            >"$PDIR/pgbench-$sc.$cand.log" 2>&1
        # the backend writes its profile when it exits: wait for that
        for _ in $(seq 1 120); do
            [ "$(sql1 "SELECT count(*) FROM pg_stat_activity WHERE usename = 'bench_app'")" = 0 ] && break
            sleep 1
        done
        sleep 3
        # pgbench opens a short connection of its own first: the script's
        # backend is the new profile with the most events
        f=$(comm -13 <(echo "$before") <(ls "$PDIR"/callgrind.* 2>/dev/null | sort) | xargs -r ls -S | head -1)
        [ -n "$f" ] || { echo "no profile for $sc.$cand" >&2; continue; }
        mv "$f" "$PDIR/callgrind.$sc.$cand"
        ir=$(callgrind_annotate "$PDIR/callgrind.$sc.$cand" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1; exit }')
        per=$(( ${ir:-0} / N ))
        [ "$cand" = floor ] && floor_ir=$per
        x=$(awk -v a="$per" -v b="${floor_ir:-0}" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
        callgrind_annotate --inclusive=yes --threshold=100 "$PDIR/callgrind.$sc.$cand" > "$PDIR/inclusive.tmp" 2>/dev/null
        # hookreg's statements: through hr_execute (SPI_execute_plan) or,
        # with the snapshot of its index probes, hr_execute_snapshot
        spi=$(( $(per_call "$PDIR/inclusive.tmp" 'sqlutil.c:hr_execute ') + $(per_call "$PDIR/inclusive.tmp" 'sqlutil.c:hr_execute_snapshot ') ))
        commit=$(per_call "$PDIR/inclusive.tmp" ':CommitTransactionCommand ')
        js=$(( $(per_call "$PDIR/inclusive.tmp" 'hr_release_content') + $(per_call "$PDIR/inclusive.tmp" 'hr_identity_hash') ))
        san=$(per_call "$PDIR/inclusive.tmp" 'hr_sanitize_failures_json')
        rm -f "$PDIR/inclusive.tmp"
        printf '%-15s %-9s %14s %10s %9s %8s %9s %9s\n' "$sc" "$cand" "$per" "$x" "$spi" "$commit" "$js" "$san" >> "$PDIR/summary.txt"
        {
            echo "# $sc / $cand: $N calls, $per instructions per call (bind + execute + commit)"
            echo "## inclusive"
            callgrind_annotate --inclusive=yes --threshold=99 "$PDIR/callgrind.$sc.$cand" 2>/dev/null \
                | sed -n '/^Ir/,$p' | head -60
            echo "## exclusive"
            callgrind_annotate --threshold=95 "$PDIR/callgrind.$sc.$cand" 2>/dev/null \
                | sed -n '/^Ir/,$p' | head -40
        } > "$PDIR/profile-$sc.$cand.txt"
    done
done
as_pg "$HR_BINDIR/pg_ctl" -D "$DATA" -m fast -w -t 120 stop >/dev/null 2>&1
rm -f "$PDIR"/callgrind.[0-9]*
cat "$PDIR/summary.txt"
