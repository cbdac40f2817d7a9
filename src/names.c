/*
 * names.c: the pure rules of hookreg's names and identifiers, apart from any
 * SPI or fmgr code so that they can be read, reused and fuzzed on their own:
 * hook names, operation type names, convention slugs, version 4 UUIDs.
 * Errors are raised with ereport (22023, 42939); nothing here reads the
 * database.
 */
#include "postgres.h"

#include "mb/pg_wchar.h"

#include "feature_spec.h"
#include "names.h"
#include "errvalue.h"

static const char *const hr_reserved_hooks[] = {"records", "datasets", "runs", NULL};

/*
 * Raise 22023 or 42939 unless name is a valid, unreserved hook name.  where:
 * "" for the name argument, else " at <JSON path>".
 */
void
hr_check_hook_name(const char *name, const char *where)
{
	size_t		len = strlen(name);

	/* an invalid name may be anything, a token too: shown sanitized and cut */
	if (!hr_name_is_valid(name, len, HR_HOOK_NAME_MAX))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid hook name \"%s\"%s", hr_error_value(name, len), where),
				 errdetail("Hook names must match ^[a-z][a-z0-9_]{0,39}$."),
				 errhint("Use lowercase letters, digits and underscores, starting with a letter, at most 40 in all.")));
	for (const char *const *r = hr_reserved_hooks; *r; r++)
		if (strcmp(*r, name) == 0)
			ereport(ERROR,
					(errcode(ERRCODE_RESERVED_NAME),
					 errmsg("hook name \"%s\"%s is reserved", name, where),
					 errdetail("The names records, datasets and runs are reserved."),
					 errhint("Choose another hook name.")));
}

void
hr_check_type_name(const char *type)
{
	const char *p = type;
	int			parts = 0;
	bool		ok = (*p >= 'a' && *p <= 'z');

	/* ^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$ */
	while (ok && *p)
	{
		const char *start = p;

		while ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_')
			p++;
		if (p == start)
			ok = false;
		else if (*p == '.')
		{
			p++;
			parts++;
			ok = (*p != '\0');
		}
		else if (*p != '\0')
			ok = false;
	}
	if (!ok || parts == 0 || strlen(type) > 200)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid operation type \"%s\"", hr_error_cstr(type)),
				 errdetail("An operation type must match ^[a-z][a-z0-9_]*(\\.[a-z0-9_]+)+$ and be at most 200 characters."),
				 errhint("Use a dotted lowercase name such as \"assignments.fetch\".")));
}

#define HR_SLUG_MAX 64

/*
 * hr_slugify: lowercase; each run of characters outside [a-z0-9] becomes one
 * '-'; '-' trimmed at both ends; cut to 64 characters; trimmed again.  Bytes
 * of a multibyte character are all >= 0x80, so working byte by byte turns a
 * whole non-ASCII character into part of a '-' run.  Returns NULL when the
 * result is not a valid slug (^[a-z][a-z0-9-]{2,63}$).
 */
char *
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

void
hr_slug_error(const char *title, size_t len, const char *path)
{
	/* The title as caller input is shown: sanitized and cut short. */
	const char *shown = hr_error_value(title, len);

	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 path ? errmsg("title \"%s\" at %s does not make a valid slug", shown, path)
			 : errmsg("title \"%s\" does not make a valid slug", shown),
			 errdetail("A slug must match ^[a-z][a-z0-9-]{2,63}$ once the title is lowercased and every other run of characters is replaced by \"-\"."),
			 errhint("Start the title with a letter and give it at least three letters or digits.")));
	pg_unreachable();
}

/* RFC 4122 version 4: version nibble 4, variant bits 10. */
bool
hr_uuid_is_v4(const pg_uuid_t *u)
{
	return (u->data[6] >> 4) == 4 && (u->data[8] & 0xc0) == 0x80;
}

/*
 * An operation run's identity hash as stored: exactly 64 lowercase
 * hexadecimal digits (what ^[0-9a-f]{64}$ matches, without the regex).
 */
bool
hr_is_identity_hash(const char *s, size_t len)
{
	if (len != 64)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

const char *const hr_run_statuses[] = {"queued", "running", "completed"};
const int	hr_run_statuses_count = lengthof(hr_run_statuses);
const char *const hr_run_outcomes[] = {
	"pending", "succeeded", "partially_succeeded", "failed", "cancelled", "blocked"
};
const int	hr_run_outcomes_count = lengthof(hr_run_outcomes);

bool
hr_word_in(const char *s, size_t len, const char *const *list, int count)
{
	for (int i = 0; i < count; i++)
		if (strlen(list[i]) == len && memcmp(s, list[i], len) == 0)
			return true;
	return false;
}

void
hr_new_uuid(pg_uuid_t *out)
{
	if (!pg_strong_random(out->data, UUID_LEN))
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("could not generate random values")));
	out->data[6] = (out->data[6] & 0x0f) | 0x40;	/* version 4 */
	out->data[8] = (out->data[8] & 0x3f) | 0x80;	/* RFC 4122 variant */
}
