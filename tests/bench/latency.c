// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Reader of the sensor's stdout for the benchmark. Reads JSON lines from
 * stdin (a pipe from the sensor), stamps each read with CLOCK_REALTIME and:
 *
 *   - for every "exec" record writes "<pid> <exec ns> <read ns> <tag>" to
 *     EXECLOG, where exec ns is the record's "time" (the kernel's exec
 *     time, RFC 3339 UTC with nanoseconds) and tag is the word after
 *     "swbench:" in the record (from the command line), or "-";
 *   - copies every record that is not exec, window or exit (start, stats,
 *     loss, stop) to KEEP, flushed at once, so a caller can wait for the
 *     start record and read the stop record;
 *   - optionally copies every line to ALL.
 *
 *   latency EXECLOG KEEP [ALL]
 *
 * Ends at end of input and prints "<lines> <exec records>" on stderr.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BUF_SIZE	(1 << 20)

static uint64_t realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* days since 1970-01-01 of a proleptic Gregorian date */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

/* "2026-11-27T23:46:24.926279992Z" -> ns since the epoch; 0 on error */
static uint64_t parse_rfc3339(const char *s, const char *end)
{
	int y, mo, d, h, mi, sec, n = 0;
	uint64_t frac = 0, scale = 1000000000ULL;
	const char *p;

	if (end - s < 20 ||
	    sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec,
		   &n) != 6 || n != 19)
		return 0;
	p = s + 19;
	if (p < end && *p == '.') {
		for (p++; p < end && *p >= '0' && *p <= '9'; p++) {
			if (scale > 1) {
				scale /= 10;
				frac += (uint64_t)(*p - '0') * scale;
			}
		}
	}
	if (p >= end || *p != 'Z')
		return 0;
	return ((uint64_t)days_from_civil(y, mo, d) * 86400 + h * 3600 +
		mi * 60 + sec) * 1000000000ULL + frac;
}

/* the value of the first "key":"..." string in the line */
static const char *find_str(const char *line, size_t len, const char *key,
			    const char **vend)
{
	const char *p = memmem(line, len, key, strlen(key)), *q;

	if (!p)
		return NULL;
	p += strlen(key);
	q = memchr(p, '"', line + len - p);
	if (!q)
		return NULL;
	*vend = q;
	return p;
}

static int starts(const char *line, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && !memcmp(line, prefix, n);
}

static void handle(const char *line, size_t len, uint64_t now, FILE *execlog,
		   FILE *keep, long *execs)
{
	const char *t, *tend, *p, *tag;
	char tagbuf[32];
	unsigned long pid = 0;
	size_t i;

	if (starts(line, len, "{\"type\":\"exec\"")) {
		(*execs)++;
		t = find_str(line, len, "\"time\":\"", &tend);
		p = memmem(line, len, "\"process\":{\"pid\":", 17);
		if (p)
			pid = strtoul(p + 17, NULL, 10);
		tag = memmem(line, len, "swbench:", 8);
		strcpy(tagbuf, "-");
		if (tag) {
			tag += 8;
			for (i = 0; i < sizeof(tagbuf) - 1 && tag + i < line + len &&
			     ((tag[i] >= 'a' && tag[i] <= 'z') ||
			      (tag[i] >= '0' && tag[i] <= '9') || tag[i] == '_');
			     i++)
				tagbuf[i] = tag[i];
			if (i)
				tagbuf[i] = '\0';
		}
		fprintf(execlog, "%lu %llu %llu %s\n", pid,
			(unsigned long long)(t ? parse_rfc3339(t, tend + 1) : 0),
			(unsigned long long)now, tagbuf);
		return;
	}
	if (starts(line, len, "{\"type\":\"window\"") ||
	    starts(line, len, "{\"type\":\"exit\""))
		return;
	fwrite(line, 1, len, keep);
	fputc('\n', keep);
	fflush(keep);
}

int main(int argc, char **argv)
{
	FILE *execlog, *keep, *all = NULL;
	char *buf = malloc(BUF_SIZE), *nl, *p;
	size_t have = 0;
	long lines = 0, execs = 0;
	uint64_t now;
	ssize_t n;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: latency EXECLOG KEEP [ALL] < sensor-output\n");
		return 2;
	}
	execlog = fopen(argv[1], "w");
	keep = fopen(argv[2], "w");
	if (argc == 4)
		all = fopen(argv[3], "w");
	if (!buf || !execlog || !keep || (argc == 4 && !all)) {
		perror("latency");
		return 1;
	}
	for (;;) {
		n = read(STDIN_FILENO, buf + have, BUF_SIZE - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		now = realtime_ns();
		if (all)
			fwrite(buf + have, 1, n, all);
		have += n;
		p = buf;
		while ((nl = memchr(p, '\n', buf + have - p))) {
			handle(p, nl - p, now, execlog, keep, &execs);
			lines++;
			p = nl + 1;
		}
		have = buf + have - p;
		memmove(buf, p, have);
		if (have == BUF_SIZE) {
			/* a line longer than the buffer: drop it */
			fprintf(stderr, "latency: line over %d bytes dropped\n",
				BUF_SIZE);
			have = 0;
		}
	}
	fclose(execlog);
	fclose(keep);
	if (all)
		fclose(all);
	fprintf(stderr, "%ld %ld\n", lines, execs);
	return 0;
}
