/*
 * fuzz_failures.c: hr_sanitize_failures_json and hr_sanitize_context_json on
 * arbitrary bytes.  Properties: only 22023 or 54000 are raised; an accepted
 * summary is an array of at most 50 {code, message, count} entries with
 * valid codes that hold no secret, messages of at most 500 characters and positive counts; an
 * accepted context holds no secret-looking key; both are fixed points.
 */
#include "fuzz_pg.h"

#include "hrjson.h"
#include "mb/pg_wchar.h"

#include "sanitize.h"

/* characters of valid UTF-8 */
static size_t
fuzz_utf8_chars(const char *s)
{
	size_t		n = 0;

	for (; *s; s++)
		n += ((unsigned char) *s & 0xC0) != 0x80;
	return n;
}

static void
fuzz_no_secret_keys(json_t *value)
{
	const char *key;
	json_t	   *member;
	size_t		i;

	if (json_is_object(value))
		json_object_foreach(value, key, member)
		{
			FUZZ_CHECK(!hr_is_secret_key(key, strlen(key)), "secret key \"%s\" kept", key);
			fuzz_no_secret_keys(member);
		}
	else if (json_is_array(value))
		json_array_foreach(value, i, member)
			fuzz_no_secret_keys(member);
}

/* An accepted failure summary: shape and caps. */
static void
fuzz_check_failures(const char *out)
{
	json_t	   *arr = json_loads(out, 0, NULL);
	json_t	   *entry;
	size_t		i;

	FUZZ_CHECK(json_is_array(arr) && json_array_size(arr) <= 50, "not an array of <= 50: %s", out);
	json_array_foreach(arr, i, entry)
	{
		const char *code = json_string_value(json_object_get(entry, "code"));
		const char *message = json_string_value(json_object_get(entry, "message"));
		json_t	   *count = json_object_get(entry, "count");

		FUZZ_CHECK(json_object_size(entry) == 3 && code && message &&
				   json_is_integer(count) && json_integer_value(count) >= 1,
				   "bad entry %zu in %s", i, out);
		FUZZ_CHECK(strlen(code) <= 64 && code[0] >= 'a' && code[0] <= 'z', "bad code %s", code);
		/* a kept code carries no secret the message rules would redact */
		FUZZ_CHECK(!hr_holds_secret(code, strlen(code)), "code %s holds a secret", code);
		FUZZ_CHECK(fuzz_utf8_chars(message) <= 500, "message over 500: %s", message);
	}
}

/* An accepted context: no secret-looking key left. */
static void
fuzz_check_context(const char *out)
{
	fuzz_no_secret_keys(json_loads(out, 0, NULL));
}

/*
 * Run one sanitizer: a refusal must be 22023 or 54000; an accepted input
 * gives an output that passes check and is a fixed point.
 */
static void
fuzz_sanitizer(const char *what, char *(*sanitize) (const char *, size_t),
			   void (*check) (const char *), const char *data, size_t size)
{
	bool		ok;
	char	   *out = NULL;

	FUZZ_PG_TRY(ok)
		out = sanitize(data, size);
	if (!ok)
	{
		FUZZ_CHECK(fuzz_pg_expected_error(), "%s: unexpected error %d: %s",
				   what, fuzz_pg_sqlstate, fuzz_pg_message);
		return;
	}
	FUZZ_PG_TRY(ok)
	{
		check(out);
		FUZZ_CHECK(strcmp(sanitize(out, strlen(out)), out) == 0, "%s not idempotent: %s", what, out);
	}
	FUZZ_CHECK(ok, "%s: sanitizing the output again raised %d: %s", what, fuzz_pg_sqlstate, fuzz_pg_message);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_pg_init();
	fuzz_pg_encoding = PG_UTF8;
	fuzz_sanitizer("failures", hr_sanitize_failures_json, fuzz_check_failures,
				   (const char *) data, size);
	fuzz_sanitizer("context", hr_sanitize_context_json, fuzz_check_context,
				   (const char *) data, size);
	fuzz_pg_jump = NULL;
	fuzz_pg_reset();
	return 0;
}
