-- The bundled deploy (SPEC 2.6): one call deploys a whole convention.
-- Names of this file: hooks dep_*, schema deploy-regress, convention slugs
-- deploy-regress-*. Release ids and timestamps are masked.

-- The spec, kept in a psql variable and varied with jsonb_set.
\set spec '{"title": "Deploy Regress: LC-MS Metabolomics", "description": "Untargeted LC-MS runs with peak tables and a QC verdict.", "schema": {"id": "deploy-regress", "version": "1.0.0", "definition": {"type": "object", "required": ["instrument"], "properties": {"instrument": {"type": "string"}}}}, "file_requirements": {"accepted": [".mzML", ".raw"], "min_files": 1}, "source": {"repo": "https://github.com/example/lcms-convention", "ref": "v1.0.0"}, "hooks": [{"name": "dep_peaks", "feature": {"kind": "table", "cardinality": "many", "columns": [{"name": "mz", "json_type": "number", "required": true}, {"name": "rt_seconds", "json_type": "number", "required": true}, {"name": "intensity", "json_type": "number", "required": false}]}, "runtime": {"image": "ghcr.io/example/peak-picker", "digest": "sha256:1111111111111111111111111111111111111111111111111111111111111111", "config": {"snr": 3}, "limits": {"memory": "2g"}}, "source_ref": "git+https://github.com/example/peak-picker@4f2c1e0"}, {"name": "dep_qc", "feature": {"kind": "table", "cardinality": "one", "columns": [{"name": "passed", "json_type": "boolean", "required": true}, {"name": "checked_at", "json_type": "string", "format": "date-time", "required": false}]}, "runtime": {"image": "ghcr.io/example/qc", "digest": "sha256:2222222222222222222222222222222222222222222222222222222222222222"}, "source_ref": "git+https://github.com/example/qc@9a8b7c6"}, {"name": "dep_adducts", "feature": {"kind": "table", "cardinality": "many", "columns": [{"name": "adduct", "json_type": "string", "required": true}]}, "runtime": {"image": "ghcr.io/example/adducts", "digest": "sha256:3333333333333333333333333333333333333333333333333333333333333333", "config": {"mode": "positive"}}, "source_ref": "git+https://github.com/example/adducts@1d2e3f4"}]}'

-- What a deploy reports, release ids masked.
CREATE FUNCTION pg_temp.shown(r jsonb) RETURNS TABLE (slug text, created boolean, hook text,
                                                     version int, hook_created boolean, live boolean,
                                                     has_release_id boolean)
    LANGUAGE sql AS $$
    SELECT r->>'slug', (r->>'created')::boolean, h->>'name', (h->>'version')::int,
           (h->>'created')::boolean, (h->>'live')::boolean, (h->>'release_id')::uuid IS NOT NULL
      FROM jsonb_array_elements(r->'hooks') WITH ORDINALITY AS e(h, i) ORDER BY i
$$;

-- 1. First deploy: schema, three hooks with their feature tables, a first
--    release of each (live), the convention. Hooks are reported in spec order.
CREATE TEMP TABLE first_deploy AS SELECT hookreg_deploy_convention(:'spec') AS r;
SELECT * FROM pg_temp.shown((SELECT r FROM first_deploy));
SELECT jsonb_object_keys(r) AS result_keys FROM first_deploy ORDER BY 1;
SELECT jsonb_object_keys(r->'hooks'->0) AS hook_keys FROM first_deploy ORDER BY 1;

SELECT slug, title, description, schema_id, schema_version, file_requirements, hooks, source,
       created_at = updated_at AS never_updated
  FROM hookreg.conventions WHERE slug = 'deploy-regress-lc-ms-metabolomics';
SELECT id, version, definition FROM hookreg.schemas WHERE id = 'deploy-regress';
SELECT name, feature_table FROM hookreg.hooks WHERE name LIKE 'dep\_%' ORDER BY name;
SELECT hook_name, version, image, config, limits, source_ref, built_by = current_user AS built_by_caller
  FROM hookreg.hook_releases WHERE hook_name LIKE 'dep\_%' ORDER BY hook_name, version;
-- the live pointers name exactly the reported releases
SELECT count(*) AS live_matches
  FROM first_deploy, jsonb_array_elements(r->'hooks') h
  JOIN hookreg.live_pointers p ON p.hook_name = h->>'name'
 WHERE p.live_release_id = (h->>'release_id')::uuid;
-- feature tables are usable: columns from the feature spec
SELECT attname, format_type(atttypid, atttypmod) AS type, attnotnull
  FROM pg_attribute WHERE attrelid = 'hookreg_features.dep_qc'::regclass AND attnum > 0
 ORDER BY attnum;

-- 2. The same deploy again mints nothing: created = false everywhere, the
--    same slug and release ids, no new row anywhere.
CREATE TEMP TABLE counts AS
SELECT (SELECT count(*) FROM hookreg.hook_releases WHERE hook_name LIKE 'dep\_%') AS releases,
       (SELECT count(*) FROM hookreg.live_moves WHERE hook_name LIKE 'dep\_%') AS moves,
       (SELECT updated_at FROM hookreg.conventions WHERE slug = 'deploy-regress-lc-ms-metabolomics') AS updated_at;
CREATE TEMP TABLE second_deploy AS SELECT hookreg_deploy_convention(:'spec') AS r;
SELECT * FROM pg_temp.shown((SELECT r FROM second_deploy));
SELECT (SELECT jsonb_agg(h->'release_id') FROM first_deploy, jsonb_array_elements(r->'hooks') h)
     = (SELECT jsonb_agg(h->'release_id') FROM second_deploy, jsonb_array_elements(r->'hooks') h)
       AS same_release_ids;
SELECT (SELECT count(*) FROM hookreg.hook_releases WHERE hook_name LIKE 'dep\_%') = releases AS no_new_release,
       (SELECT count(*) FROM hookreg.live_moves WHERE hook_name LIKE 'dep\_%') = moves AS no_new_move,
       (SELECT c.updated_at FROM hookreg.conventions c WHERE slug = 'deploy-regress-lc-ms-metabolomics')
         = counts.updated_at AS convention_untouched
  FROM counts;

-- Key order and white space of the JSON do not matter: still nothing minted.
SELECT created, bool_or(hook_created) AS any_hook_created
  FROM pg_temp.shown(hookreg_deploy_convention((:'spec'::jsonb)::text::jsonb)) GROUP BY created;

-- 3. One hook's config changes: exactly one new version of that hook, which
--    goes live; the others report their unchanged releases.
SELECT * FROM pg_temp.shown(hookreg_deploy_convention(
    jsonb_set(:'spec', '{hooks,1,runtime,config}', '{"strict": true}')));
SELECT hook_name, version, config FROM hookreg.hook_releases
 WHERE hook_name LIKE 'dep\_%' ORDER BY hook_name, version;
SELECT hook_name, from_release_id IS NOT NULL AS had_previous, reason
  FROM hookreg.live_moves WHERE hook_name = 'dep_qc' ORDER BY id;

-- 4. The convention is upserted by slug: a retitled spec with the same slug
--    and a new description updates it and keeps created_at.
SELECT slug, created FROM pg_temp.shown(hookreg_deploy_convention(
    jsonb_set(jsonb_set(:'spec', '{title}', '"deploy regress -- LC/MS metabolomics!"'),
              '{description}', '"Revised."')))
 GROUP BY slug, created;
SELECT title, description, created_at < updated_at AS updated_later
  FROM hookreg.conventions WHERE slug = 'deploy-regress-lc-ms-metabolomics';
SELECT count(*) AS conventions FROM hookreg.conventions WHERE slug LIKE 'deploy-regress%';

-- A second convention can share hooks and the schema: nothing new is minted
-- for them, the convention is created. dep_qc's runtime here is its version
-- 1, which exists: it is reported (created = false), and as version 2 is live
-- it stays live (live = false): a deploy never moves a pointer back, that is
-- hookreg_set_live's job.
SELECT * FROM pg_temp.shown(hookreg_deploy_convention(jsonb_set(jsonb_set(:'spec',
    '{title}', '"Deploy Regress: QC only"'),
    '{hooks}', jsonb_build_array(:'spec'::jsonb->'hooks'->1))));
SELECT slug, hooks, source IS NULL AS no_source FROM hookreg.conventions
 WHERE slug LIKE 'deploy-regress%' ORDER BY slug;
-- source may be null or left out, and a convention may name no hooks
SELECT hookreg_deploy_convention(jsonb_set(:'spec', '{source}', 'null') - 'hooks' || '{"hooks": []}')
       AS no_hooks;
SELECT hooks, source FROM hookreg.conventions WHERE slug = 'deploy-regress-lc-ms-metabolomics';
SELECT (hookreg_deploy_convention(:'spec'::jsonb - 'source')->>'created')::boolean AS created;
SELECT hooks, source FROM hookreg.conventions WHERE slug = 'deploy-regress-lc-ms-metabolomics';

-- 5. Refusals name the input and its JSON path; nothing is written.
\set VERBOSITY default
-- a schema id@version with another definition
SELECT hookreg_deploy_convention(jsonb_set(:'spec', '{schema,definition}', '{"type": "array"}'));
-- a changed feature contract
SELECT hookreg_deploy_convention(jsonb_set(:'spec', '{hooks,2,feature,cardinality}', '"one"'));
-- unknown, missing, wrongly typed members
SELECT hookreg_deploy_convention(:'spec'::jsonb || '{"slug": "mine"}');
SELECT hookreg_deploy_convention(:'spec'::jsonb #- '{hooks,1,source_ref}');
SELECT hookreg_deploy_convention(jsonb_set(:'spec', '{hooks,0,runtime,config}', '[1, 2]'));
SELECT hookreg_deploy_convention(jsonb_set(:'spec', '{hooks,1,runtime}', '{"image": "x", "digest": "y", "env": {}}'));
-- the registry's rules, checked before anything is written, with paths
SELECT hookreg_deploy_convention(jsonb_set(:'spec', '{hooks,2,runtime,digest}', '"sha256:abc"'));
SELECT hookreg_deploy_convention(jsonb_set(:'spec', '{hooks,0,feature,columns,2,jsontype}', '"number"'));
SELECT hookreg_deploy_convention(jsonb_set(:'spec', '{hooks,1,runtime,limits}', '{"timeout_seconds": 0}'));
-- a title without a slug, a hook listed twice
SELECT hookreg_deploy_convention(jsonb_set(:'spec', '{title}', '"42"'));
SELECT hookreg_deploy_convention(jsonb_set(:'spec', '{hooks,2}', :'spec'::jsonb->'hooks'->0));
-- a direct write naming an unregistered hook (as the superuser)
INSERT INTO hookreg.conventions (slug, title, description, file_requirements, hooks)
VALUES ('deploy-regress-direct', 'Deploy Regress Direct', '', '{}', '{dep_qc,dep_nope}');
-- a schema is immutable
UPDATE hookreg.schemas SET definition = '{}' WHERE id = 'deploy-regress';
DELETE FROM hookreg.schemas WHERE id = 'deploy-regress';
\set VERBOSITY terse

SELECT count(*) AS conventions FROM hookreg.conventions WHERE slug LIKE 'deploy-regress%';
SELECT count(*) AS releases FROM hookreg.hook_releases WHERE hook_name LIKE 'dep\_%';

-- Clean up what can be removed (schemas, hooks and releases are immutable).
DELETE FROM hookreg.conventions WHERE slug LIKE 'deploy-regress%';
