// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Tests of the cgroup hierarchy probes (user/cgroups.c) on fixture copies
 * of /proc/cgroups and /proc/self/mountinfo in tests/fixtures/cgroups/,
 * and once on this host's own files.
 *
 * Criterion copies each parameter into the process that runs the test,
 * where a pointer into this binary is not valid (a PIE is loaded at
 * another address), so the tests get the index of their row.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>
#include <linux/magic.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "cgroups.h"
#include "sw_rows.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/* the path of fixture name, next to this source file */
static const char *fixture(const char *name, char *buf, size_t len)
{
	const char *file = __FILE__, *slash = strrchr(file, '/');
	int dirlen = slash ? (int)(slash - file + 1) : 0;

	snprintf(buf, len, "%.*sfixtures/cgroups/%s", dirlen, file, name);
	return buf;
}

struct pick_case {
	const char *what;
	const char *file;	/* fixture */
	int want;		/* subsystem id, or -errno */
	const char *name;	/* when want >= 0 */
};

static const struct pick_case pick_cases[] = {
	/* hybrid hosts: memory first */
	{ "this host (hybrid)", "proc_cgroups_hybrid", 4, "memory" },
	/* memory not on a v1 hierarchy: pids, then cpu */
	{ "memory not mounted", "proc_cgroups_no_memory", 11, "pids" },
	{ "memory disabled", "proc_cgroups_memory_disabled", 11, "pids" },
	{ "only cpu mounted", "proc_cgroups_cpu_only", 1, "cpu" },
	/* no v1 hierarchy */
	{ "pure v2", "proc_cgroups_v2", -ENOENT, NULL },
	{ "header only", "proc_cgroups_empty", -ENOENT, NULL },
	{ "empty file", "proc_cgroups_zero_bytes", -ENOENT, NULL },
	{ "missing file", "no_such_file", -ENOENT, NULL },
};

ParameterizedTestParameters(cgroups, v1_pick)
{
	return sw_rows(ARRAY_SIZE(pick_cases));
}

ParameterizedTest(int *row, cgroups, v1_pick)
{
	const struct pick_case *c = &pick_cases[*row];
	char path[4096], name[64];
	int ret;

	fixture(c->file, path, sizeof(path));
	strcpy(name, "untouched");
	ret = cgroups_v1_pick(path, name, sizeof(name));
	cr_assert_eq(ret, c->want, "/proc/cgroups %s (%s): %d, want %d",
		     c->what, c->file, ret, c->want);
	if (c->want >= 0)
		cr_assert_str_eq(name, c->name,
				 "/proc/cgroups %s (%s): controller '%s', want '%s'",
				 c->what, c->file, name, c->name);
}

/* the name is cut to the buffer, never written past it */
Test(cgroups, v1_pick_small_name)
{
	char path[4096], *name = malloc(4);
	int ret;

	cr_assert_not_null(name);
	fixture("proc_cgroups_hybrid", path, sizeof(path));
	ret = cgroups_v1_pick(path, name, 4);
	cr_assert_eq(ret, 4, "hybrid into a 4-byte name: %d", ret);
	cr_assert_str_eq(name, "mem", "hybrid into a 4-byte name: '%s'", name);
	free(name);
}

/*
 * Since Linux 6.12 ("cgroup: Do not report unavailable v1 controllers in
 * /proc/cgroups", af000ce85293b) the file leaves out the controllers built
 * without v1 support: here cpuset (CONFIG_CPUSETS_V1=n, ssid 0) and memory
 * (CONFIG_MEMCG_V1=n, ssid 4). The rows after them no longer sit at their
 * subsystem id: pids, on a v1 hierarchy, is row 9 but its id is 11, the
 * index the kernel side uses in css_set->subsys[].
 */
Test(cgroups, v1_pick_rows_with_gaps)
{
	char path[4096], name[64];
	int ret;

	fixture("proc_cgroups_612_no_v1_cpuset_memory", path, sizeof(path));
	ret = cgroups_v1_pick(path, name, sizeof(name));
	cr_assert_str_eq(name, "pids", "6.12 /proc/cgroups: controller '%s'",
			 name);
	cr_assert_eq(ret, 11,
		     "/proc/cgroups without cpuset and memory: pids is %d, want 11 (its subsystem id, not its row)",
		     ret);
}

struct mount_case {
	const char *what;
	const char *file;	/* fixture */
	int want;		/* 0 or -errno */
	const char *path;	/* when want is 0 */
};

static const struct mount_case mount_cases[] = {
	/* cgroup2 mounted */
	{ "hybrid, cgroup2 at unified", "mountinfo_hybrid", 0,
	  "/sys/fs/cgroup/unified" },
	{ "pure v2 with optional fields", "mountinfo_v2", 0, "/sys/fs/cgroup" },
	{ "container, decoys before", "mountinfo_decoys", 0, "/sys/fs/cgroup" },
	{ "two cgroup2 mounts: the first", "mountinfo_two", 0,
	  "/sys/fs/cgroup/unified" },
	/* no cgroup2 */
	{ "v1 only", "mountinfo_none", -ENOENT, NULL },
	{ "empty file", "mountinfo_empty", -ENOENT, NULL },
	{ "missing file", "no_such_file", -ENOENT, NULL },
};

ParameterizedTestParameters(cgroups, v2_mount)
{
	return sw_rows(ARRAY_SIZE(mount_cases));
}

ParameterizedTest(int *row, cgroups, v2_mount)
{
	const struct mount_case *c = &mount_cases[*row];
	char path[4096], got[4096];
	int ret;

	fixture(c->file, path, sizeof(path));
	strcpy(got, "untouched");
	ret = cgroups_v2_mount(path, got, sizeof(got));
	cr_assert_eq(ret, c->want, "mountinfo %s (%s): %d, want %d", c->what,
		     c->file, ret, c->want);
	if (!c->want)
		cr_assert_str_eq(got, c->path,
				 "mountinfo %s (%s): '%s', want '%s'", c->what,
				 c->file, got, c->path);
}

/*
 * mountinfo writes a space in a mount point as \040: the path returned
 * must be the directory's, usable with stat() and open()
 */
Test(cgroups, v2_mount_unescapes_path)
{
	char path[4096], got[4096];
	int ret;

	fixture("mountinfo_escaped", path, sizeof(path));
	ret = cgroups_v2_mount(path, got, sizeof(got));
	cr_assert_eq(ret, 0, "mountinfo with an escaped mount point: %d", ret);
	cr_assert_str_eq(got, "/mnt/cgroup v2",
			 "mount point '/mnt/cgroup\\040v2' returned as '%s', want '/mnt/cgroup v2'",
			 got);
}

/* this host's files: whatever it has, the answers agree with the kernel */
Test(cgroups, this_host)
{
	char name[64], path[4096];
	struct statfs sfs;
	int ret;

	ret = cgroups_v1_pick("/proc/cgroups", name, sizeof(name));
	cr_assert(ret >= 0 || ret == -ENOENT, "/proc/cgroups: %d", ret);
	if (ret >= 0)
		cr_assert(!strcmp(name, "memory") || !strcmp(name, "pids") ||
			  !strcmp(name, "cpu"),
			  "/proc/cgroups: controller '%s'", name);

	ret = cgroups_v2_mount("/proc/self/mountinfo", path, sizeof(path));
	cr_assert(ret == 0 || ret == -ENOENT, "/proc/self/mountinfo: %d", ret);
	if (!ret) {
		cr_assert_eq(statfs(path, &sfs), 0, "statfs('%s') failed", path);
		cr_assert_eq(sfs.f_type, CGROUP2_SUPER_MAGIC,
			     "'%s' is not a cgroup2 mount (magic %#lx)", path,
			     (unsigned long)sfs.f_type);
	}
}
