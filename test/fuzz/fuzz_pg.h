/*
 * fuzz_pg.h: the small part of the PostgreSQL backend that hookreg's JSON
 * and text code needs, re-created outside the server for libFuzzer
 * (fuzz_pg.c).  Memory: every palloc is tracked and fuzz_pg_reset() frees
 * them all, like resetting a memory context, so LeakSanitizer sees a clean
 * heap after each input.  Errors: ereport(ERROR) longjmps to the
 * FUZZ_PG_TRY() of the target, which gets the SQLSTATE.
 */
#ifndef FUZZ_PG_H
#define FUZZ_PG_H

#include "postgres.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>

extern sigjmp_buf *fuzz_pg_jump;
extern int	fuzz_pg_sqlstate;		/* of the last ERROR */
extern char fuzz_pg_message[256];	/* its errmsg, for reports */
extern int	fuzz_pg_encoding;		/* what GetDatabaseEncoding() returns */

/* Free every palloc'd block (the end of a "memory context"). */
extern void fuzz_pg_reset(void);
/* Set jansson up as _PG_init does. */
extern void fuzz_pg_init(void);

/*
 * FUZZ_PG_TRY(ok) { code } : runs code; ok is false when it raised ERROR
 * (fuzz_pg_sqlstate then says which).
 */
#define FUZZ_PG_TRY(ok) \
	for (sigjmp_buf fuzz_jb_, *fuzz_once_ = &fuzz_jb_; fuzz_once_; fuzz_once_ = NULL) \
		if (((ok) = (sigsetjmp(fuzz_jb_, 0) == 0)) && ((fuzz_pg_jump = &fuzz_jb_), 1))

/* A property failed: print and abort (libFuzzer saves the input). */
#define FUZZ_CHECK(cond, ...) \
	do { \
		if (!(cond)) \
		{ \
			fprintf(stderr, "property failed: %s\n  ", #cond); \
			fprintf(stderr, __VA_ARGS__); \
			fprintf(stderr, "\n"); \
			abort(); \
		} \
	} while (0)

/* The SQLSTATEs hookreg's input checks may raise on bad input. */
extern bool fuzz_pg_expected_error(void);

#endif
