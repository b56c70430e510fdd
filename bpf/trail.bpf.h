/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Session trails: what a tracked shell session execs. A shell and its forks
 * are SW_TRACK_SHELL; when one of them execs a non-shell, the process turns
 * SW_TRACK_TRAIL and so do its descendants: they get no windows, forks or
 * exits, only a command record at each exec, within the session's bounds.
 * Processes outside a session pay nothing here: their task storage lookup
 * fails before any of this runs.
 */
#ifndef SHELLWATCH_TRAIL_BPF_H
#define SHELLWATCH_TRAIL_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "maps.bpf.h"
#include "task.bpf.h"

/* set by user space before load: --trail, --trail-rate, -max, -depth */
const volatile __u32 trail_on = 1;
const volatile __u32 trail_rate = 50;
const volatile __u32 trail_max = 1000;
const volatile __u32 trail_depth = 0;

#define SW_TRAIL_WINDOW_NS	1000000000ULL

/*
 * each session's bounds; the least recently used go first, so a session
 * forgotten under 16384 newer ones starts its bounds again
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, SW_SESSIONS_MAX);
	__type(key, struct sw_session_key);
	__type(value, struct sw_session);
} sessions SEC(".maps");

static __always_inline struct sw_session *session_of(const struct sw_trail *t)
{
	struct sw_session_key key = {
		.start_ns = t->sess_start_ns,
		.exec_ns = t->sess_exec_ns,
		.pid = t->sess_pid,
	};
	struct sw_session zero = {}, *s;

	s = bpf_map_lookup_elem(&sessions, &key);
	if (s)
		return s;
	bpf_map_update_elem(&sessions, &key, &zero, BPF_NOEXIST);
	return bpf_map_lookup_elem(&sessions, &key);
}

/*
 * whether the session may send one more command record; counted either
 * way. Racing CPUs may pass a bound by one each.
 */
static __always_inline int trail_admit(const struct sw_trail *t, __u64 now)
{
	struct sw_session *s = session_of(t);

	if (!s)
		return 1;
	if (trail_max && s->sent >= trail_max) {
		__sync_fetch_and_add(&s->over_count, 1);
		stat_inc(SW_STAT_TRAIL_COUNT);
		return 0;
	}
	if (trail_rate) {
		if (now - s->win_ns >= SW_TRAIL_WINDOW_NS) {
			s->win_ns = now;
			s->win_count = 0;
		}
		if (s->win_count >= trail_rate) {
			__sync_fetch_and_add(&s->over_rate, 1);
			stat_inc(SW_STAT_TRAIL_RATE);
			return 0;
		}
		__sync_fetch_and_add(&s->win_count, 1);
	}
	__sync_fetch_and_add(&s->sent, 1);
	return 1;
}

/*
 * an end record (exit, exec-away) of t's process: when it is its
 * session's shell, the session's counters as they stand now, so that the
 * daemon has them with no look-up of its own. A fork's session is its
 * parent's, and a session that ran no command has no entry: no counters.
 */
static __always_inline void trail_counts(struct sw_proc_event *ev,
					 const struct sw_tracked *t)
{
	struct sw_session_key key = {
		.start_ns = t->trail.sess_start_ns,
		.exec_ns = t->trail.sess_exec_ns,
		.pid = t->trail.sess_pid,
	};
	struct sw_session *s;

	if (!trail_on || t->kind != SW_TRACK_SHELL ||
	    key.pid != ev->pid || key.start_ns != t->start_ns ||
	    key.exec_ns != t->id_ns)
		return;
	s = bpf_map_lookup_elem(&sessions, &key);
	if (!s)
		return;
	ev->session = *s;
	ev->flags |= SW_P_SESSION;
}

/* a session's shell (or its fork) exec'd a non-shell: its end record */
static __always_inline void trail_exec_away(struct task_struct *task,
					    const struct sw_tracked *t)
{
	struct sw_proc_event ev;

	exec_away_fill(task, &ev);
	trail_counts(&ev, t);
	send_proc(&ev);
}

/* the depth an exec by t's process has: the shell's own are 1 */
static __always_inline __u32 trail_depth_of(const struct sw_tracked *t)
{
	return t->kind == SW_TRACK_SHELL ? 1 : t->trail.depth + 1;
}

/* past --trail-depth: counted in the session, not followed */
static __always_inline int trail_too_deep(const struct sw_tracked *t,
					  __u32 depth)
{
	struct sw_session *s;

	if (!trail_depth || depth <= trail_depth)
		return 0;
	s = session_of(&t->trail);
	if (s)
		__sync_fetch_and_add(&s->too_deep, 1);
	return 1;
}

/* place an exec record in t's session */
static __always_inline void trail_fill(struct sw_exec_event *e,
				       const struct sw_tracked *t, __u32 depth)
{
	e->trail = t->trail;
	e->trail.depth = depth;
	e->flags |= SW_F_TRAIL;
	if (t->kind == SW_TRACK_SHELL) {
		e->flags |= SW_F_TRAIL_FORK;
		e->trail.fork_start_ns = t->start_ns;
		e->trail.fork_id_ns = t->id_ns;
	}
}

/* t's process runs a command now: its descendants descend from it */
static __always_inline void trail_become(struct sw_tracked *t, __u32 pid,
					 __u64 start_ns, __u64 exec_ns,
					 __u32 depth)
{
	t->kind = SW_TRACK_TRAIL;
	t->trail.depth = depth;
	t->trail.fork_start_ns = 0;
	t->trail.fork_id_ns = 0;
	t->trail.cmd_pid = pid;
	t->trail.cmd_start_ns = start_ns;
	t->trail.cmd_exec_ns = exec_ns;
}

/* a shell exec'd: it starts its own session */
static __always_inline void trail_start(struct sw_tracked *t,
					const struct sw_exec_event *e)
{
	t->kind = SW_TRACK_SHELL;
	t->id_ns = e->exec_ns;
	__builtin_memset(&t->trail, 0, sizeof(t->trail));
	t->trail.sess_pid = e->pid;
	t->trail.sess_start_ns = e->start_ns;
	t->trail.sess_exec_ns = e->exec_ns;
	t->trail.sess_uid = e->uid;
	t->trail.sess_gid = e->gid;
	t->trail.sess_euid = e->euid;
	t->trail.sess_egid = e->egid;
}

/*
 * a session's process exec'd a non-shell: 1 when a command record is to
 * be sent. A shell (or its fork) still ends its windows with an exec-away
 * record; over the bounds the process stays in the trail, unrecorded.
 */
static __always_inline int trail_command(struct task_struct *task,
					 struct sw_tracked *t, __u64 now,
					 __u32 *depth)
{
	int admit;

	if (!trail_on) {
		exec_away(task);
		return 0;
	}
	*depth = trail_depth_of(t);
	if (trail_too_deep(t, *depth)) {
		if (t->kind == SW_TRACK_SHELL)
			trail_exec_away(task, t);
		untrack(task);
		return 0;
	}
	/* before the exec-away: a session shell's end record counts this one */
	admit = trail_admit(&t->trail, now);
	if (t->kind == SW_TRACK_SHELL)
		trail_exec_away(task, t);
	if (!admit)
		trail_become(t, task->tgid, task->start_boottime, now, *depth);
	return admit;
}

/* a fork in the trail: the child inherits its parent's place, silently */
static __always_inline void trail_fork(struct task_struct *child,
				       const struct sw_tracked *t)
{
	struct sw_tracked *c;

	c = track_new(child, NULL);
	if (!c)
		return;
	*c = *t;
	c->start_ns = child->start_boottime;
}

#endif /* SHELLWATCH_TRAIL_BPF_H */
