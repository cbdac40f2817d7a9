#!/usr/bin/env bash
# bench/readme-block.sh OUT: the README "Results" block of a run (machine,
# command, table, EXPLAIN verdict), in Markdown.
set -euo pipefail
OUT=$1
echo "Machine and command of this run (\`machine.txt\`):"
echo
echo '```'
cat "$OUT/machine.txt"
echo '```'
echo
echo '```'
cat "$OUT/table.txt"
echo '```'
if [ -f "$OUT/explain.txt" ]; then
    echo
    echo "EXPLAIN (\`explain.txt\`, on the scale data): $(grep -E '^(ok|FAIL|incomplete):' "$OUT/explain.txt" | tr '\n' ' ')"
fi
