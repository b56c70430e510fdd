// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A multi-threaded "shell" for the accounting tests, run through a link
 * named like a shell. Its thread group ends the ways an attacker's can:
 *
 *   threads_sh leader-first MS MS   the leader burns MS of CPU and leaves
 *                                   with SYS_exit (a zombie until the group
 *                                   ends); a thread burns the second MS and
 *                                   is the last to die
 *   threads_sh leader-gone MIB      the leader leaves with SYS_exit; a
 *                                   thread holds MIB of touched memory,
 *                                   says "ready" and waits for EOF on
 *                                   stdin
 *   threads_sh thread-exec PATH     the leader leaves with SYS_exit, then
 *                                   a thread execs PATH
 *   threads_sh traced-thread MS     a thread says its tid, waits for a
 *                                   byte on stdin (its tracer attaching),
 *                                   burns MS and leaves with SYS_exit; the
 *                                   leader then ends the group
 *   threads_sh thread-exec-alive PATH
 *                                   a thread execs PATH while the leader
 *                                   waits (de_thread() kills it)
 *
 * It writes one line to fd 3 when its state is reached, when given one.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

static long thread_cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* burn ms of this thread's CPU without a system call in the loop body */
static void burn(long ms)
{
	volatile unsigned long x = 0;
	long end = thread_cpu_ms() + ms;
	int i;

	while (thread_cpu_ms() < end)
		for (i = 0; i < 100000; i++)
			x += i;
}

static void say(const char *what)
{
	if (write(3, what, strlen(what)) < 0) {
		/* no fd 3: nobody listens */
	}
}

static long arg_ms;
static char *arg_path;

static void *burner(void *unused)
{
	(void)unused;
	burn(arg_ms);
	/* the last thread: the group ends with status 0 */
	syscall(SYS_exit_group, 0);
	return NULL;
}

static void *holder(void *unused)
{
	size_t len = (size_t)arg_ms << 20, i;
	volatile char *p = malloc(len);
	char c;

	(void)unused;
	if (!p)
		syscall(SYS_exit_group, 1);
	/* every page touched, through a pointer the compiler keeps */
	for (i = 0; i < len; i += 4096)
		p[i] = 1;
	say("ready\n");
	while (read(0, &c, 1) > 0)
		;
	syscall(SYS_exit_group, 0);
	return NULL;
}

static void *traced(void *unused)
{
	char line[32], c;

	(void)unused;
	snprintf(line, sizeof(line), "tid %ld\n", (long)syscall(SYS_gettid));
	say(line);
	if (read(0, &c, 1) != 1)
		syscall(SYS_exit_group, 1);
	burn(arg_ms);
	syscall(SYS_exit, 0);
	return NULL;
}

static void *execer(void *unused)
{
	char *argv[] = { arg_path, NULL };

	(void)unused;
	execv(arg_path, argv);
	syscall(SYS_exit_group, 127);
	return NULL;
}

/* start fn in a thread, then the leader leaves without ending the group */
static int leave_to(void *(*fn)(void *))
{
	pthread_t t;

	if (pthread_create(&t, NULL, fn, NULL))
		return 1;
	syscall(SYS_exit, 0);
	return 1;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "leader-first")) {
		burn(atol(argv[2]));
		arg_ms = atol(argv[3]);
		return leave_to(burner);
	}
	if (argc == 3 && !strcmp(argv[1], "leader-gone")) {
		arg_ms = atol(argv[2]);
		return leave_to(holder);
	}
	if (argc == 3 && !strcmp(argv[1], "traced-thread")) {
		pthread_t t;

		arg_ms = atol(argv[2]);
		if (pthread_create(&t, NULL, traced, NULL) ||
		    pthread_join(t, NULL))
			return 1;
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "thread-exec")) {
		arg_path = argv[2];
		return leave_to(execer);
	}
	if (argc == 3 && !strcmp(argv[1], "thread-exec-alive")) {
		pthread_t t;

		arg_path = argv[2];
		if (pthread_create(&t, NULL, execer, NULL))
			return 1;
		for (;;)
			pause();
	}
	fprintf(stderr, "usage: threads_sh leader-first MS MS | leader-gone MIB | traced-thread MS | thread-exec[-alive] PATH\n");
	return 2;
}
