// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * shellwatch kernel side: classify every exec at sched_process_exec and send
 * one record per shell through a ring buffer. A non-shell exec whose binary
 * was judged costs its inode's identity, a look at the CPU's memo (else one
 * verdict lookup), comm's two-byte filter and one load for task storage,
 * and never reaches user space.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "shellwatch.h"
#include "stats.h"
#include "core_fixes.bpf.h"
#include "maps.bpf.h"
#include "classify.bpf.h"
#include "capture.bpf.h"
#include "task.bpf.h"
#include "cgroupns.bpf.h"
#include "trail.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

SEC("tp_btf/sched_process_exec")
int BPF_PROG(handle_exec, struct task_struct *task, pid_t old_pid,
	     struct linux_binprm *bprm)
{
	struct fs_struct *fs, *parent_fs;
	struct task_struct *parent;
	struct tty_struct *tty;
	struct sw_tracked *t;
	struct exec_buf *b;
	struct file *pexe;
	__u32 zero = 0, flags = 0, match, off = 0, depth = 0, in_trail = 0;
	__u32 exe_root = 0, cwd_root = 0, pexe_root = 0;
	struct cls_out o;
	__u64 size, now;

	stat_inc(SW_STAT_EXECS);
	__builtin_memset(&o, 0, sizeof(o));
	match = classify(task, bprm, &flags, &o);
	t = tracked_of(task);
	/* a thread exec'd: it has the leader's place, not its storage */
	if (!t && old_pid != task->pid)
		t = take_over(task);
	/* outside a session, a non-shell costs no more than this */
	if (match == SW_MATCH_NONE && !t)
		return 0;
	now = bpf_ktime_get_boot_ns();
	/*
	 * a candidate may be no shell: in a session it is one of its
	 * commands until the daemon says otherwise, and tracked as a shell
	 * only once judged one
	 */
	if ((match == SW_MATCH_NONE || match == SW_MATCH_CANDIDATE) && t)
		in_trail = trail_command(task, t, now, &depth);
	if (match == SW_MATCH_NONE && !in_trail)
		return 0;

	b = bpf_map_lookup_elem(&scratch, &zero);
	if (!b)
		return 0;
	__builtin_memset(&b->e, 0, sizeof(b->e));
	b->e.type = match == SW_MATCH_NONE ? SW_EVENT_COMMAND : SW_EVENT_EXEC;
	b->e.exec_ns = now;
	b->e.match = match;
	b->e.flags = flags;
	b->e.nlink = bprm->file->f_inode->i_nlink;
	b->e.argc = bprm->argc;
	b->e.key = o.key;
	b->e.family = o.family;
	b->e.name_match = o.name_match;
	b->e.fs_magic = bprm->file->f_inode->i_sb->s_magic;
	__builtin_memcpy(b->e.shell, o.shell, sizeof(b->e.shell));
	fill_ids(&b->e, task);
	group_read(task->signal, &b->e.cpu);
	b->e.rss_pages = mm_rss_pages(BPF_CORE_READ(task, mm));
	if (match == SW_MATCH_NONE || match == SW_MATCH_CANDIDATE) {
		/* trail_command() admitted the command */
		if (t && in_trail) {
			trail_fill(&b->e, t, depth);
			trail_become(t, b->e.pid, b->e.start_ns, now, depth);
		}
	} else {
		/* a shell started in a session is one of its commands too */
		if (t && trail_on) {
			depth = trail_depth_of(t);
			if (!trail_too_deep(t, depth)) {
				trail_fill(&b->e, t, depth);
				if (trail_admit(&t->trail, now))
					stat_inc(SW_STAT_COMMANDS);
				else
					b->e.flags |= SW_F_TRAIL_DROPPED;
			}
		}
		t = track(task, b->e.start_ns, &b->e.flags);
		if (t)
			trail_start(t, &b->e);
	}

	if (bprm->filename != bprm->interp)
		b->e.flags |= SW_F_SCRIPT;
	off = put_str(b, off, SW_STR_FILENAME, bprm->filename,
		      SW_FILENAME_MAX, SW_F_FILENAME_TRUNC);
	if (b->e.flags & SW_F_SCRIPT)
		off = put_str(b, off, SW_STR_INTERP,
			      bprm->interp, SW_INTERP_MAX,
			      SW_F_INTERP_TRUNC);
	fs = BPF_CORE_READ(task, fs);
	off = put_fspath(b, off, SW_STR_EXE, &bprm->file->f_path, &fs->root,
			 SW_EXE_MAX, SW_F_EXE_TRUNC, &exe_root);
	off = put_fspath(b, off, SW_STR_CWD, &fs->pwd, &fs->root, SW_CWD_MAX,
			 SW_F_CWD_TRUNC, &cwd_root);
	parent = BPF_CORE_READ(task, real_parent);
	pexe = BPF_CORE_READ(parent, mm, exe_file);
	parent_fs = BPF_CORE_READ(parent, fs);
	/* the parent's path is walked to its own root, in its namespace */
	if (pexe && parent_fs)
		off = put_fspath(b, off, SW_STR_PARENT_EXE, &pexe->f_path,
				 &parent_fs->root, SW_PARENT_EXE_MAX,
				 SW_F_PARENT_EXE_TRUNC, &pexe_root);
	/* whose view the paths are: the host's, or another's */
	if (host_root_mnt) {
		b->e.flags |= SW_F_VIEW;
		b->e.parent_mntns = BPF_CORE_READ(parent, nsproxy, mnt_ns,
						  ns.inum);
		if (exe_root && cwd_root && host_root(fs, b->e.mntns))
			b->e.flags |= SW_F_HOST_VIEW;
		if (pexe_root && host_root(parent_fs, b->e.parent_mntns))
			b->e.flags |= SW_F_PARENT_HOST_VIEW;
	}
	tty = BPF_CORE_READ(task, signal, tty);
	if (tty) {
		b->e.flags |= SW_F_TTY;
		off = put_str(b, off, SW_STR_TTY, tty->name, SW_TTY_MAX, 0);
	}
	off = put_cgroup(b, off, SW_STR_CGROUP,
			 BPF_CORE_READ(task, cgroups, dfl_cgrp),
			 SW_F_CGROUP_TRUNC, SW_F_CGROUP_DEEP);
	off = put_cgroup(b, off, SW_STR_CGROUP_V1, v1_cgroup(task),
			 SW_F_CGROUP_V1_TRUNC, SW_F_CGROUP_V1_DEEP);
	off = put_argv(b, off, task);

	if (match == SW_MATCH_CANDIDATE)
		stat_inc(SW_STAT_CANDIDATES);
	else if (match != SW_MATCH_NONE)
		stat_inc(SW_STAT_SHELLS);
	/* the strings' maxima add up to less than SW_DATA_MASK */
	size = SW_EXEC_HDR_SIZE + off;
	if (size > sizeof(*b))
		size = sizeof(*b);
	/* keep the bound where the verifier sees it */
	barrier_var(size);
	if (size > sizeof(*b))
		return 0;
	/* commands wait for the next wake-up, as fork and exit records do */
	if (match == SW_MATCH_NONE) {
		wake_owed = 1;
		if (bpf_ringbuf_output(&events, b, size, lazy_wakeup()))
			stat_inc(SW_STAT_LOST_COMMAND);
		else
			stat_inc(SW_STAT_COMMANDS);
		return 0;
	}
	/*
	 * the adaptive wake-up skips a record when others wait unread before
	 * it: after fork or exit records, which wake nobody, force one
	 */
	flags = wake_owed ? BPF_RB_FORCE_WAKEUP : 0;
	wake_owed = 0;
	if (bpf_ringbuf_output(&events, b, size, flags))
		/* a candidate may be no shell: its loss is counted apart */
		stat_inc(match == SW_MATCH_CANDIDATE ? SW_STAT_LOST_CANDIDATE :
						       SW_STAT_LOST_RINGBUF);
	else
		stat_max(SW_STAT_RB_HIGH,
			 bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA));
	if (match == SW_MATCH_CANDIDATE) {
		cand_charge(size);
		if (in_trail)
			stat_inc(SW_STAT_COMMANDS);
	}
	return 0;
}

/* a fork of a tracked shell runs shell code: track the child too */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(handle_fork, struct task_struct *parent, struct task_struct *child)
{
	/* tp_btf arguments are trusted: plain loads, no helper calls */
	__u32 ppid = parent->tgid;
	__u32 pid = child->tgid;
	struct sw_proc_event ev;
	struct sw_tracked *t, *c;

	/* a new thread is no new process */
	if (pid != child->pid)
		return 0;
	t = tracked_of(parent);
	if (!t)
		return 0;
	if (t->kind == SW_TRACK_TRAIL) {
		trail_fork(child, t);
		return 0;
	}
	__builtin_memset(&ev, 0, sizeof(ev));
	ev.type = SW_EVENT_FORK;
	ev.pid = pid;
	ev.ppid = ppid;
	ev.time_ns = bpf_ktime_get_boot_ns();
	ev.start_ns = child->start_boottime;
	ev.parent_start_ns = t->start_ns;
	c = track(child, ev.start_ns, NULL);
	/* not tracked (counted): no windows or exit, so no fork record */
	if (!c)
		return 0;
	/* a fork's exec_id repeats its start; its session is its parent's */
	c->id_ns = ev.start_ns;
	c->trail = t->trail;
	send_proc(&ev);
	return 0;
}

/* the last thread of a tracked process ends */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(handle_exit, struct task_struct *task)
{
	__u32 pid = task->tgid;
	struct sw_proc_event ev;
	struct sw_proc_event *d;
	struct mm_struct *mm;
	struct sw_tracked *t;
	__u64 hiwater;
	__u32 kind;

	t = tracked_of(task);
	if (!t)
		return 0;
	/* signal->live drops to 0 before this tracepoint for the last thread */
	if (task->signal->live.counter) {
		if (task != task->group_leader)
			return 0;
		/* a thread's exec may take the leader's place */
		hand_over(task, t);
		/* a thread's exec kills the leader, and frees its storage */
		if (exec_kills_leader(task))
			untrack(task);
		return 0;
	}
	kind = t->kind;
	__builtin_memset(&ev, 0, sizeof(ev));
	ev.pid = pid;
	/* the entry names the session: its counters before it goes */
	trail_counts(&ev, t);
	hand_over_end(pid, t);
	/* its place in the map goes back, whatever its kind */
	untrack(task);
	/* a trail process ends unrecorded */
	if (kind != SW_TRACK_SHELL)
		return 0;
	ev.type = SW_EVENT_EXIT;
	ev.time_ns = bpf_ktime_get_boot_ns();
	ev.start_ns = group_start(task);
	ev.exit_code = task->exit_code;
	/* without its last slice: handle_switch sends it with it */
	group_read(task->signal, &ev.cpu);
	/* the memory may be gone already, depending on the kernel */
	mm = BPF_CORE_READ(task, mm);
	ev.rss_pages = mm_rss_pages(mm);
	ev.maxrss_pages = task->signal->maxrss;
	hiwater = mm ? BPF_CORE_READ(mm, hiwater_rss) : 0;
	if (ev.rss_pages > hiwater)
		hiwater = ev.rss_pages;
	if (hiwater > ev.maxrss_pages)
		ev.maxrss_pages = hiwater;
	d = bpf_task_storage_get(&dying, task, 0,
				 BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!d) {
		send_proc(&ev);
		return 0;
	}
	*d = ev;
	return 0;
}

#ifndef PF_EXITING
#define PF_EXITING	0x00000004
#endif
#ifndef TASK_DEAD
#define TASK_DEAD	0x00000080
#endif

/*
 * a task leaves the CPU: a dead one for the last time. Its last slice is
 * in sum_exec_runtime now (the dequeue updated it), not at its exit
 * tracepoint, so a shell that lived a few ms is counted whole.
 */
SEC("tp_btf/sched_switch")
int BPF_PROG(handle_switch, bool preempt, struct task_struct *prev,
	     struct task_struct *next)
{
	struct sw_proc_event *d;

	/* every context switch comes here: one load and out */
	if (!(prev->flags & PF_EXITING) || prev->__state != TASK_DEAD)
		return 0;
	d = bpf_task_storage_get(&dying, prev, 0, 0);
	if (!d)
		return 0;
	group_read(prev->signal, &d->cpu);
	send_proc(d);
	bpf_task_storage_delete(&dying, prev);
	return 0;
}

/* a task is freed: one load, unless it carries BPF task storage */
SEC("tp_btf/sched_process_free")
int BPF_PROG(handle_free, struct task_struct *task)
{
	release_orphan(task);
	return 0;
}

/*
 * the window sampler: one record per tracked process, at its leader, with
 * the whole group read at once. Threads read one by one as the walk met
 * them lost or doubled one that died in between (its counters moved to
 * the signal's totals), and a zombie leader has no memory of its own.
 */
SEC("iter/task")
int sample_tasks(struct bpf_iter__task *ctx)
{
	struct seq_file *seq = ctx->meta->seq;
	struct task_struct *task = ctx->task;
	struct sw_sample s = {};
	struct sw_tracked *t;
	__u32 pid;

	if (!task)
		return 0;
	pid = task->tgid;
	if (task->pid != pid)
		return 0;
	t = tracked_of(task);
	/* commands have no windows */
	if (!t || t->kind != SW_TRACK_SHELL)
		return 0;
	s.pid = pid;
	s.tid = pid;
	s.leader = 1;
	s.start_ns = group_start(task);
	s.rss_pages = mm_rss_pages(group_read(task->signal, &s.cpu));
	bpf_seq_write(seq, &s, sizeof(s));
	return 0;
}

/*
 * the reader's cgroup namespace root, once per read: "2\0" and the v2
 * components, then "1\0" and the chosen v1 hierarchy's (see cgroupns.bpf.h)
 */
SEC("iter/task")
int cgroupns_root(struct bpf_iter__task *ctx)
{
	struct task_struct *task = ctx->task;
	struct ns_walk w = { .seq = ctx->meta->seq };
	struct kernfs_node *v1;
	struct css_set *cset;

	/* the reader runs the program: only its own thread counts */
	if (!task || BPF_CORE_READ(task, pid) != (__u32)bpf_get_current_pid_tgid())
		return 0;
	cset = BPF_CORE_READ(task, nsproxy, cgroup_ns, root_cset);
	if (!cset)
		return 0;
	cgns_put(&w, "2", BPF_CORE_READ(cset, dfl_cgrp, kn));
	v1 = cset_v1_kernfs(cset);
	if (v1)
		cgns_put(&w, "1", v1);
	return 0;
}

/* the reader's ancestors are walked this far to find pid 1 */
#define HOST_VIEW_DEPTH		64

/*
 * the host's view, once at start: the root and mount namespace of pid 1
 * of the initial pid namespace (the node's init), found as the reader's
 * farthest ancestor: real_parent leads there across pid namespaces, with
 * or without hostPID. The exec program compares walkers' roots with it; the record
 * written here gives user space the same facts by number.
 */
SEC("iter/task")
int host_view(struct bpf_iter__task *ctx)
{
	struct task_struct *task = ctx->task, *t;
	struct sw_host_view v = {};
	struct fs_struct *fs;
	struct vfsmount *mnt;
	struct dentry *root;
	int i;

	/* the reader runs the program: only its own thread counts */
	if (!task || BPF_CORE_READ(task, pid) != (__u32)bpf_get_current_pid_tgid())
		return 0;
	t = task;
	/*
	 * tgid is the pid in the initial namespace; real_parent is the thread
	 * that forked, not always its group's leader
	 */
	for (i = 0; i < HOST_VIEW_DEPTH && t && BPF_CORE_READ(t, tgid) != 1; i++)
		t = BPF_CORE_READ(t, real_parent);
	if (!t || BPF_CORE_READ(t, tgid) != 1)
		return 0;
	fs = BPF_CORE_READ(t, fs);
	if (!fs)
		return 0;
	mnt = BPF_CORE_READ(fs, root.mnt);
	root = BPF_CORE_READ(fs, root.dentry);
	if (!mnt || !root)
		return 0;
	v.mntns = BPF_CORE_READ(t, nsproxy, mnt_ns, ns.inum);
	v.root_mnt_id = BPF_CORE_READ(container_of(mnt, struct mount, mnt),
				      mnt_id);
	v.root_ino = BPF_CORE_READ(root, d_inode, i_ino);
	v.root_dev = BPF_CORE_READ(root, d_sb, s_dev);
	host_mntns = v.mntns;
	host_root_dentry = (__u64)root;
	host_root_mnt = (__u64)mnt;
	bpf_seq_write(ctx->meta->seq, &v, sizeof(v));
	return 0;
}

#include "debug.bpf.h"
