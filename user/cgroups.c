// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "cgroups.h"

int cgroups_v1_pick(const char *proc_cgroups, char *name, size_t len)
{
	static const char *const prefer[] = { "memory", "pids", "cpu" };
	int found[3] = { -1, -1, -1 };
	unsigned int hier, ncg, enabled;
	char line[256], subsys[64];
	int id = 0, i, err = -ENOENT;
	FILE *f;

	f = fopen(proc_cgroups, "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#')
			continue;
		/* rows are in subsystem id order */
		if (sscanf(line, "%63s %u %u %u", subsys, &hier, &ncg,
			   &enabled) == 4) {
			for (i = 0; i < 3; i++)
				if (!strcmp(subsys, prefer[i]) && hier && enabled)
					found[i] = id;
		}
		id++;
	}
	fclose(f);
	for (i = 0; i < 3; i++) {
		if (found[i] >= 0) {
			snprintf(name, len, "%s", prefer[i]);
			return found[i];
		}
	}
	return err;
}

int cgroups_v2_mount(const char *mountinfo, char *path, size_t len)
{
	char line[4096], mnt[2048], fstype[64], *sep;
	int err = -ENOENT;
	FILE *f;

	f = fopen(mountinfo, "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		/* id parent dev root mountpoint options [tags] - fstype src opts */
		sep = strstr(line, " - ");
		if (!sep || sscanf(sep + 3, "%63s", fstype) != 1 ||
		    strcmp(fstype, "cgroup2"))
			continue;
		if (sscanf(line, "%*s %*s %*s %*s %2047s", mnt) != 1)
			continue;
		snprintf(path, len, "%s", mnt);
		err = 0;
		break;
	}
	fclose(f);
	return err;
}
