/*
 * releases.c: immutable, gap-free releases and the live pointer (SPEC 2.3):
 * hookreg_create_release (and its C form hr_create_release for the deploy),
 * hookreg_set_live, hookreg_resolve_live, hookreg_live_at.
 *
 * Locking: every write of a hook's releases or pointer runs under the row
 * lock of its hookreg.live_pointers row.  That row also keeps last_version,
 * so a new version is last_version + 1 with no max() scan and no sequence:
 * concurrent callers serialize on the row and versions stay gap-free (a
 * rolled-back release rolls back its last_version too).
 */
#include "hookreg.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"

#include "errvalue.h"
#include "events.h"
#include "fmgrutil.h"
#include "registry.h"
#include "release_json.h"
#include "names.h"
#include "sqlutil.h"

/*
 * The release with this content, read without any lock: releases are
 * immutable and never removed, so once one is visible it is the answer, and
 * the idempotent repeat stays a read-only transaction.  Also the pointer's
 * last version (absent row: unknown hook).
 */
static const char *const hr_sql_lookup =
"SELECT p.last_version, r.id, r.version, r.id OPERATOR(pg_catalog.=) p.live_release_id"
"  FROM hookreg.live_pointers p"
"  LEFT JOIN hookreg.hook_releases r"
"    ON r.hook_name OPERATOR(pg_catalog.=) p.hook_name"
"   AND r.release_digest OPERATOR(pg_catalog.=) $2"
" WHERE p.hook_name OPERATOR(pg_catalog.=) $1";

/*
 * Lock the pointer, mint last_version + 1, insert the release, move the
 * pointer, append the move: one statement.  The lock (p) reads the newest
 * pointer even after waiting for a concurrent release; ON CONFLICT DO NOTHING
 * sees a release with the same content committed while we waited, which the
 * statement's snapshot cannot, and then nothing is written.
 *
 * A move is stamped with the clock at the move ($11), never earlier than the
 * hook's previous move: moves of one hook are serialized by the lock, so
 * their times follow their order and hookreg_live_at can trust them (now(),
 * the transaction's start, could precede a move committed while we waited).
 */
static const char *const hr_sql_release =
"WITH p AS ("
"  SELECT hook_name, live_release_id, last_version,"
"         GREATEST($11, moved_at) AS moved_at FROM hookreg.live_pointers"
"   WHERE hook_name OPERATOR(pg_catalog.=) $1 FOR UPDATE),"
" ins AS ("
"  INSERT INTO hookreg.hook_releases (id, hook_name, version, image, digest, config, limits,"
"                                     release_digest, source_ref, built_by)"
"  SELECT $2, p.hook_name, p.last_version OPERATOR(pg_catalog.+) 1, $3, $4, $5, $6, $7, $8, $9 FROM p"
"  ON CONFLICT ON CONSTRAINT hook_releases_hook_digest_key DO NOTHING"
"  RETURNING id, version),"
" upd AS ("
"  UPDATE hookreg.live_pointers lp"
"     SET live_release_id = ins.id, last_version = ins.version, moved_at = p.moved_at"
"    FROM ins, p WHERE lp.hook_name OPERATOR(pg_catalog.=) $1),"
" mv AS ("
"  INSERT INTO hookreg.live_moves (hook_name, from_release_id, to_release_id, reason, moved_by, moved_at)"
"  SELECT $1, p.live_release_id, ins.id, 'release', $10, p.moved_at FROM p, ins)"
"SELECT ins.version FROM p LEFT JOIN ins ON true";

static SPIPlanPtr hr_plan_lookup;
static SPIPlanPtr hr_plan_release;

/*
 * A hook name for a message: no real one is longer than 40 bytes, so a
 * longer (hostile) one is cut at 64 bytes, never inside a character.
 */
static char *
hr_shown_name(const char *name)
{
	return hr_error_cstr(name);
}

static void
hr_unknown_hook(const char *hook_name)
{
	ereport(ERROR,
			(errcode(ERRCODE_NO_DATA_FOUND),
			 errmsg("hook \"%s\" does not exist", hr_shown_name(hook_name)),
			 errhint("Register it first with hookreg_register_hook().")));
}

static const char *const hr_sql_known_hook =
"SELECT FROM hookreg.live_pointers p"
" WHERE p.hook_name OPERATOR(pg_catalog.=) $1";

/* P0002 unless the hook exists (its pointer row is made with it). */
static void
hr_require_known_hook(const char *hook_name)
{
	static SPIPlanPtr plan;
	static const Oid types[] = {TEXTOID};
	Datum		arg = CStringGetTextDatum(hook_name);

	if (hr_execute(hr_prepare(&plan, hr_sql_known_hook, 1, types), &arg, NULL, false, 1) == 0)
		hr_unknown_hook(hook_name);
}

/*
 * The content of a release: its checks in argument order (image, digest,
 * config, limits, source_ref, built_by), or, from the deploy, the content it
 * checked already (then only source_ref and built_by are checked here).  The
 * hook is known only from the look-up that needs the content's digest; so
 * when a check fails, the hook is looked up first and an unknown hook is
 * reported instead.  The checks are plain C (no SPI, no lock, no buffer), so
 * after catching their error the SPI connection is intact.
 */
static void
hr_release_input_content(const HrReleaseInput *input, HrReleaseContent *content)
{
	const char *source_ref_name = input->source_ref_path ? input->source_ref_path : "source_ref";
	MemoryContext caller_cxt = CurrentMemoryContext;

	PG_TRY();
	{
		if (input->content != NULL)
			*content = *input->content;
		else
		{
			char	   *limits_text;
			int			limits_len;

			if (input->image == NULL)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("image must not be null")));
			if (input->digest == NULL)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("digest must not be null")));
			limits_text = hr_jsonb_object_text(input->limits, &limits_len);
			hr_release_content(input->image, input->digest, input->config, input->limits,
							   limits_text, limits_len, input->runtime_path, content);
		}
		if (input->source_ref == NULL || input->source_ref[0] == '\0')
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s is required", source_ref_name),
					 errdetail("It says which source produced the image; it is recorded with the release."),
					 errhint("Pass e.g. the repository URL and commit: source_ref => 'https://git.example.org/hooks@3f2c1a9'.")));
		if (input->built_by && input->built_by[0] == '\0')
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("built_by must not be empty"),
					 errhint("Leave built_by NULL to record the calling role.")));
		hr_check_text_cap(source_ref_name, strlen(input->source_ref), HR_SOURCE_REF_MAX_BYTES);
		if (input->built_by != NULL)
			hr_check_text_cap("built_by", strlen(input->built_by), HR_BUILT_BY_MAX_BYTES);
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(caller_cxt);
		edata = CopyErrorData();
		FlushErrorState();
		hr_require_known_hook(input->hook_name);
		ReThrowError(edata);
	}
	PG_END_TRY();
}

/* hr_sql_release for a new release with this id; SPI_tuptable holds its version. */
static void
hr_insert_release(const HrReleaseInput *input, const HrReleaseContent *content,
				  pg_uuid_t *release_id)
{
	static const Oid types[] = {TEXTOID, UUIDOID, TEXTOID, TEXTOID, JSONBOID,
	JSONBOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TIMESTAMPTZOID};
	Datum		args[11];
	char		argnulls[11];

	memset(argnulls, ' ', sizeof(argnulls));
	args[0] = CStringGetTextDatum(input->hook_name);
	args[1] = UUIDPGetDatum(release_id);
	args[2] = CStringGetTextDatum(input->image);
	args[3] = CStringGetTextDatum(input->digest);
	/* config is stored as given (jsonb), limits with their defaults */
	args[4] = input->config ? JsonbPGetDatum(input->config) : hr_cstring_to_jsonb("{}");
	args[5] = hr_cstring_to_jsonb(content->limits_json);
	args[6] = CStringGetTextDatum(content->release_digest);
	args[7] = CStringGetTextDatum(input->source_ref);
	args[8] = CStringGetTextDatum(input->built_by ? input->built_by : hr_caller_name());
	args[9] = CStringGetTextDatum(hr_caller_name());
	args[10] = TimestampTzGetDatum(GetCurrentTimestamp());
	hr_execute(hr_prepare(&hr_plan_release, hr_sql_release, 11, types), args, argnulls, false, 0);
}

void
hr_create_release(const HrReleaseInput *input, HrReleaseResult *result)
{
	static const Oid lookup_types[] = {TEXTOID, TEXTOID};
	HrReleaseContent content;
	Datum		values[10];
	char		nulls[10];
	bool		isnull;
	pg_uuid_t  *id;

	hr_release_input_content(input, &content);

	/* the caller reads it after SPI_finish */
	result->release_digest = SPI_palloc(sizeof(content.release_digest));
	strlcpy(result->release_digest, content.release_digest, sizeof(content.release_digest));

	values[0] = CStringGetTextDatum(input->hook_name);
	values[1] = CStringGetTextDatum(content.release_digest);
	memset(nulls, ' ', sizeof(nulls));

	/* Twice at most: the second time after a concurrent equal release won. */
	for (int attempt = 0; attempt < 2; attempt++)
	{
		hr_execute(hr_prepare(&hr_plan_lookup, hr_sql_lookup, 2, lookup_types),
				   values, nulls, false, 0);
		if (SPI_processed == 0)
			hr_unknown_hook(input->hook_name);
		id = DatumGetUUIDP(hr_get(0, 2, &isnull));
		if (!isnull)
		{
			memcpy(&result->release_id, id, sizeof(pg_uuid_t));
			result->version = DatumGetInt32(hr_get(0, 3, &isnull));
			result->live = DatumGetBool(hr_get(0, 4, &isnull));
			result->live = result->live && !isnull;
			result->created = false;
			return;
		}
		if (attempt > 0)
			break;

		if (DatumGetInt32(hr_get(0, 1, &isnull)) == PG_INT32_MAX)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("hook \"%s\" has no version numbers left", input->hook_name)));

		hr_new_uuid(&result->release_id);
		hr_insert_release(input, &content, &result->release_id);
		if (SPI_processed == 0)
			hr_unknown_hook(input->hook_name);
		result->version = DatumGetInt32(hr_get(0, 1, &isnull));
		if (!isnull)
		{
			result->created = true;
			result->live = true;
			hr_notify_live_move(input->hook_name, &result->release_id, result->version, "release");
			return;
		}
		/* ON CONFLICT: an equal release was committed while we waited */
	}
	elog(ERROR, "hookreg: release %s of hook \"%s\" conflicted but cannot be found",
		 content.release_digest, input->hook_name);
}

PG_FUNCTION_INFO_V1(hookreg_create_release_v2);

/*
 * hookreg_create_release(hook_name text, image text, digest text,
 *   config jsonb DEFAULT '{}', limits jsonb DEFAULT '{}',
 *   source_ref text DEFAULT NULL, built_by text DEFAULT NULL)
 * RETURNS TABLE(release_id uuid, hook_name text, version int,
 *   release_digest text, created boolean, live boolean)
 */
Datum
hookreg_create_release_v2(PG_FUNCTION_ARGS)
{
	HrReleaseInput input = {0};
	HrReleaseResult result;
	HrElevation elev = {0};
	Datum		values[6];
	bool		nulls[6] = {0};

	hr_require_role(HR_ROLE_RELEASER, "hookreg_create_release");
	input.hook_name = hr_text_arg(fcinfo, 0, "hook_name");
	/* NULL image or digest: hr_create_release says so, after the hook */
	input.image = hr_opt_text_arg(fcinfo, 1);
	input.digest = hr_opt_text_arg(fcinfo, 2);
	input.config = hr_opt_jsonb_arg(fcinfo, 3);
	input.limits = hr_opt_jsonb_arg(fcinfo, 4);
	input.source_ref = hr_opt_text_arg(fcinfo, 5);
	input.built_by = hr_opt_text_arg(fcinfo, 6);

	hr_owner_begin(fcinfo, HR_ROLE_RELEASER, "hookreg_create_release", &elev);
	hr_create_release(&input, &result);
	hr_owner_end(&elev);

	hr_srf_begin(fcinfo);
	values[0] = UUIDPGetDatum(&result.release_id);
	values[1] = CStringGetTextDatum(input.hook_name);
	values[2] = Int32GetDatum(result.version);
	values[3] = CStringGetTextDatum(result.release_digest);
	values[4] = BoolGetDatum(result.created);
	values[5] = BoolGetDatum(result.live);
	hr_srf_put(fcinfo, values, nulls);
	return (Datum) 0;
}

/* Lock the pointer row; the newest live release id (NULL: none yet). */
static const char *const hr_sql_lock =
"SELECT live_release_id, last_version, moved_at FROM hookreg.live_pointers"
" WHERE hook_name OPERATOR(pg_catalog.=) $1 FOR UPDATE";

/*
 * Repoint under the lock taken by hr_sql_lock.  A separate statement, so that
 * its snapshot, taken after the lock was granted, sees a release committed
 * while we waited.  $3 is the live release id read under the lock; nothing
 * is written when the target is already live.  $5 stamps the move (see
 * hr_sql_release).
 */
static const char *const hr_sql_set_live =
"WITH tgt AS ("
"  SELECT id, version FROM hookreg.hook_releases"
"   WHERE hook_name OPERATOR(pg_catalog.=) $1 AND version OPERATOR(pg_catalog.=) $2),"
" upd AS ("
"  UPDATE hookreg.live_pointers lp SET live_release_id = tgt.id, moved_at = $5"
"    FROM tgt WHERE lp.hook_name OPERATOR(pg_catalog.=) $1"
"     AND ($3 IS NULL OR tgt.id OPERATOR(pg_catalog.<>) $3)),"
" mv AS ("
"  INSERT INTO hookreg.live_moves (hook_name, from_release_id, to_release_id, reason, moved_by, moved_at)"
"  SELECT $1, $3, tgt.id, 'set_live', $4, $5 FROM tgt"
"   WHERE $3 IS NULL OR tgt.id OPERATOR(pg_catalog.<>) $3)"
"SELECT tgt.id, tgt.version,"
"       (SELECT version FROM hookreg.hook_releases WHERE id OPERATOR(pg_catalog.=) $3)"
"  FROM tgt";

static SPIPlanPtr hr_plan_lock;
static SPIPlanPtr hr_plan_set_live;

PG_FUNCTION_INFO_V1(hookreg_set_live_v2);

/*
 * hookreg_set_live(hook_name text, version int)
 * RETURNS TABLE(hook_name text, live_version int, live_release_id uuid,
 *   previous_version int)
 */
Datum
hookreg_set_live_v2(PG_FUNCTION_ARGS)
{
	static const Oid lock_types[] = {TEXTOID};
	static const Oid set_types[] = {TEXTOID, INT4OID, UUIDOID, TEXTOID, TIMESTAMPTZOID};
	HrElevation elev = {0};
	char	   *hook_name;
	int32		version;
	Datum		args[5];
	char		argnulls[5] = {' ', ' ', ' ', ' ', ' '};
	bool		isnull;

	hr_require_role(HR_ROLE_RELEASER, "hookreg_set_live");
	hook_name = hr_text_arg(fcinfo, 0, "hook_name");
	hr_require_arg(fcinfo, 1, "version", NULL);
	version = PG_GETARG_INT32(1);

	hr_owner_begin(fcinfo, HR_ROLE_RELEASER, "hookreg_set_live", &elev);

	args[0] = CStringGetTextDatum(hook_name);
	hr_execute(hr_prepare(&hr_plan_lock, hr_sql_lock, 1, lock_types),
			   args, argnulls, false, 0);
	if (SPI_processed == 0)
		hr_unknown_hook(hook_name);
	/* stays valid: SPI keeps every result until SPI_finish */
	args[2] = hr_get(0, 1, &isnull);
	if (isnull)
		argnulls[2] = 'n';

	args[1] = Int32GetDatum(version);
	args[3] = CStringGetTextDatum(hr_caller_name());
	{
		TimestampTz now = GetCurrentTimestamp();
		Datum		last_move = hr_get(0, 3, &isnull);

		if (!isnull && DatumGetTimestampTz(last_move) > now)
			now = DatumGetTimestampTz(last_move);
		args[4] = TimestampTzGetDatum(now);
	}
	{
		int32		last_version = DatumGetInt32(hr_get(0, 2, &isnull));

		hr_execute(hr_prepare(&hr_plan_set_live, hr_sql_set_live, 5, set_types),
				   args, argnulls, false, 0);
		if (SPI_processed == 0)
			ereport(ERROR,
					(errcode(ERRCODE_NO_DATA_FOUND),
					 errmsg("hook \"%s\" has no version %d", hr_shown_name(hook_name), version),
					 last_version > 0
					 ? errdetail("Its versions are 1 to %d.", last_version)
					 : errdetail("It has no release yet."),
					 errhint("Create a release with hookreg_create_release(), or pick an existing version from hookreg.release_history.")));
	}

	/* a move when nothing was live or another release was */
	{
		bool		new_isnull;
		Datum		new_id = hr_get(0, 1, &new_isnull);

		if (argnulls[2] == 'n' ||
			memcmp(DatumGetUUIDP(new_id), DatumGetUUIDP(args[2]), UUID_LEN) != 0)
			hr_notify_live_move(hook_name, DatumGetUUIDP(new_id),
								DatumGetInt32(hr_get(0, 2, &isnull)), "set_live");
	}
	{
		/* hook_name, live_version, live_release_id, previous_version */
			Datum		values[4];
		bool		nulls[4] = {0};

		hr_srf_begin(fcinfo);
		values[0] = args[0];
		values[1] = hr_get(0, 2, &nulls[1]);
		values[2] = hr_get(0, 1, &nulls[2]);
		values[3] = hr_get(0, 3, &nulls[3]);
		hr_srf_put(fcinfo, values, nulls);
	}
	hr_owner_end(&elev);
	return (Datum) 0;
}

/*
 * The live releases of the requested hooks, one row per existing pointer,
 * ordered by name, from one statement and so from one snapshot: one
 * index scan of the pointers for the whole array (it sorts and dedupes the
 * keys and returns rows in name order), then a primary-key probe per hook.
 */
static const char *const hr_sql_resolve =
"SELECT p.hook_name, r.id, r.version, r.image, r.digest, r.config, r.limits"
"  FROM hookreg.live_pointers p"
"  LEFT JOIN hookreg.hook_releases r ON r.id OPERATOR(pg_catalog.=) p.live_release_id"
" WHERE p.hook_name OPERATOR(pg_catalog.=) ANY ($1)"
" ORDER BY p.hook_name";

/*
 * Only when some hook is unknown or has no live release: every distinct
 * requested name, with NULL release columns for those.
 */
static const char *const hr_sql_resolve_missing =
"SELECT n.name, l.id"
"  FROM (SELECT DISTINCT x AS name FROM pg_catalog.unnest($1) AS x) n"
"  LEFT JOIN LATERAL ("
"    SELECT r.id FROM hookreg.live_pointers p"
"      JOIN hookreg.hook_releases r ON r.id OPERATOR(pg_catalog.=) p.live_release_id"
"     WHERE p.hook_name OPERATOR(pg_catalog.=) n.name LIMIT 1) l ON true"
" ORDER BY n.name";

static SPIPlanPtr hr_plan_resolve_missing;

static int
hr_cmp_text_datum(const void *a, const void *b)
{
	text	   *ta = DatumGetTextPP(*(const Datum *) a);
	text	   *tb = DatumGetTextPP(*(const Datum *) b);
	int			la = VARSIZE_ANY_EXHDR(ta),
				lb = VARSIZE_ANY_EXHDR(tb);
	int			c = memcmp(VARDATA_ANY(ta), VARDATA_ANY(tb), Min(la, lb));

	return c != 0 ? c : (la > lb) - (la < lb);
}

/* How many distinct names the array holds (text equality is byte equality). */
static int
hr_distinct_names(ArrayType *names)
{
	Datum	   *elems;
	int			n,
				distinct = 0;

	deconstruct_array(names, TEXTOID, -1, false, TYPALIGN_INT, &elems, NULL, &n);
	qsort(elems, n, sizeof(Datum), hr_cmp_text_datum);
	for (int i = 0; i < n; i++)
		if (i == 0 || hr_cmp_text_datum(&elems[i - 1], &elems[i]) != 0)
			distinct++;
	return distinct;
}

static SPIPlanPtr hr_plan_resolve;

PG_FUNCTION_INFO_V1(hookreg_resolve_live_v2);

/*
 * hookreg_resolve_live(hook_names text[]) RETURNS TABLE(hook_name text,
 *   release_id uuid, version int, image text, digest text, config jsonb,
 *   limits jsonb)
 */
Datum
hookreg_resolve_live_v2(PG_FUNCTION_ARGS)
{
	static const Oid types[] = {TEXTARRAYOID};
	ArrayType  *names;
	Datum		arg;
	StringInfoData missing;
	int			nmissing = 0;
	bool		complete = true;

	hr_require_role(HR_ROLE_READER, "hookreg_resolve_live");
	hr_require_arg(fcinfo, 0, "hook_names", NULL);
	names = PG_GETARG_ARRAYTYPE_P(0);
	if (array_contains_nulls(names))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("hook_names must not contain null")));
	arg = PointerGetDatum(names);

	hr_spi_connect();
	hr_execute(hr_prepare(&hr_plan_resolve, hr_sql_resolve, 1, types),
			   &arg, NULL, true, 0);

	for (uint64 row = 0; row < SPI_processed; row++)
	{
		bool		isnull;

		(void) hr_get(row, 2, &isnull);
		complete &= !isnull;
	}
	if (!complete || (int) SPI_processed != hr_distinct_names(names))
	{
		/* the error path: name every hook that is unknown or has no release */
		hr_execute(hr_prepare(&hr_plan_resolve_missing, hr_sql_resolve_missing, 1, types),
				   &arg, NULL, true, 0);
		initStringInfo(&missing);
		for (uint64 row = 0; row < SPI_processed; row++)
		{
			bool		isnull;

			(void) hr_get(row, 2, &isnull);
			if (!isnull)
				continue;
			appendStringInfo(&missing, "%s%s", nmissing++ ? ", " : "",
							 hr_shown_name(TextDatumGetCString(hr_get(row, 1, &isnull))));
		}
	}
	if (nmissing > 0)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("%d of the requested hooks %s no live release", nmissing,
						nmissing == 1 ? "has" : "have"),
				 errdetail("Unknown or without a live release: %s.", missing.data),
				 errhint("Register the hooks with hookreg_register_hook() and release them with hookreg_create_release().")));

	hr_srf_put_spi_rows(fcinfo, 1, SPI_processed);
	SPI_finish();
	return (Datum) 0;
}

/*
 * The last move of the hook at or before the time (index live_moves_hook_time_idx,
 * scanned backwards); the hooks row tells an unknown hook from one that had
 * nothing live yet.
 */
static const char *const hr_sql_live_at =
"SELECT h.name, m.to_release_id, r.version, m.moved_at"
"  FROM hookreg.hooks h"
"  LEFT JOIN LATERAL ("
"    SELECT to_release_id, moved_at FROM hookreg.live_moves"
"     WHERE hook_name OPERATOR(pg_catalog.=) h.name AND moved_at OPERATOR(pg_catalog.<=) $2"
"     ORDER BY moved_at DESC, id DESC LIMIT 1) m ON true"
"  LEFT JOIN hookreg.hook_releases r ON r.id OPERATOR(pg_catalog.=) m.to_release_id"
" WHERE h.name OPERATOR(pg_catalog.=) $1";

static SPIPlanPtr hr_plan_live_at;

PG_FUNCTION_INFO_V1(hookreg_live_at_v2);

/*
 * hookreg_live_at(hook_name text, at timestamptz)
 * RETURNS TABLE(release_id uuid, version int, since timestamptz)
 */
Datum
hookreg_live_at_v2(PG_FUNCTION_ARGS)
{
	static const Oid types[] = {TEXTOID, TIMESTAMPTZOID};
	Datum		args[2];
	bool		isnull;
	char	   *hook_name;

	hr_require_role(HR_ROLE_READER, "hookreg_live_at");
	hook_name = hr_text_arg(fcinfo, 0, "hook_name");
	hr_require_arg(fcinfo, 1, "at", NULL);
	args[0] = PG_GETARG_DATUM(0);
	args[1] = PG_GETARG_DATUM(1);

	hr_spi_connect();
	hr_execute(hr_prepare(&hr_plan_live_at, hr_sql_live_at, 2, types),
			   args, NULL, true, 0);
	if (SPI_processed == 0)
		hr_unknown_hook(hook_name);
	(void) hr_get(0, 2, &isnull);
	/* no row when nothing was live then */
	hr_srf_put_spi_rows(fcinfo, 2, isnull ? 0 : 1);
	SPI_finish();
	return (Datum) 0;
}
