#!/usr/bin/env bash
# bench_smoke: the benchmark harness (scripts/bench.sh --smoke) runs every
# scenario and candidate for 100 calls per client and checks the results
# (versions gap-free, pointer and move history consistent, one active run per
# identity, failure summaries sanitized...). Correctness only: no timing is
# asserted. One line per scenario and candidate; then the results file
# that a full run writes (bench/results.sh) is checked on the smoke run.
set -uo pipefail
source "$HR_ROOT/test/lib/cluster.sh"
hr_suite_init bench_smoke
out=$HR_SUITE_DIR/bench-smoke
"$HR_ROOT/scripts/bench.sh" --smoke --no-explain --out "$out" --port "$(hr_port)" >"$HR_SUITE_DIR/bench-smoke.log" 2>&1
rc=$?
if [ ! -s "$out/raw.tsv" ]; then
    tail -n 30 "$HR_SUITE_DIR/bench-smoke.log"
    echo "not ok - bench smoke produced no results (exit $rc)"
    exit 0
fi
awk -F'\t' 'NR > 1 {
    what = $3 " / " $4
    if ($9 == "ok") print "ok - bench smoke: " what " correct"
    else if ($9 == "not available yet") print "ok - bench smoke: " what " # SKIP not available"
    else print "not ok - bench smoke: " what ": " $9
}' "$out/raw.tsv"

# The ratios pair the runs of one round (bench/README.md, "Decisions of the
# method"): on made-up runs where naive's rounds swing, hookreg / naive is the
# median of the per-round ratios (1.10, 0.96, 1.05 -> 1.05; the floor 1.00,
# 0.91, 0.90 -> 0.91), not the ratio of the medians (1100 / 1000 = 1.10,
# 1100 / 1100 = 1.00); the TPS columns stay the medians; and the
# smoke run itself ran its candidates forward in round 1.
pair=$HR_SUITE_DIR/bench-pairing
mkdir -p "$pair"
{
    printf 'phase\tsync\tscenario\tcandidate\tround\ttps\tlatency_ms\ttxns\tcheck\n'
    for row in "hookreg 1 1100" "naive 1 1000" "floor 1 1100" "floor 2 1320" "naive 2 1250" "hookreg 2 1200" \
               "hookreg 3 945" "naive 3 900" "floor 3 1050"; do
        set -- $row
        printf 'base\ton\tstart_new\t%s\t%s\t%s\t1.0\t100\tok\n' "$1" "$2" "$3"
    done
} > "$pair/raw.tsv"
bash "$HR_ROOT/bench/report.sh" "$pair" 8 >/dev/null 2>&1
line=$(grep -m1 '^base,on,start_new,' "$pair/summary.csv")
IFS=, read -r _ _ _ hk _ fl xf _ _ _ _ _ _ _ _ _ _ _ _ nv xn <<<"${line//\"/}"
if [ "$xn" = 1.05 ] && [ "$xf" = 0.91 ] && [ "$hk" = 1100 ] && [ "$nv" = 1000 ]; then
    echo "ok - bench report: x is the median of per-round ratios (naive 1.05x, floor 0.91x), TPS the medians"
else
    echo "not ok - bench report: paired ratios: $line"
fi
order=$(awk -F'\t' '$3 == "start_new" && $5 == 1 { printf "%s ", $4 }' "$out/raw.tsv")
if [ "$order" = "hookreg naive floor plpgsql client " ]; then
    echo "ok - bench order: round 1 runs hookreg, naive, the floor, then the others"
else
    echo "not ok - bench order: round 1 of start_new ran: $order"
fi

# The results file a full run writes (bench/results.sh), made here from the
# smoke run into a scratch directory: it names the commit, the machine and
# the load before and after, and the index links it as the latest.
results=$HR_SUITE_DIR/bench-results
f=$(bash "$HR_ROOT/bench/results.sh" "$out" "$results")
commit=$(git -C "$HR_ROOT" rev-parse HEAD)
case "$(basename "$f")" in
    [0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]-[0-9][0-9][0-9][0-9]-"${commit:0:7}".md)
        echo "ok - bench results: file named by date, time and commit" ;;
    *) echo "not ok - bench results: file name $(basename "$f")" ;;
esac
for want in "$commit" "$(nproc) x" "GiB" "PostgreSQL) 1" "before: [0-9.]* [0-9.]* [0-9.]*; after: [0-9.]* [0-9.]* [0-9.]*" "all passed"; do
    if grep -q -- "$want" "$f"; then echo "ok - bench results: names $want"
    else echo "not ok - bench results: no \"$want\" in $f"; sed 's/^/#   /' "$f"; fi
done
if grep -qF "Latest: [$(basename "$f")]($(basename "$f"))" "$results/README.md"; then
    echo "ok - bench results: the index links the newest file"
else
    echo "not ok - bench results: the index does not link $(basename "$f")"; sed 's/^/#   /' "$results/README.md"
fi

# The network phase (delaying proxy) and the memory phase ran in the smoke
# and checked their candidates' results.
if [ -s "$out/net.tsv" ] && [ "$(awk -F'\t' 'NR > 1' "$out/net.tsv" | wc -l)" -ge 9 ]; then
    bad=$(awk -F'\t' 'NR > 1 && $9 != "ok"' "$out/net.tsv")
    if [ -z "$bad" ]; then echo "ok - bench smoke: the network phase ran every candidate through the delaying proxy, results checked"
    else echo "not ok - bench smoke: network phase checks"; printf '#   %s\n' "$bad"; fi
    # SELECT 1 through the proxy at the smoke delay, 1 connection: its p50 is
    # at least the nominal 0.25 ms (the proxy holds each way for half of it,
    # so no round trip can be shorter); the report's row gives the round trip
    # it added over straight to the server, its own cost and its lateness
    p50=$(awk -F'\t' '$1 == "0.25" && $2 == "select1" && $3 == "proxy" && $4 == "1" {print $6}' "$out/net.tsv")
    row=$(grep -E '^0\.25 ms +1 +[0-9.]+/[0-9.]+ +[0-9.]+/[0-9.]+ +[0-9.-]+ ms +[+-][0-9.]+ / [+-][0-9.]+ ms +p50 [0-9.]+ us, mean [0-9.]+ us, p99 [0-9.]+ us, max [0-9.]+ us over [1-9][0-9]* chunks' "$out/network.txt")
    if [ -n "$row" ] && awk -v a="$p50" 'BEGIN { exit !(a != "" && a + 0 >= 0.25) }'; then
        echo "ok - bench smoke: SELECT 1 through the proxy at 0.25 ms: p50 $p50 ms; the report gives the added round trip, the proxy's own cost and lateness"
    else echo "not ok - bench smoke: SELECT 1 through the proxy at 0.25 ms: p50 ${p50:-none} ms (want >= 0.25), or the report lacks its row"; sed 's/^/#   /' "$out/network.txt"; fi
else
    echo "not ok - bench smoke: the network phase produced no results"; tail -n 20 "$HR_SUITE_DIR/bench-smoke.log" | sed 's/^/#   /'
fi
# The delaying proxy's self-test (bench/netdelay-test.py, a few seconds):
# bytes in = bytes out over 8 connections both ways with a slow reader, the
# server closing first, the added round trip at 0 and 1 ms, the stats line.
timeout 120 python3 "$HR_ROOT/bench/netdelay-test.py" 2>&1 | sed 's/^ok - /ok - netdelay: /; s/^not ok - /not ok - netdelay: /'
[ "${PIPESTATUS[0]}" = 124 ] && echo "not ok - netdelay: the self-test did not finish in 120 s"

# every hot function (the bench's eight scenarios) and both set-returning
# calls inside one statement got samples and a verdict
mem_rows=$(grep -cE '^(release_new|release_repeat|set_live|resolve_live|record_run|start_new|start_dedupe|complete|srf_lateral|srf_targetlist) .* (flat|GROWS)$' "$out/memory.txt" 2>/dev/null)
if [ "${mem_rows:-0}" = 10 ] && ! grep -q 'NOT MEASURED' "$out/memory.txt"; then
    echo "ok - bench smoke: the memory phase sampled a backend's memory for every hot function and both SRF statements"
else
    echo "not ok - bench smoke: the memory phase ($mem_rows of 10 measured)"; sed 's/^/#   /' "$out/memory.txt" 2>/dev/null
fi

# The sanitizing cost (bench/sanitize/run.sh, a full run only) builds this
# tree's sanitizer and 0.1.0's with the same harness: both must still build.
if SANBENCH_BUILD_ONLY=1 bash "$HR_ROOT/bench/sanitize/run.sh" "$HR_SUITE_DIR/sanbench" >"$HR_SUITE_DIR/sanbench.log" 2>&1; then
    echo "ok - bench/sanitize/run.sh builds this tree's sanitizer and 0.1.0's"
else
    echo "not ok - bench/sanitize/run.sh does not build"; tail -n 10 "$HR_SUITE_DIR/sanbench.log" | sed 's/^/#   /'
fi

# The README's performance section links the newest results file of
# bench/results/ (written there by bench/readme-link.sh, never by hand),
# and the file exists; bench/readme-link.sh rewrites the block of a copy
# of the README with the smoke run's results file.
link=$(sed -n '/^<!-- bench:latest/,/^<!-- \/bench:latest -->/p' "$HR_ROOT/README.md" | grep -oE '\]\(bench/results/[^)]+\.md\)' | head -1 | sed 's/^](//; s/)$//')
newest=$(ls "$HR_ROOT/bench/results" | grep -E '^[0-9]{4}-[0-9]{2}-[0-9]{2}-[0-9]{4}-[0-9a-f]{7}(-[0-9]+)?\.md$' | sort -r | head -1)
if [ -n "$link" ] && [ -f "$HR_ROOT/$link" ] && [ "$link" = "bench/results/$newest" ]; then
    echo "ok - README: the performance section links the newest results file ($link), which exists"
else
    echo "not ok - README: the performance link '${link:-none}' is not an existing newest results file (bench/results/$newest)"
fi
cp "$HR_ROOT/README.md" "$HR_SUITE_DIR/README.copy.md"
bash "$HR_ROOT/bench/readme-link.sh" "$results" "$HR_SUITE_DIR/README.copy.md" >/dev/null
if grep -qF "$(realpath --relative-to="$HR_SUITE_DIR" "$results")/$(basename "$f"))" "$HR_SUITE_DIR/README.copy.md"; then
    echo "ok - bench/readme-link.sh points the README's performance section at a new results file"
else
    echo "not ok - bench/readme-link.sh did not rewrite the README block"; sed -n '/bench:latest/,/\/bench:latest/p' "$HR_SUITE_DIR/README.copy.md" | sed 's/^/#   /'
fi
