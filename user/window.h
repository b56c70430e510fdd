/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Utilization windows: wall-clock aligned buckets, like Splunk's span=10s,
 * and the arithmetic of CPU and memory utilization within one.
 */
#ifndef SHELLWATCH_WINDOW_H
#define SHELLWATCH_WINDOW_H

#include <stdbool.h>
#include <stdint.h>
#include "shellwatch.h"

/* the measure of one process over one window */
struct window_measure {
	uint64_t bucket_start;	/* wall-clock ns, a multiple of the window */
	uint64_t bucket_end;
	uint64_t alive_ns;	/* time the process was tracked in the bucket */
	uint64_t cpu_ns;	/* CPU time used in it */
	uint64_t user_ns;	/* cpu_ns split as the kernel's cputime_adjust */
	uint64_t system_ns;
	double cpu_utilization;	/* cpu_ns / (alive_ns x ncpu), 0..1 */
	uint64_t rss_bytes;
	double memory_utilization; /* rss / MemTotal x 100, a percentage */
};

/* the start of the bucket holding real_ns */
uint64_t window_floor(uint64_t real_ns, uint64_t window_ns);
/* the next bucket edge strictly after real_ns */
uint64_t window_next_edge(uint64_t real_ns, uint64_t window_ns);
/*
 * measure a process between two counter readings: from (from_ns, a) to
 * (to_ns, b), wall-clock ns, to_ns inside the bucket of window_ns that
 * ends at or after it. Counters that went backwards count as 0.
 */
void window_measure(struct window_measure *m, uint64_t window_ns,
		    uint64_t from_ns, uint64_t to_ns, const struct sw_cpu *a,
		    const struct sw_cpu *b, uint64_t rss_bytes, int ncpu,
		    uint64_t mem_total_bytes, bool at_edge);
/* whether the detection's filter keeps it: cpu or memory above zero */
bool window_nonzero(const struct window_measure *m);

#endif /* SHELLWATCH_WINDOW_H */
