/*
 * cron.c: pg_cron, recognised only as the installed extension.
 *
 * hookreg acts on pg_cron as the extension owner (a superuser): it schedules
 * the housekeeping job and, at DROP EXTENSION, unschedules it.  A name such
 * as cron.unschedule is no proof of anything: in a database where pg_cron is
 * not installed (pg_cron serves one database per cluster), anyone with CREATE
 * on the database can make a schema cron with a table job and a function
 * unschedule(bigint).  So pg_cron is the pg_extension row named pg_cron, and
 * its job table and functions are the objects that are members of that
 * extension (pg_depend, deptype 'e'), found and called by oid: no object of
 * another role can answer.
 */
#include "hookreg.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/dependency.h"
#include "catalog/indexing.h"
#include "catalog/pg_class.h"
#include "catalog/pg_depend.h"
#include "catalog/pg_extension.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_type.h"
#include "commands/extension.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/syscache.h"

#include "cron.h"
#include "sqlutil.h"

/* Is the pg_proc row fn named name with exactly these argument types? */
static bool
hr_proc_is(Oid fn, const char *name, int nargs, const Oid *argtypes)
{
	HeapTuple	tuple = SearchSysCache1(PROCOID, ObjectIdGetDatum(fn));
	Form_pg_proc proc;
	bool		match;

	if (!HeapTupleIsValid(tuple))
		return false;
	proc = (Form_pg_proc) GETSTRUCT(tuple);
	match = strcmp(NameStr(proc->proname), name) == 0 && proc->pronargs == nargs &&
		memcmp(proc->proargtypes.values, argtypes, sizeof(Oid) * nargs) == 0;
	ReleaseSysCache(tuple);
	return match;
}

bool
hr_cron_lookup(HrCron *cron)
{
	static const Oid schedule_args[] = {TEXTOID, TEXTOID, TEXTOID};
	static const Oid unschedule_args[] = {INT8OID};
	Relation	depend;
	ScanKeyData key[2];
	SysScanDesc scan;
	HeapTuple	tuple;

	memset(cron, 0, sizeof(*cron));
	cron->ext = get_extension_oid("pg_cron", true);
	if (!OidIsValid(cron->ext))
		return false;

	/* Every object that depends on the extension pg_cron. */
	depend = table_open(DependRelationId, AccessShareLock);
	ScanKeyInit(&key[0], Anum_pg_depend_refclassid, BTEqualStrategyNumber, F_OIDEQ,
				ObjectIdGetDatum(ExtensionRelationId));
	ScanKeyInit(&key[1], Anum_pg_depend_refobjid, BTEqualStrategyNumber, F_OIDEQ,
				ObjectIdGetDatum(cron->ext));
	scan = systable_beginscan(depend, DependReferenceIndexId, true, NULL, 2, key);
	while (HeapTupleIsValid(tuple = systable_getnext(scan)))
	{
		Form_pg_depend dep = (Form_pg_depend) GETSTRUCT(tuple);

		if (dep->deptype != DEPENDENCY_EXTENSION || dep->objsubid != 0)
			continue;
		if (dep->classid == ProcedureRelationId)
		{
			if (hr_proc_is(dep->objid, "schedule", 3, schedule_args))
				cron->schedule = dep->objid;
			else if (hr_proc_is(dep->objid, "unschedule", 1, unschedule_args))
				cron->unschedule = dep->objid;
		}
		else if (dep->classid == RelationRelationId)
		{
			char	   *relname = get_rel_name(dep->objid);

			if (relname != NULL && strcmp(relname, "job") == 0 &&
				get_rel_relkind(dep->objid) == RELKIND_RELATION)
				cron->job = dep->objid;
		}
	}
	systable_endscan(scan);
	table_close(depend, AccessShareLock);
	return OidIsValid(cron->job);
}

/*
 * The ids of the jobs named job_name in this database, from pg_cron's own
 * job table (whose schema-qualified name is taken from its oid).  Needs SPI.
 */
int64 *
hr_cron_job_ids(const HrCron *cron, const char *job_name, int *njobs)
{
	static const Oid types[] = {TEXTOID};
	Datum		values[1] = {CStringGetTextDatum(job_name)};
	char	   *sql;
	SPIPlanPtr	plan;
	int64	   *ids;

	sql = psprintf("SELECT j.jobid FROM %s j"
				   " WHERE j.jobname OPERATOR(pg_catalog.=) $1"
				   "   AND j.database OPERATOR(pg_catalog.=) pg_catalog.current_database()"
				   " ORDER BY j.jobid",
				   quote_qualified_identifier(get_namespace_name(get_rel_namespace(cron->job)),
											  get_rel_name(cron->job)));
	plan = SPI_prepare(sql, 1, (Oid *) types);
	if (plan == NULL)
		elog(ERROR, "hookreg: SPI_prepare failed (%s) for: %s",
			 SPI_result_code_string(SPI_result), sql);
	hr_execute(plan, values, NULL, true, 0);
	*njobs = (int) SPI_processed;
	ids = palloc(sizeof(int64) * (SPI_processed + 1));
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		bool		isnull;

		ids[i] = DatumGetInt64(hr_get(i, 1, &isnull));
	}
	SPI_freeplan(plan);
	return ids;
}
