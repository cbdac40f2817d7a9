/*
 * sqlutil.h: SPI with plans prepared once per backend, and jsonb <-> text.
 */
#ifndef HOOKREG_SQLUTIL_H
#define HOOKREG_SQLUTIL_H

#include "postgres.h"
#include "executor/spi.h"
#include "utils/jsonb.h"

/* hr_spi_connect: SPI_connect, raising on failure. */
extern void hr_spi_connect(void);

/*
 * hr_prepare: return *slot, preparing and keeping the plan on first use.  Call
 * sites keep the slot in a static variable; the plan cache replans by itself
 * when a referenced object changes (e.g. the extension was re-created).
 */
extern SPIPlanPtr hr_prepare(SPIPlanPtr *slot, const char *sql,
							 int nargs, const Oid *argtypes);

/* hr_execute: run a kept plan; raise on SPI failure; return SPI_processed. */
extern uint64 hr_execute(SPIPlanPtr plan, const Datum *values, const char *nulls,
						 bool read_only, long count);

/*
 * hr_execute_snapshot: the same with the given snapshot (its command id
 * advanced, as SPI does for a statement that may write), so that what it
 * reads is what reads done with that snapshot before it saw.
 */
extern uint64 hr_execute_snapshot(SPIPlanPtr plan, const Datum *values, const char *nulls,
								  Snapshot snapshot);

/* Column col (1-based) of row of SPI_tuptable. */
extern Datum hr_get(uint64 row, int col, bool *isnull);

/* jsonb as text (any memory context), and back. */
extern char *hr_jsonb_to_cstring(Jsonb *jb, int *len);

/* A jsonb object as JSON text; NULL or the empty object as "{}" (not printed). */
extern char *hr_jsonb_object_text(Jsonb *jb, int *len);
extern Datum hr_cstring_to_jsonb(const char *json);

#endif							/* HOOKREG_SQLUTIL_H */
