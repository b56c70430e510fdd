// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <criterion/criterion.h>
#include "sw_cgroup.h"

void sw_own_cgroup(bool v1, char *buf, size_t len)
{
	const char *want = v1 ? ":memory:" : "0::";
	const char *mnt = v1 ? "/sys/fs/cgroup/memory" : "/sys/fs/cgroup/unified";
	FILE *f = fopen("/proc/self/cgroup", "r");
	char line[1024], *p;

	cr_assert_not_null(f, "/proc/self/cgroup: %s", strerror(errno));
	buf[0] = '\0';
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		p = strstr(line, want);
		if (p && (v1 || p == line)) {
			snprintf(buf, len, "%s%s", mnt, p + strlen(want));
			break;
		}
	}
	fclose(f);
	if (!buf[0] || access(buf, W_OK))
		cr_skip_test("no writable %s cgroup here (%s)",
			     v1 ? "v1 memory" : "v2", buf);
}

void sw_make_tree(const char *base, const char *rel, struct sw_tree *t)
{
	char path[PATH_MAX], *p;

	cr_assert_lt((size_t)snprintf(path, sizeof(path), "%s/%s", base, rel),
		     sizeof(path), "path too long: %s/%s", base, rel);
	for (p = path + strlen(base) + 1;; p++) {
		char c = *p;

		if (c != '/' && c)
			continue;
		*p = '\0';
		if (mkdir(path, 0755) == 0) {
			cr_assert_lt(t->n, SW_TREE_MAX, "tree too deep: %s", path);
			snprintf(t->dirs[t->n++], PATH_MAX, "%s", path);
		} else {
			cr_assert_eq(errno, EEXIST, "mkdir %s: %s", path,
				     strerror(errno));
		}
		*p = c;
		if (!c)
			break;
	}
}

const char *sw_tree_leaf(const struct sw_tree *t)
{
	cr_assert_gt(t->n, 0, "empty tree");
	return t->dirs[t->n - 1];
}

void sw_remove_tree(struct sw_tree *t)
{
	while (t->n > 0) {
		t->n--;
		cr_assert_eq(rmdir(t->dirs[t->n]), 0, "rmdir %s: %s",
			     t->dirs[t->n], strerror(errno));
	}
}

void sw_log_link(const char *dir, const char *pod, const char *ns,
		 const char *uid, const char *ctr, const char *cid)
{
	char rel[PATH_MAX], target[PATH_MAX + 8], link[PATH_MAX];
	struct sw_tree t = { .n = 0 };
	int fd;

	snprintf(rel, sizeof(rel), "pods/%s_%s_%s/%s", ns, pod, uid, ctr);
	sw_make_tree(dir, rel, &t);
	t.n = 0;
	sw_make_tree(dir, "containers", &t);
	snprintf(target, sizeof(target), "%s/%s/0.log", dir, rel);
	fd = open(target, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
	cr_assert_geq(fd, 0, "%s: %s", target, strerror(errno));
	close(fd);
	snprintf(link, sizeof(link), "%s/containers/%s_%s_%s-%s.log", dir, pod,
		 ns, ctr, cid);
	cr_assert_eq(symlink(target, link), 0, "symlink %s: %s", link,
		     strerror(errno));
}

pid_t sw_spawn_in(const char *cgroup_dir, const char *path,
		  char *const argv[])
{
	char procs[PATH_MAX + 16];
	pid_t pid;
	int fd;

	snprintf(procs, sizeof(procs), "%s/cgroup.procs", cgroup_dir);
	pid = fork();
	cr_assert_geq(pid, 0, "fork: %s", strerror(errno));
	if (!pid) {
		fd = open(procs, O_WRONLY);
		if (fd < 0 || write(fd, "0", 1) != 1)
			_exit(126);
		close(fd);
		execv(path, argv);
		_exit(127);
	}
	return pid;
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void sw_remove_dir(const char *dir)
{
	if (dir && dir[0])
		nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}
