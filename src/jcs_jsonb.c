/*
 * jcs_jsonb.c: the RFC 8785 (JCS) text of a jsonb value, in one walk over
 * its binary form (see jcs.h): no JSON text is printed and parsed again.
 *
 * The layout read here is the one utils/jsonb.h documents: a container's
 * JEntry array (an object's keys first, in jsonb's own order, then its
 * values), each entry's offset or length, numerics and nested containers
 * aligned to 4 bytes.
 */
#include "postgres.h"

#include "hrjson_init.h"
#include "jcs.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

typedef struct JcsStep
{
	const char *key;			/* NULL: an array element */
	uint32		keylen;
	uint32		index;
} JcsStep;

typedef struct JcsWalk
{
	StringInfo	out;
	int			start;
	size_t		max_bytes;
	int			max_depth;
	int			depth;
	bool		check_utf8;		/* the database encoding is not UTF-8 */
	const char *what;
	const char *base_path;
	bool	   *inexact;		/* NULL: raise for an inexact number */
	JcsStep    *steps;			/* steps[d]: how level d + 1 was entered */
} JcsWalk;

/* The JSON path of the value being written (for messages only). */
static char *
jcs_path(const JcsWalk *w)
{
	char	   *path = pstrdup(w->base_path);

	for (int d = 0; d < w->depth; d++)
		path = w->steps[d].key
			? hr_json_path_key(path, pnstrdup(w->steps[d].key, w->steps[d].keylen))
			: hr_json_path_index(path, w->steps[d].index);
	return path;
}

static void
jcs_check_size(const JcsWalk *w)
{
	if ((size_t) (w->out->len - w->start) > w->max_bytes)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s is too large", w->what),
				 errdetail("Its canonical JSON text is over %zu bytes, the limit.", w->max_bytes)));
}

static void
jcs_string(JcsWalk *w, const char *s, uint32 len)
{
	if (w->check_utf8 && !pg_verify_mbstr(PG_UTF8, s, len, true))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a string at %s of %s is not valid UTF-8", jcs_path(w), w->what),
				 errdetail("Canonical JSON is UTF-8 text.")));
	hr_jcs_append_string(w->out, s, len);
}

static void
jcs_numeric(JcsWalk *w, Numeric num)
{
	char	   *text = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(num)));
	size_t		len = strlen(text);
	char		buf[HR_JCS_NUMBER_MAX];

	if (!hr_jcs_decimal(text, len, buf))
	{
		if (w->inexact == NULL)
			hr_jcs_number_error(strcmp(w->base_path, "$") == 0 ? w->what : NULL,
								jcs_path(w), text, len);
		*w->inexact = true;
		if (buf[0] == '\0')
			strcpy(buf, "0");	/* beyond a double: the text is not used */
	}
	appendStringInfoString(w->out, buf);
	pfree(text);
}

static void jcs_container(JcsWalk *w, const JsonbContainer *jc, bool root);

static void
jcs_entry(JcsWalk *w, JEntry je, const char *base, uint32 off, uint32 end)
{
	if (JBE_ISSTRING(je))
		jcs_string(w, base + off, end - off);
	else if (JBE_ISNUMERIC(je))
		jcs_numeric(w, (Numeric) (base + INTALIGN(off)));
	else if (JBE_ISBOOL_TRUE(je))
		appendBinaryStringInfo(w->out, "true", 4);
	else if (JBE_ISBOOL_FALSE(je))
		appendBinaryStringInfo(w->out, "false", 5);
	else if (JBE_ISNULL(je))
		appendBinaryStringInfo(w->out, "null", 4);
	else
		jcs_container(w, (const JsonbContainer *) (base + INTALIGN(off)), false);
}

/* Member order, for the sort: indexes into the object's keys. */
typedef struct JcsKeys
{
	const char *base;
	const uint32 *off;			/* off[i] .. off[i + 1]: key i */
} JcsKeys;

static int
jcs_key_order(const void *pa, const void *pb, void *arg)
{
	const JcsKeys *keys = arg;
	uint32		a = *(const uint32 *) pa,
				b = *(const uint32 *) pb;

	return hr_jcs_key_cmp(keys->base + keys->off[a], keys->off[a + 1] - keys->off[a],
						  keys->base + keys->off[b], keys->off[b + 1] - keys->off[b]);
}

static void
jcs_container(JcsWalk *w, const JsonbContainer *jc, bool root)
{
	uint32		count = jc->header & JB_CMASK;
	bool		object = (jc->header & JB_FOBJECT) != 0;
	bool		scalar = root && (jc->header & JB_FSCALAR) != 0;
	uint32		nentries = object ? count * 2 : count;
	const char *base = (const char *) &jc->children[nentries];
	uint32		off_small[33];
	uint32	   *off = nentries < lengthof(off_small) ? off_small
		: palloc(sizeof(uint32) * (nentries + 1));

	if (!scalar && w->depth >= w->max_depth)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s is nested too deeply", w->what),
				 errdetail("Arrays and objects may nest at most %d levels deep.", w->max_depth)));
	check_stack_depth();

	off[0] = 0;
	for (uint32 i = 0; i < nentries; i++)
	{
		off[i + 1] = off[i];
		JBE_ADVANCE_OFFSET(off[i + 1], jc->children[i]);
	}

	if (scalar)
		jcs_entry(w, jc->children[0], base, off[0], off[1]);
	else if (!object)
	{
		appendStringInfoChar(w->out, '[');
		w->steps[w->depth].key = NULL;
		w->depth++;
		for (uint32 i = 0; i < count; i++)
		{
			if (i > 0)
				appendStringInfoChar(w->out, ',');
			w->steps[w->depth - 1].index = i;
			jcs_entry(w, jc->children[i], base, off[i], off[i + 1]);
			jcs_check_size(w);
		}
		w->depth--;
		appendStringInfoChar(w->out, ']');
	}
	else
	{
		uint32		order_small[16];
		uint32	   *order = count <= lengthof(order_small) ? order_small
			: palloc(sizeof(uint32) * count);
		JcsKeys		keys = {base, off};

		for (uint32 i = 0; i < count; i++)
			order[i] = i;
		/* jsonb keeps keys by length, then bytes: JCS wants UTF-16 order */
		if (count > 1)
			qsort_arg(order, count, sizeof(uint32), jcs_key_order, &keys);

		appendStringInfoChar(w->out, '{');
		w->depth++;
		for (uint32 j = 0; j < count; j++)
		{
			uint32		i = order[j];
			uint32		v = count + i;

			if (j > 0)
				appendStringInfoChar(w->out, ',');
			w->steps[w->depth - 1].key = base + off[i];
			w->steps[w->depth - 1].keylen = off[i + 1] - off[i];
			jcs_string(w, base + off[i], off[i + 1] - off[i]);
			appendStringInfoChar(w->out, ':');
			jcs_entry(w, jc->children[v], base, off[v], off[v + 1]);
			jcs_check_size(w);
		}
		w->depth--;
		appendStringInfoChar(w->out, '}');
		if (order != order_small)
			pfree(order);
	}
	if (off != off_small)
		pfree(off);
}

void
hr_jcs_append_jsonb(StringInfo out, const Jsonb *jb, const char *what,
					const char *base_path, size_t max_bytes, int max_depth, bool *inexact)
{
	JcsWalk		w;
	JcsStep		steps_small[33];

	if (jb == NULL || (JB_ROOT_IS_OBJECT(jb) && JB_ROOT_COUNT(jb) == 0))
	{
		appendBinaryStringInfo(out, "{}", 2);
		return;
	}
	w.out = out;
	w.start = out->len;
	w.max_bytes = max_bytes;
	w.max_depth = max_depth;
	w.depth = 0;
	w.check_utf8 = (GetDatabaseEncoding() != PG_UTF8);
	w.what = what;
	w.base_path = base_path;
	w.inexact = inexact;
	w.steps = max_depth < (int) lengthof(steps_small) ? steps_small
		: palloc(sizeof(JcsStep) * (max_depth + 1));
	jcs_container(&w, &jb->root, true);
	jcs_check_size(&w);
	if (w.steps != steps_small)
		pfree(w.steps);
}
