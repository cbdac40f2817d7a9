#!/usr/bin/env bash
# feature_attacks.sh: attacks on feature tables by separate login roles, each
# in its own session (issues: feature rows naming another hook's run, runners
# squatting ids and back-dating rows). A runner, an admin and the table owner
# (the superuser) try every way a row gets in (INSERT, INSERT ... SELECT,
# COPY FROM STDIN, ON CONFLICT) with a run of another hook's release and with
# a run that does not exist: 23503 every time. A runner tries OVERRIDING
# SYSTEM VALUE (ids) and created_at (back-dating), by INSERT and by COPY:
# 42501. The same calls with their own hook's run go through, and in the end
# every row names a run of its own hook.
#
# Runs against the suite's cluster (PGHOST/PGPORT) in a database of its own;
# its login roles and database are dropped at exit. One "ok - ..." /
# "not ok - ..." line per check.
set -uo pipefail
source "$HR_ROOT/test/lib/cluster.sh"
hr_suite_init feature_attacks

DB=hr_feature_attacks
RUNNER=hr_fa_runner ADMIN=hr_fa_admin DEPLOYER=hr_fa_deployer
W=$HR_SUITE_DIR

sq() {  # sq ROLE SQL: run SQL as the login role ROLE (bounded); print "ok" or the SQLSTATE
    local role=$1 sql=$2 out
    out=$(printf '%s\n' "\\set VERBOSITY sqlstate" "$sql" \
          | hr_timeout "$HR_BINDIR/psql" -X -q -At -v ON_ERROR_STOP=1 -U "$role" -d "$DB" -f - 2>&1 >/dev/null)
    if [ -z "$out" ]; then echo ok; else sed -n 's/^.*ERROR: *\([0-9A-Z]\{5\}\).*$/\1/p' <<<"$out" | head -n 1; fi
}
q() { hr_q "$DB" "$@"; }

drop_roles() {
    hr_q postgres -c "DROP ROLE IF EXISTS $RUNNER" -c "DROP ROLE IF EXISTS $ADMIN" -c "DROP ROLE IF EXISTS $DEPLOYER" >/dev/null 2>&1
}
hr_scratch_db "$DB"   # dropped at exit, before the roles
hr_on_exit drop_roles
drop_roles
hr_q postgres -c "CREATE ROLE $RUNNER LOGIN IN ROLE hookreg_runner" \
    -c "CREATE ROLE $ADMIN LOGIN IN ROLE hookreg_admin" \
    -c "CREATE ROLE $DEPLOYER LOGIN IN ROLE hookreg_deployer" >"$W/setup.out" 2>&1 \
    || { hr_not_ok "setup"; sed 's/^/#   /' "$W/setup.out"; exit 1; }

if ! q >"$W/populate.out" 2>&1 <<'SQL'
CREATE EXTENSION hookreg;
SET client_min_messages = warning;
SELECT count(*) FROM hookreg_register_hook('fa_mine', '{"kind": "table", "cardinality": "one",
    "columns": [{"name": "score", "json_type": "number", "required": true}]}');
SELECT count(*) FROM hookreg_register_hook('fa_other', '{"kind": "table", "cardinality": "many", "columns": []}');
SELECT count(*) FROM hookreg_create_release('fa_mine', 'img', 'sha256:' || repeat('a', 64), source_ref => 'git:1');
SELECT count(*) FROM hookreg_create_release('fa_other', 'img', 'sha256:' || repeat('b', 64), source_ref => 'git:2');
SELECT hookreg_record_run(release_id, 'passed', '2026-01-01 00:00Z', '2026-01-01 00:01Z', run_id => hookreg_run_id('fa:mine'))
  FROM hookreg.release_history WHERE hook_name = 'fa_mine';
SELECT hookreg_record_run(release_id, 'passed', '2026-01-01 00:00Z', '2026-01-01 00:01Z', run_id => hookreg_run_id('fa:other'))
  FROM hookreg.release_history WHERE hook_name = 'fa_other';
SQL
then hr_not_ok "populate"; sed 's/^/#   /' "$W/populate.out"; exit 1; fi

mine=$(q -c "SELECT hookreg_run_id('fa:mine')")
other=$(q -c "SELECT hookreg_run_id('fa:other')")
none=00000000-0000-4000-8000-00000000dead
T=hookreg_features.fa_mine
n=0

attack() {  # attack WHO ROLE EXPECTED WHAT SQL
    n=$((n + 1))
    hr_check "$1: $4" "$3" "$(sq "$2" "$5")"
}

for who in "runner:$RUNNER" "admin:$ADMIN" "owner (superuser):postgres"; do
    label=${who%%:*} role=${who#*:}
    for bad in "another hook's run:$other" "no run:$none"; do
        what=${bad%%:*} run=${bad#*:}
        attack "$label" "$role" 23503 "INSERT naming $what" \
            "INSERT INTO $T (run_id, subject, score) VALUES ('$run', 'x-$n', 1);"
        attack "$label" "$role" 23503 "INSERT ... SELECT with one row naming $what" \
            "INSERT INTO $T (run_id, subject, score) SELECT '$mine'::uuid, 'sel-$n-' || g, g FROM generate_series(1, 5) g UNION ALL SELECT '$run'::uuid, 'bad-$n', 0;"
        attack "$label" "$role" 23503 "COPY FROM STDIN with one row naming $what" \
            "$(printf 'COPY %s (run_id, subject, score) FROM STDIN;\n%s\tc-%s\t1\n%s\tcb-%s\t1\n\\.' "$T" "$mine" "$n" "$run" "$n")"
        attack "$label" "$role" 23503 "INSERT ... ON CONFLICT DO NOTHING naming $what" \
            "INSERT INTO $T (run_id, subject, score) VALUES ('$run', 'oc-$n', 1) ON CONFLICT DO NOTHING;"
    done
    attack "$label" "$role" ok "INSERT, INSERT ... SELECT, COPY and ON CONFLICT naming its own hook's run go through" \
        "$(printf "INSERT INTO %s (run_id, subject, score) VALUES ('%s', 'good-%s', 1);\nINSERT INTO %s (run_id, subject, score) SELECT '%s', 'gsel-%s-' || g, g FROM generate_series(1, 3) g;\nINSERT INTO %s (run_id, subject, score) VALUES ('%s', 'good-%s', 1) ON CONFLICT DO NOTHING;\nCOPY %s (run_id, subject, score) FROM STDIN;\n%s\tgcopy-%s\t1\n\\\\." \
            "$T" "$mine" "$label" "$T" "$mine" "$label" "$T" "$mine" "$label" "$T" "$mine" "$label")"
done

# The owner's UPDATE moving a row to another hook's run (runners may not update).
attack "owner (superuser)" postgres 23503 "UPDATE of run_id to another hook's run" \
    "UPDATE $T SET run_id = '$other' WHERE subject = 'good-runner';"
attack "runner" "$RUNNER" 42501 "UPDATE of run_id" "UPDATE $T SET run_id = '$other';"
attack "runner" "$RUNNER" 42501 "ON CONFLICT DO UPDATE" \
    "INSERT INTO $T (run_id, subject, score) VALUES ('$mine', 'good-runner', 1) ON CONFLICT (run_id, subject) DO UPDATE SET run_id = '$other';"

# Squatting ids and back-dating rows.
attack "runner" "$RUNNER" 42501 "INSERT ... OVERRIDING SYSTEM VALUE takes an id" \
    "INSERT INTO $T (id, run_id, subject, score) OVERRIDING SYSTEM VALUE VALUES (1000000, '$mine', 'squat', 1);"
attack "runner" "$RUNNER" 42501 "INSERT ... OVERRIDING SYSTEM VALUE of a thousand ids" \
    "INSERT INTO $T (id, run_id, subject, score) OVERRIDING SYSTEM VALUE SELECT g, '$mine', 'sq-' || g, 1 FROM generate_series(1000, 1999) g;"
attack "runner" "$RUNNER" 42501 "COPY with an id column" \
    "$(printf 'COPY %s (id, run_id, subject, score) FROM STDIN;\n5000\t%s\tcsq\t1\n\\.' "$T" "$mine")"
attack "runner" "$RUNNER" 42501 "INSERT back-dating created_at to 1970" \
    "INSERT INTO $T (run_id, subject, score, created_at) VALUES ('$mine', 'old', 1, '1970-01-01');"
attack "runner" "$RUNNER" 42501 "COPY back-dating created_at" \
    "$(printf 'COPY %s (run_id, subject, score, created_at) FROM STDIN;\n%s\tcold\t1\t1970-01-01\n\\.' "$T" "$mine")"
attack "runner" "$RUNNER" 42501 "nextval on the identity sequence" \
    "SELECT nextval('hookreg_features.\"fa_mine-id-seq\"');"
attack "runner" "$RUNNER" 42501 "SET session_replication_role = replica" \
    "SET session_replication_role = replica;"
attack "deployer" "$DEPLOYER" 42501 "INSERT a feature row at all" \
    "INSERT INTO $T (run_id, subject, score) VALUES ('$mine', 'dep', 1);"

hr_check "nothing but the good rows was written (5 a role: INSERT, 3 by INSERT ... SELECT, COPY)" "15" \
    "$(q -c "SELECT count(*) FROM $T")"
hr_check "no id was squatted" "t" "$(q -c "SELECT coalesce(max(id), 0) < 1000 FROM $T")"
hr_check "no row is back-dated" "0" "$(q -c "SELECT count(*) FROM $T WHERE created_at < now() - interval '1 hour'")"
hr_check "every feature row names a run of its own hook" "0" "$(q -c "
    SELECT count(*) FROM (SELECT 'fa_mine' AS hook, run_id FROM hookreg_features.fa_mine
                          UNION ALL SELECT 'fa_other', run_id FROM hookreg_features.fa_other) f
      LEFT JOIN hookreg.hook_runs u ON u.id = f.run_id
      LEFT JOIN hookreg.hook_releases r ON r.id = u.release_id
     WHERE r.hook_name IS DISTINCT FROM f.hook")"
