-- bench/sql/30_load.sql: the data every scenario starts from, loaded the same
-- into hookreg and into each baseline's copy.
--   registry: 1,000 hooks b1000..b1999, versions 1..10 each (live: v10),
--             one live_moves row per version
--   ledger:   10 workspaces, 1,000 tenants (100 per workspace), one active
--             run per tenant with identity {"k": tenant} (the dedupe hits)
-- Releases are inserted set-based as the owner with ids and digests that a
-- pgbench script can compute (bench.rel_id, bench.pre_digest) and the
-- release_digest doc/reference.md defines; the harness then checks that
-- hookreg_create_release of the same content returns created = false.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

-- --------------------------------------------------------------- registry
-- :register hooks go through hookreg_register_hook (each creates its feature
-- table); the rest, when --smoke asks for fewer, are inserted directly.
SELECT set_config('bench.register', :'register', false);
-- in transactions of 200: one transaction may hold only half of the lock
-- table, and each new feature table holds about 11 entries until commit
SELECT format('SELECT count(*) FROM generate_series(%s, %s) i, hookreg_register_hook(''b'' || i, %L::jsonb)',
              lo, least(lo + 199, 999 + :register),
              '{"kind": "table", "cardinality": "many", "columns": [{"name": "score", "json_type": "number", "required": false}]}')
  FROM generate_series(1000, 999 + :register, 200) lo
 WHERE bench.have_function('hookreg_register_hook(text,jsonb)') \gexec
DO $$
DECLARE
    n int := current_setting('bench.register')::int;
BEGIN
    IF NOT bench.have_function('hookreg_register_hook(text,jsonb)') THEN
        n := 0;
        INSERT INTO bench.notes (note) VALUES ('hookreg_register_hook missing: hooks inserted directly (no feature tables)');
    ELSIF n < 1000 THEN
        INSERT INTO bench.notes (note) VALUES (format('%s hooks registered through hookreg_register_hook, the others inserted directly', n));
    END IF;
    INSERT INTO hookreg.hooks (name, feature_spec, feature_table)
    SELECT 'b' || g, '{"kind": "table", "cardinality": "many", "columns": []}', 'hookreg.hooks'::regclass
      FROM generate_series(1000 + n, 1999) g;
    INSERT INTO hookreg.live_pointers (hook_name)
    SELECT name FROM hookreg.hooks WHERE name LIKE 'b%' ON CONFLICT DO NOTHING;
END $$;

INSERT INTO hookreg.hook_releases (id, hook_name, version, image, digest, config, limits, release_digest,
                                   source_ref, built_by, built_at)
SELECT bench.rel_id(h, v), h, v, bench.image(h), bench.pre_digest(h, v), '{}', bench.default_limits(),
       bench.release_digest(bench.image(h), bench.pre_digest(h, v)), 'git-bench-preload', 'bench',
       now() - interval '1 day' + v * interval '1 second'
  FROM (SELECT 'b' || i AS h FROM generate_series(1000, 1999) i) hk, generate_series(1, 10) v
 ORDER BY h, v;
UPDATE hookreg.live_pointers
   SET live_release_id = bench.rel_id(hook_name, 10), last_version = 10,
       moved_at = now() - interval '1 day' + interval '10 seconds'
 WHERE hook_name LIKE 'b%';
INSERT INTO hookreg.live_moves (hook_name, from_release_id, to_release_id, reason, moved_by, moved_at)
SELECT h, CASE WHEN v > 1 THEN bench.rel_id(h, v - 1) END, bench.rel_id(h, v), 'release', 'bench',
       now() - interval '1 day' + v * interval '1 second'
  FROM (SELECT 'b' || i AS h FROM generate_series(1000, 1999) i) hk, generate_series(1, 10) v
 ORDER BY h, v;

-- copies for the floor and the PL/pgSQL baseline
SELECT bench.clone_tables('floor', bench.registry_tables());
SELECT bench.clone_tables('plpg', bench.registry_tables());
SELECT bench.clone_tables('naive', bench.registry_tables());
SELECT bench.copy_rows(s, t) FROM unnest(ARRAY['floor', 'plpg', 'naive']) s,
       unnest(ARRAY['hooks', 'hook_releases', 'live_pointers', 'live_moves']) WITH ORDINALITY AS u(t, o)
 ORDER BY o, s;

-- the seed's own tables (its live-pointer FK is deferred to the commit)
BEGIN;
INSERT INTO seed.hooks (name, feature, live_release_id)
SELECT h.name, h.feature_spec, p.live_release_id
  FROM hookreg.hooks h JOIN hookreg.live_pointers p ON p.hook_name = h.name
 WHERE h.name LIKE 'b%';
INSERT INTO seed.hook_releases (id, hook_name, version, image, digest, config, limits, source_ref, built_by, built_at)
SELECT id, hook_name, version, image, digest, config, limits, source_ref, built_by, built_at
  FROM hookreg.hook_releases WHERE hook_name LIKE 'b%';
COMMIT;

-- ----------------------------------------------------------------- ledger
DO $$
BEGIN
    IF NOT bench.have_tables(bench.ledger_tables()) THEN
        INSERT INTO bench.notes (note) VALUES ('ledger tables missing: ledger scenarios skipped');
        RETURN;
    END IF;
    INSERT INTO hookreg.workspaces (id, name) OVERRIDING SYSTEM VALUE
    SELECT g, 'bench-ws-' || g FROM generate_series(1, 10) g;
    INSERT INTO hookreg.tenants (id, workspace_id, external_id, name) OVERRIDING SYSTEM VALUE
    SELECT t, (t - 1) / 100 + 1, gen_random_uuid(), 'bench-tenant-' || t FROM generate_series(1, 1000) t;
    PERFORM setval(pg_get_serial_sequence('hookreg.workspaces', 'id'), 10);
    PERFORM setval(pg_get_serial_sequence('hookreg.tenants', 'id'), 1000);

    PERFORM bench.clone_tables(s, bench.ledger_tables()) FROM unnest(ARRAY['floor', 'plpg', 'client', 'naive']) s;
    -- naive: the CHECKs a user would write on a table of their own, SQL
    -- expressions (0.1.0's: a regular expression, array constants); hookreg's,
    -- and so the other clones', call C functions of the same rules
    ALTER TABLE naive.operation_runs
        DROP CONSTRAINT operation_runs_status_check,
        DROP CONSTRAINT operation_runs_outcome_check,
        DROP CONSTRAINT operation_runs_outcome_pending_check,
        DROP CONSTRAINT operation_runs_completed_at_check,
        DROP CONSTRAINT operation_runs_identity_hash_check,
        DROP CONSTRAINT operation_runs_summary_counts_check,
        DROP CONSTRAINT operation_runs_failure_summary_check,
        DROP CONSTRAINT operation_runs_context_check,
        ADD CONSTRAINT operation_runs_status_check CHECK (status IN ('queued', 'running', 'completed')),
        ADD CONSTRAINT operation_runs_outcome_check CHECK (outcome IN ('pending', 'succeeded',
            'partially_succeeded', 'failed', 'cancelled', 'blocked')),
        ADD CONSTRAINT operation_runs_outcome_pending_check CHECK ((outcome = 'pending') = (status <> 'completed')),
        ADD CONSTRAINT operation_runs_completed_at_check CHECK ((completed_at IS NOT NULL) = (status = 'completed')),
        ADD CONSTRAINT operation_runs_identity_hash_check CHECK (run_identity_hash ~ '^[0-9a-f]{64}$'),
        ADD CONSTRAINT operation_runs_summary_counts_check CHECK (jsonb_typeof(summary_counts) = 'object'),
        ADD CONSTRAINT operation_runs_failure_summary_check CHECK (jsonb_typeof(failure_summary) = 'array'),
        ADD CONSTRAINT operation_runs_context_check CHECK (jsonb_typeof(context) = 'object');
    PERFORM bench.copy_rows(s, 'workspaces') FROM unnest(ARRAY['floor', 'plpg', 'client', 'naive']) s;
    PERFORM bench.copy_rows(s, 'tenants') FROM unnest(ARRAY['floor', 'plpg', 'client', 'naive']) s;
    -- operation_types may or may not be filled by the install script
    EXECUTE 'DELETE FROM floor.operation_types; DELETE FROM plpg.operation_types; DELETE FROM client.operation_types; DELETE FROM naive.operation_types';
    PERFORM bench.copy_rows(s, 'operation_types') FROM unnest(ARRAY['floor', 'plpg', 'client', 'naive']) s;

    -- the floor and the client compute no hash: theirs is a function of the tenant
    INSERT INTO floor.operation_runs (workspace_id, tenant_id, initiator_name, type, status, outcome,
                                      run_identity_hash, created_at, updated_at)
    SELECT (t - 1) / 100 + 1, t, 'bench', 'assignments.fetch', 'queued', 'pending',
           lpad(to_hex(t + 281474976710656), 64, '0'), now(), now()
      FROM generate_series(1, 1000) t;
    INSERT INTO client.operation_runs (workspace_id, tenant_id, initiator_name, type, status, outcome,
                                       run_identity_hash, created_at, updated_at)
    SELECT (t - 1) / 100 + 1, t, 'bench', 'assignments.fetch', 'queued', 'pending',
           lpad(to_hex(t + 281474976710656), 64, '0'), now(), now()
      FROM generate_series(1, 1000) t;
END $$;

GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA floor, client TO bench_app;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA floor, client TO bench_app;
-- the naive baseline's functions run as the caller: plain table grants
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA naive TO bench_app;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA naive TO bench_app;

-- the dedupe hits of hookreg and PL/pgSQL come from their own opsrun_start
SET ROLE bench_app;
DO $$
BEGIN
    IF NOT bench.have_tables(bench.ledger_tables()) THEN RETURN; END IF;
    PERFORM plpg.opsrun_start((t - 1) / 100 + 1, t, 'assignments.fetch', jsonb_build_object('k', t))
       FROM generate_series(1, 1000) t;
    PERFORM naive.opsrun_start((t - 1) / 100 + 1, t, 'assignments.fetch', jsonb_build_object('k', t))
       FROM generate_series(1, 1000) t;
    IF bench.have_function('opsrun_start(bigint,bigint,text,jsonb,text,bigint,jsonb)') THEN
        PERFORM opsrun_start((t - 1) / 100 + 1, t, 'assignments.fetch', jsonb_build_object('k', t))
           FROM generate_series(1, 1000) t;
    END IF;
END $$;
RESET ROLE;

ANALYZE;

-- What the floor and the client write as the failure summary: the sanitized
-- form of bench.failures_raw(), computed once here (by hookreg when it is
-- there, else by the PL/pgSQL sanitizer).
DO $$
DECLARE
    v jsonb;
BEGIN
    IF bench.have_function('opsrun_sanitize_failures(jsonb)') THEN
        EXECUTE 'SELECT opsrun_sanitize_failures(bench.failures_raw())' INTO v;
    ELSE
        v := plpg.sanitize_failures(bench.failures_raw());
    END IF;
    EXECUTE format('CREATE FUNCTION bench.failures_clean() RETURNS jsonb LANGUAGE sql IMMUTABLE AS %L',
                   format('SELECT %L::jsonb', v));
END $$;
