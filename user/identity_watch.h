/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* the log index's inotify fd in the loop's table, once it exists */
#ifndef SHELLWATCH_IDENTITY_WATCH_H
#define SHELLWATCH_IDENTITY_WATCH_H

#include <stdint.h>

struct daemon;

/* put the index's fd in the loop's table if it is new; 0 or -errno */
int identity_watch(struct daemon *d);
/* the loop's handler of the index's fd: links that came or went */
int identity_watch_on_fd(void *ctx, int fd, uint32_t events);

#endif /* SHELLWATCH_IDENTITY_WATCH_H */
