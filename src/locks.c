/*
 * locks.c: hookreg's own transaction-level locks on keys (a hook name, a
 * slug, the reconciler).
 *
 * They live in the advisory-lock table, but in a lock space of their own
 * (locktag_field4 = HR_LOCK_SPACE): SQL's pg_advisory_* functions only make
 * field4 1 (one int8 key) or 2 (two int4 keys), so no role, whatever its
 * rights, can take one of these locks and hold it to stall registrations,
 * deploys or the reconciler. pg_locks still shows them (locktype advisory,
 * objsubid HR_LOCK_SPACE).
 */
#include "hookreg.h"

#include "miscadmin.h"
#include "common/hashfn.h"
#include "storage/lock.h"

/* "HR": any value but 1 and 2 is out of SQL's reach. */
#define HR_LOCK_SPACE	0x4852

/*
 * hr_xact_lock: take the exclusive lock (class, key) until the end of the
 * transaction. wait = false: return false at once when another transaction
 * holds it.
 */
bool
hr_xact_lock(HrLockClass lock_class, uint32 key, bool wait)
{
	LOCKTAG		tag;

	SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, (uint32) lock_class, key, HR_LOCK_SPACE);
	return LockAcquire(&tag, ExclusiveLock, false, !wait) != LOCKACQUIRE_NOT_AVAIL;
}

/*
 * hr_xact_lock_name: the lock of a name (a hook name, a slug).  A hash
 * collision only makes two transactions wait for each other.
 */
void
hr_xact_lock_name(HrLockClass lock_class, const char *name)
{
	(void) hr_xact_lock(lock_class, hash_bytes((const unsigned char *) name, (int) strlen(name)), true);
}
