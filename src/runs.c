/*
 * runs.c: append-only run records and provenance (doc/reference.md):
 * hookreg_record_run, hookreg_run_id, hookreg_provenance.
 */
#include "hookreg.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "common/int.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"
#include "utils/uuid.h"

#include "errvalue.h"
#include "fmgrutil.h"
#include "names.h"
#include "sqlutil.h"

/*
 * The namespace of hookreg_run_id: uuid5(NAMESPACE_URL,
 * "https://pgxn.org/dist/hookreg/run_id") = 71f9a91e-553f-5e76-b152-83ea2a0453ab.
 */
static const unsigned char hr_run_namespace[UUID_LEN] = {
	0x71, 0xf9, 0xa9, 0x1e, 0x55, 0x3f, 0x5e, 0x76,
	0xb1, 0x52, 0x83, 0xea, 0x2a, 0x04, 0x53, 0xab
};

static const char *const hr_statuses[] = {"passed", "warnings", "failed", "error", NULL};

/*
 * Insert the run when its release exists; a run id already recorded (or
 * being recorded by a concurrent session, which we wait for) writes nothing.
 */
static const char *const hr_sql_run_insert =
"INSERT INTO hookreg.hook_runs (id, release_id, status, started_at, finished_at,"
"                               duration_s, oom_retries, log_ref)"
"SELECT $1, r.id, $3, $4, $5, $6, $7, $8 FROM hookreg.hook_releases r"
" WHERE r.id OPERATOR(pg_catalog.=) $2"
"    ON CONFLICT (id) DO NOTHING";

/* Why nothing was inserted: an unknown release, or the run as recorded. */
static const char *const hr_sql_run_existing =
"SELECT EXISTS (SELECT FROM hookreg.hook_releases WHERE id OPERATOR(pg_catalog.=) $2),"
"       h.release_id, h.status, h.started_at, h.finished_at, h.duration_s,"
"       h.oom_retries, h.log_ref"
"  FROM (SELECT) AS one"
"  LEFT JOIN hookreg.hook_runs h ON h.id OPERATOR(pg_catalog.=) $1";

static SPIPlanPtr hr_plan_run_insert;
static SPIPlanPtr hr_plan_run_existing;

#define HR_RUN_NARGS 8

static TimestampTz
hr_finite_ts_arg(FunctionCallInfo fcinfo, int argno, const char *name)
{
	TimestampTz ts;

	hr_require_arg(fcinfo, argno, name, NULL);
	ts = PG_GETARG_TIMESTAMPTZ(argno);
	if (TIMESTAMP_NOT_FINITE(ts))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a finite time", name),
				 errdetail("It is %s.", timestamptz_to_str(ts))));
	return ts;
}

/* 22023 about the run's two times, both shown. */
static void
hr_times_error(TimestampTz started, TimestampTz finished, const char *message, const char *hint)
{
	/* timestamptz_to_str returns a static buffer */
	char	   *started_text = pstrdup(timestamptz_to_str(started));
	char	   *finished_text = pstrdup(timestamptz_to_str(finished));

	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg_internal("%s", message),
			 errdetail("The run started at %s and finished at %s.", started_text, finished_text),
			 errhint("%s", hint)));
}

/*
 * The fields of the recorded run that differ from this call's, as a list
 * for a message; NULL when they are all equal.
 */
static char *
hr_run_differences(const Datum *args, const char *argnulls)
{
	static const char *const names[] = {"release_id", "status", "started_at",
	"finished_at", "duration_s", "oom_retries", "log_ref"};
	StringInfoData diff;

	initStringInfo(&diff);
	for (int i = 0; i < 7; i++)
	{
		bool		isnull;
		Datum		have = hr_get(0, i + 2, &isnull);
		Datum		want = args[i + 1];
		bool		same;

		if (isnull || argnulls[i + 1] == 'n')
			same = isnull && argnulls[i + 1] == 'n';
		else if (i == 0)
			same = memcmp(DatumGetUUIDP(have), DatumGetUUIDP(want), UUID_LEN) == 0;
		else if (i == 2 || i == 3)
			same = DatumGetTimestampTz(have) == DatumGetTimestampTz(want);
		else if (i == 4)
			same = DatumGetFloat8(have) == DatumGetFloat8(want);
		else if (i == 5)
			same = DatumGetInt32(have) == DatumGetInt32(want);
		else
			same = strcmp(TextDatumGetCString(have), TextDatumGetCString(want)) == 0;
		if (!same)
			appendStringInfo(&diff, "%s%s", diff.len ? ", " : "", names[i]);
	}
	return diff.len ? diff.data : NULL;
}

/*
 * The arguments of hookreg_record_run, checked, as the parameters of both
 * statements: $1 run id, $2 release id, $3 status, $4 started_at,
 * $5 finished_at, $6 duration_s, $7 oom_retries, $8 log_ref.
 */
static void
hr_run_args(FunctionCallInfo fcinfo, Datum *args, char *argnulls, pg_uuid_t *run_id)
{
	char	   *status;
	bool		known = false;
	TimestampTz started,
				finished;
	int32		oom_retries = 0;
	double		duration;

	memset(argnulls, ' ', HR_RUN_NARGS);
	hr_require_arg(fcinfo, 0, "release_id", NULL);
	status = hr_text_arg(fcinfo, 1, "status");
	for (const char *const *s = hr_statuses; *s; s++)
		known |= strcmp(*s, status) == 0;
	if (!known)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid run status \"%s\"", hr_error_cstr(status)),
				 errhint("A status is one of passed, warnings, failed, error.")));
	started = hr_finite_ts_arg(fcinfo, 2, "started_at");
	finished = hr_finite_ts_arg(fcinfo, 3, "finished_at");
	if (finished < started)
		hr_times_error(started, finished, "finished_at precedes started_at",
					   "Pass the time the run ended as finished_at.");
	/* NULL means the default, 0 */
	if (!PG_ARGISNULL(4))
		oom_retries = PG_GETARG_INT32(4);
	if (oom_retries < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("oom_retries must not be negative"),
				 errdetail("It is %d.", oom_retries)));
	if (PG_ARGISNULL(6))
	{
		int64		usecs;

		/* 4713 BC to 294276 AD is more microseconds than an int64 holds */
		if (pg_sub_s64_overflow(finished, started, &usecs))
			hr_times_error(started, finished,
						   "started_at and finished_at are too far apart to compute duration_s",
						   "Pass the real start and end of the run, or pass duration_s.");
		duration = (double) usecs / USECS_PER_SEC;
	}
	else
	{
		duration = PG_GETARG_FLOAT8(6);
		if (!(duration >= 0) || isinf(duration))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("duration_s must be a finite number of seconds, not negative"),
					 errdetail("It is %g.", duration),
					 errhint("Leave duration_s NULL to take the seconds between started_at and finished_at.")));
	}
	if (!PG_ARGISNULL(5))
		hr_check_text_cap("log_ref", VARSIZE_ANY_EXHDR(PG_GETARG_TEXT_PP(5)), HR_LOG_REF_MAX_BYTES);
	if (PG_ARGISNULL(7))
		hr_new_uuid(run_id);
	else
		memcpy(run_id, PG_GETARG_UUID_P(7), sizeof(pg_uuid_t));

	args[0] = UUIDPGetDatum(run_id);
	args[1] = PG_GETARG_DATUM(0);
	args[2] = CStringGetTextDatum(status);
	args[3] = TimestampTzGetDatum(started);
	args[4] = TimestampTzGetDatum(finished);
	args[5] = Float8GetDatum(duration);
	args[6] = Int32GetDatum(oom_retries);
	args[7] = PG_ARGISNULL(5) ? (Datum) 0 : PG_GETARG_DATUM(5);
	if (PG_ARGISNULL(5))
		argnulls[7] = 'n';
}

/*
 * Nothing was inserted: raise why (an unknown release, or the run id
 * recorded with other fields), or return when the recorded run is this one.
 */
static void
hr_run_not_inserted(const Datum *args, const char *argnulls, const Oid *types)
{
	bool		isnull;
	char	   *diff;

	hr_execute(hr_prepare(&hr_plan_run_existing, hr_sql_run_existing, 2, types),
			   args, argnulls, false, 0);
	if (!DatumGetBool(hr_get(0, 1, &isnull)))
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("release %s does not exist",
						DatumGetCString(DirectFunctionCall1(uuid_out, args[1]))),
				 errhint("Record runs against a release_id from hookreg_create_release() or hookreg_resolve_live().")));
	(void) hr_get(0, 2, &isnull);
	if (isnull)
		elog(ERROR, "hookreg: run %s conflicted but cannot be found",
			 DatumGetCString(DirectFunctionCall1(uuid_out, args[0])));
	diff = hr_run_differences(args, argnulls);
	if (diff != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNIQUE_VIOLATION),
				 errmsg("run %s is already recorded with other fields",
						DatumGetCString(DirectFunctionCall1(uuid_out, args[0]))),
				 errdetail("These fields differ from the recorded run: %s.", diff),
				 errhint("Runs are append-only: record a repeated run with identical fields, or use a new run_id.")));
}

PG_FUNCTION_INFO_V1(hookreg_record_run_v2);

/*
 * hookreg_record_run(release_id uuid, status text, started_at timestamptz,
 *   finished_at timestamptz, oom_retries int DEFAULT 0, log_ref text DEFAULT NULL,
 *   duration_s double precision DEFAULT NULL, run_id uuid DEFAULT NULL)
 * RETURNS uuid
 */
Datum
hookreg_record_run_v2(PG_FUNCTION_ARGS)
{
	static const Oid types[HR_RUN_NARGS] = {UUIDOID, UUIDOID, TEXTOID, TIMESTAMPTZOID,
	TIMESTAMPTZOID, FLOAT8OID, INT4OID, TEXTOID};
	HrElevation elev = {0};
	Datum		args[HR_RUN_NARGS];
	char		argnulls[HR_RUN_NARGS];
	pg_uuid_t  *run_id = palloc(sizeof(pg_uuid_t));

	hr_require_role(HR_ROLE_RUNNER, "hookreg_record_run");
	hr_run_args(fcinfo, args, argnulls, run_id);

	hr_owner_begin(fcinfo, HR_ROLE_RUNNER, "hookreg_record_run", &elev);
	if (hr_execute(hr_prepare(&hr_plan_run_insert, hr_sql_run_insert, HR_RUN_NARGS, types),
				   args, argnulls, false, 0) == 0)
		hr_run_not_inserted(args, argnulls, types);
	hr_owner_end(&elev);
	PG_RETURN_UUID_P(run_id);
}

PG_FUNCTION_INFO_V1(hookreg_run_id_v2);

/*
 * hookreg_run_id(key text) RETURNS uuid, IMMUTABLE STRICT: the RFC 4122
 * version 5 (SHA-1) UUID of the key's bytes in hookreg's run namespace.
 */
Datum
hookreg_run_id_v2(PG_FUNCTION_ARGS)
{
	text	   *key = PG_GETARG_TEXT_PP(0);
	size_t		len = VARSIZE_ANY_EXHDR(key);
	char	   *buf = palloc(UUID_LEN + len);
	unsigned char hash[20];
	pg_uuid_t  *out = palloc(sizeof(pg_uuid_t));

	memcpy(buf, hr_run_namespace, UUID_LEN);
	memcpy(buf + UUID_LEN, VARDATA_ANY(key), len);
	hr_sha1(buf, UUID_LEN + len, hash);
	memcpy(out->data, hash, UUID_LEN);
	out->data[6] = (out->data[6] & 0x0f) | 0x50;	/* version 5 */
	out->data[8] = (out->data[8] & 0x3f) | 0x80;	/* RFC 4122 variant */
	PG_RETURN_UUID_P(out);
}

static const char *const hr_sql_provenance =
"SELECT h.id, h.status, h.started_at, h.finished_at, h.duration_s, h.oom_retries,"
"       r.hook_name, r.version, r.id, r.image, r.digest, r.config, r.limits,"
"       r.source_ref, r.built_by, r.built_at"
"  FROM hookreg.hook_runs h"
"  JOIN hookreg.hook_releases r ON r.id OPERATOR(pg_catalog.=) h.release_id"
" WHERE h.id OPERATOR(pg_catalog.=) $1";

static SPIPlanPtr hr_plan_provenance;

PG_FUNCTION_INFO_V1(hookreg_provenance_v2);

/*
 * hookreg_provenance(run_id uuid) RETURNS TABLE(run_id uuid, status text,
 *   started_at timestamptz, finished_at timestamptz, duration_s double precision,
 *   oom_retries int, hook_name text, version int, release_id uuid, image text,
 *   digest text, config jsonb, limits jsonb, source_ref text, built_by text,
 *   built_at timestamptz)
 * STRICT; unknown run: no row.
 */
Datum
hookreg_provenance_v2(PG_FUNCTION_ARGS)
{
	static const Oid types[] = {UUIDOID};
	Datum		arg;

	hr_require_role(HR_ROLE_READER, "hookreg_provenance");
	arg = PG_GETARG_DATUM(0);
	hr_spi_connect();
	hr_execute(hr_prepare(&hr_plan_provenance, hr_sql_provenance, 1, types),
			   &arg, NULL, true, 0);
	hr_srf_put_spi_rows(fcinfo, 1, SPI_processed);
	SPI_finish();
	return (Datum) 0;
}
