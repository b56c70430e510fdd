// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * CPU time of short shells. At the exit tracepoint a task's running slice
 * is not yet in sum_exec_runtime (the scheduler adds it at ticks and
 * switches), so a shell that lives a few ms read little or nothing. The
 * exit record now takes the counters at the task's last switch off the
 * CPU, where they are whole.
 *
 * The record's process.cpu.time is the shell's CPU from its exec to its
 * end. Nothing outside the sensor measures that exactly, but it has two
 * exact bounds:
 * - at most what the kernel charged the whole child, fork to reap (wait4's
 *   rusage: utime + stime sum to sum_exec_runtime, cut to microseconds);
 * - at least that total less what the child had used when the shell ran
 *   its first command (read from /proc/self/schedstat, which counts the
 *   running slice: before it come the fork, the exec and dash's start-up).
 * After that read the shell burns at least 5 ms with no system call that
 * would update its counters, then exits: a record without the last slice
 * (up to a 4 ms tick here) falls below the lower bound.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <criterion/criterion.h>
#include "sw_assert.h"
#include "sw_run.h"

#define WAIT_MS		5000
#define ROUNDS		8
#define TRIES		40

static const char *const args[] = { "--no-scan", NULL };

/* $1: where the first read goes; $2: iterations of the loop */
static const char burn[] =
	"read -r t0 x < /proc/self/schedstat; echo \"$t0\" > \"$1\"; i=0; "
	"while [ $i -lt \"$2\" ]; do i=$((i + 1)); done; exit 0";

Test(cpu_exact, five_ms_shell_reports_its_last_slice, .timeout = 120)
{
	char out[] = "/tmp/sw-cpu-exact-XXXXXX", iters[24];
	char *const argv[] = { "sh", "-c", (char *)burn, "sh", out, iters, NULL };
	double first, total, got, burnt;
	unsigned long long t0;
	const struct jv *ex;
	int fd, k = 0, tries, status;
	long n = 4000;
	struct rusage ru;
	struct sw_run r;
	pid_t pid;
	FILE *f;

	fd = mkstemp(out);
	cr_assert_geq(fd, 0, "mkstemp");
	close(fd);
	sw_run_start(&r, args);
	for (tries = 0; k < ROUNDS && tries < TRIES; tries++) {
		snprintf(iters, sizeof(iters), "%ld", n);
		pid = sw_spawn("/bin/sh", argv);
		cr_assert_eq(wait4(pid, &status, 0, &ru), pid, "wait4");
		cr_assert_eq(status, 0, "the burner failed (status %d)", status);
		total = ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
			(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
		f = fopen(out, "r");
		cr_assert_not_null(f, "no %s", out);
		cr_assert_eq(fscanf(f, "%llu", &t0), 1, "the burner wrote no time");
		fclose(f);
		first = t0 / 1e9;
		ex = sw_run_wait_record(&r, "exit", pid, WAIT_MS);
		cr_assert_not_null(ex, "no exit record for pid %d", pid);
		got = sw_field_num(ex, "process.cpu.time");
		burnt = total - first;
		/* too fast a machine for n: a longer loop, this round uncounted */
		if (burnt < 0.005) {
			n *= 2;
			continue;
		}
		cr_assert_geq(got, burnt - 2e-6,
			      "round %d: exit cpu.time %.6f s, less than the %.6f s the child used after its first command (kernel total %.6f s, %.6f s before): its last slice is missing",
			      k, got, burnt, total, first);
		cr_assert_leq(got, total + 2e-6,
			      "round %d: exit cpu.time %.6f s, more than the kernel's total %.6f s for the whole child",
			      k, got, total);
		k++;
	}
	cr_assert_eq(k, ROUNDS, "%d rounds of a 5 ms burn in %d tries (last loop %ld iterations)",
		     k, TRIES, n);
	sw_run_stop(&r);
	sw_run_free(&r);
	unlink(out);
}
