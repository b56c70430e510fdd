// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdlib.h>
#include <string.h>
#include <criterion/criterion.h>
#include "sw_ring.h"

void *sw_ring_exec(const struct sw_ring_exec *e, size_t *size)
{
	static const char dflt_argv[] = "sh\0-c\0:";
	const char *argv = e->argv ? e->argv : dflt_argv;
	size_t argv_len = e->argv ? e->argv_len : sizeof(dflt_argv);
	const char *comm = e->comm ? e->comm : "sh";
	struct sw_exec_event ev;
	size_t i;
	char *buf;

	memset(&ev, 0, sizeof(ev));
	ev.type = e->type ? e->type : SW_EVENT_EXEC;
	ev.exec_ns = ev.start_ns = SW_RING_START(e->pid);
	ev.pid = ev.vpid = e->pid;
	ev.ppid = 1;
	ev.flags = e->flags;
	ev.trail = e->trail;
	for (i = 0; i < argv_len; i++)
		ev.argc += !argv[i];
	ev.match = SW_MATCH_BINARY;
	cr_assert_lt(strlen(comm), sizeof(ev.comm));
	memcpy(ev.comm, comm, strlen(comm));
	ev.len[SW_STR_CGROUP_V1] = (__u16)e->v1_len;
	ev.len[SW_STR_ARGV] = (__u16)argv_len;
	*size = SW_EXEC_HDR_SIZE + e->v1_len + argv_len;
	buf = calloc(1, *size);
	cr_assert_not_null(buf);
	memcpy(buf, &ev, SW_EXEC_HDR_SIZE);
	if (e->v1_len)
		memcpy(buf + SW_EXEC_HDR_SIZE, e->v1, e->v1_len);
	memcpy(buf + SW_EXEC_HDR_SIZE + e->v1_len, argv, argv_len);
	return buf;
}
