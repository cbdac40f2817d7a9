/*
 * module.c: library entry points and the module version.
 */
#include "hookreg.h"

#include "utils/builtins.h"

#include "hrjson_init.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

void
_PG_init(void)
{
	/* jansson must allocate from PostgreSQL memory contexts (see json.c). */
	hr_json_init();
}

PG_FUNCTION_INFO_V1(hookreg_version_v2);

/*
 * hookreg_version() RETURNS text: the version compiled into the module, which
 * the build takes from hookreg.control, so it equals the installed extversion.
 */
Datum
hookreg_version_v2(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(HOOKREG_VERSION));
}
