/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Counters the kernel side keeps per CPU in the stats map. */
#ifndef SHELLWATCH_STATS_H
#define SHELLWATCH_STATS_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

enum sw_stat {
	SW_STAT_EXECS,		/* every exec seen */
	SW_STAT_SHELLS,		/* execs classified as a shell */
	SW_STAT_LOST_RINGBUF,	/* shell records the ring buffer had no room for */
	SW_STAT_LOST_PROC,	/* fork/exit records the ring buffer had no room for */
	SW_STAT_TRACK_FULL,	/* processes not tracked: the map was full */
	SW_STAT_RB_HIGH,	/* most bytes seen waiting in the ring buffer (a max) */
	SW_STAT_COMMANDS,	/* commands sent: command records, and exec records
				 * of shells started in a session */
	SW_STAT_TRAIL_RATE,	/* commands over a session's rate: not sent */
	SW_STAT_TRAIL_COUNT,	/* commands over a session's count: not sent */
	SW_STAT_LOST_COMMAND,	/* command records the ring buffer had no room for */
	SW_STAT_VERDICT_HITS,	/* execs decided by a cached content verdict */
	SW_STAT_CANDIDATES,	/* candidate records sent for the daemon to judge */
	SW_STAT_CAND_OVER,	/* candidates over the rate or bytes bound: by name */
	SW_STAT_LOST_CANDIDATE,	/* candidate records the ring buffer had no room for */
	SW_STAT_TRACK_OVER,	/* processes not tracked: the map held track_max */
	SW_STAT_COUNT,
};

/*
 * the stats map's one per-CPU value: the counters above by name, for
 * `bpftool map dump` (an array map's key must be a plain integer, so the
 * names live in the value). One field per enum sw_stat, in its order.
 */
struct sw_counters {
	__u64 execs;
	__u64 shells;
	__u64 lost_ringbuf;
	__u64 lost_proc;
	__u64 track_full;
	__u64 ringbuf_high_water;
	__u64 commands;
	__u64 trail_over_rate;
	__u64 trail_over_count;
	__u64 lost_command;
	__u64 verdict_hits;
	__u64 candidates;
	__u64 candidates_over_bound;
	__u64 lost_candidate;
	__u64 track_over;
};

_Static_assert(sizeof(struct sw_counters) == SW_STAT_COUNT * sizeof(__u64),
	       "struct sw_counters has one field per enum sw_stat");

#endif /* SHELLWATCH_STATS_H */
