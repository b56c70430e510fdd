// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdbool.h>
#include <time.h>
#include "clock.h"

/* the recorded clocks of a replay */
static struct {
	bool on;
	uint64_t boot_ns, real_ns;
} replayed;

void clock_replay(uint64_t boot_ns, uint64_t real_ns)
{
	replayed.on = true;
	replayed.boot_ns = boot_ns;
	replayed.real_ns = real_ns;
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	if (replayed.on)
		return id == CLOCK_BOOTTIME ? replayed.boot_ns :
					      replayed.real_ns;
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

uint64_t clock_mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

uint64_t clock_mono_ms(void)
{
	return clock_mono_now() / 1000000;
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

/* n decimal digits of v, zero-padded, at p; returns p + n */
static char *put_digits(char *p, uint64_t v, int n)
{
	int i;

	for (i = n - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + n;
}

/*
 * The civil date of a day count since 1970-01-01, proleptic Gregorian:
 * whole 400-year eras of 146097 days, then the year and day within one,
 * counting years from March so that the leap day comes last
 */
static void civil_from_days(int64_t z, int64_t *y, unsigned int *m,
			    unsigned int *d)
{
	int64_t era, yy;
	uint64_t doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (uint64_t)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	yy = (int64_t)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yy + (*m <= 2);
}

int clock_rfc3339(uint64_t real_ns, char *buf, size_t len)
{
	uint64_t sec = real_ns / NSEC_PER_SEC, sod = sec % 86400;
	unsigned int mon, day;
	int64_t year;
	char *p = buf;

	/* "YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ" and the NUL */
	if (len < 31)
		return -EINVAL;
	/* 2^64 ns is in the year 2554: always four digits */
	civil_from_days((int64_t)(sec / 86400), &year, &mon, &day);
	p = put_digits(p, (uint64_t)year, 4);
	*p++ = '-';
	p = put_digits(p, mon, 2);
	*p++ = '-';
	p = put_digits(p, day, 2);
	*p++ = 'T';
	p = put_digits(p, sod / 3600, 2);
	*p++ = ':';
	p = put_digits(p, sod / 60 % 60, 2);
	*p++ = ':';
	p = put_digits(p, sod % 60, 2);
	*p++ = '.';
	p = put_digits(p, real_ns % NSEC_PER_SEC, 9);
	*p++ = 'Z';
	*p = '\0';
	return 0;
}
