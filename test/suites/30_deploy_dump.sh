#!/usr/bin/env bash
# Conventions survive pg_dump: a plain dump restored with psql, and a custom
# dump restored with pg_restore, give back identical schemas, conventions,
# hooks and releases, and a repeated deploy in the restored database mints
# nothing. (pg_dump orders extension-table data by foreign keys alone; the
# conventions -> hooks key, conventions.first_hook, makes it load hooks first.)
set -uo pipefail
source "$HR_ROOT/test/lib/cluster.sh"
hr_suite_init deploy_dump

src=deploy_dump_src
psql_() { hr_timeout "$HR_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -U postgres "$@"; }
check() {  # check WHAT COMMAND...
    local what=$1; shift
    if "$@"; then echo "ok - $what"; else echo "not ok - $what"; fi
}

spec=$(cat <<'JSON'
{"title": "Dump Test: Proteomics", "description": "survives pg_dump",
 "schema": {"id": "dump-test", "version": "2.1.0", "definition": {"type": "object", "properties": {"organism": {"type": "string"}}}},
 "file_requirements": {"accepted": [".mzML"]}, "source": {"repo": "https://example.org/dump"},
 "hooks": [
  {"name": "dump_psm", "feature": {"kind": "table", "cardinality": "many", "columns": [{"name": "peptide", "json_type": "string", "required": true}]},
   "runtime": {"image": "ghcr.io/dump/psm", "digest": "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "config": {"fdr": 0.01}},
   "source_ref": "git+https://example.org/psm@1"},
  {"name": "dump_qc", "feature": {"kind": "table", "cardinality": "one", "columns": [{"name": "passed", "json_type": "boolean", "required": true}]},
   "runtime": {"image": "ghcr.io/dump/qc", "digest": "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"},
   "source_ref": "git+https://example.org/qc@1"}]}
JSON
)

snapshot() {  # the rows that must come back, as text
    psql_ -d "$1" -At <<'SQL'
SELECT 'schema', s.* FROM hookreg.schemas s ORDER BY id, version;
SELECT 'convention', c.* FROM hookreg.conventions c ORDER BY slug;
SELECT 'hook', h.name, h.feature_spec, h.created_at FROM hookreg.hooks h ORDER BY name;
SELECT 'release', r.* FROM hookreg.hook_releases r ORDER BY hook_name, version;
SQL
}

hr_scratch_db $src deploy_dump_plain deploy_dump_custom   # dropped at exit
psql_ -d $src -c "CREATE EXTENSION hookreg"
psql_ -d $src -v spec="$spec" <<<"SELECT hookreg_deploy_convention(:'spec')" >/dev/null
# a second convention sharing a hook, and one naming no hook
psql_ -d $src -v spec="$spec" >/dev/null <<<"SELECT hookreg_deploy_convention(jsonb_set(jsonb_set(:'spec', '{title}', '\"Dump Test: QC\"'), '{hooks}', (:'spec'::jsonb->'hooks') - 0))"
psql_ -d $src -v spec="$spec" >/dev/null <<<"SELECT hookreg_deploy_convention(jsonb_set(jsonb_set(:'spec', '{title}', '\"Dump Test: Empty\"'), '{hooks}', '[]'))"
want=$(snapshot $src)
check "the source holds three conventions" test "$(grep -c '^convention' <<<"$want")" -eq 3

hr_timeout "$HR_BINDIR/pg_dump" -U postgres -d $src -f "$HR_SUITE_DIR/deploy_dump.sql"
hr_timeout "$HR_BINDIR/pg_dump" -U postgres -d $src -Fc -f "$HR_SUITE_DIR/deploy_dump.custom"
check "pg_dump loads hooks before conventions" \
    test "$(grep -n '^COPY hookreg.hooks ' "$HR_SUITE_DIR/deploy_dump.sql" | cut -d: -f1)" \
         -lt "$(grep -n '^COPY hookreg.conventions ' "$HR_SUITE_DIR/deploy_dump.sql" | cut -d: -f1)"

check "a plain dump restores with psql without an error" \
    psql_ -d deploy_dump_plain -f "$HR_SUITE_DIR/deploy_dump.sql" -o /dev/null
check "plain restore: identical schemas, conventions, hooks and releases" \
    test "$(snapshot deploy_dump_plain)" = "$want"

check "a custom dump restores with pg_restore without an error" \
    hr_timeout "$HR_BINDIR/pg_restore" -U postgres --exit-on-error -d deploy_dump_custom "$HR_SUITE_DIR/deploy_dump.custom"
check "custom restore: identical schemas, conventions, hooks and releases" \
    test "$(snapshot deploy_dump_custom)" = "$want"

again=$(psql_ -d deploy_dump_plain -At -v spec="$spec" <<<"SELECT r->>'created', (SELECT bool_or((h->>'created')::boolean) FROM jsonb_array_elements(r->'hooks') h)
                                                             FROM (SELECT hookreg_deploy_convention(:'spec') AS r) AS q")
check "after the restore a repeated deploy mints nothing" test "$again" = "false|f"
if psql_ -d deploy_dump_plain -c "INSERT INTO hookreg.conventions (slug, title, description, file_requirements, hooks)
                                   VALUES ('dump-bad', 'Dump Bad', '', '{}', '{dump_qc,nope}')" 2>/dev/null; then
    echo "not ok - the restored hook check refuses an unknown hook"
else
    echo "ok - the restored hook check refuses an unknown hook"
fi
