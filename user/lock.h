/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* the lock file: one sensor per node, a second would double every record */
#ifndef SHELLWATCH_LOCK_H
#define SHELLWATCH_LOCK_H

struct daemon;

/* lock d->opts.lock_file into d->lock_fd and write our pid in it; 0,
 * -EBUSY when another sensor holds it, or -errno; said on stderr */
int lock_take(struct daemon *d);

#endif /* SHELLWATCH_LOCK_H */
