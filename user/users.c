// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include "users.h"

#ifndef FUSE_SUPER_MAGIC
#define FUSE_SUPER_MAGIC	0x65735546
#endif

static const struct users_source *source;

void users_set_source(const struct users_source *src)
{
	source = src;
}

static time_t now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

int users_init(struct users *u)
{
	struct stat st;

	memset(u, 0, sizeof(*u));
	u->proc = "/proc";
	if (!stat("/proc/self/ns/mnt", &st))
		u->self_mntns = st.st_ino;
	u->buf = malloc(USERS_FILE_MAX + 1);
	return u->buf ? 0 : -ENOMEM;
}

void users_table_free(struct users_table *t)
{
	free(t->e);
	free(t->pool);
	memset(t, 0, sizeof(*t));
}

void users_destroy(struct users *u)
{
	size_t i;

	for (i = 0; i < USERS_NS_MAX; i++) {
		users_table_free(&u->ns[i].pw);
		users_table_free(&u->ns[i].gr);
	}
	free(u->buf);
	u->buf = NULL;
}

/* a decimal id of 1 to 10 digits that fits 32 bits */
static bool parse_id(const char *s, size_t n, uint32_t *id)
{
	uint64_t v = 0;
	size_t i;

	if (!n || n > 10)
		return false;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	if (v > UINT32_MAX)
		return false;
	*id = v;
	return true;
}

/* name:password:id:... ; false for a line that names no one */
static bool parse_line(const char *s, size_t n, size_t *name_len, uint32_t *id)
{
	const char *c1 = memchr(s, ':', n), *c2, *c3;

	if (!c1 || c1 == s || (size_t)(c1 - s) > USERS_NAME_MAX)
		return false;
	/* NIS compat lines and comments; a NUL ends nothing here */
	if (s[0] == '+' || s[0] == '-' || s[0] == '#' || memchr(s, '\0', c1 - s))
		return false;
	c2 = memchr(c1 + 1, ':', n - (c1 + 1 - s));
	if (!c2)
		return false;
	c3 = memchr(c2 + 1, ':', n - (c2 + 1 - s));
	if (!c3)
		c3 = s + n;
	*name_len = c1 - s;
	return parse_id(c2 + 1, c3 - (c2 + 1), id);
}

static int entry_cmp(const void *a, const void *b)
{
	const struct users_entry *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->off < y->off ? -1 : x->off > y->off;
}

int users_parse(struct users_table *t, const char *text, size_t n, bool cut)
{
	size_t pos = 0, lines = 1, i, cap, pool_cap, plen = 0, name_len;
	uint32_t id;

	memset(t, 0, sizeof(*t));
	/* a cut text's last line is not whole */
	if (cut) {
		while (n && text[n - 1] != '\n')
			n--;
	}
	for (i = 0; i < n; i++)
		lines += text[i] == '\n';
	cap = lines < USERS_ENTRIES_MAX ? lines : USERS_ENTRIES_MAX;
	pool_cap = n + cap < cap * (USERS_NAME_MAX + 1) ? n + cap :
		   cap * (USERS_NAME_MAX + 1);
	t->e = malloc(cap * sizeof(*t->e));
	t->pool = malloc(pool_cap ? pool_cap : 1);
	if (!t->e || !t->pool) {
		users_table_free(t);
		return -ENOMEM;
	}
	while (pos < n && t->n < cap) {
		const char *line = text + pos;
		const char *nl = memchr(line, '\n', n - pos);
		size_t len = nl ? (size_t)(nl - line) : n - pos;

		pos += len + 1;
		if (!parse_line(line, len, &name_len, &id) ||
		    plen + name_len + 1 > pool_cap)
			continue;
		memcpy(t->pool + plen, line, name_len);
		t->pool[plen + name_len] = '\0';
		t->e[t->n++] = (struct users_entry){ .id = id, .off = plen };
		plen += name_len + 1;
	}
	qsort(t->e, t->n, sizeof(*t->e), entry_cmp);
	return 0;
}

const char *users_find(const struct users_table *t, uint32_t id)
{
	size_t lo = 0, hi = t->n;

	/* the first entry with this id: the file's first line for it */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->e[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < t->n && t->e[lo].id == id ? t->pool + t->e[lo].off : NULL;
}

/* filesystems a passwd is never on: they can stall a reader (FUSE) or
 * hand it another process's or the sensor's own data (procfs, sysfs) */
static bool special_fs(long type)
{
	switch (type) {
	case PROC_SUPER_MAGIC:
	case SYSFS_MAGIC:
	case FUSE_SUPER_MAGIC:
	case CGROUP_SUPER_MAGIC:
	case CGROUP2_SUPER_MAGIC:
	case DEBUGFS_MAGIC:
	case TRACEFS_MAGIC:
	case SECURITYFS_MAGIC:
	case BPF_FS_MAGIC:
	case DEVPTS_SUPER_MAGIC:
	case NSFS_MAGIC:
		return true;
	}
	return false;
}

/* read path below the root rootfd into t; a file that is missing or
 * refused leaves t empty. 0 or -ENOMEM */
static int load_file(struct users *u, int rootfd, const char *path,
		     struct users_table *t)
{
	struct open_how how = {
		.flags = O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC,
		/* symlinks resolve inside the root; no /proc magic links */
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	size_t got = 0;
	struct statfs sfs;
	struct stat st;
	ssize_t n;
	int fd, err;

	memset(t, 0, sizeof(*t));
	fd = syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
	if (fd < 0)
		return 0;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || fstatfs(fd, &sfs) ||
	    special_fs(sfs.f_type)) {
		u->refused++;
		close(fd);
		return 0;
	}
	/* one byte more than kept: it says the file was cut */
	while (got < USERS_FILE_MAX + 1) {
		n = read(fd, u->buf + got, USERS_FILE_MAX + 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += n;
	}
	close(fd);
	err = users_parse(t, u->buf, got > USERS_FILE_MAX ? USERS_FILE_MAX : got,
			  got > USERS_FILE_MAX);
	return err;
}

/* load the files of pid's root into e, if pid is still in mntns; 0,
 * -ESRCH (gone, or another process now), -ENOMEM */
static int load_ns(struct users *u, struct users_ns *e, uint32_t pid,
		   uint32_t mntns)
{
	struct users_table pw, gr;
	char path[64];
	struct stat st;
	int procfd, rootfd, err;

	snprintf(path, sizeof(path), "%s/%u", u->proc, pid);
	/* the /proc/<pid> directory holds that process, not a reused pid */
	procfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (procfd < 0)
		return -ESRCH;
	if (fstatat(procfd, "ns/mnt", &st, 0) || st.st_ino != mntns) {
		close(procfd);
		return -ESRCH;
	}
	rootfd = openat(procfd, "root", O_PATH | O_DIRECTORY | O_CLOEXEC);
	close(procfd);
	if (rootfd < 0)
		return -ESRCH;
	err = load_file(u, rootfd, "/etc/passwd", &pw);
	if (!err) {
		err = load_file(u, rootfd, "/etc/group", &gr);
		if (err)
			users_table_free(&pw);
	}
	close(rootfd);
	if (err)
		return err;
	users_table_free(&e->pw);
	users_table_free(&e->gr);
	e->pw = pw;
	e->gr = gr;
	e->mntns = mntns;
	e->at = now_s();
	u->loads++;
	return 0;
}

/* whether a load may run now */
static bool take_budget(struct users *u, time_t now)
{
	if (u->budget_at != now) {
		u->budget_at = now;
		u->budget_used = 0;
	}
	if (u->budget_used >= USERS_LOADS_PER_S)
		return false;
	u->budget_used++;
	return true;
}

/* mntns's entry, loaded or refreshed when due; NULL when none */
static struct users_ns *ns_entry(struct users *u, uint32_t pid, uint32_t mntns)
{
	struct users_ns *e = NULL, *oldest = &u->ns[0];
	time_t now = now_s();
	size_t i;

	for (i = 0; i < USERS_NS_MAX; i++) {
		if (u->ns[i].mntns == mntns) {
			e = &u->ns[i];
			break;
		}
		if (!u->ns[i].mntns || (oldest->mntns && u->ns[i].at < oldest->at))
			oldest = &u->ns[i];
	}
	if (e && now - e->at < USERS_TTL_S)
		return e;
	if (!take_budget(u, now))
		return e;	/* stale names, or none, until the next second */
	/* a failed refresh keeps the stale names; a failed load caches nothing */
	if (load_ns(u, e ? e : oldest, pid, mntns))
		return e;
	return e ? e : oldest;
}

/* NSS, cached: the sensor's own view */
static void nss_name(struct users_nss *cache, bool group, uint32_t id,
		     char *name, size_t len)
{
	struct users_nss *e = cache ? &cache[id % USERS_CACHE] : NULL;
	struct users_nss tmp;
	time_t now = now_s();
	char buf[1024];

	if (!e)
		e = &tmp;
	if (e == &tmp || !e->used || e->id != id || now - e->at >= USERS_TTL_S) {
		e->used = true;
		e->id = id;
		e->at = now;
		e->name[0] = '\0';
		if (group) {
			struct group gr, *res = NULL;

			if (!getgrgid_r(id, &gr, buf, sizeof(buf), &res) && res)
				snprintf(e->name, sizeof(e->name), "%s", gr.gr_name);
		} else {
			struct passwd pw, *res = NULL;

			if (!getpwuid_r(id, &pw, buf, sizeof(buf), &res) && res)
				snprintf(e->name, sizeof(e->name), "%s", pw.pw_name);
		}
	}
	snprintf(name, len, "%s", e->name);
}

static void lookup(struct users *u, bool group, uint32_t pid, uint32_t mntns,
		   uint32_t id, char *name, size_t len)
{
	struct users_ns *e;
	const char *s;

	/* a replay answers names from its recording */
	if (source && source->answer) {
		source->answer(source->ctx, group, id, name, len);
		return;
	}
	if (!u || !mntns || mntns == u->self_mntns) {
		nss_name(u ? (group ? u->nss_gr : u->nss_pw) : NULL, group, id,
			 name, len);
	} else {
		e = ns_entry(u, pid, mntns);
		s = e ? users_find(group ? &e->gr : &e->pw, id) : NULL;
		snprintf(name, len, "%s", s ? s : "");
	}
	if (source && source->heard)
		source->heard(source->ctx, group, id, name);
}

void users_name(struct users *u, uint32_t pid, uint32_t mntns, uint32_t uid,
		char *name, size_t len)
{
	lookup(u, false, pid, mntns, uid, name, len);
}

void users_group(struct users *u, uint32_t pid, uint32_t mntns, uint32_t gid,
		 char *name, size_t len)
{
	lookup(u, true, pid, mntns, gid, name, len);
}
