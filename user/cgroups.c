// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdbool.h>
#include <string.h>
#include <bpf/btf.h>
#include "cgroups.h"

/*
 * the kernel's id of a cgroup subsystem, from enum cgroup_subsys_id in its
 * BTF: /proc/cgroups leaves out controllers built without v1 support
 * (v6.12), so its row numbers are no ids
 */
int cgroups_subsys_id(const char *subsys)
{
	const struct btf_type *t;
	const struct btf_enum *e;
	char want[64];
	struct btf *btf;
	int id, i, err = -ENOENT;

	/* the kernel calls blkio "io" */
	if (!strcmp(subsys, "blkio"))
		subsys = "io";
	snprintf(want, sizeof(want), "%s_cgrp_id", subsys);
	btf = btf__load_vmlinux_btf();
	if (!btf)
		return -errno;
	id = btf__find_by_name_kind(btf, "cgroup_subsys_id", BTF_KIND_ENUM);
	if (id < 0)
		goto cleanup;
	t = btf__type_by_id(btf, id);
	e = btf_enum(t);
	for (i = 0; i < btf_vlen(t); i++, e++) {
		if (!strcmp(btf__name_by_offset(btf, e->name_off), want)) {
			err = e->val;
			break;
		}
	}
cleanup:
	btf__free(btf);
	return err;
}

int cgroups_v1_pick(const char *proc_cgroups, char *name, size_t len)
{
	static const char *const prefer[] = { "memory", "pids", "cpu" };
	bool found[3] = { false, false, false };
	unsigned int hier, ncg, enabled;
	char line[256], subsys[64];
	int i;
	FILE *f;

	f = fopen(proc_cgroups, "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#')
			continue;
		if (sscanf(line, "%63s %u %u %u", subsys, &hier, &ncg,
			   &enabled) != 4)
			continue;
		/* on a v1 hierarchy (hierarchy id not 0) and enabled */
		for (i = 0; i < 3; i++)
			if (!strcmp(subsys, prefer[i]) && hier && enabled)
				found[i] = true;
	}
	fclose(f);
	for (i = 0; i < 3; i++) {
		if (found[i]) {
			snprintf(name, len, "%s", prefer[i]);
			return cgroups_subsys_id(prefer[i]);
		}
	}
	return -ENOENT;
}

/* undo mountinfo's octal escapes of space, tab, newline and backslash */
static void unescape(char *s)
{
	char *out = s;

	while (*s) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*out++ = (s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0');
			s += 4;
		} else {
			*out++ = *s++;
		}
	}
	*out = '\0';
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
		unescape(mnt);
		snprintf(path, len, "%s", mnt);
		err = 0;
		break;
	}
	fclose(f);
	return err;
}
