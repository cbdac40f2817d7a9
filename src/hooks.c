/*
 * hooks.c: hook identities and their feature tables (doc/reference.md):
 * hookreg_register_hook and the C call hr_register_hook (registry.h).
 *
 * A hook's feature spec is its output contract: registering again with an
 * equal spec is a no-op, a different one is refused.  The feature table is
 * created in the caller's transaction, so an error leaves nothing behind.
 */
#include "hookreg.h"

#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "storage/lock.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"

#include "fmgrutil.h"
#include "feature_spec.h"
#include "lock_budget.h"
#include "registry.h"
#include "sqlutil.h"

/* The quoted name of a feature table's constraint, index or sequence: "<hook>-<suffix>". */
static const char *
hr_aux_name(const char *name, const char *suffix)
{
	return quote_identifier(psprintf("%s-%s", name, suffix));
}

/*
 * The DDL of a feature table.  Names of constraints, indexes and the identity
 * sequence contain '-', which no hook name can, so they never take a name a
 * later hook's table needs.  For cardinality one the UNIQUE (run_id, subject)
 * index leads with run_id and is the index on run_id.
 */
static char *
hr_feature_table_ddl(const char *name, const HrFeatureSpec *spec)
{
	StringInfoData sql;
	const char *table = quote_qualified_identifier(HR_FEATURE_SCHEMA, name);

	initStringInfo(&sql);
	appendStringInfo(&sql,
					 "CREATE TABLE %s (\n"
					 "  id pg_catalog.int8 GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME %s),\n"
					 "  run_id pg_catalog.uuid NOT NULL,\n"
					 "  subject pg_catalog.text NOT NULL,\n"
					 "  created_at pg_catalog.timestamptz NOT NULL DEFAULT pg_catalog.now()",
					 table, quote_qualified_identifier(HR_FEATURE_SCHEMA, psprintf("%s-id-seq", name)));
	for (int i = 0; i < spec->ncolumns; i++)
		appendStringInfo(&sql, ",\n  %s %s%s",
						 quote_identifier(spec->columns[i].name),
						 spec->columns[i].sql_type,
						 spec->columns[i].required ? " NOT NULL" : "");
	appendStringInfo(&sql, ",\n  CONSTRAINT %s PRIMARY KEY (id)", hr_aux_name(name, "pkey"));
	if (spec->cardinality_one)
		appendStringInfo(&sql, ",\n  CONSTRAINT %s UNIQUE (run_id, subject)",
						 hr_aux_name(name, "run_id-subject-key"));
	appendStringInfoString(&sql, "\n);\n");
	if (!spec->cardinality_one)
		appendStringInfo(&sql, "CREATE INDEX %s ON %s (run_id);\n",
						 hr_aux_name(name, "run_id-idx"), table);
	appendStringInfo(&sql, "CREATE INDEX %s ON %s (subject);\n",
					 hr_aux_name(name, "subject-idx"), table);
	/* the provenance check (feature_check.c) */
	appendStringInfo(&sql,
					 "CREATE TRIGGER %s BEFORE INSERT OR UPDATE OF run_id ON %s\n"
					 "  FOR EACH ROW EXECUTE FUNCTION hookreg.feature_run_check(%s);\n",
					 hr_aux_name(name, "run_id-check"), table, quote_literal_cstr(name));
	appendStringInfo(&sql,
					 "COMMENT ON TABLE %s IS %s;\n"
					 "GRANT SELECT ON %s TO hookreg_reader;\n",
					 table,
					 quote_literal_cstr(psprintf("hookreg: feature rows of hook %s, %s per (run_id, subject)",
												 name, spec->cardinality_one ? "one" : "any number")),
					 table);
	/* every column explained in psql's \d+ (the update writes the same) */
	appendStringInfo(&sql,
					 "COMMENT ON COLUMN %s.id IS 'row id';\n"
					 "COMMENT ON COLUMN %s.run_id IS 'the hook run that produced the row (hookreg.hook_runs.id, a run of this hook)';\n"
					 "COMMENT ON COLUMN %s.subject IS 'what the row describes, e.g. a record id';\n"
					 "COMMENT ON COLUMN %s.created_at IS 'when the row was inserted';\n",
					 table, table, table, table);
	for (int i = 0; i < spec->ncolumns; i++)
		appendStringInfo(&sql, "COMMENT ON COLUMN %s.%s IS 'feature column of the hook''s spec (%s)';\n",
						 table, quote_identifier(spec->columns[i].name),
						 spec->columns[i].required ? "required" : "optional");
	/*
	 * Runners write their columns only: not id, not created_at.  INSERT is
	 * granted to hookreg_reader and the statement trigger refuses everyone
	 * without hookreg_runner, with the hint of the GRANT to run, which
	 * PostgreSQL's own privilege error cannot give (feature_insert.c).
	 */
	appendStringInfoString(&sql, "GRANT INSERT (run_id, subject");
	for (int i = 0; i < spec->ncolumns; i++)
		appendStringInfo(&sql, ", %s", quote_identifier(spec->columns[i].name));
	appendStringInfo(&sql, ") ON %s TO hookreg_reader;\n", table);
	appendStringInfo(&sql,
					 "CREATE TRIGGER %s BEFORE INSERT ON %s\n"
					 "  FOR EACH STATEMENT EXECUTE FUNCTION hookreg.feature_insert_check();\n",
					 hr_aux_name(name, "insert-check"), table);
	return sql.data;
}

static const char *const hr_sql_hook_insert =
"WITH h AS (INSERT INTO hookreg.hooks (name, feature_spec, feature_table)"
"           VALUES ($1, $2, $3) RETURNING name)"
" INSERT INTO hookreg.live_pointers (hook_name, live_release_id, last_version)"
" SELECT name, NULL, 0 FROM h";

/*
 * A new hook: its feature table, then its hooks row and its live pointer.
 * values: $1 name, $2 normalized spec (jsonb); $3 is set here.  Returns the
 * table.  check_locks: check the lock table's room first (a deploy checked
 * all its hooks before writing anything).
 */
static Oid
hr_create_hook(const char *name, const HrFeatureSpec *spec, Datum *values, bool check_locks)
{
	static SPIPlanPtr insert_plan = NULL;
	Oid			nsp;
	Oid			relid;

	nsp = get_namespace_oid(HR_FEATURE_SCHEMA, false);
	if (OidIsValid(get_relname_relid(name, nsp)))
	{
		/*
		 * The table exists but our snapshot shows no hook row: a concurrent
		 * registration committed after our transaction snapshot was taken.
		 */
		if (IsolationUsesXactSnapshot())
			ereport(ERROR,
					(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
					 errmsg("could not serialize access due to a concurrent registration of hook \"%s\"", name),
					 errhint("Retry the transaction.")));
		ereport(ERROR,
				(errcode(ERRCODE_DUPLICATE_TABLE),
				 errmsg("relation %s.%s exists but hook \"%s\" is not registered",
						HR_FEATURE_SCHEMA, name, name),
				 errhint("Drop or rename the stray table, then register the hook again.")));
	}

	if (check_locks)
		hr_check_lock_budget(1, 0, psprintf("registering hook \"%s\"", name));

	if (SPI_execute(hr_feature_table_ddl(name, spec), false, 0) < 0)
		elog(ERROR, "hookreg: could not create the feature table of hook \"%s\"", name);
	CommandCounterIncrement();
	relid = get_relname_relid(name, nsp);
	if (!OidIsValid(relid))
		elog(ERROR, "hookreg: feature table of hook \"%s\" not found after creation", name);

	values[2] = ObjectIdGetDatum(relid);
	hr_execute(hr_prepare(&insert_plan, hr_sql_hook_insert, 3, (Oid[]) {TEXTOID, JSONBOID, REGCLASSOID}),
			   values, NULL, false, 0);

	return relid;
}

static const char *const hr_sql_hook_lookup =
"SELECT feature_spec OPERATOR(pg_catalog.=) $2, feature_table"
"  FROM hookreg.hooks WHERE name OPERATOR(pg_catalog.=) $1";

void
hr_register_hook(const char *name, Jsonb *feature_spec, const HrFeatureSpec *checked,
				 const char *name_path, const char *spec_path,
				 HrHookResult *result)
{
	static SPIPlanPtr lookup_plan = NULL;
	const char *name_where = name_path ? psprintf(" at %s", name_path) : "";
	HrFeatureSpec spec;
	char	   *spec_text;
	int			spec_len;
	Datum		spec_jsonb;
	Datum		values[3];

	if (checked != NULL)
		spec = *checked;		/* the deploy checked name and spec already */
	else
	{
		hr_check_hook_name(name, name_where);
		if (feature_spec == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 spec_path ? errmsg("missing feature spec at %s", spec_path)
					 : errmsg("feature_spec must not be null"),
					 errhint("Give a spec such as {\"kind\": \"table\", \"cardinality\": \"many\", \"columns\": []}.")));
		spec_text = hr_jsonb_to_cstring(feature_spec, &spec_len);
		hr_feature_spec_parse(spec_text, (size_t) spec_len, spec_path, &spec);
	}
	spec_jsonb = hr_cstring_to_jsonb(spec.normalized);

	/*
	 * Registrations of one name serialize until the end of the transaction:
	 * the second session then sees the first one's hook row (or, under a
	 * transaction snapshot, at least its table) instead of failing in CREATE
	 * TABLE.
	 */
	hr_xact_lock_name(HR_LOCK_HOOK_NAME, name);

	/*
	 * An existing hook: the same contract is a no-op, another is refused.
	 * Not read-only, so that SPI takes a new snapshot: one taken after the
	 * lock wait sees a hook committed by the session we waited for.
	 */
	values[0] = CStringGetTextDatum(name);
	values[1] = spec_jsonb;
	hr_execute(hr_prepare(&lookup_plan, hr_sql_hook_lookup, 2, (Oid[]) {TEXTOID, JSONBOID}),
			   values, NULL, false, 1);
	if (SPI_processed > 0)
	{
		bool		isnull;

		if (!DatumGetBool(hr_get(0, 1, &isnull)))
			ereport(ERROR,
					(errcode(ERRCODE_UNIQUE_VIOLATION),
					 errmsg("hook \"%s\" is already registered with a different feature spec", name),
					 errdetail("A hook's feature spec is its output contract, fixed for all its releases; the spec given differs from the registered one."),
					 errhint("Register the new contract under a new hook name, or pass the registered spec (see hookreg.hook_catalog).")));
		result->created = false;
		result->feature_table = DatumGetObjectId(hr_get(0, 2, &isnull));
		return;
	}

	result->created = true;
	result->feature_table = hr_create_hook(name, &spec, values, name_path == NULL);
}

PG_FUNCTION_INFO_V1(hookreg_register_hook_v2);

/*
 * hookreg_register_hook(name text, feature_spec jsonb)
 *   RETURNS TABLE(hook_name text, created boolean, feature_table regclass)
 */
Datum
hookreg_register_hook_v2(PG_FUNCTION_ARGS)
{
	HrElevation elev = {0};
	HrHookResult result;
	char	   *name;
	Datum		values[3];
	bool		nulls[3] = {false, false, false};

	hr_require_role(HR_ROLE_DEPLOYER, "hookreg_register_hook");
	hr_require_arg(fcinfo, 0, "hook name", "Pass a name matching ^[a-z][a-z0-9_]{0,39}$.");
	name = text_to_cstring(PG_GETARG_TEXT_PP(0));

	hr_srf_begin(fcinfo);

	hr_owner_begin(fcinfo, HR_ROLE_DEPLOYER, "hookreg_register_hook", &elev);
	hr_register_hook(name, hr_opt_jsonb_arg(fcinfo, 1), NULL, NULL, NULL, &result);
	hr_owner_end(&elev);

	values[0] = CStringGetTextDatum(name);
	values[1] = BoolGetDatum(result.created);
	values[2] = ObjectIdGetDatum(result.feature_table);
	hr_srf_put(fcinfo, values, nulls);
	return (Datum) 0;
}
