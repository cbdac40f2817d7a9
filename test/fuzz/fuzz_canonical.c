/*
 * fuzz_canonical.c: hr_json_parse and hr_json_canonical (the form of the
 * JSON hookreg builds and stores; digests hash RFC 8785 text, fuzz_jcs.c) on
 * arbitrary bytes.
 * Properties: only 22023 or 54000 are raised; the canonical form does not
 * depend on the order of keys (every object rebuilt with its keys inserted
 * in reverse gives the same text); it is a fixed point (parsing and
 * printing it again gives it back).
 */
#include "fuzz_pg.h"

#include "fuzz_json.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bool		ok;
	json_t	   *value = NULL;

	fuzz_pg_init();
	FUZZ_PG_TRY(ok)
		value = hr_json_parse((const char *) data, size, "input", HR_JSON_MAX_BYTES, HR_JSON_MAX_DEPTH);
	if (!ok)
		FUZZ_CHECK(fuzz_pg_expected_error(), "parse raised %d: %s", fuzz_pg_sqlstate, fuzz_pg_message);
	else
	{
		FUZZ_PG_TRY(ok)
		{
			size_t		len;
			char	   *canonical = hr_json_canonical(value, &len);
			char	   *reversed = hr_json_canonical(fuzz_reversed(value), NULL);
			json_t	   *again = hr_json_parse(canonical, len, "canonical", HR_JSON_MAX_BYTES * 2,
											  HR_JSON_MAX_DEPTH);

			FUZZ_CHECK(strcmp(canonical, reversed) == 0,
					   "key order changes the canonical form:\n  %s\n  %s", canonical, reversed);
			FUZZ_CHECK(strcmp(hr_json_canonical(again, NULL), canonical) == 0,
					   "canonical form is not a fixed point: %s", canonical);
		}
		FUZZ_CHECK(ok, "canonical raised %d: %s", fuzz_pg_sqlstate, fuzz_pg_message);
	}
	fuzz_pg_jump = NULL;
	fuzz_pg_reset();
	return 0;
}
