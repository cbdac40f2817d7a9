/*
 * hookreg.h: what every SQL-facing translation unit of hookreg shares.
 *
 * Files that use jansson must not include this header's callers'
 * utils/builtins.h (both declare json_object); they include hrjson.h instead.
 */
#ifndef HOOKREG_H
#define HOOKREG_H

#include "postgres.h"
#include "fmgr.h"
#include "compat.h"

#ifndef HOOKREG_VERSION
#error "HOOKREG_VERSION must come from the Makefile (hookreg.control)"
#endif

/* Roles (scopes): README.md "Roles", doc/design.md "Privilege model". */
#define HR_ROLE_READER		"hookreg_reader"
#define HR_ROLE_RUNNER		"hookreg_runner"
#define HR_ROLE_RELEASER	"hookreg_releaser"
#define HR_ROLE_DEPLOYER	"hookreg_deployer"
#define HR_ROLE_OPS_WRITER	"hookreg_ops_writer"
#define HR_ROLE_ADMIN		"hookreg_admin"

/* The pg_cron job of hookreg_schedule_housekeeping (reconcile.c), which
 * DROP EXTENSION removes (housekeeping_drop.c). */
#define HR_CRON_JOB_NAME	"hookreg-reconcile"
/* The pg_cron job of retention, scheduled beside it. */
#define HR_CRON_PRUNE_JOB_NAME	"hookreg-prune"
/* What the job runs: an entry point in schema hookreg, where only the
 * extension owner creates, called by its exact (empty) signature. */
#define HR_CRON_JOB_COMMAND	"SELECT * FROM hookreg.reconcile_job()"

/* Fixed schemas. */
#define HR_SCHEMA			"hookreg"
#define HR_FEATURE_SCHEMA	"hookreg_features"

/*
 * privs.c: check the caller's role, then act as the extension owner.
 *
 * Functions are not SECURITY DEFINER: the caller stays current_user while we
 * check its rights (and record its name), and only the SPI work runs as the
 * owner of the called function, which is the extension owner.
 */
typedef struct HrElevation
{
	Oid			saved_userid;
	int			saved_sec_context;
	bool		active;
} HrElevation;

extern void hr_require_role(const char *role, const char *function_name);
extern char *hr_caller_name(void);
/*
 * Every entry point that acts as the owner: hr_require_role first, then the
 * arguments, then hr_owner_begin (role checked again, owner, SPI_connect) ...
 * hr_owner_end (SPI_finish, caller restored).  See privs.c.
 */
extern void hr_owner_begin(FunctionCallInfo fcinfo, const char *role,
						   const char *function_name, HrElevation *elev);
extern void hr_owner_end(HrElevation *elev);

/*
 * locks.c: hookreg's transaction-level locks on keys, out of reach of
 * pg_advisory_* (doc/design.md "Locks" lists them with the row locks, in the
 * order every path takes them).  The class is pg_locks.classid, the key
 * pg_locks.objid.  Every class is here and nowhere else.
 */
typedef enum HrLockClass
{
	HR_LOCK_CONVENTION_SLUG = 0x68720c01,	/* deploy of a slug: key = hash of the slug */
	HR_LOCK_HOOK_NAME = 0x686b7267, /* registration of a hook: key = hash of the name */
	HR_LOCK_RECONCILER = 0x686f6f6b /* one reconcile pass at a time: key below */
} HrLockClass;

#define HR_LOCK_RECONCILER_KEY	0x72636e6c

/* Take (class, key) until the end of the transaction; wait = false: false when held. */
extern bool hr_xact_lock(HrLockClass lock_class, uint32 key, bool wait);

/* Take (class, hash of name), waiting. */
extern void hr_xact_lock_name(HrLockClass lock_class, const char *name);

/* digest.c: hashes as lowercase hex. */
extern void hr_sha256_hex(const char *data, size_t len, char out[65]);
extern void hr_sha1(const char *data, size_t len, unsigned char out[20]);

#endif							/* HOOKREG_H */
