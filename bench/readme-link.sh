#!/usr/bin/env bash
# bench/readme-link.sh RESULTS_DIR README: rewrite the block of README
# between the lines
#     <!-- bench:latest ... -->   and   <!-- /bench:latest -->
# with a link to the newest results file of RESULTS_DIR (and to its chart,
# RESULTS_DIR/<same name>.png, when there is one), so that no figure or file
# name in README is pasted by hand. bench/results.sh calls it after writing
# a full run's results file into the repository's bench/results/; run by
# hand it links the newest file already there. Links are relative to the
# README's directory. Exits 1 when README has no such block or RESULTS_DIR
# no results file.
set -euo pipefail
DIR=$1 README=$2
latest=$(ls "$DIR" | grep -E '^[0-9]{4}-[0-9]{2}-[0-9]{2}-[0-9]{4}-[0-9a-f]{7}(-[0-9]+)?\.md$' | sort -r | head -1)
[ -n "$latest" ] || { echo "readme-link: no results file in $DIR" >&2; exit 1; }
grep -q '^<!-- bench:latest' "$README" && grep -q '^<!-- /bench:latest -->' "$README" \
    || { echo "readme-link: no bench:latest block in $README" >&2; exit 1; }
rel=$(realpath --relative-to="$(dirname "$README")" "$DIR")
line="Latest results: [$rel/$latest]($rel/$latest)"
png=${latest%.md}.png
[ -f "$DIR/$png" ] && line="$line, chart: [$rel/$png]($rel/$png)"
tmp=$(mktemp "$README.XXXXXX")
awk -v line="$line" '
    /^<!-- bench:latest/ { print; print line; skip = 1; next }
    /^<!-- \/bench:latest -->/ { skip = 0 }
    !skip { print }' "$README" > "$tmp"
chmod --reference="$README" "$tmp" 2>/dev/null || true
mv "$tmp" "$README"
echo "$line"
