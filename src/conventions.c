/*
 * conventions.c: conventions, their slugs and the bundled deploy
 * (doc/reference.md, "Conventions").
 *
 * hookreg_deploy_convention runs the registry's own operations (registry.h)
 * inside its one transaction, so a deploy is everything or nothing: the spec
 * is checked whole first (deploy_spec.c), then the schema, each hook with its
 * feature table and release, and last the convention are written.
 */
#include "hookreg.h"

#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/uuid.h"

#include "fmgrutil.h"
#include "errvalue.h"
#include "conventions.h"
#include "feature_spec.h"
#include "lock_budget.h"
#include "registry.h"
#include "release_json.h"
#include "sqlutil.h"

PG_FUNCTION_INFO_V1(hookreg_slugify_v2);

/* hookreg_slugify(title text) RETURNS text, IMMUTABLE STRICT */
Datum
hookreg_slugify_v2(PG_FUNCTION_ARGS)
{
	text	   *title = PG_GETARG_TEXT_PP(0);
	char	   *slug = hr_slugify(VARDATA_ANY(title), VARSIZE_ANY_EXHDR(title));

	if (slug == NULL)
		hr_slug_error(VARDATA_ANY(title), VARSIZE_ANY_EXHDR(title), NULL);
	PG_RETURN_TEXT_P(cstring_to_text(slug));
}

/* Member key of a jsonb object as a jsonb of its own; NULL when absent or null. */
static Jsonb *
jsonb_member(JsonbContainer *obj, const char *key)
{
	JsonbValue *v = getKeyJsonValueFromContainer(obj, key, strlen(key), NULL);

	if (v == NULL || v->type == jbvNull)
		return NULL;
	return JsonbValueToJsonb(v);
}

/* Element i of a jsonb array, as a jsonb of its own. */
static Jsonb *
jsonb_element(JsonbContainer *array, uint32 i)
{
	JsonbValue *v = getIthJsonbValueFromContainer(array, i);

	if (v == NULL)
		elog(ERROR, "hookreg: no element %u in a validated array", i);
	return JsonbValueToJsonb(v);
}

static const char *const hr_sql_schema_insert =
"INSERT INTO hookreg.schemas (id, version, definition) "
"VALUES ($1, $2, $3) ON CONFLICT (id, version) DO NOTHING";

static const char *const hr_sql_schema_same =
"SELECT s.definition OPERATOR(pg_catalog.=) $3 FROM hookreg.schemas s "
"WHERE s.id OPERATOR(pg_catalog.=) $1 "
"AND s.version OPERATOR(pg_catalog.=) $2";

/*
 * The schema at id@version: inserted when new, else its stored definition
 * must equal the deployed one (jsonb equality: key order and white space do
 * not matter), or 23505.
 */
static void
deploy_schema(const HrDeploySpec *ds, Jsonb *definition)
{
	static SPIPlanPtr insert_plan = NULL;
	static SPIPlanPtr same_plan = NULL;
	static const Oid types[] = {TEXTOID, TEXTOID, JSONBOID};
	Datum		values[3];
	bool		isnull;

	values[0] = CStringGetTextDatum(ds->schema_id);
	values[1] = CStringGetTextDatum(ds->schema_version);
	values[2] = JsonbPGetDatum(definition);

	if (hr_execute(hr_prepare(&insert_plan, hr_sql_schema_insert, 3, types),
				   values, NULL, false, 0) == 1)
		return;

	/*
	 * Not read-only: the row may have been committed by another deploy while
	 * we waited, after the snapshot of the calling statement was taken; a
	 * non-read-only SPI query takes a snapshot of its own.
	 */
	if (hr_execute(hr_prepare(&same_plan, hr_sql_schema_same, 3, types),
				   values, NULL, false, 1) != 1)
		elog(ERROR, "hookreg: schema %s@%s vanished during the deploy",
			 ds->schema_id, ds->schema_version);
	if (!DatumGetBool(hr_get(0, 1, &isnull)))
		ereport(ERROR,
				(errcode(ERRCODE_UNIQUE_VIOLATION),
				 errmsg("schema \"%s\" version \"%s\" already exists with another definition",
						hr_error_cstr(ds->schema_id), hr_error_cstr(ds->schema_version)),
				 errdetail("The definition at $.schema.definition differs from the one stored in hookreg.schemas for that id@version; a schema is immutable per id@version."),
				 errhint("Give the changed definition a new version at $.schema.version.")));
}

static const char *const hr_sql_convention_exists =
"SELECT 1 FROM hookreg.conventions c "
"WHERE c.slug OPERATOR(pg_catalog.=) $1 FOR UPDATE";

static const char *const hr_sql_convention_insert =
"INSERT INTO hookreg.conventions (slug, title, description, "
"schema_id, schema_version, file_requirements, hooks, source) "
"VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

static const char *const hr_sql_convention_update =
"UPDATE hookreg.conventions c SET title = $2, description = $3, "
"schema_id = $4, schema_version = $5, file_requirements = $6, "
"hooks = $7, source = $8, updated_at = pg_catalog.now() "
"WHERE c.slug OPERATOR(pg_catalog.=) $1 "
"AND (c.title, c.description, c.schema_id, c.schema_version, "
"c.file_requirements, c.hooks, c.source) "
"IS DISTINCT FROM ($2, $3, $4, $5, $6, $7, $8)";

/*
 * Insert the convention, or update it keeping created_at; an update that
 * changes nothing is not made, so updated_at says when the content last
 * changed.  Runs under the slug's lock, so the existence check holds.
 * Returns true when the convention was created.
 */
static bool
deploy_convention_row(const HrDeploySpec *ds, Jsonb *file_requirements, Jsonb *source)
{
	static SPIPlanPtr exists_plan = NULL;
	static SPIPlanPtr insert_plan = NULL;
	static SPIPlanPtr update_plan = NULL;
	static const Oid types[] = {TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID,
	JSONBOID, TEXTARRAYOID, JSONBOID};
	Datum		values[8];
	char		nulls[8] = "        ";
	Datum	   *names = palloc(sizeof(Datum) * Max(ds->nhooks, 1));
	bool		exists;

	for (int i = 0; i < ds->nhooks; i++)
		names[i] = CStringGetTextDatum(ds->hooks[i].name);

	values[0] = CStringGetTextDatum(ds->slug);
	values[1] = CStringGetTextDatum(ds->title);
	values[2] = CStringGetTextDatum(ds->description);
	values[3] = CStringGetTextDatum(ds->schema_id);
	values[4] = CStringGetTextDatum(ds->schema_version);
	values[5] = JsonbPGetDatum(file_requirements);
	values[6] = PointerGetDatum(construct_array(names, ds->nhooks, TEXTOID, -1, false, TYPALIGN_INT));
	values[7] = source ? JsonbPGetDatum(source) : (Datum) 0;
	nulls[7] = source ? ' ' : 'n';

	exists = hr_execute(hr_prepare(&exists_plan, hr_sql_convention_exists, 1, types),
						values, NULL, false, 1) == 1;
	if (!exists)
		hr_execute(hr_prepare(&insert_plan, hr_sql_convention_insert, 8, types),
				   values, nulls, false, 0);
	else
		hr_execute(hr_prepare(&update_plan, hr_sql_convention_update, 8, types),
				   values, nulls, false, 0);
	return !exists;
}

/* The JSON parts of one hook entry, taken unchanged from the spec's jsonb. */
typedef struct DeployHookParts
{
	Jsonb	   *feature;
	Jsonb	   *config;			/* NULL: absent, {} */
	Jsonb	   *limits;			/* NULL: absent, {} */
	char	   *name_path;
	char	   *feature_path;
	char	   *runtime_path;
	char	   *source_ref_path;
} DeployHookParts;

static DeployHookParts *
deploy_hook_parts(Jsonb *spec, const HrDeploySpec *ds)
{
	JsonbContainer *hooks = getKeyJsonValueFromContainer(&spec->root, "hooks", 5, NULL)->val.binary.data;
	DeployHookParts *parts = palloc0(sizeof(DeployHookParts) * Max(ds->nhooks, 1));

	for (int i = 0; i < ds->nhooks; i++)
	{
		Jsonb	   *entry = jsonb_element(hooks, i);
		Jsonb	   *runtime = jsonb_member(&entry->root, "runtime");
		const char *path = ds->hooks[i].path;

		parts[i].feature = jsonb_member(&entry->root, "feature");
		parts[i].config = jsonb_member(&runtime->root, "config");
		parts[i].limits = jsonb_member(&runtime->root, "limits");
		parts[i].name_path = psprintf("%s.name", path);
		parts[i].feature_path = psprintf("%s.feature", path);
		parts[i].runtime_path = psprintf("%s.runtime", path);
		parts[i].source_ref_path = psprintf("%s.source_ref", path);
	}
	return parts;
}

/*
 * The registry's own rules for each hook, checked with its validators on the
 * spec as parsed once, before anything is locked or written, so that the
 * third hook's bad digest is reported before the first hook's feature table
 * is created.  The sizes of the values are measured as the registry
 * functions measure their arguments: config as its canonical text, feature
 * and limits as PostgreSQL prints them.  Every hook's config and limits
 * numbers are checked first, then each hook's other rules.
 */
static void
deploy_check_hooks(HrDeploySpec *ds, const DeployHookParts *parts)
{
	HrDeployHookSizes *sizes = palloc0(sizeof(HrDeployHookSizes) * Max(ds->nhooks, 1));
	StringInfoData config;

	initStringInfo(&config);
	for (int i = 0; i < ds->nhooks; i++)
	{
		int			len;

		(void) hr_jsonb_to_cstring(parts[i].feature, &len);
		sizes[i].feature = (size_t) len;

		/* on the jsonb, which keeps each number's text (jansson: a double) */
		resetStringInfo(&config);
		hr_release_config_jcs(parts[i].config, parts[i].runtime_path, &config);
		sizes[i].config = (size_t) config.len;
		hr_release_limits_check(parts[i].limits, parts[i].runtime_path);
		(void) hr_jsonb_object_text(parts[i].limits, &len);
		sizes[i].limits = (size_t) len;
	}
	pfree(config.data);
	hr_deploy_spec_check_hooks(ds, sizes);
}

static Datum
deploy_result(const HrDeploySpec *ds, bool created, const HrReleaseResult *res)
{
	HrDeployHookResult *hooks = palloc0(sizeof(HrDeployHookResult) * Max(ds->nhooks, 1));

	for (int i = 0; i < ds->nhooks; i++)
	{
		hooks[i].version = res[i].version;
		strlcpy(hooks[i].release_id,
				DatumGetCString(DirectFunctionCall1(uuid_out, UUIDPGetDatum(&res[i].release_id))),
				sizeof(hooks[i].release_id));
		hooks[i].created = res[i].created;
		hooks[i].live = res[i].live;
	}
	return hr_cstring_to_jsonb(hr_deploy_result_json(ds, created, hooks));
}

/*
 * Error context while one hook is deployed: the registry's own messages name
 * the hook, this line adds where it sits in the spec.
 */
static void
deploy_hook_context(void *arg)
{
	const HrDeployHook *h = arg;

	errcontext("deploying hook \"%s\" at %s of the deploy spec", h->name, h->path);
}

/*
 * One hook of the deploy, already checked: registered (or found) and its
 * runtime released, with an error context naming its place in the spec.
 */
static void
deploy_hook(const HrDeployHook *h, const DeployHookParts *part, const char *caller,
			HrReleaseResult *res)
{
	HrHookResult hook;
	HrReleaseInput in = {0};
	ErrorContextCallback context;

	context.callback = deploy_hook_context;
	context.arg = (void *) h;
	context.previous = error_context_stack;
	error_context_stack = &context;

	hr_register_hook(h->name, part->feature, &h->feature, part->name_path,
					 part->feature_path, &hook);

	in.hook_name = h->name;
	in.image = h->image;
	in.digest = h->digest;
	in.config = part->config;
	in.limits = part->limits;
	in.source_ref = h->source_ref;
	in.built_by = caller;
	in.runtime_path = part->runtime_path;
	in.source_ref_path = part->source_ref_path;
	in.content = &h->content;
	hr_create_release(&in, res);
	error_context_stack = context.previous;
}

PG_FUNCTION_INFO_V1(hookreg_deploy_convention_v2);

/*
 * hookreg_deploy_convention(spec jsonb) RETURNS jsonb
 *
 * Gated by hookreg_deployer only, although it creates releases: the bundled
 * deploy is how a deployer ships a whole convention; releasing a hook on its
 * own stays with hookreg_releaser.
 *
 * Locks, always in this order so that deploys never wait in a circle: the
 * slug's advisory lock, the schema row, then per hook sorted by name the
 * registry's own locks (the hook name's registration lock, the live
 * pointer's row lock).
 */
Datum
hookreg_deploy_convention_v2(PG_FUNCTION_ARGS)
{
	Jsonb	   *spec;
	DeployHookParts *parts;
	char	   *json;
	int			json_len;
	char	   *caller;
	HrDeploySpec ds;
	HrReleaseResult *res;		/* per hook, in spec order */
	HrElevation elev = {0};
	bool		created;

	hr_require_role(HR_ROLE_DEPLOYER, "hookreg_deploy_convention");
	hr_require_arg(fcinfo, 0, "spec", "Pass the deploy spec as a jsonb object.");
	spec = PG_GETARG_JSONB_P(0);
	caller = hr_caller_name();

	/* Everything is checked before anything is written or locked. */
	json = hr_jsonb_to_cstring(spec, &json_len);
	hr_deploy_spec_validate(json, json_len, &ds);
	parts = deploy_hook_parts(spec, &ds);
	deploy_check_hooks(&ds, parts);
	res = palloc0(sizeof(HrReleaseResult) * Max(ds.nhooks, 1));

	/* before any other lock of the deploy (doc/design.md "Locks") */
	hr_xact_lock_name(HR_LOCK_CONVENTION_SLUG, ds.slug);

	hr_owner_begin(fcinfo, HR_ROLE_DEPLOYER, "hookreg_deploy_convention", &elev);

	/* The lock table must have room for every new feature table. */
	{
		const char **names = palloc(sizeof(char *) * Max(ds.nhooks, 1));
		int			known;

		for (int i = 0; i < ds.nhooks; i++)
			names[i] = ds.hooks[i].name;
		known = hr_count_registered_hooks(names, ds.nhooks);
		hr_check_lock_budget(ds.nhooks - known, known,
							 psprintf("deploying convention \"%s\" with %d hooks", ds.slug, ds.nhooks));
	}

	{
		Jsonb	   *schema = jsonb_member(&spec->root, "schema");

		deploy_schema(&ds, jsonb_member(&schema->root, "definition"));
	}

	for (int k = 0; k < ds.nhooks; k++)
	{
		int			i = ds.lock_order[k];

		deploy_hook(&ds.hooks[i], &parts[i], caller, &res[i]);
	}

	created = deploy_convention_row(&ds, jsonb_member(&spec->root, "file_requirements"),
									jsonb_member(&spec->root, "source"));

	hr_owner_end(&elev);

	PG_RETURN_DATUM(deploy_result(&ds, created, res));
}

static const char *const hr_sql_hooks_lock =
"SELECT 1 FROM hookreg.hooks h "
"WHERE h.name OPERATOR(pg_catalog.=) ANY ($1) FOR KEY SHARE OF h";

static const char *const hr_sql_hooks_missing =
"SELECT u.n FROM pg_catalog.unnest($1) WITH ORDINALITY AS u (n, i) "
"WHERE NOT EXISTS (SELECT 1 FROM hookreg.hooks h "
"WHERE h.name OPERATOR(pg_catalog.=) u.n) ORDER BY u.i";

/*
 * The names of conventions.hooks that are not registered hooks, with the
 * registered ones locked FOR KEY SHARE (as a foreign key check does) so
 * that they cannot go away before this transaction ends.
 */
static char *
unregistered_hooks(Datum names)
{
	static SPIPlanPtr lock_plan = NULL;
	static SPIPlanPtr missing_plan = NULL;
	static const Oid types[] = {TEXTARRAYOID};
	StringInfoData list;

	hr_execute(hr_prepare(&lock_plan, hr_sql_hooks_lock, 1, types),
			   &names, NULL, false, 0);
	hr_execute(hr_prepare(&missing_plan, hr_sql_hooks_missing, 1, types),
			   &names, NULL, false, 0);
	if (SPI_processed == 0)
		return NULL;

	initStringInfo(&list);
	for (uint64 r = 0; r < SPI_processed; r++)
		appendStringInfo(&list, "%s\"%s\"", r ? ", " : "",
						 SPI_getvalue(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, 1));
	return list.data;
}

static TriggerData *
trigger_data(FunctionCallInfo fcinfo, const char *name)
{
	if (!CALLED_AS_TRIGGER(fcinfo) ||
		!TRIGGER_FIRED_FOR_ROW(((TriggerData *) fcinfo->context)->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s() must be called as a row trigger", name)));
	return (TriggerData *) fcinfo->context;
}

PG_FUNCTION_INFO_V1(hookreg_convention_hooks_check_v2);

/*
 * AFTER INSERT OR UPDATE OF hooks ON hookreg.conventions: every name in
 * hooks is a registered hook (PostgreSQL has no foreign key on array
 * elements).
 */
Datum
hookreg_convention_hooks_check_v2(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = trigger_data(fcinfo, "hookreg_convention_hooks_check");
	Relation	rel = trigdata->tg_relation;
	HeapTuple	row = TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ?
		trigdata->tg_newtuple : trigdata->tg_trigtuple;
	TupleDesc	desc = RelationGetDescr(rel);
	bool		isnull;
	Datum		hooks = heap_getattr(row, SPI_fnumber(desc, "hooks"), desc, &isnull);
	char	   *slug = SPI_getvalue(row, desc, SPI_fnumber(desc, "slug"));
	char	   *missing;

	if (isnull)
		return PointerGetDatum(NULL);	/* NOT NULL refuses it */

	hr_spi_connect();
	missing = unregistered_hooks(hooks);
	if (missing != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("convention \"%s\" names hooks that are not registered: %s",
						slug, missing),
				 errdetail("Every name in hookreg.conventions.hooks must be a hook of hookreg.hooks."),
				 errhint("Deploy the convention with hookreg_deploy_convention(), which registers its hooks, or register them first with hookreg_register_hook()."),
				 errtableconstraint(rel, "conventions_hooks_registered")));
	SPI_finish();
	return PointerGetDatum(NULL);
}

static const char *const hr_sql_hook_in_use =
"SELECT c.slug FROM hookreg.conventions c "
"WHERE c.hooks OPERATOR(pg_catalog.@>) ARRAY[$1] "
"ORDER BY c.slug LIMIT 1";

PG_FUNCTION_INFO_V1(hookreg_hook_in_use_check_v2);

/*
 * AFTER DELETE OR UPDATE OF name ON hookreg.hooks: a hook that a convention
 * names stays, under its name.
 */
Datum
hookreg_hook_in_use_check_v2(PG_FUNCTION_ARGS)
{
	static SPIPlanPtr plan = NULL;
	static const Oid types[] = {TEXTOID};
	TriggerData *trigdata = trigger_data(fcinfo, "hookreg_hook_in_use_check");
	Relation	rel = trigdata->tg_relation;
	TupleDesc	desc = RelationGetDescr(rel);
	int			name_col = SPI_fnumber(desc, "name");
	char	   *name = SPI_getvalue(trigdata->tg_trigtuple, desc, name_col);
	Datum		value;

	if (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) &&
		strcmp(name, SPI_getvalue(trigdata->tg_newtuple, desc, name_col)) == 0)
		return PointerGetDatum(NULL);

	hr_spi_connect();
	value = CStringGetTextDatum(name);
	if (hr_execute(hr_prepare(&plan, hr_sql_hook_in_use, 1, types),
				   &value, NULL, false, 1) == 1)
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("hook \"%s\" is named by convention \"%s\"", name,
						SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1)),
				 errdetail("A hook that a convention names cannot be %s.",
						   TRIGGER_FIRED_BY_DELETE(trigdata->tg_event) ? "deleted" : "renamed"),
				 errhint("Deploy the convention without the hook first."),
				 errtableconstraint(rel, "hooks_named_by_conventions")));
	SPI_finish();
	return PointerGetDatum(NULL);
}
