# test/lib/cluster.sh: the one library of the cluster suites (source it).
#
# A suite that needs servers of its own, databases of its own, or background
# processes uses these functions and nothing hand-made: ports are picked
# free, every client call is bounded, and whatever the suite started is
# ended by pid when it exits (success, failure, a signal, the watchdog of
# scripts/test.sh: see doc/testing.md).
#
#   hr_suite_init NAME       first call of a suite: HR_SUITE_DIR (a fresh
#                            directory under $TMPDIR, which scripts/test.sh
#                            gives each suite), hr_pg_paths, the EXIT trap.
#   hr_on_exit 'COMMAND'     run COMMAND at exit, before the clusters stop
#                            (last registered runs first).
#   hr_port                  print a free TCP port (nothing listens on it, no
#                            other suite holds it); released at exit.
#
#   Clusters are named (NAME: letters, digits, _); the files of one are under
#   $HR_SUITE_DIR/NAME: data/, sock/ (its Unix socket directory), server.log.
#   hr_cl_init NAME [CONF]   initdb (trust, UTF8, C.UTF-8) with a free port and
#                            the settings of hr_cluster_init, CONF appended
#                            (later lines win: CONF overrides); Unix socket
#                            only unless CONF sets listen_addresses; pg_cron
#                            preloaded with cron.database_name = 'postgres'
#                            unless CONF says otherwise.
#   hr_cl_standby NAME PRIMARY [CONF]
#                            a hot standby of the running cluster PRIMARY
#                            (pg_basebackup -R over its socket), port and
#                            socket of its own; not started. 1 on failure
#                            (the output of pg_basebackup on stderr).
#   (Call hr_cl_init and hr_cl_standby in the suite's shell, not in $(...):
#   they register the cluster for the cleanup at exit.)
#   hr_cl_start NAME         start, wait until it accepts connections
#                            (bounded); 1 (log tail on stderr) on failure.
#   hr_cl_stop NAME          fast shutdown (bounded), then every process of
#                            the cluster that is left is killed.
#   hr_cl_kill NAME          SIGKILL the postmaster and every process of the
#                            cluster, found afresh (by working directory,
#                            orphans included) until none is left; the
#                            cluster can be started again (crash recovery).
#   hr_cl_data NAME, hr_cl_sock NAME, hr_cl_port NAME, hr_cl_log NAME
#                            print the data directory, socket directory,
#                            port, server log.
#   hr_cl_conninfo NAME [DB] print "host=SOCK port=PORT dbname=DB" (libpq).
#   hr_cl_psql NAME [psql args]
#                            psql -X -q -At -v ON_ERROR_STOP=1 -U postgres on
#                            the cluster (database postgres unless -d),
#                            bounded by hr_timeout (HR_CLIENT_TIMEOUT s).
#
#   On the shared cluster of scripts/test.sh (PGHOST, PGPORT):
#   hr_q DB [psql args]      hr_cl_psql's options, on that cluster.
#   hr_scratch_db DB...      (re)create empty databases, dropped at exit.
#
#   Background processes:
#   hr_bg COMMAND...         start COMMAND in the background; its pid is in
#                            HR_BG_PID, and it is killed with all its
#                            descendants at exit unless it ended before.
#   hr_stop_bg SECONDS PID...
#                            wait (bounded) for the PIDs to end, then kill
#                            what is left with its descendants.
#
#   From scripts/lib.sh, for the rare case the above does not cover:
#   hr_release_ports, hr_timeout, hr_dir_pids, hr_session_pids, hr_descendants, hr_kill_tree,
#   hr_reap, hr_wait_gone, hr_alive, hr_cluster_kill, hr_as_pg; the check
#   lines hr_ok, hr_not_ok, hr_check.
#
# Time limit: scripts/test.sh kills a suite after 900 s (HR_SUITE_TIMEOUT),
# or after N s when the suite file has a line "# test-timeout: N".
#
# The environment a suite gets from scripts/test.sh: HR_ROOT, HR_TMP,
# HR_BINDIR (the private install's bin), PG_CONFIG, PGHOST/PGPORT/PGUSER and
# HR_DB (the shared cluster and its database), TMPDIR.

source "$HR_ROOT/scripts/lib.sh"

declare -a hr_exit_cmds=() hr_cl_names=() hr_bg_pids=() hr_scratch_dbs=()
declare -A hr_cl_ports=()

hr_suite_init() {
    local name=$1
    hr_pg_paths
    [ -n "${HR_BINDIR:-}" ] || hr_die "HR_BINDIR is not set: run the suite through scripts/test.sh"
    HR_SUITE_DIR=${TMPDIR:-$HR_TMP}/$name
    rm -rf "$HR_SUITE_DIR"
    mkdir -p "$HR_SUITE_DIR"
    chmod 755 "$HR_SUITE_DIR"
    trap hr_suite_cleanup EXIT
    trap 'exit 143' TERM
    trap 'exit 130' INT
}

hr_on_exit() { hr_exit_cmds=("$1" "${hr_exit_cmds[@]}"); }

# The cleanup, in this order: the suite's own commands, background processes
# (by pid, with their descendants), scratch databases, clusters, ports.
hr_suite_cleanup() {
    # (no local named like a suite's globals: the exit commands see those)
    local hr_c hr_n hr_scratch
    trap - EXIT TERM INT
    for hr_c in "${hr_exit_cmds[@]}"; do eval "$hr_c"; done
    hr_exit_cmds=()
    hr_stop_bg 0 "${hr_bg_pids[@]}"
    for hr_scratch in "${hr_scratch_dbs[@]}"; do
        hr_q postgres -c "DROP DATABASE IF EXISTS $hr_scratch WITH (FORCE)" >/dev/null 2>&1
    done
    for hr_n in "${hr_cl_names[@]}"; do hr_cl_stop "$hr_n"; done
    hr_release_ports
    return 0
}

hr_cl_data() { echo "$HR_SUITE_DIR/$1/data"; }
hr_cl_sock() { echo "$HR_SUITE_DIR/$1/sock"; }
hr_cl_log() { echo "$HR_SUITE_DIR/$1/server.log"; }
hr_cl_port() {
    [ -n "${hr_cl_ports[$1]:-}" ] || hr_die "no cluster $1"
    echo "${hr_cl_ports[$1]}"
}
hr_cl_conninfo() { echo "host=$(hr_cl_sock "$1") port=$(hr_cl_port "$1") dbname=${2:-postgres}"; }

# hr_cl_new NAME: the cluster's directory, port and registration (internal).
hr_cl_new() {
    local name=$1
    [[ "$name" =~ ^[A-Za-z0-9_]+$ ]] || hr_die "bad cluster name: $name"
    [ -n "${hr_cl_ports[$name]:-}" ] && hr_die "cluster $name exists"
    hr_cl_ports[$name]=$(hr_port)
    hr_cl_names+=("$name")
    rm -rf "${HR_SUITE_DIR:?}/$name"
    mkdir -p "$HR_SUITE_DIR/$name"
    chmod 755 "$HR_SUITE_DIR/$name"
}

hr_cl_init() {
    local name=$1 conf=${2:-}
    hr_cl_new "$name"
    hr_cluster_init "$(hr_cl_data "$name")" "$(hr_cl_sock "$name")" "$(hr_cl_port "$name")" postgres "$conf"
}

hr_cl_standby() {
    local name=$1 primary=$2 conf=${3:-} data sock out
    hr_cl_new "$name"
    data=$(hr_cl_data "$name") sock=$(hr_cl_sock "$name")
    mkdir -p "$data" "$sock"
    chmod 700 "$data"
    if [ "$(id -u)" -eq 0 ]; then chown postgres: "$data" "$sock"; fi
    if ! out=$(hr_as_pg timeout -k 5 300 "$HR_BINDIR/pg_basebackup" -D "$data" -R -X stream -c fast \
                   -h "$(hr_cl_sock "$primary")" -p "$(hr_cl_port "$primary")" -U postgres 2>&1); then
        printf '%s\n' "$out" >&2
        return 1
    fi
    hr_as_pg tee -a "$data/postgresql.conf" >/dev/null <<CONF
# standby of $(hr_cl_data "$primary")
port = $(hr_cl_port "$name")
unix_socket_directories = '$sock'
hot_standby = on
$conf
CONF
}

hr_cl_start() {
    ( hr_cluster_start "$(hr_cl_data "$1")" "$(hr_cl_log "$1")" )
}

hr_cl_stop() { hr_cluster_stop "$(hr_cl_data "$1")"; }

hr_cl_kill() { hr_cluster_kill "$(hr_cl_data "$1")"; }

hr_cl_psql() {
    local name=$1; shift
    hr_timeout "$HR_BINDIR/psql" -X -q -At -v ON_ERROR_STOP=1 -h "$(hr_cl_sock "$name")" \
        -p "$(hr_cl_port "$name")" -U postgres -d postgres "$@"
}

hr_q() {
    local db=$1; shift
    hr_timeout "$HR_BINDIR/psql" -X -q -At -v ON_ERROR_STOP=1 -U postgres -d "$db" "$@"
}

hr_scratch_db() {
    local db
    for db in "$@"; do
        hr_scratch_dbs+=("$db")
        hr_q postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
        hr_q postgres -c "CREATE DATABASE $db" || hr_die "CREATE DATABASE $db failed"
    done
}

hr_bg() {
    "$@" &
    HR_BG_PID=$!
    hr_bg_pids+=("$HR_BG_PID")
}

# Only pids that are still this shell's children are killed (a pid that
# ended and was reaped may have been reused by another process), and they
# leave the list.
hr_stop_bg() {
    local limit=$1 p mine=() keep=() line; shift
    for p in "$@"; do
        read -r line 2>/dev/null <"/proc/$p/stat" || continue
        line=${line##*) }; line=${line#* }
        [ "${line%% *}" = "$BASHPID" ] && mine+=("$p")
    done
    for p in "${hr_bg_pids[@]}"; do
        case " $* " in *" $p "*) ;; *) keep+=("$p") ;; esac
    done
    hr_bg_pids=("${keep[@]}")
    [ ${#mine[@]} -gt 0 ] || return 0
    hr_wait_gone "$limit" "${mine[@]}"
    hr_kill_tree "${mine[@]}"
}
