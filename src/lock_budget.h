/*
 * lock_budget.h: the share of the shared lock table one transaction may use
 * for registrations (lock_budget.c).
 */
#ifndef HOOKREG_LOCK_BUDGET_H
#define HOOKREG_LOCK_BUDGET_H

#include "postgres.h"

/*
 * Lock-table entries a registration holds until commit, measured (see
 * test/tap/24_lock_budget.sql): a new hook 10 (cardinality many) or 11 (one):
 * the table, its sequence, toast table and toast index, primary key and two
 * indexes, row type, constraints and the registration lock; rounded up.  A
 * hook already registered takes its registration lock only; a call takes a
 * few of its own (schema, roles, convention).
 */
#define HR_LOCKS_PER_NEW_HOOK	12
#define HR_LOCKS_PER_KNOWN_HOOK	2
#define HR_LOCKS_PER_CALL		32

/* shared lock-table entries this backend holds */
extern int	hr_locks_held(void);

/* what one transaction may hold: half of the documented room */
extern int64 hr_lock_budget(void);

/*
 * Raise 54000 unless new_hooks new and known_hooks registered hooks fit in
 * the budget next to what this transaction holds.  what names the call for
 * the message ("registering hook \"x\"", "deploying 12 hooks").
 */
extern void hr_check_lock_budget(int new_hooks, int known_hooks, const char *what);

/* how many of names are registered hooks (caller connected to SPI) */
extern int	hr_count_registered_hooks(const char *const *names, int n);

#endif							/* HOOKREG_LOCK_BUDGET_H */
