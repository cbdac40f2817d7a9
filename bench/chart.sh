#!/usr/bin/env bash
# bench/chart.sh OUT: ratios.png from summary.csv, one panel per phase:
# hookreg TPS over the floor, the PL/pgSQL function and the client
# transaction for every scenario (1 = as fast; the dashed line is 1, the
# dotted one 0.8); the scale panel shows hookreg at scale over hookreg on
# small tables (0.9 = the 10% target of bench/README.md).
set -euo pipefail
OUT=$1
SUM=$OUT/summary.csv
panels=()
while IFS= read -r ph; do
    f=$OUT/chart-${ph//|/-}.dat
    awk -F, -v want="$ph" 'NR > 1 && ($1 "|" $2) == want {
        gsub(/"/, ""); n = ($1 == "scale") ? 1 : 3
        if (n == 1) printf "%s %s %s\n", $3, ($15 == "" ? "NaN" : $15), ($16 == "" ? "NaN" : $16)
        else printf "%s %s %s %s\n", $3, ($7 == "" ? "NaN" : $7), ($9 == "" ? "NaN" : $9), ($11 == "" ? "NaN" : $11) }' "$SUM" > "$f"
    panels+=("$ph")
done < <(awk -F, 'NR > 1 { k = $1 "|" $2; if (!(k in s)) { s[k] = 1; print k } }' "$SUM")
n=${#panels[@]}
[ "$n" -gt 0 ] || { echo "nothing to chart" >&2; exit 0; }
{
    echo "set terminal pngcairo size 1400,$(( 380 * n )) font 'DejaVu Sans,10'"
    echo "set output '$OUT/ratios.png'"
    echo "set multiplot layout $n,1"
    echo "set style data histograms"
    echo "set style histogram clustered gap 1"
    echo "set style fill solid 0.85 border -1"
    echo "set boxwidth 0.9"
    echo "set grid ytics"
    echo "set yrange [0:*]"
    echo "set key top left"
    echo "set termoption noenhanced"
    echo "set ylabel 'hookreg TPS / candidate TPS'"
    for ph in "${panels[@]}"; do
        f=$OUT/chart-${ph//|/-}.dat
        p=${ph%%|*} s=${ph##*|}
        if [ "$p" = scale ]; then
            echo "set title 'scale phase (history preloaded), synchronous_commit=$s: TPS at scale / TPS on the small tables'"
            echo "set ylabel 'TPS at scale / TPS small'"
            echo "plot '$f' using 2:xtic(1) title 'hookreg' lc rgb '#4e79a7', '' using 3 title 'floor' lc rgb '#bab0ac', 1 with lines dt 2 lc rgb 'black' notitle, 0.9 with lines dt 3 lc rgb 'red' title '0.9 (the 10% target)'"
        else
            echo "set title 'synchronous_commit=$s: hookreg TPS relative to each candidate (higher is better)'"
            echo "set ylabel 'hookreg TPS / candidate TPS'"
            echo "plot '$f' using 2:xtic(1) title 'x floor' lc rgb '#4e79a7', '' using 3 title 'x PL/pgSQL' lc rgb '#f28e2b', '' using 4 title 'x seed client txn' lc rgb '#59a14f', 1 with lines dt 2 lc rgb 'black' notitle, 0.8 with lines dt 3 lc rgb 'red' title '0.8'"
        fi
    done
    echo "unset multiplot"
} > "$OUT/chart.gp"
gnuplot "$OUT/chart.gp"
