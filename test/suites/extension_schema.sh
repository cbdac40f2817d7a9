#!/usr/bin/env bash
# extension_schema.sh: functions live in the schema given to
# CREATE EXTENSION hookreg SCHEMA s, data in the fixed schema hookreg, and the
# extension is not relocatable. Here hookreg is installed into schema app of
# a database of its own and used by a client whose search_path is empty, so
# every call is qualified by the client and nothing inside hookreg may rely on
# the function schema being on the path (CHECK constraints, the deploy, the
# pg_cron command); then a plain dump of that database restores.
#
# Prints one "ok - ..." / "not ok - ..." line per check.
set -uo pipefail
source "$HR_ROOT/test/lib/cluster.sh"
hr_suite_init extension_schema

DB=hr_extschema RESTORED=hr_extschema_restored
W=$HR_SUITE_DIR
q() { hr_q "$@"; }  # q DB [psql args]
hr_scratch_db "$DB" "$RESTORED"   # dropped at exit

q "$DB" -c "CREATE SCHEMA app; CREATE EXTENSION hookreg SCHEMA app"
hr_check "CREATE EXTENSION hookreg SCHEMA app: every function is in app (the internal ones in hookreg)" "0 true" \
    "$(q "$DB" -c "SELECT count(*) FILTER (WHERE n.nspname NOT IN ('app', 'hookreg')) || ' ' || (count(*) FILTER (WHERE n.nspname = 'app') > 20)
                     FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.classid = 'pg_proc'::regclass AND d.deptype = 'e'
                     JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'hookreg'
                     JOIN pg_namespace n ON n.oid = p.pronamespace")"
hr_check "tables and views stay in schema hookreg" "0" \
    "$(q "$DB" -c "SELECT count(*) FROM pg_class c JOIN pg_depend d ON d.objid = c.oid AND d.classid = 'pg_class'::regclass AND d.deptype = 'e'
                     JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'hookreg'
                    WHERE c.relnamespace <> 'hookreg'::regnamespace AND c.relnamespace <> 'hookreg_features'::regnamespace")"
hr_check "the extension is not relocatable" "0A000" \
    "$(q "$DB" -c "DO \$\$BEGIN ALTER EXTENSION hookreg SET SCHEMA public; EXCEPTION WHEN OTHERS THEN RAISE NOTICE '%', SQLSTATE; END\$\$" 2>&1 | sed -n 's/.*NOTICE: *//p')"

# A client with an empty search_path: every call and every table qualified.
if q "$DB" >"$W/use.out" 2>&1 <<'SQL'
SET search_path = '';
SELECT created FROM app.hookreg_register_hook('xs_hook', '{"kind": "table", "cardinality": "one",
    "columns": [{"name": "v", "json_type": "integer", "required": false}]}');
SELECT version FROM app.hookreg_create_release('xs_hook', 'registry.example.org/xs', 'sha256:' || pg_catalog.repeat('a', 64),
    '{"k": 1}', '{}', 'git:xs-1');
SELECT version FROM app.hookreg_create_release('xs_hook', 'registry.example.org/xs', 'sha256:' || pg_catalog.repeat('b', 64),
    '{"k": 2}', '{}', 'git:xs-2');
SELECT live_version || ' ' || previous_version FROM app.hookreg_set_live('xs_hook', 1);
SELECT app.hookreg_record_run(r.id, 'passed', '2026-01-01 00:00+00', '2026-01-01 00:01+00', 0, NULL, NULL,
                              app.hookreg_run_id('xs:1'))
  FROM hookreg.hook_releases r WHERE r.hook_name OPERATOR(pg_catalog.=) 'xs_hook' AND r.version OPERATOR(pg_catalog.=) 1;
INSERT INTO hookreg_features.xs_hook (run_id, subject, v) VALUES (app.hookreg_run_id('xs:1'), 'rec-1', 7);
SELECT hook_name || ' ' || version FROM app.hookreg_resolve_live(ARRAY['xs_hook']);
SELECT version || ' ' || source_ref FROM app.hookreg_provenance(app.hookreg_run_id('xs:1'));
SELECT version FROM app.hookreg_live_at('xs_hook', pg_catalog.now());
SELECT app.hookreg_deploy_convention('{"title": "Cross Schema", "description": "d",
    "schema": {"id": "xs", "version": "1", "definition": {}}, "file_requirements": {},
    "hooks": [{"name": "xs_dep", "feature": {"kind": "table", "cardinality": "many", "columns": []},
               "runtime": {"image": "registry.example.org/dep", "digest": "sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"},
               "source_ref": "git:dep-1"}]}') OPERATOR(pg_catalog.->>) 'slug';
INSERT INTO hookreg.workspaces (name) VALUES ('xs workspace');
INSERT INTO hookreg.tenants (workspace_id, external_id) SELECT id, 'f47ac10b-58cc-4372-a567-0e02b2c3d479' FROM hookreg.workspaces;
SELECT status FROM app.opsrun_start((SELECT id FROM hookreg.workspaces), NULL, 'xs.job');
SQL
then
    hr_check "with an empty search_path every function works when called qualified" \
        "t 1 2 1 2 xs_hook 1 1 git:xs-1 1 cross-schema queued" "$(grep -v -E '^[0-9a-f-]{36}$' "$W/use.out" | tr '\n' ' ' | sed 's/ $//')"
else
    hr_not_ok "with an empty search_path every function works when called qualified"; sed 's/^/#   /' "$W/use.out"
fi
hr_check "a tenant whose external_id is not a version 4 UUID is refused (the CHECK finds opsrun_is_uuid_v4 in app)" "23514" \
    "$(q "$DB" -c "SET search_path = ''; DO \$\$BEGIN INSERT INTO hookreg.tenants (workspace_id, external_id) SELECT id, '6ba7b810-9dad-11d1-80b4-00c04fd430c8' FROM hookreg.workspaces; EXCEPTION WHEN OTHERS THEN RAISE NOTICE '%', SQLSTATE; END\$\$" 2>&1 | sed -n 's/.*NOTICE: *//p')"

# A plain dump of the database restores with the functions in app again.
hr_timeout "$HR_BINDIR/pg_dump" -U postgres -d "$DB" -Fp -f "$W/plain.sql" 2>"$W/dump.err"
hr_check "pg_dump exits 0" "0" "$?"
hr_timeout "$HR_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -U postgres -d "$RESTORED" -f "$W/plain.sql" >"$W/restore.out" 2>"$W/restore.err"
hr_check "the plain dump restores with psql -f" "0" "$?"
hr_check "restored: functions in app, the convention, the releases, the live pointer, the feature row" \
    "app cross-schema 3 1 7" \
    "$(q "$RESTORED" -c "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'hookreg'") $(q "$RESTORED" -c "SELECT string_agg(slug, ',') FROM hookreg.conventions") $(q "$RESTORED" -c "SELECT count(*) FROM hookreg.hook_releases") $(q "$RESTORED" -c "SELECT live_version FROM hookreg.hook_catalog WHERE name = 'xs_hook'") $(q "$RESTORED" -c "SELECT v FROM hookreg_features.xs_hook")"
hr_check "restored: a repeated deploy mints nothing" "false" \
    "$(q "$RESTORED" -c "SET search_path = ''; SELECT app.hookreg_deploy_convention('{\"title\": \"Cross Schema\", \"description\": \"d\", \"schema\": {\"id\": \"xs\", \"version\": \"1\", \"definition\": {}}, \"file_requirements\": {}, \"hooks\": [{\"name\": \"xs_dep\", \"feature\": {\"kind\": \"table\", \"cardinality\": \"many\", \"columns\": []}, \"runtime\": {\"image\": \"registry.example.org/dep\", \"digest\": \"sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc\"}, \"source_ref\": \"git:dep-1\"}]}') OPERATOR(pg_catalog.->) 'hooks' OPERATOR(pg_catalog.->) 0 OPERATOR(pg_catalog.->>) 'created'")"
