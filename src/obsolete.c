/*
 * obsolete.c: the C symbols of older catalogs, for a database not yet updated.
 *
 * Every SQL function of hookreg binds to a C symbol that names the catalog
 * generation it was written for ("opsrun_start_v2" is 0.2.0's).  Between
 * "make install" of a new module and "ALTER EXTENSION hookreg UPDATE" in a
 * database, that database's catalog still binds its functions to the symbols
 * of the release it was installed at.  This file keeps those symbols exported
 * so that such a call never fails with "could not find function" and never
 * runs new code against old tables: each one raises 55000 with the update to
 * run.  The update script rebinds every function to its new symbol, after
 * which none of these is reached.
 *
 * Two 0.1.0 symbols keep working instead:
 *  - hookreg_version(): what the module is, whatever the catalog is;
 *  - hookreg_drop_housekeeping(): the DROP EXTENSION event trigger must never
 *    stand in the way of dropping the extension, and its 0.1.0 form was unsafe
 *    (it acted as the owner for any caller), so the old binding runs the
 *    current, safe implementation, which works under either catalog.
 *
 * When a release changes a function's symbol, the old symbol is added here.
 */
#include "hookreg.h"

#include "utils/lsyscache.h"

/* hr_obsolete_call: raise the "update the catalog" error for a stale binding. */
static void
hr_obsolete_call(FunctionCallInfo fcinfo, const char *symbol, const char *catalog_version)
	pg_attribute_noreturn();

static void
hr_obsolete_call(FunctionCallInfo fcinfo, const char *symbol, const char *catalog_version)
{
	Oid			fn = (fcinfo->flinfo != NULL) ? fcinfo->flinfo->fn_oid : InvalidOid;
	char	   *name = OidIsValid(fn) ? get_func_name(fn) : NULL;

	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("hookreg in this database is at version %s, but the installed module is %s",
					catalog_version, HOOKREG_VERSION),
			 errdetail("Function %s is bound to the %s C symbol \"%s\", which module %s does not run.",
					   name ? name : "(unknown)", catalog_version, symbol, HOOKREG_VERSION),
			 errhint("Run ALTER EXTENSION hookreg UPDATE; in this database (see \"Upgrading\" in the documentation).")));
}

#define HR_OBSOLETE(symbol, catalog_version) \
	PG_FUNCTION_INFO_V1(symbol); \
	Datum symbol(PG_FUNCTION_ARGS); \
	Datum \
	symbol(PG_FUNCTION_ARGS) \
	{ \
		hr_obsolete_call(fcinfo, #symbol, catalog_version); \
	}

#define HR_OBSOLETE_ALIAS(symbol, current) \
	PG_FUNCTION_INFO_V1(symbol); \
	extern Datum current(PG_FUNCTION_ARGS); \
	Datum \
	symbol(PG_FUNCTION_ARGS) \
	{ \
		return current(fcinfo); \
	}

/* 0.1.0 */
HR_OBSOLETE_ALIAS(hookreg_version, hookreg_version_v2)
HR_OBSOLETE_ALIAS(hookreg_drop_housekeeping, hookreg_drop_housekeeping_v2)
HR_OBSOLETE(hookreg_convention_hooks_check, "0.1.0")
HR_OBSOLETE(hookreg_create_release, "0.1.0")
HR_OBSOLETE(hookreg_deploy_convention, "0.1.0")
HR_OBSOLETE(hookreg_hook_in_use_check, "0.1.0")
HR_OBSOLETE(hookreg_live_at, "0.1.0")
HR_OBSOLETE(hookreg_provenance, "0.1.0")
HR_OBSOLETE(hookreg_record_run, "0.1.0")
HR_OBSOLETE(hookreg_refuse_change, "0.1.0")
HR_OBSOLETE(hookreg_register_hook, "0.1.0")
HR_OBSOLETE(hookreg_resolve_live, "0.1.0")
HR_OBSOLETE(hookreg_run_id, "0.1.0")
HR_OBSOLETE(hookreg_schedule_housekeeping, "0.1.0")
HR_OBSOLETE(hookreg_set_live, "0.1.0")
HR_OBSOLETE(hookreg_slugify, "0.1.0")
HR_OBSOLETE(opsrun_claim, "0.1.0")
HR_OBSOLETE(opsrun_complete, "0.1.0")
HR_OBSOLETE(opsrun_fail, "0.1.0")
HR_OBSOLETE(opsrun_heartbeat, "0.1.0")
HR_OBSOLETE(opsrun_identity_hash, "0.1.0")
HR_OBSOLETE(opsrun_is_uuid_v4, "0.1.0")
HR_OBSOLETE(opsrun_normalize_counts, "0.1.0")
HR_OBSOLETE(opsrun_operation_types_upsert, "0.1.0")
HR_OBSOLETE(opsrun_prune, "0.1.0")
HR_OBSOLETE(opsrun_reconcile, "0.1.0")
HR_OBSOLETE(opsrun_register_type, "0.1.0")
HR_OBSOLETE(opsrun_sanitize_context, "0.1.0")
HR_OBSOLETE(opsrun_sanitize_failures, "0.1.0")
HR_OBSOLETE(opsrun_sanitize_message, "0.1.0")
HR_OBSOLETE(opsrun_start, "0.1.0")
