# test/lib/invariants.sh: the checks that crash.sh and failover.sh make after
# every crash or failover, written once. Source it. PSQL... below is a command
# (or shell function) that takes psql arguments and reaches the database,
# quiet and unaligned (-q -At); VERDICT is the suite's function
# "VERDICT WHAT VIOLATIONS" that prints the ok / not ok line (0 violations:
# it holds).
#
#   hr_invariants VERDICT HOOK_A HOOK_B PSQL...
#       runs test/lib/invariants.sql (psql variables hook_a, hook_b: the
#       workload's two hooks, each with a feature table of its name) and
#       calls VERDICT once per invariant; a run that fails or prints fewer
#       lines than it has invariants is one more verdict, with psql's words.
#   hr_committed_missing HOOK_A HOOK_B PSQL... <LINES
#       runs test/lib/committed.sql over the committed-operation lines on
#       standard input (their first five tab-separated columns): prints
#       "M of N (counts per kind)", M how many are not in the database.

hr_invariants() {
    local verdict=$1 a=$2 b=$3 out v what n=0 bad=""
    shift 3
    out=$("$@" -v hook_a="$a" -v hook_b="$b" -f "$HR_ROOT/test/lib/invariants.sql" 2>&1)
    while IFS=$'\t' read -r v what; do
        if [[ "$v" =~ ^[0-9]+$ ]] && [ -n "$what" ]; then
            n=$((n + 1)); "$verdict" "$what" "$v"
        else
            bad+="$v $what; "
        fi
    done <<<"$out"
    if [ -n "$bad" ] || [ "$n" -ne "$(grep -c '^SELECT' "$HR_ROOT/test/lib/invariants.sql")" ]; then
        "$verdict" "the invariants are read in full ($n read)" "${bad:-some missing}"
    fi
}

hr_committed_missing() {
    local a=$1 b=$2; shift 2
    cut -f 1-5 | "$@" -v hook_a="$a" -v hook_b="$b" -f "$HR_ROOT/test/lib/committed.sql" 2>&1
}
