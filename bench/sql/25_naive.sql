-- bench/sql/25_naive.sql: the "naive" baseline, the PL/pgSQL a competent user
-- would write for create_release and opsrun_start: plain functions (not
-- SECURITY DEFINER, no role checks: EXECUTE and table grants instead), the
-- same lock, lookup, version, insert, pointer update and move, on tables
-- with ordinary primary keys, uniques, foreign keys and the same indexes
-- (schema naive, cloned from hookreg's by 30_load.sql). The digest and the
-- identity hash are SHA-256 of jsonb's own text (deterministic, though not
-- the canonical JSON hookreg hashes); nothing is sanitized.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

CREATE FUNCTION naive.create_release(p_hook text, p_image text, p_digest text,
        p_config jsonb DEFAULT '{}', p_limits jsonb DEFAULT '{}',
        p_source_ref text DEFAULT NULL, p_built_by text DEFAULT NULL)
    RETURNS TABLE (release_id uuid, hook_name text, version int, release_digest text, created boolean, live boolean)
    LANGUAGE plpgsql AS $$
DECLARE
    v_limits jsonb := '{"cpu": "0.5", "memory": "1g", "timeout_seconds": 300}'::jsonb || p_limits;
    v_rd text;
    v_live uuid;
    v_last int;
    v_id uuid;
    v_ver int;
BEGIN
    IF p_source_ref IS NULL OR p_source_ref = '' THEN
        RAISE EXCEPTION 'source_ref is required' USING ERRCODE = '22023';
    END IF;
    v_rd := 'sha256:' || encode(sha256(convert_to(jsonb_build_object(
                'config', p_config, 'digest', p_digest, 'image', p_image, 'limits', v_limits)::text, 'UTF8')), 'hex');
    SELECT p.live_release_id, p.last_version INTO v_live, v_last
      FROM naive.live_pointers p WHERE p.hook_name = p_hook FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown hook %', p_hook USING ERRCODE = 'P0002';
    END IF;
    SELECT r.id, r.version INTO v_id, v_ver
      FROM naive.hook_releases r WHERE r.hook_name = p_hook AND r.release_digest = v_rd;
    IF FOUND THEN
        RETURN QUERY SELECT v_id, p_hook, v_ver, v_rd, false, v_id = v_live;
        RETURN;
    END IF;
    v_id := gen_random_uuid();
    v_ver := v_last + 1;
    INSERT INTO naive.hook_releases (id, hook_name, version, image, digest, config, limits, release_digest,
                                     source_ref, built_by, built_at)
    VALUES (v_id, p_hook, v_ver, p_image, p_digest, p_config, v_limits, v_rd,
            p_source_ref, coalesce(p_built_by, current_user), now());
    UPDATE naive.live_pointers SET live_release_id = v_id, last_version = v_ver, moved_at = now()
     WHERE live_pointers.hook_name = p_hook;
    INSERT INTO naive.live_moves (hook_name, from_release_id, to_release_id, reason, moved_by, moved_at)
    VALUES (p_hook, v_live, v_id, 'release', current_user, now());
    RETURN QUERY SELECT v_id, p_hook, v_ver, v_rd, true, true;
END $$;

CREATE FUNCTION naive.opsrun_start(p_workspace bigint, p_tenant bigint, p_type text,
        p_identity jsonb DEFAULT '{}', p_initiator text DEFAULT NULL, p_user bigint DEFAULT NULL,
        p_context jsonb DEFAULT '{}')
    RETURNS TABLE (run_id bigint, status text, outcome text, reused boolean, run_identity_hash text)
    LANGUAGE plpgsql AS $$
DECLARE
    v_hash text := encode(sha256(convert_to(jsonb_build_object(
        'identity', p_identity,
        'scope', CASE WHEN p_tenant IS NULL THEN 'workspace:' || p_workspace ELSE 'tenant:' || p_tenant END,
        'type', p_type)::text, 'UTF8')), 'hex');
    v_cooldown interval;
    v_id bigint;
BEGIN
    -- an active run of the identity wins; then a run completed within the cooldown
    SELECT t.cooldown INTO v_cooldown FROM naive.operation_types t WHERE t.type = p_type;
    INSERT INTO naive.operation_runs (workspace_id, tenant_id, user_id, initiator_name, type, status, outcome,
                                      run_identity_hash, context)
    VALUES (p_workspace, p_tenant, p_user, coalesce(p_initiator, current_user), p_type, 'queued', 'pending',
            v_hash, coalesce(p_context, '{}'))
    ON CONFLICT DO NOTHING
    RETURNING id INTO v_id;
    IF v_id IS NOT NULL THEN
        IF v_cooldown IS NOT NULL AND EXISTS (
            SELECT FROM naive.operation_runs r
             WHERE r.run_identity_hash = v_hash AND r.status = 'completed'
               AND r.completed_at > now() - v_cooldown AND r.id <> v_id) THEN
            -- (a user would more likely look first; the rare hit pays a delete)
            DELETE FROM naive.operation_runs WHERE id = v_id;
            RETURN QUERY SELECT r.id, r.status, r.outcome, true, v_hash FROM naive.operation_runs r
             WHERE r.run_identity_hash = v_hash AND r.status = 'completed'
             ORDER BY r.completed_at DESC LIMIT 1;
            RETURN;
        END IF;
        RETURN QUERY SELECT v_id, 'queued'::text, 'pending'::text, false, v_hash;
        RETURN;
    END IF;
    RETURN QUERY SELECT r.id, r.status, r.outcome, true, v_hash FROM naive.operation_runs r
     WHERE r.run_identity_hash = v_hash AND r.status IN ('queued', 'running')
       AND r.workspace_id = p_workspace AND r.tenant_id IS NOT DISTINCT FROM p_tenant;
END $$;

REVOKE ALL ON FUNCTION naive.create_release(text, text, text, jsonb, jsonb, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION naive.opsrun_start(bigint, bigint, text, jsonb, text, bigint, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION naive.create_release(text, text, text, jsonb, jsonb, text, text) TO bench_app;
GRANT EXECUTE ON FUNCTION naive.opsrun_start(bigint, bigint, text, jsonb, text, bigint, jsonb) TO bench_app;
