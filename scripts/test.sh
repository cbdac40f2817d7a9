#!/usr/bin/env bash
# scripts/test.sh: build hookreg and run every test against a throwaway cluster.
#
#   scripts/test.sh                  all runners: pg_regress, isolation, pgTAP, suites
#   scripts/test.sh sql/NAME.sql     one pg_regress file (likewise test/specs/NAME.spec,
#                                    test/tap/NAME.sql, test/suites/NAME.sh; several may be given)
#
# Installs missing Debian packages when run as root. Ends with one line
# "N passed, N failed" counting every test of every runner; exits non-zero on
# any failure. HR_KEEP=1 keeps the cluster's directory for inspection.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$HR_ROOT"

regress=() isolation=() tap=() suites=()
if [ $# -eq 0 ]; then
    for f in sql/*.sql; do [ -e "$f" ] && regress+=("$(basename "$f" .sql)"); done
    for f in test/specs/*.spec; do [ -e "$f" ] && isolation+=("$(basename "$f" .spec)"); done
    for f in test/tap/*.sql; do [ -e "$f" ] && tap+=("$f"); done
    for f in test/suites/*.sh; do [ -e "$f" ] && suites+=("$f"); done
else
    for f in "$@"; do
        case "$f" in
            sql/*.sql) regress+=("$(basename "$f" .sql)") ;;
            test/specs/*.spec) isolation+=("$(basename "$f" .spec)") ;;
            test/tap/*.sql) tap+=("$f") ;;
            test/suites/*.sh) suites+=("$f") ;;
            *) hr_die "not a test file: $f (sql/*.sql, test/specs/*.spec, test/tap/*.sql, test/suites/*.sh)" ;;
        esac
        [ -e "$f" ] || hr_die "no such file: $f"
    done
fi

hr_ensure_packages
hr_pg_paths
hr_build

HR_TMP=$(mktemp -d "${HR_TMPDIR:-/tmp}/hookreg-test.XXXXXX")
chmod 755 "$HR_TMP"
HR_DATA=$HR_TMP/data
HR_SOCK=$HR_TMP/sock
HR_LOG=$HR_TMP/server.log
HR_DB=hookreg_test
export HR_ROOT HR_TMP HR_DATA HR_LOG HR_DB PG_CONFIG
export PGHOST=$HR_SOCK PGPORT=$(hr_port) PGUSER=postgres

HR_WATCH_SID=""   # the session of the suite running now (see the watchdog below)
cleanup() {
    [ -n "$HR_WATCH_SID" ] && hr_reap hr_watch_pids "$HR_WATCH_SID" "$HR_TMP" "$HR_DATA"
    hr_cluster_stop "$HR_DATA"
    hr_release_ports
    if [ "${HR_KEEP:-0}" = 1 ]; then hr_log "kept $HR_TMP"; else rm -rf "$HR_TMP"; fi
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

hr_log "private install and cluster in $HR_TMP"
hr_private_install "$HR_TMP/install"
export HR_BINDIR
hr_cluster_init "$HR_DATA" "$HR_SOCK" "$PGPORT" "$HR_DB"
hr_cluster_start "$HR_DATA" "$HR_LOG"
hr_psql postgres -c "CREATE DATABASE $HR_DB"
hr_psql "$HR_DB" -c "CREATE EXTENSION pgtap; CREATE EXTENSION pg_cron; CREATE EXTENSION hookreg;"

total_pass=0 total_fail=0
count() {  # count RUNNER PASSED FAILED
    printf '%-10s %4d passed, %4d failed\n' "$1" "$2" "$3" >>"$HR_TMP/summary"
    total_pass=$((total_pass + $2)); total_fail=$((total_fail + $3))
}

# pg_regress and pg_isolation_regress (PGXS installcheck), one line per test.
# Each runner (these two and pg_prove) is bounded: HR_RUNNER_TIMEOUT seconds
# (default 1800), then its whole process group is killed and it fails.
runner_limit=${HR_RUNNER_TIMEOUT:-1800}
run_pgxs() {  # run_pgxs RUNNER DIFFS make-args...
    local runner=$1 diffs=$2; shift 2
    local out=$HR_TMP/$runner.out rc pass fail
    timeout -k 10 "$runner_limit" make -s installcheck PG_CONFIG="$PG_CONFIG" "$@" >"$out" 2>&1; rc=$?
    [ "$rc" -eq 124 ] && echo "not ok - $runner timed out after $runner_limit s" >>"$out"
    cat "$out"
    pass=$(grep -cE ' \.\.\. ok( |$)' "$out")
    fail=$(grep -cE ' \.\.\. (FAILED|failed)' "$out")
    if [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then fail=1; fi
    if [ "$fail" -gt 0 ] && [ -f "$diffs" ]; then
        echo "---- $diffs"; cat "$diffs"
    fi
    count "$runner" "$pass" "$fail"
}

if [ ${#regress[@]} -gt 0 ]; then
    hr_log "pg_regress: ${regress[*]}"
    run_pgxs pg_regress regression.diffs REGRESS="${regress[*]}" ISOLATION=
fi
if [ ${#isolation[@]} -gt 0 ]; then
    hr_log "isolation: ${isolation[*]}"
    run_pgxs isolation output_iso/regression.diffs REGRESS= ISOLATION="${isolation[*]}"
fi

# pgTAP through pg_prove: every assertion counts; a file that dies or misses
# its plan counts one failure more.
if [ ${#tap[@]} -gt 0 ]; then
    hr_log "pgTAP: ${tap[*]}"
    out=$HR_TMP/pgtap.out
    timeout -k 10 "$runner_limit" pg_prove --verbose -h "$PGHOST" -p "$PGPORT" -U postgres -d "$HR_DB" "${tap[@]}" >"$out" 2>&1; rc=$?
    [ "$rc" -eq 124 ] && echo "not ok - pgTAP timed out after $runner_limit s" >>"$out"
    cat "$out"
    pass=$(grep -cE '^ *ok [0-9]+' "$out")
    fail=$(grep -cE '^ *not ok [0-9]+' "$out")
    broken=$(grep -cE '^[^ ].* \(Wstat: .* Failed: 0\)$' "$out")
    fail=$((fail + broken))
    if [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then fail=1; fi
    count pgTAP "$pass" "$fail"
fi

# Suites: scripts that print TAP-style "ok - ..." / "not ok - ..." lines.
#
# Watchdog: each suite runs in a session of its own (setsid) with TMPDIR and
# HR_TMPDIR (where a nested test.sh or bench.sh puts its directory) set to a
# directory of its own, under a time limit: HR_SUITE_TIMEOUT seconds
# (default 900), or the suite's own "# test-timeout: N" line. On expiry the
# run says "not ok - SUITE timed out after N s", counts a failure and kills
# the whole suite: every process of its session and every process whose
# working directory is under $HR_TMP (the suites' clusters) but the shared
# cluster's, found afresh until none is left. A suite that ends leaving such
# processes behind fails too ("left processes running"), and they are killed.
# (hr_watch in scripts/lib.sh; test/suites/harness.sh tests it.)
suite_limit() {  # suite_limit FILE
    local n
    n=$(sed -n 's/^# test-timeout: \([0-9][0-9]*\)$/\1/p' "$1" | head -n 1)
    echo "${n:-${HR_SUITE_TIMEOUT:-900}}"
}
for s in "${suites[@]}"; do
    hr_log "suite: $s (time limit $(suite_limit "$s") s)"
    out=$HR_TMP/suite.out
    t0=$SECONDS
    hr_watch "$(suite_limit "$s")" "$HR_TMP" "$HR_DATA" "$s" "$out" bash "$s"; rc=$?
    cat "$out"
    hr_log "suite: $s took $((SECONDS - t0)) s"
    pass=$(grep -cE '^ok( |$)' "$out")
    fail=$(grep -cE '^not ok( |$)' "$out")
    if [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then
        echo "not ok - $s exited with status $rc"; fail=1
    fi
    count "$(basename "$s" .sh)" "$pass" "$fail"
done

if [ "$total_fail" -gt 0 ]; then
    echo "---- last lines of the server log"; tail -n 40 "$HR_LOG"
fi
echo
echo "== summary"
cat "$HR_TMP/summary" 2>/dev/null
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ] && [ "$total_pass" -gt 0 ]
