/*
 * fuzz_message.c: hr_sanitize_message on arbitrary bytes (NUL bytes,
 * invalid UTF-8, other server encodings).  Properties: never crashes or
 * raises; the output is valid in the encoding, has no control character, no
 * double or edge space, fits the cut; sanitizing it again changes nothing.
 */
#include "fuzz_pg.h"

#include "mb/pg_wchar.h"

#include "sanitize.h"

static const int fuzz_encodings[] = {PG_UTF8, PG_UTF8, PG_UTF8, PG_UTF8,
	PG_UTF8, PG_LATIN1, PG_EUC_JP, PG_SQL_ASCII};

static size_t
fuzz_chars(const char *s, size_t len, int enc)
{
	size_t		n = 0;

	for (size_t i = 0; i < len; n++)
		i += pg_encoding_mblen(enc, s + i);
	return n;
}

static void
fuzz_check_output(const char *in, size_t in_len, const char *out, size_t max_chars, int enc)
{
	size_t		len = strlen(out);

	FUZZ_CHECK(pg_encoding_verifymbstr(enc, out, (int) len) == (int) len,
			   "output is not valid in encoding %d", enc);
	for (size_t i = 0; i < len; i++)
		FUZZ_CHECK((unsigned char) out[i] >= 0x20 && out[i] != 0x7F,
				   "control byte 0x%02x at %zu", (unsigned char) out[i], i);
	FUZZ_CHECK(len == 0 || (out[0] != ' ' && out[len - 1] != ' '), "edge space in \"%s\"", out);
	FUZZ_CHECK(strstr(out, "  ") == NULL, "double space in \"%s\"", out);
	if (max_chars > 0)
		FUZZ_CHECK(fuzz_chars(out, len, enc) <= max_chars,
				   "%zu characters, more than %zu", fuzz_chars(out, len, enc), max_chars);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bool		ok;
	int			enc;
	size_t		max_chars;

	if (size < 2)
		return 0;
	/* the first two bytes choose the encoding and the cut */
	enc = fuzz_encodings[data[0] % lengthof(fuzz_encodings)];
	max_chars = (data[0] & 0x08) ? 0 : 1 + data[1] % 120;
	data += 2;
	size -= 2;

	fuzz_pg_init();
	fuzz_pg_encoding = enc;
	FUZZ_PG_TRY(ok)
	{
		char	   *once = hr_sanitize_message((const char *) data, size, max_chars);
		char	   *twice = hr_sanitize_message(once, strlen(once), max_chars);
		char	   *uncut = hr_sanitize_message((const char *) data, size, 0);

		fuzz_check_output((const char *) data, size, once, max_chars, enc);
		FUZZ_CHECK(strcmp(once, twice) == 0,
				   "not idempotent (cut %zu):\n  once:  \"%s\"\n  twice: \"%s\"", max_chars, once, twice);
		FUZZ_CHECK(strcmp(hr_sanitize_message(uncut, strlen(uncut), 0), uncut) == 0,
				   "not idempotent uncut: \"%s\"", uncut);
		/* a NULL message is the empty one */
		FUZZ_CHECK(hr_sanitize_message(NULL, 0, 0)[0] == '\0', "NULL is not empty");
	}
	FUZZ_CHECK(ok, "hr_sanitize_message raised %d: %s", fuzz_pg_sqlstate, fuzz_pg_message);
	fuzz_pg_jump = NULL;
	fuzz_pg_reset();
	return 0;
}
