#!/usr/bin/env bash
# many_hooks.sh: a registry of 10,000 hooks (HR_MANY_HOOKS), with the
# settings doc/operations.md ("Many hooks") gives, in a cluster of its own:
#   - hooks are registered in batches of transactions (each within its share
#     of the lock table), releases and runs for many of them, feature rows in
#     some, each naming a run of its own hook;
#   - registering the 10,001st hook (to 10,010th) costs what the 21st (to
#     30th) did, by measures that
#     do not depend on the clock: WAL bytes and records written and shared
#     buffers touched (EXPLAIN (ANALYZE, BUFFERS, WAL)), each in a new session;
#   - hook_catalog and release_history answer for one hook from indexes
#     (EXPLAIN: no sequential scan);
#   - with max_locks_per_transaction = 128, pg_dump in plain and custom format
#     works, and psql -f and pg_restore restore identical rows (hookreg's
#     tables and every feature table) with every provenance trigger;
#   - with max_locks_per_transaction = 2048, DROP EXTENSION hookreg CASCADE
#     works and leaves no feature table.
# Prints one "ok - ..." / "not ok - ..." line per check; its cluster (test/lib/cluster.sh)
# ends at exit. About 5 minutes on 2 idle cores, 25 on a loaded one
# (HR_MANY_HOOKS=1000 for a quick run).
# test-timeout: 3600
set -uo pipefail
source "$HR_ROOT/test/lib/cluster.sh"
hr_suite_init many_hooks
# restores of 10,000 tables take minutes on a loaded machine
export HR_CLIENT_TIMEOUT=${HR_CLIENT_TIMEOUT:-1800}

N=${HR_MANY_HOOKS:-10000}
BATCH=250
base=$HR_SUITE_DIR

mq() {  # mq DB [psql args]: the suite's cluster, bounded in time
    local db=$1; shift
    hr_cl_psql many -d "$db" "$@"
}
cl() {  # cl PROGRAM [args]: a client program against the suite's cluster, bounded
    local prog=$1; shift
    hr_timeout "$HR_BINDIR/$prog" -h "$(hr_cl_sock many)" -p "$(hr_cl_port many)" -U postgres "$@"
}
set_locks() {  # set_locks N: max_locks_per_transaction (a restart)
    hr_cl_stop many
    hr_as_pg sed -i "s/^max_locks_per_transaction = .*/max_locks_per_transaction = $1/" "$(hr_cl_data many)/postgresql.conf"
    hr_cl_start many || { hr_not_ok "the many-hooks cluster restarts"; exit 1; }
}

# The settings of doc/operations.md for dumping 10,000 hooks; durability off
# for speed (this suite tests sizes, not crashes).
hr_cl_init many "max_locks_per_transaction = 128
fsync = off
synchronous_commit = off
full_page_writes = off
autovacuum = off
max_wal_size = 4GB
shared_buffers = 256MB"
hr_cl_start many || { hr_not_ok "the many-hooks cluster starts"; exit 1; }
mq postgres -c "CREATE DATABASE many" -c "CREATE DATABASE many_plain" -c "CREATE DATABASE many_custom"
mq many -c "CREATE EXTENSION hookreg"

# spec(i): cardinality one for every third hook, a few columns of each kind.
mq many <<'SQL'
CREATE FUNCTION public.mh_spec(i int) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT jsonb_build_object('kind', 'table', 'cardinality', CASE WHEN i % 3 = 0 THEN 'one' ELSE 'many' END,
        'columns', jsonb_build_array(jsonb_build_object('name', 'score', 'json_type', 'number'),
                                     jsonb_build_object('name', 'label', 'json_type', 'string'),
                                     jsonb_build_object('name', 'doc', 'json_type', 'object'))) $$;
CREATE FUNCTION public.mh_name(i int) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT 'mh_' || lpad(i::text, 6, '0') $$;
SQL

# rows: the feature rows of every hook, one table a transaction (one
# transaction reading every table would need a lock-table entry per table)
rows() {
    mq many <<'SQL'
CREATE TEMP TABLE n (n bigint);
SELECT format('INSERT INTO n SELECT count(*) FROM %s', feature_table) FROM hookreg.hooks \gexec
SELECT sum(n) FROM n;
SQL
}
register() {  # register FROM TO: one transaction per batch
    local a=$1 b=$2 lo hi
    for ((lo = a; lo <= b; lo += BATCH)); do
        hi=$((lo + BATCH - 1)); [ "$hi" -gt "$b" ] && hi=$b
        mq many -c "SELECT count(*) FROM generate_series($lo, $hi) g, hookreg_register_hook(mh_name(g), mh_spec(g))" >/dev/null \
            || { hr_not_ok "registering hooks $lo to $hi"; exit 1; }
    done
}
# cost FROM: WAL bytes, WAL records and shared buffers touched by registering
# the ten hooks FROM to FROM+9, in a new session (so both measures start with
# cold caches; ten, so that one page split of a catalog index weighs little)
cost() {
    mq many -c "EXPLAIN (ANALYZE, BUFFERS, WAL, FORMAT JSON) SELECT count(*) FROM generate_series($1, $1 + 9) g, hookreg_register_hook(mh_name(g), mh_spec(1))" \
        | python3 -c 'import json,sys; p=json.load(sys.stdin)[0]["Plan"]; print(p["WAL Bytes"], p["WAL Records"], p["Shared Hit Blocks"] + p["Shared Read Blocks"])'
}
within() {  # within PERCENT A B: B is within PERCENT of A (and A > 0)
    python3 -c "import sys; a,b=float('$2'),float('$3'); sys.exit(0 if a > 0 and abs(b-a) <= a*$1/100 else 1)"
}

t0=$(date +%s)
register 1 20
read -r wal21 rec21 buf21 <<<"$(cost 21)"
register 31 "$N"
hr_check "$N hooks and feature tables registered in transactions of $BATCH ($(( $(date +%s) - t0 )) s)" "$N $N" \
    "$(mq many -c "SELECT count(*) || ' ' || (SELECT count(*) FROM pg_class WHERE relnamespace = 'hookreg_features'::regnamespace AND relkind = 'r') FROM hookreg.hooks")"

# Releases and runs for every fifth hook, feature rows in every fiftieth.
t0=$(date +%s)
mq many >"$base/load.out" 2>&1 <<'SQL' || { hr_not_ok "releases, runs and feature rows"; sed 's/^/#   /' "$base/load.out"; exit 1; }
SET client_min_messages = warning;
SELECT count(*) FROM generate_series(5, (SELECT count(*) FROM hookreg.hooks)::int, 5) g,
       hookreg_create_release(mh_name(g), 'registry.example.org/mh', 'sha256:' || md5(g::text) || md5(g::text),
                              jsonb_build_object('g', g), '{}', 'git:' || g);
SELECT count(*) FROM hookreg.release_history r, generate_series(1, 2) k,
       hookreg_record_run(r.release_id, 'passed', '2026-01-01 00:00Z', '2026-01-01 00:01Z',
                          run_id => hookreg_run_id(r.hook_name || ':' || k));
DO $$
DECLARE h record;
BEGIN
    FOR h IN SELECT name, feature_table FROM hookreg.hooks WHERE right(name, 2) = '50' ORDER BY name LOOP
        EXECUTE format('INSERT INTO %s (run_id, subject, score, label, doc)'
                       ' SELECT hookreg_run_id(%L || '':'' || (1 + g %% 2)), ''rec-'' || g, g / 7.0, ''l'' || g,'
                       '        jsonb_build_object(''g'', g) FROM generate_series(1, 20) g',
                       h.feature_table, h.name);
    END LOOP;
END $$;
ANALYZE;
SQL
hr_check "releases, runs and feature rows loaded ($(( $(date +%s) - t0 )) s)" "$((N / 5)) $((N / 5 * 2)) $((N / 100 * 20))" \
    "$(mq many -c "SELECT (SELECT count(*) FROM hookreg.hook_releases) || ' ' || (SELECT count(*) FROM hookreg.hook_runs)
                      || ' ' || $(rows)")"

# ---------------------------------------------------------------- cost of one more
read -r walN recN bufN <<<"$(cost $((N + 1)))"
if within 10 "$rec21" "$recN"; then
    hr_ok "registering hooks $((N + 1))-$((N + 10)) writes within 10% of the WAL records hooks 21-30 did ($rec21, $recN)"
else hr_not_ok "registering hooks $((N + 1))-$((N + 10)) writes within 10% of the WAL records hooks 21-30 did ($rec21, $recN)"; fi
if within 10 "$wal21" "$walN"; then
    hr_ok "registering hooks $((N + 1))-$((N + 10)) writes within 10% of the WAL bytes hooks 21-30 did ($wal21, $walN)"
else hr_not_ok "registering hooks $((N + 1))-$((N + 10)) writes within 10% of the WAL bytes hooks 21-30 did ($wal21, $walN)"; fi
if within 25 "$buf21" "$bufN"; then
    hr_ok "registering hooks $((N + 1))-$((N + 10)) touches within 25% of the shared buffers hooks 21-30 did ($buf21, $bufN; catalog indexes one level deeper)"
else hr_not_ok "registering hooks $((N + 1))-$((N + 10)) touches within 25% of the shared buffers hooks 21-30 did ($buf21, $bufN)"; fi

# ---------------------------------------------------------------- views from indexes
for v in "hookreg.hook_catalog WHERE name = mh_name($((N / 2)))" "hookreg.release_history WHERE hook_name = mh_name($((N / 2)))"; do
    plan=$(mq many -c "EXPLAIN (COSTS OFF) SELECT * FROM $v")
    if [ "$N" -lt 5000 ]; then
        hr_ok "${v%% WHERE*} answers for one hook from indexes # SKIP below 5,000 hooks the planner rightly prefers sequential scans"
    elif grep -q "Seq Scan" <<<"$plan" || ! grep -q "Index" <<<"$plan"; then
        hr_not_ok "${v%% WHERE*} answers for one hook from indexes"; sed 's/^/#   /' <<<"$plan"
    else hr_ok "${v%% WHERE*} answers for one hook from indexes (no sequential scan)"; fi
done
hr_check "hook_catalog answers for one hook" "$(mq many -c "SELECT mh_name($((N / 2)))") 1" \
    "$(mq many -c "SELECT name || ' ' || release_count FROM hookreg.hook_catalog WHERE name = mh_name($((N / 2)))")"

# ---------------------------------------------------------------- dump and restore
# fingerprint DB: every row of every hookreg table and feature table
fingerprint() {  # one table a transaction, as rows() does
    mq "$1" <<'SQL'
CREATE TEMP TABLE fp (rel text, n bigint, digest text);
SELECT format('INSERT INTO fp SELECT %L, count(*), md5(coalesce(string_agg(t::text, E''\n'' ORDER BY t::text), '''')) FROM %s t',
              c.oid::regclass, c.oid::regclass)
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname IN ('hookreg', 'hookreg_features') AND c.relkind = 'r' ORDER BY 1 \gexec
SELECT count(*) || ' tables, ' || sum(n) || ' rows, ' || md5(string_agg(rel || n || digest, ',' ORDER BY rel)) FROM fp;
SQL
}
src_fp=$(fingerprint many)
hr_check "the source's fingerprint covers hookreg's tables and every feature table" \
    "$(mq many -c "SELECT count(*) FROM pg_class WHERE relnamespace IN ('hookreg'::regnamespace, 'hookreg_features'::regnamespace) AND relkind = 'r'") tables" \
    "$(grep -oE '^[0-9]+ tables' <<<"$src_fp")"
t0=$(date +%s)
cl pg_dump -d many -Fp -f "$base/many.sql" 2>"$base/dump_plain.err"
hr_check "pg_dump (plain) of $N hooks with max_locks_per_transaction = 128 ($(( $(date +%s) - t0 )) s)" "0 0" "$? $(wc -c <"$base/dump_plain.err")"
t0=$(date +%s)
cl pg_dump -d many -Fc -f "$base/many.dump" 2>"$base/dump_custom.err"
hr_check "pg_dump (custom) of $N hooks ($(( $(date +%s) - t0 )) s)" "0 0" "$? $(wc -c <"$base/dump_custom.err")"
t0=$(date +%s)
mq many_plain -f "$base/many.sql" >/dev/null 2>"$base/restore_plain.err"
hr_check "psql -f restores the plain dump ($(( $(date +%s) - t0 )) s)" "0 0" "$? $(wc -c <"$base/restore_plain.err")"
t0=$(date +%s)
cl pg_restore -d many_custom --exit-on-error "$base/many.dump" 2>"$base/restore_custom.err"
hr_check "pg_restore restores the custom dump ($(( $(date +%s) - t0 )) s)" "0 0" "$? $(wc -c <"$base/restore_custom.err")"
for db in many_plain many_custom; do
    hr_check "$db: identical rows in every hookreg table and feature table ($src_fp)" "$src_fp" "$(fingerprint $db)"
    hr_check "$db: every feature table has its provenance trigger" "0" \
        "$(mq $db -c "SELECT count(*) FROM hookreg.hooks h WHERE NOT EXISTS (SELECT FROM pg_trigger t WHERE t.tgrelid = h.feature_table AND t.tgfoid = 'hookreg.feature_run_check()'::regprocedure)")"
done
rm -f "$base/many.sql" "$base/many.dump"

# ---------------------------------------------------------------- DROP EXTENSION
set_locks 2048
t0=$(date +%s)
mq many -c "SET client_min_messages = warning" -c "DROP EXTENSION hookreg CASCADE" >"$base/drop.out" 2>&1
hr_check "DROP EXTENSION hookreg CASCADE of $N hooks with max_locks_per_transaction = 2048 ($(( $(date +%s) - t0 )) s)" "0" "$?"
hr_check "no feature table, hookreg table or schema is left" "0" \
    "$(mq many -c "SELECT count(*) FROM pg_namespace WHERE nspname IN ('hookreg', 'hookreg_features')")"
