-- The lock table (0.2.0; doc/operations.md, "Many hooks"): a registration or
-- deploy that would take its transaction past half of PostgreSQL's lock table
-- (max_locks_per_transaction x (max_connections + max_prepared_transactions))
-- fails before it writes anything, with 54000, how many hooks fit and the
-- setting to raise; and what a registration really takes stays within what
-- hookreg counts (src/lock_budget.h: 12 per new hook, 2 per registered one).
BEGIN;
SELECT plan(17);
\ir helpers/errors.sql

-- Lock-table entries this backend holds (fast-path locks take none).
CREATE FUNCTION pg_temp.held() RETURNS int LANGUAGE sql AS $$
    SELECT count(DISTINCT (locktype, database, relation, page, tuple, virtualxid,
                           transactionid::text, classid, objid, objsubid))::int
      FROM pg_locks WHERE pid = pg_backend_pid() AND NOT fastpath $$;
CREATE FUNCTION pg_temp.budget() RETURNS int LANGUAGE sql AS $$
    SELECT (current_setting('max_locks_per_transaction')::int
            * (current_setting('max_connections')::int + current_setting('max_prepared_transactions')::int)) / 2 $$;
CREATE FUNCTION pg_temp.spec(card text, ncols int) RETURNS jsonb LANGUAGE sql AS $$
    SELECT jsonb_build_object('kind', 'table', 'cardinality', card, 'columns',
             coalesce((SELECT jsonb_agg(jsonb_build_object('name', 'c' || g, 'json_type',
                                        (ARRAY['string', 'number', 'object', 'boolean'])[1 + g % 4]))
                         FROM generate_series(1, ncols) g), '[]')) $$;
CREATE FUNCTION pg_temp.cost(name text, spec jsonb) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
    before int := pg_temp.held();
BEGIN
    PERFORM hookreg_register_hook(name, spec);
    RETURN pg_temp.held() - before;
END $$;

-- ---- what one registration takes --------------------------------------------------
-- (the first call of a transaction also locks the schema, roles and trigger
-- function once: warm up with one hook first)
SELECT cmp_ok(pg_temp.cost('lb_warm', pg_temp.spec('one', 1)), '<=', 12 + 32, 'the first registration of a transaction: within 12 + 32');
SELECT cmp_ok(pg_temp.cost('lb_one', pg_temp.spec('one', 3)), '<=', 12, 'a new hook of cardinality one takes at most 12 lock-table entries');
SELECT cmp_ok(pg_temp.cost('lb_many', pg_temp.spec('many', 3)), '<=', 12, 'a new hook of cardinality many: at most 12');
SELECT cmp_ok(pg_temp.cost('lb_wide', pg_temp.spec('one', 200)), '<=', 12, 'a new hook of 200 columns: at most 12');
SELECT cmp_ok(pg_temp.cost('lb_empty', pg_temp.spec('many', 0)), '<=', 12, 'a new hook of no columns: at most 12');
SELECT cmp_ok(pg_temp.cost('lb_one', pg_temp.spec('one', 3)), '<=', 2, 'a registered hook again: at most 2');

-- ---- one transaction fills its share -----------------------------------------------
SELECT pg_temp.held() AS held_before \gset
CREATE TEMP TABLE fill (registered int, state text, message text, detail text, hint text, held int);
DO $$
DECLARE
    i int := 0;
    st text; msg text; det text; hnt text;
BEGIN
    LOOP
        i := i + 1;
        BEGIN
            PERFORM hookreg_register_hook('lb_fill_' || i, pg_temp.spec(CASE WHEN i % 2 = 0 THEN 'one' ELSE 'many' END, 2));
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL, hnt = PG_EXCEPTION_HINT;
            INSERT INTO fill VALUES (i - 1, st, msg, det, hnt, pg_temp.held());
            EXIT;
        END;
        EXIT WHEN i > 100000;
    END LOOP;
END $$;
SELECT is((SELECT state FROM fill), '54000', 'registering hooks in one transaction ends with 54000, not "out of shared memory"');
SELECT is((SELECT message FROM fill),
          format('registering hook "lb_fill_%s" would take more of the lock table than one transaction may hold',
                 (SELECT registered + 1 FROM fill)),
          'the message names the hook that did not fit');
SELECT matches((SELECT detail FROM fill),
               format('one transaction may hold at most %s: half of max_locks_per_transaction \(%s\) x \(max_connections \(%s\) \+ max_prepared_transactions \(%s\)\)',
                      pg_temp.budget(), current_setting('max_locks_per_transaction'),
                      current_setting('max_connections'), current_setting('max_prepared_transactions')),
               'the detail gives the limit and the settings it comes from');
SELECT matches((SELECT hint FROM fill), '^At most 0 new hooks fit in this transaction: .*raise max_locks_per_transaction',
               'the hint says how many fit and which setting to raise');
SELECT cmp_ok((SELECT registered FROM fill), '>=', (pg_temp.budget() - :held_before - 32) / 12,
              'at least as many hooks fit as the documented count (12 entries a hook, 32 a call)');
SELECT cmp_ok((SELECT held FROM fill), '<=', pg_temp.budget(),
              'the transaction never held more than its share of the lock table');
SELECT is((SELECT count(*)::int FROM hookreg.hooks WHERE name = 'lb_fill_' || (SELECT registered + 1 FROM fill))
          + (SELECT count(*)::int FROM pg_class WHERE relname = 'lb_fill_' || (SELECT registered + 1 FROM fill)),
          0, 'the hook that did not fit left no row and no table');

SELECT is((SELECT created FROM hookreg_register_hook('lb_one', pg_temp.spec('one', 3))), false,
          'a registered hook is still found when the transaction is full');

-- ---- a deploy is checked as a whole, before it writes ---------------------------------
CREATE FUNCTION pg_temp.deploy(slug_title text, names text[]) RETURNS text LANGUAGE sql AS $$
    SELECT format('SELECT hookreg_deploy_convention(%L)', jsonb_build_object(
        'title', slug_title, 'description', 'd', 'file_requirements', '{}'::jsonb, 'source', NULL,
        'schema', jsonb_build_object('id', 'lb-schema', 'version', '1', 'definition', '{}'::jsonb),
        'hooks', (SELECT jsonb_agg(jsonb_build_object('name', n, 'feature', pg_temp.spec('many', 0),
                    'runtime', jsonb_build_object('image', 'img', 'digest', 'sha256:' || repeat('e', 64),
                                                  'config', '{}'::jsonb, 'limits', '{}'::jsonb),
                    'source_ref', 'git:lb')) FROM unnest(names) n))) $$;
SELECT is((pg_temp.error_of(pg_temp.deploy('Lock budget one', ARRAY['lb_dep_a', 'lb_dep_b', 'lb_dep_c']))).state, '54000',
          'a deploy of new hooks that do not fit next to what the transaction holds: 54000');
SELECT matches((pg_temp.error_of(pg_temp.deploy('Lock budget one', ARRAY['lb_dep_a', 'lb_dep_b', 'lb_dep_c']))).message,
               '^deploying convention "lock-budget-one" with 3 hooks would take more of the lock table',
               'its message names the convention and the number of hooks');
SELECT is((SELECT count(*)::int FROM hookreg.schemas WHERE id = 'lb-schema')
          + (SELECT count(*)::int FROM hookreg.conventions WHERE slug = 'lock-budget-one')
          + (SELECT count(*)::int FROM hookreg.hooks WHERE name LIKE 'lb\_dep\_%'),
          0, 'and it wrote nothing: no schema, no convention, no hook');

SELECT * FROM finish();
ROLLBACK;
