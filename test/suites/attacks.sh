#!/usr/bin/env bash
# attacks.sh: the attacks of a review of 0.1.0 by unprivileged login roles,
# each in the attacker's own session (psql -U attacker), never SET ROLE from a
# superuser. Each attack check fails on 0.1.0; checks marked (regression) hold
# on 0.1.0 too: the legitimate path still works, or a fact the fix relies on.
#
# Each numbered block is one attack class of doc/security.md ("Attacks and
# the tests that close them"):
#  1. DROP EXTENSION event trigger: a look-alike pg_cron (schema cron, table
#     job, function unschedule(bigint)) made by a role with CREATE on a
#     database without pg_cron never runs: not for the attacker's own DROP
#     (refused before anything runs as the owner), not for the owner's DROP.
#  2. The housekeeping job's command, run as the job's user the way pg_cron
#     runs it, calls nothing that the owner of public or a role with CREATE on
#     the extension's schema controls (no look-alike, no ambiguous overload).
#  3. CREATE EXTENSION hookreg SCHEMA s is refused when an ordinary role owns
#     s (that role could DROP SCHEMA s CASCADE and take every release along),
#     and so is the update from 0.1.0 of such an install.
#  4. An ops writer cannot take the reconciler's identity, and a pass does not
#     wait on other sessions' transactions without a bound.
#  8. Texts that are stored forever are capped (54000).
# 10. A token or a 10 MB value given as a digest or a run status is not
#     echoed into the error.
# 11. Timestamps 4713 BC and 294276 AD as started_at/finished_at: 22023.
# 12. One number spelled three ways ({"n": 1}, {"n": 1.0}, {"n": 10e-1}) is
#     one identity: an ops writer gets no second active run.
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
    [ "${had_job:-1}" = 0 ] && su "$db" "SELECT cron.unschedule(jobid) FROM cron.job WHERE jobname IN ('hookreg-reconcile', 'hookreg-prune')" >/dev/null 2>&1
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
hr_check "1b. (regression) the owner's DROP EXTENSION hookreg in a database without pg_cron succeeds" "ok" \
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

# ---------------------------------------------------------------- 2. the job
# The command and user pg_cron would run, as scheduled in $db.
job_cmd=$(su "$db" "SELECT command FROM cron.job WHERE jobname = 'hookreg-reconcile'")
job_user=$(su "$db" "SELECT username FROM cron.job WHERE jobname = 'hookreg-reconcile'")
prune_cmd=$(su "$db" "SELECT command FROM cron.job WHERE jobname = 'hookreg-prune'")
printf '%s\n' "# job command: $job_cmd (as $job_user)"

# 2a. The owner of public (the database owner in PostgreSQL 15) renames it and
# plants a look-alike opsrun_reconcile in a new public.
su postgres "CREATE DATABASE hr_x_pub OWNER hr_x_dbowner"
su hr_x_pub "CREATE EXTENSION hookreg"
as hr_x_dbowner hr_x_pub >/dev/null <<'SQL'
ALTER SCHEMA public RENAME TO public_old;
CREATE SCHEMA public;
CREATE SEQUENCE public.calls;
CREATE FUNCTION public.opsrun_reconcile(now timestamptz DEFAULT now())
    RETURNS TABLE (workspace_id bigint, reconcile_run_id bigint, stale_queued int, stale_running int)
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM nextval('public.calls');
    ALTER ROLE hr_x_dbowner SUPERUSER;
END $$;
CREATE FUNCTION public.opsrun_reconcile() RETURNS TABLE (workspace_id bigint) LANGUAGE sql
    AS $$ SELECT nextval('public.calls') $$;
CREATE FUNCTION public.opsrun_prune(interval, interval DEFAULT NULL, int DEFAULT 10000) RETURNS bigint
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM nextval('public.calls');
    ALTER ROLE hr_x_dbowner SUPERUSER;
    RETURN 0;
END $$;
SQL
printf '%s\n' "$job_cmd" | as "$job_user" hr_x_pub >/dev/null 2>"$W/2a.err"
[ -n "$prune_cmd" ] && printf '%s\n' "$prune_cmd" | as "$job_user" hr_x_pub >/dev/null 2>>"$W/2a.err"
hr_check "2a. the jobs' commands (reconcile, prune), run as their user after the owner of public swapped public, call no look-alike (calls, dbowner superuser)" \
    "0 false" "$(su hr_x_pub "SELECT (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM public.calls) || ' ' ||
                                     (SELECT rolsuper FROM pg_roles WHERE rolname = 'hr_x_dbowner')")"
su postgres "ALTER ROLE hr_x_dbowner NOSUPERUSER"

# 2b. A role with CREATE on the extension's schema adds an overload that makes
# a call by name ambiguous: the job must still run.
su postgres "CREATE DATABASE hr_x_ovl"
su hr_x_ovl "CREATE EXTENSION hookreg; GRANT CREATE ON SCHEMA public TO hr_x_creator"
as hr_x_creator hr_x_ovl >/dev/null <<'SQL'
CREATE FUNCTION public.opsrun_reconcile(now timestamptz, VARIADIC x int[] DEFAULT '{}')
    RETURNS TABLE (workspace_id bigint) LANGUAGE sql AS $$ SELECT 0::bigint $$;
SQL
hr_check "2b. the job's command still runs after an overload is added to the extension's schema" "ok" \
    "$(printf '%s\n' "$job_cmd" | state "$job_user" hr_x_ovl)"
hr_check "2b. (regression) no role but the owner can add one where the job's entry point lives" "42501" \
    "$(echo "CREATE FUNCTION hookreg.x() RETURNS int LANGUAGE sql AS 'SELECT 1';" | state hr_x_creator hr_x_ovl)"

# ---------------------------------------------------------------- 3. the schema
su postgres "CREATE DATABASE hr_x_schema"
su hr_x_schema "CREATE SCHEMA s AUTHORIZATION hr_x_schemaowner"
hr_check "3. CREATE EXTENSION hookreg SCHEMA s is refused when an ordinary role owns s" "55000" \
    "$(echo "CREATE EXTENSION hookreg SCHEMA s;" | state postgres hr_x_schema)"
hr_check "3. ... and the hint says what to do" "yes" \
    "$(echo "CREATE EXTENSION hookreg SCHEMA s;" | "$HR_BINDIR/psql" -X -q -U postgres -d hr_x_schema 2>&1 | grep -q 'HINT:  Give the schema to the database owner first (ALTER SCHEMA s OWNER TO pg_database_owner;)' && echo yes || echo no)"
hr_check "3. ... the update from 0.1.0 of such an install is refused too, saying what to do (55000)" "55000 0.1.0" \
    "$(echo "CREATE EXTENSION hookreg VERSION '0.1.0' SCHEMA s; ALTER EXTENSION hookreg UPDATE;" | state postgres hr_x_schema) $(su hr_x_schema "SELECT coalesce((SELECT extversion FROM pg_extension WHERE extname = 'hookreg'), 'none')")"
su hr_x_schema "DROP EXTENSION IF EXISTS hookreg CASCADE" >/dev/null 2>&1
hr_check "3. (regression) a schema owned by the database owner (pg_database_owner) or a superuser is accepted" "ok ok" \
    "$(echo "CREATE SCHEMA s2 AUTHORIZATION pg_database_owner; CREATE EXTENSION hookreg SCHEMA s2; DROP EXTENSION hookreg;" | state postgres hr_x_schema) $(echo "CREATE SCHEMA s3; CREATE EXTENSION hookreg SCHEMA s3;" | state postgres hr_x_schema)"

# ---------------------------------------------------------------- 4. the reconciler
# 4, 8, 10, 11 and 12 in a database of their own (no pg_cron needed there).
data=hr_x_data
su postgres "CREATE DATABASE $data"
su "$data" "CREATE EXTENSION hookreg"
su "$data" "INSERT INTO hookreg.workspaces (id, name) VALUES (9811, 'attacks')"
su "$data" "SELECT opsrun_register_type('attack.quick', 'workspace', ARRAY['total'], NULL, '1 hour', '1 second')" >/dev/null
stale=$(su "$data" "SELECT run_id FROM opsrun_start(9811, NULL, 'attack.quick', '{}')")
su "$data" "SELECT opsrun_claim($stale)" >/dev/null
hr_check "4. an ops writer may not start a run of the reconciler's type: 42501" "42501" \
    "$(echo "BEGIN; SELECT opsrun_start(9811, NULL, 'ops.reconcile_adapter_runs', '{}'); ROLLBACK;" | state hr_x_ops "$data")"
# The writer tries anyway and holds its transaction open for 30 s.
printf '%s\n' "BEGIN;" "SELECT run_id FROM opsrun_start(9811, NULL, 'ops.reconcile_adapter_runs', '{}');" \
    "SELECT pg_sleep(30);" "COMMIT;" | timeout 40 "$HR_BINDIR/psql" -X -q -At -U hr_x_ops -d "$data" >"$W/4.out" 2>&1 &
bg_pid=$!
for _ in $(seq 1 50); do
    kill -0 "$bg_pid" 2>/dev/null || break
    [ "$(su "$data" "SELECT count(*) FROM pg_stat_activity WHERE usename = 'hr_x_ops' AND query LIKE '%pg_sleep%'")" = 1 ] && break
    sleep 0.2
done
# the admin's pass, as pg_cron would run it, bounded by timeout
pass=$(echo "SELECT stale_running FROM opsrun_reconcile(pg_catalog.now() + interval '1 hour') WHERE workspace_id = 9811;" |
       timeout 10 "$HR_BINDIR/psql" -X -q -At -v ON_ERROR_STOP=1 -U hr_x_admin -d "$data" 2>&1)
hr_check "4. with the writer's transaction open, the reconcile pass does not wait and fails the stale run" "1" "$pass"
hr_check "4. ... the stale run is completed/failed" "completed/failed" \
    "$(su "$data" "SELECT status || '/' || outcome FROM hookreg.operation_runs WHERE id = $stale")"
kill "$bg_pid" 2>/dev/null; wait "$bg_pid" 2>/dev/null; bg_pid=

# An admin's open transaction holding the workspace row (which the pass's own
# run references) makes the pass wait at most its lock bound: it says so in a
# WARNING, still fails the stale run, and returns the workspace without a run.
stale=$(su "$data" "SELECT run_id FROM opsrun_start(9811, NULL, 'attack.quick', '{\"n\": 2}')")
su "$data" "SELECT opsrun_claim($stale)" >/dev/null
printf '%s\n' "BEGIN;" "SELECT id FROM hookreg.workspaces WHERE id = 9811 FOR UPDATE;" \
    "SELECT pg_sleep(30);" "COMMIT;" | timeout 40 "$HR_BINDIR/psql" -X -q -At -U hr_x_admin -d "$data" >"$W/4b.out" 2>&1 &
bg_pid=$!
for _ in $(seq 1 50); do
    [ "$(su "$data" "SELECT count(*) FROM pg_stat_activity WHERE usename = 'hr_x_admin' AND query LIKE '%pg_sleep%'")" = 1 ] && break
    sleep 0.2
done
pass=$(echo "SELECT coalesce(reconcile_run_id::text, 'none') || ' ' || stale_running FROM opsrun_reconcile(pg_catalog.now() + interval '1 hour') WHERE workspace_id = 9811;" |
       timeout 10 "$HR_BINDIR/psql" -X -q -At -v ON_ERROR_STOP=1 -U hr_x_admin -d "$data" 2>"$W/4b.err")
hr_check "4. with the workspace row locked by an open transaction, the pass ends within its bound, fails the stale run, records no run there" \
    "none 1" "$pass"
hr_check "4. ... and says so in a WARNING" "yes" \
    "$(grep -q 'WARNING:  opsrun_reconcile could not record its pass in workspace 9811' "$W/4b.err" && echo yes || echo no)"
kill "$bg_pid" 2>/dev/null; wait "$bg_pid" 2>/dev/null; bg_pid=


# ---------------------------------------------------------------- 8. caps
big=$(head -c 2000000 /dev/zero | tr '\0' 'x')
cap() {  # cap ROLE SQL-WITH-:'big': SQLSTATE of the statement with a 2 MB text bound as :'big'
    { printf '\\set big %s\n' "$big"; printf '%s\n' "$2"; } | state "$1" "$data"
}
su "$data" "SELECT hookreg_register_hook('hr_x_capped', '{\"kind\": \"table\", \"cardinality\": \"one\", \"columns\": []}')" >/dev/null
hr_check "8. a 2 MB source_ref is refused: 54000" "54000" \
    "$(cap hr_x_releaser "SELECT hookreg_create_release('hr_x_capped', 'registry.example.org/x', 'sha256:' || repeat('a', 64), '{}', '{}', :'big');")"
hr_check "8. a 2 MB built_by is refused: 54000" "54000" \
    "$(cap hr_x_releaser "SELECT hookreg_create_release('hr_x_capped', 'registry.example.org/x', 'sha256:' || repeat('a', 64), '{}', '{}', 'git:x', :'big');")"
rel=$(su "$data" "SELECT release_id FROM hookreg_create_release('hr_x_capped', 'registry.example.org/x', 'sha256:' || repeat('b', 64), '{}', '{}', 'git:x')")
hr_check "8. a 2 MB log_ref is refused: 54000" "54000" \
    "$(cap hr_x_runner "SELECT hookreg_record_run('$rel', 'passed', now(), now(), 0, :'big');")"
hr_check "8. a 2 MB initiator_name is refused: 54000" "54000" \
    "$(cap hr_x_ops "SELECT opsrun_start(9811, NULL, 'attack.capped', '{}', :'big');")"

# ---------------------------------------------------------------- 10. echoes
# a random-looking API key (upper, lower, digits): the sanitizer redacts it
token=Ab3dE5gH7jK9mN1pQ3sT5vW7yZ9bC2eF4hJ6
err_of() {  # err_of ROLE: the whole error report of stdin (message, detail, hint)
    "$HR_BINDIR/psql" -X -q -At -v ON_ERROR_STOP=1 -v VERBOSITY=verbose -U "$1" -d "$data" 2>&1 >/dev/null
}
echoes() {  # echoes DESCRIPTION ROLE SQL [SQLSTATE] [PREFIX]: the SQL fails (22023) and its error does not hold the token
    local out
    out=$(printf '%s\n' "$3" | err_of "$2")
    hr_check "10. ${5:-}a token given as $1 is not in the error" "${4:-22023} absent" \
        "$(printf '%s' "$out" | sed -n 's/^ERROR: *\([0-9A-Z]\{5\}\).*/\1/p' | head -n1) $(grep -qF "$token" <<<"$out" && echo present || echo absent)"
}
run=$(su "$data" "SELECT run_id FROM opsrun_start(9811, NULL, 'attack.echo', '{}')")
echoes "a digest" hr_x_releaser "SELECT hookreg_create_release('hr_x_capped', 'registry.example.org/x', 'sha256:$token', '{}', '{}', 'git:x');"
echoes "a digest algorithm" hr_x_releaser "SELECT hookreg_create_release('hr_x_capped', 'registry.example.org/x', '$token:abc', '{}', '{}', 'git:x');"
echoes "an image" hr_x_releaser "SELECT hookreg_create_release('hr_x_capped', E'$token\\t', 'sha256:' || repeat('a', 64), '{}', '{}', 'git:x');"
echoes "limits.memory" hr_x_releaser "SELECT hookreg_create_release('hr_x_capped', 'registry.example.org/x', 'sha256:' || repeat('a', 64), '{}', '{\"memory\": \"$token\"}', 'git:x');"
echoes "a JSON member name" hr_x_releaser "SELECT hookreg_create_release('hr_x_capped', 'registry.example.org/x', 'sha256:' || repeat('a', 64), '{}', '{\"$token\": 1}', 'git:x');"
echoes "a run status" hr_x_runner "SELECT hookreg_record_run('$rel', '$token', now(), now());"
echoes "an outcome" hr_x_ops "SELECT opsrun_complete($run, '$token');"
echoes "an operation type" hr_x_ops "SELECT opsrun_start(9811, NULL, '$token', '{}');"
echoes "an invalid hook name to register" hr_x_admin "SELECT hookreg_register_hook('X$token', '{\"kind\": \"table\", \"cardinality\": \"one\", \"columns\": []}');"
echoes "a title that makes no slug" hr_x_admin "SELECT hookreg_deploy_convention('{\"title\": \"9$token\", \"description\": \"d\", \"schema\": {\"id\": \"s\", \"version\": \"1\", \"definition\": {}}, \"file_requirements\": {}, \"source\": null, \"hooks\": []}');"
echoes "a hook name" hr_x_releaser "SELECT hookreg_create_release('$token', 'registry.example.org/x', 'sha256:' || repeat('a', 64));" P0002 "(regression) "
huge=$(head -c 10000000 /dev/zero | tr '\0' 's')
out=$({ printf '\\set huge %s\n' "$huge"; echo "SELECT hookreg_record_run('$rel', :'huge', now(), now());"; } | err_of hr_x_runner)
hr_check "10. a 10 MB run status is shown cut short: the error is under 1 KB" "22023 yes" \
    "$(printf '%s' "$out" | sed -n 's/^ERROR: *\([0-9A-Z]\{5\}\).*/\1/p' | head -n1) $([ "${#out}" -lt 1024 ] && echo yes || echo "no (${#out} bytes)")"

# ---------------------------------------------------------------- 11. timestamps
hr_check "11. started_at 4713 BC and finished_at 294276 AD: 22023, not a CHECK violation" "22023" \
    "$(echo "SELECT hookreg_record_run('$rel', 'passed', '4713-01-01 00:00:00+00 BC', '294276-12-31 23:59:59+00');" | state hr_x_runner "$data")"

# ---------------------------------------------------------------- 12. numeric identity
# The ops writer starts one operation as {"n": 1}, then, each from a session
# of its own, as {"n": 1.0} and {"n": 10e-1}: 0.1.0 hashed the integer and the
# reals apart and gave each a run of its own.
start_n() { echo "SELECT run_id || ' ' || reused FROM opsrun_start(9811, NULL, 'attack.same_number', '{\"n\": $1}')" | as hr_x_ops "$data"; }
first=$(start_n 1)
second=$(start_n 1.0)
third=$(start_n 10e-1)
hr_check "12. {\"n\": 1.0} and {\"n\": 10e-1} from other sessions of an ops writer reuse the run of {\"n\": 1}: one active run" \
    "${first%% *} false ${first%% *} true ${first%% *} true 1" \
    "$first $second $third $(su "$data" "SELECT count(*) FROM hookreg.operation_runs WHERE type = 'attack.same_number' AND status IN ('queued', 'running')")"
