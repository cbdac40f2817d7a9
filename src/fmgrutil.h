/*
 * fmgrutil.h: the fmgr side of every SQL-callable function: arguments, NULL
 * checks and set-returning results, written once (fmgrutil.c).
 *
 * Argument errors are 22023 (invalid_parameter_value) "<name> must not be
 * null", the name being what the message shows (usually the SQL argument's
 * name).
 */
#ifndef HOOKREG_FMGRUTIL_H
#define HOOKREG_FMGRUTIL_H

#include "postgres.h"
#include "fmgr.h"
#include "datatype/timestamp.h"
#include "utils/jsonb.h"

/* Raise 22023 when argument argno is NULL; hint may be NULL. */
extern void hr_require_arg(FunctionCallInfo fcinfo, int argno, const char *name,
						   const char *hint);

/* A required text argument as a C string (22023 when NULL). */
extern char *hr_text_arg(FunctionCallInfo fcinfo, int argno, const char *name);

/* An optional text argument as a C string; NULL when the argument is NULL. */
extern char *hr_opt_text_arg(FunctionCallInfo fcinfo, int argno);

/* An optional jsonb argument; NULL when the argument is NULL. */
extern Jsonb *hr_opt_jsonb_arg(FunctionCallInfo fcinfo, int argno);

/* A jsonb argument as JSON text; a copy of absent (e.g. "{}", or NULL) when it is NULL. */
extern char *hr_jsonb_arg_text(FunctionCallInfo fcinfo, int argno, const char *absent);

/*
 * An interval argument (not NULL: check that first) that must not be
 * negative in any field, 22023 "<name> must not be negative"; with zero_ok
 * false it must not be zero either, 22023 "<name> must be a positive
 * interval".  The detail shows the value given, the hint is the caller's.
 * (A type's cooldown and timeouts follow another rule, by their total:
 * hr_check_interval in ledger.c.)
 */
extern Interval *hr_interval_arg(FunctionCallInfo fcinfo, int argno, const char *name,
								 bool zero_ok, const char *hint);

/*
 * Set-returning functions materialize their result: hr_srf_begin sets it up
 * (the tuple descriptor the call site expects, else the function's result
 * type), hr_srf_put appends one row.
 */
extern void hr_srf_begin(FunctionCallInfo fcinfo);
extern void hr_srf_put(FunctionCallInfo fcinfo, const Datum *values, const bool *nulls);

/*
 * hr_srf_put_spi_rows: hr_srf_begin, then the first nrows rows of
 * SPI_tuptable, columns first_col.. (1-based) of the SPI result, as many as
 * the function's result has.  Call it before SPI_finish.
 */
extern void hr_srf_put_spi_rows(FunctionCallInfo fcinfo, int first_col, uint64 nrows);

#endif							/* HOOKREG_FMGRUTIL_H */
