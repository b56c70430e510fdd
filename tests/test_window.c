// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Tests of the utilization windows (user/window.c): wall-clock aligned
 * buckets, and the CPU and memory arithmetic of one process over one.
 *
 * The tables hold pointers to static strings: the test binary is linked
 * without PIE, so they are valid in the process Criterion runs a case in.
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "window.h"

#define WIN_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define NS		1ULL
#define MS		1000000ULL
#define SEC		1000000000ULL
/* 2023-11-14T22:13:20Z: a multiple of 1 s and 10 s, not of 3600 s */
#define T0		(1700000000ULL * SEC)
/* the hour T0 is in: 1699999200 = 472222 x 3600 */
#define H0		(1699999200ULL * SEC)
#define GIB		(1ULL << 30)

/* window_floor and window_next_edge */

struct edge_case {
	const char *what;
	uint64_t real_ns;
	uint64_t window_ns;
	uint64_t floor;
	uint64_t next;
};

static struct edge_case edge_cases[] = {
	/* window 1 s */
	{ "1s: zero", 0, SEC, 0, SEC },
	{ "1s: first ns", 1, SEC, 0, SEC },
	{ "1s: last ns of the first bucket", SEC - 1, SEC, 0, SEC },
	{ "1s: exact edge 1 s", SEC, SEC, SEC, 2 * SEC },
	{ "1s: exact edge T0", T0, SEC, T0, T0 + SEC },
	{ "1s: T0 + 0.5 s", T0 + 500 * MS, SEC, T0, T0 + SEC },
	{ "1s: T0 - 1 ns", T0 - NS, SEC, T0 - SEC, T0 },
	/* window 10 s */
	{ "10s: exact edge T0", T0, 10 * SEC, T0, T0 + 10 * SEC },
	{ "10s: T0 + 1 ns", T0 + NS, 10 * SEC, T0, T0 + 10 * SEC },
	{ "10s: last ns of a bucket", T0 + 10 * SEC - NS, 10 * SEC, T0,
	  T0 + 10 * SEC },
	{ "10s: the next edge", T0 + 10 * SEC, 10 * SEC, T0 + 10 * SEC,
	  T0 + 20 * SEC },
	{ "10s: T0 - 1 ns", T0 - NS, 10 * SEC, T0 - 10 * SEC, T0 },
	{ "10s: T0 + 25.5 s", T0 + 25 * SEC + 500 * MS, 10 * SEC,
	  T0 + 20 * SEC, T0 + 30 * SEC },
	{ "10s: 7 s after boot of the epoch", 7 * SEC, 10 * SEC, 0, 10 * SEC },
	/* window 3600 s: T0 is not an hour */
	{ "3600s: T0 inside an hour", T0, 3600 * SEC, H0, H0 + 3600 * SEC },
	{ "3600s: exact hour", H0, 3600 * SEC, H0, H0 + 3600 * SEC },
	{ "3600s: last ns of the hour", H0 + 3600 * SEC - NS, 3600 * SEC, H0,
	  H0 + 3600 * SEC },
	{ "3600s: the next hour", H0 + 3600 * SEC, 3600 * SEC, H0 + 3600 * SEC,
	  H0 + 7200 * SEC },
};

ParameterizedTestParameters(window, edges)
{
	return cr_make_param_array(struct edge_case, edge_cases,
				   WIN_ARRAY_SIZE(edge_cases));
}

ParameterizedTest(struct edge_case *c, window, edges)
{
	uint64_t fl = window_floor(c->real_ns, c->window_ns);
	uint64_t next = window_next_edge(c->real_ns, c->window_ns);

	cr_assert_eq(fl, c->floor, "%s: window_floor(%llu, %llu) = %llu, want %llu",
		     c->what, (unsigned long long)c->real_ns,
		     (unsigned long long)c->window_ns, (unsigned long long)fl,
		     (unsigned long long)c->floor);
	cr_assert_eq(next, c->next,
		     "%s: window_next_edge(%llu, %llu) = %llu, want %llu",
		     c->what, (unsigned long long)c->real_ns,
		     (unsigned long long)c->window_ns, (unsigned long long)next,
		     (unsigned long long)c->next);
	/* the invariants every case must keep */
	cr_assert_eq(fl % c->window_ns, 0, "%s: floor %llu is not aligned",
		     c->what, (unsigned long long)fl);
	cr_assert(fl <= c->real_ns && c->real_ns < next,
		  "%s: %llu not in [floor, next edge)", c->what,
		  (unsigned long long)c->real_ns);
	cr_assert_eq(next - fl, c->window_ns, "%s: bucket is not one window",
		     c->what);
}

/* window_measure */

struct measure_case {
	const char *what;
	uint64_t window_ns;
	uint64_t from_ns, to_ns;
	struct sw_cpu a, b;
	uint64_t rss;
	int ncpu;
	uint64_t mem_total;
	bool at_edge;
	/* expected */
	uint64_t bucket_start;
	uint64_t alive_ns;
	uint64_t cpu_ns, user_ns, system_ns;
	double cpu_util;
	double mem_util;
};

#define W10	(10 * SEC)
#define CPU0	{ 0, 0, 0 }

static struct measure_case measure_cases[] = {
	/* which bucket a reading belongs to */
	{ "reading at an edge closes the bucket that ends there", W10,
	  T0, T0 + 10 * SEC, CPU0, { 5 * SEC, 5 * SEC, 0 }, 0, 2, 0, true,
	  T0, 10 * SEC, 5 * SEC, 5 * SEC, 0, 0.25, 0 },
	{ "reading at an edge, not at_edge: the bucket it opens", W10,
	  T0, T0 + 10 * SEC, CPU0, { 5 * SEC, 5 * SEC, 0 }, 0, 2, 0, false,
	  T0 + 10 * SEC, 0, 5 * SEC, 5 * SEC, 0, 0, 0 },
	{ "reading inside a bucket", W10,
	  T0 + 2 * SEC, T0 + 7 * SEC, CPU0, { 1 * SEC, 1 * SEC, 0 }, 0, 2, 0,
	  false, T0, 5 * SEC, 1 * SEC, 1 * SEC, 0, 0.1, 0 },
	{ "at_edge inside a bucket stays in it", W10,
	  T0 + 2 * SEC, T0 + 7 * SEC, CPU0, { 1 * SEC, 1 * SEC, 0 }, 0, 2, 0,
	  true, T0, 5 * SEC, 1 * SEC, 1 * SEC, 0, 0.1, 0 },
	{ "at_edge 1 ns after an edge: the bucket starting there", W10,
	  T0 + 10 * SEC, T0 + 10 * SEC + 1, CPU0, CPU0, 0, 2, 0, true,
	  T0 + 10 * SEC, 1, 0, 0, 0, 0, 0 },
	{ "at_edge 1 ns before an edge", W10,
	  T0, T0 + 10 * SEC - 1, CPU0, CPU0, 0, 2, 0, true,
	  T0, 10 * SEC - 1, 0, 0, 0, 0, 0 },
	/* partial windows */
	{ "first window: from an exec after the bucket start", W10,
	  T0 + 4 * SEC, T0 + 10 * SEC, CPU0, { 3 * SEC, 3 * SEC, 0 }, 0, 2, 0,
	  true, T0, 6 * SEC, 3 * SEC, 3 * SEC, 0, 0.25, 0 },
	{ "last window: to an exit before the bucket end", W10,
	  T0 + 10 * SEC, T0 + 13 * SEC + 500 * MS, CPU0,
	  { 700 * MS, 700 * MS, 0 }, 0, 1, 0, false,
	  T0 + 10 * SEC, 3500 * MS, 700 * MS, 700 * MS, 0, 0.2, 0 },
	{ "exec and exit inside one bucket", W10,
	  T0 + 1250 * MS, T0 + 1750 * MS, CPU0, { 250 * MS, 250 * MS, 0 }, 0,
	  1, 0, false, T0, 500 * MS, 250 * MS, 250 * MS, 0, 0.5, 0 },
	/* alive time clipped to the bucket */
	{ "base in an earlier bucket, at an edge", W10,
	  T0 - 25 * SEC, T0 + 10 * SEC, CPU0, { 2 * SEC, 2 * SEC, 0 }, 0, 2, 0,
	  true, T0, 10 * SEC, 2 * SEC, 2 * SEC, 0, 0.1, 0 },
	{ "base in an earlier bucket, to inside", W10,
	  T0 - 3 * SEC, T0 + 2 * SEC, CPU0, { 1 * SEC, 1 * SEC, 0 }, 0, 1, 0,
	  false, T0, 2 * SEC, 1 * SEC, 1 * SEC, 0, 0.5, 0 },
	{ "from after to: no alive time", W10,
	  T0 + 8 * SEC, T0 + 6 * SEC, CPU0, { 1 * SEC, 1 * SEC, 0 }, 0, 1, 0,
	  false, T0, 0, 1 * SEC, 1 * SEC, 0, 0, 0 },
	{ "window 3600 s, at an hour edge", 3600 * SEC,
	  H0 + 1800 * SEC, H0 + 3600 * SEC, CPU0, { 900 * SEC, 900 * SEC, 0 },
	  0, 1, 0, true, H0, 1800 * SEC, 900 * SEC, 900 * SEC, 0, 0.5, 0 },
	{ "window 1 s, reading inside", SEC,
	  T0 + 200 * MS, T0 + 700 * MS, CPU0, { 100 * MS, 100 * MS, 0 }, 0, 1,
	  0, false, T0, 500 * MS, 100 * MS, 100 * MS, 0, 0.2, 0 },
	/* CPU utilization normalised by the number of CPUs */
	{ "1 s of CPU in a 1 s window on 2 CPUs", SEC,
	  T0, T0 + SEC, CPU0, { SEC, SEC, 0 }, 0, 2, 0, true,
	  T0, SEC, SEC, SEC, 0, 0.5, 0 },
	{ "1 s of CPU in a 1 s window on 1 CPU", SEC,
	  T0, T0 + SEC, CPU0, { SEC, SEC, 0 }, 0, 1, 0, true,
	  T0, SEC, SEC, SEC, 0, 1.0, 0 },
	{ "1 s of CPU in a 1 s window on 4 CPUs", SEC,
	  T0, T0 + SEC, CPU0, { SEC, SEC, 0 }, 0, 4, 0, true,
	  T0, SEC, SEC, SEC, 0, 0.25, 0 },
	{ "3 s of CPU in 1 s on 2 CPUs is capped at 1", SEC,
	  T0, T0 + SEC, CPU0, { 3 * SEC, 3 * SEC, 0 }, 0, 2, 0, true,
	  T0, SEC, 3 * SEC, 3 * SEC, 0, 1.0, 0 },
	{ "CPU count unknown (0): no utilization", SEC,
	  T0, T0 + SEC, CPU0, { SEC, SEC, 0 }, 0, 0, 0, true,
	  T0, SEC, SEC, SEC, 0, 0, 0 },
	{ "no alive time: no utilization", W10,
	  T0 + 3 * SEC, T0 + 3 * SEC, CPU0, { SEC, SEC, 0 }, 0, 2, 0, false,
	  T0, 0, SEC, SEC, 0, 0, 0 },
	{ "counters from a non-zero baseline", W10,
	  T0, T0 + 10 * SEC, { 100 * SEC, 60 * SEC, 40 * SEC },
	  { 104 * SEC, 63 * SEC, 41 * SEC }, 0, 2, 0, true,
	  T0, 10 * SEC, 4 * SEC, 3 * SEC, 1 * SEC, 0.2, 0 },
	/* counters going backwards count 0 */
	{ "runtime went backwards", W10,
	  T0, T0 + 10 * SEC, { 5 * SEC, 5 * SEC, 0 }, { 3 * SEC, 3 * SEC, 0 },
	  0, 2, 0, true, T0, 10 * SEC, 0, 0, 0, 0, 0 },
	{ "ticks went backwards, runtime forward: all user", W10,
	  T0, T0 + 10 * SEC, { 1 * SEC, 5 * SEC, 5 * SEC },
	  { 2 * SEC, 4 * SEC, 4 * SEC }, 0, 1, 0, true,
	  T0, 10 * SEC, 1 * SEC, 1 * SEC, 0, 0.1, 0 },
	{ "stime went backwards, utime forward: all user", W10,
	  T0, T0 + 10 * SEC, { 0, 0, 5 * SEC }, { 2 * SEC, 1 * SEC, 4 * SEC },
	  0, 1, 0, true, T0, 10 * SEC, 2 * SEC, 2 * SEC, 0, 0.2, 0 },
	{ "utime went backwards, stime forward: all system", W10,
	  T0, T0 + 10 * SEC, { 0, 5 * SEC, 0 }, { 2 * SEC, 4 * SEC, 1 * SEC },
	  0, 1, 0, true, T0, 10 * SEC, 2 * SEC, 0, 2 * SEC, 0.2, 0 },
	/* user/system split as the kernel's cputime_adjust */
	{ "only utime ticked: all user", W10,
	  T0, T0 + 10 * SEC, CPU0, { 4 * SEC, 30 * MS, 0 }, 0, 2, 0, true,
	  T0, 10 * SEC, 4 * SEC, 4 * SEC, 0, 0.2, 0 },
	{ "only stime ticked: all system", W10,
	  T0, T0 + 10 * SEC, CPU0, { 4 * SEC, 0, 30 * MS }, 0, 2, 0, true,
	  T0, 10 * SEC, 4 * SEC, 0, 4 * SEC, 0.2, 0 },
	{ "no tick: all user", W10,
	  T0, T0 + 10 * SEC, CPU0, { 4 * SEC, 0, 0 }, 0, 2, 0, true,
	  T0, 10 * SEC, 4 * SEC, 4 * SEC, 0, 0.2, 0 },
	{ "3:1 ticks split 4 s as 3 + 1", W10,
	  T0, T0 + 10 * SEC, CPU0, { 4 * SEC, 30 * MS, 10 * MS }, 0, 2, 0,
	  true, T0, 10 * SEC, 4 * SEC, 3 * SEC, 1 * SEC, 0.2, 0 },
	{ "ticks far from runtime keep their ratio", W10,
	  T0, T0 + 10 * SEC, CPU0, { 1 * SEC, 3 * SEC, 1 * SEC }, 0, 1, 0,
	  true, T0, 10 * SEC, 1 * SEC, 750 * MS, 250 * MS, 0.1, 0 },
	{ "1:2 ticks: system truncated, user the rest", W10,
	  T0, T0 + 10 * SEC, CPU0, { 1 * SEC, 1, 2 }, 0, 1, 0, true,
	  T0, 10 * SEC, 1 * SEC, 333333334, 666666666, 0.1, 0 },
	{ "ticks but no runtime: nothing to split", W10,
	  T0, T0 + 10 * SEC, CPU0, { 0, 10 * MS, 10 * MS }, 0, 1, 0, true,
	  T0, 10 * SEC, 0, 0, 0, 0, 0 },
	/* memory as a percent of MemTotal */
	{ "1 GiB of 4 GiB is 25 %", W10,
	  T0, T0 + 10 * SEC, CPU0, CPU0, GIB, 2, 4 * GIB, true,
	  T0, 10 * SEC, 0, 0, 0, 0, 25.0 },
	{ "4 GiB of 4 GiB is 100 %", W10,
	  T0, T0 + 10 * SEC, CPU0, CPU0, 4 * GIB, 2, 4 * GIB, true,
	  T0, 10 * SEC, 0, 0, 0, 0, 100.0 },
	{ "one 4 KiB page of 16 GiB", W10,
	  T0, T0 + 10 * SEC, CPU0, CPU0, 4096, 2, 16 * GIB, true,
	  T0, 10 * SEC, 0, 0, 0, 0, 2.384185791015625e-05 },
	{ "MemTotal unknown: usage kept, no utilization", W10,
	  T0, T0 + 10 * SEC, CPU0, CPU0, GIB, 2, 0, true,
	  T0, 10 * SEC, 0, 0, 0, 0, 0 },
	{ "no resident memory", W10,
	  T0, T0 + 10 * SEC, CPU0, CPU0, 0, 2, 4 * GIB, true,
	  T0, 10 * SEC, 0, 0, 0, 0, 0 },
};

ParameterizedTestParameters(window, measure)
{
	return cr_make_param_array(struct measure_case, measure_cases,
				   WIN_ARRAY_SIZE(measure_cases));
}

#define ASSERT_U64(what, field, got, want)				\
	cr_assert_eq((got), (want), "%s: %s is %llu, want %llu", (what),	\
		     (field), (unsigned long long)(got),			\
		     (unsigned long long)(want))

ParameterizedTest(struct measure_case *c, window, measure)
{
	struct window_measure m;

	/* every field is set, whatever was there */
	memset(&m, 0xa5, sizeof(m));
	window_measure(&m, c->window_ns, c->from_ns, c->to_ns, &c->a, &c->b,
		       c->rss, c->ncpu, c->mem_total, c->at_edge);
	ASSERT_U64(c->what, "bucket_start", m.bucket_start, c->bucket_start);
	ASSERT_U64(c->what, "bucket_end", m.bucket_end,
		   c->bucket_start + c->window_ns);
	ASSERT_U64(c->what, "alive_ns", m.alive_ns, c->alive_ns);
	ASSERT_U64(c->what, "cpu_ns", m.cpu_ns, c->cpu_ns);
	ASSERT_U64(c->what, "user_ns", m.user_ns, c->user_ns);
	ASSERT_U64(c->what, "system_ns", m.system_ns, c->system_ns);
	ASSERT_U64(c->what, "user_ns + system_ns", m.user_ns + m.system_ns,
		   m.cpu_ns);
	cr_assert(fabs(m.cpu_utilization - c->cpu_util) < 1e-12,
		  "%s: cpu_utilization is %.17g, want %.17g", c->what,
		  m.cpu_utilization, c->cpu_util);
	cr_assert(m.cpu_utilization >= 0 && m.cpu_utilization <= 1,
		  "%s: cpu_utilization %.17g outside 0..1", c->what,
		  m.cpu_utilization);
	ASSERT_U64(c->what, "rss_bytes", m.rss_bytes, c->rss);
	cr_assert(fabs(m.memory_utilization - c->mem_util) < 1e-12,
		  "%s: memory_utilization is %.17g, want %.17g", c->what,
		  m.memory_utilization, c->mem_util);
	cr_assert(m.alive_ns <= c->window_ns,
		  "%s: alive %llu longer than the window", c->what,
		  (unsigned long long)m.alive_ns);
}

/* window_nonzero: the detection's filter, on the utilizations */

struct nonzero_case {
	const char *what;
	double cpu_util;
	double mem_util;
	uint64_t cpu_ns;
	uint64_t rss;
	bool want;
};

static struct nonzero_case nonzero_cases[] = {
	{ "nothing used", 0, 0, 0, 0, false },
	{ "CPU only", 0.25, 0, 5 * SEC, 0, true },
	{ "memory only", 0, 25.0, 0, GIB, true },
	{ "both", 0.1, 1.5, SEC, GIB, true },
	{ "the smallest CPU", 1e-12, 0, 1, 0, true },
	{ "the smallest memory", 0, 1e-12, 0, 4096, true },
	/* the filter is on the utilizations, as README.md says */
	{ "CPU time but no alive time", 0, 0, SEC, 0, false },
	{ "resident memory but MemTotal unknown", 0, 0, 0, GIB, false },
};

ParameterizedTestParameters(window, nonzero)
{
	return cr_make_param_array(struct nonzero_case, nonzero_cases,
				   WIN_ARRAY_SIZE(nonzero_cases));
}

ParameterizedTest(struct nonzero_case *c, window, nonzero)
{
	struct window_measure m = {
		.bucket_start = T0,
		.bucket_end = T0 + 10 * SEC,
		.cpu_ns = c->cpu_ns,
		.user_ns = c->cpu_ns,
		.cpu_utilization = c->cpu_util,
		.rss_bytes = c->rss,
		.memory_utilization = c->mem_util,
	};

	cr_assert_eq(window_nonzero(&m), c->want,
		     "%s: window_nonzero is %d, want %d", c->what,
		     window_nonzero(&m), c->want);
}

/* the filter on what window_measure computed */
Test(window, measured_idle_window_is_zero)
{
	struct sw_cpu a = { 7 * SEC, 4 * SEC, 3 * SEC };
	struct window_measure m;

	window_measure(&m, 10 * SEC, T0, T0 + 10 * SEC, &a, &a, 0, 2, 4 * GIB,
		       true);
	cr_assert_not(window_nonzero(&m),
		      "idle window without memory: window_nonzero is true");
	window_measure(&m, 10 * SEC, T0, T0 + 10 * SEC, &a, &a, 4096, 2,
		       4 * GIB, true);
	cr_assert(window_nonzero(&m),
		  "idle window with one resident page: window_nonzero is false");
}

/* consecutive edge readings tile the timeline with whole windows */
Test(window, consecutive_edges_tile)
{
	struct sw_cpu a = { 0, 0, 0 }, b;
	uint64_t from = T0 + 3 * SEC, edge, total_alive = 0, total_cpu = 0;
	struct window_measure m;
	int i;

	for (i = 1; i <= 5; i++) {
		edge = T0 + (uint64_t)i * 10 * SEC;
		b = (struct sw_cpu){ a.runtime_ns + SEC, a.utime_ns + SEC, 0 };
		window_measure(&m, 10 * SEC, from, edge, &a, &b, 0, 1, 0, true);
		cr_assert_eq(m.bucket_end, edge, "edge %d: bucket ends at %llu, want %llu",
			     i, (unsigned long long)m.bucket_end,
			     (unsigned long long)edge);
		cr_assert_eq(m.bucket_start, edge - 10 * SEC,
			     "edge %d: bucket start", i);
		total_alive += m.alive_ns;
		total_cpu += m.cpu_ns;
		a = b;
		from = edge;
	}
	cr_assert_eq(total_alive, 47 * SEC, "alive over 5 edges is %llu, want 47 s",
		     (unsigned long long)total_alive);
	cr_assert_eq(total_cpu, 5 * SEC, "CPU over 5 edges is %llu, want 5 s",
		     (unsigned long long)total_cpu);
}

/* tick samples whose sum does not fit in 64 bits (a recording may say so):
 * the split stays within the run time (the replay fuzzer's find) */
Test(window, tick_samples_past_64_bits)
{
	struct sw_cpu a = { 0, 0, 0 };
	struct sw_cpu b = { 1000, 1ULL << 63, (1ULL << 63) + 10 };
	struct window_measure m;

	window_measure(&m, 10 * SEC, T0, T0 + SEC, &a, &b, 0, 2, 4 * GIB,
		       false);
	cr_assert_eq(m.cpu_ns, 1000);
	/* about even, as the samples are */
	cr_assert(m.system_ns >= 450 && m.system_ns <= 550, "system %llu",
		  (unsigned long long)m.system_ns);
	cr_assert_eq(m.user_ns + m.system_ns, 1000);
}
