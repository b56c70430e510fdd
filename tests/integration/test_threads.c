// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A multi-threaded shell (progs/threads_sh.c, run through a link named
 * bash) whose thread group ends as an attacker's may: the leader leaves
 * first with SYS_exit and waits as a zombie while a thread works on, or a
 * thread execs and de_thread() makes it the leader. Its CPU counts whole
 * and once, its memory is seen, its exec ends its tracking, and it gives
 * its place in the kernel's table back.
 */
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <criterion/criterion.h>
#include "sw_assert.h"
#include "sw_proc.h"
#include "sw_run.h"

#define WAIT_MS		5000
#define MAX_RECS	64

static char link_dir[] = "/tmp/sw-threads-XXXXXX";
static char shell[PATH_MAX];

/* the helper, as a binary named bash */
static void link_shell(void)
{
	const char *helper = getenv("SW_THREADS_SH");
	char real[PATH_MAX];

	cr_assert_not_null(helper, "SW_THREADS_SH is not set (make integration sets it)");
	cr_assert_not_null(realpath(helper, real), "no %s", helper);
	cr_assert_not_null(mkdtemp(link_dir), "mkdtemp");
	snprintf(shell, sizeof(shell), "%s/bash", link_dir);
	cr_assert_eq(symlink(real, shell), 0, "cannot link %s to %s", shell,
		     real);
}

static void unlink_shell(void)
{
	unlink(shell);
	rmdir(link_dir);
}

/*
 * run the helper with args, its stdin from *in (the write end returned
 * there, -1 for none) and fd 3 a pipe whose read end goes to *said
 */
static pid_t start(char *const argv[], int *in, int *said)
{
	int ip[2], sp[2];
	pid_t pid;

	cr_assert_eq(pipe(ip), 0);
	cr_assert_eq(pipe(sp), 0);
	pid = fork();
	cr_assert_geq(pid, 0, "fork");
	if (!pid) {
		dup2(ip[0], 0);
		dup2(sp[1], 3);
		close(ip[1]);
		close(sp[0]);
		execv(shell, argv);
		_exit(127);
	}
	close(ip[0]);
	close(sp[1]);
	*in = ip[1];
	*said = sp[0];
	return pid;
}

/* the first line the helper said on fd 3 */
static void wait_said(int fd, const char *want)
{
	char buf[32] = "";
	ssize_t n = read(fd, buf, sizeof(buf) - 1);

	cr_assert_gt(n, 0, "the helper said nothing (it should say %s)", want);
	cr_assert(!strncmp(buf, want, strlen(want)), "the helper said %s",
		  buf);
}

/* a window of pid with memory.usage at least bytes, waiting up to ms */
static const struct jv *wait_memory(struct sw_run *r, pid_t pid, double bytes,
				    long ms)
{
	const struct jv *wins[MAX_RECS];
	long deadline = sw_now_ms() + ms;
	size_t n, i;

	for (;;) {
		sw_run_read(r);
		n = sw_run_records(r, "window", pid, wins, MAX_RECS);
		for (i = 0; i < n && i < MAX_RECS; i++)
			if (sw_field_num(wins[i], "process.memory.usage") >= bytes)
				return wins[i];
		if (sw_now_ms() > deadline)
			return NULL;
		usleep(20000);
	}
}

static double windows_sum(struct sw_run *r, pid_t pid, size_t *n)
{
	const struct jv *wins[MAX_RECS];
	double sum = 0;
	size_t i;

	*n = sw_run_records(r, "window", pid, wins, MAX_RECS);
	for (i = 0; i < *n && i < MAX_RECS; i++)
		sum += sw_field_num(wins[i], "process.cpu.time");
	return sum;
}

static const char *const window_args[] = { "--window", "1", "--no-scan", NULL };

/*
 * The leader burns 300 ms and leaves with SYS_exit; a thread burns 300 ms
 * more and ends the group. Its parent (the test) reaps it only after the
 * exit record, so the zombie leader's counters are still its own at the
 * last thread's last switch, not in the signal's totals: the record
 * counted the last thread alone (300 ms of 600).
 */
Test(threads, zombie_leader_counts_in_the_exit, .timeout = 60)
{
	char *const argv[] = { "bash", "leader-first", "300", "300", NULL };
	const struct jv *ex;
	double got, total, sum;
	struct rusage ru;
	struct sw_run r;
	int in, said, status;
	size_t n;
	pid_t pid;

	link_shell();
	sw_run_start(&r, window_args);
	pid = start(argv, &in, &said);
	cr_assert_not_null(sw_run_wait_exec(&r, pid, WAIT_MS),
			   "no exec record for the threaded shell %d", pid);
	ex = sw_run_wait_record(&r, "exit", pid, 10000);
	cr_assert_not_null(ex, "no exit record for the threaded shell");
	cr_assert_eq(wait4(pid, &status, 0, &ru), pid, "wait4");
	sw_run_stop(&r);
	close(in);
	close(said);
	cr_assert(WIFEXITED(status) && !WEXITSTATUS(status),
		  "the helper failed (status %d)", status);
	/* the kernel's total, fork to reap: the exec is 1 ms or so in */
	total = ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
		(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
	got = sw_field_num(ex, "process.cpu.time");
	cr_assert(got >= total * 0.98 - 0.005 && got <= total + 0.002,
		  "the exit record says %.6f s of CPU, the kernel %.6f s for the whole group",
		  got, total);
	sum = windows_sum(&r, pid, &n);
	if (n)
		cr_assert(fabs(sum - got) <= fmax(0.02 * got, 0.01),
			  "%zu windows add up to %.6f s of CPU, the exit record says %.6f s",
			  n, sum, got);
	sw_run_free(&r);
	unlink_shell();
}

/*
 * A thread traced by the test burns 300 ms and leaves: it waits as a
 * zombie for its tracer, its counters its own, while the leader ends the
 * group. The exit record counted the leader alone.
 */
Test(threads, traced_zombie_thread_counts_in_the_exit, .timeout = 60)
{
	char *const argv[] = { "bash", "traced-thread", "300", NULL };
	char line[32] = "";
	const struct jv *ex;
	double got, total;
	struct rusage ru;
	struct sw_run r;
	int in, said, status;
	long tid = 0;
	pid_t pid;

	link_shell();
	sw_run_start(&r, window_args);
	pid = start(argv, &in, &said);
	cr_assert_gt(read(said, line, sizeof(line) - 1), 0, "no tid said");
	cr_assert_eq(sscanf(line, "tid %ld", &tid), 1, "the helper said %s",
		     line);
	cr_assert_eq(ptrace(PTRACE_SEIZE, (pid_t)tid, 0, 0), 0,
		     "cannot trace thread %ld", tid);
	cr_assert_eq(write(in, "x", 1), 1);
	ex = sw_run_wait_record(&r, "exit", pid, 10000);
	/* the tracer reaps its zombie, then the parent the group */
	cr_assert_eq(waitpid((pid_t)tid, &status, __WALL), (pid_t)tid,
		     "the traced thread was not reaped");
	cr_assert_eq(wait4(pid, &status, 0, &ru), pid, "wait4");
	sw_run_stop(&r);
	close(in);
	close(said);
	cr_assert_not_null(ex, "no exit record for the traced shell");
	cr_assert(WIFEXITED(status) && !WEXITSTATUS(status),
		  "the helper failed (status %d)", status);
	total = ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
		(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
	got = sw_field_num(ex, "process.cpu.time");
	cr_assert(got >= total * 0.98 - 0.005 && got <= total + 0.002,
		  "the exit record says %.6f s of CPU, the kernel %.6f s for the whole group",
		  got, total);
	sw_run_free(&r);
	unlink_shell();
}

/*
 * The leader leaves at once; a thread holds 64 MiB. The zombie leader has
 * no memory of its own: windows read as 0 bytes (and, with no CPU either,
 * were not written at all).
 */
Test(threads, zombie_leader_group_has_memory, .timeout = 60)
{
	char *const argv[] = { "bash", "leader-gone", "64", NULL };
	const struct jv *win, *ex;
	struct sw_run r;
	int in, said;
	pid_t pid;

	link_shell();
	sw_run_start(&r, window_args);
	pid = start(argv, &in, &said);
	wait_said(said, "ready");
	win = wait_memory(&r, pid, 64 << 20, WAIT_MS);
	close(in);
	ex = sw_run_wait_record(&r, "exit", pid, WAIT_MS);
	sw_wait(pid);
	sw_run_stop(&r);
	close(said);
	cr_assert_not_null(win, "no window of the threaded shell shows its 64 MiB");
	cr_assert_not_null(ex, "no exit record for the threaded shell");
	cr_assert_geq(sw_field_num(ex, "process.memory.peak"), 64 << 20,
		      "the exit's peak is below the 64 MiB its thread held");
	sw_run_free(&r);
	unlink_shell();
}

/*
 * A thread execs /bin/true: de_thread() makes it the leader, and the
 * entry on the old leader does not follow it. The exec ended nothing: no
 * exit record came until the daemon gave the shell up as lost.
 */
Test(threads, thread_exec_ends_with_an_exec_record, .timeout = 60)
{
	/* the leader gone before, or killed by the exec */
	static const char *const modes[] = { "thread-exec", "thread-exec-alive" };
	const struct jv *ex, *cmd;
	const char *id;
	struct sw_run r;
	int in, said;
	size_t i;
	pid_t pid;

	link_shell();
	sw_run_start(&r, window_args);
	for (i = 0; i < 2; i++) {
		char *const argv[] = { "bash", (char *)modes[i], "/bin/true",
				       NULL };

		pid = start(argv, &in, &said);
		ex = sw_run_wait_record(&r, "exit", pid, WAIT_MS);
		sw_wait(pid);
		close(in);
		close(said);
		cr_assert_not_null(ex, "%s: no exit record for the threaded shell",
				   modes[i]);
		sw_assert_str(ex, "process.exit.reason", "exec", modes[i]);
		sw_assert_str(ex, "process.exit.exec_name", "true", modes[i]);
		/* the session's command: the exec escaped the trail too */
		id = jv_str(jv_get(sw_run_wait_exec(&r, pid, 0), "exec_id"));
		cr_assert_not_null(id, "%s: no exec record", modes[i]);
		cmd = sw_run_wait_where(&r, "command", "exec_id", id, WAIT_MS);
		cr_assert_not_null(cmd, "%s: the thread's exec has no command record",
				   modes[i]);
	}
	sw_run_stop(&r);
	sw_run_free(&r);
	unlink_shell();
}

/*
 * Each thread's exec left the old leader's entry to be freed with it,
 * its place in the kernel's table never given back: --track-max of them
 * and no shell on the node was tracked any more.
 */
Test(threads, thread_exec_gives_its_place_back, .timeout = 60)
{
	static const char *const args[] = {
		"--window", "1", "--no-scan", "--track-max", "4",
		"--heartbeat", "1", NULL,
	};
	char *const argv[] = { "bash", "thread-exec", "/bin/true", NULL };
	const struct jv *st, *ex;
	struct sw_run r;
	int i, in, said;
	size_t mark;
	pid_t pid;

	link_shell();
	sw_run_start(&r, args);
	for (i = 0; i < 8; i++) {
		pid = start(argv, &in, &said);
		sw_wait(pid);
		close(in);
		close(said);
	}
	sw_run_read(&r);
	mark = r.nrecs;
	st = sw_run_wait_stats(&r, mark, "stats.tracking.kernel", 0, 0,
			       WAIT_MS);
	cr_assert_not_null(st, "the kernel still holds places for 8 ended shells");
	pid = sw_spawn("/bin/sh", (char *const[]){ "sh", "-c", "exit 0", NULL });
	sw_wait(pid);
	ex = sw_run_wait_record(&r, "exit", pid, WAIT_MS);
	sw_run_stop(&r);
	cr_assert_not_null(ex, "a shell after them was not tracked");
	sw_run_free(&r);
	unlink_shell();
}
