// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The floor of the kernel-cost benchmark: empty tp_btf programs on the
 * hooks shellwatch uses. What a hook costs when it does nothing, measured
 * in the same run as the sensor's programs (bpf_stats).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

SEC("tp_btf/sched_process_exec")
int BPF_PROG(empty_exec, struct task_struct *task, pid_t old_pid,
	     struct linux_binprm *bprm)
{
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(empty_fork, struct task_struct *parent, struct task_struct *child)
{
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(empty_exit, struct task_struct *task)
{
	return 0;
}

SEC("tp_btf/sched_process_free")
int BPF_PROG(empty_free, struct task_struct *task)
{
	return 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(empty_switch, bool preempt, struct task_struct *prev,
	     struct task_struct *next)
{
	return 0;
}
