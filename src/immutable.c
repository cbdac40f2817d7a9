/*
 * immutable.c: the trigger that keeps releases, runs and live moves
 * append-only.
 */
#include "hookreg.h"

#include "commands/trigger.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

PG_FUNCTION_INFO_V1(hookreg_refuse_change_v2);

/*
 * A statement-level BEFORE UPDATE/DELETE/TRUNCATE trigger: refuses the
 * statement whatever it would touch and whoever runs it, the table owner
 * and superusers included.  An optional trigger argument is the hint.
 */
Datum
hookreg_refuse_change_v2(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	const char *op;
	const char *table;
	const char *hint;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("hookreg_refuse_change() must be called as a trigger")));

	if (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
		op = "UPDATE";
	else if (TRIGGER_FIRED_BY_DELETE(trigdata->tg_event))
		op = "DELETE";
	else
		op = "TRUNCATE";
	table = RelationGetRelationName(trigdata->tg_relation);
	hint = trigdata->tg_trigger->tgnargs > 0 ? trigdata->tg_trigger->tgargs[0] :
		"Releases are immutable: create a new release, or move the live pointer with hookreg_set_live().";

	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("%s on hookreg.%s is not allowed", op, table),
			 errdetail("hookreg.%s is append-only: its rows are never changed or removed.", table),
			 errhint("%s", hint)));
	PG_RETURN_NULL();
}
