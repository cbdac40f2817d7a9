/*
 * feature_check.c: the provenance check of feature tables (doc/design.md,
 * "Per-row provenance").
 *
 * A feature row names a run (run_id); the run must exist and belong to a
 * release of the feature table's own hook.  0.1.0 declared a foreign key to
 * hookreg.hook_runs for the first half and nothing for the second; every such
 * key put two triggers on hook_runs, which every run insert paid for, and
 * creating one took a ShareRowExclusiveLock on hook_runs.  0.2.0 checks both
 * halves in this BEFORE INSERT OR UPDATE OF run_id row trigger on the feature
 * table instead, which touches hook_runs only with an AccessShareLock while
 * it reads.  hook_runs and hook_releases are append-only (their triggers
 * refuse UPDATE, DELETE and TRUNCATE to every role), so a run seen once stays,
 * and a check when the row is written holds for the row's life.
 */
#include "hookreg.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "catalog/namespace.h"
#include "commands/trigger.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/uuid.h"

/* What one trigger call keeps for the rest of its statement (fn_extra). */
typedef struct HrRunCheckCache
{
	AttrNumber	run_attnum;		/* run_id in the feature table */
	bool		have_last;		/* last_ok holds a run that passed */
	pg_uuid_t	last_ok;
} HrRunCheckCache;

/* Open hookreg.<name> and its primary key index; return the column's number. */
static Relation
hr_open_with_pkey(const char *name, Oid *pkey)
{
	Oid			relid = get_relname_relid(name, get_namespace_oid(HR_SCHEMA, false));
	Relation	rel;

	if (!OidIsValid(relid))
		elog(ERROR, "hookreg: table %s.%s is missing", HR_SCHEMA, name);
	rel = table_open(relid, AccessShareLock);
	*pkey = RelationGetPrimaryKeyIndex(rel);
	if (!OidIsValid(*pkey))
		elog(ERROR, "hookreg: table %s.%s has no primary key", HR_SCHEMA, name);
	return rel;
}

static AttrNumber
hr_attnum(Relation rel, const char *column)
{
	AttrNumber	n = get_attnum(RelationGetRelid(rel), column);

	if (n == InvalidAttrNumber)
		elog(ERROR, "hookreg: column %s of %s is missing", column, RelationGetRelationName(rel));
	return n;
}

/*
 * The row of hookreg.<table> whose uuid primary key is key, as a copy in the
 * current memory context, or NULL.  Read with a fresh snapshot: a run
 * committed by another session counts as soon as it is committed (runs never
 * go away), one not yet committed does not.
 */
static HeapTuple
hr_fetch_by_uuid(Relation rel, Oid pkey, AttrNumber keycol, Datum key, Snapshot snap)
{
	ScanKeyData skey;
	SysScanDesc scan;
	HeapTuple	tup;

	ScanKeyInit(&skey, keycol, BTEqualStrategyNumber, F_UUID_EQ, key);
	scan = systable_beginscan(rel, pkey, true, snap, 1, &skey);
	tup = systable_getnext(scan);
	if (HeapTupleIsValid(tup))
		tup = heap_copytuple(tup);
	systable_endscan(scan);
	return tup;
}

static char *
hr_uuid_text(Datum d)
{
	return DatumGetCString(DirectFunctionCall1(uuid_out, d));
}

/*
 * Raise 23503 unless the run exists and belongs to a release of hook; the
 * messages follow those of a foreign key.
 */
static void
hr_check_run_of_hook(Relation feature, AttrNumber run_attnum, Datum run_id,
					 const char *hook, const char *trigger)
{
	Snapshot	snap = RegisterSnapshot(GetLatestSnapshot());
	Oid			runs_pkey,
				releases_pkey;
	Relation	runs = hr_open_with_pkey("hook_runs", &runs_pkey);
	Relation	releases;
	HeapTuple	run,
				release = NULL;
	const char *owner = NULL;
	int32		version = 0;
	bool		isnull;

	run = hr_fetch_by_uuid(runs, runs_pkey, hr_attnum(runs, "id"), run_id, snap);
	if (run != NULL)
	{
		Datum		release_id = heap_getattr(run, hr_attnum(runs, "release_id"),
											  RelationGetDescr(runs), &isnull);

		releases = hr_open_with_pkey("hook_releases", &releases_pkey);
		release = hr_fetch_by_uuid(releases, releases_pkey, hr_attnum(releases, "id"),
								   release_id, snap);
		if (release != NULL)
		{
			owner = TextDatumGetCString(heap_getattr(release, hr_attnum(releases, "hook_name"),
													 RelationGetDescr(releases), &isnull));
			version = DatumGetInt32(heap_getattr(release, hr_attnum(releases, "version"),
												 RelationGetDescr(releases), &isnull));
		}
		table_close(releases, AccessShareLock);
	}
	table_close(runs, AccessShareLock);
	UnregisterSnapshot(snap);

	if (run == NULL || release == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("insert or update on table \"%s\" violates run check \"%s\"",
						RelationGetRelationName(feature), trigger),
				 errdetail("Key (run_id)=(%s) is not present in table \"hook_runs\".",
						   hr_uuid_text(run_id)),
				 errhint("Record the run first with hookreg_record_run() against a release of hook \"%s\", and name the run id it returns.",
						 hook),
				 errtablecol(feature, run_attnum)));
	if (strcmp(owner, hook) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("insert or update on table \"%s\" violates run check \"%s\"",
						RelationGetRelationName(feature), trigger),
				 errdetail("Key (run_id)=(%s) is a run of hook \"%s\" (release version %d), not of hook \"%s\".",
						   hr_uuid_text(run_id), owner, version, hook),
				 errhint("A feature row names a run of a release of its own hook: record the run against a release of hook \"%s\".",
						 hook),
				 errtablecol(feature, run_attnum)));
}

PG_FUNCTION_INFO_V1(hookreg_feature_run_check_v2);

/*
 * hookreg.feature_run_check() RETURNS trigger: BEFORE INSERT OR UPDATE OF
 * run_id FOR EACH ROW on every feature table, with the hook's name as its one
 * argument.  Fires for every writer, the table owner included; only
 * session_replication_role = replica (superuser) or ALTER TABLE ... DISABLE
 * TRIGGER (the owner) turns it off.
 */
Datum
hookreg_feature_run_check_v2(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	HrRunCheckCache *cache;
	Relation	rel;
	HeapTuple	tuple;
	Datum		run_id;
	bool		isnull;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BEFORE(td->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(td->tg_event) ||
		!(TRIGGER_FIRED_BY_INSERT(td->tg_event) || TRIGGER_FIRED_BY_UPDATE(td->tg_event)) ||
		td->tg_trigger->tgnargs != 1)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("hookreg.feature_run_check() must be a BEFORE INSERT OR UPDATE row trigger with the hook name as its argument")));

	rel = td->tg_relation;
	cache = (HrRunCheckCache *) fcinfo->flinfo->fn_extra;
	if (cache == NULL)
	{
		AttrNumber	n = get_attnum(RelationGetRelid(rel), "run_id");

		if (n == InvalidAttrNumber)
			ereport(ERROR,
					(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
					 errmsg("table \"%s\" has no column run_id", RelationGetRelationName(rel))));
		cache = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(HrRunCheckCache));
		cache->run_attnum = n;
		fcinfo->flinfo->fn_extra = cache;
	}

	tuple = TRIGGER_FIRED_BY_UPDATE(td->tg_event) ? td->tg_newtuple : td->tg_trigtuple;
	run_id = heap_getattr(tuple, cache->run_attnum, RelationGetDescr(rel), &isnull);
	/* NOT NULL refuses a null run_id after the BEFORE triggers */
	if (isnull)
		return PointerGetDatum(tuple);
	if (TRIGGER_FIRED_BY_UPDATE(td->tg_event))
	{
		bool		oldnull;
		Datum		old = heap_getattr(td->tg_trigtuple, cache->run_attnum,
									   RelationGetDescr(rel), &oldnull);

		if (!oldnull && memcmp(DatumGetUUIDP(old), DatumGetUUIDP(run_id), UUID_LEN) == 0)
			return PointerGetDatum(tuple);
	}
	/* Rows of one statement mostly name one run: check it once. */
	if (cache->have_last && memcmp(cache->last_ok.data, DatumGetUUIDP(run_id)->data, UUID_LEN) == 0)
		return PointerGetDatum(tuple);

	hr_check_run_of_hook(rel, cache->run_attnum, run_id, td->tg_trigger->tgargs[0],
						 td->tg_trigger->tgname);
	memcpy(cache->last_ok.data, DatumGetUUIDP(run_id)->data, UUID_LEN);
	cache->have_last = true;
	return PointerGetDatum(tuple);
}
