// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <string.h>
#include "exec.h"
#include "rec_exec.h"

/* the frozen layout is the one recordings hold, on every supported arch */
_Static_assert(sizeof(struct rec_exec_v2) == 15440,
	       "struct rec_exec_v2 is frozen: recordings hold it");
_Static_assert(offsetof(struct rec_exec_v2, pod) == 376 &&
	       offsetof(struct rec_exec_v2, filename) == 972 &&
	       offsetof(struct rec_exec_v2, parent_mntns) == 15432,
	       "struct rec_exec_v2 is frozen: recordings hold it");

/*
 * struct sw_exec is a layout of found frames too, told apart by its size:
 * a change to it needs the old one frozen here (as struct rec_exec_v2 is)
 * and read in rec_exec_read(), then the size below updated
 */
_Static_assert(sizeof(struct sw_exec) == 14848,
	       "struct sw_exec changed: freeze its old layout in rec_exec.h, read it in rec_exec.c");
_Static_assert(sizeof(struct sw_exec) != REC_EXEC_V2_SIZE &&
	       sizeof(struct sw_exec) != SW_EXEC_V1_SIZE,
	       "found frames' layouts are told apart by their sizes");

#define TERMINATE(a)	((a)[sizeof(a) - 1] = '\0')

/* a recorded string into dst, cut at the shorter array's end */
static void copy_str(char *dst, size_t dlen, const char *src, size_t slen)
{
	size_t n = dlen < slen ? dlen : slen;

	memcpy(dst, src, n);
	dst[n - 1] = '\0';
}

#define COPY_STR(dst, src)	copy_str((dst), sizeof(dst), (src), sizeof(src))

/* the scan's exec of a recording with the pod inside, or of one before
 * schema 3.3 (up to argv_len, the rest zero) */
static void from_v2(const struct rec_exec_v2 *r, struct sw_exec *ex)
{
	size_t i;

	ex->type = r->type;
	ex->exec_ns = r->exec_ns;
	ex->start_ns = r->start_ns;
	ex->cgroup_id = r->cgroup_id;
	ex->pid = r->pid;
	ex->vpid = r->vpid;
	ex->ppid = r->ppid;
	ex->sid = r->sid;
	ex->uid = r->uid;
	ex->gid = r->gid;
	ex->euid = r->euid;
	ex->egid = r->egid;
	ex->loginuid = r->loginuid;
	ex->audit_session = r->audit_session;
	ex->pidns = r->pidns;
	ex->mntns = r->mntns;
	ex->nlink = r->nlink;
	ex->argc = r->argc;
	ex->flags = r->flags;
	ex->match = r->match;
	ex->family = r->family;
	ex->fs_magic = r->fs_magic;
	ex->has_key = r->has_key;
	ex->key.ino = r->key.ino;
	ex->key.ctime_sec = r->key.ctime_sec;
	ex->key.ctime_nsec = r->key.ctime_nsec;
	ex->key.dev = r->key.dev;
	ex->key.generation = r->key.generation;
	ex->key.pad = r->key.pad;
	COPY_STR(ex->shell, r->shell);
	ex->cpu.runtime_ns = r->cpu.runtime_ns;
	ex->cpu.utime_ns = r->cpu.utime_ns;
	ex->cpu.stime_ns = r->cpu.stime_ns;
	ex->rss_pages = r->rss_pages;
	ex->found_at_start = r->found_at_start;
	COPY_STR(ex->comm, r->comm);
	COPY_STR(ex->parent_comm, r->parent_comm);
	for (i = 0; i < SW_ANCESTORS && i < 4; i++)
		COPY_STR(ex->ancestors[i], r->ancestors[i]);
	ex->trail.sess_start_ns = r->trail.sess_start_ns;
	ex->trail.sess_exec_ns = r->trail.sess_exec_ns;
	ex->trail.fork_start_ns = r->trail.fork_start_ns;
	ex->trail.fork_id_ns = r->trail.fork_id_ns;
	ex->trail.cmd_start_ns = r->trail.cmd_start_ns;
	ex->trail.cmd_exec_ns = r->trail.cmd_exec_ns;
	ex->trail.cmd_pid = r->trail.cmd_pid;
	ex->trail.sess_pid = r->trail.sess_pid;
	ex->trail.sess_uid = r->trail.sess_uid;
	ex->trail.sess_gid = r->trail.sess_gid;
	ex->trail.sess_euid = r->trail.sess_euid;
	ex->trail.sess_egid = r->trail.sess_egid;
	ex->trail.depth = r->trail.depth;
	ex->trail.pad = r->trail.pad;
	COPY_STR(ex->filename, r->filename);
	COPY_STR(ex->interp, r->interp);
	COPY_STR(ex->loaded, r->loaded);
	COPY_STR(ex->exe, r->exe);
	COPY_STR(ex->cwd, r->cwd);
	COPY_STR(ex->parent_exe, r->parent_exe);
	COPY_STR(ex->tty, r->tty);
	COPY_STR(ex->cgroup, r->cgroup);
	COPY_STR(ex->cgroup_v1, r->cgroup_v1);
	memcpy(ex->argv, r->argv, sizeof(ex->argv) < sizeof(r->argv) ?
				  sizeof(ex->argv) : sizeof(r->argv));
	ex->argv_len = r->argv_len;
	ex->parent_mntns = r->parent_mntns;
}

bool rec_exec_size_ok(size_t n)
{
	return n == sizeof(struct sw_exec) || n == REC_EXEC_V2_SIZE ||
	       n == SW_EXEC_V1_SIZE;
}

/* ex as this version wrote it: its strings ended in their arrays, its
 * flags as bool */
static void from_now(const void *p, struct sw_exec *ex)
{
	const unsigned char *b = p;
	int i;

	memcpy(ex, p, sizeof(*ex));
	/* a byte other than 0 or 1 is no bool: read them as bytes */
	ex->has_key = b[offsetof(struct sw_exec, has_key)];
	ex->found_at_start = b[offsetof(struct sw_exec, found_at_start)];
	TERMINATE(ex->shell);
	TERMINATE(ex->comm);
	TERMINATE(ex->parent_comm);
	for (i = 0; i < SW_ANCESTORS; i++)
		TERMINATE(ex->ancestors[i]);
	TERMINATE(ex->filename);
	TERMINATE(ex->interp);
	TERMINATE(ex->loaded);
	TERMINATE(ex->exe);
	TERMINATE(ex->cwd);
	TERMINATE(ex->parent_exe);
	TERMINATE(ex->tty);
	TERMINATE(ex->cgroup);
	TERMINATE(ex->cgroup_v1);
}

int rec_exec_read(const void *p, size_t n, struct sw_exec *ex)
{
	struct rec_exec_v2 r;

	if (!rec_exec_size_ok(n))
		return -EINVAL;
	if (n == sizeof(*ex)) {
		from_now(p, ex);
	} else {
		memset(&r, 0, sizeof(r));
		memcpy(&r, p, n);
		memset(ex, 0, sizeof(*ex));
		from_v2(&r, ex);
	}
	/* an older recording's exec has no view: none is known */
	if (n == SW_EXEC_V1_SIZE)
		ex->flags &= ~(SW_F_VIEW | SW_F_HOST_VIEW |
			       SW_F_PARENT_HOST_VIEW);
	if (!(ex->flags & SW_F_VIEW))
		ex->parent_mntns = 0;
	if (ex->argv_len > sizeof(ex->argv))
		ex->argv_len = sizeof(ex->argv);
	return 0;
}
