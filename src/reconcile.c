/*
 * reconcile.c: the ledger's housekeeping (doc/operations.md):
 * opsrun_reconcile, the stale-run reconciler, and
 * hookreg_schedule_housekeeping, which hands it to pg_cron.
 *
 * One pass at a time: a pass holds a transaction-level advisory lock, and a
 * pass that finds it taken does nothing.  Within a pass, stale runs are
 * locked FOR UPDATE SKIP LOCKED and re-checked on their newest version, so a
 * run that a worker is completing (or has just completed, or heartbeated) is
 * left alone instead of being failed twice or waited for.
 */
#include "hookreg.h"

#include "access/xact.h"
#include "access/xlog.h"
#include "commands/dbcommands.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "storage/lock.h"
#include "storage/proc.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/resowner.h"
#include "utils/timestamp.h"

#include "cron.h"
#include "cron_schedule.h"
#include "events.h"
#include "fmgrutil.h"
#include "ledger.h"
#include "sanitize.h"
#include "sqlutil.h"


/* Active runs of one workspace, as examined at the start of the pass. */
typedef struct HrWorkspaceScan
{
	int64		workspace_id;
	int			total;			/* active runs examined */
	int			stale;			/* of which stale when examined */
	int64		run_id;			/* the pass's own run in the workspace */
	bool		cooled;			/* a pass completed within the reconcile type's
								 * cooldown: the workspace is left alone */
	int			stale_queued;	/* failed by the pass */
	int			stale_running;
} HrWorkspaceScan;

/* A failure summary of one entry, sanitized like every stored summary. */
/* The longest a pass waits for a lock another session holds (ms). */
#define HR_RECONCILE_LOCK_TIMEOUT_MS 1000

static Datum
hr_failure_datum(const char *code, const char *message)
{
	char	   *entry = hr_failure_entry_json(code, message);

	return hr_cstring_to_jsonb(hr_sanitize_failures_json(entry, strlen(entry)));
}

/*
 * Every workspace with active runs: how many, and how many are stale at $1.
 * The active runs are read through the two partial unique indexes (one per
 * scope, hence the UNION ALL), so a pass never reads the completed history.
 * Stale: queued since before $1 - queued_timeout, or running and not heard
 * from since $1 - running_timeout; $2 and $3 are the timeouts of a type that
 * is not registered (ledger.h).  The two branches repeat each other on
 * purpose: only a branch's own scope test (tenant_id IS [NOT] NULL) lets it
 * use its partial index, and a statement stays whole here, readable and
 * pasteable into psql, rather than spliced from a shared fragment.
 */
static const char *const hr_sql_examine =
"SELECT a.workspace_id, pg_catalog.count(*)::int4,"
"       pg_catalog.count(*) FILTER (WHERE a.stale)::int4"
"  FROM (SELECT q.workspace_id,"
"               (q.status OPERATOR(pg_catalog.=) 'queued' AND q.created_at OPERATOR(pg_catalog.<)"
"                  ($1 OPERATOR(pg_catalog.-) COALESCE(ot.queued_timeout, $2)))"
"            OR (q.status OPERATOR(pg_catalog.=) 'running' AND q.updated_at OPERATOR(pg_catalog.<)"
"                  ($1 OPERATOR(pg_catalog.-) COALESCE(ot.running_timeout, $3))) AS stale"
"          FROM hookreg.operation_runs q"
"          LEFT JOIN hookreg.operation_types ot ON ot.type OPERATOR(pg_catalog.=) q.type"
"         WHERE q.tenant_id IS NOT NULL"
"           AND q.status OPERATOR(pg_catalog.=) ANY (ARRAY['queued', 'running'])"
"        UNION ALL"
"        SELECT q.workspace_id,"
"               (q.status OPERATOR(pg_catalog.=) 'queued' AND q.created_at OPERATOR(pg_catalog.<)"
"                  ($1 OPERATOR(pg_catalog.-) COALESCE(ot.queued_timeout, $2)))"
"            OR (q.status OPERATOR(pg_catalog.=) 'running' AND q.updated_at OPERATOR(pg_catalog.<)"
"                  ($1 OPERATOR(pg_catalog.-) COALESCE(ot.running_timeout, $3))) AS stale"
"          FROM hookreg.operation_runs q"
"          LEFT JOIN hookreg.operation_types ot ON ot.type OPERATOR(pg_catalog.=) q.type"
"         WHERE q.tenant_id IS NULL"
"           AND q.status OPERATOR(pg_catalog.=) ANY (ARRAY['queued', 'running'])) a"
" GROUP BY a.workspace_id ORDER BY a.workspace_id";

/*
 * Fail every run of the pass's workspaces ($5, an int8[]) that is stale at
 * $1 ($6, $7: the timeouts of an unregistered type), except the pass's own
 * runs ($2, an int8[]), with the failure summary $3 (queued) or $4
 * (running).  The stale test is part of the
 * locking query, so it is re-checked on the newest version of each row once
 * locked; locked rows are skipped.  One branch per scope (t and w), which
 * repeat each other for the reason given at hr_sql_examine.
 */
static const char *const hr_sql_fail_stale =
"WITH t AS (SELECT q.id, q.workspace_id, q.status"
"             FROM hookreg.operation_runs q"
"             LEFT JOIN hookreg.operation_types ot ON ot.type OPERATOR(pg_catalog.=) q.type"
"            WHERE q.tenant_id IS NOT NULL"
"              AND q.status OPERATOR(pg_catalog.=) ANY (ARRAY['queued', 'running'])"
"              AND ((q.status OPERATOR(pg_catalog.=) 'queued' AND q.created_at OPERATOR(pg_catalog.<)"
"                      ($1 OPERATOR(pg_catalog.-) COALESCE(ot.queued_timeout, $6)))"
"                OR (q.status OPERATOR(pg_catalog.=) 'running' AND q.updated_at OPERATOR(pg_catalog.<)"
"                      ($1 OPERATOR(pg_catalog.-) COALESCE(ot.running_timeout, $7))))"
"              AND q.id OPERATOR(pg_catalog.<>) ALL ($2)"
"              AND q.workspace_id OPERATOR(pg_catalog.=) ANY ($5)"
"              FOR UPDATE OF q SKIP LOCKED),"
"     w AS (SELECT q.id, q.workspace_id, q.status"
"             FROM hookreg.operation_runs q"
"             LEFT JOIN hookreg.operation_types ot ON ot.type OPERATOR(pg_catalog.=) q.type"
"            WHERE q.tenant_id IS NULL"
"              AND q.status OPERATOR(pg_catalog.=) ANY (ARRAY['queued', 'running'])"
"              AND ((q.status OPERATOR(pg_catalog.=) 'queued' AND q.created_at OPERATOR(pg_catalog.<)"
"                      ($1 OPERATOR(pg_catalog.-) COALESCE(ot.queued_timeout, $6)))"
"                OR (q.status OPERATOR(pg_catalog.=) 'running' AND q.updated_at OPERATOR(pg_catalog.<)"
"                      ($1 OPERATOR(pg_catalog.-) COALESCE(ot.running_timeout, $7))))"
"              AND q.id OPERATOR(pg_catalog.<>) ALL ($2)"
"              AND q.workspace_id OPERATOR(pg_catalog.=) ANY ($5)"
"              FOR UPDATE OF q SKIP LOCKED),"
"     s AS (SELECT * FROM t UNION ALL SELECT * FROM w)"
"UPDATE hookreg.operation_runs r"
"   SET status = 'completed', outcome = 'failed',"
"       failure_summary = CASE s.status WHEN 'queued' THEN $3 ELSE $4 END,"
"       completed_at = pg_catalog.now(), updated_at = pg_catalog.now()"
"  FROM s WHERE r.id OPERATOR(pg_catalog.=) s.id"
" RETURNING s.workspace_id, s.status, r.id, r.tenant_id, r.type";

/* An interval constant of ledger.h as a Datum. */
static Datum
hr_interval_datum(const char *text)
{
	return DirectFunctionCall3(interval_in, CStringGetDatum(text),
							   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
}

/* Every workspace with active runs: how many, and how many stale at now. */
static HrWorkspaceScan *
hr_examine(TimestampTz now, int *nworkspaces)
{
	static SPIPlanPtr plan;
	static const Oid types[] = {TIMESTAMPTZOID, INTERVALOID, INTERVALOID};
	Datum		values[3] = {TimestampTzGetDatum(now),
		hr_interval_datum(HR_DEFAULT_QUEUED_TIMEOUT),
	hr_interval_datum(HR_DEFAULT_RUNNING_TIMEOUT)};
	HrWorkspaceScan *scans;
	uint64		rows;

	rows = hr_execute(hr_prepare(&plan, hr_sql_examine, 3, types), values, NULL, false, 0);
	scans = palloc0(sizeof(HrWorkspaceScan) * (rows + 1));
	for (uint64 i = 0; i < rows; i++)
	{
		bool		isnull;

		scans[i].workspace_id = DatumGetInt64(hr_get(i, 1, &isnull));
		scans[i].total = DatumGetInt32(hr_get(i, 2, &isnull));
		scans[i].stale = DatumGetInt32(hr_get(i, 3, &isnull));
	}
	*nworkspaces = (int) rows;
	return scans;
}

static HrWorkspaceScan *
hr_find_scan(HrWorkspaceScan *scans, int nscans, int64 workspace_id)
{
	for (int i = 0; i < nscans; i++)
		if (scans[i].workspace_id == workspace_id)
			return &scans[i];
	return NULL;
}

/*
 * Fail every stale run of the workspaces of this pass (workspaces, an
 * int8[]) except the pass's own runs (own_runs, an int8[]), counting them
 * per workspace into scans.  Locked rows are skipped; the
 * newest version of each row is re-checked once locked, so a run completed
 * or heartbeated meanwhile is not touched.
 */
static void
hr_fail_stale(TimestampTz now, Datum own_runs, Datum workspaces, Datum queued_failure,
			  Datum running_failure, HrWorkspaceScan *scans, int nscans)
{
	static SPIPlanPtr plan;
	static const Oid types[] = {TIMESTAMPTZOID, INT8ARRAYOID, JSONBOID, JSONBOID, INT8ARRAYOID,
	INTERVALOID, INTERVALOID};
	Datum		values[7] = {TimestampTzGetDatum(now), own_runs, queued_failure, running_failure,
		workspaces, hr_interval_datum(HR_DEFAULT_QUEUED_TIMEOUT),
	hr_interval_datum(HR_DEFAULT_RUNNING_TIMEOUT)};
	uint64		rows;

	rows = hr_execute(hr_prepare(&plan, hr_sql_fail_stale, 7, types), values, NULL, false, 0);
	for (uint64 i = 0; i < rows; i++)
	{
		bool		isnull;
		HrWorkspaceScan *scan = hr_find_scan(scans, nscans, DatumGetInt64(hr_get(i, 1, &isnull)));
		char	   *status = TextDatumGetCString(hr_get(i, 2, &isnull));

		if (hr_event_enabled(HR_EVENT_RUNS))
		{
			bool		no_tenant;
			Datum		tenant = hr_get(i, 4, &no_tenant);

			hr_notify_run(DatumGetInt64(hr_get(i, 3, &isnull)), DatumGetInt64(hr_get(i, 1, &isnull)),
						  !no_tenant, no_tenant ? 0 : DatumGetInt64(tenant),
						  TextDatumGetCString(hr_get(i, 5, &isnull)), "failed");
		}
		if (scan == NULL)
			continue;			/* became active and stale after the examination */
		if (strcmp(status, "queued") == 0)
			scan->stale_queued++;
		else
			scan->stale_running++;
	}
}

/*
 * Run work(arg) in a subtransaction: NULL when it succeeded, else its error
 * message (everything it wrote is rolled back, the error is cleared).
 */
static char *
hr_guarded(void (*work) (void *), void *arg)
{
	MemoryContext context = CurrentMemoryContext;
	ResourceOwner owner = CurrentResourceOwner;
	char	   *volatile error = NULL;

	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(context);
	PG_TRY();
	{
		work(arg);
		ReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(context);
		CurrentResourceOwner = owner;
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(context);
		edata = CopyErrorData();
		FlushErrorState();
		RollbackAndReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(context);
		CurrentResourceOwner = owner;
		error = edata->message ? edata->message : pstrdup("unknown error");
	}
	PG_END_TRY();
	return error;
}

typedef struct HrFailStaleArgs
{
	TimestampTz now;
	Datum		own_runs,
				workspaces,
				queued_failure,
				running_failure;
	HrWorkspaceScan *scans;
	int			nscans;
} HrFailStaleArgs;

static void
hr_fail_stale_work(void *arg)
{
	HrFailStaleArgs *a = arg;

	hr_fail_stale(a->now, a->own_runs, a->workspaces, a->queued_failure, a->running_failure,
				  a->scans, a->nscans);
}

/*
 * hr_fail_stale in a subtransaction: when it breaks, no stale run is touched
 * and the error message is returned (else NULL).
 */
static char *
hr_fail_stale_guarded(TimestampTz now, Datum own_runs, Datum workspaces, Datum queued_failure,
					  Datum running_failure, HrWorkspaceScan *scans, int nscans)
{
	HrFailStaleArgs args = {now, own_runs, workspaces, queued_failure, running_failure, scans, nscans};
	char	   *error = hr_guarded(hr_fail_stale_work, &args);

	if (error != NULL)
		for (int i = 0; i < nscans; i++)
			scans[i].stale_queued = scans[i].stale_running = 0;
	return error;
}

typedef struct HrOwnRunArgs
{
	HrWorkspaceScan *scan;
	const char *caller;
} HrOwnRunArgs;


static void
hr_start_own_run_work(void *arg)
{
	HrOwnRunArgs *a = arg;
	char		hash[65];
	bool		reused;
	char	   *status,
			   *outcome;

	a->scan->run_id = hr_start_run(a->scan->workspace_id, false, 0, HR_RECONCILE_TYPE, NULL,
								   a->caller, false, 0, NULL, hash, &reused, &status, &outcome);
	if (strcmp(status, "completed") == 0)
		a->scan->cooled = true;
	else
		(void) hr_claim_run(a->scan->run_id);
}

/*
 * The pass's own run in scan's workspace, started and claimed in a
 * subtransaction: NULL when done (scan->run_id set; scan->cooled when a
 * pass completed within the type's cooldown), else the error message
 * (scan->run_id 0, nothing written).
 */
static char *
hr_start_own_run_guarded(HrWorkspaceScan *scan, const char *caller)
{
	HrOwnRunArgs args = {scan, caller};
	char	   *error = hr_guarded(hr_start_own_run_work, &args);

	if (error != NULL)
		scan->run_id = 0;
	return error;
}

/*
 * Each workspace examined gets its run of the pass, through the dedupe
 * and the cooldown rule of any other start: when the reconcile type has a
 * cooldown and a pass completed within it with one of its
 * cooldown_outcomes, that run comes back completed and the workspace is
 * left to a later pass.  Fills own and examined (the pass's runs and their workspaces) and
 * returns how many.
 */
static int
hr_start_pass_runs(HrWorkspaceScan *scans, int nscans, const char *caller,
				   Datum *own, Datum *examined, int *nexamined)
{
	int			nown = 0;

	*nexamined = 0;
	for (int i = 0; i < nscans; i++)
	{
		/*
		 * Under the reconciler's own identity, which no writer can hold.  A
		 * workspace where even that cannot be done within the lock bound (its
		 * row locked by an admin's open transaction, say) is said so in a
		 * WARNING; its stale runs are still failed.
		 */
		char	   *start_error = hr_start_own_run_guarded(&scans[i], caller);

		if (start_error != NULL)
			ereport(WARNING,
					(errcode(ERRCODE_LOCK_NOT_AVAILABLE),
					 errmsg("opsrun_reconcile could not record its pass in workspace " INT64_FORMAT,
							scans[i].workspace_id),
					 errdetail("%s", start_error),
					 errhint("Another session holds a lock the pass needs (a pass waits at most %d ms for one); look for long open transactions in pg_stat_activity.",
							 HR_RECONCILE_LOCK_TIMEOUT_MS)));
		if (scans[i].cooled)
			continue;
		if (scans[i].run_id != 0)
			own[nown++] = Int64GetDatum(scans[i].run_id);
		examined[(*nexamined)++] = Int64GetDatum(scans[i].workspace_id);
	}

	return nown;
}

/*
 * Complete each workspace's run of the pass with its counts (failed with
 * reconcile.pass_failed when error is set) and return its row; a workspace
 * left to a later pass (cooled) has neither.
 */
static void
hr_finish_pass_runs(FunctionCallInfo fcinfo, HrWorkspaceScan *scans, int nscans, const char *error)
{
	for (int i = 0; i < nscans; i++)
	{
		HrWorkspaceScan *scan = &scans[i];
		int			failed = scan->stale_queued + scan->stale_running;

		/*
		 * Stale when examined but not failed here: locked or settled by
		 * someone else meanwhile (or the pass broke), so not processed.
		 */
		int			skipped = Max(0, scan->stale - failed);
		char	   *counts = psprintf("{\"total\": %d, \"processed\": %d, \"failed\": %d}",
									  scan->total, scan->total - skipped, failed);
		Datum		values[4];
		bool		nulls[4] = {false, false, false, false};

		if (scan->cooled)
			continue;
		if (scan->run_id == 0)
			;					/* no run of the pass there (WARNING above) */
		else if (error == NULL)
			hr_complete_run(scan->run_id, "succeeded", counts, "[]");
		else
			hr_complete_run(scan->run_id, "failed", counts,
							hr_failure_entry_json("reconcile.pass_failed", error));

		values[0] = Int64GetDatum(scan->workspace_id);
		values[1] = Int64GetDatum(scan->run_id);
		nulls[1] = scan->run_id == 0;
		values[2] = Int32GetDatum(scan->stale_queued);
		values[3] = Int32GetDatum(scan->stale_running);
		hr_srf_put(fcinfo, values, nulls);
	}

}

/*
 * One pass at now, its rows into the caller's materialized result: the work
 * of opsrun_reconcile() and of the pg_cron job's hookreg.reconcile_job().
 */
static void
hr_reconcile_pass(FunctionCallInfo fcinfo, TimestampTz now)
{
	HrElevation elev = {0};
	char	   *caller;
	HrWorkspaceScan *scans;
	int			nscans;
	Datum	   *own;
	Datum	   *examined;
	int			nown;
	int			nexamined;
	char	   *error;
	int			guc_level;

	if (!hr_xact_lock(HR_LOCK_RECONCILER, HR_LOCK_RECONCILER_KEY, false))
	{
		ereport(WARNING,
				(errcode(ERRCODE_LOCK_NOT_AVAILABLE),
				 errmsg("another opsrun_reconcile pass is running; this one does nothing"),
				 errdetail("Passes run one at a time; the running pass handles the stale runs."),
				 errhint("A pass waits at most %d ms for any lock, so the running one ends soon; if this repeats, look for a session that keeps a transaction with an opsrun_reconcile() call open.",
						 HR_RECONCILE_LOCK_TIMEOUT_MS)));
		return;
	}

	/*
	 * Never wait on another session's transaction without a bound: stale
	 * runs are taken SKIP LOCKED, and every other lock the pass needs (the
	 * workspace row its run references, say) is waited for at most
	 * HR_RECONCILE_LOCK_TIMEOUT_MS, or less when the caller's lock_timeout
	 * is shorter.  Restored when the pass ends (or by the abort).
	 */
	guc_level = NewGUCNestLevel();
	if (LockTimeout == 0 || LockTimeout > HR_RECONCILE_LOCK_TIMEOUT_MS)
		(void) set_config_option("lock_timeout", CppAsString2(HR_RECONCILE_LOCK_TIMEOUT_MS),
								 PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);

	caller = hr_caller_name();
	hr_owner_begin(fcinfo, HR_ROLE_ADMIN, "opsrun_reconcile", &elev);

	scans = hr_examine(now, &nscans);

	own = palloc(sizeof(Datum) * (nscans + 1));
	examined = palloc(sizeof(Datum) * (nscans + 1));
	nown = hr_start_pass_runs(scans, nscans, caller, own, examined, &nexamined);

	error = hr_fail_stale_guarded(now,
								  PointerGetDatum(construct_array(own, nown, INT8OID, sizeof(int64),
																  FLOAT8PASSBYVAL, TYPALIGN_DOUBLE)),
								  PointerGetDatum(construct_array(examined, nexamined, INT8OID, sizeof(int64),
																  FLOAT8PASSBYVAL, TYPALIGN_DOUBLE)),
								  hr_failure_datum("run.stale_queued",
												   "The run stayed queued longer than its type's queued_timeout and was failed by opsrun_reconcile."),
								  hr_failure_datum("run.stale_running",
												   "The run was not heard from within its type's running_timeout and was failed by opsrun_reconcile."),
								  scans, nscans);
	if (error != NULL)
		ereport(WARNING,
				(errmsg("opsrun_reconcile pass failed; no stale run was touched"),
				 errdetail("%s", error),
				 errhint("Each workspace's run of the pass is completed failed with code reconcile.pass_failed.")));

	hr_finish_pass_runs(fcinfo, scans, nscans, error);

	hr_owner_end(&elev);
	AtEOXact_GUC(true, guc_level);
}

/*
 * What both entry points of a pass do: the owner's role, a materialized
 * result, and on a hot standby, which cannot write, nothing (no error); else
 * one pass at NOW.
 */
static Datum
hr_reconcile_entry(FunctionCallInfo fcinfo, const char *name, TimestampTz now)
{
	hr_require_role(HR_ROLE_ADMIN, name);
	hr_srf_begin(fcinfo);
	if (!RecoveryInProgress())
		hr_reconcile_pass(fcinfo, now);
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(opsrun_reconcile_v2);

/*
 * opsrun_reconcile(now timestamptz DEFAULT now()) RETURNS TABLE(workspace_id
 * bigint, reconcile_run_id bigint, stale_queued int, stale_running int)
 */
Datum
opsrun_reconcile_v2(PG_FUNCTION_ARGS)
{
	return hr_reconcile_entry(fcinfo, "opsrun_reconcile",
							  PG_ARGISNULL(0) ? GetCurrentTransactionStartTimestamp()
							  : PG_GETARG_TIMESTAMPTZ(0));
}

PG_FUNCTION_INFO_V1(hookreg_reconcile_job_v2);

/*
 * hookreg.reconcile_job() RETURNS TABLE(workspace_id bigint, reconcile_run_id
 * bigint, stale_queued int, stale_running int): the pg_cron job's entry
 * point, a pass at the transaction's time.  It lives in schema hookreg, where
 * only the extension owner can create, and takes no argument, so the job's
 * command "SELECT * FROM hookreg.reconcile_job()" can resolve to nothing
 * else: not to a look-alike in a renamed or re-created extension schema, nor
 * to an overload that makes a call by name ambiguous.  Only the owner (and
 * superusers) may execute it.
 */
Datum
hookreg_reconcile_job_v2(PG_FUNCTION_ARGS)
{
	return hr_reconcile_entry(fcinfo, "hookreg.reconcile_job",
							  GetCurrentTransactionStartTimestamp());
}

/* Rows a scheduled prune deletes at most per run. */
#define HR_PRUNE_JOB_BATCH 10000

/* A retention argument of the schedule: positive. */
static Interval *
hr_positive_interval_arg(FunctionCallInfo fcinfo, int argno, const char *name)
{
	return hr_interval_arg(fcinfo, argno, name, false,
						   "Pass how long completed runs are kept, e.g. '90 days', or retain => NULL for no pruning job.");
}

/* pg_cron, installed in this database */
PG_FUNCTION_INFO_V1(hookreg_schedule_housekeeping_v2);

/*
 * hookreg_schedule_housekeeping(schedule text DEFAULT '*' '/5 * * * *',
 * retain interval DEFAULT '90 days', retain_failed interval DEFAULT
 * '180 days') RETURNS bigint: the pg_cron job hookreg-reconcile, created or
 * updated, and beside it on the same schedule hookreg-prune, running one
 * batch of retention (retain NULL: no prune job, an existing one is
 * unscheduled); returns the reconcile job's id.  The jobs are scheduled as
 * the extension owner, so there is one of each whoever calls this, and they
 * run with the owner's rights: so what they run is code only the owner
 * controls, entry points in schema hookreg called by their exact signature
 * (HR_CRON_JOB_COMMAND, hookreg.prune_job(interval, interval, int) with
 * typed literals).  pg_cron's schedule and unschedule are the members of the
 * installed extension pg_cron, called by oid (cron.c).
 */
Datum
hookreg_schedule_housekeeping_v2(PG_FUNCTION_ARGS)
{
	HrElevation elev = {0};
	HrCron		cron;
	char	   *prune_command = NULL;
	int64		jobid;

	hr_require_role(HR_ROLE_ADMIN, "hookreg_schedule_housekeeping");
	hr_require_arg(fcinfo, 0, "schedule", "Pass a cron schedule such as '*/5 * * * *'.");

	/* 22023 with the accepted syntax, before pg_cron sees it */
	{
		HrCronSchedule parsed;

		hr_cron_parse(text_to_cstring(PG_GETARG_TEXT_PP(0)), &parsed, true);
	}

	if (!PG_ARGISNULL(1))
	{
		Interval   *retain = hr_positive_interval_arg(fcinfo, 1, "retain");
		Interval   *retain_failed = PG_ARGISNULL(2) ? retain
			: hr_positive_interval_arg(fcinfo, 2, "retain_failed");

		prune_command = psprintf("SELECT hookreg.prune_job(%s::pg_catalog.interval, %s::pg_catalog.interval, %d)",
								 quote_literal_cstr(DatumGetCString(DirectFunctionCall1(interval_out, IntervalPGetDatum(retain)))),
								 quote_literal_cstr(DatumGetCString(DirectFunctionCall1(interval_out, IntervalPGetDatum(retain_failed)))),
								 HR_PRUNE_JOB_BATCH);
	}

	if (!hr_cron_lookup(&cron))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("pg_cron is not installed in database \"%s\"",
						get_database_name(MyDatabaseId)),
				 errdetail("hookreg_schedule_housekeeping() registers its job with pg_cron."),
				 errhint("Add pg_cron to shared_preload_libraries and set cron.database_name = '%s' in postgresql.conf, restart the server, then run CREATE EXTENSION pg_cron; in this database. Or have any other scheduler run \"%s\" as the extension owner.",
						 get_database_name(MyDatabaseId), HR_CRON_JOB_COMMAND)));
	if (!OidIsValid(cron.schedule) || !OidIsValid(cron.unschedule))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("pg_cron in database \"%s\" has no function schedule(text, text, text)",
						get_database_name(MyDatabaseId)),
				 errdetail("Named jobs need pg_cron 1.4 or later."),
				 errhint("Update pg_cron: ALTER EXTENSION pg_cron UPDATE;")));

	hr_owner_begin(fcinfo, HR_ROLE_ADMIN, "hookreg_schedule_housekeeping", &elev);
	jobid = DatumGetInt64(OidFunctionCall3(cron.schedule,
										   CStringGetTextDatum(HR_CRON_JOB_NAME),
										   PointerGetDatum(PG_GETARG_TEXT_PP(0)),
										   CStringGetTextDatum(HR_CRON_JOB_COMMAND)));

	/* Retention beside it, on the same schedule; none when retain is NULL. */
	if (prune_command != NULL)
		(void) OidFunctionCall3(cron.schedule,
								CStringGetTextDatum(HR_CRON_PRUNE_JOB_NAME),
								PointerGetDatum(PG_GETARG_TEXT_PP(0)),
								CStringGetTextDatum(prune_command));
	else
	{
		int			njobs;
		int64	   *jobs = hr_cron_job_ids(&cron, HR_CRON_PRUNE_JOB_NAME, &njobs);

		for (int i = 0; i < njobs; i++)
			(void) OidFunctionCall1(cron.unschedule, Int64GetDatum(jobs[i]));
	}

	hr_owner_end(&elev);
	PG_RETURN_INT64(jobid);
}
