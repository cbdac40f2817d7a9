#!/usr/bin/env bash
# test/suites/update.sh: ALTER EXTENSION hookreg UPDATE from 0.1.0, proven on a
# populated database.
#
# 0.1.0 is built from its release commit (git history of this checkout) into a
# private install tree of its own. A throwaway cluster runs it: database "upd"
# is filled through the 0.1.0 functions (test/update/populate/*.sql), database
# "upd_suite" gets an empty 0.1.0 install. Then the cluster is restarted on this
# checkout's install tree (the state between "make install" and ALTER
# EXTENSION), and:
#   - a 0.1.0 catalog under the 0.2.0 module refuses every changed function
#     with 55000 and the update to run, and nothing crashes;
#   - an update rolled back leaves 0.1.0 and every row as it was;
#   - after the update every row of every table is still there and equal in
#     every column but those test/update/changed-columns.txt names;
#     test/update/verify/*.sql (pgTAP) pass; running the update again is a no-op;
#   - the catalog equals a fresh 0.2.0 install's (test/update/catalog.sql);
#   - a dump of the updated database restores with the same rows, and the
#     restored catalog equals a fresh install's;
#   - pg_regress, isolation and pgTAP pass on a database updated from 0.1.0.
set -uo pipefail
source "$HR_ROOT/test/lib/cluster.sh"
hr_suite_init update

source "$HR_ROOT/test/update/old-release.sh"
OLD_VERSION=$HR_OLD_VERSION
NEW_VERSION=$(sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" "$HR_ROOT/hookreg.control")

base=$HR_SUITE_DIR
new_bindir=$HR_BINDIR
mkdir -p "$base/snap"

ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; }
check() {  # check DESCRIPTION EXPECTED ACTUAL
    if [ "$2" = "$3" ]; then ok "$1"; else
        not_ok "$1"; printf '#   expected: %s\n#   actual:   %s\n' "$2" "$3"
    fi
}
check_diff() {  # check_diff DESCRIPTION FILE_A FILE_B
    if diff -u "$2" "$3" >"$base/diff.out"; then ok "$1"; else
        not_ok "$1"; head -n 60 "$base/diff.out" | sed 's/^/#   /'
    fi
}
uq() {  # uq DB [psql args]: psql on the update cluster, bounded in time
    local db=$1; shift
    timeout 300 "$bindir/psql" -X -q -At -v ON_ERROR_STOP=1 -h "$sock" -p "$port" -U postgres -d "$db" "$@"
}
start() {  # start BINDIR
    bindir=$1
    HR_BINDIR=$bindir hr_cl_start upd 2>/dev/null \
        || { tail -n 30 "$(hr_cl_log upd)" | sed 's/^/#   /'; not_ok "the update cluster starts"; exit 1; }
}
stop() { HR_BINDIR=$bindir hr_cl_stop upd; }   # (and at exit, by the library)

# ---------------------------------------------------------------- 0.1.0
if ! hr_old_release "$base" 2>"$base/old.err"; then
    not_ok "$OLD_VERSION builds from its release commit"; sed 's/^/#   /' "$base/old.err"; exit 1
fi
old_bindir=$HR_OLD_BINDIR
ok "$OLD_VERSION built from its release commit into a private install tree"

# The frozen install script is exactly what 0.1.0's sources build.
check_diff "src/released/hookreg--$OLD_VERSION.sql is exactly the script $OLD_VERSION's sources build" \
    "$base/src-$OLD_VERSION/hookreg--$OLD_VERSION.sql" "$HR_ROOT/src/released/hookreg--$OLD_VERSION.sql"

HR_BINDIR=$old_bindir hr_cl_init upd "cron.database_name = 'upd'
max_locks_per_transaction = 256"
data=$(hr_cl_data upd) sock=$(hr_cl_sock upd) port=$(hr_cl_port upd)
start "$old_bindir"
uq postgres -c "CREATE DATABASE upd" -c "CREATE DATABASE upd_suite" -c "CREATE DATABASE fresh"
uq upd -c "CREATE EXTENSION pg_cron" -c "CREATE EXTENSION hookreg"
uq upd_suite -c "CREATE EXTENSION hookreg"
check "a new database gets $OLD_VERSION from the $OLD_VERSION module" "$OLD_VERSION" \
    "$(uq upd -c "SELECT extversion FROM pg_extension WHERE extname = 'hookreg'")"
for f in "$HR_ROOT"/test/update/populate/*.sql; do
    if uq upd -f "$f" >"$base/populate.out" 2>&1; then ok "populate at $OLD_VERSION: $(basename "$f")"; else
        not_ok "populate at $OLD_VERSION: $(basename "$f")"; sed 's/^/#   /' "$base/populate.out"; exit 1
    fi
done

# snapshot NAME: every row of every table of hookreg and hookreg_features, in
# the columns 0.1.0 had (listed once, before the update), minus the columns
# changed on purpose; and the pg_cron jobs (but their command, which the update
# rewrites on purpose: test/update/verify/50_security.sql checks it).
uq upd >"$base/columns" <<'SQL'
SELECT format('%s %s', c.oid::regclass, string_agg(quote_ident(a.attname), ',' ORDER BY a.attnum))
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
 WHERE n.nspname IN ('hookreg', 'hookreg_features') AND c.relkind IN ('r', 'p')
 GROUP BY c.oid ORDER BY 1;
SQL
snapshot() {
    local out=$base/snap/$1 rel cols keep c
    : >"$out"
    while read -r rel cols; do
        keep=()
        for c in ${cols//,/ }; do
            grep -qE "^$rel +$c( |$)" "$HR_ROOT/test/update/changed-columns.txt" || keep+=("$c")
        done
        cols=$(IFS=,; echo "${keep[*]}")
        printf '%s (%s)\n' "$rel" "$cols" >>"$out"
        uq "${2:-upd}" -c "SET TimeZone = 'UTC'" -c "SET extra_float_digits = 3" \
            -c "COPY (SELECT $cols FROM $rel ORDER BY $cols) TO STDOUT" >>"$out" 2>&1
    done <"$base/columns"
    uq "${2:-upd}" -c "SELECT jobid, schedule, nodename, database, username, active, jobname FROM cron.job ORDER BY jobid" 2>&1 | sed 's/^/cron.job: /' >>"$out"
}
snapshot before
ok "snapshot of $(wc -l <"$base/columns") tables at $OLD_VERSION ($(wc -l <"$base/snap/before") lines)"
stop

# ---------------------------------------------------------------- the new module, the old catalog
start "$new_bindir"
check "with the $NEW_VERSION module installed, the catalog is still at $OLD_VERSION" "$OLD_VERSION" \
    "$(uq upd -c "SELECT extversion FROM pg_extension WHERE extname = 'hookreg'")"
# Call every function of the extension with well-typed arguments: each must
# refuse with 55000 and name the update, except the ones that stay safe
# (hookreg_version: what the module is). Trigger and event-trigger functions
# are reached through a write below.
uq upd >"$base/stale.out" 2>&1 <<'SQL'
SET client_min_messages = warning;
CREATE TEMP TABLE stale(fn text, state text, hint text);
DO $do$
DECLARE
    f record; args text; st text; h text;
BEGIN
    FOR f IN SELECT p.oid, p.oid::regprocedure::text AS sig, p.proargtypes
               FROM pg_proc p JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
               JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'hookreg'
              WHERE p.prorettype NOT IN ('trigger'::regtype, 'event_trigger'::regtype)
              ORDER BY 2
    LOOP
        SELECT coalesce(string_agg(CASE t::regtype::text
                   WHEN 'text' THEN quote_literal('x') || '::text'
                   WHEN 'jsonb' THEN quote_literal('{}') || '::jsonb'
                   WHEN 'integer' THEN '1' WHEN 'bigint' THEN '1::bigint'
                   WHEN 'double precision' THEN '1::float8'
                   WHEN 'uuid' THEN quote_literal('f47ac10b-58cc-4372-a567-0e02b2c3d479') || '::uuid'
                   WHEN 'timestamp with time zone' THEN 'now()'
                   WHEN 'interval' THEN quote_literal('1 hour') || '::interval'
                   WHEN 'text[]' THEN quote_literal('{x}') || '::text[]'
                   WHEN 'boolean' THEN 'true'
                   ELSE 'NULL::' || t::regtype::text END, ', ' ORDER BY i), '')
          INTO args FROM unnest(f.proargtypes) WITH ORDINALITY AS u(t, i);
        BEGIN
            EXECUTE format('SELECT %s(%s)', f.oid::regproc, args);
            st := 'ok'; h := '';
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, h = PG_EXCEPTION_HINT;
        END;
        INSERT INTO stale VALUES (f.sig, st, h);
    END LOOP;
END
$do$;
SELECT format('%s %s %s', fn, state, CASE WHEN hint LIKE '%ALTER EXTENSION hookreg UPDATE%' THEN 'names-update' ELSE hint END)
  FROM stale ORDER BY fn;
SQL
nstale=$(grep -c ' 55000 names-update$' "$base/stale.out")
bad=$(grep -v ' 55000 names-update$' "$base/stale.out" | grep -v '^hookreg_version() ok ')
if [ "$nstale" -gt 20 ] && [ -z "$bad" ]; then
    ok "at $OLD_VERSION under the $NEW_VERSION module, all $nstale functions refuse with 55000 naming ALTER EXTENSION hookreg UPDATE (hookreg_version() still answers)"
else
    not_ok "at $OLD_VERSION under the $NEW_VERSION module, every changed function refuses with 55000 naming the update"
    sed 's/^/#   /' "$base/stale.out"
fi
check "at $OLD_VERSION under the $NEW_VERSION module, a write through a table trigger is refused with 55000" \
    "55000" "$(uq upd -c "DO \$\$ BEGIN UPDATE hookreg.hook_releases SET source_ref = 'x'; EXCEPTION WHEN OTHERS THEN RAISE NOTICE '%', SQLSTATE; END \$\$" 2>&1 | sed -n 's/.*NOTICE: *//p')"
check "at $OLD_VERSION under the $NEW_VERSION module, the server is still up and DROP EXTENSION works (rolled back)" \
    "0.1.0" "$(uq upd -c "BEGIN" -c "DROP EXTENSION hookreg CASCADE" -c "ROLLBACK" -c "SELECT extversion FROM pg_extension WHERE extname = 'hookreg'" 2>&1 | tail -n 1)"
snapshot stale
check_diff "nothing the stale catalog refused wrote anything" "$base/snap/before" "$base/snap/stale"

# ---------------------------------------------------------------- the update
uq upd -c "BEGIN" -c "ALTER EXTENSION hookreg UPDATE" -c "ROLLBACK" >"$base/rollback.out" 2>&1
check "an update rolled back leaves the catalog at $OLD_VERSION" "$OLD_VERSION" \
    "$(uq upd -c "SELECT extversion FROM pg_extension WHERE extname = 'hookreg'")"
snapshot rolledback
check_diff "an update rolled back leaves every row as it was" "$base/snap/before" "$base/snap/rolledback"

t0=$(date +%s%N)
if uq upd -c "ALTER EXTENSION hookreg UPDATE" >"$base/update.out" 2>&1; then
    ok "ALTER EXTENSION hookreg UPDATE from $OLD_VERSION to $NEW_VERSION ($(( ($(date +%s%N) - t0) / 1000000 )) ms)"
else
    not_ok "ALTER EXTENSION hookreg UPDATE from $OLD_VERSION to $NEW_VERSION"; sed 's/^/#   /' "$base/update.out"; exit 1
fi
check "the catalog is at $NEW_VERSION" "$NEW_VERSION" \
    "$(uq upd -c "SELECT extversion FROM pg_extension WHERE extname = 'hookreg'")"
snapshot after
check_diff "every row of every table is still there, unchanged but for the columns changed on purpose" \
    "$base/snap/before" "$base/snap/after"
uq upd -c "ALTER EXTENSION hookreg UPDATE" >"$base/update2.out" 2>&1
check "a second ALTER EXTENSION hookreg UPDATE succeeds and changes nothing" "0" "$?"
snapshot again
check_diff "a second update leaves every row as the first left it" "$base/snap/after" "$base/snap/again"

uq upd -c "CREATE EXTENSION pgtap"
if hr_timeout pg_prove -h "$sock" -p "$port" -U postgres -d upd "$HR_ROOT"/test/update/verify/*.sql >"$base/verify.out" 2>&1; then
    ok "the verify files pass on the updated database ($(grep -c '^ok\|^ *ok' "$base/verify.out" || true) lines): $(cd "$HR_ROOT/test/update/verify" && echo *.sql)"
else
    not_ok "the verify files pass on the updated database"; sed 's/^/#   /' "$base/verify.out"
fi

# ---------------------------------------------------------------- the catalog
uq upd_suite -c "ALTER EXTENSION hookreg UPDATE"
# The frozen 0.1.0 script is installed beside the new one: a new database can
# still be created at 0.1.0 (under the new module) and updated from there.
uq postgres -c "CREATE DATABASE upd_new"
uq upd_new -c "CREATE EXTENSION hookreg VERSION '$OLD_VERSION'" >/dev/null 2>&1
check "CREATE EXTENSION hookreg VERSION '$OLD_VERSION' works with the $NEW_VERSION files installed" "$OLD_VERSION" \
    "$(uq upd_new -c "SELECT extversion FROM pg_extension WHERE extname = 'hookreg'")"
uq upd_new -c "ALTER EXTENSION hookreg UPDATE"
uq fresh -c "CREATE EXTENSION hookreg"
uq fresh -f "$HR_ROOT/test/update/catalog.sql" >"$base/catalog.fresh" 2>&1
uq upd -f "$HR_ROOT/test/update/catalog.sql" >"$base/catalog.upd" 2>&1
uq upd_suite -f "$HR_ROOT/test/update/catalog.sql" >"$base/catalog.upd_suite" 2>&1
n=$(wc -l <"$base/catalog.fresh")
[ "$n" -gt 300 ] || { not_ok "test/update/catalog.sql describes the fresh install (only $n lines)"; sed 's/^/#   /' "$base/catalog.fresh"; }
check_diff "the populated database's catalog after the update equals a fresh $NEW_VERSION install's ($n catalog facts)" \
    "$base/catalog.fresh" "$base/catalog.upd"
check_diff "an empty database's catalog after the update equals a fresh $NEW_VERSION install's" \
    "$base/catalog.fresh" "$base/catalog.upd_suite"
uq upd_new -f "$HR_ROOT/test/update/catalog.sql" >"$base/catalog.upd_new" 2>&1
check_diff "a database created at $OLD_VERSION under the $NEW_VERSION files and updated equals a fresh install" \
    "$base/catalog.fresh" "$base/catalog.upd_new"

# ---------------------------------------------------------------- dump and restore
# pg_cron can be created only in its own database, so the restore leaves out
# pg_cron's own entries (its job table is pg_cron's data, not hookreg's).
timeout 300 "$bindir/pg_dump" -h "$sock" -p "$port" -U postgres -d upd -Fc -f "$base/upd.dump" 2>"$base/dump.err"
check "pg_dump of the updated database succeeds" "0" "$?"
timeout 60 "$bindir/pg_restore" -l "$base/upd.dump" | grep -v -E ' pg_cron *$| cron ' >"$base/restore.list"
uq postgres -c "CREATE DATABASE restored"
timeout 300 "$bindir/pg_restore" -h "$sock" -p "$port" -U postgres -d restored -L "$base/restore.list" \
    --exit-on-error "$base/upd.dump" >"$base/restore.out" 2>&1
check "the dump of the updated database restores without an error" "0" "$?"
[ -s "$base/restore.out" ] && sed 's/^/#   /' "$base/restore.out"
snapshot restored restored
grep -v '^cron.job: ' "$base/snap/after" >"$base/snap/after.nocron"
grep -v '^cron.job: ' "$base/snap/restored" >"$base/snap/restored.nocron"
check_diff "the restored database holds every row of the updated one" "$base/snap/after.nocron" "$base/snap/restored.nocron"
uq restored -f "$HR_ROOT/test/update/catalog.sql" >"$base/catalog.restored" 2>&1
check_diff "the restored database's catalog equals a fresh $NEW_VERSION install's" \
    "$base/catalog.fresh" "$base/catalog.restored"

# ---------------------------------------------------------------- the whole suite, on an updated database
# pg_cron serves one database per cluster: restart with it pointing at the
# database the pgTAP files run in.
stop
echo "cron.database_name = 'upd_tap'" | hr_as_pg tee -a "$data/postgresql.conf" >/dev/null
start "$new_bindir"
for db in contrib_regression isolation_regression upd_tap; do uq postgres -c "CREATE DATABASE $db TEMPLATE upd_suite"; done
uq upd_tap -c "CREATE EXTENSION pgtap" -c "CREATE EXTENSION pg_cron"
runner() {  # runner LABEL OUT DIFFS make-args...: one ok line per runner
    local label=$1 out=$2 diffs=$3 rc pass fail; shift 3
    (cd "$HR_ROOT" && PGHOST=$sock PGPORT=$port timeout 1200 make -s installcheck PG_CONFIG="$PG_CONFIG" "$@") >"$out" 2>&1; rc=$?
    pass=$(grep -cE ' \.\.\. ok( |$)' "$out"); fail=$(grep -cE ' \.\.\. (FAILED|failed)' "$out")
    if [ "$rc" -eq 0 ] && [ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]; then ok "$label on a database updated from $OLD_VERSION: $pass tests"; else
        not_ok "$label on a database updated from $OLD_VERSION ($pass ok, $fail failed, exit $rc)"
        grep -E ' \.\.\. (FAILED|failed)' "$out" | sed 's/^/#   /'
        [ -f "$diffs" ] && head -n 80 "$diffs" | sed 's/^/#   /'
    fi
}
regress=$(cd "$HR_ROOT" && for f in sql/*.sql; do basename "$f" .sql; done | tr '\n' ' ')
isolation=$(cd "$HR_ROOT" && for f in test/specs/*.spec; do basename "$f" .spec; done | tr '\n' ' ')
runner pg_regress "$base/regress.out" "$HR_ROOT/regression.diffs" REGRESS="$regress" ISOLATION= \
    REGRESS_OPTS="--use-existing --dbname=contrib_regression"
runner isolation "$base/iso.out" "$HR_ROOT/output_iso/regression.diffs" REGRESS= ISOLATION="$isolation" \
    ISOLATION_OPTS="--inputdir=test --use-existing --dbname=isolation_regression"
(cd "$HR_ROOT" && timeout 1200 pg_prove -h "$sock" -p "$port" -U postgres -d upd_tap test/tap/*.sql) >"$base/tap.out" 2>&1; rc=$?
if [ "$rc" -eq 0 ] && grep -q '^Result: PASS' "$base/tap.out"; then
    ok "pgTAP on a database updated from $OLD_VERSION: $(grep -E '^Files=' "$base/tap.out")"
else
    not_ok "pgTAP on a database updated from $OLD_VERSION"; grep -vE '^[^ ]+ \.+ ok$' "$base/tap.out" | head -n 60 | sed 's/^/#   /'
fi
stop

# ---------------------------------------------------------------- the lock report's tool works
# (the numbers come from the full run, bench/update-locks.sh, never from here)
if timeout 600 "$HR_ROOT/bench/update-locks.sh" --size 2000 --hooks 10 --out "$base/locks.md" >"$base/locks.log" 2>&1 \
   && grep -q 'The update from 0.1.0 to .* took' "$base/locks.md" \
   && grep -q 'recomputing the digest of all 2000 releases' "$base/locks.md"; then
    ok "bench/update-locks.sh measures an update (smoke: 2,000 rows)"
else
    not_ok "bench/update-locks.sh measures an update (smoke: 2,000 rows)"; tail -n 20 "$base/locks.log" | sed 's/^/#   /'
fi
