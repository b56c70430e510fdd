/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* shellwatch kernel side: maps, globals and statistics counters. */
#ifndef SHELLWATCH_MAPS_BPF_H
#define SHELLWATCH_MAPS_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "shellwatch.h"
#include "stats.h"
#include "heartbeat.h"

/* fork or exit records wait in the ring buffer with no wake-up sent */
__u32 wake_owed;

/* cgroup v1 subsystem whose hierarchy is captured; -1 for none */
const volatile int cgroup_v1_subsys = -1;
/* the inode of the sensor's pid namespace (the node's, with hostPID) */
const volatile __u32 sensor_pidns = 0;

/*
 * the host's view: pid 1's root (struct vfsmount *, struct dentry *) and
 * mount namespace, set once by the host_view iterator; 0 until then
 */
__u64 host_root_mnt;
__u64 host_root_dentry;
__u32 host_mntns;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 * 1024 * 1024);	/* resized by user space */
} events SEC(".maps");

/*
 * the wake-up for a record that may wait (fork, exit, command): none,
 * unless the ring buffer is half full; a reader left asleep while such
 * records fill it would lose the next shell's exec record
 */
static __always_inline __u64 lazy_wakeup(void)
{
	__u64 ring = bpf_ringbuf_query(&events, BPF_RB_RING_SIZE);

	if (bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) > ring / 2)
		return BPF_RB_FORCE_WAKEUP;
	return BPF_RB_NO_WAKEUP;
}

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, char[SW_NAME_LEN]);
	__type(value, struct sw_name_value);
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

/* the tracked map holds at most track_max entries (--track-max) */
const volatile __u32 track_max = SW_TRACK_MAX;
/*
 * entries in the tracked map now: taken before an entry is made (by the
 * kernel or the daemon), given back when one is deleted. Task storage has
 * no max_entries of its own: this is its bound.
 */
__u64 tracked_n;

/*
 * the exit record of a tracked process's last thread, between its exit
 * tracepoint and its last switch off the CPU, where the scheduler has
 * counted its last slice
 */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct sw_proc_event);
} dying SEC(".maps");

/*
 * the tracked entry of a group whose leader died before the group did,
 * by tgid: a thread's exec makes that thread the leader (de_thread()),
 * and the entry, storage of the old leader, does not follow it there.
 * Its place in tracked_n stays with the storage until that is freed.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct sw_tracked);
} handover SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct sw_counters);	/* named for bpftool */
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

/* binaries this CPU found with a "no shell" verdict lately */
#define SW_MEMO_LEN	8

/* name keys and argv[0] bytes for classification */
struct name_buf {
	char key[SW_NAME_LEN * 2];
	__u32 key_is_binary;	/* key holds exactly the binary's name */
	__u32 memo_next;	/* the memo slot to fill next */
	/*
	 * verdicts are never taken back (the key changes with the file), so
	 * a "no shell" seen once stays true: execs of these skip the
	 * verdict map, whose buckets are cold memory at every exec
	 */
	struct sw_inode_key memo[SW_MEMO_LEN];
	char argv0[SW_ARGV0_MAX];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct name_buf);
} name_scratch SEC(".maps");

/* counter idx of this CPU, or NULL */
static __always_inline __u64 *stat_slot(__u32 idx)
{
	__u32 zero = 0;
	__u64 *c = bpf_map_lookup_elem(&stats, &zero);

	if (!c || idx >= SW_STAT_COUNT)
		return NULL;
	return c + idx;
}

static __always_inline void stat_inc(__u32 idx)
{
	__u64 *v = stat_slot(idx);

	if (v)
		(*v)++;
}

static __always_inline void stat_max(__u32 idx, __u64 val)
{
	__u64 *v = stat_slot(idx);

	if (v && *v < val)
		*v = val;
}

#endif /* SHELLWATCH_MAPS_BPF_H */
