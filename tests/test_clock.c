// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* RFC 3339 formatting against gmtime_r() and strftime() */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "clock.h"

/* what the formatter must write for ns, built with libc */
static void expect(uint64_t ns, char *out, size_t len)
{
	time_t sec = (time_t)(ns / NSEC_PER_SEC);
	struct tm tm;
	char date[32];

	cr_assert_not_null(gmtime_r(&sec, &tm));
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, len, "%s.%09lluZ", date,
		 (unsigned long long)(ns % NSEC_PER_SEC));
}

static void check(uint64_t ns)
{
	char got[40], want[64];

	memset(got, 'x', sizeof(got));
	cr_assert_eq(clock_rfc3339(ns, got, sizeof(got)), 0, "ns %llu",
		     (unsigned long long)ns);
	expect(ns, want, sizeof(want));
	cr_assert_str_eq(got, want, "ns %llu: got %s, expected %s",
			 (unsigned long long)ns, got, want);
}

Test(clock, rfc3339_edges)
{
	static const uint64_t secs[] = {
		0, 59, 86399, 86400, 951782400 /* 2000-02-29 */,
		951868800 /* 2000-03-01 */, 4107456000 /* 2100-02-28 */,
		4107542400 /* 2100-03-01 */, 1798761599 /* 2026-12-31 23:59:59 */,
		1798761600, 18446744073 /* the last second of 2^64 ns */,
	};
	size_t i;

	for (i = 0; i < sizeof(secs) / sizeof(secs[0]); i++) {
		check(secs[i] * NSEC_PER_SEC);
		if (secs[i] < 18446744073)
			check(secs[i] * NSEC_PER_SEC + 999999999);
		check(secs[i] * NSEC_PER_SEC + 1);
	}
}

Test(clock, rfc3339_every_day_and_random_times)
{
	uint64_t day, x = 88172645463325252ull;
	int i;

	/* every day from 1970 to 2200, at a varying time of day */
	for (day = 0; day < 84000; day++)
		check((day * 86400 + (day * 7919) % 86400) * NSEC_PER_SEC +
		      day * 12345);
	for (i = 0; i < 100000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		check(x);
	}
	check(UINT64_MAX);
}

Test(clock, rfc3339_refuses_short_buffers)
{
	char buf[40];

	cr_assert_eq(clock_rfc3339(0, buf, 30), -EINVAL);
	cr_assert_eq(clock_rfc3339(0, buf, 31), 0);
	cr_assert_str_eq(buf, "1970-01-01T00:00:00.000000000Z");
}
