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

/*
 * the same for a task that has died (its last switch): once its parent
 * reaped it, or at once when nobody waits for it (SIGCHLD ignored, a
 * thread), __exit_signal() added its counters to the signal's and
 * detached its pid, both under stats_lock, and they count once. Read as
 * a reader of that seqlock does, retried a few times while a writer is in
 * it; the slice it ran after that is lost, a few microseconds at most.
 */
#define READ_CPU_TRIES	4
#ifndef barrier
#define barrier()	asm volatile("" ::: "memory")
#endif
#ifndef READ_ONCE
#define READ_ONCE(x)	(*(const volatile __typeof__(x) *)&(x))
#endif

static __always_inline void read_cpu_dead(struct task_struct *task,
					  struct sw_cpu *cpu)
{
	struct signal_struct *sig = task->signal;
	unsigned int seq, again;
	bool released = false;
	int i;

	for (i = 0; i < READ_CPU_TRIES; i++) {
		seq = READ_ONCE(sig->stats_lock.seqcount.seqcount.sequence);
		barrier();
		released = !READ_ONCE(task->thread_pid);
		cpu->runtime_ns = sig->sum_sched_runtime;
		cpu->utime_ns = sig->utime;
		cpu->stime_ns = sig->stime;
		barrier();
		again = READ_ONCE(sig->stats_lock.seqcount.seqcount.sequence);
		if (!(seq & 1) && seq == again)
			break;
	}
	if (released)
		return;
	cpu->runtime_ns += task->se.sum_exec_runtime;
	cpu->utime_ns += task->utime;
	cpu->stime_ns += task->stime;
}

static __always_inline __u64 group_start(struct task_struct *task)
{
	return task->group_leader->start_boottime;
}

/*
 * a place in the tracked map, within track_max; 0, or -1 at the cap
 * (counted). Taken before the storage is made, so racing CPUs never pass it.
 */
static __always_inline int track_reserve(void)
{
	if (__sync_fetch_and_add(&tracked_n, 1) >= track_max) {
		__sync_fetch_and_add(&tracked_n, -1);
		stat_inc(SW_STAT_TRACK_OVER);
		return -1;
	}
	return 0;
}

/*
 * the tracked entry of leader's thread group, made if it has none: NULL
 * at the cap or when the kernel has no memory for it, with the exec
 * record flag saying which in *why (when not NULL)
 */
static __always_inline struct sw_tracked *track_new(struct task_struct *leader,
						    __u32 *why)
{
	struct sw_tracked *t;

	t = bpf_task_storage_get(&tracked, leader, 0, 0);
	if (t)
		return t;
	if (track_reserve()) {
		if (why)
			*why |= SW_F_TRACK_OVER;
		return NULL;
	}
	t = bpf_task_storage_get(&tracked, leader, 0,
				 BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!t) {
		__sync_fetch_and_add(&tracked_n, -1);
		stat_inc(SW_STAT_TRACK_FULL);
		if (why)
			*why |= SW_F_TRACK_NOMEM;
	}
	return t;
}

/* start tracking task's thread group as a shell; NULL (and *why) when not */
static __always_inline struct sw_tracked *track(struct task_struct *task,
						__u64 start_ns, __u32 *why)
{
	struct sw_tracked *t;

	t = track_new(task->group_leader, why);
	if (!t)
		return NULL;
	t->start_ns = start_ns;
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

/*
 * whether task, a thread group leader, dies because another thread of its
 * group execs: de_thread() sets group_exec_task while it kills the others
 * (named so since v5.16, commit 60700e38fb68), then frees the leader
 */
static __always_inline int exec_kills_leader(struct task_struct *task)
{
	return BPF_CORE_READ(task, signal, group_exec_task) != NULL;
}

/* the entry goes, and its place with it (only if it was there) */
static __always_inline void untrack(struct task_struct *task)
{
	if (!bpf_task_storage_delete(&tracked, task->group_leader))
		__sync_fetch_and_add(&tracked_n, -1);
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
