-- test/update/catalog.sql: one line per catalog fact of the installed hookreg,
-- in a fixed order, so that two databases can be compared with diff. Used by
-- test/suites/update.sh: an updated database must equal a fresh install.
--
-- Covered: the extension's version and dump configuration; its member objects;
-- every function (signature, result, language, volatility, strictness,
-- security, parallel safety, cost, rows, settings, C symbol, owner, grants,
-- comment); schemas hookreg and hookreg_features (owner, grants, comment);
-- every relation of schema hookreg (kind, owner, grants, options, comment),
-- its columns (position, type, nullability, default, identity, generation,
-- collation, grants, comment), constraints, indexes, triggers, policies and
-- view definitions; sequences; event triggers. Feature tables (user data) and
-- sequence positions are not catalog state and are left out.
\pset format unaligned
\pset tuples_only on
SET search_path = pg_catalog, pg_temp;
SET TimeZone = 'UTC';

WITH ext AS (SELECT oid, extname FROM pg_extension WHERE extname = 'hookreg'),
members AS (
    SELECT d.classid, d.objid, d.objsubid FROM pg_depend d, ext
     WHERE d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext.oid AND d.deptype = 'e'),
rels AS (
    SELECT c.* FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'hookreg'),
funcs AS (
    SELECT p.* FROM pg_proc p
     WHERE p.oid IN (SELECT objid FROM members WHERE classid = 'pg_proc'::regclass)
        OR p.pronamespace = 'hookreg'::regnamespace),
lines(l) AS (
    SELECT format('extension version=%s config=%s', e.extversion,
                  (SELECT string_agg(format('%s:%s', c::regclass, coalesce(e.extcondition[i], '')), ' ' ORDER BY c::regclass::text)
                     FROM unnest(e.extconfig) WITH ORDINALITY AS u(c, i)))
      FROM pg_extension e WHERE e.extname = 'hookreg'
    UNION ALL
    SELECT format('member %s', pg_describe_object(m.classid, m.objid, m.objsubid)) FROM members m
    UNION ALL
    SELECT format('schema %s owner=%s acl=%s comment=%s', n.nspname, pg_get_userbyid(n.nspowner),
                  (SELECT string_agg(a::text, ',' ORDER BY a::text) FROM unnest(n.nspacl) a),
                  obj_description(n.oid, 'pg_namespace'))
      FROM pg_namespace n WHERE n.nspname IN ('hookreg', 'hookreg_features')
    UNION ALL
    SELECT format('function %s result=%s args=%s lang=%s kind=%s volatile=%s strict=%s secdef=%s leakproof=%s parallel=%s cost=%s rows=%s config=%s symbol=%s bin=%s owner=%s acl=%s comment=%s',
                  f.oid::regprocedure, pg_get_function_result(f.oid), pg_get_function_arguments(f.oid),
                  (SELECT lanname FROM pg_language WHERE oid = f.prolang), f.prokind, f.provolatile,
                  f.proisstrict, f.prosecdef, f.proleakproof, f.proparallel, f.procost, f.prorows,
                  f.proconfig, CASE WHEN f.prolang = (SELECT oid FROM pg_language WHERE lanname = 'c') THEN f.prosrc ELSE md5(f.prosrc) END,
                  f.probin, pg_get_userbyid(f.proowner),
                  (SELECT string_agg(a::text, ',' ORDER BY a::text) FROM unnest(f.proacl) a),
                  obj_description(f.oid, 'pg_proc'))
      FROM funcs f
    UNION ALL
    SELECT format('relation %s kind=%s persistence=%s owner=%s acl=%s options=%s rls=%s/%s comment=%s',
                  r.oid::regclass, r.relkind, r.relpersistence, pg_get_userbyid(r.relowner),
                  (SELECT string_agg(a::text, ',' ORDER BY a::text) FROM unnest(r.relacl) a),
                  r.reloptions, r.relrowsecurity, r.relforcerowsecurity, obj_description(r.oid, 'pg_class'))
      FROM rels r
    UNION ALL
    SELECT format('column %s.%s #%s type=%s notnull=%s default=%s identity=%s generated=%s collation=%s acl=%s comment=%s',
                  a.attrelid::regclass, a.attname,
                  row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum),
                  format_type(a.atttypid, a.atttypmod), a.attnotnull,
                  pg_get_expr(ad.adbin, ad.adrelid), a.attidentity, a.attgenerated,
                  (SELECT collname FROM pg_collation WHERE oid = a.attcollation),
                  (SELECT string_agg(x::text, ',' ORDER BY x::text) FROM unnest(a.attacl) x),
                  col_description(a.attrelid, a.attnum))
      FROM pg_attribute a JOIN rels r ON r.oid = a.attrelid
      LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
     WHERE a.attnum > 0 AND NOT a.attisdropped AND r.relkind IN ('r', 'p', 'v', 'm', 'f', 'c')
    UNION ALL
    SELECT format('constraint %s %s %s deferrable=%s deferred=%s valid=%s comment=%s',
                  c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid), c.condeferrable,
                  c.condeferred, c.convalidated, obj_description(c.oid, 'pg_constraint'))
      FROM pg_constraint c JOIN rels r ON r.oid = c.conrelid
    UNION ALL
    SELECT format('index %s', pg_get_indexdef(i.indexrelid))
      FROM pg_index i JOIN rels r ON r.oid = i.indrelid
    UNION ALL
    SELECT format('trigger %s %s enabled=%s comment=%s', t.tgrelid::regclass, pg_get_triggerdef(t.oid),
                  t.tgenabled, obj_description(t.oid, 'pg_trigger'))
      FROM pg_trigger t JOIN rels r ON r.oid = t.tgrelid WHERE NOT t.tgisinternal
    UNION ALL
    SELECT format('policy %s %s cmd=%s permissive=%s roles=%s using=%s check=%s', p.polrelid::regclass,
                  p.polname, p.polcmd, p.polpermissive, p.polroles::regrole[],
                  pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid))
      FROM pg_policy p JOIN rels r ON r.oid = p.polrelid
    UNION ALL
    SELECT format('view %s %s', r.oid::regclass, pg_get_viewdef(r.oid)) FROM rels r WHERE r.relkind IN ('v', 'm')
    UNION ALL
    SELECT format('sequence %s type=%s start=%s increment=%s min=%s max=%s cache=%s cycle=%s',
                  s.seqrelid::regclass, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement,
                  s.seqmin, s.seqmax, s.seqcache, s.seqcycle)
      FROM pg_sequence s JOIN rels r ON r.oid = s.seqrelid
    UNION ALL
    SELECT format('event trigger %s event=%s tags=%s function=%s enabled=%s owner=%s', e.evtname, e.evtevent,
                  e.evttags, e.evtfoid::regprocedure, e.evtenabled, pg_get_userbyid(e.evtowner))
      FROM pg_event_trigger e WHERE e.evtfoid IN (SELECT oid FROM funcs)
    UNION ALL
    SELECT format('type %s kind=%s owner=%s comment=%s', t.oid::regtype, t.typtype, pg_get_userbyid(t.typowner),
                  obj_description(t.oid, 'pg_type'))
      FROM pg_type t WHERE t.typnamespace = 'hookreg'::regnamespace AND t.typrelid = 0 AND t.typelem = 0
        OR t.oid IN (SELECT objid FROM members WHERE classid = 'pg_type'::regclass)
)
SELECT l FROM lines ORDER BY l COLLATE "C";
