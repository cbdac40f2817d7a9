/*
 * row_checks.c: CHECK constraints of hookreg's tables written in C.
 *
 * PostgreSQL evaluates a table's CHECK constraints on every row written, and
 * rebuilds each one from its stored text once per statement; a regular
 * expression is also run afresh for every row.  A check that is a hot path's
 * largest single cost (operation_runs_identity_hash_check: a regex of 64
 * repeated classes, about a tenth of an opsrun_start) is a C function here
 * instead, with the same meaning.  The constraint stays in the catalog, so
 * it holds for every writer, every role and every restore (doc/design.md,
 * "Constraints written in C").
 */
#include "postgres.h"

#include "fmgr.h"

#include "names.h"

PG_FUNCTION_INFO_V1(opsrun_is_identity_hash_v2);

/*
 * hookreg.opsrun_is_identity_hash(text) RETURNS boolean, IMMUTABLE STRICT:
 * true for 64 lowercase hexadecimal digits, exactly what
 * run_identity_hash ~ '^[0-9a-f]{64}$' accepts.
 */
Datum
opsrun_is_identity_hash_v2(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);

	PG_RETURN_BOOL(hr_is_identity_hash(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t)));
}
