/*
 * release_jcs.c: the jsonb side of a release's identity (see
 * release_json.h): config's RFC 8785 text, written straight from its jsonb,
 * and the numbers of limits, checked on theirs.  No jansson here.
 */
#include "postgres.h"

#include "fmgr.h"
#include "hrjson_init.h"
#include "jcs.h"
#include "release_json.h"
#include "sqlutil.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"

/* limits is small and capped on its text later; only its numbers matter here */
#define HR_LIMITS_CHECK_MAX_BYTES	(1024 * 1024)

static void
hr_release_argument_context(void *arg)
{
	errcontext("in the %s argument", (const char *) arg);
}

static const char *
hr_jsonb_root_type(const Jsonb *jb)
{
	JsonbValue	v;

	if (JB_ROOT_IS_ARRAY(jb) && !JB_ROOT_IS_SCALAR(jb))
		return "array";
	if (!JsonbExtractScalar((JsonbContainer *) &jb->root, &v))
		return "object";
	switch (v.type)
	{
		case jbvString:
			return "string";
		case jbvNumeric:
			return "number";
		case jbvBool:
			return "boolean";
		default:
			return "null";
	}
}

void
hr_release_config_jcs(const Jsonb *config, const char *runtime_path, StringInfo out)
{
	ErrorContextCallback ctx;
	const char *what = runtime_path ? hr_json_path_key(runtime_path, "config") : "config";
	const char *path = runtime_path ? what : "$";

	ctx.callback = hr_release_argument_context;
	ctx.arg = (void *) "config";
	ctx.previous = error_context_stack;
	if (runtime_path == NULL)
		error_context_stack = &ctx;

	if (config != NULL && !JB_ROOT_IS_OBJECT(config))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a JSON object", what),
				 errdetail("Got %s at %s.", hr_jsonb_root_type(config), path)));
	hr_jcs_append_jsonb(out, config, what, path, HR_JSON_MAX_BYTES, HR_JSON_MAX_DEPTH, NULL);

	error_context_stack = ctx.previous;
}

void
hr_release_limits_check(const Jsonb *limits, const char *runtime_path)
{
	ErrorContextCallback ctx;
	const char *what = runtime_path ? hr_json_path_key(runtime_path, "limits") : "limits";
	StringInfoData scratch;

	/* not an object: the limits checks say so */
	if (limits == NULL || !JB_ROOT_IS_OBJECT(limits))
		return;
	ctx.callback = hr_release_argument_context;
	ctx.arg = (void *) "limits";
	ctx.previous = error_context_stack;
	if (runtime_path == NULL)
		error_context_stack = &ctx;

	initStringInfo(&scratch);
	hr_jcs_append_jsonb(&scratch, limits, what, runtime_path ? what : "$",
						HR_LIMITS_CHECK_MAX_BYTES, HR_JSON_MAX_DEPTH, NULL);
	pfree(scratch.data);

	error_context_stack = ctx.previous;
}

PG_FUNCTION_INFO_V1(hookreg_stored_release_digest_v2);

/*
 * hookreg.hookreg_stored_release_digest(image text, digest text, config jsonb,
 * limits jsonb) RETURNS text: the 0.2.0 release_digest of a release stored
 * by 0.1.0, or NULL when its config holds a number that canonical JSON
 * cannot carry exactly (0.1.0 accepted those; 0.2.0 refuses such content).
 * Created, used and dropped by the update from 0.1.0 (its part 10_jcs.sql).
 * Stored limits were printed by 0.1.0 from doubles, so they are read back as
 * doubles, as a new release's limits are.
 */
Datum
hookreg_stored_release_digest_v2(PG_FUNCTION_ARGS)
{
	char	   *image = text_to_cstring(PG_GETARG_TEXT_PP(0));
	char	   *digest = text_to_cstring(PG_GETARG_TEXT_PP(1));
	Jsonb	   *config = PG_GETARG_JSONB_P(2);
	Jsonb	   *limits = PG_GETARG_JSONB_P(3);
	StringInfoData identity;
	HrReleaseContent content;
	bool		inexact = false;
	char	   *limits_text;
	int			limits_len;

	initStringInfo(&identity);
	appendStringInfoString(&identity, "{\"config\":");
	hr_jcs_append_jsonb(&identity, config, "config", "$", MaxAllocSize / 2, HR_JSON_MAX_DEPTH,
						&inexact);
	if (inexact)
		PG_RETURN_NULL();
	limits_text = hr_jsonb_to_cstring(limits, &limits_len);
	hr_release_stored_content(&identity, image, digest, limits_text, limits_len, &content);
	PG_RETURN_TEXT_P(cstring_to_text(content.release_digest));
}
