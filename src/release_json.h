/*
 * release_json.h: the jansson-free face of release_json.c, which checks a
 * release's runtime (image, digest, config, limits), fills the limits'
 * defaults and computes the release's identity (SPEC 2.2).
 */
#ifndef HOOKREG_RELEASE_JSON_H
#define HOOKREG_RELEASE_JSON_H

#include <stddef.h>

/* "sha256:" + 64 hex digits + NUL */
#define HR_RELEASE_DIGEST_LEN 72

typedef struct HrReleaseContent
{
	char	   *limits_json;	/* limits with defaults filled, canonical JSON */
	char		release_digest[HR_RELEASE_DIGEST_LEN];
} HrReleaseContent;

/*
 * hr_release_content: check image, digest, config (JSON text of an object)
 * and limits (JSON text of an object), raising 22023 / 54000 with the name or
 * JSON path of the offending input, then fill out.
 *
 * runtime_path: NULL when the values are SQL arguments (messages then name
 * the argument); else the JSON path of the object holding them, e.g.
 * "$.hooks[0].runtime".
 */
extern void hr_release_content(const char *image, const char *digest,
							   const char *config_json, size_t config_len,
							   const char *limits_json, size_t limits_len,
							   const char *runtime_path,
							   HrReleaseContent *out);

/*
 * hr_release_content_parsed: the same for config and limits already parsed
 * by jansson as part of a larger document (the deploy spec); *_len is each
 * one's size as JSON text as PostgreSQL prints it (for the size caps), NULL
 * config or limits is {}.  (struct json_t is jansson's json_t.)
 */
struct json_t;
extern void hr_release_content_parsed(const char *image, const char *digest,
									  const struct json_t *config, size_t config_len,
									  const struct json_t *limits, size_t limits_len,
									  const char *runtime_path, HrReleaseContent *out);

#endif							/* HOOKREG_RELEASE_JSON_H */
