/*
 * registry.h: the registry's operations as C calls, for the bundled deploy
 * (conventions.c), which must run them inside its own transaction, under its
 * own role check, and report errors with JSON paths of its own spec.
 *
 * Contract for every function here: the caller has checked the caller's role,
 * is acting as the extension owner (hr_owner_begin) and is between
 * SPI_connect and SPI_finish. Errors are raised with ereport and the SQLSTATEs
 * doc/reference.md gives for the SQL functions.
 *
 * "path" arguments: NULL when the values come from SQL arguments (messages
 * then name the argument, e.g. "digest"); otherwise the JSON path of the
 * object the values come from in a larger document (e.g.
 * "$.hooks[1].runtime"), and messages name members below it
 * ("$.hooks[1].runtime.digest").
 */
#ifndef HOOKREG_REGISTRY_H
#define HOOKREG_REGISTRY_H

#include "postgres.h"
#include "utils/jsonb.h"
#include "utils/uuid.h"

#include "feature_spec.h"
#include "names.h"
#include "release_json.h"

/* hookreg_register_hook */
typedef struct HrHookResult
{
	bool		created;		/* false: an equal spec was already registered */
	Oid			feature_table;	/* hookreg_features.<name> */
} HrHookResult;

/*
 * name_path: JSON path of the name (NULL: the "name" argument);
 * spec_path: JSON path of the feature spec (NULL: "$" of feature_spec).
 * checked: the name and spec already checked by the caller (the deploy,
 * hr_deploy_spec_check_hooks), which are then not parsed again; NULL: check
 * name and feature_spec here.
 */
extern void hr_register_hook(const char *name, Jsonb *feature_spec,
							 const HrFeatureSpec *checked,
							 const char *name_path, const char *spec_path,
							 HrHookResult *result);

/* hookreg_create_release */
typedef struct HrReleaseInput
{
	const char *hook_name;
	const char *image;
	const char *digest;
	Jsonb	   *config;			/* NULL: {} */
	Jsonb	   *limits;			/* NULL: {} */
	const char *source_ref;
	const char *built_by;		/* NULL: the calling role */
	const char *runtime_path;	/* path of image/digest/config/limits, or NULL */
	const char *source_ref_path;	/* path of source_ref, or NULL */
	/* image, digest, config and limits already checked (the deploy), or NULL */
	const HrReleaseContent *content;
} HrReleaseInput;

typedef struct HrReleaseResult
{
	pg_uuid_t	release_id;
	int32		version;
	char	   *release_digest;
	bool		created;		/* false: same release_digest existed */
	bool		live;			/* the release is the live one after the call */
} HrReleaseResult;

extern void hr_create_release(const HrReleaseInput *input, HrReleaseResult *result);

#endif							/* HOOKREG_REGISTRY_H */
