// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The found frame's exec layouts (user/rec_exec.c): an exec written with
 * the pod identity inside (struct rec_exec_v2) and before schema 3.3 (its first
 * SW_EXEC_V1_SIZE bytes) read into struct sw_exec field by field, and
 * this version's (struct sw_exec itself) read back; strings ended in their
 * arrays, no view from the oldest, other sizes refused.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <criterion/criterion.h>
#include "exec.h"
#include "rec_exec.h"

/* a shell found at start as a 3.3 daemon wrote it; strings filled to
 * their arrays' ends where end says so */
static struct rec_exec_v2 *v2_exec(bool end)
{
	struct rec_exec_v2 *r = calloc(1, sizeof(*r));

	cr_assert_not_null(r);
	r->type = SW_EVENT_EXEC;
	r->start_ns = 500000000;
	r->cgroup_id = 77;
	r->pid = 4242;
	r->vpid = 1;
	r->ppid = 4000;
	r->sid = 4242;
	r->uid = 1000;
	r->gid = 1001;
	r->euid = 1002;
	r->egid = 1003;
	r->loginuid = 1000;
	r->audit_session = 3;
	r->pidns = 4026531836;
	r->mntns = 4026532999;
	r->nlink = 1;
	r->argc = 2;
	r->flags = SW_F_TTY | SW_F_VIEW | SW_F_PARENT_HOST_VIEW;
	r->match = SW_MATCH_BINARY;
	r->family = 2;
	r->fs_magic = 0xef53;
	r->has_key = 1;
	r->key.ino = 131;
	r->key.ctime_sec = 1700000000;
	r->key.ctime_nsec = 5;
	r->key.dev = 259 << 20;
	r->key.generation = 9;
	strcpy(r->shell, "bash");
	r->cpu.runtime_ns = 11;
	r->cpu.utime_ns = 12;
	r->cpu.stime_ns = 13;
	r->rss_pages = 640;
	r->found_at_start = 1;
	strcpy(r->comm, "bash");
	strcpy(r->parent_comm, "sshd");
	strcpy(r->ancestors[0], "sshd");
	strcpy(r->ancestors[1], "systemd");
	r->trail.sess_pid = 4242;
	r->trail.sess_start_ns = 500000000;
	r->trail.depth = 1;
	/* what a 3.3 daemon never wrote, read or not: ignored */
	r->pod.scope = 2;
	strcpy(r->pod.namespace, "forged");
	r->suppressed_by = 0xdeadbeef;
	r->risk_rule = 0xdeadbeef;
	r->risk_score = 99;
	strcpy(r->filename, "/bin/bash");
	strcpy(r->exe, "/usr/bin/bash");
	strcpy(r->cwd, "/root");
	strcpy(r->parent_exe, "/usr/sbin/sshd");
	strcpy(r->tty, "pts0");
	strcpy(r->cgroup, "/user.slice");
	memcpy(r->argv, "bash\0-l\0", 8);
	r->argv_len = 8;
	r->parent_mntns = 4026531832;
	if (end) {
		memset(r->comm, 'c', sizeof(r->comm));
		memset(r->exe, 'e', sizeof(r->exe));
		memset(r->cgroup_v1, 'v', sizeof(r->cgroup_v1));
		memset(r->ancestors[3], 'a', sizeof(r->ancestors[3]));
		r->argv_len = 1 << 20;
	}
	return r;
}

Test(rec_exec, an_exec_with_the_pod_inside_is_read_field_by_field)
{
	struct rec_exec_v2 *r = v2_exec(false);
	struct sw_exec *ex = malloc(sizeof(*ex));

	cr_assert_not_null(ex);
	memset(ex, 0xa5, sizeof(*ex));
	cr_assert_eq(rec_exec_read(r, REC_EXEC_V2_SIZE, ex), 0);
	cr_assert(ex->type == SW_EVENT_EXEC && ex->pid == 4242 &&
		  ex->vpid == 1 && ex->ppid == 4000 && ex->sid == 4242);
	cr_assert(ex->start_ns == 500000000 && ex->exec_ns == 0 &&
		  ex->cgroup_id == 77);
	cr_assert(ex->uid == 1000 && ex->gid == 1001 && ex->euid == 1002 &&
		  ex->egid == 1003 && ex->loginuid == 1000 &&
		  ex->audit_session == 3);
	cr_assert(ex->pidns == 4026531836U && ex->mntns == 4026532999U &&
		  ex->nlink == 1 && ex->argc == 2);
	cr_assert_eq(ex->flags, SW_F_TTY | SW_F_VIEW | SW_F_PARENT_HOST_VIEW);
	cr_assert(ex->match == SW_MATCH_BINARY && ex->family == 2 &&
		  ex->fs_magic == 0xef53);
	cr_assert(ex->has_key && ex->key.ino == 131 &&
		  ex->key.ctime_sec == 1700000000 && ex->key.ctime_nsec == 5 &&
		  ex->key.dev == 259 << 20 && ex->key.generation == 9);
	cr_assert(ex->cpu.runtime_ns == 11 && ex->cpu.utime_ns == 12 &&
		  ex->cpu.stime_ns == 13 && ex->rss_pages == 640);
	cr_assert(ex->found_at_start);
	cr_assert_str_eq(ex->shell, "bash");
	cr_assert_str_eq(ex->comm, "bash");
	cr_assert_str_eq(ex->parent_comm, "sshd");
	cr_assert_str_eq(ex->ancestors[0], "sshd");
	cr_assert_str_eq(ex->ancestors[1], "systemd");
	cr_assert_str_eq(ex->ancestors[2], "");
	cr_assert(ex->trail.sess_pid == 4242 &&
		  ex->trail.sess_start_ns == 500000000 && ex->trail.depth == 1);
	cr_assert_str_eq(ex->filename, "/bin/bash");
	cr_assert_str_eq(ex->interp, "");
	cr_assert_str_eq(ex->loaded, "");
	cr_assert_str_eq(ex->exe, "/usr/bin/bash");
	cr_assert_str_eq(ex->cwd, "/root");
	cr_assert_str_eq(ex->parent_exe, "/usr/sbin/sshd");
	cr_assert_str_eq(ex->tty, "pts0");
	cr_assert_str_eq(ex->cgroup, "/user.slice");
	cr_assert_str_eq(ex->cgroup_v1, "");
	cr_assert(ex->argv_len == 8 && !memcmp(ex->argv, "bash\0-l\0", 8));
	cr_assert_eq(ex->parent_mntns, 4026531832U, "the view is kept");
	free(ex);
	free(r);
}

Test(rec_exec, strings_end_in_their_arrays)
{
	struct rec_exec_v2 *r = v2_exec(true);
	struct sw_exec *ex = malloc(sizeof(*ex));

	cr_assert_not_null(ex);
	cr_assert_eq(rec_exec_read(r, REC_EXEC_V2_SIZE, ex), 0);
	cr_assert_eq(strlen(ex->comm), sizeof(ex->comm) - 1);
	cr_assert_eq(strlen(ex->exe), sizeof(ex->exe) - 1);
	cr_assert_eq(strlen(ex->cgroup_v1), sizeof(ex->cgroup_v1) - 1);
	cr_assert_eq(strlen(ex->ancestors[3]), sizeof(ex->ancestors[3]) - 1);
	cr_assert_eq(ex->argv_len, sizeof(ex->argv), "argv_len %zu",
		     ex->argv_len);
	free(ex);
	free(r);
}

Test(rec_exec, an_older_exec_has_no_view)
{
	struct rec_exec_v2 *r = v2_exec(false);
	struct sw_exec *ex = malloc(sizeof(*ex));

	cr_assert_not_null(ex);
	r->flags |= SW_F_HOST_VIEW;
	cr_assert_eq(rec_exec_read(r, SW_EXEC_V1_SIZE, ex), 0);
	cr_assert_eq(ex->flags, SW_F_TTY, "flags %#x", ex->flags);
	cr_assert_eq(ex->parent_mntns, 0);
	cr_assert_eq(ex->pid, 4242);
	cr_assert_str_eq(ex->exe, "/usr/bin/bash");
	cr_assert(ex->argv_len == 8 && !memcmp(ex->argv, "bash\0-l\0", 8));
	free(ex);
	free(r);
}

Test(rec_exec, other_sizes_are_refused)
{
	static const size_t sizes[] = {
		0, 4, SW_EXEC_V1_SIZE - 1, SW_EXEC_V1_SIZE + 4,
		REC_EXEC_V2_SIZE - 1, REC_EXEC_V2_SIZE + 1,
	};
	struct rec_exec_v2 *r = calloc(2, sizeof(*r));
	struct sw_exec *ex = malloc(sizeof(*ex));
	size_t i;

	cr_assert(r && ex);
	cr_assert(rec_exec_size_ok(SW_EXEC_V1_SIZE));
	cr_assert(rec_exec_size_ok(REC_EXEC_V2_SIZE));
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		cr_assert_not(rec_exec_size_ok(sizes[i]), "%zu bytes", sizes[i]);
		cr_assert_eq(rec_exec_read(r, sizes[i], ex), -EINVAL,
			     "%zu bytes", sizes[i]);
	}
	free(ex);
	free(r);
}

/* this version's layout: struct sw_exec itself, strings ended, bools as
 * bytes */
Test(rec_exec, this_versions_exec_is_read_back)
{
	struct sw_exec *in = calloc(1, sizeof(*in));
	struct sw_exec *ex = malloc(sizeof(*ex));
	unsigned char *b = (unsigned char *)in;

	cr_assert(in && ex);
	in->type = SW_EVENT_EXEC;
	in->pid = 4242;
	in->flags = SW_F_VIEW | SW_F_HOST_VIEW;
	in->parent_mntns = 4026531832;
	strcpy(in->comm, "sh");
	strcpy(in->cgroup, "/kubepods/burstable/pod1/abc");
	memset(in->exe, 'e', sizeof(in->exe));
	memcpy(in->argv, "sh\0", 3);
	in->argv_len = sizeof(in->argv) + 1;
	b[offsetof(struct sw_exec, has_key)] = 2;
	cr_assert(rec_exec_size_ok(sizeof(struct sw_exec)));
	cr_assert_eq(rec_exec_read(in, sizeof(*in), ex), 0);
	cr_assert(ex->pid == 4242 && ex->type == SW_EVENT_EXEC);
	cr_assert_eq(ex->flags, SW_F_VIEW | SW_F_HOST_VIEW);
	cr_assert_eq(ex->parent_mntns, 4026531832U, "the view is kept");
	cr_assert_str_eq(ex->comm, "sh");
	cr_assert_str_eq(ex->cgroup, "/kubepods/burstable/pod1/abc");
	cr_assert_eq(strlen(ex->exe), sizeof(ex->exe) - 1);
	cr_assert_eq(ex->argv_len, sizeof(ex->argv));
	cr_assert(ex->has_key == true);
	free(ex);
	free(in);
}
