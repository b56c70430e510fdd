// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <string.h>
#include "window.h"

uint64_t window_floor(uint64_t real_ns, uint64_t window_ns)
{
	return real_ns - real_ns % window_ns;
}

uint64_t window_next_edge(uint64_t real_ns, uint64_t window_ns)
{
	return window_floor(real_ns, window_ns) + window_ns;
}

static uint64_t delta(uint64_t a, uint64_t b)
{
	return b > a ? b - a : 0;
}

void window_measure(struct window_measure *m, uint64_t window_ns,
		    uint64_t from_ns, uint64_t to_ns, const struct sw_cpu *a,
		    const struct sw_cpu *b, uint64_t rss_bytes, int ncpu,
		    uint64_t mem_total_bytes, bool at_edge)
{
	uint64_t du, ds;
	double split;

	memset(m, 0, sizeof(*m));
	/* a reading at an edge closes the bucket that ends there */
	m->bucket_start = window_floor(at_edge && to_ns ? to_ns - 1 : to_ns,
				       window_ns);
	m->bucket_end = m->bucket_start + window_ns;
	if (from_ns < m->bucket_start)
		from_ns = m->bucket_start;
	m->alive_ns = delta(from_ns, to_ns);
	m->cpu_ns = delta(a->runtime_ns, b->runtime_ns);

	/* split runtime by the tick samples' ratio, as cputime_adjust does */
	du = delta(a->utime_ns, b->utime_ns);
	ds = delta(a->stime_ns, b->stime_ns);
	if (!ds) {
		m->user_ns = m->cpu_ns;
	} else if (!du) {
		m->system_ns = m->cpu_ns;
	} else {
		/* in floating point: du + ds may not fit in 64 bits */
		split = (double)m->cpu_ns * ds / ((double)du + ds);
		m->system_ns = split < (double)m->cpu_ns ? (uint64_t)split :
							   m->cpu_ns;
		m->user_ns = m->cpu_ns - m->system_ns;
	}

	if (m->alive_ns && ncpu > 0) {
		m->cpu_utilization = (double)m->cpu_ns /
				     ((double)m->alive_ns * ncpu);
		if (m->cpu_utilization > 1)
			m->cpu_utilization = 1;
	}
	m->rss_bytes = rss_bytes;
	if (mem_total_bytes)
		m->memory_utilization = (double)rss_bytes * 100 /
					mem_total_bytes;
}

bool window_nonzero(const struct window_measure *m)
{
	return m->cpu_utilization > 0 || m->memory_utilization > 0;
}
