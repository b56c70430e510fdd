/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* CO-RE helpers for kernel struct changes shellwatch reads across. */
#ifndef SHELLWATCH_CORE_FIXES_BPF_H
#define SHELLWATCH_CORE_FIXES_BPF_H

#include <bpf/bpf_core_read.h>

/*
 * kernfs_node::parent became the RCU-protected __parent in commit
 * 633488947ef6 ("kernfs: Use RCU to access kernfs_node::parent.", v6.15).
 */
struct kernfs_node___old {
	struct kernfs_node *parent;
} __attribute__((preserve_access_index));

static __always_inline struct kernfs_node *kernfs_parent(struct kernfs_node *kn)
{
	struct kernfs_node___old *old = (void *)kn;

	if (bpf_core_field_exists(kn->__parent))
		return BPF_CORE_READ(kn, __parent);
	return BPF_CORE_READ(old, parent);
}

/*
 * mm_struct::rss_stat became an array of percpu_counter in commit
 * f1a7941243c1 ("mm: convert mm's rss stats into percpu_counter", v6.2);
 * before, it held atomic_long_t count[NR_MM_COUNTERS].
 */
struct mm_rss_stat___old {
	atomic_long_t count[4];
} __attribute__((preserve_access_index));

struct mm_struct___old {
	struct mm_rss_stat___old rss_stat;
} __attribute__((preserve_access_index));

/* MM_FILEPAGES, MM_ANONPAGES and MM_SHMEMPAGES, as the kernel numbers them */
#define SW_MM_FILEPAGES		0
#define SW_MM_ANONPAGES		1
#define SW_MM_SHMEMPAGES	3

static __always_inline __s64 rss_counter(struct mm_struct *mm, int member)
{
	struct mm_struct___old *old = (void *)mm;
	__s64 v;

	/*
	 * read the central count only, as /proc/pid/status does: per-CPU
	 * deltas not yet folded in are up to the counter's batch per CPU
	 */
	if (bpf_core_field_exists(old->rss_stat.count))
		v = BPF_CORE_READ(old, rss_stat.count[member & 3].counter);
	else
		v = BPF_CORE_READ(mm, rss_stat[member & 3].count);
	return v > 0 ? v : 0;
}

/* resident pages of mm: file, anonymous and shared memory */
static __always_inline __u64 mm_rss_pages(struct mm_struct *mm)
{
	if (!mm)
		return 0;
	return rss_counter(mm, SW_MM_FILEPAGES) +
	       rss_counter(mm, SW_MM_ANONPAGES) +
	       rss_counter(mm, SW_MM_SHMEMPAGES);
}

#endif /* SHELLWATCH_CORE_FIXES_BPF_H */
