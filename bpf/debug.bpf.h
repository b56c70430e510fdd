/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What people debugging a node read through the pins: the daemon's
 * heartbeat, and the tracked processes as text (task storage cannot be
 * walked with `bpftool map dump`, so a pinned iterator prints it).
 */
#ifndef SHELLWATCH_DEBUG_BPF_H
#define SHELLWATCH_DEBUG_BPF_H

#include "heartbeat.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct sw_heartbeat);
} heartbeat SEC(".maps");

/* `cat <pin-path>/tracked`: one line per tracked process, leader only */
SEC("iter/task")
int dump_tracked(struct bpf_iter__task *ctx)
{
	struct seq_file *seq = ctx->meta->seq;
	struct task_struct *task = ctx->task;
	struct sw_tracked *t;
	struct sw_cpu cpu;

	if (!task)
		return 0;
	if (ctx->meta->seq_num == 0)
		BPF_SEQ_PRINTF(seq, "%-8s %-8s %-16s %-20s %s\n", "pid", "ppid",
			       "comm", "start_ns", "cpu_ns");
	if (task->pid != task->tgid)
		return 0;
	t = tracked_of(task);
	if (!t)
		return 0;
	/* the whole group's, as the sampler reads it */
	group_read(task->signal, &cpu);
	BPF_SEQ_PRINTF(seq, "%-8d %-8d %-16s %-20llu %llu\n", task->tgid,
		       task->real_parent->tgid, task->comm, t->start_ns,
		       cpu.runtime_ns);
	return 0;
}

#endif /* SHELLWATCH_DEBUG_BPF_H */
