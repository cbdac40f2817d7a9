/*
 * releases.h: what releases.c and runs.c share (not for other concerns).
 */
#ifndef HOOKREG_RELEASES_H
#define HOOKREG_RELEASES_H

#include "postgres.h"
#include "utils/uuid.h"

/* A random RFC 4122 version 4 UUID, as gen_random_uuid() makes. */
extern void hr_new_uuid(pg_uuid_t *out);

#endif							/* HOOKREG_RELEASES_H */
