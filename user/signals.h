/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* signals on a signalfd, so that the loop serves them in order */
#ifndef SHELLWATCH_SIGNALS_H
#define SHELLWATCH_SIGNALS_H

#include <stdint.h>

struct daemon;

/* block SIGINT, SIGTERM, SIGHUP into d->sig_fd, ignore SIGPIPE; 0 or -errno */
int signals_open(struct daemon *d);
/* the loop's handler of d->sig_fd: SIGINT and SIGTERM stop, SIGHUP reloads */
int signals_on_fd(void *ctx, int fd, uint32_t events);

#endif /* SHELLWATCH_SIGNALS_H */
