/*
 * sanitize.h: sanitizing (doc/sanitizing.md) as plain C calls (no jansson, no
 * fmgr types), for the ledger, which sanitizes what it stores. Implemented in
 * sanitize.c (text) and sanitize_json.c (jansson).
 *
 * All results are palloc'd in CurrentMemoryContext.
 */
#ifndef HOOKREG_SANITIZE_H
#define HOOKREG_SANITIZE_H

#include <stdbool.h>
#include <stddef.h>

/* Characters of a failure message as stored (cut to 500). */
#define HR_FAILURE_MESSAGE_MAX	500
/* Characters of a failure code; a longer one is unknown_error. */
#define HR_FAILURE_CODE_MAX		64

/*
 * hr_sanitize_message: secrets become "[redacted]", control characters
 * spaces, white-space runs one space, trimmed, cut to max_chars characters
 * (0: no cut) without splitting a character. Never raises on any input
 * (invalid UTF-8 included); deterministic and idempotent.
 */
extern char *hr_sanitize_message(const char *msg, size_t len, size_t max_chars);

/*
 * hr_holds_secret: whether sanitizing s would redact something in it (a
 * failure code is checked with this before it is stored).
 */
extern bool hr_holds_secret(const char *s, size_t len);

/* hr_is_secret_key: the secret keys of doc/sanitizing.md, case-insensitive. */
extern bool hr_is_secret_key(const char *key, size_t len);

/*
 * hr_sanitize_failures_json: JSON text of a failure summary in, sanitized
 * JSON text out (codes normalized, messages sanitized and capped, entries
 * merged, at most 50). Refuses a non-array or an ill-shaped entry with 22023,
 * over the size/depth caps with 54000.
 */
extern char *hr_sanitize_failures_json(const char *json, size_t len);

/*
 * hr_sanitize_context_json: JSON text of an object in, the same object with
 * every member whose key looks like a secret dropped (at any depth). Not an
 * object: 22023; over 64 KiB or depth 32: 54000.
 */
extern char *hr_sanitize_context_json(const char *json, size_t len);

#endif							/* HOOKREG_SANITIZE_H */
