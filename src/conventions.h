/*
 * conventions.h: slugs (conventions.c) and the validated deploy spec
 * (deploy_spec.c), shared by the jansson side and the SQL side.  Includes
 * neither jansson.h nor utils/builtins.h, so either kind of file may use it.
 */
#ifndef HOOKREG_CONVENTIONS_H
#define HOOKREG_CONVENTIONS_H

#include "postgres.h"

/*
 * hr_slugify: the slug of a title (SPEC 2.6), palloc'd, or NULL when the
 * title does not make a valid slug (^[a-z][a-z0-9-]{2,63}$).
 */
extern char *hr_slugify(const char *title, size_t len);

/*
 * hr_slug_error: raise 22023 for a title that makes no valid slug.  path is
 * the JSON path of the title in a larger document, or NULL for an argument.
 */
extern void hr_slug_error(const char *title, size_t len, const char *path) pg_attribute_noreturn();

/* One entry of $.hooks, validated. */
typedef struct HrDeployHook
{
	char	   *path;			/* "$.hooks[i]" */
	char	   *name;
	char	   *image;
	char	   *digest;
	char	   *source_ref;
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
