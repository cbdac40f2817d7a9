/*
 * ledger.h: what the ledger's translation units share (doc/reference.md).
 *
 * ledger.c (life cycle, fmgr and SPI), ledger_scan.c (opsrun_start's index
 * probes), ledger_json.c (jansson) and reconcile.c.  The jansson side takes and returns JSON as text, so this
 * header uses no jansson type; an identity is a Jsonb (utils/jsonb.h), hashed
 * on the SQL side (jcs.h).
 */
#ifndef HOOKREG_LEDGER_H
#define HOOKREG_LEDGER_H

#include "postgres.h"

#include "names.h"
#include "utils/jsonb.h"
#include "utils/snapshot.h"

/* Type names of the reconciler's own runs. */
#define HR_RECONCILE_TYPE	"ops.reconcile_adapter_runs"

/*
 * What a type that is not registered gets: its timeouts (interval text) and
 * summary keys.  The install script declares the same values as the column
 * defaults of hookreg.operation_types and the argument defaults of
 * opsrun_register_type; test/tap/40_ledger.sql fails when they differ.
 */
#define HR_DEFAULT_QUEUED_TIMEOUT	"1 hour"
#define HR_DEFAULT_RUNNING_TIMEOUT	"2 hours"
extern const char *const hr_default_summary_keys[];
extern const int hr_default_summary_keys_count;

/* ledger.c */

/*
 * hr_identity_hash: SHA-256 hex (out[65]) of the RFC 8785 (JCS) text of
 * {"identity": identity, "scope": "tenant:<id>" | "workspace:<id>", "type": type}.
 * identity is any jsonb value (NULL: {}); over 64 KiB of canonical text or
 * depth 32 raises 54000, a number JCS cannot carry exactly 22023.
 */
extern void hr_identity_hash(int64 workspace_id, bool has_tenant, int64 tenant_id,
							 const char *type, const Jsonb *identity,
							 char out[65]);

/* ledger_scan.c */

/* What opsrun_start's look-ups found (hr_start_lookup). */
typedef struct HrStartLookup
{
	char	   *scope;			/* the type's registered scope; NULL: not registered */
	bool		found;			/* an active run, or one completed within the cooldown */
	int64		run_id;			/* ... and that run's */
	int64		workspace_id;
	char	   *status;
	char	   *outcome;
} HrStartLookup;

/*
 * hr_start_lookup: with snapshot, the type's row; when its scope is not the
 * other one, the active (queued or running) run of the identity hash in its
 * scope; when there is none and the type has a cooldown, the run of the
 * identity most recently completed within it (completed_at >= now() -
 * cooldown) with one of the type's cooldown_outcomes.  Direct index probes
 * (registry_scan.h), as the extension owner.
 */
extern void hr_start_lookup(int64 workspace_id, bool has_tenant, int64 tenant_id,
							const char *type, const char *hash, Snapshot snapshot,
							HrStartLookup *out);

/* ledger_json.c */

/*
 * hr_normalize_counts_json: counts (JSON text of an object, else 22023) kept
 * to the allowed keys with non-negative integral values clamped at 2^53,
 * as JSON text with sorted keys.  Dropped keys are named in one WARNING.
 */
extern char *hr_normalize_counts_json(const char *counts, size_t len,
									  const char *const *allowed, int nallowed);

/* One failure entry [{"code": code, "message": message}] as JSON text. */
extern char *hr_failure_entry_json(const char *code, const char *message);

/* ledger.c, for reconcile.c */

/*
 * hr_start_run: opsrun_start's work, under SPI and as the owner.  context is
 * JSON text of an object, sanitized here when a run is created (NULL: {}).
 * identity NULL: the reconciler's own identity in the workspace, which no
 * opsrun_start call can produce.
 * Returns the run id; hash, *reused, *status and *outcome describe it.
 */
extern int64 hr_start_run(int64 workspace_id, bool has_tenant, int64 tenant_id,
						  const char *type, const Jsonb *identity,
						  const char *initiator, bool has_user, int64 user_id,
						  const char *context, char hash[65], bool *reused,
						  char **status, char **outcome);

/* hr_claim_run: queued -> running; true when this call made the move. */
extern bool hr_claim_run(int64 run_id);

/*
 * hr_complete_run: queued|running -> completed with outcome; counts is JSON
 * text (normalized here; NULL keeps the current counters), failures JSON
 * text (sanitized here).  Leaves the updated row in SPI_tuptable (id,
 * status, outcome, summary_counts, failure_summary, completed_at).
 */
extern void hr_complete_run(int64 run_id, const char *outcome,
							const char *counts, const char *failures);

#endif							/* HOOKREG_LEDGER_H */
