/*
 * housekeeping_drop.c: DROP EXTENSION hookreg takes its pg_cron job along.
 *
 * hookreg_schedule_housekeeping() registers a pg_cron job.  The job lives in
 * pg_cron's table, not ours, so dropping the extension would leave behind a
 * job that fails every few minutes.  An event trigger at ddl_command_start of
 * DROP EXTENSION, which runs while the extension still exists and inside the
 * dropping transaction, unschedules it: if the drop fails or is rolled back,
 * the job is back as well.
 *
 * The trigger fires for anyone's DROP EXTENSION, before PostgreSQL checks
 * that the caller may drop hookreg, and it unschedules as the extension
 * owner.  So it first makes PostgreSQL's own check (owner of the extension,
 * or superuser): for anyone else it does nothing at all, and the DROP then
 * fails with PostgreSQL's error.  pg_cron is recognised only as the
 * installed extension, and its unschedule function is called by oid
 * (cron.c), so no object that another role made can run as the owner.
 */
#include "hookreg.h"

#include "catalog/pg_extension.h"
#include "commands/event_trigger.h"
#include "commands/extension.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "nodes/parsenodes.h"
#include "utils/acl.h"
#include "utils/builtins.h"

#include "cron.h"
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
	HrElevation elev = {0};
	HrCron		cron;
	Oid			extension;
	int64	   *jobs;
	int			njobs;

	if (!CALLED_AS_EVENT_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("hookreg_drop_housekeeping() must be called as an event trigger")));
	if (!hr_drops_hookreg(((EventTriggerData *) fcinfo->context)->parsetree))
		PG_RETURN_VOID();

	/*
	 * PostgreSQL's own check, made before we act as anyone: a caller who may
	 * not drop the extension gets nothing from us (the DROP itself then
	 * refuses).  DROP EXTENSION IF EXISTS of a missing hookreg: nothing.
	 */
	extension = get_extension_oid("hookreg", true);
	if (!OidIsValid(extension) || !hr_extension_ownercheck(extension, GetUserId()))
		PG_RETURN_VOID();

	/* pg_cron as the installed extension, or nothing to unschedule. */
	if (!hr_cron_lookup(&cron) || !OidIsValid(cron.unschedule))
		PG_RETURN_VOID();

	/* The job was scheduled as the extension owner: unschedule it as such. */
	hr_owner_begin(fcinfo, NULL, NULL, &elev);
	/* hookreg-reconcile and the retention job beside it, hookreg-prune */
	for (int n = 0; n < 2; n++)
	{
		jobs = hr_cron_job_ids(&cron, n == 0 ? HR_CRON_JOB_NAME : HR_CRON_PRUNE_JOB_NAME, &njobs);
		for (int i = 0; i < njobs; i++)
			(void) OidFunctionCall1(cron.unschedule, Int64GetDatum(jobs[i]));
	}
	hr_owner_end(&elev);
	PG_RETURN_VOID();
}
