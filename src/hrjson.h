/*
 * hrjson.h: jansson helpers shared by every translation unit that works on
 * JSON in C (canonical hashing, validation, normalizing, sanitizing).
 *
 * jansson.h and PostgreSQL's utils/builtins.h both declare json_object, so a
 * file that includes this header must not include utils/builtins.h (or
 * utils/fmgrprotos.h).  It may include postgres.h and use ereport: jansson
 * allocates through palloc in CurrentMemoryContext (see json.c), so an error
 * raised half-way leaks nothing.
 */
#ifndef HOOKREG_HRJSON_H
#define HOOKREG_HRJSON_H

#include "postgres.h"

#include <jansson.h>

#include "hrjson_init.h"

/*
 * The server exports its SQL function json_object(), and at run time that
 * definition wins over jansson's for calls made from this module (a call
 * crashes the backend).  json_object() therefore means hr_json_new_object(),
 * which builds the empty object inside jansson (json_pack), where calls bind
 * to jansson's own json_object.  No other jansson symbol clashes (PG 15).
 */
extern json_t *hr_json_new_object(void);
#define json_object() hr_json_new_object()

/*
 * hr_json_parse: parse any JSON value.  Over max_bytes or max_depth (nesting
 * of arrays and objects) raises 54000; bad JSON raises 22023.  "what" names
 * the input in messages, e.g. "feature_spec".
 */
extern json_t *hr_json_parse(const char *buf, size_t len, const char *what,
							 size_t max_bytes, int max_depth);

/*
 * hr_json_check_size: hr_json_parse's size cap alone (54000), for a value
 * already parsed as part of a larger document; len is its size as JSON text
 * as PostgreSQL prints it.
 */
extern void hr_json_check_size(size_t len, const char *what, size_t max_bytes);

/*
 * hr_json_canonical: keys sorted at every depth, no insignificant white
 * space, UTF-8 kept as is.  Returns a palloc'd string.
 */
extern char *hr_json_canonical(const json_t *value, size_t *len);

/*
 * hr_json_jcs: the RFC 8785 (JCS) text of value (jcs_json.c; see jcs.h), a
 * palloc'd string.  A real is written as the JCS form of its double.
 */
extern char *hr_json_jcs(const json_t *value, size_t *len);

/* "object", "array", "string", "integer", "number", "boolean", "null" */
extern const char *hr_json_type_name(const json_t *value);

/*
 * hr_json_require_object: raise 22023 unless value is an object; then refuse
 * (22023) any member not in the NULL-terminated list allowed.
 */
extern void hr_json_require_object(const json_t *value, const char *path,
								   const char *const *allowed);

/*
 * hr_json_member: member key of object obj (at path) that must have one of
 * the JSON types in type_mask (bits of 1 << json_type; HR_JSON_NUMBER covers
 * integer and real).  Missing: raise 22023 when required, else return NULL.
 * A JSON null counts as missing unless JSON_NULL is in the mask.
 */
#define HR_JSON_T(t)		(1u << (t))
#define HR_JSON_NUMBER		(HR_JSON_T(JSON_INTEGER) | HR_JSON_T(JSON_REAL))
#define HR_JSON_BOOLEAN		(HR_JSON_T(JSON_TRUE) | HR_JSON_T(JSON_FALSE))
extern json_t *hr_json_member(const json_t *obj, const char *path, const char *key,
							  unsigned type_mask, bool required);

#endif							/* HOOKREG_HRJSON_H */
