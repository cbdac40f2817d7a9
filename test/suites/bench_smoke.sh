#!/usr/bin/env bash
# bench_smoke: the benchmark harness (scripts/bench.sh --smoke) runs every
# scenario and candidate for 100 calls per client and checks the results
# (versions gap-free, pointer and move history consistent, one active run per
# identity, failure summaries sanitized...). Correctness only: no timing is
# asserted. One line per scenario and candidate.
set -uo pipefail
out=$HR_TMP/bench-smoke
"$HR_ROOT/scripts/bench.sh" --smoke --no-explain --out "$out" --port 54359 >"$HR_TMP/bench-smoke.log" 2>&1
rc=$?
if [ ! -s "$out/raw.tsv" ]; then
    tail -n 30 "$HR_TMP/bench-smoke.log"
    echo "not ok - bench smoke produced no results (exit $rc)"
    exit 0
fi
awk -F'\t' 'NR > 1 {
    what = $3 " / " $4
    if ($9 == "ok") print "ok - bench smoke: " what " correct"
    else if ($9 == "not available yet") print "ok - bench smoke: " what " # SKIP not available"
    else print "not ok - bench smoke: " what ": " $9
}' "$out/raw.tsv"
