/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* A seccomp allowlist for the daemon's steady state. */
#ifndef SHELLWATCH_SANDBOX_H
#define SHELLWATCH_SANDBOX_H

/*
 * allow only the system calls the steady state makes (reading the ring
 * buffer and the task iterator, bpf() for counters, writing stdout, the
 * log index, timers, signals, memory); any other fails with EPERM rather
 * than killing the sensor. 0 or -errno
 */
int sandbox_enter(void);

#endif /* SHELLWATCH_SANDBOX_H */
