/*
 * release_json.h: the jansson-free face of release_json.c, which checks a
 * release's runtime (image, digest, config, limits), fills the limits'
 * defaults and computes the release's identity (doc/digests.md).
 */
#ifndef HOOKREG_RELEASE_JSON_H
#define HOOKREG_RELEASE_JSON_H

#include <stddef.h>

#include "postgres.h"

#include "lib/stringinfo.h"
#include "utils/jsonb.h"

/* "sha256:" + 64 hex digits + NUL */
#define HR_RELEASE_DIGEST_LEN 72

typedef struct HrReleaseContent
{
	char	   *limits_json;	/* limits with defaults filled, canonical JSON */
	char		release_digest[HR_RELEASE_DIGEST_LEN];
} HrReleaseContent;

/*
 * hr_release_content: check image, digest, config (a jsonb object, NULL for
 * {}) and limits (the same jsonb, and its JSON text), raising 22023 / 54000
 * with the name or JSON path of the offending input, then fill out.
 *
 * runtime_path: NULL when the values are SQL arguments (messages then name
 * the argument); else the JSON path of the object holding them, e.g.
 * "$.hooks[0].runtime".
 */
extern void hr_release_content(const char *image, const char *digest,
							   const Jsonb *config,
							   const Jsonb *limits,
							   const char *limits_json, size_t limits_len,
							   const char *runtime_path,
							   HrReleaseContent *out);

/*
 * hr_release_content_parsed: the same for config and limits already parsed
 * by jansson as part of a larger document (the deploy spec), whose numbers
 * the caller checked first on the jsonb (hr_release_config_jcs,
 * hr_release_limits_check); *_len is each one's size for the size caps, NULL
 * config or limits is {}.  (struct json_t is jansson's json_t.)
 */
struct json_t;
extern void hr_release_content_parsed(const char *image, const char *digest,
									  const struct json_t *config, size_t config_len,
									  const struct json_t *limits, size_t limits_len,
									  const char *runtime_path, HrReleaseContent *out);

/*
 * hr_release_stored_content: the digest of a stored release (the update
 * from 0.1.0): identity holds {"config":<its canonical text>; image, digest
 * and limits (with defaults) are the stored ones, read back as 0.1.0
 * stored them (limits' numbers as doubles).
 */
extern void hr_release_stored_content(StringInfo identity, const char *image,
									  const char *digest, const char *limits_json,
									  size_t limits_len, HrReleaseContent *out);

/*
 * release_jcs.c, the jsonb side (no jansson): config's RFC 8785 text
 * appended to out (22023 unless an object or for a number JCS cannot carry
 * exactly, 54000 over 64 KiB of canonical text or 32 levels of nesting);
 * the numbers of limits checked the same way.
 */
extern void hr_release_config_jcs(const Jsonb *config, const char *runtime_path,
								  StringInfo out);
extern void hr_release_limits_check(const Jsonb *limits, const char *runtime_path);

#endif							/* HOOKREG_RELEASE_JSON_H */
