-- bench/sql/20_plpgsql.sql: the PL/pgSQL baseline. Each function does the
-- work of the hookreg function of the same name (role check, validation,
-- lock, lookup, writes, result) against its own copy of the tables
-- (schema plpg), as SECURITY DEFINER with a pinned search_path, which is
-- how one would ship it as a PL/pgSQL extension. Canonical JSON and its
-- SHA-256 are computed as doc/reference.md says (plpg.canonical). The
-- sanitizer is a chain of regular expressions covering most of what
-- doc/sanitizing.md lists (no high-entropy token rule), so it does less work than the C one.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

CREATE FUNCTION plpg.require_role(role text, fn text) RETURNS void
    LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF NOT pg_catalog.pg_has_role(session_user, role, 'USAGE') THEN
        RAISE EXCEPTION 'permission denied for function %', fn USING ERRCODE = '42501',
            HINT = format('Grant the role to the caller: GRANT %I TO %I;', role, session_user);
    END IF;
END $$;

-- canonical JSON (doc/reference.md, "What every function shares"): keys sorted (byte order) at every
-- depth, no insignificant white space
CREATE FUNCTION plpg.canonical(j jsonb) RETURNS text
    LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    r text;
BEGIN
    CASE jsonb_typeof(j)
    WHEN 'object' THEN
        SELECT '{' || coalesce(string_agg(to_json(key)::text || ':' ||
                   CASE WHEN jsonb_typeof(value) IN ('object', 'array') THEN plpg.canonical(value) ELSE value::text END,
                   ',' ORDER BY key COLLATE "C"), '') || '}'
          INTO r FROM jsonb_each(j);
    WHEN 'array' THEN
        SELECT '[' || coalesce(string_agg(
                   CASE WHEN jsonb_typeof(value) IN ('object', 'array') THEN plpg.canonical(value) ELSE value::text END,
                   ',' ORDER BY ord), '') || ']'
          INTO r FROM jsonb_array_elements(j) WITH ORDINALITY AS a(value, ord);
    ELSE
        r := j::text;
    END CASE;
    RETURN r;
END $$;

-- ------------------------------------------------------------- registry
CREATE FUNCTION plpg.create_release(p_hook text, p_image text, p_digest text,
        p_config jsonb DEFAULT '{}', p_limits jsonb DEFAULT '{}',
        p_source_ref text DEFAULT NULL, p_built_by text DEFAULT NULL)
    RETURNS TABLE (release_id uuid, hook_name text, version int, release_digest text, created boolean, live boolean)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_limits jsonb;
    v_rd text;
    v_ptr record;
    v_rel record;
    v_id uuid;
    v_ver int;
    v_bad text;
BEGIN
    PERFORM plpg.require_role('hookreg_releaser', 'plpg.create_release');
    IF p_image IS NULL OR p_image = '' OR octet_length(p_image) > 512 THEN
        RAISE EXCEPTION 'invalid image' USING ERRCODE = '22023';
    END IF;
    IF p_digest IS NULL OR p_digest !~ '^(sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$' THEN
        RAISE EXCEPTION 'invalid digest "%"', p_digest USING ERRCODE = '22023';
    END IF;
    IF p_source_ref IS NULL OR p_source_ref = '' THEN
        RAISE EXCEPTION 'source_ref is required' USING ERRCODE = '22023';
    END IF;
    IF jsonb_typeof(p_config) <> 'object' OR jsonb_typeof(p_limits) <> 'object' THEN
        RAISE EXCEPTION 'config and limits must be objects' USING ERRCODE = '22023';
    END IF;
    IF pg_column_size(p_config) > 65536 THEN
        RAISE EXCEPTION 'config is too large' USING ERRCODE = '54000';
    END IF;
    SELECT k INTO v_bad FROM jsonb_object_keys(p_limits) k
     WHERE k NOT IN ('timeout_seconds', 'memory', 'cpu') LIMIT 1;
    IF v_bad IS NOT NULL THEN
        RAISE EXCEPTION 'unknown member "%" in limits', v_bad USING ERRCODE = '22023';
    END IF;
    v_limits := '{"cpu": "0.5", "memory": "1g", "timeout_seconds": 300}'::jsonb || p_limits;
    -- the top level's keys are known: only config and limits need sorting
    v_rd := 'sha256:' || encode(sha256(convert_to(
                '{"config":' || plpg.canonical(p_config) || ',"digest":' || to_json(p_digest)::text
                || ',"image":' || to_json(p_image)::text || ',"limits":' || plpg.canonical(v_limits) || '}',
                'UTF8')), 'hex');

    SELECT p.live_release_id, p.last_version INTO v_ptr
      FROM plpg.live_pointers p WHERE p.hook_name = p_hook FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'hook "%" does not exist', p_hook USING ERRCODE = 'P0002';
    END IF;
    SELECT r.id, r.version INTO v_rel
      FROM plpg.hook_releases r WHERE r.hook_name = p_hook AND r.release_digest = v_rd;
    IF FOUND THEN
        RETURN QUERY SELECT v_rel.id, p_hook, v_rel.version, v_rd, false, v_rel.id = v_ptr.live_release_id;
        RETURN;
    END IF;
    v_ver := v_ptr.last_version + 1;
    v_id := gen_random_uuid();
    INSERT INTO plpg.hook_releases (id, hook_name, version, image, digest, config, limits,
                                    release_digest, source_ref, built_by)
    VALUES (v_id, p_hook, v_ver, p_image, p_digest, p_config, v_limits, v_rd, p_source_ref,
            coalesce(p_built_by, session_user));
    UPDATE plpg.live_pointers p SET live_release_id = v_id, last_version = v_ver, moved_at = now()
     WHERE p.hook_name = p_hook;
    INSERT INTO plpg.live_moves (hook_name, from_release_id, to_release_id, reason, moved_by)
    VALUES (p_hook, v_ptr.live_release_id, v_id, 'release', session_user);
    RETURN QUERY SELECT v_id, p_hook, v_ver, v_rd, true, true;
END $$;

CREATE FUNCTION plpg.set_live(p_hook text, p_version int)
    RETURNS TABLE (hook_name text, live_version int, live_release_id uuid, previous_version int)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_old uuid;
    v_old_version int;
    v_new uuid;
BEGIN
    PERFORM plpg.require_role('hookreg_releaser', 'plpg.set_live');
    SELECT p.live_release_id INTO v_old FROM plpg.live_pointers p WHERE p.hook_name = p_hook FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'hook "%" does not exist', p_hook USING ERRCODE = 'P0002';
    END IF;
    SELECT r.id INTO v_new FROM plpg.hook_releases r WHERE r.hook_name = p_hook AND r.version = p_version;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'hook "%" has no version %', p_hook, p_version USING ERRCODE = 'P0002';
    END IF;
    SELECT r.version INTO v_old_version FROM plpg.hook_releases r WHERE r.id = v_old;
    IF v_old IS DISTINCT FROM v_new THEN
        UPDATE plpg.live_pointers p SET live_release_id = v_new, moved_at = now() WHERE p.hook_name = p_hook;
        INSERT INTO plpg.live_moves (hook_name, from_release_id, to_release_id, reason, moved_by)
        VALUES (p_hook, v_old, v_new, 'set_live', session_user);
    END IF;
    RETURN QUERY SELECT p_hook, p_version, v_new, v_old_version;
END $$;

CREATE FUNCTION plpg.resolve_live(p_names text[])
    RETURNS TABLE (hook_name text, release_id uuid, version int, image text, digest text, config jsonb, limits jsonb)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    n bigint;
    missing text;
BEGIN
    PERFORM plpg.require_role('hookreg_reader', 'plpg.resolve_live');
    RETURN QUERY
        SELECT p.hook_name, r.id, r.version, r.image, r.digest, r.config, r.limits
          FROM plpg.live_pointers p JOIN plpg.hook_releases r ON r.id = p.live_release_id
         WHERE p.hook_name = ANY (p_names)
         ORDER BY p.hook_name;
    GET DIAGNOSTICS n = ROW_COUNT;
    IF n < (SELECT count(DISTINCT x) FROM unnest(p_names) x) THEN
        SELECT string_agg(x, ', ' ORDER BY x) INTO missing FROM (SELECT DISTINCT x FROM unnest(p_names) x) d
         WHERE NOT EXISTS (SELECT 1 FROM plpg.live_pointers p WHERE p.hook_name = d.x AND p.live_release_id IS NOT NULL);
        RAISE EXCEPTION 'no live release' USING ERRCODE = 'P0002', DETAIL = 'Hooks: ' || missing;
    END IF;
END $$;

CREATE FUNCTION plpg.record_run(p_release uuid, p_status text, p_started timestamptz, p_finished timestamptz,
        p_oom int DEFAULT 0, p_log_ref text DEFAULT NULL, p_duration double precision DEFAULT NULL,
        p_run_id uuid DEFAULT NULL)
    RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_id uuid := coalesce(p_run_id, gen_random_uuid());
    v_dur double precision := coalesce(p_duration, extract(epoch FROM p_finished - p_started));
    v_old record;
BEGIN
    PERFORM plpg.require_role('hookreg_runner', 'plpg.record_run');
    IF p_status IS NULL OR p_status NOT IN ('passed', 'warnings', 'failed', 'error') THEN
        RAISE EXCEPTION 'invalid status "%"', p_status USING ERRCODE = '22023';
    END IF;
    IF p_finished < p_started THEN
        RAISE EXCEPTION 'finished_at precedes started_at' USING ERRCODE = '22023';
    END IF;
    IF p_oom < 0 THEN
        RAISE EXCEPTION 'oom_retries must not be negative' USING ERRCODE = '22023';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM plpg.hook_releases r WHERE r.id = p_release) THEN
        RAISE EXCEPTION 'release % does not exist', p_release USING ERRCODE = 'P0002';
    END IF;
    IF p_run_id IS NOT NULL THEN
        SELECT * INTO v_old FROM plpg.hook_runs r WHERE r.id = p_run_id;
        IF FOUND THEN
            IF (v_old.release_id, v_old.status, v_old.started_at, v_old.finished_at, v_old.duration_s,
                v_old.oom_retries, v_old.log_ref)
               IS NOT DISTINCT FROM (p_release, p_status, p_started, p_finished, v_dur, p_oom, p_log_ref) THEN
                RETURN p_run_id;
            END IF;
            RAISE EXCEPTION 'run % exists with other fields', p_run_id USING ERRCODE = '23505';
        END IF;
    END IF;
    INSERT INTO plpg.hook_runs (id, release_id, status, started_at, finished_at, duration_s, oom_retries, log_ref)
    VALUES (v_id, p_release, p_status, p_started, p_finished, v_dur, p_oom, p_log_ref);
    RETURN v_id;
END $$;

-- --------------------------------------------------------------- ledger
CREATE FUNCTION plpg.identity_hash(p_ws bigint, p_tenant bigint, p_type text, p_identity jsonb)
    RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT encode(sha256(convert_to(
        '{"identity":' || plpg.canonical(p_identity) || ',"scope":'
        || to_json(CASE WHEN p_tenant IS NULL THEN 'workspace:' || p_ws ELSE 'tenant:' || p_tenant END)::text
        || ',"type":' || to_json(p_type)::text || '}', 'UTF8')), 'hex') $$;

CREATE FUNCTION plpg.drop_secret_keys(j jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE jsonb_typeof(j)
        WHEN 'object' THEN coalesce((SELECT jsonb_object_agg(key, plpg.drop_secret_keys(value))
                                       FROM jsonb_each(j)
                                      WHERE lower(key) NOT IN ('password', 'passwd', 'pwd', 'secret', 'client_secret',
                                            'token', 'access_token', 'refresh_token', 'id_token', 'api_key', 'apikey',
                                            'api-key', 'authorization', 'cookie', 'set-cookie', 'private_key', 'sig',
                                            'signature', 'x-api-key')), '{}')
        WHEN 'array' THEN (SELECT coalesce(jsonb_agg(plpg.drop_secret_keys(value)), '[]') FROM jsonb_array_elements(j))
        ELSE j END $$;

CREATE FUNCTION plpg.opsrun_start(p_ws bigint, p_tenant bigint, p_type text, p_identity jsonb DEFAULT '{}',
        p_initiator text DEFAULT NULL, p_user bigint DEFAULT NULL, p_context jsonb DEFAULT '{}')
    RETURNS TABLE (run_id bigint, status text, outcome text, reused boolean, run_identity_hash text)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_type record;
    v_scope text;
    v_hash text;
    v_ws bigint;
    v_run record;
    v_context jsonb;
BEGIN
    PERFORM plpg.require_role('hookreg_ops_writer', 'plpg.opsrun_start');
    IF p_type IS NULL OR p_type !~ '^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$' THEN
        RAISE EXCEPTION 'invalid type "%"', p_type USING ERRCODE = '22023';
    END IF;
    IF jsonb_typeof(p_context) <> 'object' OR pg_column_size(p_context) > 65536 THEN
        RAISE EXCEPTION 'invalid context' USING ERRCODE = '22023';
    END IF;
    SELECT t.scope, t.cooldown INTO v_type FROM plpg.operation_types t WHERE t.type = p_type;
    v_scope := coalesce(v_type.scope, CASE WHEN p_tenant IS NULL THEN 'workspace' ELSE 'tenant' END);
    IF (v_scope = 'tenant') <> (p_tenant IS NOT NULL) THEN
        RAISE EXCEPTION 'type % is %-scoped', p_type, v_scope USING ERRCODE = '22023';
    END IF;
    IF p_tenant IS NOT NULL THEN
        SELECT t.workspace_id INTO v_ws FROM plpg.tenants t WHERE t.id = p_tenant;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'tenant % does not exist', p_tenant USING ERRCODE = 'P0002';
        END IF;
        IF v_ws <> p_ws THEN
            RAISE EXCEPTION 'tenant % is not in workspace %', p_tenant, p_ws USING ERRCODE = '22023';
        END IF;
    ELSIF NOT EXISTS (SELECT 1 FROM plpg.workspaces w WHERE w.id = p_ws) THEN
        RAISE EXCEPTION 'workspace % does not exist', p_ws USING ERRCODE = 'P0002';
    END IF;
    v_hash := plpg.identity_hash(p_ws, p_tenant, p_type, p_identity);
    v_context := plpg.drop_secret_keys(p_context);
    LOOP
        -- the active run (one probe of a partial unique index) ...
        IF p_tenant IS NOT NULL THEN
            SELECT r.id, r.status, r.outcome INTO v_run FROM plpg.operation_runs r
             WHERE r.tenant_id = p_tenant AND r.run_identity_hash = v_hash AND r.status IN ('queued', 'running');
        ELSE
            SELECT r.id, r.status, r.outcome INTO v_run FROM plpg.operation_runs r
             WHERE r.workspace_id = p_ws AND r.run_identity_hash = v_hash AND r.tenant_id IS NULL
               AND r.status IN ('queued', 'running');
        END IF;
        -- ... or the last one completed within the cooldown (the hash names the scope)
        IF NOT FOUND AND v_type.cooldown IS NOT NULL THEN
            SELECT r.id, r.status, r.outcome INTO v_run FROM plpg.operation_runs r
             WHERE r.run_identity_hash = v_hash AND r.status = 'completed' AND r.completed_at > now() - v_type.cooldown
             ORDER BY r.completed_at DESC LIMIT 1;
        END IF;
        IF FOUND THEN
            RETURN QUERY SELECT v_run.id, v_run.status, v_run.outcome, true, v_hash;
            RETURN;
        END IF;
        INSERT INTO plpg.operation_runs (workspace_id, tenant_id, user_id, initiator_name, type, status, outcome,
                                         run_identity_hash, context)
        VALUES (p_ws, p_tenant, p_user, coalesce(p_initiator, session_user), p_type, 'queued', 'pending', v_hash, v_context)
        ON CONFLICT DO NOTHING
        RETURNING id, operation_runs.status, operation_runs.outcome INTO v_run;
        IF FOUND THEN
            RETURN QUERY SELECT v_run.id, v_run.status, v_run.outcome, false, v_hash;
            RETURN;
        END IF;
        -- lost a race with a concurrent start: the winner is now visible
    END LOOP;
END $$;

CREATE FUNCTION plpg.sanitize_message(m text) RETURNS text
    LANGUAGE sql IMMUTABLE AS $re$
    SELECT left(btrim(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
        regexp_replace(regexp_replace(coalesce(m, ''),
        '-----BEGIN [A-Z ]*PRIVATE KEY-----.*?-----END [A-Z ]*PRIVATE KEY-----', '[redacted]', 'g'),
        '(bearer|basic)\s+[A-Za-z0-9._~+/=-]+', '\1 [redacted]', 'gi'),
        'eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+', '[redacted]', 'g'),
        '((password|passwd|pwd|client_secret|secret|access_token|refresh_token|id_token|token|api_key|apikey|api-key|authorization|set-cookie|cookie|private_key|signature|sig|x-api-key)"?\s*[=:]\s*"?)[^\s"&,;)]+', '\1[redacted]', 'gi'),
        '(://[^/\s:@]+:)[^@\s/]+@', '\1[redacted]@', 'g'),
        '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}', '[redacted]', 'g'),
        '[[:cntrl:]]', ' ', 'g'),
        '\s+', ' ', 'g')), 500) $re$;

CREATE FUNCTION plpg.sanitize_failures(f jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(jsonb_agg(jsonb_build_object('code', code, 'message', message, 'count', n) ORDER BY first), '[]')
      FROM (SELECT code, message, sum(cnt) AS n, min(ord) AS first
              FROM (SELECT CASE WHEN lower(e->>'code') ~ '^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$'
                                 AND length(e->>'code') <= 64
                                THEN lower(e->>'code') ELSE 'unknown_error' END AS code,
                           plpg.sanitize_message(e->>'message') AS message,
                           coalesce((e->>'count')::bigint, 1) AS cnt, ord
                      FROM jsonb_array_elements(f) WITH ORDINALITY AS x(e, ord)) s
             GROUP BY code, message
             ORDER BY first
             LIMIT 50) m $$;

CREATE FUNCTION plpg.opsrun_complete(p_run bigint, p_outcome text, p_counts jsonb DEFAULT '{}',
        p_failures jsonb DEFAULT '[]')
    RETURNS TABLE (run_id bigint, status text, outcome text, summary_counts jsonb, failure_summary jsonb,
                   completed_at timestamptz)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_run record;
    v_allowed text[];
    v_counts jsonb;
    v_failures jsonb;
BEGIN
    PERFORM plpg.require_role('hookreg_ops_writer', 'plpg.opsrun_complete');
    IF p_outcome IS NULL OR p_outcome NOT IN ('succeeded', 'partially_succeeded', 'failed', 'cancelled', 'blocked') THEN
        RAISE EXCEPTION 'invalid outcome "%"', p_outcome USING ERRCODE = '22023';
    END IF;
    IF jsonb_typeof(p_failures) <> 'array' THEN
        RAISE EXCEPTION 'failure_summary must be an array' USING ERRCODE = '22023';
    END IF;
    SELECT r.id, r.type, r.status INTO v_run FROM plpg.operation_runs r WHERE r.id = p_run FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'run % does not exist', p_run USING ERRCODE = 'P0002';
    END IF;
    IF v_run.status = 'completed' THEN
        RAISE EXCEPTION 'run % is already completed', p_run USING ERRCODE = '55000';
    END IF;
    SELECT t.allowed_summary_keys INTO v_allowed FROM plpg.operation_types t WHERE t.type = v_run.type;
    v_allowed := coalesce(v_allowed, ARRAY['total', 'processed', 'succeeded', 'failed', 'skipped', 'updated',
                                           'created', 'deleted', 'items', 'tenants']);
    SELECT coalesce(jsonb_object_agg(key, least((value::text)::numeric, 9007199254740992)::bigint ORDER BY key), '{}')
      INTO v_counts
      FROM jsonb_each(p_counts)
     WHERE key = ANY (v_allowed) AND jsonb_typeof(value) = 'number'
       AND (value::text)::numeric >= 0 AND (value::text)::numeric = trunc((value::text)::numeric);
    v_failures := plpg.sanitize_failures(p_failures);
    IF p_outcome = 'failed' AND v_failures = '[]' THEN
        v_failures := '[{"code": "unknown_error", "message": "", "count": 1}]';
    END IF;
    RETURN QUERY
        UPDATE plpg.operation_runs r
           SET status = 'completed', outcome = p_outcome, summary_counts = v_counts,
               failure_summary = v_failures, completed_at = now(), updated_at = now()
         WHERE r.id = p_run
        RETURNING r.id, r.status, r.outcome, r.summary_counts, r.failure_summary, r.completed_at;
END $$;

REVOKE ALL ON ALL FUNCTIONS IN SCHEMA plpg FROM PUBLIC;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA plpg TO bench_app;
