// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Shell starter for the benchmark. Three modes:
 *
 *   spawn -r RATE -d SECONDS [-p PIDLOG] -- PATH ARGV0 [ARG]...
 *       paced: a child every 1/RATE s on an absolute schedule (late
 *       starts are not made up in a burst: the schedule slips instead)
 *   spawn -r 0 -d SECONDS [-c INFLIGHT] [-p PIDLOG] -- PATH ARGV0 [ARG]...
 *       as fast as possible: INFLIGHT children at a time (default: CPUs)
 *   spawn -L MIN_MS:MAX_MS:COUNT -d SECONDS [-s SEED] [-p PIDLOG]
 *       COUNT shells "sh -c 'sleep X'" started evenly over SECONDS, X
 *       log-uniform from MIN_MS to MAX_MS; waits for all of them
 *
 * Children are reaped as they end. PIDLOG gets one line per child:
 * "<pid> <CLOCK_REALTIME ns just before fork> <lifetime ms or 0>".
 * Prints "<started> <seconds> <started/s> <max lag ms> <failed> <skipped>"
 * at the end: seconds is the starting period, failed the children that did
 * not exit 0, skipped the paced slots missed by more than 100 ms.
 */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

extern char **environ;

static long failed;
static long running;

static uint64_t ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void reap(int block)
{
	int status;
	pid_t p;

	while (running > 0) {
		p = waitpid(-1, &status, block ? 0 : WNOHANG);
		if (p < 0) {
			if (errno == EINTR)
				continue;
			running = 0;
			return;
		}
		if (p == 0)
			return;
		running--;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			failed++;
		block = 0;
	}
}

static pid_t start(char *path, char **args, FILE *log, double life_ms)
{
	uint64_t t = ns(CLOCK_REALTIME);
	pid_t pid = fork();

	if (pid < 0) {
		perror("spawn: fork");
		return -1;
	}
	if (pid == 0) {
		execve(path, args, environ);
		_exit(127);
	}
	running++;
	if (log)
		fprintf(log, "%d %llu %.0f\n", pid, (unsigned long long)t,
			life_ms);
	return pid;
}

static void sleep_until(uint64_t mono_ns)
{
	struct timespec ts = {
		.tv_sec = mono_ns / 1000000000ULL,
		.tv_nsec = mono_ns % 1000000000ULL,
	};

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	       EINTR)
		;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: spawn -r RATE -d SECONDS [-c INFLIGHT] [-p PIDLOG] -- PATH ARGV0 [ARG]...\n"
		"       spawn -L MIN_MS:MAX_MS:COUNT -d SECONDS [-s SEED] [-p PIDLOG]\n");
	return 2;
}

int main(int argc, char **argv)
{
	double rate = -1, secs = 0, lmin = 0, lmax = 0, lag, maxlag = 0;
	long inflight = sysconf(_SC_NPROCESSORS_ONLN), count = 0, n = 0, i;
	long skipped = 0;
	unsigned int seed = 1;
	const char *pidlog = NULL;
	char **args = NULL, *path = NULL, buf[64];
	char *shargs[4] = { "sh", "-c", buf, NULL };
	uint64_t t0, end, next, now;
	FILE *log = NULL;
	int c;

	while ((c = getopt(argc, argv, "r:d:c:p:L:s:")) != -1) {
		switch (c) {
		case 'r': rate = atof(optarg); break;
		case 'd': secs = atof(optarg); break;
		case 'c': inflight = atol(optarg); break;
		case 'p': pidlog = optarg; break;
		case 's': seed = strtoul(optarg, NULL, 10); break;
		case 'L':
			if (sscanf(optarg, "%lf:%lf:%ld", &lmin, &lmax, &count) != 3 ||
			    lmin <= 0 || lmax < lmin || count <= 0)
				return usage();
			break;
		default:
			return usage();
		}
	}
	if (secs <= 0 || inflight < 1)
		return usage();
	if (!count) {
		if (rate < 0 || optind + 2 > argc)
			return usage();
		path = argv[optind];
		args = argv + optind + 1;
	}
	if (pidlog) {
		log = fopen(pidlog, "w");
		if (!log) {
			perror(pidlog);
			return 1;
		}
	}
	signal(SIGPIPE, SIG_IGN);

	t0 = ns(CLOCK_MONOTONIC);
	end = t0 + (uint64_t)(secs * 1e9);
	if (count) {
		/* coverage: COUNT sleeping shells, evenly spread */
		for (i = 0; i < count; i++) {
			double u = rand_r(&seed) / (double)RAND_MAX;
			double life = lmin * pow(lmax / lmin, u);

			next = t0 + (uint64_t)(secs * 1e9 * i / count);
			reap(0);
			sleep_until(next);
			snprintf(buf, sizeof(buf), "sleep %.3f", life / 1000);
			if (start("/bin/sh", shargs, log, life) > 0)
				n++;
		}
	} else if (rate > 0) {
		/* paced on a fixed schedule; more than 100 ms behind, the
		 * missed slots are skipped, not made up in a burst */
		for (i = 0;; i++) {
			next = t0 + (uint64_t)(i * 1e9 / rate);
			if (next >= end)
				break;
			reap(0);
			now = ns(CLOCK_MONOTONIC);
			if (now < next) {
				sleep_until(next);
			} else {
				lag = (now - next) / 1e6;
				if (lag > maxlag)
					maxlag = lag;
				if (lag > 100) {
					long j = (long)((now - t0) / 1e9 * rate);

					skipped += j - i;
					i = j;
				}
			}
			if (start(path, args, log, 0) > 0)
				n++;
		}
	} else {
		/* as fast as possible, INFLIGHT at a time */
		while ((now = ns(CLOCK_MONOTONIC)) < end) {
			while (running >= inflight)
				reap(1);
			if (start(path, args, log, 0) > 0)
				n++;
		}
	}
	/* the rate is over the starting period; then wait for the rest */
	now = ns(CLOCK_MONOTONIC);
	while (running > 0)
		reap(1);
	if (log)
		fclose(log);
	secs = (now - t0) / 1e9;
	printf("%ld %.3f %.1f %.1f %ld %ld\n", n, secs, n / secs, maxlag, failed,
	       skipped);
	return 0;
}
