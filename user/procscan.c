// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cgroupns.h"
#include "classify.h"
#include "clock.h"
#include "procscan.h"

/* read the first len bytes of a /proc file of pid into buf (a longer file is
 * cut there); returns bytes read or -errno */
static ssize_t proc_read(const struct procscan_opts *opts, unsigned int pid,
			 const char *name, char *buf, size_t len)
{
	char path[256];
	ssize_t n, total = 0;
	int fd, err;

	snprintf(path, sizeof(path), "%s/%u/%s", opts->proc, pid, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while ((size_t)total < len) {
		n = read(fd, buf + total, len - total);
		if (n < 0) {
			err = -errno;
			close(fd);
			return err;
		}
		if (!n)
			break;
		total += n;
	}
	close(fd);
	return total;
}

/* read a text file into a NUL-terminated buffer, newline stripped */
static int read_line(const struct procscan_opts *opts, unsigned int pid,
		     const char *name, char *buf, size_t len)
{
	ssize_t n = proc_read(opts, pid, name, buf, len - 1);

	if (n < 0)
		return n;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static int read_link(const struct procscan_opts *opts, unsigned int pid,
		     const char *name, char *buf, size_t len)
{
	char path[256];
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%u/%s", opts->proc, pid, name);
	n = readlink(path, buf, len - 1);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

static uint32_t ns_inode(const struct procscan_opts *opts, unsigned int pid,
			 const char *ns)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%u/ns/%s", opts->proc, pid, ns);
	return stat(path, &st) ? 0 : (uint32_t)st.st_ino;
}

/*
 * whether pid's root is the host's: the mount, inode and device of pid 1's
 * root as the kernel side found it, in the host's mount namespace
 */
static bool root_is_host(const struct procscan_opts *opts, unsigned int pid,
			 uint32_t mntns)
{
	const struct sw_host_view *h = opts->host;
	struct statx stx;
	char path[256];

	if (!mntns || mntns != h->mntns)
		return false;
	/* the magic link followed: the root directory itself */
	snprintf(path, sizeof(path), "%s/%u/root", opts->proc, pid);
	if (statx(AT_FDCWD, path, 0, STATX_INO | STATX_MNT_ID, &stx) ||
	    !(stx.stx_mask & STATX_MNT_ID))
		return false;
	return stx.stx_mnt_id == h->root_mnt_id && stx.stx_ino == h->root_ino &&
	       (stx.stx_dev_major << 20 | stx.stx_dev_minor) == h->root_dev;
}

/* a path in the file tree, not on a pseudo file system (memfd) */
static bool in_tree(const char *path)
{
	return path[0] == '/' && strncmp(path, "/memfd:", 7);
}

/*
 * whose view the paths read from /proc are, as the kernel says for a live
 * exec: known once the host's is, the host's when the process (its parent)
 * has the host's root in the host's mount namespace
 */
static void read_views(const struct procscan_opts *opts, struct sw_exec *ex)
{
	if (!opts->host || !opts->host->mntns)
		return;
	ex->flags |= SW_F_VIEW;
	ex->parent_mntns = ns_inode(opts, ex->ppid, "mnt");
	if (in_tree(ex->exe) && in_tree(ex->cwd) &&
	    root_is_host(opts, ex->pid, ex->mntns))
		ex->flags |= SW_F_HOST_VIEW;
	if (in_tree(ex->parent_exe) &&
	    root_is_host(opts, ex->ppid, ex->parent_mntns))
		ex->flags |= SW_F_PARENT_HOST_VIEW;
}

void procscan_tty_name(unsigned int tty_nr, char *buf, size_t len)
{
	unsigned int major = (tty_nr >> 8) & 0xfff;
	unsigned int minor = (tty_nr & 0xff) | ((tty_nr >> 12) & 0xfff00);

	if (major >= 136 && major <= 143)
		snprintf(buf, len, "pts%u", (major - 136) * 256 + minor);
	else if (major == 4 && minor < 64)
		snprintf(buf, len, "tty%u", minor);
	else if (major == 4)
		snprintf(buf, len, "ttyS%u", minor - 64);
	else if (major == 5 && minor == 1)
		snprintf(buf, len, "console");
	else
		snprintf(buf, len, "%s", "");
}

/* fields of /proc/pid/stat after the command name */
static int read_stat(const struct procscan_opts *opts, unsigned int pid,
		     struct sw_exec *ex, unsigned int *tty_nr)
{
	unsigned long long start_ticks;
	char buf[1024], *p;
	unsigned int ppid, sid;
	long hz = sysconf(_SC_CLK_TCK);
	int err;

	err = read_line(opts, pid, "stat", buf, sizeof(buf));
	if (err)
		return err;
	p = strrchr(buf, ')');
	if (!p)
		return -EINVAL;
	/* state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt
	 * cmajflt utime stime cutime cstime priority nice threads itreal start */
	if (sscanf(p + 2, "%*c %u %*d %u %u %*d %*u %*u %*u %*u %*u %*u %*u "
		   "%*d %*d %*d %*d %*d %*d %llu",
		   &ppid, &sid, tty_nr, &start_ticks) != 4)
		return -EINVAL;
	ex->ppid = ppid;
	ex->sid = sid;
	ex->start_ns = start_ticks * (NSEC_PER_SEC / (hz > 0 ? hz : 100));
	return 0;
}

static int count_char(const char *s, char c)
{
	int n = 0;

	for (; *s; s++)
		n += *s == c;
	return n;
}

/* Uid, Gid and NSpid of /proc/pid/status */
static int read_status(const struct procscan_opts *opts, unsigned int pid,
		       struct sw_exec *ex)
{
	char buf[4096], *line, *save = NULL, *last;
	ssize_t n;

	n = proc_read(opts, pid, "status", buf, sizeof(buf) - 1);
	if (n < 0)
		return n;
	buf[n] = '\0';
	ex->vpid = pid;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "Uid:", 4))
			sscanf(line + 4, "%u %u", &ex->uid, &ex->euid);
		else if (!strncmp(line, "Gid:", 4))
			sscanf(line + 4, "%u %u", &ex->gid, &ex->egid);
		else if (!strncmp(line, "NSpid:", 6)) {
			/* the last one is the pid in the process's own namespace */
			last = strrchr(line, '\t');
			if (last)
				ex->vpid = strtoul(last + 1, NULL, 10);
			/* two pids: its namespace is a child of this /proc's */
			if (count_char(line, '\t') == 2)
				ex->flags |= SW_F_PIDNS_CHILD;
		}
	}
	return 0;
}

static uint32_t read_u32(const struct procscan_opts *opts, unsigned int pid,
			 const char *name, uint32_t dflt)
{
	char buf[32];

	if (read_line(opts, pid, name, buf, sizeof(buf)))
		return dflt;
	return strtoul(buf, NULL, 10);
}

/*
 * a path of /proc/pid/cgroup made absolute, as the kernel side has it: in a
 * private cgroup namespace it is relative to the namespace's root
 */
static void set_cgroup(char *dst, size_t len, const char *root,
		       const char *rel)
{
	if (cgroupns_resolve(root, rel, dst, len))
		snprintf(dst, len, "%s", rel);
}

/* the v2 path and the chosen v1 controller's path of /proc/pid/cgroup */
static void read_cgroups(const struct procscan_opts *opts, unsigned int pid,
			 struct sw_exec *ex)
{
	char buf[8192], path[PATH_MAX + 64], *line, *save = NULL, *ctrl, *p;
	struct stat st;
	ssize_t n;

	n = proc_read(opts, pid, "cgroup", buf, sizeof(buf) - 1);
	if (n < 0)
		return;
	buf[n] = '\0';
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		ctrl = strchr(line, ':');
		if (!ctrl)
			continue;
		p = strchr(ctrl + 1, ':');
		if (!p)
			continue;
		*p++ = '\0';
		if (!strncmp(line, "0:", 2) && !ctrl[1]) {
			set_cgroup(ex->cgroup, sizeof(ex->cgroup),
				   opts->cgroupns_v2, p);
			/* a cgroup's id is its directory's inode number;
			 * the mount shows the namespace's own tree only */
			if (opts->cgroup_v2_mount && p[0] == '/' &&
			    !cgroupns_outside(p)) {
				snprintf(path, sizeof(path), "%s%s",
					 opts->cgroup_v2_mount, p);
				if (!stat(path, &st))
					ex->cgroup_id = st.st_ino;
			}
		} else if (opts->cgroup_v1_name) {
			/* "memory" or "cpu,cpuacct": any member matches */
			char *tok, *tsave = NULL;

			for (tok = strtok_r(ctrl + 1, ",", &tsave); tok;
			     tok = strtok_r(NULL, ",", &tsave))
				if (!strcmp(tok, opts->cgroup_v1_name))
					set_cgroup(ex->cgroup_v1,
						   sizeof(ex->cgroup_v1),
						   opts->cgroupns_v1, p);
		}
	}
}

/* copy a path read from /proc, flagging it when it does not fit */
static void set_path(struct sw_exec *ex, char *dst, size_t len,
		     const char *src, uint32_t trunc)
{
	size_t n = strlen(src);

	if (n >= len) {
		n = len - 1;
		ex->flags |= trunc;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* the parent pid of pid, 0 when unknown */
static uint32_t parent_of(const struct procscan_opts *opts, uint32_t pid)
{
	unsigned int ppid = 0;
	char buf[1024], *p;

	if (read_line(opts, pid, "stat", buf, sizeof(buf)))
		return 0;
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 2, "%*c %u", &ppid) != 1)
		return 0;
	return ppid;
}

/* the parent's name and binary, and the chain of ancestors' names */
static void read_parent(const struct procscan_opts *opts, struct sw_exec *ex)
{
	char path[PATH_MAX];
	uint32_t pid = ex->ppid;
	int i;

	if (!ex->ppid)
		return;
	for (i = 0; i < SW_ANCESTORS && pid; i++) {
		if (read_line(opts, pid, "comm", ex->ancestors[i],
			      sizeof(ex->ancestors[i])))
			break;
		if (pid == 1)
			break;
		pid = parent_of(opts, pid);
	}
	read_line(opts, ex->ppid, "comm", ex->parent_comm,
		  sizeof(ex->parent_comm));
	if (!read_link(opts, ex->ppid, "exe", path, sizeof(path)))
		set_path(ex, ex->parent_exe, sizeof(ex->parent_exe), path,
			 SW_F_PARENT_EXE_TRUNC);
}

/* strip the " (deleted)" the kernel appends to an unlinked binary */
static bool strip_deleted(char *path)
{
	static const char mark[] = " (deleted)";
	size_t len = strlen(path), mlen = sizeof(mark) - 1;

	if (len < mlen || strcmp(path + len - mlen, mark))
		return false;
	path[len - mlen] = '\0';
	return true;
}

static int read_exe(const struct procscan_opts *opts, unsigned int pid,
		    struct sw_exec *ex)
{
	char path[PATH_MAX];
	struct stat st;
	char link[256];
	int err;

	err = read_link(opts, pid, "exe", path, sizeof(path));
	if (err)
		return err;
	ex->nlink = 1;
	if (strip_deleted(path)) {
		ex->flags |= SW_F_FILELESS;
		ex->nlink = 0;
	} else {
		snprintf(link, sizeof(link), "%s/%u/exe", opts->proc, pid);
		if (!stat(link, &st)) {
			ex->nlink = st.st_nlink;
			if (!st.st_nlink)
				ex->flags |= SW_F_FILELESS;
		}
	}
	set_path(ex, ex->exe, sizeof(ex->exe), path, SW_F_EXE_TRUNC);
	return 0;
}

/* argv element i, or NULL */
static const char *arg_at(const struct sw_exec *ex, int i)
{
	size_t off = 0;

	while (i-- > 0) {
		off += strnlen(ex->argv + off, ex->argv_len - off) + 1;
		if (off >= ex->argv_len)
			return NULL;
	}
	return off < ex->argv_len ? ex->argv + off : NULL;
}

/*
 * a #! script: the kernel made argv "interpreter [option] script ...", and
 * comm is the script's name; say so as the kernel side does
 */
static void find_script(struct sw_exec *ex)
{
	const char *interp = arg_at(ex, 0), *script = arg_at(ex, 1);

	if (script && script[0] == '-' && script[1])
		script = arg_at(ex, 2);
	if (!interp || !script || interp[0] != '/' ||
	    strncmp(classify_basename(script), ex->comm, SW_COMM_LEN - 1) ||
	    !strncmp(classify_basename(interp), ex->comm, SW_COMM_LEN - 1))
		return;
	ex->flags |= SW_F_SCRIPT;
	snprintf(ex->interp, sizeof(ex->interp), "%s", interp);
	snprintf(ex->filename, sizeof(ex->filename), "%s", script);
}

static void count_args(struct sw_exec *ex)
{
	size_t i;

	ex->argc = 0;
	for (i = 0; i < ex->argv_len; i++)
		if (!ex->argv[i] || i + 1 == ex->argv_len)
			ex->argc++;
}

int procscan_one(const struct procscan_opts *opts, const struct shell_set *set,
		 unsigned int pid, struct sw_exec *ex)
{
	struct classify_out out;
	struct classify_in in;
	char argv[SW_ARGV_MAX + 1], path[PATH_MAX];
	unsigned int tty_nr = 0;
	ssize_t n;
	int err;

	memset(ex, 0, sizeof(*ex));
	ex->pid = pid;
	/* kernel threads have no binary */
	err = read_exe(opts, pid, ex);
	if (err)
		return err == -ENOENT || err == -ESRCH ? -ENOENT : -ESRCH;
	err = read_line(opts, pid, "comm", ex->comm, sizeof(ex->comm));
	if (err)
		return -ENOENT;
	n = proc_read(opts, pid, "cmdline", argv, sizeof(argv));
	if (n < 0)
		return -ENOENT;
	if (n > SW_ARGV_MAX) {
		ex->flags |= SW_F_ARGV_TRUNC;
		n = SW_ARGV_MAX;
	}
	memcpy(ex->argv, argv, n);
	ex->argv_len = n;
	count_args(ex);

	in = (struct classify_in){
		.binary = classify_basename(ex->exe),
		.invoked = ex->comm,
		.argv = ex->argv,
		.argv_len = ex->argv_len,
		.fileless = ex->flags & SW_F_FILELESS,
	};
	/* the names first: what the kernel would have matched */
	ex->match = classify_exec(set, &in, &out);
	if (ex->match != SW_MATCH_NONE)
		snprintf(ex->shell, sizeof(ex->shell), "%s", out.shell);
	if (out.multicall)
		ex->flags |= SW_F_MULTICALL;
	/* then the content, as the kernel's verdicts and candidates have it */
	if (opts->judge) {
		if (!judge_exec(opts->judge, ex))
			return -ESRCH;
	} else if (ex->match == SW_MATCH_NONE) {
		return -ESRCH;
	}
	find_script(ex);

	/* the process may end at any point from here: take what is there */
	ex->found_at_start = true;
	if (read_stat(opts, pid, ex, &tty_nr) || read_status(opts, pid, ex))
		return -ENOENT;
	if (tty_nr) {
		ex->flags |= SW_F_TTY;
		procscan_tty_name(tty_nr, ex->tty, sizeof(ex->tty));
	}
	ex->loginuid = read_u32(opts, pid, "loginuid", (uint32_t)-1);
	ex->audit_session = read_u32(opts, pid, "sessionid", (uint32_t)-1);
	if (!read_link(opts, pid, "cwd", path, sizeof(path)))
		set_path(ex, ex->cwd, sizeof(ex->cwd), path, SW_F_CWD_TRUNC);
	ex->pidns = ns_inode(opts, pid, "pid");
	ex->mntns = ns_inode(opts, pid, "mnt");
	read_cgroups(opts, pid, ex);
	read_parent(opts, ex);
	read_views(opts, ex);
	return 0;
}

int procscan_all(const struct procscan_opts *opts, const struct shell_set *set,
		 procscan_fn fn, void *ctx)
{
	struct sw_exec *ex;
	struct dirent *d;
	DIR *dir;
	int err = 0;

	ex = malloc(sizeof(*ex));
	if (!ex)
		return -ENOMEM;
	dir = opendir(opts->proc);
	if (!dir) {
		err = -errno;
		goto cleanup;
	}
	while ((d = readdir(dir))) {
		char *end;
		unsigned long pid = strtoul(d->d_name, &end, 10);

		if (!isdigit((unsigned char)d->d_name[0]) || *end || !pid)
			continue;
		if (procscan_one(opts, set, pid, ex))
			continue;
		err = fn(ex, ctx);
		if (err)
			break;
	}
	closedir(dir);
cleanup:
	free(ex);
	return err;
}
