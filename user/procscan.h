/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Shells already running at start, found in /proc. */
#ifndef SHELLWATCH_PROCSCAN_H
#define SHELLWATCH_PROCSCAN_H

#include "exec.h"
#include "judge.h"
#include "shells.h"

struct procscan_opts {
	const char *proc;		/* "/proc", or a fixture */
	const char *cgroup_v2_mount;	/* to turn a v2 path into a cgroup id */
	const char *cgroup_v1_name;	/* v1 controller whose path is read, or NULL */
	/* the reader's cgroup namespace root, absolute; NULL: the initial one */
	const char *cgroupns_v2;
	const char *cgroupns_v1;
	struct judge *judge;		/* content verdicts; NULL: names only */
	/* the host's view as the kernel found it; NULL or mntns 0: unknown */
	const struct sw_host_view *host;
};

/* called for each shell found; a non-zero return stops the scan */
typedef int (*procscan_fn)(const struct sw_exec *ex, void *ctx);

/* read one process into ex; 0, -ENOENT when gone, -ESRCH when no shell */
int procscan_one(const struct procscan_opts *opts, const struct shell_set *set,
		 unsigned int pid, struct sw_exec *ex);
/* call fn for every shell running now; 0, -errno, or fn's return */
int procscan_all(const struct procscan_opts *opts, const struct shell_set *set,
		 procscan_fn fn, void *ctx);
/* the kernel's tty name ("pts0", "tty1", "ttyS0") of a tty_nr; "" if unknown */
void procscan_tty_name(unsigned int tty_nr, char *buf, size_t len);

#endif /* SHELLWATCH_PROCSCAN_H */
