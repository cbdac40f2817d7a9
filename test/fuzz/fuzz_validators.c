/*
 * fuzz_validators.c: the other engineers' JSON input checks, on arbitrary
 * bytes.  The first byte picks the code under test:
 *   0  hr_feature_spec_parse (feature specs)
 *   1  hr_deploy_spec_validate (convention deploy specs)
 *   2  hr_normalize_counts_json (summary counters)
 *   3  hr_json_jcs, the canonical (RFC 8785) text an identity hash hashes
 *      (in the server it is written from the jsonb, see fuzz_jcs)
 *   4  hr_release_content (release runtime): the rest is split at
 *      newlines into image, digest, config and limits
 * Properties: only the SQLSTATEs those functions document are raised;
 * normalized counters are a fixed point with allowed keys and integer
 * values in [0, 2^53]; a normalized feature spec is accepted again and
 * normalizes to itself; the canonical identity text does not depend on key
 * order or white space.
 */
#include "fuzz_pg.h"

#include "fuzz_json.h"

#include "conventions.h"
#include "feature_spec.h"
#include "ledger.h"
#include "release_json.h"

/*
 * release_jcs.c walks the config's jsonb, which only the server has: here
 * the "jsonb" handed to hr_release_content is the config's JSON text, and
 * its canonical text comes from jansson (hr_json_jcs).  The numbers of limits
 * are checked on the jsonb in the server; jansson has read them here.
 */
void
hr_release_config_jcs(const Jsonb *config, const char *runtime_path, StringInfo out)
{
	const char *text = (const char *) config;
	json_t	   *value = hr_json_parse(text, strlen(text), "config", HR_JSON_MAX_BYTES,
									  HR_JSON_MAX_DEPTH);

	if (!json_is_object(value))
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("config must be a JSON object")));
	appendStringInfoString(out, hr_json_jcs(value, NULL));
}

void
hr_release_limits_check(const Jsonb *limits, const char *runtime_path)
{
}

/* The default summary keys (the ledger keeps its copy in ledger.c). */
static const char *const fuzz_summary_keys[] = {"total", "processed", "succeeded", "failed",
"skipped", "updated", "created", "deleted", "items", "tenants"};
#define fuzz_summary_keys_count ((int) lengthof(fuzz_summary_keys))

static bool
fuzz_error_in(const int *codes)
{
	for (; *codes; codes++)
		if (fuzz_pg_sqlstate == *codes)
			return true;
	return false;
}

static const int fuzz_shape_errors[] = {ERRCODE_INVALID_PARAMETER_VALUE, ERRCODE_PROGRAM_LIMIT_EXCEEDED, 0};
static const int fuzz_spec_errors[] = {ERRCODE_INVALID_PARAMETER_VALUE, ERRCODE_PROGRAM_LIMIT_EXCEEDED,
ERRCODE_RESERVED_NAME, 0};

static void
fuzz_feature_spec(const char *data, size_t size)
{
	HrFeatureSpec spec;
	HrFeatureSpec again;
	bool		ok;

	FUZZ_PG_TRY(ok)
		hr_feature_spec_parse(data, size, NULL, &spec);
	if (!ok)
	{
		FUZZ_CHECK(fuzz_error_in(fuzz_spec_errors), "feature spec raised %d: %s",
				   fuzz_pg_sqlstate, fuzz_pg_message);
		return;
	}
	FUZZ_PG_TRY(ok)
	{
		hr_feature_spec_parse(spec.normalized, strlen(spec.normalized), NULL, &again);
		FUZZ_CHECK(strcmp(again.normalized, spec.normalized) == 0,
				   "normalized feature spec is not a fixed point:\n  %s\n  %s",
				   spec.normalized, again.normalized);
		FUZZ_CHECK(again.ncolumns == spec.ncolumns, "column count changed");
		for (int i = 0; i < spec.ncolumns; i++)
			FUZZ_CHECK(hr_name_is_valid(spec.columns[i].name, strlen(spec.columns[i].name),
										HR_COLUMN_NAME_MAX),
					   "column name %s is not valid", spec.columns[i].name);
	}
	FUZZ_CHECK(ok, "a normalized feature spec was refused (%d: %s)", fuzz_pg_sqlstate, fuzz_pg_message);
}

static void
fuzz_deploy_spec(const char *data, size_t size)
{
	HrDeploySpec spec;
	bool		ok;

	FUZZ_PG_TRY(ok)
		hr_deploy_spec_validate(data, size, &spec);
	if (!ok)
		FUZZ_CHECK(fuzz_error_in(fuzz_spec_errors), "deploy spec raised %d: %s",
				   fuzz_pg_sqlstate, fuzz_pg_message);
	else
	{
		FUZZ_CHECK(spec.nhooks <= HR_DEPLOY_MAX_HOOKS, "%d hooks", spec.nhooks);
		for (int i = 1; i < spec.nhooks; i++)
			FUZZ_CHECK(strcmp(spec.hooks[spec.lock_order[i - 1]].name,
							  spec.hooks[spec.lock_order[i]].name) <= 0, "lock order not sorted");
	}
}

static void
fuzz_counts(const char *data, size_t size)
{
	bool		ok;
	char	   *out = NULL;

	FUZZ_PG_TRY(ok)
		out = hr_normalize_counts_json(data, size, fuzz_summary_keys,
									   fuzz_summary_keys_count);
	if (!ok)
	{
		FUZZ_CHECK(fuzz_error_in(fuzz_shape_errors), "counts raised %d: %s",
				   fuzz_pg_sqlstate, fuzz_pg_message);
		return;
	}
	FUZZ_PG_TRY(ok)
	{
		json_t	   *obj = json_loads(out, 0, NULL);
		const char *key;
		json_t	   *value;

		FUZZ_CHECK(json_is_object(obj), "counts are not an object: %s", out);
		json_object_foreach(obj, key, value)
		{
			bool		known = false;

			for (int i = 0; i < fuzz_summary_keys_count; i++)
				known |= strcmp(fuzz_summary_keys[i], key) == 0;
			FUZZ_CHECK(known, "key %s kept", key);
			FUZZ_CHECK(json_is_integer(value) && json_integer_value(value) >= 0 &&
					   json_integer_value(value) <= ((json_int_t) 1 << 53), "bad value in %s", out);
		}
		FUZZ_CHECK(strcmp(hr_normalize_counts_json(out, strlen(out), fuzz_summary_keys,
												   fuzz_summary_keys_count), out) == 0,
				   "normalized counts are not a fixed point: %s", out);
	}
	FUZZ_CHECK(ok, "normalized counts were refused (%d: %s)", fuzz_pg_sqlstate, fuzz_pg_message);
}

static void
fuzz_identity(const char *data, size_t size)
{
	bool		ok;
	json_t	   *value = NULL;
	char	   *canonical = NULL;

	FUZZ_PG_TRY(ok)
	{
		value = hr_json_parse(data, size, "identity", HR_JSON_MAX_BYTES, HR_JSON_MAX_DEPTH);
		canonical = hr_json_jcs(value, NULL);
	}
	if (!ok)
	{
		FUZZ_CHECK(fuzz_error_in(fuzz_shape_errors), "identity raised %d: %s",
				   fuzz_pg_sqlstate, fuzz_pg_message);
		return;
	}
	FUZZ_PG_TRY(ok)
	{
		char	   *reordered = json_dumps(fuzz_reversed(value), JSON_ENCODE_ANY | JSON_INDENT(1));
		json_t	   *again = hr_json_parse(reordered, strlen(reordered), "identity",
										  HR_JSON_MAX_BYTES * 4, HR_JSON_MAX_DEPTH);
		char	   *canonical_again = hr_json_jcs(again, NULL);

		FUZZ_CHECK(strcmp(canonical, canonical_again) == 0,
				   "canonical identity depends on key order or white space:\n  %s\n  %s",
				   canonical, canonical_again);
	}
	FUZZ_CHECK(ok, "re-ordered identity raised %d: %s", fuzz_pg_sqlstate, fuzz_pg_message);
}

static void
fuzz_release(const char *data, size_t size)
{
	char	   *copy = pnstrdup(data, size);
	char	   *parts[4] = {"", "", "{}", "{}"};
	char	   *p = copy;
	HrReleaseContent out;
	bool		ok;

	for (int i = 0; i < 4 && p; i++)
	{
		char	   *nl = strchr(p, '\n');

		if (nl)
			*nl = '\0';
		parts[i] = p;
		p = nl ? nl + 1 : NULL;
	}
	FUZZ_PG_TRY(ok)
		hr_release_content(parts[0], parts[1], (const Jsonb *) parts[2], (const Jsonb *) parts[3],
						   parts[3], strlen(parts[3]), (size % 3) ? NULL : "$.hooks[0].runtime", &out);
	if (!ok)
		FUZZ_CHECK(fuzz_error_in(fuzz_shape_errors), "release content raised %d: %s",
				   fuzz_pg_sqlstate, fuzz_pg_message);
	else
		FUZZ_CHECK(strncmp(out.release_digest, "sha256:", 7) == 0 && strlen(out.release_digest) == 71,
				   "bad release digest %s", out.release_digest);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *) data + 1;

	if (size < 1)
		return 0;
	fuzz_pg_init();
	switch (data[0] % 5)
	{
		case 0:
			fuzz_feature_spec(text, size - 1);
			break;
		case 1:
			fuzz_deploy_spec(text, size - 1);
			break;
		case 2:
			fuzz_counts(text, size - 1);
			break;
		case 3:
			fuzz_identity(text, size - 1);
			break;
		case 4:
			fuzz_release(text, size - 1);
			break;
	}
	fuzz_pg_jump = NULL;
	fuzz_pg_reset();
	return 0;
}
