/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The sensor's own cgroup namespace root, absolute. /proc/<pid>/cgroup, which
 * the start-up scan reads, is relative to the reader's cgroup namespace; the
 * kernel side's paths are absolute. In a private namespace (a pod's usual
 * one) the scan joins its paths to this root.
 */
#ifndef SHELLWATCH_CGROUPNS_BPF_H
#define SHELLWATCH_CGROUPNS_BPF_H

struct ns_walk {
	struct seq_file *seq;
	struct kernfs_node *kn;
	char name[SW_CGNS_NAME_MAX];
};

/* bpf_loop callback: write one component with its NUL, leaf first, root left out */
static long cgns_step(__u32 i, void *data)
{
	struct ns_walk *w = data;
	/* a local: BPF_CORE_READ would relocate w's own fields too */
	struct kernfs_node *kn = w->kn, *parent;
	long n;

	if (!kn)
		return 1;
	parent = kernfs_parent(kn);
	if (!parent)
		return 1;
	n = bpf_probe_read_kernel_str(w->name, sizeof(w->name),
				      BPF_CORE_READ(kn, name));
	if (n <= 0 || n > (long)sizeof(w->name))
		return 1;
	bpf_seq_write(w->seq, w->name, n);
	w->kn = parent;
	return 0;
}

/* one hierarchy: its tag, its components leaf first, an empty one to end */
static __always_inline void cgns_put(struct ns_walk *w, const char *tag,
				     struct kernfs_node *kn)
{
	bpf_seq_write(w->seq, tag, 2);
	w->kn = kn;
	bpf_loop(SW_PATH_DEPTH, cgns_step, w, 0);
	bpf_seq_write(w->seq, "", 1);
}

static __always_inline struct kernfs_node *cset_v1_kernfs(struct css_set *cset)
{
	struct cgroup_subsys_state *css = NULL;
	int id = cgroup_v1_subsys;

	if (id < 0 || id >= 16)
		return NULL;
	bpf_core_read(&css, sizeof(css), &cset->subsys[id]);
	if (!css)
		return NULL;
	return BPF_CORE_READ(css, cgroup, kn);
}

#endif /* SHELLWATCH_CGROUPNS_BPF_H */
