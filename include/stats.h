/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Counters the kernel side keeps per CPU in the stats map. */
#ifndef SHELLWATCH_STATS_H
#define SHELLWATCH_STATS_H

enum sw_stat {
	SW_STAT_EXECS,		/* every exec seen */
	SW_STAT_SHELLS,		/* execs classified as a shell */
	SW_STAT_LOST_RINGBUF,	/* shell records the ring buffer had no room for */
	SW_STAT_LOST_PROC,	/* fork/exit records the ring buffer had no room for */
	SW_STAT_TRACK_FULL,	/* processes not tracked: the map was full */
	SW_STAT_RB_HIGH,	/* most bytes seen waiting in the ring buffer (a max) */
	SW_STAT_COUNT,
};

#endif /* SHELLWATCH_STATS_H */
