/*
 * ledger.c: the operation-run ledger's life cycle (doc/reference.md): identity
 * hash, start with active-run dedupe, claim, heartbeat, complete, fail,
 * counter normalization, type registration, retention.
 *
 * Dedupe rests on the partial unique indexes of operation_runs: opsrun_start
 * looks the active run up (an index probe, ledger_scan.c) and, when there is
 * none, inserts with ON CONFLICT DO NOTHING on the index of its scope; losing
 * a race to a concurrent insert sends it back to the look-up, which then
 * finds the winner's run.  JSON work is in ledger_json.c.
 */
#include "hookreg.h"

#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"
#include "utils/uuid.h"

#include "errvalue.h"
#include "events.h"
#include "fmgrutil.h"
#include "hrjson_init.h"
#include "jcs.h"
#include "ledger.h"
#include "registry_scan.h"
#include "sanitize.h"
#include "sqlutil.h"

const char *const hr_default_summary_keys[] = {
	"total", "processed", "succeeded", "failed", "skipped",
	"updated", "created", "deleted", "items", "tenants"
};
const int	hr_default_summary_keys_count = lengthof(hr_default_summary_keys);

/* Terminal outcomes a run may be completed with: every outcome but "pending". */
#define hr_terminal_outcomes (hr_run_outcomes + 1)
#define HR_TERMINAL_OUTCOMES (hr_run_outcomes_count - 1)

/* Give up on a start that keeps losing races (cannot happen in practice). */
#define HR_START_MAX_ATTEMPTS 1000

PG_FUNCTION_INFO_V1(opsrun_is_uuid_v4_v2);

/* opsrun_is_uuid_v4(uuid) RETURNS boolean, IMMUTABLE STRICT */
Datum
opsrun_is_uuid_v4_v2(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(hr_uuid_is_v4(PG_GETARG_UUID_P(0)));
}

/* ---- argument checks ---- */

static void
hr_check_outcome(const char *outcome)
{
	if (hr_word_in(outcome, strlen(outcome), hr_terminal_outcomes, HR_TERMINAL_OUTCOMES))
		return;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid outcome \"%s\"", hr_error_cstr(outcome)),
			 errdetail("A run is completed with one of: succeeded, partially_succeeded, failed, cancelled, blocked."),
			 errhint("\"pending\" is the outcome of a run that is not completed yet.")));
}

/* Rough sign of an interval: months of 30 days, days of 24 hours. */
static bool
hr_interval_positive(const Interval *iv)
{
	double		usecs = (double) iv->month * 30 * USECS_PER_DAY +
		(double) iv->day * USECS_PER_DAY + (double) iv->time;

	return usecs > 0;
}

/*
 * A type's cooldown and timeouts: positive by their rough total, so that
 * '1 mon -1 day' passes as it did at 0.1.0.  Not hr_interval_arg
 * (fmgrutil.h), which refuses any negative field: the two rules differ.
 */
static void
hr_check_interval(const Interval *iv, const char *name)
{
	if (!hr_interval_positive(iv))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a positive interval", name),
				 errdetail("The value given is %s.",
						   DatumGetCString(DirectFunctionCall1(interval_out,
															   IntervalPGetDatum(iv))))));
}

/* The key list of a text[] (allowed_summary_keys), or the defaults. */
static const char **
hr_keys_from_array(Datum array, bool isnull, int *nkeys)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	const char **keys;

	if (isnull)
	{
		*nkeys = hr_default_summary_keys_count;
		return (const char **) hr_default_summary_keys;
	}
	deconstruct_array(DatumGetArrayTypeP(array), TEXTOID, -1, false, TYPALIGN_INT,
					  &elems, &nulls, &n);
	keys = palloc(sizeof(char *) * (n + 1));
	*nkeys = 0;
	for (int i = 0; i < n; i++)
		if (!nulls[i])
			keys[(*nkeys)++] = TextDatumGetCString(elems[i]);
	return keys;
}

/* ---- identity ---- */

void
hr_identity_hash(int64 workspace_id, bool has_tenant, int64 tenant_id,
				 const char *type, const Jsonb *identity, char out[65])
{
	StringInfoData doc;
	char		scope[64];

	if (has_tenant)
		snprintf(scope, sizeof(scope), "tenant:" INT64_FORMAT, tenant_id);
	else
		snprintf(scope, sizeof(scope), "workspace:" INT64_FORMAT, workspace_id);

	/* members in JCS order: identity, scope, type */
	initStringInfo(&doc);
	appendStringInfoString(&doc, "{\"identity\":");
	hr_jcs_append_jsonb(&doc, identity, "identity", "$", HR_JSON_MAX_BYTES, HR_JSON_MAX_DEPTH, NULL);
	appendStringInfoString(&doc, ",\"scope\":");
	hr_jcs_append_string(&doc, scope, strlen(scope));
	appendStringInfoString(&doc, ",\"type\":");
	hr_jcs_append_string(&doc, type, strlen(type));
	appendStringInfoChar(&doc, '}');
	hr_sha256_hex(doc.data, doc.len, out);
	pfree(doc.data);
}

PG_FUNCTION_INFO_V1(opsrun_identity_hash_v2);

/*
 * opsrun_identity_hash(workspace_id bigint, tenant_id bigint, type text,
 * identity jsonb) RETURNS text, IMMUTABLE.  A NULL identity hashes as {}.
 */
Datum
opsrun_identity_hash_v2(PG_FUNCTION_ARGS)
{
	char	   *type;
	char		hash[65];

	hr_require_arg(fcinfo, 0, "workspace_id", NULL);
	type = hr_text_arg(fcinfo, 2, "type");
	hr_check_type_name(type);
	hr_identity_hash(PG_GETARG_INT64(0), !PG_ARGISNULL(1),
					 PG_ARGISNULL(1) ? 0 : PG_GETARG_INT64(1),
					 type, PG_ARGISNULL(3) ? NULL : PG_GETARG_JSONB_P(3), hash);
	PG_RETURN_TEXT_P(cstring_to_text(hash));
}

/* ---- start ---- */

/*
 * The reconciler's type records its passes: a run of it started by any
 * writer would pass for one (and, in 0.1.0, a writer holding one open made
 * every pass wait).  Only members of hookreg_admin may start one.
 */
static void
hr_check_reserved_type(const char *type)
{
	Oid			admin;

	/* every other type: no role lookup on the hot path */
	if (strcmp(type, HR_RECONCILE_TYPE) != 0)
		return;
	admin = get_role_oid(HR_ROLE_ADMIN, true);
	if (OidIsValid(admin) && has_privs_of_role(GetUserId(), admin))
		return;
	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("operation type \"%s\" is reserved for opsrun_reconcile", HR_RECONCILE_TYPE),
			 errdetail("Runs of this type record the reconciler's passes; only members of %s may start one.",
					   HR_ROLE_ADMIN),
			 errhint("Use an operation type of your own, or grant the role: GRANT %s TO %s;",
					 HR_ROLE_ADMIN, quote_identifier(GetUserNameFromId(GetUserId(), false)))));
}

/*
 * opsrun_start's one statement, per scope: the new run, inserted only when
 * its scope row exists (the tenant of the workspace, or the workspace), with
 * ON CONFLICT DO NOTHING on the scope's partial unique index.  It runs with
 * the snapshot of the look-ups before it (hr_start_lookup, direct index
 * probes: the type, the active run, the cooled-down run), so that together
 * they see what one statement would.  $1 workspace, $2 tenant, $3 user,
 * $4 initiator, $5 type, $6 identity hash, $7 context.
 */
static const char *const hr_sql_start_tenant =
"INSERT INTO hookreg.operation_runs AS r"
"       (workspace_id, tenant_id, user_id, initiator_name, type, run_identity_hash, context)"
" SELECT $1, $2, $3, $4, $5, $6, $7 FROM hookreg.tenants t"
"  WHERE t.id OPERATOR(pg_catalog.=) $2 AND t.workspace_id OPERATOR(pg_catalog.=) $1"
" ON CONFLICT (workspace_id, tenant_id, run_identity_hash) WHERE tenant_id IS NOT NULL"
"    AND status OPERATOR(pg_catalog.=) ANY (ARRAY['queued', 'running'])"
" DO NOTHING RETURNING r.id";

static const char *const hr_sql_start_workspace =
"INSERT INTO hookreg.operation_runs AS r"
"       (workspace_id, tenant_id, user_id, initiator_name, type, run_identity_hash, context)"
" SELECT $1, $2, $3, $4, $5, $6, $7 FROM hookreg.workspaces w"
"  WHERE w.id OPERATOR(pg_catalog.=) $1"
" ON CONFLICT (workspace_id, run_identity_hash) WHERE tenant_id IS NULL"
"    AND status OPERATOR(pg_catalog.=) ANY (ARRAY['queued', 'running'])"
" DO NOTHING RETURNING r.id";

static const char *const hr_sql_scope_rows =
"SELECT EXISTS (SELECT FROM hookreg.workspaces w"
"                WHERE w.id OPERATOR(pg_catalog.=) $1),"
"       (SELECT t.workspace_id FROM hookreg.tenants t"
"         WHERE t.id OPERATOR(pg_catalog.=) $2)";

/*
 * Raise the error that explains why workspace/tenant are not a valid scope;
 * return when they are.
 */
static void
hr_check_scope_rows(int64 workspace_id, bool has_tenant, int64 tenant_id)
{
	static SPIPlanPtr plan;
	static const Oid types[] = {INT8OID, INT8OID};
	Datum		values[2] = {Int64GetDatum(workspace_id), Int64GetDatum(tenant_id)};
	char		nulls[2] = {' ', has_tenant ? ' ' : 'n'};
	bool		ws_exists,
				isnull;
	Datum		tenant_ws;

	hr_execute(hr_prepare(&plan, hr_sql_scope_rows, 2, types),
			   values, nulls, false, 1);
	ws_exists = DatumGetBool(hr_get(0, 1, &isnull));
	tenant_ws = hr_get(0, 2, &isnull);

	if (!ws_exists)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("workspace " INT64_FORMAT " does not exist", workspace_id),
				 errhint("Create the workspace in hookreg.workspaces first.")));
	if (!has_tenant)
		return;
	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("tenant " INT64_FORMAT " does not exist", tenant_id),
				 errhint("Create the tenant in hookreg.tenants first, or pass NULL for a workspace-scoped run.")));
	if (DatumGetInt64(tenant_ws) != workspace_id)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("tenant " INT64_FORMAT " does not belong to workspace " INT64_FORMAT,
						tenant_id, workspace_id),
				 errdetail("Tenant " INT64_FORMAT " belongs to workspace " INT64_FORMAT ".",
						   tenant_id, DatumGetInt64(tenant_ws)),
				 errhint("Pass the tenant's own workspace_id.")));
}

/*
 * The reconciler's own identity in a workspace: the hash of a text that is
 * not the canonical JSON of any identity (those are all objects), so no
 * opsrun_start call can produce it, and a writer's open transaction can
 * never hold the run a pass is about to create.
 */
static void
hr_reconciler_hash(int64 workspace_id, char out[65])
{
	char	   *text = psprintf("hookreg reconciler workspace:" INT64_FORMAT, workspace_id);

	hr_sha256_hex(text, strlen(text), out);
}

static char *
hr_text_col(int col)
{
	bool		isnull;
	Datum		d = hr_get(0, col, &isnull);

	return isnull ? NULL : TextDatumGetCString(d);
}

/* A registered type's scope (NULL: not registered) must be the arguments'. */
static void
hr_check_type_scope(const char *type, const char *scope, bool has_tenant)
{
	if (scope != NULL && strcmp(scope, has_tenant ? "tenant" : "workspace") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("operation type \"%s\" is %s-scoped", type, scope),
				 errdetail(has_tenant ? "A tenant_id was given for a workspace-scoped type."
						   : "No tenant_id was given for a tenant-scoped type."),
				 errhint(has_tenant ? "Pass tenant_id NULL for this type."
						 : "Pass the tenant_id the run is for.")));
}

int64
hr_start_run(int64 workspace_id, bool has_tenant, int64 tenant_id,
			 const char *type, const Jsonb *identity,
			 const char *initiator, bool has_user, int64 user_id,
			 const char *context, char hash[65], bool *reused, char **status, char **outcome)
{
	static SPIPlanPtr tenant_plan,
				workspace_plan;
	static const Oid types[] = {INT8OID, INT8OID, INT8OID, TEXTOID, TEXTOID,
	TEXTOID, JSONBOID};
	SPIPlanPtr	plan;
	Datum		values[7];
	char		nulls[7] = {' ', has_tenant ? ' ' : 'n', has_user ? ' ' : 'n',
	' ', ' ', ' ', ' '};

	hr_check_type_name(type);
	if (identity == NULL)
		hr_reconciler_hash(workspace_id, hash);
	else
		hr_identity_hash(workspace_id, has_tenant, tenant_id, type, identity, hash);
	plan = has_tenant ? hr_prepare(&tenant_plan, hr_sql_start_tenant, 7, types)
		: hr_prepare(&workspace_plan, hr_sql_start_workspace, 7, types);

	values[0] = Int64GetDatum(workspace_id);
	values[1] = Int64GetDatum(tenant_id);
	values[2] = Int64GetDatum(user_id);
	values[3] = CStringGetTextDatum(initiator);
	values[4] = CStringGetTextDatum(type);
	values[5] = CStringGetTextDatum(hash);
	/* Sanitized before the statement, which may store it. */
	values[6] = hr_cstring_to_jsonb(context == NULL ? "{}" :
									hr_sanitize_context_json(context, strlen(context)));

	for (int attempt = 0; attempt < HR_START_MAX_ATTEMPTS; attempt++)
	{
		Snapshot	snapshot = hr_scan_push_statement_snapshot();
		HrStartLookup found;
		bool		isnull;
		uint64		inserted;

		/* The type, the active run, the cooled-down run, in that order. */
		hr_start_lookup(workspace_id, has_tenant, tenant_id, type, hash, snapshot, &found);
		if (found.found)
		{
			PopActiveSnapshot();
			/* The hash names the tenant; its workspace must be the one given. */
			if (found.workspace_id != workspace_id)
			{
				hr_check_scope_rows(workspace_id, has_tenant, tenant_id);
				elog(ERROR, "hookreg: run of tenant " INT64_FORMAT " in another workspace",
					 tenant_id);
			}
			*reused = true;
			*status = found.status;
			*outcome = found.outcome;
			return found.run_id;
		}
		/* A registered type of the other scope raises here. */
		hr_check_type_scope(type, found.scope, has_tenant);

		/* Neither: the insert, with the same snapshot. */
		inserted = hr_execute_snapshot(plan, values, nulls, snapshot);
		PopActiveSnapshot();
		if (inserted == 1)
		{
			*reused = false;
			*status = pstrdup("queued");
			*outcome = pstrdup("pending");
			return DatumGetInt64(hr_get(0, 1, &isnull));
		}

		/*
		 * Nothing inserted: either the scope is wrong (this raises), or a
		 * concurrent start won the race and its run is found on the next
		 * attempt (or it completed meanwhile, and the next insert wins).
		 */
		hr_check_scope_rows(workspace_id, has_tenant, tenant_id);
		CHECK_FOR_INTERRUPTS();
	}
	elog(ERROR, "hookreg: opsrun_start could not settle the run of identity %s", hash);
	return 0;					/* keep the compiler quiet */
}

PG_FUNCTION_INFO_V1(opsrun_start_v2);

/*
 * opsrun_start(workspace_id bigint, tenant_id bigint, type text, identity jsonb,
 * initiator_name text, user_id bigint, context jsonb)
 * RETURNS TABLE(run_id, status, outcome, reused, run_identity_hash)
 */
Datum
opsrun_start_v2(PG_FUNCTION_ARGS)
{
	HrElevation elev = {0};
	char	   *type;
	Jsonb	   *identity;
	char	   *context = NULL;
	char	   *initiator;
	char		hash[65];
	bool		reused;
	char	   *status,
			   *outcome;
	int64		run_id;
	Datum		values[5];
	bool		nulls[5] = {false, false, false, false, false};

	hr_require_role(HR_ROLE_OPS_WRITER, "opsrun_start");
	hr_require_arg(fcinfo, 0, "workspace_id", NULL);
	type = hr_text_arg(fcinfo, 2, "type");
	hr_check_type_name(type);
	hr_check_reserved_type(type);
	/* a NULL identity is {} (NULL is the reconciler's own for hr_start_run) */
	identity = PG_ARGISNULL(3) ? DatumGetJsonbP(hr_cstring_to_jsonb("{}")) : PG_GETARG_JSONB_P(3);
	if (!PG_ARGISNULL(6))
	{
		Jsonb	   *ctx = PG_GETARG_JSONB_P(6);

		if (!JB_ROOT_IS_OBJECT(ctx))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("context must be a JSON object"),
					 errhint("Pass context as an object such as {\"source\": \"nightly\"}.")));
		if (JB_ROOT_COUNT(ctx) > 0)
			context = hr_jsonb_to_cstring(ctx, NULL);
	}
	/* The caller's name, taken before acting as the owner. */
	initiator = hr_opt_text_arg(fcinfo, 4);
	if (initiator == NULL)
		initiator = hr_caller_name();
	hr_check_text_cap("initiator_name", strlen(initiator), HR_INITIATOR_MAX_BYTES);

	hr_srf_begin(fcinfo);
	hr_owner_begin(fcinfo, HR_ROLE_OPS_WRITER, "opsrun_start", &elev);

	run_id = hr_start_run(PG_GETARG_INT64(0), !PG_ARGISNULL(1),
						  PG_ARGISNULL(1) ? 0 : PG_GETARG_INT64(1),
						  type, identity, initiator,
						  !PG_ARGISNULL(5), PG_ARGISNULL(5) ? 0 : PG_GETARG_INT64(5),
						  context, hash, &reused, &status, &outcome);

	values[0] = Int64GetDatum(run_id);
	values[1] = CStringGetTextDatum(status);
	values[2] = CStringGetTextDatum(outcome);
	values[3] = BoolGetDatum(reused);
	values[4] = CStringGetTextDatum(hash);
	hr_srf_put(fcinfo, values, nulls);

	hr_owner_end(&elev);
	return (Datum) 0;
}

/* ---- claim, heartbeat ---- */

static const char *const hr_sql_run_status =
"SELECT r.status FROM hookreg.operation_runs r"
" WHERE r.id OPERATOR(pg_catalog.=) $1";

/*
 * Execute the statement of *slot (prepared from sql on first use) with $1 =
 * run_id, at most limit rows (0: all); with must_exist, P0002 when it
 * processed none.  Returns how many rows it processed.
 */
static uint64
hr_execute_on_run(SPIPlanPtr *slot, const char *sql, int64 run_id, long limit,
				  bool must_exist)
{
	static const Oid types[] = {INT8OID};
	Datum		values[1] = {Int64GetDatum(run_id)};
	uint64		rows = hr_execute(hr_prepare(slot, sql, 1, types), values, NULL, false, limit);

	if (rows == 0 && must_exist)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("operation run " INT64_FORMAT " does not exist", run_id),
				 errhint("Pass a run_id returned by opsrun_start().")));
	return rows;
}

/* Status of a run, or raise P0002 when it does not exist. */
static char *
hr_run_status(int64 run_id)
{
	static SPIPlanPtr plan;

	(void) hr_execute_on_run(&plan, hr_sql_run_status, run_id, 1, true);
	return hr_text_col(1);
}

static void
hr_raise_not_running(int64 run_id, const char *status, const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("operation run " INT64_FORMAT " is %s, not running", run_id, status),
			 errdetail("Only a running run can be given a %s.", what),
			 errhint(strcmp(status, "queued") == 0 ? "Claim the run with opsrun_claim() first."
					 : "A completed run is terminal; start a new run with opsrun_start().")));
}

static const char *const hr_sql_claim =
"UPDATE hookreg.operation_runs r"
"   SET status = 'running', started_at = pg_catalog.now(),"
"       updated_at = pg_catalog.now()"
" WHERE r.id OPERATOR(pg_catalog.=) $1"
"   AND r.status OPERATOR(pg_catalog.=) 'queued'";

bool
hr_claim_run(int64 run_id)
{
	static SPIPlanPtr plan;

	if (hr_execute_on_run(&plan, hr_sql_claim, run_id, 0, false) == 1)
		return true;
	(void) hr_run_status(run_id);	/* P0002 when unknown */
	return false;
}

PG_FUNCTION_INFO_V1(opsrun_claim_v2);

/* opsrun_claim(run_id bigint) RETURNS boolean */
Datum
opsrun_claim_v2(PG_FUNCTION_ARGS)
{
	HrElevation elev = {0};
	bool		claimed;

	hr_require_role(HR_ROLE_OPS_WRITER, "opsrun_claim");
	hr_require_arg(fcinfo, 0, "run_id", NULL);
	hr_owner_begin(fcinfo, HR_ROLE_OPS_WRITER, "opsrun_claim", &elev);
	claimed = hr_claim_run(PG_GETARG_INT64(0));
	hr_owner_end(&elev);
	PG_RETURN_BOOL(claimed);
}

/* A run's status and its type's summary keys (NULL: the type is not registered). */
static const char *const hr_sql_run_keys =
"SELECT r.status, ot.allowed_summary_keys FROM hookreg.operation_runs r"
"  LEFT JOIN hookreg.operation_types ot ON ot.type OPERATOR(pg_catalog.=) r.type"
" WHERE r.id OPERATOR(pg_catalog.=) $1";

/* The same, with the run locked: a concurrent complete or reconcile waits. */
static const char *const hr_sql_run_keys_locked =
"SELECT r.status, ot.allowed_summary_keys FROM hookreg.operation_runs r"
"  LEFT JOIN hookreg.operation_types ot ON ot.type OPERATOR(pg_catalog.=) r.type"
" WHERE r.id OPERATOR(pg_catalog.=) $1"
"   FOR UPDATE OF r";

/*
 * The status and allowed summary keys of a run (locked FOR UPDATE when
 * lock), or P0002.
 */
static char *
hr_run_type_keys(int64 run_id, bool lock, const char ***keys, int *nkeys)
{
	static SPIPlanPtr plain,
				locked;
	bool		isnull;
	Datum		array;

	if (lock)
		(void) hr_execute_on_run(&locked, hr_sql_run_keys_locked, run_id, 1, true);
	else
		(void) hr_execute_on_run(&plain, hr_sql_run_keys, run_id, 1, true);
	array = hr_get(0, 2, &isnull);
	*keys = hr_keys_from_array(array, isnull, nkeys);
	return hr_text_col(1);
}

static char *
hr_normalize_for_run(const char *counts, const char **keys, int nkeys)
{
	return hr_normalize_counts_json(counts, strlen(counts), keys, nkeys);
}

static const char *const hr_sql_heartbeat =
"UPDATE hookreg.operation_runs r"
"   SET updated_at = pg_catalog.now(),"
"       summary_counts = COALESCE($2, r.summary_counts)"
" WHERE r.id OPERATOR(pg_catalog.=) $1"
"   AND r.status OPERATOR(pg_catalog.=) 'running'";

PG_FUNCTION_INFO_V1(opsrun_heartbeat_v2);

/* opsrun_heartbeat(run_id bigint, summary_counts jsonb DEFAULT NULL) RETURNS void */
Datum
opsrun_heartbeat_v2(PG_FUNCTION_ARGS)
{
	static SPIPlanPtr plan;
	static const Oid types[] = {INT8OID, JSONBOID};
	HrElevation elev = {0};
	int64		run_id;
	Datum		values[2];
	char		nulls[2] = {' ', 'n'};

	hr_require_role(HR_ROLE_OPS_WRITER, "opsrun_heartbeat");
	hr_require_arg(fcinfo, 0, "run_id", NULL);
	run_id = PG_GETARG_INT64(0);
	values[0] = Int64GetDatum(run_id);
	values[1] = (Datum) 0;

	hr_owner_begin(fcinfo, HR_ROLE_OPS_WRITER, "opsrun_heartbeat", &elev);

	if (!PG_ARGISNULL(1))
	{
		const char **keys;
		int			nkeys;
		char	   *status = hr_run_type_keys(run_id, false, &keys, &nkeys);
		char	   *counts;

		if (strcmp(status, "running") != 0)
			hr_raise_not_running(run_id, status, "heartbeat");
		counts = hr_normalize_for_run(hr_jsonb_to_cstring(PG_GETARG_JSONB_P(1), NULL),
									  keys, nkeys);
		values[1] = hr_cstring_to_jsonb(counts);
		nulls[1] = ' ';
	}
	if (hr_execute(hr_prepare(&plan, hr_sql_heartbeat, 2, types),
				   values, nulls, false, 0) == 0)
		hr_raise_not_running(run_id, hr_run_status(run_id), "heartbeat");

	hr_owner_end(&elev);
	PG_RETURN_VOID();
}

static const char *const hr_sql_complete =
"UPDATE hookreg.operation_runs r"
"   SET status = 'completed', outcome = $2,"
"       summary_counts = COALESCE($3, r.summary_counts),"
"       failure_summary = $4,"
"       completed_at = pg_catalog.now(), updated_at = pg_catalog.now()"
" WHERE r.id OPERATOR(pg_catalog.=) $1"
" RETURNING r.id, r.status, r.outcome, r.summary_counts,"
"           r.failure_summary, r.completed_at,"
"           r.workspace_id, r.tenant_id, r.type";

/* ---- complete, fail ---- */

void
hr_complete_run(int64 run_id, const char *outcome, const char *counts,
				const char *failures)
{
	static SPIPlanPtr plan;
	static const Oid types[] = {INT8OID, TEXTOID, JSONBOID, JSONBOID};
	const char **keys;
	int			nkeys;
	char	   *status;
	char	   *clean;
	Datum		failures_datum;
	Datum		values[4];
	char		nulls[4] = {' ', ' ', ' ', ' '};

	hr_check_outcome(outcome);
	clean = hr_sanitize_failures_json(failures, strlen(failures));
	failures_datum = hr_cstring_to_jsonb(clean);
	if (strcmp(outcome, "failed") == 0 &&
		JB_ROOT_COUNT(DatumGetJsonbP(failures_datum)) == 0)
	{
		char	   *entry = hr_failure_entry_json("unknown_error",
												  "The run failed without a failure summary.");

		failures_datum = hr_cstring_to_jsonb(hr_sanitize_failures_json(entry, strlen(entry)));
	}

	/* Locked: a concurrent complete or reconcile waits, then sees completed. */
	status = hr_run_type_keys(run_id, true, &keys, &nkeys);
	if (strcmp(status, "completed") == 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("operation run " INT64_FORMAT " is already completed", run_id),
				 errdetail("A completed run is terminal; its outcome cannot change."),
				 errhint("Start a new run with opsrun_start().")));

	values[0] = Int64GetDatum(run_id);
	values[1] = CStringGetTextDatum(outcome);
	if (counts != NULL)
		values[2] = hr_cstring_to_jsonb(hr_normalize_for_run(counts, keys, nkeys));
	else
	{
		values[2] = (Datum) 0;
		nulls[2] = 'n';
	}
	values[3] = failures_datum;

	if (hr_execute(hr_prepare(&plan, hr_sql_complete, 4, types),
				   values, nulls, false, 0) != 1)
		elog(ERROR, "hookreg: run " INT64_FORMAT " vanished while locked", run_id);
	if (hr_event_enabled(HR_EVENT_RUNS))
	{
		bool		isnull,
					no_tenant;
		Datum		tenant = hr_get(0, 8, &no_tenant);

		hr_notify_run(run_id, DatumGetInt64(hr_get(0, 7, &isnull)), !no_tenant,
					  no_tenant ? 0 : DatumGetInt64(tenant), hr_text_col(9), outcome);
	}
}

PG_FUNCTION_INFO_V1(opsrun_complete_v2);

/*
 * opsrun_complete(run_id bigint, outcome text, summary_counts jsonb,
 * failure_summary jsonb) RETURNS TABLE(run_id, status, outcome,
 * summary_counts, failure_summary, completed_at).  NULL summary_counts keeps
 * the counters reported so far; NULL failure_summary is [].
 */
Datum
opsrun_complete_v2(PG_FUNCTION_ARGS)
{
	HrElevation elev = {0};
	char	   *outcome;
	char	   *counts;
	char	   *failures;
	Datum		values[6];
	bool		nulls[6];

	hr_require_role(HR_ROLE_OPS_WRITER, "opsrun_complete");
	hr_require_arg(fcinfo, 0, "run_id", NULL);
	outcome = hr_text_arg(fcinfo, 1, "outcome");
	counts = hr_jsonb_arg_text(fcinfo, 2, NULL);
	failures = hr_jsonb_arg_text(fcinfo, 3, "[]");

	hr_srf_begin(fcinfo);
	hr_owner_begin(fcinfo, HR_ROLE_OPS_WRITER, "opsrun_complete", &elev);

	hr_complete_run(PG_GETARG_INT64(0), outcome, counts, failures);
	for (int i = 0; i < 6; i++)
		values[i] = hr_get(0, i + 1, &nulls[i]);
	hr_srf_put(fcinfo, values, nulls);

	hr_owner_end(&elev);
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(opsrun_fail_v2);

/*
 * opsrun_fail(run_id bigint, code text, message text) RETURNS void: complete
 * as failed with one failure entry; the counters are kept.  A NULL code
 * becomes unknown_error, a NULL message the empty string.
 */
Datum
opsrun_fail_v2(PG_FUNCTION_ARGS)
{
	HrElevation elev = {0};
	char	   *failures;

	hr_require_role(HR_ROLE_OPS_WRITER, "opsrun_fail");
	hr_require_arg(fcinfo, 0, "run_id", NULL);
	failures = hr_failure_entry_json(PG_ARGISNULL(1) ? "unknown_error" : text_to_cstring(PG_GETARG_TEXT_PP(1)),
									 PG_ARGISNULL(2) ? "" : text_to_cstring(PG_GETARG_TEXT_PP(2)));

	hr_owner_begin(fcinfo, HR_ROLE_OPS_WRITER, "opsrun_fail", &elev);
	hr_complete_run(PG_GETARG_INT64(0), "failed", NULL, failures);
	hr_owner_end(&elev);
	PG_RETURN_VOID();
}

/* ---- normalize ---- */

static const char *const hr_sql_type_keys =
"SELECT ot.allowed_summary_keys FROM hookreg.operation_types ot"
" WHERE ot.type OPERATOR(pg_catalog.=) $1";

PG_FUNCTION_INFO_V1(opsrun_normalize_counts_v2);

/*
 * opsrun_normalize_counts(type text, counts jsonb) RETURNS jsonb, STABLE
 * STRICT: reads the type's allowed keys as the caller.
 */
Datum
opsrun_normalize_counts_v2(PG_FUNCTION_ARGS)
{
	static SPIPlanPtr plan;
	static const Oid types[] = {TEXTOID};
	char	   *type = text_to_cstring(PG_GETARG_TEXT_PP(0));
	char	   *counts = hr_jsonb_to_cstring(PG_GETARG_JSONB_P(1), NULL);
	Datum		values[1];
	const char **keys;
	int			nkeys;
	bool		isnull = true;
	Datum		array = (Datum) 0;
	char	   *result;
	Datum		jb;
	MemoryContext caller = CurrentMemoryContext;
	MemoryContext spi;

	hr_check_type_name(type);
	values[0] = CStringGetTextDatum(type);
	hr_spi_connect();
	if (hr_execute(hr_prepare(&plan, hr_sql_type_keys, 1, types),
				   values, NULL, true, 1) == 1)
		array = hr_get(0, 1, &isnull);
	keys = hr_keys_from_array(array, isnull, &nkeys);
	result = hr_normalize_counts_json(counts, strlen(counts), keys, nkeys);
	spi = MemoryContextSwitchTo(caller);
	jb = hr_cstring_to_jsonb(result);
	MemoryContextSwitchTo(spi);
	SPI_finish();
	PG_RETURN_DATUM(jb);
}

/* ---- types, retention ---- */

/*
 * The parameters of both statements on a type's row (hr_sql_register_type,
 * hr_sql_type_update): $1 to $8 are its columns type, scope,
 * allowed_summary_keys, cooldown, queued_timeout, running_timeout, label,
 * cooldown_outcomes.
 */
static const Oid hr_type_row_types[8] = {TEXTOID, TEXTOID, TEXTARRAYOID, INTERVALOID,
INTERVALOID, INTERVALOID, TEXTOID, TEXTARRAYOID};

static const char *const hr_sql_register_type =
"INSERT INTO hookreg.operation_types AS ot (type, scope, allowed_summary_keys,"
"       cooldown, queued_timeout, running_timeout, label, cooldown_outcomes)"
"VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
" ON CONFLICT (type) DO UPDATE"
"   SET scope = EXCLUDED.scope,"
"       allowed_summary_keys = EXCLUDED.allowed_summary_keys,"
"       cooldown = EXCLUDED.cooldown, queued_timeout = EXCLUDED.queued_timeout,"
"       running_timeout = EXCLUDED.running_timeout, label = EXCLUDED.label,"
"       cooldown_outcomes = EXCLUDED.cooldown_outcomes";

PG_FUNCTION_INFO_V1(opsrun_register_type_v2);

/*
 * opsrun_register_type(type text, scope text, allowed_summary_keys text[],
 * cooldown interval, queued_timeout interval, running_timeout interval,
 * label text, cooldown_outcomes text[]) RETURNS void: upsert.
 */
Datum
opsrun_register_type_v2(PG_FUNCTION_ARGS)
{
	static SPIPlanPtr plan;
	HrElevation elev = {0};
	char	   *type;
	char	   *scope;
	Datum	   *elems;
	bool	   *elem_nulls;
	int			n;
	Datum		values[8];
	char		nulls[8];

	hr_require_role(HR_ROLE_ADMIN, "opsrun_register_type");
	hr_require_arg(fcinfo, 0, "type", NULL);
	hr_require_arg(fcinfo, 1, "scope", NULL);
	hr_require_arg(fcinfo, 2, "allowed_summary_keys", NULL);
	hr_require_arg(fcinfo, 4, "queued_timeout", NULL);
	hr_require_arg(fcinfo, 5, "running_timeout", NULL);
	hr_require_arg(fcinfo, 7, "cooldown_outcomes", NULL);
	type = text_to_cstring(PG_GETARG_TEXT_PP(0));
	hr_check_type_name(type);
	scope = text_to_cstring(PG_GETARG_TEXT_PP(1));
	if (strcmp(scope, "tenant") != 0 && strcmp(scope, "workspace") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid scope \"%s\" for operation type \"%s\"", hr_error_cstr(scope), hr_error_cstr(type)),
				 errhint("The scope is \"tenant\" or \"workspace\".")));

	deconstruct_array(PG_GETARG_ARRAYTYPE_P(2), TEXTOID, -1, false, TYPALIGN_INT,
					  &elems, &elem_nulls, &n);
	for (int i = 0; i < n; i++)
	{
		char	   *key = elem_nulls[i] ? NULL : TextDatumGetCString(elems[i]);
		bool		ok = key != NULL && key[0] >= 'a' && key[0] <= 'z' && strlen(key) <= 64;

		for (const char *p = key; ok && *p; p++)
			ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_';
		if (!ok)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid summary key at allowed_summary_keys[%d]", i + 1),
					 key ? errdetail("The key is \"%s\".", hr_error_cstr(key)) : errdetail("The key is NULL."),
					 errhint("Summary keys match ^[a-z][a-z0-9_]{0,63}$, e.g. \"processed\".")));
	}
	if (!PG_ARGISNULL(3))
		hr_check_interval(PG_GETARG_INTERVAL_P(3), "cooldown");
	hr_check_interval(PG_GETARG_INTERVAL_P(4), "queued_timeout");
	hr_check_interval(PG_GETARG_INTERVAL_P(5), "running_timeout");
	if (!PG_ARGISNULL(6))
		hr_check_text_cap("label", VARSIZE_ANY_EXHDR(PG_GETARG_TEXT_PP(6)), HR_LABEL_MAX_BYTES);
	deconstruct_array(PG_GETARG_ARRAYTYPE_P(7), TEXTOID, -1, false, TYPALIGN_INT,
					  &elems, &elem_nulls, &n);
	for (int i = 0; i < n; i++)
	{
		char	   *outcome = elem_nulls[i] ? NULL : TextDatumGetCString(elems[i]);

		if (outcome == NULL ||
			!hr_word_in(outcome, strlen(outcome), hr_terminal_outcomes, HR_TERMINAL_OUTCOMES))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid outcome at cooldown_outcomes[%d]", i + 1),
					 outcome ? errdetail("The outcome is \"%s\".", hr_error_cstr(outcome)) : errdetail("The outcome is NULL."),
					 errhint("The cooldown holds after runs completed with the outcomes listed, each one of: succeeded, partially_succeeded, failed, cancelled, blocked.")));
	}

	for (int i = 0; i < 8; i++)
	{
		nulls[i] = PG_ARGISNULL(i) ? 'n' : ' ';
		values[i] = PG_ARGISNULL(i) ? (Datum) 0 : PG_GETARG_DATUM(i);
	}

	hr_owner_begin(fcinfo, HR_ROLE_ADMIN, "opsrun_register_type", &elev);
	hr_execute(hr_prepare(&plan, hr_sql_register_type, 8, hr_type_row_types),
			   values, nulls, false, 0);
	hr_owner_end(&elev);
	PG_RETURN_VOID();
}

static const char *const hr_sql_type_update =
"UPDATE hookreg.operation_types ot"
"   SET scope = $2, allowed_summary_keys = $3, cooldown = $4,"
"       queued_timeout = $5, running_timeout = $6, label = $7,"
"       cooldown_outcomes = $8"
" WHERE ot.type OPERATOR(pg_catalog.=) $1";

PG_FUNCTION_INFO_V1(opsrun_operation_types_upsert_v2);

/*
 * BEFORE INSERT row trigger of hookreg.operation_types: inserting a type that
 * exists updates it instead.  This is what lets pg_dump's data for the
 * installed types load over the rows CREATE EXTENSION has just made.
 */
Datum
opsrun_operation_types_upsert_v2(PG_FUNCTION_ARGS)
{
	static SPIPlanPtr plan;
	static const char *const columns[] = {"type", "scope", "allowed_summary_keys",
	"cooldown", "queued_timeout", "running_timeout", "label", "cooldown_outcomes"};
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	HeapTuple	tuple;
	TupleDesc	desc;
	Datum		values[8];
	char		nulls[8];
	uint64		updated;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BY_INSERT(trigdata->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(trigdata->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("opsrun_operation_types_upsert() must be a row-level INSERT trigger")));
	tuple = trigdata->tg_trigtuple;
	desc = trigdata->tg_relation->rd_att;

	for (int i = 0; i < 8; i++)
	{
		int			attno = SPI_fnumber(desc, columns[i]);
		bool		isnull;

		if (attno <= 0)
			elog(ERROR, "hookreg: operation_types has no column %s", columns[i]);
		values[i] = heap_getattr(tuple, attno, desc, &isnull);
		nulls[i] = isnull ? 'n' : ' ';
	}

	hr_spi_connect();
	updated = hr_execute(hr_prepare(&plan, hr_sql_type_update, 8, hr_type_row_types),
						 values, nulls, false, 0);
	SPI_finish();

	return PointerGetDatum(updated > 0 ? NULL : tuple);
}

PG_FUNCTION_INFO_V1(opsrun_prune_v2);

/* A retention interval: not NULL, not negative. */
static Interval *
hr_retention_arg(FunctionCallInfo fcinfo, int argno, const char *name)
{
	hr_require_arg(fcinfo, argno, name, NULL);
	return hr_interval_arg(fcinfo, argno, name, true,
						   "Pass the age of the completed runs to delete, e.g. '30 days'.");
}

/*
 * One batch of one retention class: completed runs of the outcomes given
 * ($2, a text[]) completed before now() - $1, except those that still hold
 * their type's cooldown, at most $3, locked rows skipped.  The index
 * operation_runs_completed_outcome_idx (outcome, completed_at) finds them
 * and the LIMIT stops the scan: a batch reads what it deletes, whatever the
 * backlog.  "outcome IS NOT NULL" is the index's predicate (always true):
 * the planner cannot prove it from "= ANY ($2)" of a parameter, so a
 * generic plan could not use the index without it.
 */
static const char *const hr_sql_prune_batch =
"WITH v AS ("
"  SELECT r.id FROM hookreg.operation_runs r"
"   WHERE r.status OPERATOR(pg_catalog.=) 'completed'"
"     AND r.outcome OPERATOR(pg_catalog.=) ANY ($2) AND r.outcome IS NOT NULL"
"     AND r.completed_at OPERATOR(pg_catalog.<) (pg_catalog.now() OPERATOR(pg_catalog.-) $1)"
"     AND NOT EXISTS (SELECT FROM hookreg.operation_types ot"
"                      WHERE ot.type OPERATOR(pg_catalog.=) r.type AND ot.cooldown IS NOT NULL"
"                        AND r.outcome OPERATOR(pg_catalog.=) ANY (ot.cooldown_outcomes)"
"                        AND r.completed_at OPERATOR(pg_catalog.>=)"
"                            (pg_catalog.now() OPERATOR(pg_catalog.-) ot.cooldown))"
"   LIMIT $3 FOR UPDATE OF r SKIP LOCKED)"
"DELETE FROM hookreg.operation_runs r USING v WHERE r.id OPERATOR(pg_catalog.=) v.id";

static uint64
hr_prune_class(Interval *older_than, const char *const *outcomes, int noutcomes, int64 limit)
{
	static SPIPlanPtr plan;
	static const Oid types[] = {INTERVALOID, TEXTARRAYOID, INT8OID};
	Datum	   *elems = palloc(sizeof(Datum) * noutcomes);
	Datum		values[3];

	for (int i = 0; i < noutcomes; i++)
		elems[i] = CStringGetTextDatum(outcomes[i]);
	values[0] = IntervalPGetDatum(older_than);
	values[1] = PointerGetDatum(construct_array(elems, noutcomes, TEXTOID, -1, false, TYPALIGN_INT));
	values[2] = Int64GetDatum(limit);
	return hr_execute(hr_prepare(&plan, hr_sql_prune_batch, 3, types), values, NULL, false, 0);
}

/*
 * opsrun_prune(older_than interval, failed_older_than interval DEFAULT NULL,
 * batch_size int DEFAULT 10000) RETURNS bigint: one bounded batch of
 * retention.  Failed runs are kept for failed_older_than (NULL: older_than),
 * every other outcome for older_than; a run that still holds its type's
 * cooldown is kept; at most batch_size runs go per call (failed ones first),
 * so that a call holds few locks however large the ledger.  Returns how many
 * were deleted: a caller catching up on a backlog calls again until it gets
 * less than batch_size.
 */
Datum
opsrun_prune_v2(PG_FUNCTION_ARGS)
{
	static const char *const failed[] = {"failed"};
	static const char *const others[] = {"succeeded", "partially_succeeded", "cancelled", "blocked"};
	HrElevation elev = {0};
	Interval   *older_than;
	Interval   *failed_older_than;
	int32		batch_size;
	uint64		deleted;

	hr_require_role(HR_ROLE_ADMIN, "opsrun_prune");
	older_than = hr_retention_arg(fcinfo, 0, "older_than");
	failed_older_than = PG_ARGISNULL(1) ? older_than
		: hr_retention_arg(fcinfo, 1, "failed_older_than");
	hr_require_arg(fcinfo, 2, "batch_size", NULL);
	batch_size = PG_GETARG_INT32(2);
	if (batch_size < 1 || batch_size > 1000000)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("batch_size must be between 1 and 1000000"),
				 errdetail("The value given is %d.", batch_size),
				 errhint("Call opsrun_prune() again until it returns less than batch_size.")));

	hr_owner_begin(fcinfo, HR_ROLE_ADMIN, "opsrun_prune", &elev);
	deleted = hr_prune_class(failed_older_than, failed, lengthof(failed), batch_size);
	if (deleted < (uint64) batch_size)
		deleted += hr_prune_class(older_than, others, lengthof(others), batch_size - (int64) deleted);
	hr_owner_end(&elev);
	PG_RETURN_INT64((int64) deleted);
}
