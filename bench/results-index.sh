#!/usr/bin/env bash
# bench/results-index.sh DIR: rewrite DIR/README.md, the index of the
# results files in DIR, newest first (the names sort by time). Called by
# bench/results.sh after each run; run by hand after results files of runs
# made in other clones are copied in.
set -euo pipefail
DIR=$1
{
    echo "# Benchmark results"
    echo
    echo "One file per run of \`scripts/bench.sh\` that writes results (every full run;"
    echo "a narrower run with \`--results\` names its options in its command line),"
    echo "written by the run itself (commit, machine, load, table). Method:"
    echo "[../README.md](../README.md)."
    echo
    files=$(ls "$DIR" | grep -E '^[0-9]{4}-[0-9]{2}-[0-9]{2}-[0-9]{4}-.*\.md$' | sort -r)
    latest=$(printf '%s\n' "$files" | head -1)
    echo "Latest: [$latest]($latest)"
    echo
    printf '%s\n' "$files" | while read -r f; do echo "- [$f]($f)"; done
} > "$DIR/README.md"
