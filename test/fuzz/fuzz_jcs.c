/*
 * fuzz_jcs.c: the RFC 8785 (JCS) canonicalizer (src/jcs.c, src/jcs_json.c)
 * on arbitrary bytes.  The first byte picks the mode:
 *   even  the rest is a JSON document: its canonical text does not depend
 *         on key order or white space, is a fixed point (canonicalizing it
 *         again gives it back, byte for byte), and each of its numbers is
 *         accepted as exact with itself as its form;
 *   odd   the rest is number text for hr_jcs_decimal, the exactness rule:
 *         an accepted number's form is accepted again unchanged (idempotent)
 *         and is the same double; a refused one's nearest form is itself
 *         canonical; text that is no number is refused without a form.
 * Only 22023 and 54000 may be raised; nothing may crash or leak.
 */
#include "fuzz_pg.h"

#include <math.h>

#include "fuzz_json.h"
#include "jcs.h"

/* Every number in canonical text is its own exact form. */
static void
fuzz_numbers_exact(const json_t *value)
{
	const char *key;
	json_t	   *member;
	size_t		i;

	if (json_is_object(value))
		json_object_foreach((json_t *) value, key, member)
			fuzz_numbers_exact(member);
	else if (json_is_array(value))
		json_array_foreach((json_t *) value, i, member)
			fuzz_numbers_exact(member);
	else if (json_is_real(value))
	{
		char		form[HR_JCS_NUMBER_MAX],
					again[HR_JCS_NUMBER_MAX];
		int			len = hr_jcs_double(json_real_value(value), form);

		FUZZ_CHECK(hr_jcs_decimal(form, len, again) && strcmp(form, again) == 0,
				   "the form %s of a double is not exact: %s", form, again);
		FUZZ_CHECK(strtod(form, NULL) == json_real_value(value) ||
				   (json_real_value(value) == 0 && strcmp(form, "0") == 0),
				   "the form %s is another double than %.17g", form, json_real_value(value));
	}
}

static void
fuzz_document(const char *data, size_t size)
{
	bool		ok;
	json_t	   *value = NULL;
	char	   *canonical = NULL;
	size_t		len = 0;

	FUZZ_PG_TRY(ok)
	{
		value = hr_json_parse(data, size, "input", HR_JSON_MAX_BYTES, HR_JSON_MAX_DEPTH);
		canonical = hr_json_jcs(value, &len);
	}
	if (!ok)
	{
		FUZZ_CHECK(fuzz_pg_expected_error(), "canonicalizing raised %d: %s",
				   fuzz_pg_sqlstate, fuzz_pg_message);
		return;
	}
	FUZZ_PG_TRY(ok)
	{
		char	   *reversed = hr_json_jcs(fuzz_reversed(value), NULL);
		json_error_t err;

		/* canonical text writes 1e20 as 100000000000000000000: read integers as doubles */
		json_t	   *again = json_loadb(canonical, len, JSON_DECODE_ANY | JSON_DECODE_INT_AS_REAL |
									   JSON_REJECT_DUPLICATES, &err);
		char	   *twice;

		FUZZ_CHECK(again != NULL, "canonical text is not JSON (%s): %s", err.text, canonical);
		twice = hr_json_jcs(again, NULL);

		FUZZ_CHECK(strcmp(canonical, reversed) == 0,
				   "key order changes the canonical text:\n  %s\n  %s", canonical, reversed);
		FUZZ_CHECK(strcmp(canonical, twice) == 0,
				   "canonical text is not a fixed point:\n  %s\n  %s", canonical, twice);
		FUZZ_CHECK(strlen(canonical) == len, "canonical text holds a NUL byte: %s", canonical);
		fuzz_numbers_exact(again);
	}
	FUZZ_CHECK(ok, "canonical text raised %d: %s", fuzz_pg_sqlstate, fuzz_pg_message);
}

static void
fuzz_number(const char *data, size_t size)
{
	char		form[HR_JCS_NUMBER_MAX],
				again[HR_JCS_NUMBER_MAX];
	bool		exact = hr_jcs_decimal(data, size, form);
	size_t		len = strlen(form);

	FUZZ_CHECK(len < HR_JCS_NUMBER_MAX, "form too long: %s", form);
	if (len == 0)
	{
		FUZZ_CHECK(!exact, "an exact number without a form");
		return;
	}
	FUZZ_CHECK(hr_jcs_decimal(form, len, again) && strcmp(form, again) == 0,
			   "the form %s is not its own exact form (%s)", form, again);
	if (exact)
	{
		char	   *text = pnstrdup(data, size);
		double		v = strtod(text, NULL);

		FUZZ_CHECK(v == strtod(form, NULL), "%s and its form %s are different doubles", text, form);
		FUZZ_CHECK(isfinite(v), "%s is exact but not finite", text);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	fuzz_pg_init();
	if (data[0] % 2 == 0)
		fuzz_document((const char *) data + 1, size - 1);
	else
	{
		bool		ok;

		FUZZ_PG_TRY(ok)
			fuzz_number((const char *) data + 1, size - 1);
		FUZZ_CHECK(ok, "a number raised %d: %s", fuzz_pg_sqlstate, fuzz_pg_message);
	}
	fuzz_pg_jump = NULL;
	fuzz_pg_reset();
	return 0;
}
