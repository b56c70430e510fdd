/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* A seccomp allowlist for the daemon's steady state. */
#ifndef SHELLWATCH_SANDBOX_H
#define SHELLWATCH_SANDBOX_H

#include <stdbool.h>

#define SANDBOX_DIRS	4

/* what start-up kept for the steady state beyond the base allowlist */
struct sandbox_opts {
	int unlink_dirs[SANDBOX_DIRS];	/* unlinkat() relative to these only,
					 * for the pins at exit; -1 unused */
	bool serve;			/* accept and serve connections (metrics) */
};

/*
 * allow only the system calls the steady state makes (reading the ring
 * buffer and the task iterator, bpf() for counters, writing stdout, the
 * log index, timers, signals, memory); any other fails with EPERM rather
 * than killing the sensor. 0 or -errno
 */
int sandbox_enter(const struct sandbox_opts *o);

#endif /* SHELLWATCH_SANDBOX_H */
