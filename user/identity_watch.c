// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* the log index's inotify fd joins the loop once the directory exists */
#include "daemon.h"
#include "identity_watch.h"

int identity_watch(struct daemon *d)
{
	int fd = identity_fd(&d->identity), err;

	if (fd < 0 || fd == d->identity_fd)
		return 0;
	err = loop_add(&d->loop, fd, identity_watch_on_fd, d);
	if (!err)
		d->identity_fd = fd;
	return err;
}

int identity_watch_on_fd(void *ctx, int fd, uint32_t events)
{
	struct daemon *d = ctx;

	(void)fd;
	(void)events;
	identity_update(&d->identity);
	return 0;
}
