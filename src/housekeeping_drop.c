/*
 * housekeeping_drop.c: DROP EXTENSION hookreg takes its pg_cron job along.
 *
 * hookreg_schedule_housekeeping() registers a pg_cron job that calls
 * opsrun_reconcile(). The job lives in pg_cron's table, not ours, so dropping
 * the extension would leave behind a job that fails every few minutes. An
 * event trigger at ddl_command_start of DROP EXTENSION, which runs while the
 * extension still exists and inside the dropping transaction, unschedules it:
 * if the drop fails or is rolled back, the job is back as well.
 */
#include "hookreg.h"

#include "commands/event_trigger.h"
#include "executor/spi.h"
#include "nodes/parsenodes.h"
#include "utils/builtins.h"

#include "sqlutil.h"

/* Is the statement a DROP EXTENSION that names hookreg? */
static bool
hr_drops_hookreg(Node *parsetree)
{
	DropStmt   *stmt;
	ListCell   *lc;

	if (parsetree == NULL || !IsA(parsetree, DropStmt))
		return false;
	stmt = (DropStmt *) parsetree;
	if (stmt->removeType != OBJECT_EXTENSION)
		return false;
	foreach(lc, stmt->objects)
	{
		if (strcmp(strVal(lfirst(lc)), "hookreg") == 0)
			return true;
	}
	return false;
}

PG_FUNCTION_INFO_V1(hookreg_drop_housekeeping_v2);

/* Event trigger on ddl_command_start WHEN TAG IN ('DROP EXTENSION'). */
Datum
hookreg_drop_housekeeping_v2(PG_FUNCTION_ARGS)
{
	static SPIPlanPtr has_cron,
				unschedule;
	static const Oid types[] = {TEXTOID};
	HrElevation elev = {0};
	Datum		job_name;
	bool		isnull;

	if (!CALLED_AS_EVENT_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("hookreg_drop_housekeeping() must be called as an event trigger")));
	if (!hr_drops_hookreg(((EventTriggerData *) fcinfo->context)->parsetree))
		PG_RETURN_VOID();

	/* The job was scheduled as the extension owner: unschedule it as such. */
	hr_become_owner(fcinfo, &elev);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "hookreg: SPI_connect failed");
	hr_execute(hr_prepare(&has_cron,
						  "SELECT pg_catalog.to_regclass('cron.job') IS NOT NULL", 0, NULL),
			   NULL, NULL, true, 1);
	if (DatumGetBool(hr_get(0, 1, &isnull)))
	{
		/* hookreg-reconcile and the retention job beside it */
		for (int i = 0; i < 2; i++)
		{
			job_name = CStringGetTextDatum(i == 0 ? HR_CRON_JOB_NAME : HR_CRON_PRUNE_JOB_NAME);
			hr_execute(hr_prepare(&unschedule,
								  "SELECT cron.unschedule(j.jobid) FROM cron.job j"
								  " WHERE j.jobname OPERATOR(pg_catalog.=) $1"
								  "   AND j.database OPERATOR(pg_catalog.=) pg_catalog.current_database()",
								  1, types),
					   &job_name, NULL, false, 0);
		}
	}
	SPI_finish();
	hr_restore_user(&elev);
	PG_RETURN_VOID();
}
