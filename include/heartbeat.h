/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The daemon's heartbeat in the pinned heartbeat map: written by the daemon
 * once a second, read by `shellwatch --check` and by bpftool. The kernel
 * side never touches it.
 */
#ifndef SHELLWATCH_HEARTBEAT_H
#define SHELLWATCH_HEARTBEAT_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* programs whose ids a heartbeat lists */
#define SW_HB_PROGS		16

struct sw_heartbeat {
	__u64 time_ns;		/* CLOCK_BOOTTIME of the last beat */
	__u64 start_ns;		/* CLOCK_BOOTTIME the programs were attached */
	__u32 pid;		/* the daemon, in its pid namespace */
	__u32 interval_ms;	/* how often it beats */
	__u32 links;		/* links the daemon holds */
	__u32 attached;		/* of them, found attached to their program */
	__u32 prog_ids[SW_HB_PROGS];	/* the loaded programs, 0 past the last */
};

/* a value of the shell_names map, named for bpftool */
struct sw_name_value {
	__u8 kind;		/* enum sw_name_kind */
};

#endif /* SHELLWATCH_HEARTBEAT_H */
