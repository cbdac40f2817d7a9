/*
 * conventions.c: conventions and their slugs (SPEC 2.6).
 */
#include "hookreg.h"

#include "mb/pg_wchar.h"
#include "utils/builtins.h"

#define HR_SLUG_MAX 64

/*
 * hr_slugify: lowercase; each run of characters outside [a-z0-9] becomes one
 * '-'; '-' trimmed at both ends; cut to 64 characters; trimmed again.  Bytes
 * of a multibyte character are all >= 0x80, so working byte by byte turns a
 * whole non-ASCII character into part of a '-' run.  Returns NULL when the
 * result is not a valid slug (^[a-z][a-z0-9-]{2,63}$).
 */
static char *
hr_slugify(const char *in, size_t len)
{
	char	   *out = palloc(len + 1);
	size_t		n = 0;
	bool		pending_dash = false;

	for (size_t i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) in[i];

		if (c >= 'A' && c <= 'Z')
			c = c - 'A' + 'a';
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
		{
			if (pending_dash && n > 0)
				out[n++] = '-';
			pending_dash = false;
			out[n++] = (char) c;
		}
		else
			pending_dash = true;
	}
	/* Leading dashes were never written, trailing ones are still pending. */
	if (n > HR_SLUG_MAX)
		n = HR_SLUG_MAX;
	while (n > 0 && out[n - 1] == '-')
		n--;
	out[n] = '\0';

	if (n < 3 || !(out[0] >= 'a' && out[0] <= 'z'))
		return NULL;
	return out;
}

PG_FUNCTION_INFO_V1(hookreg_slugify);

/* hookreg_slugify(title text) RETURNS text, IMMUTABLE STRICT */
Datum
hookreg_slugify(PG_FUNCTION_ARGS)
{
	text	   *title = PG_GETARG_TEXT_PP(0);
	char	   *slug = hr_slugify(VARDATA_ANY(title), VARSIZE_ANY_EXHDR(title));

	if (slug == NULL)
	{
		/* Quote at most 80 bytes of the title, never splitting a character. */
		int			shown = pg_mbcliplen(VARDATA_ANY(title), VARSIZE_ANY_EXHDR(title), 80);

		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("title \"%.*s%s\" does not make a valid slug", shown,
						VARDATA_ANY(title), (size_t) shown < VARSIZE_ANY_EXHDR(title) ? "..." : ""),
				 errdetail("A slug must match ^[a-z][a-z0-9-]{2,63}$ once the title is lowercased and every other run of characters is replaced by \"-\"."),
				 errhint("Start the title with a letter and give it at least three letters or digits.")));
	}
	PG_RETURN_TEXT_P(cstring_to_text(slug));
}
