/*
 * ledger_json.c: the ledger's JSON work with jansson (doc/reference.md):
 * counter normalization and failure entries.  (The identity hash is taken from
 * the jsonb itself, in ledger.c.)
 */
#include "hrjson.h"

#include <math.h>

#include "hookreg.h"
#include "errvalue.h"
#include "ledger.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "sanitize.h"

/* Counters are clamped here: the largest integer a double holds exactly. */
#define HR_COUNT_MAX	((json_int_t) 9007199254740992LL)	/* 2^53 */

/*
 * A count as an integer in [0, 2^53], or -1 when the value is not a
 * non-negative integral number or digit string.  Numbers arrive as doubles
 * (JSON_DECODE_INT_AS_REAL), so 1e30 is clamped instead of overflowing.
 */
static json_int_t
hr_count_value(const json_t *value)
{
	if (json_is_real(value))
	{
		double		d = json_real_value(value);

		if (!isfinite(d) || d < 0 || d != floor(d))
			return -1;
		return d >= (double) HR_COUNT_MAX ? HR_COUNT_MAX : (json_int_t) d;
	}
	if (json_is_integer(value))
	{
		json_int_t	i = json_integer_value(value);

		return i < 0 ? -1 : (i > HR_COUNT_MAX ? HR_COUNT_MAX : i);
	}
	if (json_is_string(value))
	{
		const char *s = json_string_value(value);
		size_t		n = json_string_length(value);
		json_int_t	v = 0;

		if (n == 0)
			return -1;
		for (size_t i = 0; i < n; i++)
		{
			if (s[i] < '0' || s[i] > '9')
				return -1;
			if (v < HR_COUNT_MAX)
				v = v * 10 + (s[i] - '0');
		}
		return v > HR_COUNT_MAX ? HR_COUNT_MAX : v;
	}
	return -1;
}

/* Append a key for a message: quoted, at most 64 bytes, never a split character. */
static void
hr_append_key(StringInfo buf, const char *key)
{
	appendStringInfo(buf, "%s\"%s\"", buf->len ? ", " : "", hr_error_cstr(key));
}

/* The one WARNING of a normalization that dropped counters. */
static void
hr_warn_dropped(int dropped, const StringInfoData *unknown, const StringInfoData *bad,
				const char *const *allowed, int nallowed)
{
	StringInfoData detail;
	StringInfoData keys;

	initStringInfo(&detail);
	initStringInfo(&keys);
	for (int i = 0; i < nallowed; i++)
		appendStringInfo(&keys, "%s%s", i ? ", " : "", allowed[i]);
	if (unknown->len)
		appendStringInfo(&detail, "Not an allowed key: %s.", unknown->data);
	if (bad->len)
		appendStringInfo(&detail, "%sNot a non-negative integer: %s.",
						 detail.len ? " " : "", bad->data);
	ereport(WARNING,
			(errmsg("summary_counts: dropped %d counter%s", dropped,
					dropped == 1 ? "" : "s"),
			 errdetail_internal("%s", detail.data),
			 errhint("Allowed keys: %s. Values must be non-negative integers (a number or digit string with an integral value).",
					 keys.data)));
}

char *
hr_normalize_counts_json(const char *counts, size_t len,
						 const char *const *allowed, int nallowed)
{
	json_error_t err;
	json_t	   *in;
	json_t	   *out = json_object();
	const char *key;
	json_t	   *value;
	StringInfoData unknown,
				bad;
	int			dropped = 0;
	char	   *result;

	hr_json_check_size(len, "summary_counts", HR_JSON_MAX_BYTES);
	in = json_loadb(counts, len, JSON_DECODE_ANY | JSON_DECODE_INT_AS_REAL, &err);
	if (in == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("summary_counts is not JSON that hookreg can read"),
				 errdetail("%s (at character %d).", hr_error_cstr(err.text), err.position),
				 errhint("Counters are non-negative integers; numbers must fit in a double.")));
	if (!json_is_object(in))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("wrong JSON type at $ of summary_counts"),
				 errdetail("Expected an object of counters, got %s.", hr_json_type_name(in)),
				 errhint("Pass counters as an object such as {\"total\": 10, \"processed\": 8}.")));

	initStringInfo(&unknown);
	initStringInfo(&bad);
	json_object_foreach(in, key, value)
	{
		bool		known = false;
		json_int_t	count;

		for (int i = 0; i < nallowed && !known; i++)
			known = (strcmp(allowed[i], key) == 0);
		if (!known)
		{
			hr_append_key(&unknown, key);
			dropped++;
			continue;
		}
		count = hr_count_value(value);
		if (count < 0)
		{
			hr_append_key(&bad, key);
			dropped++;
			continue;
		}
		json_object_set_new(out, key, json_integer(count));
	}

	if (dropped > 0)
		hr_warn_dropped(dropped, &unknown, &bad, allowed, nallowed);

	result = hr_json_canonical(out, NULL);
	json_decref(out);
	json_decref(in);
	return result;
}

char *
hr_failure_entry_json(const char *code, const char *message)
{
	json_t	   *entry = json_object();
	json_t	   *list = json_array();
	json_t	   *code_value;
	json_t	   *message_value;
	char	   *clean;
	char	   *result;

	/*
	 * The message is sanitized and cut to what is stored, so any length
	 * fits the summary's input cap; a code longer than a code may be is cut
	 * just past the limit (it becomes unknown_error, with a WARNING).
	 */
	clean = hr_sanitize_message(message, strlen(message), HR_FAILURE_MESSAGE_MAX);
	if (strlen(code) > HR_FAILURE_CODE_MAX + 1)
		code = pnstrdup(code, HR_FAILURE_CODE_MAX + 1);
	code_value = json_string(code);

	/* Text that is not UTF-8 (SQL_ASCII databases) cannot be a JSON string. */
	message_value = json_string(clean);
	json_object_set_new(entry, "code", code_value ? code_value : json_string("unknown_error"));
	json_object_set_new(entry, "message", message_value ? message_value : json_string(""));
	json_array_append_new(list, entry);
	result = hr_json_canonical(list, NULL);
	json_decref(list);
	return result;
}
