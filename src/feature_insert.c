/*
 * feature_insert.c: a role that may read feature tables but not write them
 * gets the hint the functions give (42501 naming the role to grant:
 * doc/reference.md, "What every function shares").
 *
 * PostgreSQL checks table privileges before anything of hookreg runs, and
 * its own "permission denied for table" carries no hint.  So INSERT on the
 * writable columns of a feature table is granted to hookreg_reader (of which
 * every hookreg role is a member), and this BEFORE INSERT statement trigger
 * refuses every caller without the privileges of hookreg_runner, with 42501
 * and the GRANT to run.  Nothing is inserted either way for them; the check
 * runs once per statement (COPY included), before any row.  Only the table's
 * owner could disable the trigger (ALTER TABLE, or session_replication_role,
 * which needs a superuser), so the gate is as tight as the ACL was.
 */
#include "hookreg.h"

#include "commands/trigger.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

PG_FUNCTION_INFO_V1(hookreg_feature_insert_check_v2);

/* BEFORE INSERT FOR EACH STATEMENT on hookreg_features.<hook> */
Datum
hookreg_feature_insert_check_v2(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	Oid			caller = GetUserId();
	Oid			runner;
	const char *table;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BY_INSERT(trigdata->tg_event) ||
		!TRIGGER_FIRED_FOR_STATEMENT(trigdata->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("hookreg.feature_insert_check() must be a statement-level INSERT trigger")));
	runner = get_role_oid(HR_ROLE_RUNNER, true);
	if (OidIsValid(runner) && has_privs_of_role(caller, runner))
		return PointerGetDatum(NULL);

	table = quote_qualified_identifier(get_namespace_name(RelationGetNamespace(trigdata->tg_relation)),
									   RelationGetRelationName(trigdata->tg_relation));
	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("permission denied for table %s", table),
			 errdetail("Inserting into a feature table requires the privileges of role \"%s\", which role \"%s\" does not have.",
					   HR_ROLE_RUNNER, GetUserNameFromId(caller, false)),
			 errhint("Grant the role to the caller: GRANT %s TO %s;",
					 quote_identifier(HR_ROLE_RUNNER),
					 quote_identifier(GetUserNameFromId(caller, false)))));
	return PointerGetDatum(NULL);	/* not reached */
}
