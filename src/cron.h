/*
 * cron.h: pg_cron as the installed extension (cron.c).
 */
#ifndef HOOKREG_CRON_H
#define HOOKREG_CRON_H

#include "postgres.h"

/* pg_cron's objects, by oid; InvalidOid where missing. */
typedef struct HrCron
{
	Oid			ext;			/* pg_extension row pg_cron */
	Oid			job;			/* its table job */
	Oid			schedule;		/* its schedule(text, text, text) */
	Oid			unschedule;		/* its unschedule(bigint) */
} HrCron;

/*
 * hr_cron_lookup: fill cron from the members of the extension pg_cron (never
 * from names resolved in a schema); false when pg_cron is not installed in
 * this database or has no job table.
 */
extern bool hr_cron_lookup(HrCron *cron);

/* The ids of this database's jobs named job_name (under SPI). */
extern int64 *hr_cron_job_ids(const HrCron *cron, const char *job_name, int *njobs);

#endif							/* HOOKREG_CRON_H */
