/*
 * sanitize_json.c: failure summaries and run context (SPEC 3.3) with
 * jansson.  Text in, text out (see sanitize.h): the ledger and the SQL
 * wrappers convert from and to jsonb.
 */
#include "hrjson.h"

#include "sanitize.h"

/*
 * A failure summary may arrive long (one entry per failed item) and is
 * merged down to 50 entries, so its input cap is larger than the 64 KiB of
 * other JSON inputs.
 */
#define HR_FAILURES_MAX_BYTES	(1024 * 1024)
#define HR_FAILURES_MAX_ENTRIES	50
#define HR_FAILURE_CODE_MAX		64
#define HR_FAILURE_MESSAGE_MAX	500
/* Counts are clamped where JSON consumers stop counting exactly. */
#define HR_FAILURE_COUNT_MAX	(((json_int_t) 1) << 53)
#define HR_UNKNOWN_ERROR		"unknown_error"

/* 22023: the input as a whole has the wrong JSON type. */
static pg_attribute_noreturn() void
hr_refuse_top_level(const char *what, const char *expected, const json_t *value,
					const char *hint)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s must be a JSON %s", what, expected),
			 errdetail("Got %s at $.", hr_json_type_name(value)),
			 errhint("%s", hint)));
	pg_unreachable();
}

/* ^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$ on an already lowercased code */
static bool
hr_failure_code_valid(const char *code, size_t len)
{
	if (len == 0 || len > HR_FAILURE_CODE_MAX || !(code[0] >= 'a' && code[0] <= 'z'))
		return false;
	for (size_t i = 1; i < len; i++)
	{
		char		c = code[i];

		if (c == '.')
		{
			/* a dot starts a non-empty segment */
			if (i + 1 == len || code[i + 1] == '.')
				return false;
		}
		else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
			return false;
	}
	return true;
}

/* The code lowercased (ASCII), or unknown_error when it is not a code. */
static char *
hr_failure_code(const char *code, size_t len)
{
	char	   *out = palloc(len + 1);

	for (size_t i = 0; i < len; i++)
	{
		char		c = code[i];

		out[i] = (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
	}
	out[len] = '\0';
	if (memchr(code, '\0', len) != NULL || !hr_failure_code_valid(out, len))
		return pstrdup(HR_UNKNOWN_ERROR);
	return out;
}

char *
hr_sanitize_failures_json(const char *json, size_t len)
{
	static const char *const allowed[] = {"code", "message", "count", NULL};
	json_t	   *in = hr_json_parse(json, len, "failure_summary",
								   HR_FAILURES_MAX_BYTES, HR_JSON_MAX_DEPTH);
	json_t	   *out = json_array();
	json_t	   *entry;
	size_t		index;

	if (!json_is_array(in))
		hr_refuse_top_level("failure_summary", "array", in,
							"Pass an array of objects {\"code\": \"...\", \"message\": \"...\"} with an optional positive integer \"count\".");

	json_array_foreach(in, index, entry)
	{
		char	   *path = hr_json_path_index("$", index);
		json_t	   *code_j,
				   *message_j,
				   *count_j;
		json_int_t	count = 1;
		char	   *code,
				   *message;
		size_t		n = json_array_size(out);
		bool		merged = false;

		hr_json_require_object(entry, path, allowed);
		code_j = hr_json_member(entry, path, "code", HR_JSON_T(JSON_STRING), true);
		message_j = hr_json_member(entry, path, "message", HR_JSON_T(JSON_STRING), true);
		count_j = hr_json_member(entry, path, "count", HR_JSON_NUMBER, false);
		if (count_j != NULL)
		{
			if (!json_is_integer(count_j) || json_integer_value(count_j) < 1)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("count at %s is not a positive integer",
								hr_json_path_key(path, "count")),
						 errdetail("Got %s %s.", hr_json_type_name(count_j),
								   hr_json_canonical(count_j, NULL)),
						 errhint("Give a whole number of at least 1, or leave \"count\" out for 1.")));
			count = Min(json_integer_value(count_j), HR_FAILURE_COUNT_MAX);
		}

		code = hr_failure_code(json_string_value(code_j), json_string_length(code_j));
		message = hr_sanitize_message(json_string_value(message_j),
									  json_string_length(message_j),
									  HR_FAILURE_MESSAGE_MAX);

		/* equal code and message: one entry, counts added (at most 50 kept) */
		for (size_t k = 0; k < n && !merged; k++)
		{
			json_t	   *seen = json_array_get(out, k);
			json_t	   *seen_count = json_object_get(seen, "count");

			if (strcmp(json_string_value(json_object_get(seen, "code")), code) != 0 ||
				strcmp(json_string_value(json_object_get(seen, "message")), message) != 0)
				continue;
			json_integer_set(seen_count,
							 Min(json_integer_value(seen_count) + count, HR_FAILURE_COUNT_MAX));
			merged = true;
		}
		if (!merged && n < HR_FAILURES_MAX_ENTRIES)
		{
			json_t	   *kept = json_pack("{s:s, s:s, s:I}", "code", code,
										 "message", message, "count", count);

			if (kept == NULL)
				elog(ERROR, "hookreg: could not build a failure summary entry");
			json_array_append_new(out, kept);
		}
	}
	return hr_json_canonical(out, NULL);
}

/* Drop every member whose key looks like a secret, at any depth. */
static void
hr_drop_secret_members(json_t *value)
{
	if (json_is_object(value))
	{
		const char *key;
		json_t	   *member;
		void	   *tmp;

		json_object_foreach_safe(value, tmp, key, member)
		{
			if (hr_is_secret_key(key, strlen(key)))
				json_object_del(value, key);
			else
				hr_drop_secret_members(member);
		}
	}
	else if (json_is_array(value))
	{
		size_t		i;
		json_t	   *item;

		json_array_foreach(value, i, item)
			hr_drop_secret_members(item);
	}
}

char *
hr_sanitize_context_json(const char *json, size_t len)
{
	json_t	   *value = hr_json_parse(json, len, "context",
									  HR_JSON_MAX_BYTES, HR_JSON_MAX_DEPTH);

	if (!json_is_object(value))
		hr_refuse_top_level("context", "object", value,
							"Pass an object such as {\"source\": \"manual\"}, or '{}' for none.");
	hr_drop_secret_members(value);
	return hr_json_canonical(value, NULL);
}
