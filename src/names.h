/*
 * names.h: the pure rules of names and identifiers (names.c).  Uses neither
 * jansson nor utils/builtins.h, so any translation unit may include it.
 */
#ifndef HOOKREG_NAMES_H
#define HOOKREG_NAMES_H

#include "postgres.h"
#include "utils/uuid.h"

/*
 * hr_check_hook_name: raise 22023 or 42939 unless name is a valid, unreserved
 * hook name (^[a-z][a-z0-9_]{0,39}$, not records, datasets or runs); where is
 * "" for an argument, else " at <JSON path>".  The deploy checks every name
 * with it before it writes anything.
 */
extern void hr_check_hook_name(const char *name, const char *where);

/* A type name must match ^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$ and be at most 200 characters (else 22023). */
extern void hr_check_type_name(const char *type);

/*
 * hr_slugify: the slug of a title, palloc'd, or NULL when the title does not
 * make a valid slug (^[a-z][a-z0-9-]{2,63}$).
 */
extern char *hr_slugify(const char *title, size_t len);

/*
 * hr_slug_error: raise 22023 for a title that makes no valid slug.  path is
 * the JSON path of the title in a larger document, or NULL for an argument.
 */
extern void hr_slug_error(const char *title, size_t len, const char *path) pg_attribute_noreturn();

/* RFC 4122 version 4: version nibble 4, variant bits 10. */
extern bool hr_uuid_is_v4(const pg_uuid_t *u);

/* 64 lowercase hexadecimal digits: an operation run's identity hash. */
extern bool hr_is_identity_hash(const char *s, size_t len);

/*
 * The vocabulary of operation_runs.status and .outcome: the statuses a run
 * moves through, and its outcomes ("pending" until it is completed, then
 * one of the terminal ones, hr_run_outcomes + 1).  One list each, read by the
 * table's CHECK functions (row_checks.c) and the ledger's argument checks.
 */
extern const char *const hr_run_statuses[];
extern const int hr_run_statuses_count;
extern const char *const hr_run_outcomes[];
extern const int hr_run_outcomes_count;

/* true when the len bytes at s are one of the count words of list */
extern bool hr_word_in(const char *s, size_t len, const char *const *list, int count);

/* A random RFC 4122 version 4 UUID, as gen_random_uuid() makes. */
extern void hr_new_uuid(pg_uuid_t *out);

#endif							/* HOOKREG_NAMES_H */
