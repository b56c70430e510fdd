// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * shellwatch kernel side: classify every exec at sched_process_exec and send
 * one record per shell through a ring buffer. A non-shell exec costs two
 * short string reads and three hash lookups (two names, and whether it was
 * a tracked shell), and never reaches user space.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "shellwatch.h"
#include "stats.h"
#include "core_fixes.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* fork or exit records wait in the ring buffer with no wake-up sent */
__u32 wake_owed;

/* cgroup v1 subsystem whose hierarchy is captured; -1 for none */
const volatile int cgroup_v1_subsys = -1;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 * 1024 * 1024);	/* resized by user space */
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, char[SW_NAME_LEN]);
	__type(value, __u8);
} shell_names SEC(".maps");

/*
 * shells and their forks, until they exit or exec a non-shell: storage on
 * the thread group leader, found without hashing and freed with the task,
 * so a reused pid never meets a stale entry
 */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct sw_tracked);
} tracked SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SW_STAT_COUNT);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

struct exec_buf {
	struct sw_exec_event e;
	char data[SW_DATA_SIZE + SW_DATA_SLACK];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct exec_buf);
} scratch SEC(".maps");

/* name keys and argv[0] bytes for classification */
struct name_buf {
	char key[SW_NAME_LEN * 2];
	__u32 key_is_binary;	/* key holds exactly the binary's name */
	char argv0[SW_ARGV0_MAX];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct name_buf);
} name_scratch SEC(".maps");

static __always_inline void stat_inc(__u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &idx);

	if (v)
		(*v)++;
}

static __always_inline void stat_max(__u32 idx, __u64 val)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &idx);

	if (v && *v < val)
		*v = val;
}

/* look a kernel string up in shell_names; 0 when absent or too long */
static __always_inline __u8 lookup_kname(struct name_buf *nb, const char *name)
{
	__u8 *kind;
	long n;

	__builtin_memset(nb->key, 0, sizeof(nb->key));
	n = bpf_probe_read_kernel_str(nb->key, sizeof(nb->key), name);
	if (n <= 0 || n > SW_NAME_LEN)
		return 0;
	kind = bpf_map_lookup_elem(&shell_names, nb->key);
	return kind ? *kind : 0;
}

/* keep the first len bytes of a little-endian word, zero the rest */
static __always_inline __u64 first_bytes(__u64 w, __u32 len)
{
	return len >= 8 ? w : w & ((1ULL << (len * 8)) - 1);
}

/*
 * the binary's name as a lookup key, read from the dentry's inline name
 * with plain loads: no helper call on the path every exec takes. A name
 * kept outside the dentry (long ones) goes through lookup_kname.
 */
static __always_inline __u8 lookup_dentry(struct name_buf *nb,
					  struct dentry *d)
{
	__u32 len = d->d_name.len;
	__u64 *key = (__u64 *)nb->key;
	__u8 *kind;

	nb->key_is_binary = 0;
	/* no shell or multi-call name is this long */
	if (len >= SW_NAME_LEN)
		return 0;
	if (!bpf_core_field_exists(d->d_shortname) ||
	    (void *)d->d_name.name != (void *)&d->d_shortname)
		return lookup_kname(nb, (const char *)d->d_name.name);
	nb->key_is_binary = 1;
	key[0] = first_bytes(d->d_shortname.words[0], len);
	key[1] = len > 8 ? first_bytes(d->d_shortname.words[1], len - 8) : 0;
	kind = bpf_map_lookup_elem(&shell_names, nb->key);
	return kind ? *kind : 0;
}

/*
 * comm as a lookup key: the kernel pads it with zeros. Most programs run
 * under their own name: when comm is the key just looked up (the binary's
 * name, still in nb->key), the answer is known without a second lookup.
 */
static __always_inline __u8 lookup_comm(struct name_buf *nb,
					struct task_struct *task, __u8 known)
{
	__u64 *key = (__u64 *)nb->key, comm[2];
	__u8 *kind;

	bpf_probe_read_kernel(comm, sizeof(comm), task->comm);
	if (nb->key_is_binary && comm[0] == key[0] && comm[1] == key[1])
		return known;
	key[0] = comm[0];
	key[1] = comm[1];
	kind = bpf_map_lookup_elem(&shell_names, nb->key);
	return kind ? *kind : 0;
}

struct applet_scan {
	struct name_buf *nb;
	__u32 base;	/* first byte of the basename */
	__u32 end;	/* the terminating NUL */
};

/* bpf_loop callback: find the NUL and the last '/' of nb->argv0 */
static long applet_scan_char(__u32 i, void *data)
{
	struct applet_scan *s = data;
	char c;

	if (i >= SW_ARGV0_MAX)
		return 1;
	c = s->nb->argv0[i];
	if (!c) {
		s->end = i;
		return 1;
	}
	if (c == '/')
		s->base = i + 1;
	return 0;
}

/* bpf_loop callback: copy the basename into nb->key */
static long applet_copy_char(__u32 i, void *data)
{
	struct applet_scan *s = data;
	__u32 j = s->base + i;

	if (j >= s->end || i >= SW_NAME_LEN - 1)
		return 1;
	/* the compiler drops a mask it can prove; the verifier needs it */
	barrier_var(i);
	s->nb->key[i & (SW_NAME_LEN - 1)] = s->nb->argv0[j & (SW_ARGV0_MAX - 1)];
	return 0;
}

/*
 * read the user string at uptr (an argv element), put its basename into
 * nb->key and return the element's length with its NUL, or 0. The loops
 * run in bpf_loop() so the verifier checks each body once.
 */
static __always_inline __u32 applet_key(struct name_buf *nb, __u64 uptr)
{
	struct applet_scan s = { .nb = nb };
	long n;

	n = bpf_probe_read_user_str(nb->argv0, sizeof(nb->argv0),
				    (const void *)uptr);
	/* an element that fills the buffer is too long to be an applet */
	if (n <= 0 || n >= SW_ARGV0_MAX)
		return 0;
	bpf_loop(SW_ARGV0_MAX, applet_scan_char, &s, 0);
	/* an element too long to hold a basename here is no shell name */
	if (!s.end || s.end - s.base >= SW_NAME_LEN)
		return 0;
	__builtin_memset(nb->key, 0, sizeof(nb->key));
	bpf_loop(SW_NAME_LEN, applet_copy_char, &s, 0);
	return s.end + 1;
}

static __always_inline __u8 lookup_key(struct name_buf *nb)
{
	__u8 *kind = bpf_map_lookup_elem(&shell_names, nb->key);

	return kind ? *kind : 0;
}

/* decide whether this exec runs a shell; returns enum sw_match */
static __always_inline __u32 classify(struct task_struct *task,
				      struct linux_binprm *bprm, __u32 *flags)
{
	struct name_buf *nb;
	__u32 zero = 0, len;
	__u64 arg;
	__u8 kind;

	nb = bpf_map_lookup_elem(&name_scratch, &zero);
	if (!nb)
		return SW_MATCH_NONE;

	/* the binary the exec resolved to: catches symlinks and fd execs */
	kind = lookup_dentry(nb, bprm->file->f_path.dentry);
	if (kind == SW_NAME_SHELL)
		return SW_MATCH_BINARY;
	if (kind == SW_NAME_MULTICALL) {
		*flags |= SW_F_MULTICALL;
		arg = task->mm->arg_start;
		len = applet_key(nb, arg);
		if (!len)
			return SW_MATCH_NONE;
		kind = lookup_key(nb);
		if (kind == SW_NAME_SHELL)
			return SW_MATCH_APPLET;
		/* "busybox sh -c ...": the applet is argv[1], if there is one */
		if (kind == SW_NAME_MULTICALL &&
		    arg + len < task->mm->arg_end && applet_key(nb, arg + len) &&
		    lookup_key(nb) == SW_NAME_SHELL)
			return SW_MATCH_APPLET;
		return SW_MATCH_NONE;
	}

	/* comm is the basename of the invoked path at this point */
	if (lookup_comm(nb, task, kind) == SW_NAME_SHELL)
		return SW_MATCH_INVOKED;

	/* a fileless binary has no trustworthy name: argv[0] counts too */
	if (!bprm->file->f_inode->i_nlink) {
		*flags |= SW_F_FILELESS;
		if (applet_key(nb, task->mm->arg_start) &&
		    lookup_key(nb) == SW_NAME_SHELL)
			return SW_MATCH_ARGV0;
	}
	return SW_MATCH_NONE;
}

/* append a kernel string to the record; returns the new data offset */
static __always_inline __u32 put_str(struct exec_buf *b, __u32 off, int idx,
				     const char *src, __u32 max, __u32 trunc)
{
	long n;

	if (!src || off > SW_DATA_SIZE)
		return off;
	n = bpf_probe_read_kernel_str(&b->data[off & SW_DATA_MASK], max, src);
	if (n <= 0)
		return off;
	if (n == max)
		b->e.flags |= trunc;
	b->e.len[idx & 15] = n;
	return off + n;
}

/* the state of a path walk, carried across bpf_loop() steps */
struct walk {
	struct exec_buf *b;
	__u64 node;		/* struct dentry *, or struct kernfs_node * */
	__u64 mnt;		/* struct mount * of node */
	__u64 root_dentry;	/* the task's root: the walk stops there */
	__u64 root_mnt;		/* struct vfsmount * of the task's root */
	__u32 start;		/* where in data the components begin */
	__u32 off;		/* where the next component goes */
	__u32 max;		/* most bytes for the components */
	__u32 trunc;		/* flag to set when the path is cut */
	__u32 done;		/* the walk reached its top */
};

/* append one component name; 0 to go on, 1 when out of room */
static __always_inline long walk_put(struct walk *w, const char *name)
{
	struct exec_buf *b = w->b;
	__u32 off = w->off;
	long n;

	if (off - w->start + SW_COMPONENT_MAX > w->max || off > SW_DATA_SIZE) {
		b->e.flags |= w->trunc;
		w->done = 1;
		return 1;
	}
	n = bpf_probe_read_kernel_str(&b->data[off & SW_DATA_MASK],
				      SW_COMPONENT_MAX, name);
	if (n <= 0) {
		w->done = 1;
		return 1;
	}
	w->off = off + n;
	return 0;
}

/*
 * bpf_loop callback: one step up a path. The walk crosses mount points and
 * stops at the task's root, as d_path() does (chroot, containers).
 */
static long path_step(__u32 i, void *data)
{
	struct walk *w = data;
	struct dentry *dentry = (struct dentry *)w->node;
	struct mount *mnt = (struct mount *)w->mnt;
	struct dentry *parent;

	if ((__u64)dentry == w->root_dentry &&
	    (__u64)&mnt->mnt == w->root_mnt) {
		w->done = 1;
		return 1;
	}
	if (dentry == BPF_CORE_READ(mnt, mnt.mnt_root)) {
		struct mount *mnt_parent = BPF_CORE_READ(mnt, mnt_parent);

		/* the root of the mount tree */
		if (mnt_parent == mnt) {
			w->done = 1;
			return 1;
		}
		w->node = (__u64)BPF_CORE_READ(mnt, mnt_mountpoint);
		w->mnt = (__u64)mnt_parent;
		return 0;
	}
	parent = BPF_CORE_READ(dentry, d_parent);
	/* the root of a pseudo file system (memfd:x): its name is all there is */
	if (parent == dentry) {
		w->done = 1;
		walk_put(w, (const char *)BPF_CORE_READ(dentry, d_name.name));
		return 1;
	}
	if (walk_put(w, (const char *)BPF_CORE_READ(dentry, d_name.name)))
		return 1;
	w->node = (__u64)parent;
	return 0;
}

/* bpf_loop callback: one step up a cgroup's kernfs tree, root left out */
static long kernfs_step(__u32 i, void *data)
{
	struct walk *w = data;
	struct kernfs_node *kn = (struct kernfs_node *)w->node;
	struct kernfs_node *parent = kernfs_parent(kn);

	if (!parent) {
		w->done = 1;
		return 1;
	}
	if (walk_put(w, BPF_CORE_READ(kn, name)))
		return 1;
	w->node = (__u64)parent;
	return 0;
}

/*
 * close a walk: a path with no component (the root) is sent as one empty
 * component, so that it differs from an absent path
 */
static __always_inline __u32 walk_end(struct walk *w, int idx)
{
	struct exec_buf *b = w->b;
	__u32 off = w->off;

	if (!w->done)
		b->e.flags |= w->trunc;
	if (off == w->start && off <= SW_DATA_SIZE) {
		b->data[off & SW_DATA_MASK] = '\0';
		off++;
	}
	b->e.len[idx & 15] = off - w->start;
	return off;
}

/* append a struct path, leaf first; returns the new data offset */
static __always_inline __u32 put_fspath(struct exec_buf *b, __u32 off, int idx,
					const struct path *path,
					const struct path *root, __u32 max,
					__u32 trunc)
{
	struct vfsmount *vfsmnt = BPF_CORE_READ(path, mnt);
	struct walk w = {
		.b = b,
		.node = (__u64)BPF_CORE_READ(path, dentry),
		.mnt = (__u64)container_of(vfsmnt, struct mount, mnt),
		.root_dentry = (__u64)BPF_CORE_READ(root, dentry),
		.root_mnt = (__u64)BPF_CORE_READ(root, mnt),
		.start = off, .off = off, .max = max, .trunc = trunc,
	};

	if (!w.node || !vfsmnt)
		return off;
	/* mount crossings take steps too */
	bpf_loop(SW_PATH_DEPTH + 8, path_step, &w, 0);
	return walk_end(&w, idx);
}

/* append a cgroup's path, leaf first; returns the new data offset */
static __always_inline __u32 put_cgroup(struct exec_buf *b, __u32 off, int idx,
					struct kernfs_node *kn, __u32 trunc)
{
	struct walk w = {
		.b = b, .node = (__u64)kn, .start = off, .off = off,
		.max = SW_CGROUP_MAX, .trunc = trunc,
	};

	if (!kn)
		return off;
	bpf_loop(SW_PATH_DEPTH, kernfs_step, &w, 0);
	return walk_end(&w, idx);
}

static __always_inline struct kernfs_node *v1_kernfs(struct task_struct *task)
{
	struct cgroup_subsys_state *css = NULL;
	struct css_set *cset = BPF_CORE_READ(task, cgroups);
	int id = cgroup_v1_subsys;

	if (id < 0 || id >= 16 || !cset)
		return NULL;
	bpf_core_read(&css, sizeof(css), &cset->subsys[id]);
	if (!css)
		return NULL;
	return BPF_CORE_READ(css, cgroup, kn);
}

/* append argv as the process's memory holds it, bounded */
static __always_inline __u32 put_argv(struct exec_buf *b, __u32 off,
				      struct task_struct *task)
{
	unsigned long start = BPF_CORE_READ(task, mm, arg_start);
	unsigned long end = BPF_CORE_READ(task, mm, arg_end);
	__u32 size;

	if (end <= start || off > SW_DATA_SIZE)
		return off;
	if (end - start > SW_ARGV_MAX) {
		b->e.flags |= SW_F_ARGV_TRUNC;
		size = SW_ARGV_MAX;
	} else {
		size = end - start;
	}
	if (bpf_probe_read_user(&b->data[off & SW_DATA_MASK], size,
				(void *)start)) {
		b->e.flags |= SW_F_ARGV_FAULT;
		return off;
	}
	b->e.len[SW_STR_ARGV] = size;
	return off + size;
}

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

/* start tracking task's thread group; counted when storage is short */
static __always_inline void track(struct task_struct *task, __u64 start_ns)
{
	struct sw_tracked *t;

	t = bpf_task_storage_get(&tracked, task->group_leader, 0,
				 BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!t) {
		stat_inc(SW_STAT_TRACK_FULL);
		return;
	}
	t->start_ns = start_ns;
	t->coarse = 0;
}

/* the tracked entry of task's thread group, or NULL */
static __always_inline struct sw_tracked *tracked_of(struct task_struct *task)
{
	return bpf_task_storage_get(&tracked, task->group_leader, 0, 0);
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

/* a tracked shell exec'd something else: it is a shell no more */
static __always_inline void exec_away(struct task_struct *task)
{
	__u32 pid = task->tgid;
	struct sw_proc_event ev;

	if (!tracked_of(task))
		return;
	__builtin_memset(&ev, 0, sizeof(ev));
	untrack(task);
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

/* the names of the chain of parents, up to init */
static __always_inline void fill_ancestors(struct sw_exec_event *e,
					  struct task_struct *t)
{
	int i;

	for (i = 0; i < SW_ANCESTORS; i++) {
		if (!t)
			break;
		BPF_CORE_READ_STR_INTO(&e->ancestors[i], t, comm);
		/* init's parent is the idle task */
		if (BPF_CORE_READ(t, tgid) <= 1)
			break;
		t = BPF_CORE_READ(t, real_parent);
	}
}

static __always_inline void fill_ids(struct sw_exec_event *e,
				     struct task_struct *task)
{
	struct pid *pid = task->thread_pid;
	unsigned int level = pid->level;
	const struct cred *cred = task->cred;
	struct task_struct *parent = task->real_parent;
	struct pid *sid;

	e->pid = task->tgid;
	e->vpid = BPF_CORE_READ(pid, numbers[level & 31].nr);
	e->pidns = BPF_CORE_READ(pid, numbers[level & 31].ns, ns.inum);
	e->mntns = task->nsproxy->mnt_ns->ns.inum;
	e->ppid = parent->tgid;
	BPF_CORE_READ_STR_INTO(&e->parent_comm, parent, comm);
	fill_ancestors(e, parent);
	e->uid = cred->uid.val;
	e->gid = cred->gid.val;
	e->euid = cred->euid.val;
	e->egid = cred->egid.val;
	e->loginuid = (__u32)-1;
	e->audit_session = (__u32)-1;
	if (bpf_core_field_exists(task->loginuid)) {
		e->loginuid = BPF_CORE_READ(task, loginuid.val);
		e->audit_session = BPF_CORE_READ(task, sessionid);
	}
	sid = BPF_CORE_READ(task, signal, pids[PIDTYPE_SID]);
	e->sid = sid ? BPF_CORE_READ(sid, numbers[0].nr) : 0;
	e->start_ns = task->start_boottime;
	e->cgroup_id = bpf_get_current_cgroup_id();
	bpf_get_current_comm(&e->comm, sizeof(e->comm));
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(handle_exec, struct task_struct *task, pid_t old_pid,
	     struct linux_binprm *bprm)
{
	struct fs_struct *fs, *parent_fs;
	struct task_struct *parent;
	struct tty_struct *tty;
	struct exec_buf *b;
	struct file *pexe;
	__u32 zero = 0, flags = 0, match, off = 0;
	__u64 size;

	stat_inc(SW_STAT_EXECS);
	match = classify(task, bprm, &flags);
	if (match == SW_MATCH_NONE) {
		exec_away(task);
		return 0;
	}

	b = bpf_map_lookup_elem(&scratch, &zero);
	if (!b)
		return 0;
	__builtin_memset(&b->e, 0, sizeof(b->e));
	b->e.type = SW_EVENT_EXEC;
	b->e.exec_ns = bpf_ktime_get_boot_ns();
	b->e.match = match;
	b->e.flags = flags;
	b->e.nlink = bprm->file->f_inode->i_nlink;
	b->e.argc = bprm->argc;
	fill_ids(&b->e, task);
	read_cpu(task, &b->e.cpu);
	b->e.rss_pages = mm_rss_pages(BPF_CORE_READ(task, mm));
	track(task, b->e.start_ns);

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
			 SW_EXE_MAX, SW_F_EXE_TRUNC);
	off = put_fspath(b, off, SW_STR_CWD, &fs->pwd, &fs->root, SW_CWD_MAX,
			 SW_F_CWD_TRUNC);
	parent = BPF_CORE_READ(task, real_parent);
	pexe = BPF_CORE_READ(parent, mm, exe_file);
	parent_fs = BPF_CORE_READ(parent, fs);
	if (pexe && parent_fs)
		off = put_fspath(b, off, SW_STR_PARENT_EXE, &pexe->f_path,
				 &parent_fs->root, SW_PARENT_EXE_MAX,
				 SW_F_PARENT_EXE_TRUNC);
	tty = BPF_CORE_READ(task, signal, tty);
	if (tty) {
		b->e.flags |= SW_F_TTY;
		off = put_str(b, off, SW_STR_TTY, tty->name, SW_TTY_MAX, 0);
	}
	off = put_cgroup(b, off, SW_STR_CGROUP,
			 BPF_CORE_READ(task, cgroups, dfl_cgrp, kn),
			 SW_F_CGROUP_TRUNC);
	off = put_cgroup(b, off, SW_STR_CGROUP_V1, v1_kernfs(task),
			 SW_F_CGROUP_V1_TRUNC);
	off = put_argv(b, off, task);

	stat_inc(SW_STAT_SHELLS);
	/* the strings' maxima add up to less than SW_DATA_MASK */
	size = SW_EXEC_HDR_SIZE + off;
	if (size > sizeof(*b))
		size = sizeof(*b);
	/* keep the bound where the verifier sees it */
	barrier_var(size);
	if (size > sizeof(*b))
		return 0;
	/*
	 * the adaptive wake-up skips a record when others wait unread before
	 * it: after fork or exit records, which wake nobody, force one
	 */
	flags = wake_owed ? BPF_RB_FORCE_WAKEUP : 0;
	wake_owed = 0;
	if (bpf_ringbuf_output(&events, b, size, flags))
		stat_inc(SW_STAT_LOST_RINGBUF);
	else
		stat_max(SW_STAT_RB_HIGH,
			 bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA));
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
	struct sw_tracked *t;

	/* a new thread is no new process */
	if (pid != child->pid)
		return 0;
	t = tracked_of(parent);
	if (!t)
		return 0;
	__builtin_memset(&ev, 0, sizeof(ev));
	ev.type = SW_EVENT_FORK;
	ev.pid = pid;
	ev.ppid = ppid;
	ev.time_ns = bpf_ktime_get_boot_ns();
	ev.start_ns = child->start_boottime;
	ev.parent_start_ns = t->start_ns;
	track(child, ev.start_ns);
	send_proc(&ev);
	return 0;
}

/* the last thread of a tracked process ends */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(handle_exit, struct task_struct *task)
{
	__u32 pid = task->tgid;
	struct sw_proc_event ev;
	struct mm_struct *mm;
	__u64 hiwater;

	if (!tracked_of(task))
		return 0;
	__builtin_memset(&ev, 0, sizeof(ev));
	/* signal->live drops to 0 before this tracepoint for the last thread */
	if (task->signal->live.counter)
		return 0;
	untrack(task);
	ev.type = SW_EVENT_EXIT;
	ev.pid = pid;
	ev.time_ns = bpf_ktime_get_boot_ns();
	ev.start_ns = group_start(task);
	ev.exit_code = task->exit_code;
	read_cpu(task, &ev.cpu);
	/* the memory may be gone already, depending on the kernel */
	mm = BPF_CORE_READ(task, mm);
	ev.rss_pages = mm_rss_pages(mm);
	ev.maxrss_pages = task->signal->maxrss;
	hiwater = mm ? BPF_CORE_READ(mm, hiwater_rss) : 0;
	if (ev.rss_pages > hiwater)
		hiwater = ev.rss_pages;
	if (hiwater > ev.maxrss_pages)
		ev.maxrss_pages = hiwater;
	send_proc(&ev);
	return 0;
}

/* the window sampler: one record per thread of every tracked process */
SEC("iter/task")
int sample_tasks(struct bpf_iter__task *ctx)
{
	struct seq_file *seq = ctx->meta->seq;
	struct task_struct *task = ctx->task;
	struct sw_sample s = {};
	__u32 pid;

	if (!task)
		return 0;
	pid = task->tgid;
	if (!tracked_of(task))
		return 0;
	s.pid = pid;
	s.tid = task->pid;
	s.start_ns = group_start(task);
	s.cpu.runtime_ns = task->se.sum_exec_runtime;
	s.cpu.utime_ns = task->utime;
	s.cpu.stime_ns = task->stime;
	if (s.tid == pid) {
		struct signal_struct *sig = task->signal;

		s.leader = 1;
		s.cpu.runtime_ns += sig->sum_sched_runtime;
		s.cpu.utime_ns += sig->utime;
		s.cpu.stime_ns += sig->stime;
		s.rss_pages = mm_rss_pages(BPF_CORE_READ(task, mm));
	}
	bpf_seq_write(seq, &s, sizeof(s));
	return 0;
}
