/*
 * sanitize_sql.c: the SQL-facing sanitizing functions (doc/reference.md), thin
 * wrappers around sanitize.h.
 */
#include "hookreg.h"

#include "utils/builtins.h"
#include "utils/jsonb.h"

#include "sanitize.h"
#include "sqlutil.h"

PG_FUNCTION_INFO_V1(opsrun_sanitize_message_v2);
PG_FUNCTION_INFO_V1(opsrun_sanitize_failures_v2);
PG_FUNCTION_INFO_V1(opsrun_sanitize_context_v2);

/* opsrun_sanitize_message(message text) RETURNS text, IMMUTABLE STRICT */
Datum
opsrun_sanitize_message_v2(PG_FUNCTION_ARGS)
{
	text	   *message = PG_GETARG_TEXT_PP(0);

	PG_RETURN_TEXT_P(cstring_to_text(hr_sanitize_message(VARDATA_ANY(message),
														 VARSIZE_ANY_EXHDR(message),
														 0)));
}

/* opsrun_sanitize_failures(failures jsonb) RETURNS jsonb, IMMUTABLE STRICT */
Datum
opsrun_sanitize_failures_v2(PG_FUNCTION_ARGS)
{
	int			len;
	char	   *json = hr_jsonb_to_cstring(PG_GETARG_JSONB_P(0), &len);

	PG_RETURN_DATUM(hr_cstring_to_jsonb(hr_sanitize_failures_json(json, (size_t) len)));
}

/* opsrun_sanitize_context(context jsonb) RETURNS jsonb, IMMUTABLE STRICT */
Datum
opsrun_sanitize_context_v2(PG_FUNCTION_ARGS)
{
	int			len;
	char	   *json = hr_jsonb_to_cstring(PG_GETARG_JSONB_P(0), &len);

	PG_RETURN_DATUM(hr_cstring_to_jsonb(hr_sanitize_context_json(json, (size_t) len)));
}
