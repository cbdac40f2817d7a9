# scripts/lib.sh: shared by test.sh, demo.sh and the suites (source it).
#
# A throwaway cluster runs from a private install tree: the real PostgreSQL
# binaries copied, their share/ and lib/ linked, and hookreg installed into it
# with DESTDIR. Nothing is installed into the system, several checkouts can
# test at once, and the system's own PostgreSQL is never touched.

HR_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
HR_PACKAGES="make gcc postgresql-15 postgresql-server-dev-15 libjansson-dev postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl postgresql-15-cron pgbouncer python3-psycopg2 postgresql-15-auto-failover"

hr_log() { printf '== %s\n' "$*" >&2; }
hr_die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Install the Debian packages hookreg needs when any is missing (root), or
# say the one line to run (not root). Extra packages may be passed.
hr_ensure_packages() {
    local want="$HR_PACKAGES $*" missing=() p
    for p in $want; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        hr_die "missing packages; run: sudo apt-get update && sudo apt-get install -y ${missing[*]}"
    fi
    hr_log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 || hr_die "apt-get update failed"
    apt-get install -y -qq "${missing[@]}" >&2 || hr_die "apt-get install failed"
    # The Debian package starts a 'main' cluster on port 5432 where it can; we
    # never use it.
}

hr_pg_paths() {
    PG_BINDIR=$("$PG_CONFIG" --bindir)
    PG_LIBDIR=$("$PG_CONFIG" --pkglibdir)
    PG_SHAREDIR=$("$PG_CONFIG" --sharedir)
    PGXS_DIR=$(dirname "$("$PG_CONFIG" --pgxs)")/..
}

# Commands that touch the data directory run as the postgres user when we are
# root (PostgreSQL refuses to run as root).
hr_as_pg() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# hr_build: compile with -Werror (the Makefile's flags).
hr_build() {
    make -C "$HR_ROOT" -s PG_CONFIG="$PG_CONFIG" >&2 || hr_die "build failed"
}

# hr_private_install DIR [SRC]: DIR gets the private install tree of the
# hookreg sources in SRC (default: this checkout, already built); HR_BINDIR is
# set to its bin directory. The update suite installs 0.1.0's sources this way.
hr_private_install() {
    local tree=$1 src=${2:-$HR_ROOT}
    hr_pg_paths
    rm -rf "$tree"
    mkdir -p "$tree$PG_BINDIR" "$tree$PG_LIBDIR" "$tree$PG_SHAREDIR"
    # The binaries find share/ and lib/ relative to their own real path, so
    # they are copied; the rest is linked.
    cp -a "$PG_BINDIR/." "$tree$PG_BINDIR/"
    cp -as "$PG_LIBDIR/." "$tree$PG_LIBDIR/"
    cp -as "$PG_SHAREDIR/." "$tree$PG_SHAREDIR/"
    rm -f "$tree$PG_LIBDIR"/hookreg.so "$tree$PG_SHAREDIR"/extension/hookreg[.-]*
    make -C "$src" -s PG_CONFIG="$PG_CONFIG" install DESTDIR="$tree" >&2 \
        || hr_die "install into $tree failed"
    chmod -R a+rX "$tree"
    HR_BINDIR=$tree$PG_BINDIR
}

# hr_cluster_init DATADIR SOCKDIR PORT CRON_DB [extra postgresql.conf lines]
hr_cluster_init() {
    local data=$1 sock=$2 port=$3 crondb=$4 extra=${5:-}
    mkdir -p "$data" "$sock"
    if [ "$(id -u)" -eq 0 ]; then chown postgres: "$data" "$sock"; fi
    chmod 700 "$data"
    hr_as_pg "$HR_BINDIR/initdb" -D "$data" -U postgres -A trust \
        --encoding=UTF8 --locale=C.UTF-8 >"$data.initdb.log" 2>&1 \
        || { cat "$data.initdb.log" >&2; hr_die "initdb failed"; }
    hr_as_pg tee -a "$data/postgresql.conf" >/dev/null <<CONF
# hookreg throwaway cluster: Unix socket only
listen_addresses = ''
unix_socket_directories = '$sock'
port = $port
shared_preload_libraries = 'pg_cron'
cron.database_name = '$crondb'
cron.use_background_workers = on
max_worker_processes = 32
max_connections = 100
timezone = 'UTC'
log_min_messages = warning
log_line_prefix = '%m [%p] %q%u@%d '
$extra
CONF
}

# hr_cluster_start DATADIR LOGFILE
hr_cluster_start() {
    local data=$1 logfile=$2
    touch "$logfile"
    if [ "$(id -u)" -eq 0 ]; then chown postgres: "$logfile"; fi
    hr_as_pg timeout -k 5 130 "$HR_BINDIR/pg_ctl" -D "$data" -l "$logfile" -w -t 120 start >/dev/null \
        || { tail -n 30 "$logfile" >&2; hr_die "server did not start"; }
}

# hr_cluster_stop DATADIR: a fast shutdown (bounded); if it does not finish,
# or processes of the cluster are left anyway, they are killed (hr_cluster_kill).
hr_cluster_stop() {
    local data=$1
    if [ -f "$data/postmaster.pid" ]; then
        hr_as_pg timeout -k 5 70 "$HR_BINDIR/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null 2>&1
    fi
    hr_cluster_kill "$data"
}

# ---- ports: picked free, never by hand

HR_PORT_DIR=${HR_PORT_DIR:-/tmp/hookreg-ports}

# hr_port: a port no socket listens on (TCP, v4 and v6, from /proc/net),
# reserved by an atomic mkdir under $HR_PORT_DIR that names the suite's pid
# ($$, also in a subshell); a reservation whose owner is gone is taken over.
# The suite's reservations are released at exit.
hr_port() {
    local listening=" " line f p n owner
    mkdir -p "$HR_PORT_DIR" 2>/dev/null; chmod 1777 "$HR_PORT_DIR" 2>/dev/null
    for f in /proc/net/tcp /proc/net/tcp6; do
        [ -r "$f" ] || continue
        while read -r _ line _ _ n _; do   # local_address rem_address st
            [ "$n" = 0A ] && listening+="$((16#${line##*:})) "
        done <"$f"
    done
    for n in $(seq 1 200); do
        p=$((20000 + RANDOM % 40000))
        case "$listening" in *" $p "*) continue ;; esac
        if ! mkdir "$HR_PORT_DIR/$p" 2>/dev/null; then
            owner=$(cat "$HR_PORT_DIR/$p/pid" 2>/dev/null)
            [ -n "$owner" ] && kill -0 "$owner" 2>/dev/null && continue
            rm -rf "${HR_PORT_DIR:?}/$p"
            mkdir "$HR_PORT_DIR/$p" 2>/dev/null || continue
        fi
        echo $$ >"$HR_PORT_DIR/$p/pid"
        echo "$p"
        return 0
    done
    hr_die "no free port found"
}

hr_release_ports() {
    local f
    for f in "$HR_PORT_DIR"/*/pid; do
        [ -f "$f" ] && [ "$(cat "$f" 2>/dev/null)" = $$ ] && rm -rf "$(dirname "$f")"
    done
    return 0
}

# ---- processes: found afresh, killed by pid, every wait bounded

# hr_alive PID: the process exists and is not a zombie.
hr_alive() {
    local s
    read -r s 2>/dev/null <"/proc/$1/stat" || return 1
    s=${s##*) }
    [ "${s%% *}" != Z ]
}

# hr_dir_pids DIR: pids of the live processes whose working directory is DIR
# or below it. A postmaster changes into its data directory and every process
# it forks stays there, so this finds all of a cluster's processes whatever
# became of their parent (orphans included), afresh at each call. Zombies have
# no working directory and are not listed. hr_dir_pids DIR EXCEPT: not those
# whose working directory is EXCEPT or below it.
hr_dir_pids() {
    local dir not
    dir=$(readlink -f "$1" 2>/dev/null) || return 0
    [ -n "$dir" ] && [ "$dir" != / ] || return 0
    if [ -n "${2:-}" ] && not=$(readlink -f "$2" 2>/dev/null) && [ -n "$not" ]; then
        not=(! -lname "$not" ! -lname "$not/*")
    else
        not=()
    fi
    find /proc -mindepth 2 -maxdepth 2 -name cwd \( -lname "$dir" -o -lname "$dir/*" \) "${not[@]}" \
        -printf '%h\n' 2>/dev/null | sed -n 's|^/proc/\([0-9][0-9]*\)$|\1|p'
}

# hr_session_pids SID: pids of the live processes of session SID (a suite run
# under setsid: its shells, clients, timeouts and foreground servers; not
# PostgreSQL's processes, which start sessions of their own).
hr_session_pids() {
    local sid=$1 f line p
    for f in /proc/[0-9]*/stat; do
        read -r line 2>/dev/null <"$f" || continue
        p=${f#/proc/}; p=${p%/stat}
        line=${line##*) }
        set -- $line   # state ppid pgrp session ...
        [ "$4" = "$sid" ] && [ "$1" != Z ] && echo "$p"
    done
}

# hr_descendants PID...: the pids of every descendant of the PIDs.
hr_descendants() {
    local f line todo="$*" next p
    declare -A parent=()
    for f in /proc/[0-9]*/stat; do
        read -r line 2>/dev/null <"$f" || continue
        p=${f#/proc/}; p=${p%/stat}
        line=${line##*) }
        set -- $line
        [ "$1" = Z ] || parent[$p]=$2
    done
    while [ -n "$todo" ]; do
        next=""
        for p in "${!parent[@]}"; do
            case " $todo " in *" ${parent[$p]} "*) echo "$p"; next="$next $p" ;; esac
        done
        todo=${next# }
    done
}

# hr_reap COMMAND...: SIGKILL every pid COMMAND prints, again and again, until
# it prints none (at most about 10 s); 1 if some survive.
hr_reap() {
    local n pids
    for n in $(seq 1 100); do
        pids=$("$@")
        [ -z "$pids" ] && return 0
        kill -KILL $pids 2>/dev/null
        sleep 0.1
    done
    return 1
}

# hr_wait_gone SECONDS PID...: wait until none of the PIDs is alive (bounded);
# 1 if some still are.
hr_wait_gone() {
    local limit=$1 n p alive; shift
    for n in $(seq 1 $((limit * 10))); do
        alive=""
        for p in "$@"; do hr_alive "$p" && alive=1; done
        [ -z "$alive" ] && return 0
        sleep 0.1
    done
    return 1
}

# hr_kill_tree PID...: SIGKILL the PIDs and all their descendants; wait
# (bounded) until they are gone.
hr_kill_tree() {
    local pids="$* $(hr_descendants "$@")" p
    [ -n "${pids// /}" ] || return 0
    # out of the job table first, or bash reports each one "Killed"
    for p in "$@"; do disown "$p" 2>/dev/null; done
    kill -KILL $pids 2>/dev/null
    hr_wait_gone 10 $pids
    return 0
}

# hr_cluster_kill DATADIR: SIGKILL the cluster's postmaster and every process
# of the cluster, found afresh until none is left (a backend forked while the
# others were being killed included); then wait (bounded) until the
# postmaster's pid is gone, zombie included (init reaps it), so that a new
# postmaster may take the lock file: it refuses while kill(pid, 0) succeeds.
hr_cluster_kill() {
    local data=$1 pm=""
    [ -f "$data/postmaster.pid" ] && pm=$(head -n 1 "$data/postmaster.pid" 2>/dev/null)
    [ -n "$pm" ] && hr_alive "$pm" && kill -KILL "$pm" 2>/dev/null
    if ! hr_reap hr_dir_pids "$data"; then
        hr_log "processes of $data survive SIGKILL: $(hr_dir_pids "$data" | tr '\n' ' ')"
        return 1
    fi
    [ -z "$pm" ] && return 0
    local n
    for n in $(seq 1 300); do
        kill -0 "$pm" 2>/dev/null || return 0
        sleep 0.1
    done
    hr_log "the postmaster $pm of $data is not reaped after 30 s"
    return 1
}

# ---- the watchdog of scripts/test.sh

# hr_watch LIMIT AREA EXCEPT NAME OUT COMMAND...: run COMMAND in a session of
# its own (setsid), stdout and stderr to OUT, with TMPDIR and HR_TMPDIR set to
# AREA/tmp-BASENAME (NAME without directory and .sh; so that what it makes, a nested test.sh or bench.sh
# included, lives under AREA), for at most LIMIT seconds. On expiry OUT gets
# "not ok - NAME timed out after LIMIT s" and every process of COMMAND is
# killed: those of its session and those whose working directory is under
# AREA but not under EXCEPT (clusters; PostgreSQL's processes leave the
# session but stay in their data directory), found afresh until none is
# left; the status is then 124. When COMMAND ends leaving such processes,
# OUT gets "not ok - NAME left processes running: ..." and they are killed;
# the status is COMMAND's. HR_WATCH_SID names the session while it runs.
hr_watch() {
    local limit=$1 area=$2 except=$3 name=$4 out=$5 pid t=0 rc left dir; shift 5
    dir=$area/tmp-$(basename "$name" .sh)
    mkdir -p "$dir"; chmod 755 "$dir"
    # Not a process group leader (a background child of a script), so
    # setsid makes the session in place: the session id is the pid.
    TMPDIR=$dir HR_TMPDIR=$dir setsid "$@" >"$out" 2>&1 </dev/null &
    pid=$! HR_WATCH_SID=$!
    while hr_alive "$pid" && [ "$t" -lt $((limit * 10)) ]; do sleep 0.1; t=$((t + 1)); done
    if hr_alive "$pid"; then
        echo "not ok - $name timed out after $limit s" >>"$out"
        disown "$pid" 2>/dev/null   # or bash reports it "Killed"
        hr_reap hr_watch_pids "$pid" "$area" "$except" \
            || echo "# some processes of $name survive SIGKILL" >>"$out"
        HR_WATCH_SID=""
        return 124
    fi
    wait "$pid"; rc=$?
    left=$(hr_watch_pids "$pid" "$area" "$except")
    if [ -n "$left" ]; then
        sleep 2; left=$(hr_watch_pids "$pid" "$area" "$except")
    fi
    if [ -n "$left" ]; then
        echo "not ok - $name left processes running: $(ps -o pid=,args= -p "$(echo $left | tr ' ' ,)" | tr -s ' ' | paste -sd ';')" >>"$out"
        hr_reap hr_watch_pids "$pid" "$area" "$except"
    fi
    HR_WATCH_SID=""
    return "$rc"
}

# hr_watch_pids SID AREA EXCEPT: the processes hr_watch kills.
hr_watch_pids() {
    { hr_session_pids "$1"; hr_dir_pids "$2" "$3"; } | sort -un
}

# hr_timeout COMMAND...: COMMAND under a time limit (HR_CLIENT_TIMEOUT seconds,
# default 300; SIGKILL 5 s after the SIGTERM). Every client call of a suite
# goes through it (hr_psql does).
hr_timeout() {
    timeout -k 5 "${HR_CLIENT_TIMEOUT:-300}" "$@"
}

# hr_psql DB [psql args]: psql against the cluster of PGHOST/PGPORT.
hr_psql() {
    local db=$1; shift
    hr_timeout "$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -U postgres -d "$db" "$@"
}

# Suite lines (test/suites/*.sh): one "ok - ..." / "not ok - ..." per check.
hr_ok() { echo "ok - $*"; }
hr_not_ok() { echo "not ok - $*"; }
# hr_check DESCRIPTION EXPECTED ACTUAL
hr_check() {
    if [ "$2" = "$3" ]; then hr_ok "$1"; else
        hr_not_ok "$1"; printf '#   expected: %s\n#   actual:   %s\n' "$2" "$3"
    fi
}
