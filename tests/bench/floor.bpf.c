// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * What the cheapest possible classification costs on this machine: each
 * program does one of the pieces a non-shell exec (or an untracked fork
 * or exit) must do in shellwatch, and nothing else. Measured beside the
 * empty programs and the sensor in the same run (bpf_stats), they say
 * which part of a target the hook's work leaves, and which part is the
 * machine's price for a single map lookup.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* the sensor's verdict key and map shape (include/shellwatch.h) */
struct floor_key {
	__u64 ino;
	__u64 ctime_sec;
	__u32 ctime_nsec;
	__u32 dev;
	__u32 generation;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, struct floor_key);
	__type(value, __u64);
} floor_verdicts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u64);
} floor_tracked SEC(".maps");

/* hits, so that the lookup is not optimised away and can be checked */
__u64 verdict_hits;

/* the verdict cache's lookup: the inode's identity, one LRU hash lookup
 * (a miss fills the entry, so that later execs of the binary hit) */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(floor_exec_lookup, struct task_struct *task, pid_t old_pid,
	     struct linux_binprm *bprm)
{
	struct inode *inode = bprm->file->f_inode;
	struct floor_key k = {};
	__u64 one = 1;

	k.ino = inode->i_ino;
	k.dev = inode->i_sb->s_dev;
	k.generation = inode->i_generation;
	if (bpf_core_field_exists(inode->i_ctime_sec)) {
		k.ctime_sec = inode->i_ctime_sec;
		k.ctime_nsec = inode->i_ctime_nsec & ((1U << 30) - 1);
	}
	if (bpf_map_lookup_elem(&floor_verdicts, &k))
		__sync_fetch_and_add(&verdict_hits, 1);
	else
		bpf_map_update_elem(&floor_verdicts, &k, &one, BPF_ANY);
	return 0;
}

/* the task-storage lookup every hook makes for its thread group */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(floor_fork_storage, struct task_struct *parent,
	     struct task_struct *child)
{
	return bpf_task_storage_get(&floor_tracked, parent->group_leader, 0,
				    0) != NULL;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(floor_exit_storage, struct task_struct *task)
{
	return bpf_task_storage_get(&floor_tracked, task->group_leader, 0,
				    0) != NULL;
}
