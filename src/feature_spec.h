/*
 * feature_spec.h: a hook's feature spec (doc/reference.md), validated and
 * normalized in feature_spec.c (jansson), handed to hooks.c (no jansson) as
 * plain C.
 *
 * All results are palloc'd in CurrentMemoryContext.
 */
#ifndef HOOKREG_FEATURE_SPEC_H
#define HOOKREG_FEATURE_SPEC_H

#include <stdbool.h>
#include <stddef.h>

/* Name rules: ^[a-z][a-z0-9_]{0,max_len-1}$ */
#define HR_HOOK_NAME_MAX		40
#define HR_COLUMN_NAME_MAX		63

/*
 * A feature table has 4 fixed columns; PostgreSQL allows 1600 per table, and
 * a row of fixed-width values must fit in a page, so specs stop well below.
 */
#define HR_FEATURE_MAX_COLUMNS	1000

typedef struct HrFeatureColumn
{
	const char *name;			/* valid column name, unquoted */
	const char *sql_type;		/* e.g. "pg_catalog.text" */
	bool		required;		/* NOT NULL */
} HrFeatureColumn;

typedef struct HrFeatureSpec
{
	bool		cardinality_one;	/* UNIQUE (run_id, subject) */
	int			ncolumns;
	HrFeatureColumn *columns;
	char	   *normalized;		/* canonical JSON text, defaults filled in */
} HrFeatureSpec;

/* true when s (len bytes) matches ^[a-z][a-z0-9_]{0,max_len-1}$ */
extern bool hr_name_is_valid(const char *s, size_t len, size_t max_len);

/*
 * hr_feature_spec_parse: validate the JSON text of a feature spec and fill
 * out.  spec_path is the JSON path of the spec in a larger document, or NULL
 * ("$" of the feature_spec argument).  Raises 22023 (ill-shaped, with the
 * JSON path), 42939 (reserved column name) or 54000 (size, depth, columns).
 */
extern void hr_feature_spec_parse(const char *json, size_t len,
								  const char *spec_path, HrFeatureSpec *out);

/*
 * hr_feature_spec_check: the same for a spec already parsed by jansson as
 * part of a larger document (the deploy spec), whose size the caller has
 * checked.  (struct json_t is jansson's json_t.)
 */
struct json_t;
extern void hr_feature_spec_check(const struct json_t *spec, const char *spec_path,
								  HrFeatureSpec *out);

#endif							/* HOOKREG_FEATURE_SPEC_H */
