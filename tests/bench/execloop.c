// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Exec rate driver for the benchmark: fork + execve + waitpid, N times in
 * a row, timed with CLOCK_MONOTONIC; prints "<execs> <seconds> <execs/s>".
 *
 *   execloop N PATH [ARG]...     (argv[0] of the child is ARG1, or PATH)
 *
 * With EXECLOOP_COPIES=K (2..64) in the environment, exec i runs
 * PATH.<i % K> instead: K different binaries in turn.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

extern char **environ;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	char *const *args;
	char *dflt[2];
	long n, i, failed = 0, copies = 0;
	char path[4096];
	const char *env;
	double t0, t1;
	int status;
	pid_t pid;

	if (argc < 3) {
		fprintf(stderr, "usage: execloop N PATH [ARGV0 ARG...]\n");
		return 2;
	}
	n = atol(argv[1]);
	if (n <= 0) {
		fprintf(stderr, "execloop: N must be positive\n");
		return 2;
	}
	env = getenv("EXECLOOP_COPIES");
	if (env) {
		copies = atol(env);
		if (copies < 2 || copies > 64) {
			fprintf(stderr, "execloop: EXECLOOP_COPIES must be 2..64\n");
			return 2;
		}
	}
	if (argc > 3) {
		args = argv + 3;
	} else {
		dflt[0] = argv[2];
		dflt[1] = NULL;
		args = dflt;
	}

	t0 = now();
	for (i = 0; i < n; i++) {
		pid = fork();
		if (pid < 0) {
			perror("execloop: fork");
			return 1;
		}
		if (pid == 0) {
			if (copies)
				snprintf(path, sizeof(path), "%s.%ld", argv[2],
					 i % copies);
			execve(copies ? path : argv[2], args, environ);
			_exit(127);
		}
		while (waitpid(pid, &status, 0) < 0)
			if (errno != EINTR) {
				perror("execloop: waitpid");
				return 1;
			}
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			failed++;
	}
	t1 = now();
	if (failed)
		fprintf(stderr, "execloop: %ld of %ld children failed\n",
			failed, n);
	printf("%ld %.6f %.1f\n", n, t1 - t0, n / (t1 - t0));
	return failed ? 1 : 0;
}
