/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Least privilege: once loaded, attached and past the start-up scan, the
 * daemon keeps only what its steady state uses. */
#ifndef SHELLWATCH_PRIVS_H
#define SHELLWATCH_PRIVS_H

#include <stdbool.h>
#include <stddef.h>

/* what a run needs capabilities for */
#define PRIVS_NEED_LOAD	0x1	/* load and attach: CAP_BPF, CAP_PERFMON */
#define PRIVS_NEED_SCAN	0x2	/* the start-up scan: SYS_PTRACE, DAC_READ_SEARCH */
#define PRIVS_NEED_DROP	0x4	/* the bounding-set drop: CAP_SETPCAP */

/*
 * drop every capability but CAP_BPF (the bpf() calls for stats, tracking
 * and the window sampler) and, when held, CAP_SYS_PTRACE and
 * CAP_DAC_READ_SEARCH (the content judge reads the binaries of new
 * processes; user names are read below /proc/<pid>/root) from the effective, permitted, inheritable and bounding sets, and set no_new_privs; 0 or -errno (-EPERM without
 * CAP_SETPCAP: the bounding set is never left as it was)
 */
int privs_drop(void);
/* whether the process holds cap in its effective set */
int privs_have(int cap);
/*
 * the effective capabilities that need (PRIVS_NEED_*) asks for and the
 * process lacks, as "CAP_X (why), ..." in buf; returns how many
 */
int privs_missing(unsigned int need, char *buf, size_t len);
/* privs_missing, said on one line of stderr; 0 or -EPERM */
int privs_check(unsigned int need);

#endif /* SHELLWATCH_PRIVS_H */
