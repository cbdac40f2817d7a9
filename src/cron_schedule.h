/*
 * cron_schedule.h: pg_cron schedules as hookreg reads them (cron_schedule.c).
 */
#ifndef HOOKREG_CRON_SCHEDULE_H
#define HOOKREG_CRON_SCHEDULE_H

#include "postgres.h"
#include "datatype/timestamp.h"

/* A classic five-field schedule: one bit per allowed value of each field. */
typedef struct HrCronSchedule
{
	uint64		bits[5];		/* minute, hour, day of month, month, day of week */
	bool		dom_star;		/* the day-of-month field starts with "*" */
	bool		dow_star;		/* the day-of-week field starts with "*" */
} HrCronSchedule;

/*
 * hr_cron_parse: the schedule into *out.  An invalid one raises 22023 with
 * the accepted syntax in the hint (raise) or returns false.
 */
extern bool hr_cron_parse(const char *schedule, HrCronSchedule *out, bool raise);

/* hr_cron_next: the first time after "after" (GMT) the schedule fires. */
extern bool hr_cron_next(const HrCronSchedule *c, TimestampTz after, TimestampTz *next);

#endif							/* HOOKREG_CRON_SCHEDULE_H */
