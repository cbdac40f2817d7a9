/*
 * sanitize_json.c: failure summaries and run context (doc/sanitizing.md) with
 * jansson.  Text in, text out (see sanitize.h): the ledger and the SQL
 * wrappers convert from and to jsonb.
 */
#include "hrjson.h"

#include "lib/stringinfo.h"

#include "sanitize.h"

/*
 * A failure summary may arrive long (one entry per failed item) and is
 * merged down to 50 entries, so its input cap is larger than the 64 KiB of
 * other JSON inputs.
 */
#define HR_FAILURES_MAX_BYTES	(1024 * 1024)
#define HR_FAILURES_MAX_ENTRIES	50
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

/*
 * A piece of a code (between '.' or '_') that reads like a value: at least
 * six characters with a digit among them (hunter2, 0123abcd...).
 */
static bool
hr_code_value_piece(const char *p, size_t len)
{
	if (len < 6)
		return false;
	for (size_t i = 0; i < len; i++)
		if (p[i] >= '0' && p[i] <= '9')
			return true;
	return false;
}

/*
 * Whether a (valid, lowercased) code carries a secret, and if so how long
 * the part before it is (*keep, for the WARNING): the original text holds a
 * token the message rules redact (dapi..., ghp_...; *keep 0), or a secret
 * key (a piece, or the segment up to a piece: db_api_key) is followed by a
 * piece that reads like its value (db.password.hunter2, api_key_9f8e7d6c5b).
 */
static bool
hr_code_holds_secret(const char *orig, const char *code, size_t len, size_t *keep)
{
	size_t		seg = 0,
				piece = 0;
	bool		after_key = false;

	*keep = 0;
	/* as sent (AKIA..., ghp_...) and as stored (Dapi... is dapi...) */
	if (hr_holds_secret(orig, len) || hr_holds_secret(code, len))
		return true;
	for (size_t i = 0; i <= len; i++)
	{
		if (i < len && code[i] != '.' && code[i] != '_')
			continue;
		if (i > piece)
		{
			if (after_key && hr_code_value_piece(code + piece, i - piece))
			{
				*keep = piece;
				return true;
			}
			after_key = hr_is_secret_key(code + piece, i - piece) ||
				hr_is_secret_key(code + seg, i - seg);
		}
		piece = i + 1;
		if (i < len && code[i] == '.')
			seg = i + 1;
	}
	return false;
}

/* Codes replaced by unknown_error in one summary, for one WARNING. */
typedef struct HrCodeReport
{
	int			invalid;
	int			secret;
	StringInfoData invalid_list;
	StringInfoData secret_list;
} HrCodeReport;

static void
hr_code_report_add(StringInfoData *list, const char *code, size_t len, size_t keep)
{
	char	   *shown;

	/* a code whose value piece follows its key: the key, then the marker */
	if (keep > 0)
	{
		char	   *named = psprintf("%.*s[redacted]", (int) keep, code);

		shown = hr_sanitize_message(named, strlen(named), 80);
	}
	else
		shown = hr_sanitize_message(code, len, 80);

	if (list->data == NULL)
		initStringInfo(list);
	/* the first thousand bytes of names; the count says how many */
	if (list->len < 1000)
		appendStringInfo(list, "%s\"%s\"", list->len ? ", " : "", shown);
	pfree(shown);
}

/*
 * The code lowercased (ASCII), or unknown_error when it is not a code or
 * carries a secret (noted in report for the WARNING).
 */
static char *
hr_failure_code(const char *code, size_t len, HrCodeReport *report)
{
	char	   *out = palloc(len + 1);
	size_t		keep;

	for (size_t i = 0; i < len; i++)
	{
		char		c = code[i];

		out[i] = (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
	}
	out[len] = '\0';
	if (memchr(code, '\0', len) != NULL || !hr_failure_code_valid(out, len))
	{
		report->invalid++;
		hr_code_report_add(&report->invalid_list, code, len, 0);
		return pstrdup(HR_UNKNOWN_ERROR);
	}
	if (hr_code_holds_secret(code, out, len, &keep))
	{
		report->secret++;
		hr_code_report_add(&report->secret_list, code, len, keep);
		return pstrdup(HR_UNKNOWN_ERROR);
	}
	return out;
}

/* One WARNING naming every code replaced by unknown_error, sanitized. */
static void
hr_code_report_warn(HrCodeReport *report)
{
	int			n = report->invalid + report->secret;
	StringInfoData detail;

	if (n == 0)
		return;
	initStringInfo(&detail);
	if (report->invalid)
		appendStringInfo(&detail, "Not a code: %s.", report->invalid_list.data);
	if (report->secret)
		appendStringInfo(&detail, "%sCarries a secret: %s.", detail.len ? " " : "",
						 report->secret_list.data);
	ereport(WARNING,
			(errmsg("failure_summary: %d failure code%s replaced by unknown_error", n,
					n == 1 ? "" : "s"),
			 errdetail_internal("%s", detail.data),
			 errhint("A code is a lowercase dotted name such as \"graph.throttled\" "
					 "(^[a-z][a-z0-9_]*(\\.[a-z0-9_]+)*$, at most 64 characters) "
					 "and names the kind of failure, never a value: put details in the message, "
					 "which is sanitized.")));
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
	HrCodeReport report = {0};

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

		code = hr_failure_code(json_string_value(code_j), json_string_length(code_j), &report);
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
	hr_code_report_warn(&report);
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
