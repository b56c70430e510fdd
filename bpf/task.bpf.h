/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Task accounting: CPU time, the tracked storage and fork/exit records. */
#ifndef SHELLWATCH_TASK_BPF_H
#define SHELLWATCH_TASK_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "maps.bpf.h"

/* CPU time of task's thread group: this thread plus the dead ones */
static __always_inline void read_cpu(struct task_struct *task,
				     struct sw_cpu *cpu)
{
	struct signal_struct *sig = task->signal;

	cpu->runtime_ns = task->se.sum_exec_runtime + sig->sum_sched_runtime;
	cpu->utime_ns = task->utime + sig->utime;
	cpu->stime_ns = task->stime + sig->stime;
}

static __always_inline __u64 group_start(struct task_struct *task)
{
	return task->group_leader->start_boottime;
}

/* start tracking task's thread group as a shell; counted when storage is
 * short; the entry, or NULL */
static __always_inline struct sw_tracked *track(struct task_struct *task,
						__u64 start_ns)
{
	struct sw_tracked *t;

	t = bpf_task_storage_get(&tracked, task->group_leader, 0,
				 BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!t) {
		stat_inc(SW_STAT_TRACK_FULL);
		return NULL;
	}
	t->start_ns = start_ns;
	t->coarse = 0;
	t->kind = SW_TRACK_SHELL;
	return t;
}

/*
 * the tracked entry of task's thread group, or NULL. Most tasks carry no
 * BPF task storage at all: one load tells, without the helper call that
 * untracked forks, exits and execs would otherwise pay
 */
static __always_inline struct sw_tracked *tracked_of(struct task_struct *task)
{
	struct task_struct *leader = task->group_leader;

	if (bpf_core_field_exists(leader->bpf_storage) && !leader->bpf_storage)
		return NULL;
	return bpf_task_storage_get(&tracked, leader, 0, 0);
}

static __always_inline void untrack(struct task_struct *task)
{
	bpf_task_storage_delete(&tracked, task->group_leader);
}

/*
 * fork and exit records wait for the daemon's next wake-up (an exec
 * record, or its 250 ms tick): a wake-up is an IPI, costly in a VM
 */
static __always_inline void send_proc(struct sw_proc_event *ev)
{
	wake_owed = 1;
	if (bpf_ringbuf_output(&events, ev, sizeof(*ev), BPF_RB_NO_WAKEUP))
		stat_inc(SW_STAT_LOST_PROC);
}

/* a tracked shell exec'd something else: its windows end here */
static __always_inline void send_exec_away(struct task_struct *task)
{
	__u32 pid = task->tgid;
	struct sw_proc_event ev;

	__builtin_memset(&ev, 0, sizeof(ev));
	ev.type = SW_EVENT_EXEC_AWAY;
	ev.pid = pid;
	ev.time_ns = bpf_ktime_get_boot_ns();
	ev.start_ns = group_start(task);
	read_cpu(task, &ev.cpu);
	/* the shell's memory is gone; exec folded its peak into maxrss */
	ev.maxrss_pages = task->signal->maxrss;
	bpf_get_current_comm(&ev.comm, sizeof(ev.comm));
	send_proc(&ev);
}

/* the same, and it is tracked no more (no trail) */
static __always_inline void exec_away(struct task_struct *task)
{
	untrack(task);
	send_exec_away(task);
}

#endif /* SHELLWATCH_TASK_BPF_H */
