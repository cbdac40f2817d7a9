/*
 * cron_schedule.c: what hookreg knows of pg_cron schedules and jobs.
 *
 * - hr_cron_parse checks a schedule before it reaches pg_cron (22023 with the
 *   accepted syntax in the hint, instead of an error from inside pg_cron);
 * - hr_cron_next computes when such a schedule fires next;
 * - hookreg.housekeeping_cron_jobs() lists hookreg's jobs with their next and
 *   last run for the housekeeping views, and no row when pg_cron is absent.
 *
 * Syntax (classic cron, as pg_cron 1.4 reads it): five fields "minute hour
 * day-of-month month day-of-week"; each field a comma list of "*", "N" or
 * "N-M", each optionally followed by "/step"; months may be jan..dec and days
 * of the week sun..sat (0 and 7 are Sunday); or one of @yearly, @annually,
 * @monthly, @weekly, @daily, @midnight, @hourly.  As in Vixie cron, when
 * both day fields are restricted a day matches either of them; a field that
 * starts with "*" counts as unrestricted.  pg_cron 1.4 runs schedules in GMT.
 */
#include "hookreg.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/guc.h"
#include "utils/timestamp.h"

#include "cron_schedule.h"
#include "sanitize.h"
#include "fmgrutil.h"
#include "sqlutil.h"

#define HR_CRON_SYNTAX_HINT \
	"A schedule is five fields \"minute hour day-of-month month day-of-week\" " \
	"(0-59, 0-23, 1-31, 1-12 or jan-dec, 0-7 or sun-sat), each \"*\", a number, " \
	"a range \"a-b\" or a comma list of them, optionally with a step \"/n\"; " \
	"or one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly. " \
	"Example: '*/5 * * * *' (every five minutes)."

typedef struct HrCronField
{
	const char *name;
	int			lo;
	int			hi;
	const char *const *names;	/* names of lo, lo+1, ... or NULL */
} HrCronField;

static const char *const hr_month_names[] = {"jan", "feb", "mar", "apr", "may", "jun",
"jul", "aug", "sep", "oct", "nov", "dec", NULL};
static const char *const hr_dow_names[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat", NULL};

static const HrCronField hr_cron_fields[5] = {
	{"minute", 0, 59, NULL},
	{"hour", 0, 23, NULL},
	{"day of month", 1, 31, NULL},
	{"month", 1, 12, hr_month_names},
	{"day of week", 0, 7, hr_dow_names},
};

static void
hr_cron_error(const char *schedule, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid cron schedule \"%.80s\"", schedule),
			 errdetail("%s", detail),
			 errhint(HR_CRON_SYNTAX_HINT)));
}

/* A number or (for month and day of week) a name; advances *p. */
static bool
hr_cron_value(const char **p, const HrCronField *f, int *out)
{
	const char *s = *p;

	if (*s >= '0' && *s <= '9')
	{
		int			v = 0;

		while (*s >= '0' && *s <= '9' && v < 1000)
			v = v * 10 + (*s++ - '0');
		*p = s;
		*out = v;
		return v >= f->lo && v <= f->hi;
	}
	if (f->names != NULL)
		for (int i = 0; f->names[i] != NULL; i++)
			if (pg_strncasecmp(s, f->names[i], 3) == 0)
			{
				*p = s + 3;
				*out = f->lo + i;
				return true;
			}
	return false;
}

/* One field into its bit set; *star when it starts with "*". */
static bool
hr_cron_field(const char *text, const HrCronField *f, uint64 *bits, bool *star,
			  char **why)
{
	const char *p = text;

	*bits = 0;
	*star = (*p == '*');
	for (;;)
	{
		int			lo,
					hi,
					step = 1;

		if (*p == '*')
		{
			lo = f->lo;
			hi = f->hi;
			p++;
		}
		else
		{
			if (!hr_cron_value(&p, f, &lo))
			{
				*why = psprintf("The %s field \"%s\" holds a value outside %d-%d or an unknown name.",
								f->name, text, f->lo, f->hi);
				return false;
			}
			hi = lo;
			if (*p == '-')
			{
				p++;
				if (!hr_cron_value(&p, f, &hi) || hi < lo)
				{
					*why = psprintf("The %s field \"%s\" holds a bad range.", f->name, text);
					return false;
				}
			}
		}
		if (*p == '/')
		{
			p++;
			step = 0;
			while (*p >= '0' && *p <= '9' && step < 1000)
				step = step * 10 + (*p++ - '0');
			if (step < 1 || step > f->hi)
			{
				*why = psprintf("The %s field \"%s\" holds a bad step.", f->name, text);
				return false;
			}
		}
		for (int v = lo; v <= hi; v += step)
			*bits |= UINT64CONST(1) << v;
		if (*p == '\0')
			break;
		if (*p != ',')
		{
			*why = psprintf("The %s field \"%s\" holds an unexpected character.", f->name, text);
			return false;
		}
		p++;
	}
	return true;
}

bool
hr_cron_parse(const char *schedule, HrCronSchedule *out, bool raise)
{
	static const struct
	{
		const char *name;
		const char *expr;
	}			macros[] = {
		{"@yearly", "0 0 1 1 *"}, {"@annually", "0 0 1 1 *"}, {"@monthly", "0 0 1 * *"},
		{"@weekly", "0 0 * * 0"}, {"@daily", "0 0 * * *"}, {"@midnight", "0 0 * * *"},
		{"@hourly", "0 * * * *"},
	};
	char	   *copy;
	char	   *fields[6];
	int			n = 0;
	char	   *why = NULL;
	bool		star[5];

	if (strlen(schedule) > 200)
	{
		if (raise)
			hr_cron_error(schedule, "The schedule is longer than 200 characters.");
		return false;
	}
	copy = pstrdup(schedule);
	/* a macro stands alone */
	{
		char	   *s = copy;

		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '@')
		{
			char	   *e = s + strlen(s);

			while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
				*--e = '\0';
			for (size_t i = 0; i < lengthof(macros); i++)
				if (pg_strcasecmp(s, macros[i].name) == 0)
					return hr_cron_parse(macros[i].expr, out, raise);
			if (raise)
				hr_cron_error(schedule, "The schedule starts with \"@\" but is not a known shorthand.");
			return false;
		}
	}
	for (char *tok = strtok(copy, " \t"); tok != NULL; tok = strtok(NULL, " \t"))
	{
		if (n == 5)
		{
			n++;
			break;
		}
		fields[n++] = tok;
	}
	if (n != 5)
	{
		if (raise)
			hr_cron_error(schedule, n < 5 ? "The schedule has fewer than five fields."
						  : "The schedule has more than five fields.");
		return false;
	}
	for (int i = 0; i < 5; i++)
		if (!hr_cron_field(fields[i], &hr_cron_fields[i], &out->bits[i], &star[i], &why))
		{
			if (raise)
				hr_cron_error(schedule, why);
			return false;
		}
	/* 7 is Sunday too */
	if (out->bits[4] & (UINT64CONST(1) << 7))
		out->bits[4] |= 1;
	out->dom_star = star[2];
	out->dow_star = star[4];
	return true;
}

static bool
hr_cron_day_matches(const HrCronSchedule *c, int year, int mon, int mday)
{
	int			wday = j2day(date2j(year, mon, mday));
	bool		dom = (c->bits[2] >> mday) & 1;
	bool		dow = (c->bits[4] >> wday) & 1;

	if (c->dom_star || c->dow_star)
		return dom && dow;
	return dom || dow;
}

bool
hr_cron_next(const HrCronSchedule *c, TimestampTz after, TimestampTz *next)
{
	struct pg_tm tm;
	fsec_t		fsec;
	TimestampTz t;

	/* the first whole minute after "after" */
	t = after - (after % USECS_PER_MINUTE) + USECS_PER_MINUTE;
	/* at most about five years of days, hours and minutes (Feb 29 included) */
	for (int guard = 0; guard < 5 * 366 + 5 * 12 + 24 * 60 * 2; guard++)
	{
		if (timestamp2tm(t, NULL, &tm, &fsec, NULL, NULL) != 0)
			return false;
		if (!((c->bits[3] >> tm.tm_mon) & 1))
		{
			/* the first minute of the next month */
			tm.tm_mday = 1;
			tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
			if (++tm.tm_mon > 12)
			{
				tm.tm_mon = 1;
				tm.tm_year++;
			}
		}
		else if (!hr_cron_day_matches(c, tm.tm_year, tm.tm_mon, tm.tm_mday))
		{
			t += USECS_PER_DAY - (tm.tm_hour * USECS_PER_HOUR + tm.tm_min * USECS_PER_MINUTE);
			continue;
		}
		else if (!((c->bits[1] >> tm.tm_hour) & 1))
		{
			t += USECS_PER_HOUR - tm.tm_min * USECS_PER_MINUTE;
			continue;
		}
		else if (!((c->bits[0] >> tm.tm_min) & 1))
		{
			t += USECS_PER_MINUTE;
			continue;
		}
		else
		{
			*next = t;
			return true;
		}
		if (tm2timestamp(&tm, 0, NULL, &t) != 0)
			return false;
	}
	return false;
}

/* The job names hookreg schedules, and what the views call them. */
static const char *const hr_cron_jobs[][2] = {
	{HR_CRON_JOB_NAME, "reconcile"},
	{HR_CRON_PRUNE_JOB_NAME, "prune"},
};

static const char *const hr_sql_find_cron =
"SELECT n.nspname::pg_catalog.text FROM pg_catalog.pg_extension e"
"  JOIN pg_catalog.pg_depend d"
"    ON d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_extension'::pg_catalog.regclass"
"   AND d.refobjid OPERATOR(pg_catalog.=) e.oid"
"   AND d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_namespace'::pg_catalog.regclass"
"   AND d.deptype OPERATOR(pg_catalog.=) 'e'"
"  JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) d.objid"
" WHERE e.extname OPERATOR(pg_catalog.=) 'pg_cron'"
" ORDER BY (n.nspname OPERATOR(pg_catalog.=) 'cron') DESC LIMIT 1";

/*
 * hookreg's jobs with their last run, in the schema %s of pg_cron (twice).
 * Not a kept plan: pg_cron may be dropped and created again, in another
 * schema; the schema is quoted by the caller, the job names are constants.
 */
static const char *const hr_sql_cron_jobs_fmt =
"SELECT j.jobname::pg_catalog.text, j.jobid, j.schedule::pg_catalog.text, j.active,"
"       d.start_time, d.status::pg_catalog.text, d.return_message::pg_catalog.text"
"  FROM %s.job j"
"  LEFT JOIN LATERAL (SELECT x.start_time, x.status, x.return_message"
"                       FROM %s.job_run_details x"
"                      WHERE x.jobid OPERATOR(pg_catalog.=) j.jobid"
"                      ORDER BY x.runid DESC LIMIT 1) d ON true"
" WHERE j.jobname OPERATOR(pg_catalog.=) ANY (ARRAY['%s', '%s'])"
"   AND j.database OPERATOR(pg_catalog.=) pg_catalog.current_database()"
" ORDER BY j.jobname";

/*
 * One row of housekeeping_cron_jobs() from row ROW of the query above: the
 * view's name of the job, its next run (computed only when pg_cron runs the
 * schedule in GMT and the job is active) and its last run, the message
 * sanitized and cut to 500 bytes.  Values are copied out of SPI memory.
 */
static void
hr_cron_job_row(FunctionCallInfo fcinfo, uint64 row, bool gmt)
{
	Datum		values[8];
	bool		nulls[8] = {false};
	bool		isnull;
	char	   *jobname = TextDatumGetCString(hr_get(row, 1, &isnull));
	char	   *schedule;
	HrCronSchedule cron;
	TimestampTz next;

	values[0] = CStringGetTextDatum(jobname);
	for (size_t i = 0; i < lengthof(hr_cron_jobs); i++)
		if (strcmp(jobname, hr_cron_jobs[i][0]) == 0)
			values[0] = CStringGetTextDatum(hr_cron_jobs[i][1]);
	values[1] = hr_get(row, 2, &nulls[1]);
	values[2] = hr_get(row, 3, &nulls[2]);
	values[3] = hr_get(row, 4, &nulls[3]);
	schedule = nulls[2] ? NULL : TextDatumGetCString(values[2]);
	values[2] = nulls[2] ? (Datum) 0 : CStringGetTextDatum(schedule);
	/* the next run of an active job, when the schedule is classic cron */
	nulls[4] = true;
	if (gmt && schedule != NULL && !nulls[3] && DatumGetBool(values[3]) &&
		hr_cron_parse(schedule, &cron, false) &&
		hr_cron_next(&cron, GetCurrentTimestamp(), &next))
	{
		values[4] = TimestampTzGetDatum(next);
		nulls[4] = false;
	}
	values[5] = hr_get(row, 5, &nulls[5]);
	values[6] = hr_get(row, 6, &nulls[6]);
	if (!nulls[6])
		values[6] = CStringGetTextDatum(TextDatumGetCString(values[6]));
	values[7] = hr_get(row, 7, &nulls[7]);
	if (!nulls[7])
	{
		char	   *msg = TextDatumGetCString(values[7]);

		values[7] = CStringGetTextDatum(hr_sanitize_message(msg, strlen(msg), 500));
	}
	hr_srf_put(fcinfo, values, nulls);
}

PG_FUNCTION_INFO_V1(hookreg_housekeeping_cron_jobs_v2);

/*
 * hookreg.housekeeping_cron_jobs() RETURNS TABLE(job text, jobid bigint,
 * schedule text, active boolean, next_run_at timestamptz,
 * last_run_started_at timestamptz, last_run_status text, last_run_message
 * text), STABLE.  Read as the extension owner: pg_cron shows a job only to
 * the role that scheduled it.  pg_cron is looked for as the installed
 * extension, its tables in the schema that belongs to it (cron); without it,
 * no row.
 */
Datum
hookreg_housekeeping_cron_jobs_v2(PG_FUNCTION_ARGS)
{
	static SPIPlanPtr find_cron;
	HrElevation elev = {0};
	const char *schema;
	char	   *sql;
	const char *tz;
	bool		gmt;
	bool		isnull;

	hr_srf_begin(fcinfo);

	/* pg_cron 1.5 and later may run schedules in another time zone */
	tz = GetConfigOption("cron.timezone", true, false);
	gmt = (tz == NULL || pg_strcasecmp(tz, "GMT") == 0 || pg_strcasecmp(tz, "UTC") == 0);

	hr_owner_begin(fcinfo, NULL, NULL, &elev);
	if (hr_execute(hr_prepare(&find_cron, hr_sql_find_cron, 0, NULL),
				   NULL, NULL, true, 1) == 0)
	{
		hr_owner_end(&elev);
		return (Datum) 0;
	}
	schema = quote_identifier(TextDatumGetCString(hr_get(0, 1, &isnull)));
	sql = psprintf(hr_sql_cron_jobs_fmt, schema, schema,
				   hr_cron_jobs[0][0], hr_cron_jobs[1][0]);
	if (SPI_execute(sql, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "hookreg: reading the pg_cron jobs failed");

	for (uint64 row = 0; row < SPI_processed; row++)
		hr_cron_job_row(fcinfo, row, gmt);
	hr_owner_end(&elev);
	return (Datum) 0;
}
