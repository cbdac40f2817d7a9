-- hookreg_register_hook: outputs, the feature table it creates, the views.
-- Hook names of this file start with rh_; they are removed at the end.
\pset footer off

-- A first registration creates the hook and its feature table.
SELECT * FROM hookreg_register_hook('rh_qc', '{
  "kind": "table", "cardinality": "one",
  "columns": [
    {"name": "score", "json_type": "number", "required": true},
    {"name": "passes", "json_type": "integer"},
    {"name": "label", "json_type": "string", "required": false},
    {"name": "measured_at", "json_type": "string", "format": "date-time"},
    {"name": "day", "json_type": "string", "format": "date"},
    {"name": "sample_id", "json_type": "string", "format": "uuid", "required": true},
    {"name": "email", "json_type": "string", "format": "email"},
    {"name": "ok", "json_type": "boolean"},
    {"name": "tags", "json_type": "array"},
    {"name": "extra", "json_type": "object", "format": null}
  ]}');

-- The same spec again, written differently (member order, white space,
-- defaults spelled out, null format): created = false.
SELECT * FROM hookreg_register_hook('rh_qc', '{"columns": [
    {"required": true, "json_type": "number", "name": "score"},
    {"name": "passes", "json_type": "integer", "required": false, "format": null},
    {"name": "label", "json_type": "string"},
    {"name": "measured_at", "json_type": "string", "format": "date-time"},
    {"name": "day", "json_type": "string", "format": "date"},
    {"name": "sample_id", "json_type": "string", "format": "uuid", "required": true},
    {"name": "email", "json_type": "string", "format": "email"},
    {"name": "ok", "json_type": "boolean"},
    {"name": "tags", "json_type": "array"},
    {"name": "extra", "json_type": "object"}
  ], "cardinality": "one", "kind": "table"}');

-- What is stored: the normalized spec.
SELECT name, feature_table, feature_spec - 'columns' AS spec_top FROM hookreg.hooks WHERE name = 'rh_qc';
SELECT c.column_spec FROM hookreg.hooks h, jsonb_array_elements(h.feature_spec -> 'columns') AS c(column_spec)
 WHERE h.name = 'rh_qc';
SELECT hook_name, live_release_id, last_version FROM hookreg.live_pointers WHERE hook_name = 'rh_qc';

-- The feature table: fixed columns first, then one per spec column.
SELECT column_name, data_type, is_nullable, column_default, is_identity, identity_generation
  FROM information_schema.columns
 WHERE table_schema = 'hookreg_features' AND table_name = 'rh_qc'
 ORDER BY ordinal_position;

-- Constraints and indexes: PK, UNIQUE (run_id, subject) for "one"; no foreign
-- key: the provenance trigger checks run_id.
SELECT conname, contype, pg_get_constraintdef(oid) AS definition
  FROM pg_constraint WHERE conrelid = 'hookreg_features.rh_qc'::regclass ORDER BY conname;
SELECT indexrelid::regclass AS index, pg_get_indexdef(indexrelid) AS definition
  FROM pg_index WHERE indrelid = 'hookreg_features.rh_qc'::regclass ORDER BY 1::text;

-- Privileges: readers select, runners insert their columns (not id, not
-- created_at); nobody else.
SELECT grantee, privilege_type FROM information_schema.role_table_grants
 WHERE table_schema = 'hookreg_features' AND table_name = 'rh_qc'
   AND grantee LIKE 'hookreg%' ORDER BY grantee, privilege_type;
SELECT grantee, column_name, privilege_type FROM information_schema.column_privileges
 WHERE table_schema = 'hookreg_features' AND table_name = 'rh_qc'
   AND grantee IN ('hookreg_reader', 'hookreg_runner') AND privilege_type = 'INSERT' ORDER BY column_name, grantee;
SELECT tgname, pg_get_triggerdef(oid) AS definition
  FROM pg_trigger WHERE tgrelid = 'hookreg_features.rh_qc'::regclass ORDER BY tgname;

-- Cardinality "many": no UNIQUE, an index on run_id and one on subject (the
-- catalog queries above again, for this table: pg_regress keeps each output).
SELECT * FROM hookreg_register_hook('rh_spans', '{"kind": "table", "cardinality": "many",
  "columns": [{"name": "start", "json_type": "integer", "required": true},
              {"name": "end", "json_type": "integer", "required": true}]}');
SELECT column_name, data_type, is_nullable FROM information_schema.columns
 WHERE table_schema = 'hookreg_features' AND table_name = 'rh_spans'
 ORDER BY ordinal_position;
SELECT conname, contype, pg_get_constraintdef(oid) AS definition
  FROM pg_constraint WHERE conrelid = 'hookreg_features.rh_spans'::regclass ORDER BY conname;
SELECT indexrelid::regclass AS index, pg_get_indexdef(indexrelid) AS definition
  FROM pg_index WHERE indrelid = 'hookreg_features.rh_spans'::regclass ORDER BY 1::text;

-- No columns at all: the table records (run_id, subject) only.
SELECT * FROM hookreg_register_hook('rh_flag', '{"kind": "table", "cardinality": "one", "columns": []}');
SELECT feature_spec FROM hookreg.hooks WHERE name = 'rh_flag';

-- A different spec for an existing name is refused, the table is unchanged.
\set VERBOSITY default
SELECT * FROM hookreg_register_hook('rh_flag', '{"kind": "table", "cardinality": "many", "columns": []}');
SELECT * FROM hookreg_register_hook('rh_spans', '{"kind": "table", "cardinality": "many",
  "columns": [{"name": "start", "json_type": "integer", "required": true},
              {"name": "end", "json_type": "integer"}]}');
-- Column order is part of the contract.
SELECT * FROM hookreg_register_hook('rh_spans', '{"kind": "table", "cardinality": "many",
  "columns": [{"name": "end", "json_type": "integer", "required": true},
              {"name": "start", "json_type": "integer", "required": true}]}');

-- Messages carry the JSON path of the offending member.
SELECT * FROM hookreg_register_hook('rh_bad', '{"kind": "table", "cardinality": "one",
  "columns": [{"name": "a", "json_type": "string"}, {"name": "b", "json_type": "string"},
              {"name": "c", "jsontype": "string"}]}');
SELECT * FROM hookreg_register_hook('rh_bad', '{"kind": "table", "cardinality": "one", "columns": [], "comment": "x"}');
SELECT * FROM hookreg_register_hook('rh_bad', '{"kind": "table", "cardinality": "one", "columns": [{"name": "b c", "json_type": "string"}]}');
SELECT * FROM hookreg_register_hook('rh_bad', '{"kind": "table", "cardinality": "one", "columns": [{"name": "subject", "json_type": "string"}]}');
SELECT * FROM hookreg_register_hook('rh_bad', '{"kind": "table", "cardinality": "one", "columns": [{"name": "a", "json_type": "string"}, {"name": "a", "json_type": "integer"}]}');
SELECT * FROM hookreg_register_hook('rh_bad', '{"kind": "table", "cardinality": "some", "columns": []}');
SELECT * FROM hookreg_register_hook('rh_bad', '{"kind": "table", "cardinality": "one", "columns": [{"name": "a", "json_type": "date"}]}');
SELECT * FROM hookreg_register_hook('rh_bad', '{"kind": "table", "cardinality": "one", "columns": [{"name": "a", "json_type": "string", "required": "yes"}]}');
SELECT * FROM hookreg_register_hook('rh_bad', '{"kind": "table", "cardinality": "one", "columns": [{"name": "a", "json_type": "string", "format": ""}]}');
SELECT * FROM hookreg_register_hook('rh_bad', '{"kind": "table", "cardinality": "one"}');
SELECT * FROM hookreg_register_hook('rh_bad', '{"kind": "table", "cardinality": "one", "columns": [{"name": "a", "json_type": "string", "format\"; DROP TABLE x; --": 1}]}');
SELECT * FROM hookreg_register_hook('rh_bad', '[]');
SELECT * FROM hookreg_register_hook('rh_bad', NULL);
SELECT * FROM hookreg_register_hook('rh_x"; DROP SCHEMA hookreg CASCADE; --', '{"kind": "table", "cardinality": "one", "columns": []}');
SELECT * FROM hookreg_register_hook('runs', '{"kind": "table", "cardinality": "one", "columns": []}');
SELECT * FROM hookreg_register_hook(NULL, '{"kind": "table", "cardinality": "one", "columns": []}');
\set VERBOSITY terse
-- Nothing of the refused calls was written.
SELECT count(*) AS stray_hooks FROM hookreg.hooks WHERE name NOT IN ('rh_qc', 'rh_spans', 'rh_flag') AND name LIKE 'rh%';
SELECT count(*) AS stray_tables FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'hookreg_features' AND c.relname LIKE 'rh%' AND c.relkind = 'r'
   AND c.relname NOT IN ('rh_qc', 'rh_spans', 'rh_flag');

-- The catalog view: hooks without a release have no live columns.
SELECT name, feature_table, live_version, live_release_id, live_digest, live_source_ref,
       live_built_at, release_count
  FROM hookreg.hook_catalog WHERE name LIKE 'rh\_%';
SELECT count(*) AS releases FROM hookreg.release_history WHERE hook_name LIKE 'rh\_%';

-- Nobody writes through the views, not even a superuser.
INSERT INTO hookreg.hook_catalog (name) VALUES ('rh_view');
UPDATE hookreg.release_history SET version = 2 WHERE hook_name = 'rh_qc';
DELETE FROM hookreg.hook_catalog WHERE name = 'rh_qc';

-- Clean up: registrations are not meant to be undone; the owner may.
DROP TABLE hookreg_features.rh_qc, hookreg_features.rh_spans, hookreg_features.rh_flag;
DELETE FROM hookreg.live_pointers WHERE hook_name LIKE 'rh\_%';
DELETE FROM hookreg.hooks WHERE name LIKE 'rh\_%';
