/*
 * events.c: opt-in NOTIFY on live-pointer moves and on runs reaching a
 * terminal state (doc/operations.md "Events").
 *
 * Whether a database wants them is a row of hookreg.event_settings, written
 * by hookreg_set_events() (hookreg_admin): no session state, so it holds for
 * every connection of a pool (PgBouncer in transaction mode) at once.  A
 * backend reads the table once and keeps the answer until the table changes:
 * every write of it (hookreg_set_events, or any other through the trigger
 * hookreg.event_settings_changed) sends a relcache invalidation for the table
 * at commit, which resets the cached answer in every backend.  The table is
 * read with the latest snapshot, so a backend that resets its cache in the
 * middle of a REPEATABLE READ transaction does not cache what its older
 * snapshot saw.  Cost when off: one test of a static variable.
 *
 * NOTIFY is transactional: a notification is delivered when, and only when,
 * the transaction that sent it commits.
 */
#include "hookreg.h"

#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "commands/async.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/snapmgr.h"
#include "utils/uuid.h"

#include "events.h"
#include "fmgrutil.h"
#include "sqlutil.h"

static const char *const hr_event_names[HR_EVENT_COUNT] = {"live_moves", "runs"};
static const char *const hr_event_channels[HR_EVENT_COUNT] = {"hookreg_live_moves", "hookreg_runs"};

static bool hr_events_valid = false;
static bool hr_events_on[HR_EVENT_COUNT];
static Oid	hr_events_relid = InvalidOid;
static bool hr_events_callback = false;

static void
hr_events_inval(Datum arg, Oid relid)
{
	/* the table, everything, or a table that did not exist when we looked */
	if (relid == InvalidOid || relid == hr_events_relid || !OidIsValid(hr_events_relid))
		hr_events_valid = false;
}

static Oid
hr_events_table(void)
{
	Oid			nsp = get_namespace_oid(HR_SCHEMA, true);

	return OidIsValid(nsp) ? get_relname_relid("event_settings", nsp) : InvalidOid;
}

static void
hr_events_load(void)
{
	Oid			relid;

	if (!hr_events_callback)
	{
		CacheRegisterRelcacheCallback(hr_events_inval, (Datum) 0);
		hr_events_callback = true;
	}
	for (int i = 0; i < HR_EVENT_COUNT; i++)
		hr_events_on[i] = false;
	relid = hr_events_table();
	if (OidIsValid(relid))
	{
		Relation	rel = table_open(relid, AccessShareLock);
		TupleDesc	desc = RelationGetDescr(rel);
		Snapshot	snapshot = RegisterSnapshot(GetLatestSnapshot());
		TableScanDesc scan = table_beginscan(rel, snapshot, 0, NULL);
		HeapTuple	tuple;

		while ((tuple = heap_getnext(scan, ForwardScanDirection)) != NULL)
		{
			bool		isnull;
			Datum		event = heap_getattr(tuple, 1, desc, &isnull);
			Datum		enabled;

			if (isnull)
				continue;
			enabled = heap_getattr(tuple, 2, desc, &isnull);
			for (int i = 0; i < HR_EVENT_COUNT; i++)
				if (strcmp(TextDatumGetCString(event), hr_event_names[i]) == 0)
					hr_events_on[i] = !isnull && DatumGetBool(enabled);
		}
		table_endscan(scan);
		UnregisterSnapshot(snapshot);
		table_close(rel, AccessShareLock);
	}
	hr_events_relid = relid;
	hr_events_valid = true;
}

bool
hr_event_enabled(HrEvent event)
{
	if (!hr_events_valid)
		hr_events_load();
	return hr_events_on[event];
}

void
hr_notify_live_move(const char *hook_name, const pg_uuid_t *release_id, int32 version,
					const char *reason)
{
	char	   *id;

	if (!hr_event_enabled(HR_EVENT_LIVE_MOVES))
		return;
	id = DatumGetCString(DirectFunctionCall1(uuid_out, UUIDPGetDatum(release_id)));
	/* hook names are [a-z][a-z0-9_]*: nothing to escape */
	Async_Notify(hr_event_channels[HR_EVENT_LIVE_MOVES],
				 psprintf("{\"hook_name\": \"%s\", \"release_id\": \"%s\", \"version\": %d, \"reason\": \"%s\"}",
						  hook_name, id, version, reason));
}

void
hr_notify_run(int64 run_id, int64 workspace_id, bool has_tenant, int64 tenant_id,
			  const char *type, const char *outcome)
{
	if (!hr_event_enabled(HR_EVENT_RUNS))
		return;
	/* types match ^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$, outcomes are fixed words */
	Async_Notify(hr_event_channels[HR_EVENT_RUNS],
				 psprintf("{\"run_id\": " INT64_FORMAT ", \"workspace_id\": " INT64_FORMAT
						  ", \"tenant_id\": %s, \"type\": \"%s\", \"outcome\": \"%s\"}",
						  run_id, workspace_id,
						  has_tenant ? psprintf(INT64_FORMAT, tenant_id) : "null",
						  type, outcome));
}

static const char *const hr_sql_event_upsert =
"INSERT INTO hookreg.event_settings AS s (event, enabled, changed_by)"
" VALUES ($1, $2, $3)"
" ON CONFLICT (event) DO UPDATE"
"   SET enabled = EXCLUDED.enabled, changed_at = pg_catalog.now(),"
"       changed_by = EXCLUDED.changed_by";

static const char *const hr_sql_event_state =
"SELECT s.enabled FROM hookreg.event_settings s"
" WHERE s.event OPERATOR(pg_catalog.=) $1";

PG_FUNCTION_INFO_V1(hookreg_set_events_v2);

/*
 * hookreg_set_events(live_moves boolean DEFAULT NULL, runs boolean DEFAULT
 * NULL) RETURNS TABLE(event text, channel text, enabled boolean): turn the
 * events of this database on or off (NULL: leave as it is); returns the
 * state of every event after the call.
 */
Datum
hookreg_set_events_v2(PG_FUNCTION_ARGS)
{
	static SPIPlanPtr upsert,
				state;
	static const Oid types[] = {TEXTOID, BOOLOID, TEXTOID};
	HrElevation elev = {0};
	char	   *caller;

	hr_require_role(HR_ROLE_ADMIN, "hookreg_set_events");
	caller = hr_caller_name();
	hr_srf_begin(fcinfo);

	hr_owner_begin(fcinfo, HR_ROLE_ADMIN, "hookreg_set_events", &elev);
	for (int i = 0; i < HR_EVENT_COUNT; i++)
	{
		Datum		values[3];

		if (PG_ARGISNULL(i))
			continue;
		values[0] = CStringGetTextDatum(hr_event_names[i]);
		values[1] = PG_GETARG_DATUM(i);
		values[2] = CStringGetTextDatum(caller);
		hr_execute(hr_prepare(&upsert, hr_sql_event_upsert, 3, types),
				   values, NULL, false, 0);
	}
	for (int i = 0; i < HR_EVENT_COUNT; i++)
	{
		Datum		values[3];
		bool		nulls[3] = {false, false, false};
		Datum		arg = CStringGetTextDatum(hr_event_names[i]);
		bool		isnull;

		values[0] = arg;
		values[1] = CStringGetTextDatum(hr_event_channels[i]);
		values[2] = BoolGetDatum(false);
		if (hr_execute(hr_prepare(&state, hr_sql_event_state, 1, types),
					   &arg, NULL, false, 1) == 1)
			values[2] = hr_get(0, 1, &isnull);
		hr_srf_put(fcinfo, values, nulls);
	}
	hr_owner_end(&elev);
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(hookreg_event_settings_changed_v2);

/*
 * Statement trigger of hookreg.event_settings (every write): every backend
 * forgets its cached answer when the writing transaction commits.
 */
Datum
hookreg_event_settings_changed_v2(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("hookreg.event_settings_changed() must be called as a trigger")));
	CacheInvalidateRelcacheByRelid(RelationGetRelid(trigdata->tg_relation));
	return PointerGetDatum(NULL);
}
