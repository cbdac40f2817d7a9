/*
 * lock_budget.c: what a registration may take of PostgreSQL's shared lock
 * table (doc/operations.md, "Many hooks").
 *
 * Creating a feature table locks the table, its sequence, toast table and
 * indexes, its row type and constraints until the end of the transaction:
 * HR_LOCKS_PER_NEW_HOOK entries of the lock table, which all sessions of the
 * cluster share and which has room for about max_locks_per_transaction x
 * (max_connections + max_prepared_transactions) entries.  One transaction
 * that fills it makes statements in every database fail with "out of shared
 * memory".  So a registration or deploy that would take a transaction past
 * half of that room fails first, before it writes anything, with 54000.
 */
#include "hookreg.h"

#include "access/twophase.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "postmaster/postmaster.h"
#include "storage/lock.h"
#include "storage/lwlock.h"
#include "storage/proc.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "lock_budget.h"
#include "sqlutil.h"

/*
 * Entries of the shared lock table this backend holds now: one PROCLOCK per
 * locked object, whatever its modes.  Fast-path locks (weak relation locks)
 * take no entry and are not counted.
 */
int
hr_locks_held(void)
{
	int			n = 0;

	for (int i = 0; i < NUM_LOCK_PARTITIONS; i++)
	{
		SHM_QUEUE  *head = &MyProc->myProcLocks[i];
		PROCLOCK   *pl;
		LWLock	   *lock = LockHashPartitionLockByIndex(i);

		LWLockAcquire(lock, LW_SHARED);
		pl = (PROCLOCK *) SHMQueueNext(head, head, offsetof(PROCLOCK, procLink));
		while (pl != NULL)
		{
			n++;
			pl = (PROCLOCK *) SHMQueueNext(head, &pl->procLink, offsetof(PROCLOCK, procLink));
		}
		LWLockRelease(lock);
	}
	return n;
}

/* The room of the lock table as PostgreSQL documents it, and our share. */
static int64
hr_lock_table_size(void)
{
	return (int64) max_locks_per_xact * (MaxConnections + max_prepared_xacts);
}

int64
hr_lock_budget(void)
{
	return hr_lock_table_size() / 2;
}

void
hr_check_lock_budget(int new_hooks, int known_hooks, const char *what)
{
	int			held = hr_locks_held();
	int64		budget = hr_lock_budget();
	int64		need = (int64) new_hooks * HR_LOCKS_PER_NEW_HOOK +
		(int64) known_hooks * HR_LOCKS_PER_KNOWN_HOOK + HR_LOCKS_PER_CALL;
	int64		fit;

	if (held + need <= budget)
		return;
	fit = (budget - held - HR_LOCKS_PER_CALL - (int64) known_hooks * HR_LOCKS_PER_KNOWN_HOOK) /
		HR_LOCKS_PER_NEW_HOOK;
	if (fit < 0)
		fit = 0;
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("%s would take more of the lock table than one transaction may hold", what),
			 errdetail("Registering a hook holds up to %d locks until the end of the transaction. "
					   "%d new hook%s and %d registered one%s need about " INT64_FORMAT " locks; "
					   "this transaction holds %d already, and one transaction may hold at most " INT64_FORMAT
					   ": half of max_locks_per_transaction (%d) x (max_connections (%d) + max_prepared_transactions (%d)).",
					   HR_LOCKS_PER_NEW_HOOK, new_hooks, new_hooks == 1 ? "" : "s",
					   known_hooks, known_hooks == 1 ? "" : "s", need, held, budget,
					   max_locks_per_xact, MaxConnections, max_prepared_xacts),
			 errhint("At most " INT64_FORMAT " new hook%s fit%s in this transaction: register the others in later transactions, "
					 "or raise max_locks_per_transaction (a server restart) to fit more.",
					 fit, fit == 1 ? "" : "s", fit == 1 ? "s" : "")));
}

static const char *const hr_sql_count_hooks =
"SELECT pg_catalog.count(*)::pg_catalog.int4 FROM hookreg.hooks"
" WHERE name OPERATOR(pg_catalog.=) ANY ($1)";

/*
 * How many of names are registered hooks.  The caller is connected to SPI
 * and acts as the extension owner.
 */
int
hr_count_registered_hooks(const char *const *names, int n)
{
	static SPIPlanPtr plan = NULL;
	Datum	   *elems = palloc(sizeof(Datum) * Max(n, 1));
	Datum		arg;
	bool		isnull;

	for (int i = 0; i < n; i++)
		elems[i] = CStringGetTextDatum(names[i]);
	arg = PointerGetDatum(construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT));
	hr_execute(hr_prepare(&plan, hr_sql_count_hooks, 1, (Oid[]) {TEXTARRAYOID}),
			   &arg, NULL, false, 1);
	return DatumGetInt32(hr_get(0, 1, &isnull));
}
