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

#endif /* SHELLWATCH_CORE_FIXES_BPF_H */
