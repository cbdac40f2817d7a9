#!/usr/bin/env bash
# test/suites/harness.sh: the test harness itself never hangs and never
# leaves a process behind.
#
# - The watchdog (hr_watch, which scripts/test.sh runs every suite under):
#   a command that hangs is killed at its time limit, with the processes it
#   started in its session, in process groups of their own (timeout) and in
#   sessions of their own whose working directory is in the watched area
#   (as PostgreSQL's are), and the output names it "timed out"; a command
#   that ends leaving processes behind is named and they are killed; a
#   command's exit status passes through.
# - hr_cl_kill finds a cluster's processes afresh: a backend the postmaster's
#   death leaves orphaned (here: stopped with SIGSTOP, so it cannot notice
#   the death, as a backend blocked on a lock a killed process held cannot)
#   is no longer a child of the postmaster, and is killed all the same; the
#   cluster then starts again.
# - hr_port gives distinct free ports and releases them.
set -uo pipefail
source "$HR_ROOT/test/lib/cluster.sh"
hr_suite_init harness

area=$HR_SUITE_DIR/area
mkdir -p "$area"
pids_of() { echo $(cat "$1" 2>/dev/null); }
alive_of() {  # alive_of PID...: the ones still alive
    local p out=""
    for p in "$@"; do hr_alive "$p" && out="$out $p"; done
    echo "${out# }"
}

# ---- a command that hangs
cat >"$area/hangs.sh" <<'EOF'
cd "$TMPDIR"
sleep 600 & echo $! >>"$TMPDIR/pids"
timeout 600 sleep 601 & echo $! >>"$TMPDIR/pids"
setsid sleep 602 & echo $! >>"$TMPDIR/pids"
echo "started"
wait
EOF
t0=$SECONDS
hr_watch 2 "$area" "$HR_SUITE_DIR/none" hangs.sh "$area/hangs.out" bash "$area/hangs.sh"
rc=$?
took=$((SECONDS - t0))
started=$(pids_of "$area/tmp-hangs/pids")
hr_check "watchdog: a hanging command ends with status 124 after its limit (2 s; took ${took} s)" \
    "124 yes" "$rc $([ "$took" -le 20 ] && echo yes)"
hr_check "watchdog: its output says it timed out" "not ok - hangs.sh timed out after 2 s" \
    "$(grep 'timed out' "$area/hangs.out")"
hr_check "watchdog: its processes are gone (a child, a timeout's process group, a setsid'd one in the area: $started)" \
    "3 " "$(wc -w <<<"$started") $(alive_of $started)"

# ---- a command that ends leaving a process behind
cat >"$area/leaks.sh" <<'EOF'
cd "$TMPDIR"
setsid sleep 603 & echo $! >>"$TMPDIR/pids"
exit 0
EOF
hr_watch 30 "$area" "$HR_SUITE_DIR/none" leaks.sh "$area/leaks.out" bash "$area/leaks.sh"
rc=$?
started=$(pids_of "$area/tmp-leaks/pids")
hr_check "watchdog: a command that leaves a process behind keeps its status and is named" "0 1" \
    "$rc $(grep -c "^not ok - leaks.sh left processes running: *$started sleep 603" "$area/leaks.out")"
hr_check "watchdog: the process it left is killed" "" "$(alive_of $started)"

# ---- a clean command's status passes through
hr_watch 30 "$area" "$HR_SUITE_DIR/none" clean.sh "$area/clean.out" bash -c 'echo "ok - fine"; exit 3'
hr_check "watchdog: a clean command's status and output pass through, nothing added" "3 ok - fine" \
    "$? $(cat "$area/clean.out")"

# ---- hr_cl_kill: an orphaned backend found afresh
hr_cl_init k "shared_preload_libraries = ''"
hr_cl_start k || { hr_not_ok "cluster k starts"; exit 1; }
hr_bg hr_cl_psql k -c "SELECT pg_sleep(600)" >/dev/null 2>&1
hr_bg hr_cl_psql k -c "SELECT pg_sleep(601)" >/dev/null 2>&1
backends=""
for _ in $(seq 1 100); do
    backends=$(hr_cl_psql k -c "SELECT pid FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(60_)' ORDER BY pid")
    [ "$(wc -w <<<"$backends")" = 2 ] && break
    sleep 0.1
done
stuck=${backends%%$'\n'*}
pm=$(head -n 1 "$(hr_cl_data k)/postmaster.pid")
kill -STOP "$stuck"
kill -KILL "$pm"
sleep 1
hr_check "an orphaned backend (stopped) survives its postmaster's SIGKILL and is no longer its child" \
    "alive orphan" "$(hr_alive "$stuck" && echo alive) $(grep -qx "$stuck" <(ps -o pid= --ppid "$pm" | tr -d ' ') || echo orphan)"
hr_check "hr_dir_pids finds it by its working directory" "yes" \
    "$(grep -qx "$stuck" <(hr_dir_pids "$(hr_cl_data k)") && echo yes)"
hr_cl_kill k
hr_check "hr_cl_kill leaves no process of the cluster" "" "$(hr_dir_pids "$(hr_cl_data k)" | tr '\n' ' ')"
if hr_cl_start k 2>/dev/null && [ "$(hr_cl_psql k -c 'SELECT 1')" = 1 ]; then
    hr_ok "the cluster starts again after hr_cl_kill (crash recovery)"
else
    hr_not_ok "the cluster starts again after hr_cl_kill"
fi

# ---- hr_port
p1=$(hr_port) p2=$(hr_port)
hr_check "hr_port: two distinct ports, reserved by this shell" "yes $$ $$" \
    "$([ "$p1" != "$p2" ] && [ "$p1" -ge 1024 ] && echo yes) $(cat "$HR_PORT_DIR/$p1/pid") $(cat "$HR_PORT_DIR/$p2/pid")"
hr_release_ports
hr_check "hr_release_ports releases them" "no no" \
    "$([ -e "$HR_PORT_DIR/$p1" ] && echo yes || echo no) $([ -e "$HR_PORT_DIR/$p2" ] && echo yes || echo no)"
exit 0
