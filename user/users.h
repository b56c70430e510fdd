/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* User names for uids, from the sensor's passwd database, cached: a name
 * lookup opens files (and NSS sockets) and every shell record needs some. */
#ifndef SHELLWATCH_USERS_H
#define SHELLWATCH_USERS_H

#include <stddef.h>
#include <stdint.h>

#define USERS_CACHE	128	/* uids remembered */
#define USERS_TTL_S	60	/* seconds a name (or its absence) is trusted */

/* where names come from besides the passwd database: a replay answers
 * from its recording, a recording hears every name looked up */
struct users_source {
	void (*answer)(void *ctx, uint32_t uid, char *name, size_t len);
	void (*heard)(void *ctx, uint32_t uid, const char *name);
	void *ctx;
};

/* use src (NULL: the passwd database alone) from now on, process-wide */
void users_set_source(const struct users_source *src);
/* the name of uid into name ("" when it has none); from the cache when fresh */
void users_name(uint32_t uid, char *name, size_t len);

#endif /* SHELLWATCH_USERS_H */
