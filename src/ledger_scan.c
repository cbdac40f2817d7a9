/*
 * ledger_scan.c: opsrun_start's look-ups as direct index probes
 * (registry_scan.h), all with the one snapshot the caller then runs its
 * insert with, so that together they see what one statement would.
 *
 * Why: as one statement (a data-modifying CTE reading the type, the active
 * run and the cooled-down run before its insert) the look-ups cost more
 * executor start-up than the insert itself: every call of opsrun_start
 * built and shut down a dozen plan nodes (CTE scans, a sort, a limit, a
 * nested loop) to read at most three index entries.  A probe costs the
 * index's descent and the heap fetch, and needs no plan, so no statistics
 * can make it read another index (see test/suites/cooldown_plan.sh).
 */
#include "hookreg.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "executor/tuptable.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

#include "ledger.h"
#include "registry_scan.h"

/* The run a probe found, copied out of its slot. */
static void
hr_start_found_run(HrProbe *probe, TupleTableSlot *slot, HrStartLookup *out)
{
	bool		isnull;

	out->found = true;
	out->run_id = DatumGetInt64(slot_getattr(slot, hr_probe_attnum(probe, "id"), &isnull));
	out->workspace_id = DatumGetInt64(slot_getattr(slot, hr_probe_attnum(probe, "workspace_id"),
												   &isnull));
	out->status = TextDatumGetCString(slot_getattr(slot, hr_probe_attnum(probe, "status"), &isnull));
	out->outcome = TextDatumGetCString(slot_getattr(slot, hr_probe_attnum(probe, "outcome"), &isnull));
}

/* Is the text datum one of the n texts of words? */
static bool
hr_text_in(Datum value, Datum *words, int n)
{
	text	   *t = DatumGetTextPP(value);

	for (int i = 0; i < n; i++)
	{
		text	   *w = DatumGetTextPP(words[i]);

		if (VARSIZE_ANY_EXHDR(w) == VARSIZE_ANY_EXHDR(t) &&
			memcmp(VARDATA_ANY(w), VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t)) == 0)
			return true;
	}
	return false;
}

/* The cooldown of a registered type: its length and its outcomes. */
typedef struct HrCooldown
{
	bool		has_cooldown;
	Interval	length;
	Datum	   *outcomes;
	int			noutcomes;
} HrCooldown;

/* The type's row: its scope (out->scope), its cooldown. */
static void
hr_start_type(const char *type, Snapshot snapshot, HrStartLookup *out, HrCooldown *cool)
{
	HrProbe		probe;
	TupleTableSlot *slot;
	Datum		key = CStringGetTextDatum(type);
	bool		isnull;

	hr_probe_begin(&probe, HR_IDX_TYPE_BY_NAME, snapshot);
	slot = hr_probe_get(&probe, &key);
	if (slot != NULL)
	{
		Datum		d;

		out->scope = TextDatumGetCString(slot_getattr(slot, hr_probe_attnum(&probe, "scope"), &isnull));
		d = slot_getattr(slot, hr_probe_attnum(&probe, "cooldown"), &isnull);
		if (!isnull)
		{
			cool->has_cooldown = true;
			cool->length = *DatumGetIntervalP(d);
			d = slot_getattr(slot, hr_probe_attnum(&probe, "cooldown_outcomes"), &isnull);
			if (!isnull)
				deconstruct_array(DatumGetArrayTypePCopy(d), TEXTOID, -1, false, TYPALIGN_INT,
								  &cool->outcomes, NULL, &cool->noutcomes);
		}
	}
	hr_probe_end(&probe);
}

/* The active (queued or running) run of the identity in its scope. */
static void
hr_start_active(int64 workspace_id, bool has_tenant, int64 tenant_id, Datum hash,
				Snapshot snapshot, HrStartLookup *out)
{
	HrProbe		probe;
	TupleTableSlot *slot;
	Datum		keys[3];

	keys[0] = Int64GetDatum(workspace_id);
	if (has_tenant)
	{
		keys[1] = Int64GetDatum(tenant_id);
		keys[2] = hash;
		hr_probe_begin(&probe, HR_IDX_RUN_ACTIVE_TENANT, snapshot);
	}
	else
	{
		keys[1] = hash;
		hr_probe_begin(&probe, HR_IDX_RUN_ACTIVE_WORKSPACE, snapshot);
	}
	slot = hr_probe_get(&probe, keys);
	if (slot != NULL)
		hr_start_found_run(&probe, slot, out);
	hr_probe_end(&probe);
}

/*
 * The identity's most recently completed run within the cooldown
 * (completed_at >= now() - cooldown) with one of the type's
 * cooldown_outcomes: its completed runs of the window, newest first.
 */
static void
hr_start_cooled(Datum hash, const HrCooldown *cool, Snapshot snapshot, HrStartLookup *out)
{
	HrProbe		probe;
	TupleTableSlot *slot;
	Datum		since = DirectFunctionCall2(timestamptz_mi_interval,
											TimestampTzGetDatum(GetCurrentTransactionStartTimestamp()),
											IntervalPGetDatum(&cool->length));
	bool		isnull;

	hr_probe_begin(&probe, HR_IDX_RUN_COMPLETED_IDENTITY, snapshot);
	hr_probe_range(&probe, &hash, 1, since);
	while ((slot = hr_probe_next(&probe, BackwardScanDirection)) != NULL)
	{
		Datum		outcome = slot_getattr(slot, hr_probe_attnum(&probe, "outcome"), &isnull);

		if (!isnull && hr_text_in(outcome, cool->outcomes, cool->noutcomes))
		{
			hr_start_found_run(&probe, slot, out);
			break;
		}
	}
	hr_probe_end(&probe);
}

void
hr_start_lookup(int64 workspace_id, bool has_tenant, int64 tenant_id,
				const char *type, const char *hash, Snapshot snapshot,
				HrStartLookup *out)
{
	HrCooldown	cool = {0};
	Datum		hash_datum = CStringGetTextDatum(hash);

	memset(out, 0, sizeof(*out));
	hr_start_type(type, snapshot, out, &cool);
	/* A registered type of the other scope: the caller raises. */
	if (out->scope != NULL && strcmp(out->scope, has_tenant ? "tenant" : "workspace") != 0)
		return;
	hr_start_active(workspace_id, has_tenant, tenant_id, hash_datum, snapshot, out);
	if (!out->found && cool.has_cooldown)
		hr_start_cooled(hash_datum, &cool, snapshot, out);
}
