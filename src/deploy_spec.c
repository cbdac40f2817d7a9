/*
 * deploy_spec.c: the shape of a deploy spec (doc/reference.md,
 * hookreg_deploy_convention), checked as a whole
 * before hookreg_deploy_convention writes anything.
 *
 * Every error names the JSON path of the offending member.  What belongs to
 * the registry (a feature spec's columns, a runtime's digest and limits) is
 * checked by the registry's own validators with the paths given here.
 */
#include "hrjson.h"

#include "errvalue.h"
#include "conventions.h"

/* Caps of single members (54000 when exceeded). */
#define HR_TITLE_MAX_BYTES			1024
#define HR_DESCRIPTION_MAX_BYTES	(64 * 1024)
#define HR_SCHEMA_KEY_MAX_BYTES		200

static const char *const spec_members[] =
{"title", "description", "schema", "file_requirements", "source", "hooks", NULL};
static const char *const schema_members[] = {"id", "version", "definition", NULL};
static const char *const hook_members[] = {"name", "feature", "runtime", "source_ref", NULL};
static const char *const runtime_members[] = {"image", "digest", "config", "limits", NULL};

/*
 * A required string member of at most max_bytes bytes (54000 beyond), empty
 * only when allow_empty.  Returns a palloc'd copy.
 */
static char *
spec_string(const json_t *obj, const char *path, const char *key,
			size_t max_bytes, bool allow_empty)
{
	json_t	   *value = hr_json_member(obj, path, key, HR_JSON_T(JSON_STRING), true);
	size_t		len = json_string_length(value);

	if (len > max_bytes)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("string at %s is too long", hr_json_path_key(path, key)),
				 errdetail("It is %zu bytes; the limit is %zu bytes.", len, max_bytes)));
	if (len == 0 && !allow_empty)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("empty string at %s", hr_json_path_key(path, key)),
				 errdetail("A non-empty string is required there.")));
	return pnstrdup(json_string_value(value), len);
}

/*
 * A schema id or version: an identifier other systems quote, so no control
 * characters and no white space at either end.
 */
static char *
spec_schema_key(const json_t *schema, const char *path, const char *key)
{
	char	   *s = spec_string(schema, path, key, HR_SCHEMA_KEY_MAX_BYTES, false);
	size_t		len = strlen(s);

	for (size_t i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if (c < 0x20 || c == 0x7f)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("control character in the string at %s", hr_json_path_key(path, key)),
					 errdetail("Byte %zu is 0x%02x.", i, c),
					 errhint("Use printable characters only, e.g. \"1.0.0\".")));
	}
	if (isspace((unsigned char) s[0]) || isspace((unsigned char) s[len - 1]))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("white space at an end of the string at %s", hr_json_path_key(path, key)),
				 errdetail("The value is \"%s\".", hr_error_cstr(s)),
				 errhint("Remove the leading and trailing white space.")));
	return s;
}

static void
spec_hook(const json_t *hook, const char *path, HrDeployHook *out)
{
	char	   *runtime_path = hr_json_path_key(path, "runtime");
	json_t	   *runtime;

	hr_json_require_object(hook, path, hook_members);
	out->path = pstrdup(path);
	/* The name's grammar and the reserved names are the registry's rules. */
	out->name = spec_string(hook, path, "name", HR_JSON_MAX_BYTES, false);
	hr_json_member(hook, path, "feature", HR_JSON_T(JSON_OBJECT), true);
	runtime = hr_json_member(hook, path, "runtime", HR_JSON_T(JSON_OBJECT), true);
	out->source_ref = spec_string(hook, path, "source_ref", HR_JSON_MAX_BYTES, false);

	hr_json_require_object(runtime, runtime_path, runtime_members);
	out->image = spec_string(runtime, runtime_path, "image", HR_JSON_MAX_BYTES, true);
	out->digest = spec_string(runtime, runtime_path, "digest", HR_JSON_MAX_BYTES, true);
	/* Absent (or null) config and limits are {}, as for hookreg_create_release. */
	hr_json_member(runtime, runtime_path, "config", HR_JSON_T(JSON_OBJECT), false);
	hr_json_member(runtime, runtime_path, "limits", HR_JSON_T(JSON_OBJECT), false);
}

/* qsort_arg comparator: hook indexes by name, byte order */
static int
spec_hook_name_cmp(const void *a, const void *b, void *arg)
{
	const HrDeployHook *hooks = arg;

	return strcmp(hooks[*(const int *) a].name, hooks[*(const int *) b].name);
}

void
hr_deploy_spec_validate(const char *json, size_t len, HrDeploySpec *out)
{
	json_t	   *spec = hr_json_parse(json, len, "deploy spec",
									 HR_DEPLOY_MAX_BYTES, HR_JSON_MAX_DEPTH);
	json_t	   *schema;
	json_t	   *hooks;
	const char *schema_path = "$.schema";

	memset(out, 0, sizeof(*out));
	hr_json_require_object(spec, "$", spec_members);

	out->title = spec_string(spec, "$", "title", HR_TITLE_MAX_BYTES, true);
	out->slug = hr_slugify(out->title, strlen(out->title));
	if (out->slug == NULL)
		hr_slug_error(out->title, strlen(out->title), "$.title");
	out->description = spec_string(spec, "$", "description", HR_DESCRIPTION_MAX_BYTES, true);

	schema = hr_json_member(spec, "$", "schema", HR_JSON_T(JSON_OBJECT), true);
	hr_json_require_object(schema, schema_path, schema_members);
	out->schema_id = spec_schema_key(schema, schema_path, "id");
	out->schema_version = spec_schema_key(schema, schema_path, "version");
	hr_json_member(schema, schema_path, "definition", HR_JSON_T(JSON_OBJECT), true);

	hr_json_member(spec, "$", "file_requirements", HR_JSON_T(JSON_OBJECT), true);
	/* source: an object, or null; absent means null */
	hr_json_member(spec, "$", "source", HR_JSON_T(JSON_OBJECT) | HR_JSON_T(JSON_NULL), false);

	hooks = hr_json_member(spec, "$", "hooks", HR_JSON_T(JSON_ARRAY), true);
	out->nhooks = (int) json_array_size(hooks);
	if (out->nhooks > HR_DEPLOY_MAX_HOOKS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many hooks at $.hooks"),
				 errdetail("The spec lists %d hooks; one deploy takes at most %d.",
						   out->nhooks, HR_DEPLOY_MAX_HOOKS),
				 errhint("Split the convention, or release hooks on their own with hookreg_create_release().")));

	out->hooks_json = hooks;
	out->hooks = palloc0(sizeof(HrDeployHook) * Max(out->nhooks, 1));
	out->lock_order = palloc(sizeof(int) * Max(out->nhooks, 1));
	for (int i = 0; i < out->nhooks; i++)
	{
		spec_hook(json_array_get(hooks, i), hr_json_path_index("$.hooks", i), &out->hooks[i]);
		out->lock_order[i] = i;
	}

	/*
	 * Sorted by name: the order in which the deploy takes the hooks' locks,
	 * the same in every session, so two deploys never wait for each other in
	 * a circle.  Neighbours with one name are a hook listed twice.
	 */
	qsort_arg(out->lock_order, out->nhooks, sizeof(int), spec_hook_name_cmp, out->hooks);
	for (int k = 1; k < out->nhooks; k++)
	{
		int			a = Min(out->lock_order[k - 1], out->lock_order[k]);
		int			b = Max(out->lock_order[k - 1], out->lock_order[k]);

		if (strcmp(out->hooks[a].name, out->hooks[b].name) == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("hook \"%s\" is listed twice, at %s and %s",
							out->hooks[b].name, hr_json_path_key(out->hooks[a].path, "name"),
							hr_json_path_key(out->hooks[b].path, "name")),
					 errdetail("A convention names each hook once."),
					 errhint("Remove the entry %s.", out->hooks[b].path)));
	}
}

void
hr_deploy_spec_check_hooks(HrDeploySpec *ds, const HrDeployHookSizes *sizes)
{
	for (int i = 0; i < ds->nhooks; i++)
	{
		HrDeployHook *h = &ds->hooks[i];
		json_t	   *hook = json_array_get(ds->hooks_json, i);
		json_t	   *runtime = json_object_get(hook, "runtime");
		json_t	   *config = json_object_get(runtime, "config");
		json_t	   *limits = json_object_get(runtime, "limits");
		char	   *feature_path = hr_json_path_key(h->path, "feature");

		hr_check_hook_name(h->name, psprintf(" at %s", hr_json_path_key(h->path, "name")));
		hr_json_check_size(sizes[i].feature, feature_path, HR_JSON_MAX_BYTES);
		hr_feature_spec_check(json_object_get(hook, "feature"), feature_path, &h->feature);
		/* a JSON null config or limits is absent, as validated */
		hr_release_content_parsed(h->image, h->digest,
								  json_is_null(config) ? NULL : config, sizes[i].config,
								  json_is_null(limits) ? NULL : limits, sizes[i].limits,
								  hr_json_path_key(h->path, "runtime"), &h->content);
	}
}

char *
hr_deploy_result_json(const HrDeploySpec *ds, bool created,
					  const HrDeployHookResult *hooks)
{
	json_t	   *result = json_object();
	json_t	   *list = json_array();

	/* names and the slug are ASCII once validated, so json_string never fails */
	for (int i = 0; i < ds->nhooks; i++)
	{
		json_t	   *hook = json_object();

		json_object_set_new(hook, "name", json_string(ds->hooks[i].name));
		json_object_set_new(hook, "version", json_integer(hooks[i].version));
		json_object_set_new(hook, "release_id", json_string(hooks[i].release_id));
		json_object_set_new(hook, "created", json_boolean(hooks[i].created));
		json_object_set_new(hook, "live", json_boolean(hooks[i].live));
		json_array_append_new(list, hook);
	}
	json_object_set_new(result, "slug", json_string(ds->slug));
	json_object_set_new(result, "created", json_boolean(created));
	json_object_set_new(result, "hooks", list);
	return hr_json_canonical(result, NULL);
}
