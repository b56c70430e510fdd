// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A /proc poller in the manner of the OpenTelemetry Collector's process
 * scraper, for the coverage benchmark: every INTERVAL seconds, for
 * DURATION seconds (first poll at once), list the processes whose comm is
 * one of NAMES and print "<CLOCK_REALTIME ns of the poll> <pid> <comm>".
 *
 *   procpoll INTERVAL DURATION NAMES    (NAMES: comma-separated, e.g. sh,bash,dash)
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static uint64_t ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int wanted(const char *comm, const char *names)
{
	size_t n = strlen(comm);
	const char *p = names;

	while (*p) {
		const char *e = strchrnul(p, ',');

		if ((size_t)(e - p) == n && !memcmp(p, comm, n))
			return 1;
		p = *e ? e + 1 : e;
	}
	return 0;
}

static void poll_once(const char *names)
{
	uint64_t t = ns(CLOCK_REALTIME);
	char path[300], comm[32];
	struct dirent *de;
	DIR *d = opendir("/proc");
	ssize_t n;
	int fd;

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", de->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = read(fd, comm, sizeof(comm) - 1);
		close(fd);
		if (n <= 0)
			continue;
		comm[n] = '\0';
		comm[strcspn(comm, "\n")] = '\0';
		if (wanted(comm, names))
			printf("%llu %s %s\n", (unsigned long long)t,
			       de->d_name, comm);
	}
	closedir(d);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	double interval, duration;
	uint64_t t0, next;
	struct timespec ts;
	long i;

	if (argc != 4) {
		fprintf(stderr, "usage: procpoll INTERVAL DURATION NAMES\n");
		return 2;
	}
	interval = atof(argv[1]);
	duration = atof(argv[2]);
	if (interval <= 0 || duration < 0)
		return 2;
	t0 = ns(CLOCK_MONOTONIC);
	for (i = 0; i * interval <= duration; i++) {
		next = t0 + (uint64_t)(i * interval * 1e9);
		ts.tv_sec = next / 1000000000ULL;
		ts.tv_nsec = next % 1000000000ULL;
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts,
				       NULL) == EINTR)
			;
		poll_once(argv[3]);
	}
	return 0;
}
