/*
 * events.h: opt-in NOTIFY of live-pointer moves and terminal runs (events.c).
 */
#ifndef HOOKREG_EVENTS_H
#define HOOKREG_EVENTS_H

#include "postgres.h"
#include "utils/uuid.h"

typedef enum HrEvent
{
	HR_EVENT_LIVE_MOVES,		/* channel hookreg_live_moves */
	HR_EVENT_RUNS,				/* channel hookreg_runs */
	HR_EVENT_COUNT
} HrEvent;

/* Is the event enabled in this database (hookreg.event_settings)? */
extern bool hr_event_enabled(HrEvent event);

/* NOTIFY a move of a hook's live pointer, when enabled. */
extern void hr_notify_live_move(const char *hook_name, const pg_uuid_t *release_id,
								int32 version, const char *reason);

/* NOTIFY a run that reached a terminal state, when enabled. */
extern void hr_notify_run(int64 run_id, int64 workspace_id, bool has_tenant, int64 tenant_id,
						  const char *type, const char *outcome);

#endif							/* HOOKREG_EVENTS_H */
