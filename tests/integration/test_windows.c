// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Windows and exits with the real sensor (--window 1): CPU agrees with the
 * kernel's own accounting, memory is above zero, forks are tracked, exec
 * into a non-shell ends tracking, exit codes and signals are right.
 */
#include <math.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <criterion/criterion.h>
#include "sw_assert.h"
#include "sw_run.h"
#include "sw_spl.h"

#define WAIT_MS		5000
#define MAX_RECS	64

static const char *const window_args[] = { "--window", "1", "--no-scan", NULL };

/* the first field of /proc/pid/schedstat: CPU ns the scheduler counted */
static unsigned long long schedstat_ns(pid_t pid)
{
	unsigned long long ns = 0;
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/schedstat", pid);
	f = fopen(path, "r");
	cr_assert_not_null(f, "cannot open %s", path);
	cr_assert_eq(fscanf(f, "%llu", &ns), 1, "cannot read %s", path);
	fclose(f);
	return ns;
}

/* the 1-minute load average: "about 1/ncpu" holds on an idle machine */
static double loadavg(void)
{
	double l = 0;
	FILE *f = fopen("/proc/loadavg", "r");

	if (f) {
		if (fscanf(f, "%lf", &l) != 1)
			l = 0;
		fclose(f);
	}
	return l;
}

Test(windows, busy_shell_matches_schedstat, .timeout = 60)
{
	static const char *const argv[] = {
		"bash", "-c", "while :; do :; done", NULL,
	};
	const struct jv *wins[MAX_RECS], *ex;
	unsigned long long sched;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	double sum = 0, util, want = 1.0 / ncpu;
	bool idle = loadavg() < 1.0;
	size_t n, i, full = 0;
	struct sw_run r;
	pid_t pid;

	sw_run_start(&r, window_args);
	pid = sw_spawn("/bin/bash", (char *const *)argv);
	sleep(4);
	/* the kernel's count, then stop the loop at once */
	sched = schedstat_ns(pid);
	kill(pid, SIGKILL);
	sw_wait(pid);
	cr_assert_not_null(sw_run_wait_record(&r, "exit", pid, WAIT_MS),
			   "no exit record for the busy shell");
	sw_run_stop(&r);

	n = sw_run_records(&r, "window", pid, wins, MAX_RECS);
	cr_assert_geq(n, 4, "a 4 s busy shell gave %zu windows of 1 s", n);
	for (i = 0; i < n && i < MAX_RECS; i++) {
		sum += sw_field_num(wins[i], "process.cpu.time");
		/* whole windows: CPU time over alive time and ncpu, and on an
		 * idle machine about one CPU of ncpu */
		if (sw_field_num(wins[i], "window.alive_seconds") > 0.99) {
			util = sw_field_num(wins[i], "process.cpu.utilization");
			cr_assert(fabs(util - sw_field_num(wins[i], "process.cpu.time") /
				       (sw_field_num(wins[i], "window.alive_seconds") * ncpu)) < 1e-6,
				  "window %zu: utilization %.6f is not cpu.time / (alive x %ld)",
				  i, util, ncpu);
			if (idle)
				cr_assert(util > want * 0.8 && util <= want * 1.02,
					  "window %zu: utilization %.4f, want about %.4f (1/ncpu)",
					  i, util, want);
			full++;
		}
	}
	cr_assert_geq(full, 2, "only %zu whole windows", full);
	/* a note, not a Criterion warning: those make the run exit 1 */
	if (!idle)
		fprintf(stderr, "windows::busy_shell_matches_schedstat: load average %.2f, utilization not compared with 1/ncpu\n",
			loadavg());
	/* what windows add up to agrees with schedstat: 2 % or 10 ms */
	cr_assert(fabs(sum * 1e9 - (double)sched) <=
		  fmax(0.02 * sched, 10e6),
		  "windows add up to %.6f s of CPU, schedstat says %.6f s",
		  sum, sched / 1e9);
	ex = sw_run_wait_record(&r, "exit", pid, 0);
	sw_assert_num(ex, "process.exit.signal", SIGKILL, "killed busy shell");
	sw_assert_str(ex, "process.exit.signal_name", "SIGKILL", "killed busy shell");
	sw_assert_none(ex, "process.exit.code", "a killed shell's exit code");
	sw_run_free(&r);
}

/* wait until pid has run ns of CPU, by the scheduler's count */
static unsigned long long run_until(pid_t pid, unsigned long long ns)
{
	unsigned long long got;
	int i;

	for (i = 0; i < 30000; i++) {
		got = schedstat_ns(pid);
		if (got >= ns)
			return got;
		usleep(1000);
	}
	cr_assert_fail("pid %d ran %llu ns of CPU in 30 s, not %llu", pid, got,
		       ns);
	return 0;
}

/*
 * A parent that ignores SIGCHLD: the kernel reaps its dying child itself,
 * before the child's last switch, and adds the child's CPU time to its
 * thread group's. The exit record counts it once, and its windows add up
 * to the same (this shell's CPU came out doubled before).
 */
Test(windows, self_reaped_shell_is_counted_once, .timeout = 60)
{
	static const char *const argv[] = {
		"bash", "-c", "while :; do :; done", NULL,
	};
	const struct jv *wins[MAX_RECS], *ex;
	unsigned long long sched;
	double sum = 0, total;
	struct sw_run r;
	pid_t mid, pid = 0;
	int fds[2];
	size_t n, i;

	cr_assert_eq(pipe(fds), 0);
	sw_run_start(&r, window_args);
	mid = fork();
	cr_assert_geq(mid, 0, "fork failed");
	if (!mid) {
		signal(SIGCHLD, SIG_IGN);
		close(fds[0]);
		pid = fork();
		if (!pid) {
			execv("/bin/bash", (char *const *)argv);
			_exit(127);
		}
		if (write(fds[1], &pid, sizeof(pid)) != sizeof(pid))
			_exit(1);
		/* stays the parent until the test ends it */
		for (;;)
			pause();
	}
	close(fds[1]);
	cr_assert_eq(read(fds[0], &pid, sizeof(pid)), sizeof(pid),
		     "the middle process did not say its child's pid");
	close(fds[0]);
	cr_assert_not_null(sw_run_wait_exec(&r, pid, WAIT_MS),
			   "no exec record for the shell %d", pid);
	/* across two windows of 1 s at least */
	sched = run_until(pid, 1500000000ULL);
	kill(pid, SIGKILL);
	ex = sw_run_wait_record(&r, "exit", pid, WAIT_MS);
	cr_assert_not_null(ex, "no exit record for the self-reaped shell");
	kill(mid, SIGKILL);
	sw_wait(mid);
	sw_run_stop(&r);

	total = sw_field_num(ex, "process.cpu.time");
	/*
	 * it ran on between the count and the kill, 50 ms at most; schedstat
	 * also counts the fork and the exec before the record's count starts:
	 * 5 % at most (once, under load, the exit was 1.6 % below)
	 */
	cr_assert(total * 1e9 >= sched * 0.95 && total * 1e9 <= sched + 50e6,
		  "the exit record says %.6f s of CPU, schedstat said %.6f s just before the kill",
		  total, sched / 1e9);
	n = sw_run_records(&r, "window", pid, wins, MAX_RECS);
	for (i = 0; i < n && i < MAX_RECS; i++)
		sum += sw_field_num(wins[i], "process.cpu.time");
	cr_assert(fabs(sum - total) <= fmax(0.02 * total, 0.01),
		  "%zu windows add up to %.6f s of CPU, the exit record says %.6f s",
		  n, sum, total);
	sw_run_free(&r);
}

Test(windows, sleeping_shell_has_memory, .timeout = 30)
{
	static const char *const argv[] = { "sh", "-c", "read x", NULL };
	const struct jv *wins[MAX_RECS];
	size_t n, i;
	struct sw_run r;
	int fds[2];
	pid_t pid;

	/* a shell that waits on a pipe: no CPU, but resident memory */
	cr_assert_eq(pipe(fds), 0);
	sw_run_start(&r, window_args);
	pid = fork();
	if (!pid) {
		dup2(fds[0], 0);
		close(fds[1]);
		execv("/bin/sh", (char *const *)argv);
		_exit(127);
	}
	close(fds[0]);
	sleep(3);
	cr_assert_eq(write(fds[1], "\n", 1), 1);
	close(fds[1]);
	cr_assert_eq(WEXITSTATUS(sw_wait(pid)), 0);
	cr_assert_not_null(sw_run_wait_record(&r, "exit", pid, WAIT_MS));
	sw_run_stop(&r);
	n = sw_run_records(&r, "window", pid, wins, MAX_RECS);
	cr_assert_geq(n, 2, "a 3 s sleeping shell gave %zu windows", n);
	for (i = 0; i < n && i < MAX_RECS; i++) {
		double mem = sw_field_num(wins[i], "process.memory.utilization");
		double usage = sw_field_num(wins[i], "process.memory.usage");

		if (sw_field_num(wins[i], "window.alive_seconds") < 0.99)
			continue;
		cr_assert(usage > 0 && mem > 0 && mem < 100,
			  "window %zu: memory usage %.0f B, utilization %.6f %%",
			  i, usage, mem);
	}
	sw_run_free(&r);
}

/* whether two RFC 3339 times fall in the same 1 s window */
static bool same_second(const char *a, const char *b)
{
	/* "2026-12-02T01:02:03" */
	return a && b && strlen(a) >= 19 && !strncmp(a, b, 19);
}

/*
 * a short shell's exit record carries its only window, unless its life
 * spanned an edge: then it has window records and the exit does not
 */
static void expect_folded_or_windows(struct sw_run *r, const struct jv *ex,
				     const char *start_time, pid_t pid,
				     const char *what)
{
	const struct jv *wins[MAX_RECS];
	size_t n = sw_run_records(r, "window", pid, wins, MAX_RECS);

	if (same_second(start_time, sw_field_str(ex, "time"))) {
		cr_assert_eq(n, 0, "%s: %zu window records for a life within one window "
			     "(%s to %s): its window belongs in the exit record", what, n,
			     start_time, sw_field_str(ex, "time"));
		/* a folded window's length is the life the exit record says */
		cr_assert_null(jv_get(ex, "window.alive_seconds"),
			       "%s: a folded window says its length twice", what);
		cr_assert(sw_field_num(ex, "process.exit.lifetime") < 1.0,
			  "%s: the folded window is %.3f s long", what,
			  sw_field_num(ex, "process.exit.lifetime"));
		cr_assert(sw_field_num(ex, "process.cpu.utilization") > 0,
			  "%s: the folded window has no CPU utilization", what);
		cr_assert(sw_field_num(ex, "process.memory.usage") > 0,
			  "%s: the folded window has no memory usage", what);
		cr_assert_float_eq(sw_field_num(ex, "window.seconds"), 1.0, 1e-9,
				   "%s: window.seconds", what);
	} else {
		cr_assert_geq(n, 1, "%s: a life over an edge (%s to %s) without window records",
			      what, start_time, sw_field_str(ex, "time"));
		cr_assert_null(jv_get(ex, "window"),
			       "%s: a life over an edge with a window in its exit record", what);
	}
	cr_assert_null(jv_get(ex, "cgroup"), "%s: a compact exit record with cgroup", what);
}

Test(windows, short_shell_window_folded_into_exit, .timeout = 30)
{
	static const char *const argv[] = {
		"bash", "-c", "i=0; while [ $i -lt 3000 ]; do i=$((i+1)); done; exit 7",
		NULL,
	};
	const struct jv *exec, *ex;
	struct sw_run r;
	pid_t pid;

	sw_run_start(&r, window_args);
	pid = sw_spawn("/bin/bash", (char *const *)argv);
	cr_assert_eq(WEXITSTATUS(sw_wait(pid)), 7);
	exec = sw_run_wait_exec(&r, pid, WAIT_MS);
	cr_assert_not_null(exec, "no exec record for a short shell");
	ex = sw_run_wait_record(&r, "exit", pid, WAIT_MS);
	cr_assert_not_null(ex, "no exit record for a short shell");
	sw_run_stop(&r);
	sw_assert_num(ex, "process.exit.code", 7, "exit 7");
	sw_assert_str(ex, "process.exit.reason", "exit", "exit 7");
	cr_assert(sw_field_num(ex, "process.cpu.time") > 0,
		  "the short shell's exit record has no CPU time");
	expect_folded_or_windows(&r, ex, sw_field_str(exec, "time"), pid, "short shell");
	sw_run_free(&r);
}

Test(windows, full_fields_keep_the_partial_window, .timeout = 30)
{
	static const char *const args[] = {
		"--window", "1", "--no-scan", "--fields", "full", NULL,
	};
	static const char *const argv[] = {
		"bash", "-c", "i=0; while [ $i -lt 3000 ]; do i=$((i+1)); done; exit 7",
		NULL,
	};
	const struct jv *win, *ex;
	struct sw_run r;
	pid_t pid;

	sw_run_start(&r, args);
	pid = sw_spawn("/bin/bash", (char *const *)argv);
	cr_assert_eq(WEXITSTATUS(sw_wait(pid)), 7);
	ex = sw_run_wait_record(&r, "exit", pid, WAIT_MS);
	cr_assert_not_null(ex, "no exit record for a short shell");
	win = sw_run_wait_record(&r, "window", pid, 0);
	cr_assert_not_null(win, "--fields full: no partial window for a short shell");
	sw_assert_num(ex, "process.exit.code", 7, "exit 7");
	cr_assert_null(jv_get(ex, "window"), "--fields full: a window in the exit record");
	cr_assert_not_null(jv_get(ex, "cgroup.path"), "--fields full: no cgroup.path");
	cr_assert_not_null(jv_get(win, "cgroup.path"), "--fields full: no cgroup.path");
	cr_assert(sw_field_num(win, "window.alive_seconds") < 1.0,
		  "the partial window is %.3f s long",
		  sw_field_num(win, "window.alive_seconds"));
	cr_assert(sw_field_num(win, "process.cpu.time") > 0,
		  "the partial window has no CPU time");
	sw_assert_str(win, "exec_id", sw_field_str(ex, "exec_id"),
		      "window and exit of one exec");
	sw_run_stop(&r);
	sw_run_free(&r);
}

Test(windows, subshell_is_tracked, .timeout = 30)
{
	static const char *const argv[] = {
		"bash", "-c", "( i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done ); true",
		NULL,
	};
	const struct jv *exec;
	size_t i;
	struct sw_run r;
	pid_t pid;
	bool found = false;

	sw_run_start(&r, window_args);
	pid = sw_spawn("/bin/bash", (char *const *)argv);
	cr_assert_eq(WEXITSTATUS(sw_wait(pid)), 0);
	exec = sw_run_wait_exec(&r, pid, WAIT_MS);
	cr_assert_not_null(exec);
	cr_assert_not_null(sw_run_wait_record(&r, "exit", pid, WAIT_MS));
	sw_run_stop(&r);
	/* the subshell is a forked child whose parent_exec_id is the shell's */
	for (i = 0; i < r.nrecs; i++) {
		const struct jv *rec = r.recs[i];
		const struct jv *parent = jv_get(rec, "parent_exec_id");
		const char *type = jv_str(jv_get(rec, "type"));

		if (!type || strcmp(type, "exit") || !parent || !jv_str(parent))
			continue;
		if (strcmp(jv_str(parent), sw_field_str(exec, "exec_id")))
			continue;
		sw_assert_bool(rec, "process.forked", true, "subshell");
		/* parent_exec_id names the parent: compact records leave its pid out */
		sw_assert_none(rec, "process.parent_pid", "subshell");
		sw_assert_str(rec, "process.exit.reason", "exit", "subshell");
		cr_assert(sw_field_num(rec, "process.cpu.time") > 0,
			  "the subshell's loop used no CPU");
		/* a fork's tracking starts at the fork, within the shell's life:
		 * the shell's exec time bounds it from below */
		if (same_second(sw_field_str(exec, "time"), sw_field_str(rec, "time")))
			expect_folded_or_windows(&r, rec, sw_field_str(exec, "time"),
						 (pid_t)sw_field_num(rec, "process.pid"),
						 "subshell");
		else
			cr_assert(jv_get(rec, "window") ||
				  sw_run_records(&r, "window",
						 (pid_t)sw_field_num(rec, "process.pid"),
						 NULL, 0) > 0,
				  "the subshell has no window, in its exit or its own");
		found = true;
	}
	cr_assert(found, "no exit record of a subshell of pid %d", pid);
	sw_run_free(&r);
}

Test(windows, exec_into_non_shell_ends_tracking, .timeout = 30)
{
	static const char *const argv[] = {
		"bash", "-c", "exec sleep 1.5", NULL,
	};
	const struct jv *ex, *wins[MAX_RECS];
	struct sw_run r;
	pid_t pid;

	sw_run_start(&r, window_args);
	pid = sw_spawn("/bin/bash", (char *const *)argv);
	ex = sw_run_wait_record(&r, "exit", pid, WAIT_MS);
	cr_assert_not_null(ex, "exec into sleep did not end the shell's tracking");
	sw_assert_str(ex, "process.exit.reason", "exec", "exec sleep");
	sw_assert_str(ex, "process.exit.exec_name", "sleep", "exec sleep");
	cr_assert_eq(WEXITSTATUS(sw_wait(pid)), 0);
	/* records come in order: a shell started after sleep ended reports
	 * its exit after any record of sleep's */
	{
		static const char *const mark[] = { "sh", "-c", ":", NULL };
		pid_t m = sw_spawn("/bin/sh", (char *const *)mark);

		sw_wait(m);
		cr_assert_not_null(sw_run_wait_record(&r, "exit", m, WAIT_MS),
				   "no exit record for the marker shell");
	}
	sw_run_stop(&r);
	/* sleep's own life is no shell's: no window after the exit record */
	cr_assert_eq(sw_run_records(&r, "exit", pid, wins, MAX_RECS), 1,
		     "sleep's exit was reported as a shell's");
	sw_run_free(&r);
}

/* the HEC metric event of pid's window (or of its exit), read so far */
static const struct jv *hec_metric_of(struct sw_run *r, pid_t pid)
{
	size_t i;

	for (i = 0; i < r->nrecs; i++) {
		const struct jv *rec = r->recs[i];
		const struct jv *p = spl_flat(jv_get(rec, "fields"), "process.pid");

		if (jv_str(jv_get(rec, "event")) &&
		    !strcmp(jv_str(jv_get(rec, "event")), "metric") && p &&
		    jv_num(p) == pid)
			return rec;
	}
	return NULL;
}

/* wait up to timeout_ms for pid's first HEC metric event */
static const struct jv *wait_hec_metric(struct sw_run *r, pid_t pid,
					int timeout_ms)
{
	const struct jv *m;
	int waited;

	for (waited = 0;; waited += 5) {
		sw_run_read(r);
		m = hec_metric_of(r, pid);
		if (m || waited >= timeout_ms)
			return m;
		usleep(5000);
	}
}

Test(windows, hec_lines_carry_the_fields, .timeout = 30)
{
	static const char *const args[] = {
		"--window", "1", "--no-scan", "--format", "hec",
		"--cluster-name", "prod-eu", NULL,
	};
	static const char *const argv[] = {
		"bash", "-c", "i=0; while [ $i -lt 3000 ]; do i=$((i+1)); done", NULL,
	};
	const struct jv *metric = NULL, *event = NULL;
	struct sw_run r;
	size_t i;
	pid_t pid;

	sw_run_start(&r, args);
	pid = sw_spawn("/bin/bash", (char *const *)argv);
	sw_wait(pid);
	/* the exit's metric event comes after the exec's */
	wait_hec_metric(&r, pid, WAIT_MS);
	sw_run_stop(&r);
	metric = hec_metric_of(&r, pid);
	for (i = 0; i < r.nrecs; i++) {
		const struct jv *rec = r.recs[i];
		const struct jv *ev = jv_get(rec, "event");

		if (jv_type(ev) == JV_OBJECT &&
		    jv_num(jv_get(ev, "process.pid")) == pid &&
		    !strcmp(jv_str(jv_get(ev, "type")) ?: "", "exec"))
			event = rec;
	}
	cr_assert_not_null(event, "no HEC event for the exec of pid %d", pid);
	sw_assert_str(event, "sourcetype", "shellwatch:exec", "HEC exec");
	sw_assert_str(event, "source", "shellwatch", "HEC exec");
	cr_assert(sw_field_num(event, "time") > 1.6e9, "HEC time is epoch seconds");
	cr_assert_not_null(metric, "no HEC metric event for the window of pid %d", pid);
	{
		static const char *const keys[] = {
			"metric_name:process.cpu.utilization",
			"metric_name:process.memory.utilization",
			"host.name", "k8s.cluster.name", "k8s.node.name",
			"process.pid", "process.executable.name", "exec_id",
		};
		const struct jv *fields = jv_get(metric, "fields");
		size_t k;

		for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			cr_assert_not_null(spl_flat(fields, keys[k]),
					   "HEC metric event has no field %s", keys[k]);
		cr_assert_str_eq(jv_str(spl_flat(fields, "k8s.cluster.name")), "prod-eu");
		cr_assert_str_eq(jv_str(spl_flat(fields, "process.executable.name")), "bash");
	}
	sw_run_free(&r);
}

static void expect_cell(const struct spl_row *row, const char *key,
			const char *want, pid_t pid)
{
	const char *got = spl_row_get(row, key);

	cr_expect(got && !strcmp(got, want),
		  "the original search's row for pid %d has %s=%s, want %s",
		  pid, key, got ? got : "(none)", want);
}

/*
 * The seed detection's search, run step for step over what the live sensor
 * writes in HEC format with its default 10 s windows: every sh and bash that
 * lives a second or more is a row of it, busy or idle, with the sensor's
 * host, cluster and node; a non-shell living as long is not.
 */
Test(windows, original_search_finds_every_shell_of_a_second, .timeout = 60)
{
	static const char *const args[] = {
		"--no-scan", "--format", "hec", "--cluster-name", "prod-eu",
		"--node-name", "worker-7", NULL,
	};
	/* ": " last: no shell execs its last command into sleep */
	static const struct {
		const char *path, *name, *script;
	} shells[] = {
		{ "/bin/sh", "sh", "sleep 1; :" },
		{ "/bin/bash", "bash", "sleep 1.5; :" },
		{ "/bin/bash", "bash",
		  "i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; sleep 1; :" },
		{ "/bin/sh", "sh", "sleep 2.5; :" },
	};
	enum { NSHELLS = sizeof(shells) / sizeof(shells[0]) };
	static struct spl_row rows[64];
	char host[256], pidtext[32];
	pid_t pids[NSHELLS], other;
	struct sw_run r;
	size_t n, i, j, found;

	cr_assert_eq(gethostname(host, sizeof(host)), 0);
	sw_run_start(&r, args);
	for (i = 0; i < NSHELLS; i++) {
		const char *argv[] = { shells[i].name, "-c", shells[i].script, NULL };

		pids[i] = sw_spawn(shells[i].path, (char *const *)argv);
	}
	{
		const char *argv[] = { "sleep", "1.2", NULL };

		other = sw_spawn("/bin/sleep", (char *const *)argv);
	}
	for (i = 0; i < NSHELLS; i++) {
		cr_assert_eq(WEXITSTATUS(sw_wait(pids[i])), 0, "%s -c '%s' failed",
			     shells[i].name, shells[i].script);
		cr_assert_not_null(wait_hec_metric(&r, pids[i], WAIT_MS),
				   "no HEC metric event for %s -c '%s' (pid %d)",
				   shells[i].name, shells[i].script, pids[i]);
	}
	sw_wait(other);
	sw_run_stop(&r);

	n = spl_mstats((const struct jv *const *)r.recs, r.nrecs, rows, 64);
	for (i = 0; i < NSHELLS; i++) {
		snprintf(pidtext, sizeof(pidtext), "%d", pids[i]);
		for (found = 0, j = 0; j < n; j++) {
			if (strcmp(spl_row_get(&rows[j], "process.pid"), pidtext))
				continue;
			found++;
			expect_cell(&rows[j], "process.executable.name",
				    shells[i].name, pids[i]);
			expect_cell(&rows[j], "host", host, pids[i]);
			expect_cell(&rows[j], "k8s.cluster.name", "prod-eu", pids[i]);
			expect_cell(&rows[j], "k8s.node.name", "worker-7", pids[i]);
		}
		cr_expect_eq(found, 1,
			     "the original search has %zu rows (of %zu) for %s -c '%s' (pid %d), want 1",
			     found, n, shells[i].name, shells[i].script, pids[i]);
	}
	snprintf(pidtext, sizeof(pidtext), "%d", other);
	for (j = 0; j < n; j++)
		cr_expect_neq(strcmp(spl_row_get(&rows[j], "process.pid"), pidtext), 0,
			      "the original search found sleep (pid %d), no shell", other);
	sw_run_free(&r);
}
