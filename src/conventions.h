/*
 * conventions.h: the validated deploy spec (deploy_spec.c), shared by the jansson side and the SQL side.  Includes
 * neither jansson.h nor utils/builtins.h, so either kind of file may use it.
 */
#ifndef HOOKREG_CONVENTIONS_H
#define HOOKREG_CONVENTIONS_H

#include "postgres.h"

#include "feature_spec.h"
#include "names.h"
#include "release_json.h"

/* One entry of $.hooks, validated. */
typedef struct HrDeployHook
{
	char	   *path;			/* "$.hooks[i]" */
	char	   *name;
	char	   *image;
	char	   *digest;
	char	   *source_ref;
	HrFeatureSpec feature;		/* checked by hr_deploy_spec_check_hooks */
	HrReleaseContent content;	/* likewise */
} HrDeployHook;

/*
 * A deploy spec whose every member has been checked: shape, types, unknown
 * members, duplicates, sizes.  The JSON values (schema definition, file
 * requirements, source, feature specs, config, limits) stay in the jsonb
 * the caller holds and are taken from there unchanged.
 */
typedef struct HrDeploySpec
{
	char	   *title;
	char	   *slug;
	char	   *description;
	char	   *schema_id;
	char	   *schema_version;
	int			nhooks;
	HrDeployHook *hooks;		/* in the order of $.hooks */
	int		   *lock_order;		/* indexes into hooks, sorted by name */
	struct json_t *hooks_json;	/* $.hooks as parsed, for hr_deploy_spec_check_hooks */
} HrDeploySpec;

/* Caps of the deploy spec beyond those of its parts (54000 when exceeded). */
#define HR_DEPLOY_MAX_BYTES		(1024 * 1024)
#define HR_DEPLOY_MAX_HOOKS		100

/*
 * hr_deploy_spec_validate: check the whole spec, given as JSON text, before
 * anything is written: 22023 naming the JSON path of the first offending
 * member, 54000 over a size or depth cap.
 */
extern void hr_deploy_spec_validate(const char *json, size_t len, HrDeploySpec *out);

/* Sizes of a hook's JSON values as PostgreSQL prints them (for their caps). */
typedef struct HrDeployHookSizes
{
	size_t		feature;
	size_t		config;			/* 2 ("{}") when absent */
	size_t		limits;
} HrDeployHookSizes;

/*
 * hr_deploy_spec_check_hooks: the registry's own rules for every hook of a
 * validated spec, in spec order (name, feature spec, image, digest, config,
 * limits), on the values parsed by hr_deploy_spec_validate, so that each
 * JSON document of a deploy is parsed once.  Fills each hook's feature and
 * content, which the deploy then hands to the registry's write paths.
 */
extern void hr_deploy_spec_check_hooks(HrDeploySpec *ds, const HrDeployHookSizes *sizes);

/* What the deploy did for one hook, for its result. */
typedef struct HrDeployHookResult
{
	int32		version;
	char		release_id[37]; /* the release's uuid as text */
	bool		created;
	bool		live;
} HrDeployHookResult;

/*
 * hr_deploy_result_json: the result of hookreg_deploy_convention as JSON text,
 * built with jansson: {"slug", "created", "hooks": [{"name", "version",
 * "release_id", "created", "live"}]}, hooks in the order of $.hooks.
 */
extern char *hr_deploy_result_json(const HrDeploySpec *ds, bool created,
								   const HrDeployHookResult *hooks);

#endif							/* HOOKREG_CONVENTIONS_H */
