/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Which cgroup hierarchies this host has, and which the sensor reads. */
#ifndef SHELLWATCH_CGROUPS_H
#define SHELLWATCH_CGROUPS_H

#include <stddef.h>

/*
 * pick the cgroup v1 controller whose paths are captured: memory, else pids,
 * else cpu, among those mounted as v1 in proc_cgroups (/proc/cgroups).
 * Returns its subsystem id (from the kernel's BTF) with its name in name,
 * or -ENOENT when none is on a v1 hierarchy, or -errno.
 */
int cgroups_v1_pick(const char *proc_cgroups, char *name, size_t len);
/* a cgroup subsystem's id in the running kernel (BTF); -ENOENT or -errno */
int cgroups_subsys_id(const char *subsys);
/* find where cgroup2 is mounted in mountinfo; 0, -ENOENT or -errno */
int cgroups_v2_mount(const char *mountinfo, char *path, size_t len);

#endif /* SHELLWATCH_CGROUPS_H */
