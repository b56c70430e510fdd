/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Task accounting: CPU time, the tracked storage and fork/exit records. */
#ifndef SHELLWATCH_TASK_BPF_H
#define SHELLWATCH_TASK_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "maps.bpf.h"

/*
 * CPU time of sig's thread group as thread_group_cputime() reads it: the
 * totals of its released threads in the signal, and the counters of every
 * thread still on its list. That is right at any point of any thread's
 * death: a thread leaves the list and its counters join the totals when
 * it is released (__exit_signal(), under the stats_lock seqlock), and not
 * before, so a zombie leader waiting for its group, a traced zombie and a
 * dead task not reaped yet count from the list, a reaped one from the
 * totals, each once. A read a writer crossed is taken again, a few times
 * (BPF takes no locks; the loads keep their order on x86-64, so a compiler
 * barrier is the read barrier). The first thread on the list with memory
 * gives its mm (NULL when none has).
 */
#define GROUP_READ_TRIES	4
/* threads walked at most: past them a group reads less CPU than it used */
#define GROUP_THREADS_MAX	65536
#ifndef barrier
#define barrier()	asm volatile("" ::: "memory")
#endif
#ifndef READ_ONCE
#define READ_ONCE(x)	(*(const volatile __typeof__(x) *)&(x))
#endif

/* the state of a walk of a thread list, carried across bpf_loop() steps */
struct group_walk {
	__u64 head;		/* &signal->thread_head: the end */
	__u64 node;		/* the next thread's thread_node */
	__u64 off;		/* offsetof(struct task_struct, thread_node) */
	__u64 mm;
	struct sw_cpu cpu;
};

/* bpf_loop callback: add one thread's counters */
static long group_step(__u32 i, void *data)
{
	struct group_walk *w = data;
	struct task_struct *t;

	if (!w->node || w->node == w->head)
		return 1;
	t = (struct task_struct *)(w->node - w->off);
	w->cpu.runtime_ns += BPF_CORE_READ(t, se.sum_exec_runtime);
	w->cpu.utime_ns += BPF_CORE_READ(t, utime);
	w->cpu.stime_ns += BPF_CORE_READ(t, stime);
	if (!w->mm)
		w->mm = (__u64)BPF_CORE_READ(t, mm);
	w->node = (__u64)BPF_CORE_READ(t, thread_node.next);
	return 0;
}

static __always_inline struct mm_struct *group_read(struct signal_struct *sig,
						    struct sw_cpu *cpu)
{
	struct group_walk w = {};
	unsigned int seq, again;
	int i;

	for (i = 0; i < GROUP_READ_TRIES; i++) {
		seq = READ_ONCE(sig->stats_lock.seqcount.seqcount.sequence);
		barrier();
		w.head = (__u64)&sig->thread_head;
		w.node = (__u64)BPF_CORE_READ(sig, thread_head.next);
		w.off = bpf_core_field_offset(struct task_struct, thread_node);
		w.mm = 0;
		w.cpu.runtime_ns = sig->sum_sched_runtime;
		w.cpu.utime_ns = sig->utime;
		w.cpu.stime_ns = sig->stime;
		bpf_loop(GROUP_THREADS_MAX, group_step, &w, 0);
		barrier();
		again = READ_ONCE(sig->stats_lock.seqcount.seqcount.sequence);
		if (!(seq & 1) && seq == again)
			break;
	}
	*cpu = w.cpu;
	return (struct mm_struct *)w.mm;
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
 * task, its group's leader, dies before the group, which is not exiting
 * as a whole: a thread's exec may make another thread the leader, so a
 * copy of the entry waits for it (take_over)
 */
#ifndef SIGNAL_GROUP_EXIT
#define SIGNAL_GROUP_EXIT	0x00000004
#endif

static __always_inline void hand_over(struct task_struct *task,
				      struct sw_tracked *t)
{
	__u32 tgid = task->tgid;

	if (task->signal->flags & SIGNAL_GROUP_EXIT)
		return;
	t->handed = 1;
	bpf_map_update_elem(&handover, &tgid, t, BPF_ANY);
}

/* the group ends: the copy it handed over has no use */
static __always_inline void hand_over_end(__u32 tgid,
					  const struct sw_tracked *t)
{
	if (t->handed)
		bpf_map_delete_elem(&handover, &tgid);
}

/*
 * task exec'd as a thread of its group and is the leader now: the entry
 * its old leader handed over, tracked on task; NULL when there is none
 * (or no place). The old leader's storage gives its place back when that
 * task is freed (release_orphan).
 */
static __always_inline struct sw_tracked *take_over(struct task_struct *task)
{
	__u32 tgid = task->tgid;
	struct sw_tracked *h, *t;

	h = bpf_map_lookup_elem(&handover, &tgid);
	if (!h)
		return NULL;
	/* de_thread() gave task the old leader's start: a reused pid has not */
	if (h->start_ns != task->start_boottime) {
		bpf_map_delete_elem(&handover, &tgid);
		return NULL;
	}
	t = track_new(task, NULL);
	if (t) {
		*t = *h;
		t->handed = 0;
	}
	bpf_map_delete_elem(&handover, &tgid);
	return t;
}

/*
 * a task is freed with an entry still on it: a leader whose place a
 * thread's exec took; the entry goes, and its place with it
 */
static __always_inline void release_orphan(struct task_struct *task)
{
	if (bpf_core_field_exists(task->bpf_storage) && !task->bpf_storage)
		return;
	if (!bpf_task_storage_delete(&tracked, task))
		__sync_fetch_and_add(&tracked_n, -1);
}

/*
 * fork and exit records wait for the daemon's next wake-up (an exec
 * record, or its 250 ms tick): a wake-up is an IPI, costly in a VM; a
 * half-full ring buffer wakes it all the same
 */
static __always_inline void send_proc(struct sw_proc_event *ev)
{
	wake_owed = 1;
	if (bpf_ringbuf_output(&events, ev, sizeof(*ev), lazy_wakeup()))
		stat_inc(SW_STAT_LOST_PROC);
}

/* a tracked shell exec'd something else: its windows end here */
static __always_inline void exec_away_fill(struct task_struct *task,
					   struct sw_proc_event *ev)
{
	__builtin_memset(ev, 0, sizeof(*ev));
	ev->type = SW_EVENT_EXEC_AWAY;
	ev->pid = task->tgid;
	ev->time_ns = bpf_ktime_get_boot_ns();
	ev->start_ns = group_start(task);
	group_read(task->signal, &ev->cpu);
	/* the shell's memory is gone; exec folded its peak into maxrss */
	ev->maxrss_pages = task->signal->maxrss;
	bpf_get_current_comm(&ev->comm, sizeof(ev->comm));
}

/* the same, sent, and it is tracked no more (no trail, no counters) */
static __always_inline void exec_away(struct task_struct *task)
{
	struct sw_proc_event ev;

	untrack(task);
	exec_away_fill(task, &ev);
	send_proc(&ev);
}

#endif /* SHELLWATCH_TASK_BPF_H */
