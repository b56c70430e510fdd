// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <time.h>
#include "clock.h"

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

uint64_t clock_boot_now(void)
{
	return clock_ns(CLOCK_BOOTTIME);
}

uint64_t clock_real_now(void)
{
	return clock_ns(CLOCK_REALTIME);
}

int64_t clock_boot_offset(void)
{
	uint64_t b1, r, b2;

	/* bracket the realtime read so the offset is exact to the call */
	b1 = clock_boot_now();
	r = clock_real_now();
	b2 = clock_boot_now();
	return (int64_t)(r - (b1 + (b2 - b1) / 2));
}

int clock_rfc3339(uint64_t real_ns, char *buf, size_t len)
{
	time_t sec = real_ns / NSEC_PER_SEC;
	struct tm tm;
	int n;

	if (!gmtime_r(&sec, &tm))
		return -EINVAL;
	n = snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%09lluZ",
		     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		     tm.tm_min, tm.tm_sec,
		     (unsigned long long)(real_ns % NSEC_PER_SEC));
	if (n < 0 || (size_t)n >= len)
		return -EINVAL;
	return 0;
}
