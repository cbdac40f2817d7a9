/*
 * privs.c: the caller's rights, and acting as the extension owner.
 *
 * EXECUTE on the writing functions is granted only to hookreg roles; inside,
 * each function checks the exact role it needs so that the error can name the
 * role to grant (PostgreSQL's own ACL error cannot carry such a hint).  The SQL
 * the function then runs is done as the owner of the function, i.e. the
 * extension owner, the way pg_cron acts for its callers.
 */
#include "hookreg.h"

#include "access/htup_details.h"
#include "catalog/pg_proc.h"
#include "miscadmin.h"
#include "storage/proc.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/syscache.h"

#include "sqlutil.h"

/*
 * hr_require_role: raise 42501 unless the current user has the privileges of
 * the named role (superusers and hookreg_admin members always do).
 */
void
hr_require_role(const char *role, const char *function_name)
{
	Oid			caller = GetUserId();
	Oid			roleid = get_role_oid(role, true);

	if (OidIsValid(roleid) && has_privs_of_role(caller, roleid))
		return;

	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("permission denied for function %s", function_name),
			 errdetail("Calling %s requires the privileges of role \"%s\", which role \"%s\" does not have.",
					   function_name, role, GetUserNameFromId(caller, false)),
			 errhint("Grant the role to the caller: GRANT %s TO %s;",
					 quote_identifier(role),
					 quote_identifier(GetUserNameFromId(caller, false)))));
}

/*
 * The caller behind the current elevation, so that code running as the owner
 * (e.g. hr_create_release called by the bundled deploy) still records who
 * acted.  It is trusted only while we are still the owner we switched to, in
 * the same transaction: an abort restores the user by itself without passing
 * through hr_restore_user.
 */
static Oid	hr_elev_caller = InvalidOid;
static Oid	hr_elev_owner = InvalidOid;
static LocalTransactionId hr_elev_lxid = InvalidLocalTransactionId;

static bool
hr_elevated(void)
{
	return OidIsValid(hr_elev_caller) && GetUserId() == hr_elev_owner &&
		hr_elev_lxid == hr_local_xid();
}

/*
 * hr_caller_name: the name of the role that called us (current_user), also
 * while acting as the extension owner.
 */
char *
hr_caller_name(void)
{
	return GetUserNameFromId(hr_elevated() ? hr_elev_caller : GetUserId(), false);
}

/*
 * hr_become_owner: switch to the owner of the called function.  A transaction
 * or subtransaction abort restores the previous user by itself, so an error
 * raised while elevated cannot leave the session running as the owner.
 */
static void
hr_become_owner(FunctionCallInfo fcinfo, HrElevation *elev)
{
	HeapTuple	tuple;
	Oid			owner;

	tuple = SearchSysCache1(PROCOID, ObjectIdGetDatum(fcinfo->flinfo->fn_oid));
	if (!HeapTupleIsValid(tuple))
		elog(ERROR, "cache lookup failed for function %u", fcinfo->flinfo->fn_oid);
	owner = ((Form_pg_proc) GETSTRUCT(tuple))->proowner;
	ReleaseSysCache(tuple);

	GetUserIdAndSecContext(&elev->saved_userid, &elev->saved_sec_context);
	if (!hr_elevated())
	{
		hr_elev_caller = elev->saved_userid;
		hr_elev_owner = owner;
		hr_elev_lxid = hr_local_xid();
	}
	SetUserIdAndSecContext(owner,
						   elev->saved_sec_context | SECURITY_LOCAL_USERID_CHANGE);
	elev->active = true;
}

static void
hr_restore_user(HrElevation *elev)
{
	if (!elev->active)
		return;
	SetUserIdAndSecContext(elev->saved_userid, elev->saved_sec_context);
	elev->active = false;
	/* the outermost elevation ended: forget its caller */
	if (GetUserId() != hr_elev_owner)
		hr_elev_caller = InvalidOid;
}

/*
 * hr_owner_begin / hr_owner_end: the one sequence of every entry point that
 * acts as the extension owner, in the manner of amcheck's lock / switch user
 * / restore:
 *
 *     hr_require_role(role, name);        first: 42501 before any argument error
 *     ... read and check the arguments, in the caller's memory context ...
 *     hr_owner_begin(fcinfo, role, name, &elev);   check, act as owner, SPI_connect
 *     ... SPI work ...
 *     hr_owner_end(&elev);                SPI_finish, restore the caller
 *
 * The role is checked again here (a cached lookup) so that no entry point
 * reaches the owner's rights without the check; NULL role: no check (the
 * DROP EXTENSION event trigger, which any role that may drop the extension
 * fires).  Values the caller needs after hr_owner_end must be allocated
 * before hr_owner_begin or with SPI_palloc: SPI_finish frees the rest.  An
 * error in between needs no cleanup: the abort ends SPI and restores the user.
 */
void
hr_owner_begin(FunctionCallInfo fcinfo, const char *role, const char *function_name,
			   HrElevation *elev)
{
	if (role != NULL)
		hr_require_role(role, function_name);
	hr_become_owner(fcinfo, elev);
	hr_spi_connect();
}

void
hr_owner_end(HrElevation *elev)
{
	SPI_finish();
	hr_restore_user(elev);
}
