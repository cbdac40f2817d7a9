/*
 * json.c: jansson set-up and the helpers of hrjson.h.
 */
#include "hrjson.h"

#include "lib/stringinfo.h"
#include "utils/memutils.h"

#include "errvalue.h"

/*
 * jansson allocates with these, from CurrentMemoryContext.  A longjmp out of
 * ereport(ERROR) therefore frees jansson's memory together with the context,
 * and there is no json_decref to forget.  json_decref still works while the
 * context that holds the value is alive.
 */
static void *
hr_json_malloc(size_t size)
{
	return MemoryContextAllocExtended(CurrentMemoryContext, size, MCXT_ALLOC_HUGE);
}

static void
hr_json_free(void *ptr)
{
	if (ptr != NULL)
		pfree(ptr);
}

void
hr_json_init(void)
{
	json_set_alloc_funcs(hr_json_malloc, hr_json_free);
}

json_t *
hr_json_new_object(void)
{
	json_t	   *obj = json_pack("{}");

	if (obj == NULL)
		elog(ERROR, "hookreg: could not create a JSON object");
	return obj;
}

/* Deepest nesting of arrays and objects in JSON text, stopping past limit. */
static int
hr_json_text_depth(const char *buf, size_t len, int limit)
{
	int			depth = 0,
				deepest = 0;
	bool		in_string = false;

	for (size_t i = 0; i < len; i++)
	{
		char		c = buf[i];

		if (in_string)
		{
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = false;
			continue;
		}
		if (c == '"')
			in_string = true;
		else if (c == '[' || c == '{')
		{
			if (++depth > deepest)
				deepest = depth;
			if (deepest > limit)
				break;
		}
		else if (c == ']' || c == '}')
			depth--;
	}
	return deepest;
}

void
hr_json_check_size(size_t len, const char *what, size_t max_bytes)
{
	if (len > max_bytes)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s is too large", what),
				 errdetail("It is %zu bytes as JSON text; the limit is %zu bytes.",
						   len, max_bytes)));
}

json_t *
hr_json_parse(const char *buf, size_t len, const char *what,
			  size_t max_bytes, int max_depth)
{
	json_error_t err;
	json_t	   *value;

	hr_json_check_size(len, what, max_bytes);
	if (hr_json_text_depth(buf, len, max_depth) > max_depth)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s is nested too deeply", what),
				 errdetail("Arrays and objects may nest at most %d levels deep.",
						   max_depth)));

	value = json_loadb(buf, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &err);
	if (value == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s is not JSON that hookreg can read", what),
				 errdetail("%s (at character %d).", hr_error_cstr(err.text), err.position),
				 errhint("Integers must fit in 64 bits and other numbers in a double.")));
	return value;
}

char *
hr_json_canonical(const json_t *value, size_t *len)
{
	char	   *out = json_dumps(value, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);

	if (out == NULL)
		elog(ERROR, "hookreg: could not serialize JSON");
	if (len)
		*len = strlen(out);
	return out;
}

/* A key is written .key when it is a plain identifier, else ["key"]. */
char *
hr_json_path_key(const char *base, const char *raw_key)
{
	/* a member name is caller input: sanitized and cut short like any value */
	const char *key = hr_error_name(raw_key);
	bool		plain = (key[0] != '\0' && !isdigit((unsigned char) key[0]));
	StringInfoData buf;

	for (const char *p = key; *p && plain; p++)
		if (!(isalnum((unsigned char) *p) || *p == '_' || *p == '-'))
			plain = false;
	if (plain)
		return psprintf("%s.%s", base, key);

	initStringInfo(&buf);
	appendStringInfo(&buf, "%s[\"", base);
	for (const char *p = key; *p; p++)
	{
		if (*p == '"' || *p == '\\')
			appendStringInfoChar(&buf, '\\');
		if ((unsigned char) *p < 0x20)
			appendStringInfo(&buf, "\\u%04x", (unsigned char) *p);
		else
			appendStringInfoChar(&buf, *p);
	}
	appendStringInfoString(&buf, "\"]");
	return buf.data;
}

char *
hr_json_path_index(const char *base, size_t index)
{
	return psprintf("%s[%zu]", base, index);
}

const char *
hr_json_type_name(const json_t *value)
{
	switch (json_typeof(value))
	{
		case JSON_OBJECT:
			return "object";
		case JSON_ARRAY:
			return "array";
		case JSON_STRING:
			return "string";
		case JSON_INTEGER:
			return "integer";
		case JSON_REAL:
			return "number";
		case JSON_TRUE:
		case JSON_FALSE:
			return "boolean";
		case JSON_NULL:
			return "null";
	}
	return "unknown";
}

static const char *
hr_json_mask_names(unsigned mask)
{
	StringInfoData buf;
	static const struct
	{
		unsigned	bits;
		const char *name;
	}			names[] = {
		{HR_JSON_T(JSON_OBJECT), "object"},
		{HR_JSON_T(JSON_ARRAY), "array"},
		{HR_JSON_T(JSON_STRING), "string"},
		{HR_JSON_NUMBER, "number"},
		{HR_JSON_T(JSON_INTEGER), "integer"},
		{HR_JSON_BOOLEAN, "boolean"},
		{HR_JSON_T(JSON_NULL), "null"},
	};

	initStringInfo(&buf);
	for (size_t i = 0; i < lengthof(names); i++)
	{
		if ((mask & names[i].bits) != names[i].bits)
			continue;
		mask &= ~names[i].bits;
		appendStringInfo(&buf, "%s%s", buf.len ? " or " : "", names[i].name);
	}
	return buf.data;
}

void
hr_json_require_object(const json_t *value, const char *path,
					   const char *const *allowed)
{
	const char *key;
	json_t	   *member;

	if (!json_is_object(value))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("wrong JSON type at %s", path),
				 errdetail("Expected an object, got %s.", hr_json_type_name(value))));

	json_object_foreach((json_t *) value, key, member)
	{
		bool		known = false;
		StringInfoData list;

		for (const char *const *a = allowed; *a; a++)
			if (strcmp(*a, key) == 0)
				known = true;
		if (known)
			continue;

		initStringInfo(&list);
		for (const char *const *a = allowed; *a; a++)
			appendStringInfo(&list, "%s%s", list.len ? ", " : "", *a);
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown member at %s", hr_json_path_key(path, key)),
				 errdetail("The members allowed at %s are: %s.", path, list.data)));
	}
}

json_t *
hr_json_member(const json_t *obj, const char *path, const char *key,
			   unsigned type_mask, bool required)
{
	json_t	   *member = json_object_get(obj, key);

	if (member == NULL ||
		(json_is_null(member) && !(type_mask & HR_JSON_T(JSON_NULL))))
	{
		if (required)
		{
			const char *names = hr_json_mask_names(type_mask);

			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("missing member at %s", hr_json_path_key(path, key)),
					 errdetail("%s %s is required there.",
							   (names[0] && strchr("aeiou", names[0])) ? "An" : "A", names)));
		}
		return NULL;
	}
	if (!(type_mask & HR_JSON_T(json_typeof(member))))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("wrong JSON type at %s", hr_json_path_key(path, key)),
				 errdetail("Expected %s, got %s.", hr_json_mask_names(type_mask),
						   hr_json_type_name(member))));
	return member;
}
