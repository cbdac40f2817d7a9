#!/usr/bin/env bash
# test/suites/pgbouncer.sh: hookreg behind PgBouncer in transaction pooling
# mode (Debian's pgbouncer), driven through psycopg2 (Debian's
# python3-psycopg2).
#
# A throwaway cluster of its own, and PgBouncer started by the test in the
# foreground on a private Unix socket directory and a free port, in front of
# it: pool_mode = transaction, two server connections per pool (one pool per
# role), trust authentication of the users of an auth_file. Login
# roles, each with one hookreg role: bo_deployer, bo_rel_a and bo_rel_b
# (releasers), bo_app (a releaser and a member of bo_team, which it sometimes
# becomes with SET LOCAL ROLE), bo_runner_a/_b, bo_ops_a/_b/_c (ops
# writers), bo_admin; and bo_leaky, whose pool of one connection is the
# control that shows the session-state probe sees what a client leaves.
# test/pgbouncer/flows.py then runs 33 clients through PgBouncer (see there
# for the flows and the checks) and checks the invariants on a direct
# connection. About 30 s.
set -uo pipefail
source "$HR_ROOT/test/lib/cluster.sh"
hr_suite_init pgbouncer

hr_cl_init pg "
shared_preload_libraries = ''
max_connections = 40"
hr_cl_start pg || { hr_not_ok "the cluster starts"; exit 1; }

setup=$(hr_cl_psql pg 2>&1 <<'SQL'
CREATE DATABASE bouncer;
\c bouncer
CREATE EXTENSION hookreg;
CREATE ROLE bo_deployer LOGIN IN ROLE hookreg_deployer;
CREATE ROLE bo_rel_a LOGIN IN ROLE hookreg_releaser;
CREATE ROLE bo_rel_b LOGIN IN ROLE hookreg_releaser;
CREATE ROLE bo_team NOLOGIN IN ROLE hookreg_releaser;
CREATE ROLE bo_app LOGIN IN ROLE hookreg_releaser, bo_team;
CREATE ROLE bo_runner_a LOGIN IN ROLE hookreg_runner;
CREATE ROLE bo_runner_b LOGIN IN ROLE hookreg_runner;
CREATE ROLE bo_ops_a LOGIN IN ROLE hookreg_ops_writer;
CREATE ROLE bo_ops_b LOGIN IN ROLE hookreg_ops_writer;
CREATE ROLE bo_ops_c LOGIN IN ROLE hookreg_ops_writer;
CREATE ROLE bo_admin LOGIN IN ROLE hookreg_admin;
CREATE ROLE bo_leaky LOGIN;
INSERT INTO hookreg.workspaces (name) VALUES ('bouncer');
INSERT INTO hookreg.tenants (workspace_id, external_id, name)
  SELECT id, gen_random_uuid(), 'bouncer tenant' FROM hookreg.workspaces WHERE name = 'bouncer';
SELECT opsrun_register_type('bouncer.job', 'tenant', ARRAY['total', 'failed'], NULL, '1 hour', '1 hour', 'raced');
SELECT opsrun_register_type('bouncer.stale', 'tenant', ARRAY['total'], NULL, '1 second', '1 hour', 'goes stale');
SQL
)
if [ $? -eq 0 ]; then
    hr_ok "cluster with hookreg, login roles, a workspace, a tenant and two operation types"
else
    hr_not_ok "cluster with hookreg, login roles, a workspace, a tenant and two operation types"
    sed 's/^/# /' <<<"$setup"
    exit 1
fi

# ---- PgBouncer, as the postgres user (it refuses to run as root)
b=$HR_SUITE_DIR/bouncer
mkdir -p "$b/sock"
bport=$(hr_port)
users=(bo_deployer bo_rel_a bo_rel_b bo_app bo_runner_a bo_runner_b bo_ops_a bo_ops_b bo_ops_c bo_admin bo_leaky)
for u in "${users[@]}"; do printf '"%s" ""\n' "$u"; done >"$b/users.txt"
cat >"$b/pgbouncer.ini" <<INI
[databases]
bouncer = host=$(hr_cl_sock pg) port=$(hr_cl_port pg) dbname=bouncer
bouncer_leaky = host=$(hr_cl_sock pg) port=$(hr_cl_port pg) dbname=bouncer pool_size=1

[pgbouncer]
listen_addr =
listen_port = $bport
unix_socket_dir = $b/sock
auth_type = trust
auth_file = $b/users.txt
pool_mode = transaction
default_pool_size = 2
max_client_conn = 100
server_reset_query =
server_check_delay = 0
query_wait_timeout = 60
logfile = $b/pgbouncer.log
pidfile =
INI
if [ "$(id -u)" -eq 0 ]; then chown -R postgres: "$b"; fi
hr_bg hr_as_pg /usr/sbin/pgbouncer "$b/pgbouncer.ini" >"$b/stdout.log" 2>&1
up=""
for _ in $(seq 1 100); do
    [ -S "$b/sock/.s.PGSQL.$bport" ] && { up=1; break; }
    hr_alive "$HR_BG_PID" || break
    sleep 0.1
done
if [ -n "$up" ]; then
    hr_ok "PgBouncer $(/usr/sbin/pgbouncer --version | head -n 1 | awk '{print $2}') listens on a private Unix socket (pool_mode = transaction)"
else
    hr_not_ok "PgBouncer starts"
    sed 's/^/# /' "$b/stdout.log" "$b/pgbouncer.log" 2>/dev/null | tail -n 20
    exit 1
fi

# Debian's python3 (python3-psycopg2), not whatever python3 is first on PATH
hr_timeout /usr/bin/python3 "$HR_ROOT/test/pgbouncer/flows.py" \
    "host=$b/sock port=$bport dbname=bouncer" "$(hr_cl_conninfo pg bouncer)"
rc=$?
[ "$rc" -eq 0 ] || hr_not_ok "test/pgbouncer/flows.py exits 0 (exit $rc)"
if grep -q 'ERROR\|FATAL' "$b/pgbouncer.log"; then
    hr_not_ok "PgBouncer logged no error"
    grep 'ERROR\|FATAL' "$b/pgbouncer.log" | head -n 10 | sed 's/^/# /'
else
    hr_ok "PgBouncer logged no error"
fi
exit 0
