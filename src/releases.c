/*
 * releases.c: immutable, gap-free releases and the live pointer (doc/reference.md):
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
#include "utils/acl.h"
#include "utils/rls.h"
#include "utils/snapmgr.h"
#include "utils/varlena.h"
#include "miscadmin.h"
#include "access/htup_details.h"
#include "utils/timestamp.h"

#include "errvalue.h"
#include "events.h"
#include "fmgrutil.h"
#include "registry.h"
#include "registry_scan.h"
#include "release_json.h"
#include "names.h"
#include "sqlutil.h"

/*
 * A new release, when the pointer row is still the version the lock-free
 * look-up read ($12: its last_version, $13: its live release, NULL for none,
 * $14: its xmin).  The update of the pointer takes its row lock, waiting in
 * line behind concurrent writers of the hook and then, under READ COMMITTED,
 * reading the newest version of the row.  If that is still the version the
 * look-up read (same xmin: every change of the row by another transaction
 * makes a version with its own xmin), it mints $12 + 1 and points at the new
 * release $2.  Otherwise a release or repoint was committed since the
 * look-up: it keeps the row as it is (and so the lock, and its place in
 * line) and writes nothing else, and the caller looks up again and writes
 * with hr_sql_release.  Every release of a hook moves its pointer under this
 * lock, so an unchanged row means that no release appeared since the
 * look-up, and the release is inserted without ON CONFLICT.  The release
 * and the move are inserted only from a pointer row that names $2 (a new
 * random id), so all three rows or none are written; the pointer's deferred
 * foreign key sees the release at commit.
 */
#define HR_POINTER_UNCHANGED "p.xmin OPERATOR(pg_catalog.=) $14"

static const char *const hr_sql_release_new =
"WITH u AS ("
"  UPDATE hookreg.live_pointers p"
"     SET live_release_id = CASE WHEN " HR_POINTER_UNCHANGED " THEN $2 ELSE p.live_release_id END,"
"         last_version = CASE WHEN " HR_POINTER_UNCHANGED
"                        THEN $12 OPERATOR(pg_catalog.+) 1 ELSE p.last_version END,"
"         moved_at = CASE WHEN " HR_POINTER_UNCHANGED
"                    THEN GREATEST($11, p.moved_at) ELSE p.moved_at END"
"   WHERE p.hook_name OPERATOR(pg_catalog.=) $1"
"  RETURNING p.live_release_id, p.last_version, p.moved_at),"
" ins AS ("
"  INSERT INTO hookreg.hook_releases (id, hook_name, version, image, digest, config, limits,"
"                                     release_digest, source_ref, built_by)"
"  SELECT $2, $1, u.last_version, $3, $4, $5, $6, $7, $8, $9 FROM u"
"   WHERE u.live_release_id OPERATOR(pg_catalog.=) $2)"
"INSERT INTO hookreg.live_moves (hook_name, from_release_id, to_release_id, reason, moved_by, moved_at)"
"SELECT $1, $13, $2, 'release', $10, u.moved_at FROM u"
" WHERE u.live_release_id OPERATOR(pg_catalog.=) $2";

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

static SPIPlanPtr hr_plan_release_new;
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

/*
 * A new release with this id: lookup NULL runs hr_sql_release (lock, then
 * insert unless an equal release exists; SPI_tuptable holds its version,
 * NULL on a conflict, no row for an unknown hook); otherwise
 * hr_sql_release_new for the pointer as the look-up saw it (SPI_processed:
 * 1 when written, 0 when the pointer had moved).
 */
static void
hr_insert_release(const HrReleaseInput *input, const HrReleaseContent *content,
				  const pg_uuid_t *release_id, const HrReleaseLookup *lookup)
{
	static const Oid types[] = {TEXTOID, UUIDOID, TEXTOID, TEXTOID, JSONBOID,
		JSONBOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TIMESTAMPTZOID,
	INT4OID, UUIDOID, XIDOID};
	Datum		args[14];
	char		argnulls[14];

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
	if (lookup == NULL)
	{
		hr_execute(hr_prepare(&hr_plan_release, hr_sql_release, 11, types), args, argnulls, false, 0);
		return;
	}
	args[11] = Int32GetDatum(lookup->last_version);
	args[12] = UUIDPGetDatum(&lookup->live_release_id);
	if (!lookup->has_live)
		argnulls[12] = 'n';
	args[13] = TransactionIdGetDatum(lookup->pointer_xmin);
	hr_execute(hr_prepare(&hr_plan_release_new, hr_sql_release_new, 14, types),
			   args, argnulls, false, 0);
}

/*
 * Three attempts at most: (0) the lock-free look-up, then the write if the
 * pointer has not moved since; (1) after a concurrent release or repoint,
 * the look-up again, then the write under the lock whatever the pointer
 * says (hr_sql_release); (2) after its ON CONFLICT found an equal release
 * committed while it waited, the look-up that returns that release.
 */
void
hr_create_release(const HrReleaseInput *input, HrReleaseResult *result)
{
	HrReleaseContent content;
	HrReleaseLookup lookup;
	bool		isnull;

	hr_release_input_content(input, &content);

	/* the caller reads it after SPI_finish */
	result->release_digest = SPI_palloc(sizeof(content.release_digest));
	strlcpy(result->release_digest, content.release_digest, sizeof(content.release_digest));

	for (int attempt = 0; attempt < 3; attempt++)
	{
		hr_scan_release_lookup(input->hook_name, content.release_digest, &lookup);
		if (!lookup.hook_found)
			hr_unknown_hook(input->hook_name);
		if (lookup.release_found)
		{
			memcpy(&result->release_id, &lookup.release_id, sizeof(pg_uuid_t));
			result->version = lookup.release_version;
			result->live = lookup.has_live &&
				memcmp(&lookup.live_release_id, &lookup.release_id, sizeof(pg_uuid_t)) == 0;
			result->created = false;
			return;
		}
		if (attempt == 2)
			break;

		if (lookup.last_version == PG_INT32_MAX)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("hook \"%s\" has no version numbers left", input->hook_name)));

		hr_new_uuid(&result->release_id);
		if (attempt == 0)
		{
			hr_insert_release(input, &content, &result->release_id, &lookup);
			if (SPI_processed == 0)
				continue;		/* the pointer moved since the look-up */
			result->version = lookup.last_version + 1;
		}
		else
		{
			hr_insert_release(input, &content, &result->release_id, NULL);
			if (SPI_processed == 0)
				hr_unknown_hook(input->hook_name);
			result->version = DatumGetInt32(hr_get(0, 1, &isnull));
			if (isnull)
				continue;		/* ON CONFLICT: an equal release was committed while we waited */
		}
		result->created = true;
		result->live = true;
		hr_notify_live_move(input->hook_name, &result->release_id, result->version, "release");
		return;
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

static void
hr_resolve_missing_error(int nmissing, const char *missing)
{
	ereport(ERROR,
			(errcode(ERRCODE_NO_DATA_FOUND),
			 errmsg("%d of the requested hooks %s no live release", nmissing,
					nmissing == 1 ? "has" : "have"),
			 errdetail("Unknown or without a live release: %s.", missing),
			 errhint("Register the hooks with hookreg_register_hook() and release them with hookreg_create_release().")));
}

/* hookreg_resolve_live through SPI: for callers the direct reads do not serve */
static void
hr_resolve_spi(FunctionCallInfo fcinfo, ArrayType *names)
{
	static const Oid types[] = {TEXTARRAYOID};
	Datum		arg = PointerGetDatum(names);
	StringInfoData missing;
	int			nmissing = 0;
	bool		complete = true;

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
		hr_resolve_missing_error(nmissing, missing.data);

	hr_srf_put_spi_rows(fcinfo, 1, SPI_processed);
	SPI_finish();
}

/*
 * The direct reads serve a caller who may SELECT both tables and whom no
 * row-level security policy applies to; any other caller goes through SPI,
 * which then raises the executor's own error or applies the policies.
 */
static bool
hr_resolve_direct_allowed(void)
{
	Oid			user = GetUserId();
	const HrScanRel tables[] = {HR_REL_LIVE_POINTERS, HR_REL_HOOK_RELEASES};

	for (int i = 0; i < (int) lengthof(tables); i++)
	{
		Oid			relid = hr_scan_relid(tables[i]);

		if (pg_class_aclcheck(relid, user, ACL_SELECT) != ACLCHECK_OK ||
			check_enable_rls(relid, InvalidOid, true) == RLS_ENABLED)
			return false;
	}
	return true;
}

static int
hr_cmp_text_coll(const void *a, const void *b, void *arg)
{
	text	   *ta = DatumGetTextPP(*(const Datum *) a);
	text	   *tb = DatumGetTextPP(*(const Datum *) b);

	return varstr_cmp(VARDATA_ANY(ta), VARSIZE_ANY_EXHDR(ta),
					  VARDATA_ANY(tb), VARSIZE_ANY_EXHDR(tb), *(Oid *) arg);
}

/* live_pointers: hook_name, live_release_id; hook_releases: id .. limits */
#define HR_RESOLVE_POINTER_LIVE_ID	2
static const AttrNumber hr_resolve_release_atts[] = {1, 3, 4, 5, 6, 7};

#define HR_RESOLVE_NATTS (1 + (int) lengthof(hr_resolve_release_atts))

/*
 * hookreg_resolve_live by direct index probes, all with the caller's
 * snapshot (the one the SQL form reads with): the distinct names sorted by
 * the collation of live_pointers.hook_name (the order ORDER BY p.hook_name
 * gives), then for each its pointer and its live release.  The same rows,
 * order and errors as hr_sql_resolve, at a cost that does not depend on a
 * plan.  Rows go to the result as they are found; when a hook has no live
 * release, the error raised after the last one discards them.
 */
static void
hr_resolve_direct(FunctionCallInfo fcinfo, ArrayType *names)
{
	Snapshot	snapshot = GetActiveSnapshot();
	HrProbe		pointers,
				releases;
	Oid			collation;
	Datum	   *elems;
	int			n,
				nmissing = 0;
	StringInfoData missing;

	hr_probe_begin(&pointers, HR_IDX_POINTER_BY_HOOK, snapshot);
	hr_probe_begin(&releases, HR_IDX_RELEASE_BY_ID, snapshot);
	collation = TupleDescAttr(RelationGetDescr(pointers.heap), 0)->attcollation;
	deconstruct_array(names, TEXTOID, -1, false, TYPALIGN_INT, &elems, NULL, &n);
	qsort_arg(elems, n, sizeof(Datum), hr_cmp_text_coll, &collation);
	hr_srf_begin(fcinfo);
	initStringInfo(&missing);
	for (int i = 0; i < n; i++)
	{
		TupleTableSlot *slot;
		Datum		values[HR_RESOLVE_NATTS];
		bool		nulls[HR_RESOLVE_NATTS];
		pg_uuid_t	live;
		Datum		key;
		bool		isnull = true;

		/* text equality is byte equality: equal names are adjacent */
		if (i > 0 && hr_cmp_text_datum(&elems[i - 1], &elems[i]) == 0)
			continue;
		slot = hr_probe_get(&pointers, &elems[i]);
		if (slot != NULL)
		{
			Datum		id = slot_getattr(slot, HR_RESOLVE_POINTER_LIVE_ID, &isnull);

			if (!isnull)
				memcpy(&live, DatumGetUUIDP(id), sizeof(pg_uuid_t));
		}
		key = UUIDPGetDatum(&live);
		slot = isnull ? NULL : hr_probe_get(&releases, &key);
		if (slot == NULL)
		{
			appendStringInfo(&missing, "%s%s", nmissing++ ? ", " : "",
							 hr_shown_name(TextDatumGetCString(elems[i])));
			continue;
		}
		if (nmissing > 0)
			continue;
		/* the stored name equals the requested one byte for byte */
		values[0] = elems[i];
		nulls[0] = false;
		for (int c = 1; c < HR_RESOLVE_NATTS; c++)
			values[c] = slot_getattr(slot, hr_resolve_release_atts[c - 1], &nulls[c]);
		hr_srf_put(fcinfo, values, nulls);
	}
	hr_probe_end(&releases);
	hr_probe_end(&pointers);
	if (nmissing > 0)
		hr_resolve_missing_error(nmissing, missing.data);
}

PG_FUNCTION_INFO_V1(hookreg_resolve_live_v2);

/*
 * hookreg_resolve_live(hook_names text[]) RETURNS TABLE(hook_name text,
 *   release_id uuid, version int, image text, digest text, config jsonb,
 *   limits jsonb)
 */
Datum
hookreg_resolve_live_v2(PG_FUNCTION_ARGS)
{
	ArrayType  *names;

	hr_require_role(HR_ROLE_READER, "hookreg_resolve_live");
	hr_require_arg(fcinfo, 0, "hook_names", NULL);
	names = PG_GETARG_ARRAYTYPE_P(0);
	if (array_contains_nulls(names))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("hook_names must not contain null")));
	if (hr_resolve_direct_allowed())
		hr_resolve_direct(fcinfo, names);
	else
		hr_resolve_spi(fcinfo, names);
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
