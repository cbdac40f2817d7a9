/*
 * row_checks.c: the CHECK constraints of hookreg.operation_runs, written in C.
 *
 * PostgreSQL evaluates a table's CHECK constraints on every row written, and
 * rebuilds each one from its stored node text once per statement: for a
 * statement run once per call (every SPI plan of the ledger), that rebuild is
 * the cost, and it grows with the length of the stored text.  An array
 * constant such as status = ANY (ARRAY['queued', 'running', 'completed'])
 * is stored byte by byte, and a regular expression is compiled and run
 * afresh; together the table's eight checks were over a quarter of an
 * opsrun_start (bench/README.md, the profile).  Each check here calls one C
 * function of one rule, on the columns it names and no constant, so its
 * stored text is a function call and a few column references.
 *
 * Nothing moved out of the catalog: every constraint keeps its name and
 * stays a CHECK of the table, so it holds for every writer, every role and
 * every restore (doc/design.md, "Constraints written in C").  Each function
 * accepts exactly what the SQL expression it replaced accepted, NULL
 * included (a CHECK passes on NULL), which test/tap/53_ops_row_checks.sql
 * proves against the expressions themselves.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/jsonb.h"

#include "names.h"

PG_FUNCTION_INFO_V1(opsrun_is_identity_hash_v2);
PG_FUNCTION_INFO_V1(opsrun_is_status_v2);
PG_FUNCTION_INFO_V1(opsrun_is_outcome_v2);
PG_FUNCTION_INFO_V1(opsrun_outcome_fits_status_v2);
PG_FUNCTION_INFO_V1(opsrun_completed_at_fits_status_v2);
PG_FUNCTION_INFO_V1(opsrun_is_json_object_v2);
PG_FUNCTION_INFO_V1(opsrun_is_json_array_v2);

/* the text argument n as bytes (no copy unless it is toasted) */
#define HR_TEXT_BYTES(n, s, len) \
	do { text *t_ = PG_GETARG_TEXT_PP(n); (s) = VARDATA_ANY(t_); (len) = VARSIZE_ANY_EXHDR(t_); } while (0)

static bool
hr_text_is(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && memcmp(s, word, len) == 0;
}

/*
 * hookreg.opsrun_is_identity_hash(text) RETURNS boolean, IMMUTABLE STRICT:
 * true for 64 lowercase hexadecimal digits, exactly what
 * run_identity_hash ~ '^[0-9a-f]{64}$' accepts.
 */
Datum
opsrun_is_identity_hash_v2(PG_FUNCTION_ARGS)
{
	const char *s;
	size_t		len;

	HR_TEXT_BYTES(0, s, len);
	PG_RETURN_BOOL(hr_is_identity_hash(s, len));
}

/* The text argument 0 is one of the count words of list. */
static Datum
hr_arg_in_list(FunctionCallInfo fcinfo, const char *const *list, int count)
{
	const char *s;
	size_t		len;

	HR_TEXT_BYTES(0, s, len);
	PG_RETURN_BOOL(hr_word_in(s, len, list, count));
}

/*
 * hookreg.opsrun_is_status(text), IMMUTABLE STRICT: status = ANY
 * (ARRAY['queued', 'running', 'completed']).
 */
Datum
opsrun_is_status_v2(PG_FUNCTION_ARGS)
{
	return hr_arg_in_list(fcinfo, hr_run_statuses, hr_run_statuses_count);
}

/*
 * hookreg.opsrun_is_outcome(text), IMMUTABLE STRICT: outcome = ANY
 * (ARRAY['pending', 'succeeded', 'partially_succeeded', 'failed',
 * 'cancelled', 'blocked']).
 */
Datum
opsrun_is_outcome_v2(PG_FUNCTION_ARGS)
{
	return hr_arg_in_list(fcinfo, hr_run_outcomes, hr_run_outcomes_count);
}

/*
 * hookreg.opsrun_outcome_fits_status(outcome text, status text), IMMUTABLE
 * STRICT: (outcome = 'pending') = (status <> 'completed'), a run is pending
 * exactly while it is not completed.
 */
Datum
opsrun_outcome_fits_status_v2(PG_FUNCTION_ARGS)
{
	const char *o,
			   *s;
	size_t		olen,
				slen;

	HR_TEXT_BYTES(0, o, olen);
	HR_TEXT_BYTES(1, s, slen);
	PG_RETURN_BOOL(hr_text_is(o, olen, "pending") == !hr_text_is(s, slen, "completed"));
}

/*
 * hookreg.opsrun_completed_at_fits_status(completed_at timestamptz, status
 * text), IMMUTABLE, not STRICT (completed_at is NULL until the run
 * completes): (completed_at IS NOT NULL) = (status = 'completed'), NULL when
 * status is NULL as the expression is.
 */
Datum
opsrun_completed_at_fits_status_v2(PG_FUNCTION_ARGS)
{
	const char *s;
	size_t		len;

	if (PG_ARGISNULL(1))
		PG_RETURN_NULL();
	HR_TEXT_BYTES(1, s, len);
	PG_RETURN_BOOL(!PG_ARGISNULL(0) == hr_text_is(s, len, "completed"));
}

/*
 * hookreg.opsrun_is_json_object(jsonb) and opsrun_is_json_array(jsonb),
 * IMMUTABLE STRICT: jsonb_typeof(v) = 'object' and = 'array'.  A scalar is
 * stored as a one-element array marked scalar, which jsonb_typeof reports by
 * its own type, so it is no array here either.
 */
Datum
opsrun_is_json_object_v2(PG_FUNCTION_ARGS)
{
	Jsonb	   *jb = PG_GETARG_JSONB_P(0);

	PG_RETURN_BOOL(JB_ROOT_IS_OBJECT(jb));
}

Datum
opsrun_is_json_array_v2(PG_FUNCTION_ARGS)
{
	Jsonb	   *jb = PG_GETARG_JSONB_P(0);

	PG_RETURN_BOOL(JB_ROOT_IS_ARRAY(jb) && !JB_ROOT_IS_SCALAR(jb));
}
