#!/usr/bin/env bash
# bench/results.sh OUT DIR: the results file of one benchmark run, written by
# scripts/bench.sh at the end of every full run, so that no figure is ever
# copied by hand. It names the commit (and whether the tree had uncommitted
# changes), the machine (CPUs, memory, kernel, PostgreSQL), the load average
# before and after the run, the command, and holds the run's table, checks
# and EXPLAIN verdict (from OUT: machine.txt, table.txt, raw.tsv,
# explain.txt). The file is DIR/YYYY-MM-DD-HHMM-<shortcommit>.md (UTC start
# time of the run, so names sort by time); DIR/README.md, the index, is
# rewritten newest first.
# The run's chart (ratios.png) is copied beside it as <same name>.png and
# shown in it; its profile table (profile/summary.txt, bench/profile.sh) is
# part of it. With README (scripts/bench.sh passes the project's README.md
# on a full run), bench/readme-link.sh then points README's performance
# section at the new file.
# Prints the path of the file it wrote.
set -euo pipefail
OUT=$1 DIR=$2 README=${3:-}
field() { sed -n "s/^$1: //p" "$OUT/machine.txt" | head -1; }

commit=$(field commit)
short=${commit:0:7}
# "2026-12-01 14:05 UTC" -> 2026-12-01-1405
stamp=$(field date | sed -E 's/^([0-9-]{10}) ([0-9]{2}):([0-9]{2}).*/\1-\2\3/')
mkdir -p "$DIR"
name=$stamp-$short.md n=1
while [ -e "$DIR/$name" ]; do n=$((n + 1)); name=$stamp-$short-$n.md; done

checks_failed=$(awk -F'\t' 'NR > 1 && $9 != "ok" && $9 != "not available yet" && $9 != "" { n++ } END { print n + 0 }' "$OUT/raw.tsv")
{
    echo "# Benchmark results: $(field date), commit \`$short\`"
    echo
    echo "Written by \`scripts/bench.sh\` at the end of the run; the method is in"
    echo "[../README.md](../README.md). Read the ratios against the load average:"
    echo "a loaded machine makes every TPS figure noisy."
    echo
    echo '| | |'
    echo '|---|---|'
    echo "| commit | \`$commit\` ($(field branch))$( [ "$(field dirty)" = yes ] && echo ', **with uncommitted changes**') |"
    echo "| command | \`$(field command)\` |"
    echo "| mode | $(field mode) |"
    echo "| machine | $(field cpu); $(field memory); kernel $(field kernel) |"
    echo "| PostgreSQL | $(field server) |"
    echo "| settings | $(field settings) |"
    echo "| load average (1, 5, 15 min) | before: $(field 'load average at start'); after: $(field 'load average at end') |"
    echo "| run time | loading $(field 'load time'); runs $(field runs)$( [ -n "$(field 'scale load')" ] && echo "; scale load $(field 'scale load')") |"
    echo "| correctness checks | $( [ "$checks_failed" = 0 ] && echo 'all passed' || echo "**$checks_failed failed** (see raw.tsv)") |"
    echo
    echo '## Table'
    echo
    echo '```'
    cat "$OUT/table.txt"
    echo '```'
    if [ -f "$OUT/ratios.png" ]; then
        cp "$OUT/ratios.png" "$DIR/${name%.md}.png"
        echo
        echo "![hookreg over the floor, PL/pgSQL and the client, per phase](${name%.md}.png)"
    fi
    if [ -f "$OUT/profile/summary.txt" ]; then
        echo
        echo '## Instructions per call (callgrind)'
        echo
        echo "Written by \`bench/profile.sh\` in this run: $(field 'profile calls') calls of each scenario's script on one"
        echo 'connection under callgrind, bind + execute + commit counted; x_floor: over the floor of the same scenario.'
        echo 'Deterministic: the load of the machine does not move these.'
        echo
        echo '```'
        cat "$OUT/profile/summary.txt"
        echo '```'
    fi
    if [ -f "$OUT/network.txt" ]; then
        echo
        echo '## Over a network (delaying proxy)'
        echo
        echo '```'
        cat "$OUT/network.txt"
        echo '```'
    fi
    if [ -f "$OUT/memory.txt" ]; then
        echo
        echo '## Memory of one backend'
        echo
        echo '```'
        cat "$OUT/memory.txt"
        echo '```'
    fi
    if [ -f "$OUT/hooks.txt" ]; then
        echo
        echo '## Hooks phase: 20 hooks against a large registry'
        echo
        echo '```'
        cat "$OUT/hooks.txt"
        echo '```'
    fi
    if [ -f "$OUT/explain.txt" ]; then
        echo
        echo '## EXPLAIN on the scale data'
        echo
        echo '```'
        grep -E '^(ok|FAIL|incomplete)' "$OUT/explain.txt" || echo "(no verdict line)"
        echo '```'
        # the operations views as an operator reads them: each one's plan
        # nodes and its actual time (bench/sql/60_explain.sql)
        if grep -q '^== view ' "$OUT/explain.txt"; then
            echo
            echo 'The operations views on this ledger (EXPLAIN ANALYZE by auto_explain: actual time, plan nodes):'
            echo
            echo '```'
            awk '/^== view / { on = 1 } /^== / && !/^== view / { on = 0 } /^(ok|FAIL|incomplete)/ { on = 0 } on' "$OUT/explain.txt"
            echo '```'
        fi
    fi
    if [ -s "$OUT/notes.txt" ]; then
        echo
        echo '## Notes of the run'
        echo
        echo '```'
        cat "$OUT/notes.txt"
        echo '```'
    fi
} > "$DIR/$name"

# The index (bench/results/README.md), newest first.
bash "$(dirname "$0")/results-index.sh" "$DIR"
[ -n "$README" ] && bash "$(dirname "$0")/readme-link.sh" "$DIR" "$README" >/dev/null
echo "$DIR/$name"
