/*
 * registry_scan.h: hot reads as direct index probes (registry_scan.c),
 * without the executor: the lock-free look-up of hookreg_create_release,
 * the reads of hookreg_resolve_live and opsrun_start's look-ups
 * (ledger_scan.c).  Each probe is one look-up in an index (equality on its
 * leading key columns, optionally a lower bound on the next one), read with
 * the snapshot the caller passes, so what it finds is what the equivalent
 * SELECT would see.
 */
#ifndef HOOKREG_REGISTRY_SCAN_H
#define HOOKREG_REGISTRY_SCAN_H

#include "postgres.h"
#include "access/sdir.h"
#include "utils/relcache.h"
#include "utils/snapshot.h"
#include "utils/uuid.h"

/* The tables and indexes probed (hookreg.<name>): the tables first. */
typedef enum HrScanRel
{
	HR_REL_LIVE_POINTERS = 0,
	HR_REL_HOOK_RELEASES,
	HR_REL_OPERATION_TYPES,
	HR_REL_OPERATION_RUNS,
	HR_IDX_POINTER_BY_HOOK,		/* live_pointers_name_hash_idx (hook_name) */
	HR_IDX_RELEASE_BY_ID,		/* hook_releases_pkey (id) */
	HR_IDX_RELEASE_BY_DIGEST,	/* hook_releases_hook_digest_key (hook_name, release_digest) */
	HR_IDX_TYPE_BY_NAME,		/* operation_types_pkey (type) */
	HR_IDX_RUN_ACTIVE_TENANT,	/* operation_runs_tenant_active_key (workspace_id, tenant_id,
								 * run_identity_hash), queued or running */
	HR_IDX_RUN_ACTIVE_WORKSPACE,	/* operation_runs_workspace_active_key (workspace_id,
									 * run_identity_hash), queued or running */
	HR_IDX_RUN_COMPLETED_IDENTITY,	/* operation_runs_completed_identity_idx
									 * (run_identity_hash, completed_at), completed */
	HR_SCAN_REL_COUNT
} HrScanRel;

#define HR_SCAN_FIRST_INDEX HR_IDX_POINTER_BY_HOOK

/* The relation's OID (cached per backend, reset by relcache invalidation). */
extern Oid	hr_scan_relid(HrScanRel rel);

/*
 * A probe of one index: begin (the table and the index opened and locked
 * AccessShare until the end of the transaction, as the executor does), then
 * any number of look-ups, then end.  hr_probe_get returns the one row
 * visible to the snapshot whose index keys equal keys (one Datum per key
 * column, in index order), in a slot valid until the next look-up or the end;
 * NULL when there is none.
 */
typedef struct HrProbe
{
	Relation	heap;
	Relation	index;
	struct IndexScanDescData *scan;
	struct TupleTableSlot *slot;
	const struct HrScanIndexInfo *info;
} HrProbe;

extern void hr_probe_begin(HrProbe *probe, HrScanRel index, Snapshot snapshot);
extern struct TupleTableSlot *hr_probe_get(HrProbe *probe, const Datum *keys);
extern void hr_probe_end(HrProbe *probe);

/*
 * A range look-up in a btree index: equality on all key columns but the
 * last (nkeys of them), and the last at least lower_bound; then hr_probe_next
 * returns the visible rows one by one in the index's order (backward: from
 * the last), NULL after the last.
 */
extern void hr_probe_range(HrProbe *probe, const Datum *keys, int nkeys,
						   Datum lower_bound);
extern struct TupleTableSlot *hr_probe_next(HrProbe *probe, ScanDirection dir);

/* The attribute number of a column of the probed table, by name. */
extern AttrNumber hr_probe_attnum(HrProbe *probe, const char *column);

/*
 * A snapshot taken the way SPI takes one for a statement that may write:
 * the command counter advanced (earlier commands of this transaction
 * visible), then the transaction snapshot (a new one under READ COMMITTED).
 * Pushed as the active snapshot; the caller pops it (PopActiveSnapshot).
 */
extern Snapshot hr_scan_push_statement_snapshot(void);

/* The pointer and the release of a hook's lock-free release look-up. */
typedef struct HrReleaseLookup
{
	bool		hook_found;		/* the hook's live_pointers row exists */
	int32		last_version;
	TransactionId pointer_xmin;	/* the xmin of the pointer row version read */
	bool		has_live;		/* live_release_id is not NULL */
	pg_uuid_t	live_release_id;
	bool		release_found;	/* a release of the hook has this release_digest */
	pg_uuid_t	release_id;
	int32		release_version;
} HrReleaseLookup;

/*
 * The hook's pointer and its release with this release_digest, both read with
 * one new statement snapshot (hr_scan_push_statement_snapshot).
 */
extern void hr_scan_release_lookup(const char *hook_name, const char *release_digest,
								   HrReleaseLookup *out);

#endif							/* HOOKREG_REGISTRY_SCAN_H */
