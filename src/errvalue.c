/*
 * errvalue.c: every value a caller gave that an error message echoes goes
 * through hr_error_value, so that a token given as a digest, a run status or
 * a JSON member name never reaches the client's error or the server log, and
 * a 10 MB value is never copied whole.
 */
#include "postgres.h"

#include "mb/pg_wchar.h"

#include "errvalue.h"
#include "sanitize.h"

/*
 * Only the first bytes are sanitized: enough to hold any token the
 * sanitizer knows whole, so that a cut never leaves a recognisable prefix of
 * one unredacted in the part that is shown.
 */
#define HR_ERROR_VALUE_SCAN 1024

/* Bytes of the first nchars characters of s (len bytes). */
static int
hr_char_clip(const char *s, int len, int nchars)
{
	int			encoding = GetDatabaseEncoding();
	int			bytes = 0;

	for (int chars = 0; chars < nchars && bytes < len; chars++)
	{
		int			l = pg_encoding_mblen(encoding, s + bytes);

		if (bytes + l > len)
			break;
		bytes += l;
	}
	return bytes;
}

char *
hr_error_value(const char *value, size_t len)
{
	size_t		scan = len;
	bool		cut = false;
	char	   *clean;
	int			clean_len,
				shown;

	if (value == NULL)
		return pstrdup("(null)");
	if (scan > HR_ERROR_VALUE_SCAN)
	{
		scan = pg_mbcliplen(value, (int) len, HR_ERROR_VALUE_SCAN);
		cut = true;
	}
	clean = hr_sanitize_message(value, scan, 0);
	clean_len = (int) strlen(clean);
	shown = hr_char_clip(clean, clean_len, HR_ERROR_VALUE_CHARS);
	if (shown < clean_len)
		cut = true;
	return psprintf("%.*s%s", shown, clean, cut ? "..." : "");
}

char *
hr_error_name(const char *name)
{
	size_t		len = strlen(name);
	size_t		scan = len > HR_ERROR_VALUE_SCAN ? (size_t) pg_mbcliplen(name, (int) len, HR_ERROR_VALUE_SCAN) : len;
	char	   *clean = hr_sanitize_message(name, scan, 0);
	int			shown;

	if (strstr(clean, "[redacted]") != NULL && strstr(name, "[redacted]") == NULL)
		return hr_error_value(name, len);
	shown = hr_char_clip(name, (int) len, HR_ERROR_VALUE_CHARS);
	return psprintf("%.*s%s", shown, name, (size_t) shown < len ? "..." : "");
}

char *
hr_error_cstr(const char *value)
{
	return hr_error_value(value, value ? strlen(value) : 0);
}

void
hr_check_text_cap(const char *what, size_t len, size_t max_bytes)
{
	if (len <= max_bytes)
		return;
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("%s is too long", what),
			 errdetail("It is %zu bytes; the limit is %zu bytes.", len, max_bytes),
			 errhint("Store the long text elsewhere and pass a reference to it.")));
}
