/*
 * fmgrutil.c: arguments, NULL checks and set-returning results for every
 * SQL-callable function of hookreg (see fmgrutil.h).
 */
#include "postgres.h"

#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "fmgrutil.h"
#include "sqlutil.h"

void
hr_require_arg(FunctionCallInfo fcinfo, int argno, const char *name, const char *hint)
{
	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be null", name),
				 hint ? errhint("%s", hint) : 0));
}

char *
hr_text_arg(FunctionCallInfo fcinfo, int argno, const char *name)
{
	hr_require_arg(fcinfo, argno, name, NULL);
	return text_to_cstring(PG_GETARG_TEXT_PP(argno));
}

char *
hr_opt_text_arg(FunctionCallInfo fcinfo, int argno)
{
	return PG_ARGISNULL(argno) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(argno));
}

Jsonb *
hr_opt_jsonb_arg(FunctionCallInfo fcinfo, int argno)
{
	return PG_ARGISNULL(argno) ? NULL : PG_GETARG_JSONB_P(argno);
}

char *
hr_jsonb_arg_text(FunctionCallInfo fcinfo, int argno, const char *absent)
{
	if (PG_ARGISNULL(argno))
		return absent ? pstrdup(absent) : NULL;
	return hr_jsonb_to_cstring(PG_GETARG_JSONB_P(argno), NULL);
}

void
hr_srf_begin(FunctionCallInfo fcinfo)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;

	/*
	 * The descriptor the call site expects is at hand in a FROM clause and
	 * saves building one from the function's result type; InitMaterializedSRF
	 * checks rsinfo itself.
	 */
	InitMaterializedSRF(fcinfo,
						rsinfo && IsA(rsinfo, ReturnSetInfo) && rsinfo->expectedDesc
						? MAT_SRF_USE_EXPECTED_DESC : 0);
}

void
hr_srf_put(FunctionCallInfo fcinfo, const Datum *values, const bool *nulls)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;

	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, (Datum *) values, (bool *) nulls);
}

void
hr_srf_put_spi_rows(FunctionCallInfo fcinfo, int first_col, uint64 nrows)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	int			natts;
	Datum	   *values;
	bool	   *nulls;

	hr_srf_begin(fcinfo);
	natts = rsinfo->setDesc->natts;
	values = palloc(natts * sizeof(Datum));
	nulls = palloc(natts * sizeof(bool));
	for (uint64 row = 0; row < nrows; row++)
	{
		for (int i = 0; i < natts; i++)
			values[i] = hr_get(row, first_col + i, &nulls[i]);
		hr_srf_put(fcinfo, values, nulls);
	}
}

Interval *
hr_interval_arg(FunctionCallInfo fcinfo, int argno, const char *name,
				bool zero_ok, const char *hint)
{
	Interval   *iv = PG_GETARG_INTERVAL_P(argno);
	bool		negative = iv->month < 0 || iv->day < 0 || iv->time < 0;
	bool		zero = iv->month == 0 && iv->day == 0 && iv->time == 0;

	if (negative || (zero && !zero_ok))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 zero_ok ? errmsg("%s must not be negative", name)
				 : errmsg("%s must be a positive interval", name),
				 errdetail("The value given is %s.",
						   DatumGetCString(DirectFunctionCall1(interval_out, IntervalPGetDatum(iv)))),
				 errhint("%s", hint)));
	return iv;
}
