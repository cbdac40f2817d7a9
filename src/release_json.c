/*
 * release_json.c: a release's runtime checked, its limits' defaults filled
 * and its identity (release_digest) computed, with jansson (doc/reference.md,
 * hookreg_create_release).
 *
 * release_digest = "sha256:" + hex SHA-256 of the RFC 8785 (JCS) text of
 * {"config","digest","image","limits"}, limits after the defaults are filled:
 * the same content is the same release.  On the SQL path config's
 * canonical text comes straight from its jsonb (release_jcs.c); in a deploy
 * it comes from the spec as jansson parsed it, once its numbers were checked
 * on the spec's jsonb.  limits are checked and filled here, as jansson
 * values, after their numbers were checked on the jsonb.
 */
#include "hrjson.h"

#include <math.h>

#include "hookreg.h"
#include "jcs.h"
#include "mb/pg_wchar.h"
#include "errvalue.h"
#include "release_json.h"

#define HR_IMAGE_MAX_BYTES	512
#define HR_TIMEOUT_MAX		86400
#define HR_TIMEOUT_DEFAULT	300
#define HR_MEMORY_DEFAULT	"1g"
#define HR_CPU_DEFAULT		"0.5"
/* a limits object has three small members: any sane one fits in this */
#define HR_LIMITS_MAX_BYTES	4096
#define HR_SHOWN_MAX		100

static const char *const hr_limits_members[] = {"timeout_seconds", "memory", "cpu", NULL};

/* Name of an input in messages: the SQL argument, or its JSON path. */
static const char *
hr_input_name(const char *runtime_path, const char *key)
{
	return runtime_path ? hr_json_path_key(runtime_path, key) : key;
}

/* At most HR_SHOWN_MAX bytes of a value for a message, never splitting a character. */
static char *
hr_shown(const char *value)
{
	return hr_error_cstr(value);
}

static void
hr_check_image(const char *image, const char *what)
{
	size_t		len = strlen(image);

	if (len == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be empty", what),
				 errhint("Give the image reference the release runs, e.g. \"registry.example.org/hooks/taxonomy:1.4\".")));
	if (len > HR_IMAGE_MAX_BYTES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s is too long", what),
				 errdetail("It is %zu bytes; the limit is %d bytes.", len, HR_IMAGE_MAX_BYTES)));
	for (const char *p = image; *p; p++)
		if ((unsigned char) *p < 0x20 || *p == 0x7f)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s contains a control character", what),
					 errdetail("The byte 0x%02x is at offset %d of \"%s\".",
							   (unsigned char) *p, (int) (p - image), hr_shown(image)),
					 errhint("An image reference is a single line of printable characters.")));
}

static bool
hr_is_lower_hex(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/*
 * OCI image-spec digest grammar:
 *   digest    ::= algorithm ":" encoded
 *   algorithm ::= component (separator component)*, component [a-z0-9]+,
 *                 separator [+._-]
 *   encoded   ::= [a-zA-Z0-9=_-]+
 * and for the registered algorithms: sha256 = 64, sha512 = 128 lowercase hex.
 * Other algorithms are refused: hookreg could not tell a typo ("sha265")
 * from a real algorithm, and a digest is part of the release's identity.
 */
static void
hr_check_digest(const char *digest, const char *what)
{
	const char *colon = strchr(digest, ':');
	const char *encoded;
	size_t		alg_len,
				enc_len,
				expected;
	bool		ok = (colon != NULL && colon != digest);

	for (const char *p = digest; ok && p < colon; p++)
	{
		bool		component = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9');
		bool		separator = (*p == '+' || *p == '.' || *p == '_' || *p == '-');

		/* a separator sits between two components */
		if (!(component || (separator && p > digest && p + 1 < colon &&
							!(p[-1] == '+' || p[-1] == '.' || p[-1] == '_' || p[-1] == '-'))))
			ok = false;
	}
	encoded = ok ? colon + 1 : NULL;
	for (const char *p = encoded; ok && *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			  (*p >= '0' && *p <= '9') || *p == '=' || *p == '_' || *p == '-'))
			ok = false;
	if (ok && *encoded == '\0')
		ok = false;
	if (!ok)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s \"%s\" is not an OCI digest", what, hr_shown(digest)),
				 errdetail("A digest is algorithm:encoded, e.g. \"sha256:\" followed by 64 lowercase hexadecimal digits."),
				 errhint("Take the digest from the registry, e.g. docker inspect --format '{{index .RepoDigests 0}}'.")));

	alg_len = colon - digest;
	enc_len = strlen(encoded);
	if (alg_len == 6 && strncmp(digest, "sha256", 6) == 0)
		expected = 64;
	else if (alg_len == 6 && strncmp(digest, "sha512", 6) == 0)
		expected = 128;
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s \"%s\" uses an unsupported algorithm \"%s\"",
						what, hr_shown(digest), hr_error_value(digest, alg_len)),
				 errdetail("hookreg accepts the OCI registered algorithms sha256 and sha512.")));

	if (enc_len != expected || !hr_is_lower_hex(encoded, enc_len))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s \"%s\" is not a valid %.*s digest", what, hr_shown(digest),
						(int) alg_len, digest),
				 enc_len != expected
				 ? errdetail("After \"%.*s:\" come exactly %zu lowercase hexadecimal digits; there are %zu characters.",
							 (int) alg_len, digest, expected, enc_len)
				 : errdetail("After \"%.*s:\" come exactly %zu lowercase hexadecimal digits (0-9, a-f); there are other characters.",
							 (int) alg_len, digest, expected)));
}

/* memory: a positive integer of bytes with an optional unit k, m, g, t (any case), then i or b */
static bool
hr_memory_ok(const char *s)
{
	const char *p = s;
	int			digits = 0;

	if (*p < '1' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9')
		p++, digits++;
	if (digits > 18)
		return false;
	if (*p && strchr("kKmMgGtT", *p))
	{
		p++;
		if (*p && strchr("iIbB", *p))
			p++;
	}
	return *p == '\0';
}

/* cpu as a string: a decimal number of cores > 0 ("0.5", "2"), or millicores ("250m") */
static bool
hr_cpu_string_ok(const char *s)
{
	const char *p = s;
	bool		nonzero = false;
	int			digits = 0;

	if (strlen(s) > 32)
		return false;
	while (*p >= '0' && *p <= '9')
		nonzero |= (*p++ != '0'), digits++;
	if (*p == 'm' && p[1] == '\0')
		return digits > 0 && nonzero;
	if (*p == '.')
	{
		int			frac = 0;

		p++;
		while (*p >= '0' && *p <= '9')
			nonzero |= (*p++ != '0'), frac++;
		if (frac == 0)
			return false;
	}
	else if (digits == 0)
		return false;
	return *p == '\0' && nonzero;
}

/* The checked limits with every default filled in. */
static json_t *
hr_normalize_limits(const json_t *limits, const char *path)
{
	json_t	   *out = json_object();
	json_t	   *timeout,
			   *memory,
			   *cpu;

	hr_json_require_object(limits, path, hr_limits_members);

	timeout = hr_json_member(limits, path, "timeout_seconds", HR_JSON_T(JSON_INTEGER), false);
	if (timeout == NULL)
		timeout = json_integer(HR_TIMEOUT_DEFAULT);
	else if (json_integer_value(timeout) < 1 || json_integer_value(timeout) > HR_TIMEOUT_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s is out of range", hr_json_path_key(path, "timeout_seconds")),
				 errdetail("It is %lld; it must be between 1 and %d seconds.",
						   (long long) json_integer_value(timeout), HR_TIMEOUT_MAX)));
	else
		json_incref(timeout);

	memory = hr_json_member(limits, path, "memory", HR_JSON_T(JSON_STRING), false);
	if (memory == NULL)
		memory = json_string(HR_MEMORY_DEFAULT);
	else if (!hr_memory_ok(json_string_value(memory)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s \"%s\" is not a memory size", hr_json_path_key(path, "memory"),
						hr_shown(json_string_value(memory))),
				 errdetail("A memory size is a positive whole number with an optional unit k, m, g or t, optionally followed by i or b, e.g. \"512m\", \"1g\", \"2Gi\".")));
	else
		json_incref(memory);

	cpu = hr_json_member(limits, path, "cpu", HR_JSON_T(JSON_STRING) | HR_JSON_NUMBER, false);
	if (cpu == NULL)
		cpu = json_string(HR_CPU_DEFAULT);
	else if (json_is_string(cpu) ? !hr_cpu_string_ok(json_string_value(cpu))
			 : !(json_number_value(cpu) > 0 && isfinite(json_number_value(cpu))))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s is not a positive number of cores", hr_json_path_key(path, "cpu")),
				 json_is_string(cpu)
				 ? errdetail("It is \"%s\".", hr_shown(json_string_value(cpu)))
				 : errdetail("It is %g.", json_number_value(cpu)),
				 errhint("Give a number greater than 0, or a string such as \"0.5\", \"2\" or \"250m\" (millicores).")));
	else
		json_incref(cpu);

	json_object_set_new(out, "timeout_seconds", timeout);
	json_object_set_new(out, "memory", memory);
	json_object_set_new(out, "cpu", cpu);
	return out;
}

/* Messages about the SQL arguments config and limits say which one they mean. */
static void
hr_argument_context(void *arg)
{
	errcontext("in the %s argument", (const char *) arg);
}

/*
 * An object input (config or limits): its size cap, the object check and
 * check (e.g. the limits' defaults), with messages naming the argument or
 * its JSON path.  value NULL: parse text (the SQL argument); else value is
 * already parsed as part of a larger document and len is its size as JSON
 * text.
 */
static json_t *
hr_object_input(const char *text, const json_t *value, size_t len, const char *runtime_path,
				const char *key, size_t max_bytes, json_t *(*check) (const json_t *, const char *))
{
	ErrorContextCallback ctx;
	const char *what = hr_input_name(runtime_path, key);
	const char *path = runtime_path ? what : "$";
	json_t	   *result;

	ctx.callback = hr_argument_context;
	ctx.arg = (void *) key;
	ctx.previous = error_context_stack;
	if (runtime_path == NULL)
		error_context_stack = &ctx;

	if (value == NULL)
		value = hr_json_parse(text, len, what, max_bytes, HR_JSON_MAX_DEPTH);
	else
		hr_json_check_size(len, what, max_bytes);
	if (!json_is_object(value))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a JSON object", what),
				 errdetail("Got %s at %s.", hr_json_type_name(value), path)));
	result = check ? check(value, path) : (json_t *) value;

	error_context_stack = ctx.previous;
	return result;
}

/* A string the database gave, as JSON: refused unless UTF-8 (SQL_ASCII databases). */
static void
hr_append_utf8_string(StringInfo buf, const char *s, const char *what)
{
	json_t	   *check = json_string(s);

	if (check == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s is not valid UTF-8", what)));
	json_decref(check);
	hr_jcs_append_string(buf, s, strlen(s));
}

/*
 * The rest of the identity after {"config":<its JCS text>: digest, image and
 * the checked, filled limits in JCS member order, then its SHA-256; the
 * limits' JCS text is what the release stores.
 */
static void
hr_content_of(StringInfo identity, const char *image, const char *digest, json_t *limits,
			  const char *runtime_path, HrReleaseContent *out)
{
	char		hex[65];

	appendStringInfoString(identity, ",\"digest\":");
	hr_append_utf8_string(identity, digest, hr_input_name(runtime_path, "digest"));
	appendStringInfoString(identity, ",\"image\":");
	hr_append_utf8_string(identity, image, hr_input_name(runtime_path, "image"));
	appendStringInfoString(identity, ",\"limits\":");
	out->limits_json = hr_json_jcs(limits, NULL);
	appendStringInfoString(identity, out->limits_json);
	appendStringInfoChar(identity, '}');

	hr_sha256_hex(identity->data, identity->len, hex);
	snprintf(out->release_digest, sizeof(out->release_digest), "sha256:%s", hex);
}

void
hr_release_content(const char *image, const char *digest,
				   const Jsonb *config,
				   const Jsonb *limits_jsonb,
				   const char *limits_json, size_t limits_len,
				   const char *runtime_path, HrReleaseContent *out)
{
	StringInfoData identity;
	json_t	   *limits;

	hr_check_image(image, hr_input_name(runtime_path, "image"));
	hr_check_digest(digest, hr_input_name(runtime_path, "digest"));

	initStringInfo(&identity);
	appendStringInfoString(&identity, "{\"config\":");
	hr_release_config_jcs(config, runtime_path, &identity);
	hr_release_limits_check(limits_jsonb, runtime_path);
	limits = hr_object_input(limits_json, NULL, limits_len, runtime_path, "limits",
							 HR_LIMITS_MAX_BYTES, hr_normalize_limits);
	hr_content_of(&identity, image, digest, limits, runtime_path, out);
	pfree(identity.data);
}

void
hr_release_content_parsed(const char *image, const char *digest,
						  const struct json_t *config, size_t config_len,
						  const struct json_t *limits, size_t limits_len,
						  const char *runtime_path, HrReleaseContent *out)
{
	json_t	   *empty = json_object();
	json_t	   *config_v,
			   *limits_v;
	StringInfoData identity;

	hr_check_image(image, hr_input_name(runtime_path, "image"));
	hr_check_digest(digest, hr_input_name(runtime_path, "digest"));
	config_v = hr_object_input(NULL, config ? config : empty, config ? config_len : 2,
							   runtime_path, "config", HR_JSON_MAX_BYTES, NULL);
	limits_v = hr_object_input(NULL, limits ? limits : empty, limits ? limits_len : 2,
							   runtime_path, "limits", HR_LIMITS_MAX_BYTES, hr_normalize_limits);

	/*
	 * The numbers of config and limits were checked on the spec's jsonb
	 * (hr_release_config_jcs, hr_release_limits_check), so the doubles
	 * jansson read are exactly the numbers sent, and config's JCS text is
	 * the one the SQL path writes from the jsonb.
	 */
	initStringInfo(&identity);
	appendStringInfoString(&identity, "{\"config\":");
	appendStringInfoString(&identity, hr_json_jcs(config_v, NULL));
	hr_content_of(&identity, image, digest, limits_v, runtime_path, out);
	pfree(identity.data);
}

void
hr_release_stored_content(StringInfo identity, const char *image, const char *digest,
						  const char *limits_json, size_t limits_len, HrReleaseContent *out)
{
	json_t	   *limits = hr_object_input(limits_json, NULL, limits_len, NULL, "limits",
										 HR_LIMITS_MAX_BYTES, hr_normalize_limits);

	hr_content_of(identity, image, digest, limits, NULL, out);
}
