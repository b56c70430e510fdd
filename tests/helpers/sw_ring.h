/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Ring buffer records as the kernel sends them, for the pipeline's tests. */
#ifndef SW_RING_H
#define SW_RING_H

#include <stddef.h>
#include <stdint.h>
#include "shellwatch.h"

/* an exec record; zeroes take the defaults */
struct sw_ring_exec {
	uint32_t type;		/* SW_EVENT_EXEC, or SW_EVENT_COMMAND */
	uint32_t pid;		/* started and exec'd at 1 s + pid ns */
	uint32_t flags;		/* SW_F_* */
	const char *comm;	/* "sh" */
	const char *argv;	/* NUL-separated; "sh\0-c\0:" */
	size_t argv_len;	/* with its last NUL */
	const char *v1;		/* cgroup v1 path, leaf-first components */
	size_t v1_len;
	struct sw_trail trail;	/* with SW_F_TRAIL */
};

/* the boot time pid was started and exec'd at in sw_ring_exec() records */
#define SW_RING_START(pid)	(1000000000ULL + (pid))

/* a malloc'd ring record for e, of *size bytes */
void *sw_ring_exec(const struct sw_ring_exec *e, size_t *size);

#endif /* SW_RING_H */
