/*
 * compat.h: every PG_VERSION_NUM guard of hookreg lives here.
 *
 * The target is PostgreSQL 15; 16 and 17 are kept compiling where it is cheap.
 */
#ifndef HOOKREG_COMPAT_H
#define HOOKREG_COMPAT_H

#include "postgres.h"

/*
 * 15 is the floor: set-returning functions use InitMaterializedSRF (15), and
 * hashing uses pg_cryptohash (14).
 */
#if PG_VERSION_NUM < 150000
#error "hookreg needs PostgreSQL 15 or later"
#endif

/* object_aclcheck replaced pg_<kind>_aclcheck in 16. */
#if PG_VERSION_NUM >= 160000
#define hr_namespace_aclcheck(nsp, role, mode) \
	object_aclcheck(NamespaceRelationId, (nsp), (role), (mode))
#else
#define hr_namespace_aclcheck(nsp, role, mode) \
	pg_namespace_aclcheck((nsp), (role), (mode))
#endif

/* object_ownercheck replaced pg_<kind>_ownercheck in 16. */
#if PG_VERSION_NUM >= 160000
#define hr_extension_ownercheck(ext, role) \
	object_ownercheck(ExtensionRelationId, (ext), (role))
#else
#define hr_extension_ownercheck(ext, role) \
	pg_extension_ownercheck((ext), (role))
#endif

/* The local transaction id moved into PGPROC.vxid in 17 (storage/proc.h). */
#if PG_VERSION_NUM >= 170000
#define hr_local_xid() (MyProc->vxid.lxid)
#else
#define hr_local_xid() (MyProc->lxid)
#endif

#endif							/* HOOKREG_COMPAT_H */
