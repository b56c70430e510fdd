// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The floor of a shell record's cost: one small ring-buffer record per
 * exec of a program named "sh", with the same adaptive wake-up as the
 * sensor's exec records, and nothing else. tests/bench/wakeconsumer.c
 * reads it and writes as many bytes per record as the sensor does, so
 * that the benchmark can tell the wake-up and write from the work.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} wake_events SEC(".maps");

struct wake_event {
	__u64 time_ns;
	__u32 pid;
	__u32 pad;
};

SEC("tp_btf/sched_process_exec")
int BPF_PROG(floor_wake, struct task_struct *task, pid_t old_pid,
	     struct linux_binprm *bprm)
{
	struct wake_event e;

	/* comm is the basename of the exec'd path by now */
	if (task->comm[0] != 's' || task->comm[1] != 'h' || task->comm[2])
		return 0;
	e.time_ns = bpf_ktime_get_boot_ns();
	e.pid = task->tgid;
	e.pad = 0;
	bpf_ringbuf_output(&wake_events, &e, sizeof(e), 0);
	return 0;
}
