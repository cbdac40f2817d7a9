/*
 * sqlutil.c: SPI helpers shared by the registry and the ledger.
 */
#include "hookreg.h"

#include "sqlutil.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"

void
hr_spi_connect(void)
{
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "hookreg: SPI_connect failed");
}

SPIPlanPtr
hr_prepare(SPIPlanPtr *slot, const char *sql, int nargs, const Oid *argtypes)
{
	SPIPlanPtr	plan;

	if (*slot != NULL)
		return *slot;

	plan = SPI_prepare(sql, nargs, (Oid *) argtypes);
	if (plan == NULL)
		elog(ERROR, "hookreg: SPI_prepare failed (%s) for: %s",
			 SPI_result_code_string(SPI_result), sql);
	if (SPI_keepplan(plan) != 0)
		elog(ERROR, "hookreg: SPI_keepplan failed");
	*slot = plan;
	return plan;
}

uint64
hr_execute(SPIPlanPtr plan, const Datum *values, const char *nulls,
		   bool read_only, long count)
{
	int			rc = SPI_execute_plan(plan, (Datum *) values, nulls, read_only, count);

	if (rc < 0)
		elog(ERROR, "hookreg: SPI_execute_plan failed: %s",
			 SPI_result_code_string(rc));
	return SPI_processed;
}

uint64
hr_execute_snapshot(SPIPlanPtr plan, const Datum *values, const char *nulls,
					Snapshot snapshot)
{
	int			rc = SPI_execute_snapshot(plan, (Datum *) values, nulls, snapshot,
										  InvalidSnapshot, false, true, 0);

	if (rc < 0)
		elog(ERROR, "hookreg: SPI_execute_snapshot failed: %s",
			 SPI_result_code_string(rc));
	return SPI_processed;
}

Datum
hr_get(uint64 row, int col, bool *isnull)
{
	return SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, col, isnull);
}

char *
hr_jsonb_to_cstring(Jsonb *jb, int *len)
{
	StringInfoData buf;

	initStringInfo(&buf);
	JsonbToCString(&buf, &jb->root, VARSIZE(jb));
	if (len)
		*len = buf.len;
	return buf.data;
}

Datum
hr_cstring_to_jsonb(const char *json)
{
	return DirectFunctionCall1(jsonb_in, CStringGetDatum(json));
}

char *
hr_jsonb_object_text(Jsonb *jb, int *len)
{
	if (jb == NULL || (JB_ROOT_IS_OBJECT(jb) && JB_ROOT_COUNT(jb) == 0))
	{
		*len = 2;
		return "{}";
	}
	return hr_jsonb_to_cstring(jb, len);
}
