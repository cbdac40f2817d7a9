#!/usr/bin/env bash
# bench/update-locks.sh: what ALTER EXTENSION hookreg UPDATE (0.1.0 to the
# current version) locks, and for how long, on a large database.
#
# Builds 0.1.0 from its release commit, starts a throwaway cluster on it,
# loads SIZE releases (over 1,000 hooks, each with its feature table), SIZE
# hook runs and SIZE completed operation runs (plus active ones) set-based as
# the owner, restarts the cluster on this checkout's module and runs the
# update while a second session samples pg_locks of the updating backend
# every 20 ms and a third one times a read and a write of the busiest tables.
# Every lock an update takes is held until it commits, so a lock's hold time
# is from the sample that first saw it to the commit.
#
# Then, on the updated database, what canonical JSON (RFC 8785) costs on the
# same data: the recomputation of every release digest as the update does it
# (the update's C function, created for the measurement only), and
# opsrun_identity_hash over SIZE identities, also timed at 0.1.0 before the
# update (the update recomputes no identity hash: identities are not stored).
#
# Writes bench/results/<date>-<commit>-update-locks.md (machine, load, sizes,
# the update's duration, the canonical JSON costs, each lock with its mode and
# hold time, what a reader and a writer waited) unless --out FILE says
# otherwise.
#
#   bench/update-locks.sh              SIZE = 1,000,000
#   bench/update-locks.sh --size 20000 a quick run (the test suite's smoke uses this)
#   options: --size N --hooks N --out FILE --keep
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
source "$HR_ROOT/test/update/old-release.sh"
cd "$HR_ROOT"

size=1000000 hooks=1000 out= keep=0
while [ $# -gt 0 ]; do
    case "$1" in
        --size) size=$2; shift 2 ;;
        --hooks) hooks=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        --keep) keep=1; shift ;;
        *) hr_die "unknown option $1 (see the header of $0)" ;;
    esac
done
commit=$(git -C "$HR_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$([ -n "$(git -C "$HR_ROOT" status --porcelain 2>/dev/null)" ] && echo " (uncommitted changes)")
[ -n "$out" ] || out=$HR_ROOT/bench/results/$(date -u +%Y-%m-%d)-$commit-update-locks.md
mkdir -p "$(dirname "$out")"

hr_ensure_packages
hr_pg_paths
hr_build
W=$(mktemp -d /tmp/hookreg-update-locks.XXXXXX); chmod 755 "$W"
data=$W/data sock=$W/sock port=$((54329 + 41))
mkdir -p "$sock"
cleanup() {
    [ -n "${sampler:-}" ] && kill "$sampler" 2>/dev/null
    [ -n "${prober:-}" ] && kill "$prober" 2>/dev/null
    [ -f "$data/postmaster.pid" ] && hr_as_pg "$bindir/pg_ctl" -D "$data" -m immediate -w -t 30 stop >/dev/null 2>&1
    [ "$keep" = 1 ] && hr_log "kept $W" || rm -rf "$W"
}
trap cleanup EXIT
q() { timeout 3600 "$bindir/psql" -X -q -At -v ON_ERROR_STOP=1 -h "$sock" -p "$port" -U postgres -d upd "$@"; }
start() {
    bindir=$1; touch "$W/server.log"; [ "$(id -u)" -eq 0 ] && chown postgres: "$W/server.log"
    hr_as_pg "$bindir/pg_ctl" -D "$data" -l "$W/server.log" -w -t 120 start >/dev/null || { tail "$W/server.log"; hr_die "no server"; }
}
stop() { hr_as_pg "$bindir/pg_ctl" -D "$data" -m fast -w -t 120 stop >/dev/null; }

hr_log "building 0.1.0"
hr_old_release "$W" || hr_die "0.1.0 does not build"
hr_private_install "$W/install"; new_bindir=$HR_BINDIR
HR_BINDIR=$HR_OLD_BINDIR hr_cluster_init "$data" "$sock" "$port" upd "
max_locks_per_transaction = 512
shared_buffers = 1GB
max_wal_size = 8GB
checkpoint_timeout = 30min
synchronous_commit = on"
start "$HR_OLD_BINDIR"
q -d postgres -c "CREATE DATABASE upd"
q -c "CREATE EXTENSION pg_cron" -c "CREATE EXTENSION hookreg"

hr_log "loading $hooks hooks, $size releases, $size hook runs, $size operation runs at 0.1.0"
t0=$(date +%s)
q -v hooks="$hooks" -v size="$size" <<'SQL'
SET client_min_messages = warning;
SELECT count(*) FROM generate_series(1, :hooks) h,
       LATERAL hookreg_register_hook('h' || h, '{"kind": "table", "cardinality": "many",
           "columns": [{"name": "score", "json_type": "number", "required": false}]}');
SELECT :size / :hooks AS per_hook \gset
INSERT INTO hookreg.hook_releases (id, hook_name, version, image, digest, config, limits, release_digest,
                                   source_ref, built_by, built_at)
SELECT md5('rel/' || h || '/' || v)::uuid, 'h' || h, v, 'registry.example.org/h' || h,
       'sha256:' || md5('d' || h || '/' || v) || md5('e' || h || '/' || v),
       jsonb_build_object('threshold', v / 7.0, 'nested', jsonb_build_object('n', v, 'r', 0.1 * v)),
       '{"cpu": "0.5", "memory": "1g", "timeout_seconds": 300}',
       'sha256:' || md5('r' || h || '/' || v) || md5('s' || h || '/' || v), 'git:' || v, 'loader',
       now() - interval '90 days' + v * interval '1 minute'
  FROM generate_series(1, :hooks) h, generate_series(1, :per_hook) v;
UPDATE hookreg.live_pointers p SET live_release_id = md5('rel/' || substr(p.hook_name, 2) || '/' || :per_hook)::uuid,
       last_version = :per_hook, moved_at = now();
INSERT INTO hookreg.live_moves (hook_name, from_release_id, to_release_id, reason, moved_by, moved_at)
SELECT 'h' || h, CASE WHEN v > 1 THEN md5('rel/' || h || '/' || (v - 1))::uuid END, md5('rel/' || h || '/' || v)::uuid,
       'release', 'loader', now() - interval '90 days' + v * interval '1 minute'
  FROM generate_series(1, :hooks) h, generate_series(1, :per_hook) v;
INSERT INTO hookreg.hook_runs (id, release_id, status, started_at, finished_at, duration_s, oom_retries, log_ref, recorded_at)
SELECT md5('run/' || i)::uuid, md5('rel/' || (i % :hooks + 1) || '/' || (i % :per_hook + 1))::uuid, 'passed',
       now() - interval '1 hour', now(), 3600, 0, NULL, now()
  FROM generate_series(1, :size) i;
INSERT INTO hookreg.workspaces (name) SELECT 'ws' || w FROM generate_series(1, 100) w;
INSERT INTO hookreg.operation_runs (workspace_id, tenant_id, initiator_name, type, status, outcome, run_identity_hash,
                                    started_at, completed_at, created_at, updated_at)
SELECT i % 100 + 1, NULL, 'loader', 'bench.job', 'completed', CASE WHEN i % 10 = 0 THEN 'failed' ELSE 'succeeded' END,
       md5('id/' || i) || md5('x/' || i), now() - interval '3 days', now() - interval '2 days',
       now() - interval '3 days', now() - interval '2 days'
  FROM generate_series(1, :size) i;
SELECT count(*) FROM generate_series(1, 1000) i,
       LATERAL opsrun_start(i % 100 + 1, NULL, 'bench.active', jsonb_build_object('i', i));
SQL
[ $? -eq 0 ] || hr_die "load failed"
q -c "CREATE TABLE public.bench_digests_before AS SELECT id, release_digest FROM hookreg.hook_releases" \
  -c "CHECKPOINT" -c "VACUUM ANALYZE"
load_s=$(( $(date +%s) - t0 ))

# identity_ms: opsrun_identity_hash over $size identities with an integer, a
# real and a string each, in one statement (ms)
identity_ms() {
    local a b
    a=$(date +%s%N)
    q -v size="$size" >/dev/null <<'SQL' || hr_die "identity hashing failed"
SELECT count(DISTINCT opsrun_identity_hash(i % 100 + 1, NULL, 'bench.job',
           jsonb_build_object('page', i, 'filter', jsonb_build_object('since', i * 0.5, 'tag', 't' || i))))
  FROM generate_series(1, :size) i;
SQL
    b=$(date +%s%N)
    echo $(( (b - a) / 1000000 ))
}
identity_old_ms=$(identity_ms)
stop

hr_log "updating on the new module"
start "$new_bindir"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
# sampler: the updating backend's locks, every 20 ms, with a clock
( while :; do
    q -c "SELECT to_char(clock_timestamp(), 'HH24:MI:SS.US'), l.locktype, coalesce(l.relation::regclass::text, l.objid::text, ''), l.mode, l.granted
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
           WHERE a.query ILIKE 'ALTER EXTENSION hookreg UPDATE%' AND l.locktype IN ('relation', 'object')" 2>/dev/null
    sleep 0.02
  done >"$W/locks.tsv" ) &
sampler=$!
# prober: how long a read and a write of the hot tables wait meanwhile
( while :; do
    s=$(date +%s%N)
    q -c "SET lock_timeout = '600s'" -c "SELECT count(*) FROM hookreg.hook_runs WHERE id = md5('run/1')::uuid" >/dev/null 2>&1
    m=$(date +%s%N)
    q -c "SET lock_timeout = '600s'" -c "INSERT INTO hookreg.workspaces (name) VALUES ('probe')" >/dev/null 2>&1
    e=$(date +%s%N)
    echo "$(( (m - s) / 1000000 )) $(( (e - m) / 1000000 ))"
    sleep 0.05
  done >"$W/probe.txt" ) &
prober=$!
sleep 1
u0=$(date +%s%N)
q -c "ALTER EXTENSION hookreg UPDATE" >"$W/update.out" 2>&1; rc=$?
u1=$(date +%s%N)
end=$(date -u +%H:%M:%S.%6N)
sleep 0.5
kill "$sampler" "$prober" 2>/dev/null; wait "$sampler" "$prober" 2>/dev/null; sampler= prober=
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
[ "$rc" -eq 0 ] || { cat "$W/update.out"; hr_die "the update failed"; }
version=$(q -c "SELECT extversion FROM pg_extension WHERE extname = 'hookreg'")

hr_log "timing canonical JSON on the updated data"
digests_changed=$(q -c "SELECT count(*) FROM hookreg.hook_releases r JOIN public.bench_digests_before b USING (id)
                          WHERE r.release_digest <> b.release_digest")
digests_shared=$(q -c "SELECT count(*) FROM hookreg.hook_releases WHERE release_digest ~ '~v[0-9]+\$'")
r0=$(date +%s%N)
digests_kept=$(q <<'SQL'
CREATE FUNCTION pg_temp.stored_release_digest(text, text, jsonb, jsonb) RETURNS text LANGUAGE C STABLE STRICT
    AS '$libdir/hookreg', 'hookreg_stored_release_digest_v2';
SELECT count(*) - count(d) FROM (SELECT pg_temp.stored_release_digest(image, digest, config, limits) AS d
                                   FROM hookreg.hook_releases) s;
SQL
) || hr_die "recomputing the digests failed"
r1=$(date +%s%N)
recompute_ms=$(( (r1 - r0) / 1000000 ))
identity_new_ms=$(identity_ms)

update_ms=$(( (u1 - u0) / 1000000 ))
python3 - "$W/locks.tsv" "$end" "$W/probe.txt" >"$W/locks.md" <<'PY'
import sys, datetime
rows, end, probe = sys.argv[1], sys.argv[2], sys.argv[3]
def t(s): return datetime.datetime.strptime(s, '%H:%M:%S.%f')
first = {}
for line in open(rows):
    p = line.rstrip('\n').split('|')
    if len(p) != 5: continue
    k = (p[1], p[2], p[3])
    first.setdefault(k, p[0])
e = t(end)
print('| lock | on | mode | held (s, first seen to commit) |\n|---|---|---|---|')
for k, s in sorted(first.items(), key=lambda kv: (-(e - t(kv[1])).total_seconds(), kv[0])):
    print('| %s | %s | %s | %.2f |' % (k[0], k[1] or '-', k[2], (e - t(s)).total_seconds()))
w = [tuple(map(int, l.split())) for l in open(probe) if len(l.split()) == 2]
if w:
    print('\nMeanwhile, in other sessions: a read of `hookreg.hook_runs` by key waited at most %d ms, an INSERT into `hookreg.workspaces` at most %d ms (%d probes).' % (max(x[0] for x in w), max(x[1] for x in w), len(w)))
PY
{
    echo "# ALTER EXTENSION hookreg UPDATE: locks and their hold times"
    echo
    echo "Written by \`bench/update-locks.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'), commit \`$commit\`$dirty."
    echo
    echo "- Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $("$bindir/postgres" --version)."
    echo "- Load average (1, 5, 15 min) before the update: $load_before; after: $load_after."
    echo "- Data at 0.1.0: $hooks hooks (each with its feature table), $size releases, $size live moves, $size hook runs, $size completed operation runs and 1,000 active ones (loaded in ${load_s} s)."
    echo "- The update from 0.1.0 to $version took **${update_ms} ms**."
    echo "- Canonical JSON (RFC 8785) on this data, measured after the update: recomputing the digest of all $size releases"
    echo "  as the update does (its C function over \`hookreg.hook_releases\`, one statement) took **${recompute_ms} ms**."
    echo "  The update gave $digests_changed releases a new digest ($digests_shared of them \`~v<version>\`: equal under RFC 8785"
    echo "  to an older release of their hook); $digests_kept kept their 0.1.0 digest (a config number 0.2.0 refuses,"
    echo "  the loader's \`v / 7.0\` with 20 decimals)."
    echo "- \`opsrun_identity_hash\` over $size identities (\`{\"page\": i, \"filter\": {\"since\": i * 0.5, \"tag\": \"t<i>\"}}\`, one"
    echo "  statement): **${identity_old_ms} ms** at 0.1.0, **${identity_new_ms} ms** at $version. The update recomputes no identity hash"
    echo "  (identities are not stored)."
    echo
    echo "Locks the updating transaction held on relations and objects (sampled every 20 ms; a lock taken and released"
    echo "within one sample interval, or on a relation created by the update itself, may be missing):"
    echo
    cat "$W/locks.md"
} >"$out"
hr_log "wrote $out"
cat "$out"
