/*
 * registry_scan.c: direct index probes of the registry's and the ledger's
 * tables (see registry_scan.h).
 *
 * Why: a SELECT through SPI costs its executor start, run and shutdown
 * (tens of thousands of instructions) even when it reads one index entry;
 * the lock-free look-up of every hookreg_create_release and the reads of
 * hookreg_resolve_live are such SELECTs.  A probe here is what the
 * executor's index scan does at its core (index_beginscan, index_rescan,
 * index_getnext_slot) and nothing else, so its cost is the index's and the
 * heap's, and it does not depend on a plan the planner might pick
 * differently for a small table than for a large one.
 *
 * What stays as it was: the snapshot (the caller's, taken as SPI takes it),
 * the locks (AccessShareLock on the table and the index until the end of the
 * transaction, as the executor takes them), visibility (the index scan
 * checks every heap tuple against the snapshot).  Privileges are the
 * caller's business: the writers (hookreg_create_release, opsrun_start)
 * probe as the extension owner, and hookreg_resolve_live, which runs as its
 * caller, checks SELECT on both tables first (releases.c).
 */
#include "hookreg.h"

#include "access/genam.h"
#include "access/hash.h"
#include "access/htup_details.h"
#include "access/nbtree.h"
#include "access/relscan.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_am.h"
#include "executor/tuptable.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

#include "registry_scan.h"

static const char *const hr_scan_names[HR_SCAN_REL_COUNT] = {
	"live_pointers",
	"hook_releases",
	"operation_types",
	"operation_runs",
	"live_pointers_name_hash_idx",
	"hook_releases_pkey",
	"hook_releases_hook_digest_key",
	"operation_types_pkey",
	"operation_runs_tenant_active_key",
	"operation_runs_workspace_active_key",
	"operation_runs_completed_identity_idx",
};

/* the table each index belongs to */
static const HrScanRel hr_scan_table_of[HR_SCAN_REL_COUNT] = {
	HR_REL_LIVE_POINTERS, HR_REL_HOOK_RELEASES, HR_REL_OPERATION_TYPES, HR_REL_OPERATION_RUNS,
	HR_REL_LIVE_POINTERS, HR_REL_HOOK_RELEASES, HR_REL_HOOK_RELEASES,
	HR_REL_OPERATION_TYPES, HR_REL_OPERATION_RUNS, HR_REL_OPERATION_RUNS, HR_REL_OPERATION_RUNS,
};

#define HR_SCAN_MAX_KEYS 3

/* What a probe of an index needs, found once per backend. */
typedef struct HrScanIndexInfo
{
	int			nkeys;
	StrategyNumber strategy;	/* equality in the index's access method */
	RegProcedure eqproc[HR_SCAN_MAX_KEYS];	/* the opfamily's equality */
	RegProcedure geproc[HR_SCAN_MAX_KEYS];	/* its >= (btree only) */
	Oid			collation[HR_SCAN_MAX_KEYS];
	AttrNumber	heap_attno[HR_SCAN_MAX_KEYS];
} HrScanIndexInfo;

static Oid	hr_scan_oids[HR_SCAN_REL_COUNT];
static HrScanIndexInfo hr_scan_info[HR_SCAN_REL_COUNT];
static bool hr_scan_valid = false;
static bool hr_scan_callback = false;

static void
hr_scan_inval(Datum arg, Oid relid)
{
	if (!hr_scan_valid)
		return;
	if (relid == InvalidOid)
	{
		hr_scan_valid = false;
		return;
	}
	for (int i = 0; i < HR_SCAN_REL_COUNT; i++)
		if (hr_scan_oids[i] == relid)
			hr_scan_valid = false;
}

static void
hr_scan_index_info(HrScanRel idx)
{
	HrScanIndexInfo *info = &hr_scan_info[idx];
	Relation	index = index_open(hr_scan_oids[idx], AccessShareLock);
	int			nkeys = IndexRelationGetNumberOfKeyAttributes(index);

	if (nkeys > HR_SCAN_MAX_KEYS)
		elog(ERROR, "hookreg: index hookreg.%s has %d key columns", hr_scan_names[idx], nkeys);
	info->nkeys = nkeys;
	info->strategy = index->rd_rel->relam == HASH_AM_OID ? HTEqualStrategyNumber : BTEqualStrategyNumber;
	for (int i = 0; i < nkeys; i++)
	{
		Oid			type = index->rd_opcintype[i];
		Oid			op = get_opfamily_member(index->rd_opfamily[i], type, type, info->strategy);

		if (!OidIsValid(op))
			elog(ERROR, "hookreg: no equality operator for column %d of index hookreg.%s",
				 i + 1, hr_scan_names[idx]);
		info->eqproc[i] = get_opcode(op);
		info->geproc[i] = InvalidOid;
		if (index->rd_rel->relam == BTREE_AM_OID)
		{
			op = get_opfamily_member(index->rd_opfamily[i], type, type, BTGreaterEqualStrategyNumber);
			if (OidIsValid(op))
				info->geproc[i] = get_opcode(op);
		}
		info->collation[i] = index->rd_indcollation[i];
		info->heap_attno[i] = index->rd_index->indkey.values[i];
	}
	index_close(index, NoLock);
}

static void
hr_scan_load(void)
{
	Oid			nsp;

	if (!hr_scan_callback)
	{
		CacheRegisterRelcacheCallback(hr_scan_inval, (Datum) 0);
		hr_scan_callback = true;
	}
	nsp = get_namespace_oid(HR_SCHEMA, false);
	for (int i = 0; i < HR_SCAN_REL_COUNT; i++)
	{
		hr_scan_oids[i] = get_relname_relid(hr_scan_names[i], nsp);
		if (!OidIsValid(hr_scan_oids[i]))
			elog(ERROR, "hookreg: relation hookreg.%s does not exist", hr_scan_names[i]);
	}
	for (int i = HR_SCAN_FIRST_INDEX; i < HR_SCAN_REL_COUNT; i++)
		hr_scan_index_info(i);
	/* an invalidation while loading (index_open may accept one) loads again */
	hr_scan_valid = true;
}

Oid
hr_scan_relid(HrScanRel rel)
{
	if (!hr_scan_valid)
		hr_scan_load();
	return hr_scan_oids[rel];
}

/* A lossy index (hash) returns candidates: the heap tuple must match the keys. */
static bool
hr_scan_recheck(const HrScanIndexInfo *info, TupleTableSlot *slot, const Datum *keys)
{
	for (int i = 0; i < info->nkeys; i++)
	{
		bool		isnull;
		Datum		value = slot_getattr(slot, info->heap_attno[i], &isnull);

		if (isnull || !DatumGetBool(OidFunctionCall2Coll(info->eqproc[i], info->collation[i],
														 value, keys[i])))
			return false;
	}
	return true;
}

void
hr_probe_begin(HrProbe *probe, HrScanRel idx, Snapshot snapshot)
{
	probe->heap = table_open(hr_scan_relid(hr_scan_table_of[idx]), AccessShareLock);
	probe->index = index_open(hr_scan_relid(idx), AccessShareLock);
	probe->info = &hr_scan_info[idx];
	probe->slot = table_slot_create(probe->heap, NULL);
	probe->scan = index_beginscan(probe->heap, probe->index, snapshot, probe->info->nkeys, 0);
}

TupleTableSlot *
hr_probe_get(HrProbe *probe, const Datum *keys)
{
	const HrScanIndexInfo *info = probe->info;
	ScanKeyData skey[HR_SCAN_MAX_KEYS];

	for (int i = 0; i < info->nkeys; i++)
		ScanKeyEntryInitialize(&skey[i], 0, i + 1, info->strategy, InvalidOid,
							   info->collation[i], info->eqproc[i], keys[i]);
	index_rescan(probe->scan, skey, info->nkeys, NULL, 0);
	while (index_getnext_slot(probe->scan, ForwardScanDirection, probe->slot))
	{
		if (probe->scan->xs_recheck && !hr_scan_recheck(info, probe->slot, keys))
			continue;
		return probe->slot;
	}
	return NULL;
}

void
hr_probe_range(HrProbe *probe, const Datum *keys, int nkeys, Datum lower_bound)
{
	const HrScanIndexInfo *info = probe->info;
	ScanKeyData skey[HR_SCAN_MAX_KEYS];

	/* the scan was begun with all key columns: a range bounds the last one */
	if (nkeys + 1 != info->nkeys || !OidIsValid(info->geproc[nkeys]))
		elog(ERROR, "hookreg: index %s has no range on key column %d",
			 RelationGetRelationName(probe->index), nkeys + 1);
	for (int i = 0; i < nkeys; i++)
		ScanKeyEntryInitialize(&skey[i], 0, i + 1, info->strategy, InvalidOid,
							   info->collation[i], info->eqproc[i], keys[i]);
	ScanKeyEntryInitialize(&skey[nkeys], 0, nkeys + 1, BTGreaterEqualStrategyNumber, InvalidOid,
						   info->collation[nkeys], info->geproc[nkeys], lower_bound);
	index_rescan(probe->scan, skey, nkeys + 1, NULL, 0);
}

TupleTableSlot *
hr_probe_next(HrProbe *probe, ScanDirection dir)
{
	/* btree: not lossy, every row returned satisfies the keys */
	if (index_getnext_slot(probe->scan, dir, probe->slot))
		return probe->slot;
	return NULL;
}

AttrNumber
hr_probe_attnum(HrProbe *probe, const char *column)
{
	TupleDesc	desc = RelationGetDescr(probe->heap);

	for (int i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);

		if (!att->attisdropped && strcmp(NameStr(att->attname), column) == 0)
			return att->attnum;
	}
	elog(ERROR, "hookreg: column %s of hookreg.%s does not exist", column,
		 RelationGetRelationName(probe->heap));
	return InvalidAttrNumber;	/* keep the compiler quiet */
}

void
hr_probe_end(HrProbe *probe)
{
	index_endscan(probe->scan);
	ExecDropSingleTupleTableSlot(probe->slot);
	index_close(probe->index, NoLock);
	table_close(probe->heap, NoLock);
}

Snapshot
hr_scan_push_statement_snapshot(void)
{
	CommandCounterIncrement();
	PushActiveSnapshot(GetTransactionSnapshot());
	UpdateActiveSnapshotCommandId();
	return GetActiveSnapshot();
}

/* live_pointers: hook_name, live_release_id, last_version, moved_at */
#define HR_POINTER_LIVE_ID	2
#define HR_POINTER_LAST		3
/* hook_releases: id, hook_name, version, ... */
#define HR_RELEASE_ID		1
#define HR_RELEASE_VERSION	3

void
hr_scan_release_lookup(const char *hook_name, const char *release_digest,
					   HrReleaseLookup *out)
{
	Snapshot	snapshot = hr_scan_push_statement_snapshot();
	HrProbe		probe;
	TupleTableSlot *slot;
	Datum		keys[2];
	bool		isnull;

	memset(out, 0, sizeof(*out));
	keys[0] = CStringGetTextDatum(hook_name);
	hr_probe_begin(&probe, HR_IDX_POINTER_BY_HOOK, snapshot);
	slot = hr_probe_get(&probe, keys);
	if (slot != NULL)
	{
		Datum		live = slot_getattr(slot, HR_POINTER_LIVE_ID, &isnull);

		out->hook_found = true;
		out->has_live = !isnull;
		if (!isnull)
			memcpy(&out->live_release_id, DatumGetUUIDP(live), sizeof(pg_uuid_t));
		out->last_version = DatumGetInt32(slot_getattr(slot, HR_POINTER_LAST, &isnull));
		out->pointer_xmin = DatumGetTransactionId(slot_getsysattr(slot, MinTransactionIdAttributeNumber, &isnull));
	}
	hr_probe_end(&probe);
	if (out->hook_found)
	{
		keys[1] = CStringGetTextDatum(release_digest);
		hr_probe_begin(&probe, HR_IDX_RELEASE_BY_DIGEST, snapshot);
		slot = hr_probe_get(&probe, keys);
		if (slot != NULL)
		{
			out->release_found = true;
			memcpy(&out->release_id, DatumGetUUIDP(slot_getattr(slot, HR_RELEASE_ID, &isnull)),
				   sizeof(pg_uuid_t));
			out->release_version = DatumGetInt32(slot_getattr(slot, HR_RELEASE_VERSION, &isnull));
		}
		hr_probe_end(&probe);
	}
	PopActiveSnapshot();
}
