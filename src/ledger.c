/*
 * ledger.c: the operation-run ledger (SPEC 3).
 */
#include "hookreg.h"

#include "utils/uuid.h"

/* RFC 4122 version 4: version nibble 4, variant bits 10. */
static bool
hr_uuid_is_v4(const pg_uuid_t *u)
{
	return (u->data[6] >> 4) == 4 && (u->data[8] & 0xc0) == 0x80;
}

PG_FUNCTION_INFO_V1(opsrun_is_uuid_v4);

/* opsrun_is_uuid_v4(uuid) RETURNS boolean, IMMUTABLE STRICT */
Datum
opsrun_is_uuid_v4(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(hr_uuid_is_v4(PG_GETARG_UUID_P(0)));
}
