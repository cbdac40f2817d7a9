/*
 * releases.h: what releases.c and runs.c share (not for other concerns).
 */
#ifndef HOOKREG_RELEASES_H
#define HOOKREG_RELEASES_H

#include "postgres.h"
#include "fmgr.h"
#include "utils/uuid.h"

/* A random RFC 4122 version 4 UUID, as gen_random_uuid() makes. */
extern void hr_new_uuid(pg_uuid_t *out);

/*
 * hr_srf_put_spi_rows: set up a materialized result for the calling SRF and
 * copy the first nrows rows of SPI_tuptable into it, columns first_col..
 * (1-based) of the SPI result, as many as the function's result has.  Call
 * it before SPI_finish.
 */
extern void hr_srf_put_spi_rows(FunctionCallInfo fcinfo, int first_col, uint64 nrows);

/* A text argument as a C string; NULL argument: 22023 naming it. */
extern char *hr_text_arg(FunctionCallInfo fcinfo, int argno, const char *name);

#endif							/* HOOKREG_RELEASES_H */
