/*
 * jcs_json.c: the RFC 8785 (JCS) text of a jansson value (see jcs.h), for
 * what hookreg builds itself (a release's limits after the defaults are
 * filled) and for the fuzz targets.  jansson keeps a real as a double, so
 * the exactness of the number text it was parsed from is checked before,
 * on the jsonb (jcs_jsonb.c).
 */
#include "hrjson.h"

#include <math.h>

#include "jcs.h"

/* Integers up to 2^53 are doubles as they are; beyond, the double's form. */
#define HR_JCS_SAFE_INT ((json_int_t) 9007199254740992LL)

typedef struct JcsMember
{
	const char *key;
	size_t		len;
	json_t	   *value;
} JcsMember;

static int
jcs_member_order(const void *pa, const void *pb)
{
	const JcsMember *a = pa,
			   *b = pb;

	return hr_jcs_key_cmp(a->key, a->len, b->key, b->len);
}

static void
jcs_append(StringInfo out, const json_t *value)
{
	char		num[HR_JCS_NUMBER_MAX];

	switch (json_typeof(value))
	{
		case JSON_OBJECT:
			{
				size_t		n = json_object_size(value),
							i = 0;
				JcsMember  *members = palloc(sizeof(JcsMember) * Max(n, 1));
				const char *key;
				json_t	   *member;

				json_object_foreach((json_t *) value, key, member)
				{
					members[i].key = key;
					members[i].len = strlen(key);
					members[i].value = member;
					i++;
				}
				qsort(members, n, sizeof(JcsMember), jcs_member_order);
				appendStringInfoChar(out, '{');
				for (i = 0; i < n; i++)
				{
					if (i > 0)
						appendStringInfoChar(out, ',');
					hr_jcs_append_string(out, members[i].key, members[i].len);
					appendStringInfoChar(out, ':');
					jcs_append(out, members[i].value);
				}
				appendStringInfoChar(out, '}');
				pfree(members);
				break;
			}
		case JSON_ARRAY:
			appendStringInfoChar(out, '[');
			for (size_t i = 0; i < json_array_size(value); i++)
			{
				if (i > 0)
					appendStringInfoChar(out, ',');
				jcs_append(out, json_array_get(value, i));
			}
			appendStringInfoChar(out, ']');
			break;
		case JSON_STRING:
			hr_jcs_append_string(out, json_string_value(value), json_string_length(value));
			break;
		case JSON_INTEGER:
			{
				json_int_t	i = json_integer_value(value);

				if (i >= -HR_JCS_SAFE_INT && i <= HR_JCS_SAFE_INT)
					appendStringInfo(out, "%lld", (long long) i);
				else
				{
					hr_jcs_double((double) i, num);
					appendStringInfoString(out, num);
				}
				break;
			}
		case JSON_REAL:
			if (!isfinite(json_real_value(value)))
				elog(ERROR, "hookreg: a JSON number is not finite");
			hr_jcs_double(json_real_value(value), num);
			appendStringInfoString(out, num);
			break;
		case JSON_TRUE:
			appendBinaryStringInfo(out, "true", 4);
			break;
		case JSON_FALSE:
			appendBinaryStringInfo(out, "false", 5);
			break;
		case JSON_NULL:
			appendBinaryStringInfo(out, "null", 4);
			break;
	}
}

char *
hr_json_jcs(const json_t *value, size_t *len)
{
	StringInfoData buf;

	initStringInfo(&buf);
	jcs_append(&buf, value);
	if (len)
		*len = buf.len;
	return buf.data;
}
