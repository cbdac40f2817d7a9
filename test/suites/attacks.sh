#!/usr/bin/env bash
# attacks.sh: the attacks of a review of 0.1.0 by unprivileged login roles,
# each in the attacker's own session (psql -U attacker), never SET ROLE from a
# superuser. Each attack check fails on 0.1.0; checks marked (regression) show
# that the legitimate path still works.
#
# Each numbered block is one attack class of doc/security.md ("Attacks and
# the tests that close them"):
#  1. DROP EXTENSION event trigger: a look-alike pg_cron (schema cron, table
#     job, function unschedule(bigint)) made by a role with CREATE on a
#     database without pg_cron never runs: not for the attacker's own DROP
#     (refused before anything runs as the owner), not for the owner's DROP.
#
# Runs in the test cluster (pg_cron serves $HR_DB): its own databases and
# login roles hr_x_*, all dropped at the end. Costs about 10 seconds.
set -uo pipefail
source "$HR_ROOT/test/lib/cluster.sh"
hr_suite_init attacks

db=${HR_DB:-hookreg_test}
W=$HR_SUITE_DIR
chmod 777 "$W"
DBS="hr_x_nocron hr_x_nocron2 hr_x_pub hr_x_ovl hr_x_schema hr_x_data"
ROLES="hr_x_mallory hr_x_dbowner hr_x_creator hr_x_schemaowner hr_x_ops hr_x_admin hr_x_releaser hr_x_runner"
bg_pid=

# as ROLE DB: run stdin as ROLE's own login session; prints rows (-At).
as() {
    hr_timeout "$HR_BINDIR/psql" -X -q -At -v ON_ERROR_STOP=1 -v VERBOSITY=sqlstate -U "$1" -d "$2"
}
# su DB SQL: as the superuser.
su() { hr_timeout "$HR_BINDIR/psql" -X -q -At -v ON_ERROR_STOP=1 -U postgres -d "$1" -c "$2"; }
# state ROLE DB: 'ok' when stdin runs without error, else the SQLSTATE.
state() {
    local out
    out=$(as "$1" "$2" 2>&1 >/dev/null) && { echo ok; return; }
    printf '%s\n' "$out" | sed -n 's/^.*\(ERROR\|FATAL\): *\([0-9A-Z]\{5\}\).*$/\2/p' | head -n 1
}

cleanup() {
    [ -n "$bg_pid" ] && kill "$bg_pid" 2>/dev/null
    [ "${had_job:-1}" = 0 ] && su "$db" "SELECT cron.unschedule(jobid) FROM cron.job WHERE jobname = 'hookreg-reconcile'" >/dev/null 2>&1
    for d in $DBS; do su postgres "DROP DATABASE IF EXISTS $d WITH (FORCE)" 2>/dev/null; done
    for r in $ROLES; do su postgres "DROP ROLE IF EXISTS $r" 2>/dev/null; done
}
hr_on_exit cleanup
cleanup >/dev/null 2>&1
for r in $ROLES; do su postgres "CREATE ROLE $r LOGIN"; done
su postgres "GRANT hookreg_ops_writer TO hr_x_ops; GRANT hookreg_admin TO hr_x_admin;
             GRANT hookreg_releaser TO hr_x_releaser; GRANT hookreg_runner TO hr_x_runner"

# ---------------------------------------------------------------- 1. DROP EXTENSION
# mallory's look-alike pg_cron: the function counts its calls in a sequence
# (nextval survives a rollback) and, when it runs as a superuser, makes
# mallory one.
plant_cron() {  # plant_cron DB
    as hr_x_mallory "$1" >/dev/null <<'SQL'
CREATE SCHEMA cron;
CREATE TABLE cron.job (jobid bigint, jobname text, database text, command text, username text);
INSERT INTO cron.job VALUES (1, 'hookreg-reconcile', current_database(), 'SELECT 1', 'postgres');
CREATE SEQUENCE cron.calls;
CREATE SEQUENCE cron.calls_as_superuser;
CREATE FUNCTION cron.unschedule(bigint) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    PERFORM nextval('cron.calls');
    IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        PERFORM nextval('cron.calls_as_superuser');
        ALTER ROLE hr_x_mallory SUPERUSER;
    END IF;
    RETURN true;
END $$;
SQL
}
calls() {  # calls DB: "<calls> <calls as superuser> <mallory is superuser>"
    echo "$(su "$1" "SELECT (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM cron.calls) || ' ' ||
                            (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM cron.calls_as_superuser) || ' ' ||
                            (SELECT rolsuper FROM pg_roles WHERE rolname = 'hr_x_mallory')")"
}

su postgres "CREATE DATABASE hr_x_nocron"
su postgres "CREATE DATABASE hr_x_nocron2"
for d in hr_x_nocron hr_x_nocron2; do
    su "$d" "CREATE EXTENSION hookreg; GRANT CREATE ON DATABASE $d TO hr_x_mallory"
    plant_cron "$d"
done

hr_check "1a. a role that may not drop hookreg gets PostgreSQL's 42501 from DROP EXTENSION hookreg" "42501" \
    "$(echo "DROP EXTENSION hookreg;" | state hr_x_mallory hr_x_nocron)"
hr_check "1a. ... and its look-alike cron.unschedule was never called (calls, calls as superuser, mallory superuser)" \
    "0 0 false" "$(calls hr_x_nocron)"
su postgres "ALTER ROLE hr_x_mallory NOSUPERUSER"
hr_check "1b. the owner's DROP EXTENSION hookreg in a database without pg_cron succeeds" "ok" \
    "$(echo "DROP EXTENSION hookreg;" | state postgres hr_x_nocron2)"
hr_check "1b. ... without calling the look-alike cron.unschedule (calls, calls as superuser, mallory superuser)" \
    "0 0 false" "$(calls hr_x_nocron2)"
su postgres "ALTER ROLE hr_x_mallory NOSUPERUSER"

# In $db, where pg_cron is installed, the job is scheduled (and removed at the
# end if it was not there before).
had_job=$(su "$db" "SELECT count(*) FROM cron.job WHERE jobname = 'hookreg-reconcile'")
su "$db" "SELECT hookreg_schedule_housekeeping()" >/dev/null
hr_check "1c. (regression) with pg_cron installed, a role that may not drop hookreg gets 42501 and the job stays" "42501 1" \
    "$(echo "DROP EXTENSION hookreg CASCADE;" | state hr_x_mallory "$db") $(su "$db" "SELECT count(*) FROM cron.job WHERE jobname = 'hookreg-reconcile'")"
hr_check "1c. (regression) the owner's DROP EXTENSION takes the job along (rolled back here)" "0" \
    "$(su "$db" "BEGIN; DROP EXTENSION hookreg CASCADE; SELECT count(*) FROM cron.job WHERE jobname = 'hookreg-reconcile'; ROLLBACK;")"

