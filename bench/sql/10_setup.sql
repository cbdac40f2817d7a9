-- bench/sql/10_setup.sql: the benchmark's own objects, run once as the
-- superuser on a fresh database where hookreg is installed.
--
-- Schemas:
--   bench   helpers, constants, snapshots for the correctness checks
--   floor   the write-set floor: copies of hookreg's tables (same columns,
--           CHECKs, indexes, identities and foreign keys, no triggers)
--   plpg    the PL/pgSQL equivalent: its own copy of the tables + functions
--   seed    the seed's own registry tables (hooks.live_release_id, no move
--           history) for its multi-statement client transaction
--   client  a copy of the ledger tables for the client-side ledger baseline
--
-- Every candidate runs as the login role bench_app, a member of
-- hookreg_admin, exactly as an application would.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bench_app') THEN
        CREATE ROLE bench_app LOGIN;
    END IF;
END $$;
GRANT hookreg_admin TO bench_app;

CREATE SCHEMA bench;
CREATE SCHEMA floor;
CREATE SCHEMA plpg;
CREATE SCHEMA seed;
CREATE SCHEMA client;
CREATE SCHEMA naive;
GRANT USAGE ON SCHEMA bench, floor, plpg, seed, client, naive TO bench_app;

-- ---------------------------------------------------------------- helpers
-- The preloaded releases have ids and digests computable from (hook, version),
-- so a pgbench script names an existing release without a lookup.
CREATE FUNCTION bench.rel_id(hook text, v int) RETURNS uuid
    LANGUAGE sql IMMUTABLE AS $$ SELECT md5('rel/' || hook || '/' || v)::uuid $$;
CREATE FUNCTION bench.image(hook text) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$ SELECT 'registry.example.org/bench/' || hook $$;
-- preloaded versions 1..10 of hook bNNNN: digest of NNNN*100+v
CREATE FUNCTION bench.pre_digest(hook text, v int) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$
    SELECT 'sha256:' || lpad(to_hex(substr(hook, 2)::bigint * 100 + v), 64, '0') $$;
CREATE FUNCTION bench.default_limits() RETURNS jsonb
    LANGUAGE sql IMMUTABLE AS $$ SELECT '{"cpu": "0.5", "memory": "1g", "timeout_seconds": 300}'::jsonb $$;
-- the release_digest (doc/reference.md, hookreg_create_release) of {config: {}, digest, image, limits: defaults},
-- written out canonically (sorted keys, no white space).
CREATE FUNCTION bench.release_digest(image text, digest text) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$
    SELECT 'sha256:' || encode(sha256(convert_to(
        '{"config":{},"digest":' || to_json(digest)::text || ',"image":' || to_json(image)::text
        || ',"limits":{"cpu":"0.5","memory":"1g","timeout_seconds":300}}', 'UTF8')), 'hex') $$;

-- opsrun_complete inputs: counters and a failure summary full of secrets
-- (bearer token, JWT, e-mail, URL credentials, key=value, access_token
-- query parameter); entries 1 and 4 are equal after sanitizing and merge.
CREATE FUNCTION bench.counts() RETURNS jsonb
    LANGUAGE sql IMMUTABLE AS $$ SELECT '{"total": 10, "processed": 10, "succeeded": 6, "failed": 4}'::jsonb $$;
CREATE FUNCTION bench.failures_raw() RETURNS jsonb
    LANGUAGE sql IMMUTABLE AS $json$ SELECT $$[
 {"code": "Graph.Throttled", "message": "GET https://graph.example.com/v1.0/users?$top=999&access_token=Zk3qLm9Xv2Tb8Rw4Yp6Nc1Hd5Js7Ga0E failed: 429 Too Many Requests", "count": 3},
 {"code": "auth.token_expired", "message": "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U rejected for admin@contoso.example"},
 {"code": "db.connect", "message": "could not connect to postgres://svc:hunter2@db.internal:5432/app\n\t(password=hunter2)"},
 {"code": "GRAPH.THROTTLED", "message": "GET  https://graph.example.com/v1.0/users?$top=999&access_token=Zk3qLm9Xv2Tb8Rw4Yp6Nc1Hd5Js7Ga0E failed: 429 Too Many Requests"}
]$$::jsonb $json$;
-- What must never survive sanitizing (checked after every opsrun_complete run).
CREATE FUNCTION bench.secret_pattern() RETURNS text
    LANGUAGE sql IMMUTABLE AS $$ SELECT 'hunter2|Zk3qLm9Xv2Tb8|eyJhbGci|dozjgNryP4J3|contoso' $$;

-- cloning hookreg's tables: same columns, defaults, CHECKs, indexes,
-- identities and foreign keys (pointing into the copy); no triggers
CREATE FUNCTION bench.clone_tables(dst text, tabs text[]) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE
    t text;
    c record;
    seq text;
    def text;
BEGIN
    FOREACH t IN ARRAY tabs LOOP
        EXECUTE format('CREATE TABLE %I.%I (LIKE hookreg.%I INCLUDING ALL)', dst, t, t);
        -- serial-style defaults would share hookreg's sequence: give the copy its own
        FOR c IN
            SELECT a.attname, pg_get_expr(d.adbin, d.adrelid) AS expr
              FROM pg_attrdef d
              JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
             WHERE d.adrelid = format('%I.%I', dst, t)::regclass
               AND pg_get_expr(d.adbin, d.adrelid) LIKE 'nextval(%'
        LOOP
            seq := format('%I.%I', dst, t || '_' || c.attname || '_seq');
            EXECUTE format('CREATE SEQUENCE %s', seq);
            EXECUTE format('ALTER TABLE %I.%I ALTER COLUMN %I SET DEFAULT nextval(%L::regclass)',
                           dst, t, c.attname, seq);
        END LOOP;
    END LOOP;
    FOREACH t IN ARRAY tabs LOOP
        FOR c IN
            SELECT con.conname, pg_get_constraintdef(con.oid) AS def, ref.relname AS reftab
              FROM pg_constraint con
              JOIN pg_class ref ON ref.oid = con.confrelid
             WHERE con.conrelid = format('hookreg.%I', t)::regclass AND con.contype = 'f'
        LOOP
            def := c.def;
            IF c.reftab = ANY (tabs) THEN
                def := replace(def, 'REFERENCES hookreg.', format('REFERENCES %I.', dst));
            END IF;
            EXECUTE format('ALTER TABLE %I.%I ADD CONSTRAINT %I %s', dst, t, c.conname, def);
        END LOOP;
    END LOOP;
END $$;

-- copy rows of hookreg.t into dst.t, then move the copy's sequences past them
CREATE FUNCTION bench.copy_rows(dst text, t text) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE
    c record;
    m bigint;
BEGIN
    EXECUTE format('INSERT INTO %I.%I OVERRIDING SYSTEM VALUE SELECT * FROM hookreg.%I', dst, t, t);
    FOR c IN
        SELECT a.attname, pg_get_serial_sequence(format('%I.%I', dst, t), a.attname) AS seq
          FROM pg_attribute a
         WHERE a.attrelid = format('%I.%I', dst, t)::regclass AND a.attnum > 0 AND NOT a.attisdropped
    LOOP
        CONTINUE WHEN c.seq IS NULL;
        EXECUTE format('SELECT max(%I) FROM %I.%I', c.attname, dst, t) INTO m;
        IF m IS NOT NULL THEN
            PERFORM setval(c.seq, m);
        END IF;
    END LOOP;
END $$;

-- the registry and ledger tables every copy needs
CREATE FUNCTION bench.registry_tables() RETURNS text[]
    LANGUAGE sql IMMUTABLE AS $$ SELECT ARRAY['hooks', 'hook_releases', 'live_pointers', 'live_moves', 'hook_runs'] $$;
CREATE FUNCTION bench.ledger_tables() RETURNS text[]
    LANGUAGE sql IMMUTABLE AS $$ SELECT ARRAY['workspaces', 'tenants', 'operation_types', 'operation_runs'] $$;
-- which of them exist yet (the harness runs against what has landed)
CREATE FUNCTION bench.have_tables(tabs text[]) RETURNS boolean
    LANGUAGE sql STABLE AS $$
    SELECT bool_and(to_regclass('hookreg.' || t) IS NOT NULL) FROM unnest(tabs) t $$;
CREATE FUNCTION bench.have_function(sig text) RETURNS boolean
    LANGUAGE sql STABLE AS $$ SELECT to_regprocedure(sig) IS NOT NULL $$;

-- ------------------------------------------------------------- seed tables
-- The seed (Open Science Archive PR #146): live_release_id is a column of
-- hooks with a deferred FK back to hook_releases; releases are idempotent on
-- the image digest; no move history. Its client does, in one transaction:
-- lock the hook row, look up the digest, max(version)+1, insert, update.
CREATE TABLE seed.hooks (
    name            text        PRIMARY KEY,
    feature         jsonb       NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    live_release_id uuid        NULL
);
CREATE TABLE seed.hook_releases (
    id          uuid        PRIMARY KEY,
    hook_name   text        NOT NULL REFERENCES seed.hooks (name),
    version     int         NOT NULL,
    image       text        NOT NULL,
    digest      text        NOT NULL,
    config      jsonb       NOT NULL,
    limits      jsonb       NOT NULL,
    source_ref  text        NOT NULL,
    built_by    text        NULL,
    built_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (hook_name, version),
    UNIQUE (hook_name, digest)
);
ALTER TABLE seed.hooks ADD CONSTRAINT hooks_live_release_fkey FOREIGN KEY (live_release_id)
    REFERENCES seed.hook_releases (id) DEFERRABLE INITIALLY DEFERRED;
CREATE TABLE seed.hook_runs (
    id          uuid             PRIMARY KEY,
    release_id  uuid             NOT NULL REFERENCES seed.hook_releases (id),
    status      text             NOT NULL,
    started_at  timestamptz      NOT NULL,
    finished_at timestamptz      NOT NULL,
    duration_s  double precision NOT NULL,
    oom_retries int              NOT NULL DEFAULT 0,
    log_ref     text             NULL,
    recorded_at timestamptz      NOT NULL DEFAULT now()
);
CREATE INDEX ON seed.hook_runs (release_id);
GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA seed TO bench_app;

-- the bare single-row INSERT of the reference
CREATE TABLE floor.bare (v bigint);
GRANT SELECT, INSERT ON floor.bare TO bench_app;
-- the floor's versions need no lookup: a global sequence keeps them unique
CREATE SEQUENCE floor.version_seq START 1000000;
GRANT USAGE ON floor.version_seq TO bench_app;

-- ---------------------------------------------------------- snapshots
CREATE TABLE bench.snap (k text PRIMARY KEY, v bigint NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp());
CREATE TABLE bench.notes (at timestamptz NOT NULL DEFAULT clock_timestamp(), note text NOT NULL);
