/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* User names for uids, from the sensor's passwd database, cached: a name
 * lookup opens files (and NSS sockets) and every shell record needs some. */
#ifndef SHELLWATCH_USERS_H
#define SHELLWATCH_USERS_H

#include <stddef.h>
#include <stdint.h>

#define USERS_CACHE	128	/* uids remembered */
#define USERS_TTL_S	60	/* seconds a name (or its absence) is trusted */

/* the name of uid into name ("" when it has none); from the cache when fresh */
void users_name(uint32_t uid, char *name, size_t len);

#endif /* SHELLWATCH_USERS_H */
