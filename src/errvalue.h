/*
 * errvalue.h: caller input as shown in an error message (errvalue.c).
 *
 * Plain C (no jansson, no fmgr types), so every translation unit can use it.
 */
#ifndef HOOKREG_ERRVALUE_H
#define HOOKREG_ERRVALUE_H

#include <stddef.h>

/* At most this many characters of a value are shown, then "...". */
#define HR_ERROR_VALUE_CHARS 64

/*
 * hr_error_value: the value (len bytes) for an errmsg/errdetail: sanitized
 * like a failure message (a token becomes "[redacted]"), control characters
 * as spaces, cut to HR_ERROR_VALUE_CHARS characters with "..." appended when
 * anything was cut. Never the whole of a long value, never a split
 * character. palloc'd.
 */
extern char *hr_error_value(const char *value, size_t len);

/*
 * hr_error_name: a name (a JSON member name, say) for an error: the name
 * itself, cut like a value, unless the sanitizer finds a secret in it, in
 * which case the sanitized form. Control characters are kept, for the
 * caller to escape.
 */
extern char *hr_error_name(const char *name);

/* hr_error_cstr: hr_error_value of a NUL-terminated string. */
extern char *hr_error_cstr(const char *value);

/*
 * Caps of stored texts (bytes), for what the spec leaves unbounded; beyond
 * them 54000. Documented in doc/security.md and doc/reference.md.
 */
#define HR_SOURCE_REF_MAX_BYTES		1024	/* hook_releases.source_ref */
#define HR_BUILT_BY_MAX_BYTES		1024	/* hook_releases.built_by */
#define HR_LOG_REF_MAX_BYTES		4096	/* hook_runs.log_ref */
#define HR_INITIATOR_MAX_BYTES		1024	/* operation_runs.initiator_name */
#define HR_LABEL_MAX_BYTES			1024	/* operation_types.label */

/*
 * hr_check_text_cap: raise 54000 when a text to be stored (what: its
 * argument name or JSON path) is over max_bytes.
 */
extern void hr_check_text_cap(const char *what, size_t len, size_t max_bytes);

#endif							/* HOOKREG_ERRVALUE_H */
