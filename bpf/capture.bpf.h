/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Capture: the exec record's ids, strings, paths, cgroups and argv. */
#ifndef SHELLWATCH_CAPTURE_BPF_H
#define SHELLWATCH_CAPTURE_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "core_fixes.bpf.h"
#include "maps.bpf.h"

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
	__u32 at_root;		/* that top was the task's root */
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
		w->at_root = 1;
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

/*
 * append a struct path, leaf first; returns the new data offset. at_root
 * says whether the walk ended at root: a path on a mount of another
 * namespace, a detached mount or a pseudo file system ends elsewhere.
 */
static __always_inline __u32 put_fspath(struct exec_buf *b, __u32 off, int idx,
					const struct path *path,
					const struct path *root, __u32 max,
					__u32 trunc, __u32 *at_root)
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

	*at_root = 0;
	if (!w.node || !vfsmnt)
		return off;
	/* mount crossings take steps too */
	bpf_loop(SW_PATH_DEPTH + 8, path_step, &w, 0);
	*at_root = w.at_root;
	return walk_end(&w, idx);
}

/*
 * whether fs's root is the host's (pid 1's) in the host's mount namespace:
 * a task in a mount namespace of its own has copies of the mounts, and a
 * chroot another root, so neither compares equal
 */
static __always_inline bool host_root(struct fs_struct *fs, __u32 mntns)
{
	return fs && host_root_mnt && mntns == host_mntns &&
	       (__u64)BPF_CORE_READ(fs, root.mnt) == host_root_mnt &&
	       (__u64)BPF_CORE_READ(fs, root.dentry) == host_root_dentry;
}

/* how much of a cgroup path fits, counted from its top */
struct cut {
	struct exec_buf *b;
	struct cgroup *cg;
	__u32 scratch;		/* data offset free to read a name into */
	__u32 bytes;		/* of the levels kept, their NULs included */
	__u32 keep;		/* levels kept below the root */
};

/*
 * bpf_loop callback: keep level i + 1 if it fits. A component's room is
 * reserved as walk_put reserves it, so the walk of the kept levels is
 * never cut again.
 */
static long cut_step(__u32 i, void *data)
{
	struct cut *c = data;
	struct cgroup *cg = c->cg, *anc = NULL;
	__u32 off = c->scratch;
	long n;

	/* ancestors[0] is the root, which has no name in the path */
	if (bpf_core_read(&anc, sizeof(anc), &cg->ancestors[i + 1]) || !anc ||
	    off > SW_DATA_SIZE)
		return 1;
	n = bpf_probe_read_kernel_str(&c->b->data[off & SW_DATA_MASK],
				      SW_COMPONENT_MAX, BPF_CORE_READ(anc, kn, name));
	if (n <= 0 || c->bytes + n + SW_COMPONENT_MAX > SW_CGROUP_MAX)
		return 1;
	c->bytes += n;
	c->keep = i + 1;
	return 0;
}

/*
 * append a cgroup's path, leaf first; returns the new data offset. A path
 * of more than SW_PATH_DEPTH levels or SW_CGROUP_MAX bytes keeps its top
 * (the kubelet's root, the pod and the container) and is cut below, with
 * deep set: the levels an attacker can add are below their container.
 */
static __always_inline __u32 put_cgroup(struct exec_buf *b, __u32 off, int idx,
					struct cgroup *cg, __u32 trunc,
					__u32 deep)
{
	struct kernfs_node *kn = BPF_CORE_READ(cg, kn);
	struct cgroup *top = NULL;
	struct walk w = {
		.b = b, .start = off, .off = off,
		.max = SW_CGROUP_MAX, .trunc = trunc,
	};
	struct cut c = { .b = b, .cg = cg, .scratch = off };
	int level = BPF_CORE_READ(cg, level);
	__u32 keep;

	if (!kn)
		return off;
	if (level > 0 && bpf_core_field_exists(cg->ancestors)) {
		bpf_loop(level < SW_PATH_DEPTH ? level : SW_PATH_DEPTH,
			 cut_step, &c, 0);
		keep = c.keep;
		if (keep < (__u32)level && keep > 0 &&
		    !bpf_core_read(&top, sizeof(top), &cg->ancestors[keep]) &&
		    top) {
			kn = BPF_CORE_READ(top, kn);
			b->e.flags |= deep;
		}
	}
	w.node = (__u64)kn;
	bpf_loop(SW_PATH_DEPTH, kernfs_step, &w, 0);
	return walk_end(&w, idx);
}

static __always_inline struct cgroup *v1_cgroup(struct task_struct *task)
{
	struct cgroup_subsys_state *css = NULL;
	struct css_set *cset = BPF_CORE_READ(task, cgroups);
	int id = cgroup_v1_subsys;

	if (id < 0 || id >= 16 || !cset)
		return NULL;
	bpf_core_read(&css, sizeof(css), &cset->subsys[id]);
	if (!css)
		return NULL;
	return BPF_CORE_READ(css, cgroup);
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
	/* a container's own pid namespace, not one made inside it (unshare -p) */
	if (sensor_pidns &&
	    BPF_CORE_READ(pid, numbers[level & 31].ns, parent, ns.inum) ==
		    sensor_pidns)
		e->flags |= SW_F_PIDNS_CHILD;
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

#endif /* SHELLWATCH_CAPTURE_BPF_H */
