-- bench/sql/40_checks.sql: correctness checks run after every pgbench run
-- (a fast wrong answer must not win), and the pool of queued runs that
-- opsrun_complete consumes.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

-- which schema a candidate writes
CREATE FUNCTION bench.schema_of(scenario text, cand text) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE cand
        WHEN 'hookreg' THEN 'hookreg'
        WHEN 'events' THEN 'hookreg'
        WHEN 'plpgsql' THEN 'plpg'
        WHEN 'naive' THEN 'naive'
        WHEN 'client' THEN CASE WHEN scenario IN ('start_new', 'start_dedupe', 'complete') THEN 'client' ELSE 'seed' END
        ELSE 'floor' END $$;

CREATE FUNCTION bench.count_if(s text, t text, cond text DEFAULT 'true') RETURNS bigint
    LANGUAGE plpgsql AS $$
DECLARE
    n bigint;
BEGIN
    IF to_regclass(format('%I.%I', s, t)) IS NULL THEN
        RETURN 0;
    END IF;
    EXECUTE format('SELECT count(*) FROM %I.%I WHERE %s', s, t, cond) INTO n;
    RETURN n;
END $$;

-- the row counts a scenario can change
CREATE FUNCTION bench.measure(s text) RETURNS TABLE (k text, v bigint)
    LANGUAGE sql AS $$
    SELECT 'releases', bench.count_if(s, 'hook_releases')
    UNION ALL SELECT 'moves', bench.count_if(s, 'live_moves')
    UNION ALL SELECT 'runs', bench.count_if(s, 'hook_runs')
    UNION ALL SELECT 'oruns', bench.count_if(s, 'operation_runs')
    UNION ALL SELECT 'ocompleted', bench.count_if(s, 'operation_runs', $c$status = 'completed'$c$)
    UNION ALL SELECT 'bare', CASE WHEN s = 'floor' THEN bench.count_if(s, 'bare') ELSE 0 END $$;

CREATE FUNCTION bench.snapshot(s text) RETURNS void
    LANGUAGE sql AS $$
    DELETE FROM bench.snap;
    INSERT INTO bench.snap (k, v) SELECT k, v FROM bench.measure(s); $$;

-- txns <= delta <= txns + clients: a transaction still in flight when
-- pgbench's clock ran out may commit without being counted
CREATE FUNCTION bench.about(delta bigint, txns bigint, clients int) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS $$ SELECT delta BETWEEN txns AND txns + clients $$;

-- versions 1..N per hook with no gap, and the pointer's last_version = N
CREATE FUNCTION bench.gapless_problems(s text) RETURNS bigint
    LANGUAGE plpgsql AS $$
DECLARE
    n bigint;
    m bigint := 0;
BEGIN
    EXECUTE format('SELECT count(*) FROM (SELECT hook_name FROM %I.hook_releases GROUP BY hook_name
                     HAVING count(*) <> max(version) OR min(version) <> 1) x', s) INTO n;
    IF s IN ('hookreg', 'plpg', 'naive') THEN
        EXECUTE format('SELECT count(*) FROM %I.live_pointers p
                          JOIN (SELECT hook_name, max(version) AS mv FROM %I.hook_releases GROUP BY 1) x USING (hook_name)
                         WHERE p.last_version <> x.mv', s, s) INTO m;
    END IF;
    RETURN n + m;
END $$;

-- hooks released to during the run point at their newest release
CREATE FUNCTION bench.live_not_newest(s text, since timestamptz) RETURNS bigint
    LANGUAGE plpgsql AS $$
DECLARE
    n bigint;
BEGIN
    IF s = 'seed' THEN
        SELECT count(*) INTO n FROM seed.hooks h
          JOIN (SELECT DISTINCT ON (hook_name) hook_name, id, built_at FROM seed.hook_releases
                 ORDER BY hook_name, version DESC) m ON m.hook_name = h.name
         WHERE m.built_at >= since AND h.live_release_id IS DISTINCT FROM m.id;
    ELSE
        EXECUTE format('SELECT count(*) FROM %I.live_pointers p
          JOIN (SELECT DISTINCT ON (hook_name) hook_name, id, built_at FROM %I.hook_releases
                 ORDER BY hook_name, version DESC) m USING (hook_name)
         WHERE m.built_at >= $1 AND p.live_release_id IS DISTINCT FROM m.id', s, s) INTO n USING since;
    END IF;
    RETURN n;
END $$;

-- every move starts where the previous one of its hook ended, and the last
-- one ends where the pointer is: no lost or interleaved move
CREATE FUNCTION bench.chain_problems(s text) RETURNS bigint
    LANGUAGE plpgsql AS $$
DECLARE
    a bigint;
    b bigint;
BEGIN
    EXECUTE format('SELECT count(*) FROM (SELECT from_release_id,
                          lag(to_release_id) OVER (PARTITION BY hook_name ORDER BY id) AS prev
                     FROM %I.live_moves) x WHERE prev IS NOT NULL AND from_release_id IS DISTINCT FROM prev', s) INTO a;
    EXECUTE format('SELECT count(*) FROM %I.live_pointers p
          JOIN (SELECT DISTINCT ON (hook_name) hook_name, to_release_id FROM %I.live_moves ORDER BY hook_name, id DESC) l
         USING (hook_name) WHERE l.to_release_id IS DISTINCT FROM p.live_release_id', s, s) INTO b;
    RETURN a + b;
END $$;

-- at most one active run per identity in its scope
CREATE FUNCTION bench.duplicate_active(s text) RETURNS bigint
    LANGUAGE plpgsql AS $$
DECLARE
    n bigint;
BEGIN
    EXECUTE format('SELECT count(*) FROM (SELECT 1 FROM %I.operation_runs WHERE status IN (''queued'', ''running'')
                     GROUP BY workspace_id, tenant_id, run_identity_hash HAVING count(*) > 1) x', s) INTO n;
    RETURN n;
END $$;

-- resolve_live of 20 hooks answers exactly what the tables say
CREATE FUNCTION bench.resolve_problems(s text) RETURNS bigint
    LANGUAGE plpgsql AS $$
DECLARE
    names text[] := ARRAY(SELECT 'b' || g FROM generate_series(1500, 1519) g);
    fn text := CASE s WHEN 'hookreg' THEN 'hookreg_resolve_live' ELSE 'plpg.resolve_live' END;
    n bigint;
    ordered boolean;
BEGIN
    EXECUTE format('SELECT count(*) FROM %s($1) r
          JOIN %I.live_pointers p ON p.hook_name = r.hook_name AND p.live_release_id = r.release_id
          JOIN %I.hook_releases x ON x.id = r.release_id AND x.version = r.version AND x.image = r.image
                                  AND x.digest = r.digest AND x.config = r.config AND x.limits = r.limits', fn, s, s)
        INTO n USING names;
    EXECUTE format('SELECT array_agg(hook_name) = $1 FROM %s($1)', fn) INTO ordered USING names;
    RETURN (20 - n) + CASE WHEN ordered THEN 0 ELSE 1 END;
END $$;

CREATE FUNCTION bench.check(scenario text, cand text, txns bigint, clients int, since timestamptz)
    RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    s text := bench.schema_of(scenario, cand);
    d jsonb;
    bad text[] := '{}';
    n bigint;
    fs jsonb;
BEGIN
    SELECT jsonb_object_agg(m.k, m.v - coalesce(o.v, 0)) INTO d
      FROM bench.measure(s) m LEFT JOIN bench.snap o USING (k);
    IF txns <= 0 THEN
        bad := bad || 'no transaction completed'::text;
    END IF;

    IF cand = 'insert' THEN
        IF NOT bench.about((d->>'bare')::bigint, txns, clients) THEN
            bad := bad || format('%s rows for %s transactions', d->>'bare', txns);
        END IF;
    ELSIF cand = 'floor' AND scenario IN ('release_new', 'release_repeat', 'resolve_live') THEN
        -- the release write set: one release, the pointer update, one move
        IF NOT bench.about((d->>'releases')::bigint, txns, clients) OR d->>'moves' <> d->>'releases' THEN
            bad := bad || format('wrote %s releases and %s moves for %s transactions', d->>'releases', d->>'moves', txns);
        END IF;
        -- (no pointer check: with no lock, concurrent floor writes to one hook
        -- may leave the pointer on the older of two new releases)
    ELSIF cand = 'floor' AND scenario IN ('start_new', 'start_dedupe') THEN
        IF NOT bench.about((d->>'oruns')::bigint, txns, clients) THEN
            bad := bad || format('wrote %s runs for %s transactions', d->>'oruns', txns);
        END IF;
    ELSIF scenario = 'release_new' THEN
        IF NOT bench.about((d->>'releases')::bigint, txns, clients) THEN
            bad := bad || format('%s new releases for %s calls', d->>'releases', txns);
        END IF;
        IF s <> 'seed' AND d->>'moves' <> d->>'releases' THEN
            bad := bad || format('%s moves for %s releases', d->>'moves', d->>'releases');
        END IF;
        n := bench.gapless_problems(s);
        IF n > 0 THEN
            bad := bad || format('%s hooks with a gap or a wrong last_version', n);
        END IF;
        n := bench.live_not_newest(s, since);
        IF n > 0 THEN
            bad := bad || format('%s hooks whose pointer is not on the newest release', n);
        END IF;
        IF s <> 'seed' THEN
            n := bench.chain_problems(s);
            IF n > 0 THEN
                bad := bad || format('%s broken links in the move history', n);
            END IF;
        END IF;
    ELSIF scenario = 'release_repeat' THEN
        IF (d->>'releases')::bigint <> 0 OR (d->>'moves')::bigint <> 0 THEN
            bad := bad || format('the repeat wrote %s releases and %s moves', d->>'releases', d->>'moves');
        END IF;
    ELSIF scenario = 'set_live' THEN
        IF (d->>'releases')::bigint <> 0 THEN
            bad := bad || format('set_live wrote %s releases', d->>'releases');
        END IF;
        IF cand = 'floor' THEN
            IF NOT bench.about((d->>'moves')::bigint, txns, clients) THEN
                bad := bad || format('%s moves for %s transactions', d->>'moves', txns);
            END IF;
        ELSIF s <> 'seed' THEN
            -- versions are drawn from 1..10, so about 9 calls in 10 move the pointer
            IF (d->>'moves')::bigint NOT BETWEEN txns / 2 AND txns + clients THEN
                bad := bad || format('%s moves for %s calls', d->>'moves', txns);
            END IF;
            n := bench.chain_problems(s);
            IF n > 0 THEN
                bad := bad || format('%s broken links in the move history', n);
            END IF;
        END IF;
    ELSIF scenario = 'resolve_live' THEN
        IF (d->>'releases')::bigint <> 0 OR (d->>'moves')::bigint <> 0 THEN
            bad := bad || 'resolve_live wrote rows'::text;
        END IF;
        IF s IN ('hookreg', 'plpg') THEN
            n := bench.resolve_problems(s);
            IF n > 0 THEN
                bad := bad || 'resolve_live answers differ from the tables'::text;
            END IF;
        END IF;
    ELSIF scenario = 'record_run' THEN
        IF NOT bench.about((d->>'runs')::bigint, txns, clients) THEN
            bad := bad || format('%s runs for %s calls', d->>'runs', txns);
        END IF;
    ELSIF scenario = 'start_new' THEN
        IF NOT bench.about((d->>'oruns')::bigint, txns, clients) THEN
            bad := bad || format('%s new runs for %s calls with new identities', d->>'oruns', txns);
        END IF;
    ELSIF scenario = 'start_dedupe' THEN
        IF (d->>'oruns')::bigint <> 0 THEN
            bad := bad || format('%s runs created by dedupe hits', d->>'oruns');
        END IF;
    ELSIF scenario = 'complete' THEN
        IF NOT bench.about((d->>'ocompleted')::bigint, txns, clients) THEN
            bad := bad || format('%s runs completed for %s calls (pool of queued runs too small?)', d->>'ocompleted', txns);
        END IF;
        EXECUTE format('SELECT count(*) FROM %I.operation_runs WHERE id > 1000000000 AND completed_at >= $1
                         AND failure_summary::text ~ bench.secret_pattern()', s) INTO n USING since;
        IF n > 0 THEN
            bad := bad || format('%s failure summaries still hold a secret', n);
        END IF;
        IF s IN ('hookreg', 'plpg') THEN
            EXECUTE format('SELECT failure_summary FROM %I.operation_runs WHERE id > 1000000000 AND completed_at >= $1
                             AND status = ''completed'' LIMIT 1', s) INTO fs USING since;
            IF fs IS NULL OR jsonb_array_length(fs) <> 3 OR (fs->0->>'count')::int <> 4 THEN
                bad := bad || format('failure summary not merged as expected: %s', left(fs::text, 200));
            END IF;
        END IF;
    END IF;

    IF scenario IN ('start_new', 'start_dedupe') THEN
        n := bench.duplicate_active(s);
        IF n > 0 THEN
            bad := bad || format('%s identities with more than one active run', n);
        END IF;
    END IF;
    RETURN CASE WHEN cardinality(bad) = 0 THEN 'ok' ELSE array_to_string(bad, '; ') END;
END $$;

-- ------------------------------------------------------ the queued-run pool
-- opsrun_complete needs a fresh queued run per call. pgbench client c of a
-- run completes ids 1e9 + c*1e7 + offset, offset counting up from the
-- pgbench variable id (pgbench -D id=START): no sequence, no lookup.
CREATE FUNCTION bench.pool_start(s text, clients int) RETURNS bigint
    LANGUAGE plpgsql AS $$
DECLARE
    c int;
    m bigint;
    best bigint := 0;
BEGIN
    FOR c IN 0..clients - 1 LOOP
        EXECUTE format('SELECT max(id) FROM %I.operation_runs WHERE id > $1 AND id < $2 AND status = ''completed''', s)
            INTO m USING 1000000000 + c * 10000000::bigint, 1000000000 + (c + 1) * 10000000::bigint;
        best := greatest(best, coalesce(m - 1000000000 - c * 10000000::bigint, 0));
    END LOOP;
    RETURN best;
END $$;

CREATE FUNCTION bench.pool_fill(s text, clients int, upto bigint) RETURNS bigint
    LANGUAGE plpgsql AS $$
DECLARE
    c int;
    have bigint;
    added bigint := 0;
    n bigint;
BEGIN
    FOR c IN 0..clients - 1 LOOP
        EXECUTE format('SELECT max(id) FROM %I.operation_runs WHERE id > $1 AND id < $2', s)
            INTO have USING 1000000000 + c * 10000000::bigint, 1000000000 + (c + 1) * 10000000::bigint;
        have := coalesce(have - 1000000000 - c * 10000000::bigint, 0);
        CONTINUE WHEN have >= upto;
        EXECUTE format('INSERT INTO %I.operation_runs (id, workspace_id, tenant_id, initiator_name, type, status, outcome,
                               run_identity_hash, created_at, updated_at) OVERRIDING SYSTEM VALUE
                        SELECT 1000000000 + $1 * 10000000::bigint + o, ((o %% 1000)) / 100 + 1, (o %% 1000) + 1,
                               ''bench'', ''assignments.fetch'', ''queued'', ''pending'',
                               lpad(to_hex(562949953421312 + $1 * 10000000::bigint + o), 64, ''0''), now(), now()
                          FROM generate_series($2 + 1, $3) o', s)
            USING c, have, upto;
        GET DIAGNOSTICS n = ROW_COUNT;
        added := added + n;
    END LOOP;
    RETURN added;
END $$;
