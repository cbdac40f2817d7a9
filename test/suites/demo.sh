#!/usr/bin/env bash
# demo.sh: scripts/demo.sh never destroys what a user made. The demo runs in a
# directory and on a port of its own; a table made in the demo database
# survives a second run (which says it kept the database), and --reset
# starts over (and says so). Costs about half a minute (three demo starts).
set -uo pipefail
source "$HR_ROOT/test/lib/cluster.sh"
hr_suite_init demo

dir=$HR_SUITE_DIR port=$(hr_port)
export HR_DEMO_DIR=$dir HR_DEMO_PORT=$port
stop() { timeout 120 bash "$HR_ROOT/scripts/demo-stop.sh" >/dev/null 2>&1; }
hr_on_exit stop
dq() { timeout 60 "$PG_BINDIR/psql" -X -q -At -h "$dir/sock" -p "$port" -U postgres -d hookreg_demo "$@"; }

run_demo() {  # run_demo LOG [ARGS]
    local log=$1; shift
    timeout 600 bash "$HR_ROOT/scripts/demo.sh" "$@" >"$log" 2>&1
}

if run_demo "$dir/first.log"; then hr_ok "the first demo run succeeds"; else
    hr_not_ok "the first demo run succeeds"; tail -n 20 "$dir/first.log" | sed 's/^/#   /'; exit 0
fi
hr_check "the first run says it created the database" "yes" \
    "$(grep -q 'created database hookreg_demo and ran scripts/demo.sql' "$dir/first.log" && echo yes)"
dq -c "CREATE TABLE my_notes (note text); INSERT INTO my_notes VALUES ('mine')"
releases=$(dq -c "SELECT count(*) FROM hookreg.hook_releases")

run_demo "$dir/second.log"
hr_check "a second run keeps the user's table and its row" "mine" "$(dq -c "SELECT note FROM my_notes")"
hr_check "a second run keeps the demo's data as it was (scripts/demo.sql not run again)" "$releases" \
    "$(dq -c "SELECT count(*) FROM hookreg.hook_releases")"
hr_check "a second run says it kept the database, and how to reset" "yes" \
    "$(grep -q 'kept the existing database hookreg_demo' "$dir/second.log" && grep -q 'scripts/demo.sh --reset' "$dir/second.log" && echo yes)"

run_demo "$dir/third.log" --reset
hr_check "--reset drops the user's table" "0" \
    "$(dq -c "SELECT count(*) FROM pg_class WHERE relname = 'my_notes'")"
hr_check "--reset runs scripts/demo.sql again" "$releases" "$(dq -c "SELECT count(*) FROM hookreg.hook_releases")"
hr_check "--reset says it reset" "yes" "$(grep -q 'reset: created database hookreg_demo afresh' "$dir/third.log" && echo yes)"
hr_check "an unknown argument is refused" "1" "$(bash "$HR_ROOT/scripts/demo.sh" --bogus >/dev/null 2>&1; echo $?)"
